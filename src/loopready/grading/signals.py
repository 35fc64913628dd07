"""Linguistic signals in an answer: the quotable evidence behind a local grade.

Every detector reads pre-split sentences (``list[str]``) and reports hits that quote the
sentence they came from, so a score can always point at the words that earned it. The
detectors are regular expressions over the lists in :mod:`loopready.grading.lexicon`,
compiled once at import; :func:`analyse` runs them all in about a millisecond for a
450-word answer.

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
from typing import Any, Final, get_args

from loopready.grading import lexicon as lx
from loopready.grading.lexicon import MetricKind
from loopready.packs.schema import Signal

#: Every detector name, in the schema's order.
SIGNALS: Final[tuple[str, ...]] = tuple(get_args(Signal))

#: Longest quote a hit carries; longer sentences are cut to a window around the evidence.
MAX_QUOTE: Final = 280

# -- results ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SignalHit:
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

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class MetricMention:
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

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class JargonMention:
    """An ML term, and whether the answer ties it to what the user or business gets."""

    term: str
    sentence_index: int
    tied_to_outcome: bool
    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


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


def _rx(*alternatives: str) -> re.Pattern[str]:
    """Compile alternatives case-insensitively, each bounded by non-word characters."""
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


def _named(entries: Sequence[tuple[str, str]]) -> tuple[re.Pattern[str], list[str]]:
    """One pattern with a group per entry; ``names[int(lastgroup[1:])]`` is the match's name."""
    groups = [f"(?P<g{i}>{pattern})" for i, (_, pattern) in enumerate(entries)]
    return _rx(*groups), [name for name, _ in entries]


_METRIC_RX, _METRIC_NAMES = _named([(name, pat) for name, _, pat in lx.METRICS])
_METRIC_KIND: Final = {name: kind for name, kind, _ in lx.METRICS}
_FALSE_FRIENDS = _rx(*lx.METRIC_FALSE_FRIENDS)
_GUARD_BEFORE = _rx(*lx.GUARDRAIL_CUES_BEFORE)
_GUARD_AFTER = _rx(*lx.GUARDRAIL_CUES_AFTER)
_GUARD_SCOPE_END = re.compile(lx.GUARDRAIL_SCOPE_END, re.IGNORECASE)
_CLAUSE_START = re.compile(r"[,;:.]|\b(?:but|while|whereas|so)\b", re.IGNORECASE)
_JARGON_RX, _JARGON_NAMES = _named(lx.JARGON)

_USERS = lx.USER_NOUNS
_NOT_YEAR = r"(?!(?:19|20)\d\d(?!\d))"
_NUMBER = rf"(?:{_NOT_YEAR}{lx.QUANTITY})"
_SIGNIFICANT = (  # a number that is a measurement, not a bare count like "two things"
    rf"(?:{lx.PERCENT}|[$£€¥]\s?{lx.DIGITS}|{_NOT_YEAR}{lx.DIGITS}(?:\s?(?:x|ms|s|k|m|bn"
    rf"|seconds|minutes|hours|million|billion|thousand|stars|fps|points?))?"
    rf"|{lx.NUMBER_WORD}\s(?:times|x|million|billion|thousand|percent)|twice|double|triple|half"
    r"|a third|a quarter|a half|a tenth|two[- ]thirds|three[- ]quarters)"
)

# -- per-sentence context ---------------------------------------------------------------

Span = tuple[int, int]


@dataclass
class _Sentence:
    index: int
    raw: str
    text: str
    metrics: list[MetricMention] = field(default_factory=list)
    jargon: list[tuple[str, int, int]] = field(default_factory=list)
    tech: list[tuple[Span, str]] = field(default_factory=list)
    outcome: list[tuple[Span, str]] = field(default_factory=list)
    causal: list[Span] = field(default_factory=list)
    past: bool = False


def _overlaps(a: Span, spans: Sequence[Span]) -> bool:
    return any(a[0] < e and s < a[1] for s, e in spans)


def _find_metrics(index: int, raw: str, text: str) -> list[MetricMention]:
    bad = [m.span() for m in _FALSE_FRIENDS.finditer(text)]
    found: list[MetricMention] = []
    for m in _METRIC_RX.finditer(text):
        if bad and _overlaps(m.span(), bad):
            continue
        assert m.lastgroup is not None
        name = _METRIC_NAMES[int(m.lastgroup[1:])]
        found.append(
            MetricMention(name, _METRIC_KIND[name], index, raw[m.start() : m.end()], *m.span())
        )
    if not found:
        return found
    guarded: list[Span] = []
    for cue in _GUARD_BEFORE.finditer(text):
        end_m = _GUARD_SCOPE_END.search(text, cue.end())
        guarded.append((cue.start(), end_m.start() if end_m else len(text)))
    for cue in _GUARD_AFTER.finditer(text):
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


def _find_jargon(text: str) -> list[tuple[str, int, int]]:
    bad = [m.span() for m in _FALSE_FRIENDS.finditer(text)]
    out: list[tuple[str, int, int]] = []
    for m in _JARGON_RX.finditer(text):
        if bad and _overlaps(m.span(), bad):
            continue
        assert m.lastgroup is not None
        out.append((_JARGON_NAMES[int(m.lastgroup[1:])], m.start(), m.end()))
    return out


_TECH_WORDS = _rx(
    r"models?|classifiers?|rankers?|recommenders?|recommendation (?:engine|model|system|quality)s?",
    r"algorithms?|predictions?|scores?|scoring|ranking|rankings|inference|confidence(?: scores?)?",
    r"misclassif\w+|mistakes|errors?|detections?|detectors?|relevance|personali[sz]ation",
    r"(?:model|recommendation|suggestion|result|answer|detection|segmentation|ranking) quality",
    r"(?:the )?(?:recommendations|suggestions|results|matches|outputs|answers|picks|edits|effects)"
    r"(?= (?:are|get|got|improve|improved|were|that|which|will|would|feel|look|become))",
    r"drift|degradation|noise|noisy|labels?|training data|data quality|on[- ]device|the cloud",
    r"bad (?:suggestions|recommendations|results|matches|picks)|wrong (?:\w+ )?(?:answers|picks)",
)
_OUTCOME_RX = _rx(
    rf"{_USERS}(?:\W+\w+){{0,3}}?\W+{lx.USER_OUTCOME_VERBS}",
    lx.OUTCOME_WORDS,
)
_CAUSAL_RX = _rx(lx.CAUSAL)
_PAST_RX = _rx(
    r"was|were|had|did|ago|last (?:year|quarter|month|week|spring|summer|fall|winter)",
    r"previously|back then|at the time|used to|spent|joined|left|launched|shipped|built|grew",
    r"drove|ran|took|saw|managed|worked|delivered|achieved|reduced|increased|improved|moved",
    r"rolled out|released|decided|found|learned|noticed|started|missed|went|came|became",
)
_FUTURE_RX = _rx(
    r"will|\w+'ll|shall|going to|gonna|plan|planning|plans|aim|aiming|target|targeting|would",
    r"(?:i|we|you|they|he|she|it)'d|let's|let us|next|upcoming|propose|recommend|commit",
    r"committing|need to|should|must|want to|intend|expect|can|is due|are due",
)


def _prepare(sentences: Sequence[str]) -> list[_Sentence]:
    out: list[_Sentence] = []
    for i, raw in enumerate(sentences):
        text = raw.translate(_NORMALISE)
        s = _Sentence(i, raw, text)
        s.metrics = _find_metrics(i, raw, text)
        s.jargon = _find_jargon(text)
        for mm in s.metrics:
            if mm.kind == "model" or mm.name in ("latency", "battery", "crash rate"):
                s.tech.append(((mm.start, mm.end), mm.text))
            else:
                s.outcome.append(((mm.start, mm.end), mm.text))
        s.tech.extend(((a, b), raw[a:b]) for _, a, b in s.jargon)
        s.tech.extend((m.span(), raw[m.start() : m.end()]) for m in _TECH_WORDS.finditer(text))
        s.outcome.extend((m.span(), raw[m.start() : m.end()]) for m in _OUTCOME_RX.finditer(text))
        s.causal = [m.span() for m in _CAUSAL_RX.finditer(text)]
        s.past = bool(_PAST_RX.search(text)) and not _FUTURE_RX.search(text)
        out.append(s)
    return out


# -- detectors --------------------------------------------------------------------------

Found = tuple[int, int, str]  # start, end, detail
_Detector = Callable[[_Sentence, list[_Sentence]], Found | None]


def _first(rx: re.Pattern[str], s: _Sentence, detail: str = "") -> Found | None:
    m = rx.search(s.text)
    if m is None:
        return None
    return m.start(), m.end(), detail or f"{_label(rx)}: {s.raw[m.start() : m.end()]}"


def _label(rx: re.Pattern[str]) -> str:
    return _LABELS.get(rx.pattern, "evidence")


_LABELS: dict[str, str] = {}


def _labelled(label: str, rx: re.Pattern[str]) -> re.Pattern[str]:
    _LABELS[rx.pattern] = label
    return rx


