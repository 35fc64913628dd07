"""Choosing the follow-up probes: ask about what the grader found missing.

After the main answer is graded, each of the prompt's follow-ups is tied to a
rubric criterion. A criterion scoring below :data:`WEAK_BELOW` (out of 4) is
"missing", and when the answer as a whole is below the round's bar, so is any
criterion short of full marks; the probes asked are one per missing criterion,
lowest score first
(ties in rubric order), at most :data:`MAX_PROBES`, then put back in rubric order
so the conversation flows as the rubric does. When nothing is missing, the one
probe on the lowest-scoring criterion is still asked: an interviewer always
probes once. The choice is deterministic: the same grade gives the same probes.
"""

from __future__ import annotations

from loopready.grading.base import GradeResult
from loopready.packs.schema import FollowUp, Prompt, Round

#: A criterion scoring below this (0-4) counts as missing from the answer.
WEAK_BELOW = 3
#: The most probes asked after one answer.
MAX_PROBES = 3


def choose_follow_ups(
    rnd: Round,
    prompt: Prompt,
    grade: GradeResult,
    *,
    max_probes: int = MAX_PROBES,
    weak_below: int = WEAK_BELOW,
    bar: float | None = None,
) -> list[FollowUp]:
    """The probes to ask after the main answer, in the order to ask them.

    ``bar`` is the round's pass mark (0-100): an answer below it has more missing.
    """
    if not prompt.follow_ups or max_probes < 1:
        return []
    if bar is not None and grade.score < bar:
        weak_below = max(weak_below, 4)
    order = {c.id: i for i, c in enumerate(rnd.rubric.criteria)}
    scores = {c.id: c.score for c in grade.criteria}
    not_asked = {c.id for c in grade.criteria if c.status == "not_asked"}
    # A criterion the grade does not mention (a custom grader) counts as absent.
    probed: dict[str, FollowUp] = {}
    for follow_up in prompt.follow_ups:
        if follow_up.criterion not in not_asked:  # the question does not ask about it
            probed.setdefault(follow_up.criterion, follow_up)  # the first probe per criterion

    def key(criterion: str) -> tuple[int, int]:
        return scores.get(criterion, 0), order.get(criterion, len(order))

    ranked = sorted(probed, key=key)
    weak = [c for c in ranked if scores.get(c, 0) < weak_below]
    chosen = weak[:max_probes] if weak else ranked[:1]
    chosen.sort(key=lambda c: order.get(c, len(order)))
    return [probed[c] for c in chosen]


def missing_criteria(
    rnd: Round, grade: GradeResult, *, weak_below: int = WEAK_BELOW, bar: float | None = None
) -> list[str]:
    """Ids of the round's criteria missing from the answer (see above), in rubric order."""
    if bar is not None and grade.score < bar:
        weak_below = max(weak_below, 4)
    scores = {c.id: c.score for c in grade.criteria}
    not_asked = {c.id for c in grade.criteria if c.status == "not_asked"}
    return [
        c.id
        for c in rnd.rubric.criteria
        if c.id not in not_asked and scores.get(c.id, 0) < weak_below
    ]
