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
_compiler: Any = importlib.import_module("re._compiler")
_const: Any = importlib.import_module("re._constants")

#: Prefix length used as the lookup key.
K: Final = 5
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


def _item(op: Any, av: Any, k: int) -> list[_Prefix]:
    """What one parsed item can contribute to a prefix of at most ``k`` more characters."""
    if op is _const.LITERAL:
        return [(chr(av).lower(), True)]
    if op is _const.IN:
        chars = _class_chars(av)
        return [(c, True) for c in chars] if chars is not None else [("", False)]
    if op in (_const.AT, _const.ASSERT, _const.ASSERT_NOT):
        return [("", True)]  # zero width: skip over it (a superset is safe)
    if op is _const.SUBPATTERN:
        return _sequence(av[-1], k)
    if op is _const.BRANCH:
        out: list[_Prefix] = []
        for alternative in av[1]:
            out.extend(_sequence(alternative, k))
        return out
    if op in (_const.MAX_REPEAT, _const.MIN_REPEAT, _const.POSSESSIVE_REPEAT):
        lo, hi, sub = av
        once = _sequence(sub, k)
        out = [("", True)] if lo == 0 else []
        out.extend((text, ext and hi == 1 and lo <= 1) for text, ext in once)
        return out
    return [("", False)]  # ANY, CATEGORY, NOT_LITERAL, GROUPREF, ...


def _sequence(items: Any, k: int = K) -> list[_Prefix]:
    """Prefixes (at most ``k`` characters) a parsed sequence can produce."""
    states: set[_Prefix] = {("", True)}
    for op, av in items:
        open_lengths = [len(text) for text, ext in states if ext and len(text) < k]
        if not open_lengths:
            break
        parts = _item(op, av, k - min(open_lengths))
        grown: set[_Prefix] = set()
        for text, ext in states:
            if not ext or len(text) >= k:
                grown.add((text, False))
                continue
            for part, part_ext in parts:
                joined = (text + part)[:k]
                grown.add((joined, part_ext and len(joined) < k))
        states = grown
    return list(states)


def prefixes(pattern: str, flags: int = re.IGNORECASE) -> set[str]:
    """Literal prefixes (at most ``K`` chars, lowercased) a pattern can start with.

    The empty string in the result means the pattern can start with anything.
    """
    return _prefixes_of(_parser.parse(pattern, int(flags)))


def _prefixes_of(parsed: Any) -> set[str]:
    return {text for text, _ in _sequence(parsed)}


_FLAGS: Final = int(re.IGNORECASE)  # a plain int: enum flags make the compiler ~3x slower


def _compile(source: str) -> tuple[re.Pattern[str], set[str]]:
    """Compile one alternative (ending at a word edge) and read its prefixes: one parse."""
    parsed = _parser.parse(rf"(?:{source})(?!\w)", _FLAGS)
    found = _prefixes_of(parsed)
    compiled: re.Pattern[str] = _compiler.compile(parsed, _FLAGS)
    return compiled, found


@dataclass(frozen=True)
class Hit:
    """A match and the index of the alternative (in the order given) that made it.

    ``start()``, ``end()``, ``span()`` and ``group()`` behave as on ``re.Match``.
    """

    alt: int
    match: re.Match[str]

    def start(self) -> int:
        return self.match.start()

    def end(self) -> int:
        return self.match.end()

    def span(self) -> tuple[int, int]:
        return self.match.span()

    def group(self) -> str:
        return self.match.group()


class Scan:
    """Candidate positions for every phrase set in an index, for one text."""

    __slots__ = ("candidates", "text")

    def __init__(self, text: str, candidates: dict[int, list[tuple[int, int]]]):
        self.text = text
        self.candidates = candidates


_START = re.compile(r"(?<![\w-])\S")


class Phrases:
    """A named list of alternatives, matched as one leftmost-first alternation."""

    def __init__(self, set_id: int, name: str, alternatives: Sequence[str]):
        self.set_id = set_id
        self.name = name
        self.sources = list(alternatives)
        self.patterns: list[re.Pattern[str]] = []

    def __repr__(self) -> str:
        return f"Phrases({self.name!r}, {len(self.patterns)} alternatives)"

    def finditer(self, scan: Scan, start: int = 0, end: int | None = None) -> Iterator[Hit]:
        """Non-overlapping hits in order, like ``re.finditer`` on the alternation."""
        candidates = scan.candidates.get(self.set_id)
        if not candidates:
            return
        text = scan.text
        stop = len(text) if end is None else end
        patterns = self.patterns
        after = start
        for pos, alt in candidates:
            if pos < after:
                continue
            if pos >= stop:
                return
            m = patterns[alt].match(text, pos, stop)
            if m is not None:
                yield Hit(alt, m)
                after = m.end() if m.end() > pos else pos + 1

    def search(self, scan: Scan, start: int = 0, end: int | None = None) -> Hit | None:
        """The leftmost hit (first alternative wins at a position), or None."""
        candidates = scan.candidates.get(self.set_id)
        if not candidates:
            return None
        text = scan.text
        stop = len(text) if end is None else end
        patterns = self.patterns
        for pos, alt in candidates:
            if pos < start:
                continue
            if pos >= stop:
                return None
            m = patterns[alt].match(text, pos, stop)
            if m is not None:
                return Hit(alt, m)
        return None


class Index:
    """Every phrase set the detectors use, so one scan per text serves them all."""

    def __init__(self) -> None:
        self._table: dict[str, list[tuple[int, int]]] = {}
        self._lengths: dict[str, tuple[int, ...]] = {}  # first char -> key lengths in use
        self._anywhere: list[tuple[int, int]] = []
        self._sets: list[Phrases] = []

    def phrases(self, name: str, alternatives: Sequence[str]) -> Phrases:
        """Register a phrase set; ``alternatives`` are regex fragments."""
        ps = Phrases(len(self._sets), name, alternatives)
        self._sets.append(ps)
        for alt, source in enumerate(alternatives):
            compiled, found = _compile(source)
            ps.patterns.append(compiled)
            if "" in found:
                self._anywhere.append((ps.set_id, alt))
                continue
            for p in found:
                self._table.setdefault(p, []).append((ps.set_id, alt))
                have = self._lengths.get(p[0], ())
                if len(p) not in have:
                    self._lengths[p[0]] = tuple(sorted((*have, len(p))))
        return ps

    def unanchored(self) -> list[str]:
        """Alternatives that can start with anything (each one costs a full search)."""
        return [f"{self._sets[s].name}[{a}]: {self._sets[s].sources[a]}" for s, a in self._anywhere]

    def scan(self, text: str) -> Scan:
        """Find, for every phrase set, the positions where an alternative may match."""
        low = text.lower()
        if len(low) != len(text):  # a few characters lowercase to two; keep offsets aligned
            low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
        get = self._table.get
        lengths = self._lengths
        anywhere = self._anywhere
        found: dict[int, list[tuple[int, int]]] = {}
        for m in _START.finditer(low):
            p = m.start()
            for n in lengths.get(low[p], ()):
                entries = get(low[p : p + n])
                if entries is not None:
                    for s, a in entries:
                        lst = found.get(s)
                        if lst is None:
                            found[s] = [(p, a)]
                        else:
                            lst.append((p, a))
            for s, a in anywhere:  # no literal prefix: try them at every word start
                found.setdefault(s, []).append((p, a))
        for lst in found.values():
            if len(lst) > 1:
                lst.sort()  # leftmost position first, then the earlier alternative
        return Scan(text, found)
