"""The brief as a one-page PDF, typeset with Typst, and what to cut when it does not fit.

The Typst source is generated: the brief becomes one Typst dictionary of *string
literals* (so no user text is ever read as markup: ``#``, ``*``, ``$``, ``<`` and ``@``
print as themselves) followed by a fixed template. Only the fonts bundled with the
``typst`` package are used, so the page count is the same on every machine.

The text size is fixed. When the brief runs past one page, :func:`render_pdf` raises
:class:`TooLong` saying by how much and where to cut, instead of shrinking the text;
the measure comes from laying the brief out on one endless page and reading where
each section starts and where the text ends.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Final, Literal

from loopready.briefs.model import Brief, Kpi
from loopready.errors import InputError

Paper = Literal["us-letter", "a4"]
PAPERS: Final[tuple[str, ...]] = ("us-letter", "a4")

#: Page height in points, and the top and bottom margins the template uses.
_PAGE_HEIGHT: Final = {"us-letter": 11 * 72.0, "a4": 297 / 25.4 * 72.0}
_MARGIN_TOP: Final = 0.5 * 72.0
_MARGIN_BOTTOM: Final = 0.55 * 72.0

#: Section keys in page order, with the names used in messages.
SECTIONS: Final[dict[str, str]] = {
    "header": "the title and summary",
    "hypothesis": "the market hypothesis",
    "kpis": "the KPI table",
    "rollout": "the rollout timeline",
    "risks": "the risks",
    "stakeholders": "the stakeholders",
}

_WORD = re.compile(r"\S+")


# -- the Typst source -------------------------------------------------------------------


def typst_string(text: str) -> str:
    """``text`` as a Typst string literal: only backslash, quote and controls need escaping."""
    out = ['"']
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0:
            out.append(f"\\u{{{ord(ch):x}}}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _value(value: Any) -> str:
    """A Python value (from :func:`_data`) as Typst code."""
    if isinstance(value, str):
        return typst_string(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "none"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        inner = ", ".join(_value(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, dict):
        if not value:
            return "(:)"
        inner = ", ".join(f"{k}: {_value(v)}" for k, v in value.items())
        return f"({inner})"
    raise TypeError(f"cannot write {type(value).__name__} as Typst")


def _kpi(tier: str, k: Kpi) -> dict[str, str]:
    return {
        "tier": tier,
        "name": k.name,
        "definition": k.definition,
        "baseline": k.baseline,
        "target": k.target,
        "signal": k.model_signal,
    }


_MONTHS: Final = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)


def format_dates(start: date | None, end: date | None) -> str:
    """``5 Oct – 29 Nov 2026``, ``from 15 Feb 2027`` or ``no date`` (locale-independent)."""

    def fmt(d: date, year: bool = True) -> str:
        return f"{d.day} {_MONTHS[d.month - 1]}" + (f" {d.year}" if year else "")

    if start is None and end is None:
        return "no date"
    if end is None:
        assert start is not None
        return f"from {fmt(start)}"
    if start is None:
        return f"until {fmt(end)}"
    return f"{fmt(start, year=start.year != end.year)} – {fmt(end)}"


def format_share(share: float | None) -> str:
    """``5%``, ``0.1%`` (empty when unknown)."""
    if share is None:
        return ""
    return f"{share:g}%"


def _data(brief: Brief) -> dict[str, Any]:
    """Everything the template prints, already formatted as text."""
    h = brief.hypothesis
    kpis = []
    if brief.kpis.north_star is not None:
        kpis.append(_kpi("North star", brief.kpis.north_star))
    kpis += [_kpi("Primary", k) for k in brief.kpis.primary]
    kpis += [_kpi("Guardrail", k) for k in brief.kpis.guardrails]
    meta = [m for m in (brief.product, brief.author) if m]
    return {
        "title": brief.title,
        "author": brief.author,
        "meta": " · ".join(meta),
        "pack": brief.pack or "",
        "summary": brief.summary,
        "hypothesis": [
            ["Who", h.who],
            ["Problem", h.problem],
            ["Why now", h.why_now],
            ["How big", h.size],
        ],
        "statement": h.statement,
        "kpis": kpis,
        "rollout": [
            {
                "name": p.name,
                "dates": format_dates(p.start, p.end),
                "audience": p.audience,
                "share": format_share(p.share),
                "go": p.go,
                "no_go": p.no_go,
            }
            for p in brief.rollout
        ],
        "risks": [
            {"risk": r.risk, "mitigation": r.mitigation, "owner": r.owner} for r in brief.risks
        ],
        "stakeholders": [{"who": s.who, "needs": s.needs} for s in brief.stakeholders],
        "note": brief.note,
    }


TEMPLATE: Final = Path(__file__).with_name("templates") / "brief.typ"


def typst_source(brief: Brief, paper: Paper = "us-letter", *, endless: bool = False) -> str:
    """The complete Typst source for ``brief``.

    ``endless`` lays the brief out on one page of unlimited height: that is how the
    overflow is measured.
    """
    if paper not in _PAGE_HEIGHT:
        raise InputError(f"unknown paper size {paper!r}; use one of: {', '.join(PAPERS)}")
    config = {"paper": paper, "endless": endless, "top": _MARGIN_TOP, "bottom": _MARGIN_BOTTOM}
    return f"#let data = {_value(_data(brief))}\n#let config = {_value(config)}\n" + _template()


@cache
def _template() -> str:
    return TEMPLATE.read_text(encoding="utf-8")


# -- measuring --------------------------------------------------------------------------


@dataclass(frozen=True)
class SectionSize:
    """One section's share of the page: its height in points and its words."""

    key: str
    label: str
    height: float
    words: int


