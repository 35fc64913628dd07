"""Whether a story's numbers stay the same from one telling to the next.

The story as written in the bank and each telling with its words are handed to the
debrief's claim extractor (:mod:`loopready.language.claims`), each as its own source:
``"story"`` for the bank's text and the telling's id for a telling. Its
:func:`~loopready.language.claims.find_inconsistencies` then reports subjects whose
numbers disagree between sources (a team of 8 in the bank and 12 in the technical
round; retention up 12% against 20%), with the sentence each number came from. The
extractor's own rules decide what counts: plans and targets are ignored, rounding is
allowed for big figures and hedged ones ("about 2 million").
"""

from __future__ import annotations

from loopready.language.claims import Claim, Inconsistency, check_consistency, extract_claims
from loopready.prep.stories import StoryRecord

#: The source name of the story as written in the bank.
STORY_SOURCE = "story"
#: The source name of an answer being checked against the story (a drill answer).
ANSWER_SOURCE = "answer"


def story_sources(story: StoryRecord) -> list[tuple[str, str]]:
    """``(source, text)`` pairs: the bank's text, then each telling that has words."""
    pairs = [(STORY_SOURCE, story.text)]
    pairs += [(t.id, t.text) for t in story.tellings if t.text.strip()]
    return pairs


def story_claims(story: StoryRecord) -> list[Claim]:
    """The numbers the story states as written in the bank."""
    return extract_claims(story.text, STORY_SOURCE)


def story_drift(story: StoryRecord) -> list[Inconsistency]:
    """Numbers that differ between the story as written and its tellings (or two tellings)."""
    _claims, found = check_consistency(story_sources(story))
    return found


def answer_drift(story: StoryRecord, answer: str) -> list[Inconsistency]:
    """Numbers in *answer* that contradict the story as written (for a story drill)."""
    _claims, found = check_consistency([(STORY_SOURCE, story.text), (ANSWER_SOURCE, answer)])
    return found


def source_label(story: StoryRecord, source: str) -> str:
    """How to name a claim's source to the user: the bank, an answer, or a telling."""
    if source == STORY_SOURCE:
        return "the story bank"
    if source == ANSWER_SOURCE:
        return "this answer"
    for telling in story.tellings:
        if telling.id == source:
            return telling.label()
    return source


def ordered_claims(story: StoryRecord, item: Inconsistency) -> list[Claim]:
    """The claims of *item* in telling order: the bank's first, then the tellings by date."""
    order = {source: n for n, (source, _text) in enumerate(story_sources(story))}
    order[ANSWER_SOURCE] = len(order)
    return sorted(item.claims, key=lambda c: order.get(c.source, len(order)))


def describe_drift(story: StoryRecord, item: Inconsistency) -> list[str]:
    """One line per claim: where it was said, the number, and the sentence it came from."""
    lines = []
    for claim in ordered_claims(story, item):
        lines.append(f'{source_label(story, claim.source)}: {claim.describe()} - "{claim.quote}"')
    return lines


def drift_to_dict(story: StoryRecord, item: Inconsistency) -> dict[str, object]:
    """An inconsistency as JSON, each claim with its source's label and its quote."""
    return {
        "subject": item.subject,
        "entity": item.entity,
        "claims": [
            {
                "source": claim.source,
                "label": source_label(story, claim.source),
                "value": claim.value,
                "unit": claim.unit,
                "says": claim.describe(),
                "quote": claim.quote,
            }
            for claim in ordered_claims(story, item)
        ],
    }
