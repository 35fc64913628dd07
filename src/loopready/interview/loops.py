"""Loops: a candidate's run through a pack, its schedule and its progress.

A loop starts on a date (today unless given) and each round falls on the pack's
day offset from it (the Sony pack spreads five rounds over 28 days), unless the
candidate knows the real date of that round. A round is *done* once a session of
it in this loop has been finished and graded; the loop knows each round's best
and latest score and which round comes next.

Ids are UUIDs; anywhere a loop or session id is typed, a unique prefix of six
characters or more will do, and ``last`` means the newest.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from loopready.bounds import check_form_date
from loopready.errors import InputError, StorageError
from loopready.packs import DEFAULT_PACK_ID, get_pack
from loopready.packs.registry import pack_or_default
from loopready.packs.schema import Pack, Round
from loopready.store import (
    Database,
    Loop,
    create_loop,
    get_loop,
    list_loops,
    list_sessions,
    newest_active_loop,
)
from loopready.store.repo import final_grades, resolve_id

# -- ids ------------------------------------------------------------------------------------


def loop_id_of(db: Database, ref: str) -> str:
    """The full id of the user's loop ``ref`` (id, prefix of six characters or more, or
    "last")."""
    with db.read_session() as s:
        return resolve_id(s, db.user_id, Loop, ref)


# -- schedule -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScheduledRound:
    """A round of the loop on its date: the real one if known, else the pack's offset."""

    round: Round
    when: date
    real: bool
    #: The real start time, when one was given with the date.
    at: datetime | None = None


def parse_when(value: str | None) -> tuple[date | None, datetime | None]:
    """A stored round date (ISO date or datetime) as ``(date, datetime or None)``."""
    if not value:
        return None, None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None, None
    if len(value) <= 10:
        return parsed.date(), None
    local = parsed.astimezone() if parsed.tzinfo else parsed
    return local.date(), local


def schedule(
    pack: Pack, start: date, round_dates: Mapping[str, str | None] | None
) -> list[ScheduledRound]:
    """Every round of the pack with its date, in loop order."""
    rows: list[ScheduledRound] = []
    for rnd in pack.rounds:
        real_day, real_at = parse_when((round_dates or {}).get(rnd.id))
        if real_day is not None:
            rows.append(ScheduledRound(rnd, real_day, True, real_at))
        else:
            rows.append(ScheduledRound(rnd, start + timedelta(days=rnd.day), False))
    return rows


def parse_round_dates(pack: Pack, items: list[str] | tuple[str, ...]) -> dict[str, str]:
    """``["product_sense=2026-03-09", ...]`` -> ``{round_id: ISO date or datetime}``."""
    dates: dict[str, str] = {}
    valid = {r.id for r in pack.rounds}
    for item in items:
        round_id, sep, when = item.partition("=")
        round_id, when = round_id.strip(), when.strip()
        if not sep or not round_id or not when:
            raise InputError(
                f"--date takes ROUND=DATE, e.g. product_sense=2026-03-09, not {item!r}."
            )
        if round_id not in valid:
            raise InputError(
                f"--date {item!r}: no round {round_id!r} in {pack.id}; "
                f"rounds: {', '.join(r.id for r in pack.rounds)}"
            )
        try:
            parsed = datetime.fromisoformat(when)
        except ValueError:
            raise InputError(
                f"--date {item!r}: {when!r} is not a date; write 2026-03-09 or 2026-03-09T14:30"
            ) from None
        if len(when) <= 10:
            dates[round_id] = parsed.date().isoformat()
        else:
            aware = parsed if parsed.tzinfo else parsed.astimezone()
            dates[round_id] = aware.isoformat()
    return dates


def new_loop(
    db: Database,
    pack: Pack,
    *,
    start: date | None = None,
    round_dates: Mapping[str, str] | None = None,
    title: str | None = None,
) -> Loop:
    """Create a loop. Without ``start``, it is anchored on the first round (in loop
    order) with a real date, minus that round's day offset; or it starts today."""
    dates = dict(round_dates or {})
    for round_id, when in dates.items():
        day, _ = parse_when(when)
        if day is not None:
            check_form_date(day, f"The date of {round_id}")
    if start is not None:
        check_form_date(start, "The loop's start date")
    else:
        start = date.today()
        for rnd in pack.rounds:
            day, _ = parse_when(dates.get(rnd.id))
            if day is not None:
                start = day - timedelta(days=rnd.day)
                break
    name = title.strip() if title else f"{pack.name} from {start.isoformat()}"
    with db.session() as s:
        loop = create_loop(
            s, db.user_id, pack_id=pack.id, title=name[:200], start_date=start, round_dates=dates
        )
        s.expunge(loop)
    return loop


# -- progress -------------------------------------------------------------------------------


@dataclass
class RoundProgress:
    """One round of a loop: its date, attempts, and best and latest scores."""

    round: Round
    when: date
    real_date: bool
    attempts: int = 0
    best: float | None = None
    latest: float | None = None
    latest_session: str | None = None
    in_progress: str | None = None

    @property
    def done(self) -> bool:
        return self.attempts > 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "round": self.round.id,
            "name": self.round.name,
            "date": self.when.isoformat(),
            "real_date": self.real_date,
            "minutes": self.round.minutes,
            "done": self.done,
            "attempts": self.attempts,
            "best": self.best,
            "latest": self.latest,
            "latest_session": self.latest_session,
            "in_progress": self.in_progress,
        }


