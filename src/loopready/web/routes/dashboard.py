"""The dashboard: days to each real round, today's prep and drills, scores, and what to
practise next."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from loopready.interview.loops import active_loop
from loopready.packs import discover
from loopready.prep import due_counts, resolve_pack
from loopready.store import Database
from loopready.web.chart import score_chart
from loopready.web.deps import get_db
from loopready.web.summary import (
    chart_series,
    prep_items,
    recommend,
    round_stats,
)
from loopready.web.templating import render

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request, db: Annotated[Database, Depends(get_db)]) -> HTMLResponse:
    """Where the candidate stands, at a glance."""
    today = date.today()
    loop = active_loop(db)
    pack = resolve_pack(db)  # the pack the user is preparing with (the loop's, with one)
    stats = round_stats(db, pack, loop)
    recommendation = recommend(db, stats, pack, today)
    items, items_source = prep_items(db, pack, stats, today) if loop else ([], "")
    loop_title = loop.title if loop else ""
    loop_id = loop.id if loop else None
    drills = due_counts(db, datetime.now().astimezone(), pack=pack)
    attempts = sum(len(st.attempts) for st in stats)
    chart = score_chart(chart_series(stats), bar=pack.decision.round_bar)
    packs = [e.pack for e in discover() if e.pack is not None] if not loop else []
    return render(
        request,
        "dashboard.html",
        {
            "title": "Dashboard",
            "loop_title": loop_title,
            "loop_id": loop_id,
            "pack": pack,
            "packs": packs,
            "stats": stats,
            "today": today,
            "recommendation": recommendation,
            "prep": items,
            "prep_source": items_source,
            "attempts": attempts,
            "chart": chart,
            "drills": drills,
        },
        section="dashboard",
    )
