"""The brief linter: what a PM coach would circle in red, each with a one-sentence fix.

Every finding has a rule id, a severity (``error``, ``warning`` or ``info``), a dotted
location (``kpis.primary.2``, ``rollout.1.start``, counted from 0 like the loader's
errors), a message quoting what it found, and a fix in one sentence.

Metric and jargon detection is the grader's (:mod:`loopready.grading.signals` over
:mod:`loopready.grading.lexicon`), so a brief and a spoken answer are judged by the
same words: a north star whose first metric is a model metric (``NDCG``, ``precision``)
is a model metric, and ML terms count as jargon unless the sentence ties them to
what users or the business get.

Public API::

    lint(brief, layout=True) -> list[Finding]
    lint_document(doc, layout=True) -> list[Finding]   # with YAML line numbers
    RULES: dict[str, Rule]                              # every rule, for docs and --help
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Any, Final, Literal

from loopready.briefs.model import (
    Brief,
    BriefDocument,
    Hypothesis,
    Kpi,
    Kpis,
    Phase,
    Risk,
    Stakeholder,
)
from loopready.grading import lexicon as lx
from loopready.grading.signals import Analysis, analyse
from loopready.language.fillers import HEDGES
from loopready.language.numbers import DIGITS, NUMBER_WORD, QUANTITY
from loopready.language.sentences import split_sentences
from loopready.language.words import content_words, words

Severity = Literal["error", "warning", "info"]
SEVERITIES: Final[tuple[Severity, ...]] = ("error", "warning", "info")


@dataclass(frozen=True)
class Rule:
    """One check: its id, how serious a finding is, and what it looks for."""

    id: str
    severity: Severity
    checks: str


@dataclass(frozen=True)
class Finding:
    """One problem in a brief, where it is, and how to fix it in one sentence."""

    rule: str
    severity: Severity
    location: str
    message: str
    fix: str
    line: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _rules(*rows: tuple[str, Severity, str]) -> dict[str, Rule]:
    return {rid: Rule(rid, sev, checks) for rid, sev, checks in rows}


#: Every rule, in the order findings are reported.
RULES: Final[dict[str, Rule]] = _rules(
    ("placeholder_text", "error", "Template placeholders left in: TODO, TBD, XX, <your text>."),
    ("summary_missing", "warning", "No summary saying what the feature does."),
    (
        "hypothesis_missing_part",
        "error",
        "A part of the market hypothesis is empty: who, problem, why now, how big, statement.",
    ),
    (
        "unfalsifiable_hypothesis",
        "error",
        "The hypothesis statement cannot be proven wrong: no number, no time frame, or hedged.",
    ),
    ("market_size_not_quantified", "warning", "'How big' gives no number."),
    ("north_star_missing", "error", "The KPI hierarchy has no north star."),
    (
        "model_metric_as_north_star",
        "error",
        "The north star is a model metric (precision, NDCG...) rather than a user or business one.",
    ),
    ("too_many_primary_kpis", "error", "More than two primary KPIs."),
    ("no_primary_kpi", "warning", "No primary KPI under the north star."),
    (
        "kpi_without_outcome",
        "error",
        "A north-star or primary KPI measures the model, not what users or the business get.",
    ),
    ("kpi_without_definition", "warning", "A KPI with no definition of what is counted."),
    (
        "kpi_without_baseline_or_target",
        "warning",
        "A KPI missing its baseline, its target or both.",
    ),
    ("target_not_measurable", "warning", "A KPI target with no number in it."),
    (
        "kpi_without_model_signal",
        "warning",
        "A north-star or primary KPI that does not name the model signal that moves it.",
    ),
    ("duplicate_kpi", "warning", "The same KPI appears twice in the hierarchy."),
    ("no_guardrail", "error", "No guardrail: nothing the launch promises not to break."),
    ("guardrail_not_enforced", "info", "A guardrail that no stop (no-go) criterion mentions."),
    ("rollout_missing", "error", "No rollout phases."),
    ("big_bang_launch", "warning", "The rollout goes to everyone at once."),
    ("phase_without_date", "error", "A rollout phase with no start date."),
    (
        "dates_out_of_order",
        "error",
        "A phase ends before it starts, or starts before the phase before it.",
    ),
    ("phase_without_audience", "warning", "A phase that says neither who is in it nor what share."),
    ("phase_audience_not_increasing", "warning", "A phase exposes no more users than the last."),
    (
        "rollout_without_criteria",
        "error",
        "A phase with no go / no-go criteria (or, before the last phase, no go criteria).",
    ),
    ("criteria_not_measurable", "warning", "Go or no-go criteria with no number to check."),
    ("no_stop_rule", "error", "No phase says what makes you pause or roll back."),
    ("no_risks", "warning", "No risks listed."),
    ("risk_without_mitigation", "warning", "A risk with no mitigation."),
    ("no_stakeholders", "warning", "No stakeholders listed."),
    ("stakeholder_without_need", "warning", "A stakeholder without what they need."),
    (
        "jargon_density",
        "warning",
        "ML terms not tied to an outcome: 2+ in one field and 1 per 20 words, or 4+ in the brief "
        "(model-signal fields are exempt).",
    ),
    ("too_long_for_one_page", "error", "The PDF would run past one page."),
)

# -- detection helpers (the grader's lexicon, compiled once) ----------------------------

_BASE_KIND: Final = {name: kind for name, kind, _ in lx.METRICS}
_NOT_YEAR = r"(?!(?:19|20)\d\d(?!\d))"
_COUNT = rf"(?:{DIGITS}|{NUMBER_WORD}|zero)"
_NUMBER = re.compile(
    rf"(?<![\w.]){_NOT_YEAR}(?:{QUANTITY}|{_COUNT} (?:in|out of) {_COUNT})(?!\w)",
    re.IGNORECASE,
)
_HEDGE = re.compile(
    r"(?<!\w)(?:" + "|".join(f"(?P<h{i}>{p})" for i, (_, p) in enumerate(HEDGES)) + r")(?!\w)",
    re.IGNORECASE,
)
_HEDGE_NAMES: Final = [name for name, _ in HEDGES]
_OUTCOME = re.compile(
    rf"(?<!\w)(?:{lx.USER_NOUNS}(?:\W+\w+){{0,3}}?\W+{lx.USER_OUTCOME_VERBS}|{lx.OUTCOME_WORDS})"
    r"(?!\w)",
    re.IGNORECASE,
)
_TIMEFRAME = re.compile(
    r"(?<!\w)(?:" + "|".join(lx.DATE_EXPRESSIONS) + rf"|{lx.DURATION})(?!\w)", re.IGNORECASE
)
_PLACEHOLDER = re.compile(
    r"\b(?:TODO|TBD|TBC|FIXME|XXX?)\b|\bX{2,}\b|lorem ipsum|<[A-Za-z][^<>\n]{0,40}>|\?\?\?",
)

#: Jargon thresholds: a field is dense at 2+ untied terms and 1 per 20 words; the whole
#: brief at 4+ untied terms.
_JARGON_FIELD_MIN: Final = 2
_JARGON_WORDS_PER_TERM: Final = 20
_JARGON_BRIEF_MIN: Final = 4


def _analyse(*texts: str) -> Analysis:
    sentences: list[str] = []
    for t in texts:
        sentences += split_sentences(t)
    return analyse(sentences)


def has_number(text: str) -> bool:
    """Whether ``text`` holds a quantity that can be checked (years do not count)."""
    return _NUMBER.search(text) is not None


def _hedges(text: str) -> list[str]:
    found: list[str] = []
    for m in _HEDGE.finditer(text):
        assert m.lastgroup is not None
        name = _HEDGE_NAMES[int(m.lastgroup[1:])]
        if name not in found:
            found.append(name)
    return found


def lead_metric(kpi: Kpi) -> tuple[str, str] | None:
    """The first metric the KPI names (its name first, then its definition) and its kind."""
    for text in (kpi.name, kpi.definition):
        metrics = _analyse(text).metrics
        if metrics:
            name = metrics[0].name
            return name, _BASE_KIND.get(name, metrics[0].kind)
    return None


def _has_outcome(a: Analysis, text: str) -> bool:
    if any(_BASE_KIND.get(m.name, m.kind) != "model" for m in a.metrics):
        return True
    if a.hits["outcome_link"] or a.hits["user_value"]:
        return True
    return _OUTCOME.search(text) is not None


def _is_technical(a: Analysis) -> bool:
    return bool(a.jargon or a.hits["pipeline"] or a.hits["drift_monitoring"])


def _quote(text: str, limit: int = 80) -> str:
    one = " ".join(text.split())
    return f"“{one if len(one) <= limit else one[: limit - 1].rstrip() + '…'}”"


# -- the checks -------------------------------------------------------------------------


def _f(rule: str, location: str, message: str, fix: str) -> Finding:
    return Finding(rule, RULES[rule].severity, location, message, fix)


def _text_fields(brief: Brief) -> Iterator[tuple[str, str]]:
    """Every free-text field with its location, in page order."""
    yield "title", brief.title
    yield "product", brief.product
    yield "summary", brief.summary
    for part in ("who", "problem", "why_now", "size", "statement"):
        yield f"hypothesis.{part}", getattr(brief.hypothesis, part)
    for loc, k in brief.kpis.all():
        for part in ("name", "definition", "baseline", "target", "model_signal"):
            yield f"{loc}.{part}", getattr(k, part)
    for i, p in enumerate(brief.rollout):
        for part in ("name", "audience", "go", "no_go"):
            yield f"rollout.{i}.{part}", getattr(p, part)
    for i, r in enumerate(brief.risks):
        for part in ("risk", "mitigation", "owner"):
            yield f"risks.{i}.{part}", getattr(r, part)
    for i, s in enumerate(brief.stakeholders):
        yield f"stakeholders.{i}.who", s.who
        yield f"stakeholders.{i}.needs", s.needs
    yield "note", brief.note


def _check_placeholders(brief: Brief) -> Iterator[Finding]:
    for loc, text in _text_fields(brief):
        m = _PLACEHOLDER.search(text)
        if m:
            yield _f(
                "placeholder_text",
                loc,
                f"“{m.group(0)}” is a placeholder, not content.",
                "Replace it with the real text, or delete the field if you have nothing yet.",
            )


def _check_header(brief: Brief) -> Iterator[Finding]:
    if not brief.summary:
        yield _f(
            "summary_missing",
            "summary",
            "The brief never says what the feature does.",
            "Add a one- or two-sentence summary: what the user sees and what the model does.",
        )


_PARTS: Final = {
    "who": ("who it is for", "Name the users narrowly: which owners, doing what, how often."),
    "problem": ("their problem", "Write the problem as the user would say it."),
    "why_now": (
        "why now",
        "Say what changed (technology, market, cost) that makes this possible now.",
    ),
    "size": ("how big", "Size the opportunity with one number and where it comes from."),
    "statement": (
        "the hypothesis statement",
        "Write one claim: who will do what, by how much, by when, compared with what.",
    ),
}


def _check_hypothesis(brief: Brief) -> Iterator[Finding]:
    h = brief.hypothesis
    for part, (label, fix) in _PARTS.items():
        if not getattr(h, part):
            yield _f(
                "hypothesis_missing_part",
                f"hypothesis.{part}",
                f"The market hypothesis is missing {label}.",
                fix,
            )
    if h.statement:
        missing: list[str] = []
        if not has_number(h.statement):
            missing.append("no number")
        a = _analyse(h.statement)
        if not (a.hits["date_commitment"] or _TIMEFRAME.search(h.statement)):
            missing.append("no time frame")
        if not a.metrics and not _has_outcome(a, h.statement):
            missing.append("no measurable outcome")
        hedges = _hedges(h.statement)
        if hedges:
            missing.append("hedged with " + ", ".join(f"“{w}”" for w in hedges))
        if missing:
            yield _f(
                "unfalsifiable_hypothesis",
                "hypothesis.statement",
                f"{_quote(h.statement)} cannot be proven wrong: {', '.join(missing)}.",
                "Commit to a result you could miss: “X users will do Y at least N% more than a "
                "holdout within W weeks”.",
            )
    if h.size and not has_number(h.size):
        yield _f(
            "market_size_not_quantified",
            "hypothesis.size",
            f"{_quote(h.size)} gives no number.",
            "Give one figure (users, hours, money) and say whether it is measured or assumed.",
        )


def _check_kpis(brief: Brief) -> Iterator[Finding]:
    kpis = brief.kpis
    ns = kpis.north_star
    if ns is None:
        yield _f(
            "north_star_missing",
            "kpis.north_star",
            "There is no north star: nothing says which number wins arguments.",
            "Pick the one user or business number the feature exists to move and make it the "
            "north star.",
        )
    else:
        lead = lead_metric(ns)
        if lead is not None and lead[1] == "model":
            yield _f(
                "model_metric_as_north_star",
                "kpis.north_star",
                f"The north star {_quote(ns.name)} is a model metric ({lead[0]}): users never "
                "see it.",
                f"Make the north star what users do or the business earns, and move {lead[0]} "
                "to its model signal.",
            )
        else:
            yield from _check_outcome("kpis.north_star", ns, lead)
    if len(kpis.primary) > 2:
        extra = ", ".join(_quote(k.name, 40) for k in kpis.primary[2:])
        yield _f(
            "too_many_primary_kpis",
            "kpis.primary.2",
            f"{len(kpis.primary)} primary KPIs; at most two keep the story focused "
            f"(extra: {extra}).",
            "Keep the two that most directly show user value and make the rest guardrails or "
            "drop them.",
        )
    if ns is not None and not kpis.primary:
        yield _f(
            "no_primary_kpi",
            "kpis.primary",
            "Nothing sits between the north star and the model: no primary KPI.",
            "Add one or two primary KPIs that move before the north star does.",
        )
    for i, k in enumerate(kpis.primary):
        lead = lead_metric(k)
        if lead is not None and lead[1] == "model":
            yield _f(
                "kpi_without_outcome",
                f"kpis.primary.{i}",
                f"{_quote(k.name)} is a model metric ({lead[0]}), not something users or the "
                "business get.",
                f"Replace it with the user behaviour it should change, and list {lead[0]} as "
                "that KPI's model signal.",
            )
        else:
            yield from _check_outcome(f"kpis.primary.{i}", k, lead)
    if not kpis.guardrails:
        yield _f(
            "no_guardrail",
            "kpis.guardrails",
            "No guardrails: nothing says what this launch must not break.",
            "Add one to three guardrails (e.g. complaints, latency, opt-outs) with the limit "
            "that stops the rollout.",
        )
    seen: dict[str, str] = {}
    for loc, k in kpis.all():
        yield from _check_kpi_fields(loc, k, required=not loc.startswith("kpis.guardrails"))
        key = " ".join(words(k.name))
        if key in seen:
            yield _f(
                "duplicate_kpi",
                loc,
                f"{_quote(k.name)} is already listed at {seen[key]}.",
                "Keep it in one tier only: the highest one it belongs to.",
            )
        else:
            seen[key] = loc


def _check_outcome(loc: str, k: Kpi, lead: tuple[str, str] | None) -> Iterator[Finding]:
    if lead is not None:
        return
    text = f"{k.name}. {k.definition}"
    a = _analyse(k.name, k.definition)
    if _is_technical(a) and not _has_outcome(a, text):
        yield _f(
            "kpi_without_outcome",
            loc,
            f"{_quote(k.name)} measures the model or its pipeline, not what users or the "
            "business get.",
            "Name the user behaviour or business result this should change, and keep the model "
            "measure as its model signal.",
        )


def _check_kpi_fields(loc: str, k: Kpi, *, required: bool) -> Iterator[Finding]:
    name = _quote(k.name, 40)
    if not k.definition:
        yield _f(
            "kpi_without_definition",
            f"{loc}.definition",
            f"{name} has no definition: two people would count it differently.",
            "Define it: what is counted, over whom, over what period.",
        )
    lacking = [w for w, v in (("baseline", k.baseline), ("target", k.target)) if not v]
    if lacking:
        yield _f(
            "kpi_without_baseline_or_target",
            f"{loc}.{lacking[0]}",
            f"{name} has no {' and no '.join(lacking)}.",
            "Give today's value (or “new: pilot estimate N”) and the value you commit to.",
        )
    if k.target and not has_number(k.target):
        yield _f(
            "target_not_measurable",
            f"{loc}.target",
            f"The target {_quote(k.target, 40)} for {name} has no number.",
            "Write the target as a number with a date: “70% by general availability”.",
        )
    if required and not k.model_signal:
        yield _f(
            "kpi_without_model_signal",
            f"{loc}.model_signal",
            f"{name} does not say which model signal moves it.",
            "Name the model measure you would tune to move this KPI (e.g. top-1 agreement, "
            "recall on a labelled set).",
        )


def _check_guardrails_enforced(brief: Brief) -> Iterator[Finding]:
    stops = " ".join(p.no_go for p in brief.rollout)
    if not stops.strip():
        return  # no_stop_rule says it already
    stop_metrics = {m.name for m in _analyse(stops).metrics}
    stop_words = set(content_words(stops))
    for i, g in enumerate(brief.kpis.guardrails):
        names = {m.name for m in _analyse(g.name).metrics}
        own = set(content_words(g.name))
        if names & stop_metrics or (own and len(own & stop_words) * 2 >= len(own)):
            continue
        yield _f(
            "guardrail_not_enforced",
            f"kpis.guardrails.{i}",
            f"No stop criterion mentions {_quote(g.name, 40)}: a guardrail nobody acts on is "
            "decoration.",
            "Add it to a phase's no-go criteria with the level that pauses the rollout.",
        )


def _check_rollout(brief: Brief) -> Iterator[Finding]:
    phases = brief.rollout
    if not phases:
        yield _f(
            "rollout_missing",
            "rollout",
            "There is no rollout plan.",
            "Add phases from internal testing to everyone, each with dates, an audience and "
            "go / no-go criteria.",
        )
        return
    first_share = phases[0].share
    if len(phases) == 1 or (first_share is not None and first_share >= 100):
        yield _f(
            "big_bang_launch",
            "rollout.0",
            "Everyone gets the feature at once, so a problem reaches every user before you see it.",
            "Start with staff or a small opt-in group and grow in steps.",
        )
    prev: Phase | None = None
    latest: tuple[str, date] | None = None  # the latest start so far, and its phase
    last = len(phases) - 1
    for i, p in enumerate(phases):
        loc = f"rollout.{i}"
        name = _quote(p.name, 40)
        if p.start is None:
            yield _f(
                "phase_without_date",
                f"{loc}.start",
                f"Phase {name} has no start date.",
                "Give each phase a start date (YYYY-MM-DD), even a planned one.",
            )
        if p.start and p.end and p.end < p.start:
            yield _f(
                "dates_out_of_order",
                f"{loc}.end",
                f"Phase {name} ends ({p.end}) before it starts ({p.start}).",
                "Swap or correct the dates.",
            )
        if p.start and latest is not None and p.start < latest[1]:
            yield _f(
                "dates_out_of_order",
                f"{loc}.start",
                f"Phase {name} starts ({p.start}) before phase {_quote(latest[0], 40)} "
                f"({latest[1]}), which is listed before it.",
                "List phases in the order they happen, or fix the dates.",
            )
        if p.start and (latest is None or p.start > latest[1]):
            latest = (p.name, p.start)
        if not p.audience and p.share is None:
            yield _f(
                "phase_without_audience",
                loc,
                f"Phase {name} does not say who is in it.",
                "Say who gets it (staff, opt-in beta, one market) and what share of users.",
            )
        if (
            prev is not None
            and p.share is not None
            and prev.share is not None
            and p.share <= prev.share
        ):
            yield _f(
                "phase_audience_not_increasing",
                f"{loc}.share",
                f"Phase {name} reaches {p.share:g}% of users, no more than the phase before "
                f"({prev.share:g}%).",
                "Grow the audience at each phase, or merge the phases.",
            )
        if not p.go and not p.no_go:
            yield _f(
                "rollout_without_criteria",
                loc,
                f"Phase {name} has no go / no-go criteria: nothing decides whether it worked.",
                "Add what must be true to go on (a number) and what makes you stop.",
            )
        elif not p.go and i < last:
            yield _f(
                "rollout_without_criteria",
                f"{loc}.go",
                f"Phase {name} says when to stop but not what earns the next phase.",
                "Add the result (with a number) that lets the next phase start.",
            )
        for part in ("go", "no_go"):
            text = getattr(p, part)
            if text and not has_number(text):
                yield _f(
                    "criteria_not_measurable",
                    f"{loc}.{part}",
                    f"{_quote(text)} has no number, so nobody can say if it was met.",
                    "Put a threshold in it: a KPI, a level and a duration.",
                )
        prev = p
    if not any(p.no_go for p in phases):
        yield _f(
            "no_stop_rule",
            "rollout",
            "No phase says what makes you pause or roll back.",
            "Give at least one phase a no-go rule tied to a guardrail, e.g. “complaints above 2 "
            "per 10,000 users rolls back”.",
        )


def _check_people(brief: Brief) -> Iterator[Finding]:
    if not brief.risks:
        yield _f(
            "no_risks",
            "risks",
            "No risks listed: every AI launch has some.",
            "List the two or three things most likely to go wrong, each with a mitigation.",
        )
    for i, r in enumerate(brief.risks):
        if not r.mitigation:
            yield _f(
                "risk_without_mitigation",
                f"risks.{i}.mitigation",
                f"The risk {_quote(r.risk, 50)} has no mitigation.",
                "Say what you will do to prevent it or to limit the damage.",
            )
    if not brief.stakeholders:
        yield _f(
            "no_stakeholders",
            "stakeholders",
            "No stakeholders listed.",
            "Name the teams whose yes you need (engineering, research, legal, marketing) and "
            "what each needs.",
        )
    for i, s in enumerate(brief.stakeholders):
        if not s.needs:
            yield _f(
                "stakeholder_without_need",
                f"stakeholders.{i}.needs",
                f"{_quote(s.who, 40)} is listed without what they need.",
                "Write what they need from you to say yes: a budget, a test set, a date, evidence.",
            )


def _jargon_fields(brief: Brief) -> Iterator[tuple[str, str]]:
    for loc, text in _text_fields(brief):
        if text and not loc.endswith(".model_signal"):
            yield loc, text


def _check_jargon(brief: Brief) -> Iterator[Finding]:
    total: list[str] = []
    flagged = False
    for loc, text in _jargon_fields(brief):
        a = _analyse(text)
        untied = [j.text for j in a.jargon if not j.tied_to_outcome]
        if not untied:
            continue
        total += untied
        n_words = max(1, len(words(text)))
        if len(untied) >= _JARGON_FIELD_MIN and len(untied) * _JARGON_WORDS_PER_TERM >= n_words:
            flagged = True
            yield _f(
                "jargon_density",
                loc,
                f"{len(untied)} ML terms in {n_words} words, none tied to an outcome: "
                f"{', '.join(dict.fromkeys(untied))}.",
                "Say what each term means for users (“so owners find their best shot faster”) "
                "or move it to a model-signal field.",
            )
    if not flagged and len(total) >= _JARGON_BRIEF_MIN:
        yield _f(
            "jargon_density",
            "brief",
            f"{len(total)} ML terms across the brief, none tied to an outcome: "
            f"{', '.join(dict.fromkeys(total))}.",
            "Keep model terms in the model-signal column and say elsewhere what users get.",
        )


def _check_length(brief: Brief) -> Iterator[Finding]:
    from loopready.briefs.pdf import measure

    layout = measure(brief)
    if not layout.fits:
        yield _f(
            "too_long_for_one_page",
            "brief",
            layout.advice()[0].upper() + layout.advice()[1:] + ".",
            f"Cut about {layout.cut_words} words; a one-page brief is a choice of what matters.",
        )


# -- entry points -----------------------------------------------------------------------


# Page order of locations, from the schema: top-level fields, then nested ones.
_TOP_ORDER: Final = {name: i for i, name in enumerate([*Brief.model_fields, "brief"])}
_SUB_ORDER: Final = {
    name: i
    for i, name in enumerate(
        dict.fromkeys(
            f
            for model in (Hypothesis, Kpis, Kpi, Phase, Risk, Stakeholder)
            for f in model.model_fields
        )
    )
}


def _page_order(f: Finding) -> tuple[tuple[int, int], ...]:
    """Sort key: where the location sits on the page (parents before their fields)."""
    key: list[tuple[int, int]] = []
    for i, part in enumerate(f.location.split(".")):
        if i == 0:
            key.append((0, _TOP_ORDER.get(part, len(_TOP_ORDER))))
        elif part.isdigit():
            key.append((1, int(part)))
        else:
            key.append((2, _SUB_ORDER.get(part, len(_SUB_ORDER))))
    return tuple(key)


def lint(brief: Brief, *, layout: bool = True) -> list[Finding]:
    """Every finding for ``brief``, in page order.

    ``layout`` also typesets the brief (about 0.1 s) to check it fits on one page.
    """
    findings: list[Finding] = []
    for check in (
        _check_placeholders,
        _check_header,
        _check_hypothesis,
        _check_kpis,
        _check_guardrails_enforced,
        _check_rollout,
        _check_people,
        _check_jargon,
    ):
        findings.extend(check(brief))
    if layout:
        findings.extend(_check_length(brief))
    return sorted(findings, key=_page_order)


def lint_document(doc: BriefDocument, *, layout: bool = True) -> list[Finding]:
    """:func:`lint`, with each finding's YAML line filled in when the source is YAML."""
    return [replace(f, line=doc.line_of(f.location)) for f in lint(doc.brief, layout=layout)]


def counts(findings: list[Finding]) -> dict[Severity, int]:
    """How many findings of each severity."""
    return {s: sum(1 for f in findings if f.severity == s) for s in SEVERITIES}
