"""Daily drills: the cards due today, one at a time.

Read the question, think (or say) the answer, reveal what a good answer covers, then rate
your recall: again, hard, good or easy. Or write the answer out and have it graded: the
score picks the rating (see ``docs/prep.md``). Scheduling is FSRS, as in ``loopready drill``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any, Final

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fsrs import Card, Rating

from loopready.errors import InputError, NotFound
from loopready.prep import (
    DrillCardView,
    card_face,
    card_view,
    due_cards,
    due_counts,
    get_story,
    interval_cap,
    parse_rating,
    rating_name,
    resolve_pack,
    review,
    review_with_answer,
    scheduler,
    utc,
)
from loopready.prep.drift import answer_drift, drift_to_dict
from loopready.prep.drills import SCORE_BANDS, card_state
from loopready.store import Database
from loopready.web.deps import get_db
from loopready.web.routes.plan import FORM_ERRORS
from loopready.web.templating import is_htmx, render

router = APIRouter()

RATINGS: Final[tuple[tuple[Rating, str, str], ...]] = (
    (Rating.Again, "Again", "I could not recall it"),
    (Rating.Hard, "Hard", "with real effort"),
    (Rating.Good, "Good", "with a little thought"),
    (Rating.Easy, "Easy", "at once"),
)
#: The longest written answer accepted, in characters (a long spoken answer, with room).
MAX_ANSWER = 60_000


def now() -> datetime:
    """This moment, in the computer's own zone (FSRS needs an aware time)."""
    return datetime.now().astimezone()


def wait_text(delta: timedelta) -> str:
    """``10 min``, ``5 hours``, ``3 days``, ``2 months``: how long until a card returns."""
    minutes = delta.total_seconds() / 60
    if minutes < 1:
        return "now"
    if minutes < 60:
        return f"{round(minutes)} min"
    hours = minutes / 60
    if hours < 24:
        n = round(hours)
        return f"{n} hour" + ("" if n == 1 else "s")
    days = hours / 24
    if days < 45:
        n = round(days)
        return f"{n} day" + ("" if n == 1 else "s")
    months = round(days / 30.4)
    return f"{months} month" + ("" if months == 1 else "s")


def previews(db: Database, card: DrillCardView, moment: datetime) -> dict[str, str]:
    """How long each rating would put the card off, as FSRS would schedule it now."""
    state = card_state(db, card.id)
    if state is None:
        return {}
    sched = scheduler(interval_cap(db, card, moment))
    out: dict[str, str] = {}
    when = utc(moment)
    for rating, _label, _hint in RATINGS:
        reviewed, _log = sched.review_card(Card.from_dict(state), rating, review_datetime=when)  # type: ignore[arg-type]
        out[rating_name(rating)] = wait_text(reviewed.due - when)
    return out


def _drill_context(
    db: Database,
    *,
    card_id: str = "",
    flash: str = "",
    answer: str = "",
    error: str = "",
) -> dict[str, Any]:
    pack = resolve_pack(db)
    moment = now()
    queue = due_cards(db, moment, pack=pack)
    counts = due_counts(db, moment, pack=pack)
    card = card_view(db, card_id) if card_id else (queue[0] if queue else None)
    round_names = {r.id: r.name for r in pack.all_rounds()}
    context: dict[str, Any] = {
        "pack": pack,
        "counts": counts,
        "queue": queue,
        "card": card,
        "face": card_face(db, card) if card else None,
        "previews": previews(db, card, moment) if card else {},
        "ratings": RATINGS,
        "round_names": round_names,
        "flash": flash,
        "answer": answer,
        "error": error,
        "bands": SCORE_BANDS,
        "title": "Drills",
        "max_answer": MAX_ANSWER,
    }
    return context


def _page(request: Request, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    return render(
        request,
        "prep/drills.html",
        context,
        section="drills",
        status_code=status_code,
        headers=FORM_ERRORS if context.get("error") else None,
    )


def _flash(card: DrillCardView, rating: Rating) -> str:
    return f"Rated {rating_name(rating)}: back in {wait_text(card.due - utc(now()))}."


@router.get("/drills", response_class=HTMLResponse)
def drills_page(
    request: Request,
    db: Annotated[Database, Depends(get_db)],
    rated: str = "",
    after: str = "",
) -> HTMLResponse:
    """Today's due cards, the first one ready to drill."""
    flash = ""
    if rated and after:
        try:
            flash = _flash(card_view(db, after), parse_rating(rated))
        except (InputError, NotFound):
            flash = ""
    return _page(request, _drill_context(db, flash=flash))


@router.get("/drills/{card_id}", response_class=HTMLResponse)
def drill_card(
    request: Request, card_id: str, db: Annotated[Database, Depends(get_db)]
) -> HTMLResponse:
    """Drill one card, due or not."""
    return _page(request, _drill_context(db, card_id=card_id))


@router.post("/drills/{card_id}/review", response_class=HTMLResponse)
def rate(
    request: Request,
    card_id: str,
    db: Annotated[Database, Depends(get_db)],
    rating: Annotated[str, Form()],
) -> Response:
    """Rate recall of a card; FSRS schedules it, and the next due card follows."""
    chosen = parse_rating(rating)
    card = review(db, card_view(db, card_id).id, chosen, now())
    if is_htmx(request):
        context = _drill_context(db, flash=_flash(card, chosen))
        return render(request, "prep/_drill.html", context, section="drills")
    return RedirectResponse(f"/drills?rated={rating_name(chosen)}&after={card.id}", status_code=303)


@router.post("/drills/{card_id}/answer", response_class=HTMLResponse)
def grade_answer(
    request: Request,
    card_id: str,
    db: Annotated[Database, Depends(get_db)],
    answer: Annotated[str, Form()] = "",
) -> HTMLResponse:
    """Grade a written answer; its score rates the card."""
    card = card_view(db, card_id)
    try:
        if len(answer) > MAX_ANSWER:
            raise InputError(
                f"The answer is {len(answer):,} characters; the limit is {MAX_ANSWER:,}. "
                "Shorten it, as you would in the room."
            )
        result, rating = review_with_answer(db, card.id, answer, now())
    except InputError as exc:
        context = _drill_context(db, card_id=card.id, answer=answer, error=str(exc))
        return _page(request, context, status_code=422)
    drift: list[dict[str, object]] = []
    if card.kind == "story":
        story = get_story(db, card.ref)
        drift = [drift_to_dict(story, item) for item in answer_drift(story, answer)]
    after = card_view(db, card.id)
    pack = resolve_pack(db)
    spots = {b.id: b for b in pack.blind_spots}
    return render(
        request,
        "prep/drill_result.html",
        {
            "title": "Drill graded",
            "card": after,
            "face": card_face(db, after),
            "result": result,
            "rating": rating_name(rating),
            "answer": answer,
            "drift": drift,
            "back_in": wait_text(after.due - utc(now())),
            "bands": SCORE_BANDS,
            "spots": spots,
            "round_names": {r.id: r.name for r in pack.all_rounds()},
            "capped": bool(drift) and rating == Rating.Hard,
        },
        section="drills",
    )
