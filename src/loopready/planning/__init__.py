"""Prep plans: a day-by-day schedule up to the interview loop, and its calendar.

:func:`build_plan` makes a plan from a pack's prep framework; :func:`mark_day`
and :func:`replan` keep it current; :func:`to_ics` (imported on first use, as it
loads ``icalendar``) exports it as an iCalendar file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from loopready.planning.model import PhaseInfo, Plan, PlanDay, PlanItem, RealRound, Retired
from loopready.planning.schedule import (
    DEFAULT_MOCK_TIME,
    DEFAULT_ROUND_TIME,
    allocate,
    build_plan,
    mark_day,
    replan,
    supersede,
)

if TYPE_CHECKING:
    from loopready.planning.calendar import to_ics

__all__ = [
    "DEFAULT_MOCK_TIME",
    "DEFAULT_ROUND_TIME",
    "PhaseInfo",
    "Plan",
    "PlanDay",
    "PlanItem",
    "RealRound",
    "Retired",
    "allocate",
    "build_plan",
    "mark_day",
    "replan",
    "supersede",
    "to_ics",
]


def __getattr__(name: str) -> Any:
    if name == "to_ics":
        from loopready.planning.calendar import to_ics

        return to_ics
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
