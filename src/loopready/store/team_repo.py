"""Queries on the team mode's tables (see :mod:`loopready.store.team_models`).

Functions take an open :class:`~sqlalchemy.orm.Session`; the caller owns the transaction.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final, TypeVar

from sqlalchemy import delete, exc, func, insert, or_, select, text, update
from sqlalchemy.orm import Session

from loopready.errors import StorageError
from loopready.store.models import Base, User, table_of
from loopready.store.team_models import (
    Account,
    AuthSession,
    CoachLink,
    LiveEvent,
    LiveMock,
    LoginAttempt,
    ReportComment,
    Scorecard,
)
from loopready.store.types import utcnow

if TYPE_CHECKING:
    from psycopg import AsyncConnection
    from psycopg_pool import AsyncConnectionPool

_M = TypeVar("_M", bound=Base)
_T = TypeVar("_T")


def account_by_email(session: Session, email: str) -> Account | None:
    return session.scalar(select(Account).where(Account.email == email))


def account_of_user(session: Session, user_id: str) -> Account | None:
    return session.scalar(select(Account).where(Account.user_id == user_id))


class AccountTaken(Exception):
    """The database refused a new account: its e-mail (or user) exists already.

    Raised when two sign-ups of one address race past the check; the transaction is
    spent and rolls back when it ends.
    """


def add_account(session: Session, email: str, password_hash: str, role: str) -> Account:
    """A new user row and its account (the user's name is the e-mail); or :class:`AccountTaken`."""
    try:
        user = User(name=email)
        session.add(user)
        session.flush()
        account = Account(user_id=user.id, email=email, password_hash=password_hash, role=role)
        session.add(account)
        session.flush()
    except exc.IntegrityError:
        raise AccountTaken(email) from None
    return account


def failures_since(session: Session, user_id: str, since: datetime) -> int:
    query = select(func.count()).where(
        LoginAttempt.user_id == user_id, LoginAttempt.created_at >= since
    )
    return int(session.scalar(query) or 0)


def record_failure(session: Session, user_id: str) -> None:
    session.add(LoginAttempt(user_id=user_id))


def clear_failures(session: Session, user_id: str) -> None:
    session.execute(delete(LoginAttempt).where(LoginAttempt.user_id == user_id))


def add_auth_session(
    session: Session, digest: str, user_id: str, now: datetime, expires: datetime
) -> None:
    session.add(AuthSession(id=digest, user_id=user_id, last_seen_at=now, expires_at=expires))


def auth_session(session: Session, digest: str) -> AuthSession | None:
    return session.get(AuthSession, digest)


def touch_auth_session(session: Session, digest: str, now: datetime) -> None:
    """Record that the sign-in session *digest* was used at *now* (if it is still there)."""
    row = session.get(AuthSession, digest)
    if row is not None:
        row.last_seen_at = now


def auth_session_and_account(
    session: Session, digest: str
) -> tuple[AuthSession, Account | None] | None:
    """The sign-in session *digest* with its user's account, in one query (every page)."""
    query = (
        select(AuthSession, Account)
        .outerjoin(Account, Account.user_id == AuthSession.user_id)
        .where(AuthSession.id == digest)
    )
    row = session.execute(query).first()
    return (row[0], row[1]) if row is not None else None


def drop_auth_sessions(session: Session, user_id: str, digest: str | None = None) -> int:
    """Delete *user_id*'s sign-in sessions (only *digest*'s when given); how many went."""
    query = delete(AuthSession).where(AuthSession.user_id == user_id)
    if digest is not None:
        query = query.where(AuthSession.id == digest)
    return int(session.execute(query).rowcount or 0)  # type: ignore[attr-defined]


def coach_link(session: Session, candidate_id: str, coach_id: str) -> CoachLink | None:
    return session.scalar(
        select(CoachLink).where(
            CoachLink.user_id == candidate_id, CoachLink.coach_user_id == coach_id
        )
    )


def add_coach_link(session: Session, candidate_id: str, coach_id: str) -> None:
    session.add(CoachLink(user_id=candidate_id, coach_user_id=coach_id))


def coaches_of(session: Session, candidate_id: str) -> list[Account]:
    query = (
        select(Account)
        .join(CoachLink, CoachLink.coach_user_id == Account.user_id)
        .where(CoachLink.user_id == candidate_id)
        .order_by(Account.email)
    )
    return list(session.scalars(query))


def candidates_of(session: Session, coach_id: str) -> list[Account]:
    query = (
        select(Account)
        .join(CoachLink, CoachLink.user_id == Account.user_id)
        .where(CoachLink.coach_user_id == coach_id)
        .order_by(Account.email)
    )
    return list(session.scalars(query))


def remove_coach(session: Session, candidate_id: str, coach_id: str) -> None:
    session.execute(
        delete(CoachLink).where(
            CoachLink.user_id == candidate_id, CoachLink.coach_user_id == coach_id
        )
    )


def wake_mocks_of(session: Session, channel: str, candidate_id: str) -> None:
    """Notify *channel* with the id of every live mock in which *candidate_id* is the
    candidate (PostgreSQL only): their open pages, on every app process, look again."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for mock in live_mocks_of(session, candidate_id):
        if mock.user_id == candidate_id:
            notify(session, channel, mock.id)


def live_mock(session: Session, mock_id: str, *, for_update: bool = False) -> LiveMock | None:
    query = select(LiveMock).where(LiveMock.id == mock_id)
    if for_update:
        query = query.with_for_update()
    return session.scalar(query)


def set_live_mock_grade(session: Session, mock_id: str, grade: dict[str, Any]) -> None:
    """Keep the grader's result on the mock *mock_id* (if it is still there)."""
    row = live_mock(session, mock_id)
    if row is not None:
        row.grade = grade


def live_mocks_of(session: Session, user_id: str) -> list[LiveMock]:
    """Mocks *user_id* plays, as candidate or as the peer interviewer, newest first."""
    query = (
        select(LiveMock)
        .where(or_(LiveMock.user_id == user_id, LiveMock.peer_user_id == user_id))
        .order_by(LiveMock.created_at.desc())
    )
    return list(session.scalars(query))


def add_event(
    session: Session, mock: LiveMock, author_id: str | None, kind: str, payload: dict[str, Any]
) -> LiveEvent:
    event = LiveEvent(
        user_id=mock.user_id, mock_id=mock.id, author_user_id=author_id, kind=kind, payload=payload
    )
    session.add(event)
    session.flush()
    return event


def events_after(session: Session, mock_id: str, seq: int, limit: int = 1000) -> list[LiveEvent]:
    query = (
        select(LiveEvent)
        .where(LiveEvent.mock_id == mock_id, LiveEvent.seq > seq)
        .order_by(LiveEvent.seq)
        .limit(limit)
    )
    return list(session.scalars(query))


def last_seq(session: Session, mock_id: str, *, before: int | None = None) -> int:
    """The newest event number of *mock_id* (below *before*, when given), or 0."""
    query = select(func.max(LiveEvent.seq)).where(LiveEvent.mock_id == mock_id)
    if before is not None:
        query = query.where(LiveEvent.seq < before)
    return int(session.scalar(query) or 0)


def mock_state(session: Session, mock_id: str) -> tuple[LiveMock, Scorecard | None, int] | None:
    """A mock, its (first) scorecard and its newest event number, in one query: one
    snapshot of the database, so the state is exactly as of that number."""
    newest = (
        select(func.coalesce(func.max(LiveEvent.seq), 0))
        .where(LiveEvent.mock_id == LiveMock.id)
        .scalar_subquery()
    )
    query = (
        select(LiveMock, Scorecard, newest)
        .outerjoin(Scorecard, Scorecard.mock_id == LiveMock.id)
        .where(LiveMock.id == mock_id)
        .order_by(Scorecard.created_at)
        .limit(1)
    )
    row = session.execute(query).first()
    return (row[0], row[1], int(row[2])) if row is not None else None


# --- live mocks without the ORM: the hot paths ------------------------------------------
#
# Typing (several times a second per mock) and the room page (what many load at once) run
# in the event loop on an async psycopg connection (see :class:`loopready.team.bus.LiveBus`),
# or, for typing without that pool, as plain statements on the session. Rows are read
# column by column and turned into the same mapped objects the ORM would give.


def notify(session: Session, channel: str, message: str) -> None:
    """``NOTIFY channel, message`` when this transaction commits (PostgreSQL; else nothing)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_notify(:channel, :message)"), {"channel": channel, "message": message}
        )


def type_answer(
    session: Session, mock_id: str, user_id: str, answer: str, extra: dict[str, Any]
) -> tuple[int, int, dict[str, Any]] | None:
    """Set the answer of *user_id*'s mock and append its ``typed`` event: ``(seq, prev,
    payload)``, or None when the mock is not theirs or has ended. No row is loaded.

    The UPDATE takes the mock's row lock, so ``prev`` (the mock's newest event below the
    new one) is exact. *extra* goes into the event's payload (``client_rev``).
    """
    mocks = table_of(LiveMock)
    revision = session.execute(
        update(mocks)
        .where(mocks.c.id == mock_id, mocks.c.user_id == user_id, mocks.c.status != "ended")
        .values(answer=answer, answer_revision=mocks.c.answer_revision + 1)
        .returning(mocks.c.answer_revision)
    ).scalar()
    if revision is None:
        return None
    payload: dict[str, Any] = {"text": answer, "revision": revision, **extra}
    events = table_of(LiveEvent)
    # Under the row lock the UPDATE took, the mock's newest event is the one before.
    prev = session.execute(
        select(func.coalesce(func.max(events.c.seq), 0)).where(events.c.mock_id == mock_id)
    ).scalar_one()
    seq = session.execute(
        insert(events)
        .values(
            user_id=user_id,
            mock_id=mock_id,
            author_user_id=user_id,
            kind="typed",
            payload=payload,
        )
        .returning(events.c.seq)
    ).scalar_one()
    return int(seq), int(prev), payload


#: Typing in one statement: the UPDATE takes the mock's row lock, the INSERT adds the
#: event and returns its number, the number of the mock's event before it and the
#: answer's revision. No row when the mock is not the typist's, or has ended.
_TYPE_SQL: Final = """
WITH m AS (
    UPDATE live_mocks SET answer = %(text)s, answer_revision = answer_revision + 1
    WHERE id = %(mock)s AND user_id = %(user)s AND status <> 'ended'
    RETURNING id, answer_revision
)
INSERT INTO live_events (user_id, mock_id, author_user_id, kind, payload, created_at)
SELECT %(user)s, m.id, %(user)s, 'typed',
    (jsonb_build_object('text', %(text)s::text, 'revision', m.answer_revision)
        || %(extra)s::jsonb)::json,
    %(now)s
