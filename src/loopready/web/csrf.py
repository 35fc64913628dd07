"""Cross-site request forgery protection for every state-changing request.

The browser holds a random value in an HttpOnly, SameSite=Strict cookie. Each page carries
a token that is that value signed with the install's secret (``itsdangerous``): forms send
it in a hidden ``csrf_token`` field, HTMX and ``fetch`` calls in the ``X-CSRF-Token``
header. A POST, PUT, PATCH or DELETE passes only when the token's signature is good and
its value matches the cookie, and when its ``Origin`` header (else its ``Referer``, if any)
names one of the app's own host names (see :mod:`loopready.web.hosts`).
Another site can make the browser send the cookie, but cannot read the page to learn the
token.

The secret lives in the data folder (``web-secret.key``, readable by its owner only), so
tokens in pages that were open survive a restart of the server: nothing typed is refused
because the server came back.
"""

from __future__ import annotations

import hmac
import os
import secrets
from pathlib import Path
from typing import Final

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeSerializer
from starlette.exceptions import HTTPException

from loopready.web.hosts import origin_host

COOKIE: Final = "lr_csrf"
FIELD: Final = "csrf_token"
HEADER: Final = "x-csrf-token"
SECRET_FILE: Final = "web-secret.key"
SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_SALT: Final = "loopready.web.csrf"
_NEW_COOKIE: Final = "csrf_new_cookie"


class CsrfRejected(HTTPException):
    """403: the request's token is missing, forged or from another site."""

    def __init__(self, detail: str) -> None:
        super().__init__(status_code=403, detail=detail)


def load_or_create_secret(folder: Path) -> str:
    """The install's signing secret, created (mode 0600) in *folder* on first use."""
    path = folder / SECRET_FILE
    try:
        value = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        value = ""
    if len(value) >= 32:
        return value
    value = secrets.token_urlsafe(48)
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(value + "\n")
    return value


class CsrfProtect:
    """Issues tokens for pages and checks them on state-changing requests."""

    def __init__(self, secret: str) -> None:
        self._serializer = URLSafeSerializer(secret, salt=_SALT)

    # -- issuing ---------------------------------------------------------------------------

    def _cookie_value(self, request: Request) -> str:
        value = request.cookies.get(COOKIE, "")
        if 20 <= len(value) <= 100:
            return value
        fresh: str | None = getattr(request.state, _NEW_COOKIE, None)
        if fresh is None:
            fresh = secrets.token_urlsafe(32)
            setattr(request.state, _NEW_COOKIE, fresh)
        return fresh

    def token_for(self, request: Request) -> str:
        """The token to embed in a page served for *request*."""
        return str(self._serializer.dumps(self._cookie_value(request)))

    @staticmethod
    def apply_cookie(request: Request, response: Response) -> None:
        """Set the cookie on *response* if this request had none."""
        fresh = getattr(request.state, _NEW_COOKIE, None)
        if fresh is not None:
            response.set_cookie(
                COOKIE, fresh, httponly=True, samesite="strict", path="/", max_age=400 * 86400
            )

    # -- checking --------------------------------------------------------------------------

    def check_origin(self, request: Request) -> None:
        """Refuse a request whose ``Origin`` (or, without one, ``Referer``) is not loopready.

        The names are the app's allow-list (:func:`loopready.settings.allowed_hosts`), never
        the request's own ``Host``: a rebound name passes a comparison with ``Host``.
        """
        source = request.headers.get("origin")
        if not source or source == "null":
            source = request.headers.get("referer")
        if not source:
            return
        allowed: tuple[str, ...] = getattr(request.app.state, "allowed_hosts", ())
        if origin_host(source) not in allowed:
            port = f":{request.url.port}" if request.url.port else ""
            raise CsrfRejected(
                "This request came from another web site, so loopready refused it. "
                f"Open loopready's own page (http://127.0.0.1{port}/) and try again."
            )

    def check_token(self, request: Request, token: str | None) -> None:
        cookie = request.cookies.get(COOKIE)
        if not cookie:
            raise CsrfRejected(
                "Your browser did not send loopready's security cookie (cookies may be blocked, "
                "or were cleared). Reload the page, then try again: text you typed is kept "
                "in this browser."
            )
        if not token:
            raise CsrfRejected("The form had no security token. Reload the page, then try again.")
        try:
            value = self._serializer.loads(token)
        except BadSignature:
            raise CsrfRejected(
                "The form's security token is not valid (the page may be from an older "
                "install). Reload the page, then try again."
            ) from None
        if not isinstance(value, str) or not hmac.compare_digest(value, cookie):
            raise CsrfRejected(
                "The form's security token does not match this browser. Reload the page, "
                "then try again."
            )

    async def verify(self, request: Request) -> None:
        """Raise :class:`CsrfRejected` unless *request* is safe or carries a good token."""
        if request.method in SAFE_METHODS:
            return
        self.check_origin(request)
        token = request.headers.get(HEADER)
        if not token:
            content_type = request.headers.get("content-type", "")
            if content_type.startswith(
                ("application/x-www-form-urlencoded", "multipart/form-data")
            ):
                form = await request.form()
                field = form.get(FIELD)
                token = field if isinstance(field, str) else None
                try:
                    self.check_token(request, token)
                except CsrfRejected:
                    # A rejected multipart form never reaches a route: close its spooled
                    # files here rather than leave them to the garbage collector.
                    await form.close()
                    raise
                return
        self.check_token(request, token)


async def csrf_protect(request: Request) -> None:
    """FastAPI dependency applied to every route of the app."""
    protect: CsrfProtect = request.app.state.csrf
    await protect.verify(request)
