"""Linguistic signals in an answer: the quotable evidence behind a local grade.

Every detector reads pre-split sentences (``list[str]``) and reports hits that quote the
sentence they came from, so a score can always point at the words that earned it. The
detectors combine the vocabulary in :mod:`loopready.grading.lexicon` with the cue phrases
in :mod:`loopready.grading.cues`; all of them are compiled once at import into one
:class:`~loopready.grading.matcher.Index`, so each sentence is scanned once and a
450-word answer is analysed in a few milliseconds.

Public API::

    analyse(sentences) -> Analysis          # everything at once (hits, metrics, jargon)
    detect(sentences) -> dict[str, list[SignalHit]]   # every signal name -> its hits
    metrics_named(sentences) -> list[MetricMention]
    jargon_terms(sentences) -> list[JargonMention]

A signal fires at most once per sentence; ``SignalHit.start``/``end`` locate the
triggering words inside ``sentences[sentence_index]`` for highlighting.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Final, cast, get_args

from loopready.grading import cues
from loopready.grading import lexicon as lx
from loopready.grading.lexicon import MetricKind
from loopready.grading.matcher import Hit, Index, Phrases, Scan
from loopready.language.pay import states_current_pay
from loopready.packs.schema import Signal

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

#: Every detector name, in the schema's order.
SIGNALS: Final[tuple[str, ...]] = tuple(get_args(Signal))

#: Longest quote a hit carries; longer sentences are cut to a window around the evidence.
MAX_QUOTE: Final = 280

# -- results ----------------------------------------------------------------------------


class _Record:
    """A result dataclass that serialises itself: ``to_dict`` is its fields as a dict."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(cast("DataclassInstance", self))


@dataclass(frozen=True)
class SignalHit(_Record):
    """One piece of evidence: which signal, in which sentence, and the words that show it.

    ``quote`` is an exact substring of the input sentence (the whole sentence, trimmed,
    unless it is longer than :data:`MAX_QUOTE`). ``start``/``end`` are offsets of the
    triggering words in the original sentence, so ``sentence[start:end]`` is the evidence.
    """

    signal: str
    sentence_index: int
    quote: str
    detail: str
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class MetricMention(_Record):
    """A metric the answer names, with its kind after reading the context.

    ``kind`` is the lexicon's kind unless the sentence frames the metric as something to
    protect ("without hurting retention", "latency must not rise"): then ``guardrail``.
    """

    name: str
    kind: MetricKind
    sentence_index: int
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class JargonMention(_Record):
    """An ML term, and whether the answer ties it to what the user or business gets."""

    term: str
    sentence_index: int
    tied_to_outcome: bool
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Analysis:
    """Everything :func:`analyse` found in one pass."""

    hits: dict[str, list[SignalHit]]
    metrics: list[MetricMention]
    jargon: list[JargonMention]

    def count(self, signal: str) -> int:
        """How many sentences show ``signal``."""
        return len(self.hits[signal])

    def to_dict(self) -> dict[str, Any]:
        return {
            "hits": {k: [h.to_dict() for h in v] for k, v in self.hits.items()},
            "metrics": [m.to_dict() for m in self.metrics],
            "jargon": [j.to_dict() for j in self.jargon],
        }


# -- compiling --------------------------------------------------------------------------

# One character in, one character out, so offsets in the normalised text are offsets in
# the original: curly quotes, odd hyphens and non-breaking spaces become ASCII.
_NORMALISE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201b": "'",
        "\u02bc": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u00d7": "x",
    }
)


#: Every phrase set below, so one scan of a sentence serves all the detectors.
INDEX: Final = Index()


def _rx(*alternatives: str, name: str = "evidence") -> Phrases:
    """Alternatives matched case-insensitively, each starting and ending at a word edge."""
    return INDEX.phrases(name, alternatives)


def _named(entries: Sequence[tuple[str, str]], name: str) -> tuple[Phrases, list[str]]:
    """A phrase set whose hits name their entry: ``names[hit.alt]``."""
    return _rx(*(pattern for _, pattern in entries), name=name), [n for n, _ in entries]


_METRIC_RX, _METRIC_NAMES = _named([(name, pat) for name, _, pat in lx.METRICS], "metric")
_METRIC_KIND: Final = {name: kind for name, kind, _ in lx.METRICS}
_FALSE_FRIENDS = _rx(*lx.METRIC_FALSE_FRIENDS)
_GUARD_BEFORE = _rx(*lx.GUARDRAIL_CUES_BEFORE)
_GUARD_AFTER = _rx(*lx.GUARDRAIL_CUES_AFTER)
_GUARD_SCOPE_END = re.compile(lx.GUARDRAIL_SCOPE_END, re.IGNORECASE)
_CLAUSE_START = re.compile(r"[,;:.]|\b(?:but|while|whereas|so)\b", re.IGNORECASE)
_JARGON_RX, _JARGON_NAMES = _named(lx.JARGON, "jargon")

