"""The content-pack schema: a company's interview loop as validated data.

Every model forbids unknown keys, so a typo in a pack is an error, not a silently
ignored field. Cross-references (a follow-up naming a rubric criterion, a round
naming a persona) are checked in :mod:`loopready.packs.checks`, which can point
at the exact field; pydantic validators here only check one value at a time.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Id = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9_\-]*$", min_length=1, max_length=64),
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

RoundKind = Literal["screen", "case", "technical", "stakeholder", "committee", "negotiation"]

#: The linguistic signals the local grader can detect. A criterion lists the ones
#: that count as evidence for it, so a user's own pack can reuse the detectors.
Signal = Literal[
    "metric_named",  # names a metric (model, product, business or guardrail)
    "metric_prioritised",  # ranks metrics: "the two that matter", "primary", "secondary"
    "outcome_link",  # ties a model signal to a user or business outcome
    "threshold_action",  # a threshold that triggers an action
    "rollout_phase",  # a phase with an audience (beta, 5% of users, one region)
    "stop_rule",  # a guardrail or kill criterion for the launch
    "date_commitment",  # a date, week or quarter attached to a step
    "owner_next_step",  # who does what next
    "acknowledgement",  # recognises another party's concern
    "tradeoff",  # states what is given up for what
    "decision",  # makes an explicit call
    "experiment",  # an A/B test, holdout or controlled comparison
    "drift_monitoring",  # watching inputs or outputs for distribution shift
    "pipeline",  # data collection, labelling, training, evaluation, serving
    "quantified_result",  # a result with a number attached
    "motivation",  # why this company / team / role
    "total_comp",  # compensation framed as the whole package
    "scope",  # who the users are, what is in and out of scope
    "user_value",  # names the user problem or benefit
    "story_thread",  # refers back to one project or theme across the answer
    "structure",  # signposts the answer: first, second, finally
]


#: The built-in detectors a blind spot or red flag can name with ``rule:``. Each reads the
#: language of the whole answer (a metric dump is many metrics *and* no choice among them);
#: without a rule, a pack's own examples and near-misses are the detector.
Rule = Literal[
    "metric_dump",  # many metrics and no choice among them
    "jargon_without_outcome",  # model vocabulary never tied to a user or business outcome
    "experiments_without_gtm",  # tests with no result that decides a launch
    "no_tech_background_excuse",  # "I'm not technical" followed by a deflection
    "algorithm_over_decision",  # algorithm detail and no product decision
    "base_only_negotiation",  # an ask on base alone, other levers absent or waved away
    "discloses_current_salary",  # states current pay, in digits, words or shorthand
    "isolated_rounds",  # judged across rounds by the debrief, never from one answer
]


class Strict(BaseModel):
    """Base for every pack model: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Source(Strict):
    """Where a pack's facts come from."""

    title: Text
    url: str | None = None
    note: str = ""


class Interviewer(Strict):
    """Who runs a round and how they behave."""

    role: Text
    style: str = ""


class FollowUp(Strict):
    """A probe asked when the answer lacks evidence for ``criterion``."""

    id: Id
    criterion: Id
    question: Text


class Prompt(Strict):
    """One question a round may open with, with optional case material."""

    id: Id
    question: Text
    brief: str | None = None
    key_points: list[Text] = Field(
        default_factory=list,
        description="What a strong answer covers; used for reference grading.",
    )
    follow_ups: list[FollowUp] = Field(default_factory=list)
    focus: list[Id] = Field(
        default_factory=list,
        description="Criteria this question mainly tests; empty means all of the round's.",
    )
    source: str = ""
    panel: list[Id] = Field(
        default_factory=list,
        description="Stakeholder prompts: the persona ids who argue this case.",
    )
    case_facts: list[Text] = Field(
        default_factory=list,
        description="Stakeholder prompts: the figures and facts the personas argue from.",
    )


class Criterion(Strict):
    """One thing the interviewer scores, with exemplars the grader compares against."""

    id: Id
    name: Text
    weight: float = Field(gt=0, le=10)
    strong: Text
    weak: Text
    strong_examples: list[Text] = Field(min_length=1)
    weak_examples: list[Text] = Field(min_length=1)
    signals: list[Signal] = Field(default_factory=list)
    advice: Text


class Rubric(Strict):
    """The criteria one round is scored on."""

    criteria: list[Criterion] = Field(min_length=1)


