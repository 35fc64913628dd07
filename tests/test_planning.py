"""Prep plans: fitting the framework to the days there are, marking days, re-planning, CLI."""

from __future__ import annotations

import copy
import json
from collections import Counter
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from sqlalchemy import select

from loopready.cli import cli
from loopready.errors import InputError, StorageError
from loopready.packs.schema import Pack
from loopready.planning import (
    Plan,
    PlanItem,
    allocate,
    build_plan,
    mark_day,
    replan,
    supersede,
)
from loopready.planning.inputs import parse_date, parse_round_date, parse_time, zone
from loopready.planning.storage import load_plan, plan_path, save_plan, set_aside_damaged_plan
from loopready.store import open_db
from loopready.store.models import Plan as PlanRow
from loopready.store.models import PlanDay as PlanDayRow

MINIMAL = Path(__file__).parent / "data" / "packs" / "minimal.yaml"
TODAY = date(2026, 10, 1)
LOOP = [
    ("recruiter_screen", "Recruiter screen", "screen", 30, 0),
    ("product_sense", "Product sense case", "case", 45, 7),
    ("technical_depth", "Technical depth", "technical", 30, 14),
    ("stakeholder_simulation", "Stakeholder simulation", "stakeholder", 60, 21),
    ("hiring_committee", "Hiring committee debrief", "committee", 45, 28),
]
LOOP_IDS = [r[0] for r in LOOP]
PHASES: list[dict[str, Any]] = [
    {
        "id": "research",
        "name": "Research",
        "days": 7,
        "min_days": 2,
        "tasks": [
            "Review the company's recent AI launches and the success metric each one serves.",
            "Map the team's products to the user problems they solve.",
        ],
    },
    {
        "id": "brief",
        "name": "Brief drafting",
        "days": 7,
        "min_days": 2,
        "tasks": [
            "Draft a one-page brief for a hypothetical AI feature.",
            "Cut the brief to the two metrics that matter.",
            "Rehearse telling the brief in three minutes.",
        ],
    },
    {
        "id": "mocks",
        "name": "Mock interviews",
        "days": 7,
        "min_days": 3,
        "tasks": [
            "Run the live case with a peer.",
            "Rehearse the technical deep dive on drift.",
        ],
    },
    {
        "id": "polish",
        "name": "Final polish",
        "days": 2,
        "min_days": 1,
        "tasks": ["Tighten the one story for every round.", "Frame compensation as a package."],
    },
]


def loop_pack(pack_id: str = "plan-test", phases: list[dict[str, Any]] | None = None) -> Pack:
    """A five-round loop shaped like the Sony one, on the 7/7/7/2 framework."""
    data = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
    template = data["rounds"][0]
    rounds = []
    for rid, name, kind, minutes, day in LOOP:
        rnd = copy.deepcopy(template)
        rnd.update(id=rid, name=name, kind=kind, minutes=minutes, day=day)
        for prompt in rnd["prompts"]:
            prompt["id"] = f"{rid}_{prompt['id']}"
        rounds.append(rnd)
    data.update(id=pack_id, rounds=rounds, prep={"phases": phases or PHASES})
    data["process"]["total_days"] = 29
    return Pack.model_validate(data)


PACK = loop_pack()


def plan_for(days: int, **kwargs: Any) -> Plan:
    return build_plan(PACK, TODAY, TODAY + timedelta(days=days), **kwargs)


def phase_lengths(plan: Plan) -> list[int]:
    return [len(plan.phase_dates(p.id)) for p in plan.phases]


def prep_tasks(plan: Plan) -> list[PlanItem]:
    """The framework's tasks (not the write-ups and refreshers between real rounds)."""
    return [i for _, i in plan.items() if i.kind == "task" and not i.key.startswith("between.")]


def task_keys(plan: Plan) -> list[str]:
    return [i.key for i in prep_tasks(plan)]


def tasks_covered(plan: Plan) -> set[tuple[str, int | None]]:
    return {(i.phase_id, i.task_index) for i in prep_tasks(plan)}


