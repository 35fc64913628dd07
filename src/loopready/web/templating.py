"""Rendering pages: the Jinja2 environment (autoescaped), filters, and ``render``.

Every page goes through :func:`render`, which adds what the layout needs (the CSRF token,
the navigation, the version) and sets the CSRF cookie when the browser has none.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from loopready import __version__

TEMPLATES_DIR: Final = Path(__file__).with_name("templates")
STATIC_DIR: Final = Path(__file__).with_name("static")


@dataclass(frozen=True)
class NavItem:
    """One entry of the main navigation; ``path`` shows only once a route serves it."""

    path: str
    label: str
    section: str  # the page family that highlights it


#: The navigation, in order: the mock-interview pages, then the prep pages, then the
#: pack and data pages. An entry appears only when the app has a route for its path (see
#: ``app.py``), so a page family can be left out of ``ROUTERS`` without a dead link.
NAV: Final[tuple[NavItem, ...]] = (
    NavItem("/", "Dashboard", "dashboard"),
    NavItem("/loop", "Loop", "loop"),
    NavItem("/practice", "Practise", "mock"),
    NavItem("/reports", "Reports", "reports"),
    NavItem("/debrief", "Debrief", "debrief"),
    NavItem("/plan", "Plan", "plan"),
    NavItem("/research", "Research", "research"),
    NavItem("/stories", "Stories", "stories"),
    NavItem("/drills", "Drills", "drills"),
    NavItem("/brief", "Brief", "brief"),
    NavItem("/offers", "Offers", "offers"),
    NavItem("/packs", "Packs", "packs"),
    NavItem("/settings", "Settings", "settings"),
)


def _local(value: datetime) -> datetime:
    return value.astimezone() if value.tzinfo is not None else value


def _moment(value: datetime | date | str | None) -> datetime | date | str:
    """A value to show as a date: a datetime in local time, a date, or (when it is no
    date at all) the text to show as it is; ``""`` for nothing."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return str(value)
    return _local(value) if isinstance(value, datetime) else value


def fmt_when(value: datetime | date | str | None, with_time: bool = True) -> str:
    """``27 Nov 2026, 14:05`` in the server's (the user's) local time."""
    moment = _moment(value)
    if isinstance(moment, str):
        return moment
    day = f"{moment.day} {moment:%b %Y}"
    return f"{day}, {moment:%H:%M}" if with_time and isinstance(moment, datetime) else day


def fmt_day(value: datetime | date | str | None) -> str:
    """``Fri 27 Nov`` for a date or datetime."""
    moment = _moment(value)
    return moment if isinstance(moment, str) else f"{moment:%a} {moment.day} {moment:%b}"


def fmt_clock(value: datetime | None) -> str:
    """``14:05:09`` local time."""
    return _local(value).strftime("%H:%M:%S") if value else ""


def fmt_score(value: float | None) -> str:
    """``72`` for 71.6; an en dash for no score."""
    return "–" if value is None else f"{value:.0f}"


def score_band(value: float | None) -> str:
    """A CSS class for a 0-100 score: ``none``, ``low``, ``mid`` or ``high``."""
    if value is None:
        return "none"
    if value < 50:
        return "low"
    if value < 70:
        return "mid"
    return "high"


def plural(n: int, one: str, many: str | None = None) -> str:
    """``1 day``, ``3 days``."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


def is_web_url(value: str) -> bool:
    """Whether *value* is an http(s) address, safe to put in a link (not ``javascript:``)."""
    return value.lower().startswith(("http://", "https://"))


def build_environment() -> jinja2.Environment:
    """The Jinja2 environment: autoescape on for every template, undefined names are errors."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters.update(
        when=fmt_when,
        day=fmt_day,
        clock=fmt_clock,
        score=fmt_score,
        band=score_band,
        plural=plural,
        is_web_url=is_web_url,
    )
    env.globals["app_version"] = __version__
    return env


templates = Jinja2Templates(env=build_environment())


def nav_for(request: Request) -> list[NavItem]:
    """The navigation entries whose pages this app serves."""
    served: frozenset[str] = getattr(request.app.state, "served_paths", frozenset())
    return [item for item in NAV if item.path in served]


def is_htmx(request: Request) -> bool:
    """Whether *request* was sent by HTMX (and so wants a fragment, not a page)."""
    return request.headers.get("hx-request") == "true"


def is_script(request: Request) -> bool:
    """Whether *request* was sent by the page script's ``fetch`` (a safe hand-in)."""
    return request.headers.get("x-requested-with") == "fetch"


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    status_code: int = 200,
    section: str = "",
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """Render *template* as a full page or fragment, with the layout's context."""
    csrf = request.app.state.csrf
    ctx: dict[str, Any] = {
        "request": request,
        "csrf_token": csrf.token_for(request),
        "nav": nav_for(request),
        "section": section,
        "title": "",
    }
    if context:
        ctx.update(context)
    from loopready.packs.registry import discover, missing_pack_id

    missing = missing_pack_id()
    if missing and "missing_pack" not in ctx:  # the page fell back to the default pack
        ctx["missing_pack"] = missing
        ctx["installed_packs"] = [e.pack for e in discover() if e.pack is not None]
    response = templates.TemplateResponse(
        request, template, ctx, status_code=status_code, headers=headers
    )
    csrf.apply_cookie(request, response)
    return response
