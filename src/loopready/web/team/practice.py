"""The coach's view: a candidate's loops, mock reports, debriefs and story bank, read-only.

The candidate sees the same pages of their own practice. Every page first asks
:func:`loopready.team.practice.candidate_db` for the candidate's data, which refuses (404)
anyone but the candidate and the coaches they invited; the only form is a comment.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from loopready.errors import InputError, LoopreadyError
from loopready.interview import sessions
from loopready.interview.reports import build_report
from loopready.interview.sessions import CANDIDATE
from loopready.interview.verdicts import verdict
from loopready.packs import get_pack
from loopready.prep import list_stories
from loopready.store import Database, export_data
from loopready.team import practice
from loopready.team.access import NotAllowed
from loopready.team.accounts import Person
from loopready.web.highlight import Quote
from loopready.web.routes.debrief import DECISION_WORDS, claim_groups, claim_value
from loopready.web.routes.reports import mark_transcript
from loopready.web.team.deps import require_person, team_db
from loopready.web.templating import render

router = APIRouter()

Db = Annotated[Database, Depends(team_db)]
Who = Annotated[Person, Depends(require_person)]


def _page(request: Request, template: str, who: Person, **ctx: Any) -> Response:
    return render(request, f"team/{template}", {"person": who, **ctx})


@router.get("/candidates/{candidate_id}")
def candidate_page(request: Request, db: Db, who: Who, candidate_id: str) -> Response:
    """The candidate's loops with their debriefs, finished mocks and story bank."""
    view, candidate = practice.candidate_db(db, who, candidate_id)
    return _page(
        request,
        "practice.html",
        who,
        title=f"Practice of {candidate.email}",
        candidate=candidate,
        own=candidate.user_id == who.user_id,
        data=practice.overview(view),
    )


@router.get("/export")
def export_mine(db: Db, who: Who) -> Response:
    """The signed-in person's own data as a ``loopready export`` file, live mocks included."""
    view, _ = practice.candidate_db(db, who, who.user_id)
    return JSONResponse(
        export_data(view),
        headers={"content-disposition": 'attachment; filename="loopready-export.json"'},
    )


@router.get("/candidates/{candidate_id}/stories")
def stories_page(request: Request, db: Db, who: Who, candidate_id: str) -> Response:
    """The candidate's story bank, each story in full with where it was told."""
    view, candidate = practice.candidate_db(db, who, candidate_id)
    return _page(
        request,
        "stories.html",
        who,
        title=f"Story bank of {candidate.email}",
        candidate=candidate,
        stories=list_stories(view),
    )


@router.get("/candidates/{candidate_id}/reports/{session_id}")
def report_page(request: Request, db: Db, who: Who, candidate_id: str, session_id: str) -> Response:
    """The feedback report of one of the candidate's finished mocks, with comments."""
    view, candidate = practice.candidate_db(db, who, candidate_id)
    session = sessions.load(view, session_id)
    try:
        report = build_report(view, session.id)
    except InputError:  # not finished (or never graded): no report to read yet
        raise NotAllowed("report") from None
    quotes = [Quote(q, c.name) for c in report.criteria for q in c.evidence]
    lines = [t for t in report.transcript if t.text.strip() or t.speaker != CANDIDATE]
    marked, _anchors = mark_transcript(lines, quotes)
    return _page(
        request,
        "session_report.html",
        who,
        title=f"Report: {report.round_name}",
        candidate=candidate,
        report=report,
        marked=marked,
        comments=practice.session_comments(db, candidate.user_id, session.id),
    )


@router.post("/candidates/{candidate_id}/reports/{session_id}/comments")
def comment(
    db: Db,
    who: Who,
    candidate_id: str,
    session_id: str,
    text: Annotated[str, Form(max_length=8000)],
) -> Response:
    full_id = practice.session_comment(db, who, candidate_id, session_id, text)
    return RedirectResponse(f"/candidates/{candidate_id}/reports/{full_id}", status_code=303)


@router.get("/candidates/{candidate_id}/debriefs/{debrief_id}")
def debrief_page(
    request: Request, db: Db, who: Who, candidate_id: str, debrief_id: str
) -> Response:
    """One hiring-committee debrief of the candidate's loop."""
    view, candidate = practice.candidate_db(db, who, candidate_id)
    found = verdict(view, debrief_id)
    packet = found.packet
    names: dict[str, str] = {}
    if packet is not None:
        try:
            names = {r.id: r.name for r in get_pack(packet.pack_id).all_rounds()}
        except LoopreadyError:  # the pack is gone: the round ids will do
            names = {}
    return _page(
        request,
        "debrief.html",
        who,
        title="Hiring-committee debrief",
        candidate=candidate,
        found=found,
        packet=packet,
        groups=claim_groups(packet) if packet else [],
        claim_value=claim_value,
        names=names,
        words=DECISION_WORDS,
    )
