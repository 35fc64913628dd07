"""Stored debriefs of a loop, read back: the newest first, or one by id."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from loopready.errors import NotFound
from loopready.store.engine import Database
from loopready.store.models import Debrief, RoundSession
from loopready.store.repo import find_owned


@dataclass(frozen=True)
class StoredDebrief:
    """One stored debrief, detached: its verdict and the whole packet as stored."""

    id: str
    loop_id: str | None
    decision: str
    result: dict[str, Any]
    created_at: datetime


def _stored(row: Debrief) -> StoredDebrief:
    return StoredDebrief(row.id, row.loop_id, row.decision, dict(row.result), row.created_at)


def loop_debriefs(db: Database, loop_id: str, limit: int) -> list[StoredDebrief]:
    """The newest ``limit`` debriefs of the user's loop ``loop_id``, newest first."""
    with db.read_session() as s:
        rows = s.scalars(
            select(Debrief)
            .where(Debrief.user_id == db.user_id, Debrief.loop_id == loop_id)
            .order_by(Debrief.created_at.desc(), Debrief.id)
            .limit(limit)
        )
        return [_stored(row) for row in rows]


def save_debrief(db: Database, loop_id: str, decision: str, result: dict[str, Any]) -> str:
    """Store a debrief of the user's loop ``loop_id``; returns its id."""
    with db.session() as s:
        row = Debrief(user_id=db.user_id, loop_id=loop_id, decision=decision, result=result)
        s.add(row)
        s.flush()
        return row.id


def get_debrief(db: Database, debrief_id: str, *, missing: str) -> StoredDebrief:
    """The user's debrief ``debrief_id``, or :class:`NotFound` saying ``missing``."""
    with db.read_session() as s:
        row = find_owned(s, Debrief, db.user_id, debrief_id)
        if row is None:
            raise NotFound(missing)
        return _stored(row)


def finished_round_count(db: Database, loop_id: str) -> int:
    """How many of the loop's rounds have at least one completed session."""
    with db.read_session() as s:
        query = select(func.count(func.distinct(RoundSession.round_id))).where(
            RoundSession.user_id == db.user_id,
            RoundSession.loop_id == loop_id,
            RoundSession.status == "completed",
        )
        return int(s.scalar(query) or 0)
