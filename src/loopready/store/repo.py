"""Small, typed helpers for the queries the rest of loopready makes all the time.

Each takes an open SQLAlchemy session and the id of the user acting, and never commits:
the caller's ``with db.session() as s:`` block is the transaction, so several helpers can
change the database together or not at all. Anything looked up by id that is missing,
or belongs to someone else, raises :class:`~loopready.errors.NotFound`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from loopready.errors import Conflict, InputError, NotFound
from loopready.store.models import (
    SESSION_STATUSES,
    TURN_KINDS,
    USER_TABLES,
    Base,
    Grade,
    Loop,
    RoundSession,
    SessionStatus,
    Setting,
    Turn,
    TurnKind,
    table_of,
)
from loopready.store.types import new_id, utcnow

if TYPE_CHECKING:
    from loopready.store.engine import Database

M = TypeVar("M", bound=Base)


class RevisionConflict(Conflict):
    """An autosave was based on an older revision than the one stored (another tab wrote)."""

    def __init__(self, turn_id: str, expected: int, stored: int) -> None:
        self.turn_id = turn_id
        self.expected = expected
        self.stored = stored
        super().__init__(
            f"This answer was changed elsewhere (saved revision {stored}, this copy is "
            f"revision {expected}). Reload it before typing more, so neither copy is lost."
        )


def find_owned(s: Session, model: type[M], user_id: str, row_id: str | None) -> M | None:
    """The row ``row_id`` of ``model`` when it belongs to ``user_id``, else None: the one
    ownership check (a row of another user is as missing as one that does not exist)."""
    row = s.get(model, row_id) if row_id else None
    if row is None or getattr(row, "user_id", None) != user_id:
        return None
    return row


def _owned(s: Session, model: type[M], user_id: str, row_id: str, what: str) -> M:
    row = find_owned(s, model, user_id, row_id)
    if row is None:
        raise NotFound(f"No {what} with id {row_id!r}. List yours to find the right id.")
    return row


# --- loops ------------------------------------------------------------------------------


def create_loop(
    s: Session,
    user_id: str,
    *,
    pack_id: str,
    title: str,
    start_date: date | None = None,
    round_dates: Mapping[str, datetime | str | None] | None = None,
    status: str = "active",
) -> Loop:
    """Start a loop on *pack_id*; *round_dates* maps round ids to real interview times."""
    dates: dict[str, str | None] = {}
    for round_id, when in (round_dates or {}).items():
        if isinstance(when, datetime):
            if when.tzinfo is None:
                raise InputError(
                    f"The date of round {round_id!r} has no time zone; add one, e.g. +00:00."
                )
            dates[round_id] = when.isoformat()
        else:
            dates[round_id] = when
    loop = Loop(
        user_id=user_id,
        pack_id=pack_id,
        title=title,
        start_date=start_date or date.today(),
        round_dates=dates,
        status=status,
    )
    s.add(loop)
    s.flush()
    return loop


def get_loop(s: Session, user_id: str, loop_id: str) -> Loop:
    """The user's loop *loop_id*, or :class:`NotFound`."""
    return _owned(s, Loop, user_id, loop_id, "loop")


def list_loops(s: Session, user_id: str) -> list[Loop]:
    """The user's loops, newest first."""
    query = select(Loop).where(Loop.user_id == user_id)
    return list(s.scalars(query.order_by(Loop.created_at.desc(), Loop.id)))


def newest_active_loop(s: Session, user_id: str, pack_id: str | None = None) -> Loop | None:
    """The loop the user is preparing for: their newest active one (of *pack_id*)."""
    query = select(Loop).where(Loop.user_id == user_id, Loop.status == "active")
    if pack_id is not None:
        query = query.where(Loop.pack_id == pack_id)
    return s.scalars(query.order_by(Loop.created_at.desc(), Loop.id).limit(1)).first()


# --- round sessions ---------------------------------------------------------------------


