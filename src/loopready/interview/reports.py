"""The feedback report for one finished round, in Markdown, HTML and JSON.

Everything in it comes from the stored session and its grade, so it exists the
moment the round ends and reads the same every time: the overall and
per-criterion scores with the quoted words that earned them, the blind spots
with the better alternative, delivery, what a strong answer would add (the
advice of every criterion that fell short, with an example of how a strong
answer sounds, and the prompt's key points the answer missed), the follow-ups
asked, the transcript, and the change since the candidate's earlier attempts at
the same round.

HTML is rendered by Jinja2 with autoescaping on: the candidate's own words are
shown, never interpreted.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from typing import Any, Literal

from jinja2 import Environment, PackageLoader, select_autoescape
from pydantic import BaseModel, Field

from loopready.errors import InputError
from loopready.grading.base import GradeResult, KeyPointResult
from loopready.grading.delivery_model import GradeDelivery
from loopready.interview.followups import missing_criteria
from loopready.interview.sessions import SessionView, load, roleplay_state
from loopready.interview.timebox import format_clock
from loopready.store import Database, list_sessions
from loopready.store.repo import final_grades

Format = Literal["md", "html", "json"]
FORMATS: tuple[Format, ...] = ("md", "html", "json")

#: Earlier attempts shown in a report.
HISTORY = 5


class CriterionLine(BaseModel):
    id: str
    name: str
    score: int
    weight: float
    evidence: list[str] = Field(default_factory=list)
    advice: str = ""
    #: Change in this criterion's score since the previous attempt at the round.
    change: int | None = None
    #: "not_asked": the question does not test this criterion (not counted in the score).
    status: str = "scored"
    #: Offsets of each quote in the graded answer (the candidate's turns joined), as the
    #: grade stored them; ``None`` where the quote is not in the answer word for word.
    evidence_spans: list[tuple[int, int] | None] = Field(default_factory=list)


class BlindSpotLine(BaseModel):
    id: str
    name: str
    evidence: str
    better: str = ""
    #: Offsets of the quote in the graded answer, as stored with the grade.
    start: int | None = None
    end: int | None = None


class RedFlagLine(BaseModel):
    """A red flag as the report shows it: first, with the quote, why it sinks the answer
    and the better move."""

    id: str
    name: str
    evidence: str
    start: int
    end: int
    why: str = ""
    better: str = ""


class TurnLine(BaseModel):
    speaker: str
    name: str
    kind: str
    prompt: str | None = None
    text: str


class Attempt(BaseModel):
    session_id: str
    date: str
    prompt_id: str
    score: float
    prompt: str = ""  # the question, shortened: what the reader sees instead of the id


class History(BaseModel):
    """This round's earlier attempts, oldest first, and the change since the last one."""

    attempts: list[Attempt] = Field(default_factory=list)
    previous: float | None = None
    change: float | None = None
    best_before: float | None = None
    summary: str = "This is your first graded attempt at this round."
    #: How the criteria compare with the previous attempt, when none changed level
    #: (empty when some did, or on a first attempt): see :func:`criteria_note`.
    criteria_note: str = ""


class Timing(BaseModel):
    limit_min: int | None
    used: str | None
    used_s: float | None
    overtime: str | None
    timed: bool
    box_note: str = ""  # the answer's time box inside the round, in plain words


class Report(BaseModel):
    """A round's feedback, ready to render."""

    session_id: str
    loop_id: str | None
    pack_id: str
    pack_name: str
    round_id: str
    round_name: str
    prompt_id: str
    question: str
    brief: str | None
    started_at: str
    ended_at: str | None
    timing: Timing
    score: float
    bar: float
    at_bar: bool
    criteria: list[CriterionLine]
    blind_spots: list[BlindSpotLine]
    delivery: dict[str, Any]
    #: A few delivery figures as label -> value, for people.
    delivery_figures: dict[str, str]
    delivery_notes: list[str]
    strong_answer_adds: list[str]
    missing_key_points: list[str]
    follow_ups: list[dict[str, str]]
    transcript: list[TurnLine]
    roleplay: dict[str, Any] | None
    history: History
    grader: str
    message: str | None = None
    #: The question's key points, each covered (with the quote) or missing.
    key_points: list[KeyPointResult] | None = None
    red_flags: list[RedFlagLine] = Field(default_factory=list)
    off_topic: bool = False

    def to_json_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


