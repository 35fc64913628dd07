"""Where the current plan is kept, and where a stored loop's dates are read.

The plan is a row of the database's ``plans`` table: the whole plan as JSON in
``plans.plan``, its zone and dates in their own columns, and one ``plan_days`` row per
day (date, status, items) so the days can be queried without reading the JSON. The
current plan is the user's most recently saved one. Saving is one transaction, so a
crash leaves the old plan or the new one, never half of each.

Earlier versions kept the plan in ``plan.json`` in the data folder. The first
:func:`load_plan` that finds no plan in the database but finds that file moves the
plan into the database and renames the file ``plan.migrated.json`` (kept, not
deleted).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from loopready.errors import NotFound, StorageError
from loopready.planning.model import Plan
from loopready.settings import data_dir

if TYPE_CHECKING:
    from loopready.store.engine import Database

#: Where versions before the database kept the plan (read once, to migrate it).
PLAN_FILE = "plan.json"
MIGRATED_FILE = "plan.migrated.json"
#: plan day status -> ``plan_days.status``: a missed day is still to do.
_DAY_STATUS = {"planned": "pending", "missed": "pending", "done": "done", "skipped": "skipped"}
_MAKE_NEW = "make a new plan with `loopready plan new --first-round YYYY-MM-DD`"


def plan_path() -> Path:
    """The file an earlier loopready kept the plan in (read once to migrate it)."""
    return data_dir() / PLAN_FILE


@contextmanager
def _database(db: Database | None) -> Iterator[Database]:
    if db is not None:
        yield db
        return
    from loopready.store.engine import open_db

    with open_db() as opened:
        yield opened


def load_plan(*, db: Database | None = None) -> Plan | None:
    """The current plan, or ``None`` when none was made yet.

    *db* defaults to the user's database (:func:`loopready.store.open_db`). A stored plan
    that cannot be read is a :class:`StorageError` saying what to do; it is never
    overwritten silently (:func:`set_aside_damaged_plan` moves it out of the way).
    """
    from loopready.store.plan_repo import current_plan_row

    with _database(db) as database:
        with database.read_session() as s:
            row = current_plan_row(s, database.user_id)
            data = None if row is None else (row.id, row.plan)
        if data is None:
            return _migrate_file(database)
        try:
            return Plan.from_json(json.dumps(data[1]))
        except ValidationError as exc:
            raise StorageError(
                f"Your stored plan ({data[0]}) is damaged ({exc.error_count()} problem(s), "
                f"first: {_first_problem(exc)}). Make a new plan with `loopready plan new "
                "--first-round YYYY-MM-DD`: the damaged one is first saved to a file in the "
                "data folder."
            ) from exc


def save_plan(plan: Plan, *, db: Database | None = None) -> None:
    """Store *plan* as the current plan, replacing the stored copy of it in one transaction."""
    from loopready.store.plan_repo import write_plan

    payload = json.loads(plan.to_json())
    days = [
        (day.date, _DAY_STATUS[day.status], [item.model_dump(mode="json") for item in day.items])
        for day in plan.days
    ]
    with _database(db) as database, database.session() as s:
        write_plan(
            s,
            database.user_id,
            plan.id,
            tz=plan.tz,
            start_date=plan.start,
            first_round_date=plan.first_round,
            plan=payload,
            days=days,
        )


def set_aside_damaged_plan(*, db: Database | None = None) -> Path | None:
    """Move an unreadable current plan out of the way; return the file now holding it.

    The damaged plan's JSON is written to ``plan.damaged-<time>.json`` in the data folder
    and its row deleted, so a new plan can be made; nothing is thrown away.
    """
    from loopready.store.plan_repo import current_plan_row, delete_plan

    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    legacy = plan_path()
    with _database(db) as database, database.session() as s:
        row = current_plan_row(s, database.user_id)
        if row is None:
            if not legacy.exists():
                return None
            target = legacy.with_name(f"plan.damaged-{stamp}.json")
            os.replace(legacy, target)
            return target
        target = data_dir() / f"plan.damaged-{stamp}-{row.id[:8]}.json"
        target.write_text(json.dumps(row.plan, indent=2), encoding="utf-8")
        delete_plan(s, row)
        return target


def _migrate_file(db: Database) -> Plan | None:
    """Move a plan an earlier version left in ``plan.json`` into the database."""
    path = plan_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise StorageError(f"Cannot read your plan at {path}: {exc}.") from exc
    try:
        plan = Plan.from_json(text)
    except ValidationError as exc:
        raise StorageError(
            f"Your plan file {path} is damaged ({exc.error_count()} problem(s), first: "
            f"{_first_problem(exc)}). Move it away and {_MAKE_NEW}."
        ) from exc
    save_plan(plan, db=db)
    os.replace(path, path.with_name(MIGRATED_FILE))
    return plan


@dataclass(frozen=True)
class LoopDates:
    """What a plan needs from a stored loop: its pack and its real dates."""

    loop_id: str
    pack_id: str
    start_date: date
    round_dates: dict[str, date | datetime] = field(default_factory=dict)


def load_loop(loop_id: str) -> LoopDates:
    """The pack and dates of the user's stored loop *loop_id* (:class:`NotFound` if none)."""
    from loopready.store.engine import open_db
    from loopready.store.models import Loop
    from loopready.store.repo import find_owned

    with open_db() as db, db.read_session() as session:
        row = find_owned(session, Loop, db.user_id, loop_id)
        if row is None:
            raise NotFound(
                f"There is no loop with id {loop_id!r}. Check the id, or plan without it: "
                "loopready plan new --first-round YYYY-MM-DD"
            )
        dates: dict[str, date | datetime] = {}
        for round_id, value in (row.round_dates or {}).items():
            if value:
                parsed = datetime.fromisoformat(value)
                dates[round_id] = parsed.date() if len(value) <= 10 else parsed
        return LoopDates(row.id, row.pack_id, row.start_date, dates)


def _first_problem(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "(top)"
    return f"{where}: {err['msg']}"