# -- per-sentence context ---------------------------------------------------------------

Span = tuple[int, int]


@dataclass
class _Sentence:
    index: int
    raw: str
    text: str
    scan: Scan
    metrics: list[MetricMention] = field(default_factory=list)
    jargon: list[tuple[str, int, int]] = field(default_factory=list)
    tech: list[tuple[Span, str]] = field(default_factory=list)
    levels: list[tuple[Span, str, int]] = field(default_factory=list)
    causal: list[Span] = field(default_factory=list)
    numbers: list[Hit] = field(default_factory=list)
    past: bool = False


def _overlaps(a: Span, spans: Sequence[Span]) -> bool:
    return any(a[0] < e and s < a[1] for s, e in spans)


def _find_metrics(index: int, raw: str, scan: Scan) -> list[MetricMention]:
    text = scan.text
    bad = [m.span() for m in _FALSE_FRIENDS.finditer(scan)]
    found: list[MetricMention] = []
    for m in _METRIC_RX.finditer(scan):
        if bad and _overlaps(m.span(), bad):
            continue
        name = _METRIC_NAMES[m.alt]
        found.append(
            MetricMention(name, _METRIC_KIND[name], index, raw[m.start() : m.end()], *m.span())
        )
    if not found:
        return found
    guarded: list[Span] = []
    for cue in _GUARD_BEFORE.finditer(scan):
        end_m = _GUARD_SCOPE_END.search(text, cue.end())
        guarded.append((cue.start(), end_m.start() if end_m else len(text)))
    for cue in _GUARD_AFTER.finditer(scan):
        starts = [c.end() for c in _CLAUSE_START.finditer(text, 0, cue.start())]
        guarded.append((max([0, cue.start() - 90, *starts]), cue.end()))
    if not guarded:
        return found
    return [
        MetricMention(f.name, "guardrail", f.sentence_index, f.text, f.start, f.end)
        if _overlaps((f.start, f.end), guarded)
        else f
        for f in found
    ]


def _find_jargon(scan: Scan) -> list[tuple[str, int, int]]:
    bad = [m.span() for m in _FALSE_FRIENDS.finditer(scan)]
    out: list[tuple[str, int, int]] = []
    for m in _JARGON_RX.finditer(scan):
        if bad and _overlaps(m.span(), bad):
            continue
        out.append((_JARGON_NAMES[m.alt], m.start(), m.end()))
    return out


_TECH_WORDS = _rx(*cues.TECH_WORDS)
_OUTCOME_RX = _rx(*cues.OUTCOME)
_CAUSAL_RX = _rx(lx.CAUSAL)
_PAST_RX = _rx(*cues.PAST)
_FUTURE_RX = _rx(*cues.FUTURE)
#: Guardrail metrics that are technical signals in their own right ("latency means...").
_TECH_METRICS: Final = frozenset({"latency", "battery", "crash rate"})


def _prepare(sentences: Sequence[str]) -> list[_Sentence]:
    out: list[_Sentence] = []
    for i, raw in enumerate(sentences):
        text = raw if raw.isascii() else raw.translate(_NORMALISE)
        scan = INDEX.scan(text)
        s = _Sentence(i, raw, text, scan)
        s.metrics = _find_metrics(i, raw, scan)
        s.jargon = _find_jargon(scan)
        # Levels for outcome links: 0 technical, 1 product usage, 2 user or business result.
        product: list[tuple[Span, str, int]] = []
        results: list[tuple[Span, str, int]] = []
        for mm in s.metrics:
            base = _METRIC_KIND[mm.name]
            if base == "model" or mm.name in _TECH_METRICS:
                s.tech.append(((mm.start, mm.end), mm.text))
            elif base == "product":
                product.append(((mm.start, mm.end), mm.text, 1))
            else:
                results.append(((mm.start, mm.end), mm.text, 2))
        s.tech.extend(((a, b), raw[a:b]) for _, a, b in s.jargon)
        bad = [m.span() for m in _FALSE_FRIENDS.finditer(scan)]
        s.tech.extend(
            (m.span(), raw[m.start() : m.end()])
            for m in _TECH_WORDS.finditer(scan)
            if not (bad and _overlaps(m.span(), bad))
        )
        results.extend((m.span(), raw[m.start() : m.end()], 2) for m in _OUTCOME_RX.finditer(scan))
        s.levels = [(span, text, 0) for span, text in s.tech] + product + results
        s.causal = [m.span() for m in _CAUSAL_RX.finditer(scan)]
        s.numbers = list(_NUMBER_RX.finditer(scan))
        s.past = bool(_PAST_RX.search(scan)) and not _FUTURE_RX.search(scan)
        out.append(s)
    return out