class RedFlag(Strict):
    """A judgment failure that sinks an answer however fluent it is.

    Found by similarity to ``examples`` against ``near_misses`` (the negated, conditional
    or safe versions), read with negation and condition cues, or by a named ``rule``. A hit
    caps the criteria in ``caps`` and the round's overall score.
    """

    id: Id
    name: Text
    why: Text = Field(description="Why it sinks the answer.")
    better: Text = Field(description="What to do instead.")
    examples: list[Text] = Field(default_factory=list)
    near_misses: list[Text] = Field(default_factory=list)
    caps: list[Id] = Field(default_factory=list, description="Criterion ids it caps.")
    rule: Rule | None = None


class Round(Strict):
    """One interview in the loop (or a practice round outside it)."""

    id: Id
    name: Text
    kind: RoundKind
    minutes: int = Field(gt=0, le=480)
    day: int = Field(ge=0, le=365, description="Day offset from the loop's start.")
    interviewer: Interviewer
    goal: Text
    prompts: list[Prompt] = Field(min_length=1)
    rubric: Rubric
    personas: list[Id] = Field(
        default_factory=list, description="Persona ids taking part (stakeholder rounds)."
    )
    red_flags: list[RedFlag] = Field(
        default_factory=list, description="Judgment failures that sink an answer in this round."
    )


class BlindSpot(Strict):
    """A failure pattern the grader looks for, and what to do instead."""

    id: Id
    name: Text
    description: Text
    examples: list[Text] = Field(min_length=1)
    better: Text
    rounds: list[Id] = Field(
        default_factory=list, description="Rounds where it applies; empty means every round."
    )
    rule: Rule | None = Field(
        default=None, description="A built-in detector; without one, the examples are used."
    )
    near_misses: list[Text] = Field(
        default_factory=list, description="Sentences that look like it but do not show it."
    )


class Pushback(Strict):
    """A line a persona says when the candidate's words trigger it.

    It fires when any ``if_any`` phrase appears (or ``if_any`` is empty) and no
    ``unless_any`` phrase appears anywhere in the candidate's turns so far.
    """

    id: Id
    line: Text
    if_any: list[Text] = Field(default_factory=list)
    unless_any: list[Text] = Field(default_factory=list)


class Issue(Strict):
    """One concern a persona tracks through the role-play.

    It is *addressed* by a concrete commitment on its topic (a decision, an owner, a
    trade-off, a proposal with a figure or an owner), *acknowledged* when the candidate
    restates it or concedes it, and *dismissed* when waved away (or, when
    ``before_launch``, put off until after the launch).
    """

    id: Id
    concern: Text
    main: bool = Field(
        default=True,
        description="The persona is satisfied only when every main issue is addressed.",
    )
    before_launch: bool = Field(
        default=False,
        description="Deferring it past the launch dismisses it (a review, a kill switch).",
    )
    about: list[Text] = Field(
        min_length=1, description="Words that name the topic; naming it alone addresses nothing."
    )
    raise_line: Text = Field(description="What the persona says while the concern is open.")
    answer: Text = Field(
        description=(
            "The persona's answer to a question or challenge about it, with the case's figure."
        )
    )
    stronger: Text = Field(description="What a stronger turn would have said about it.")


class Voice(Strict):
    """How a persona sounds: its own acknowledgements and closing lines."""

    thanks: Text = "Thank you, that is what I was worried about."
    welcome: Text = "That works for me."
    doubt: Text = "That is a direction, not a plan yet: who does it, and by when?"
    escalate: Text = "I cannot let that go. If it stays like this I will have to take it higher."
    on_board: Text = "I can work with that."
    not_on_board: Text = "I am not comfortable yet."


class Persona(Strict):
    """A stakeholder in the role-play round."""

    id: Id
    name: Text
    role: Text
    position: Text
    concerns: list[Text] = Field(min_length=1)
    pushback: list[Pushback] = Field(default_factory=list)
    satisfied_by: list[Text] = Field(
        default_factory=list, description="Phrases that show the concern was addressed."
    )
    issues: list[Issue] = Field(
        default_factory=list,
        description="The concerns the role-play tracks, each with its topic, answer and advice.",
    )
    voice: Voice = Field(default_factory=Voice)


class PrepPhase(Strict):
    """A stretch of the prep plan."""

    id: Id
    name: Text
    days: int = Field(gt=0, le=120)
    min_days: int = Field(default=1, gt=0, le=120)
    tasks: list[Text] = Field(min_length=1)


