"""The one-page product brief as validated data, and reading it from YAML or a form.

A brief file is YAML; the web editor sends the same keys. Every model forbids unknown
keys, so a typo is an error, and every problem is reported as
``FILE: path.to.field: message (line N)`` through :class:`BriefError`.

Validation here is about shape (types, dates, percentages, exactly one north star);
whether the brief is *good* (falsifiable, measurable, staged) is the linter's job in
:mod:`loopready.briefs.linter`, so a half-written draft still loads and can be linted.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from pydantic_core import PydanticCustomError

from loopready.errors import InputError
from loopready.yamlfiles import allowed_keys, line_of, load_bounded, malformed, model_at

Loc = tuple[str | int, ...]

# -- field types ------------------------------------------------------------------------


def _text(value: Any) -> Any:
    """Free text: numbers and dates become text, line breaks become ``\\n``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        raise PydanticCustomError(
            "brief_text",
            "expected text, got {got}; quote it if you meant the word",
            {"got": repr(value)},
        )
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def _date(value: Any) -> Any:
    """A calendar date: a YAML date, or text written ``YYYY-MM-DD``."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise PydanticCustomError(
        "brief_date",
        "write the date as YYYY-MM-DD, e.g. 2026-09-01 (got {got})",
        {"got": repr(value)},
    )


def _percent(value: Any) -> Any:
    """A share of the audience in percent: ``5``, ``"5%"`` or ``"0.5 %"``."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        text = value.strip().removesuffix("%").strip()
        try:
            return float(text)
        except ValueError:
            raise PydanticCustomError(
                "brief_percent",
                'write the share as a percentage of eligible users, e.g. 5 or "5%" (got {got})',
                {"got": repr(value)},
            ) from None
    return value


def _one_north_star(value: Any) -> Any:
    if isinstance(value, list):
        raise PydanticCustomError(
            "brief_north_star",
            "a brief has exactly one north star: give one KPI (name, definition, baseline, "
            "target, model_signal), not a list of {n}; move the others to primary",
            {"n": len(value)},
        )
    return value


Text = Annotated[str, BeforeValidator(_text)]
Name = Annotated[str, BeforeValidator(_text), Field(min_length=1)]
When = Annotated[date | None, BeforeValidator(_date)]
Share = Annotated[float | None, BeforeValidator(_percent), Field(ge=0, le=100)]
PackId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_\-]*$", max_length=64)]


class _Strict(BaseModel):
    """Base for every brief model: unknown keys are errors, text is stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


# -- the brief --------------------------------------------------------------------------


class Hypothesis(_Strict):
    """The market hypothesis: who, their problem, why now, how big, and a testable claim."""

    who: Text = Field("", description="The users the feature is for, narrowly.")
    problem: Text = Field("", description="Their problem, in their terms.")
    why_now: Text = Field("", description="What changed that makes this possible or urgent.")
    size: Text = Field("", description="How big the opportunity is, with a number.")
    statement: Text = Field(
        "", description="A claim that could be proven wrong: who does what, by how much, by when."
    )


class Kpi(_Strict):
    """One KPI: what it counts, where it starts, where it should go, what model signal moves it."""

    name: Name
    definition: Text = ""
    baseline: Text = ""
    target: Text = ""
    model_signal: Text = Field("", description="The model measure that moves this KPI.")


class Kpis(_Strict):
    """The KPI hierarchy: one north star, at most two primary KPIs, and guardrails."""

    north_star: Annotated[Kpi | None, BeforeValidator(_one_north_star)] = None
    primary: list[Kpi] = Field(default_factory=list)
    guardrails: list[Kpi] = Field(default_factory=list)

    def all(self) -> list[tuple[str, Kpi]]:
        """Every KPI with its dotted location, north star first."""
        out: list[tuple[str, Kpi]] = []
        if self.north_star is not None:
            out.append(("kpis.north_star", self.north_star))
        out += [(f"kpis.primary.{i}", k) for i, k in enumerate(self.primary)]
        out += [(f"kpis.guardrails.{i}", k) for i, k in enumerate(self.guardrails)]
        return out


class Phase(_Strict):
    """One rollout phase: when, to whom, and what decides the next step."""

    name: Name
    start: When = None
    end: When = None
    audience: Text = Field("", description="Who is in it: staff, opt-in beta, one region...")
    share: Share = Field(None, description="Percent of eligible users exposed.")
    go: Text = Field("", description="What must be true to move to the next phase.")
    no_go: Text = Field("", description="What makes you pause or roll back.")


class Risk(_Strict):
    """A risk and what you will do about it."""

    risk: Name
    mitigation: Text = ""
    owner: Text = ""


class Stakeholder(_Strict):
    """A stakeholder and what they need from the feature or from you."""

    who: Name
    needs: Text = ""


class Brief(_Strict):
    """A one-page product brief for an AI feature."""

    title: Name
    product: Text = Field("", description="The product the feature lives in.")
    pack: PackId | None = Field(None, description="The interview pack this brief prepares for.")
    author: Text = ""
    summary: Text = Field("", description="What the feature does, in a sentence or two.")
    hypothesis: Hypothesis = Field(default_factory=Hypothesis)
    kpis: Kpis = Field(default_factory=Kpis)
    rollout: list[Phase] = Field(default_factory=list)
    risks: list[Risk] = Field(default_factory=list)
    stakeholders: list[Stakeholder] = Field(default_factory=list)
    note: Text = Field("", description="A footnote, e.g. that figures are assumptions.")


# -- errors -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a brief's input: where, what, and the YAML line if known."""

    location: str
    message: str
    line: int | None = None

    def format(self, source: str) -> str:
        suffix = f" (line {self.line})" if self.line else ""
        where = self.location or "(top)"
        return f"{source}: {where}: {self.message}{suffix}"


