"""The SQL of the team mode's job queue (``procrastinate``, in the team database).

:mod:`loopready.team.jobs` holds the queue (its task, deferring, the worker); what it asks
PostgreSQL beside procrastinate's own calls is here: creating the queue's tables once,
under an advisory lock, and the state of a task's newest job for one live mock.
"""

from __future__ import annotations

from typing import Final

from sqlalchemy import text

from loopready.store.engine import Database

#: Key of the advisory lock held while creating the queue's tables ("loopjobs" in ASCII).
SCHEMA_LOCK: Final = 0x6C6F6F706A6F6273
_EXISTS: Final = "SELECT to_regclass('procrastinate_jobs')"


def ensure_queue_tables(db: Database) -> None:
    """Create the ``procrastinate_*`` tables in *db* unless they exist.

    Safe with several processes: the check and the creation hold one advisory lock.
    """
    with db.engine.begin() as connection:
        connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": SCHEMA_LOCK})
        if connection.execute(text(_EXISTS)).scalar() is not None:
            return
        from procrastinate.schema import SchemaManager

        raw = connection.connection.dbapi_connection
        assert raw is not None
        cursor = raw.cursor()
        try:  # no parameters: the schema's own % signs are not placeholders
            cursor.execute(SchemaManager.get_schema())
        finally:
            cursor.close()


def newest_job(db: Database, task_name: str, mock_id: str) -> tuple[str, int] | None:
    """``(status, attempts)`` of the newest *task_name* job for *mock_id*, or None.

    None too when the queue's tables do not exist yet (no job was ever queued).
    """
    with db.engine.connect() as connection:
        if connection.execute(text(_EXISTS)).scalar() is None:
            return None
        row = connection.execute(
            text(
                "SELECT status, attempts FROM procrastinate_jobs WHERE task_name = :task "
                "AND args->>'mock_id' = :mock ORDER BY id DESC LIMIT 1"
            ),
            {"task": task_name, "mock": mock_id},
        ).first()
    return (str(row[0]), int(row[1])) if row else None