FROM m
RETURNING seq,
    (SELECT coalesce(max(b.seq), 0) FROM live_events AS b
        WHERE b.mock_id = live_events.mock_id AND b.seq < live_events.seq),
    (payload ->> 'revision')::integer
"""


@asynccontextmanager
async def _async_errors() -> AsyncIterator[None]:
    import psycopg

    try:
        yield
    except psycopg.Error as error:
        raise StorageError(f"The live connection to the database failed: {error}") from error


@asynccontextmanager
async def live_connection(pool: AsyncConnectionPool[Any]) -> AsyncIterator[AsyncConnection[Any]]:
    """A connection of *pool* for the async functions below; :class:`StorageError` when
    none can be had (the pool is closed, full for too long, or the server is gone)."""
    from psycopg_pool import PoolTimeout

    try:
        async with _async_errors(), pool.connection() as conn:
            yield conn
    except PoolTimeout as error:
        raise StorageError(f"No live connection to the database: {error}") from error


async def type_answer_async(
    conn: AsyncConnection[Any],
    mock_id: str,
    user_id: str,
    answer: str,
    extra: dict[str, Any],
    announce: Callable[[int, int, dict[str, Any]], tuple[_T, str]],
    channel: str,
) -> _T | None:
    """:func:`type_answer` on PostgreSQL in one statement, then ``NOTIFY channel``, in
    one transaction on *conn* (an autocommit connection).

    ``announce(seq, prev, payload)`` gives what to return and the notification's text.
    None when the mock is not the typist's, or has ended; :class:`StorageError` when the
    connection fails (nothing is written then).
    """
    from psycopg.types.json import Jsonb

    answer = answer.replace("\x00", "")  # PostgreSQL keeps no NUL in text
    params = {
        "text": answer,
        "mock": mock_id,
        "user": user_id,
        "extra": Jsonb(extra),
        "now": utcnow(),
    }
    async with _async_errors(), conn.transaction():
        row = await (await conn.execute(_TYPE_SQL, params)).fetchone()
        if row is None:
            return None
        seq, prev, revision = row
        result, note = announce(seq, prev, {"text": answer, "revision": revision, **extra})
        await conn.execute("SELECT pg_notify(%s, %s)", (channel, note))
    return result


def _columns(model: type[Any]) -> tuple[str, ...]:
    return tuple(column.name for column in table_of(model).columns)


def _mapped(model: type[_M], names: Sequence[str], values: Sequence[Any]) -> _M:
    """A (transient) *model* object from raw column values; timestamps in UTC, as the
    ORM's :class:`~loopready.store.types.UTCDateTime` gives them."""
    fields = {
        name: value.astimezone(UTC) if isinstance(value, datetime) else value
        for name, value in zip(names, values, strict=True)
    }
    return model(**fields)