class PrepFramework(Strict):
    """How to prepare, phase by phase."""

    phases: list[PrepPhase] = Field(min_length=1)
    source: str = ""


class MoneyRange(Strict):
    """A labelled range of money, with where the figure comes from."""

    label: Text
    low: float = Field(ge=0)
    high: float = Field(ge=0)
    source: Text


class PercentRange(Strict):
    """A range of percentages, with where the figure comes from."""

    low: float = Field(ge=0, le=100)
    high: float = Field(ge=0, le=100)
    source: Text


class EquityRange(PercentRange):
    """Equity as a percentage of the company, vesting over some years."""

    vesting_years: int = Field(gt=0, le=10)
    valuation: float | None = Field(
        default=None,
        gt=0,
        description="A company valuation to price the percentage with (say where it comes "
        "from in valuation_note); without it a mock offer's equity cannot be valued.",
    )
    valuation_note: str = ""


class Compensation(Strict):
    """Compensation bands: the source's figures, not market data."""

    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = "USD"
    base: list[MoneyRange] = Field(min_length=1)
    bonus_pct: PercentRange
    equity_pct: EquityRange
    sign_on: MoneyRange
    note: str = ""


class Process(Strict):
    """Facts about how the loop runs."""

    total_days: int = Field(gt=0, le=365)
    feedback_within_hours: int | None = Field(default=None, gt=0)
    offer_within_business_days: int | None = Field(default=None, gt=0)
    notes: list[Text] = Field(default_factory=list)


class FAQ(Strict):
    """A question candidates ask, answered in the pack's words."""

    question: Text
    answer: Text


class Launch(Strict):
    """A recent AI launch of the company, for the research worksheet."""

    id: Id
    name: Text
    product: Text
    summary: Text
    candidate_metrics: list[Text] = Field(default_factory=list)


class DecisionRule(Strict):
    """How the hiring committee decides, on 0-100 round scores."""

    round_bar: float = Field(ge=0, le=100, description="Every round must reach this for a hire.")
    overall_bar: float = Field(ge=0, le=100, description="Weighted mean needed for a hire.")
    strong_hire_bar: float = Field(ge=0, le=100)
    no_hire_below: float = Field(ge=0, le=100, description="Overall below this is no_hire.")
    max_inconsistencies: int = Field(
        default=0, ge=0, description="More contradictions than this block a hire."
    )
    blocking_blind_spots: list[Id] = Field(default_factory=list)
    required_rounds: list[Id] = Field(
        default_factory=list, description="Rounds that must be done before a decision."
    )
    notes: str = ""


class Pack(Strict):
    """A company's interview loop, as data."""

    id: Id
    name: Text
    company: Text
    role: Text
    version: str = "1"
    description: str = ""
    sources: list[Source] = Field(min_length=1)
    rounds: list[Round] = Field(min_length=1)
    extra_rounds: list[Round] = Field(
        default_factory=list,
        description="Practice rounds outside the loop, such as negotiation.",
    )
    blind_spots: list[BlindSpot] = Field(default_factory=list)
    personas: list[Persona] = Field(default_factory=list)
    prep: PrepFramework
    compensation: Compensation | None = None
    process: Process
    faq: list[FAQ] = Field(default_factory=list)
    launches: list[Launch] = Field(default_factory=list)
    decision: DecisionRule
    draft: bool = Field(
        default=False,
        description="Drafted by loopready (from a job posting): every question is a starting "
        "point to check and edit; set it to false once the pack is yours.",
    )

    # -- lookups used everywhere else ------------------------------------------------

    def all_rounds(self) -> list[Round]:
        """The loop's rounds followed by the practice-only ones."""
        return [*self.rounds, *self.extra_rounds]

    def round(self, round_id: str) -> Round:
        """The round with this id; ``KeyError`` naming the valid ids otherwise."""
        for r in self.all_rounds():
            if r.id == round_id:
                return r
        valid = ", ".join(r.id for r in self.all_rounds())
        raise KeyError(f"unknown round {round_id!r}; valid rounds: {valid}")

    def persona(self, persona_id: str) -> Persona:
        for p in self.personas:
            if p.id == persona_id:
                return p
        raise KeyError(f"unknown persona {persona_id!r}")

    def blind_spots_for(self, round_id: str) -> list[BlindSpot]:
        """Blind spots that apply to a round (those with no rounds apply everywhere)."""
        return [b for b in self.blind_spots if not b.rounds or round_id in b.rounds]
