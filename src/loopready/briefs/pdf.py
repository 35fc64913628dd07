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


def _dates(start: Any, end: Any) -> str:
    def fmt(d: Any) -> str:
        return f"{d.day} {d.strftime('%b %Y')}" if d is not None else ""

    if start is None and end is None:
        return "no date"
    if end is None:
        return f"from {fmt(start)}"
    if start is None:
        return f"until {fmt(end)}"
    if start.year == end.year:
        return f"{start.day} {start.strftime('%b')} – {fmt(end)}"
    return f"{fmt(start)} – {fmt(end)}"


def _share(share: float | None) -> str:
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
                "dates": _dates(p.start, p.end),
                "audience": p.audience,
                "share": _share(p.share),
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


_TEMPLATE: Final = r"""
#set document(title: data.title, author: "loopready")
#set page(
  paper: PAPER,HEIGHT
  margin: (left: 0.55in, right: 0.55in, top: MARGIN_TOP, bottom: MARGIN_BOTTOM),
  footer: context align(center, text(size: 7pt, fill: luma(130))[
    #data.title · one-page product brief#if data.pack != "" [ · prepared for #data.pack]
  ]),
)
#set text(font: "Libertinus Serif", size: 9.5pt, lang: "en", hyphenate: false)
#set par(leading: 0.48em, spacing: 0.6em)
#let ink = rgb("#1d3557")
#let soft = rgb("#eef2f7")
#let grey = luma(95)
#let mark(key) = context [#metadata((key: key, y: here().position().y.pt())) <brief-section>]
#let section(key, title) = {
  v(7pt, weak: true)
  mark(key)
  block(below: 4pt, sticky: true, {
    text(size: 10.5pt, weight: "bold", fill: ink, tracking: 0.04em, upper(title))
    v(-6pt)
    line(length: 100%, stroke: 0.6pt + ink)
  })
}
#let missing = text(fill: luma(150), style: "italic")[—]
#let val(s) = if s == "" { missing } else { s }
#let small(s) = text(size: 8.5pt, val(s))
#let head(s) = text(size: 8pt, weight: "bold", fill: ink, s)
#set table(stroke: (x, y) => (bottom: 0.4pt + luma(200)), inset: (x: 3.5pt, y: 3.2pt))

#mark("header")
#block(below: 3pt, text(size: 17pt, weight: "bold", fill: ink, data.title))
#if data.meta != "" { block(below: 5pt, text(size: 9pt, fill: grey, data.meta)) }
#if data.summary != "" { block(below: 2pt, text(style: "italic", data.summary)) }

#section("hypothesis", "Market hypothesis")
#grid(
  columns: (auto, 1fr),
  column-gutter: 8pt,
  row-gutter: 4.5pt,
  ..data.hypothesis.map(((k, v)) => (text(weight: "bold", fill: ink, k), val(v))).flatten()
)
#v(3pt)
#block(
  fill: soft, inset: (x: 7pt, y: 5pt), radius: 2pt, width: 100%, stroke: (left: 2pt + ink),
  [#text(weight: "bold", fill: ink)[Hypothesis.] #val(data.statement)],
)

#section("kpis", "KPI hierarchy")
#if data.kpis.len() == 0 [#missing] else {
  table(
    columns: (auto, 1.7fr, 0.8fr, 0.95fr, 1.25fr),
    fill: (x, y) => if y > 0 and data.kpis.at(y - 1).tier == "North star" { soft },
    table.header(head[Tier], head[KPI and definition], head[Baseline], head[Target],
      head[Model signal that moves it]),
    ..data.kpis.map(k => (
      text(size: 8.5pt, weight: "bold", fill: ink, k.tier),
      [#text(weight: "bold", k.name)#if k.definition != "" [ \ #text(size: 8.5pt, fill: grey, k.definition)]],
      small(k.baseline), small(k.target), small(k.signal),
    )).flatten()
  )
}

#section("rollout", "Rollout timeline")
#if data.rollout.len() == 0 [#missing] else {
  table(
    columns: (1.05fr, 1.3fr, 1.35fr, 1.35fr),
    table.header(head[Phase and dates], head[Audience], head[Go to the next phase when],
      head[Stop or roll back when]),
    ..data.rollout.map(p => (
      [#text(weight: "bold", p.name) \ #text(size: 8pt, fill: grey, p.dates)],
      [#small(p.audience)#if p.share != "" [ \ #text(size: 8pt, weight: "bold", fill: ink, p.share + " of eligible users")]],
      small(p.go), small(p.no_go),
    )).flatten()
  )
}

#grid(
  columns: (1.15fr, 1fr),
  column-gutter: 14pt,
  {
    section("risks", "Risks")
    if data.risks.len() == 0 [#missing] else {
      for r in data.risks {
        block(below: 4.5pt, [
          #text(weight: "bold", r.risk) \
          #text(size: 8.5pt)[#text(fill: ink)[Mitigation:] #val(r.mitigation)#if r.owner != "" [ #text(fill: grey)[(#r.owner)]]]
        ])
      }
    }
  },
  {
    section("stakeholders", "Stakeholders")
    if data.stakeholders.len() == 0 [#missing] else {
      for s in data.stakeholders {
        block(below: 4.5pt, [#text(weight: "bold", s.who): #text(size: 8.5pt, val(s.needs))])
      }
    }
  },
)
#if data.note != "" {
  v(4pt)
  text(size: 7.5pt, fill: grey, style: "italic", data.note)
}
#context [#metadata((pages: counter(page).final().first(), y: here().position().y.pt())) <brief-end>]
"""


