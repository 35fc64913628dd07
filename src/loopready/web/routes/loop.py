"""The loop: the real rounds on a timeline, with their dates, status and reports."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from itertools import pairwise
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from loopready.bounds import check_form_date
from loopready.errors import InputError
from loopready.interview.loops import (
    active_loop,
    loop_info,
    new_loop,
    resolve_pack,
    set_round_dates,
)
from loopready.packs import DEFAULT_PACK_ID, discover, get_pack
from loopready.packs.schema import Pack
from loopready.store import Database
from loopready.web.deps import get_db
from loopready.web.summary import RoundStat, round_stats
from loopready.web.templating import render

router = APIRouter()


def _status(stat: RoundStat, bar: float) -> tuple[str, str]:
    """(css status, words) for a round on the timeline."""
    if stat.in_progress and not stat.attempts:
        return "in_progress", "in progress"
    if not stat.attempts:
        return "todo", "not practised yet"
    latest = stat.latest
    assert latest is not None
    if latest.score >= bar:
        return "done", f"at the bar ({latest.score:.0f})"
    return "practised", f"below the bar ({latest.score:.0f} of {bar:.0f})"


@router.get("/loop", response_class=HTMLResponse)
def loop_page(request: Request, db: Annotated[Database, Depends(get_db)]) -> HTMLResponse:
    """The active loop's rounds in order, or the form to set one up."""
    today = date.today()
    packs = [e.pack for e in discover() if e.pack is not None]
    loop = active_loop(db)
    pack = resolve_pack(db)  # the pack the user is preparing with (the loop's, with one)
    stats = round_stats(db, pack, loop, include_extra=True)
    loop_view = (
        {
            "id": loop.id,
            "title": loop.title,
            "start_date": loop.start_date,
            "round_dates": dict(loop.round_dates or {}),
        }
        if loop
        else None
    )
    loop_ids = {r.id for r in pack.rounds}
    rows = []
    for st in stats:
        css, words = _status(st, pack.decision.round_bar)
        rows.append(
            {"stat": st, "status": css, "status_text": words, "in_loop": st.round.id in loop_ids}
        )
    return render(
        request,
        "loop.html",
        {
            "title": "Your loop",
            "lp": loop_view,
            "loop_id": loop_view["id"] if loop_view else None,
            "pack": pack,
            "packs": packs,
            "rows": rows,
            "today": today,
        },
        section="loop",
    )


@router.post("/loop")
def start_loop(
    db: Annotated[Database, Depends(get_db)],
    pack_id: Annotated[str, Form()] = DEFAULT_PACK_ID,
    first_round: Annotated[str, Form()] = "",
    title: Annotated[str, Form()] = "",
) -> RedirectResponse:
    """Set up a loop for *pack_id*; the first real round's date is optional."""
    pack = get_pack(pack_id)
    today = date.today()
    round_dates: dict[str, str] = {}
    if first_round.strip():
        first = _parse_date(first_round, "the first interview's date", bounded=False)
        if first < today:
            raise InputError(
                f"The first interview ({first.isoformat()}) is in the past. "
                "Give the date of an interview that is still ahead."
            )
        check_form_date(first, "The first interview's date", today)
        round_dates[pack.rounds[0].id] = first.isoformat()
        start = first - timedelta(days=pack.rounds[0].day)
    else:
        start = today + timedelta(days=sum(p.days for p in pack.prep.phases))
    new_loop(
        db,
        pack,
        start=start,
        round_dates=round_dates,
        title=title.strip() or f"{pack.company} {pack.role} loop",
    )
    return RedirectResponse("/loop", status_code=303)


def _parse_date(text: str, what: str, *, bounded: bool = True) -> date:
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"{what} should be a date like 2026-03-01, not {text!r}.") from None
    return check_form_date(day, what[:1].upper() + what[1:]) if bounded else day


def _parse_time(text: str, what: str) -> time:
    try:
        return time.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"{what} should be a time like 14:30, not {text!r}.") from None


def _dates_from_form(pack: Pack, form: dict[str, str]) -> dict[str, str | None]:
    dates: dict[str, str | None] = {}
    for rnd in pack.rounds:
        day_text = form.get(f"date_{rnd.id}", "").strip()
        time_text = form.get(f"time_{rnd.id}", "").strip()
        if not day_text:
            if time_text:
                raise InputError(f"Give a date for the {rnd.name.lower()} as well as its time.")
            dates[rnd.id] = None
            continue
        day = _parse_date(day_text, f"The {rnd.name.lower()}'s date")
        if time_text:
            when = datetime.combine(day, _parse_time(time_text, f"The {rnd.name.lower()}'s time"))
            dates[rnd.id] = when.astimezone().isoformat()
        else:
            dates[rnd.id] = day.isoformat()
    known = [(rnd, dates[rnd.id]) for rnd in pack.rounds if dates[rnd.id]]
    for (a, a_when), (b, b_when) in pairwise(known):
        if str(a_when)[:10] > str(b_when)[:10]:
            raise InputError(
                f"The {b.name.lower()} ({str(b_when)[:10]}) is dated before the "
                f"{a.name.lower()} ({str(a_when)[:10]}); the rounds happen in the loop's order."
            )
    return dates


@router.post("/loop/{loop_id}/dates")
async def save_dates(
    request: Request, loop_id: str, db: Annotated[Database, Depends(get_db)]
) -> RedirectResponse:
    """Save the real dates (and optional times) of the loop's rounds."""
    form = await request.form()
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    pack = get_pack(loop_info(db, loop_id).pack_id)
    set_round_dates(db, loop_id, pack, _dates_from_form(pack, fields))
    return RedirectResponse("/loop?saved=dates", status_code=303)
