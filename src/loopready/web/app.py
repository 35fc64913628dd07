"""The app factory: the protections of :func:`loopready.web.base.build_app` and one
router per page family.

``create_app()`` is cheap: the database is opened on the first request that needs it (or
given ready-made, as the tests and benchmarks do), so importing the app costs nothing.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Final

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute

from loopready.store import Database
from loopready.web.base import CONTENT_SECURITY_POLICY, SecurityHeaders, build_app
from loopready.web.deps import DatabaseHolder
from loopready.web.limits import DEFAULT_LIMIT, GradingGate, tune_for_serving

__all__ = ["CONTENT_SECURITY_POLICY", "ROUTERS", "SecurityHeaders", "create_app"]

#: Router modules under ``loopready.web.routes``, one per page family. A later page
#: (plan, stories, brief, offers) adds its module here; its nav entry then appears.
ROUTERS: Final[tuple[str, ...]] = (
    "dashboard",
    "loop",
    "mock",
    "reports",
    "debrief",
    "posting",  # before "packs": /packs/from-posting is not a pack id
    "packs",
    "settings",
    "plan",
    "research",
    "stories",
    "drills",
    "brief",
    "offers",
    "audio",
)


def _purge_stale_uploads() -> None:
    """Delete recordings a crash left in the uploads folder, so audio is never kept by accident."""
    from loopready.speech.uploads import purge_stale_uploads

    try:
        purge_stale_uploads()
    except OSError as exc:  # a locked or unreadable file must not stop the server starting
        logging.getLogger("loopready.web").warning("could not clear old uploads: %s", exc)


def _warm_grader() -> None:
    """Grade a few words once, so the model is loaded before anyone hands an answer in."""
    from loopready.errors import LoopreadyError
    from loopready.grading.service import build_request, grade_request

    try:
        grade_request(build_request("A first answer to load the model.", round_id="product_sense"))
    except (LoopreadyError, OSError, RuntimeError) as exc:  # the first real hand-in says why
        logging.getLogger("loopready.web").warning("grader not preloaded: %s", exc)


def create_app(
    db: Database | None = None,
    *,
    database_url: str | None = None,
    secret: str | None = None,
    body_limit: int = DEFAULT_LIMIT,
    limit_overrides: Mapping[str, int] | None = None,
    allowed_hosts: Sequence[str] | None = None,
    team: bool | None = None,
) -> FastAPI:
    """Build the web app.

    *db* is an open database to use (the caller closes it); otherwise the app opens
    *database_url* (default: :func:`loopready.settings.database_url`) on first use.
    *secret* signs CSRF tokens; by default it is kept in the data folder.
    *allowed_hosts* are the names the app answers to (``Host``, ``Origin``); by default
    :func:`loopready.settings.allowed_hosts`.
    *team* (default: ``LOOPREADY_TEAM``) serves the team mode's pages instead, on
    PostgreSQL only (see :mod:`loopready.web.team.app`).
    """
    if team is None:
        from loopready.team.mode import team_mode

        team = team_mode()
    if team:
        from loopready.web.team.app import create_team_app

        return create_team_app(
            db,
            database_url=database_url,
            secret=secret,
            allowed_hosts=allowed_hosts,
        )
    holder = DatabaseHolder(db, database_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        _purge_stale_uploads()
        if db is None:  # served for real: load the grader now, not on the first hand-in
            tune_for_serving()
            threading.Thread(target=_warm_grader, name="warm-grader", daemon=True).start()
        yield
        holder.close()

    app = build_app(
        title="loopready",
        holder=holder,
        lifespan=lifespan,
        secret=secret,
        allowed_hosts=allowed_hosts,
        body_limit=body_limit,
        limit_overrides=limit_overrides,
        inner_middleware=(GradingGate,),
    )

    served: set[str] = {"/healthz"}
    for name in ROUTERS:
        module = importlib.import_module(f"loopready.web.routes.{name}")
        router: APIRouter = module.router
        app.include_router(router)
        served.update(
            route.path
            for route in router.routes
            if isinstance(route, APIRoute)
            and "GET" in (route.methods or ())
            and "{" not in route.path
        )
    app.state.served_paths = frozenset(served)
    return app