ALL_TASKS = {(p["id"], k) for p in PHASES for k in range(len(p["tasks"]))}


def assert_mocks_in_loop_order(plan: Plan) -> None:
    mocks = plan.mocks()
    assert [i.round_id for _, i in mocks] == LOOP_IDS
    starts = [plan.starts_at(d.date, i.at) for d, i in mocks if i.at]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    real = {r.round_id: plan.starts_at(r.date, r.at) for r in plan.rounds}
    for day, mock in mocks:
        assert mock.at is not None and mock.round_id is not None
        assert plan.ends_at(day.date, mock.at, mock.minutes or 0) <= real[mock.round_id]
        assert day.date < real[mock.round_id].date()
        assert mock.minutes == PACK.round(mock.round_id).minutes


# --- fitting the framework ----------------------------------------------------------------


def test_23_days_is_the_framework_exactly() -> None:
    plan = plan_for(23, tz="Europe/London")
    assert phase_lengths(plan) == [7, 7, 7, 2]
    assert plan.cuts == []
    assert plan.notes[0] == "The 23 days before the first round match the framework exactly."
    assert [d.date for d in plan.days if d.date < plan.first_round] == [
        TODAY + timedelta(days=k) for k in range(23)
    ]
    assert not any(d.light for d in plan.days)
    assert tasks_covered(plan) == ALL_TASKS
    assert len(task_keys(plan)) == len(set(task_keys(plan))) == 23
    assert_mocks_in_loop_order(plan)
    mock_days = [d.date for d, _ in plan.mocks()]
    assert all(d in plan.phase_dates("mocks") for d in mock_days)
    # The first round is the user's (a Saturday); the estimated ones keep the week's
    # spacing but fall on working days: Sat 31 Oct moves to Mon 2 Nov.
    assert [r.date for r in plan.rounds] == [
        plan.first_round,
        *(date(2026, 11, 2) + timedelta(days=7 * k) for k in range(4)),
    ]
    assert all(r.date.weekday() < 5 for r in plan.rounds[1:])
    assert all(r.at == time(10, 0) for r in plan.rounds)
    assert all(i.at == time(18, 0) for _, i in plan.mocks())


def test_10_days_shortens_every_phase_but_keeps_minimums() -> None:
    plan = plan_for(10, tz="Europe/London")
    lengths = phase_lengths(plan)
    assert lengths == [3, 3, 3, 1]
    assert all(n >= p["min_days"] for n, p in zip(lengths, PHASES, strict=True))
    assert plan.cuts == [
        "10 days before the first round, but the framework plans 23, so the phases are shortened.",
        "Research: 3 days instead of 7.",
        "Brief drafting: 3 days instead of 7.",
        "Mock interviews: 3 days instead of 7.",
        "Final polish: 1 day instead of 2.",
    ]
    assert tasks_covered(plan) == ALL_TASKS  # shortened, nothing dropped
    assert "Final polish: its 2 tasks share 1 day." in plan.notes
    assert_mocks_in_loop_order(plan)
    # Three mocks fit the mock phase; the last two go between real rounds.
    in_phase = [i.round_id for d, i in plan.mocks() if d.date < plan.first_round]
    assert in_phase == LOOP_IDS[:3]
    round_days = {r.date for r in plan.rounds}
    for day, mock in plan.mocks()[3:]:
        assert day.date > plan.first_round and day.date not in round_days
        assert any(mock.title.removeprefix("Mock interview: ") in n for n in plan.notes)


