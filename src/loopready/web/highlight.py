"""Evidence highlighted inside the answer: the quoted words wrapped in ``<mark>``.

Offsets are found on the raw answer text; the HTML is then built piece by piece, each
piece escaped on its own, so a quote can never open a tag: an answer containing
``<script>`` shows as text, highlighted or not.

A quote that carries its offsets (the grader's ``evidence_spans``) is placed by them,
without searching. Otherwise it is found exactly, then ignoring case, then ignoring
differences in spacing and line breaks; a quote shortened with an ellipsis is matched
part by part. Overlapping quotes merge into one mark that lists everything it is
evidence for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from markupsafe import Markup, escape

_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|…)\s*")
_TOKEN = re.compile(r"\S+")


@dataclass(frozen=True)
class Quote:
    """A piece of evidence: the quoted words, what it is evidence for, and its kind."""

    text: str
    label: str
    kind: str = "evidence"  # or "spot" for a blind spot
    #: Offsets in the graded answer, when the grader gave them (``evidence_spans``).
    start: int | None = None
    end: int | None = None


@dataclass
class Span:
    start: int
    end: int
    labels: list[str] = field(default_factory=list)
    kinds: set[str] = field(default_factory=set)
    anchors: list[int] = field(default_factory=list)


def locate(text: str, quote: str) -> list[tuple[int, int]]:
    """Where *quote* sits in *text*: one (start, end) per matched part; empty if nowhere."""
    quote = quote.strip().strip("\"“”'")
    if not quote:
        return []
    parts = [p for p in _ELLIPSIS.split(quote) if p.strip()]
    found: list[tuple[int, int]] = []
    for part in parts:
        hit = _find(text, part)
        if hit is not None:
            found.append(hit)
    return found


def _find(text: str, part: str) -> tuple[int, int] | None:
    at = text.find(part)
    if at >= 0:
        return at, at + len(part)
    tokens = _TOKEN.findall(part)
    if not tokens:
        return None
    pattern = r"\s+".join(re.escape(t) for t in tokens)
    match = re.search(pattern, text, re.IGNORECASE)
    if match is None and len(tokens) > 1:
        # Punctuation the grader dropped or normalised: compare the words only.
        words = [re.escape(w) for t in tokens for w in re.findall(r"\w+", t)]
        if words:
            match = re.search(r"\W+".join(words), text, re.IGNORECASE)
    return (match.start(), match.end()) if match else None


def placed(text: str, quote: Quote, base: int | None) -> list[tuple[int, int]] | None:
    """Where a quote with offsets sits in *text*, which starts at ``base`` in the graded
    answer: ``[]`` when the offsets fall outside *text*, ``None`` when the quote has no
    offsets (or *text* has no known base) and must be searched for."""
    if base is None or quote.start is None or quote.end is None:
        return None
    start, end = quote.start - base, quote.end - base
    if 0 <= start < end <= len(text):
        return [(start, end)]
    return []


def spans_for(
    text: str, quotes: Sequence[Quote], base: int | None = None
) -> tuple[list[Span], list[int]]:
    """Merged spans for *quotes*, and the index of the span each quote ended up in.

    ``base`` is where *text* starts in the graded answer: quotes with offsets are placed
    by them. The second list has one entry per quote: the span index, or -1 if it was
    not found.
    """
    raw: list[tuple[int, int, int]] = []
    for index, quote in enumerate(quotes):
        at = placed(text, quote, base)
        for start, end in locate(text, quote.text) if at is None else at:
            raw.append((start, end, index))
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
