"""The mock room: choose a round, answer against the clock, follow-ups, the role-play.

Every form here works without JavaScript (a POST answered with a redirect). With the
page script, the answer saves itself while the candidate types (``/autosave``), and a
hand-in that cannot reach the server keeps the text and says so. The stakeholder chat
posts through HTMX and swaps in the panel's reply.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse

from loopready.errors import InputError
from loopready.interview import sessions, spoken
from loopready.interview.loops import active_loop, resolve_pack
from loopready.interview.practice import open_round
from loopready.interview.roleplay import DECISION_CALL
from loopready.interview.sessions import SessionView
from loopready.interview.timebox import format_clock
from loopready.interview.timebox import status as time_status
from loopready.packs.schema import Pack
from loopready.store import Database, RevisionConflict
from loopready.web.deps import get_db
from loopready.web.summary import round_stats
from loopready.web.templating import fmt_clock, is_htmx, is_script, render

router = APIRouter()

#: The longest answer one turn accepts, in characters (about 12,000 words).
MAX_TURN_CHARS = 90_000


def _check_text(text: str) -> str:
    if len(text) > MAX_TURN_CHARS:
        raise InputError(
            f"This answer is {len(text):,} characters long; one turn takes at most "
            f"{MAX_TURN_CHARS:,}. Shorten it, as you would in the room."
        )
    return text


def _active_s(value: str) -> float | None:
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if 0 <= seconds < 7 * 86400 else None


def _open(db: Database, session_id: str) -> SessionView:
    return sessions.load(db, session_id)


# -- choosing a round -----------------------------------------------------------------------


@router.get("/practice", response_class=HTMLResponse)
def practice_page(
    request: Request, db: Annotated[Database, Depends(get_db)], round: str = ""
) -> HTMLResponse:
    """Every round of the pack, its prompts, and a button to start a timed mock."""
    loop = active_loop(db)
    pack = resolve_pack(db)
    stats = round_stats(db, pack, loop, include_extra=True)
    loop_id = loop.id if loop else None
    loop_ids = {r.id for r in pack.rounds}
    return render(
        request,
        "practice.html",
        {
            "title": "Practise a round",
            "pack": pack,
            "stats": stats,
            "loop_id": loop_id,
            "loop_ids": loop_ids,
            "chosen": round,
            "today": date.today(),
        },
        section="mock",
    )


@router.post("/mock/start")
def start_mock(
    db: Annotated[Database, Depends(get_db)],
    round_id: Annotated[str, Form()],
    pack_id: Annotated[str, Form()] = "",
    prompt_id: Annotated[str, Form()] = "",
    loop_id: Annotated[str, Form()] = "",
    fresh: Annotated[str, Form()] = "",
) -> RedirectResponse:
    """Start a timed mock of a round (or go back to the unfinished one)."""
    opened = open_round(
        db,
        round_id,
        pack_id=pack_id or None,
        loop_ref=loop_id or None,
        prompt_id=prompt_id or None,
        fresh=bool(fresh),
    )
    if opened.resumed:
        return RedirectResponse(f"/mock/{opened.view.id}?resumed=1", status_code=303)
    return RedirectResponse(f"/mock/{opened.view.id}", status_code=303)


# -- the room -------------------------------------------------------------------------------


def _speaker_names(pack: Pack) -> dict[str, str]:
    names = {p.id: p.name for p in pack.personas}
    names["panel"] = "Panel"
    return names


def _room_context(view: SessionView) -> dict[str, Any]:
    limit = float(view.time_limit_s or view.round.minutes * 60)
    clock = time_status(view.active_s, limit)
    state = {"ok": "ok", "half": "half", "eighty": "late", "overtime": "over"}[clock.phase]
    current = view.current
    context: dict[str, Any] = {
        "title": f"Mock: {view.round.name}",
        "view": view,
        "current": current,
        "limit_s": int(limit),
        "clock": clock,
        "clock_state": state,
        "clock_text": clock.clock,
        "limit_text": format_clock(limit),
        "used_pct": min(100.0, clock.fraction * 100),
        "names": _speaker_names(view.pack),
        "decision_call": DECISION_CALL,
        "probe_total": len(view.follow_ups),
        "probe_number": sum(1 for t in view.turns if t.kind == "follow_up"),
        "personas": [],
    }
    if view.mode == "roleplay":
        play = sessions.roleplay_state(view)
        context["personas"] = [
            {
                "id": st.persona.id,
                "name": st.persona.name,
                "role": st.persona.role,
                "satisfied": st.satisfied,
                "concern": st.main[0].issue.concern if st.main else st.persona.concerns[0],
                "concerns": [
                    {"concern": i.issue.concern, "state": i.state, "main": i.issue.main}
                    for i in st.issues
                ],
                "escalated": any(i.escalated for i in st.issues),
            }
            for st in play.states
        ]
        context["ready_for_decision"] = play.ready_for_decision
        context["stream_url"] = f"/mock/{view.id}/stream" if _free_form() else ""
    return context


def _free_form() -> bool:
    """Whether the panel speaks through the model (``LOOPREADY_ROLEPLAY=llm``, configured)."""
    from loopready.interview.roleplay_llm import llm_options

    try:
        return llm_options() is not None
    except InputError:
        return False


@router.get("/mock/{session_id}", response_class=HTMLResponse)
def mock_room(
    request: Request, session_id: str, db: Annotated[Database, Depends(get_db)]
) -> Response:
    """The room: brief, clock, the turns so far and the editor for the current one."""
    view = _open(db, session_id)
    if view.done:
        if view.status == "completed":
            return RedirectResponse(f"/reports/{view.id}", status_code=303)
        return render(
            request,
            "mock_over.html",
            {"title": "This mock was set aside", "view": view},
            section="mock",
        )
    if view.current is None:  # in progress, but its state names no turn (a damaged import)
        return render(
            request,
            "mock_over.html",
            {"title": "This mock cannot be continued", "view": view, "damaged": True},
            section="mock",
        )
    return render(request, "mock.html", _room_context(view), section="mock")


def _revision(value: str) -> int | None:
    try:
        revision = int(value)
    except ValueError:
        return None
    return revision if 0 <= revision < 2**31 else None


@router.post("/mock/{session_id}/autosave", response_class=HTMLResponse)
def autosave(
    request: Request,
    session_id: str,
    db: Annotated[Database, Depends(get_db)],
    seq: Annotated[int, Form()],
    text: Annotated[str, Form()] = "",
    active_s: Annotated[str, Form()] = "",
    revision: Annotated[str, Form()] = "",
) -> HTMLResponse:
    """Save the turn being written; answers with a "Saved hh:mm:ss" fragment.

    *revision* is the revision of the server copy the page's text is based on. When
    another tab has saved since, nothing is written: a 409 carries the saved text and its
    revision, so the page can show both texts and let the candidate choose.
    """
    view = _open(db, session_id)
    sessions.current_turn(view, seq)
    try:
        saved = sessions.autosave(
            db,
            view.id,
            seq,
            _check_text(text),
            active_s=_active_s(active_s),
            expected_revision=_revision(revision),
        )
    except RevisionConflict as conflict:
        stored = next((t for t in sessions.load(db, view.id).turns if t.seq == seq), None)
        return render(
            request,
            "partials/_conflict.html",
            {
                "message": str(conflict),
                "theirs": stored.text if stored else "",
                "revision": conflict.stored,
            },
            status_code=409,
            headers={"X-Conflict": "revision", "X-Revision": str(conflict.stored)},
        )
    from loopready.store.types import utcnow

    return render(
        request,
        "partials/_saved.html",
        {"saved_at": fmt_clock(utcnow())},
        headers={"X-Revision": str(saved)},
    )


@router.post("/mock/{session_id}/submit")
def submit_turn(
    request: Request,
    session_id: str,
    db: Annotated[Database, Depends(get_db)],
    seq: Annotated[int, Form()],
    text: Annotated[str, Form()] = "",
    active_s: Annotated[str, Form()] = "",
    action: Annotated[str, Form()] = "",
    revision: Annotated[str, Form()] = "",
) -> Response:
    """Hand in the current turn; the next turn, the panel's reply, or the report follows.

    With *revision*, a page whose copy is older than the saved text (another tab saved
    since) is refused (409) instead of handing in over the newer text.
    """
    view = _open(db, session_id)
    text = _check_text(text)
    sessions.current_turn(view, seq, _revision(revision), text)
    seconds = _active_s(active_s)
    view = spoken.sync_timings(db, view, text)
    if action == "decide" and view.mode == "roleplay" and view.stage != "decision":
        sessions.autosave(db, view.id, seq, text, active_s=seconds)
        view = sessions.decide_now(db, sessions.load(db, view.id), active_s=seconds)
    elif action == "finish":
        sessions.autosave(db, view.id, seq, text, active_s=seconds)
        view = sessions.finish_early(db, sessions.load(db, view.id))
    else:
        view = sessions.submit(db, view, text, active_s=seconds)
    target = f"/reports/{view.id}" if view.done else f"/mock/{view.id}"
    if is_script(request):  # the page script navigates itself: no page to render twice
        return Response(status_code=204, headers={"X-Redirect": target})
    if is_htmx(request):
        if view.done:
            return Response(status_code=204, headers={"HX-Redirect": target})
        return render(request, "partials/_roleplay.html", _room_context(view))
    return RedirectResponse(target, status_code=303)


@router.post("/mock/{session_id}/stream")
def stream_turn(
    session_id: str,
    db: Annotated[Database, Depends(get_db)],
    seq: Annotated[int, Form()],
    text: Annotated[str, Form()] = "",
    active_s: Annotated[str, Form()] = "",
) -> Response:
    """The free-form role-play (``LOOPREADY_ROLEPLAY=llm``): hand in a reply to the panel
    and stream the personas' answer as plain text while the model writes it. The page
    script reloads the room when the stream ends; the turns are stored by then."""
    import queue
    import threading

    view = _open(db, session_id)
    sessions.current_turn(view, seq)
    if view.mode != "roleplay" or view.stage == "decision":
        raise InputError("only a reply to the panel streams; hand in the decision as usual")
    text = _check_text(text)
    seconds = _active_s(active_s)
    pieces: queue.Queue[str | None] = queue.Queue()
    failure: list[str] = []

    def work() -> None:
        try:
            sessions.submit(db, view, text, active_s=seconds, on_chunk=pieces.put)
        except Exception as exc:  # reported in the stream: the text is saved first
            failure.append(str(exc))
        finally:
            pieces.put(None)

    threading.Thread(target=work, daemon=True).start()

    def body() -> Any:
        while (piece := pieces.get()) is not None:
            yield piece
        if failure:
            yield f"\n[{failure[0]}]"

    return StreamingResponse(body(), media_type="text/plain; charset=utf-8")


@router.post("/mock/{session_id}/abandon")
def abandon(session_id: str, db: Annotated[Database, Depends(get_db)]) -> RedirectResponse:
    """Set an unfinished mock aside (its text is kept) and go back to the rounds."""
    view = _open(db, session_id)
    if not view.done:
        sessions.abandon(db, view.id)
    return RedirectResponse("/practice", status_code=303)
