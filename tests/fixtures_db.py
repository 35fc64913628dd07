"""Database fixtures shared by the storage tests, run on SQLite and on PostgreSQL.

Load them with ``pytest_plugins = ["fixtures_db"]`` in a test module. SQLite cases get a new
file per test; PostgreSQL cases get a new database per test for ``db_url`` (migration tests)
and, for ``db``, one migrated database per module emptied before each test.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
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
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty, unmigrated database: a SQLite file or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    with pg.fresh_database(pg.server_url()) as url:
        yield url


class _ModuleDatabases:
    """PostgreSQL databases shared by one module's tests, created when first asked for."""

    def __init__(self, server: str) -> None:
        self.server = server
        self.urls: list[str] = []
        self.stack = ExitStack()

    def url(self, n: int) -> str:
        while len(self.urls) <= n:
            self.urls.append(self.stack.enter_context(pg.fresh_database(self.server)))
        return self.urls[n]


@pytest.fixture(scope="module")
def pg_module_databases() -> Iterator[_ModuleDatabases]:
    """Creating a database costs ~0.5 s, so ``db`` and ``other_db`` reuse one per module."""
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


def _open(request: pytest.FixtureRequest, backend: str, tmp_path: Path, n: int) -> Database:
    if backend == "sqlite":
        return open_db(f"sqlite:///{tmp_path / f'test{n}.db'}")
    databases: _ModuleDatabases = request.getfixturevalue("pg_module_databases")
    return open_db(_emptied(databases.url(n)))


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
