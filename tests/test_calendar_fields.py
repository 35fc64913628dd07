"""Every field a calendar event carries, by kind (mutation survivors, docs/testing.md)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import icalendar

from loopready.planning import build_plan, mark_day, supersede
from loopready.planning.calendar import to_ics
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
        assert str(e["STATUS"]) == "TENTATIVE"
        assert "\nThe date is an estimate" in text
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
