"""A stacked bar chart per year per offer, as hand-written SVG (and PNG through typst).

Years run along the x axis; within each year every offer has one bar, stacked by
component (base, bonus, equity, sign-on, other). Amounts below zero (a sign-on
repaid) stack downwards from the zero line. Offers are lettered A, B, C... under
their bars, with a key below the plot; the current job has a dashed outline.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from loopready.errors import InputError
from loopready.offers.compute import COMPONENTS, OfferModel
from loopready.offers.fmt import money, short_money

COLOURS: dict[str, str] = {
    "base": "#4c78a8",
    "bonus": "#f58518",
    "equity": "#54a24b",
    "sign_on": "#e45756",
    "other": "#9d755d",
}
LABELS: dict[str, str] = {
    "base": "Base",
    "bonus": "Bonus",
    "equity": "Equity",
    "sign_on": "Sign-on",
    "other": "Other",
}
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"

BAR = 30
BAR_GAP = 6
GROUP_GAP = 34
LEFT = 78
RIGHT = 24
TOP = 78
PLOT_HEIGHT = 300


def nice_step(span: float, target_ticks: int = 5) -> float:
    """A round tick step (1, 2, 2.5 or 5 times a power of ten) giving about ``target_ticks``."""
    if span <= 0:
        return 1.0
    raw = span / target_ticks
    power = 10.0 ** math.floor(math.log10(raw))
    for m in (1.0, 2.0, 2.5, 5.0, 10.0):
        if raw <= m * power:
            return m * power
    return 10.0 * power


def _letter(i: int) -> str:
    return chr(ord("A") + i) if i < 26 else f"#{i + 1}"


def render_svg(models: Sequence[OfferModel], title: str | None = None) -> str:
    """The chart as an SVG document (a string)."""
    if not models:
        raise InputError("chart: give at least one offer")
    years = max(m.horizon for m in models)
    currency = models[0].offer.currency
    n = len(models)
    group_width = n * BAR + (n - 1) * BAR_GAP
    plot_width = years * group_width + (years + 1) * GROUP_GAP
    width = max(LEFT + plot_width + RIGHT, 640)
    plot_width = width - LEFT - RIGHT
    group_gap = (plot_width - years * group_width) / (years + 1)
    key_lines = n
    height = TOP + PLOT_HEIGHT + 56 + 20 * key_lines + 16

    top_value = 0.0
    bottom_value = 0.0
    for m in models:
        for r in m.rows:
            top_value = max(top_value, sum(max(r.get(c), 0) for c in COMPONENTS))
            bottom_value = min(bottom_value, sum(min(r.get(c), 0) for c in COMPONENTS))
    top_value *= 1.06  # room for the total printed above the tallest bar
    step = nice_step(top_value - bottom_value)
    axis_top = math.ceil(top_value / step) * step if top_value > 0 else step
    axis_bottom = math.floor(bottom_value / step) * step
    scale = PLOT_HEIGHT / (axis_top - axis_bottom)

    def y_of(value: float) -> float:
        return TOP + (axis_top - value) * scale

    scenario = models[0].scenario.label
    heading = title or "Total compensation per year"
    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT}" role="img">',
        f"<title>{escape(heading)}</title>",
        "<desc>"
        + escape(
            "; ".join(
                f"{m.offer.name}: "
                + ", ".join(f"year {r.year} {money(r.total, currency)}" for r in m.rows)
                for m in models
            )
        )
        + "</desc>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{LEFT}" y="28" font-size="18" font-weight="bold" fill="#222">'
        f"{escape(heading)}</text>",
        f'<text x="{LEFT}" y="48" font-size="12" fill="#555">'
        f"{escape(scenario)}, bonus at {models[0].scenario.bonus_payout * 100:g}% of target; "
        "before tax</text>",
    ]

    # Legend, under the subtitle.
    lx = float(LEFT)
    for c in COMPONENTS:
        label = LABELS[c]
        out.append(
            f'<rect x="{lx:.1f}" y="57" width="11" height="11" fill="{COLOURS[c]}"/>'
            f'<text x="{lx + 15:.1f}" y="67" font-size="11" fill="#333">{label}</text>'
        )
        lx += 15 + 6.6 * len(label) + 18

    # Grid and y axis.
    tick = axis_bottom
    while tick <= axis_top + step / 2:
        y = y_of(tick)
        colour = "#888" if abs(tick) < step / 1e6 else "#e3e3e3"
        out.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + plot_width}" y2="{y:.1f}" '
            f'stroke="{colour}" stroke-width="1"/>'
            f'<text x="{LEFT - 8}" y="{y + 4:.1f}" font-size="11" fill="#555" '
            f'text-anchor="end">{escape(short_money(tick, currency))}</text>'
        )
        tick += step

    # Bars.
    for yi in range(years):
        gx = LEFT + group_gap + yi * (group_width + group_gap)
        out.append(
            f'<text x="{gx + group_width / 2:.1f}" y="{TOP + PLOT_HEIGHT + 38}" '
            f'font-size="12" fill="#222" text-anchor="middle">Year {yi + 1}</text>'
        )
        for oi, m in enumerate(models):
            x = round(gx + oi * (BAR + BAR_GAP), 1)
            out.append(
                f'<text x="{x + BAR / 2}" y="{TOP + PLOT_HEIGHT + 18}" font-size="11" '
                f'fill="#555" text-anchor="middle">{_letter(oi)}</text>'
            )
            if yi >= len(m.rows):
                continue
            row = m.rows[yi]
            up = down = 0.0
            for c in COMPONENTS:
                value = row.get(c)
                if value == 0:
                    continue
                if value > 0:
                    y0, y1 = y_of(up + value), y_of(up)
                    up += value
                else:
                    y0, y1 = y_of(down), y_of(down + value)
                    down += value
                tip = f"{m.offer.name}, year {row.year}, {LABELS[c]}: {money(value, currency)}"
                out.append(
                    f'<rect x="{x}" y="{y0:.2f}" width="{BAR}" height="{max(y1 - y0, 0):.2f}" '
                    f'fill="{COLOURS[c]}"><title>{escape(tip)}</title></rect>'
                )
            if m.offer.current:
                out.append(
                    f'<rect x="{x}" y="{y_of(up):.2f}" width="{BAR}" '
                    f'height="{max(y_of(down) - y_of(up), 0):.2f}" fill="none" stroke="#222" '
                    'stroke-width="1.5" stroke-dasharray="4 3"/>'
                )
            out.append(
                f'<text x="{x + BAR / 2}" y="{y_of(up) - 5:.1f}" font-size="10" fill="#333" '
                f'text-anchor="middle">{escape(short_money(row.total, currency))}</text>'
            )

    # Key: letter, name, total over the years shown.
    ky = TOP + PLOT_HEIGHT + 64
    for oi, m in enumerate(models):
        current = m.offer.current and "current" not in m.offer.name.lower()
        who = m.offer.name + (" (current job)" if current else "")
        out.append(
            f'<text x="{LEFT}" y="{ky + 20 * oi}" font-size="12" fill="#222">'
            f'<tspan font-weight="bold">{_letter(oi)}</tspan>  {escape(who)}: '
            f"{escape(money(m.total, currency))} over {m.horizon} years</text>"
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def svg_to_png(svg: str, ppi: float = 144) -> bytes:
    """Rasterise an SVG through typst (a dependency of loopready)."""
    try:
        import typst
    except ImportError:  # pragma: no cover - typst is a core dependency
        raise InputError(
            "PNG charts need the 'typst' package: pip install typst (or write an .svg)"
        ) from None
    width = _svg_width(svg)
    source = (
        "#set page(width: auto, height: auto, margin: 0pt)\n"
        f'#image(bytes(sys.inputs.svg), format: "svg", width: {width}pt)\n'
    )
    png: bytes = typst.compile(source.encode(), format="png", ppi=ppi, sys_inputs={"svg": svg})
    return png


def _svg_width(svg: str) -> float:
    head = svg[: svg.index(">")]
    marker = 'width="'
    start = head.index(marker) + len(marker)
    return float(head[start : head.index('"', start)])


def write_chart(models: Sequence[OfferModel], out: Path, title: str | None = None) -> Path:
    """Write the chart to ``out``; the suffix (.svg or .png) picks the format."""
    suffix = out.suffix.lower()
    if suffix not in (".svg", ".png"):
        raise InputError(f"--chart: {out} must end in .svg or .png")
    if not out.parent.is_dir():
        raise InputError(f"--chart: folder {out.parent} does not exist; create it first")
    svg = render_svg(models, title)
    if suffix == ".svg":
        out.write_text(svg, encoding="utf-8")
    else:
        out.write_bytes(svg_to_png(svg))
    return out
