"""Depth, not lists: which sentences elaborate and which only name terms.

Credit needs elaborated content: a choice with its reason, a number tied to a
decision, an owner with a date. A sentence that is a bare list of terms ("Metrics:
north star, guardrails, CTR, retention.") or a fragment of a few words names
things without saying what the candidate would do with them. The grader lets a
bare sentence count as evidence, but a criterion whose evidence is all bare earns at
most partial credit, and an answer that is mostly bare (a keyword outline) is capped
overall.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from loopready.grading.signals import Analysis

#: A sentence of at most this many words is a fragment ("Phased rollout.").
FRAGMENT_WORDS = 4
#: A list has at least this many items, each of at most MAX_ITEM_WORDS words on average.
MIN_ITEMS = 3
MAX_ITEM_WORDS = 3.5
#: An answer is an outline when at least this share of its sentences is bare and at most
#: OUTLINE_MAX_ELABORATED of them elaborate.
OUTLINE_BARE_SHARE = 0.5
OUTLINE_MAX_ELABORATED = 0.25
#: The highest overall score an outline can get, and the highest criterion score that
#: bare evidence can earn (2 of 4: partial).
OUTLINE_CAP = 35.0
BARE_CRITERION_CAP = 2

_LABEL = re.compile(r"^\s*[A-Za-z][\w /&'-]{0,30}:\s+")
_ITEM_SPLIT = re.compile(r"\s*(?:,|;|/|\+|\band\b|\bor\b|&)\s*", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z0-9%$£€']+")

#: A reason, a condition or a consequence: the words that turn a term into a choice.
_REASON = re.compile(
    r"\b(?:because|since|so that|so we|so the|so it|so they|so i|so players|so users|"
    r"which means|that means|meaning|in order to|otherwise|given that|the reason|"
    r"that's why|which is why|this is why|to avoid|to protect|to keep|to make sure|"
    r"unless|until|instead of|rather than|even if|even though|at the cost of|"
    r"in exchange|trade|worth|if\b|when\b|whenever|only after|only if|before we|"
    r"as long as|provided)\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twenty|half)\b")

#: Signals that are themselves elaboration: a rule, a reason or a commitment.
ELABORATING_SIGNALS = (
    "threshold_action",
    "stop_rule",
    "tradeoff",
    "outcome_link",
    "owner_next_step",
    "date_commitment",
    "quantified_result",
)


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def is_list(sentence: str) -> bool:
    """A bare list of terms: three or more short items, with an optional "Label:" lead."""
    body = _LABEL.sub("", sentence.strip().rstrip(".!?…"), count=1)
    items = [i for i in _ITEM_SPLIT.split(body) if i and _words(i)]
    if len(items) < MIN_ITEMS:
        return False
    mean_words = sum(len(_words(i)) for i in items) / len(items)
    return mean_words <= MAX_ITEM_WORDS and not _REASON.search(body)


def is_bare(sentence: str) -> bool:
    """A list of terms, or a fragment of a few words that makes no choice."""
    words = _words(sentence)
    if len(words) <= FRAGMENT_WORDS:
        return True
    if _LABEL.match(sentence) and len(_words(_LABEL.sub("", sentence, count=1))) <= FRAGMENT_WORDS:
        return True
    return is_list(sentence)


def is_elaborated(sentence: str, signals: Sequence[str] = ()) -> bool:
    """A choice with its reason, a number tied to a decision, or an owner with a date."""
    if is_bare(sentence):
        return False
    if any(s in ELABORATING_SIGNALS for s in signals):
        return True
    if _REASON.search(sentence):
        return True
    return bool(_NUMBER.search(sentence)) and len(_words(sentence)) >= 8


@dataclass(frozen=True)
class Depth:
    """Per sentence: bare (a list or fragment) or elaborated; and whether the whole answer
    is an outline."""

    bare: frozenset[int]
    elaborated: frozenset[int]
    outline: bool

    @property
    def bare_share(self) -> float:
        total = len(self.bare) + len(self.elaborated)
        return len(self.bare) / total if total else 0.0


def measure(sentences: Sequence[str], analysis: Analysis) -> Depth:
    """Read every sentence once; an answer of at least two sentences is an outline when
    most are bare and few elaborate."""
    per_sentence: dict[int, list[str]] = {}
    for signal, hits in analysis.hits.items():
        for h in hits:
            per_sentence.setdefault(h.sentence_index, []).append(signal)
    bare = frozenset(i for i, s in enumerate(sentences) if is_bare(s))
    elaborated = frozenset(
        i
        for i, s in enumerate(sentences)
        if i not in bare and is_elaborated(s, per_sentence.get(i, ()))
    )
    n = len(sentences)
    outline = (
        n >= 2
        and len(bare) / n >= OUTLINE_BARE_SHARE
        and len(elaborated) / n <= OUTLINE_MAX_ELABORATED
    )
    return Depth(bare, elaborated, outline)
