"""The data stays the user's: private files, no pack id that is a path, no export onto the
database, and no imported row that takes a page down."""

from __future__ import annotations

import copy
import json
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import update

from loopready.cli import cli
from loopready.errors import InputError, NotFound
from loopready.packs import get_pack
from loopready.packs.registry import check_pack_id, is_pack_id
from loopready.store import (
    Database,
    Debrief,
    RoundSession,
    create_loop,
    export_data,
    import_data,
    open_db,
    write_export,
)
from loopready.web import create_app
from loopready.web.testing import PageClient, seed_attempt

TRAVERSAL = "../../../../../../etc/loopready-probe"


@pytest.fixture
def db(loopready_home: Path) -> Iterator[Database]:
    with open_db() as database:
        yield database


@pytest.fixture
def client(db: Database) -> Iterator[PageClient]:
    with PageClient(create_app(db)) as c:
        yield c


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# -- file permissions ----------------------------------------------------------------------


def test_the_data_folder_and_database_files_are_private(loopready_home: Path) -> None:
    loopready_home.chmod(0o755)  # as an older install left it
    with open_db() as db:
        seed_attempt(db, get_pack(), "product_sense", "Private words.", score=50)
        files = ["loopready.db", "loopready.db-wal", "loopready.db-shm"]
        for name in files:  # while the database is open, its WAL files exist
            assert _mode(loopready_home / name) == 0o600, name
    assert _mode(loopready_home) == 0o700


def test_an_old_world_readable_database_is_tightened(loopready_home: Path) -> None:
    with open_db():
        pass
    database = loopready_home / "loopready.db"
    database.chmod(0o644)
    with open_db() as db:
        seed_attempt(db, get_pack(), "product_sense", "Private words.", score=50)
        assert _mode(database) == 0o600
        assert _mode(loopready_home / "loopready.db-wal") == 0o600


def test_a_fresh_data_folder_is_created_private(tmp_path: Path, monkeypatch: Any) -> None:
    home = tmp_path / "new" / "home"
    monkeypatch.setenv("LOOPREADY_HOME", str(home))
    with open_db():
        pass
    assert _mode(home) == 0o700
    assert _mode(home / "loopready.db") == 0o600


# -- export onto the live database ---------------------------------------------------------


@pytest.mark.parametrize("name", ["loopready.db", "loopready.db-wal", "loopready.db-shm"])
def test_export_onto_the_live_database_is_refused_even_with_force(
    db: Database, loopready_home: Path, name: str
) -> None:
    seed_attempt(db, get_pack(), "product_sense", "Do not lose me.", score=50)
    before = (loopready_home / "loopready.db").read_bytes()
    result = CliRunner().invoke(cli, ["export", str(loopready_home / name), "--force"])
    assert result.exit_code != 0
    assert "loopready's own database file" in result.output
    assert (loopready_home / "loopready.db").read_bytes()[:16] == b"SQLite format 3\x00"
    assert len((loopready_home / "loopready.db").read_bytes()) >= len(before) // 2


def test_export_through_another_name_for_the_database_is_refused(
    db: Database, loopready_home: Path, tmp_path: Path
) -> None:
    link = tmp_path / "innocent.json"
    link.symlink_to(loopready_home / "loopready.db")
    with pytest.raises(InputError, match="own database file"):
        write_export(db, link)
    roundabout = loopready_home / "backups" / ".." / "loopready.db"
    with pytest.raises(InputError, match="own database file"):
        write_export(db, roundabout)
    # An ordinary file in the data folder is fine.
    write_export(db, loopready_home / "export.json")


# -- pack ids ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["sony-ai-pm-2026", "my_pack", "a", "x" * 64],
)
def test_well_formed_pack_ids(value: str) -> None:
    assert is_pack_id(value)
    assert check_pack_id(value) == value


@pytest.mark.parametrize(
    "value",
    [TRAVERSAL, "", "x" * 65, "x" * 5000, "My-Pack", "pack.yaml", "a/b", "a\\b", "a\x00", " a"],
)
def test_malformed_pack_ids_are_refused(value: str) -> None:
    assert not is_pack_id(value)
    with pytest.raises(NotFound, match="is not a pack id") as refused:
        get_pack(value)
    assert len(str(refused.value)) < 300  # a 5,000-character id is not echoed whole


