"""PostgreSQL's connection pool: an idle connection that died is replaced, not handed out."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from loopready.store import engine as engine_module
from loopready.store import open_db

pytest_plugins = ["fixtures_db"]
pytestmark = pytest.mark.postgres


def test_an_idle_connection_killed_by_the_server_is_replaced(
    pg_module_databases: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = pg_module_databases.url("pool")
    with open_db(url) as db:
        with db.read_session() as session:
            pid = session.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
        # Another connection ends the pooled one, as a server restart would.
        admin = sa.create_engine(engine_module.normalize_url(url), poolclass=sa.pool.NullPool)
        with admin.connect() as connection:
            connection.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            connection.commit()
        monkeypatch.setattr(engine_module, "PING_IDLE_S", 0.0)  # it has been idle long enough
        with db.read_session() as session:
            again = session.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
        assert again != pid
