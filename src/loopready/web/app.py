"""The app factory: middleware, error pages, static files and one router per page family.

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

from fastapi import APIRouter, Depends, FastAPI
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from loopready import settings
from loopready.store import Database
from loopready.web.csrf import CsrfProtect, csrf_protect, load_or_create_secret
from loopready.web.deps import DatabaseHolder
from loopready.web.errors import install_error_handlers
from loopready.web.hosts import HostCheck
from loopready.web.limits import DEFAULT_LIMIT, BodySizeLimit, GradingGate, tune_for_serving
from loopready.web.templating import STATIC_DIR

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

CONTENT_SECURITY_POLICY: Final = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)
_SECURITY_HEADERS: Final[tuple[tuple[bytes, bytes], ...]] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
)


class SecurityHeaders:
    """Adds the content-security policy and friends to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name for name, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in _SECURITY_HEADERS if k not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, with_headers)


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
            security_headers=SecurityHeaders,
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

    app = FastAPI(
        title="loopready",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(csrf_protect)],
        lifespan=lifespan,
    )
    app.state.db_holder = holder
    app.state.csrf = CsrfProtect(secret or load_or_create_secret(settings.data_dir()))
    install_error_handlers(app)
    app.add_middleware(GradingGate)
    app.add_middleware(BodySizeLimit, default=body_limit, overrides=limit_overrides)
    app.add_middleware(SecurityHeaders)
    # Outermost: a request to a name that is not loopready's gets no further.
    hosts = tuple(settings.allowed_hosts() if allowed_hosts is None else allowed_hosts)
    app.state.allowed_hosts = hosts
    app.add_middleware(HostCheck, allowed=hosts)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

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