def _metric_named(s: _Sentence, _all: list[_Sentence]) -> Found | None:
    if not s.metrics:
        return None
    seen: dict[str, str] = {}
    for m in s.metrics:
        seen.setdefault(m.name, m.kind)
    listed = ", ".join(f"{n} ({k})" for n, k in seen.items())
    label = "metric" if len(seen) == 1 else "metrics"
    return s.metrics[0].start, s.metrics[-1].end, f"{label}: {listed}"


_PRIORITY = _labelled(
    "priority",
    _rx(
        r"north[- ]?stars?(?: metrics?)?|(?-i:OEC)|overall evaluation criterion",
        r"(?:primary|headline|main|core|hero|deciding|decisive|single|leading|most important"
        r"|number[- ]one|#1|top) (?:success )?(?:metric|kpi|measure|number|signal|goal"
        r"|criterion|objective|indicator)s?|headline one",
        r"secondary (?:metrics?|kpis?|measures?|signals?|goals?|indicators?)"
        r"|(?:is|are|as|stays?|remains?|be) secondary|secondary:|secondary to",
        r"(?:the|my|our|just|only|exactly) (?:top |first |main )?(?:one|two|three|single|1|2|3)"
        r" (?:metrics?|numbers?|kpis?|things?|signals?|measures?|indicators?)"
        r"(?:[^.;]{0,30}?(?:matters?|watch|track|measure|judge|optimi[sz]e|care about|look at"
        r"|pick|choose|use|hold|count|decide|define|gate))?",
        r"(?:optimi[sz](?:e|ing)|tun(?:e|ing)|aim(?:ing)?) (?:primarily |mainly |first )?for"
        r" [\w\- ]{1,30}?,? (?:not|over|rather than|instead of|before|ahead of)",


        r"in (?:that |this )?order(?: of (?:priority|importance))?|in priority order"
        r"|order of (?:priority|importance)|rank(?:ed|ing)? (?:them|these|the metrics)",
        r"(?:judge|measure|define|call)(?: it a)? success (?:by|on|as)"
        r"|success (?:is|means|=|would be|looks like|will be)(?= )",
        r"(?:our|my|the) success metric (?:is|would be|will be)"
        r"|(?:the|my|our) (?:metric|number|kpi) (?:that|which) (?:matters|decides|counts)"
        r"|the one (?:that|which) matters",
        r"(?:everything|all) else (?:is|are) (?:secondary|supporting|diagnostic|guardrails?)"
        r"|the (?:rest|others?|other \w+) (?:are|is) (?:secondary|supporting|diagnostic"
        r"|guardrails?|nice to have|inputs)",
        r"primary:|tier[- ]1 metrics?|(?-i:P0) metrics?",
        r"(?:watch|track|judge|measure|optimi[sz]e for|use|pick|choose|focus on|narrow (?:it )?"
        r"(?:down )?to|care about|hold (?:ourselves|us) to) (?:just |only |exactly )?(?:one|two"
        r"|three|a single|a couple of|a handful of) (?:metrics?|numbers?|kpis?|measures?|signals?"
        r"|things|outcomes)",
        r"(?:as |is |are |just |only )(?:a |our )?diagnostics?(?: only)?|diagnostic (?:metrics?"
        r"|only|signals?)",
        r"supporting(?: metrics?)?:|(?:as|is|are) supporting (?:metrics?|signals?)"
        r"|(?:on|by) (?:that|this|it) alone|the only (?:metric|number|kpi) (?:i|we|that)",
        r"(?:steer|judge|run|decide|manage) (?:it |this |the launch )?(?:by|on) (?:one|a single)"
        r"|only (?:one|a single) (?:metric|number|kpi)",
    ),
)
_PRIORITY_WITH_METRIC = _labelled(
    "priority",
    _rx(
        r"(?:matters?|counts?) (?:more|most)(?: than| here| to me| for)?|more important than"
        r"|most important (?:metric|number|thing|signal|one)|above all|first and foremost",
        r"(?:prioriti[sz](?:e|es|ing)|favou?r(?:s|ing)?|weight(?:s|ing)?|rank(?:s|ing)?)"
        r" [\w\- ]{1,40}? (?:over|above|ahead of|before|higher than)",
        r"(?:the )?(?:first|second|third|headline|main|primary|top|lead|other) one (?:is|would be)"
        r"|(?:the )?second (?:is|would be|one)",
        r"(?:i'd|i would|we'd|we would|i'll|we'll) (?:optimi[sz]e|aim|tune) for",
        r"(?:i'd|i would|we'd|we would|i'll|we'll) (?:pick|choose|go with|bet on|anchor on"
        r"|steer by)",
    ),
)


_TECH_NAMES = ("latency", "battery", "crash rate")


_BACKREF = re.compile(
    r"\W*(?:that|this|which|it|those|these|so|and so|all of which|in turn|as a result"
    r"|because of that|the result)\b",
    re.IGNORECASE,
)


def _outcome_link(s: _Sentence, all_: list[_Sentence]) -> Found | None:
    if not s.causal or not s.outcome:
        return None
    for (ts, te), ttext in s.tech:
        for (os_, oe), otext in s.outcome:
            if _overlaps((ts, te), [(os_, oe)]):
                continue
            lo, hi = min(ts, os_), max(te, oe)
            # the connective must sit between the two: "recall means players find"
            between = [c for c in s.causal if c[0] < hi and c[1] > lo]
            if between:
                c = between[0]
                return min(lo, c[0]), max(hi, c[1]), f"links {ttext} to {otext}"
    if s.tech:
        return None
    # the technical signal may sit in the previous sentence: "Recall went up. That means..."
    if s.index > 0 and (s.causal[0][0] <= 40 or _BACKREF.match(s.text)):
        prev = all_[s.index - 1]
        if prev.tech:
            (os_, oe), otext = s.outcome[0]
            return (
                s.causal[0][0],
                oe if oe > s.causal[0][1] else s.causal[0][1],
                f"links {prev.tech[0][1]} (previous sentence) to {otext}",
            )
    return None


_CONDITION = _rx(
    r"if|when|whenever|once|unless|should|as soon as|the moment|any ?time|each time|every time",
    r"anything (?:below|above|under|over|worse|lower|higher)",
    r"->|=>|→",
)
_COMPARATIVE = _rx(
    r"(?:drops?|dropped|dropping|falls?|falling|fell|dips?|dipping|goes|go|gets|get|slips?"
    r"|sinks?|moves?|creeps?) (?:below|under|above|over|past|beyond|by|more than|less than"
    r"|outside|under)",
    r"exceeds?|exceeding|surpass(?:es)?|breach(?:es)?|crosses|crossing|tops",
    r"(?:more|less|fewer|greater|higher|lower|worse|better|bigger|larger|smaller|slower"
    r"|faster) than",
    r"above|below|under|beyond|at least|at most|no more than|no less than|north of|south of"
    r"|outside",
    r"regress(?:es|ion)?|degrades?|degradation|drops?|declines?|falls?|rises?|spikes?|jumps?"
    r"|climbs?|increases?|decreases?|worsens?|slides?|slips?|dips?",
    r"hits?|reaches?|clears?|misses?|beats?|meets?",
    r">=?|<=?|≥|≤",
)
_ACTION = _rx(
    r"roll(?:s|ing)? (?:it |this |that |them |the \w+ )?back|rollback|revert|re-?train",
    r"pause|halt|stop|freeze|kill|pull (?:it|the|back)|disable|switch (?:off|back|to)",
    r"turn (?:it |this )?off|fall back|fallback|alert|page|escalate|investigate|ship|launch",
    r"expand|ramp|scale up|widen|graduate|proceed|go (?:wider|to|ahead|further|back)|hold",
    r"block|flag|review|relabel|re-?label|recalibrate|re-?tune|notify|trigger|triggers",
    r"open (?:an|a) (?:incident|ticket)|raise (?:an|a) (?:alert|flag|incident)",
    r"call (?:a|an) (?:review|meeting)|reconvene|revisit|reassess|re-?evaluate|kick off",
    r"sound the alarm|route|throttle|gate|abort|delay|postpone|downgrade|swap|hand off",
    r"add (?:more )?(?:data|labels|examples)|collect more|refresh|update the model",
    r"double down|invest more|move (?:to|on)|go to|open (?:it )?up",
)
_ACTION = re.compile(
    _ACTION.pattern[:-6] + r"(?:s|es|ed|d|led|ing|ping|ped|ged)?(?!\w)", re.IGNORECASE
)
_THRESHOLD_NOUN = _rx(
    r"thresholds?|trigger(?:s|ed)? (?:at|is|of|when|if)|trip ?wires?|cut-?offs?|alarm at",
    r"alert(?:s|ing)? at|floor of|ceiling of|limit of|budget of|(?-i:SLA|SLO)s?",
    r"bar (?:is|of|at)",
)
_LIMIT = re.compile(
    r"(?<![\w-])(?:may not|must not|mustn't|can't|cannot|shouldn't|should not|won't|will not"
    r"|never|can never|may never|is not allowed to|isn't allowed to)(?: \w+)? (?:fall|drop|dip"
    r"|rise|increase|grow|exceed|go (?:up|down|over|under|above|below|past)|get worse|regress"
    r"|slip|climb|spike|degrade)(?: by)?(?: more than| over| beyond| below| under| above)?\s"
    + _SIGNIFICANT
    + r"(?!\w)",
    re.IGNORECASE,
)
_NUMBER_RX = re.compile(rf"(?<![\w.]){_SIGNIFICANT}(?!\w)", re.IGNORECASE)


