"""Team mode: the coach's read-only view of a candidate's loops, reports, debriefs and stories.

Every route of the view is found from its router and tried with the candidate, an invited
coach, a coach before being invited and after being removed, and another candidate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.routing import APIRoute

from loopready.interview.debrief import build_debrief
from loopready.interview.loops import new_loop
from loopready.packs import get_pack
from loopready.prep import create_story
from loopready.store import Database
from loopready.team import accounts
from loopready.web.testing import PageClient, seed_attempt
from test_team_web import ORIGIN, _act, app, join, lifespan, person, pgdb, start_mock  # noqa: F401  (fixtures)

pytest_plugins = ["fixtures_db"]
pytestmark = pytest.mark.postgres

SECRET_ANSWER = "At Spotify I led 8 engineers and we lifted retention by 12% in 2023."
SECRET_STORY = "The retention turnaround nobody else saw"


@dataclass
class Practice:
    """One candidate's seeded practice: what the routes name."""

    user_id: str
    session_id: str
    debrief_id: str
    story_id: str


def seed_practice(db: Database, email: str, answer: str, story: str) -> Practice:
    """A candidate's loop with a graded mock, a debrief and a story, stored as theirs."""
    found = accounts.find(db, email)
    assert found is not None
    theirs = Database(db.engine, found.user_id, email)
    pack = get_pack()
    loop = new_loop(theirs, pack, title="Sony loop")
    session_id = seed_attempt(theirs, pack, "recruiter_screen", answer, score=72, loop_id=loop.id)
    packet = build_debrief(theirs, loop.id, save=True)
    assert packet.debrief_id is not None
    made = create_story(theirs, title=story, situation="A churn crisis", result="Retention +12%")
    return Practice(found.user_id, session_id, packet.debrief_id, made.id)


def view_paths(p: Practice) -> list[tuple[str, str]]:
    """(method, path) of every route of the coach's view, for the practice *p*."""
    from loopready.web.team import practice

    values = {
        "{candidate_id}": p.user_id,
        "{session_id}": p.session_id,
        "{debrief_id}": p.debrief_id,
    }
    found = []
    for route in practice.router.routes:
        assert isinstance(route, APIRoute)
        if "{candidate_id}" not in route.path:
            continue  # /export: the signed-in person's own data (tests/test_team_transfer.py)
        path = route.path
        for name, value in values.items():
            path = path.replace(name, value)
        assert "{" not in path, route.path
        found.extend((method, path) for method in sorted(route.methods or ()))
    assert len(found) >= 5, found
    return found


def call(client: PageClient, method: str, path: str) -> Any:
    if method == "GET":
        return client.get(path)
    return client.post(
        path,
        data={"csrf_token": client.ensure_token(), "text": "Lead with the metric"},
        headers={"X-CSRF-Token": client.ensure_token()},
    )


@pytest.fixture
def cast(app: Any, pgdb: Database) -> dict[str, Any]:  # noqa: F811
    candidate = person(app, pgdb, "cand@example.org")
    coach = person(app, pgdb, "coach@example.org", role="coach")
    other = person(app, pgdb, "other@example.org")
    for client in (candidate, coach, other):
        client.page("/")
    return {
        "candidate": candidate,
        "coach": coach,
        "other": other,
        "mine": seed_practice(pgdb, "cand@example.org", SECRET_ANSWER, SECRET_STORY),
        "theirs": seed_practice(
            pgdb, "other@example.org", "Other person's private answer", "Other's story"
        ),
    }


def _allowed(response: Any) -> bool:
    return response.status_code in (200, 303)


