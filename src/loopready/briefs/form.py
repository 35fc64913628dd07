"""The brief editor's form: its fields (a brief flattened to dotted locations such as
``kpis.primary.0.target``), where each location is on the page, and the form read back
into a brief with the linter's findings placed on the form's rows.

The web editor stores the form as typed, so a half-finished draft is never lost; this
module turns it into a :class:`~loopready.briefs.model.Brief` and back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from loopready.briefs.linter import Finding, lint
from loopready.briefs.model import Brief, BriefError, from_form, parse_brief
from loopready.errors import InputError

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
