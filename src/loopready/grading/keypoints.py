"""The question's key points: each covered (with the quote that covers it) or missing.

Computed once per answer by the grading service, for every grader, from the same
matcher that grades custom questions (:mod:`loopready.grading.reference`). The list
is the one source of truth: the coverage figure is the share of points it marks
covered, and a point whose closest sentence the grader already quotes as evidence for
the criterion the point belongs to counts as covered, so a report never lists as
missing what it quotes as evidence. A bare list of terms covers no key point.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from loopready.grading.base import (
    CoveredPoint,
    CriterionScore,
    KeyPointResult,
    ReferenceCoverage,
)
from loopready.grading.depth import is_bare
from loopready.grading.reference import ReferenceResult, grade_reference
from loopready.language.sentences import sentence_spans
from loopready.packs.schema import Pack, Round


@dataclass(frozen=True)
class KeyPoints:
    """The key points of one answer, the criterion each belongs to, and the coverage."""

    points: list[KeyPointResult]
    #: key point text -> the id of the criterion it belongs to ("" when unknown)
    criterion: dict[str, str]
    #: key point text -> the answer sentence that comes closest (covered or not)
    closest: dict[str, str]
    coverage: ReferenceCoverage


def point_criteria(pack: Pack, rnd: Round, points: list[str], asked: set[str] | None) -> list[str]:
    """For each key point, the asked criterion whose strong exemplars it is most like."""
    from loopready.grading.embeddings import get_embedder
    from loopready.grading.exemplars import round_bank

    if not points:
        return []
    bank = round_bank(pack, rnd.id)
    ids = [c.id for c in rnd.rubric.criteria if asked is None or c.id in asked]
    if not ids:
        return [""] * len(points)
    vectors = get_embedder().embed(points, persist=True)
    sims = np.stack(
        [np.sort(vectors @ bank.criteria[c].strong.T, axis=1)[:, -2:].mean(axis=1) for c in ids],
        axis=1,
    )
    return [ids[int(j)] for j in sims.argmax(axis=1)]


def _offsets(answer: str, quote: str) -> tuple[int | None, int | None]:
    for span in sentence_spans(answer):
        if span.text == quote:
            return span.start, span.end
    at = answer.find(quote) if quote else -1
    return (at, at + len(quote)) if at >= 0 else (None, None)


def grade_points(
    answer: str,
    points: list[str] | None,
    *,
    reference: str | None = None,
    question: str | None = None,
    criteria: list[CriterionScore] | None = None,
    owners: list[str] | None = None,
) -> KeyPoints:
    """Grade the key points (or a reference answer split into points) once, and agree
    with the criteria's evidence: a point whose closest sentence is quoted for the
    criterion it belongs to is covered."""
    result: ReferenceResult = grade_reference(
        answer, reference=reference, key_points=points, question=question
    )
    quoted = {c.id: set(c.evidence) for c in criteria or []}
    owner_of = dict(zip([p.point for p in result.points], owners or [], strict=False))
    out: list[KeyPointResult] = []
    covered: list[CoveredPoint] = []
    missing: list[str] = []
    closest: dict[str, str] = {}
    for p in result.points:
        closest[p.point] = p.evidence
        owner = owner_of.get(p.point, "")
        is_covered = (p.covered and not is_bare(p.evidence)) or (
            bool(p.evidence) and p.evidence in quoted.get(owner, set())
        )
        if is_covered:
            start, end = _offsets(answer, p.evidence)
            out.append(
                KeyPointResult(
                    text=p.point, covered=True, evidence=p.evidence, start=start, end=end
                )
            )
            covered.append(
                CoveredPoint(point=p.point, evidence=p.evidence, similarity=p.similarity)
            )
        else:
            out.append(KeyPointResult(text=p.point, covered=False))
            missing.append(p.point)
    share = len(covered) / len(out) if out else 0.0
    coverage = ReferenceCoverage(
        coverage=round(share, 4), score=round(100 * share, 1), covered=covered, missing=missing
    )
    return KeyPoints(out, owner_of, closest, coverage)
