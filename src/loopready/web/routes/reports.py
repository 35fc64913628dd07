"""Feedback reports: the score per criterion, the evidence marked in the answer, blind
spots, advice, and progress since the last attempt at the same round."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup, escape

from loopready.bounds import check_page
from loopready.errors import NotFound
from loopready.interview import sessions
from loopready.interview.progress import attempt_number, finished_sessions
from loopready.interview.reports import CriterionLine, TurnLine, build_report
from loopready.interview.sessions import CANDIDATE
from loopready.packs import get_pack
from loopready.store import Database
from loopready.web.deps import get_db
from loopready.web.highlight import Quote, highlight, spans_for
from loopready.web.templating import render

router = APIRouter()

PAGE_SIZE = 50


@dataclass
class MarkedTurn:
    """One line of the transcript; the candidate's with their evidence marked."""

    line: TurnLine
    html: Markup
    mine: bool


@dataclass
class CriterionView:
    """A criterion of the report, each quote with the anchor of its mark in the answer."""

    line: CriterionLine
    evidence: list[tuple[str, str | None]] = field(default_factory=list)


def mark_transcript(
    lines: list[TurnLine], quotes: list[Quote]
) -> tuple[list[MarkedTurn], list[str | None]]:
    """The transcript with the quotes marked in the candidate's lines, and each quote's
    anchor (``None`` when it could not be placed)."""
    anchors: list[str | None] = [None] * len(quotes)
    marked: list[MarkedTurn] = []
    position = 0  # where the next candidate line starts in the graded answer
    for number, line in enumerate(lines):
        mine = line.speaker == CANDIDATE
        if not mine:
            marked.append(MarkedTurn(line, Markup(escape(line.text)), False))
            continue
        prefix = f"ev-{number}"
        # The graded answer is the candidate's non-empty lines, stripped, joined by a
        # blank line (SessionView.transcript): offsets there map onto this line.
        base = None
        if line.text.strip():
            lead = len(line.text) - len(line.text.lstrip())
            base = position - lead
            position += len(line.text.strip()) + 2
        spans, where = spans_for(line.text, quotes, base)
        for index, span_index in enumerate(where):
            if span_index >= 0 and anchors[index] is None:
                anchors[index] = f"{prefix}-{span_index}"
        marked.append(MarkedTurn(line, highlight(line.text, spans, id_prefix=prefix), True))
    return marked, anchors


@router.get("/reports/{session_id}", response_class=HTMLResponse)
def report_page(
    request: Request, session_id: str, db: Annotated[Database, Depends(get_db)]
) -> Response:
    """The feedback report of one finished mock."""
    view = sessions.load(db, session_id)
    if view.status == "in_progress":
        return RedirectResponse(f"/mock/{view.id}", status_code=303)
    report = build_report(db, view.id)

    # Every quote is placed by the offsets stored with the grade, never searched for.
    quotes: list[Quote] = []
    for c in report.criteria:
        for q, span in zip(c.evidence, c.evidence_spans, strict=True):
            start, end = span if span is not None else (None, None)
            quotes.append(Quote(q, c.name, start=start, end=end))
    for b in report.blind_spots:
        quotes.append(Quote(b.evidence, f"Blind spot: {b.name}", "spot", b.start, b.end))
    for f in report.red_flags:
        quotes.append(Quote(f.evidence, f"Red flag: {f.name}", "spot", f.start, f.end))
    lines = [t for t in report.transcript if t.text.strip() or t.speaker != CANDIDATE]
    marked, anchors = mark_transcript(lines, quotes)

    criteria: list[CriterionView] = []
    position = 0
    for c in report.criteria:
        evidence = []
        for q in c.evidence:
            evidence.append((q, anchors[position]))
            position += 1
        criteria.append(CriterionView(c, evidence))
    spots = []
    for b in report.blind_spots:
        spots.append({"hit": b, "anchor": anchors[position]})
        position += 1
    red_flags = []
    for f in report.red_flags:
        red_flags.append({"hit": f, "anchor": anchors[position]})
        position += 1
    previous = report.history.attempts[-1] if report.history.attempts else None
    return render(
        request,
        "report.html",
        {
            "title": f"Report: {report.round_name}",
            "report": report,
            "view": view,
            "criteria": criteria,
            "spots": spots,
            "red_flags": red_flags,
            "marked": marked,
            "not_found": sum(1 for a in anchors if a is None),
            "previous": previous,
            "attempt": attempt_number(db, view.pack.id, view.round.id, view.started_at),
            "graded_at": report.ended_at or report.started_at,
        },
        section="reports",
    )


@router.get("/reports", response_class=HTMLResponse)
def reports_page(
    request: Request,
    db: Annotated[Database, Depends(get_db)],
    round: str = "",
    page: int = 1,
) -> HTMLResponse:
    """Every graded mock, newest first, 50 to a page, optionally for one round."""
    page = check_page(page)
    total, rows = finished_sessions(db, round or None, (page - 1) * PAGE_SIZE, PAGE_SIZE)
    items = []
    for r in rows:
        try:
            pack = get_pack(r.pack_id)
            rnd = pack.round(r.round_id)
            name = rnd.name
            question = next((p.question for p in rnd.prompts if p.id == r.prompt_id), "")
        except (KeyError, NotFound):
            name, question = r.round_id, ""
        items.append(
            {
                "id": r.id,
                "round": name,
                "question": question,
                "ended_at": r.ended_at,
                "score": r.score,
            }
        )
    pages = max(1, -(-total // PAGE_SIZE))
    return render(
        request,
        "reports.html",
        {
            "title": "Reports",
            "items": items,
            "total": total,
            "page": page,
            "pages": pages,
            "round": round,
        },
        section="reports",
    )
