"""The brief as an HTML fragment: the web editor's live preview.

Rendered with an autoescaping Jinja2 template (``templates/brief.html``), so any text
a user types shows as text. Rows carry ``data-field`` with the linter's dotted
location, so the editor can put each finding next to the field it is about.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Final

import jinja2
from markupsafe import Markup, escape

from loopready.briefs.model import Brief, Kpi, Phase
from loopready.briefs.pdf import format_dates, format_share

TEMPLATES: Final = Path(__file__).with_name("templates")

HYPOTHESIS_PARTS: Final = (
    ("Who", "who"),
    ("Problem", "problem"),
    ("Why now", "why_now"),
    ("How big", "size"),
    ("Hypothesis", "statement"),
)


def _nl2br(text: str) -> Markup:
    return Markup("<br>").join(escape(line) for line in str(text).split("\n"))


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
    )
    env.filters["nl2br"] = _nl2br
    return env


def render_html(brief: Brief) -> str:
    """The brief as an ``<article class="lr-brief">`` fragment, all text escaped."""
    kpis: list[tuple[str, str, Kpi]] = []
    for loc, k in brief.kpis.all():
        tier = (
            "North star"
            if loc == "kpis.north_star"
            else ("Primary" if loc.startswith("kpis.primary") else "Guardrail")
        )
        kpis.append((tier, loc, k))

    def dates(p: Phase) -> str:
        return format_dates(p.start, p.end)

    template = _environment().get_template("brief.html")
    return template.render(
        b=brief,
        kpis=kpis,
        hypothesis_parts=HYPOTHESIS_PARTS,
        dates=dates,
        share=format_share,
    )
