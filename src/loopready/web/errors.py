"""Friendly error pages: every failure becomes a page that says what to do, never a traceback.

HTTP errors (404, 405, 413...), form validation errors, loopready's own errors (whose
messages already say how to fix the problem) and unexpected exceptions each map to a
status and a message. An HTMX request gets the message as a small fragment instead of a
whole page, which the page's script shows where the user is looking.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Final

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse
from starlette.exceptions import HTTPException

from loopready.errors import Conflict, LoopreadyError, NotFound, PackError, StorageError

log = logging.getLogger("loopready.web")

TITLES: Final[dict[int, str]] = {
    400: "That did not work",
    403: "Refused for your safety",
    404: "Page not found",
    405: "Not allowed here",
    409: "Changed elsewhere",
    413: "Too large",
    422: "Some fields need fixing",
    500: "Something went wrong on our side",
    503: "The database is not available",
}

DEFAULT_MESSAGES: Final[dict[int, str]] = {
    404: "There is nothing at this address. It may have been a typo, or the item was deleted.",
    405: "This address does not accept that kind of request. Use the page's own buttons.",
    500: (
        "loopready hit an unexpected problem and could not finish this request. Everything "
        "you saved before is safe. Try again; if it happens again, the server's log in the "
        "terminal says what went wrong."
    ),
}


@dataclass
class Problem:
    """What an error page shows."""

    status: int
    message: str
    lines: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return TITLES.get(self.status, "That did not work")


def problem_of(exc: BaseException) -> Problem:
    """The status and user-facing message for *exc* (never its traceback)."""
    if isinstance(exc, HTTPException):
        detail = exc.detail if isinstance(exc.detail, str) else ""
        generic = not detail or detail == _starlette_phrase(exc.status_code)
        message = DEFAULT_MESSAGES.get(exc.status_code, detail) if generic else detail
        return Problem(exc.status_code, message or "The request could not be completed.")
    if isinstance(exc, RequestValidationError):
        lines = []
        for err in exc.errors():
            loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path")]
            where = ".".join(loc) or "the form"
            lines.append(f"{where}: {err.get('msg', 'invalid')}")
        return Problem(
            422, "The form was missing something or had a value loopready cannot use.", lines
        )
    if isinstance(exc, PackError):
        return Problem(400, "The pack has problems; fix each line below.", list(exc.problems))
    if isinstance(exc, NotFound):
        return Problem(404, str(exc))
    if isinstance(exc, Conflict):
        return Problem(409, str(exc))
    if isinstance(exc, StorageError):
        return Problem(503, str(exc))
    if isinstance(exc, LoopreadyError):
        return Problem(400, str(exc))
    return Problem(500, DEFAULT_MESSAGES[500])


def _starlette_phrase(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def error_response(request: Request, exc: BaseException) -> HTMLResponse:
    """The friendly page (or HTMX fragment) for *exc*."""
    from loopready.web.templating import is_htmx, is_script, render

    problem = problem_of(exc)
    fragment = is_htmx(request) or is_script(request)
    template = "partials/_error.html" if fragment else "error.html"
    headers = None
    if isinstance(exc, HTTPException) and exc.headers:
        headers = dict(exc.headers)
    try:
        return render(
            request,
            template,
            {"problem": problem, "title": problem.title},
            status_code=problem.status,
            headers=headers,
        )
    except Exception:  # the error page itself failed: plain text, still no traceback
        log.exception("rendering the error page failed")
        return HTMLResponse(
            f"<!doctype html><title>{problem.status}</title><h1>{problem.title}</h1>"
            "<p>loopready could not show this page. <a href='/'>Go to the dashboard</a>.</p>",
            status_code=problem.status,
        )


async def _handle_http(request: Request, exc: Exception) -> HTMLResponse:
    return error_response(request, exc)


async def _handle_unexpected(request: Request, exc: Exception) -> HTMLResponse:
    # The server (uvicorn) logs the traceback itself; the page never shows it.
    log.error("unexpected %s on %s %s", type(exc).__name__, request.method, request.url.path)
    return error_response(request, exc)


def install_error_handlers(app: FastAPI) -> None:
    """Route every kind of failure to :func:`error_response`."""
    app.add_exception_handler(HTTPException, _handle_http)
    app.add_exception_handler(RequestValidationError, _handle_http)
    app.add_exception_handler(LoopreadyError, _handle_http)
    app.add_exception_handler(Exception, _handle_unexpected)