class BriefError(InputError):
    """A brief failed to load; ``problems`` lists each bad field (for the web form)."""

    def __init__(self, source: str, problems: list[Problem]):
        self.source = source
        self.problems = problems
        super().__init__("\n".join(p.format(source) for p in problems))


# -- a parsed document ------------------------------------------------------------------


@dataclass(frozen=True)
class BriefDocument:
    """A brief with where it came from, so findings can point at YAML lines."""

    brief: Brief
    source: str
    root: yaml.Node | None = None

    def line_of(self, location: str) -> int | None:
        """The 1-based YAML line of a dotted location, or None when unknown."""
        if self.root is None or location in ("", "brief"):
            return None
        return line_of(self.root, split_location(location))


def split_location(location: str) -> Loc:
    """``"kpis.primary.1"`` -> ``("kpis", "primary", 1)``."""
    if not location or location == "brief":
        return ()
    return tuple(int(p) if p.isdigit() else p for p in location.split("."))


# -- reading ----------------------------------------------------------------------------


def parse_brief_text(text: str, source: str = "<brief>") -> BriefDocument:
    """Validate brief YAML given as text; ``source`` prefixes every problem."""
    try:
        data, root = load_bounded(text, source, fast=False)
    except yaml.YAMLError as exc:
        raise InputError(malformed(exc, source)) from None
    if data is None:
        raise InputError(
            f"{source}: the file is empty; start from `loopready brief new FILE` "
            "(a brief needs at least `title:`)"
        )
    return BriefDocument(parse_brief(data, source, root), source, root)


def parse_brief(data: Any, source: str = "<brief>", root: yaml.Node | None = None) -> Brief:
    """Validate a brief given as a mapping (from YAML, JSON or :func:`from_form`)."""
    if not isinstance(data, dict):
        raise BriefError(
            source,
            [
                Problem(
                    "",
                    f"a brief must be a mapping of keys such as `title: ...` "
                    f"(got {type(data).__name__})",
                )
            ],
        )
    try:
        return Brief.model_validate(data)
    except ValidationError as exc:
        problems: list[Problem] = []
        seen: set[tuple[str, str]] = set()
        for err in exc.errors():
            loc = _clean_loc(tuple(err["loc"]))
            location = ".".join(str(p) for p in loc)
            message = _message(err, loc)
            if (location, message) in seen:
                continue
            seen.add((location, message))
            problems.append(Problem(location, message, line_of(root, loc)))
        raise BriefError(source, problems) from None


def _clean_loc(loc: Loc) -> Loc:
    # pydantic adds the validator's name for wrapped types ("function-before[...]"); drop it.
    return tuple(p for p in loc if not (isinstance(p, str) and "[" in p))


