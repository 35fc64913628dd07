"""Every field a calendar event carries, by kind (mutation survivors, docs/testing.md)."""

from __future__ import annotations

import os
import time as time_module
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest

from loopready.planning import Plan, build_plan, mark_day, supersede
from loopready.planning.calendar import to_ics
from loopready.planning.model import Retired
from test_calendar import NEW_YORK, ny_plan
from test_planning import PACK, TODAY


def _events(data: bytes) -> tuple[icalendar.Calendar, dict[str, list[Any]]]:
    cal = icalendar.Calendar.from_ical(data)
    kinds: dict[str, list[Any]] = {}
    for event in cal.walk("VEVENT"):
        if str(event.get("STATUS")) == "CANCELLED":
            kind = "cancelled"
        else:
            kind = [str(c) for c in event["CATEGORIES"].cats][1]
        kinds.setdefault(kind, []).append(event)
    return cal, kinds


def test_fields_of_every_kind_of_event() -> None:
    long = build_plan(PACK, TODAY, TODAY + timedelta(days=23), tz=NEW_YORK)
    short = supersede(long, build_plan(PACK, TODAY, TODAY + timedelta(days=10), tz=NEW_YORK))
    plan = mark_day(short, TODAY, "done")
    cal, kinds = _events(to_ics(plan))
    assert str(cal["X-WR-CALDESC"]) == (
        f"loopready prep plan for {plan.pack_name}, made for {NEW_YORK}."
    )
    every = [e for events in kinds.values() for e in events]
    assert {str(e["CLASS"]) for e in every} == {"PRIVATE"}

    tasks = kinds["Prep"]
    assert {str(e["TRANSP"]) for e in tasks} == {"TRANSPARENT"}
    done = [e for e in tasks if e.decoded("DTSTART") == TODAY]
    assert done and all(str(e["SUMMARY"]).startswith("Done: ") for e in done)
    later = [e for e in tasks if e.decoded("DTSTART") > TODAY]
    assert later and not any(str(e["SUMMARY"]).startswith("Done") for e in later)
    for e in tasks:
        start = e.decoded("DTSTART")
        assert type(start) is date and e.decoded("DTEND") == start + timedelta(days=1)
        cats = [str(c) for c in e["CATEGORIES"].cats]
        assert cats[:2] == ["loopready", "Prep"] and len(cats) == 3
        assert f"\n\nPhase: {cats[2]}." in str(e["DESCRIPTION"])

    mocks = kinds["Mock interview"]
    assert {str(e["TRANSP"]) for e in mocks} == {"OPAQUE"}
    for e in mocks:
        assert [str(c) for c in e["CATEGORIES"].cats] == ["loopready", "Mock interview"]
        assert str(e["SUMMARY"]).endswith(" min)") and not str(e["SUMMARY"]).startswith("Done")
        assert isinstance(e.decoded("DTSTART"), datetime)
        assert "When it is done" in str(e["DESCRIPTION"])

    rounds = kinds["Interview"]
    assert {str(e["TRANSP"]) for e in rounds} == {"OPAQUE"}
    assert len(rounds) == len(plan.rounds)
    for n, e in enumerate(sorted(rounds, key=lambda e: e.decoded("DTSTART")), start=1):
        text = str(e["DESCRIPTION"])
        assert text.startswith(f"Real interview: round {n} of {len(plan.rounds)} of the ")
        # The first round is on the date the user gave; the others are estimated.
        assert str(e["STATUS"]) == ("CONFIRMED" if n == 1 else "TENTATIVE")
        assert ("\nThe date is an estimate" in text) is (n > 1)
        assert str(e["SUMMARY"]).startswith("Interview: ") and str(e["SUMMARY"]).endswith(" min)")
        alarms = list(e.walk("VALARM"))
        name = str(e["SUMMARY"]).removeprefix("Interview: ").rsplit(" (", 1)[0]
        assert alarms and {str(a["DESCRIPTION"]) for a in alarms} == {f"Interview: {name}"}
        assert {str(a["ACTION"]) for a in alarms} == {"DISPLAY"}

    gone = kinds["cancelled"]
    assert {str(e["TRANSP"]) for e in gone} == {"TRANSPARENT"}
    for e in gone:
        assert str(e["SUMMARY"]).startswith("Cancelled: ")
        assert str(e["DESCRIPTION"]) == "No longer part of your prep plan."
        start, end = e.decoded("DTSTART"), e.decoded("DTEND")
        if isinstance(start, datetime):
            assert end > start and end - start <= timedelta(hours=3)
        else:
            assert end == start + timedelta(days=1)