_MOCK_COLUMNS: Final = _columns(LiveMock)
_CARD_COLUMNS: Final = _columns(Scorecard)
_SIGN_IN_SQL: Final = """
SELECT s.user_id, s.last_seen_at, s.expires_at, a.user_id, a.email, a.role
FROM auth_sessions AS s LEFT JOIN accounts AS a ON a.user_id = s.user_id
WHERE s.id = %s
"""
#: One snapshot: the mock, its first scorecard and its newest event number (mock_state).
_MOCK_STATE_SQL: Final = (
    "SELECT "
    + ", ".join(f"m.{c}" for c in _MOCK_COLUMNS)
    + ", "
    + ", ".join(f"c.{c}" for c in _CARD_COLUMNS)
    + ", (SELECT coalesce(max(e.seq), 0) FROM live_events AS e WHERE e.mock_id = m.id)"
    + " FROM live_mocks AS m LEFT JOIN scorecards AS c ON c.mock_id = m.id"
    + " WHERE m.id = %s ORDER BY c.created_at LIMIT 1"
)


@dataclass(frozen=True)
class SignInRow:
    """A sign-in session as :func:`sign_in_async` reads it, with its account (if any)."""

    user_id: str
    last_seen_at: datetime
    expires_at: datetime
    account: tuple[str, str, str] | None  # user_id, email, role