def _inside(inner: Span, outer: Span) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1] and inner != outer


def _threshold_action(s: _Sentence, _all: list[_Sentence]) -> Found | None:
    t = s.text
    cmps = list(_COMPARATIVE.finditer(t))
    nums = list(_NUMBER_RX.finditer(t))
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
    for c in cmps:
        near = [n for n in nums if 0 <= n.start() - c.end() <= 25]
        if near:
            trigger = (c.start(), near[0].end())
            break
    cond = _CONDITION.search(t)
    actions = list(_ACTION.finditer(t))
    # "fall back" is an action, not a comparative "fall"; "drops" is not an action "drop"
    cmps = [c for c in cmps if not any(_inside(c.span(), a.span()) for a in actions)]
    if not cmps:
        return None
    actions = [a for a in actions if not _overlaps(a.span(), [c.span() for c in cmps])]
    if not actions:
        return None
    if cond is not None:
        trig = trigger or cmps[0].span()
        act = actions[0]
    elif trigger is not None and not s.past:
        after = [a for a in actions if 0 <= a.start() - trigger[1] <= 60]
        if not after:
            return None
        trig, act = trigger, after[0]
    else:
        return None
    spans = [trig, act.span()] + ([cond.span()] if cond is not None else [])
    what = s.raw[trig[0] : trig[1]]
    return (
        min(a for a, _ in spans),
        max(b for _, b in spans),
        f"threshold: {what} -> {s.raw[act.start() : act.end()]}",
    )


_ROLLOUT = _labelled(
    "rollout",
    _rx(
        r"(?:phase|stage|wave|ring|tranche|step)\s?(?:\d|one|two|three|four|zero|i{1,3}|iv)"
        r"(?=\W+(?:\w+\W+){0,3}(?:users?|players?|markets?|regions?|countr|beta|internal|staff"
        r"|employees|cohort|goes|launch|roll|expand|ramp|is|we|%|percent|:|-|\())",
        r"(?:phase|wave|ring|tranche)\s?(?:\d|one|two|three|four|zero|i{1,3}|iv)",
        r"(?:phased|staged|staggered|gradual|graduated|incremental|progressive|controlled"
        r"|limited|soft|slow|small|narrow|partial|percentage|careful|cautious)(?:ly)?"
        r"\s(?:roll[- ]?outs?|launch(?:es)?|release|ramp(?:[- ]up)?|exposure|deployment"
        r"|expansion|ship)",
        r"(?:roll|ramp|launch|release|ship|open|expose|expand)(?:s|ed|ing|ping)?\s(?:it\s|this"
        r"\s|the \w+\s)?(?:out\s)?(?:gradually|slowly|in (?:phases|stages|waves|steps)"
        r"|incrementally|carefully|step by step)",
        r"in (?:phases|stages|waves|rings)",
        r"(?:first|next|second|third|final|last|initial|later|early|pilot|beta|test|launch)"
        r" (?:phase|stage|wave|cohort|ring|tranche)s?(?! of (?:my|his|her|their) (?:career|life))",
        r"(?:closed |open |private |public |internal )?betas?|alpha (?:tests?|release|users"
        r"|testers)|dog[- ]?food(?:ing|ed)?|eat(?:ing)? our own dog ?food|canar(?:y|ies)"
        r"|pilot(?:s|ing|ed)?|early access|insiders? (?:program|ring|build)",
        r"friends[- ]and[- ]family|(?:internal|staff|employee) (?:release|launch|users|testers"
        r"|rollout|test|pilot|only|build)|employees (?:first|only)|wait[- ]?list|invite[- ]only"
        r"|trusted testers|opt[- ]in (?:group|cohort|beta|program|users|only)"
        r"|(?:test|beta|pilot|launch|early|small|first|initial) cohorts?",
        rf"{lx.DIGITS}\s?(?:%|percent|per cent)\s(?:of\s)?(?:(?:our|the|all|new|eligible"
        r"|active|us|english[- ]speaking|\w+)\s)?(?:users|players|traffic|accounts|devices"
        r"|sessions|customers|subscribers|members|requests|audience|base|population|markets?"
        r"|regions?|installs|phones|consoles)",
        rf"{lx.NUMBER_WORD}\spercent\sof\s(?:\w+\s)?(?:users|players|traffic|accounts|devices"
        r"|customers|subscribers|members)",
        r"(?:ramp|roll|expand|scale|widen|go|open|release|launch|dial|grow|move|push|step"
        r"|bump|increase|take|bring|extend)(?:s|ed|ing|ping)?\s(?:it\s|this\s|that\s"
        r"|exposure\s|traffic\s)?(?:up\s|out\s)?(?:to|into|from)\s(?:" + lx.DIGITS
        + r"\s?(?:%|percent)|all (?:users|players|markets|regions)|everyone|everybody"
        r"|the rest|more (?:users|players|markets|regions)|half|general availability"
        r"|(?-i:GA)|\w+ (?:users|players|markets|regions|countries))",
        rf"(?:start|begin|open)(?:s|ing)?\s(?:at|with)\s{lx.DIGITS}\s?(?:%|percent)",
        r"(?:one|a single|a small|single|first|two|three|one or two|a few|a couple of)"
        r" (?:regions?|markets?|countr(?:y|ies)|locales?|geos?|territor(?:y|ies))",
        r"(?:region|market|country|geo) (?:by|at a time)",
        r"general availability|(?-i:GA)|full (?:launch|roll[- ]?out|release)|wide release"
        r"|worldwide (?:launch|release|roll[- ]?out)|global (?:launch|release|roll[- ]?out)",
        r"(?:launch|roll(?:ing)? out|release|ship|start|pilot|test|begin|debut|soft[- ]launch)"
        r"\w*\s(?:\w+\s){0,4}?(?:in|to|with)\s(?:the\s)?(?-i:Japan|US|U\.S\.|USA|UK|Europe|EU"
        r"|North America|APAC|Asia|Germany|France|Canada|Australia|Korea|India|Brazil|LATAM"
        r"|EMEA|Nordics|Singapore|Mexico|Spain|Italy|[A-Z][a-z]+ (?:region|market))",
        r"shadow (?:mode|launch|deploy(?:ment)?|traffic)|dark launch(?:ed)?|holdback",
    ),
)

_STOP = _labelled(
    "stop rule",
    _rx(
        r"kill[- ]?switch(?:es)?|kill (?:criteria|criterion|it|the (?:feature|launch|test"
        r"|experiment|rollout|model|project))",
        r"roll(?:s|ed|ing)?[- ]?back|rollbacks?|revert(?:s|ed|ing)?|back (?:it )?out",
        r"(?:pause|halt|stop|freeze|suspend|abort|hold|pull|disable|switch off|turn off|shut off"
        r"|shut down|unship|sunset)(?:s|ed|ping|ing)?\s(?:the\s|our\s|this\s)?(?:roll[- ]?out"
        r"|launch|ramp(?:[- ]up)?|release|feature|experiment|test|model|deployment|expansion"
        r"|it|traffic)",
        r"go[ /-]?(?:or[ /-])?no[- ]?go|no[- ]go",
        r"(?:we|i)(?:'ll|'d| will| would)? (?:stop(?! by| in| over| at)|pause|halt|pull back"
        r"|go back(?! to (?:my|the office|school|work))|back off|revert"
        r"|switch (?:it |this )?off|turn (?:it |this )?off|kill it|unwind|pull the plug)",
        r"(?:launch|ship|release|exit|stop|kill|abort|rollback|gating|go) (?:criteria|criterion"
        r"|bar|gate|blockers?|conditions?|rules?)",
        r"gat(?:e|ed|ing) (?:on|by|the (?:launch|rollout|ramp|release))",
        r"(?:won't|will not|wouldn't|would not|don't|do not|never|not) (?:ship|launch|expand"
        r"|ramp|proceed|go (?:wider|further|beyond|to)|move (?:on|forward)|roll (?:it |this )?out"
        r"|widen|graduate)\b[^.;]{0,60}?\b(?:if|unless|until|while|before)",
        r"only (?:ship|launch|expand|ramp|proceed|go (?:wider|further|to)|move (?:on|forward|to)"
        r"|graduate|widen|roll (?:it |this )?out)\b[^.;]{0,40}?\b(?:if|when|once|after|provided)",
        r"(?:unless|until) (?:\w+\s){0,6}?(?:hits?|clears?|meets?|passes?|holds?|stays?"
        r"|is (?:above|below|under))",
        r"guard[- ]?rails?|trip[- ]?wires?|circuit[- ]breakers?|fall[- ]?backs?|fall back to"
        r"|fail[- ]?safes?|safety nets?|stop[- ]loss|red lines?|bright lines?"
        r"|hard (?:floor|ceiling|stop|limit)|auto(?:matic)?[- ]?(?:rollback|pause|revert|shutoff)",
    ),
)

_DATE = _labelled("date", _rx(*lx.DATE_EXPRESSIONS))
_SOFT_DATE = _rx(
    r"today|tonight|later today|" + lx.WEEKDAY + r"(?:'s)?|this (?:morning|afternoon|evening)",
)
_DATE_ALWAYS = _rx(r"within|no later than|deadline|due (?:by|on)")


