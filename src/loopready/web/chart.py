"""Scores over attempts as an inline SVG line chart, drawn on the server (no chart library).

Each round is one line: attempt 1, 2, 3... on the x axis, the 0-100 score on the y axis,
with the pack's round bar as a dashed line. The SVG has a title and a description for
screen readers, and the page shows the same numbers in a table for anyone who prefers one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

from markupsafe import Markup, escape

#: One colour per round, distinguishable for the common colour-vision deficiencies.
PALETTE: Final = ("#3b5bdb", "#e8590c", "#2b8a3e", "#ae3ec9", "#1098ad", "#c92a2a", "#5c940d")
#: Points are drawn as dots (with a hover label) only when a line has this few or fewer.
MAX_DOTS: Final = 40
#: Dot radius, and the least distance between two dots' centres before they are moved apart
#: (rounds with one attempt all sit on attempt 1, often with close scores).
DOT_R: Final = 4
DOT_GAP: Final = 2 * DOT_R + 3


@dataclass
class Point:
    """One attempt: its number, its 0-100 score and a label shown on hover."""

    attempt: int
    score: float
    label: str = ""


@dataclass
class Series:
    """One round's attempts."""

    name: str
    color: str
    points: list[Point] = field(default_factory=list)


def color_for(index: int) -> str:
    """The palette colour of the *index*-th round."""
    return PALETTE[index % len(PALETTE)]


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def score_chart(
    series: Sequence[Series],
    *,
    bar: float | None = None,
    width: int = 960,
    height: int = 300,
    title: str = "Scores over attempts",
) -> Markup:
    """The chart as SVG markup (safe to insert: every text in it is escaped)."""
    left, right, top, bottom = 44, 14, 16, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    drawn = [s for s in series if s.points]
    most = max((p.attempt for s in drawn for p in s.points), default=1)
    span = max(most - 1, 1)

    def x(attempt: int) -> float:
        return left + (attempt - 1) / span * plot_w if most > 1 else left + plot_w / 2

    def y(score: float) -> float:
        return top + (1 - max(0.0, min(100.0, score)) / 100) * plot_h

    summary = "; ".join(
        f"{s.name}: {len(s.points)} attempts, latest {s.points[-1].score:.0f}" for s in drawn
    )
    desc = summary or "No scored attempts yet."
    parts: list[str] = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<desc id="chart-desc">{escape(desc)}</desc>',
    ]
    for tick in (0, 25, 50, 75, 100):
        ty = _fmt(y(tick))
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{ty}" y2="{ty}" '
            'stroke="#e3e7ee" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{_fmt(y(tick) + 4)}" text-anchor="end">{tick}</text>'
        )
    bar_label = ""
    if bar is not None:
        by = _fmt(y(bar))
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{by}" y2="{by}" stroke="#868e96" '
            'stroke-width="1.5" stroke-dasharray="5 4"/>'
        )
        bar_label = (
            f'<text x="{left + 6}" y="{_fmt(y(bar) - 6)}" text-anchor="start" '
            f'class="bar-label">bar {bar:.0f}</text>'
        )
    for tick in _x_ticks(most):
        parts.append(
            f'<text x="{_fmt(x(tick))}" y="{height - 8}" text-anchor="middle">{tick}</text>'
        )
    dots = [
        (k, i, x(p.attempt), y(p.score))
        for k, s in enumerate(drawn)
        if len(s.points) <= MAX_DOTS
        for i, p in enumerate(s.points)
    ]
    shift = _spread_dots(dots)
    for k, s in enumerate(drawn):
        color = escape(s.color)
        coords = " ".join(f"{_fmt(x(p.attempt))},{_fmt(y(p.score))}" for p in s.points)
        if len(s.points) > 1:
            parts.append(
                f'<polyline points="{coords}" fill="none" stroke="{color}" stroke-width="2.2" '
                'stroke-linejoin="round" stroke-linecap="round"/>'
            )
        if len(s.points) <= MAX_DOTS:
            for i, p in enumerate(s.points):
                label = escape(p.label or f"{s.name}, attempt {p.attempt}: {p.score:.0f}")
                cx = x(p.attempt) + shift.get((k, i), 0.0)
                parts.append(
                    f'<circle cx="{_fmt(cx)}" cy="{_fmt(y(p.score))}" r="{DOT_R}" '
                    f'fill="#fff" stroke="{color}" stroke-width="2"><title>{label}</title>'
                    "</circle>"
                )
    parts.append(bar_label)  # on top of the lines, so it stays readable
    if not drawn:
        parts.append(
            f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle">'
            "Your scores appear here after your first graded attempt.</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _spread_dots(dots: Sequence[tuple[int, int, float, float]]) -> dict[tuple[int, int], float]:
    """Sideways shifts that keep dots of the same attempt from covering each other.

    *dots* are (series, point, x, y). Dots on one x whose heights are closer than
    :data:`DOT_GAP` form a cluster, spread side by side around that x.
    """
    by_x: dict[float, list[tuple[int, int, float]]] = {}
    for k, i, cx, cy in dots:
        by_x.setdefault(round(cx, 1), []).append((k, i, cy))
    shifts: dict[tuple[int, int], float] = {}
    for column in by_x.values():
        column.sort(key=lambda d: (d[2], d[0]))
        clusters: list[list[tuple[int, int, float]]] = []
        for dot in column:
            if clusters and dot[2] - clusters[-1][-1][2] < DOT_GAP:
                clusters[-1].append(dot)
            else:
                clusters.append([dot])
        for cluster in clusters:
            for n, (k, i, _cy) in enumerate(cluster):
                shifts[(k, i)] = (n - (len(cluster) - 1) / 2) * DOT_GAP
    return shifts


def _x_ticks(most: int) -> list[int]:
    if most <= 1:
        return [1]
    if most <= 10:
        return list(range(1, most + 1))
    step = max(1, round(most / 8))
    ticks = list(range(1, most + 1, step))
    if ticks[-1] != most:
        if most - ticks[-1] < step / 2:
            ticks[-1] = most
        else:
            ticks.append(most)
    return ticks