def create_session(
    s: Session,
    user_id: str,
    *,
    pack_id: str,
    round_id: str,
    prompt_id: str,
    loop_id: str | None = None,
    time_limit_s: int | None = None,
    meta: Mapping[str, Any] | None = None,
    started_at: datetime | None = None,
) -> RoundSession:
    """Start a mock attempt at a round, optionally as part of the user's loop *loop_id*."""
    if loop_id is not None:
        loop = get_loop(s, user_id, loop_id)
        if loop.pack_id != pack_id:
            raise InputError(
                f"Loop {loop_id!r} practises pack {loop.pack_id!r}, not {pack_id!r}; "
                "start the session in a loop for that pack, or without a loop."
            )
    if time_limit_s is not None and time_limit_s <= 0:
        raise InputError(f"A time limit must be a positive number of seconds, not {time_limit_s}.")
    round_session = RoundSession(
        user_id=user_id,
        loop_id=loop_id,
        pack_id=pack_id,
        round_id=round_id,
        prompt_id=prompt_id,
        status="in_progress",
        started_at=started_at or utcnow(),
        time_limit_s=time_limit_s,
        meta=dict(meta or {}),
    )
    s.add(round_session)
    s.flush()
    return round_session


def get_session(s: Session, user_id: str, session_id: str) -> RoundSession:
    """The user's round session *session_id*, or :class:`NotFound`."""
    return _owned(s, RoundSession, user_id, session_id, "practice session")


def end_session(
    s: Session,
    user_id: str,
    session_id: str,
    *,
    status: SessionStatus = "completed",
    ended_at: datetime | None = None,
) -> RoundSession:
    """Mark a session ``completed`` (or ``abandoned``) and record when it ended."""
    if status not in SESSION_STATUSES or status == "in_progress":
        raise InputError(f"A session ends as 'completed' or 'abandoned', not {status!r}.")
    round_session = get_session(s, user_id, session_id)
    round_session.status = status
    round_session.ended_at = ended_at or utcnow()
    s.flush()
    return round_session


def list_sessions(
    s: Session,
    user_id: str,
    *,
    round_id: str | None = None,
    pack_id: str | None = None,
    loop_id: str | None = None,
    status: SessionStatus | None = None,
    started_before: datetime | None = None,
    limit: int | None = None,
    newest_first: bool = True,
) -> list[RoundSession]:
    """The user's sessions, newest first (or oldest first), filtered by whichever
    arguments are given."""
    query = select(RoundSession).where(RoundSession.user_id == user_id)
    if round_id is not None:
        query = query.where(RoundSession.round_id == round_id)
    if pack_id is not None:
        query = query.where(RoundSession.pack_id == pack_id)
    if loop_id is not None:
        query = query.where(RoundSession.loop_id == loop_id)
    if status is not None:
        query = query.where(RoundSession.status == status)
    if started_before is not None:
        query = query.where(RoundSession.started_at < started_before)
    started = RoundSession.started_at.desc() if newest_first else RoundSession.started_at
    query = query.order_by(started, RoundSession.id)
    if limit is not None:
        query = query.limit(limit)
    return list(s.scalars(query))


def prompts_practised(s: Session, user_id: str, pack_id: str, round_id: str) -> list[str]:
    """The prompt id of every session of the user's round (abandoned ones too)."""
    query = select(RoundSession.prompt_id).where(
        RoundSession.user_id == user_id,
        RoundSession.pack_id == pack_id,
        RoundSession.round_id == round_id,
    )
    return list(s.scalars(query))


def newest_in_progress(
    s: Session, user_id: str, pack_id: str, round_id: str, loop_id: str | None
) -> str | None:
    """The id of the user's newest unfinished session of the round, in loop *loop_id*
    (``None``: outside any loop)."""
    query = select(RoundSession.id).where(
        RoundSession.user_id == user_id,
        RoundSession.pack_id == pack_id,
        RoundSession.round_id == round_id,
        RoundSession.status == "in_progress",
        RoundSession.loop_id.is_(None) if loop_id is None else RoundSession.loop_id == loop_id,
    )
    found = s.scalar(query.order_by(RoundSession.started_at.desc()).limit(1))
    return str(found) if found is not None else None