def _date_commitment(s: _Sentence, _all: list[_Sentence]) -> Found | None:
    m = _DATE.search(s.text)
    if m is None:
        m = _SOFT_DATE.search(s.text)
        if m is None or not _FUTURE_RX.search(s.text):
            return None
    if s.past and not _DATE_ALWAYS.search(s.text):
        return None
    return m.start(), m.end(), f"when: {s.raw[m.start() : m.end()]}"


_OWNER_VERBS = (
    r"(?:own|drive|take|send|write|draft|share|circulate|set up|schedule|book|run|follow up"
    r"|sync|loop in|bring|present|pull|prepare|check|confirm|come back|report|review|update"
    r"|reach out|coordinate|kick off|organi[sz]e|lead|handle|put together|file|publish|post"
    r"|email|meet|pair|work with|partner with|document|align|brief|escalate|make sure|ensure"
    r"|track|chase|define|host|facilitate|spin up|open|start|build|ask|get|set|deliver"
    r"|produce|instrument|scope|spec|write up|talk to|call|grab|pick up|block|book)"
)
_ROLES = (
    r"(?:engineering|eng|research|legal|marketing|privacy|security|(?-i:QA)|ops|operations"
    r"|finance|sales|analytics|infra|infrastructure|comms|policy|compliance|partnerships"
    r"|data science|trust and safety|ux research|(?:the\s)?(?:\w+\s)?(?:lead|leads|team|manager"
    r"|owner|counsel|director|pm|engineer|scientist|analyst|designer|researcher|partner"
    r"|champion|architect|committee|council|group))"
)
_OWNER = _labelled(
    "owner",
    _rx(
        r"i(?:'ll| will|'m going to| am going to|'m gonna| personally will)\s(?:personally\s"
        r"|also\s|then\s|immediately\s|first\s|myself\s)?" + _OWNER_VERBS,
        r"i(?:'ll)? (?:run|own|chair|host|lead|make) (?:it|that|this|the (?:review|meeting"
        r"|readout|call|decision|ship call|retro))",
        r"i(?:'d| would)? own|i(?:'m| am) (?:on the hook|accountable|responsible|the owner"
        r"|owning|taking (?:that|this|it|the))|(?:that's|this is|it's|that one is|this one is|that part is) on me",
        r"(?:my|the|our) (?:action items?|next steps?|follow[- ]ups?|to-?dos?)",
        r"next steps?(?: (?:is|are|would be|will be|:))?|action items?|follow[- ]ups?:|owners?:"
        r"|owned by|(?-i:DRI|RACI)|directly responsible|point (?:person|of contact)"
        r"|(?:single|clear|named|one) (?:owner|dri)|(?:assign|assigned|assigning) (?:an? )?"
        r"(?:owner|dri)|(?:each|every) (?:\w+ )?(?:gets|has) (?:an |a named |one )?owner"
        r"|(?:who|whoever) owns",
        _ROLES + r"(?:\s(?:lead|leads|team|manager|owner|counsel|director|side|folks|org))?"
        r"\s(?:owns|would own|takes|handles|drives|is responsible for|are responsible for"
        r"|is accountable for|signs? off|signs|leads|is on point|has the action|runs|reviews"
        r"|writes|delivers|commits to|(?:will|'ll|is going to|are going to|can|needs to|should)"
        r" (?:also |then |first )?" + _OWNER_VERBS + ")",
        r"(?:with|and) (?:\w+ ){0,2}(?:owning|driving|leading|on point for|responsible for)",
    ),
)
_WE_ACTION = re.compile(rf"\bwe(?:'ll| will)\s(?:\w+\s)?{_OWNER_VERBS}\b", re.IGNORECASE)
_NAMED_OWNER = re.compile(
    r"\b(?P<name>[A-Z][a-z]+)(?: [A-Z][a-z]+)?(?: (?:from|in|on) [A-Za-z ]{2,20})?"
    r" (?:will|'ll|owns|is going to|takes|handles|drives|leads|runs) (?:own|take|run|write|send"
    r"|draft|review|handle|drive|lead|the|a|our|point|follow|set|get|check|pull|share|build)\b"
)
_NOT_NAMES: Final = frozenset(
    "It This That We They He She There Which What Who Everything Nothing Something Each Every "
    "Sony PlayStation Xperia Users Players Engineering Research Legal Marketing Design Product "
    "Data Privacy Security Finance Sales Support Analytics Then Next First Finally One Also "
    "And But So If When Once Our My Your Their His Her The A An Model Launch Success Nobody "
    "Someone Anyone Everyone Team Leadership Management".split()
)


def _owner_next_step(s: _Sentence, _all: list[_Sentence]) -> Found | None:
    found = _first(_OWNER, s)
    if found:
        return found
    m = _NAMED_OWNER.search(s.text)
    if m and m.group("name") not in _NOT_NAMES:
        return m.start(), m.end(), f"owner: {s.raw[m.start() : m.end()]}"
    m2 = _WE_ACTION.search(s.text)
    if m2 and _DATE.search(s.text):
        return m2.start(), m2.end(), f"owner: {s.raw[m2.start() : m2.end()]} (with a date)"
    return None


_ACK = _labelled(
    "acknowledges",
    _rx(
        r"i hear (?:you|that|what you're saying|the concern|your|where)|i'm hearing",
        r"(?:that's|that is|it's|it is|this is|which is|those are|these are|totally|completely"
        r"|a) (?:a |an )?(?:really |very |totally |completely |absolutely |entirely )?(?:fair"
        r"|valid|good|great|real|legitimate|reasonable|important|serious|understandable"
        r"|well[- ]founded|genuine|big) (?:point|concern|worry|question|challenge|risk|issue"
        r"|callout|call[- ]out|flag|ask|pushback|objection)s?",
        r"(?:fair|valid|good|great|legitimate|reasonable) (?:point|concern|question|catch"
        r"|callout)s?|fair enough",
        r"you(?:'re| are) (?:absolutely |totally |completely |not wrong|right|correct)"
        r"(?:right|correct)?(?: that| to| about)?|you have a point",
        r"(?:legal|engineering|marketing|research|design|privacy|security|finance|sales|the team"
        r"|they|he|she)(?: is| are|'s|'re) (?:right|correct) (?:to|that|about)",
        r"i (?:completely |totally |fully |really |definitely |do )?(?:understand|get|appreciate"
        r"|hear|see|respect|recogni[sz]e|acknowledge|share|take|accept)\s(?:the |your |their |his"
        r" |her |legal's |marketing's |engineering's |research's |this |that |these |those )?"
        r"(?:concerns?|worry|worries|point|perspective|position|view|pressure|constraints?"
        r"|risks?|frustration|hesitation|fear|reservations?|objections?|pushback|urgency"
        r"|deadline|reasoning|logic|need|ask)",
        r"i (?:completely |totally |fully |really |definitely |do )?(?:understand|get|see"
        r"|appreciate) (?:why|where (?:you're|you are|they're|they are|that's) coming from|that"
        r" (?:you|they|legal|marketing|engineering|research)|how (?:important|much|hard)"
        r"|the (?:tension|trade-?off))",
        r"(?:rightly|understandably|reasonably|justifiably) (?:worried|concerned|nervous|cautious"
        r"|anxious|pushing|asking|focused)",
        r"(?:is|are|'s|'re) (?:right|correct) to (?:worry|be (?:worried|concerned|cautious)"
        r"|push back|flag|ask|raise)",
        r"(?:the|your|their|legal's|marketing's|engineering's|research's|this|that) (?:concern"
        r"|worry|risk|point) (?:is|are) (?:valid|real|fair|legitimate|well[- ]taken|important"
        r"|serious|reasonable|right)",
        r"point taken|good catch|i agree|you raise|you raised|you've raised|to (?:address"
        r"|answer) your (?:concern|point|question)|(?:address|addressing|addresses) (?:the|your"
        r"|their|legal's|marketing's|engineering's|research's) (?:concern|worry|risk)s?",
        r"where you're coming from|i can see (?:why|that|how|the)|i don't want to (?:dismiss"
        r"|ignore|brush)|not (?:dismissing|ignoring) (?:that|the|your)|from (?:your|their"
        r"|legal's|marketing's|engineering's|research's) (?:side|perspective|point of view|seat)",
        r"(?:legal|engineering|marketing|research|design|privacy|security|finance|sales)(?:'s)?"
        r" (?:concern|worry|worries|ask|need|risk)s? (?:about|around|on|is|are|here|makes|that)",
        r"(?:research|engineering|marketing|legal|design|privacy|security|finance|sales|the \w+"
        r" team)(?:'s)? (?:wants?|needs?|is worried|are worried|worries|cares? about|is asking"
        r"|asks|is pushing|pushes|is nervous|is concerned|are concerned|has a point)",
    ),
)
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


