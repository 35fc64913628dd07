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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any, Final

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from loopready.briefs import saved as saved_briefs
from loopready.briefs.bundled import example_packs, example_path
from loopready.briefs.files import load_brief
from loopready.briefs.linter import Finding, counts, lint
from loopready.briefs.model import Brief, BriefError, from_form, parse_brief
from loopready.briefs.saved import SavedBrief, create_brief, get_brief, list_briefs
from loopready.errors import InputError
from loopready.prep import resolve_pack
from loopready.store import Database, utcnow
from loopready.web.deps import get_db
from loopready.web.templating import fmt_clock, render

router = APIRouter()

#: The longest single field accepted, in characters (a brief is one page).
MAX_FIELD: Final = 5_000
#: The most fields one form may carry (rows times columns, with room).
MAX_FIELDS: Final = 600
_NAME: Final = re.compile(r"^[a-z_]+(\.[a-z_]+|\.\d{1,2})*$")


# -- the form's shape -----------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One input of the form: its key (the brief's own name for it), label, hint, kind."""

    key: str
    label: str
    hint: str = ""
    kind: str = "text"  # text, area, date, share
    span: int = 6  # columns of six it takes in a row of fields


@dataclass(frozen=True)
class ListSection:
    """A list of rows in the brief (KPIs, phases, risks, stakeholders)."""

    prefix: str
    title: str
    row_label: str
    fields: tuple[Field, ...]
    min_rows: int
    intro: str = ""
    max_rows: int = 12


HEADER: Final = (
    Field("title", "Title", "The feature's name and its promise."),
    Field("product", "Product", "The product it lives in."),
    Field("author", "Author"),
    Field("summary", "Summary", "What the user sees and what the model does.", "area"),
)
HYPOTHESIS: Final = (
    Field("who", "Who", "The users, narrowly: which ones, doing what, how often.", "area"),
    Field("problem", "Problem", "Their problem, as they would say it.", "area"),
    Field("why_now", "Why now", "What changed that makes this possible now.", "area"),
    Field("size", "How big", "With a number, and whether it is measured or assumed.", "area"),
    Field(
        "statement",
        "Hypothesis",
        "A claim you could be wrong about: who does what, by how much, by when.",
        "area",
    ),
)
KPI: Final = (
    Field("name", "KPI"),
    Field("definition", "Definition", "What is counted, over whom, over what period.", "area"),
    Field("baseline", "Baseline", span=3),
    Field("target", "Target, with a date", span=3),
    Field("model_signal", "Model signal", "The model measure that moves it.", "area"),
)
LISTS: Final = (
    ListSection(
        "kpis.primary",
        "Primary KPIs",
        "Primary KPI",
        KPI,
        2,
        "At most two numbers that move before the north star.",
    ),
    ListSection(
        "kpis.guardrails",
        "Guardrails",
        "Guardrail",
        KPI,
        1,
        "What must not get worse; the target is the limit.",
    ),
    ListSection(
        "rollout",
        "Rollout",
        "Phase",
        (
            Field("name", "Phase", span=2),
            Field("start", "Starts", "", "date", span=2),
            Field("end", "Ends", "", "date", span=2),
            Field("audience", "Audience", span=4),
            Field("share", "Share of users, %", "", "share", span=2),
            Field("go", "Go to the next phase when", "", "area"),
            Field("no_go", "Pause or roll back when", "", "area"),
        ),
        2,
        "Phases in order, growing from a small share, each with what decides the next step.",
    ),
    ListSection(
        "risks",
        "Risks",
        "Risk",
        (
            Field("risk", "Risk"),
            Field("mitigation", "Mitigation", span=4),
            Field("owner", "Owner", span=2),
        ),
        1,
    ),
    ListSection(
        "stakeholders",
        "Stakeholders",
        "Stakeholder",
        (Field("who", "Who", span=2), Field("needs", "What they need to say yes", span=4)),
        1,
    ),
)
#: Locations the linter may report that are a whole section, not one field.
SECTIONS: Final = ("hypothesis", "kpis", "kpis.north_star", *(s.prefix for s in LISTS))