def test_starting_a_mock_with_a_path_for_a_pack_id_reads_no_file(
    client: PageClient, tmp_path: Path
) -> None:
    probe = tmp_path / "probe.yaml"
    probe.write_text("secret_key: 1\nrounds: []\n", encoding="utf-8")
    traversal = "../" * 12 + str(probe.with_suffix(""))[1:]
    page = client.submit("/mock/start", {"round_id": "product_sense", "pack_id": traversal})
    assert page.status_code == 404
    assert "is not a pack id" in page.text
    assert "secret_key" not in page.text
    assert str(tmp_path) not in page.text


@pytest.mark.parametrize(
    "command",
    [
        ["drill", "list", "--pack", TRAVERSAL],
        ["loop", "new", "--pack", TRAVERSAL],
    ],
)
def test_the_cli_refuses_a_path_for_a_pack_id(command: list[str]) -> None:
    result = CliRunner().invoke(cli, command)
    assert result.exit_code != 0
    assert "is not a pack id" in result.output
    assert "Traceback" not in result.output


# -- crafted imports -----------------------------------------------------------------------


def _loop_id(db: Database) -> str:
    with db.session() as s:
        loop_id: str = create_loop(s, db.user_id, pack_id="sony-ai-pm-2026", title="Sony").id
    return loop_id


def _document(db: Database) -> dict[str, Any]:
    loop_id = _loop_id(db)
    seed_attempt(db, get_pack(), "product_sense", "Worth keeping.", score=50, loop_id=loop_id)
    with db.session() as s:
        s.add(
            Debrief(
                user_id=db.user_id, loop_id=loop_id, decision="hire", result={"decision": "hire"}
            )
        )
    return export_data(db)


@pytest.mark.parametrize(
    ("table", "column", "value", "message"),
    [
        ("loops", "pack_id", TRAVERSAL, "is not a pack id"),
        ("round_sessions", "pack_id", "x" * 80, "is not a pack id"),
        ("round_sessions", "meta", "garbage", "must be an object"),
        ("round_sessions", "meta", {"cursor": "x"}, "meta.cursor: must be a turn number"),
        ("round_sessions", "meta", {"follow_ups": 5}, "meta.follow_ups"),
        ("round_sessions", "meta", {"active_s": "soon"}, "meta.active_s"),
        ("debriefs", "result", {}, "a debrief must be a non-empty object"),
        ("debriefs", "result", [1], "a debrief must be a non-empty object"),
    ],
)
def test_a_crafted_import_is_refused_and_changes_nothing(
    db: Database, table: str, column: str, value: Any, message: str
) -> None:
    document = _document(db)
    before = copy.deepcopy(document["tables"])
    crafted = json.loads(json.dumps(document))
    crafted["tables"][table][0][column] = value
    with pytest.raises(InputError, match=message) as refused:
        import_data(db, crafted, name="crafted.json", replace=True)
    assert f"crafted.json: tables.{table}[0].{column}" in str(refused.value)
    assert export_data(db)["tables"] == before


@pytest.mark.parametrize(
    "meta", ["garbage", [1], {"cursor": "x", "stage": 7, "active_s": "z"}, {"cursor": 99}]
)
def test_the_room_shows_a_session_with_damaged_state(
    client: PageClient, db: Database, meta: Any
) -> None:
    started = client.submit("/mock/start", {"round_id": "product_sense"})
    session_id = started.headers["location"].split("/")[2]
    client.htmx(f"/mock/{session_id}/autosave", {"seq": "0", "text": "Words I typed."})
    with db.session() as s:  # as an older import, before the checks, could have stored it
        s.execute(update(RoundSession).where(RoundSession.id == session_id).values(meta=meta))
    page = client.page(f"/mock/{session_id}")
    assert page.status_code == 200
    assert "cannot be continued" in page.text
    assert "Words I typed." in page.text
    assert client.page("/practice").status_code == 200
    fresh = client.submit("/mock/start", {"round_id": "product_sense", "fresh": "1"})
    assert fresh.status_code == 303
    assert client.page(fresh.headers["location"]).status_code == 200


def test_the_debrief_page_shows_a_stored_debrief_it_cannot_read(
    client: PageClient, db: Database
) -> None:
    loop_id = _loop_id(db)
    with db.session() as s:
        row = Debrief(user_id=db.user_id, loop_id=loop_id, decision="hire", result={})
        s.add(row)
        s.flush()
        debrief_id = row.id
    for url in ("/debrief", f"/debrief/{debrief_id}"):
        page = client.page(url)
        assert page.status_code == 200, url
        assert "cannot be read" in page.text