_TRADEOFF = _labelled(
    "trade-off",
    _rx(
        r"trade[- ]?offs?|trad(?:e|es|ed|ing)(?: [\w\-]+){0,4}? (?:for|against|away|off)",
        r"at the (?:cost|expense|price) of|in (?:exchange|return) for|in return",
        r"the (?:cost|price|downside|catch|flip ?side|con) (?:is|of|here|there|being)|downsides?",
        r"(?:gives?|giving|gave) up",
        r"(?:sacrific(?:e|es|ed|ing)|forgo(?:es|ing)?|accept(?:s|ed|ing)?|tolerat(?:e|es|ed|ing)"
        r"|live with|eat(?:ing)?|absorb(?:ing)?)\s(?:a |an |some |slightly |a bit |a little "
        r"|more |less |lower |higher |slower |worse |fewer |marginally |small |modest )+\w+",
        r"(?:worth|not worth) (?:it|paying|giving|losing|trading|the cost|the risk|the delay"
        r"|waiting|a)",
        r"(?:buy|buys|bought|buying) us|(?:costs?|costing) us|means (?:giving up|delaying"
        r"|accepting|losing|slipping|waiting|less|fewer|lower|slower)|even if (?:it|that) means",
        r"(?:i|we)(?:'d| would| will|'ll)? lose (?:some|a little|a bit|\w+ (?:of|in))",
        r"(?:balanc(?:e|es|ed|ing)|weigh(?:s|ed|ing)?) (?:[\w\-]+ ){0,4}?(?:against|with|versus"
        r"|vs)",
        r"on the other hand|in exchange",
        r"(?:privacy|quality|speed|accuracy|latency|cost|time|scope|reach|safety|control|precision"
        r"|recall|coverage|freshness|personali[sz]ation|revenue|trust|polish|the date|date)"
        r" (?:against|versus|vs\.?|for|over) (?:privacy|quality|speed|accuracy|latency|cost|time"
        r"|scope|reach|safety|control|precision|recall|coverage|freshness|personali[sz]ation"
        r"|revenue|trust|polish|the date|date)",
        r"(?:prioriti[sz](?:e|es|ed|ing)|favou?r(?:s|ed|ing)?|choos(?:e|ing)|chose|pick(?:s|ed"
        r"|ing)?|optimi[sz](?:e|es|ed|ing) for|go(?:ing)? with|ship(?:ping)?) (?:[\w\-]+ ){1,5}?"
        r"(?:over|rather than|instead of|at the expense of)",
        r"(?:slower|smaller|narrower|later|less|fewer|cheaper|lower)(?: \w+)? but (?:safer|better"
        r"|more|faster|higher|cleaner|stronger|trusted)",
        r"(?:faster|sooner|bigger|broader|more)(?: \w+)? but (?:riskier|worse|less|lower|slower"
        r"|costlier)",
    ),
)

_DECISION = _labelled(
    "decision",
    _rx(
        r"(?:my|our|the) (?:final )?(?:call|decision|recommendation|verdict|proposal|pick|choice"
        r"|bet|answer|position)(?: here| then| today)? (?:is|would be|will be|here is|:|'s"
        r"|stands)",
        r"(?:my|our|the) (?:call|decision|recommendation|verdict|pick|bet):",
        r"i(?:'d| would| will|'ll| do|'m going to| am going to|'m gonna)? (?:strongly )?"
        r"(?:recommend|propose|suggest|advocate|vote)(?:s|ed|ing)?\s(?:we|that|going|shipping"
        r"|launching|delaying|holding|to|the|a|option|moving|keeping|cutting|starting|waiting"
        r"|pausing|for|against|on-device|cloud|approach|plan|it|this)",
        r"(?:i|we)(?:'d| would| will|'ll|'m going to|'re going to| am going to| are going to"
        r"|'m gonna)? (?:go with|choose|pick|opt for|bet on|land on|side with|green[- ]?light"
        r"|approve|make the call|call it|commit to|move forward with|proceed with|settle on"
        r"|lock in)",
        r"i(?:'ll)? make the (?:ship |final |launch |go/no-go )?call",
        r"(?:i|we)(?:'d| would| will|'ll|'m going to|'re going to)\s(?:probably |likely |still "
        r"|just |actually |then |first |definitely |rather )?(?:ship|launch|delay|hold"
        r"|postpone|defer|cut|drop|kill|keep|push|stick with|prioriti[sz]e|decide|go ahead"
        r"|pick|choose|move forward|proceed)",
        r"(?:let's|let us|we should|we must|we need to)\s(?:ship|launch|go with|go ahead|proceed"
        r"|move forward|hold|hold off|delay|postpone|defer|cut|drop|keep|commit|stick with"
        r"|prioriti[sz]e|pick|choose|start with|wait)",
        r"here's (?:what|my) (?:i'd|i would|i|we) ?(?:propose|recommend|do|suggest|call|proposal"
        r"|recommendation|decision)?",
        r"(?:so |then )?we (?:ship|launch|go with|hold|delay|postpone|defer)",
        r"(?:i|we)(?: have|'ve)? decided|i'm deciding|decision:|bottom line|final answer"
        r"|(?:is|would be|'s) the right call|i(?:'m| am) (?:going|landing) (?:with|on)",
        r"(?:don't|do not|won't|will not|wouldn't|would not) (?:ship|launch)(?: it| this| now"
        r"| yet)?(?![^.;]{0,60}\b(?:if|unless|until)\b)",
    ),
)

_EXPERIMENT = _labelled(
    "experiment",
    _rx(
        r"a\s?/\s?b(?:\s?/\s?n)?(?:[- ]?test(?:s|ing|ed)?)?|ab[- ]tests?|split[- ]tests?"
        r"|multivariate(?: tests?)?",
        r"hold[- ]?outs?(?: groups?| cells?| sets?)?|held[- ]out (?:group|users|players|cell)",
        r"(?:control|treatment) (?:group|arm|cell|bucket|cohort|condition)s?|(?:vs\.?|versus"
        r"|against|compared (?:to|with)) (?:the |a )?control|test (?:arm|group|cell)s?",
        r"randomi[sz](?:e|ed|es|ing|ation)|experiment(?:s|ation|al|ing|ed)?",
        r"statistical(?:ly)? significan(?:t|ce)|significance|p[- ]values?|confidence intervals?"
        r"|power analysis|statistical power|(?:well|under|adequately)[- ]powered"
        r"|sample sizes?|minimum detectable effect|(?-i:MDE)",
        r"interleav(?:ing|ed)(?: tests?)?|switchback(?: tests?)?|diff(?:erence)?[- ]in[- ]diff"
        r"(?:erence)?s?|quasi[- ]experiment\w*|counterfactual|synthetic control",
        r"(?:run|ran|set up|design|launch|start)(?:s|ning|ed|ing)? (?:a|an|the) (?:\w+ )?(?:test"
        r"|trial|bake[- ]?off)",
        r"\d{1,2}\s?/\s?\d{1,2} split|50/50|(?:traffic|user) split|bucket(?:s|ed|ing)",
        r"novelty (?:effect|bias)|primacy effect|novelty is a (?:worry|risk|concern)"
        r"|shadow (?:test|comparison)|side[- ]by[- ]side (?:test|comparison|eval(?:uation)?)",
    ),
)

_DRIFT = _labelled(
    "drift",
    _rx(
        r"(?:data |concept |model |feature |label |prediction |input |covariate |seasonal )?"
        r"drift(?:s|ed|ing)?(?! (?:into|toward|towards|away|apart|off))",
        r"(?:distribution(?:al)?|data|covariate|domain|population|dataset|input|label|prior"
        r"|concept) shifts?|shift(?:s|ed|ing)? in (?:the )?(?:distribution|data|inputs?"
        r"|population|user behaviou?r|mix|lighting|devices?|usage)",
        r"distributions? (?:change|changes|changed|moves?|moved|shifts?|shifted|diverge)",
        r"out[- ]of[- ]distribution|(?-i:OOD)|training[- ]serving skew|skew(?:ed)? (?:between"
        r"|from|against)",
        r"(?-i:PSI)|population stability|kl[- ]divergence|kolmogorov|(?-i:KS)[- ]tests?"
        r"|jensen[- ]shannon|wasserstein|chi[- ]squared?",
        r"(?:monitor|track|watch|alert|compare|check|log|chart|plot|dashboard)(?:s|ed|ing)?\s"
        r"(?:on\s|for\s)?(?:the\s|our\s|live\s|incoming\s|production\s|daily\s|weekly\s)?"
        r"(?:input|output|prediction|confidence|score|embedding|feature|image|label|class)s?"
        r"(?:\s(?:distributions?|mix|statistics|stats|histograms?|scores?|rates?))?",
        r"(?:input|output|prediction|confidence|score|embedding|feature|class|label)s? (?:distri"
        r"butions?|histograms?|statistics|stats|mix)",
        r"(?:model|performance|quality|accuracy) (?:decay|degradation|degrades|degrading|erodes"
        r"|erosion|rot)|(?:decays?|degrades?|degrading) (?:over time|silently|in production)",
        r"compar(?:e|ed|ing) (?:live|production|this week's|today's|recent|incoming|new) (?:data"
        r"|inputs|images|traffic|predictions|scores|photos) (?:to|against|with)|against (?:the )?"
        r"(?:training|reference|baseline) (?:data|set|distribution|window)",
        r"reference (?:window|distribution)|baseline distribution",
        r"compar(?:e|ed|ing)(?: \w+){0,3} (?:against|to|with) (?:what (?:the|our) model (?:was|is)"
        r" trained on|the training (?:data|set|distribution|mix)|training)",
        r"(?:input|scene|traffic|device|class|label|data) mix|mix of (?:inputs|scenes|devices"
        r"|phones|traffic|lighting|queries|users)",
        r"(?:mean |average |model |mask |prediction |output )confidence|confidence (?:of the"
        r" (?:model|masks?|predictions?|classifier)|scores? (?:drop|fall|shift|distribution))",
        r"(?:monitor|track|watch|alert on|compare|chart|plot)(?:s|ed|ing)? (?:the )?distributions?"
        r" of",
    ),
)

