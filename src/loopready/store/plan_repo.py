"""The queries behind the prep plan: the user's current plan (their most recently saved
one), saving a plan with its days, and deleting one. Each helper takes an open session
and the acting user's id, and never commits."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from loopready.errors import StorageError
from loopready.store.models import Plan, PlanDay
from loopready.store.types import utcnow


def current_plan_row(s: Session, user_id: str) -> Plan | None:
    """The user's current plan: the one saved last, or None."""
    query = (
        select(Plan)
        .where(Plan.user_id == user_id)
        .order_by(Plan.updated_at.desc(), Plan.id)
        .limit(1)
    )
    return s.scalars(query).one_or_none()


def write_plan(
    s: Session,
    user_id: str,
    plan_id: str,
    *,
    tz: str,
    start_date: date,
    first_round_date: date | None,
    plan: Mapping[str, Any],
    days: Iterable[tuple[date, str, list[Any]]],
) -> Plan:
    """Store plan *plan_id* (its JSON and its ``(day, status, items)`` days) as the user's
    current plan, replacing the stored copy of it. A plan id of another user is a
    :class:`StorageError`."""
    row = s.get(Plan, plan_id)
    if row is not None and row.user_id != user_id:
        raise StorageError(
            f"A plan with id {plan_id} belongs to another user; make a new plan with "
            "`loopready plan new --first-round YYYY-MM-DD` instead."
        )
    if row is None:
        row = Plan(id=plan_id, user_id=user_id)
        s.add(row)
    row.tz = tz
    row.start_date = start_date
    row.first_round_date = first_round_date
    row.plan = dict(plan)
    row.updated_at = utcnow()  # the newest saved plan is the current one
    s.flush()
    s.execute(delete(PlanDay).where(PlanDay.plan_id == plan_id))
    for day, status, items in days:
        s.add(PlanDay(user_id=user_id, plan_id=plan_id, day=day, status=status, items=items))
    return row


def delete_plan(s: Session, row: Plan) -> None:
    """Delete a plan row (its days go with it)."""
    s.delete(row)