def test_every_route_refuses_until_invited_and_after_removal(
    cast: dict[str, Any],
    pgdb: Database,  # noqa: F811
) -> None:
    candidate, coach, other = cast["candidate"], cast["coach"], cast["other"]
    paths = view_paths(cast["mine"])
    # Before the candidate invites them, the coach is a stranger; so is another candidate.
    for client in (coach, other):
        for method, path in paths:
            response = call(client, method, path)
            assert response.status_code == 404, (method, path, response.status_code)
            assert SECRET_ANSWER not in response.text and SECRET_STORY not in response.text
    # The candidate reads their own practice.
    for method, path in paths:
        assert _allowed(call(candidate, method, path)), (method, path)
    candidate.submit("/coaches", {"email": "coach@example.org"})
    for method, path in paths:
        assert _allowed(call(coach, method, path)), (method, path)
    found = accounts.find(pgdb, "coach@example.org")
    assert found is not None
    candidate.submit(f"/coaches/{found.user_id}/remove")
    for method, path in paths:
        response = call(coach, method, path)
        assert response.status_code == 404, (method, path, response.status_code)
        assert SECRET_ANSWER not in response.text and SECRET_STORY not in response.text


def test_a_coach_reads_the_candidates_practice_and_comments(cast: dict[str, Any]) -> None:
    candidate, coach, mine = cast["candidate"], cast["coach"], cast["mine"]
    candidate.submit("/coaches", {"email": "coach@example.org"})
    dashboard = coach.page("/coach").text
    assert f'href="/candidates/{mine.user_id}"' in dashboard
    overview = coach.page(f"/candidates/{mine.user_id}").text
    assert "Sony loop" in overview
    assert f"/candidates/{mine.user_id}/reports/{mine.session_id}" in overview
    assert f"/candidates/{mine.user_id}/debriefs/{mine.debrief_id}" in overview
    assert SECRET_STORY in overview
    report = coach.page(f"/candidates/{mine.user_id}/reports/{mine.session_id}")
    assert report.status_code == 200
    assert "retention by 12%" in report.text
    debrief = coach.page(f"/candidates/{mine.user_id}/debriefs/{mine.debrief_id}").text
    assert 'id="decision"' in debrief
    stories = coach.page(f"/candidates/{mine.user_id}/stories").text
    assert SECRET_STORY in stories and "A churn crisis" in stories
    # Read-only: the only forms on the view are the comment and signing out.
    for page in (overview, report.text, debrief, stories):
        actions = {a for a in _form_actions(page)} - {"/logout"}
        assert actions <= {f"/candidates/{mine.user_id}/reports/{mine.session_id}/comments"}
    posted = coach.submit(
        f"/candidates/{mine.user_id}/reports/{mine.session_id}/comments",
        {"text": "Lead with the metric"},
    )
    assert posted.status_code == 303
    own = candidate.page(posted.headers["location"]).text
    assert "coach@example.org</strong>: Lead with the metric" in own


def test_one_candidates_address_does_not_reach_anothers_data(cast: dict[str, Any]) -> None:
    """The coach of one candidate, naming another's report under the first's address."""
    candidate, coach = cast["candidate"], cast["coach"]
    mine, theirs = cast["mine"], cast["theirs"]
    candidate.submit("/coaches", {"email": "coach@example.org"})
    for path in (
        f"/candidates/{mine.user_id}/reports/{theirs.session_id}",
        f"/candidates/{mine.user_id}/debriefs/{theirs.debrief_id}",
        f"/candidates/{theirs.user_id}",
    ):
        response = coach.get(path)
        assert response.status_code == 404, path
        assert "private answer" not in response.text
    response = call(
        coach, "POST", f"/candidates/{mine.user_id}/reports/{theirs.session_id}/comments"
    )
    assert response.status_code == 404


def test_pages_need_a_sign_in(app: Any, cast: dict[str, Any]) -> None:  # noqa: F811
    anonymous = PageClient(app)
    for method, path in view_paths(cast["mine"]):
        if method == "GET":
            response = anonymous.get(path)
            assert response.status_code == 303
            assert response.headers["location"].startswith("/login")


def _form_actions(html: str) -> list[str]:
    import re

    return re.findall(r'<form[^>]*action="([^"]+)"', html)


# --- a removed coach's open socket ----------------------------------------------------------


def _mock_with_a_coach(team: Any, db: Database) -> tuple[PageClient, PageClient, str]:
    """A live mock joined by a peer, of a candidate who invited a coach."""
    candidate = person(team, db, "cand@example.org")
    coach = person(team, db, "coach@example.org", role="coach")
    mock_id, token = start_mock(candidate)
    join(person(team, db, "peer@example.org"), token)
    candidate.submit("/coaches", {"email": "coach@example.org"})
    return candidate, coach, mock_id


