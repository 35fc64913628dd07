"""Team mode on PostgreSQL: sign-in, a live mock over WebSockets, reports and who sees what."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.websockets import WebSocketDisconnect

from loopready.store import Database, open_db
from loopready.team import accounts, invitations
from loopready.web.app import create_app
from loopready.web.testing import PageClient

pytest_plugins = ["fixtures_db"]
pytestmark = pytest.mark.postgres

PASSWORD = "correct horse battery"
ORIGIN = {"origin": "http://127.0.0.1"}
ROUND = "product_sense"


@pytest.fixture
def pgdb(pg_module_databases: Any) -> Iterator[Database]:
    from fixtures_db import _emptied

    url = _emptied(pg_module_databases.url("team"))
    with open_db(url) as db:
        yield db


@pytest.fixture
def app(pgdb: Database) -> Any:
    return create_app(pgdb, team=True, secret="s" * 48)


@pytest.fixture
def lifespan(app: Any) -> Iterator[PageClient]:
    with PageClient(app) as client:
        yield client


def person(app: Any, db: Database, email: str, role: str = "candidate") -> PageClient:
    accounts.create_account(db, email, PASSWORD, role)
    client = PageClient(app)
    client.page("/login")
    response = client.submit("/login", {"email": email, "password": PASSWORD, "next": "/"})
    assert response.status_code == 303, response.text
    return client


def start_mock(client: PageClient) -> tuple[str, str]:
    client.page("/")
    response = client.submit("/live", {"round_id": ROUND, "pack_id": "sony-ai-pm-2026"})
    assert response.status_code == 303
    found = re.match(r"/live/([0-9a-f-]{36})\?invite=(\S+)$", response.headers["location"])
    assert found, response.headers["location"]
    return found.group(1), found.group(2)


def join(client: PageClient, token: str) -> Any:
    client.page(f"/join/{token}")
    return client.submit(f"/join/{token}")


def events_of(ws: Any, until: str) -> list[dict[str, Any]]:
    """Messages from *ws* until an event of kind *until* arrives; the events seen."""
    seen: list[dict[str, Any]] = []
    while True:
        message = ws.receive_json()
        if message["type"] == "events":
            seen.extend(message["events"])
            if any(e["kind"] == until for e in message["events"]):
                return seen


# --- team mode needs PostgreSQL ------------------------------------------------------------


def test_team_mode_refuses_sqlite(tmp_path: Any) -> None:
    from loopready.team.mode import TeamModeError

    with open_db(f"sqlite:///{tmp_path / 'x.db'}") as db, pytest.raises(TeamModeError) as caught:
        create_app(db, team=True)
    assert "PostgreSQL" in str(caught.value)


def test_serve_team_refuses_sqlite_with_a_clear_message(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from loopready.cli import cli

    monkeypatch.setenv("LOOPREADY_HOST", "127.0.0.1")  # serve sets it; restored after
    monkeypatch.setenv("LOOPREADY_DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    result = CliRunner().invoke(cli, ["serve", "--team"])
    assert result.exit_code == 2
    assert "Team mode needs PostgreSQL" in result.output
    monkeypatch.delenv("LOOPREADY_DATABASE_URL")
    result = CliRunner().invoke(cli, ["serve", "--team"])
    assert result.exit_code == 2
    assert "LOOPREADY_DATABASE_URL is not set" in result.output


def test_add_user_creates_the_first_account(
    pgdb: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from loopready.cli import cli

    monkeypatch.setenv("LOOPREADY_DATABASE_URL", pgdb.engine.url.render_as_string(False))
    result = CliRunner().invoke(
        cli,
        ["team", "add-user", "Ana@Example.org", "--role", "coach", "--password-stdin"],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    found = accounts.authenticate(pgdb, "ana@example.org", PASSWORD)
    assert found.role == "coach"
    with pgdb.engine.connect() as connection:
        stored = connection.exec_driver_sql("SELECT password_hash FROM accounts").scalar()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


# --- signing in ----------------------------------------------------------------------------


def test_pages_need_a_sign_in(app: Any) -> None:
    client = PageClient(app)
    response = client.get("/")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


def test_cookie_flags_and_logout_everywhere(pgdb: Database) -> None:
    accounts.create_account(pgdb, "c@example.org", PASSWORD)
    hosts = ("team.example.org", "127.0.0.1")
    app = create_app(pgdb, team=True, secret="s" * 48, allowed_hosts=hosts)
    first = PageClient(app, base_url="http://team.example.org")
    first.page("/login")
    response = first.submit("/login", {"email": "c@example.org", "password": PASSWORD})
    cookie = response.headers["set-cookie"]
    assert "lr_session=" in cookie and "HttpOnly" in cookie and "Secure" in cookie
    assert "samesite=lax" in cookie.lower()
    second = person_login(app, "c@example.org")
    assert second.get("/").status_code == 200
    second.submit("/logout/everywhere")
    assert second.get("/").status_code == 303
    # The other browser's session ended too, although it never signed out.
    assert first.get("/").status_code == 303


def person_login(app: Any, email: str) -> PageClient:
    client = PageClient(app)
    client.page("/login")
    client.submit("/login", {"email": email, "password": PASSWORD})
    return client


def test_wrong_passwords_pause_sign_in(app: Any, pgdb: Database) -> None:
    accounts.create_account(pgdb, "c@example.org", PASSWORD)
    client = PageClient(app)
    client.page("/login")
    for _ in range(accounts.MAX_FAILURES):
        response = client.submit("/login", {"email": "c@example.org", "password": "wrong-one!!"})
        assert response.status_code == 400
        assert "do not match" in response.text
    response = client.submit("/login", {"email": "c@example.org", "password": PASSWORD})
    assert response.status_code == 400
    assert "paused" in response.text
    assert "lr_session" not in response.headers.get("set-cookie", "")


def test_a_post_without_the_csrf_token_is_refused(app: Any, pgdb: Database) -> None:
    client = person(app, pgdb, "c@example.org")
    response = client.post("/live", data={"round_id": ROUND})
    assert response.status_code == 403


# --- the live mock -------------------------------------------------------------------------


def test_a_whole_live_mock(app: Any, pgdb: Database, lifespan: PageClient) -> None:
    candidate = person(app, pgdb, "cand@example.org")
    mock_id, token = start_mock(candidate)
    room = candidate.page(f"/live/{mock_id}?invite={token}")
    assert f"/join/{token}" in room.text
    assert "call tool" in room.text

    # The peer has no account: the invitation lets them make one, then join.
    peer = PageClient(app)
    page = peer.page(f"/join/{token}")
    assert "Create an account" in page.text
    response = peer.submit(
        "/signup", {"email": "peer@example.org", "password": PASSWORD, "token": token}
    )
    assert response.status_code == 303
    assert join(peer, token).headers["location"] == f"/live/{mock_id}"
    guide = peer.page(f"/live/{mock_id}")
    assert "Interviewer&#39;s guide" in guide.text or "Interviewer's guide" in guide.text
    assert "Scorecard" in guide.text
    # The guide: key points and probes from the pack, and its red flags when it has them.
    from markupsafe import escape

    from loopready.packs.registry import get_pack
    from loopready.team.live import red_flags_of

    rnd = get_pack("sony-ai-pm-2026").round(ROUND)
    prompt = rnd.prompts[0]
    for text in [*prompt.key_points, *(f.question for f in prompt.follow_ups)]:
        assert str(escape(text)) in guide.text
    for name in red_flags_of(rnd):
        assert f'value="{escape(name)}"' in guide.text
    assert str(escape(prompt.question)) in room.text

    with (
        candidate.websocket_connect(f"ws://127.0.0.1/live/{mock_id}/ws", headers=ORIGIN) as c_ws,
        peer.websocket_connect(f"ws://127.0.0.1/live/{mock_id}/ws", headers=ORIGIN) as p_ws,
    ):
        assert c_ws.receive_json()["role"] == "candidate"
        assert p_ws.receive_json()["role"] == "interviewer"
        events_of(p_ws, "joined")
        c_ws.send_json({"action": "clock", "run": True})
        c_ws.send_json({"action": "type", "text": "I would start with the user", "client_rev": 1})
        typed = [e for e in events_of(p_ws, "typed") if e["kind"] == "typed"]
        assert typed[-1]["text"] == "I would start with the user"
        p_ws.send_json({"action": "clock", "run": False})
        clock = [e for e in events_of(c_ws, "clock") if e["kind"] == "clock"]
        p_ws.send_json({"action": "type", "text": "not mine"})
        refusal = p_ws.receive_json()
        while refusal["type"] == "events":  # its own pause may come first
            refusal = p_ws.receive_json()
        assert refusal["type"] == "error"
        assert "Only the candidate" in refusal["message"]
    assert clock[-1]["running"] in (True, False)

    # The peer drops; the candidate keeps typing; the peer catches up from its number.
    seen = typed[-1]["seq"]
    with candidate.websocket_connect(f"ws://127.0.0.1/live/{mock_id}/ws", headers=ORIGIN) as c_ws:
        c_ws.receive_json()
        for n in range(2, 6):
            c_ws.send_json({"action": "type", "text": "word " * n, "client_rev": n})
        last = [e for e in events_of(c_ws, "typed") if e.get("client_rev") == 5]
        while not last:
            last = [e for e in events_of(c_ws, "typed") if e.get("client_rev") == 5]
    with peer.websocket_connect(
        f"ws://127.0.0.1/live/{mock_id}/ws?after={seen}", headers=ORIGIN
    ) as p_ws:
        p_ws.receive_json()
        caught = p_ws.receive_json()["events"]
        revs = [e.get("client_rev") for e in caught if e["kind"] == "typed"]
        assert revs == [2, 3, 4, 5]
        assert all(e["seq"] > seen for e in caught)
        p_ws.send_json({"action": "score", "criterion": _criterion(), "score": 3, "note": "ok"})
        p_ws.send_json({"action": "submit"})
        events_of(p_ws, "submit")

    answer = "We should measure retention of creators because " * 5
    _act(candidate, mock_id, {"action": "type", "text": answer})
    _act(candidate, mock_id, {"action": "end"})
    report = candidate.page(f"/live/{mock_id}/report")
    assert report.status_code == 200
    assert "Scorecard beside the grader" in report.text
    row = re.search(
        rf'data-criterion="{_criterion()}"><td>[^<]+</td><td class="human">(\d)', report.text
    )
    assert row and row.group(1) == "3"


def _criterion() -> str:
    from loopready.packs.registry import get_pack

    return get_pack("sony-ai-pm-2026").round(ROUND).rubric.criteria[0].id


def _act(client: PageClient, mock_id: str, action: dict[str, Any]) -> Any:
    response = client.post(
        f"/live/{mock_id}/action", json=action, headers={"X-CSRF-Token": client.ensure_token()}
    )
    return response


# --- invitations ---------------------------------------------------------------------------


def test_an_invitation_works_once(app: Any, pgdb: Database) -> None:
    candidate = person(app, pgdb, "cand@example.org")
    mock_id, token = start_mock(candidate)
    peer = person(app, pgdb, "peer@example.org")
    assert join(peer, token).status_code == 303
    other = person(app, pgdb, "other@example.org")
    response = join(other, token)
    assert response.status_code == 400
    assert "used or withdrawn" in response.text
    assert other.get(f"/live/{mock_id}").status_code == 404


def test_an_expired_or_forged_invitation_is_refused(
    app: Any, pgdb: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    candidate = person(app, pgdb, "cand@example.org")
    mock_id, token = start_mock(candidate)
    peer = person(app, pgdb, "peer@example.org")
    monkeypatch.setattr(invitations, "MAX_AGE_S", -1)
    response = join(peer, token)
    assert response.status_code == 400
    assert "expired" in response.text
    monkeypatch.undo()
    response = join(peer, token[:-3] + "abc")
    assert response.status_code == 400
    assert peer.get(f"/live/{mock_id}").status_code == 404
    assert join(peer, token).status_code == 303  # the good link still works


def test_a_new_link_withdraws_the_old(app: Any, pgdb: Database) -> None:
    candidate = person(app, pgdb, "cand@example.org")
    mock_id, token = start_mock(candidate)
    candidate.page(f"/live/{mock_id}")
    fresh = candidate.submit(f"/live/{mock_id}/invite").headers["location"].split("invite=")[1]
    peer = person(app, pgdb, "peer@example.org")
    assert join(peer, token).status_code == 400
    assert join(peer, fresh).status_code == 303


def test_the_candidate_cannot_join_their_own_mock(app: Any, pgdb: Database) -> None:
    candidate = person(app, pgdb, "cand@example.org")
    _mock_id, token = start_mock(candidate)
    assert join(candidate, token).status_code == 400


# --- who sees what -------------------------------------------------------------------------


def _played_mock(app: Any, pgdb: Database) -> tuple[str, PageClient, PageClient]:
    candidate = person(app, pgdb, "cand@example.org")
    mock_id, token = start_mock(candidate)
    peer = person(app, pgdb, "peer@example.org")
    join(peer, token)
    _act(candidate, mock_id, {"action": "type", "text": "My private answer"})
    return mock_id, candidate, peer


def test_a_stranger_sees_nothing_of_a_mock(app: Any, pgdb: Database) -> None:
    mock_id, _candidate, _peer = _played_mock(app, pgdb)
    stranger = person(app, pgdb, "x@example.org")
    for path in (f"/live/{mock_id}", f"/live/{mock_id}/report", f"/live/{mock_id}/events"):
        response = stranger.get(path)
        assert response.status_code == 404, path
        assert "My private answer" not in response.text
    stranger.page("/")
    assert _act(stranger, mock_id, {"action": "type", "text": "x"}).status_code == 404
    assert _act(stranger, mock_id, {"action": "end"}).status_code == 404
    response = stranger.submit(f"/live/{mock_id}/comments", {"text": "hi"})
    assert response.status_code == 404
    assert stranger.submit(f"/live/{mock_id}/invite").status_code == 404
    url = f"ws://127.0.0.1/live/{mock_id}/ws"
    with (
        pytest.raises(WebSocketDisconnect) as closed,
        stranger.websocket_connect(url, headers=ORIGIN) as ws,
    ):
        ws.receive_json()
    assert closed.value.code == 4403
    home = stranger.page("/")
    assert mock_id not in home.text


def test_a_socket_from_another_site_is_refused(app: Any, pgdb: Database) -> None:
    mock_id, candidate, _peer = _played_mock(app, pgdb)
    # A rebound name (the Host check) and another site's page (the Origin check).
    url = f"ws://evil.example/live/{mock_id}/ws"
    with pytest.raises(WebSocketDisconnect) as closed, candidate.websocket_connect(url) as ws:
        ws.receive_json()
    assert closed.value.code == 1008
    with (
        pytest.raises(WebSocketDisconnect) as closed,
        candidate.websocket_connect(
            f"ws://127.0.0.1/live/{mock_id}/ws", headers={"origin": "http://evil.example"}
        ) as ws,
    ):
        ws.receive_json()
    assert closed.value.code == 1008


def test_the_peer_sees_that_mock_only(app: Any, pgdb: Database) -> None:
    mock_id, candidate, peer = _played_mock(app, pgdb)
    second, _token = start_mock(candidate)
    assert peer.get(f"/live/{mock_id}").status_code == 200
    assert peer.get(f"/live/{second}").status_code == 404
    assert peer.get(f"/live/{second}/events").status_code == 404
    # The interviewer does not type the answer nor comment on the candidate's report.
    peer.page("/")
    assert _act(peer, mock_id, {"action": "type", "text": "x"}).status_code == 400
    assert peer.submit(f"/live/{mock_id}/comments", {"text": "hi"}).status_code == 404


def test_a_coach_reads_until_removed(app: Any, pgdb: Database) -> None:
    mock_id, candidate, _peer = _played_mock(app, pgdb)
    coach = person(app, pgdb, "coach@example.org", role="coach")
    assert coach.get(f"/live/{mock_id}/report").status_code == 404
    candidate.page("/")
    candidate.submit("/coaches", {"email": "coach@example.org"})
    report = coach.page(f"/live/{mock_id}/report")
    assert report.status_code == 200
    assert (
        coach.submit(f"/live/{mock_id}/comments", {"text": "Lead with the metric"}).status_code
        == 303
    )
    assert "Lead with the metric" in candidate.page(f"/live/{mock_id}/report").text
    dashboard = coach.page("/coach")
    assert "cand@example.org" in dashboard.text
    # Read-only: a coach can neither type nor score nor end the mock.
    for action in ({"action": "type", "text": "x"}, {"action": "end"}):
        assert _act(coach, mock_id, action).status_code == 404
    coach_id = accounts.find(pgdb, "coach@example.org")
    assert coach_id is not None
    candidate.submit(f"/coaches/{coach_id.user_id}/remove")
    assert coach.get(f"/live/{mock_id}/report").status_code == 404
    assert "cand@example.org" not in coach.page("/coach").text


def test_only_coach_accounts_can_be_invited_as_coach(app: Any, pgdb: Database) -> None:
    candidate = person(app, pgdb, "cand@example.org")
    person(app, pgdb, "peer@example.org")
    candidate.page("/")
    response = candidate.submit("/coaches", {"email": "peer@example.org"})
    assert response.status_code == 400
    assert "no coach account" in response.text


# --- scorecards as labelled data -----------------------------------------------------------


def test_scorecards_export_in_the_graders_batch_format(
    app: Any, pgdb: Database, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from click.testing import CliRunner

    from loopready.cli import cli

    mock_id, candidate, peer = _played_mock(app, pgdb)
    _act(candidate, mock_id, {"action": "type", "text": "We would measure weekly retention."})
    peer.page(f"/live/{mock_id}")
    _act(peer, mock_id, {"action": "score", "criterion": _criterion(), "score": 2, "note": "n"})
    # A scorecard not yet submitted is not a label.
    monkeypatch.setenv("LOOPREADY_DATABASE_URL", pgdb.engine.url.render_as_string(False))
    out = tmp_path / "cards.jsonl"
    result = CliRunner().invoke(cli, ["export", "--scorecards", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text() == ""
    _act(peer, mock_id, {"action": "submit"})
    result = CliRunner().invoke(cli, ["export", "--scorecards", str(out), "--force"])
    assert result.exit_code == 0, result.output
    (line,) = [json.loads(x) for x in out.read_text().splitlines()]
    assert line["answer"] == "We would measure weekly retention."
    assert line["round"] == ROUND and line["criteria"] == {_criterion(): 2}
    graded = tmp_path / "graded.jsonl"
    result = CliRunner().invoke(cli, ["grade", "--batch", str(out), "--out", str(graded)])
    assert result.exit_code == 0, result.output
    (grade,) = [json.loads(x) for x in graded.read_text().splitlines()]
    assert grade["id"] == line["id"] and 0 <= grade["score"] <= 100


def test_weighted_kappa() -> None:
    from loopready.team.labels import weighted_kappa

    assert weighted_kappa([0, 1, 2, 3, 4], [0, 1, 2, 3, 4]) == 1.0
    assert weighted_kappa([0, 1], [1, 0], categories=2) == -1.0
    # One step off everywhere agrees better than four steps off.
    near = weighted_kappa([0, 1, 2, 3, 4, 2], [1, 2, 3, 4, 3, 1])
    far = weighted_kappa([0, 1, 2, 3, 4, 2], [4, 3, 0, 0, 0, 4])
    assert far < 0 < near < 1


# --- background jobs -----------------------------------------------------------------------


def test_ending_a_mock_queues_its_grading_for_the_worker(
    app: Any, pgdb: Database, lifespan: PageClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from loopready.cli import cli
    from loopready.team import jobs

    mock_id, candidate, _peer = _played_mock(app, pgdb)
    answer = "We would measure weekly retention of creators and run a holdout first. " * 3
    _act(candidate, mock_id, {"action": "type", "text": answer})
    _act(candidate, mock_id, {"action": "end"})
    assert jobs.grading_status(pgdb, mock_id) == {"status": "todo", "attempts": 0}
    waiting = candidate.page(f"/live/{mock_id}/report")
    assert "grading job: queued" in waiting.text
    assert 'http-equiv="refresh"' in waiting.text
    monkeypatch.setenv("LOOPREADY_DATABASE_URL", pgdb.engine.url.render_as_string(False))
    result = CliRunner().invoke(cli, ["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert jobs.grading_status(pgdb, mock_id) == {"status": "succeeded", "attempts": 1}
    done = candidate.page(f"/live/{mock_id}/report")
    assert "grading job: done" in done.text
    assert 'http-equiv="refresh"' not in done.text
    graded = re.findall(r'<td class="grader">(\d)</td>', done.text)
    assert graded and all(0 <= int(g) <= 4 for g in graded)


def test_a_failing_job_is_retried_then_left_failed(
    pgdb: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from loopready.team import jobs, reports

    calls: list[str] = []

    def broken(_db: Any, mock: Any) -> None:
        calls.append(mock.id)
        raise RuntimeError("the grader broke")

    monkeypatch.setattr(reports, "grader_reading", broken)
    who = accounts.create_account(pgdb, "cand@example.org", PASSWORD)
    from loopready.team import live

    started = live.start(pgdb, who, "s" * 48, "sony-ai-pm-2026", ROUND)
    jobs.ensure_queue(pgdb)
    jobs.enqueue_grading(pgdb, started.mock.id)
    url = pgdb.engine.url.render_as_string(False)
    jobs.job_app.cache_clear()
    for _ in range(jobs.MAX_ATTEMPTS + 2):
        with pgdb.engine.begin() as connection:  # no waiting between attempts in a test
            connection.exec_driver_sql("UPDATE procrastinate_jobs SET scheduled_at = NULL")
        jobs.run_worker(url, once=True)
    assert len(calls) == jobs.MAX_ATTEMPTS
    assert jobs.grading_status(pgdb, started.mock.id) == {
        "status": "failed",
        "attempts": jobs.MAX_ATTEMPTS,
    }


def test_the_coach_dashboard_shows_readiness_and_agreement(
    app: Any, pgdb: Database, lifespan: PageClient
) -> None:
    mock_id, candidate, peer = _played_mock(app, pgdb)
    answer = "We would measure weekly retention of creators and run a holdout first. " * 3
    _act(candidate, mock_id, {"action": "type", "text": answer})
    peer.page(f"/live/{mock_id}")
    _act(peer, mock_id, {"action": "score", "criterion": _criterion(), "score": 2, "note": ""})
    _act(peer, mock_id, {"action": "submit"})
    _act(candidate, mock_id, {"action": "end"})
    from loopready.team import jobs

    jobs.run_worker(pgdb.engine.url.render_as_string(False), once=True)
    coach = person(app, pgdb, "coach@example.org", role="coach")
    candidate.page("/")
    candidate.submit("/coaches", {"email": "coach@example.org"})
    page = coach.page("/coach").text
    assert re.search(rf"{ROUND}: 1 \(best \d+/100\)", page), page
    assert re.search(r"\d+% of 1<", page)


def test_serve_team_on_another_address_signs_people_in_instead_of_warning(
    pgdb: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn
    from click.testing import CliRunner

    from loopready.cli import cli
    from loopready.team.mode import TEAM_ENV

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: calls.append(k))
    monkeypatch.setenv("LOOPREADY_DATABASE_URL", pgdb.engine.url.render_as_string(False))
    # serve sets both in os.environ: setenv first, so that the test's end restores them
    # (delenv of an absent name records nothing to restore).
    monkeypatch.setenv(TEAM_ENV, "0")
    monkeypatch.setenv("LOOPREADY_HOST", "127.0.0.1")
    result = CliRunner().invoke(cli, ["serve", "--team", "--host", "0.0.0.0"])
    assert result.exit_code == 0, result.output
    assert "Team mode" in result.output and "no login" not in result.output
    assert os.environ[TEAM_ENV] == "1" and calls[0]["host"] == "0.0.0.0"
    # Without --team the same address still gets the warning.
    monkeypatch.setenv(TEAM_ENV, "0")
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0"])
    assert "Warning: listening on 0.0.0.0" in result.output and "no login" in result.output


def test_every_route_with_a_mock_in_its_path_refuses_a_stranger(app: Any, pgdb: Database) -> None:
    """Each team route naming a mock (found from the routers, so a new route is tried too)."""
    from fastapi.routing import APIRoute

    from loopready.web.team import coach, routes

    mock_id, _candidate, _peer = _played_mock(app, pgdb)
    stranger = person(app, pgdb, "x@example.org")
    stranger.page("/")
    tried = []
    for route in [*routes.router.routes, *coach.router.routes]:
        if not isinstance(route, APIRoute) or "{mock_id}" not in route.path:
            continue
        path = route.path.replace("{mock_id}", mock_id)
        for method in sorted(route.methods or ()):
            if method == "GET":
                response = stranger.get(path)
            else:
                response = stranger.post(
                    path,
                    data={"csrf_token": stranger.ensure_token(), "text": "x"},
                    headers={"X-CSRF-Token": stranger.ensure_token()},
                )
            tried.append(f"{method} {route.path}")
            assert response.status_code == 404, (method, path, response.status_code)
            assert "My private answer" not in response.text
    assert len(tried) >= 6, tried


def test_the_worker_runs_even_where_an_event_loop_already_runs(pgdb: Database) -> None:
    """A notebook or a host app runs a loop; `run_worker` must not need this thread's."""
    import asyncio

    from loopready.team import jobs, live

    who = accounts.create_account(pgdb, "loop@example.org", PASSWORD)
    started = live.start(pgdb, who, "l" * 48, "sony-ai-pm-2026", ROUND)
    jobs.ensure_queue(pgdb)
    jobs.enqueue_grading(pgdb, started.mock.id)
    url = pgdb.engine.url.render_as_string(False)

    async def inside_a_loop() -> None:
        jobs.run_worker(url, once=True)

    asyncio.run(inside_a_loop())
    assert jobs.grading_status(pgdb, started.mock.id) == {"status": "succeeded", "attempts": 1}
