"""Turning user input into grade requests, and requests into results.

Input checks live here, once, for every grader and every caller (CLI, web,
interview sessions): encoding, size limits, unknown rounds and questions, and
the empty answer, which scores 0 with a message instead of reaching a model.
"""

from __future__ import annotations

import time

from loopready.errors import InputError
from loopready.grading.base import CriterionScore, GradeRequest, GradeResult, WordTiming
from loopready.grading.pipeline import finish
from loopready.grading.registry import get_grader
from loopready.packs import DEFAULT_PACK_ID, get_pack

#: About an hour of speech at 150 words a minute, with room to spare.
MAX_WORDS = 12_000


def read_answer_bytes(data: bytes, name: str) -> str:
    """Decode an answer, with an error that says how to fix a wrong encoding."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: not UTF-8 text (byte {exc.start}); save the answer as UTF-8 and try again"
        ) from None


def build_request(
    answer: str,
    *,
    pack_id: str = DEFAULT_PACK_ID,
    round_id: str | None = None,
    question_id: str | None = None,
    reference: str | None = None,
    key_points: list[str] | None = None,
    request_id: str | None = None,
    word_timings: list[WordTiming] | None = None,
) -> GradeRequest:
    """Check ids and limits and build a :class:`GradeRequest`."""
    words = len(answer.split())
    if words > MAX_WORDS:
        raise InputError(
            f"the answer has {words:,} words; the limit is {MAX_WORDS:,} words "
            "(about an hour of speech): grade it in parts"
        )
    pack = None
    if round_id is not None:
        pack = get_pack(pack_id)
        try:
            rnd = pack.round(round_id)
        except KeyError as exc:
            raise InputError(str(exc.args[0])) from None
        if question_id is not None and question_id not in {p.id for p in rnd.prompts}:
            valid = ", ".join(p.id for p in rnd.prompts)
            raise InputError(
                f"unknown question {question_id!r} in round {round_id!r}; valid questions: {valid}"
            )
    elif question_id is not None:
        raise InputError("--question needs --round")
    return GradeRequest(
        answer=answer,
        pack=pack,
        round_id=round_id,
        question_id=question_id,
        reference=reference,
        key_points=key_points,
        id=request_id,
        word_timings=word_timings,
    )


def empty_result(request: GradeRequest, grader_label: str) -> GradeResult:
    """Score 0 for a blank answer, with every criterion listed so the report has its shape."""
    criteria: list[CriterionScore] = []
    if request.pack is not None and request.round_id is not None:
        for c in request.pack.round(request.round_id).rubric.criteria:
            criteria.append(
                CriterionScore(id=c.id, name=c.name, score=0, weight=c.weight, advice=c.advice)
            )
    return GradeResult(
        id=request.id,
        round=request.round_id or "custom",
        question=request.question_id,
        score=0,
        criteria=criteria,
        message="the answer is empty: write or say your answer, then grade it",
        grader=grader_label,
    )


def grade_request(request: GradeRequest, grader_name: str = "local") -> GradeResult:
    """Grade with the named grader, timing the call."""
    grader = get_grader(grader_name)
    started = time.perf_counter()
    if not request.answer.strip():
        result = empty_result(request, grader.label)
    else:
        result = finish(request, grader.grade(request))
    result.elapsed_ms = round((time.perf_counter() - started) * 1000, 1)
    return result