def where(location: str) -> str:
    """A finding's location in words: ``kpis.primary.1.target`` -> ``Primary KPI 2: Target``."""
    if location in ("", "brief"):
        return "The whole brief"
    labels = {f.key: f.label for f in HEADER} | {"note": "Note", "pack": "Pack"}
    if location in labels:
        return labels[location]
    if location == "hypothesis":
        return "Market hypothesis"
    if location.startswith("hypothesis."):
        key = location.split(".", 1)[1]
        return "Market hypothesis: " + next((f.label for f in HYPOTHESIS if f.key == key), key)
    if location == "kpis":
        return "KPIs"
    if location.startswith("kpis.north_star"):
        key = location[len("kpis.north_star.") :]
        name = next((f.label for f in KPI if f.key == key), "")
        return "North star" + (f": {name}" if name else "")
    for section in LISTS:
        if location == section.prefix:
            return section.title
        if location.startswith(section.prefix + "."):
            rest = location[len(section.prefix) + 1 :].split(".")
            if not rest[0].isdigit():
                break
            text = f"{section.row_label} {int(rest[0]) + 1}"
            if len(rest) > 1:
                text += ": " + next((f.label for f in section.fields if f.key == rest[1]), rest[1])
            return text
    return location


def anchor(location: str) -> str:
    """Where a link to *location* should go: its input, else its findings on the form."""
    if location in ("", "brief"):
        return "brief-preview"
    if location in SECTIONS or location.split(".")[-1].isdigit():
        return slot_id(location)
    return field_id(location)


def slot_id(location: str) -> str:
    """The id of the element holding the findings for *location* (``m-kpis-primary-0``)."""
    return "m-" + location.replace(".", "-")


def field_id(name: str) -> str:
    """The id of the input named *name* (``f-kpis-primary-0-target``)."""
    return "f-" + name.replace(".", "-")


# -- form <-> brief -------------------------------------------------------------------------


def _blank(value: str) -> bool:
    return not value.strip()


def rows_with_text(fields: Mapping[str, str], prefix: str) -> list[int]:
    """The form's row numbers under *prefix* that have any text, in order."""
    found: set[int] = set()
    pattern = re.compile(rf"^{re.escape(prefix)}\.(\d+)\.")
    for key, value in fields.items():
        match = pattern.match(key)
        if match and not _blank(value):
            found.add(int(match.group(1)))
    return sorted(found)


def to_form_location(location: str, fields: Mapping[str, str]) -> str:
    """A brief location (rows counted without the blank ones) as the form's location."""
    for section in LISTS:
        prefix = section.prefix + "."
        if location.startswith(prefix):
            rest = location[len(prefix) :].split(".", 1)
            if rest[0].isdigit():
                rows = rows_with_text(fields, section.prefix)
                index = int(rest[0])
                if index < len(rows):
                    rest[0] = str(rows[index])
                    return section.prefix + "." + ".".join(rest)
    return location


def flatten(brief: Brief) -> dict[str, str]:
    """A brief as the form's fields."""
    out: dict[str, str] = {
        "title": brief.title,
        "product": brief.product,
        "pack": brief.pack or "",
        "author": brief.author,
        "summary": brief.summary,
        "note": brief.note,
    }
    for part in HYPOTHESIS:
        out[f"hypothesis.{part.key}"] = str(getattr(brief.hypothesis, part.key))
    star = brief.kpis.north_star
    for part in KPI:
        out[f"kpis.north_star.{part.key}"] = str(getattr(star, part.key)) if star else ""
    rows: dict[str, list[Any]] = {
        "kpis.primary": list(brief.kpis.primary),
        "kpis.guardrails": list(brief.kpis.guardrails),
        "rollout": list(brief.rollout),
        "risks": list(brief.risks),
        "stakeholders": list(brief.stakeholders),
    }
    for section in LISTS:
        for i, row in enumerate(rows[section.prefix]):
            for part in section.fields:
                value = getattr(row, part.key)
                if value is None:
                    text = ""
                elif isinstance(value, date):
                    text = value.isoformat()
                elif isinstance(value, float):
                    text = f"{value:g}"
                else:
                    text = str(value)
                out[f"{section.prefix}.{i}.{part.key}"] = text
    return out


