"""Web: the settings and data page, export and import."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from loopready.packs import get_pack
from loopready.store import Database, count_rows, open_db
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


def _rows(db: Database) -> dict[str, int]:
    with db.read_session() as s:
        return count_rows(s, db.user_id)


def test_settings_shows_where_the_data_lives(client: PageClient, loopready_home: Path) -> None:
    page = client.page("/settings")
    assert page.status_code == 200
    assert str(loopready_home) in page.text
    assert "loopready.db" in page.text
    assert "up to date" in page.text
    assert "round sessions" in page.text


def test_database_password_is_masked() -> None:
    from loopready.store import mask_url

    masked = mask_url("postgresql://me:hunter2@db.local:5432/loopready")
    assert "hunter2" not in masked and "***" in masked


def test_export_downloads_every_row(client: PageClient, db: Database) -> None:
    seed_attempt(db, get_pack(), "product_sense", "We start with lapsed players.", score=61)
    got = client.get("/settings/export")
    assert got.status_code == 200
    assert got.headers["content-type"].startswith("application/json")
    assert 'attachment; filename="loopready-export-' in got.headers["content-disposition"]
    document = got.json()
    assert document["format"] == "loopready-export"
    assert len(document["tables"]["round_sessions"]) == 1
    assert document["tables"]["turns"][0]["text"] == "We start with lapsed players."


def _import(client: PageClient, payload: bytes, replace: bool = False) -> object:
    fields = {"csrf_token": client.ensure_token()}
    if replace:
        fields["replace"] = "1"
    return client.post(
        "/settings/import",
        data=fields,
        files={"file": ("backup.json", payload, "application/json")},
    )


def test_import_restores_an_export_into_an_empty_install(
    client: PageClient, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_attempt(db, get_pack(), "technical_depth", "Drift is watched weekly.", score=70)
    backup = client.get("/settings/export").content
    monkeypatch.setenv("LOOPREADY_HOME", str(tmp_path / "other"))
    with open_db() as fresh, PageClient(create_app(fresh)) as other:
        page = _import(other, backup)
        assert page.status_code == 200
        assert "Imported backup.json" in page.text
        assert _rows(fresh)["round_sessions"] == 1
        again = _import(other, backup)
        assert "0 rows added" in again.text
        assert _rows(fresh)["round_sessions"] == 1


def test_replace_keeps_a_backup_of_what_was_there(
    client: PageClient, db: Database, loopready_home: Path
) -> None:
    empty = client.get("/settings/export").content
    seed_attempt(db, get_pack(), "product_sense", "Something to lose.", score=50)
    page = _import(client, empty, replace=True)
    assert page.status_code == 200
    assert "Replaced" in page.text
    assert _rows(db)["round_sessions"] == 0
    backups = list((loopready_home / "backups").glob("before-import-*.json"))
    assert len(backups) == 1
    saved = json.loads(backups[0].read_text(encoding="utf-8"))
    assert saved["tables"]["turns"][0]["text"] == "Something to lose."


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe\x00", "not UTF-8 text"),
        (b'{"format": "something-else"}', "backup.json"),
    ],
)
def test_a_bad_file_changes_nothing(
    client: PageClient, db: Database, payload: bytes, message: str
) -> None:
    seed_attempt(db, get_pack(), "product_sense", "Keep me.", score=50)
    before = _rows(db)
    page = _import(client, payload, replace=True)
    assert page.status_code == 400
    assert message in page.text
    assert "Traceback" not in page.text
    assert _rows(db) == before


def test_import_without_a_file(client: PageClient) -> None:
    page = client.submit("/settings/import")
    assert page.status_code == 400
    assert "Choose an export file" in page.text


def test_two_replacing_imports_in_one_second_keep_two_backups(
    client: PageClient, db: Database, loopready_home: Path
) -> None:
    empty = client.get("/settings/export").content
    seed_attempt(db, get_pack(), "product_sense", "First data.", score=50)
    assert _import(client, empty, replace=True).status_code == 200
    seed_attempt(db, get_pack(), "product_sense", "Second data.", score=50)
    assert _import(client, empty, replace=True).status_code == 200
    backups = sorted((loopready_home / "backups").glob("before-import-*.json"))
    assert len(backups) == 2
    texts = {
        json.loads(b.read_text(encoding="utf-8"))["tables"]["turns"][0]["text"] for b in backups
    }
    assert texts == {"First data.", "Second data."}
    for backup in backups:
        assert backup.stat().st_mode & 0o777 == 0o600


def test_a_backup_never_replaces_another_with_the_same_name(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import datetime

    from loopready.store import transfer

    class FrozenClock(datetime):  # every backup in the same microsecond
        @classmethod
        def now(cls, tz: object = None) -> FrozenClock:  # type: ignore[override]
            return cls(2026, 12, 7, 6, 0, 0, 0)

    monkeypatch.setattr(transfer, "datetime", FrozenClock)
    folder = tmp_path / "backups"
    first = transfer.write_backup(db, folder)
    first.write_text("the first backup", encoding="utf-8")
    second = transfer.write_backup(db, folder)
    assert second != first
    assert first.read_text(encoding="utf-8") == "the first backup"
    assert json.loads(second.read_text(encoding="utf-8"))["format"] == "loopready-export"
