"""What every loopready app is built on, local or team: one place for the protections.

:func:`build_app` makes the FastAPI app with CSRF checked on every form and script post,
the error pages, the request body limit, the security headers, the Host check outermost,
the static files and ``/healthz``. Each factory (:mod:`loopready.web.app`,
:mod:`loopready.web.team.app`) adds its own state, lifespan and routers on top.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Final

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from loopready import settings
from loopready.web.csrf import CsrfProtect, csrf_protect, load_or_create_secret
from loopready.web.deps import DatabaseHolder
from loopready.web.errors import install_error_handlers
from loopready.web.hosts import HostCheck
from loopready.web.limits import DEFAULT_LIMIT, BodySizeLimit
from loopready.web.templating import STATIC_DIR

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


def build_app(
    *,
    title: str,
    holder: DatabaseHolder,
    lifespan: Callable[[FastAPI], AbstractAsyncContextManager[None]],
    secret: str | None = None,
    allowed_hosts: Sequence[str] | None = None,
    body_limit: int = DEFAULT_LIMIT,
    limit_overrides: Mapping[str, int] | None = None,
    inner_middleware: Sequence[Callable[[ASGIApp], ASGIApp]] = (),
    health: Mapping[str, str] | None = None,
) -> FastAPI:
    """The app with loopready's protections, before any page is added.

    *secret* signs the CSRF tokens (default: kept in the data folder; the key used is
    ``app.state.secret``). *allowed_hosts* are the names the app answers to (default:
    :func:`loopready.settings.allowed_hosts`). *inner_middleware* run inside the body
    limit, innermost first. ``/healthz`` answers *health* (default ``{"status": "ok"}``).
    """
    app = FastAPI(
        title=title,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(csrf_protect)],
        lifespan=lifespan,
    )
    key = secret or load_or_create_secret(settings.data_dir())
    app.state.db_holder = holder
    app.state.secret = key
    app.state.csrf = CsrfProtect(key)
    install_error_handlers(app)
    for middleware in inner_middleware:
        app.add_middleware(middleware)
    app.add_middleware(BodySizeLimit, default=body_limit, overrides=limit_overrides)
    app.add_middleware(SecurityHeaders)
    # Outermost: a request to a name that is not loopready's gets no further.
    hosts = tuple(settings.allowed_hosts() if allowed_hosts is None else allowed_hosts)
    app.state.allowed_hosts = hosts
    app.add_middleware(HostCheck, allowed=hosts)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    answer = dict(health or {"status": "ok"})

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return answer

    return app
