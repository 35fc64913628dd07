"""The prep plan's use cases, the same for the CLI and the web app: the current plan
(brought up to date for today) and making a new one that replaces it.

Both work on the user's database (``db``; the default one when not given). A stored
plan that cannot be read is set aside into a file when a new one is made, never
overwritten silently.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from loopready.errors import StorageError
from loopready.packs.schema import Pack
from loopready.planning import storage
from loopready.planning.daysoff import suggested_days_off
from loopready.planning.model import Plan
from loopready.planning.schedule import (
    DEFAULT_MOCK_TIME,
    DEFAULT_ROUND_TIME,
    build_plan,
    replan,
    supersede,
)
from loopready.store import Database


def plan_today(plan: Plan) -> date:
    """Today in the plan's own time zone."""
    return datetime.now(plan.zone).date()


def current_plan(db: Database | None = None, today: date | None = None) -> tuple[Plan | None, date]:
    """The stored plan brought up to date for ``today`` (default: today in the plan's zone;
    missed days re-planned and saved when that changed it), and that day. ``(None, today)``
    when no plan was made yet."""
    plan = storage.load_plan(db=db)
    if plan is None:
        return None, today or date.today()
    today = today or plan_today(plan)
    updated = replan(plan, today)
    if updated is not plan:
        storage.save_plan(updated, db=db)
    return updated, today


@dataclass(frozen=True)
class Made:
    """A plan just made and saved, and what it replaced."""

    plan: Plan
    #: Whether it replaced a plan (it keeps that plan's identity, so a re-imported
    #: calendar updates in place).
    replaced: bool
    #: Where an unreadable old plan was set aside, if there was one.
    damaged: Path | None = None


def make_plan(
    pack: Pack,
    today: date,
    first: date,
    start: date | None,
    round_dates: Mapping[str, date | datetime],
    tz: str,
    *,
    mock_time: time = DEFAULT_MOCK_TIME,
    round_time: time = DEFAULT_ROUND_TIME,
    days_off: Iterable[date] = (),
    holidays: bool = False,
    db: Database | None = None,
) -> Made:
    """Make a plan from ``start`` (default ``today``) through the last real round and save
    it in place of the current one. With ``holidays``, the public holidays of the year
    ahead are days off too."""
    off = list(days_off)
    if holidays:
        off += suggested_days_off(start or today, first + timedelta(days=366))
    fresh = build_plan(
        pack,
        today,
        first,
        start,
        round_dates,
        tz,
        mock_time=mock_time,
        round_time=round_time,
        days_off=off,
    )
    damaged: Path | None = None
    try:
        previous = storage.load_plan(db=db)
    except StorageError:
        damaged = storage.set_aside_damaged_plan(db=db)
        previous = None
    result = supersede(previous, fresh) if previous else fresh
    storage.save_plan(result, db=db)
    return Made(result, previous is not None, damaged)
