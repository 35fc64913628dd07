"""The company research worksheet: each recent launch, the metric you would lead with, and why.

Each launch is a small form on the page; with HTMX it saves in place and the card
answers with "Saved"; without, the form posts and the page comes back.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from loopready.errors import InputError
from loopready.prep import (
    ResearchItem,
    clear_research,
    find_launch,
    research_items,
    research_progress,
    resolve_pack,
    set_research,
)
from loopready.store import Database, utcnow
from loopready.web.deps import get_db
from loopready.web.routes.plan import FORM_ERRORS
from loopready.web.templating import fmt_clock, is_htmx, render

router = APIRouter()


def _page(
    request: Request,
    db: Database,
    *,
    typed: ResearchItem | None = None,
    error: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    pack = resolve_pack(db)
    items = research_items(db, pack)
    done, total = research_progress(items)
    if typed is not None:  # show what was typed, with the error, instead of what is stored
        items = [typed if item.launch.id == typed.launch.id else item for item in items]
    return render(
        request,
        "prep/research.html",
        {
            "title": "Research worksheet",
            "pack": pack,
            "items": items,
            "done": done,
            "total": total,
            "error_for": typed.launch.id if typed else "",
            "error": error,
        },
        section="research",
        status_code=status_code,
    )


@router.get("/research", response_class=HTMLResponse)
def research_page(request: Request, db: Annotated[Database, Depends(get_db)]) -> HTMLResponse:
    """Every launch of the pack with the candidate's metric and reason."""
    return _page(request, db)


def _card(
    request: Request, item: ResearchItem, *, saved: str = "", error: str = "", status: int = 200
) -> HTMLResponse:
    context: dict[str, Any] = {"item": item, "saved": saved, "error": error}
    return render(
        request,
        "prep/_research_card.html",
        context,
        section="research",
        status_code=status,
        headers=FORM_ERRORS if error else None,
    )


@router.post("/research/{launch_id}", response_class=HTMLResponse)
def save_research(
    request: Request,
    launch_id: str,
    db: Annotated[Database, Depends(get_db)],
    metric: Annotated[str, Form()] = "",
    why: Annotated[str, Form()] = "",
    action: Annotated[str, Form()] = "save",
) -> Response:
    """Save (or with ``action=clear`` forget) the metric and reason for one launch."""
    pack = resolve_pack(db)
    launch = find_launch(pack, launch_id)
    try:
        if action == "clear":
            clear_research(db, pack, launch.id)
            item = ResearchItem(launch)
            saved = "Cleared"
        else:
            if not metric.strip() and not why.strip():
                raise InputError("Write the metric you would lead with, and why, before saving.")
            item = set_research(db, pack, launch.id, metric=metric, why=why)
            saved = "Saved"
    except InputError as exc:
        typed = ResearchItem(launch, metric, why)
        if not is_htmx(request):
            return _page(request, db, typed=typed, error=str(exc), status_code=422)
        return _card(request, typed, error=str(exc), status=422)
    if is_htmx(request):
        return _card(request, item, saved=f"{saved} {fmt_clock(utcnow())}")
    return RedirectResponse(f"/research#launch-{launch.id}", status_code=303)
