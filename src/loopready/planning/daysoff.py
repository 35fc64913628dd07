"""Days the user cannot prepare, and the working days real rounds fall on.

Fixed-date holidays that most calendars share are *suggested* as days off: a new
plan keeps them free unless the user says otherwise. Companies interview on working
days, so a round whose date is only estimated moves to the next weekday that is
neither a weekend nor a day off.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Final

#: Fixed-date holidays suggested as days off: (month, day) -> name.
HOLIDAYS: Final[dict[tuple[int, int], str]] = {
    (12, 24): "Christmas Eve",
    (12, 25): "Christmas Day",
    (12, 26): "Boxing Day",
    (12, 31): "New Year's Eve",
    (1, 1): "New Year's Day",
}


def holiday_name(on: date) -> str | None:
    """The name of the holiday on *on*, if it is one of :data:`HOLIDAYS`."""
    return HOLIDAYS.get((on.month, on.day))


def suggested_days_off(first: date, last: date) -> list[date]:
    """The holidays from *first* to *last*, both included."""
    found = []
    on = first
    while on <= last:
        if holiday_name(on):
            found.append(on)
        on += timedelta(days=1)
    return found


def is_working_day(on: date, off: Iterable[date] = ()) -> bool:
    """Monday to Friday, and not a day off."""
    return on.weekday() < 5 and on not in set(off)


def next_working_day(on: date, off: Iterable[date] = ()) -> date:
    """*on* itself when it is a working day, else the next one."""
    days_off = set(off)
    while not is_working_day(on, days_off):
        on += timedelta(days=1)
    return on
