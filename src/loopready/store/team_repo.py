"""Queries on the team mode's tables (see :mod:`loopready.store.team_models`).

Functions take an open :class:`~sqlalchemy.orm.Session`; the caller owns the transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, exc, func, or_, select, text
from sqlalchemy.orm import Session

from loopready.store.models import User
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


def notify(session: Session, channel: str, message: str) -> None:
    """``NOTIFY channel, message`` when this transaction commits (PostgreSQL; else nothing)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_notify(:channel, :message)"), {"channel": channel, "message": message}
        )


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
