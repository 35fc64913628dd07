"""The story bank: your stories with how fresh each still is, where you told them, whether
their numbers stayed the same, and which to tell in each round.

The same functions as ``loopready stories`` (:mod:`loopready.prep`). Every form works
without JavaScript; a form that comes back with an error keeps what was typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from loopready.errors import InputError
from loopready.language.claims import Inconsistency
from loopready.packs.schema import Pack
from loopready.planning.inputs import parse_date
from loopready.prep import (
    LoopContext,
    StoryFields,
    StoryRecord,
    competencies_of,
    create_story,
    delete_story,
    drift_to_dict,
    freshness,
    freshness_label,
    get_story,
    list_stories,
    loop_context,
    remove_telling,
    resolve_pack,
    rounds_told_in,
    story_drift,
    suggest_stories,
    tell_story,
    tellings_in,
    update_story,
)
from loopready.prep.mocks import MockTelling, mock_tellings
from loopready.prep.stories import ROUND_TAG, STAR_FIELDS, normalise_tag
from loopready.store import Database
from loopready.web.deps import get_db
from loopready.web.routes.plan import FORM_ERRORS
from loopready.web.templating import render

router = APIRouter()

#: How each STAR part is asked for on the form.
PARTS: dict[str, tuple[str, str]] = {
    "situation": ("Situation", "Where you were, the product, the scale: one or two sentences."),
    "task": ("Task", "What you owned, and with whom."),
    "action": ("Action", "What you did: the decisions, in the first person."),
    "result": ("Result", "What changed, with the numbers, and what you learned."),
}


@dataclass
class StoryForm:
    """The story form's values (kept when it comes back with an error)."""

    title: str = ""
    situation: str = ""
    task: str = ""
    action: str = ""
    result: str = ""
    competencies: str = ""
    rounds: list[str] = field(default_factory=list)
    error: str = ""
    error_field: str = ""

    @classmethod
    def of(cls, story: StoryRecord) -> StoryForm:
        return cls(
            story.title,
            story.situation,
            story.task,
            story.action,
            story.result,
            # Words, not ids: "success metrics" is read back as the same tag.
            ", ".join(c.replace("_", " ") for c in story.competencies),
            list(story.rounds),
        )

    def fields(self) -> StoryFields:
        return StoryFields(
            title=self.title,
            situation=self.situation,
            task=self.task,
            action=self.action,
            result=self.result,
            competencies=[self.competencies],
            rounds=list(self.rounds),
        )


def _error_field(message: str) -> str:
    lowered = message.lower()
    if "title" in lowered:
        return "title"
    if "tag" in lowered or "looks like a round" in lowered:
        return "competencies"
    if "round" in lowered:
        return "rounds"
    for name in STAR_FIELDS:
        if f"the {name}" in lowered:
            return name
    return ""


@dataclass
class StoryView:
    """A story with what the page says about it in this loop."""

    story: StoryRecord
    fresh: float
    label: str
    told_in: list[str]
    tellings: int
    drift: list[dict[str, Any]]
    #: Rounds the story was told in during finished mocks (found in the answers).
    mock_rounds: list[str] = field(default_factory=list)
    mocks: int = 0


def _drift(story: StoryRecord, round_names: dict[str, str]) -> list[dict[str, Any]]:
    """The story's number drift, each telling named by its round's name and its day."""
    found: list[Inconsistency] = story_drift(story)
    named = {
        t.id: f"{round_names.get(t.round_id, t.round_id)}, {t.told_on:%a} {t.told_on.day} "
        f"{t.told_on:%b %Y}"
        for t in story.tellings
    }
    items: list[dict[str, Any]] = [drift_to_dict(story, item) for item in found]
    for item in items:
        claims: list[dict[str, Any]] = item["claims"]
        for claim in claims:
            claim["label"] = named.get(claim["source"], claim["label"])
    return items


def _view(
    story: StoryRecord,
    loop: LoopContext,
    round_names: dict[str, str],
    mocks: list[MockTelling] | None = None,
) -> StoryView:
    value = freshness(story, loop)
    mocks = mocks or []
    return StoryView(
        story,
        value,
        freshness_label(value),
        rounds_told_in(story, loop),
        len(tellings_in(story, loop)),
        _drift(story, round_names),
        list(dict.fromkeys(m.round_id for m in mocks)),
        len(mocks),
    )


def tag_names(pack: Pack) -> dict[str, str]:
    """Tag -> the name a page shows: competencies by their criterion's name, rounds by
    theirs ("success_metrics" -> "Success metrics", "round:product_sense" -> its round)."""
    names: dict[str, str] = {}
    for tag, name, _rounds in competencies_of(pack):
        names[tag] = name
        names.setdefault(normalise_tag(name), name)
    for rnd in pack.all_rounds():
        names[ROUND_TAG + rnd.id] = rnd.name
    return names


def _common(db: Database, pack: Pack) -> dict[str, Any]:
    return {
        "pack": pack,
        "tag_names": tag_names(pack),
        "round_names": {r.id: r.name for r in pack.all_rounds()},
        "rounds": pack.all_rounds(),
        "tags": competencies_of(pack),
        "parts": PARTS,
        "today": date.today().isoformat(),
    }


