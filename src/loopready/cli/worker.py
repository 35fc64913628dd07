"""``loopready worker``: run the team mode's background jobs."""

from __future__ import annotations

import os

import click


@click.command("worker")
@click.option("--once", is_flag=True, help="Run the jobs waiting now, then stop (for scripts).")
def worker(once: bool) -> None:
    """Run team mode's background jobs (grading a live mock's answer for its report).

    Jobs wait in the PostgreSQL database of LOOPREADY_DATABASE_URL; a failed job is tried
    again up to three times. Run one worker or several beside the app processes
    (docs/team.md). The local mode needs no worker.

    \b
    Example:
        loopready worker
    """
    from loopready.store import open_db
    from loopready.team.jobs import ensure_queue, run_worker
    from loopready.team.mode import require_postgres

    url = require_postgres(os.environ.get("LOOPREADY_DATABASE_URL"))
    with open_db(url) as db:
        ensure_queue(db)
    if not once:
        click.echo("loopready worker: running jobs. Press Ctrl+C to stop.")
    run_worker(url, once=once)