# -- building -------------------------------------------------------------------------------


def _history(
    db: Database, view: SessionView, result: GradeResult
) -> tuple[History, dict[str, int]]:
    """The round's earlier attempts, and the criterion scores of the previous one."""
    with db.read_session() as s:
        earlier = list_sessions(
            s,
            db.user_id,
            pack_id=view.pack.id,
            round_id=view.round.id,
            status="completed",
            started_before=view.started_at,
            limit=HISTORY,
        )
        grades = final_grades(s, db.user_id, [x.id for x in earlier])
        rows = [(rs, grades[rs.id]) for rs in reversed(earlier) if rs.id in grades]  # oldest first
        attempts = [
            Attempt(
                session_id=rs.id,
                date=rs.started_at.date().isoformat(),
                prompt_id=rs.prompt_id,
                score=round(g.score, 1),
                prompt=_short_question(view, rs.prompt_id),
            )
            for rs, g in rows
        ]
        previous_result = GradeResult.model_validate(rows[-1][1].result) if rows else None
    history = History(attempts=attempts)
    if not attempts:
        return history, {}
    history.previous = attempts[-1].score
    history.change = round(result.score - attempts[-1].score, 1)
    history.best_before = max(a.score for a in attempts)
    n = len(attempts)
    direction = "up" if history.change > 0 else "down" if history.change < 0 else "unchanged"
    amount = f" {abs(history.change):.0f} points" if history.change else ""
    history.summary = (
        f"{direction.capitalize()}{amount} since your previous attempt "
        f"({history.previous:.0f} -> {result.score:.0f}); "
        f"{n} earlier attempt{'s' if n != 1 else ''}, best {history.best_before:.0f}."
    )
    if result.score > history.best_before:
        history.summary += " A new best."
    previous = {c.id: c.score for c in previous_result.criteria} if previous_result else {}
    return history, previous


#: An overall change this small is rounding, not a change worth explaining.
_NOTABLE_CHANGE = 3.0


def criteria_note(change: float | None, criteria: list[CriterionLine]) -> str:
    """What to say about the criteria when none of them changed level since last time.

    Criterion levels are whole numbers from 0 to 4 while the overall score weighs the
    finer evidence under them, so the levels can all hold while the score moves a lot:
    saying "the same as last time" beside a 22-point drop would be false.
    """
    if change is None or any(c.change for c in criteria):
        return ""
    if all(c.change is None for c in criteria):
        return (
            "This attempt was graded on other criteria than the last one: no criterion to compare."
        )
    if abs(change) < _NOTABLE_CHANGE:
        return "Every criterion kept its level from last time."
    direction = "down" if change < 0 else "up"
    return (
        f"Every criterion kept its level (0-4) from last time, yet the overall score went "
        f"{direction} {abs(change):.0f} points: the evidence under the levels moved "
        f"{'against' if change < 0 else 'for'} you. Compare the quoted words with the "
        f"previous report."
    )


def _missing_key_points(view: SessionView, result: GradeResult) -> list[str]:
    """The key points the grade found missing. A report never grades again: a grade stored
    without key-point coverage lists none, unless the answer is empty (then all are)."""
    if result.key_points is not None:
        return [p.text for p in result.key_points if not p.covered]
    if result.reference_coverage is not None:
        return list(result.reference_coverage.missing)
    if not view.transcript().strip():
        return list(view.prompt.key_points)
    return []


