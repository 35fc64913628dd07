"""The one-page brief editor: a form with a live preview and the linter's findings.

While you type, the form is posted (HTMX, half a second after you pause) to
``/brief/{id}/preview``, which saves it and answers with the preview, the lint panel and
each field's findings, swapped in place. What is stored is the form as typed (its fields
by dotted location, ``kpis.primary.0.target``), so a half-finished or unreadable draft is
never lost; the brief itself is read from it with :func:`loopready.briefs.from_form`.
Without JavaScript, "Save" posts the same form and the page comes back with everything.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from loopready.briefs import saved as saved_briefs
from loopready.briefs.bundled import example_packs, example_path
from loopready.briefs.files import load_brief
from loopready.briefs.form import (
    HEADER,
    HYPOTHESIS,
    KPI,
    LISTS,
    SECTIONS,
    anchor,
    clean_fields,
    field_id,
    flatten,
    read,
    rows_with_text,
    slot_id,
    where,
)
from loopready.briefs.linter import counts
from loopready.briefs.model import Brief
from loopready.briefs.saved import SavedBrief, create_brief, get_brief, list_briefs
from loopready.errors import InputError
from loopready.prep import resolve_pack
from loopready.store import Database, utcnow
from loopready.web.deps import get_db
from loopready.web.templating import fmt_clock, render

router = APIRouter()

# -- storage --------------------------------------------------------------------------------


def _list(db: Database) -> list[dict[str, Any]]:
    return [{"id": b.id, "title": b.title, "updated": b.updated_at} for b in list_briefs(db)]


def _row_counts(fields: Mapping[str, str], add: str) -> dict[str, int]:
    counts_by: dict[str, int] = {}
    for section in LISTS:
        used = rows_with_text(fields, section.prefix)
        highest = used[-1] + 1 if used else 0
        wanted = max(highest + 1, section.min_rows) + (1 if add == section.prefix else 0)
        counts_by[section.prefix] = min(wanted, section.max_rows)
    return counts_by


def _slots(fields: Mapping[str, str], rows: Mapping[str, int]) -> list[str]:
    """Every location on the form that can hold findings."""
    names = ["title", "product", "author", "summary", "note", "pack"]
    names += [f"hypothesis.{f.key}" for f in HYPOTHESIS]
    names += [f"kpis.north_star.{f.key}" for f in KPI]
    for section in LISTS:
        for i in range(rows[section.prefix]):
            names.append(f"{section.prefix}.{i}")
            names += [f"{section.prefix}.{i}.{f.key}" for f in section.fields]
    return [*SECTIONS, *names]


def _live_context(fields: Mapping[str, str], rows: Mapping[str, int]) -> dict[str, Any]:
    from loopready.briefs.html import render_html

    reading = read(fields)
    by_location = reading.by_location()
    slots = _slots(fields, rows)
    known = set(slots)
    return {
        "reading": reading,
        "preview": Markup(render_html(reading.brief)) if reading.brief else None,
        "by_location": by_location,
        "slots": slots,
        "elsewhere": [loc for loc in by_location if loc not in known],
        "tally": counts(reading.findings),
        "slot_id": slot_id,
        "field_id": field_id,
        "where": where,
        "anchor": anchor,
    }


def _packs() -> list[tuple[str, str]]:
    from loopready.packs import discover

    return [(e.pack.id, e.pack.name) for e in discover() if e.pack is not None]


def _editor(
    request: Request,
    db: Database,
    row: SavedBrief,
    fields: Mapping[str, str],
    *,
    add: str = "",
    error: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    rows = _row_counts(fields, add)
    pack = resolve_pack(db)
    context: dict[str, Any] = {
        "title": f"Brief: {row.title}",
        "brief_id": row.id,
        "brief_title": row.title,
        "fields": fields,
        "rows": rows,
        "header": HEADER,
        "hypothesis": HYPOTHESIS,
        "kpi": KPI,
        "lists": LISTS,
        "briefs": _list(db),
        "packs": _packs(),
        "updated": row.updated_at,
        "error": error,
        "has_example": pack.id in example_packs(),
        "example_company": pack.company,
        "flash": request.query_params.get("done", ""),
        **_live_context(fields, rows),
    }
    return render(request, "prep/brief.html", context, section="brief", status_code=status_code)


@router.get("/brief", response_class=HTMLResponse)
def brief_home(request: Request, db: Annotated[Database, Depends(get_db)]) -> Response:
    """Your newest brief in the editor, or a start page when there is none."""
    briefs = _list(db)
    if briefs:
        return RedirectResponse(f"/brief/{briefs[0]['id']}", status_code=303)
    pack = resolve_pack(db)
    return render(
        request,
        "prep/brief_start.html",
        {"title": "One-page brief", "pack": pack, "has_example": pack.id in example_packs()},
        section="brief",
    )


@router.post("/brief/new")
def new_brief(db: Annotated[Database, Depends(get_db)]) -> RedirectResponse:
    """Start a blank brief."""
    brief_id = create_brief(db, {"title": "", "pack": resolve_pack(db).id})
    return RedirectResponse(f"/brief/{brief_id}", status_code=303)


@router.post("/brief/example")
def example_brief(db: Annotated[Database, Depends(get_db)]) -> RedirectResponse:
    """Start from the pack's finished example brief (a copy: the example is not changed)."""
    pack = resolve_pack(db)
    doc = load_brief(example_path(pack.id))
    brief_id = create_brief(db, flatten(doc.brief))
    return RedirectResponse(f"/brief/{brief_id}?done=example", status_code=303)


