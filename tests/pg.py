"""PostgreSQL for the test-suite: fresh databases, dropped afterwards.

``LOOPREADY_TEST_POSTGRES_URL`` names a server-level URL whose role may create databases,
for example the one ``.ci/postgres.sh`` prints. Without it the PostgreSQL cases are
skipped, except under ``CI=true``, where a missing server fails the run: CI must not pass
by quietly testing only SQLite.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from loopready.store import mask_url, normalize_url

ENV = "LOOPREADY_TEST_POSTGRES_URL"
UNAVAILABLE = (
    "PostgreSQL not available: install Debian's postgresql package "
    "(.ci/postgres.sh does it) or set LOOPREADY_TEST_POSTGRES_URL"
)


def in_ci() -> bool:
    """Whether the run is CI's (``CI=true``), where nothing may be skipped for lack of PG."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def server_url() -> str:
    """The server URL, or skip the test (fail it under CI) when none is configured."""
    url = os.environ.get(ENV, "").strip()
    if not url:
        if in_ci():
            pytest.fail(UNAVAILABLE, pytrace=False)
        pytest.skip(UNAVAILABLE)
    return url


@contextmanager
def fresh_database(server: str) -> Iterator[str]:
    """Create an empty database on *server*; yield its URL; drop it afterwards."""
    base = normalize_url(server)
    name = f"loopready_test_{uuid.uuid4().hex[:16]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except sa.exc.OperationalError as error:
        admin.dispose()
        pytest.fail(f"Cannot reach PostgreSQL at {mask_url(base)} ({ENV}): {error.orig}")
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        try:
            _drop(admin, name)
        finally:
            admin.dispose()


def _drop(admin: sa.Engine, name: str) -> None:
    with admin.connect() as connection:
        try:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
        except sa.exc.OperationalError:
            # A failed test may have left a connection open; end it rather than leak the
            # database. (Plain DROP first: FORCE may not end autovacuum workers, which
            # plain DROP stops by itself.)
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def reset(url: str) -> str:
    """Empty the database at *url* completely (tables, alembic_version and all); return it."""
    engine = sa.create_engine(normalize_url(url), poolclass=NullPool)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("DROP SCHEMA public CASCADE")
            connection.exec_driver_sql("CREATE SCHEMA public")
    finally:
        engine.dispose()
    return url
