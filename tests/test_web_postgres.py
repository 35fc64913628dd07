"""Web on PostgreSQL: the pages that query most, against a real server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

import pg
from loopready.interview.loops import new_loop
from loopready.packs import get_pack
from loopready.store import Database, open_db
from loopready.store.types import utcnow
from loopready.web import create_app
from loopready.web.testing import PageClient, seed_attempt

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    with pg.fresh_database(pg.server_url()) as url:
        yield url


@pytest.fixture
def db(pg_url: str) -> Iterator[Database]:
    with open_db(pg_url) as database:
        yield database


def test_pages_render_on_postgresql(db: Database) -> None:
    pack = get_pack()
    loop = new_loop(db, pack, title="PG loop")
    start = utcnow() - timedelta(days=3)
    ids = [
        seed_attempt(
            db,
            pack,
            "product_sense",
            f"<b>Answer</b> {i}. We ship to 5% of users.",
            score=40 + 10 * i,
            loop_id=loop.id,
            started_at=start + timedelta(hours=i),
            evidence={"rollout_plan": ["We ship to 5% of users."]},
        )
        for i in range(3)
    ]
    with PageClient(create_app(db)) as client:
        dashboard = client.page("/")
        assert dashboard.status_code == 200
        assert f'href="/reports/{ids[-1]}">60</a>' in dashboard.text
        assert "<polyline" in dashboard.text
        report = client.page(f"/reports/{ids[-1]}")
        assert report.status_code == 200
        assert "Up 10 points since your previous attempt" in report.text
        assert "&lt;b&gt;Answer&lt;/b&gt;" in report.text and "<mark " in report.text
        for path in ("/loop", "/reports", "/practice", "/settings", "/debrief"):
            assert client.page(path).status_code == 200, path
        settings = client.page("/settings")
        assert ":***@" in settings.text  # the password is masked
        assert "loopready:loopready@" not in settings.text
