"""Practise for this job posting: paste a posting, read what loopready drafted, edit, save.

The page shows what was read from the posting (company, role, responsibilities,
requirements, the products it names) and the drafted pack as YAML in an editable box.
Saving validates the edited text like any pack; when it has problems the page comes back
with them listed and the text as it was typed, so nothing is lost.
"""

from __future__ import annotations

import os
from typing import Annotated, Any, Final

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from loopready.errors import InputError, PackError
from loopready.packs import parse_pack
from loopready.packs.draft import Draft, draft_pack
from loopready.packs.posting import Posting, read_posting
from loopready.web.routes.packs import _install
from loopready.web.routes.plan import FORM_ERRORS
from loopready.web.templating import render

router = APIRouter()

#: The longest posting accepted: a real one is a few thousand characters.
MAX_POSTING: Final = 40_000


def _page(request: Request, status_code: int = 200, **extra: Any) -> HTMLResponse:
    context: dict[str, Any] = {
        "title": "Practise for a job posting",
        "posting_text": "",
        "posting": None,
        "draft_text": "",
        "questions": [],
        "error": "",
        "problems": [],
        "saved": "",
        "saved_id": "",
        "max_posting": MAX_POSTING,
        # The rewording offer appears only when an endpoint is configured.
        "llm_configured": bool(os.environ.get("LOOPREADY_LLM_BASE_URL", "").strip()),
        "reword_notes": [],
    }
    context.update(extra)
    return render(
        request,
        "packs_posting.html",
        context,
        section="packs",
        status_code=status_code,
        headers=FORM_ERRORS if status_code >= 400 else None,
    )


@router.get("/packs/from-posting", response_class=HTMLResponse)
def posting_page(request: Request) -> HTMLResponse:
    """The box to paste a job posting into."""
    return _page(request)


def _questions(draft: Draft) -> list[tuple[str, list[str]]]:
    return [(r.name, [p.question for p in r.prompts]) for r in draft.pack.rounds]


@router.post("/packs/from-posting", response_class=HTMLResponse)
def draft_from_posting(
    request: Request,
    posting: Annotated[str, Form()] = "",
    reword: Annotated[str, Form()] = "",
) -> HTMLResponse:
    """Read the posting and show the drafted pack, ready to edit."""
    try:
        if not posting.strip():
            raise InputError(
                "Paste the job posting first: its title, what you'll do and what it asks for."
            )
        if len(posting) > MAX_POSTING:
            raise InputError(
                f"The posting is {len(posting):,} characters; paste only the job's own text "
                f"(under {MAX_POSTING:,})."
            )
        read: Posting = read_posting(posting)
        if not read.responsibilities and not read.product_areas:
            raise InputError(
                "No responsibilities and no product found. Paste the whole posting, with its "
                "headings (for example \u201cWhat you\u2019ll do\u201d)."
            )
        draft = draft_pack(read)
        notes: list[str] = []
        if reword:
            from loopready.grading.openai_compat import LLMOptions
            from loopready.prep.reword import reword_draft

            done = reword_draft(draft, LLMOptions.from_env())
            draft = done.draft
            notes = [
                *done.notes,
                f"Reworded {done.replaced} questions; kept the drafted wording of {done.kept}.",
            ]
    except InputError as exc:
        return _page(request, 422, posting_text=posting, error=str(exc))
    return _page(
        request,
        posting_text=posting,
        posting=read,
        draft_text=draft.text,
        questions=_questions(draft),
        reword_notes=notes,
    )


@router.post("/packs/from-posting/save", response_class=HTMLResponse)
def save_draft(
    request: Request,
    text: Annotated[str, Form()] = "",
    posting: Annotated[str, Form()] = "",
) -> HTMLResponse:
    """Validate the (edited) draft like any pack and add it to your packs."""
    read = read_posting(posting) if posting.strip() else None
    try:
        pack = parse_pack(text, "drafted pack")
    except PackError as exc:
        return _page(
            request,
            400,
            posting_text=posting,
            posting=read,
            draft_text=text,
            problems=list(exc.problems),
        )
    try:
        saved = _install(pack, text)
    except InputError as exc:
        return _page(
            request, 400, posting_text=posting, posting=read, draft_text=text, error=str(exc)
        )
    questions = [(r.name, [p.question for p in r.prompts]) for r in pack.rounds]
    return _page(
        request,
        posting_text=posting,
        posting=read,
        draft_text=text,
        questions=questions,
        saved=saved,
        saved_id=pack.id,
    )