def test_60_days_spreads_the_same_work_without_padding() -> None:
    exact = plan_for(23)
    plan = plan_for(60)
    lengths = phase_lengths(plan)
    assert sum(lengths) == 60
    for n, p in zip(lengths, PHASES, strict=True):
        assert n >= p["days"]
        assert abs(n - p["days"] * 60 / 23) < 1  # in proportion to the framework
    # The very same pieces of work as the exact plan: nothing repeated to fill time.
    assert sorted(task_keys(plan)) == sorted(task_keys(exact))
    assert Counter(task_keys(plan)).most_common(1)[0][1] == 1
    light = [d for d in plan.days if d.light]
    assert len(light) == 60 - sum(1 for d in plan.days if d.items and d.date < plan.first_round)
    assert len(light) > 30
    assert plan.cuts == []
    assert plan.notes[0] == (
        "60 days before the first round, and the framework plans 23: each phase is stretched "
        f"in proportion. No task is repeated to fill the time; the {len(light)} days with "
        "nothing new are light days, for rest or a quick review."
    )
    # Light days are spread through each phase, not piled up at its end.
    busy = {d.date for d in plan.days if d.items}
    for phase in plan.phases:
        dates = plan.phase_dates(phase.id)
        worked = [k for k, on in enumerate(dates) if on in busy]
        assert worked[0] == 0 and worked[-1] >= len(dates) - 3
    assert_mocks_in_loop_order(plan)


def test_when_minimums_do_not_fit_phases_fold_and_say_what_was_dropped() -> None:
    plan = plan_for(3)
    assert phase_lengths(plan) == [0, 1, 1, 1]
    assert plan.cuts == [
        "3 days before the first round, but the framework plans 23, so the phases are shortened.",
        "Research gets no day of its own: its first task ('Review the company's recent AI "
        "launches and the success metric each one serves') joins Brief drafting on Thu 1 Oct, "
        "and the rest is dropped: 'Map the team's products to the user problems they solve'.",
        "Brief drafting: 1 day instead of 7, below its minimum of 2.",
        "Mock interviews: 1 day instead of 7, below its minimum of 3.",
        "Final polish: 1 day instead of 2.",
    ]
    assert ("research", 0) in tasks_covered(plan)
    assert ("research", 1) not in tasks_covered(plan)
    assert_mocks_in_loop_order(plan)


def test_first_round_today_drops_the_prep_but_keeps_later_mocks() -> None:
    plan = plan_for(0)
    assert plan.cuts == [
        "There is no day to prepare before the first round on Thu 1 Oct, so the prep "
        "phases are dropped: Research, Brief drafting, Mock interviews, Final polish.",
        "No day is left for the Recruiter screen mock before its real round on Thu 1 Oct.",
    ]
    assert task_keys(plan) == []
    assert [i.round_id for _, i in plan.mocks()] == LOOP_IDS[1:]
    for day, mock in plan.mocks():
        real = next(r for r in plan.rounds if r.round_id == mock.round_id)
        assert plan.first_round < day.date < real.date


def test_start_later_than_today_and_custom_times() -> None:
    plan = build_plan(
        PACK,
        TODAY,
        TODAY + timedelta(days=30),
        start=TODAY + timedelta(days=7),
        tz="Asia/Tokyo",
        mock_time=time(20, 30),
        round_time=time(9, 15),
    )
    assert plan.start == TODAY + timedelta(days=7)
    assert phase_lengths(plan) == [7, 7, 7, 2]
    assert {i.at for _, i in plan.mocks()} == {time(20, 30)}
    assert {r.at for r in plan.rounds} == {time(9, 15)}


def test_explicit_round_dates_keep_mocks_before_each_round() -> None:
    first = TODAY + timedelta(days=5)
    plan = build_plan(
        PACK,
        TODAY,
        first,
        round_dates={
            "product_sense": datetime.combine(first + timedelta(days=2), time(14, 0)),
            "technical_depth": first + timedelta(days=2),
            "stakeholder_simulation": first + timedelta(days=4),
            "hiring_committee": first + timedelta(days=9),
        },
        tz="America/New_York",
    )
    rounds = {r.round_id: r for r in plan.rounds}
    assert rounds["product_sense"].at == time(14, 0) and rounds["product_sense"].explicit
    # Two rounds the same day: the later one in the loop starts after the other ends
    # (14:00 + 45 min) plus a 30-minute break.
    assert rounds["technical_depth"].date == rounds["product_sense"].date
    assert rounds["technical_depth"].at == time(15, 15)
    assert rounds["recruiter_screen"].explicit  # the loop's own first-round date
    assert_mocks_in_loop_order(plan)
    assert not any("usual spacing" in n for n in plan.notes)


