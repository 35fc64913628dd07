"""Evidence highlighted inside the answer: the quoted words wrapped in ``<mark>``.

Each quote is placed by the offsets its grade stored (``answer[start:end]`` is the
quote), never by searching the text again: a quote stored without offsets, or whose
offsets do not point at it, is not marked and the page lists it only. The HTML is built
piece by piece, each piece escaped on its own, so a quote can never open a tag: an answer
containing ``<script>`` shows as text, highlighted or not. Overlapping quotes merge into
one mark that lists everything it is evidence for.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from markupsafe import Markup, escape


@dataclass(frozen=True)
class Quote:
    """A piece of evidence: the quoted words, what it is evidence for, its kind, and its
    offsets in the graded answer (``None`` when the grade has none)."""

    text: str
    label: str
    kind: str = "evidence"  # or "spot" for a blind spot or a red flag
    start: int | None = None
    end: int | None = None


@dataclass
class Span:
    start: int
    end: int
    labels: list[str] = field(default_factory=list)
    kinds: set[str] = field(default_factory=set)
    anchors: list[int] = field(default_factory=list)


def placed(text: str, quote: Quote, base: int | None) -> tuple[int, int] | None:
    """Where a quote sits in *text*, which starts at ``base`` in the graded answer; ``None``
    when it has no offsets, they fall outside *text*, or they do not hold the quote."""
    if base is None or quote.start is None or quote.end is None:
        return None
    start, end = quote.start - base, quote.end - base
    if 0 <= start < end <= len(text) and text[start:end] == quote.text:
        return start, end
    return None


def spans_for(
    text: str, quotes: Sequence[Quote], base: int | None = 0
) -> tuple[list[Span], list[int]]:
    """Merged spans for *quotes*, and the index of the span each quote ended up in.

    ``base`` is where *text* starts in the graded answer (``None``: it is not part of
    it). The second list has one entry per quote: the span index, or -1 if it is not in
    *text*.
    """
    raw: list[tuple[int, int, int]] = []
    for index, quote in enumerate(quotes):
        at = placed(text, quote, base)
        if at is not None:
            raw.append((at[0], at[1], index))
    raw.sort()
    spans: list[Span] = []
    where = [-1] * len(quotes)
    for start, end, index in raw:
        quote = quotes[index]
        if spans and start < spans[-1].end:
            span = spans[-1]
            span.end = max(span.end, end)
        else:
            span = Span(start, end)
            spans.append(span)
        if quote.label not in span.labels:
            span.labels.append(quote.label)
        span.kinds.add(quote.kind)
        if where[index] == -1:
            where[index] = len(spans) - 1
    return spans, where


def highlight(text: str, spans: Iterable[Span], *, id_prefix: str = "ev") -> Markup:
    """*text* as HTML with each span wrapped in ``<mark>``; everything else escaped."""
    out: list[str] = []
    position = 0
    for number, span in enumerate(spans):
        out.append(str(escape(text[position : span.start])))
        css = "spot" if span.kinds == {"spot"} else "evidence"
        label = "; ".join(span.labels)
        out.append(
            f'<mark id="{id_prefix}-{number}" class="{css}" title="{escape(label)}">'
            f"{escape(text[span.start : span.end])}</mark>"
        )
        position = span.end
    out.append(str(escape(text[position:])))
    return Markup("".join(out))