# -- detectors --------------------------------------------------------------------------

Found = tuple[int, int, str]  # start, end, detail
_Detector = Callable[[_Sentence, list[_Sentence]], Found | None]


def _first(rx: Phrases, s: _Sentence) -> Found | None:
    m = rx.search(s.scan)
    if m is None:
        return None
    return m.start(), m.end(), f"{rx.name}: {s.raw[m.start() : m.end()]}"


def _metric_named(s: _Sentence, _all: list[_Sentence]) -> Found | None:
    if not s.metrics:
        return None
    seen: dict[str, str] = {}
    for m in s.metrics:
        seen.setdefault(m.name, m.kind)
    listed = ", ".join(f"{n} ({k})" for n, k in seen.items())
    label = "metric" if len(seen) == 1 else "metrics"
    return s.metrics[0].start, s.metrics[-1].end, f"{label}: {listed}"


_PRIORITY = _rx(*cues.PRIORITY, name="priority")
_PRIORITY_WITH_METRIC = _rx(*cues.PRIORITY_WITH_METRIC, name="priority")


_BACKREF = re.compile(
    r"\W*(?:that|this|which|it|those|these|so|and so|all of which|in turn|as a result"
    r"|because of that|the result)\b",
    re.IGNORECASE,
)


def _outcome_link(s: _Sentence, all_: list[_Sentence]) -> Found | None:
    """A connective between a lower-level signal and a higher-level result.

    Model signals (level 0) may lead to product usage (1) or to user and business results
    (2); product usage may lead to results: "recall means players find games they buy",
    "time played is what renews Plus".
    """
    if not s.causal:
        return None
    for (ss, se), stext, slevel in s.levels:
        for (ts, te), ttext, tlevel in s.levels:
            if tlevel <= slevel or _overlaps((ss, se), [(ts, te)]):
                continue
            lo, hi = min(ss, ts), max(se, te)
            # the connective must sit between the two: "recall means players find"
            between = [c for c in s.causal if c[0] < hi and c[1] > lo]
            if between:
                c = between[0]
                return min(lo, c[0]), max(hi, c[1]), f"links {stext} to {ttext}"
    # the signal may sit in the previous sentence: "Recall went up. That means players..."
    if s.index == 0 or not (s.causal[0][0] <= 12 or _BACKREF.match(s.text)):
        return None
    floor = min((lv[2] for lv in s.levels), default=3)
    for _, ptext, plevel in all_[s.index - 1].levels:
        if plevel == 2:
            continue
        for (_, te), ttext, tlevel in s.levels:
            if tlevel > plevel and tlevel >= floor:
                c = s.causal[0]
                return c[0], max(te, c[1]), f"links {ptext} (previous sentence) to {ttext}"
    return None


_CONDITION = _rx(*cues.CONDITION)
_COMPARATIVE = _rx(*cues.COMPARATIVE)
_ACTION = _rx(*(rf"(?:{a})(?:s|es|ed|d|led|ing|ping|ped|ged)?" for a in cues.ACTION_WORDS))

_THRESHOLD_NOUN = _rx(*cues.THRESHOLD_NOUN)
_LIMIT = _rx(*cues.LIMIT)
_NUMBER_RX = _rx(cues.SIGNIFICANT)


_NOUN_BEFORE = re.compile(
    r"(?:\b(?:during|at|after|before|the|a|an|our|this|that|for|of|until|till)\s|\b(?:pre|post)-)$",
    re.IGNORECASE,
)


_REFUSAL = re.compile(
    r"\b(?:don't|do not|won't|will not|wouldn't|would not|never|not|no)\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)


def _inside(inner: Span, outer: Span) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1] and inner != outer


