"""The team mode's app: the same protections as the local app, sign-in, live mocks."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Final

from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import WebSocketRoute

from loopready.store import Database
from loopready.team.bus import LiveBus
from loopready.team.mode import TeamModeError, require_postgres
from loopready.web.base import build_app
from loopready.web.deps import DatabaseHolder
from loopready.web.team.deps import LoginRequired


async def _to_login(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, LoginRequired)
    return RedirectResponse((exc.headers or {}).get("location", "/login"), status_code=303)


#: Threads for blocking work (database reads, page rendering). Each waits on PostgreSQL
#: for a millisecond or so; more threads than this only fight the event loop for the GIL
#: (slowing every live event) and outnumber the connection pool.
THREADS: Final = 8


def _limit_threads() -> None:
    import anyio.to_thread

    anyio.to_thread.current_default_thread_limiter().total_tokens = THREADS


def _compile_templates() -> None:
    """Compile the team pages before the first visitors: pages asked for at once would
    otherwise each compile the same template, on every thread."""
    from loopready.web.templating import templates

    for name in ("room.html", "report.html", "home.html", "login.html", "join.html"):
        templates.env.get_template(f"team/{name}")


def _freeze_startup_objects() -> None:
    """Leave what startup made (modules, the pack, compiled templates) out of the garbage
    collector's full passes: on this heap each took 100-300 ms on a busy machine, and held
    every page and live event of the process that long, usually to free nothing."""
    import gc

    gc.collect()
    gc.freeze()


def create_team_app(
    db: Database | None = None,
    *,
    database_url: str | None = None,
    secret: str | None = None,
    allowed_hosts: Sequence[str] | None = None,
) -> FastAPI:
    """The team app, on PostgreSQL (:class:`TeamModeError` for SQLite), with the same
    protections as the local app (:func:`loopready.web.base.build_app`)."""
    if db is not None:
        if db.dialect != "postgresql":
            raise TeamModeError(
                "Team mode needs PostgreSQL; this database is SQLite. See docs/team.md."
            )
        url = db.engine.url.render_as_string(hide_password=False)
    else:
        url = require_postgres(database_url or os.environ.get("LOOPREADY_DATABASE_URL"))
    holder = DatabaseHolder(db, url)
    bus = LiveBus(url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        from loopready.team.jobs import ensure_queue

        ensure_queue(holder.get())  # migrate, connect and make the job queue first
        _limit_threads()
        _compile_templates()
        await bus.start()
        _freeze_startup_objects()
        yield
        await bus.stop()
        holder.close()

    app = build_app(
        title="loopready team",
        holder=holder,
        lifespan=lifespan,
        secret=secret,
        allowed_hosts=allowed_hosts,
        health={"status": "ok", "mode": "team"},
    )
    app.state.team_secret = app.state.secret
    app.state.live_bus = bus
    app.state.team = True
    app.add_exception_handler(LoginRequired, _to_login)

    from loopready.web.team import coach, practice, routes, ws

    app.include_router(routes.router)
    app.include_router(coach.router)
    app.include_router(practice.router)
    app.router.routes.append(WebSocketRoute("/live/{mock_id}/ws", ws.live_socket))
    app.state.served_paths = frozenset({"/healthz"})
    return app
