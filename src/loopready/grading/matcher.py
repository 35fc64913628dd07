"""Fast matching of many regular-expression alternatives at once.

Python's ``re`` tries every alternative of an alternation at every character, so a
lexicon of a few hundred phrases costs around half a millisecond per sentence. Here
each alternative is compiled on its own, the literal prefixes it can start with (up to
three characters, lowercased) are read from the parsed pattern, and one dictionary scan
per sentence finds the positions worth trying. Only those alternatives run, anchored
with ``match``; the result is the same leftmost-first match an alternation would give.

Usage::

    INDEX = Index()
    greetings = INDEX.phrases("greeting", ["hello", r"good (?:morning|evening)"])
    scan = INDEX.scan("Well, good morning!")
    greetings.search(scan)  # -> Hit(alt=1, match=<'good morning'>)

Alternatives are case-insensitive and must start at a word edge (the previous character
is not a letter, digit, underscore or hyphen); they end at a word edge (``(?!\\w)``) too.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Final

_parser: Any = importlib.import_module("re._parser")
_const: Any = importlib.import_module("re._constants")

#: Prefix length used as the lookup key.
K: Final = 3
#: A character class with more members than this is treated as "anything".
_MAX_CLASS: Final = 12
_DIGITS: Final = "0123456789"

_Prefix = tuple[str, bool]  # (literal text so far, can still be extended)


def _class_chars(items: Sequence[tuple[Any, Any]]) -> list[str] | None:
    chars: list[str] = []
    for op, av in items:
        if op is _const.LITERAL:
            chars.append(chr(av).lower())
        elif op is _const.RANGE:
            lo, hi = av
            if hi - lo >= _MAX_CLASS:
                return None
            chars.extend(chr(c).lower() for c in range(lo, hi + 1))
        elif op is _const.CATEGORY and av is _const.CATEGORY_DIGIT:
            chars.extend(_DIGITS)
        else:  # NEGATE, other categories
            return None
    unique = sorted(set(chars))
    return unique if len(unique) <= _MAX_CLASS else None


def _item(op: Any, av: Any) -> list[_Prefix]:
    """What one parsed item can contribute to a prefix."""
    if op is _const.LITERAL:
        return [(chr(av).lower(), True)]
    if op is _const.IN:
        chars = _class_chars(av)
        return [(c, True) for c in chars] if chars is not None else [("", False)]
    if op in (_const.AT, _const.ASSERT, _const.ASSERT_NOT):
        return [("", True)]  # zero width: skip over it (a superset is safe)
    if op is _const.SUBPATTERN:
        return _sequence(av[-1])
    if op is _const.BRANCH:
        out: list[_Prefix] = []
        for alternative in av[1]:
            out.extend(_sequence(alternative))
        return out
    if op in (_const.MAX_REPEAT, _const.MIN_REPEAT, _const.POSSESSIVE_REPEAT):
        lo, hi, sub = av
        once = _sequence(sub)
        out = [("", True)] if lo == 0 else []
        out.extend((text, ext and hi == 1 and lo <= 1) for text, ext in once)
        return out
    return [("", False)]  # ANY, CATEGORY, NOT_LITERAL, GROUPREF, ...


def _sequence(items: Any) -> list[_Prefix]:
    states: set[_Prefix] = {("", True)}
    for op, av in items:
        if not any(ext and len(text) < K for text, ext in states):
            break
        parts = _item(op, av)
        grown: set[_Prefix] = set()
        for text, ext in states:
            if not ext or len(text) >= K:
                grown.add((text, False))
                continue
            for part, part_ext in parts:
                joined = (text + part)[:K]
                grown.add((joined, part_ext and len(joined) < K))
        states = grown
    return list(states)


def prefixes(pattern: str, flags: int = re.IGNORECASE) -> set[str]:
    """Literal prefixes (at most ``K`` chars, lowercased) a pattern can start with.

    The empty string in the result means the pattern can start with anything.
    """
    parsed = _parser.parse(pattern, flags)
    return {text for text, _ in _sequence(parsed)}


@dataclass(frozen=True)
class Hit:
    """A match and the index of the alternative (in the order given) that made it."""

    alt: int
    match: re.Match[str]

    @property
    def start(self) -> int:
        return self.match.start()

    @property
    def end(self) -> int:
        return self.match.end()

    def span(self) -> tuple[int, int]:
        return self.match.span()


class Scan:
    """Candidate positions for every phrase set in an index, for one text."""

    __slots__ = ("candidates", "text")

    def __init__(self, text: str, candidates: dict[int, list[tuple[int, int]]]):
        self.text = text
        self.candidates = candidates


_START = re.compile(r"(?<![\w-])\S")
_WORDISH = re.compile(r"[\w-]")


class Phrases:
    """A named list of alternatives, matched as one leftmost-first alternation."""

    def __init__(self, index: Index, set_id: int, name: str, alternatives: Sequence[str]):
        self.index = index
        self.set_id = set_id
        self.name = name
        self.patterns = [re.compile(rf"(?:{a})(?!\w)", re.IGNORECASE) for a in alternatives]

    def __repr__(self) -> str:
        return f"Phrases({self.name!r}, {len(self.patterns)} alternatives)"

    def finditer(self, scan: Scan, start: int = 0, end: int | None = None) -> Iterator[Hit]:
        """Non-overlapping hits in order, like ``re.finditer`` on the alternation."""
        text = scan.text
        stop = len(text) if end is None else end
        after = start
        for pos, alt in scan.candidates.get(self.set_id, ()):
            if pos < after or pos >= stop:
                continue
            m = self.patterns[alt].match(text, pos, stop)
            if m is not None:
                yield Hit(alt, m)
                after = max(m.end(), pos + 1)

    def search(self, scan: Scan, start: int = 0, end: int | None = None) -> Hit | None:
        """The leftmost hit (first alternative wins at a position), or None."""
        return next(self.finditer(scan, start, end), None)


class Index:
    """Every phrase set the detectors use, so one scan per text serves them all."""

    def __init__(self) -> None:
        self._table: dict[str, list[tuple[int, int]]] = {}
        self._anywhere: list[tuple[int, int, re.Pattern[str]]] = []
        self._sets: list[Phrases] = []

    def phrases(self, name: str, alternatives: Sequence[str]) -> Phrases:
        """Register a phrase set; ``alternatives`` are regex fragments."""
        ps = Phrases(self, len(self._sets), name, alternatives)
        self._sets.append(ps)
        for alt, source in enumerate(alternatives):
            found = prefixes(source)
            if "" in found:
                self._anywhere.append((ps.set_id, alt, re.compile(source, re.IGNORECASE)))
                continue
            for p in found:
                self._table.setdefault(p, []).append((ps.set_id, alt))
        return ps

    def unanchored(self) -> list[str]:
        """Alternatives that can start with anything (each one costs a full search)."""
        return [f"{self._sets[s].name}[{a}]: {rx.pattern}" for s, a, rx in self._anywhere]

    def scan(self, text: str) -> Scan:
        """Find, for every phrase set, the positions where an alternative may match."""
        low = text.lower()
        if len(low) != len(text):  # a few characters lowercase to two; keep offsets aligned
            low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
        table = self._table
        found: dict[int, list[tuple[int, int]]] = {}
        for m in _START.finditer(low):
            p = m.start()
            for key in (low[p], low[p : p + 2], low[p : p + 3]):
                entries = table.get(key)
                if entries:
                    for set_id, alt in entries:
                        found.setdefault(set_id, []).append((p, alt))
        for set_id, alt, rx in self._anywhere:
            for m in rx.finditer(text):
                p = m.start()
                if p == 0 or not _WORDISH.match(text, p - 1):
                    found.setdefault(set_id, []).append((p, alt))
        for lst in found.values():
            lst.sort()
        return Scan(text, found)