def test_estimated_rounds_follow_the_last_known_date() -> None:
    first = TODAY + timedelta(days=10)
    plan = build_plan(PACK, TODAY, first, round_dates={"product_sense": first + timedelta(days=20)})
    dates = {r.round_id: r.date for r in plan.rounds}
    # The pack spaces rounds a week apart: estimates continue from the known date
    # (Sat 31 Oct), on working days: Sat 7 Nov moves to Mon 9 Nov.
    assert dates["technical_depth"] == first + timedelta(days=29)
    assert dates["hiring_committee"] == first + timedelta(days=43)
    assert_mocks_in_loop_order(plan)


def test_same_day_rounds_without_times_follow_each_other() -> None:
    first = TODAY + timedelta(days=23)
    plan = build_plan(PACK, TODAY, first, round_dates={"product_sense": first})
    screen, product = plan.rounds[0], plan.rounds[1]
    assert (screen.at, product.at) == (time(10, 0), time(11, 0))  # 30 min + 30 min break


def test_stacked_mocks_get_back_to_back_times() -> None:
    first = TODAY + timedelta(days=2)
    # Every round within two days: no free day between rounds, so mocks share days.
    plan = build_plan(
        PACK,
        TODAY,
        first,
        round_dates={rid: first + timedelta(days=1) for rid in LOOP_IDS[1:]},
    )
    assert_mocks_in_loop_order(plan)
    by_day = Counter(d.date for d, _ in plan.mocks())
    assert max(by_day.values()) > 1
    assert any("mocks share" in n for n in plan.notes)


@pytest.mark.parametrize("available", range(0, 70))
def test_allocate_keeps_its_promises(available: int) -> None:
    targets, mins = [7, 7, 7, 2], [2, 2, 3, 1]
    days = allocate(available, targets, mins, [2, 3, 1, 0])
    assert sum(days) == available
    if available >= sum(targets):
        assert all(d >= t for d, t in zip(days, targets, strict=True))
    elif available >= sum(mins):
        assert all(m <= d <= t for d, m, t in zip(days, mins, targets, strict=True))
    else:
        assert days[2] >= 1 or available == 0  # the mock phase is the last to go


# --- errors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"first_round": TODAY - timedelta(days=1)},
            "The first round (2026-09-30) is in the past: today is 2026-10-01. "
            "Give the date of an interview that is still ahead.",
        ),
        (
            {"start": TODAY - timedelta(days=2)},
            "The start date (2026-09-29) is in the past: today is 2026-10-01. "
            "Start today or later.",
        ),
        (
            {"start": TODAY + timedelta(days=11)},
            "The start date (2026-10-12) is after the first round (2026-10-11). "
            "Start on or before the day of the first round.",
        ),
        (
            {"tz": "Europe/Lndon"},
            "Unknown time zone 'Europe/Lndon'. Use an IANA zone name such as "
            '"Europe/London", "America/New_York" or "Asia/Tokyo".',
        ),
        (
            {"round_dates": {"negotiation": TODAY}},
            "'negotiation' is not a round of this loop. The loop's rounds are: "
            "recruiter_screen, product_sense, technical_depth, stakeholder_simulation, "
            "hiring_committee.",
        ),
        (
            {
                "round_dates": {
                    "product_sense": TODAY + timedelta(days=30),
                    "technical_depth": TODAY + timedelta(days=24),
                }
            },
            "The rounds must keep the loop's order, but Technical depth (2026-10-25) comes "
            "before Product sense case (2026-10-31). Check the dates.",
        ),
        (
            {"round_dates": {"product_sense": TODAY - timedelta(days=1)}},
            "The Product sense case round date (2026-09-30) is in the past: today is "
            "2026-10-01. Give the date it is still to happen.",
        ),
        (
            {"round_dates": {"recruiter_screen": TODAY + timedelta(days=12)}},
            "The first round (recruiter_screen) has two dates: 2026-10-11 and 2026-10-13. "
            "Give just one.",
        ),
    ],
)
def test_bad_input_is_a_clear_error(kwargs: dict[str, Any], message: str) -> None:
    args: dict[str, Any] = {"first_round": TODAY + timedelta(days=10), **kwargs}
    with pytest.raises(InputError) as caught:
        build_plan(PACK, TODAY, **args)
    assert str(caught.value) == message