# --- ids typed by a person ----------------------------------------------------------------

#: A typed id prefix must have at least this many characters.
MIN_PREFIX = 6
_LAST = {"last", "latest"}


def resolve_id(s: Session, user_id: str, model: type[Loop] | type[RoundSession], ref: str) -> str:
    """The full id of the user's loop or session that ``ref`` names (id, prefix or "last")."""
    what = "loop" if model is Loop else "practice session"
    ref = ref.strip()
    if ref.lower() in _LAST:
        order = Loop.created_at.desc() if model is Loop else RoundSession.started_at.desc()
        newest = s.scalar(select(model.id).where(model.user_id == user_id).order_by(order).limit(1))
        if newest is None:
            raise NotFound(f"You have no {what} yet.")
        return str(newest)
    if not re.fullmatch(r"[0-9a-fA-F-]+", ref):
        raise InputError(f"{ref!r} is not a {what} id; ids look like 3f2a9c1e-...")
    exact = s.scalar(select(model.id).where(model.user_id == user_id, model.id == ref.lower()))
    if exact is not None:
        return str(exact)
    if len(ref) < MIN_PREFIX:
        raise InputError(f"Give at least {MIN_PREFIX} characters of the {what} id, not {ref!r}.")
    found = list(
        s.scalars(
            select(model.id).where(model.user_id == user_id, model.id.like(ref.lower() + "%"))
        )
    )
    if not found:
        command = "loopready loop list" if model is Loop else "loopready loop show"
        raise NotFound(f"No {what} with an id starting {ref!r}; `{command}` lists yours.")
    if len(found) > 1:
        raise InputError(f"{len(found)} {what}s have ids starting {ref!r}; type more of it.")
    return str(found[0])


# --- turns ------------------------------------------------------------------------------


def upsert_turn(
    s: Session,
    user_id: str,
    session_id: str,
    seq: int,
    text: str,
    *,
    kind: TurnKind | None = None,
    speaker: str | None = None,
    prompt_text: str | None = None,
    expected_revision: int | None = None,
) -> Turn:
    """Create turn *seq* of a session or replace its text, bumping ``revision``.

    One ``INSERT ... ON CONFLICT DO UPDATE`` statement, so a crash leaves either the old
    text or the new one. *kind*, *speaker* and *prompt_text* are set on creation and
    changed only when given. With *expected_revision*, the write happens only if the
    stored revision still equals it; otherwise :class:`RevisionConflict` is raised (two
    browser tabs must not silently overwrite each other).
    """
    if seq < 0:
        raise InputError(f"A turn's sequence number starts at 0, not {seq}.")
    if kind is not None and kind not in TURN_KINDS:
        raise InputError(f"A turn is one of {', '.join(TURN_KINDS)}, not {kind!r}.")
    get_session(s, user_id, session_id)

    now = utcnow()
    values = {
        "id": new_id(),
        "user_id": user_id,
        "session_id": session_id,
        "seq": seq,
        "kind": kind or "answer",
        "speaker": speaker or "candidate",
        "prompt_text": prompt_text,
        "text": text,
        "revision": 1,
        "created_at": now,
        "updated_at": now,
    }
    dialect = s.get_bind().dialect.name
    insert = postgresql.insert(Turn) if dialect == "postgresql" else sqlite.insert(Turn)
    statement = insert.values(values)
    changes: dict[str, Any] = {
        "text": statement.excluded.text,
        "revision": Turn.revision + 1,
        "updated_at": statement.excluded.updated_at,
    }
    for name, given in (("kind", kind), ("speaker", speaker), ("prompt_text", prompt_text)):
        if given is not None:
            changes[name] = statement.excluded[name]
    upsert = statement.on_conflict_do_update(
        index_elements=[Turn.session_id, Turn.seq],
        set_=changes,
        where=None if expected_revision is None else Turn.revision == expected_revision,
    ).returning(Turn)
    turn = s.scalars(upsert, execution_options={"populate_existing": True}).one_or_none()
    if turn is None:
        stored = s.scalars(select(Turn).where(Turn.session_id == session_id, Turn.seq == seq)).one()
        if stored.text == text:  # the same words saved elsewhere (the transcript, a tab): kept
            return stored
        raise RevisionConflict(stored.id, expected_revision or 0, stored.revision)
    return turn