def _message(err: Any, loc: Loc) -> str:
    kind = err["type"]
    if kind == "extra_forbidden":
        allowed = allowed_keys(Brief, loc[:-1])
        key = str(loc[-1]) if loc else ""
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        hint = f"; did you mean `{close[0]}`?" if close else ""
        listed = f" (allowed keys: {', '.join(allowed)})" if allowed else ""
        return f"unknown key{hint}{listed}"
    if kind == "missing":
        return "required field is missing"
    if kind in ("string_too_short", "too_short"):
        return "must not be empty"
    if kind == "string_pattern_mismatch" and loc == ("pack",):
        return "a pack id uses lower-case letters, digits, - and _ (e.g. sony-ai-pm-2026)"
    if kind in ("less_than_equal", "greater_than_equal") and loc and loc[-1] == "share":
        return "the share is a percentage between 0 and 100"
    if kind in ("list_type", "model_type", "model_attributes_type", "dict_type"):
        return _shape_message(loc, err.get("input"), kind == "list_type")
    msg: str = err["msg"]
    return msg[0].lower() + msg[1:] if msg else kind


def _shape_message(loc: Loc, got: Any, want_list: bool) -> str:
    model = model_at(Brief, loc)
    got_name = type(got).__name__ if got is not None else "nothing"
    keys = ", ".join(model.model_fields) if model is not None else ""
    if want_list:
        each = f", each entry a mapping with keys {keys}" if keys else ""
        return f"expected a list (lines starting with -){each} (got {got_name})"
    return f"expected a mapping with keys {keys} (got {got_name})"


# -- the web form -----------------------------------------------------------------------

_INDEX = re.compile(r"^\d+$")


def from_form(fields: Mapping[str, str]) -> dict[str, Any]:
    """Turn flat form fields into the nested mapping :func:`parse_brief` takes.

    Keys are dotted locations, as the linter reports them: ``title``,
    ``hypothesis.who``, ``kpis.north_star.name``, ``kpis.primary.0.target``,
    ``rollout.2.start``. Rows left entirely empty (a blank row the form offered)
    are dropped, and so is an empty north star, so a half-filled form still loads.

    >>> from_form({"title": "X", "rollout.0.name": "Beta", "rollout.1.name": ""})
    {'title': 'X', 'rollout': [{'name': 'Beta'}]}
    """
    tree: dict[str, Any] = {}
    for key, value in fields.items():
        parts = key.split(".")
        if not all(parts):
            raise BriefError("form", [Problem(key, "not a field of a brief")])
        node: dict[str, Any] = tree
        for part in parts[:-1]:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                raise BriefError("form", [Problem(key, "not a field of a brief")])
            node = child
        node[parts[-1]] = value
    pruned = _listify(tree)
    assert isinstance(pruned, dict)
    kpis = pruned.get("kpis")
    if isinstance(kpis, dict) and _blank(kpis.get("north_star", "")):
        kpis.pop("north_star", None)
    return pruned


def _listify(node: Any) -> Any:
    """Mappings keyed only by indexes become lists (in index order, blank rows dropped)."""
    if not isinstance(node, dict):
        return node
    converted = {k: _listify(v) for k, v in node.items()}
    if converted and all(_INDEX.match(k) for k in converted):
        rows = [converted[k] for k in sorted(converted, key=int)]
        return [row for row in rows if not _blank(row)]
    return converted


def _blank(value: Any) -> bool:
    if isinstance(value, dict):
        return all(_blank(v) for v in value.values())
    if isinstance(value, list):
        return all(_blank(v) for v in value)
    return value is None or (isinstance(value, str) and not value.strip())


# -- writing YAML -----------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    pass


def _str_presenter(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_presenter)


def to_yaml(brief: Brief) -> str:
    """The brief as YAML, keys in the schema's order, empty fields left out."""
    data = brief.model_dump(mode="python", exclude_defaults=True)
    for phase in data.get("rollout", []):
        share = phase.get("share")
        if isinstance(share, float) and share.is_integer():
            phase["share"] = int(share)  # "share: 5", not "share: 5.0"
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, indent=2)