def test_input_parsing() -> None:
    assert parse_date("2026-06-15") == date(2026, 6, 15)
    assert parse_date("tomorrow", today=TODAY) == TODAY + timedelta(days=1)
    with pytest.raises(InputError, match=r"^--first-round: '15/06/2026' is not a date\. "):
        parse_date("15/06/2026", "--first-round")
    with pytest.raises(InputError, match="is not a real calendar date"):
        parse_date("2026-02-30")
    assert parse_time("7:05") == time(7, 5)
    with pytest.raises(InputError, match=r"'25:00' is not a time\. Write it as HH:MM"):
        parse_time("25:00")
    assert parse_round_date("product_sense=2026-06-22T14:00") == (
        "product_sense",
        datetime(2026, 6, 22, 14, 0),
    )
    assert parse_round_date("product_sense = 2026-06-22") == ("product_sense", date(2026, 6, 22))
    with pytest.raises(InputError, match="should be ROUND=DATE"):
        parse_round_date("2026-06-22")
    assert zone("europe/london").key == "Europe/London"
    with pytest.raises(InputError, match='such as "Europe/London"'):
        zone("localtime")


# --- marking and re-planning -----------------------------------------------------------


def test_marking_a_day_outside_the_plan_is_an_error() -> None:
    plan = plan_for(10)
    with pytest.raises(InputError) as caught:
        mark_day(plan, date(2027, 1, 1), "done")
    assert str(caught.value) == (
        "2027-01-01 is not a day of this plan, which runs from 2026-10-01 to 2026-11-09. "
        "Give a date in that range."
    )


def test_nothing_missed_means_nothing_moves() -> None:
    plan = plan_for(23)
    plan = mark_day(plan, TODAY, "done")
    assert replan(plan, TODAY + timedelta(days=1)) is plan
    fresh = plan_for(23)
    assert replan(fresh, TODAY) is fresh


def test_missed_days_move_forward_and_done_days_stay() -> None:
    plan = plan_for(23)
    plan = mark_day(plan, TODAY, "done")
    done_items = [i.key for i in plan.days[0].items]
    later = replan(plan, TODAY + timedelta(days=3))  # 2 and 3 Oct were missed

    assert [i.key for i in later.days[0].items] == done_items
    assert later.days[0].status == "done"
    for k in (1, 2):
        day = later.days[k]
        assert day.status == "missed" and day.items == [] and day.moved
    moved = {key for d in later.days[1:3] for key in d.moved}
    landed = {i.key: d.date for d, i in later.items()}
    assert all(landed[k] >= TODAY + timedelta(days=3) for k in moved if k in landed)
    assert tasks_covered(later) == ALL_TASKS  # nothing lost
    assert_mocks_in_loop_order(later)
    # 22 days of work for 20 days: shortened, and the plan says so.
    assert (
        "Catching up: 22 days of prep work are left for 20 days before the first round, "
        "so some days are doubled up." in later.cuts
    )
    assert "Missed Fri 2 Oct, Sat 3 Oct; that work moved to the days left." in later.notes


