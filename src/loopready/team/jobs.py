"""Background work in team mode: a PostgreSQL-backed job queue (``procrastinate``).

When a live mock ends, grading its answer for the report is a job; ``loopready worker``
runs the jobs, retrying a failed one up to :data:`MAX_ATTEMPTS` times. The queue's tables
(``procrastinate_*``) live in the team database beside loopready's own; they are created
on first use, under an advisory lock (that SQL is in :mod:`loopready.store.team_jobs`).
The local mode never imports this module: it keeps its in-process worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Final

from loopready.errors import MissingExtra
from loopready.store import Database
from loopready.store import team_jobs as queue_sql
from loopready.store.engine import libpq_conninfo

if TYPE_CHECKING:
    import procrastinate

log = logging.getLogger("loopready.team.jobs")

#: Attempts at a job before it is left failed (the report then grades on demand).
MAX_ATTEMPTS: Final = 3
GRADE_TASK: Final = "loopready.grade_live_mock"


@lru_cache(maxsize=4)
def job_app(url: str) -> procrastinate.App:
    """The queue of the team database at *url*, with loopready's tasks."""
    try:
        import procrastinate
    except ImportError as error:
        raise MissingExtra("procrastinate", "team", "Background jobs in team mode") from error
    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=libpq_conninfo(url)))

    @app.task(
        name=GRADE_TASK,
        retry=procrastinate.RetryStrategy(max_attempts=MAX_ATTEMPTS - 1, exponential_wait=2),
    )
    def grade_live_mock(mock_id: str) -> None:
        from loopready.store import open_db
        from loopready.store import team_repo as repo
        from loopready.team.reports import grader_reading

        with open_db(url) as db:
            with db.read_session() as session:
                mock = repo.live_mock(session, mock_id)
            if mock is not None:
                grader_reading(db, mock)

    return app


def ensure_queue(db: Database) -> None:
    """Create the queue's tables in *db* unless they exist (safe with several processes)."""
    queue_sql.ensure_queue_tables(db)


def url_of(db: Database) -> str:
    return db.engine.url.render_as_string(hide_password=False)


def enqueue_grading(db: Database, mock_id: str) -> None:
    """Queue the grading of an ended mock's answer (once: a queued job is not repeated)."""
    from procrastinate.exceptions import AlreadyEnqueued

    ensure_queue(db)  # queued even before any worker has started: it runs when one does
    app = job_app(url_of(db))
    # A grading already queued for this mock is enough.
    with app.open(), contextlib.suppress(AlreadyEnqueued):
        task = app.configure_task(GRADE_TASK, queueing_lock=f"grade:{mock_id}")
        task.defer(mock_id=mock_id)


def after_event(db: Database, kind: str, mock_id: str) -> None:
    """The background work an event starts: grading when a mock ends.

    A queue that cannot be reached stops nothing: the report then grades by itself.
    """
    if kind != "ended":
        return
    try:
        enqueue_grading(db, mock_id)
    except Exception as error:
        log.warning("could not queue the grading of live mock %s: %s", mock_id, error)


def grading_status(db: Database, mock_id: str) -> dict[str, Any] | None:
    """The newest grading job of *mock_id*: ``status`` and ``attempts``, or None."""
    found = queue_sql.newest_job(db, GRADE_TASK, mock_id)
    return {"status": found[0], "attempts": found[1]} if found else None


def run_worker(url: str, *, once: bool = False) -> None:
    """Run jobs until stopped (with *once*: until the queue is empty)."""
    app = job_app(url)
    _outside_any_loop(lambda: app.run_worker(wait=not once, install_signal_handlers=not once))


def _outside_any_loop(call: Callable[[], None]) -> None:
    """Run *call*, which starts an event loop of its own, even where one already runs.

    ``asyncio.run`` refuses to start while this thread runs a loop (a notebook, a host that
    embeds loopready, a test session driving a browser); the call then gets a thread of its
    own and this one waits for it.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        call()
        return
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="loopready-worker") as pool:
        pool.submit(call).result()
