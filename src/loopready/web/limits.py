"""Request-size limits: a request body larger than its limit gets a friendly 413 page.

Most forms carry at most an answer (a few tens of kilobytes), so the default limit is
2 MB; uploads of a pack file, of a data backup or of a spoken answer (the mock room's
``/mock/{id}/audio``) have their own, larger limits. A body
that declares its size (``Content-Length``) is refused before a byte of it is read; one
sent in chunks is counted as it arrives and refused as soon as it passes the limit.

Requests that grade an answer are limited too, in number: :class:`GradingGate` runs one
at a time, so a burst of hand-ins neither starves the pages of CPU nor multiplies the
model's working memory.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping
from typing import Final

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MB: Final = 1024 * 1024
DEFAULT_LIMIT: Final = 2 * MB
PACK_UPLOAD_LIMIT: Final = 5 * MB
IMPORT_LIMIT: Final = 64 * MB
#: A recording or audio file (the speech module refuses files over 200 MB itself).
AUDIO_UPLOAD_LIMIT: Final = 200 * MB
#: Path prefix -> limit in bytes; the longest matching prefix wins. A ``*`` segment
#: matches any one segment of the path (``/mock/*/audio``: every session's audio route).
DEFAULT_OVERRIDES: Final[Mapping[str, int]] = {
    "/packs/validate": PACK_UPLOAD_LIMIT,
    "/packs/install": PACK_UPLOAD_LIMIT,
    "/settings/import": IMPORT_LIMIT,
    "/mock/*/audio": AUDIO_UPLOAD_LIMIT,
}
_BODY_METHODS: Final = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def describe_size(n: int) -> str:
    """``2097152`` -> ``"2 MB"``; ``1536`` -> ``"1.5 KB"``."""
    for unit, size in (("MB", MB), ("KB", 1024)):
        if n >= size:
            value = n / size
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{n} bytes"


class BodyTooLarge(HTTPException):
    """413, with a message that says what the limit is and what to do."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(
            status_code=413,
            detail=(
                f"What you sent is larger than this page accepts ({describe_size(limit)}). "
                "Send a smaller file or a shorter text, or split it into parts."
            ),
        )


class BodySizeLimit:
    """ASGI middleware refusing request bodies over a per-path limit."""

    def __init__(
        self,
        app: ASGIApp,
        default: int = DEFAULT_LIMIT,
        overrides: Mapping[str, int] | None = None,
    ) -> None:
        self.app = app
        self.default = default
        self.overrides = dict(DEFAULT_OVERRIDES if overrides is None else overrides)

    def limit_for(self, path: str) -> int:
        best, best_len = self.default, -1
        for prefix, limit in self.overrides.items():
            if _matches(prefix, path) and len(prefix) > best_len:
                best, best_len = limit, len(prefix)
        return best

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _refuse(scope, receive, send, limit)
            return

        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if started:
                raise
            await _refuse(scope, receive, send, limit)


def _matches(prefix: str, path: str) -> bool:
    """Whether *path* starts with *prefix*, a ``*`` segment of which matches any one segment."""
    if "*" not in prefix:
        return path.startswith(prefix)
    wanted, parts = prefix.split("/"), path.split("/")
    if len(parts) < len(wanted):
        return False
    for i, (want, part) in enumerate(zip(wanted, parts, strict=False)):
        if want == "*":
            if not part:
                return False
        elif i == len(wanted) - 1:
            if not part.startswith(want):
                return False
        elif want != part:
            return False
    return True


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
    from loopready.web.errors import error_response

    request = Request(scope, receive)
    response = error_response(request, BodyTooLarge(limit))
    response.headers["connection"] = "close"
    await response(scope, receive, send)


# -- grading concurrency -------------------------------------------------------------------

#: Routes whose POST runs the grader (the embedding model, on every CPU core it is given).
GRADING_PATHS: Final = (
    "/mock/*/submit",
    "/offers/negotiate",
    "/debrief/run",
    "/drills/*/answer",
    "/stories/*/tell",
)
#: Gradings run at a time. The model already uses the cores for one answer; running more at
#: once made every page wait behind them and took the server from ~330 MB to over 500 MB
#: under 20 clients (each run holds its own activations). Others wait here, off the threads.
GRADING_SLOTS: Final = 1


class GradingGate:
    """ASGI middleware letting at most *slots* grading requests run at once (the rest queue)."""

    def __init__(
        self, app: ASGIApp, slots: int = GRADING_SLOTS, paths: tuple[str, ...] = GRADING_PATHS
    ) -> None:
        self.app = app
        self.slots = slots
        self.paths = paths
        self._gate: asyncio.Semaphore | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def grades(self, method: str, path: str) -> bool:
        return method == "POST" and any(_matches(prefix, path) for prefix in self.paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.grades(scope["method"], scope["path"]):
            await self.app(scope, receive, send)
            return
        loop = asyncio.get_running_loop()
        if self._gate is None or self._loop is not loop:  # one per event loop (test clients)
            self._gate, self._loop = asyncio.Semaphore(self.slots), loop
        async with self._gate:
            await self.app(scope, receive, send)


# -- serving threads and memory ------------------------------------------------------------

#: Worker threads for the app's (synchronous) routes. A page needs the CPU for a few
#: milliseconds; more threads than this only interleave them, and each thread that ever
#: ran gives glibc another malloc arena to fragment (the 40 by default let the server grow
#: by 150 MB under 20 clients without serving them any faster).
ROUTE_THREADS: Final = 12
#: glibc malloc arenas (M_ARENA_MAX); the default is eight per core.
MALLOC_ARENAS: Final = 2
_M_ARENA_MAX: Final = -8


def tune_for_serving() -> None:
    """Bound the route threads and malloc arenas; call from the running server's loop."""
    import ctypes
    import ctypes.util

    import anyio.to_thread

    anyio.to_thread.current_default_thread_limiter().total_tokens = ROUTE_THREADS
    name = ctypes.util.find_library("c")
    if name:  # not glibc (no mallopt): its allocator has its own policy
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(name).mallopt(_M_ARENA_MAX, MALLOC_ARENAS)