async def sign_in_async(conn: AsyncConnection[Any], digest: str) -> SignInRow | None:
    """:func:`auth_session_and_account` on an async connection."""
    async with _async_errors():
        row = await (await conn.execute(_SIGN_IN_SQL, (digest,))).fetchone()
    if row is None:
        return None
    user_id, seen, expires, account_user, email, role = row
    account = (account_user, email, role) if account_user is not None else None
    return SignInRow(user_id, seen.astimezone(UTC), expires.astimezone(UTC), account)


async def touch_sign_in_async(conn: AsyncConnection[Any], digest: str, now: datetime) -> None:
    """Record that sign-in session *digest* was used at *now*."""
    async with _async_errors():
        await conn.execute(
            "UPDATE auth_sessions SET last_seen_at = %s WHERE id = %s", (now, digest)
        )


async def drop_sign_in_async(conn: AsyncConnection[Any], user_id: str, digest: str) -> None:
    """:func:`drop_auth_sessions` of one session, on an async connection."""
    async with _async_errors():
        await conn.execute(
            "DELETE FROM auth_sessions WHERE user_id = %s AND id = %s", (user_id, digest)
        )


async def mock_state_async(
    conn: AsyncConnection[Any], mock_id: str
) -> tuple[LiveMock, Scorecard | None, int] | None:
    """:func:`mock_state` on an async connection (one statement, one snapshot)."""
    async with _async_errors():
        row = await (await conn.execute(_MOCK_STATE_SQL, (mock_id,))).fetchone()
    if row is None:
        return None
    split = len(_MOCK_COLUMNS)
    mock = _mapped(LiveMock, _MOCK_COLUMNS, row[:split])
    card_values = row[split : split + len(_CARD_COLUMNS)]
    card = None if card_values[0] is None else _mapped(Scorecard, _CARD_COLUMNS, card_values)
    return mock, card, int(row[-1])


def scorecard(session: Session, mock_id: str, scorer_id: str) -> Scorecard | None:
    return session.scalar(
        select(Scorecard).where(Scorecard.mock_id == mock_id, Scorecard.scorer_user_id == scorer_id)
    )


def scorecards_of_mock(session: Session, mock_id: str) -> list[Scorecard]:
    return list(session.scalars(select(Scorecard).where(Scorecard.mock_id == mock_id)))


def all_submitted_scorecards(session: Session) -> list[tuple[Scorecard, LiveMock]]:
    query = (
        select(Scorecard, LiveMock)
        .join(LiveMock, LiveMock.id == Scorecard.mock_id)
        .where(Scorecard.submitted == 1)
        .order_by(Scorecard.created_at)
    )
    return [(card, mock) for card, mock in session.execute(query)]


def add_comment(
    session: Session, candidate_id: str, target: str, author_id: str, body: str
) -> ReportComment:
    comment = ReportComment(
        user_id=candidate_id, target=target, author_user_id=author_id, text=body
    )
    session.add(comment)
    session.flush()
    return comment


def comments_on(
    session: Session, candidate_id: str, target: str
) -> list[tuple[ReportComment, str]]:
    """Comments on one report, oldest first, with their author's e-mail."""
    query = (
        select(ReportComment, Account.email)
        .outerjoin(Account, Account.user_id == ReportComment.author_user_id)
        .where(ReportComment.user_id == candidate_id, ReportComment.target == target)
        .order_by(ReportComment.created_at)
    )
    return [(c, email or "(removed)") for c, email in session.execute(query)]


@asynccontextmanager
async def listening(conninfo: str, channel: str) -> AsyncIterator[AsyncIterator[str]]:
    """``LISTEN channel`` on a connection of its own (autocommit): the payloads as they
    come, until the connection drops (the caller reconnects) or the block ends."""
    import psycopg

    conn = await psycopg.AsyncConnection.connect(conninfo, autocommit=True)
    async with conn:
        await conn.execute(f"LISTEN {channel}")
        yield (note.payload async for note in conn.notifies())
