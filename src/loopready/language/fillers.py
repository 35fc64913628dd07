"""Fillers and hedges: the word lists behind every disfluency count, in one place.

Two readers use them. The written-answer metrics (:mod:`loopready.grading.delivery`)
compile :data:`FILLERS_PLAIN` and :data:`HEDGES` as regular-expression fragments
(case-insensitive, with word-edge guards added; hyphens and curly apostrophes are
normalised first). The spoken-answer metrics (:mod:`loopready.speech.delivery`) walk a
timed transcript word by word, with :data:`HESITATIONS` for "um", "uh" and the like,
:data:`ALWAYS_FILLERS`, and the neighbour-word sets that tell a filler "like", "you know",
"kind of" or "I mean" from the verb, the question or the noun.
"""

from __future__ import annotations

import re
from typing import Final

# -- written answers: regular-expression fragments ------------------------------------------

#: Fillers that are fillers wherever they appear. "like", "you know", "I mean", "kind of",
#: "sort of" and "actually" need context and are handled in :mod:`loopready.grading.delivery`
#: (written answers) and by the spoken-answer sets below (timed transcripts).
FILLERS_PLAIN: Final[tuple[tuple[str, str], ...]] = (
    ("um", r"u+m+|e+r+m+|h+m+"),
    ("uh", r"u+h+|e+r+|a+h+"),
    ("basically", r"basically"),
    ("literally", r"literally"),
    ("honestly", r"honestly|to be honest"),
    ("so yeah", r"so yeah|yeah so"),
    ("and stuff", r"and stuff(?: like that)?|or whatever|and all that|and so on and so forth"),
)

#: Hedges: words that soften a claim or a commitment.
HEDGES: Final[tuple[tuple[str, str], ...]] = (
    ("maybe", r"maybe"),
    ("perhaps", r"perhaps"),
    ("possibly", r"possibly"),
    ("probably", r"probably"),
    ("potentially", r"potentially"),
    ("hopefully", r"hopefully"),
    ("presumably", r"presumably"),
    ("arguably", r"arguably"),
    ("I think", r"i (?:do )?think(?! (?:about|through|of)\b)"),
    ("I guess", r"i guess|i'd guess"),
    ("I suppose", r"i suppose|i'd suppose"),
    ("I feel like", r"i feel like"),
    ("I'd say", r"i'd say|i would say"),
    ("I believe", r"i believe"),
    ("not sure", r"(?:i'm |i am )?not (?:really |totally |entirely |100% )?(?:sure|certain)"),
    ("it depends", r"it (?:all |really )?depends"),
    ("might", r"might"),
    ("could be", r"could be|could maybe|could possibly"),
    (
        "may",
        r"(?-i:may)(?= (?:be|not|need|want|have|help|hurt|work|take|make|see|get|want|also|end|"
        r"well|require|cause|still|just|or|lead|change))",
    ),
    ("somewhat", r"somewhat|to some extent|more or less|sort of maybe|a little bit"),
    ("seems", r"(?:it |that |this )?seems(?: like| to)?|(?:it |that )?appears to"),
    ("I assume", r"i assume|i'm assuming|i am assuming"),
    ("hedged hope", r"i hope|we hope|fingers crossed"),
)


# -- spoken answers: one transcript token at a time ---------------------------------------

# fmt: off
HESITATIONS: Final = {
    "um": re.compile(r"^u+h*m+$"),
    "uh": re.compile(r"^u+h+$"),
    "er": re.compile(r"^e+r+m*$"),
    "ah": re.compile(r"^a+h+$"),
    "hmm": re.compile(r"^h+m+$|^mm+$"),
}
#: Words before "like," that make it a verb ("I would like, if possible, ..."), not a filler.
#: Pronouns are not among them: "we, like, expand" often comes out as "we like, expand".
LIKE_VERB_BEFORE_COMMA: Final = {
    "would", "i'd", "we'd", "you'd", "they'd", "she'd", "he'd", "to", "don't", "didn't",
    "doesn't", "really", "much", "more", "most",
}
#: ...unless a bare verb follows: "I would like, check a sample" is a filler.
LIKE_VERB_OBJECT: Final = {
    "to", "if", "for", "a", "an", "the", "that", "this", "it", "you", "we", "them", "us",
    "him", "her", "my", "our", "your", "their", "some", "more", "",
}
#: Words before "you know" that make it a question or a statement about knowing.
YOU_KNOW_NOT_FILLER: Final = {
    "do", "did", "don't", "didn't", "if", "would", "as", "that", "what", "whether",
}
YOU_KNOW_OBJECT: Final = {"what", "how", "why", "when", "where", "who", "whether", "if", "that"}
#: Determiners before "kind of"/"sort of" that make it a noun ("a kind of test").
KIND_OF_NOUN: Final = {
    "a", "the", "this", "that", "these", "those", "what", "which", "any", "some", "every",
    "each", "one", "same", "different", "new", "right", "best", "our", "your", "their", "its",
}
MEAN_NOT_FILLER: Final = {"what", "do", "did", "don't", "didn't"}
ALWAYS_FILLERS: Final = {"basically", "literally"}
# fmt: on
