"""The team mode's tables: accounts, sign-in sessions, coaches, live mocks and their events.

A local install never writes these tables (it has no login); they exist on every database
so that one schema serves both modes. Every row still belongs to a user (``user_id``): an
account *is* a user (``users.name`` is the account's e-mail), so the practice tables need
no change to hold several people's data.

Changing a model means adding a migration: see ``docs/storage.md``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final, Literal

from sqlalchemy import (
    JSON,
    BigInteger,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from loopready.store.models import Base, _created, _id, _owner
from loopready.store.types import UTCDateTime

Role = Literal["candidate", "coach"]
ROLES: Final[tuple[Role, ...]] = ("candidate", "coach")
LiveStatus = Literal["waiting", "live", "ended"]


def _user_ref(nullable: bool = False) -> Mapped[Any]:
    ondelete = "SET NULL" if nullable else "CASCADE"
    return mapped_column(String(36), ForeignKey("users.id", ondelete=ondelete), nullable=nullable)


class Account(Base):
    """Someone who signs in to a team install; ``user_id`` is whose data they own."""

    __tablename__ = "accounts"
    __table_args__ = (UniqueConstraint("email"), UniqueConstraint("user_id"))

    id: Mapped[str] = _id()
    user_id: Mapped[str] = _owner()
    email: Mapped[str] = mapped_column(String(254), nullable=False)
    password_hash: Mapped[str] = mapped_column(String(200), nullable=False)
    role: Mapped[str] = mapped_column(String(20), nullable=False)
    created_at: Mapped[datetime] = _created()


class AuthSession(Base):
    """A signed-in browser: the SHA-256 of its cookie's token, never the token itself."""

    __tablename__ = "auth_sessions"
    __table_args__ = (Index(None, "user_id"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = _owner()
    created_at: Mapped[datetime] = _created()
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)


class LoginAttempt(Base):
    """A failed sign-in, counted to slow down password guessing on an account."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index(None, "user_id", "created_at"),)

    id: Mapped[str] = _id()
    user_id: Mapped[str] = _owner()
    created_at: Mapped[datetime] = _created()


class CoachLink(Base):
    """A coach the candidate (``user_id``) invited to read their practice."""

    __tablename__ = "coach_links"
    __table_args__ = (UniqueConstraint("user_id", "coach_user_id"), Index(None, "coach_user_id"))

    id: Mapped[str] = _id()
    user_id: Mapped[str] = _owner()
    coach_user_id: Mapped[str] = _user_ref()
    created_at: Mapped[datetime] = _created()


class LiveMock(Base):
    """A round played live: the candidate (``user_id``) answers, a peer interviews.

    The clock is ``elapsed_s`` plus, while running, the time since ``running_since``.
    ``invite_nonce`` is the invitation's single-use secret; it is cleared when used.
    """

    __tablename__ = "live_mocks"
    __table_args__ = (Index(None, "user_id"), Index(None, "peer_user_id"))

    id: Mapped[str] = _id()
    user_id: Mapped[str] = _owner()
    peer_user_id: Mapped[str | None] = _user_ref(nullable=True)
    pack_id: Mapped[str] = mapped_column(String(100), nullable=False)
    round_id: Mapped[str] = mapped_column(String(100), nullable=False)
    prompt_id: Mapped[str] = mapped_column(String(100), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="waiting")
    invite_nonce: Mapped[str | None] = mapped_column(String(64), nullable=True)
    time_limit_s: Mapped[int] = mapped_column(Integer, nullable=False)
    elapsed_s: Mapped[float] = mapped_column(Float, nullable=False, default=0.0)
    running_since: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    answer: Mapped[str] = mapped_column(Text, nullable=False, default="")
    answer_revision: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    grade: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime] = _created()
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class LiveEvent(Base):
    """One change to a live mock, numbered: what a reconnecting page catches up from.

    ``seq`` is global and only grows; a page asks for the events of its mock after the
    last ``seq`` it saw. PostgreSQL's ``NOTIFY`` carries only ``mock_id:seq``.
    """

    __tablename__ = "live_events"
    __table_args__ = (Index(None, "mock_id", "seq"),)

    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    user_id: Mapped[str] = _owner()
    mock_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("live_mocks.id", ondelete="CASCADE"), nullable=False
    )
    author_user_id: Mapped[str | None] = _user_ref(nullable=True)
    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    created_at: Mapped[datetime] = _created()


class Scorecard(Base):
    """The interviewer's scores of a live mock: per criterion 0-4 with a note, flags heard."""

    __tablename__ = "scorecards"
    __table_args__ = (UniqueConstraint("mock_id", "scorer_user_id"), Index(None, "user_id"))

    id: Mapped[str] = _id()
    user_id: Mapped[str] = _owner()
    mock_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("live_mocks.id", ondelete="CASCADE"), nullable=False
    )
    scorer_user_id: Mapped[str | None] = _user_ref(nullable=True)
    scores: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    red_flags: Mapped[list[str]] = mapped_column(JSON, nullable=False)
    submitted: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)


class ReportComment(Base):
    """A coach's (or the candidate's) comment on one of the candidate's reports.

    ``target`` names the report: ``live:<mock id>`` or ``session:<round session id>``.
    """

    __tablename__ = "report_comments"
    __table_args__ = (Index(None, "user_id", "target"),)

    id: Mapped[str] = _id()
    user_id: Mapped[str] = _owner()
    target: Mapped[str] = mapped_column(String(80), nullable=False)
    author_user_id: Mapped[str | None] = _user_ref(nullable=True)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = _created()


TEAM_TABLES: Final[tuple[type[Base], ...]] = (
    Account,
    AuthSession,
    LoginAttempt,
    CoachLink,
    LiveMock,
    LiveEvent,
    Scorecard,
    ReportComment,
)