def _list_page(
    request: Request,
    db: Database,
    *,
    form: StoryForm | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    pack = resolve_pack(db)
    loop = loop_context(db, pack)
    stories = list_stories(db)
    names = {r.id: r.name for r in pack.all_rounds()}
    mocks = mock_tellings(db, stories, pack.id, loop_id=loop.loop_id)
    views = [_view(story, loop, names, mocks.get(story.id)) for story in stories]
    suggestions = []
    if stories:
        for rnd in pack.all_rounds():
            picks = suggest_stories(stories, pack, rnd.id, loop, limit=3)
            suggestions.append({"round": rnd, "picks": picks})
    context = {
        **_common(db, pack),
        "title": "Story bank",
        "views": views,
        "suggestions": suggestions,
        "stale_at": loop.stale_at,
        "in_loop": loop.loop_id is not None,
        "form": form or StoryForm(),
        "drifting": sum(1 for v in views if v.drift),
        "flash": request.query_params.get("done", ""),
    }
    return render(
        request,
        "prep/stories.html",
        context,
        section="stories",
        status_code=status_code,
        headers=FORM_ERRORS if form and form.error else None,
    )


def _story_page(
    request: Request,
    db: Database,
    story: StoryRecord,
    *,
    form: StoryForm | None = None,
    tell_error: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    pack = resolve_pack(db)
    loop = loop_context(db, pack)
    context = {
        **_common(db, pack),
        "title": story.title,
        "view": _view(
            story,
            loop,
            {r.id: r.name for r in pack.all_rounds()},
            mock_tellings(db, [story], pack.id, loop_id=loop.loop_id).get(story.id),
        ),
        "form": form or StoryForm.of(story),
        "tell_error": tell_error,
        "flash": request.query_params.get("done", ""),
        "stale_at": loop.stale_at,
        "loop_tellings": {t.id for t in tellings_in(story, loop)},
    }
    return render(
        request,
        "prep/story.html",
        context,
        section="stories",
        status_code=status_code,
        headers=FORM_ERRORS if (form and form.error) or tell_error else None,
    )


@router.get("/stories", response_class=HTMLResponse)
def stories_page(request: Request, db: Annotated[Database, Depends(get_db)]) -> HTMLResponse:
    """Every story with its freshness, tags, tellings and drift; suggestions per round."""
    return _list_page(request, db)


async def _form(request: Request) -> StoryForm:
    data = await request.form()

    def text(name: str) -> str:
        value = data.get(name)
        return value if isinstance(value, str) else ""

    return StoryForm(
        title=text("title"),
        situation=text("situation"),
        task=text("task"),
        action=text("action"),
        result=text("result"),
        competencies=text("competencies"),
        rounds=[v for v in data.getlist("rounds") if isinstance(v, str) and v],
    )


@router.post("/stories", response_class=HTMLResponse)
async def add_story(request: Request, db: Annotated[Database, Depends(get_db)]) -> Response:
    """Add a story to the bank."""
    form = await _form(request)
    pack = resolve_pack(db)
    try:
        story = create_story(
            db,
            title=form.title,
            situation=form.situation,
            task=form.task,
            action=form.action,
            result=form.result,
            competencies=[form.competencies],
            rounds=form.rounds,
            pack=pack,
        )
    except InputError as exc:
        form.error, form.error_field = str(exc), _error_field(str(exc))
        return _list_page(request, db, form=form, status_code=422)
    return RedirectResponse(f"/stories?done=added#story-{story.id}", status_code=303)


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(
    request: Request, story_id: str, db: Annotated[Database, Depends(get_db)]
) -> HTMLResponse:
    """One story: edit it, record where it was told, see its number drift."""
    return _story_page(request, db, get_story(db, story_id))


@router.post("/stories/{story_id}", response_class=HTMLResponse)
async def edit_story(
    request: Request, story_id: str, db: Annotated[Database, Depends(get_db)]
) -> Response:
    """Save changes to a story."""
    story = get_story(db, story_id)
    form = await _form(request)
    try:
        update_story(db, story.id, form.fields(), pack=resolve_pack(db))
    except InputError as exc:
        form.error, form.error_field = str(exc), _error_field(str(exc))
        return _story_page(request, db, story, form=form, status_code=422)
    return RedirectResponse(f"/stories/{story.id}?done=saved", status_code=303)


@router.post("/stories/{story_id}/delete")
def remove_story(story_id: str, db: Annotated[Database, Depends(get_db)]) -> RedirectResponse:
    """Delete a story, its tellings and its drill card."""
    delete_story(db, get_story(db, story_id).id)
    return RedirectResponse("/stories?done=deleted", status_code=303)


def _back(next_page: str, story_id: str, done: str) -> str:
    if next_page == "list":
        return f"/stories?done={done}#story-{story_id}"
    return f"/stories/{story_id}?done={done}#tellings"


@router.post("/stories/{story_id}/tell", response_class=HTMLResponse)
def tell(
    request: Request,
    story_id: str,
    db: Annotated[Database, Depends(get_db)],
    round_id: Annotated[str, Form()] = "",
    told_on: Annotated[str, Form()] = "",
    text: Annotated[str, Form()] = "",
    next_page: Annotated[str, Form(alias="next")] = "",
) -> Response:
    """Record that the story was told in a round (with the words used, when given)."""
    story = get_story(db, story_id)
    pack = resolve_pack(db)
    loop = loop_context(db, pack)
    try:
        if not round_id:
            raise InputError("Choose the round you told the story in.")
        day = parse_date(told_on, "The day you told it") if told_on.strip() else None
        tell_story(db, story.id, round_id, text=text, told_on=day, loop_id=loop.loop_id, pack=pack)
    except InputError as exc:
        return _story_page(request, db, story, tell_error=str(exc), status_code=422)
    return RedirectResponse(_back(next_page, story.id, "told"), status_code=303)


@router.post("/stories/{story_id}/tellings/{telling_id}/delete")
def untell(
    story_id: str, telling_id: str, db: Annotated[Database, Depends(get_db)]
) -> RedirectResponse:
    """Take back a telling recorded by mistake."""
    story = get_story(db, story_id)
    remove_telling(db, story.id, telling_id)
    return RedirectResponse(f"/stories/{story.id}?done=untold#tellings", status_code=303)
