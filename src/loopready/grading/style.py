"""Style measures of an answer's substance: specifics against stock phrases.

Interviewers discount stock business phrases ("world-class", "unlock synergies",
"cutting-edge") that fit any company and any answer, and credit specifics: numbers,
named products, dates. These are shares and densities, never counts, so a longer
answer gains nothing by being longer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from loopready.language.numbers import SAYS_A_NUMBER

#: Stock phrases that sound like substance and carry none.
BUZZWORDS = re.compile(
    r"\b(?:synerg\w*|world[- ]class|best[- ]in[- ]class|cutting[- ]edge|bleeding[- ]edge|"
    r"leverag(?:e|es|ing)|passionate|innovative|innovation|paradigm\w*|holistic\w*|"
    r"transformational|transformative|game[- ]chang\w*|disrupt\w*|flywheel|at scale|"
    r"mission[- ]driven|customer[- ]centric|user[- ]centric|ai[- ]first|data[- ]driven|"
    r"seamless\w*|state[- ]of[- ]the[- ]art|next[- ]gen\w*|unlock\w*|empower\w*|iconic|"
    r"excellence|visionary|thought[- ]leader\w*|move the needle|best practices?|value[- ]add|"
    r"impactful|holistically|frictionless|world[- ]leading|dynamic|exciting|amazing|"
    r"incredible|win the future|make a dent|north[- ]star vision|end[- ]to[- ]end ownership|"
    r"drive (?:transformational |real )?impact|wear many hats|hit the ground running|"
    r"think outside the box|low[- ]hanging fruit|double[- ]click|circle back|bandwidth)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z0-9']+")


def word_count(sentences: Sequence[str]) -> int:
    return sum(len(_WORD.findall(s)) for s in sentences)


def buzz_per_100_words(sentences: Sequence[str]) -> float:
    words = word_count(sentences)
    if not words:
        return 0.0
    hits = sum(len(BUZZWORDS.findall(s)) for s in sentences)
    return 100.0 * hits / words


def specificity(sentences: Sequence[str]) -> float:
    """Share of sentences that carry a number or quantity."""
    if not sentences:
        return 0.0
    return sum(1 for s in sentences if SAYS_A_NUMBER.search(s)) / len(sentences)