def _threshold_action(s: _Sentence, _all: list[_Sentence]) -> Found | None:
    t = s.scan
    cmps = list(_COMPARATIVE.finditer(t))
    nums = s.numbers
    noun = _THRESHOLD_NOUN.search(t)
    if noun and nums:
        num = min(nums, key=lambda n: abs(n.start() - noun.end()))
        return (
            min(noun.start(), num.start()),
            max(noun.end(), num.end()),
            f"threshold: {s.raw[num.start() : num.end()]}",
        )
    limit = _LIMIT.search(t)
    if limit:
        return limit.start(), limit.end(), f"limit: {s.raw[limit.start() : limit.end()]}"
    if not cmps:
        return None
    # a comparative with its number: "below 2%", "drops more than 3 points"
    trigger: Span | None = None
    act: Hit
    for c in cmps:
        near = [n for n in nums if 0 <= n.start() - c.end() <= 25]
        if near:
            trigger = (c.start(), near[0].end())
            break
    cond = _CONDITION.search(t)
    # "during launch" or "the rollback" name an event, not an action taken
    actions = [a for a in _ACTION.finditer(t) if not _NOUN_BEFORE.search(s.text, 0, a.start())]
    # "fall back" is an action, not a comparative "fall"; "drops" is not an action "drop"
    cmps = [c for c in cmps if not any(_inside(c.span(), a.span()) for a in actions)]
    if not cmps:
        return None
    actions = [a for a in actions if not _overlaps(a.span(), [c.span() for c in cmps])]
    if not actions:
        return None
    if cond is not None:
        trig = trigger or cmps[0].span()
        later = [a for a in actions if a.start() >= trig[1]]
        act = later[0] if later else actions[-1]
    elif trigger is not None and not s.past:
        # "below 2% we roll back", or a refusal before it: "we don't ship anything below 2%"
        after = [a for a in actions if 0 <= a.start() - trigger[1] <= 60]
        refused = [
            a
            for a in actions
            if 0 <= trigger[0] - a.end() <= 60 and _REFUSAL.search(s.text, 0, a.start())
        ]
        if not (after or refused):
            return None
        trig, act = trigger, (after or refused)[0]
    else:
        return None
    spans = [trig, act.span()] + ([cond.span()] if cond is not None else [])
    what = s.raw[trig[0] : trig[1]]
    return (
        min(a for a, _ in spans),
        max(b for _, b in spans),
        f"threshold: {what} -> {s.raw[act.start() : act.end()]}",
    )


_ROLLOUT = _rx(*cues.ROLLOUT, name="rollout")

_STOP = _rx(*cues.STOP, name="stop rule")

_DATE = _rx(*lx.DATE_EXPRESSIONS, name="date")
_SOFT_DATE = _rx(*cues.SOFT_DATE)
_DATE_ALWAYS = _rx(*cues.DATE_ALWAYS)


def _date_commitment(s: _Sentence, _all: list[_Sentence]) -> Found | None:
    m = _DATE.search(s.scan)
    if m is None:
        m = _SOFT_DATE.search(s.scan)
        if m is None or not _FUTURE_RX.search(s.scan):
            return None
    if s.past and not _DATE_ALWAYS.search(s.scan):
        return None
    return m.start(), m.end(), f"when: {s.raw[m.start() : m.end()]}"


_OWNER = _rx(*cues.OWNER, name="owner")
_WE_ACTION = _rx(*cues.WE_ACTION)
_NAMED_OWNER = re.compile(
    r"\b(?P<name>[A-Z][a-z]+)(?: [A-Z][a-z]+)?(?: (?:from|in|on) [A-Za-z ]{2,20})?"
    r" (?:will|'ll|owns|is going to|takes|handles|drives|leads|runs) (?:own|take|run|write|send"
    r"|draft|review|handle|drive|lead|the|a|our|point|follow|set|get|check|pull|share|build)\b"
)
_OWNER_VERB_HINT = _rx(*cues.OWNER_VERB_HINT)
_NOT_NAMES_TEXT = (
    "It This That We They He She There Which What Who Everything Nothing Something Each Every "
    "Sony PlayStation Xperia Users Players Engineering Research Legal Marketing Design "
    "Product Data Privacy Security Finance Sales Support Analytics Then Next First Finally "
    "One Also And But So If When Once Our My Your Their His Her The A An Model Launch Success "
    "Nobody Someone Anyone Everyone Team Leadership Management"
)
_NOT_NAMES: Final = frozenset(_NOT_NAMES_TEXT.split())


def _owner_next_step(s: _Sentence, _all: list[_Sentence]) -> Found | None:
    found = _first(_OWNER, s)
    if found:
        return found
    m = _NAMED_OWNER.search(s.text) if _OWNER_VERB_HINT.search(s.scan) else None
    if m and m.group("name") not in _NOT_NAMES:
        return m.start(), m.end(), f"owner: {s.raw[m.start() : m.end()]}"
    m2 = _WE_ACTION.search(s.scan)
    if m2 and _DATE.search(s.scan):
        return m2.start(), m2.end(), f"owner: {s.raw[m2.start() : m2.end()]} (with a date)"
    return None


