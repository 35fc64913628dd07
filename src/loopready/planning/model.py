"""The prep plan as data: days holding items, the real rounds, and what had to give.

A :class:`Plan` is plain, JSON-serialisable data. It is built by
:func:`loopready.planning.schedule.build_plan`, changed only through the pure
functions of that module (which return a new plan), and read by the CLI, the web
app and :func:`loopready.planning.calendar.to_ics`.

Every item and round carries a ``key`` that stays the same while the plan is
re-planned, and a ``sequence`` that goes up each time what the user would see of
it changes; together with the plan's ``id`` they give calendar events stable UIDs,
so importing a newer export updates events instead of adding copies.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field

#: What the user says about a day; ``missed`` is set by re-planning, for a past day
#: that was neither done nor skipped and whose work was moved forward.
DayStatus = Literal["planned", "done", "skipped", "missed"]
ItemKind = Literal["task", "mock"]

#: The version of the JSON layout below; bump it when a stored plan needs converting.
FORMAT_VERSION = 1


class Model(BaseModel):
    """Base of the plan models: unknown keys are errors, so a damaged file is noticed."""

    model_config = ConfigDict(extra="forbid")


class PlanItem(Model):
    """One thing to do on a day: a prep task, or a timed mock interview."""

    key: str = Field(description="Stable id within the plan, e.g. 'research.t0.p1'.")
    kind: ItemKind
    order: int = Field(description="Position in the plan's intended order; kept on re-plan.")
    phase_id: str
    title: str
    detail: str = ""
    task_index: int | None = None
    part: int = Field(default=1, description="First day of the task this item covers.")
    part_last: int = Field(default=1, description="Last day of the task this item covers.")
    parts: int = Field(default=1, description="Days the task was given when planned.")
    round_id: str | None = None
    at: time | None = Field(default=None, description="Local start time of a timed item.")
    minutes: int | None = None
    sequence: int = 0

    @property
    def timed(self) -> bool:
        return self.at is not None and self.minutes is not None


class PlanDay(Model):
    """A calendar day of the plan."""

    date: date
    phase_id: str | None = None
    status: DayStatus = "planned"
    light: bool = Field(default=False, description="A prep day with nothing new scheduled.")
    items: list[PlanItem] = Field(default_factory=list)
    moved: list[str] = Field(
        default_factory=list, description="Keys of items re-planning moved off this day."
    )
    note: str = ""
    off: bool = Field(default=False, description="A day the user cannot prepare: no work on it.")


class RealRound(Model):
    """A real interview of the loop, with its local start time and length."""

    key: str
    round_id: str
    name: str
    kind: str
    order: int
    date: date
    at: time
    minutes: int
    explicit: bool = Field(default=False, description="Date given by the user, not the pack.")
    sequence: int = 0


class PhaseInfo(Model):
    """A phase of the pack's framework, as the plan needs it for re-planning."""

    id: str
    name: str
    framework_days: int
    min_days: int
    tasks: list[str]
    mocks: bool = Field(default=False, description="The phase that holds the mock interviews.")


class Retired(Model):
    """An event an earlier version of the plan had: exported as cancelled."""

    key: str
    title: str
    date: date
    at: time | None = None
    minutes: int | None = None
    sequence: int


class Plan(Model):
    """A day-by-day prep plan for one interview loop."""

    format: int = FORMAT_VERSION
    id: str
    pack_id: str
    pack_name: str
    pack_version: str = "1"
    tz: str
    created: datetime
    updated: datetime
    start: date
    first_round: date
    mock_time: time
    round_time: time
    framework_days: int
    phases: list[PhaseInfo]
    days: list[PlanDay]
    rounds: list[RealRound]
    cuts: list[str] = Field(default_factory=list, description="What had to be cut, in words.")
    notes: list[str] = Field(default_factory=list, description="How the plan was fitted.")
    transient: list[str] = Field(
        default_factory=list,
        description="Sentences of cuts/notes about the current layout, replaced on re-plan.",
    )
    retired: list[Retired] = Field(default_factory=list)
    days_off: list[date] = Field(
        default_factory=list, description="Days the user cannot prepare; nothing lands on them."
    )

    # -- reading -----------------------------------------------------------------------

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    @property
    def end(self) -> date:
        """The last day of the plan: the last real round, or the last planned day."""
        last = [r.date for r in self.rounds] + [d.date for d in self.days]
        return max(last) if last else self.first_round

    @property
    def prep_days(self) -> int:
        """Days from the start up to (not including) the first round."""
        return (self.first_round - self.start).days

    def day(self, on: date) -> PlanDay | None:
        for d in self.days:
            if d.date == on:
                return d
        return None

    def phase(self, phase_id: str) -> PhaseInfo:
        for p in self.phases:
            if p.id == phase_id:
                return p
        raise KeyError(phase_id)

    def items(self) -> Iterator[tuple[PlanDay, PlanItem]]:
        """Every (day, item) pair, in date order."""
        for d in self.days:
            for item in d.items:
                yield d, item

    def mocks(self) -> list[tuple[PlanDay, PlanItem]]:
        return [(d, i) for d, i in self.items() if i.kind == "mock"]

    def phase_dates(self, phase_id: str) -> list[date]:
        """The days that belong to a phase (its own stretch of the calendar)."""
        return [d.date for d in self.days if d.phase_id == phase_id and d.date < self.first_round]

    def starts_at(self, on: date, at: time) -> datetime:
        """A local wall-clock time on a day, as an aware datetime in the plan's zone."""
        return datetime.combine(on, at, tzinfo=self.zone)

    def ends_at(self, on: date, at: time, minutes: int) -> datetime:
        """The end of an event, by elapsed time (right across a clock change)."""
        start = self.starts_at(on, at).astimezone(UTC)
        return (start + timedelta(minutes=minutes)).astimezone(self.zone)

    # -- JSON --------------------------------------------------------------------------

    def to_json(self) -> str:
        return self.model_dump_json(indent=2)

    @classmethod
    def from_json(cls, text: str | bytes) -> Plan:
        return cls.model_validate_json(text)