def typst_source(brief: Brief, paper: Paper = "us-letter", *, endless: bool = False) -> str:
    """The complete Typst source for ``brief``.

    ``endless`` lays the brief out on one page of unlimited height: that is how the
    overflow is measured.
    """
    if paper not in _PAGE_HEIGHT:
        raise InputError(f"unknown paper size {paper!r}; use one of: {', '.join(PAPERS)}")
    head = f"#let data = {_value(_data(brief))}\n"
    body = (
        _TEMPLATE.replace("PAPER", typst_string(paper))
        .replace("HEIGHT", " height: auto," if endless else "")
        .replace("MARGIN_TOP", f"{_MARGIN_TOP}pt")
        .replace("MARGIN_BOTTOM", f"{_MARGIN_BOTTOM}pt")
    )
    return head + body


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
        biggest = sorted(
            (s for s in self.sections if s.words > 0), key=lambda s: s.height, reverse=True
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
    found = _compile_query(typst_source(brief, paper, endless=True), "<brief-section>, <brief-end>")
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
        super().__init__(
            layout.advice() + "; or write it over several pages with --allow-overflow"
        )


def page_count(source: str) -> int:
    """How many pages ``source`` (from :func:`typst_source`) typesets to."""
    found = _compile_query(source, "<brief-end>")
    return int(found[-1]["value"]["pages"]) if found else 0


def render_pdf(
    brief: Brief, paper: Paper = "us-letter", *, allow_overflow: bool = False
) -> bytes:
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
        pdf: bytes = typst.compile(
            source.encode("utf-8"), format="pdf", ignore_system_fonts=True
        )
    except RuntimeError as exc:
        raise InputError(f"could not typeset the brief: {exc}") from None
    return pdf


def _at_least_overflowing(layout: Layout) -> Layout:
    height = layout.page_height * 1.01
    return Layout(
        layout.paper, 1.01, height, layout.page_height, layout.words, layout.sections
    )


def render_png(brief: Brief, paper: Paper = "us-letter", ppi: float = 110) -> list[bytes]:
    """Each page of the brief as PNG bytes (a preview; may be more than one page)."""
    import typst

    out = typst.compile(
        typst_source(brief, paper).encode("utf-8"), format="png", ppi=ppi, ignore_system_fonts=True
    )
    return out if isinstance(out, list) else [out]
