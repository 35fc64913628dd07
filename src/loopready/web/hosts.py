"""Answer only to this computer's own names: the defence against DNS rebinding.

A web page from another site can point a name it controls (``evil.example``) at
127.0.0.1 and then read loopready's pages as its own, since to the browser they are the
same origin. Such requests still carry ``Host: evil.example``, so the app refuses every
request whose ``Host`` is not one of its names (:func:`loopready.settings.allowed_hosts`):
the loopback names, the ``--host`` it was started with and ``LOOPREADY_PUBLIC_HOST``.

The matching is Starlette's :class:`~starlette.middleware.trustedhost.TrustedHostMiddleware`;
this wrapper only replaces its bare "Invalid host header" with a page that says which
address to open instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final
from urllib.parse import urlsplit

from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_ACCEPTED: Final = "loopready.host_accepted"


def origin_host(value: str) -> str | None:
    """The host name of an ``Origin`` or ``Referer`` value, as a ``Host`` header writes it."""
    try:
        parts = urlsplit(value)
        hostname = parts.hostname
    except ValueError:
        return None
    if not hostname:
        return None
    return f"[{hostname}]" if ":" in hostname else hostname.lower()


def refusal_text(host: str, port: int | None) -> str:
    """What a refused request is told: which address to use instead."""
    where = f"http://127.0.0.1:{port}/" if port else "http://127.0.0.1/"
    return (
        f"loopready does not answer to the name {host or '(none)'!r}, so it refused this "
        f"request (a web page of another site may be trying to reach your data).\n\n"
        f"Open loopready at {where} (or http://localhost:{port or 80}/) instead.\n\n"
        "If you serve loopready under another name on purpose, set LOOPREADY_PUBLIC_HOST "
        "to that name and start it again.\n"
    )


class HostCheck:
    """ASGI middleware: a request with a ``Host`` not in *allowed* gets a 400 that explains."""

    def __init__(self, app: ASGIApp, allowed: Sequence[str]) -> None:
        self.app = app
        self.allowed = tuple(name.lower() for name in allowed)
        self._check = TrustedHostMiddleware(
            self._accept, allowed_hosts=self.allowed, www_redirect=False
        )

    async def _accept(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope[_ACCEPTED] = True
        await self.app(scope, receive, send)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        refused = False

        async def guarded_send(message: Message) -> None:
            nonlocal refused
            if scope.get(_ACCEPTED):
                await send(message)
            else:  # Starlette's own refusal: replaced below by one that says what to do
                refused = True

        await self._check(scope, receive, guarded_send)
        if refused and scope["type"] == "websocket":
            # A WebSocket handshake to another name: refuse it (1008, policy violation).
            await send({"type": "websocket.close", "code": 1008})
            return
        if refused and scope["type"] == "http":
            host = ""
            for name, value in scope.get("headers", []):
                if name == b"host":
                    host = value.decode("latin-1")
            server = scope.get("server")
            port = server[1] if server and len(server) > 1 else None
            response = PlainTextResponse(
                refusal_text(host, port),
                status_code=400,
                headers={"x-content-type-options": "nosniff", "cache-control": "no-store"},
            )
            await response(scope, receive, send)