def test_skipping_a_future_day_moves_its_work_and_bumps_sequences() -> None:
    plan = plan_for(60)
    target = next(d for d in plan.days if d.items and d.date > TODAY + timedelta(days=5))
    keys = [i.key for i in target.items]
    skipped = replan(mark_day(plan, target.date, "skipped"), TODAY)
    day = skipped.day(target.date)
    assert day is not None and day.status == "skipped" and day.items == []
    assert day.moved == keys
    where = {i.key: (d.date, i.sequence) for d, i in skipped.items()}
    for key in keys:
        assert where[key][0] != target.date
        assert where[key][1] == 1
    # 60 days have room: the skipped day's work lands on a light day, nothing is cut.
    assert sorted(task_keys(skipped)) == sorted(task_keys(plan))
    assert skipped.cuts == []
    assert f"Skipped {target.date:%a} {target.date.day} {target.date:%b}; that work moved" in (
        " ".join(skipped.notes)
    )


def test_marking_a_missed_day_done_brings_its_work_back() -> None:
    plan = plan_for(23)
    missed = replan(plan, TODAY + timedelta(days=1))
    assert missed.days[0].status == "missed" and missed.days[0].items == []
    back = replan(mark_day(missed, TODAY, "done"), TODAY + timedelta(days=1))
    assert back.days[0].status == "done"
    assert [i.key for i in back.days[0].items] == [i.key for i in plan.days[0].items]
    assert Counter(task_keys(back)).most_common(1)[0][1] == 1


def test_undo_a_skip() -> None:
    plan = plan_for(23)
    on = TODAY + timedelta(days=4)
    skipped = replan(mark_day(plan, on, "skipped"), TODAY)
    undone = mark_day(skipped, on, "planned")
    day = undone.day(on)
    assert day is not None and day.status == "planned" and day.items
    assert Counter(task_keys(undone)).most_common(1)[0][1] == 1


def test_after_the_first_round_missed_prep_is_dropped_but_later_mocks_stay() -> None:
    plan = plan_for(10)
    after = replan(plan, plan.first_round + timedelta(days=1))
    assert task_keys(after) == []
    assert any(c.startswith("No prep day is left before the first round") for c in after.cuts)
    # The missed mocks of rounds still ahead move between the real rounds; the
    # recruiter screen's is gone with its round.
    assert [i.round_id for _, i in after.mocks()] == LOOP_IDS[1:]
    real = {r.round_id: r.date for r in after.rounds}
    assert all(after.first_round < d.date < real[i.round_id or ""] for d, i in after.mocks())
    assert "No day is left for the Recruiter screen mock before its real round on Sun 11 Oct." in (
        after.cuts
    )
    assert {r.key for r in after.retired} >= set(task_keys(plan))


def test_supersede_keeps_the_id_and_versions_what_changed() -> None:
    old = plan_for(23)
    fresh = build_plan(PACK, TODAY, TODAY + timedelta(days=23), round_time=time(11, 0))
    assert fresh.id != old.id
    new = supersede(old, fresh)
    assert new.id == old.id
    assert {r.sequence for r in new.rounds} == {1}
    assert {i.sequence for _, i in new.items()} == {0}
    shorter = supersede(new, plan_for(10))
    assert shorter.id == old.id
    retired = {r.key: r.sequence for r in shorter.retired}
    assert "research.t1.p4" in retired and retired["research.t1.p4"] == 1
    assert not set(retired) & {i.key for _, i in shorter.items()}


def test_json_round_trip_and_storage() -> None:
    plan = replan(mark_day(plan_for(10), TODAY, "done"), TODAY + timedelta(days=2))
    assert Plan.from_json(plan.to_json()) == plan
    assert load_plan() is None
    save_plan(plan)
    assert load_plan() == plan
    assert not plan_path().exists()  # the plan lives in the database now
    with open_db() as db, db.read_session() as s:
        row = s.get(PlanRow, plan.id)
        assert row is not None and row.first_round_date == plan.first_round
        days = {d.day: d.status for d in s.scalars(select(PlanDayRow))}
    assert days[TODAY] == "done" and len(days) == len(plan.days)
    # Saving again replaces the stored copy (and its days) instead of adding one.
    later = mark_day(plan, TODAY + timedelta(days=3), "skipped")
    save_plan(later)
    assert load_plan() == later
    with open_db() as db, db.read_session() as s:
        assert len(list(s.scalars(select(PlanRow)))) == 1
        statuses = [d.status for d in s.scalars(select(PlanDayRow))]
    assert statuses.count("skipped") == 1 and len(statuses) == len(later.days)


