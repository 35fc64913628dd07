"""Reading what the user types for a plan: dates, times, round dates and time zones.

Each function raises :class:`~loopready.errors.InputError` with a message that
shows the expected form, so the CLI and the web app report bad input the same way.
"""

from __future__ import annotations

import contextlib
import os
import re
import zoneinfo
from datetime import date, datetime, time, timedelta
from pathlib import Path

from loopready.errors import InputError

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
#: Names zoneinfo accepts that are not real zones, and would mean nothing to a calendar.
_NOT_ZONES = {"localtime", "posixrules", "factory"}
ZONE_EXAMPLE = '"Europe/London"'


def parse_date(text: str, what: str = "date", *, today: date | None = None) -> date:
    """A ``YYYY-MM-DD`` date; with *today*, also the words ``today`` and ``tomorrow``."""
    value = text.strip()
    if today is not None and value.lower() in ("today", "tomorrow", "yesterday"):
        shift = {"today": 0, "tomorrow": 1, "yesterday": -1}[value.lower()]
        return today + timedelta(days=shift)
    if not _DATE.match(value):
        raise InputError(
            f"{what}: {text!r} is not a date. Write it as YYYY-MM-DD, for example 2026-06-15."
        )
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(
            f"{what}: {text!r} is not a real calendar date. Check the month and day "
            "(YYYY-MM-DD, for example 2026-06-15)."
        ) from None


def parse_time(text: str, what: str = "time") -> time:
    """A 24-hour ``HH:MM`` time."""
    match = _TIME.match(text.strip())
    if match:
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour < 24 and minute < 60:
            return time(hour, minute)
    raise InputError(f"{what}: {text!r} is not a time. Write it as HH:MM (24-hour), e.g. 18:00.")


def parse_round_date(text: str) -> tuple[str, date | datetime]:
    """``ROUND=YYYY-MM-DD`` or ``ROUND=YYYY-MM-DDTHH:MM`` (a space works too)."""
    round_id, sep, when = text.partition("=")
    round_id, when = round_id.strip(), when.strip()
    if not sep or not round_id or not when:
        raise InputError(
            f"--round: {text!r} should be ROUND=DATE, e.g. product_sense=2026-06-22 "
            "or product_sense=2026-06-22T14:00."
        )
    day_text, _, time_text = when.replace(" ", "T", 1).partition("T")
    day = parse_date(day_text, f"--round {round_id}")
    if not time_text:
        return round_id, day
    return round_id, datetime.combine(day, parse_time(time_text, f"--round {round_id}"))


def zone(name: str) -> zoneinfo.ZoneInfo:
    """The IANA time zone *name*; an unknown one is an :class:`InputError` with an example.

    A name that differs from a real zone only in letter case is accepted as that zone.
    """
    cleaned = name.strip()
    if cleaned and cleaned.lower() not in _NOT_ZONES:
        try:
            return zoneinfo.ZoneInfo(cleaned)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            pass
        by_case = {z.lower(): z for z in zoneinfo.available_timezones()}
        if cleaned.lower() in by_case:
            return zoneinfo.ZoneInfo(by_case[cleaned.lower()])
    raise InputError(
        f"Unknown time zone {name!r}. Use an IANA zone name such as {ZONE_EXAMPLE}, "
        '"America/New_York" or "Asia/Tokyo".'
    )


def local_zone_name() -> str:
    """This computer's IANA zone name (from ``TZ`` or ``/etc/localtime``), else ``UTC``."""
    candidates: list[str] = []
    env = os.environ.get("TZ", "").lstrip(":")
    if env:
        candidates.append(env)
    localtime = Path("/etc/localtime")
    try:
        target = str(localtime.resolve())
    except OSError:
        target = ""
    if "zoneinfo/" in target:
        candidates.append(target.split("zoneinfo/", 1)[1])
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    for candidate in candidates:
        try:
            return zone(candidate).key
        except InputError:
            continue
    return "UTC"