def list_turns(s: Session, user_id: str, session_id: str) -> list[Turn]:
    """The turns of the user's session, in order."""
    get_session(s, user_id, session_id)
    query = select(Turn).where(Turn.session_id == session_id).order_by(Turn.seq)
    return list(s.scalars(query))


# --- grades -----------------------------------------------------------------------------


def save_grade(
    s: Session,
    user_id: str,
    *,
    round_id: str,
    score: float,
    result: Mapping[str, Any],
    grader: str,
    session_id: str | None = None,
    turn_id: str | None = None,
) -> Grade:
    """Store a grade: *score* (0-100), the grader's full *result*, and ``name/version``."""
    if isinstance(score, bool) or not math.isfinite(score) or not 0 <= score <= 100:
        raise InputError(f"A score is a number from 0 to 100, not {score!r}.")
    if session_id is not None:
        round_session = get_session(s, user_id, session_id)
        if round_session.round_id != round_id:
            raise InputError(
                f"Session {session_id!r} practised round {round_session.round_id!r}, "
                f"so it cannot hold a grade for round {round_id!r}."
            )
    if turn_id is not None:
        turn = _owned(s, Turn, user_id, turn_id, "answer turn")
        if session_id is not None and turn.session_id != session_id:
            raise InputError(f"Turn {turn_id!r} is not part of session {session_id!r}.")
        session_id = turn.session_id
    grade = Grade(
        user_id=user_id,
        session_id=session_id,
        turn_id=turn_id,
        round_id=round_id,
        score=float(score),
        result=dict(result),
        grader=grader,
    )
    s.add(grade)
    s.flush()
    return grade


def final_grades(s: Session, user_id: str, session_ids: list[str]) -> dict[str, Grade]:
    """Each session's final grade: its newest grade not tied to a single turn."""
    if not session_ids:
        return {}
    query = (
        select(Grade)
        .where(
            Grade.user_id == user_id,
            Grade.session_id.in_(session_ids),
            Grade.turn_id.is_(None),
        )
        .order_by(Grade.created_at, Grade.id)
    )
    latest: dict[str, Grade] = {}
    for grade in s.scalars(query):
        assert grade.session_id is not None
        latest[grade.session_id] = grade
    return latest


# --- settings ---------------------------------------------------------------------------


def get_setting(s: Session, user_id: str, key: str, default: Any = None) -> Any:
    """The user's setting *key*, or *default* when it was never set."""
    row = s.get(Setting, (user_id, key))
    return default if row is None else row.value


def set_setting(s: Session, user_id: str, key: str, value: Any) -> None:
    """Store the user's setting *key* (any JSON value)."""
    row = s.get(Setting, (user_id, key))
    if row is None:
        s.add(Setting(user_id=user_id, key=key, value=value))
    else:
        row.value = value
    s.flush()


# --- overview ---------------------------------------------------------------------------


def user_row_counts(db: Database) -> dict[str, int]:
    """How many rows the user of ``db`` has in each table, in export order."""
    with db.read_session() as s:
        return count_rows(s, db.user_id)


def count_rows(s: Session, user_id: str) -> dict[str, int]:
    """How many rows the user has in each table, in export order."""
    counts: dict[str, int] = {}
    for model in USER_TABLES:
        table = table_of(model)
        query = select(func.count()).select_from(table).where(table.c.user_id == user_id)
        counts[table.name] = s.scalar(query) or 0
    return counts
