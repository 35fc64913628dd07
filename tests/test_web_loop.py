"""Web: setting up a loop, its timeline and its real dates."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from loopready.packs import get_pack
from loopready.store import Database, list_loops, open_db
from loopready.web import create_app
from loopready.web.testing import PageClient, seed_attempt


@pytest.fixture
def db(loopready_home: Path) -> Iterator[Database]:
    with open_db() as database:
        yield database


@pytest.fixture
def client(db: Database) -> Iterator[PageClient]:
    with PageClient(create_app(db)) as c:
        yield c


def _loop(db: Database):  # type: ignore[no-untyped-def]
    with db.read_session() as s:
        loops = list_loops(s, db.user_id)
        assert loops, "no loop was created"
        s.expunge_all()
        return loops[0]


def test_without_a_loop_the_page_offers_to_start_one(client: PageClient) -> None:
    page = client.page("/loop")
    assert page.status_code == 200
    assert "Start preparing" in page.text
    assert 'action="/loop"' in page.text


def test_start_with_the_first_interview_date(client: PageClient, db: Database) -> None:
    first = date.today() + timedelta(days=10)
    done = client.submit("/loop", {"pack_id": "sony-ai-pm-2026", "first_round": first.isoformat()})
    assert done.status_code == 303 and done.headers["location"] == "/loop"
    loop = _loop(db)
    assert loop.round_dates == {"recruiter_screen": first.isoformat()}
    assert loop.start_date == first
    page = client.page("/loop")
    # The five rounds in order on the timeline, the later ones estimated from the pack.
    names = ["Recruiter screen", "Product sense case", "Technical depth interview"]
    positions = [page.text.index(n) for n in names]
    assert positions == sorted(positions)
    assert "(estimated)" in page.text
    assert "Offer negotiation" in page.text  # outside the loop, still practisable


def test_start_without_a_date_estimates_from_the_prep_framework(
    client: PageClient, db: Database
) -> None:
    client.submit("/loop", {"pack_id": "sony-ai-pm-2026"})
    prep_days = sum(p.days for p in get_pack().prep.phases)
    assert _loop(db).start_date == date.today() + timedelta(days=prep_days)


def test_a_date_in_the_past_is_refused(client: PageClient, db: Database) -> None:
    page = client.submit("/loop", {"first_round": "2001-01-01"})
    assert page.status_code == 400
    assert "in the past" in page.text
    with db.read_session() as s:
        assert list_loops(s, db.user_id) == []


def test_saving_real_dates_and_times(client: PageClient, db: Database) -> None:
    client.submit("/loop", {})
    loop = _loop(db)
    d0 = date.today() + timedelta(days=5)
    d1 = d0 + timedelta(days=6)
    saved = client.submit(
        f"/loop/{loop.id}/dates",
        {
            "date_recruiter_screen": d0.isoformat(),
            "date_product_sense": d1.isoformat(),
            "time_product_sense": "14:30",
        },
    )
    assert saved.status_code == 303
    loop = _loop(db)
    assert loop.round_dates["recruiter_screen"] == d0.isoformat()
    assert loop.round_dates["product_sense"].startswith(f"{d1.isoformat()}T14:30")
    assert loop.round_dates["technical_depth"] is None
    page = client.page("/loop?saved=dates")
    assert "Dates saved." in page.text
    assert 'value="14:30"' in page.text


def test_dates_out_of_order_are_refused(client: PageClient, db: Database) -> None:
    client.submit("/loop", {})
    loop = _loop(db)
    later = date.today() + timedelta(days=9)
    page = client.submit(
        f"/loop/{loop.id}/dates",
        {
            "date_recruiter_screen": later.isoformat(),
            "date_product_sense": (later - timedelta(days=2)).isoformat(),
        },
    )
    assert page.status_code == 400
    assert "in the loop&#39;s order" in page.text
    assert _loop(db).round_dates == {}


def test_bad_date_text_is_explained(client: PageClient, db: Database) -> None:
    client.submit("/loop", {})
    page = client.submit(f"/loop/{_loop(db).id}/dates", {"date_recruiter_screen": "next tuesday"})
    assert page.status_code == 400
    assert "should be a date like 2026-03-01" in page.text


def test_someone_elses_loop_is_not_found(client: PageClient) -> None:
    page = client.submit("/loop/00000000-0000-0000-0000-000000000000/dates", {})
    assert page.status_code == 404


def test_timeline_shows_status_and_links_reports(client: PageClient, db: Database) -> None:
    client.submit("/loop", {})
    loop = _loop(db)
    pack = get_pack()
    good = seed_attempt(
        db, pack, "recruiter_screen", "I shipped two AI products.", score=81, loop_id=loop.id
    )
    weak = seed_attempt(db, pack, "product_sense", "We build it.", score=31, loop_id=loop.id)
    page = client.page("/loop")
    assert f'href="/reports/{good}"' in page.text
    assert f'href="/reports/{weak}"' in page.text
    assert "at the bar (81)" in page.text
    assert "below the bar (31 of 55)" in page.text
    assert page.text.count("not practised yet") == 4  # three loop rounds and negotiation