@dataclass
class LoopStatus:
    """Where a loop stands: the rounds in order, what is done and what comes next."""

    loop_id: str
    title: str
    pack_id: str
    start: date
    status: str
    rounds: list[RoundProgress] = field(default_factory=list)

    @property
    def next_round(self) -> RoundProgress | None:
        """The first round, in loop order, not yet done."""
        return next((r for r in self.rounds if not r.done), None)

    @property
    def done(self) -> int:
        return sum(1 for r in self.rounds if r.done)

    def to_dict(self, today: date | None = None) -> dict[str, Any]:
        today = today or date.today()
        upcoming = self.next_round
        return {
            "id": self.loop_id,
            "title": self.title,
            "pack": self.pack_id,
            "start": self.start.isoformat(),
            "status": self.status,
            "done": self.done,
            "total": len(self.rounds),
            "rounds": [r.to_dict() for r in self.rounds],
            "next": None
            if upcoming is None
            else {
                "round": upcoming.round.id,
                "name": upcoming.round.name,
                "date": upcoming.when.isoformat(),
                "days_until": (upcoming.when - today).days,
                "in_progress": upcoming.in_progress,
            },
        }


def loop_status(db: Database, loop_ref: str) -> LoopStatus:
    """The progress of the user's loop ``loop_ref`` (id, prefix or "last")."""
    with db.read_session() as s:
        loop_id = resolve_id(s, db.user_id, Loop, loop_ref)
        loop = get_loop(s, db.user_id, loop_id)
        pack = get_pack(loop.pack_id)
        sessions = list_sessions(s, db.user_id, loop_id=loop_id, newest_first=False)
        grades = final_grades(s, db.user_id, [x.id for x in sessions])
        status = LoopStatus(loop.id, loop.title, loop.pack_id, loop.start_date, loop.status)
        for row in schedule(pack, loop.start_date, loop.round_dates):
            progress = RoundProgress(row.round, row.when, row.real)
            for rs in sessions:
                if rs.round_id != row.round.id:
                    continue
                if rs.status == "in_progress":
                    progress.in_progress = rs.id
                grade = grades.get(rs.id)
                if rs.status == "completed" and grade is not None:
                    progress.attempts += 1
                    progress.latest = round(grade.score, 1)
                    progress.latest_session = rs.id
                    progress.best = max(progress.best or 0.0, round(grade.score, 1))
            status.rounds.append(progress)
    return status


# -- which loop, which pack ------------------------------------------------------------------


def active_loop(db: Database, pack_id: str | None = None) -> Loop | None:
    """The loop the user is preparing for: their newest active one (of ``pack_id``)."""
    with db.read_session() as s:
        return newest_active_loop(s, db.user_id, pack_id)


def loop_info(db: Database, loop_id: str) -> Loop:
    """The user's loop ``loop_id`` (detached), or :class:`NotFound`."""
    with db.read_session() as s:
        return get_loop(s, db.user_id, loop_id)


def set_round_dates(db: Database, loop_id: str, pack: Pack, dates: dict[str, Any]) -> None:
    """Keep the real dates (``{round id: "YYYY-MM-DD[THH:MM]"}``) of the loop's rounds; the
    loop then starts the first dated round's day offset before that date."""
    with db.session() as s:
        loop = get_loop(s, db.user_id, loop_id)
        loop.round_dates = dates
        first = next((rnd for rnd in pack.rounds if dates.get(rnd.id)), None)
        if first is not None:
            first_day = date.fromisoformat(str(dates[first.id])[:10])
            loop.start_date = first_day - timedelta(days=first.day)


def active_loop_id(db: Database, pack_id: str | None = None) -> str | None:
    """The id of :func:`active_loop`, or None."""
    loop = active_loop(db, pack_id)
    return loop.id if loop is not None else None


def current_pack_id(db: Database) -> str:
    """The pack the user is preparing with: the active loop's, else the saved plan's, else
    the default pack."""
    loop = active_loop(db)
    if loop is not None:
        return loop.pack_id
    from loopready.planning.storage import load_plan

    try:
        plan = load_plan(db=db)
    except StorageError:
        plan = None
    return plan.pack_id if plan is not None else DEFAULT_PACK_ID


def resolve_pack(db: Database, pack_id: str | None = None, loop_id: str | None = None) -> Pack:
    """The pack to use, by one rule everywhere: ``pack_id`` when given, else loop
    ``loop_id``'s, else the one the user is preparing with (:func:`current_pack_id`; a
    missing user pack shows the default with a banner)."""
    if pack_id:
        return get_pack(pack_id)
    if loop_id:
        with db.read_session() as s:
            return get_pack(get_loop(s, db.user_id, loop_id).pack_id)
    return pack_or_default(current_pack_id(db))


def all_loops(db: Database) -> list[dict[str, Any]]:
    """The user's loops, newest first, as plain rows."""
    with db.read_session() as s:
        return [
            {
                "id": loop.id,
                "title": loop.title,
                "pack": loop.pack_id,
                "start": loop.start_date.isoformat(),
                "status": loop.status,
                "created": loop.created_at.isoformat(),
            }
            for loop in list_loops(s, db.user_id)
        ]
