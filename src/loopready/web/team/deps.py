"""Who is signed in, and the sign-in cookie's flags."""

from __future__ import annotations

from fastapi import Request, Response
from starlette.exceptions import HTTPException

from loopready.store import Database
from loopready.team import auth
from loopready.team.accounts import Person
from loopready.web.deps import get_db


class LoginRequired(HTTPException):
    """The page needs a signed-in person; the handler sends the browser to /login."""

    def __init__(self, next_path: str) -> None:
        super().__init__(status_code=303, headers={"location": _login_url(next_path)})


def _login_url(next_path: str) -> str:
    from urllib.parse import quote

    return "/login?next=" + quote(next_path, safe="/")


def signed_in(request: Request) -> Person | None:
    """The person signed in on this browser, or None."""
    if hasattr(request.state, "team_person"):
        cached: Person | None = request.state.team_person
        return cached
    found = auth.current(get_db(request), request.cookies.get(auth.COOKIE))
    request.state.team_person = found
    return found


def require_person(request: Request) -> Person:
    """FastAPI dependency: the signed-in person, or a redirect to the sign-in page."""
    found = signed_in(request)
    if found is None:
        raise LoginRequired(request.url.path)
    return found


def team_db(request: Request) -> Database:
    return get_db(request)


def is_secure(request: Request) -> bool:
    """Secure cookies everywhere but plain http on this computer's own names."""
    host = (request.url.hostname or "").lower()
    return request.url.scheme == "https" or host not in ("127.0.0.1", "localhost", "::1")


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        auth.COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=is_secure(request),
        path="/",
        max_age=int(auth.MAX_AGE.total_seconds()),
    )


def clear_session_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(
        auth.COOKIE, path="/", httponly=True, samesite="lax", secure=is_secure(request)
    )


def safe_next(value: str | None) -> str:
    """A local path to go to after signing in (never another site)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value
