"""Advice about this answer: what it lacks or should sharpen, for each criterion under 4.

Advice names the question's key points this answer misses (those that belong to the
criterion), and quotes the answer's own sentence to take further, saying what that
sentence lacks: a reason, a number tied to a decision, an owner with a date. A bare
list is told to pick and justify. The rubric's general advice is used only when the
answer has nothing for the criterion, and never for a point the answer already
covers: nothing listed as missing is quoted as evidence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from loopready.grading.base import CriterionScore, KeyPointResult
from loopready.grading.depth import is_bare
from loopready.packs.schema import Criterion

#: Quotes in advice are cut to this many characters.
QUOTE_CHARS = 90
MAX_MISSING = 2

_REASON = re.compile(
    r"\b(?:because|since|so that|so we|which means|in order to|otherwise|given that|"
    r"that's why|which is why|to avoid|to protect|to keep|rather than|instead of)\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twenty|fifty|hundred|half)\b",
    re.IGNORECASE,
)
_CONDITION = re.compile(r"\b(?:if|when|unless|until|once|only after|as soon as)\b", re.IGNORECASE)
_OWNER = re.compile(
    r"\b(?:owns?|owner|leads?|responsible|accountable|signs? off|on-call|"
    r"[A-Z][a-z]+ (?:in|on|from) (?:the )?[a-z]+|I'll|I will)\b"
)
_DATE = re.compile(
    r"\b(?:by|on|before|until) (?:the )?(?:\d|monday|tuesday|wednesday|thursday|friday|end of|"
    r"next|q[1-4]|january|february|march|april|may|june|july|august|september|october|"
    r"november|december)|\b(?:weeks?|days?|months?|quarter)\b",
    re.IGNORECASE,
)


def short(sentence: str, limit: int = QUOTE_CHARS) -> str:
    """The sentence, cut at a word boundary with an ellipsis when it is long."""
    text = " ".join(sentence.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


#: Signals of a criterion that make a number tied to a decision, or an owner with a date,
#: part of what it asks (a criterion about tone asks for neither).
_WANTS_NUMBER = {
    "metric_named",
    "metric_prioritised",
    "threshold_action",
    "stop_rule",
    "quantified_result",
    "experiment",
    "drift_monitoring",
    "rollout_phase",
}
_WANTS_OWNER = {"owner_next_step", "date_commitment", "decision", "rollout_phase"}


def lacks(sentence: str, signals: Sequence[str] | None = None) -> list[str]:
    """What a sentence does not yet say: the parts of an elaborated point it misses, among
    those the criterion (by its ``signals``; all when not given) asks for."""
    wanted = set(signals) if signals is not None else _WANTS_NUMBER | _WANTS_OWNER
    out: list[str] = []
    if not _REASON.search(sentence):
        out.append("why (the reason behind the choice)")
    if wanted & _WANTS_NUMBER and not (_NUMBER.search(sentence) and _CONDITION.search(sentence)):
        out.append("the number that would change your decision")
    if wanted & _WANTS_OWNER and not (_OWNER.search(sentence) and _DATE.search(sentence)):
        out.append("who does it and by when")
    return out


def _sharpen(quote: str, signals: Sequence[str] | None = None) -> str:
    if is_bare(quote):
        return (
            f"“{short(quote)}” only lists terms: pick one, say why it matters here and what "
            "you would do with it."
        )
    missing = lacks(quote, signals)
    if not missing:
        return f"“{short(quote)}” is the strongest part; add a trade-off: what you give up for it."
    return f"“{short(quote)}” is a start; add {' and '.join(missing[:2])}."


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def for_criterion(
    criterion: Criterion,
    score: CriterionScore,
    missing_points: Sequence[KeyPointResult],
    nearest: str | None = None,
) -> str:
    """One advice line for a criterion scored under 4, about this answer. ``nearest`` is
    the answer's sentence closest to what the criterion asks, when none is evidence."""
    parts: list[str] = []
    quoted = set(score.evidence)
    gaps = [p.text for p in missing_points if not p.covered and p.evidence not in quoted]
    if gaps:
        parts.append("Not yet in this answer: " + "; ".join(gaps[:MAX_MISSING]) + ".")
    if score.evidence:
        weakest = next((q for q in score.evidence if is_bare(q)), None)
        parts.append(_sharpen(weakest or score.evidence[-1], criterion.signals))
    elif nearest:
        parts.append(
            f"The closest you come is “{short(nearest)}”, which does not do it yet: "
            f"{_lower_first(criterion.advice)}"
        )
    elif not gaps:
        parts.append(f"Nothing in this answer does this yet. {criterion.advice}")
    return " ".join(parts)


def write(
    criteria: Sequence[Criterion],
    scores: list[CriterionScore],
    key_points: Sequence[KeyPointResult] | None,
    owners: dict[str, str],
    nearest: dict[str, str] | None = None,
) -> None:
    """Fill ``advice`` of every scored criterion under 4 (and clear it elsewhere). Advice a
    grader wrote about the answer itself (an LLM's) is kept; the rubric's general line is
    replaced."""
    by_id = {c.id: c for c in criteria}
    for s in scores:
        if s.status != "scored" or s.score >= 4 or s.id not in by_id:
            s.advice = ""
            continue
        if s.advice and s.advice != by_id[s.id].advice:
            continue
        mine = [p for p in key_points or [] if not p.covered and owners.get(p.text) == s.id]
        s.advice = for_criterion(by_id[s.id], s, mine, (nearest or {}).get(s.id))