def test_a_round_with_a_known_date_is_confirmed() -> None:
    plan = ny_plan()
    data = to_ics(plan)
    _, kinds = _events(data)
    statuses = {str(e["STATUS"]) for e in kinds["Interview"]}
    explicit = {r.explicit for r in plan.rounds}
    assert statuses == {"CONFIRMED" if x else "TENTATIVE" for x in explicit}


# -- the cases the plans above never reach (mutation survivors, docs/testing.md) ----------


def _by_key(plan: Plan) -> dict[str, Any]:
    cal = icalendar.Calendar.from_ical(to_ics(plan))
    return {str(e["UID"]).split("@")[0].removeprefix(f"{plan.id}-"): e for e in cal.walk("VEVENT")}


def test_a_cancelled_mock_keeps_its_time_and_a_cancelled_item_without_a_length_is_all_day() -> None:
    plan = ny_plan().model_copy(deep=True)
    on = date(2026, 11, 2)  # after the clock change: New York is on EST (-5)
    plan.retired += [
        Retired(key="mock.gone", title="Mock", date=on, at=time(18, 30), minutes=45, sequence=3),
        Retired(key="task.gone", title="Task", date=on, at=time(9, 0), sequence=1),
    ]
    events = _by_key(plan)
    mock = events["mock.gone"]
    start, end = mock.decoded("DTSTART"), mock.decoded("DTEND")
    assert str(mock["DTSTART"].params["TZID"]) == NEW_YORK
    assert start.astimezone(UTC) == datetime(2026, 11, 2, 23, 30, tzinfo=UTC)
    assert end.astimezone(UTC) == datetime(2026, 11, 3, 0, 15, tzinfo=UTC)
    assert str(mock["STATUS"]) == "CANCELLED" and str(mock["SUMMARY"]) == "Cancelled: Mock"
    # A time with no length cannot make a timed event: it is cancelled as an all-day one.
    task = events["task.gone"]
    assert task.decoded("DTSTART") == on and task.decoded("DTEND") == on + timedelta(days=1)


def test_a_mock_on_a_finished_day_is_marked_done() -> None:
    plan = ny_plan().model_copy(deep=True)
    day = next(d for d in plan.days if any(i.timed for i in d.items))
    day.status = "done"
    mock = next(i for i in day.items if i.timed)
    task = next(i for i in day.items if not i.timed)
    events = _by_key(plan)
    assert str(events[mock.key]["SUMMARY"]) == f"Done: {mock.title} ({mock.minutes} min)"
    assert str(events[task.key]["SUMMARY"]) == f"Done: {task.title}"
    later = next(d for d in plan.days if d.status == "planned" and d.items)
    assert str(events[later.items[0].key]["SUMMARY"]) == later.items[0].title


@pytest.mark.parametrize(
    ("part", "part_last", "parts", "line"),
    [
        (2, 3, 3, "Days 2-3 of 3 on this task."),
        (2, 2, 3, "Day 2 of 3 on this task."),
        (1, 1, 2, "Day 1 of 2 on this task."),
        (1, 1, 1, None),
    ],
)
def test_a_task_spread_over_days_says_which_days(
    part: int, part_last: int, parts: int, line: str | None
) -> None:
    plan = ny_plan().model_copy(deep=True)
    item = next(i for d in plan.days for i in d.items if not i.timed)
    item.part, item.part_last, item.parts = part, part_last, parts
    item.detail = "Read the team's last two launch posts."
    text = str(_by_key(plan)[item.key]["DESCRIPTION"])
    assert text.startswith("Read the team's last two launch posts.\n\nPhase: ")
    days = [ln for ln in text.splitlines() if ln.startswith("Day")]
    assert days == ([line] if line else [])
    item.detail = ""
    assert str(_by_key(plan)[item.key]["DESCRIPTION"]).startswith(f"{item.title}\n\nPhase: ")


