"""The dashboard: days to each real round, today's prep and drills, scores, and what to
practise next."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from loopready.packs import DEFAULT_PACK_ID, discover
from loopready.packs.registry import pack_or_default
from loopready.prep import due_counts, resolve_pack
from loopready.store import Database
from loopready.web.chart import score_chart
from loopready.web.deps import get_db
from loopready.web.summary import (
    active_loop,
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
    with db.read_session() as s:
        loop = active_loop(s, db.user_id)
        pack = pack_or_default(loop.pack_id if loop else DEFAULT_PACK_ID)
        stats = round_stats(s, db.user_id, pack, loop)
        recommendation = recommend(s, stats, pack, today)
        items, items_source = prep_items(s, db.user_id, pack, stats, today) if loop else ([], "")
        loop_title = loop.title if loop else ""
        loop_id = loop.id if loop else None
    # The drills page works on the pack the user is preparing with; with a loop, that is
    # the loop's pack, already loaded.
    drills = due_counts(db, datetime.now().astimezone(), pack=pack if loop_id else resolve_pack(db))
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