def test_a_damaged_stored_plan_is_an_error_and_can_be_set_aside() -> None:
    save_plan(plan_for(10))
    with open_db() as db, db.session() as s:
        row = s.scalars(select(PlanRow)).one()
        row.plan = {"not": "a plan"}
    with pytest.raises(StorageError, match="is damaged"):
        load_plan()
    kept = set_aside_damaged_plan()
    assert kept is not None and json.loads(kept.read_text(encoding="utf-8")) == {"not": "a plan"}
    assert load_plan() is None


def test_a_plan_json_from_an_earlier_version_moves_into_the_database() -> None:
    plan = plan_for(10)
    plan_path().write_text(plan.to_json(), encoding="utf-8")
    assert load_plan() == plan
    assert not plan_path().exists()
    assert plan_path().with_name("plan.migrated.json").exists()
    assert load_plan() == plan  # now read from the database
    with open_db() as db, db.read_session() as s:
        assert s.get(PlanRow, plan.id) is not None


def test_a_damaged_plan_json_is_reported_not_overwritten() -> None:
    plan_path().write_text("{not json", encoding="utf-8")
    with pytest.raises(StorageError, match="is damaged"):
        load_plan()
    assert plan_path().read_text(encoding="utf-8") == "{not json"
    kept = set_aside_damaged_plan()
    assert kept is not None and kept.read_text(encoding="utf-8") == "{not json"
    assert load_plan() is None


# --- CLI ------------------------------------------------------------------------------


@pytest.fixture
def user_pack(loopready_home: Path) -> str:
    folder = loopready_home / "packs"
    folder.mkdir()
    data = PACK.model_dump(mode="json", exclude_defaults=True)
    (folder / "plan-test.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    return "plan-test"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


NEW = ("plan", "new", "--pack", "plan-test", "--today", "2026-10-01")


@pytest.mark.parametrize(("days", "lengths"), [(23, [7, 7, 7, 2]), (10, [3, 3, 3, 1])])
def test_cli_plan_new_json(user_pack: str, days: int, lengths: list[int]) -> None:
    first = (TODAY + timedelta(days=days)).isoformat()
    code, out, err = run(*NEW, "--first-round", first, "--tz", "Europe/London", "--json")
    assert code == 0, err
    plan = Plan.model_validate(json.loads(out))
    assert phase_lengths(plan) == lengths
    assert plan.tz == "Europe/London"
    assert load_plan() == plan


def test_cli_plan_new_human_output_and_show(user_pack: str) -> None:
    code, out, err = run(*NEW, "--first-round", "2026-10-11", "--tz", "Europe/London")
    assert code == 0, err
    assert "Prep plan for Tiny PM loop" in out
    assert "Research: 3 days instead of 7." in out
    code, out, _ = run("plan", "show", "--today", "2026-10-01")
    assert code == 0
    assert "Interview: Recruiter screen" in out and "18:00" in out
    code, out, _ = run("plan", "show", "--json", "--today", "2026-10-01")
    assert Plan.model_validate(json.loads(out)).id == load_plan().id  # type: ignore[union-attr]


def test_cli_done_skip_and_replace(user_pack: str) -> None:
    run(*NEW, "--first-round", "2026-10-24", "--tz", "UTC")
    first_id = load_plan().id  # type: ignore[union-attr]
    code, out, _ = run("plan", "done", "2026-10-01", "--today", "2026-10-01")
    assert (code, out.splitlines()[0]) == (0, "Thu 1 Oct 2026 marked done.")
    code, out, _ = run("plan", "skip", "tomorrow", "--today", "2026-10-01")
    assert code == 0 and "Fri 2 Oct 2026 marked skipped." in out and "moved:" in out
    plan = load_plan()
    assert plan is not None
    assert plan.days[0].status == "done" and plan.days[1].status == "skipped"
    # A new plan replaces the current one but keeps its id, so calendar events update.
    code, out, _ = run(*NEW, "--first-round", "2026-10-20", "--tz", "UTC")
    assert code == 0 and "replaces your previous plan" in out
    assert load_plan().id == first_id  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--first-round", "2026-09-30"),
            "Error: The first round (2026-09-30) is in the past: today is 2026-10-01. "
            "Give the date of an interview that is still ahead.",
        ),
        (
            ("--first-round", "2026-10-11", "--start", "2026-10-12"),
            "Error: The start date (2026-10-12) is after the first round (2026-10-11). "
            "Start on or before the day of the first round.",
        ),
        (
            ("--first-round", "11/10/2026"),
            "Error: --first-round: '11/10/2026' is not a date. Write it as YYYY-MM-DD, "
            "for example 2026-06-15.",
        ),
        (
            ("--first-round", "2026-10-11", "--tz", "London"),
            "Error: Unknown time zone 'London'. Use an IANA zone name such as "
            '"Europe/London", "America/New_York" or "Asia/Tokyo".',
        ),
        (
            (),
            "Error: Give the date of your first real round: --first-round YYYY-MM-DD "
            "(or --loop ID for a loop that has its dates).",
        ),
        (
            ("--first-round", "2026-10-11", "--mock-time", "6pm"),
            "Error: --mock-time: '6pm' is not a time. Write it as HH:MM (24-hour), e.g. 18:00.",
        ),
    ],
)
def test_cli_errors_are_one_clear_line(user_pack: str, args: tuple[str, ...], message: str) -> None:
    code, _, err = run(*NEW, *args)
    assert code == 2
    assert err.strip() == message
    assert load_plan() is None  # nothing half-written


