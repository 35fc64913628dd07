"""Database fixtures shared by the storage tests, run on SQLite and on PostgreSQL.

Load them with ``pytest_plugins = ["fixtures_db"]`` in a test module. SQLite cases get new
files per test (``db``: a copy of a migrated template; ``db_url``: an empty path).
PostgreSQL cases share up to three databases per module, created on first use and dropped
when the module ends (creating and dropping one costs about half a second, checkpoints
included): ``db`` and ``other_db`` are emptied of rows before each test and ``db_url``
loses its whole schema, so every test starts from a known state.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import ExitStack, closing
from pathlib import Path

import pytest
import sqlalchemy as sa

import pg
from loopready.store import (
    Database,
    create_engine,
    open_db,
)

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def url_of(db: Database) -> str:
    """The URL of *db*, password included (for a second connection or a subprocess)."""
    return db.engine.url.render_as_string(hide_password=False)


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty, unmigrated database: a new SQLite file, or the module's
    PostgreSQL database for this purpose with its schema dropped and recreated."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    databases: _ModuleDatabases = request.getfixturevalue("pg_module_databases")
    return pg.reset(databases.url("db_url"))


class _ModuleDatabases:
    """PostgreSQL databases shared by one module's tests, created when first asked for."""

    def __init__(self, server: str) -> None:
        self.server = server
        self.urls: dict[str, str] = {}
        self.stack = ExitStack()

    def url(self, purpose: str) -> str:
        if purpose not in self.urls:
            self.urls[purpose] = self.stack.enter_context(pg.fresh_database(self.server))
        return self.urls[purpose]


@pytest.fixture(scope="module")
def pg_module_databases() -> Iterator[_ModuleDatabases]:
    """The module's PostgreSQL databases, one per fixture that asks (by fixture name)."""
    databases = _ModuleDatabases(pg.server_url())
    with databases.stack:
        yield databases


def _emptied(url: str) -> str:
    """*url*, after deleting every user, which deletes every row (foreign keys cascade)."""
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            if sa.inspect(connection).has_table("users"):
                connection.execute(sa.text("DELETE FROM users"))
    finally:
        engine.dispose()
    return url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, empty SQLite file, copied for each test: copying takes
    milliseconds, migrating takes most of a second. (``db_url`` tests migrate for real.)"""
    path = tmp_path_factory.mktemp("template") / "migrated.db"
    open_db(f"sqlite:///{path}").close()
    with closing(sqlite3.connect(path)) as connection:
        # Without users, each copy creates its own local user (with its own id) on open.
        connection.execute("DELETE FROM users")
        connection.commit()
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def _open(request: pytest.FixtureRequest, backend: str, tmp_path: Path, n: int) -> Database:
    if backend == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / f"test{n}.db"
        shutil.copyfile(template, path)
        return open_db(f"sqlite:///{path}")
    databases: _ModuleDatabases = request.getfixturevalue("pg_module_databases")
    return open_db(_emptied(databases.url(f"db{n}")))


@pytest.fixture(params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """An open, migrated database holding only the local user (SQLite, then PostgreSQL)."""
    database = _open(request, request.param, tmp_path, 0)
    yield database
    database.close()


@pytest.fixture
def other_db(db: Database, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A second empty database on the same backend as ``db`` (with its own local user)."""
    backend = "sqlite" if db.dialect == "sqlite" else "postgres"
    database = _open(request, backend, tmp_path, 1)
    yield database
    database.close()


@pytest.fixture
def env_db(db: Database, monkeypatch: pytest.MonkeyPatch) -> Database:
    """``db``, with ``LOOPREADY_DATABASE_URL`` pointing at it, for CLI tests."""
    monkeypatch.setenv("LOOPREADY_DATABASE_URL", url_of(db))
    return db