@dataclass(frozen=True)
class Layout:
    """How much of a page the brief fills.

    ``pages`` is the text height over one page's text area (1.0 = exactly full), so
    1.4 means 40% more text than fits; ``cut_words`` estimates the words to remove.
    """

    paper: str
    pages: float
    content_height: float
    page_height: float
    words: int
    sections: tuple[SectionSize, ...]

    @property
    def fits(self) -> bool:
        return self.pages <= 1.0

    @property
    def cut_words(self) -> int:
        """About how many words to cut, rounded up to a multiple of 10."""
        if self.fits or self.content_height <= 0:
            return 0
        per_point = self.words / self.content_height
        overflow = (self.content_height - self.page_height) * per_point
        return max(10, math.ceil(overflow / 10) * 10)

    def advice(self) -> str:
        """``the brief runs 1.4 pages: cut about 120 words, ...`` (empty when it fits)."""
        if self.fits:
            return ""
        runs = max(1.1, math.ceil(self.pages * 10) / 10)
        # Name the wordiest sections: words are what the writer cuts.
        biggest = sorted(
            (s for s in self.sections if s.words > 0), key=lambda s: s.words, reverse=True
        )[:2]
        where = " or ".join(f"{s.label} ({s.words} words)" for s in biggest)
        hint = f", most easily from {where}" if where else ""
        return (
            f"the brief runs {runs:.1f} pages on {self.paper} paper: cut about "
            f"{self.cut_words} words{hint}; the text size stays readable, so it will not shrink"
        )


def _compile_query(source: str, selector: str) -> list[dict[str, Any]]:
    import typst

    try:
        raw = typst.query(source.encode("utf-8"), selector, ignore_system_fonts=True)
    except RuntimeError as exc:  # typst.TypstError is a RuntimeError
        raise InputError(f"could not lay out the brief: {exc}") from None
    found: list[dict[str, Any]] = json.loads(raw)
    return found


