"""What the prep tools need to know about the user's situation: which pack, which loop,
and when the real rounds are.

Every answer comes from what the user already stored, in this order: their newest
active loop, then their saved prep plan, then the default pack. Nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from loopready.errors import InputError, StorageError
from loopready.interview.loops import active_loop, current_pack_id, resolve_pack
from loopready.packs.schema import Pack
from loopready.store import Database

__all__ = [
    "RoundDates",
    "active_loop",
    "current_pack_id",
    "parse_moment",
    "resolve_pack",
    "round_dates",
    "utc",
]


def utc(moment: datetime, what: str = "time") -> datetime:
    """*moment* in UTC; a naive datetime is refused, as its zone would be a guess."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InputError(
            f"The {what} {moment.isoformat()} has no time zone; give one, e.g. "
            f"{moment.isoformat()}+00:00."
        )
    return moment.astimezone(UTC)


def parse_moment(text: str, what: str = "--now") -> datetime:
    """An ISO date-time typed by the user; without a zone it is this computer's local time."""
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InputError(
            f"{what}: {text!r} is not a date and time. Write it as 2026-06-15T09:30 "
            "(optionally with a zone, e.g. 2026-06-15T09:30+01:00)."
        ) from None
    return parsed if parsed.tzinfo is not None else parsed.astimezone()


@dataclass(frozen=True)
class RoundDates:
    """When the real rounds of the loop are, and where the dates come from."""

    dates: dict[str, date]
    source: str  # "plan", "loop" or "" (unknown)

    @property
    def last(self) -> date | None:
        return max(self.dates.values()) if self.dates else None


def round_dates(db: Database, pack: Pack) -> RoundDates:
    """The real rounds' dates: the saved plan's (same pack), else the active loop's schedule."""
    from loopready.planning.storage import load_plan

    try:
        plan = load_plan(db=db)
    except StorageError:
        plan = None
    if plan is not None and plan.pack_id == pack.id and plan.rounds:
        return RoundDates({r.round_id: r.date for r in plan.rounds}, "plan")
    loop = active_loop(db, pack.id)
    if loop is not None:
        from loopready.interview.loops import schedule

        rows = schedule(pack, loop.start_date, loop.round_dates)
        return RoundDates({row.round.id: row.when for row in rows}, "loop")
    return RoundDates({}, "")
