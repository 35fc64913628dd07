"""The queries behind the user's progress: finished attempts and their scores, unfinished
sessions, one grade's result, and today's day of the saved plan.

Reads stay cheap with a thousand attempts stored: scores come from one query over the
``grades`` table's plain columns (never the JSON results), and only the one result
needed to explain "practise next" is loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import String, func, select, type_coerce

from loopready.store.engine import Database
from loopready.store.models import Grade, Plan, PlanDay, RoundSession
from loopready.store.repo import find_owned


@dataclass
class Attempt:
    """One graded mock attempt: a session and its final grade."""

    session_id: str
    round_id: str
    score: float
    raw_at: datetime | str
    grade_id: str

    @property
    def at(self) -> datetime:
        """When it was graded (UTC); parsed only when shown."""
        value = self.raw_at
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def final_attempts(
    db: Database, *, pack_id: str | None = None, loop_id: str | None = None
) -> list[Attempt]:
    """Finished, graded attempts in the order of their final grades; a session counts once
    (its final grade: the newest not tied to one turn).

    The timestamps are read as the database stores them and parsed only for the few
    attempts a page shows: with a thousand attempts, converting every one costs more
    than the rest of the query.
    """
    query = (
        select(
            Grade.id,
            Grade.session_id,
            Grade.round_id,
            Grade.score,
            type_coerce(Grade.created_at, String),
        )
        .join(RoundSession, RoundSession.id == Grade.session_id)
        .where(
            Grade.user_id == db.user_id,
            Grade.session_id.is_not(None),
            Grade.turn_id.is_(None),
            RoundSession.status == "completed",
        )
        .order_by(Grade.created_at, Grade.id)
    )
    if pack_id is not None:
        query = query.where(RoundSession.pack_id == pack_id)
    if loop_id is not None:
        query = query.where(RoundSession.loop_id == loop_id)
    latest: dict[str, Attempt] = {}
    with db.read_session() as s:
        for grade_id, session_id, round_id, score, created in s.execute(query):
            if session_id is not None:
                latest.pop(session_id, None)  # keep insertion order = time order of finals
                latest[session_id] = Attempt(session_id, round_id, float(score), created, grade_id)
    return list(latest.values())


def unfinished_by_round(db: Database, pack_id: str) -> dict[str, str]:
    """round id -> the newest in-progress session id of the pack's rounds."""
    query = (
        select(RoundSession.round_id, RoundSession.id)
        .where(
            RoundSession.user_id == db.user_id,
            RoundSession.pack_id == pack_id,
            RoundSession.status == "in_progress",
        )
        .order_by(RoundSession.started_at)
    )
    with db.read_session() as s:
        return {round_id: session_id for round_id, session_id in s.execute(query)}


def grade_result(db: Database, grade_id: str) -> dict[str, Any] | None:
    """The stored result of the user's grade ``grade_id``, or None."""
    with db.read_session() as s:
        grade = find_owned(s, Grade, db.user_id, grade_id)
        if grade is None:
            return None
        return dict(grade.result)


def plan_day_items(db: Database, today: date) -> list[Any] | None:
    """The items of ``today`` on the user's current saved plan, or None when it has no
    such day. Reads the one ``plan_days`` row, not the whole plan."""
    current = (
        select(Plan.id)
        .where(Plan.user_id == db.user_id)
        .order_by(Plan.updated_at.desc(), Plan.id)
        .limit(1)
        .scalar_subquery()
    )
    with db.read_session() as s:
        row = s.scalars(
            select(PlanDay.items).where(PlanDay.plan_id == current, PlanDay.day == today)
        ).first()
    return list(row) if row is not None else None


def completed_before(db: Database, pack_id: str, round_id: str, started_at: datetime) -> int:
    """How many of the user's sessions of this round were completed, counting those
    started up to ``started_at``."""
    query = select(func.count(RoundSession.id)).where(
        RoundSession.user_id == db.user_id,
        RoundSession.pack_id == pack_id,
        RoundSession.round_id == round_id,
        RoundSession.status == "completed",
        RoundSession.started_at <= started_at,
    )
    with db.read_session() as s:
        return int(s.scalar(query) or 0)


@dataclass(frozen=True)
class Finished:
    """One completed session as a list shows it, with its final score (None if ungraded)."""

    id: str
    pack_id: str
    round_id: str
    prompt_id: str
    ended_at: datetime | None
    score: float | None


def finished_sessions(
    db: Database, round_id: str | None, offset: int, limit: int
) -> tuple[int, list[Finished]]:
    """The user's completed sessions (of ``round_id`` when given), the newest ended first:
    how many there are, and ``limit`` of them from ``offset``."""
    base = select(RoundSession.id).where(
        RoundSession.user_id == db.user_id, RoundSession.status == "completed"
    )
    if round_id:
        base = base.where(RoundSession.round_id == round_id)
    with db.read_session() as s:
        total = int(s.scalar(select(func.count()).select_from(base.subquery())) or 0)
        rows = s.execute(
            select(
                RoundSession.id,
                RoundSession.pack_id,
                RoundSession.round_id,
                RoundSession.prompt_id,
                RoundSession.ended_at,
            )
            .where(RoundSession.id.in_(base.scalar_subquery()))
            .order_by(RoundSession.ended_at.desc(), RoundSession.id)
            .offset(offset)
            .limit(limit)
        ).all()
        ids = [r.id for r in rows]
        scores: dict[str, float] = {}
        if ids:
            grade_rows = s.execute(
                select(Grade.session_id, Grade.score)
                .where(
                    Grade.user_id == db.user_id,
                    Grade.session_id.in_(ids),
                    Grade.turn_id.is_(None),
                )
                .order_by(Grade.created_at, Grade.id)
            )
            for sid, score in grade_rows:
                if sid is not None:
                    scores[sid] = float(score)
    found = [
        Finished(r.id, r.pack_id, r.round_id, r.prompt_id, r.ended_at, scores.get(r.id))
        for r in rows
    ]
    return total, found