_PIPELINE_STAGES: Final[tuple[tuple[str, str], ...]] = (
    (
        "data",
        r"data (?:collection|sourcing|pipelines?|ingestion|quality|freshness|contracts?|logging"
        r"|lineage)|collect(?:s|ed|ing)? (?:more |new |fresh |the |training |user )?(?:data"
        r"|images|photos|examples|samples|logs|feedback)|(?:training|raw|interaction|event"
        r"|behaviou?ral|click|implicit|explicit) (?:data|logs|signals)|datasets?"
        r"|ingest(?:s|ed|ion|ing)?|(?-i:ETL)|pre-?process(?:ing|ed)?|feature (?:store|pipeline"
        r"|engineering|extraction)|(?:from|the|our|event|usage|interaction|click|play|server)"
        r" logs|clean(?:s|ing|ed)? (?:the |up )?(?:data|it|labels)|data cleaning"
        r"|(?:make|makes|build|builds|compute|computes|extract|extracts) (?:the )?features|(?:feature"
        r"|engineering|extraction)|sampl(?:e|ed|ing) (?:of|from|strategy)|consent(?:ed)? data",
    ),
    (
        "labelling",
        r"label(?:l)?(?:ing|ed|er|ers)|labels|relabel(?:l)?(?:ing|ed)?|annotat(?:e|ed|ion|ions"
        r"|ors?|ing)|ground[- ]truth|golden (?:set|dataset|data)|human (?:review|raters?"
        r"|labell?ers|rating|evaluation|judg(?:e)?ments|in the loop)|raters?|rating guidelines",
    ),
    (
        "training",
        r"re-?train(?:s|ed|ing)?|train(?:s|ed|ing)? (?:the |a |our |an |new )?(?:\w+ )?(?:model"
        r"|models|classifier|ranker|network|on)|training (?:run|runs|job|jobs|pipeline|set|data"
        r"|loop|cadence)|training|fine[- ]?tun(?:e|es|ed|ing)|hyper[- ]?parameters?|model (?:training"
        r"|development|iteration)",
    ),
    (
        "evaluation",
        r"eval(?:uation|uations|s)?|offline (?:metrics|tests?|results|benchmarks?)|test sets?"
        r"|validation (?:sets?|data)|held[- ]out (?:sets?|data)|benchmark(?:s|ing)?"
        r"|back-?test(?:s|ing)?|error analysis|slic(?:e|es|ed|ing) (?:by|the|results|analysis"
        r"|metrics)|sliced|shadow (?:mode|test|eval\w*|deploy\w*|traffic)|offline[- ]online"
        r"|bake[- ]?off|red[- ]team(?:ing)?|evaluat(?:e|ed|ing) (?:the )?(?:model|classifier"
        r"|ranker|offline|on)",
    ),
    (
        "serving",
        r"serv(?:e|es|ed|ing) (?:the )?(?:model|predictions|recommendations|results)|serving"
        r"|inference|deploy(?:s|ed|ing|ment|ments)?|on[- ]device|in the cloud|cloud (?:model"
        r"|inference|processing|api)|edge (?:model|inference|device)|model registry|(?:in|to"
        r"|into) production|endpoints?|(?:latency|compute|memory) budget|caching",
    ),
    (
        "monitoring",
        r"monitor(?:s|ed|ing)?|dashboards?|alert(?:s|ed|ing)?|observability|on[- ]call"
        r"|telemetry",
    ),
)
_PIPELINE_RX, _PIPELINE_NAMES = _named(_PIPELINE_STAGES)
_PIPELINE_FALSE = _rx(
    r"(?:market|salary|comp(?:ensation)?|pay|industry) benchmarks?|record labels?",
    r"benchmark(?:s|ed|ing)? (?:the |my |our |your )?(?:salary|comp|compensation|offer|pay)",
    r"(?:serving|serve) (?:customers|users|players|people|the business)",
)


def _pipeline(s: _Sentence, _all: list[_Sentence]) -> Found | None:
    bad = [m.span() for m in _PIPELINE_FALSE.finditer(s.text)]
    stages: list[str] = []
    first: tuple[int, int] | None = None
    for m in _PIPELINE_RX.finditer(s.text):
        if bad and _overlaps(m.span(), bad):
            continue
        assert m.lastgroup is not None
        stage = _PIPELINE_NAMES[int(m.lastgroup[1:])]
        if stage not in stages:
            stages.append(stage)
        if first is None:
            first = m.span()
    if first is None:
        return None
    label = "stage" if len(stages) == 1 else "stages"
    return first[0], first[1], f"{label}: {', '.join(stages)}"


_CHANGE_VERB = (
    r"(?:grew|grow(?:s|ing)?|increas(?:ed|es|ing)|improv(?:ed|es|ing)|rais(?:ed|ing)"
    r"|boost(?:ed|ing)|lift(?:ed|ing)|cut|cutting|reduc(?:ed|es|ing)|lower(?:ed|ing)"
    r"|dropp(?:ed|ing)|decreas(?:ed|ing)|sav(?:ed|ing)|doubl(?:ed|ing)|tripl(?:ed|ing)"
    r"|quadrupl(?:ed|ing)|halv(?:ed|ing)|drove|driving|delivered|generat(?:ed|ing)|added|moved"
    r"|brought|hit|reached|achiev(?:ed|ing)|won|beat|shrank|shrunk|slash(?:ed|ing)"
    r"|trimm(?:ed|ing)|climb(?:ed|ing)|rose|risen|jump(?:ed|ing)|gain(?:ed|ing)"
    r"|earn(?:ed|ing)|recover(?:ed|ing)|unlock(?:ed|ing)|contribut(?:ed|ing)|exceed(?:ed|ing)"
    r"|scal(?:ed|ing)|expand(?:ed|ing)|accelerat(?:ed|ing)|sped up|shorten(?:ed|ing)"
    r"|eliminat(?:ed|ing)|went (?:up|down|from)|up|down|fell|fallen|declin(?:ed|ing)"
    r"|outperform(?:ed|ing)|convert(?:ed|ing)|landed|captured|freed up|resulting in|led to"
    r"|leading to|resulted in|lifts?|boosts?|cuts?|reduces?|improves?|increases?)"
)
_CHANGE_NOUN = (
    r"(?:lift|uplift|increase|improvement|gain|growth|reduction|drop|decrease|decline|jump|boost"
    r"|rise|savings?|cut|win|bump|delta|more|fewer|less|higher|lower|faster|slower|better"
    r"|cheaper|bigger|smaller|reduction)"
)
_QUANT = _labelled(
    "result",
    re.compile(
        rf"(?<!\w)(?:{_CHANGE_VERB}\W+(?:[\w'\-]+\W+){{0,7}}?(?:by |to |from |of )?"
        rf"{_SIGNIFICANT}(?!\w)"
        rf"|(?:{lx.PERCENT}|{lx.DIGITS}\s?x|{lx.NUMBER_WORD}\s?(?:times|x)|{lx.DIGITS} times)"
        rf"\s(?:[\w\-]+\s)?{_CHANGE_NOUN}(?!\w)"
        rf"|from {_NUMBER}(?:\s?[\w%]+)? (?:down |up )?to {_NUMBER}(?!\w)"
        r"|(?:doubled|tripled|quadrupled|halved|\d+x'?d|10x(?:ed)?))",
        re.IGNORECASE,
    ),
)
_SCALE = re.compile(
    rf"(?<!\w){lx.DIGITS}\s?(?:k|m|million|thousand|billion|\+)?\s(?:(?:monthly|daily|weekly"
    r"|active|paying|new)\s)?(?:users|players|customers|subscribers|downloads|installs|devices"
    r"|members|creators|titles|images|photos|countries|markets)(?!\w)",
    re.IGNORECASE,
)
_FIRST_PERSON = re.compile(r"\b(?:i|we|my team|our team|my)\b", re.IGNORECASE)
_CONDITIONAL_BEFORE = re.compile(r"\b(?:if|unless|should|whenever|in case)\b", re.IGNORECASE)


def _quantified_result(s: _Sentence, _all: list[_Sentence]) -> Found | None:
    for m in _QUANT.finditer(s.text):
        if _CONDITIONAL_BEFORE.search(s.text, 0, m.start()):
            continue
        return m.start(), m.end(), f"result: {s.raw[m.start() : m.end()]}"
    m2 = _SCALE.search(s.text)
    if m2 and _FIRST_PERSON.search(s.text) and not _CONDITIONAL_BEFORE.search(s.text):
        return m2.start(), m2.end(), f"scale: {s.raw[m2.start() : m2.end()]}"
    return None


