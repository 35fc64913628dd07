"""The brief as Markdown, and back: ``parse_markdown(to_markdown(b)) == b``.

The Markdown reads well on its own (GitHub, an editor preview, a doc tool) and keeps
enough structure to be read back: fixed section headings, ``**Label:**`` bullets and
tables with fixed columns. Inside any value, ``&``, ``<`` and ``>`` are written as
HTML entities, a line break as ``<br>``, and ``\\`` and ``|`` are backslash-escaped, so
every character survives the trip and renders as itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any, Final

from loopready.briefs.model import Brief, Kpi, parse_brief
from loopready.errors import InputError

MARKER: Final = "<!-- loopready brief: `loopready brief lint` and `export` read this file -->"

_HEADER_KEYS: Final = {"Product": "product", "Pack": "pack", "Author": "author"}
_HYPOTHESIS_KEYS: Final = {
    "Who": "who",
    "Problem": "problem",
    "Why now": "why_now",
    "How big": "size",
    "Hypothesis": "statement",
}
_TIERS: Final = {"North star": "north_star", "Primary": "primary", "Guardrail": "guardrails"}

_KPI_COLUMNS: Final = ("Tier", "KPI", "Definition", "Baseline", "Target", "Model signal")
_PHASE_COLUMNS: Final = ("Phase", "Start", "End", "Audience", "Share", "Go when", "Stop when")
_RISK_COLUMNS: Final = ("Risk", "Mitigation", "Owner")
_PEOPLE_COLUMNS: Final = ("Who", "Needs")

_SECTIONS: Final = {
    "Market hypothesis": "hypothesis",
    "KPI hierarchy": "kpis",
    "Rollout timeline": "rollout",
    "Risks": "risks",
    "Stakeholders": "stakeholders",
}
_NONE: Final = "*None yet.*"
_NOTE: Final = "_Note:_ "

# -- encoding values --------------------------------------------------------------------

_ENCODE: Final = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\\": "\\\\", "|": "\\|", "\n": "<br>"}
_DECODE_RX = re.compile(r"\\[\\|]|<br>|&lt;|&gt;|&amp;")
_DECODE: Final = {v: k for k, v in _ENCODE.items()}


def encode(text: str) -> str:
    """One value as a single line of Markdown that :func:`decode` turns back exactly."""
    return "".join(_ENCODE.get(ch, ch) for ch in text)


def decode(text: str) -> str:
    """The inverse of :func:`encode`."""
    return _DECODE_RX.sub(lambda m: _DECODE[m.group(0)], text)


def _num(x: float) -> str:
    short = f"{x:g}"
    return short if float(short) == x else repr(x)


# -- writing ----------------------------------------------------------------------------


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(encode(c) for c in cells) + " |"


def _table(columns: tuple[str, ...], rows: list[list[str]]) -> list[str]:
    if not rows:
        return [_NONE]
    head = "| " + " | ".join(columns) + " |"
    rule = "|" + "|".join("---" for _ in columns) + "|"
    return [head, rule, *(_row(r) for r in rows)]


def _kpi_row(tier: str, k: Kpi) -> list[str]:
    return [tier, k.name, k.definition, k.baseline, k.target, k.model_signal]


def to_markdown(brief: Brief) -> str:
    """The brief as Markdown; :func:`parse_markdown` reads it back to an equal brief."""
    out = [MARKER, "", f"# {encode(brief.title)}", ""]
    header = [(label, getattr(brief, key) or "") for label, key in _HEADER_KEYS.items()]
    bullets = [f"- **{label}:** {encode(v)}" for label, v in header if v]
    if bullets:
        out += [*bullets, ""]
    if brief.summary:
        out += [f"> {encode(brief.summary)}", ""]

    out += ["## Market hypothesis", ""]
    hyp = [
        f"- **{label}:** {encode(getattr(brief.hypothesis, key))}"
        for label, key in _HYPOTHESIS_KEYS.items()
        if getattr(brief.hypothesis, key)
    ]
    out += [*(hyp or [_NONE]), ""]

    kpis = brief.kpis
    rows = [_kpi_row("North star", kpis.north_star)] if kpis.north_star else []
    rows += [_kpi_row("Primary", k) for k in kpis.primary]
    rows += [_kpi_row("Guardrail", k) for k in kpis.guardrails]
    out += ["## KPI hierarchy", "", *_table(_KPI_COLUMNS, rows), ""]

    phases = [
        [
            p.name,
            p.start.isoformat() if p.start else "",
            p.end.isoformat() if p.end else "",
            p.audience,
            f"{_num(p.share)}%" if p.share is not None else "",
            p.go,
            p.no_go,
        ]
        for p in brief.rollout
    ]
    out += ["## Rollout timeline", "", *_table(_PHASE_COLUMNS, phases), ""]
    risks = [[r.risk, r.mitigation, r.owner] for r in brief.risks]
    out += ["## Risks", "", *_table(_RISK_COLUMNS, risks), ""]
    people = [[s.who, s.needs] for s in brief.stakeholders]
    out += ["## Stakeholders", "", *_table(_PEOPLE_COLUMNS, people), ""]
    if brief.note:
        out += ["---", "", f"{_NOTE}{encode(brief.note)}", ""]
    return "\n".join(out)


# -- reading ----------------------------------------------------------------------------

_BULLET = re.compile(r"^- \*\*(?P<label>[^*]+):\*\*(?: (?P<value>.*))?$")
_RULE_ROW = re.compile(r"^\|(?:\s*:?-{3,}:?\s*\|)+$")


class _Reader:
    def __init__(self, source: str):
        self.source = source

    def fail(self, line_no: int, message: str) -> InputError:
        return InputError(f"{self.source}: line {line_no}: {message}")

    def cells(self, line_no: int, line: str, columns: tuple[str, ...]) -> list[str]:
        body = line.strip()
        if not (body.startswith("|") and body.endswith("|")) or len(body) < 2:
            raise self.fail(line_no, "expected a table row that starts and ends with |")
        cells: list[str] = []
        current: list[str] = []
        i = 1
        while i < len(body) - 1:
            ch = body[i]
            if ch == "\\" and i + 1 < len(body) - 1:
                current.append(body[i : i + 2])
                i += 2
                continue
            if ch == "|":
                cells.append("".join(current))
                current = []
            else:
                current.append(ch)
            i += 1
        cells.append("".join(current))
        if len(cells) != len(columns):
            raise self.fail(
                line_no,
                f"expected {len(columns)} cells ({', '.join(columns)}), found {len(cells)}; "
                "write a | inside a cell as \\|",
            )
        return [decode(c.strip()) for c in cells]


def _date(reader: _Reader, line_no: int, text: str, column: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise reader.fail(
            line_no, f"{column}: write the date as YYYY-MM-DD (got {text!r})"
        ) from None


def parse_markdown(text: str, source: str = "<markdown>") -> Brief:
    """Read a brief back from :func:`to_markdown`'s format (hand edits welcome)."""
    reader = _Reader(source)
    data: dict[str, Any] = {}
    hypothesis: dict[str, str] = {}
    kpis: dict[str, Any] = {"primary": [], "guardrails": []}
    lists: dict[str, list[dict[str, Any]]] = {"rollout": [], "risks": [], "stakeholders": []}
    section = "header"
    header_seen = False

    def kpi_row(n: int, c: list[str]) -> None:
        tier = _TIERS.get(c[0])
        if tier is None:
            raise reader.fail(n, f"unknown tier {c[0]!r}; use North star, Primary or Guardrail")
        row = dict(
            zip(("name", "definition", "baseline", "target", "model_signal"), c[1:], strict=True)
        )
        if tier == "north_star":
            if "north_star" in kpis:
                raise reader.fail(n, "a brief has exactly one north star; make this one Primary")
            kpis["north_star"] = row
        else:
            kpis[tier].append(row)

    def phase_row(n: int, c: list[str]) -> None:
        share = c[4].removesuffix("%").strip()
        try:
            share_value = float(share) if share else None
        except ValueError:
            raise reader.fail(n, f"Share: write a percentage such as 5% (got {c[4]!r})") from None
        lists["rollout"].append(
            {
                "name": c[0],
                "start": _date(reader, n, c[1], "Start"),
                "end": _date(reader, n, c[2], "End"),
                "audience": c[3],
                "share": share_value,
                "go": c[5],
                "no_go": c[6],
            }
        )

    tables: dict[str, tuple[tuple[str, ...], Callable[[int, list[str]], None]]] = {
        "kpis": (_KPI_COLUMNS, kpi_row),
        "rollout": (_PHASE_COLUMNS, phase_row),
        "risks": (
            _RISK_COLUMNS,
            lambda n, c: lists["risks"].append(
                dict(zip(("risk", "mitigation", "owner"), c, strict=True))
            ),
        ),
        "stakeholders": (
            _PEOPLE_COLUMNS,
            lambda n, c: lists["stakeholders"].append(dict(zip(("who", "needs"), c, strict=True))),
        ),
    }
    table_header_pending = False

    # Split on "\n" only: str.splitlines() would also break at form feeds and other
    # separators that a value may legitimately contain.
    for n, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip()
        if not line or (line.startswith("<!--") and line.endswith("-->")):
            continue
        if line.startswith("# "):
            if header_seen:
                raise reader.fail(n, "a second title; a brief has one `# Title` line")
            data["title"] = decode(line[2:].strip())
            header_seen = True
            continue
        if line.startswith("## "):
            name = line[3:].strip()
            if name not in _SECTIONS:
                raise reader.fail(
                    n, f"unknown section {name!r}; expected one of: {', '.join(_SECTIONS)}"
                )
            section = _SECTIONS[name]
            table_header_pending = section in tables
            continue
        if line == _NONE:
            continue
        if line == "---":
            section = "footer"
            continue
        if section == "footer" or line.startswith(_NOTE):
            if not line.startswith(_NOTE):
                raise reader.fail(n, f"after ---, expected a line starting with {_NOTE.strip()}")
            data["note"] = decode(line[len(_NOTE) :].strip())
            continue
        if section in ("header", "hypothesis"):
            if section == "header" and line.startswith("> "):
                data["summary"] = decode(line[2:].strip())
                continue
            m = _BULLET.match(line)
            keys = _HEADER_KEYS if section == "header" else _HYPOTHESIS_KEYS
            if m is None or m.group("label") not in keys:
                expected = ", ".join(f"- **{k}:**" for k in keys)
                raise reader.fail(n, f"expected a line starting with one of: {expected}")
            value = decode((m.group("value") or "").strip())
            target = data if section == "header" else hypothesis
            target[keys[m.group("label")]] = value
            continue
        columns, add = tables[section]
        if table_header_pending:
            got = reader.cells(n, line, columns)
            if tuple(got) != columns:
                raise reader.fail(n, f"expected the table header | {' | '.join(columns)} |")
            table_header_pending = False
            continue
        if _RULE_ROW.match(line):
            continue
        add(n, reader.cells(n, line, columns))

    if "title" not in data:
        raise InputError(f"{source}: no `# Title` line; a brief starts with its title")
    if data.get("pack") == "":
        data.pop("pack")
    data["hypothesis"] = hypothesis
    if "north_star" not in kpis:
        kpis["north_star"] = None
    data["kpis"] = kpis
    data.update(lists)
    return parse_brief(data, source)