_ACK = _rx(*cues.ACK, name="acknowledges")
_ACK_OPENING = re.compile(
    r"^\W*(?:(?:that|this|it) makes (?:total |complete |a lot of )?sense|understood|agreed"
    r"|totally fair|absolutely|that's fair|fair)\b",
    re.IGNORECASE,
)


def _acknowledgement(s: _Sentence, _all: list[_Sentence]) -> Found | None:
    found = _first(_ACK, s)
    if found:
        return found
    m = _ACK_OPENING.search(s.text)
    if m:
        return m.start(), m.end(), f"acknowledges: {s.raw[m.start() : m.end()].strip()}"
    return None


_TRADEOFF = _rx(*cues.TRADEOFF, name="trade-off")

_DECISION = _rx(*cues.DECISION, name="decision")

_EXPERIMENT = _rx(*cues.EXPERIMENT, name="experiment")

_DRIFT = _rx(*cues.DRIFT, name="drift")

_PIPELINE_RX, _PIPELINE_NAMES = _named(cues.PIPELINE_STAGES, "pipeline")
_PIPELINE_FALSE = _rx(*cues.PIPELINE_FALSE)


def _pipeline(s: _Sentence, _all: list[_Sentence]) -> Found | None:
    bad = [m.span() for m in _PIPELINE_FALSE.finditer(s.scan)]
    stages: list[str] = []
    first: tuple[int, int] | None = None
    for m in _PIPELINE_RX.finditer(s.scan):
        if bad and _overlaps(m.span(), bad):
            continue
        stage = _PIPELINE_NAMES[m.alt]
        if stage not in stages:
            stages.append(stage)
        if first is None:
            first = m.span()
    if first is None:
        return None
    label = "stage" if len(stages) == 1 else "stages"
    return first[0], first[1], f"{label}: {', '.join(stages)}"


_QUANT = _rx(*cues.QUANT, name="result")
_MULTIPLIED = _rx(*cues.MULTIPLIED, name="result")
_SCALE = _rx(*cues.SCALE)
_FIRST_PERSON = _rx(*cues.FIRST_PERSON)
_CONDITIONAL_BEFORE = _rx(*cues.CONDITIONAL_BEFORE)


def _quantified_result(s: _Sentence, _all: list[_Sentence]) -> Found | None:
    hits = list(_QUANT.finditer(s.scan)) if s.numbers else []
    for m in [*hits, *_MULTIPLIED.finditer(s.scan)]:
        if _CONDITIONAL_BEFORE.search(s.scan, 0, m.start()):
            continue
        return m.start(), m.end(), f"result: {s.raw[m.start() : m.end()]}"
    m2 = _SCALE.search(s.scan) if s.numbers else None
    if m2 and _FIRST_PERSON.search(s.scan) and not _CONDITIONAL_BEFORE.search(s.scan):
        return m2.start(), m2.end(), f"scale: {s.raw[m2.start() : m2.end()]}"
    return None


_MOTIVATION = _rx(*cues.MOTIVATION, name="motivation")

_COMP_TOTAL = _rx(*cues.COMP_TOTAL)
_COMP_PARTS_RX, _COMP_PART_NAMES = _named(cues.COMP_PARTS, "comp")
_COMP_FALSE = _rx(*cues.COMP_FALSE)


def _total_comp(s: _Sentence, _all: list[_Sentence]) -> Found | None:
    if states_current_pay(s.raw):
        return None  # describing today's pay is disclosure, not framing the offer
    bad = [m.span() for m in _COMP_FALSE.finditer(s.scan)]
    parts: list[str] = []
    first: Span | None = None
    for m in _COMP_PARTS_RX.finditer(s.scan):
        if bad and _overlaps(m.span(), bad):
            continue
        part = _COMP_PART_NAMES[m.alt]
        if part not in parts:
            parts.append(part)
        first = first or m.span()
    total = _COMP_TOTAL.search(s.scan)
    if total and not (bad and _overlaps(total.span(), bad)):
        extra = f" ({', '.join(parts)})" if parts else ""
        return total.start(), total.end(), f"package: {s.raw[total.start() : total.end()]}{extra}"
    if first and any(p != "base" for p in parts):
        return first[0], first[1], f"components: {', '.join(parts)}"
    return None