def _strong_additions(view: SessionView, result: GradeResult, points: list[str]) -> list[str]:
    """What a strong answer would add: advice for every missing criterion (below 3 of 4,
    or short of 4 when the answer is below the bar), lowest first, with one sentence
    showing how a strong answer sounds; then the key points not covered."""
    by_id = {c.id: c for c in view.round.rubric.criteria}
    missing = set(missing_criteria(view.round, result, bar=view.pack.decision.round_bar))
    low = sorted(
        (c for c in result.criteria if c.id in missing and c.id in by_id),
        key=lambda c: (c.score, -by_id[c.id].weight),
    )
    lines: list[str] = []
    for scored in low:
        criterion = by_id[scored.id]
        example = criterion.strong_examples[0]
        lines.append(f"{criterion.name}: {criterion.advice} For example: “{example}”")
    for point in points[:4]:
        lines.append(f"Key point not covered: {point}")
    if not lines:
        lines.append(
            "Every criterion is at or near the top: keep the same structure and cut any "
            "sentence that does not earn its place."
        )
    return lines


#: The share of a round that is the candidate's own first answer; the rest is the
#: interviewer's probes and discussion (about 8 minutes of a 45-minute round).
ANSWER_SHARE = 0.18


def _short_question(view: SessionView, prompt_id: str, limit: int = 70) -> str:
    """A prompt's question, shortened, for tables that must not show raw ids."""
    question = next((p.question for p in view.round.prompts if p.id == prompt_id), "")
    question = " ".join(question.split()) or "an earlier question"
    return question if len(question) <= limit else question[: limit - 1].rstrip() + "…"


def box_note(view: SessionView) -> str:
    """What the time box means inside the round, in plain words."""
    minutes = view.round.minutes
    if view.mode == "roleplay":
        return (
            f"The whole {minutes}-minute round is the conversation: the panel's lines take part "
            "of it, so plan on short turns of a minute or two and a decision before the last "
            f"{max(1, round(minutes * 0.2))} minutes."
        )
    speaking = max(2, round(minutes * ANSWER_SHARE))
    return (
        f"About {speaking} minutes of speaking for your main answer in a {minutes}-minute round; "
        "the rest is the interviewer's probes and discussion."
    )


def _timing(view: SessionView) -> Timing:
    limit = view.time_limit_s
    used = view.active_s if view.active_s > 0 else None
    if view.scripted or used is None:
        return Timing(
            limit_min=limit // 60 if limit else None,
            used=None,
            used_s=None,
            overtime=None,
            timed=False,
            box_note=box_note(view),
        )
    over = used - limit if limit and used > limit else 0.0
    return Timing(
        limit_min=limit // 60 if limit else None,
        used=format_clock(used),
        used_s=round(used, 1),
        overtime=format_clock(over) if over else None,
        timed=True,
        box_note=box_note(view),
    )


def _transcript(view: SessionView) -> list[TurnLine]:
    names = {p.id: p.name for p in view.pack.personas}
    lines: list[TurnLine] = []
    for turn in view.turns:
        if turn.by_candidate:
            name = "You"
        elif turn.speaker == "panel":
            name = "Panel"
        else:
            name = names.get(turn.speaker, turn.speaker)
        lines.append(
            TurnLine(
                speaker=turn.speaker,
                name=name,
                kind=turn.kind,
                prompt=turn.prompt_text,
                text=turn.text,
            )
        )
    return lines


def build_report(db: Database, session_ref: str) -> Report:
    """The report of a finished session (id, prefix or "last")."""
    view = load(db, session_ref)
    with db.read_session() as s:
        grade = final_grades(s, db.user_id, [view.id]).get(view.id)
        stored = dict(grade.result) if grade is not None else None
    if stored is None:
        if view.status == "in_progress":
            raise InputError(
                f"session {view.id[:8]} is not finished yet; resume it with "
                f"`loopready practice {view.round.id}`"
                + (f" --loop {view.loop_id[:8]}" if view.loop_id else "")
            )
        raise InputError(f"session {view.id[:8]} was {view.status} before it was graded")
    result = GradeResult.model_validate(stored)
    return report_from(db, view, result)