def test_a_round_on_a_date_the_user_gave_is_confirmed_and_not_called_an_estimate() -> None:
    given = {"product_sense": date(2026, 10, 20)}
    plan = build_plan(PACK, TODAY, TODAY + timedelta(days=10), round_dates=given, tz=NEW_YORK)
    events = _by_key(plan)
    for k, rnd in enumerate(plan.rounds):
        event = events[rnd.key]
        text = str(event["DESCRIPTION"])
        if rnd.round_id in given or k == 0:  # the first is on the loop's own start date
            assert str(event["STATUS"]) == "CONFIRMED" and "estimate" not in text
        else:
            assert str(event["STATUS"]) == "TENTATIVE"
            assert text.endswith(
                "\nThe date is an estimate from the loop's usual spacing: change it when you "
                "know the real one."
            )


def test_dtstamp_is_utc_whatever_the_machine_s_zone() -> None:
    stamp = datetime(2026, 10, 1, 8, 0, tzinfo=ZoneInfo(NEW_YORK))
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Tokyo"
    time_module.tzset()
    try:
        data = to_ics(ny_plan(), stamp=stamp)
    finally:
        if before is None:
            os.environ.pop("TZ")
        else:
            os.environ["TZ"] = before
        time_module.tzset()
    stamps = {ln for ln in data.decode().split("\r\n") if ln.startswith("DTSTAMP")}
    assert stamps == {"DTSTAMP:20261001T120000Z"}


def test_events_are_written_in_date_order() -> None:
    cal = icalendar.Calendar.from_ical(to_ics(ny_plan()))
    starts = [e.decoded("DTSTART") for e in cal.walk("VEVENT")]
    days = [s.date() if isinstance(s, datetime) else s for s in starts]
    assert days == sorted(days)


def _transitions(zone: str, first: date, last: date) -> set[datetime]:
    """The local wall-clock times at which *zone*'s offset changes between two dates."""
    tz = ZoneInfo(zone)
    out: set[datetime] = set()
    hour = datetime(first.year, first.month, first.day, tzinfo=UTC)
    end = datetime(last.year, last.month, last.day, tzinfo=UTC) + timedelta(days=1)
    before = hour.astimezone(tz).utcoffset()
    while hour < end:
        hour += timedelta(hours=1)
        offset = hour.astimezone(tz).utcoffset()
        if offset != before:
            out.add(hour.astimezone(timezone(offset)).replace(tzinfo=None))  # type: ignore[arg-type]
        before = offset
    return out


def test_the_timezone_covers_every_event_and_clock_change_of_a_plan_across_new_year() -> None:
    # From 1 January 2027 (no days off) to rounds in April: the plan crosses 14 March 2027.
    plan = build_plan(PACK, date(2027, 1, 1), date(2027, 3, 20), tz=NEW_YORK, days_off=[])
    cal = icalendar.Calendar.from_ical(to_ics(plan))
    (zone,) = cal.walk("VTIMEZONE")
    starts: list[datetime] = []
    for part in zone.subcomponents:
        starts.append(part.decoded("DTSTART"))
        rdates = part.get("RDATE", [])
        for rdate in rdates if isinstance(rdates, list) else [rdates]:
            starts += [d.dt for d in rdate.dts]
    events = [e.decoded("DTSTART") for e in cal.walk("VEVENT")]
    days = [s.date() if isinstance(s, datetime) else s for s in events]
    assert min(days) == date(2027, 1, 1)
    assert min(starts) <= datetime(2027, 1, 1)
    assert _transitions(NEW_YORK, min(days), max(days)) <= set(starts)
