"""The user's progress, read for the dashboard, the loop page and the mock room: graded
attempts per round, unfinished sessions, the weakest criterion of one attempt, and
today's items of the saved plan. The queries are in :mod:`loopready.store.progress`.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from loopready.store import Database
from loopready.store.progress import (
    Attempt,
    Finished,
    completed_before,
    final_attempts,
    finished_sessions,
    grade_result,
    plan_day_items,
    unfinished_by_round,
)

__all__ = [
    "Attempt",
    "Finished",
    "attempt_number",
    "attempts_by_round",
    "finished_sessions",
    "planned_items",
    "unfinished_sessions",
    "weakest_criterion",
]


def attempts_by_round(
    db: Database, *, pack_id: str | None = None, loop_id: str | None = None
) -> dict[str, list[Attempt]]:
    """Finished, graded attempts per round, oldest first (a session counts once)."""
    grouped: dict[str, list[Attempt]] = defaultdict(list)
    for attempt in final_attempts(db, pack_id=pack_id, loop_id=loop_id):
        grouped[attempt.round_id].append(attempt)
    return grouped


def unfinished_sessions(db: Database, pack_id: str) -> dict[str, str]:
    """round id -> the newest in-progress session id, for "resume" links."""
    return unfinished_by_round(db, pack_id)


def weakest_criterion(db: Database, grade_id: str) -> dict[str, Any] | None:
    """The lowest-scoring criterion of one stored grade (the first in rubric order on ties)."""
    result = grade_result(db, grade_id)
    if result is None:
        return None
    criteria = result.get("criteria") or []
    scored = [
        c
        for c in criteria
        if isinstance(c, dict) and "score" in c and c.get("status", "scored") == "scored"
    ]  # a criterion the question did not ask is nobody's weakest
    return min(scored, key=lambda c: c["score"]) if scored else None


def planned_items(db: Database, today: date) -> list[dict[str, Any]] | None:
    """Today's items of the user's current saved plan, or ``None`` when it has no such day."""
    items = plan_day_items(db, today)
    if items is None:
        return None
    return [item for item in items if isinstance(item, dict)]


def attempt_number(db: Database, pack_id: str, round_id: str, started_at: datetime) -> int:
    """How many finished attempts at this round there were up to and including the one
    started at ``started_at``."""
    return completed_before(db, pack_id, round_id, started_at)