def clean_fields(items: Iterable[tuple[str, Any]]) -> dict[str, str]:
    """The brief's fields out of a posted form: known names only, text only, size-checked."""
    fields: dict[str, str] = {}
    for key, value in items:
        if not isinstance(value, str) or not _NAME.match(key):
            continue
        if key in ("csrf_token", "add"):
            continue
        if len(value) > MAX_FIELD:
            raise InputError(
                f"The field {key} is {len(value):,} characters long; a one-page brief keeps "
                f"each under {MAX_FIELD:,}."
            )
        fields[key] = value.replace("\r\n", "\n")
    if len(fields) > MAX_FIELDS:
        raise InputError(f"The form has {len(fields)} fields; a brief has at most {MAX_FIELDS}.")
    return fields


@dataclass
class Reading:
    """What the stored form reads as: the brief, or the problems that stop it loading."""

    brief: Brief | None
    problems: list[tuple[str, str]] = field(default_factory=list)  # (form location, message)
    findings: list[Finding] = field(default_factory=list)

    def by_location(self) -> dict[str, list[tuple[str, str]]]:
        """Form location -> [(severity, message-and-fix)] for every problem and finding."""
        out: dict[str, list[tuple[str, str]]] = {}
        for location, message in self.problems:
            out.setdefault(location, []).append(("error", message))
        for f in self.findings:
            out.setdefault(f.location, []).append((f.severity, f"{f.message} {f.fix}"))
        return out


def read(fields: Mapping[str, str], *, layout: bool = True) -> Reading:
    """Load and lint the brief the form holds (locations translated to the form's rows)."""
    payload = {k: v for k, v in fields.items() if not (k == "pack" and _blank(v))}
    try:
        brief = parse_brief(from_form(payload), "form")
    except BriefError as exc:
        problems = [(to_form_location(p.location, fields), p.message) for p in exc.problems]
        return Reading(None, problems)
    findings = [
        Finding(f.rule, f.severity, to_form_location(f.location, fields), f.message, f.fix)
        for f in lint(brief, layout=layout)
    ]
    return Reading(brief, [], findings)


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


@router.post("/brief/{brief_id}", response_class=HTMLResponse)
async def save_brief(
    request: Request, brief_id: str, db: Annotated[Database, Depends(get_db)]
) -> Response:
    """Save the form (the page's Save button, and "add a row", which work without JavaScript)."""
    row = get_brief(db, brief_id)
    form = await request.form()
    fields = clean_fields(form.multi_items())
    saved_briefs.save_brief(db, row.id, fields)
    add = form.get("add")
    anchor = ""
    suffix = "done=saved"
    if isinstance(add, str) and add in {s.prefix for s in LISTS}:
        suffix = f"add={add}"
        anchor = "#" + slot_id(add)
    return RedirectResponse(f"/brief/{row.id}?{suffix}{anchor}", status_code=303)


@router.post("/brief/{brief_id}/preview", response_class=HTMLResponse)
async def preview(
    request: Request, brief_id: str, db: Annotated[Database, Depends(get_db)]
) -> HTMLResponse:
    """Save what is typed and answer with the preview, the lint panel and field findings."""
    row = get_brief(db, brief_id)
    form = await request.form()
    fields = clean_fields(form.multi_items())
    saved_briefs.save_brief(db, row.id, fields)
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
