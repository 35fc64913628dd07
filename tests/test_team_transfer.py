"""Team mode: a candidate's live mocks, scorecards and comments travel in their export."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from loopready.store import Database, export_data, import_data, open_db
from loopready.team import accounts
from loopready.team.accounts import Person
from test_team_web import _act, _criterion, _played_mock, app, person, pgdb, start_mock  # noqa: F401  (fixtures)

pytest_plugins = ["fixtures_db"]
pytestmark = pytest.mark.postgres


@pytest.fixture
def other_pg(pg_module_databases: Any) -> Iterator[Database]:
    """Another PostgreSQL database, where nobody of the first has an account."""
    from fixtures_db import _emptied

    url = _emptied(pg_module_databases.url("elsewhere"))
    with open_db(url, user="ana@elsewhere.org") as db:
        yield db


def as_user(db: Database, email: str) -> tuple[Database, Person]:
    found = accounts.find(db, email)
    assert found is not None
    return Database(db.engine, found.user_id, email), found


def played(team_app: Any, db: Database) -> str:
    """A mock of cand@ with a submitted scorecard by peer@ and comments by a coach and cand@,
    and a mock of peer@'s own (which is not cand@'s data)."""
    mock_id, candidate, peer = _played_mock(team_app, db)
    peer.page(f"/live/{mock_id}")
    _act(peer, mock_id, {"action": "score", "criterion": _criterion(), "score": 3, "note": "ok"})
    _act(peer, mock_id, {"action": "submit"})
    _act(candidate, mock_id, {"action": "end"})
    coach = person(team_app, db, "coach@example.org", role="coach")
    candidate.submit("/coaches", {"email": "coach@example.org"})
    coach.page(f"/live/{mock_id}/report")
    coach.submit(f"/live/{mock_id}/comments", {"text": "Lead with the metric"})
    candidate.page(f"/live/{mock_id}/report")
    candidate.submit(f"/live/{mock_id}/comments", {"text": "Will do"})
    start_mock(peer)  # the peer's own mock
    return mock_id


def test_the_export_holds_the_candidates_team_rows_only(
    app: Any,  # noqa: F811
    pgdb: Database,  # noqa: F811
) -> None:
    mock_id = played(app, pgdb)
    mine, cand = as_user(pgdb, "cand@example.org")
    document = export_data(mine)
    team = document["team_tables"]
    assert [m["id"] for m in team["live_mocks"]] == [mock_id]
    assert team["live_mocks"][0]["answer"] == "My private answer"
    assert "invite_nonce" not in team["live_mocks"][0]
    (card,) = team["scorecards"]
    assert card["mock_id"] == mock_id and card["submitted"] == 1
    assert card["scores"][_criterion()]["score"] == 3
    assert sorted(c["text"] for c in team["report_comments"]) == ["Lead with the metric", "Will do"]
    assert document["user_id"] == cand.user_id
    text = json.dumps(document)
    assert "$argon2" not in text and "password" not in text
    for table in ("accounts", "auth_sessions", "coach_links", "login_attempts", "live_events"):
        assert table not in document["tables"] and table not in team
    # The peer's export holds their own mock, not the one they interviewed.
    theirs, _peer = as_user(pgdb, "peer@example.org")
    peer_mocks = export_data(theirs)["team_tables"]["live_mocks"]
    assert mock_id not in [m["id"] for m in peer_mocks] and len(peer_mocks) == 1
    # A local user with no team rows: the document has no team part at all.
    assert "team_tables" not in export_data(pgdb) and "user_id" not in export_data(pgdb)


def test_round_trip_into_the_same_database(
    app: Any,  # noqa: F811
    pgdb: Database,  # noqa: F811
) -> None:
    played(app, pgdb)
    mine, _cand = as_user(pgdb, "cand@example.org")
    document = export_data(mine)
    summary = import_data(mine, json.loads(json.dumps(document)), replace=True)
    assert summary.added["live_mocks"] == 1 and summary.added["report_comments"] == 2
    again = export_data(mine)
    assert again["team_tables"] == document["team_tables"]
    assert again["tables"] == document["tables"]
    # The report still shows the scorecard and both comments, with their authors.
    from loopready.team import coaching

    comments = coaching.comments(pgdb, document["team_tables"]["live_mocks"][0]["id"])
    assert {c["author"] for c in comments} == {"coach@example.org", "cand@example.org"}
    # Importing again without --replace changes nothing.
    twice = import_data(mine, document)
    assert twice.updated["live_mocks"] == 1 and twice.added["live_mocks"] == 0
    assert export_data(mine)["team_tables"] == document["team_tables"]


def test_round_trip_into_another_database(
    app: Any,  # noqa: F811
    pgdb: Database,  # noqa: F811
    other_pg: Database,
) -> None:
    mock_id = played(app, pgdb)
    mine, _cand = as_user(pgdb, "cand@example.org")
    document = json.loads(json.dumps(export_data(mine)))
    import_data(other_pg, document)
    restored = export_data(other_pg)["team_tables"]
    (mock,) = restored["live_mocks"]
    assert mock["id"] == mock_id and mock["answer"] == "My private answer"
    assert mock["peer_user_id"] is None  # the peer has no account there
    (card,) = restored["scorecards"]
    assert card["scores"] == document["team_tables"]["scorecards"][0]["scores"]
    assert card["scorer_user_id"] is None
    authors = {c["text"]: c["author_user_id"] for c in restored["report_comments"]}
    # The candidate's own comment is the importer's now; the coach is not there.
    assert authors == {"Will do": other_pg.user_id, "Lead with the metric": None}


def test_a_scorecard_of_a_mock_that_is_not_there_is_refused(
    app: Any,  # noqa: F811
    pgdb: Database,  # noqa: F811
    other_pg: Database,
) -> None:
    from loopready.errors import InputError

    played(app, pgdb)
    mine, _cand = as_user(pgdb, "cand@example.org")
    document = json.loads(json.dumps(export_data(mine)))
    document["team_tables"]["live_mocks"] = []
    with pytest.raises(InputError, match=r"scorecards\[0\]\.mock_id"):
        import_data(other_pg, document)
    assert "team_tables" not in export_data(other_pg)
    assert export_data(other_pg)["tables"]["loops"] == []


def test_a_person_downloads_their_own_export(
    app: Any,  # noqa: F811
    pgdb: Database,  # noqa: F811
) -> None:
    from loopready.web.testing import PageClient

    mock_id = played(app, pgdb)
    candidate = PageClient(app)
    candidate.page("/login")
    candidate.submit("/login", {"email": "cand@example.org", "password": "correct horse battery"})
    response = candidate.get("/export")
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    assert [m["id"] for m in response.json()["team_tables"]["live_mocks"]] == [mock_id]
    peer = PageClient(app)
    peer.page("/login")
    peer.submit("/login", {"email": "peer@example.org", "password": "correct horse battery"})
    assert mock_id not in peer.get("/export").text
    assert PageClient(app).get("/export").status_code == 303  # signed out: to the sign-in page


def test_the_cli_exports_and_imports_one_accounts_data(
    app: Any,  # noqa: F811
    pgdb: Database,  # noqa: F811
    other_pg: Database,
    tmp_path: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from click.testing import CliRunner

    from loopready.cli import cli

    mock_id = played(app, pgdb)
    out = tmp_path / "cand.json"
    monkeypatch.setenv("LOOPREADY_DATABASE_URL", pgdb.engine.url.render_as_string(False))
    result = CliRunner().invoke(cli, ["export", str(out), "--account", "Cand@Example.org"])
    assert result.exit_code == 0, result.output
    document = json.loads(out.read_text())
    assert [m["id"] for m in document["team_tables"]["live_mocks"]] == [mock_id]
    result = CliRunner().invoke(cli, ["export", "-", "--account", "nobody@example.org"])
    assert result.exit_code != 0 and "no team account for nobody@example.org" in result.output
    # Into another install, for an account made there.
    monkeypatch.setenv("LOOPREADY_DATABASE_URL", other_pg.engine.url.render_as_string(False))
    moved = accounts.create_account(other_pg, "cand@elsewhere.org", "correct horse battery")
    result = CliRunner().invoke(cli, ["import", str(out), "--account", "cand@elsewhere.org"])
    assert result.exit_code == 0, result.output
    there = export_data(Database(other_pg.engine, moved.user_id, moved.email))
    assert [m["id"] for m in there["team_tables"]["live_mocks"]] == [mock_id]
    assert "team_tables" not in export_data(other_pg)  # not the local user's