def test_cli_without_a_plan() -> None:
    for command in (("plan", "show"), ("plan", "done", "today"), ("plan", "ics", "x.ics")):
        code, _, err = run(*command)
        assert code == 2
        assert err.strip() == (
            "Error: You have no prep plan yet. Make one with: "
            "loopready plan new --first-round YYYY-MM-DD"
        )


def test_cli_plan_from_a_stored_loop(user_pack: str) -> None:
    from loopready.store.engine import open_db
    from loopready.store.models import Loop

    with open_db() as db, db.session() as session:
        loop = Loop(
            user_id=db.user_id,
            pack_id="plan-test",
            title="Tiny Co, autumn",
            start_date=date(2026, 10, 20),
            round_dates={
                "recruiter_screen": "2026-10-20T15:30:00",
                "product_sense": "2026-10-23",
                "technical_depth": None,
            },
        )
        session.add(loop)
        session.flush()
        loop_id = loop.id
    code, out, err = run("plan", "new", "--loop", loop_id, "--today", "2026-10-01", "--json")
    assert code == 0, err
    plan = Plan.model_validate(json.loads(out))
    rounds = {r.round_id: r for r in plan.rounds}
    assert plan.first_round == date(2026, 10, 20)
    assert rounds["recruiter_screen"].at == time(15, 30)
    assert rounds["product_sense"].date == date(2026, 10, 23) and rounds["product_sense"].explicit
    code, _, err = run("plan", "new", "--loop", "nope", "--today", "2026-10-01")
    assert code == 2 and err.startswith("Error: There is no loop with id 'nope'.")


def test_the_sony_pack_plans_in_23_10_and_60_days() -> None:
    from loopready.packs import get_pack

    pack = get_pack("sony-ai-pm-2026")
    for days in (23, 10, 60):
        plan = build_plan(pack, TODAY, TODAY + timedelta(days=days), tz="Europe/London")
        assert sum(phase_lengths(plan)) == days
        assert [i.round_id for _, i in plan.mocks()] == [r.id for r in pack.rounds]
        assert bool(plan.cuts) == (days < 23)
