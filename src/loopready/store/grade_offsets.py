"""Offsets for grades stored before grades kept them (schema revision 0004).

A stored grade places every quote in the answer it graded: ``answer[start:end]`` is the
quote (``evidence_spans`` beside each criterion's ``evidence``, ``start``/``end`` on blind
spots, red flags, key points and reference coverage). A grade stored before revision 0004
has bare quotes, or a ``[0, 0]`` placeholder where its grader's quote was not the answer's
words. Nothing here grades again: :func:`add_offsets` gives each quote found word for word
in the answer its offsets (where it first occurs) and leaves every other quote without
(``null``), which a report shows without marking it in the text.

Migration 0004 applies this to the rows in the database, and import to the grades of an
export file written before 0004, so both paths come out the same.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any, Final

#: The speaker of the candidate's own turns (the others are the interviewer and personas).
CANDIDATE: Final = "candidate"


def graded_answer(turns: Iterable[tuple[str, str]]) -> str:
    """The answer a session graded, from its ``(speaker, text)`` turns in order: the
    candidate's non-empty turns, stripped, joined by a blank line."""
    return "\n\n".join(
        text.strip() for speaker, text in turns if speaker == CANDIDATE and text and text.strip()
    )


def _span(answer: str, quote: Any, stored: Any = None) -> list[int] | None:
    """``[start, end]`` of *quote* in *answer*: the stored one when it holds the quote,
    else where the quote first occurs word for word, else ``None``."""
    if not isinstance(quote, str) or not quote:
        return None
    if (
        isinstance(stored, list | tuple)
        and len(stored) == 2
        and all(isinstance(n, int) and not isinstance(n, bool) for n in stored)
        and answer[stored[0] : stored[1]] == quote
        and stored[0] < stored[1]
    ):
        return [stored[0], stored[1]]
    at = answer.find(quote)
    return [at, at + len(quote)] if at >= 0 else None


def _place(item: Any, answer: str, quote_key: str = "evidence") -> None:
    """Set ``start``/``end`` on a quoted item (a dict), or clear them when not found."""
    if not isinstance(item, dict) or not isinstance(item.get(quote_key), str):
        return
    span = _span(answer, item[quote_key], [item.get("start"), item.get("end")])
    if span is None:
        item.pop("start", None)
        item.pop("end", None)
    else:
        item["start"], item["end"] = span


def add_offsets(result: Any, answer: str) -> Any:
    """A copy of a stored grade (its JSON ``result``) with offsets for every quote found
    in *answer*; anything that is not a readable grade is returned as it is."""
    if not isinstance(result, dict):
        return result
    out = copy.deepcopy(result)
    for criterion in out.get("criteria") or []:
        if not isinstance(criterion, dict) or not isinstance(criterion.get("evidence"), list):
            continue
        stored = criterion.get("evidence_spans")
        stored = stored if isinstance(stored, list) else []
        criterion["evidence_spans"] = [
            _span(answer, quote, stored[i] if i < len(stored) else None)
            for i, quote in enumerate(criterion["evidence"])
        ]
    for key in ("blind_spots", "key_points"):
        for item in out.get(key) or []:
            _place(item, answer)
    coverage = out.get("reference_coverage")
    if isinstance(coverage, dict):
        for item in coverage.get("covered") or []:
            _place(item, answer)
    return out


def drop_unknown_offsets(result: Any) -> Any:
    """A copy of a stored grade as revisions before 0004 read it: an unknown span is the
    ``[0, 0]`` placeholder again (those revisions expect a pair for every quote)."""
    if not isinstance(result, dict):
        return result
    out = copy.deepcopy(result)
    for criterion in out.get("criteria") or []:
        spans = criterion.get("evidence_spans") if isinstance(criterion, dict) else None
        if isinstance(spans, list):
            criterion["evidence_spans"] = [s if s is not None else [0, 0] for s in spans]
    return out
