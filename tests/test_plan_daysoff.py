"""Days off, rounds on working days, and a plan that carries on to the last round."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from click.testing import CliRunner

from loopready.cli import cli
from loopready.packs import get_pack
from loopready.planning import storage
from loopready.planning.calendar import to_ics
from loopready.planning.daysoff import next_working_day, suggested_days_off
from loopready.planning.model import Plan
from loopready.planning.schedule import build_plan, set_day_off
from loopready.store import Database, open_db
from loopready.web.app import create_app
from loopready.web.testing import PageClient

TODAY = date(2026, 12, 7)  # a Monday
FIRST = date(2026, 12, 21)  # the first round, two weeks on
CHRISTMAS = date(2026, 12, 25)


def christmas_plan(**kwargs: object) -> Plan:
    return build_plan(get_pack(), TODAY, FIRST, tz="Europe/London", **kwargs)  # type: ignore[arg-type]


def work_days(plan: Plan) -> set[date]:
    return {d.date for d in plan.days if d.items}


def event_days(data: bytes) -> set[date]:
    found = set()
    for event in icalendar.Calendar.from_ical(data).walk("VEVENT"):
        start = event.decoded("dtstart")
        found.add(start.date() if isinstance(start, datetime) else start)
    return found


def test_holidays_are_suggested_days_off_and_get_no_mock() -> None:
    assert suggested_days_off(date(2026, 12, 20), date(2027, 1, 2)) == [
        date(2026, 12, 24),
        date(2026, 12, 25),
        date(2026, 12, 26),
        date(2026, 12, 31),
        date(2027, 1, 1),
    ]
    # A first round on 28 December puts the mock phase over Christmas.
    late = date(2026, 12, 28)
    plain = build_plan(get_pack(), TODAY, late, days_off=[])
    assert CHRISTMAS in {d.date for d, _ in plain.mocks()}  # what the suggestion prevents
    plan = build_plan(get_pack(), TODAY, late)
    assert {date(2026, 12, 24), CHRISTMAS, date(2026, 12, 26)} <= set(plan.days_off)
    assert CHRISTMAS not in {d.date for d, _ in plan.mocks()}
    assert len(plan.mocks()) == len(get_pack().rounds)  # every mock still has a day
    assert not work_days(plan) & set(plan.days_off)
    off = plan.day(CHRISTMAS)
    assert off is not None and off.off and "Christmas Day" in off.note


def test_estimated_rounds_fall_on_working_days() -> None:
    assert next_working_day(date(2026, 12, 26)) == date(2026, 12, 28)
    assert next_working_day(date(2026, 12, 28), [date(2026, 12, 28)]) == date(2026, 12, 29)
    plan = christmas_plan()
    for rnd in plan.rounds[1:]:
        assert rnd.date.weekday() < 5, (rnd.name, rnd.date)
        assert rnd.date not in plan.days_off
    committee = plan.rounds[-1]
    assert committee.round_id == "hiring_committee" and committee.date.weekday() != 6


def test_the_plan_carries_on_between_rounds_to_the_last_one() -> None:
    plan = christmas_plan()
    assert plan.end == plan.rounds[-1].date
    keys = {i.key for _, i in plan.items()}
    for prev, nxt in zip(plan.rounds, plan.rounds[1:], strict=False):
        between = [
            i.key
            for d, i in plan.items()
            if prev.date < d.date < nxt.date and i.key.startswith("between.")
        ]
        assert f"between.{prev.round_id}.writeup" in between, prev.name
        assert f"between.{nxt.round_id}.refresh" in between, nxt.name
    assert "between.hiring_committee.refresh" in keys
    last_work = max(work_days(plan))
    assert plan.rounds[-2].date < last_work < plan.rounds[-1].date


def test_taking_a_day_off_moves_its_work_and_the_calendar_leaves_it_empty() -> None:
    plan = christmas_plan()
    busy = min(d.date for d in plan.days if d.items and d.date > TODAY)
    moved_keys = {i.key for i in plan.day(busy).items}  # type: ignore[union-attr]
    updated = set_day_off(plan, busy, True, TODAY)
    assert busy in updated.days_off
    day = updated.day(busy)
    assert day is not None and day.off and not day.items
    assert moved_keys <= {i.key for _, i in updated.items()}  # nothing lost
    assert busy not in event_days(to_ics(updated))
    back = set_day_off(updated, busy, False, TODAY)
    assert busy not in back.days_off and not back.day(busy).off  # type: ignore[union-attr]


def test_a_round_day_cannot_be_a_day_off() -> None:
    from loopready.errors import InputError

    plan = christmas_plan()
    with pytest.raises(InputError, match="is the day of a real round"):
        set_day_off(plan, FIRST, True, TODAY)


def test_cli_days_off_are_stored_and_left_out_of_the_calendar(tmp_path: Path) -> None:
    runner = CliRunner()
    base = ["--today", TODAY.isoformat()]
    made = runner.invoke(
        cli,
        ["plan", "new", "--first-round", FIRST.isoformat(), "--tz", "Europe/London",
         "--day-off", "2026-12-10", *base],
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    stored = storage.load_plan()
    assert stored is not None
    assert date(2026, 12, 10) in stored.days_off and CHRISTMAS in stored.days_off
    off = runner.invoke(cli, ["plan", "off", "2026-12-11", *base])
    assert off.exit_code == 0, off.output
    assert "Fri 11 Dec 2026: day off." in off.output
    stored = storage.load_plan()
    assert stored is not None and date(2026, 12, 11) in stored.days_off
    target = tmp_path / "prep.ics"
    assert runner.invoke(cli, ["plan", "ics", str(target), *base]).exit_code == 0
    days = event_days(target.read_bytes())
    assert not days & {date(2026, 12, 10), date(2026, 12, 11), CHRISTMAS}
    shown = runner.invoke(cli, ["plan", "show", *base])
    assert "Christmas" in shown.output and "Day off" in shown.output
    no_holidays = runner.invoke(
        cli,
        ["plan", "new", "--first-round", FIRST.isoformat(), "--tz", "Europe/London",
         "--no-holidays", *base],
    )  # fmt: skip
    assert no_holidays.exit_code == 0
    stored = storage.load_plan()
    assert stored is not None and stored.days_off == []


@pytest.fixture
def db(loopready_home: Path) -> Iterator[Database]:
    with open_db() as database:
        yield database


@pytest.fixture
def client(db: Database) -> Iterator[PageClient]:
    with PageClient(create_app(db)) as c:
        yield c


def test_web_days_off_from_the_form_and_from_a_day(client: PageClient, db: Database) -> None:
    today = datetime.now(ZoneInfo("Europe/London")).date()
    first = today + timedelta(days=12)
    off = today + timedelta(days=3)
    form = client.page("/plan")
    assert 'name="days_off"' in form.text and 'name="holidays" value="1" checked' in form.text
    done = client.submit(
        "/plan",
        {"first_round": first.isoformat(), "tz": "Europe/London", "days_off": off.isoformat(),
         "holidays": "1"},
    )  # fmt: skip
    assert done.status_code == 303, done.text
    plan = storage.load_plan(db=db)
    assert plan is not None and off in plan.days_off
    page = client.page("/plan")
    assert f'id="day-{off.isoformat()}"' in page.text and "Day off" in page.text
    busy = next(d.date for d in plan.days if d.items and d.date > today and d.date < first)
    marked = client.submit(f"/plan/day/{busy.isoformat()}", {"status": "off"})
    assert marked.status_code == 303
    plan = storage.load_plan(db=db)
    assert plan is not None and busy in plan.days_off
    ics = client.get("/plan.ics")
    assert not event_days(ics.content) & {off, busy}
    bad = client.submit("/plan", {"first_round": first.isoformat(), "days_off": "soon"})
    assert bad.status_code == 422 and "A day off" in bad.text
