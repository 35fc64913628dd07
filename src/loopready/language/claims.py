"""Claims a candidate makes about themselves, and where two of them disagree.

A claim is a number with its subject ("a team of 8", "lifted retention 12%",
"$3M in new revenue", "five years at Spotify", "launched in March 2022"), the
named project or employer it is about when one is named next to it, and the
sentence it came from. The hiring-committee debrief and the story bank use this
one extractor.

Only the candidate's own record counts. Sentences about plans and hypotheses
("I would target a 2% lift", "if refunds rise 1 point we stop") are skipped, as
are the starting point of a change ("from 3 engineers to 12") and, in
:func:`check_consistency`, facts about the company being interviewed for and
figures the case brief handed the candidate.

Two claims contradict when they come from different rounds, share a subject and
a unit, are both levels or both changes ("retention is 40%" does not contradict
"lifted retention 5%"), are not about different named projects, and their values
differ by more than the tolerance: exact for small counts, half a point for
percentages, 5% for large figures (people round them), 12% when hedged with
"about" or "roughly", one-sided for "over" and "under".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from loopready.language.numbers import COUNT_WORD, FIGURE, SCALES, parse_number
from loopready.language.sentences import sentence_spans

# -- numbers ------------------------------------------------------------------------------

_ABOUT = r"about|around|roughly|approximately|approx\.?|nearly|almost|close to|some|~"
_OVER = r"over|more than|at least|north of|upwards of"
_UNDER = r"under|less than|fewer than|at most|up to|below"

NUMBER = re.compile(
    rf"(?:\b(?P<approx>{_ABOUT})\s+|(?P<tilde>~)\s*|\b(?P<over>{_OVER})\s+|\b(?P<under>{_UNDER})\s+)?"
    rf"(?P<cur>[$€£¥])?\s?(?P<num>(?<![\w.,]){FIGURE}|\b{COUNT_WORD}\b)"
    r"(?:\s?(?P<scale>k|m|mm|bn|b|thousand|million|billion)\b)?"
    r"(?:\s?(?P<pct>%|per\s?cent\b|percent\b|pp\b|percentage points?\b|points?\b))?"
    r"(?:\s?(?P<dur>ms|milliseconds?|secs?|seconds?)\b)?"
    r"(?:\s(?P<curword>dollars|usd|euros|eur|pounds|gbp)\b)?",
    re.IGNORECASE,
)


# -- subjects -----------------------------------------------------------------------------

#: canonical subject -> words that name it. Roles are separate subjects: "a team of 10"
#: and "8 engineers" can both be true.
_SUBJECTS: dict[str, tuple[str, ...]] = {
    "team size": (
        "team", "teams", "people", "person", "reports", "direct reports", "headcount",
        "members", "folks", "squad", "ics", "staff", "team members",
    ),
    "engineers": ("engineers", "engineer", "developers", "devs", "ml engineers"),
    "data scientists": ("data scientists", "scientists", "researchers", "research scientists"),
    "designers": ("designers",),
    "product managers": ("pms", "product managers"),
    "users": (
        "users", "players", "customers", "subscribers", "mau", "dau", "monthly active users",
        "daily active users", "accounts", "creators", "gamers", "learners", "listeners",
        "viewers", "readers", "shoppers", "buyers", "sellers", "merchants", "advertisers",
        "installs", "downloads", "active users", "photographers",
    ),
    "revenue": (
        "revenue", "arr", "mrr", "sales", "bookings", "gmv", "income", "incremental revenue",
        "new revenue", "annual revenue",
    ),
    "cost": ("cost", "costs", "spend", "savings", "compute cost", "compute costs", "compute"),
    "retention": ("retention",),
    "churn": ("churn",),
    "engagement": (
        "engagement", "session length", "time spent", "watch time", "playtime", "play time",
        "sessions", "dwell time", "weekly sessions", "active sessions",
    ),
    "conversion": (
        "conversion", "purchases", "purchase rate", "checkout", "sign-ups", "signups",
        "conversions", "conversion rate",
    ),
    "click-through rate": ("ctr", "click-through", "click through", "clicks", "click-through rate"),
    "latency": ("latency", "response time", "load time", "p95", "p99"),
    "accuracy": ("accuracy", "precision", "recall", "error rate", "false positives", "f1"),
    "support tickets": ("tickets", "support tickets", "support contacts", "complaints"),
    "experience": ("years", "year"),
    "models": ("models",),
    "markets": ("markets", "countries", "regions", "languages"),
    "products": ("products", "features", "launches", "ai products", "ai features", "apps"),
}  # fmt: skip
_SUBJECT_OF: dict[str, str] = {w: s for s, words in _SUBJECTS.items() for w in words}
_SUBJECT_WORDS = sorted(_SUBJECT_OF, key=len, reverse=True)
_SUBJECT_ALT = "|".join(re.escape(w) for w in _SUBJECT_WORDS)
_SUBJECT_RE = re.compile(rf"\b({_SUBJECT_ALT})\b", re.I)

#: Subjects measured as rates: a bare count next to them ("30-day retention") is no claim.
_RATE_SUBJECTS = frozenset(
    {"retention", "churn", "engagement", "conversion", "click-through rate", "accuracy"}
)
#: Subjects that can be counted (a count, not a percentage, is their value).
_COUNT_SUBJECTS = frozenset(
    {"team size", "engineers", "data scientists", "designers", "product managers", "users",
     "markets", "products", "models", "support tickets"}
)  # fmt: skip

#: Words allowed between a number and its noun ("two AI products", "8 senior engineers").
_FILLER_WORD = (
    r"(?!(?:on|in|at|for|with|from|to|by|over|across|and|or|but|than|that|which|who|when|"
    r"while|after|before|during|per|of|the|a|an|it|we|i|our|my)\b)[a-z][a-z'-]*"
)
_CHANGE_NOUN = r"(?:lift|increase|gain|drop|reduction|improvement|boost|uplift|jump|rise|" \
               r"growth|decrease|cut|decline|fall)"  # fmt: skip
_AFTER = re.compile(
    r"\+?\s*-?(?:person|strong|member|people)?\s*"  # "10+ years": the plus is an "over"
    r"(?P<change>" + _CHANGE_NOUN + r"s?\s+(?:in|of|to)\s+)?"
    r"(?P<of>(?:in|of)\s+)?"
    rf"(?:{_FILLER_WORD}\s+){{0,3}}?"
    rf"(?P<subject>{_SUBJECT_ALT})\b",
    re.I,
)
_BEFORE = re.compile(
    rf"\b(?P<subject>{_SUBJECT_ALT})(?:\s+(?:of|at|was|were|is|went|got|hit|reached|grew|"
    r"rose|fell|went up|went down|up|down|lift(?:ed)?|improved|increased|reduced|cut|"
    r"dropped|moved|moved up|climbed|jumped|doubled|sank|declined))?"
    r"(?:\s+(?:up|down|by|to|of|at|from))?\s*"
    rf"(?:(?:{_ABOUT}|{_OVER}|{_UNDER})\s*)?[$€£¥]?\s*$",
    re.I,
)
_CHANGE_BEFORE = re.compile(
    r"\b(?:lift(?:ed|s|ing)?|up|rose|rise|raised|raising|increas\w*|improv\w*|grew|grow\w*|"
    r"gain\w*|boost\w*|cut|cutting|reduc\w*|drop\w*|fell|down|decreas\w*|moved|jump\w*|"
    r"doubled|halved|climbed|declin\w*|by)\b[^,;.]{0,25}$",
    re.I,
)
_CHANGE_AFTER = re.compile(
    rf"^\s*(?:{_CHANGE_NOUN}s?|more|fewer|higher|lower|better|worse|increase|up|down)\b",
    re.I,
)
_LEVEL_BEFORE = re.compile(r"\b(?:to|at|of|was|were|is|reached|hit|had|have)\s*$", re.I)
_BASELINE_BEFORE = re.compile(
    r"\b(?:from|started with|starting with|starting from|began with|inherited)\s*"
    rf"(?:(?:{_ABOUT})\s+)?[$€£¥]?$",
    re.I,
)
_BASELINE_AFTER = re.compile(r"^[^.;]{0,60}?\b(?:to|grew|up to|into)\b", re.I)

#: Plans, targets and conditionals: what the candidate would do, not what they did.
_HYPOTHETICAL = re.compile(
    r"\b(?:would|will|could|should|might|if|unless|target(?:s|ing|ed)?|aim(?:s|ing)?|"
    r"expect(?:s|ing|ed)?|hypothes\w*|assum\w*|plan(?:s|ning)? to|going to|let's|let us|"
    r"propos\w*|suppose|imagine|want to|need to|must|"
    r"i'd|we'd|i'll|we'll|you'd|you'll)\b",
    re.I,
)

#: "years" is career experience only next to words like these.
_EXPERIENCE_AFTER = re.compile(
    r"^\s*(?:of\s+(?:\w+\s+)?experience|in\s|as\s|at\s|with\s|working|leading|running|"
    r"building|managing|shipping|of\s+(?:product|pm|building|leading|running|work))",
    re.I,
)
_EXPERIENCE_BEFORE = re.compile(
    r"\b(?:i have|i've|i had|i'd had|spent|my|our|for)\s+(?:(?:"
    + _ABOUT
    + r"|"
    + _OVER
    + r")\s+)?$",
    re.I,
)

_YEAR = re.compile(r"\b(?:19[89]\d|20[0-4]\d)\b")
_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12, "jan": 1,
    "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH_BEFORE = re.compile(
    r"\b(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?,?\s+(?:of\s+)?$"
    r"|\b[qQ](?P<quarter>[1-4])\s+$|\b(?P<half>early|mid|late|end of)\s+$",
    re.I,
)
_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
#: event verbs -> the canonical event a year is attached to
_EVENTS: dict[str, str] = {
    "launch": "launch", "launched": "launch", "launching": "launch", "shipped": "launch",
    "ship": "launch", "released": "launch", "release": "launch", "rolled out": "launch",
    "went live": "launch", "go live": "launch", "went out": "launch", "was live": "launch",
    "is live": "launch", "live since": "launch",
    "joined": "start", "started": "start", "start": "start", "hired": "start",
    "left": "leave", "leaving": "leave", "quit": "leave",
    "promoted": "promotion", "promotion": "promotion",
    "founded": "founding", "co-founded": "founding", "cofounded": "founding",
    "graduated": "graduation",
}  # fmt: skip
_EVENT_RE = re.compile(
    r"\b(" + "|".join(re.escape(w) for w in sorted(_EVENTS, key=len, reverse=True)) + r")\b",
    re.I,
)

_ENTITY = re.compile(r"\b([A-Z][\w&+'-]*(?:\s+(?:[A-Z][\w&+'-]*|\d+))*)")
_COMMON_STARTS = {
    "we", "my", "our", "it", "that", "this", "over", "after", "before", "when", "then", "so",
    "at", "in", "on", "for", "with", "by", "from", "during", "retention", "revenue", "the",
    "a", "an", "i", "last", "next", "there", "here", "those", "these", "as", "since",
    "because", "team", "latency", "engagement", "conversion", "users", "players", "within",
    "about", "later", "today", "now", "currently", "most", "recently", "once", "while",
    "across", "leading", "running", "moving", "working", "eight", "ten", "one", "two",
    "three", "four", "five", "six", "seven", "nine", "until", "what", "which", "who",
    "all", "both", "each", "every", "right", "yes", "no", "well", "also", "and", "but",
    "honestly", "frankly", "first", "second", "finally", "overall", "still", "even",
    "later,", "smart", "churn", "accuracy", "cost", "sessions", "if", "let", "let's",
}  # fmt: skip
_STOP_ENTITIES = {
    "I", "I'm", "I've", "I'd", "I'll", "We", "The", "A", "In", "At", "On", "My", "Our", "Q1",
    "Q2", "Q3", "Q4", "AI", "ML", "PM", "PMs", "So", "And", "But", "Then", "That", "This",
    "It", "VP", "CEO", "CTO", "CPO", "ARR", "MRR", "GMV", "MAU", "DAU", "CTR", "NPS", "KPI",
    "KPIs", "OKR", "OKRs", "A/B", "ML-based", "AI-powered", "LLM", "LLMs", "API", "APIs",
    "UX", "UI", "iOS", "Android", "GDPR", "ARPU", "P99", "P95", "SQL", "MVP", "B2B", "B2C",
}  # fmt: skip
_CALENDAR = set(_MONTHS) | {
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
}
#: Between a number and the name it belongs to: "years at", "engineers on", "users of".
_RIGHT_AFTER = re.compile(
    r"^\s*(?:[a-z][a-z-]*\s+){0,2}?(?:at|on|with|for|in|of)\s+(?:the\s+)?$", re.I
)


@dataclass(frozen=True)
class Claim:
    """One number the candidate stated, with what it is about."""

    subject: str
    value: float
    unit: str  # count, percent, money, years, year, ms
    approx: bool
    quote: str
    source: str = ""
    entity: str | None = None
    span: tuple[int, int] = field(default=(0, 0), compare=False)
    #: "about", "over", "under" or "" (exact).
    bound: str = ""
    #: A change ("lifted retention 12%") rather than a level ("retention is 40%").
    change: bool = False
    #: For dates: the months the claim allows, (3, 3) for "March", (7, 9) for "Q3".
    months: tuple[int, int] | None = None
    #: Said in points ("4 points of retention", "2pp"), not as a percentage: shown so.
    points: bool = field(default=False, compare=False)

    def describe(self) -> str:
        """``"team size (Beacon): 8"``."""
        where = f" ({self.entity})" if self.entity else ""
        return f"{self.subject}{where}: {self.value_text()}"

    def value_text(self) -> str:
        """The value as said: ``"12%"``, ``"$3,000,000"``, ``"120 ms"``, ``"7 years"``."""
        value = f"{self.value:,.0f}" if abs(self.value) >= 10_000 else f"{self.value:g}"
        if self.unit == "percent" and self.points:
            value += " point" if self.value == 1 else " points"
        elif self.unit == "percent":
            value += "%"
        elif self.unit == "money":
            value = f"${self.value:,.0f}"
        elif self.unit == "ms":
            value += " ms"
        elif self.unit == "years":
            value += " years"
        elif self.unit == "year" and self.months and self.months != (1, 12):
            first, last = self.months
            if first == last:
                value = f"{_MONTH_NAMES[first - 1]} {self.value:g}"
            elif last - first == 2 and first % 3 == 1:
                value = f"Q{(first + 2) // 3} {self.value:g}"
            else:
                value = f"{_MONTH_NAMES[first - 1]}-{_MONTH_NAMES[last - 1]} {self.value:g}"
        return value

    def to_dict(self) -> dict[str, object]:
        return {
            "round": self.source,
            "quote": self.quote,
            "subject": self.subject,
            "value": self.value,
            "unit": self.unit,
            "entity": self.entity,
            "bound": self.bound or None,
            "change": self.change,
        }


@dataclass(frozen=True)
class Inconsistency:
    """Two or more claims about one subject that cannot all be true."""

    subject: str
    claims: tuple[Claim, ...]

    @property
    def entity(self) -> str | None:
        named = {c.entity for c in self.claims if c.entity}
        return next(iter(named)) if len(named) == 1 else None

    def describe(self) -> str:
        rounds = "; ".join(f"{c.source}: {c.describe()}" for c in self.claims)
        return f"{self.subject}: {rounds}"

    def to_dict(self) -> dict[str, object]:
        return {
            "subject": self.subject,
            "entity": self.entity,
            "claims": [
                {"round": c.source, "quote": c.quote, "value": c.value, "unit": c.unit}
                for c in self.claims
            ],
        }


def _sentences(text: str) -> Iterable[tuple[int, str]]:
    """Each sentence of ``text`` with its offset: a line break always ends one (a story's
    fields and an answer's lines are separate statements)."""
    return ((span.start, span.text) for span in sentence_spans(text, line_breaks=True))


def _entities(sentence: str) -> list[tuple[int, int, str]]:
    """Proper names in the sentence (projects, products, employers) with their spans."""
    found: list[tuple[int, int, str]] = []
    for match in _ENTITY.finditer(sentence):
        words = match.group(1).split()
        start = match.start()
        # A capital at the start of a sentence is grammar, unless the word is a name.
        while words and (
            words[0] in _STOP_ENTITIES
            or (
                (start == 0 or sentence[:start].strip() == "")
                and words[0].lower().strip(",") in _COMMON_STARTS
            )
        ):
            start = sentence.find(words[0], start) + len(words[0])
            words = words[1:]
        kept = [
            w
            for w in words
            if w not in _STOP_ENTITIES and w.lower() not in _CALENDAR and not _YEAR.fullmatch(w)
        ]
        while kept and kept[-1].isdigit():
            kept.pop()
        if not kept:
            continue
        name = " ".join(kept).strip(",'")
        if name.endswith("'s"):
            name = name[:-2]
        pos = sentence.find(kept[0], start)
        found.append((pos, pos + len(name), name))
    return found


def named_entities(text: str, *, sentence_starts: bool = True) -> list[str]:
    """The proper names in ``text`` (projects, products, employers), in order, once each.

    Without ``sentence_starts``, names that open a sentence are left out: a capital
    there may be grammar ("Drift matters"), not a name.
    """
    names: dict[str, str] = {}
    for _offset, sentence in _sentences(text):
        for a, _b, name in _entities(sentence):
            if not sentence_starts and not sentence[:a].strip(" \"'“(*-•"):
                continue
            names.setdefault(name.lower(), name)
    return list(names.values())


def _entity_for(
    entities: list[tuple[int, int, str]], sentence: str, start: int, end: int
) -> str | None:
    """The named project the number is about: the nearest name before it in the sentence,
    else one right after it ("4 years at Spotify")."""
    for a, _b, name in entities:
        # "two years at Booking", "a team of 8 on Aurora": the name right after wins.
        if a >= end and _RIGHT_AFTER.match(sentence[end:a]):
            return name
    before = [e for e in entities if e[1] <= start]
    if before:
        return before[-1][2]
    for a, _b, name in entities:
        if a >= end and a - end <= 25:
            return name
    return None


def _subject(sentence: str, start: int, end: int, unit: str) -> tuple[str | None, bool]:
    """The subject of the number at ``sentence[start:end]``, and whether the match says
    it is a change ("a 12% lift in retention")."""
    after = _AFTER.match(sentence, end)
    before = _BEFORE.search(sentence[max(0, start - 60) : start])
    candidates: list[tuple[str | None, bool]] = []
    if after:
        share = after.group("of") and not after.group("change") and unit == "percent"
        if not share:
            candidates.append(
                (_SUBJECT_OF[after.group("subject").lower()], bool(after.group("change")))
            )
    if before:
        named = _SUBJECT_OF[before.group("subject").lower()]
        # "a team of 9 engineers and designers" is a team size
        first = unit == "percent" or (named == "team size" and unit == "count")
        candidates.insert(0 if first else len(candidates), (named, False))
    return candidates[0] if candidates else (None, False)


def _is_change(sentence: str, start: int, end: int) -> bool:
    return bool(
        _CHANGE_BEFORE.search(sentence[max(0, start - 40) : start])
        and not _LEVEL_BEFORE.search(sentence[max(0, start - 12) : start])
    ) or bool(_CHANGE_AFTER.match(sentence[end : end + 25]))


def _is_baseline(sentence: str, start: int, end: int) -> bool:
    return bool(_BASELINE_BEFORE.search(sentence[max(0, start - 30) : start])) and bool(
        _BASELINE_AFTER.match(sentence[end:])
    )


def _year_claim(
    sentence: str, m: re.Match[str], offset: int, source: str, entity: str | None
) -> Claim | None:
    """A year attached to an event verb ("launched in 2021", "promoted in March 2019")."""
    start, end = m.start("num"), m.end("num")
    events = [(e.start(), e.group(1).lower()) for e in _EVENT_RE.finditer(sentence)]
    # The event in the year's own clause ("I joined in 2017, and by 2019 it was live"),
    # else the nearest before it, else one right after it ("in 2021 we launched").
    breaks = [0] + [b.end() for b in _CLAUSE_BREAK.finditer(sentence)] + [len(sentence) + 1]
    lo = max(b for b in breaks if b <= start)
    hi = min(b for b in breaks if b > start)
    own = [e for e in events if lo <= e[0] < hi]
    before = [e for e in events if e[0] < start]
    after = [e for e in events if e[0] > end]
    own_before = [e for e in own if e[0] < start]
    if own_before:
        word = own_before[-1][1]
    elif own:
        word = own[0][1]
    elif before:
        word = before[-1][1]
    elif after and after[0][0] - end < 40:
        word = after[0][1]
    else:
        return None
    months = (1, 12)
    month_match = _MONTH_BEFORE.search(sentence[max(0, start - 16) : start])
    if month_match:
        if month_match.group("month"):
            month = _MONTHS[month_match.group("month").lower()]
            months = (month, month)
        elif month_match.group("quarter"):
            q = int(month_match.group("quarter"))
            months = (3 * q - 2, 3 * q)
        else:
            half = month_match.group("half").lower()
            months = {"early": (1, 6), "mid": (4, 9)}.get(half, (7, 12))
    return Claim(
        subject=f"{_EVENTS[word]} year",
        value=float(m.group("num")),
        unit="year",
        approx=False,
        quote=sentence,
        source=source,
        entity=entity,
        span=(offset + start, offset + end),
        months=months,
    )


_CLAUSE_BREAK = re.compile(r"[,;:]\s+|\s+(?:and|but|while|so)\s+|\s+[-–—]\s+")


def is_hypothetical(sentence: str) -> bool:
    """Whether a sentence is about a plan, target or condition rather than a fact."""
    return bool(_HYPOTHETICAL.search(sentence.replace("’", "'")))


def _plan_at(sentence: str, start: int, end: int) -> bool:
    """Whether the number at ``start:end`` is part of a plan: a plan word before it in the
    sentence, or anywhere in its own clause ("I have 3 PMs, and I would miss them" is a
    fact; "if refunds rise 1 point, we stop" is not)."""
    text = sentence.replace("’", "'")
    if _HYPOTHETICAL.search(text[:start]):
        return True
    rest = text[end:]
    cut = _CLAUSE_BREAK.search(rest)
    return bool(_HYPOTHETICAL.search(rest[: cut.start()] if cut else rest))


def extract_claims(text: str, source: str = "", *, include_plans: bool = False) -> list[Claim]:
    """Every numeric claim in ``text`` with a recognisable subject.

    Sentences about plans and conditions are skipped unless ``include_plans``.
    """
    claims: list[Claim] = []
    for offset, sentence in _sentences(text):
        entities = _entities(sentence)
        for m in NUMBER.finditer(sentence):
            if not include_plans and _plan_at(sentence, m.start(), m.end()):
                continue
            claim = _claim(sentence, m, offset, source, entities)
            if claim is not None:
                claims.append(claim)
    return claims


def _claim(
    sentence: str,
    m: re.Match[str],
    offset: int,
    source: str,
    entities: list[tuple[int, int, str]],
) -> Claim | None:
    raw = m.group("num")
    start = m.start("cur") if m.group("cur") else m.start("num")
    end = m.end()
    entity = _entity_for(entities, sentence, start, end)
    if _YEAR.fullmatch(raw) and not m.group("cur") and not m.group("pct"):
        return _year_claim(sentence, m, offset, source, entity)
    value = parse_number(raw)
    if value is None:
        return None
    scale = (m.group("scale") or "").lower()
    value *= SCALES.get(scale, 1.0)
    if m.group("pct"):
        unit = "percent"
    elif m.group("cur") or m.group("curword"):
        unit = "money"
    elif m.group("dur"):
        unit = "ms"
        if m.group("dur").lower().startswith("s"):
            value *= 1000
    else:
        unit = "count"
    subject, change_noun = _subject(sentence, start, end, unit)
    if subject is None:
        return None
    if subject == "experience":
        if unit != "count":
            return None
        after = re.sub(r"^\s*-?years?\b", "", sentence[end:])
        if not (
            _EXPERIENCE_AFTER.match(after)
            or _EXPERIENCE_BEFORE.search(sentence[max(0, start - 30) : start])
        ):
            return None  # "over two years", "two years after I joined": not a career claim
        unit = "years"
    elif subject in {"revenue", "cost"}:
        if unit == "count" and scale:
            unit = "money"
        elif unit == "count":
            return None
    elif subject == "latency":
        if unit not in {"ms", "percent"}:
            return None
    elif unit == "count" and subject in _RATE_SUBJECTS:
        return None  # "30-day retention", "2 weeks of retention": not the metric's value
    elif unit == "percent" and subject in _COUNT_SUBJECTS - {"users", "support tickets"}:
        return None  # "20% of the team"
    elif unit == "ms":
        return None
    if _is_baseline(sentence, start, end):
        return None
    approx, over, under = m.group("approx") or m.group("tilde"), m.group("over"), m.group("under")
    bound = "about" if approx else "over" if over else "under" if under else ""
    if subject == "experience" and not bound and re.search(r"\+", sentence[end : end + 1]):
        bound = "over"
    return Claim(
        subject=subject,
        value=value,
        unit=unit,
        approx=bool(bound),
        quote=sentence,
        source=source,
        entity=entity,
        span=(offset + start, offset + end),
        bound=bound,
        change=change_noun or _is_change(sentence, start, end),
        points=unit == "percent" and _in_points(m.group("pct") or ""),
    )


def _in_points(unit: str) -> bool:
    """ "points", "pp", "percentage points": a difference of percentages, not a percentage."""
    unit = unit.lower()
    return unit == "pp" or "point" in unit


# -- comparing ------------------------------------------------------------------------------


def _within(value: float, reference: float, bound: str, tolerance: float) -> bool:
    """Whether ``value`` is compatible with a claim of ``bound`` ``reference``."""
    if bound == "over":
        return reference * (1 - tolerance) <= value <= reference * 1.6 + tolerance
    if bound == "under":
        return reference * 0.6 - tolerance <= value <= reference * (1 + tolerance) + tolerance
    return abs(value - reference) <= tolerance * max(abs(value), abs(reference))


def agree(a: Claim, b: Claim) -> bool:
    """Whether two claims about the same subject can both be true."""
    if a.unit == "year":
        if a.value != b.value:
            return False
        ma, mb = a.months or (1, 12), b.months or (1, 12)
        return ma[0] <= mb[1] and mb[0] <= ma[1]
    if a.value == b.value:
        return True
    if a.unit == "percent":
        # "12%" and "about 12.4 per cent" agree: half a point of slack, more when hedged.
        slack = 0.5
        if a.bound or b.bound:
            slack = max(slack, 0.12 * max(a.value, b.value))
        if a.bound in {"over", "under"} and not b.bound:
            return _within(b.value, a.value, a.bound, 0.02) or abs(a.value - b.value) <= slack
        if b.bound in {"over", "under"} and not a.bound:
            return _within(a.value, b.value, b.bound, 0.02) or abs(a.value - b.value) <= slack
        return abs(a.value - b.value) <= slack
    big = max(abs(a.value), abs(b.value)) >= 1000
    tolerance = 0.05 if big else 0.0
    if a.bound == "about" or b.bound == "about":
        tolerance = max(tolerance, 0.12)
    for x, y in ((a, b), (b, a)):
        if x.bound in {"over", "under"}:
            return _within(y.value, x.value, x.bound, max(tolerance, 0.02))
    return _within(a.value, b.value, "", tolerance)


def _same_thing(a: Claim, b: Claim, named: Mapping[tuple[str, str], set[str]]) -> bool:
    """Whether two claims are about the same team, product or metric."""
    if a.change != b.change:
        return False
    ea, eb = (a.entity or "").lower(), (b.entity or "").lower()
    if ea and eb:
        return ea == eb
    if ea == eb:
        return True
    if a.subject == "experience":
        return False  # career years against years at one employer
    # One names the project and the other does not: the same only if no other project
    # was ever named for this subject.
    return len(named.get((a.subject, a.unit), set())) <= 1


def find_inconsistencies(claims: Sequence[Claim]) -> list[Inconsistency]:
    """Groups of claims from different sources that disagree on one subject."""
    groups: dict[tuple[str, str], list[Claim]] = {}
    named: dict[tuple[str, str], set[str]] = {}
    for claim in claims:
        key = (claim.subject, claim.unit)
        groups.setdefault(key, []).append(claim)
        if claim.entity:
            named.setdefault(key, set()).add(claim.entity.lower())
    found: list[Inconsistency] = []
    for (subject, _unit), items in groups.items():
        conflicting: list[Claim] = []
        for i, a in enumerate(items):
            for b in items[i + 1 :]:
                if a.source == b.source or not _same_thing(a, b, named):
                    continue
                if not agree(a, b):
                    for c in (a, b):
                        if c not in conflicting:
                            conflicting.append(c)
        if conflicting:
            found.append(Inconsistency(subject=subject, claims=tuple(conflicting)))
    return found


def _given_figures(text: str) -> set[tuple[float, str]]:
    """(value, unit) of every figure in a case brief or question."""
    figures: set[tuple[float, str]] = set()
    for m in NUMBER.finditer(text):
        value = parse_number(m.group("num"))
        if value is None:
            continue
        value *= SCALES.get((m.group("scale") or "").lower(), 1.0)
        if m.group("pct"):
            figures.add((value, "percent"))
        elif m.group("cur") or m.group("curword"):
            figures.add((value, "money"))
        elif m.group("dur"):
            scale = 1000.0 if m.group("dur").lower().startswith("s") else 1.0
            figures.add((value * scale, "ms"))
        else:
            figures.add((value, "count"))
    return figures


def check_consistency(
    answers: Iterable[tuple[str, str]],
    *,
    ignore_entities: Iterable[str] = (),
    given: Mapping[str, str] | None = None,
) -> tuple[list[Claim], list[Inconsistency]]:
    """Claims from ``(source, text)`` answers and the contradictions between sources.

    ``ignore_entities`` are names whose figures are not the candidate's (the company
    interviewed for and its products); ``given`` maps a source to the text it was
    handed (question and case brief), whose figures are not the candidate's either.
    """
    ignored = {e.lower() for e in ignore_entities}
    claims: list[Claim] = []
    for source, text in answers:
        figures = _given_figures((given or {}).get(source, ""))
        for claim in extract_claims(text, source):
            if claim.entity and any(
                claim.entity.lower() == e or claim.entity.lower().startswith(e + " ")
                for e in ignored
            ):
                continue
            if (claim.value, claim.unit) in figures:
                continue
            claims.append(claim)
    return claims, find_inconsistencies(claims)