_MOTIVATION = _labelled(
    "motivation",
    _rx(
        r"why (?:sony|this role|this team|this job|here|now|me|i'm applying|i applied)",
        r"what (?:draws|drew|attracts|attracted|excites|excited|pulls|pulled|brings|brought"
        r"|appeals to|interests) me",
        r"(?:drawn|attracted|excited|thrilled|passionate|motivated|energi[sz]ed|inspired)"
        r" (?:to|by|about|for)",
        r"i(?:'ve| have)? (?:always )?(?:grew|grown) up (?:with|playing|on)|lifelong (?:gamer|fan"
        r"|player)|i(?:'ve| have) been (?:a )?(?:gamer|fan|player)|(?:gamer|fan|player)"
        r" (?:since|for \w+ years|my whole life)",
        r"passion(?:ate)? (?:about|for)|i (?:genuinely |really |truly )?(?:love|care (?:deeply )?"
        r"about|enjoy) (?:games|gaming|playstation|cameras|photography|music|film|building"
        r"|the intersection|shipping|working on|products|entertainment|making)",
        r"(?:sony|sony ai|the team|the company|your team|this role|the role)(?:'s)? (?:mission"
        r"|vision|values|research|culture|scale|reach|catalog|ecosystem|history|legacy"
        r"|track record|portfolio)",
        r"(?:mission|purpose)[- ](?:driven|aligned)|(?:aligns?|resonates?|fits?) with (?:my"
        r"|what i)",
        r"(?:chance|opportunity) to (?:work|join|build|lead|bring|learn|grow|be part|help|shape"
        r"|own|take|move|apply|combine|ship|make)",
        r"(?:i want|i wanted|i'd love|i would love|i'd like|i would like|i hope|i'm hoping"
        r"|i am hoping|i'm looking|i am looking) to (?:join|work (?:at|on|with|for)|be (?:at"
        r"|part of|on|in)|move (?:into|to|closer|from)|grow|bring (?:my|what)|lead|build (?:at"
        r"|for|with|the next)|apply (?:my|what)|spend (?:the next|my)|take (?:on|my|the next)"
        r"|help sony|go deeper|get closer)",
        r"(?:the )?reason (?:i'm|i am|i)(?: \w+){0,2} (?:applying|interested|here|talking"
        r"|excited|drawn)|that's why i(?:'m| am) (?:here|applying|interested|excited)",
        r"(?:career|next|natural) (?:goal|move|step|chapter|progression)|next step in my career"
        r"|where i want to (?:be|go|grow)|long[- ]term goal",
        r"(?:join|joining|be part of|being part of) (?:sony|sony ai|the team|your team"
        r"|this team|a team that)",
        r"(?:appeals|appealing|meaningful|exciting|compelling) (?:to me|for me)"
        r"|for me personally",
    ),
)

_COMP_TOTAL = _rx(
    r"total (?:comp|compensation|package|rewards?|cash|target comp|annual comp|value)",
    r"(?-i:TC)|(?:whole|overall|full|entire|complete) (?:package|offer|comp|compensation)",
    r"package as a whole|all[- ]in (?:number|comp|compensation)",
    r"(?:cash|base) (?:and|plus|vs\.?|versus|\+|or) (?:equity|stock|bonus)",
    r"(?:equity|stock) (?:and|plus|vs\.?|versus|\+|or) (?:cash|base)",
)
_COMP_PARTS_RX, _COMP_PART_NAMES = _named(
    (
        ("base", r"base(?: salary| pay| comp(?:ensation)?| number| figure)?|salary|salaries"),
        ("bonus", r"(?:target |annual |performance )?bonus(?:es)?"),
        (
            "equity",
            r"equity(?: upside| grants?| tranche| stake)?|(?-i:RSUs?)|rsus?|stock(?: options"
            r"| grants?| units)?|stock options|vesting|vests?|refreshers?",
        ),
        ("sign-on", r"sign[- ]?(?:on|ing)(?: bonus| cash| award)?"),
        (
            "benefits",
            r"health benefits|benefits package|401\(?k\)?|pension|relocation(?: package)?"
            r"|learning budget|(?-i:PTO)",
        ),
    )
)
_COMP_FALSE = _rx(
    r"(?:user|install|player|customer|code|data|knowledge|fan|subscriber|home|air|military"
    r"|installed|existing|active) base",
    r"brand equity|(?:diversity|racial|health|gender),? (?:and )?equity|equity,? (?:and )?"
    r"inclusion|sign[- ]?on (?:page|screen|flow|with)|sign[- ]?in",
    r"(?:don't|do not|doesn't|does not) (?:really )?care (?:much |that much )?about (?:the )?"
    r"(?:equity|bonus|stock|rsus?)",
)


def _total_comp(s: _Sentence, _all: list[_Sentence]) -> Found | None:
    bad = [m.span() for m in _COMP_FALSE.finditer(s.text)]
    parts: list[str] = []
    first: Span | None = None
    for m in _COMP_PARTS_RX.finditer(s.text):
        if bad and _overlaps(m.span(), bad):
            continue
        assert m.lastgroup is not None
        part = _COMP_PART_NAMES[int(m.lastgroup[1:])]
        if part not in parts:
            parts.append(part)
        first = first or m.span()
    total = _COMP_TOTAL.search(s.text)
    if total and not (bad and _overlaps(total.span(), bad)):
        extra = f" ({', '.join(parts)})" if parts else ""
        return total.start(), total.end(), f"package: {s.raw[total.start() : total.end()]}{extra}"
    if first and any(p != "base" for p in parts):
        return first[0], first[1], f"components: {', '.join(parts)}"
    return None


_SCOPE = _labelled(
    "scope",
    _rx(
        r"(?:in|out of|within|outside(?: of)?|beyond)[- ]scope|scop(?:e|ed|ing)(?: (?:is|it"
        r"|this|down|to|of|would|for))?|non[- ]goals?|not a goal",
        r"(?:v1|version one|mvp|first version|first release|initial version|launch version)"
        r"(?: (?:is|will|would|covers?|includes?|focuses|targets|only|just|should|=|:))?",
        r"(?:we|i)(?:'ll| will|'d| would| should)? (?:start|focus|begin)(?:ing)? (?:with|on)"
        r"(?!\s*(?:\d|one|two|a (?:small|tiny)|(?:a |the )?(?:beta|pilot|canary)))",
        r"(?:not|won't|will not|wouldn't|would not|we're not|i'm not|isn't|aren't)\s(?:going to"
        r"\s)?(?:do(?:ing)?|cover(?:ing)?|includ(?:e|ing)|tackl(?:e|ing)|build(?:ing)?"
        r"|handl(?:e|ing)|solv(?:e|ing)|support(?:ing)?|address(?:ing)?|touch(?:ing)?"
        r"|target(?:ing)?)",
        r"(?:leave|leaving|left|park|parking|parked|defer|deferring|deferred|punt|punting"
        r"|exclude|excluding|excluded|descope|de-scope)\s(?:\w+\s){0,3}?(?:out|for (?:later|now"
        r"|v2|phase 2)|to (?:v2|later|phase 2|a later phase))",
        r"(?:for|in) (?:v2|version two|a later (?:phase|version|release)|later phases?)",
        r"(?:target|core|primary|initial|main|key|intended|first) (?:users?|audience|segments?"
        r"|personas?|customers?|players?|market|use[- ]cases?)",
        r"(?:who|whom) (?:is (?:this|it)|it's|this is|we're building(?: this| it)?)(?: \w+)? for"
        r"|(?:is|are|it's) for (?:new"
        r"|casual|lapsed|returning|hardcore|existing|power|first[- ]time|core|young|older|busy"
        r"|solo|competitive)",
        r"(?:new|casual|lapsed|returning|hardcore|existing|power|first[- ]time|core|mid-core"
        r"|young|older|busy|solo|competitive|dormant|heavy|light|occasional|paying|amateur"
        r"|professional|novice|beginner|japanese|european|english[- ]speaking|ps5|ps4|mobile"
        rf"|console|pc|xperia|android)\s(?:{_USERS})",
        r"(?:only|just|limited to|restrict(?:ed)? to|specifically|exclusively)\s(?:for\s|on\s"
        r"|to\s)?(?:[\w\-]+\s){0,2}?(?:users|players|devices|titles|games|markets|regions"
        r"|countries|phones|models|cameras|consoles|ps5|english|languages?|genres?|modes?"
        r"|surfaces?)",
        r"(?:a few|a handful of|one or two|a small set of|\d+|two|three|five|ten) (?:first[- ]party"
        r" |launch |popular |top |big |flagship )?(?:games|titles|franchises)",
        r"problem (?:we're|we are|i'm|i am|i'd be|we'd be) solving|the problem (?:is|here is)"
        r"|use[- ]cases?",
        r"(?:surface|placement|entry point|touchpoint)s? (?:is|are|would be|will be)|(?:on|in)"
        r" the (?:home (?:screen|page)|store|library|game hub|camera app|lock screen)",
    ),
)

