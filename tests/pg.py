"""PostgreSQL for the test-suite: a fresh database per test, dropped afterwards.

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
        with admin.connect() as connection:
            # FORCE: a failed test may still hold connections; they must not leak databases.
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
