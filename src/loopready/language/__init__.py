"""Language: how loopready reads English, in one package every other layer shares.

Sentences with their offsets (:mod:`.sentences`), words and stems (:mod:`.words`),
numbers in digits, words and shorthand (:mod:`.numbers`), the claims a candidate makes
about their record (:mod:`.claims`), fillers and hedges (:mod:`.fillers`), stated
current pay (:mod:`.pay`) and a pack's phrases found in an answer (:mod:`.phrases`).
The grader, the debrief, the story bank, the stakeholder role-play, spoken delivery,
job postings and the brief linter all read text through these modules, so a sentence
or a figure means the same thing everywhere.

This is the lowest layer: it imports nothing from loopready (the import contract in
``pyproject.toml`` checks it).
"""
