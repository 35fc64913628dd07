"""The database tables, as typed SQLAlchemy models.

Every row belongs to a user (``user_id``), so a shared, multi-user deployment needs no
schema change; a local install has one user, ``local``. Primary keys are random UUID
strings (see :func:`loopready.store.types.new_id`), timestamps are timezone-aware UTC
(:class:`~loopready.store.types.UTCDateTime`) and flexible payloads are JSON columns.

Changing a model means adding a migration: see ``docs/storage.md``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Final, Literal

from sqlalchemy import (
    JSON,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from loopready.store.types import UTCDateTime, new_id, utcnow

#: Constraint names are predictable, so migrations can refer to them on every backend.
NAMING_CONVENTION: Final = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SessionStatus = Literal["in_progress", "completed", "abandoned"]
TurnKind = Literal["answer", "follow_up", "close", "persona", "candidate"]
PlanDayStatus = Literal["pending", "done", "skipped"]
DrillKind = Literal["prompt", "story"]

SESSION_STATUSES: Final[tuple[SessionStatus, ...]] = ("in_progress", "completed", "abandoned")
TURN_KINDS: Final[tuple[TurnKind, ...]] = ("answer", "follow_up", "close", "persona", "candidate")
PLAN_DAY_STATUSES: Final[tuple[PlanDayStatus, ...]] = ("pending", "done", "skipped")
DRILL_KINDS: Final[tuple[DrillKind, ...]] = ("prompt", "story")

JSONDict = dict[str, Any]


class Base(DeclarativeBase):
    """Base of every model; its ``metadata`` is what the migrations must match."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _id() -> Mapped[str]:
    return mapped_column(String(36), primary_key=True, default=new_id)


def _owner() -> Mapped[str]:
    return mapped_column(String(36), ForeignKey("users.id", ondelete="CASCADE"), nullable=False)


def _created() -> Mapped[datetime]:
    return mapped_column(UTCDateTime(), nullable=False, default=utcnow)


def _updated() -> Mapped[datetime]:
    return mapped_column(UTCDateTime(), nullable=False, default=utcnow, onupdate=utcnow)


class User(Base):
    """Someone whose practice is stored; a local install has one, named ``local``."""

    __tablename__ = "users"

    id: Mapped[str] = _id()
    name: Mapped[str] = mapped_column(String(100), nullable=False, unique=True)
    created_at: Mapped[datetime] = _created()


class Loop(Base):
    """A candidate's run of a content pack: the real interview loop they prepare for."""

    __tablename__ = "loops"
    __table_args__ = (Index(None, "user_id", "created_at"),)

    id: Mapped[str] = _id()
    user_id: Mapped[str] = _owner()
    pack_id: Mapped[str] = mapped_column(String(100), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    start_date: Mapped[date] = mapped_column(Date, nullable=False)
    #: round_id -> ISO datetime of the real interview for that round, or null if unknown.
    round_dates: Mapped[dict[str, str | None]] = mapped_column(JSON, nullable=False, default=dict)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="active")
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = _updated()

    sessions: Mapped[list[RoundSession]] = relationship(
        back_populates="loop", passive_deletes=True, order_by="RoundSession.started_at"
    )
    debriefs: Mapped[list[Debrief]] = relationship(
        back_populates="loop", passive_deletes=True, order_by="Debrief.created_at"
    )


class RoundSession(Base):
    """One mock attempt at one round: a prompt, a clock, and the answer turns."""

    __tablename__ = "round_sessions"
    __table_args__ = (
        Index(None, "user_id", "round_id"),
        Index(None, "user_id", "started_at"),
        Index(None, "loop_id"),
    )

    id: Mapped[str] = _id()
    user_id: Mapped[str] = _owner()
    loop_id: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("loops.id", ondelete="SET NULL"), nullable=True
    )
    pack_id: Mapped[str] = mapped_column(String(100), nullable=False)
    round_id: Mapped[str] = mapped_column(String(100), nullable=False)
    prompt_id: Mapped[str] = mapped_column(String(100), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="in_progress")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    time_limit_s: Mapped[int | None] = mapped_column(Integer, nullable=True)
    meta: Mapped[JSONDict] = mapped_column(JSON, nullable=False, default=dict)

    loop: Mapped[Loop | None] = relationship(back_populates="sessions")
    turns: Mapped[list[Turn]] = relationship(
        back_populates="session", passive_deletes=True, order_by="Turn.seq"
    )
    grades: Mapped[list[Grade]] = relationship(
        back_populates="session", passive_deletes=True, order_by="Grade.created_at"
    )


