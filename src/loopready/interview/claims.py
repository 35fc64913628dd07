"""Claims a candidate makes about themselves, and where two of them disagree.

A claim is a number with its subject ("a team of 8", "lifted retention 12%",
"$3M in new revenue", "five years at Spotify", "launched in 2023"), the named
project or company it is about when one is near, and the sentence it came from.
The hiring-committee debrief and the story bank use this one extractor.

Two claims contradict when they share a subject and a unit, are not about
different named projects, and their values differ by more than the tolerance
(wider when either is hedged with "about", "roughly", "~").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

# -- numbers ------------------------------------------------------------------------------

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "a dozen": 12, "dozen": 12, "a hundred": 100,
    "half a dozen": 6, "a couple of": 2, "a couple": 2,
}  # fmt: skip
_SCALE = {
    "k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9,
    "billion": 1e9,
}  # fmt: skip
_WORD_NUM = (
    r"(?:half a dozen|a couple(?: of)?|a dozen|a hundred|"
    r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|"
    r"five|six|seven|eight|nine))?|zero|one|two|three|four|five|six|seven|eight|nine|ten|"
    r"eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|dozen)"
)
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_APPROX = r"(?:about|around|roughly|approximately|nearly|almost|close to|over|more than|" \
          r"under|less than|some|~|±)"  # fmt: skip

NUMBER = re.compile(
    rf"(?P<approx>\b{_APPROX}\s+|~\s*)?"
    rf"(?P<cur>[$€£¥])?\s?(?P<num>{_DIGITS}|\b{_WORD_NUM}\b)"
    r"(?:\s?(?P<scale>k|m|mm|bn|b|thousand|million|billion)\b)?"
    r"(?:\s?(?P<pct>%|per\s?cent\b|percent\b|pp\b|percentage points?\b|points?\b))?",
    re.IGNORECASE,
)


def parse_number(text: str) -> float | None:
    """``"8"``, ``"eight"``, ``"1,200"``, ``"twenty-five"`` -> a float."""
    t = text.lower().strip()
    if re.fullmatch(_DIGITS, t):
        return float(t.replace(",", ""))
    if t in _UNITS:
        return float(_UNITS[t])
    parts = re.split(r"[- ]", t)
    if len(parts) == 2 and parts[0] in _UNITS and parts[1] in _UNITS:
        return float(_UNITS[parts[0]] + _UNITS[parts[1]])
    return None


# -- subjects -----------------------------------------------------------------------------

#: canonical subject -> words that name it
_SUBJECTS: dict[str, tuple[str, ...]] = {
    "team size": (
        "engineer", "engineers", "people", "person", "reports", "direct reports", "team",
        "teams", "headcount", "scientists", "data scientists", "researchers", "designers",
        "ics", "members", "folks", "developers", "squad", "pms", "product managers",
    ),
    "users": (
        "users", "players", "customers", "subscribers", "mau", "dau",
        "monthly active users", "daily active users", "accounts", "creators", "gamers",
    ),
    "revenue": (
        "revenue", "arr", "sales", "bookings", "gmv", "income", "incremental revenue",
        "new revenue", "annual revenue",
    ),
    "cost": ("cost", "costs", "spend", "savings", "saved", "budget", "compute cost"),
    "retention": ("retention", "churn"),
    "engagement": (
        "engagement", "session length", "time spent", "watch time", "playtime", "sessions",
    ),
    "conversion": ("conversion", "purchases", "purchase rate", "checkout", "sign-ups", "signups"),
    "click-through rate": ("ctr", "click-through", "click through", "clicks", "click-through rate"),
    "latency": ("latency", "response time", "load time"),
    "accuracy": ("accuracy", "precision", "recall", "error rate", "false positives", "f1"),
    "experience": ("years", "year"),
    "models": ("models", "model"),
    "markets": ("markets", "countries", "regions", "languages"),
    "products": ("products", "features", "launches", "ai products", "ai features"),
}  # fmt: skip
_SUBJECT_OF: dict[str, str] = {w: s for s, words in _SUBJECTS.items() for w in words}
_SUBJECT_WORDS = sorted(_SUBJECT_OF, key=len, reverse=True)
_SUBJECT_RE = re.compile(r"\b(" + "|".join(re.escape(w) for w in _SUBJECT_WORDS) + r")\b", re.I)

#: words between a number and its noun that do not change the subject
_FILLER = r"(?:[a-z-]+\s){0,3}?"

_YEAR = re.compile(r"\b(?:19[89]\d|20[0-4]\d)\b")
_EVENT_WORDS = re.compile(
    r"\b(launch(?:ed)?|shipped|ship|joined|started|founded|left|promoted|released|rolled out|"
    r"graduated)\b",
    re.I,
)
_ENTITY = re.compile(r"\b([A-Z][\w&+-]*(?:\s+(?:[A-Z][\w&+-]*|\d+))*)")
_COMMON_STARTS = {
    "we", "my", "our", "it", "that", "this", "over", "after", "before", "when", "then", "so",
    "at", "in", "on", "for", "with", "by", "from", "during", "retention", "revenue", "the",
    "a", "an", "i", "last", "next", "there", "here", "those", "these", "as", "since", "because",
    "team", "latency", "engagement", "conversion", "users", "players", "within", "about",
}  # fmt: skip
_STOP_ENTITIES = {
    "I", "We", "The", "A", "In", "At", "On", "My", "Our", "Q1", "Q2", "Q3", "Q4", "AI", "ML",
    "PM", "So", "And", "But", "Then", "That", "This", "It",
}  # fmt: skip


@dataclass(frozen=True)
class Claim:
    """One number the candidate stated, with what it is about."""

    subject: str
    value: float
    unit: str  # count, percent, money, years, year
    approx: bool
    quote: str
    source: str = ""
    entity: str | None = None
    span: tuple[int, int] = field(default=(0, 0), compare=False)

    def describe(self) -> str:
        value = f"{self.value:g}"
        if self.unit == "percent":
            value += "%"
        elif self.unit == "money":
            value = f"${self.value:,.0f}"
        return f"{self.subject}: {value}"


@dataclass(frozen=True)
class Inconsistency:
    """Two or more claims about one subject that cannot all be true."""

    subject: str
    claims: tuple[Claim, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "subject": self.subject,
            "claims": [
                {"round": c.source, "quote": c.quote, "value": c.value, "unit": c.unit}
                for c in self.claims
            ],
        }


_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'“(])|\n+")


def _sentences(text: str) -> Iterable[tuple[int, str]]:
    pos = 0
    for part in _SENTENCE.split(text):
        start = text.find(part, pos)
        pos = start + len(part)
        if part.strip():
            yield start, part.strip()


def _entity_in(sentence: str) -> str | None:
    """The first proper name in the sentence (a project, product or employer), if any."""
    first = True
    for match in _ENTITY.finditer(sentence):
        if first and match.start() == 0:
            # A capital at the start of a sentence is grammar, unless the word is a name
            # used again later ("Aurora launched in 2023"): keep it if not a common word.
            first = False
            words = match.group(1).split()
            if words[0] in _STOP_ENTITIES or words[0].lower() in _COMMON_STARTS:
                words = words[1:]
            name = " ".join(w for w in words if w not in _STOP_ENTITIES)
        else:
            name = " ".join(w for w in match.group(1).split() if w not in _STOP_ENTITIES)
        if name and not _YEAR.fullmatch(name.split()[0]):
            return name
    return None


def _subject_near(sentence: str, start: int, end: int) -> str | None:
    """The subject named right after the number, or right before it ("team of 8")."""
    after = sentence[end : end + 40]
    m = re.match(rf"\s*{_FILLER}({_SUBJECT_RE.pattern})", after, re.I)
    if m:
        return _SUBJECT_OF[m.group(1).lower()]
    before = sentence[max(0, start - 60) : start]
    m = re.search(
        rf"({_SUBJECT_RE.pattern})\s*(?:of|by|to|at|from|was|is|grew|rose|fell|of about|"
        rf"up|down|lift(?:ed)?|improved|increased|reduced|cut|dropped)?\s*"
        rf"(?:by|to|of)?\s*(?:about|around|roughly|nearly|~)?\s*$",
        before,
        re.I,
    )
    if m:
        return _SUBJECT_OF[m.group(1).lower()]
    m = None
    for m in _SUBJECT_RE.finditer(before):
        pass
    if m is not None and before[m.end() :].count(",") == 0 and len(before) - m.end() < 30:
        return _SUBJECT_OF[m.group(1).lower()]
    return None


def extract_claims(text: str, source: str = "") -> list[Claim]:
    """Every numeric claim in ``text`` with a recognisable subject."""
    claims: list[Claim] = []
    for offset, sentence in _sentences(text):
        entity = _entity_in(sentence)
        for m in NUMBER.finditer(sentence):
            raw = m.group("num")
            if _YEAR.fullmatch(raw) and not m.group("cur") and not m.group("pct"):
                if _EVENT_WORDS.search(sentence):
                    event = _EVENT_WORDS.search(sentence)
                    assert event is not None
                    verb = event.group(1).lower().rstrip("ed").rstrip("e") or "event"
                    claims.append(
                        Claim(
                            subject=f"{verb} year",
                            value=float(raw),
                            unit="year",
                            approx=False,
                            quote=sentence,
                            source=source,
                            entity=entity,
                            span=(offset + m.start(), offset + m.end()),
                        )
                    )
                continue
            value = parse_number(raw)
            if value is None:
                continue
            scale = (m.group("scale") or "").lower()
            value *= _SCALE.get(scale, 1.0)
            if m.group("pct"):
                unit = "percent"
            elif m.group("cur"):
                unit = "money"
            else:
                unit = "count"
            subject = _subject_near(sentence, m.start(), m.end())
            if subject is None:
                continue
            if unit == "count" and subject == "experience":
                unit = "years"
            if subject in {"revenue", "cost"} and unit == "count" and scale:
                unit = "money"
            if unit == "count" and subject in {
                "retention",
                "engagement",
                "conversion",
                "click-through rate",
                "accuracy",
                "latency",
            }:
                continue  # "2 weeks of retention": not a claim about the metric's value
            claims.append(
                Claim(
                    subject=subject,
                    value=value,
                    unit=unit,
                    approx=bool(m.group("approx")),
                    quote=sentence,
                    source=source,
                    entity=entity,
                    span=(offset + m.start(), offset + m.end()),
                )
            )
    return claims


def _agree(a: Claim, b: Claim) -> bool:
    if a.value == b.value:
        return True
    tolerance = 0.12 if (a.approx or b.approx) else 0.0
    if a.unit == "percent":
        # "12%" and "about 12.5 per cent" agree; absolute slack of half a point.
        return abs(a.value - b.value) <= max(0.5, tolerance * max(a.value, b.value))
    if a.unit == "year":
        return False
    return abs(a.value - b.value) <= tolerance * max(abs(a.value), abs(b.value))


def find_inconsistencies(claims: Sequence[Claim]) -> list[Inconsistency]:
    """Groups of claims from different sources that disagree on one subject."""
    groups: dict[tuple[str, str], list[Claim]] = {}
    for claim in claims:
        groups.setdefault((claim.subject, claim.unit), []).append(claim)
    found: list[Inconsistency] = []
    for (subject, _unit), items in groups.items():
        conflicting: list[Claim] = []
        for i, a in enumerate(items):
            for b in items[i + 1 :]:
                if a.source == b.source:
                    continue
                if a.entity and b.entity and a.entity.lower() != b.entity.lower():
                    continue  # about different projects or employers
                if not _agree(a, b):
                    for c in (a, b):
                        if c not in conflicting:
                            conflicting.append(c)
        if conflicting:
            found.append(Inconsistency(subject=subject, claims=tuple(conflicting)))
    return found