def report_from(db: Database, view: SessionView, result: GradeResult) -> Report:
    """Assemble the report from a session and its grade."""
    history, previous_criteria = _history(db, view, result)
    criteria = [
        CriterionLine(
            id=c.id,
            name=c.name,
            score=c.score,
            weight=c.weight,
            evidence=list(c.evidence),
            advice=c.advice,
            change=(c.score - previous_criteria[c.id]) if c.id in previous_criteria else None,
            status=c.status,
            evidence_spans=list(c.evidence_spans),
        )
        for c in result.criteria
    ]
    history.criteria_note = criteria_note(history.change, criteria)
    blind_spots = [
        BlindSpotLine(
            id=b.id,
            name=b.name or b.id,
            evidence=b.evidence,
            better=b.better,
            start=b.start,
            end=b.end,
        )
        for b in result.blind_spots
    ]
    missing = _missing_key_points(view, result)
    delivery = result.delivery
    roleplay = None
    if view.mode == "roleplay":
        roleplay = roleplay_state(view).outcome().to_dict()
        roleplay["score_bound"] = view.meta.get("panel_adjustment")
    bar = view.pack.decision.round_bar
    return Report(
        session_id=view.id,
        loop_id=view.loop_id,
        pack_id=view.pack.id,
        pack_name=view.pack.name,
        round_id=view.round.id,
        round_name=view.round.name,
        prompt_id=view.prompt.id,
        question=view.prompt.question,
        brief=view.prompt.brief,
        started_at=_iso(view.started_at),
        ended_at=_iso(view.ended_at) if view.ended_at else None,
        timing=_timing(view),
        score=round(result.score, 1),
        bar=bar,
        at_bar=result.score >= bar,
        criteria=criteria,
        blind_spots=blind_spots,
        delivery=delivery.model_dump(mode="json", exclude={"notes"}) if delivery else {},
        delivery_figures=_delivery_figures(delivery) if delivery else {},
        delivery_notes=list(delivery.notes) if delivery else [],
        strong_answer_adds=_strong_additions(view, result, missing),
        missing_key_points=missing,
        follow_ups=[
            {"id": f.id, "criterion": f.criterion, "question": f.question} for f in view.follow_ups
        ],
        transcript=_transcript(view),
        roleplay=roleplay,
        history=history,
        grader=result.grader,
        message=result.message,
        key_points=result.key_points,
        red_flags=[RedFlagLine.model_validate(f.model_dump()) for f in result.red_flags],
        off_topic=result.off_topic,
    )


def _delivery_figures(delivery: GradeDelivery) -> dict[str, str]:
    """The figures worth a glance."""
    figures = {
        "words": f"{delivery.words:.0f}",
        "sentences": f"{delivery.sentences:.0f}",
        "average sentence": f"{delivery.avg_sentence_words:.0f} words",
    }
    if delivery.timed:
        figures["pace"] = f"{delivery.words_per_minute:.0f} words per minute"
    figures["filler words"] = str(delivery.fillers.count)
    figures["hedges"] = str(delivery.hedges.count)
    figures["jargon terms"] = str(delivery.jargon.count)
    return figures


def _iso(value: datetime) -> str:
    return value.isoformat(timespec="seconds")


# -- rendering ------------------------------------------------------------------------------


@cache
def environment() -> Environment:
    """The Jinja2 environment for the interview templates (HTML autoescaped)."""
    env = Environment(
        loader=PackageLoader("loopready.interview", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["stars"] = lambda score: "●" * int(score) + "○" * (4 - int(score))
    env.filters["signed"] = lambda value: f"{value:+g}"
    env.filters["md_quote"] = _md_inline
    return env


def _md_inline(text: str) -> str:
    """Text inside Markdown (the candidate's and the pack's): one line, markup escaped.

    Every character that starts Markdown or HTML markup is backslash-escaped, so a
    renderer shows it as text: a pack named ``<script>`` stays words.
    """
    flat = " ".join(str(text).split())
    for ch in "\\`*_[]<>|#":
        flat = flat.replace(ch, "\\" + ch)
    return flat


def render(report: Report, fmt: Format = "md", *, fragment: bool = False) -> str:
    """The report as Markdown, HTML (a whole page, or with ``fragment`` only the body)
    or JSON."""
    if fmt == "json":
        return json.dumps(report.to_json_dict(), indent=2, ensure_ascii=False) + "\n"
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    template = environment().get_template(f"report.{fmt}")
    return template.render(r=report, fragment=fragment)
