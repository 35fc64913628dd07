"""Web: the dashboard (countdown, today's prep, scores, chart, what to practise next)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from fsrs import Rating
from markupsafe import escape

from loopready.packs import get_pack
from loopready.prep import due_cards, due_counts, review
from loopready.store import Database, list_loops, open_db
from loopready.web import create_app
from loopready.web.chart import Point, Series, score_chart
from loopready.web.testing import PageClient, seed_attempt


@pytest.fixture
def db(loopready_home: Path) -> Iterator[Database]:
    with open_db() as database:
        yield database


@pytest.fixture
def client(db: Database) -> Iterator[PageClient]:
    with PageClient(create_app(db)) as c:
        yield c


def _start_loop(client: PageClient, db: Database, first: date | None = None) -> str:
    form = {"first_round": first.isoformat()} if first else {}
    assert client.submit("/loop", form).status_code == 303
    with db.read_session() as s:
        loop_id: str = list_loops(s, db.user_id)[0].id
    return loop_id


def test_first_visit_welcomes_and_offers_to_set_up_a_loop(client: PageClient) -> None:
    page = client.page("/")
    assert page.status_code == 200
    assert "Get ready for your Sony AI loop" in page.text
    assert 'action="/loop"' in page.text
    assert 'href="/practice"' in page.text
    assert '<svg class="chart"' not in page.text  # no empty chart, a sentence instead
    assert "after your first graded attempt" in page.text


def test_days_until_each_real_round(client: PageClient, db: Database) -> None:
    first = date.today() + timedelta(days=9)
    _start_loop(client, db, first)
    page = client.page("/")
    block = page.text[page.text.index("Days until each real round") :]
    days = [int(d) for d in re.findall(r'<div class="days">(\d+)</div>', block)]
    offsets = [r.day for r in get_pack().rounds]
    assert days == [9 + o for o in offsets]
    assert "(estimated)" in block


def test_never_practised_round_comes_first(client: PageClient, db: Database) -> None:
    loop_id = _start_loop(client, db, date.today() + timedelta(days=3))
    seed_attempt(db, get_pack(), "recruiter_screen", "I shipped things.", score=20, loop_id=loop_id)
    page = client.page("/")
    assert "Practise next: Product sense case" in page.text
    assert "You have not practised the product sense case yet and it is in 10 days." in page.text


def test_then_the_lowest_scoring_round_with_its_weakest_criterion(
    client: PageClient, db: Database
) -> None:
    loop_id = _start_loop(client, db)
    pack = get_pack()
    for rnd in pack.rounds:
        seed_attempt(db, pack, rnd.id, "An answer.", score=75, loop_id=loop_id)
    seed_attempt(
        db,
        pack,
        "technical_depth",
        "Another answer.",
        score=42,
        loop_id=loop_id,
        criterion_scores={
            "pipeline_fluency": 3,
            "drift_detection": 1,
            "decision_loop": 2,
            "experimentation": 3,
            "impact_focus": 2,
        },
    )
    page = client.page("/")
    assert "Practise next: Technical depth interview" in page.text
    assert "42 last time, below the bar of 55" in page.text
    drift = next(
        c for c in pack.round("technical_depth").rubric.criteria if c.id == "drift_detection"
    )
    assert f"Weakest there: {drift.name} (1/4)." in page.text


def test_latest_best_and_change_per_round(client: PageClient, db: Database) -> None:
    loop_id = _start_loop(client, db)
    pack = get_pack()
    first = seed_attempt(db, pack, "product_sense", "One.", score=48, loop_id=loop_id)
    best = seed_attempt(db, pack, "product_sense", "Two.", score=77, loop_id=loop_id)
    latest = seed_attempt(db, pack, "product_sense", "Three.", score=66, loop_id=loop_id)
    page = client.page("/")
    table = page.text[page.text.index("Scores by round") :]
    row = table[table.index("<strong>Product sense case</strong>") :]
    row = row[: row.index("</tr>")]
    assert f'href="/reports/{latest}">66</a>' in row
    assert f'href="/reports/{best}">77</a>' in row
    assert "-11" in row
    assert first not in row
    assert ">3</td>" in row


def test_chart_draws_one_line_per_round_and_the_bar(client: PageClient, db: Database) -> None:
    loop_id = _start_loop(client, db)
    pack = get_pack()
    for score in (40, 55, 70):
        seed_attempt(db, pack, "product_sense", "x", score=score, loop_id=loop_id)
    seed_attempt(db, pack, "recruiter_screen", "x", score=60, loop_id=loop_id)
    page = client.page("/")
    start = page.text.index('<svg class="chart"')
    svg = page.text[start : page.text.index("</svg>", start)]
    assert svg.count("<polyline") == 1  # product sense: three points; recruiter: one
    assert svg.count("<circle") == 4
    assert "bar 55" in svg
    assert "Product sense case: 3 attempts, latest 70" in svg
    assert "Show the scores as a table" in page.text


def test_todays_prep_follows_the_pack_framework(client: PageClient, db: Database) -> None:
    pack = get_pack()
    total = sum(p.days for p in pack.prep.phases)
    _start_loop(client, db, date.today() + timedelta(days=total))  # prep starts today
    page = client.page("/")
    first_task = pack.prep.phases[0].tasks[0]
    assert str(escape(first_task.split(",")[0])) in page.text
    assert "From the pack&#39;s prep framework." in page.text
    # Without a saved plan, the items lead to the page that makes one.
    today = _card(page.text, "today-h")
    assert f'<a href="/plan">{escape(first_task)}</a>' in today
    assert '<a href="/plan">Make a day-by-day plan</a>' in today


def test_todays_prep_uses_a_saved_plan(client: PageClient, db: Database) -> None:
    from loopready.planning import build_plan
    from loopready.planning.storage import save_plan

    pack = get_pack()
    first = date.today() + timedelta(days=20)
    _start_loop(client, db, first)
    plan = build_plan(pack, date.today(), first)
    save_plan(plan)
    today = plan.day(date.today())
    assert today is not None and today.items
    page = client.page("/")
    assert "From your saved plan." in page.text
    assert str(escape(today.items[0].title)) in page.text
    # Each item leads to today on the plan (where it is ticked off), a mock to its round.
    card = _card(page.text, "today-h")
    for item in today.items:
        where = f"/practice?round={item.round_id}" if item.round_id else "/plan#today"
        assert f'<a href="{escape(where)}">{escape(item.title)}</a>' in card
    assert '<a href="/plan#today">Mark today done or skip it</a>' in card
    assert 'id="today"' in client.page("/plan").text  # the anchor the links land on


def _card(html: str, heading_id: str) -> str:
    """The dashboard card whose heading has *heading_id*."""
    start = html.rindex("<section", 0, html.index(f'id="{heading_id}"'))
    return html[start : html.index("</section>", start)]


def _due(card: str) -> int:
    found = re.search(r'<span class="due-n">(\d+)</span>', card)
    assert found, card
    return int(found.group(1))


def test_drill_widget_counts_the_due_cards_and_links_to_the_drills(
    client: PageClient, db: Database
) -> None:
    _start_loop(client, db)
    pack = get_pack()
    now = datetime.now().astimezone()
    before = due_counts(db, now, pack=pack)
    assert before.due > 2 and before.reviews == 0
    card = _card(client.page("/").text, "drills-h")
    assert _due(card) == before.due
    assert "All questions you have not drilled yet." in card
    assert '<a class="btn" href="/drills">Drill them now</a>' in card
    # A card rated now comes back later today; the widget follows.
    first, second = due_cards(db, now, pack=pack)[:2]
    review(db, first.id, Rating.Good, now)
    card = _card(client.page("/").text, "drills-h")
    assert _due(card) == due_counts(db, now, pack=pack).due == before.due - 1
    assert "1 more comes back later today." in card
    # One rated yesterday is due again now: a review.
    review(db, second.id, Rating.Good, now - timedelta(days=1))
    after = due_counts(db, now, pack=pack)
    assert after.reviews == 1
    card = _card(client.page("/").text, "drills-h")
    assert _due(card) == after.due
    assert f"1 review and {after.new} new; 1 more comes back later today." in card


def test_drill_widget_with_nothing_due_says_when_the_next_card_comes(
    client: PageClient, db: Database
) -> None:
    pack = get_pack()
    now = datetime.now().astimezone()
    for card in due_cards(db, now, pack=pack):
        review(db, card.id, Rating.Easy, now)
    page = client.page("/")  # no loop yet: the widget sits under the welcome
    assert "Get ready for your Sony AI loop" in page.text
    card = _card(page.text, "drills-h")
    assert _due(card) == 0
    assert "The next card comes back" in card
    assert '<a class="btn btn-secondary" href="/drills">Open the drills</a>' in card


def test_chart_escapes_labels_and_handles_one_attempt() -> None:
    svg = str(score_chart([Series("<b>x</b>", "#000", [Point(1, 50.0, "<i>")])], bar=55))
    assert "<b>" not in svg and "&lt;b&gt;" in svg
    assert "<polyline" not in svg and svg.count("<circle") == 1
    empty = str(score_chart([]))
    assert "after your first graded attempt" in empty


def test_chart_stays_light_with_many_attempts() -> None:
    points = [Point(i, float(i % 100)) for i in range(1, 1001)]
    svg = str(score_chart([Series("Round", "#123456", points)]))
    assert svg.count("<circle") == 0  # too many dots to draw one by one
    assert svg.count("<polyline") == 1
    assert len(svg) < 40_000


def test_single_attempt_dots_do_not_overlap() -> None:
    import itertools
    import re

    rounds = [
        Series("Recruiter screen", "#111", [Point(1, 62.0)]),
        Series("Product sense", "#222", [Point(1, 63.0)]),
        Series("Technical depth", "#333", [Point(1, 61.0)]),
        Series("Stakeholders", "#444", [Point(1, 80.0)]),
        Series("Committee", "#555", [Point(1, 40.0), Point(2, 45.0)]),
    ]
    svg = str(score_chart(rounds, bar=55))
    dots = [
        (float(cx), float(cy), float(r))
        for cx, cy, r in re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="([\d.]+)"', svg)
    ]
    assert len(dots) == 6
    for (x1, y1, r1), (x2, y2, r2) in itertools.combinations(dots, 2):
        assert ((x1 - x2) ** 2 + (y1 - y2) ** 2) ** 0.5 >= r1 + r2, (x1, y1, x2, y2)
    # A lone dot keeps its place.
    lone = [d for d in dots if abs(d[1] - dots[0][1]) > 20]
    assert lone
