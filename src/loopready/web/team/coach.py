"""Coach pages: inviting and removing a coach, comments, the coach's dashboard."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from loopready.store import Database
from loopready.team import coaching, dashboard
from loopready.team.access import NotAllowed, load_mock
from loopready.team.accounts import Person
from loopready.web.team.deps import require_person, team_db
from loopready.web.templating import render

router = APIRouter()

Db = Annotated[Database, Depends(team_db)]
Who = Annotated[Person, Depends(require_person)]


@router.post("/coaches")
def invite_coach(db: Db, who: Who, email: Annotated[str, Form(max_length=254)]) -> Response:
    coaching.add_coach(db, who, email)
    return RedirectResponse("/", status_code=303)


@router.post("/coaches/{coach_user_id}/remove")
def remove_coach(db: Db, who: Who, coach_user_id: str) -> Response:
    coaching.remove_coach(db, who, coach_user_id)
    return RedirectResponse("/", status_code=303)


@router.post("/live/{mock_id}/comments")
def add_comment(
    db: Db, who: Who, mock_id: str, text: Annotated[str, Form(max_length=8000)]
) -> Response:
    mock, role = load_mock(db, who, mock_id)
    if role not in ("candidate", "coach"):
        raise NotAllowed("report")
    coaching.comment(db, who, mock, text)
    return RedirectResponse(f"/live/{mock_id}/report", status_code=303)


@router.get("/coach")
def coach_dashboard(request: Request, db: Db, who: Who) -> Response:
    return render(
        request,
        "team/coach.html",
        {"person": who, "title": "Your candidates", "rows": dashboard.candidates(db, who)},
    )