_SCOPE = _rx(*cues.SCOPE, name="scope")

_USER_VALUE = _rx(*cues.USER_VALUE, name="user value")

_THREAD_PHRASE = _rx(*cues.THREAD_PHRASE)
_THREAD_BACKREF = _rx(*cues.THREAD_BACKREF)
_PROPER = re.compile(r"(?<![\w'])([A-Z][A-Za-z0-9]*[a-z0-9][A-Za-z0-9]*(?: [A-Z][A-Za-z0-9]+)*)")
_NOT_THREAD_NAMES_TEXT = (
    "I I'm I'd I'll I've The A An And But So Then Next First Second Third Finally Also Our My "
    "We They It This That These Those There Here What When Where Why How Which Who If Once "
    "Because Sony PlayStation PSN Xperia AI ML PM PMs Plus Network Sony AI January February "
    "March April May June July August September October November December Monday Tuesday "
    "Wednesday Thursday Friday Saturday Sunday Legal Engineering Marketing Research Design "
    "Product Finance Data Science Privacy Security Sales Q1 Q2 Q3 Q4 Yes No Okay Ok Well "
    "Right Sure Let Let's One Two Three Phase Step Users Players"
)
_NOT_THREAD_NAMES: Final = frozenset(_NOT_THREAD_NAMES_TEXT.split())


_CAP_WORD = re.compile(r"(?<![\w'])[A-Z][A-Za-z0-9]*[a-z0-9][A-Za-z0-9]*")
_FIRST_LETTER = re.compile(r"[A-Za-z]")


def _proper_names(raw: str) -> set[str]:
    """Capitalised names that are not just the sentence's first word."""
    names: set[str] = set()
    first = _FIRST_LETTER.search(raw)
    first_at = first.start() if first else 0
    for m in _PROPER.finditer(raw):
        name = m.group(1)
        if m.start() == first_at and " " not in name:
            continue  # a capital at the start of a sentence proves nothing
        words = [w for w in name.split() if w not in _NOT_THREAD_NAMES]
        if words:
            names.add(" ".join(words))
    return names


def _story_threads(sentences: list[_Sentence]) -> dict[int, Found]:
    """Hits for sentences that come back to a name or theme introduced earlier."""
    out: dict[int, Found] = {}
    caps: list[dict[str, int]] = []
    order: dict[str, None] = {}
    for s in sentences:
        words: dict[str, int] = {}
        for m in _CAP_WORD.finditer(s.raw):
            words.setdefault(m.group(), m.start())
        caps.append(words)
        for name in sorted(_proper_names(s.raw)):
            order.setdefault(name, None)
    for name in order:
        parts = name.split()
        where: list[tuple[int, int]] = []  # (sentence, offset)
        for s, words in zip(sentences, caps, strict=True):
            if len(parts) == 1:
                if name in words:
                    where.append((s.index, words[name]))
            elif all(p in words for p in parts):
                at = s.raw.find(name)
                if at >= 0:
                    where.append((s.index, at))
        if len(where) < 2:
            continue
        listed = ", ".join(str(i) for i, _ in where)
        for i, at in where[1:]:
            if i not in out:
                out[i] = (at, at + len(name), f"thread: {name} (sentences {listed})")
    for s in sentences:
        if s.index in out:
            continue
        hit = _THREAD_PHRASE.search(s.scan)
        if hit is None and s.index > 0:
            hit = _THREAD_BACKREF.search(s.scan)
        if hit:
            out[s.index] = (hit.start(), hit.end(), f"thread: {s.raw[hit.start() : hit.end()]}")
    return out


_STRUCT_START = re.compile(
    r"^\W*(?:(?:and|so|okay|ok|well|now|then)[, ]+)?(?:"
    r"(?:first(?:ly)?|second(?:ly)?|third(?:ly)?|fourth(?:ly)?|finally|lastly)(?:,|:|\s+(?:off"
    r"|of all|i|i'd|i'll|we|we'd|we'll|let's|let|the|on|is|there|you|it|up|for|in)\b)"
    r"|(?:next|then|overall|one|two|three|four|also|last|after that|beyond that|on top of that"
    r"|in addition|additionally|meanwhile|separately)\s?[,:]"
    r"|to (?:start|begin|wrap up|sum up|summari[sz]e|close|finish|recap|conclude)\b"
    r"|in (?:summary|short|sum|closing|conclusion)\b|bottom line\b|tl;?dr\b|to recap\b"
    r"|(?:the )?(?:first|second|third|fourth|last) (?:one )?(?:is|would be|being)\b"
    r"|step (?:one|two|three|four|\d)\b|(?:my|the) (?:first|second|third|last|final|next)"
    r" (?:point|step|priority|thing|piece|part|question|area|bucket|lever)\b"
    r"|let me (?:start|begin|structure|break|walk)\b"
    r"|\(?\d{1,2}[.)]\s|\(\d{1,2}\)|#\d\b|[a-e]\)\s|[-*•·]\s"
    r"|(?!(?:that's|it's|this is|here's|so|and|but|i|we)\b)(?-i:[A-Z])[A-Za-z/&-]{1,20}"
    r"(?: [A-Za-z/&-]{1,15}){0,2}:\s)",
    re.IGNORECASE,
)
_STRUCT_INLINE = _rx(*cues.STRUCT_INLINE)