@router.get("/brief/{brief_id}", response_class=HTMLResponse)
def edit_brief(
    request: Request, brief_id: str, db: Annotated[Database, Depends(get_db)], add: str = ""
) -> HTMLResponse:
    """The editor: the form, its live preview and the lint panel."""
    row = get_brief(db, brief_id)
    return _editor(request, db, row, row.fields, add=add)


async def _save_form(
    request: Request, db: Database, brief_id: str
) -> tuple[str, dict[str, str], str | None]:
    """Save the editor's form into brief *brief_id*: its id, the fields as saved, and the
    list a row was asked for ("add a row")."""
    row = get_brief(db, brief_id)
    form = await request.form()
    fields = clean_fields(form.multi_items())
    saved_briefs.save_brief(db, row.id, fields)
    add = form.get("add")
    return row.id, fields, add if isinstance(add, str) else None


@router.post("/brief/{brief_id}", response_class=HTMLResponse)
async def save_brief(
    request: Request, brief_id: str, db: Annotated[Database, Depends(get_db)]
) -> Response:
    """Save the form (the page's Save button, and "add a row", which work without JavaScript)."""
    saved_id, _, add = await _save_form(request, db, brief_id)
    anchor = ""
    suffix = "done=saved"
    if add in {s.prefix for s in LISTS}:
        suffix = f"add={add}"
        anchor = "#" + slot_id(add)
    return RedirectResponse(f"/brief/{saved_id}?{suffix}{anchor}", status_code=303)


@router.post("/brief/{brief_id}/preview", response_class=HTMLResponse)
async def preview(
    request: Request, brief_id: str, db: Annotated[Database, Depends(get_db)]
) -> HTMLResponse:
    """Save what is typed and answer with the preview, the lint panel and field findings."""
    _, fields, _ = await _save_form(request, db, brief_id)
    rows = {s.prefix: max(_row_numbers(fields, s.prefix), default=-1) + 1 for s in LISTS}
    context = {**_live_context(fields, rows), "saved_at": fmt_clock(utcnow()), "oob": True}
    return render(request, "prep/_brief_live.html", context, section="brief")


def _row_numbers(fields: Mapping[str, str], prefix: str) -> list[int]:
    pattern = re.compile(rf"^{re.escape(prefix)}\.(\d+)\.")
    return [int(m.group(1)) for key in fields if (m := pattern.match(key))]


@router.post("/brief/{brief_id}/delete")
def delete_brief(brief_id: str, db: Annotated[Database, Depends(get_db)]) -> RedirectResponse:
    """Delete a brief."""
    saved_briefs.delete_brief(db, brief_id)
    return RedirectResponse("/brief", status_code=303)


# -- downloads ------------------------------------------------------------------------------


def _readable(db: Database, brief_id: str) -> tuple[Brief, str]:
    row = get_brief(db, brief_id)
    reading = read(row.fields, layout=False)
    if reading.brief is None:
        lines = "; ".join(f"{loc or 'the brief'}: {msg}" for loc, msg in reading.problems)
        raise InputError(f"The brief cannot be exported until these are fixed: {lines}.")
    slug = re.sub(r"[^a-z0-9]+", "-", row.title.lower()).strip("-")[:60] or "brief"
    return reading.brief, slug


def _download(body: bytes, media: str, filename: str) -> Response:
    return Response(
        body,
        media_type=media,
        headers={
            "content-disposition": f'attachment; filename="{filename}"',
            "cache-control": "no-store",
        },
    )


@router.get("/brief/{brief_id}/brief.md")
def markdown(brief_id: str, db: Annotated[Database, Depends(get_db)]) -> Response:
    """The brief as Markdown (which ``loopready brief`` reads back)."""
    from loopready.briefs.markdown import to_markdown

    brief, slug = _readable(db, brief_id)
    return _download(to_markdown(brief).encode(), "text/markdown; charset=utf-8", f"{slug}.md")


@router.get("/brief/{brief_id}/brief.yaml")
def yaml_file(brief_id: str, db: Annotated[Database, Depends(get_db)]) -> Response:
    """The brief as YAML, for ``loopready brief lint`` and ``export``."""
    from loopready.briefs.model import to_yaml

    brief, slug = _readable(db, brief_id)
    return _download(to_yaml(brief).encode(), "application/yaml; charset=utf-8", f"{slug}.yaml")


@router.get("/brief/{brief_id}/brief.pdf")
def pdf(
    brief_id: str, db: Annotated[Database, Depends(get_db)], paper: str = "us-letter"
) -> Response:
    """The brief as a one-page PDF (US Letter or A4); too long a brief says what to cut."""
    from loopready.briefs.pdf import render_pdf

    if paper not in ("us-letter", "a4"):
        raise InputError("The paper is us-letter or a4.")
    brief, slug = _readable(db, brief_id)
    body = render_pdf(brief, "a4" if paper == "a4" else "us-letter")
    return _download(body, "application/pdf", f"{slug}.pdf")