class Turn(Base):
    """One turn of a session: ``seq`` 0 is the main answer, then follow-ups and exchanges.

    Autosave rewrites ``text`` and bumps ``revision`` in one short transaction.
    """

    __tablename__ = "turns"
    __table_args__ = (UniqueConstraint("session_id", "seq"), Index(None, "user_id"))

    id: Mapped[str] = _id()
    user_id: Mapped[str] = _owner()
    session_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("round_sessions.id", ondelete="CASCADE"), nullable=False
    )
    seq: Mapped[int] = mapped_column(Integer, nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False, default="answer")
    speaker: Mapped[str] = mapped_column(String(100), nullable=False, default="candidate")
    prompt_text: Mapped[str | None] = mapped_column(Text, nullable=True)
    text: Mapped[str] = mapped_column(Text, nullable=False, default="")
    revision: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = _updated()

    session: Mapped[RoundSession] = relationship(back_populates="turns")


class Grade(Base):
    """A grader's verdict on an answer, with the full result that explains the score."""

    __tablename__ = "grades"
    __table_args__ = (
        Index(None, "user_id", "round_id"),
        Index(None, "session_id"),
        Index(None, "turn_id"),
    )

    id: Mapped[str] = _id()
    user_id: Mapped[str] = _owner()
    session_id: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("round_sessions.id", ondelete="CASCADE"), nullable=True
    )
    turn_id: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("turns.id", ondelete="CASCADE"), nullable=True
    )
    round_id: Mapped[str] = mapped_column(String(100), nullable=False)
    #: 0-100.
    score: Mapped[float] = mapped_column(Float, nullable=False)
    result: Mapped[JSONDict] = mapped_column(JSON, nullable=False)
    #: Name and version of the grader, e.g. ``local/1.0``.
    grader: Mapped[str] = mapped_column(String(100), nullable=False)
    created_at: Mapped[datetime] = _created()

    session: Mapped[RoundSession | None] = relationship(back_populates="grades")


class Debrief(Base):
    """The mock hiring committee's decision on a loop."""

    __tablename__ = "debriefs"
    __table_args__ = (Index(None, "user_id"), Index(None, "loop_id"))

    id: Mapped[str] = _id()
    user_id: Mapped[str] = _owner()
    loop_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("loops.id", ondelete="CASCADE"), nullable=False
    )
    decision: Mapped[str] = mapped_column(String(40), nullable=False)
    result: Mapped[JSONDict] = mapped_column(JSON, nullable=False)
    created_at: Mapped[datetime] = _created()

    loop: Mapped[Loop] = relationship(back_populates="debriefs")


class Story(Base):
    """A STAR story from the candidate's story bank."""

    __tablename__ = "stories"
    __table_args__ = (Index(None, "user_id"),)

    id: Mapped[str] = _id()
    user_id: Mapped[str] = _owner()
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    situation: Mapped[str] = mapped_column(Text, nullable=False, default="")
    task: Mapped[str] = mapped_column(Text, nullable=False, default="")
    action: Mapped[str] = mapped_column(Text, nullable=False, default="")
    result: Mapped[str] = mapped_column(Text, nullable=False, default="")
    tags: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    #: Round ids in which the story was already told.
    rounds_told: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = _updated()


class StoryTelling(Base):
    """One time a story was told: in which round, on which day, and the words if known.

    ``text`` is null when only the fact of the telling was recorded; ``words`` counts the
    words of ``text`` (null with it). Deleting the story deletes its tellings; deleting the
    loop keeps them, no longer tied to a loop.
    """

    __tablename__ = "story_tellings"
    __table_args__ = (Index(None, "user_id", "story_id"), Index(None, "loop_id"))

    id: Mapped[str] = _id()
    user_id: Mapped[str] = _owner()
    story_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("stories.id", ondelete="CASCADE"), nullable=False
    )
    round_id: Mapped[str] = mapped_column(String(100), nullable=False)
    loop_id: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("loops.id", ondelete="SET NULL"), nullable=True
    )
    #: The day the story was told, in the candidate's own calendar.
    told_on: Mapped[date] = mapped_column(Date, nullable=False)
    text: Mapped[str | None] = mapped_column(Text, nullable=True)
    words: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: When the telling was recorded.
    created_at: Mapped[datetime] = _created()