def _section_words(brief: Brief) -> dict[str, int]:
    def count(*texts: str) -> int:
        return sum(len(_WORD.findall(t)) for t in texts)

    h = brief.hypothesis
    kpis = [k for _, k in brief.kpis.all()]
    return {
        "header": count(brief.title, brief.product, brief.author, brief.summary),
        "hypothesis": count(h.who, h.problem, h.why_now, h.size, h.statement),
        "kpis": count(
            *(f"{k.name} {k.definition} {k.baseline} {k.target} {k.model_signal}" for k in kpis)
        ),
        "rollout": count(*(f"{p.name} {p.audience} {p.go} {p.no_go}" for p in brief.rollout)),
        "risks": count(*(f"{r.risk} {r.mitigation} {r.owner}" for r in brief.risks)),
        "stakeholders": count(*(f"{s.who} {s.needs}" for s in brief.stakeholders)),
    }


def measure(brief: Brief, paper: Paper = "us-letter") -> Layout:
    """Lay the brief out on one endless page and measure it against a real page."""
    found = _compile_query(
        typst_source(brief, paper, endless=True), "selector(<brief-section>).or(<brief-end>)"
    )
    starts: dict[str, float] = {}
    end = 0.0
    for item in found:
        value = item.get("value", {})
        if "key" in value:
            starts.setdefault(str(value["key"]), float(value["y"]))
        else:
            end = float(value["y"])
    words = _section_words(brief)
    # Risks and stakeholders sit side by side: each spans from its start to the end.
    order = sorted(starts.items(), key=lambda kv: kv[1])
    sizes: list[SectionSize] = []
    for i, (key, y) in enumerate(order):
        if key in ("risks", "stakeholders"):
            nxt = end
        else:
            nxt = order[i + 1][1] if i + 1 < len(order) else end
        sizes.append(SectionSize(key, SECTIONS[key], max(0.0, nxt - y), words.get(key, 0)))
    page = _PAGE_HEIGHT[paper] - _MARGIN_TOP - _MARGIN_BOTTOM
    content = max(0.0, end - _MARGIN_TOP)
    return Layout(
        paper=paper,
        pages=content / page,
        content_height=content,
        page_height=page,
        words=sum(words.values()),
        sections=tuple(sizes),
    )


# -- compiling --------------------------------------------------------------------------


class TooLong(InputError):
    """The brief does not fit on one page; ``layout`` says by how much."""

    def __init__(self, layout: Layout):
        self.layout = layout
        super().__init__(layout.advice() + "; or write it over several pages with --allow-overflow")


def page_count(source: str) -> int:
    """How many pages ``source`` (from :func:`typst_source`) typesets to."""
    found = _compile_query(source, "<brief-end>")
    return int(found[-1]["value"]["pages"]) if found else 0


def render_pdf(brief: Brief, paper: Paper = "us-letter", *, allow_overflow: bool = False) -> bytes:
    """The brief as PDF bytes; raise :class:`TooLong` if it needs more than one page."""
    import typst

    source = typst_source(brief, paper)
    if not allow_overflow:
        pages = page_count(source)
        if pages > 1:
            layout = measure(brief, paper)
            if layout.fits:  # a page break landed badly; still more than one page
                layout = _at_least_overflowing(layout)
            raise TooLong(layout)
    try:
        pdf: bytes = typst.compile(source.encode("utf-8"), format="pdf", ignore_system_fonts=True)
    except RuntimeError as exc:
        raise InputError(f"could not typeset the brief: {exc}") from None
    return pdf


def _at_least_overflowing(layout: Layout) -> Layout:
    height = layout.page_height * 1.01
    return Layout(layout.paper, 1.01, height, layout.page_height, layout.words, layout.sections)


def render_png(brief: Brief, paper: Paper = "us-letter", ppi: float = 110) -> list[bytes]:
    """Each page of the brief as PNG bytes (a preview; may be more than one page)."""
    import typst

    out = typst.compile(
        typst_source(brief, paper).encode("utf-8"), format="png", ppi=ppi, ignore_system_fonts=True
    )
    return out if isinstance(out, list) else [out]