def _structure(s: _Sentence, _all: list[_Sentence]) -> Found | None:
    m = _STRUCT_START.search(s.text)
    if m:
        return m.start(), m.end(), f"signpost: {s.raw[m.start() : m.end()].strip()}"
    m2 = _STRUCT_INLINE.search(s.scan)
    if m2:
        return m2.start(), m2.end(), f"signpost: {s.raw[m2.start() : m2.end()]}"
    return None


def _simple(rx: Phrases) -> _Detector:
    def detector(s: _Sentence, _all: list[_Sentence]) -> Found | None:
        return _first(rx, s)

    return detector


#: A practice named only to say it is missing or skipped: "with no A/B test", "skip the
#: beta", "there's no kill switch", "without any monitoring". Read in the words just before
#: the practice, within its clause.
_MISSING_BEFORE: Final = re.compile(
    r"(?:\b(?:no|without|never|skip(?:s|ped|ping)?|drop(?:s|ped|ping)?|forget|"
    r"(?:is|are|was|were|has|have|had)\s+not|isn't|aren't|wasn't|weren't|(?:do|does|did)\s+not|"
    r"don't|doesn't|didn't|won't|wouldn't)\s+(?:(?:any|a|an|the|our|us|it|need\s+(?:for|to)|"
    r"need(?:s)?|bother\s+with|run(?:ning)?|do(?:ing)?|have|having|use|using|set(?:ting)?\s+up|"
    r"(?:monitor|watch|check|alert)(?:s|ed|ing)?(?:\s+(?:for|on))?)\s+)"
    r"{0,2})$",
    re.IGNORECASE,
)
#: A negated act earlier in the clause turns "without" into a requirement: "we won't launch
#: without a holdout" names the practice as a must.
_REQUIRED_BY: Final = re.compile(
    r"\b(?:not|never|no\s+one|nobody|nothing|won't|wouldn't|don't|doesn't|can't|cannot|"
    r"shouldn't)\b[^.;:!?]*\bwithout\s+[^.;:!?]*$",
    re.IGNORECASE,
)
_CLAUSE_EDGE: Final = re.compile(r"[.;:!?]|,\s+(?:and|but|so|then|while)\b|\bbut\b", re.I)


def _named_as_missing(raw: str, start: int) -> bool:
    """Whether the practice at *start* is named only to say it is missing or skipped."""
    before = raw[:start]
    edges = list(_CLAUSE_EDGE.finditer(before))
    clause = before[edges[-1].end() :] if edges else before
    if not _MISSING_BEFORE.search(clause):
        return False
    return not _REQUIRED_BY.search(clause)


def _practice(rx: Phrases) -> _Detector:
    """A practice the answer commits to, not one it says it will go without."""

    def detector(s: _Sentence, _all: list[_Sentence]) -> Found | None:
        for m in rx.finditer(s.scan):
            if not _named_as_missing(s.raw, m.start()):
                return m.start(), m.end(), f"{rx.name}: {s.raw[m.start() : m.end()]}"
        return None

    return detector


def _prioritised(s: _Sentence, _all: list[_Sentence]) -> Found | None:
    found = _first(_PRIORITY, s)
    if found:
        return found
    if s.metrics or (s.index > 0 and _all[s.index - 1].metrics):
        return _first(_PRIORITY_WITH_METRIC, s)
    return None


_ROLLOUT_NOT = _rx(*cues.ROLLOUT_NOT)


def _rollout_phase(s: _Sentence, _all: list[_Sentence]) -> Found | None:
    bad = [m.span() for m in _ROLLOUT_NOT.finditer(s.scan)]
    found = [m for m in _ROLLOUT.finditer(s.scan) if not (bad and _overlaps(m.span(), bad))]
    if any(_named_as_missing(s.raw, m.start()) for m in found):
        return None  # "skip the beta and launch to everyone": a phase skipped, none planned
    if not found:
        return None
    m = found[0]
    return m.start(), m.end(), f"rollout: {s.raw[m.start() : m.end()]}"


