"""Bounds on the values a user can give, so an accepted value can never break a page.

Every front end (web forms, the CLI, an imported export) checks dates, amounts, page
numbers, ids and text against these bounds before storing them; the messages say what
range is accepted. The pages render stored values defensively as well (see
``docs/robustness.md``), because a database written by an older version may still
hold a value outside them.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Final

from loopready.errors import InputError

#: How far before and after today a date typed into a form may be: interviews and prep
#: happen within weeks or months, so a date years away is a typo (9999-12-31, 0001-01-01).
FORM_YEARS_BACK: Final = 5
FORM_YEARS_AHEAD: Final = 5
#: Dates stored in the database (and so in an export) must fall in this window; it is wide
#: enough for any real history and keeps date arithmetic far from ``date.min``/``date.max``.
EARLIEST_STORED: Final = date(1970, 1, 1)
LATEST_STORED: Final = date(2199, 12, 31)
#: The longest prep plan, start to first round, in days: a plan is a few weeks; a year is
#: plenty (a plan to 2100 would have 26,000 day rows).
MAX_PLAN_DAYS: Final = 366
#: The largest money amount accepted, in any currency (a yearly figure or a grant value);
#: ten billion leaves room for currencies with small units and keeps sums exact in floats.
MAX_AMOUNT: Final = 10_000_000_000
#: The highest page number of a paged list.
MAX_PAGE: Final = 100_000


def check_form_date(day: date, what: str, today: date | None = None) -> date:
    """*day* when it is within :data:`FORM_YEARS_BACK`/`AHEAD` years of *today*, else raise."""
    today = today or date.today()
    earliest = _years_from(today, -FORM_YEARS_BACK)
    latest = _years_from(today, FORM_YEARS_AHEAD)
    if not earliest <= day <= latest:
        raise InputError(
            f"{what} ({day.isoformat()}) is too far from today; give a date between "
            f"{earliest.isoformat()} and {latest.isoformat()}."
        )
    return day


def check_stored_date(day: date, where: str) -> date:
    """*day* when it is inside the stored-date window, else :class:`InputError`."""
    if not EARLIEST_STORED <= day <= LATEST_STORED:
        raise InputError(
            f"{where}: {day.isoformat()} is outside the dates loopready keeps "
            f"({EARLIEST_STORED.isoformat()} to {LATEST_STORED.isoformat()}); correct it."
        )
    return day


def check_plan_length(start: date, last: date) -> None:
    """Refuse a plan longer than :data:`MAX_PLAN_DAYS` days."""
    days = (last - start).days + 1
    if days > MAX_PLAN_DAYS:
        raise InputError(
            f"The plan would run {days:,} days, from {start.isoformat()} to "
            f"{last.isoformat()}; a plan covers at most {MAX_PLAN_DAYS} days. "
            "Give a first interview within a year, or start later."
        )


def check_amount(value: float, what: str) -> float:
    """*value* when it is a finite number from 0 to :data:`MAX_AMOUNT`, else raise."""
    if not math.isfinite(value):
        raise InputError(f"{what} must be a number, not {value!r}.")
    if value < 0:
        raise InputError(f"{what} must not be negative.")
    if value > MAX_AMOUNT:
        raise InputError(f"{what} is too large: at most {MAX_AMOUNT:,} is accepted.")
    return value


def check_page(page: int) -> int:
    """A page number from 1 to :data:`MAX_PAGE` (a smaller one is page 1), else raise."""
    if page > MAX_PAGE:
        raise InputError(f"Page {page} does not exist; pages go up to {MAX_PAGE:,} at most.")
    return max(1, page)


def has_nul(text: str) -> bool:
    """Whether *text* holds a NUL character, which PostgreSQL cannot store in text."""
    return "\x00" in text


def strip_nul(text: str) -> str:
    """*text* without NUL characters: typed text never means them; pasted text can carry them."""
    return text.replace("\x00", "")


def _years_from(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return (day - timedelta(days=1)).replace(year=day.year + years)
