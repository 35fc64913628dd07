"""Web: the prep plan (make, view, mark days, calendar file) and the research worksheet."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from loopready.interview.loops import new_loop
from loopready.packs import get_pack
from loopready.planning import storage
from loopready.planning.model import Plan
from loopready.prep import research_items
from loopready.store import Database, open_db
from loopready.store import Plan as PlanRow
from loopready.web import create_app
from loopready.web.testing import PageClient

ZONE = "Europe/London"


@pytest.fixture
def db(loopready_home: Path) -> Iterator[Database]:
    with open_db() as database:
        yield database


@pytest.fixture
def client(db: Database) -> Iterator[PageClient]:
    with PageClient(create_app(db)) as c:
        yield c


def _today() -> date:
    return datetime.now(ZoneInfo(ZONE)).date()


def _make(client: PageClient, days: int = 12, **extra: str) -> None:
    first = (_today() + timedelta(days=days)).isoformat()
    done = client.submit("/plan", {"first_round": first, "tz": ZONE, **extra})
    assert done.status_code == 303, done.text
    assert done.headers["location"].startswith("/plan")


def _plan(db: Database) -> Plan:
    plan = storage.load_plan(db=db)
    assert plan is not None
    return plan


def test_without_a_plan_the_page_offers_the_form(client: PageClient) -> None:
    page = client.page("/plan")
    assert page.status_code == 200
    assert 'action="/plan"' in page.text
    assert 'name="first_round"' in page.text
    # The zone list defaults to UTC and lets the page script pick the browser's zone.
    assert re.search(r'<select id="plan-tz" name="tz" data-browser-tz="1"', page.text)
    assert '<option value="UTC" selected>' in page.text
    assert '<option value="Europe/London">' in page.text
    assert 'href="/plan" aria-current="page"' in page.text  # the main navigation


def test_making_a_plan_shows_the_days_with_today_highlighted(
    client: PageClient, db: Database
) -> None:
    _make(client, days=12)
    plan = _plan(db)
    assert plan.tz == ZONE and plan.first_round == _today() + timedelta(days=12)
    page = client.page("/plan?made=1")
    assert "Your plan is ready" in page.text
    today = re.search(
        r'<li class="day[^"]*is-today[^"]*" id="today"[^>]*aria-current="date"', page.text
    )
    assert today, "today's row is not marked"
    # 12 days are fewer than the framework's 23: the cuts are shown.
    assert "What had to give" in page.text
    for cut in plan.cuts:
        assert cut.split(":")[0] in page.text
    for rnd in plan.rounds:
        assert rnd.name in page.text
    assert 'href="/plan.ics"' in page.text
    # Every planned day with work has its Done and Skip buttons.
    work_days = [d for d in plan.days if d.items]
    assert page.text.count('name="status" value="done"') >= len(work_days)


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"first_round": "2001-01-01"}, "is in the past"),
        ({"first_round": "15/06/2030"}, "is not a date"),
        ({"first_round": ""}, "Give the date of your first real interview"),
        ({"tz": "Mars/Olympus"}, "Unknown time zone"),
        ({"start": "+20"}, "is not a date"),
    ],
)
def test_bad_input_keeps_the_form_and_stores_nothing(
    client: PageClient, db: Database, form: dict[str, str], message: str
) -> None:
    data = {"first_round": (_today() + timedelta(days=9)).isoformat(), "tz": ZONE, **form}
    page = client.submit("/plan", data)
    assert page.status_code == 422
    assert page.headers["x-form-errors"] == "1"
    assert message in page.text
    assert f'value="{data["first_round"]}"' in page.text or not data["first_round"]
    assert 'aria-invalid="true"' in page.text
    assert storage.load_plan(db=db) is None


def test_start_after_the_first_round_is_refused(client: PageClient, db: Database) -> None:
    first = _today() + timedelta(days=5)
    page = client.submit(
        "/plan",
        {"first_round": first.isoformat(), "start": (first + timedelta(days=1)).isoformat()},
    )
    assert page.status_code == 422
    assert "after the first round" in page.text
    assert 'id="plan-start"' in page.text and 'aria-invalid="true"' in page.text


def test_marking_a_day_done_skipped_and_back(client: PageClient, db: Database) -> None:
    _make(client, days=10)
    today = _today().isoformat()
    client.page("/plan")
    done = client.htmx(f"/plan/day/{today}", {"status": "done"})
    assert done.status_code == 200
    assert done.text.lstrip().startswith('<div id="plan-body"')  # the fragment, not a page
    assert "<html" not in done.text
    assert 'id="plan-fit" class="plan-fit" hx-swap-oob="true"' in done.text
    assert _plan(db).day(_today()).status == "done"  # type: ignore[union-attr]
    assert "1 day done" in done.text
    undo = client.htmx(f"/plan/day/{today}", {"status": "planned"})
    assert undo.status_code == 200
    assert _plan(db).day(_today()).status == "planned"  # type: ignore[union-attr]

    # Skipping a day moves its work to the days left.
    before = {i.key for i in _plan(db).day(_today()).items}  # type: ignore[union-attr]
    assert before
    skipped = client.htmx(f"/plan/day/{today}", {"status": "skipped"})
    plan = _plan(db)
    day = plan.day(_today())
    assert day is not None and day.status == "skipped" and not day.items
    moved = {i.key for d, i in plan.items() if d.date > _today()}
    assert before <= moved
    assert "of this day's work moved to later days" in skipped.text


def test_marking_without_javascript_redirects_to_the_day(client: PageClient, db: Database) -> None:
    _make(client)
    day = (_today() + timedelta(days=1)).isoformat()
    done = client.submit(f"/plan/day/{day}", {"status": "done"})
    assert done.status_code == 303
    assert done.headers["location"] == f"/plan#day-{day}"


def test_marks_need_the_csrf_token_and_a_real_status(client: PageClient, db: Database) -> None:
    _make(client)
    today = _today().isoformat()
    refused = client.post(f"/plan/day/{today}", data={"status": "done"})
    assert refused.status_code == 403
    assert _plan(db).day(_today()).status == "planned"  # type: ignore[union-attr]
    bad = client.submit(f"/plan/day/{today}", {"status": "finished"})
    assert bad.status_code == 400
    outside = client.submit("/plan/day/2001-01-01", {"status": "done"})
    assert outside.status_code == 400
    assert "is not a day of this plan" in outside.text


def test_calendar_download(client: PageClient, db: Database) -> None:
    import icalendar

    _make(client, days=14)
    ics = client.get("/plan.ics")
    assert ics.status_code == 200
    assert ics.headers["content-type"].startswith("text/calendar")
    disposition = ics.headers["content-disposition"]
    assert disposition.startswith("attachment;") and '.ics"' in disposition
    calendar = icalendar.Calendar.from_ical(ics.content)
    events = [c for c in calendar.walk("VEVENT")]
    plan = _plan(db)
    assert len(events) == sum(1 for _ in plan.items()) + len(plan.rounds)
    assert client.get("/plan.ics").content == ics.content  # stable bytes, stable UIDs


def test_calendar_without_a_plan_says_what_to_do(client: PageClient) -> None:
    page = client.get("/plan.ics")
    assert page.status_code == 400
    assert "make one on the Plan page" in page.text


def test_a_new_plan_keeps_the_identity_of_the_old(client: PageClient, db: Database) -> None:
    _make(client, days=12)
    first = _plan(db)
    _make(client, days=20)
    second = _plan(db)
    assert second.id == first.id and second.first_round != first.first_round
    with db.read_session() as s:
        assert s.query(PlanRow).count() == 1


def test_the_loops_real_round_dates_are_used(client: PageClient, db: Database) -> None:
    pack = get_pack()
    first = _today() + timedelta(days=10)
    later = first + timedelta(days=9)
    new_loop(
        db,
        pack,
        start=first,
        round_dates={"recruiter_screen": first.isoformat(), "product_sense": later.isoformat()},
        title="My loop",
    )
    page = client.page("/plan")
    assert f'value="{first.isoformat()}"' in page.text  # the form starts from the loop's date
    _make(client, days=10)
    rounds = {r.round_id: r for r in _plan(db).rounds}
    assert rounds["product_sense"].date == later and rounds["product_sense"].explicit


def test_a_damaged_plan_is_set_aside_not_lost(
    client: PageClient, db: Database, loopready_home: Path
) -> None:
    _make(client)
    with db.session() as s:
        row = s.query(PlanRow).one()
        row.plan = {**row.plan, "days": "not a list"}
    page = client.page("/plan")
    assert page.status_code == 200
    assert "Your stored plan cannot be read" in page.text
    done = client.submit("/plan/set-aside", {})
    assert done.status_code == 303
    assert list(loopready_home.glob("plan.damaged-*.json"))
    assert "When is your first interview?" in client.page("/plan").text


# -- research worksheet ---------------------------------------------------------------------


def test_research_lists_every_launch_with_metrics_to_consider(client: PageClient) -> None:
    page = client.page("/research")
    assert page.status_code == 200
    pack = get_pack()
    for launch in pack.launches:
        assert f'id="launch-{launch.id}"' in page.text
        for metric in launch.candidate_metrics:
            assert f'data-value="{metric}"' in page.text
    assert f"<strong>0 of {len(pack.launches)}</strong>" in page.text
    assert '<a href="/research" aria-current="page">Research</a>' in page.text  # its own entry
    assert 'href="/plan" aria-current' not in page.text


def test_research_saves_inline_and_flags_a_metric_without_a_reason(
    client: PageClient, db: Database
) -> None:
    client.page("/research")
    saved = client.htmx(
        "/research/xperia_camera_ai",
        {"metric": "Share of photos kept", "why": "", "action": "save"},
    )
    assert saved.status_code == 200
    assert saved.text.lstrip().startswith('<article class="card research-card"')
    assert "Saved " in saved.text and "Say why" in saved.text
    assert "A metric without a reason is only half an answer" in saved.text
    items = {i.launch.id: i for i in research_items(db, get_pack())}
    assert items["xperia_camera_ai"].metric == "Share of photos kept"

    why = client.htmx(
        "/research/xperia_camera_ai",
        {"metric": "Share of photos kept", "why": "Kept photos mean the AI helped."},
    )
    assert ">Done</span>" in why.text
    page = client.page("/research")
    assert "<strong>1 of 3</strong>" in page.text

    cleared = client.submit("/research/xperia_camera_ai", {"action": "clear"})
    assert cleared.status_code == 303 and cleared.headers["location"].endswith(
        "#launch-xperia_camera_ai"
    )
    items = {i.launch.id: i for i in research_items(db, get_pack())}
    assert not items["xperia_camera_ai"].metric


def test_research_errors_keep_what_was_typed(client: PageClient, db: Database) -> None:
    client.page("/research")
    long_text = "x" * 2_500
    page = client.htmx("/research/xperia_camera_ai", {"metric": "Kept photos", "why": long_text})
    assert page.status_code == 422
    assert page.headers["x-form-errors"] == "1"
    assert "keep it under 2,000" in page.text
    assert long_text in page.text and 'value="Kept photos"' in page.text
    plain = client.submit("/research/xperia_camera_ai", {"metric": "", "why": ""})
    assert plain.status_code == 422 and "<html" in plain.text  # the whole page, error inline
    assert "Write the metric you would lead with" in plain.text
    assert not research_items(db, get_pack())[1].metric
    unknown = client.submit("/research/nope", {"metric": "x"})
    assert unknown.status_code == 404


def test_research_text_is_escaped(client: PageClient) -> None:
    client.page("/research")
    client.htmx("/research/xperia_camera_ai", {"metric": "<script>alert(1)</script>", "why": "<b>"})
    page = client.page("/research")
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
