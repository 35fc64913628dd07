"""Where the current plan is kept, and where a stored loop's dates are read.

For now the plan is one JSON file, ``plan.json`` in the data folder, written
atomically (a temporary file renamed over the old one, so a crash never leaves half
a plan). Everything else goes through :func:`load_plan` and :func:`save_plan`, so
moving plans into the database's ``plans`` table only changes this module.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from pydantic import ValidationError

from loopready.errors import NotFound, StorageError
from loopready.planning.model import Plan
from loopready.settings import data_dir

PLAN_FILE = "plan.json"


def plan_path() -> Path:
    """The file holding the current plan."""
    return data_dir() / PLAN_FILE


def load_plan() -> Plan | None:
    """The current plan, or ``None`` when none was made yet.

    A file that cannot be read is a :class:`StorageError` naming it; it is never
    overwritten silently.
    """
    path = plan_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise StorageError(f"Cannot read your plan at {path}: {exc}.") from exc
    try:
        return Plan.from_json(text)
    except ValidationError as exc:
        raise StorageError(
            f"Your plan file {path} is damaged ({exc.error_count()} problem(s), first: "
            f"{_first_problem(exc)}). Move it away and make a new plan with "
            "`loopready plan new --first-round YYYY-MM-DD`."
        ) from exc


def save_plan(plan: Plan) -> None:
    """Store *plan* as the current plan, replacing the previous one atomically."""
    path = plan_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".plan-", suffix=".json", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(plan.to_json())
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise StorageError(f"Cannot save your plan to {path}: {exc.strerror}.") from exc


def set_aside_damaged_plan() -> Path | None:
    """Rename an unreadable plan file out of the way; return its new path."""
    path = plan_path()
    if not path.exists():
        return None
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"plan.damaged-{stamp}.json")
    os.replace(path, target)
    return target


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

    with open_db() as db, db.read_session() as session:
        row = session.get(Loop, loop_id)
        if row is None or row.user_id != db.user_id:
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
