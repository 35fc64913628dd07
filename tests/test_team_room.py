"""The live-mock room page served in the event loop (the live pool) is the page the thread's
path serves, with the same sign-in rules and the same refusals."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from loopready.store import Database, open_db
from loopready.store import team_repo as repo
from loopready.team import accounts, auth, coaching, live
from loopready.team.accounts import Person
from loopready.web.app import create_app
from loopready.web.team import routes
from loopready.web.testing import PageClient

pytest_plugins = ["fixtures_db"]
pytestmark = pytest.mark.postgres

SECRET = "s" * 48
PASSWORD = "correct horse battery"


@pytest.fixture
def pgdb(pg_module_databases: Any) -> Iterator[Database]:
    from fixtures_db import _emptied

    url = _emptied(pg_module_databases.url("room"))
    with open_db(url) as db:
        yield db


@pytest.fixture
def app(pgdb: Database) -> Any:
    return create_app(pgdb, team=True, secret=SECRET)


@pytest.fixture
def fast(app: Any) -> Iterator[PageClient]:
    """A client whose requests run in the app's own event loop (lifespan started), where
    the live pool serves the room page."""
    with PageClient(app) as client:
        yield client


def _refuse_the_thread_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on a room page served by the thread's path fails the test."""

    def refused(*_args: Any) -> Any:
        raise AssertionError("the room page went through the thread's path")

    monkeypatch.setattr(routes, "_room", refused)


def _slow(app: Any, cookies: dict[str, str]) -> PageClient:
    """A client in a loop of its own: no live pool there, the thread's path serves."""
    return PageClient(app, cookies=cookies)


def _mock(db: Database, *, joined: bool = True) -> tuple[str, Person, Person]:
    cand = accounts.create_account(db, "cand@example.org", PASSWORD)
    peer = accounts.create_account(db, "peer@example.org", PASSWORD)
    started = live.start(db, cand, SECRET, "sony-ai-pm-2026", "product_sense")
    if joined:
        live.join(db, peer, SECRET, started.token)
    return started.mock.id, cand, peer


def _cookies(db: Database, who: Person) -> dict[str, str]:
    return {auth.COOKIE: auth.sign_in(db, who), "lr_csrf": "c" * 40}


def _page(client: PageClient, path: str, cookies: dict[str, str]) -> Any:
    client.cookies.clear()
    for name, value in cookies.items():
        client.cookies.set(name, value)
    return client.get(path)


def test_both_paths_serve_the_same_pages(
    app: Any, pgdb: Database, fast: PageClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    mock_id, cand, peer = _mock(pgdb)
    live.apply(pgdb, cand, mock_id, {"action": "type", "text": "I would <b>start</b> here"})
    criterion = live.guide(live.mocks_of(pgdb, cand)[0])["criteria"][0]["id"]
    live.apply(pgdb, peer, mock_id, {"action": "score", "criterion": criterion, "score": 3})
    flag = live.guide(live.mocks_of(pgdb, cand)[0])["red_flags"][0]["name"]
    live.apply(pgdb, peer, mock_id, {"action": "flag", "flag": flag})
    people = [(who, _cookies(pgdb, who)) for who in (cand, peer)]
    expected = [_page(_slow(app, c), f"/live/{mock_id}", c) for _, c in people]
    _refuse_the_thread_path(monkeypatch)
    for (who, cookies), slow in zip(people, expected, strict=True):
        served = _page(fast, f"/live/{mock_id}", cookies)
        assert served.status_code == slow.status_code == 200
        assert served.text == slow.text
        assert who.email in served.text  # the layout's signed-in person
        assert "I would &lt;b&gt;start&lt;/b&gt; here" in served.text
    assert "Scorecard" in served.text  # the last page was the interviewer's


def test_the_invitation_link_shows_until_the_peer_joins(
    app: Any, pgdb: Database, fast: PageClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    mock_id, cand, _ = _mock(pgdb, joined=False)
    cookies = _cookies(pgdb, cand)
    expected = _page(_slow(app, cookies), f"/live/{mock_id}?invite=abc.def", cookies)
    _refuse_the_thread_path(monkeypatch)
    served = _page(fast, f"/live/{mock_id}?invite=abc.def", cookies)
    assert "/join/abc.def" in served.text
    assert served.text == expected.text


def test_who_is_let_in(
    app: Any, pgdb: Database, fast: PageClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    mock_id, cand, _ = _mock(pgdb)
    _refuse_the_thread_path(monkeypatch)
    path = f"/live/{mock_id}"
    # Not signed in, or with a token nobody has: to the sign-in page, back here after.
    for cookies in ({}, {auth.COOKIE: "not-a-token"}):
        response = _page(fast, path, cookies)
        assert response.status_code == 303
        assert response.headers["location"] == f"/login?next={path}"
    # A stranger: not found, as any page of someone else's.
    stranger = accounts.create_account(pgdb, "who@example.org", PASSWORD)
    assert _page(fast, path, _cookies(pgdb, stranger)).status_code == 404
    # A coach the candidate invited reads the report instead; once removed, nothing.
    coach = accounts.create_account(pgdb, "coach@example.org", PASSWORD, "coach")
    coaching.add_coach(pgdb, cand, coach.email)
    coach_cookies = _cookies(pgdb, coach)
    response = _page(fast, path, coach_cookies)
    assert response.status_code == 303
    assert response.headers["location"] == f"{path}/report"
    coaching.remove_coach(pgdb, cand, coach.user_id)
    assert _page(fast, path, coach_cookies).status_code == 404


def test_an_old_sign_in_ends_and_a_used_one_is_kept_alive(
    app: Any, pgdb: Database, fast: PageClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    mock_id, cand, _ = _mock(pgdb)
    _refuse_the_thread_path(monkeypatch)
    idle, used = _cookies(pgdb, cand), _cookies(pgdb, cand)
    now = auth.utcnow()
    with pgdb.session() as session:
        old = repo.auth_session(session, auth.digest(idle[auth.COOKIE]))
        assert old is not None
        old.last_seen_at = now - auth.IDLE - timedelta(minutes=1)
        recent = repo.auth_session(session, auth.digest(used[auth.COOKIE]))
        assert recent is not None
        recent.last_seen_at = now - timedelta(hours=1)
    assert _page(fast, f"/live/{mock_id}", idle).status_code == 303
    assert _page(fast, f"/live/{mock_id}", used).status_code == 200
    with pgdb.read_session() as session:
        assert repo.auth_session(session, auth.digest(idle[auth.COOKIE])) is None  # ended
        kept = repo.auth_session(session, auth.digest(used[auth.COOKIE]))
        assert kept is not None and kept.last_seen_at >= now  # its use recorded