class Plan(Base):
    """A day-by-day preparation plan up to the first real round."""

    __tablename__ = "plans"
    __table_args__ = (Index(None, "user_id"), Index(None, "loop_id"))

    id: Mapped[str] = _id()
    user_id: Mapped[str] = _owner()
    loop_id: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("loops.id", ondelete="SET NULL"), nullable=True
    )
    #: IANA time-zone name, e.g. ``Europe/London``.
    tz: Mapped[str] = mapped_column(String(64), nullable=False)
    start_date: Mapped[date] = mapped_column(Date, nullable=False)
    first_round_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    plan: Mapped[JSONDict] = mapped_column(JSON, nullable=False, default=dict)
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = _updated()

    days: Mapped[list[PlanDay]] = relationship(
        back_populates="plan", passive_deletes=True, order_by="PlanDay.day"
    )


class PlanDay(Base):
    """One day of a plan and whether it was done."""

    __tablename__ = "plan_days"
    __table_args__ = (UniqueConstraint("plan_id", "day"), Index(None, "user_id", "day"))

    id: Mapped[str] = _id()
    user_id: Mapped[str] = _owner()
    plan_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("plans.id", ondelete="CASCADE"), nullable=False
    )
    day: Mapped[date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="pending")
    items: Mapped[list[Any]] = mapped_column(JSON, nullable=False, default=list)

    plan: Mapped[Plan] = relationship(back_populates="days")


class Offer(Base):
    """An offer the candidate is weighing."""

    __tablename__ = "offers"
    __table_args__ = (Index(None, "user_id"),)

    id: Mapped[str] = _id()
    user_id: Mapped[str] = _owner()
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    data: Mapped[JSONDict] = mapped_column(JSON, nullable=False, default=dict)
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = _updated()


class Brief(Base):
    """A one-page brief prepared for an interview."""

    __tablename__ = "briefs"
    __table_args__ = (Index(None, "user_id"),)

    id: Mapped[str] = _id()
    user_id: Mapped[str] = _owner()
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    data: Mapped[JSONDict] = mapped_column(JSON, nullable=False, default=dict)
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = _updated()


class DrillCard(Base):
    """A spaced-repetition card: a prompt or a story to rehearse, and its FSRS state."""

    __tablename__ = "drill_cards"
    __table_args__ = (UniqueConstraint("user_id", "kind", "ref"), Index(None, "user_id", "due"))

    id: Mapped[str] = _id()
    user_id: Mapped[str] = _owner()
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    #: What the card drills: a prompt id or a story id.
    ref: Mapped[str] = mapped_column(String(200), nullable=False)
    card: Mapped[JSONDict] = mapped_column(JSON, nullable=False)
    due: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = _updated()

    reviews: Mapped[list[DrillReview]] = relationship(
        back_populates="card_row", passive_deletes=True, order_by="DrillReview.reviewed_at"
    )


class DrillReview(Base):
    """One review of a drill card, with the scheduler's log entry."""

    __tablename__ = "drill_reviews"
    __table_args__ = (Index(None, "card_id"), Index(None, "user_id", "reviewed_at"))

    id: Mapped[str] = _id()
    user_id: Mapped[str] = _owner()
    card_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("drill_cards.id", ondelete="CASCADE"), nullable=False
    )
    rating: Mapped[int] = mapped_column(Integer, nullable=False)
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    log: Mapped[JSONDict] = mapped_column(JSON, nullable=False, default=dict)

    card_row: Mapped[DrillCard] = relationship(back_populates="reviews")


class ResearchNote(Base):
    """The candidate's own notes on a launch from a pack: the metric and why it matters."""

    __tablename__ = "research_notes"
    __table_args__ = (UniqueConstraint("user_id", "pack_id", "launch_id"),)

    id: Mapped[str] = _id()
    user_id: Mapped[str] = _owner()
    pack_id: Mapped[str] = mapped_column(String(100), nullable=False)
    launch_id: Mapped[str] = mapped_column(String(100), nullable=False)
    metric: Mapped[str] = mapped_column(Text, nullable=False, default="")
    why: Mapped[str] = mapped_column(Text, nullable=False, default="")
    updated_at: Mapped[datetime] = _updated()


class Setting(Base):
    """A per-user preference: one JSON value under a key."""

    __tablename__ = "settings"

    user_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON, nullable=False)


#: Every table holding a user's data, parents before children (the order export writes
#: and import reads). ``users`` is not in it: an export belongs to one user.
USER_TABLES: Final[tuple[type[Base], ...]] = (
    Loop,
    RoundSession,
    Turn,
    Grade,
    Debrief,
    Story,
    StoryTelling,
    Plan,
    PlanDay,
    Offer,
    Brief,
    DrillCard,
    DrillReview,
    ResearchNote,
    Setting,
)


def table_of(model: type[Base]) -> Table:
    """The :class:`~sqlalchemy.Table` behind *model*."""
    table = model.__table__
    assert isinstance(table, Table)
    return table