_USER_VALUE = _labelled(
    "user value",
    _rx(
        rf"{_USERS}(?:'s|')?\s(?:problem|pain|pain points?|needs?|goals?|jobs?|frustrations?"
        r"|struggles?|time|experience|benefit|value|intent|wants|journey|moment)",
        r"pain[- ]points?|frustrat(?:ed|ing|ion|es)|struggl(?:e|es|ing)|annoy(?:ed|ing|ance)"
        r"|tedious|overwhelm(?:ed|ing)|choice paralysis|decision fatigue|confus(?:ed|ing)"
        r"|give up|giving up",
        rf"so (?:that )?(?:{_USERS}|they|you)",
        rf"help(?:s|ing|ed)?\s(?:{_USERS}|them|you|people)",
        rf"(?:let|lets|letting|enable|enables|enabling|allow|allows|allowing)\s(?:{_USERS}|them"
        r"|you)",
        r"sav(?:e|es|ing)\s(?:\w+\s)?(?:time|effort|clicks|minutes|hours|money|steps|taps)"
        r"|(?:spend|spending|spends) less time|less time (?:searching|scrolling|browsing"
        r"|hunting|waiting|editing|fiddling)|without having to|no longer (?:have|need) to"
        r"|in (?:one|a single|fewer) (?:tap|click|step)s?",
        r"(?:find|finds|finding|discover|discovers|discovering) (?:a |the |their |new |more "
        r"|something|content|what (?:they|you)|the right|games|shots|photos|answers|help)",
        rf"(?:the |a |each |every )?{_USERS} (?:gets?|wants?|needs?|cares? about|values?"
        r"|expects?|loves?|hates?|is trying to|are trying to|can|could|would|will)",
        rf"(?:what|why) (?:the |our |a )?{_USERS} (?:actually |really )?(?:want|wants|need|needs"
        r"|care|cares|value|values|get|gets|expect|expects|love|loves|hate|hates|see|sees|notice"
        r"|notices|experience|experiences|feel|feels)",
        r"(?:that's|this is|here's|that is) the (?:real |actual |core |user's |player's )?(?:problem"
        r"|pain|job)",
        rf"{_USERS} (?:waste|wastes|spend|spends|lose|loses|struggle|struggles|scroll|scrolls"
        r"|miss|misses|get stuck|gets stuck|give up|gives up|quit|quits|bounce|bounces|abandon"
        r"|abandons|can't|cannot|don't know|have to|has to|end up|ends up|churn|churns)",
        r"(?:value|benefit|better|easier|faster|simpler|more fun|safer|delightful|useful|helpful"
        rf"|magical) (?:to|for) (?:the |our |a )?{_USERS}",
        r"user value|customer value|user benefit|(?:player|user|customer) delight"
        r"|delight(?:ful|s)?|jobs?[- ]to[- ]be[- ]done|(?-i:JTBD)",
    ),
)

_THREAD_PHRASE = _rx(
    r"(?:that's|this is|which is|it's) (?:the|my) (?:common |through[- ]?|same )?(?:thread"
    r"|theme|through[- ]?line|pattern)",
    r"(?:common|consistent|same|recurring|connecting) (?:thread|theme|pattern|through[- ]?line)",
    r"through[- ]?line|ties? (?:back|together|into)|tied (?:back|together)",
    r"the (?:\w+ )?(?:thread|common denominator|pattern|theme) (?:through|across|in|running"
    r"|connecting|that (?:ties|connects|runs))",
    r"(?:coming|going|come|go|circle|circling|circles|bring(?:s|ing)?(?: it| me| us)?) back to",
    r"as i (?:mentioned|said|described|noted)|like i (?:said|mentioned)",
    r"throughout my (?:career|work)|every (?:role|job|team) i've",
    r"what (?:connects|ties|links|unites) (?:both|them|all|these|those|everything|it all|the two)"
    r"|(?:connects|ties) (?:both|all of (?:it|them|these)|the two)",
)
_THREAD_BACKREF = _rx(
    r"(?:that|the same) (?:project|launch|product|feature|experience|lesson|story|team|work"
    r"|recommender|model|assistant|app)(?! (?:manager|lead|is that|that))",
)
_PROPER = re.compile(r"(?<![\w'])([A-Z][A-Za-z0-9]*[a-z0-9][A-Za-z0-9]*(?: [A-Z][A-Za-z0-9]+)*)")
_NOT_THREAD_NAMES: Final = frozenset(
    (
        "I I'm I'd I'll I've The A An And But So Then Next First Second Third Finally Also "
        "Our My We They It This That These Those There Here What When Where Why How Which Who "
        "If Once Because Sony PlayStation PSN Xperia AI ML PM PMs Plus Network Sony AI "
        "January February March April May June July August September October November "
        "December Monday Tuesday Wednesday Thursday Friday Saturday Sunday Legal Engineering "
        "Marketing Research Design Product Finance Data Science Privacy Security Sales Q1 Q2 Q3 "
        "Q4 Yes No Okay Ok Well Right Sure Let Let's One Two Three Phase Step Users Players"
    ).split()
)


def _proper_names(s: _Sentence) -> set[str]:
    names: set[str] = set()
    for m in _PROPER.finditer(s.raw):
        name = m.group(1)
        if m.start() == _first_word_offset(s.raw) and " " not in name:
            continue  # a capital at the start of a sentence proves nothing
        words = [w for w in name.split() if w not in _NOT_THREAD_NAMES]
        if words:
            names.add(" ".join(words))
    return names


def _first_word_offset(raw: str) -> int:
    m = re.search(r"[A-Za-z]", raw)
    return m.start() if m else 0


def _story_threads(sentences: list[_Sentence]) -> dict[int, Found]:
    """Hits for sentences that come back to a name or theme introduced earlier."""
    out: dict[int, Found] = {}
    first_seen: dict[str, int] = {}
    for s in sentences:
        for name in _proper_names(s):
            first_seen.setdefault(name, s.index)
    for name in first_seen:
        rx = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
        idx = [s.index for s in sentences if rx.search(s.raw)]
        if len(idx) >= 2:
            for i in idx:
                if i > min(idx) and i not in out:
                    m = rx.search(sentences[i].raw)
                    assert m is not None
                    where = ", ".join(str(k) for k in idx)
                    out[i] = (m.start(), m.end(), f"thread: {name} (sentences {where})")
    for s in sentences:
        if s.index in out:
            continue
        m = _THREAD_PHRASE.search(s.text)
        if m is None and s.index > 0:
            m = _THREAD_BACKREF.search(s.text)
        if m:
            out[s.index] = (m.start(), m.end(), f"thread: {s.raw[m.start() : m.end()]}")
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
_STRUCT_INLINE = _rx(
    r"(?:in|into|cover|covers|are|have|has|see|through|about|on|with|around|watch|track|do"
    r"|need|want|care about|look at|suggest|propose)\s(?:the\s)?"
    r"(?:three|two|four|five|3|2|4|5|a few|a couple of)\s(?:things|parts|points|areas|steps"
    r"|pieces|questions|pillars|buckets|layers|phases|stages|components|priorities|criteria"
    r"|considerations|dimensions|angles|ways|decisions|levers|sections)",
    r"first,? (?:then|and then)|first\b[^.;]{1,60}\bthen\b[^.;]{1,60}\b(?:then|and finally"
    r"|finally|last(?:ly)?)",
    r"\(\d\)[^()]{1,120}\(\d\)|(?<=\s)\d\)[^)]{1,120}\s\d\)",
)


def _structure(s: _Sentence, _all: list[_Sentence]) -> Found | None:
    m = _STRUCT_START.search(s.text)
    if m:
        return m.start(), m.end(), f"signpost: {s.raw[m.start() : m.end()].strip()}"
    m = _STRUCT_INLINE.search(s.text)
    if m:
        return m.start(), m.end(), f"signpost: {s.raw[m.start() : m.end()]}"
    return None


def _simple(rx: re.Pattern[str]) -> _Detector:
    def detector(s: _Sentence, _all: list[_Sentence]) -> Found | None:
        return _first(rx, s)

    return detector


def _prioritised(s: _Sentence, _all: list[_Sentence]) -> Found | None:
    found = _first(_PRIORITY, s)
    if found:
        return found
    if s.metrics or (s.index > 0 and _all[s.index - 1].metrics):
        return _first(_PRIORITY_WITH_METRIC, s)
    return None


_ROLLOUT_NOT = _rx(r"phase(?:s|d|ing)? out|(?:phase|stage) of (?:my|his|her|their|our) (?:career|life)")


def _rollout_phase(s: _Sentence, _all: list[_Sentence]) -> Found | None:
    bad = [m.span() for m in _ROLLOUT_NOT.finditer(s.text)]
    for m in _ROLLOUT.finditer(s.text):
        if bad and _overlaps(m.span(), bad):
            continue
        return m.start(), m.end(), f"rollout: {s.raw[m.start() : m.end()]}"
    return None


_DETECTORS: Final[dict[str, _Detector]] = {
    "metric_named": _metric_named,
    "metric_prioritised": _prioritised,
    "outcome_link": _outcome_link,
    "threshold_action": _threshold_action,
    "rollout_phase": _rollout_phase,
    "stop_rule": _simple(_STOP),
    "date_commitment": _date_commitment,
    "owner_next_step": _owner_next_step,
    "acknowledgement": _acknowledgement,
    "tradeoff": _simple(_TRADEOFF),
    "decision": _simple(_DECISION),
    "experiment": _simple(_EXPERIMENT),
    "drift_monitoring": _simple(_DRIFT),
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
    the result refer to positions in ``sentences``.
    """
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
