"""Pack phrases found in what a candidate says: whole words, inflections, negation.

Used by the stakeholder role-play (pushback triggers, satisfied concerns) and by the
grader (which personas' concerns an answer leaves unaddressed), so both read a pack's
phrases the same way.

Phrases match whole words and phrases, case-insensitively: ``ms`` matches "70 ms"
and "70ms" but never "teams"; spaces and hyphens are interchangeable, also inside
words of six letters or more ("roll out", "roll-out" and "rollout" are one
phrase); each word of four letters or more also matches its regular inflections
("launch" -> "launched", "launching"); and a phrase preceded in its clause by an
odd number of negations ("not", "without", "no", "don't", ...) does not count.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

_NEGATORS = frozenset(
    {"not", "no", "never", "without", "skip", "skipping", "ignore", "ignoring", "nor",
     "neither", "cannot", "drop", "dropping", "avoid", "avoiding"}
)  # fmt: skip
#: "no later than November" and "not only latency" are not negations.
_NOT_NEGATING_NEXT = frozenset(
    {"later", "earlier", "sooner", "only", "just", "least", "more", "less", "fewer", "longer"}
)
_CLAUSE_END = re.compile(r"[.;:!?,\n]|\bbut\b|\bhowever\b|\bwhile\b")
_TOKEN = re.compile(r"[a-z0-9']+")
#: Words examined before a phrase when deciding whether it is negated.
_NEGATION_WINDOW = 6


def normalise(text: str) -> str:
    """Lower-case, straight quotes, single spaces: the form phrases are matched against."""
    text = text.lower().replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = re.sub(r"(?<=[^\W\d_])-(?=[^\W\d_])", "", text)  # "roll-out" -> "rollout"
    return re.sub(r"\s+", " ", text)


def _letters(stem: str, split: bool) -> str:
    """``stem`` escaped; with ``split``, a space or hyphen may come between its letters
    ("rollout" matches "roll out", "fallback" matches "fall-back")."""
    if not split:
        return re.escape(stem)
    return r"[\s\-]?".join(re.escape(ch) for ch in stem)


def _inflected(word: str) -> str:
    """A pattern for ``word`` and its regular inflections (words of four letters or more)."""
    if len(word) < 4 or not word.isalpha():
        return re.escape(word)
    split = len(word) >= 6  # compounds: rollout, fallback, wishlist, playtime
    if word.endswith("e"):
        return _letters(word[:-1], split) + r"(?:e|es|ed|ing)"
    if word.endswith("y") and word[-2] not in "aeiou":
        return _letters(word[:-1], split) + r"(?:y|ies|ied|ying)"
    last = re.escape(word[-1])
    return _letters(word, split) + rf"(?:s|es|ed|ing|{last}ed|{last}ing)?"


@lru_cache(maxsize=4096)
def phrase_pattern(phrase: str) -> re.Pattern[str]:
    """The compiled whole-word pattern for one pack phrase."""
    words = [w for w in re.split(r"[\s\-]+", normalise(phrase).strip()) if w]
    if not words:
        raise ValueError("empty phrase")
    parts = [_inflected(w) for w in words]
    body = r"[\s\-]*".join(parts)
    first, last = words[0][0], words[-1][-1]
    if first.isalpha():
        left = r"(?<![^\W\d_])"  # no letter before; a digit may ("70ms")
    elif first.isdigit():
        left = r"(?<![\w.])"  # "90%" is not inside "190%" or "0.90%"
    else:
        left = ""
    right = r"(?![\w])" if last.isalnum() else ""
    return re.compile(left + body + right)


def _negated(text: str, start: int) -> bool:
    """Whether the phrase starting at ``start`` of normalised ``text`` is negated."""
    before = text[:start]
    ends = [m.end() for m in _CLAUSE_END.finditer(before)]
    clause = before[ends[-1] :] if ends else before
    tokens = _TOKEN.findall(clause)[-_NEGATION_WINDOW:]
    count = 0
    for i, token in enumerate(tokens):
        negator = token in _NEGATORS or token.endswith("n't")
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        if negator and following not in _NOT_NEGATING_NEXT:
            count += 1
    return count % 2 == 1


def find_phrases(text: str, phrases: Iterable[str]) -> list[str]:
    """The phrases said in ``text`` (whole words, not negated), in the order given."""
    norm = normalise(text)
    found: list[str] = []
    for phrase in phrases:
        for m in phrase_pattern(phrase).finditer(norm):
            if not _negated(norm, m.start()):
                found.append(phrase)
                break
    return found


def mentions(text: str, phrase: str) -> bool:
    """Whether ``phrase`` is said in ``text`` (see :func:`find_phrases`)."""
    return bool(find_phrases(text, [phrase]))