@pytest.mark.usefixtures("lifespan")
def test_a_removed_coachs_open_socket_closes_at_once(
    app: Any,  # noqa: F811
    pgdb: Database,  # noqa: F811
) -> None:
    """Removing a coach closes their open live-mock sockets, with no event after it."""
    import threading
    import time

    from starlette.websockets import WebSocketDisconnect

    candidate, coach, mock_id = _mock_with_a_coach(app, pgdb)
    found = accounts.find(pgdb, "coach@example.org")
    assert found is not None
    bus = app.state.live_bus
    for _ in range(100):  # the app process listens before the test relies on it
        if bus.listening.is_set():
            break
        time.sleep(0.1)
    # Only a fallback against a hang: it types if the socket has not closed by then.
    fallback = threading.Timer(
        10.0, _act, (candidate, mock_id, {"action": "type", "text": "after removal"})
    )
    seen: list[dict[str, Any]] = []
    with coach.websocket_connect(f"ws://127.0.0.1/live/{mock_id}/ws", headers=ORIGIN) as ws:
        assert ws.receive_json()["role"] == "coach"
        _act(candidate, mock_id, {"action": "type", "text": "before removal"})
        while not any(e.get("text") == "before removal" for e in seen):
            message = ws.receive_json()
            seen.extend(message.get("events", []))
        candidate.submit(f"/coaches/{found.user_id}/remove")
        fallback.start()
        code = None
        try:
            while not any(e.get("text") == "after removal" for e in seen):
                seen.extend(ws.receive_json().get("events", []))
        except WebSocketDisconnect as closed:
            code = closed.code
        needed_fallback = not fallback.is_alive()
        fallback.cancel()
    assert code == 4403
    assert not any(e.get("text") == "after removal" for e in seen)
    assert not needed_fallback, "the socket closed only when a new event came"


@pytest.mark.usefixtures("lifespan")
def test_a_coach_still_invited_keeps_receiving(
    app: Any,  # noqa: F811
    pgdb: Database,  # noqa: F811
) -> None:
    """The check lets an invited coach's socket go on (the close above is not a crash)."""
    candidate, coach, mock_id = _mock_with_a_coach(app, pgdb)
    seen: list[dict[str, Any]] = []
    with coach.websocket_connect(f"ws://127.0.0.1/live/{mock_id}/ws", headers=ORIGIN) as ws:
        assert ws.receive_json()["role"] == "coach"
        for text in ("one", "two"):
            _act(candidate, mock_id, {"action": "type", "text": text})
        while not any(e.get("text") == "two" for e in seen):
            seen.extend(ws.receive_json().get("events", []))
    assert [e["text"] for e in seen if e.get("kind") == "typed"][-2:] == ["one", "two"]


# --- one builder for both apps ---------------------------------------------------------------


def test_the_team_app_has_the_local_apps_protections(
    app: Any,  # noqa: F811
    tmp_path: Any,
) -> None:
    """Both factories build on web/base.py: the same headers, Host check, body limit."""
    from loopready.store import open_db
    from loopready.web.app import create_app

    with open_db(f"sqlite:///{tmp_path / 'local.db'}") as local_db:
        local = create_app(local_db, secret="s" * 48, team=False)
        answers = {}
        for name, built in (("local", local), ("team", app)):
            client = PageClient(built)
            page = client.get("/healthz")
            assert page.status_code == 200
            answers[name] = {
                header: page.headers[header]
                for header in ("content-security-policy", "x-frame-options", "referrer-policy")
            }
            assert client.get("/static/app.css").status_code == 200
            foreign = PageClient(built, base_url="http://evil.example").get("/healthz")
            assert foreign.status_code == 400
            too_big = client.post("/login", content=b"x" * (64 * 1024 * 1024))
            assert too_big.status_code == 413
    assert answers["local"] == answers["team"]
    assert "frame-ancestors 'none'" in answers["team"]["content-security-policy"]