_DETECTORS: Final[dict[str, _Detector]] = {
    "metric_named": _metric_named,
    "metric_prioritised": _prioritised,
    "outcome_link": _outcome_link,
    "threshold_action": _threshold_action,
    "rollout_phase": _rollout_phase,
    "stop_rule": _practice(_STOP),
    "date_commitment": _date_commitment,
    "owner_next_step": _owner_next_step,
    "acknowledgement": _acknowledgement,
    "tradeoff": _simple(_TRADEOFF),
    "decision": _simple(_DECISION),
    "experiment": _practice(_EXPERIMENT),
    "drift_monitoring": _practice(_DRIFT),
    "pipeline": _pipeline,
    "quantified_result": _quantified_result,
    "motivation": _simple(_MOTIVATION),
    "total_comp": _total_comp,
    "scope": _simple(_SCOPE),
    "user_value": _simple(_USER_VALUE),
    "structure": _structure,
}


# -- public API -------------------------------------------------------------------------


def _quote(raw: str, start: int, end: int) -> str:
    """The sentence, trimmed; a window around ``start:end`` if it is very long."""
    lo = len(raw) - len(raw.lstrip())
    hi = len(raw.rstrip())
    if hi - lo <= MAX_QUOTE:
        return raw[lo:hi]
    room = max(0, MAX_QUOTE - (end - start))
    a = max(lo, start - room // 2)
    b = min(hi, a + MAX_QUOTE)
    a = max(lo, b - MAX_QUOTE)
    # widen to whole words
    while a > lo and not raw[a - 1].isspace():
        a -= 1
    while b < hi and not raw[b].isspace():
        b += 1
    return raw[a:b].strip()


def _hit(signal: str, s: _Sentence, found: Found) -> SignalHit:
    start, end, detail = found
    return SignalHit(signal, s.index, _quote(s.raw, start, end), detail, start, end)


def analyse(sentences: Sequence[str]) -> Analysis:
    """Run every detector over pre-split sentences and collect metrics and jargon.

    Empty or whitespace-only sentences are allowed and never produce hits; indexes in
    the result refer to positions in ``sentences``. The last few answers are cached, so
    asking again (the grader, then the delivery metrics) costs nothing; each call returns
    its own lists.
    """
    cached = _analyse_cached(tuple(sentences))
    return Analysis(
        hits={name: list(hits) for name, hits in cached.hits.items()},
        metrics=list(cached.metrics),
        jargon=list(cached.jargon),
    )


@lru_cache(maxsize=16)
def _analyse_cached(sentences: tuple[str, ...]) -> Analysis:
    prepared = _prepare(sentences)
    hits: dict[str, list[SignalHit]] = {name: [] for name in SIGNALS}
    for name, detector in _DETECTORS.items():
        bucket = hits[name]
        for s in prepared:
            if not s.text.strip():
                continue
            found = detector(s, prepared)
            if found is not None:
                bucket.append(_hit(name, s, found))
    for index, found in sorted(_story_threads(prepared).items()):
        hits["story_thread"].append(_hit("story_thread", prepared[index], found))

    # A term is tied when its sentence links to an outcome, or the next sentence does and
    # opens by pointing back at it ("That means players...").
    linked = {h.sentence_index for h in hits["outcome_link"]}
    tied = linked | {
        i - 1
        for i in linked
        if i > 0 and (_BACKREF.match(prepared[i].text) or not prepared[i].tech)
    }
    jargon = [
        JargonMention(term, s.index, s.index in tied, s.raw[a:b], a, b)
        for s in prepared
        for term, a, b in s.jargon
    ]
    metrics = [m for s in prepared for m in s.metrics]
    return Analysis(hits=hits, metrics=metrics, jargon=jargon)


def detect(sentences: Sequence[str]) -> dict[str, list[SignalHit]]:
    """Every signal name mapped to its hits (an empty list when it is absent)."""
    return analyse(sentences).hits


def metrics_named(sentences: Sequence[str]) -> list[MetricMention]:
    """Metrics named in the answer, in order, with kinds read from context."""
    prepared = _prepare(sentences)
    return [m for s in prepared for m in s.metrics]


def jargon_terms(sentences: Sequence[str]) -> list[JargonMention]:
    """ML jargon in the answer, each marked with whether it is tied to an outcome."""
    return analyse(sentences).jargon
