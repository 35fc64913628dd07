"""Calendar export: valid RFC 5545 read back by two independent parsers, stable on re-export."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import icalendar
import pytest
import vobject
from click.testing import CliRunner

from loopready.cli import cli
from loopready.planning import Plan, build_plan, mark_day, replan, supersede
from loopready.planning.calendar import event_uid, to_ics
from test_planning import LOOP_IDS, PACK, TODAY, user_pack

__all__ = ["user_pack"]  # the CLI test below uses this fixture

NEW_YORK = "America/New_York"
# 2026-11-01 02:00 America/New_York: clocks go back from EDT (-4) to EST (-5).
# 2026-10-25 02:00 Europe/London: clocks go back from BST (+1) to GMT (+0).


def ny_plan() -> Plan:
    """10 days of prep from 1 Oct: the last two mocks and rounds straddle 1 November."""
    return build_plan(PACK, TODAY, TODAY + timedelta(days=10), tz=NEW_YORK)


def icalendar_events(data: bytes) -> tuple[icalendar.Calendar, list[icalendar.Event]]:
    cal = icalendar.Calendar.from_ical(data)
    return cal, list(cal.walk("VEVENT"))


def vobject_events(data: bytes) -> list[Any]:
    cal = vobject.readOne(data.decode("utf-8"))
    return list(cal.vevent_list)


def expected_count(plan: Plan) -> int:
    return sum(1 for _ in plan.items()) + len(plan.rounds) + len(plan.retired)


def by_uid_icalendar(data: bytes) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in icalendar_events(data)[1]}


def by_uid_vobject(data: bytes) -> dict[str, Any]:
    return {e.uid.value: e for e in vobject_events(data)}


# --- structure --------------------------------------------------------------------------


def test_calendar_header_and_timezone() -> None:
    plan = ny_plan()
    data = to_ics(plan)
    cal, events = icalendar_events(data)
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"]).startswith("-//loopready//")
    assert str(cal["CALSCALE"]) == "GREGORIAN"
    assert str(cal["X-WR-TIMEZONE"]) == NEW_YORK
    assert "Tiny PM loop" in str(cal["X-WR-CALNAME"])
    zones = list(cal.walk("VTIMEZONE"))
    assert [str(z["TZID"]) for z in zones] == [NEW_YORK]
    # The zone really describes the clock change the plan crosses.
    offsets = {c.decoded("TZOFFSETTO") for c in zones[0].subcomponents}
    assert {timedelta(hours=-4), timedelta(hours=-5)} <= offsets
    tasks = sum(1 for _, i in plan.items() if i.kind == "task")
    # 10 days (the last one holds both polish tasks), then a write-up and a refresher
    # between each pair of real rounds.
    assert tasks == 11 + 2 * 4
    assert len(events) == expected_count(plan) == tasks + 5 + 5
    # Every line is CRLF-terminated and folded to 75 octets.
    lines = data.split(b"\r\n")
    assert data.endswith(b"\r\n") and all(len(line) <= 75 for line in lines)
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_events_have_the_required_properties() -> None:
    plan = ny_plan()
    for event in icalendar_events(to_ics(plan))[1]:
        for prop in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "SEQUENCE"):
            assert prop in event, (prop, event.get("SUMMARY"))
        assert event.decoded("DTEND") > event.decoded("DTSTART")
        assert "loopready" in event.categories


def test_prep_tasks_are_all_day_and_timed_events_carry_the_zone() -> None:
    plan = ny_plan()
    data = to_ics(plan)
    events = by_uid_icalendar(data)
    for day, item in plan.items():
        event = events[event_uid(plan.id, item.key)]
        start = event.decoded("DTSTART")
        if item.kind == "task":
            assert type(start) is date and start == day.date
            assert event.decoded("DTEND") == day.date + timedelta(days=1)
            assert str(event["TRANSP"]) == "TRANSPARENT"
        else:
            assert event["DTSTART"].params["TZID"] == NEW_YORK
            assert isinstance(start, datetime)
            assert (start.date(), start.time()) == (day.date, time(18, 0))
            minutes = PACK.round(item.round_id or "").minutes
            assert event.decoded("DTEND") - start == timedelta(minutes=minutes)
    for rnd in plan.rounds:
        event = events[event_uid(plan.id, rnd.key)]
        assert event["DTSTART"].params["TZID"] == NEW_YORK
        start = event.decoded("DTSTART")
        assert (start.date(), start.time()) == (rnd.date, time(10, 0))
        assert event.decoded("DTEND") - start == timedelta(minutes=rnd.minutes)
        alarms = list(event.walk("VALARM"))
        assert [a.decoded("TRIGGER") for a in alarms] == [timedelta(days=-1), timedelta(hours=-1)]
        assert all(str(a["ACTION"]) == "DISPLAY" and "DESCRIPTION" in a for a in alarms)


def test_a_second_parser_reads_the_same_calendar() -> None:
    plan = ny_plan()
    data = to_ics(plan)
    ours = by_uid_icalendar(data)
    theirs = by_uid_vobject(data)
    assert set(theirs) == set(ours)
    assert len(theirs) == expected_count(plan)
    for uid, event in theirs.items():
        assert event.summary.value == str(ours[uid]["SUMMARY"])
        assert int(event.sequence.value) == int(ours[uid]["SEQUENCE"])
        start, end = event.dtstart.value, event.dtend.value
        if isinstance(start, datetime):
            assert start == ours[uid].decoded("DTSTART")  # same instant
        else:
            assert start == ours[uid].decoded("DTSTART") and end - start == timedelta(days=1)


# --- daylight-saving time ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("tz", "days", "before", "after"),
    [
        (NEW_YORK, 10, timedelta(hours=-4), timedelta(hours=-5)),
        ("Europe/London", 23, timedelta(hours=1), timedelta(0)),
    ],
)
def test_local_times_hold_across_the_clock_change(
    tz: str, days: int, before: timedelta, after: timedelta
) -> None:
    plan = build_plan(PACK, TODAY, TODAY + timedelta(days=days), tz=tz)
    data = to_ics(plan)
    timed = {event_uid(plan.id, i.key): (d.date, i.at) for d, i in plan.items() if i.at}
    timed.update({event_uid(plan.id, r.key): (r.date, r.at) for r in plan.rounds})
    switch = date(2026, 11, 1) if tz == NEW_YORK else date(2026, 10, 25)
    assert {on < switch for on, _ in timed.values()} == {True, False}  # both sides covered

    for parser in (by_uid_icalendar, by_uid_vobject):
        for uid, event in parser(data).items():
            if uid not in timed:
                continue
            on, at = timed[uid]
            value = event.decoded("DTSTART") if parser is by_uid_icalendar else event.dtstart.value
            assert (value.date(), value.time()) == (on, at)  # wall clock unchanged
            offset = value.utcoffset()
            assert offset == (before if on < switch else after), (parser.__name__, on)
            # The instant is right too: 18:00 local is 22:00 UTC in EDT, 23:00 UTC in EST.
            local = datetime.combine(on, at) - offset
            assert value.astimezone(UTC).replace(tzinfo=None) == local


def test_a_utc_plan_writes_utc_times() -> None:
    plan = build_plan(PACK, TODAY, TODAY + timedelta(days=23), tz="UTC")
    data = to_ics(plan)
    assert b"TZID=" not in data
    for event in vobject_events(data):
        start = event.dtstart.value
        if isinstance(start, datetime):
            assert start.utcoffset() == timedelta(0)


# --- stable identity across exports ------------------------------------------------------


def test_uids_are_stable_across_exports_and_rebuilds() -> None:
    plan = ny_plan()
    first = to_ics(plan)
    again = to_ics(Plan.from_json(plan.to_json()))
    assert first == again  # an unchanged plan exports byte for byte the same
    rebuilt = supersede(plan, ny_plan())
    assert set(by_uid_vobject(to_ics(rebuilt))) == set(by_uid_vobject(first))
    uids = list(by_uid_icalendar(first))
    assert len(uids) == len(set(uids))
    assert all(uid.startswith(plan.id) and uid.endswith("@loopready") for uid in uids)


def test_uids_do_not_depend_on_order() -> None:
    plan = ny_plan()
    shuffled = plan.model_copy(deep=True)
    shuffled.days.reverse()
    shuffled.rounds.reverse()
    assert set(by_uid_icalendar(to_ics(plan))) == set(by_uid_icalendar(to_ics(shuffled)))


def test_a_change_bumps_the_sequence_of_what_changed_only() -> None:
    plan = build_plan(PACK, TODAY, TODAY + timedelta(days=60), tz=NEW_YORK)
    before = by_uid_icalendar(to_ics(plan))
    target = next(d for d in plan.days if d.items and d.date > TODAY + timedelta(days=3))
    moved_uids = {event_uid(plan.id, i.key) for i in target.items}
    changed = replan(mark_day(plan, target.date, "skipped"), TODAY)
    after = by_uid_vobject(to_ics(changed))
    assert set(after) == set(before)
    for uid, event in after.items():
        old_seq = int(before[uid]["SEQUENCE"])
        new_seq = int(event.sequence.value)
        if uid in moved_uids:
            assert new_seq == old_seq + 1
            assert event.dtstart.value != before[uid].decoded("DTSTART")
        elif event.dtstart.value == before[uid].decoded("DTSTART"):
            assert new_seq == old_seq


def test_marking_done_updates_the_event_summary() -> None:
    plan = ny_plan()
    done = mark_day(plan, TODAY, "done")
    events = by_uid_vobject(to_ics(done))
    for item in done.days[0].items:
        event = events[event_uid(plan.id, item.key)]
        assert event.summary.value.startswith("Done: ")
        assert int(event.sequence.value) == 1


def test_removed_items_are_exported_as_cancelled() -> None:
    long = build_plan(PACK, TODAY, TODAY + timedelta(days=23), tz=NEW_YORK)
    short = supersede(long, build_plan(PACK, TODAY, TODAY + timedelta(days=10), tz=NEW_YORK))
    data = to_ics(short)
    events = by_uid_vobject(data)
    assert len(events) == expected_count(short)
    live = {event_uid(short.id, i.key) for _, i in short.items()}
    gone = [uid for uid, e in events.items() if getattr(e, "status", None)]
    cancelled = [uid for uid in gone if events[uid].status.value == "CANCELLED"]
    assert cancelled and not set(cancelled) & live
    old = by_uid_icalendar(to_ics(long))
    for uid in cancelled:
        assert int(events[uid].sequence.value) == int(old[uid]["SEQUENCE"]) + 1


def test_reimport_updates_instead_of_duplicating() -> None:
    """A calendar store keyed by UID, keeping the highest SEQUENCE, as RFC 5545 asks."""
    store: dict[str, tuple[int, str]] = {}

    def import_file(data: bytes) -> None:
        for event in vobject_events(data):
            seq = int(event.sequence.value)
            if event.uid.value not in store or store[event.uid.value][0] <= seq:
                store[event.uid.value] = (seq, event.summary.value)

    plan = ny_plan()
    import_file(to_ics(plan))
    count = len(store)
    marked = mark_day(mark_day(plan, TODAY, "done"), TODAY + timedelta(days=1), "skipped")
    changed = replan(marked, TODAY)
    import_file(to_ics(changed))
    import_file(to_ics(changed))
    latest = by_uid_icalendar(to_ics(changed))
    # Every event of the first import was updated in place (moved, marked or cancelled):
    # nothing doubled, and each holds the newest version.
    assert len(store) == count == len(latest) == expected_count(changed)
    assert {uid: seq for uid, (seq, _) in store.items()} == {
        uid: int(e["SEQUENCE"]) for uid, e in latest.items()
    }
    done_uid = event_uid(plan.id, changed.days[0].items[0].key)
    assert store[done_uid][1].startswith("Done: ")


def test_mocks_in_the_calendar_follow_the_loop() -> None:
    plan = ny_plan()
    events = [
        e for e in vobject_events(to_ics(plan)) if e.summary.value.startswith("Mock interview: ")
    ]
    events.sort(key=lambda e: e.dtstart.value)
    names = [PACK.round(r).name for r in LOOP_IDS]
    assert [e.summary.value.split(": ", 1)[1].rsplit(" (", 1)[0] for e in events] == names


def test_cli_writes_the_calendar_file(user_pack: str, tmp_path: Path) -> None:
    runner = CliRunner()
    new = ["plan", "new", "--pack", user_pack, "--first-round", "2026-10-11"]
    result = runner.invoke(cli, [*new, "--tz", NEW_YORK, "--today", "2026-10-01"])
    assert result.exit_code == 0, result.stderr
    target = tmp_path / "prep.ics"
    result = runner.invoke(cli, ["plan", "ics", str(target), "--today", "2026-10-01"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        f"Wrote {target}: 19 prep tasks, 5 mock interviews, 5 real rounds ({NEW_YORK})."
    )
    first = target.read_bytes()
    assert len(vobject_events(first)) == 29
    result = runner.invoke(cli, ["plan", "ics", "-", "--today", "2026-10-01"])
    assert result.stdout_bytes == first
