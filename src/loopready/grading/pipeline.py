"""One grading pipeline: the work every grader shares, done once by the service.

A grader judges criteria, blind spots (and red flags). Everything else about an
answer is the same whichever grader ran, so it is done here, after the grader:

* the question's rubric: criteria the known question does not ask about are marked
  ``not_asked`` (not counted, no advice);
* evidence offsets: each quote's character span in the answer, for graders that
  return quotes only; quotes that show a blind spot are dropped as evidence;
* key points and reference coverage, once, agreeing with the evidence;
* advice about this answer;
* delivery, with the same time box for typed and spoken answers.
"""

from __future__ import annotations

from loopready.errors import InputError
from loopready.grading import advice
from loopready.grading.base import GradeRequest, GradeResult, KeyPointResult, ReferenceCoverage
from loopready.grading.delivery_model import GradeDelivery
from loopready.language.sentences import sentence_spans
from loopready.packs.schema import Round


def asked_criteria(rnd: Round, prompt_id: str | None) -> set[str] | None:
    """The criteria a known question asks about (``None``: all of the round's)."""
    prompt = next((p for p in rnd.prompts if p.id == prompt_id), None)
    return set(prompt.focus) if prompt and prompt.focus else None


def answer_minutes(minutes: int) -> int:
    """The time one main answer should take: about a sixth of the round, since the rest
    goes on follow-up probes, discussion and the candidate's own questions."""
    return max(2, round(minutes / 6))


def place(
    answer: str, quote: str, sentences: dict[str, tuple[int, int]] | None = None
) -> tuple[int, int] | None:
    """Where ``quote`` sits in ``answer`` word for word (``answer[start:end] == quote``),
    or ``None``: offsets are only kept when they point at the quoted text."""
    if sentences is not None and quote in sentences:
        return sentences[quote]
    at = answer.find(quote) if quote else -1
    return (at, at + len(quote)) if at >= 0 else None


def _place_quotes(answer: str, result: GradeResult, by_text: dict[str, tuple[int, int]]) -> None:
    """Offsets for the quotes a grader returned without them (blind spots, reference
    coverage, key points), so reports place each quote without searching again."""
    for hit in result.blind_spots:
        if hit.start is None or hit.end is None:
            span = place(answer, hit.evidence, by_text)
            hit.start, hit.end = span if span is not None else (None, None)
    if result.reference_coverage is not None:
        for point in result.reference_coverage.covered:
            if point.start is None or point.end is None:
                span = place(answer, point.evidence, by_text)
                point.start, point.end = span if span is not None else (None, None)
    for key in result.key_points or []:
        if key.evidence and (key.start is None or key.end is None):
            span = place(answer, key.evidence, by_text)
            key.start, key.end = span if span is not None else (None, None)


def finish(request: GradeRequest, result: GradeResult) -> GradeResult:
    """Complete a grader's result with the shared work (see the module docstring)."""
    if not request.answer.strip():
        return result
    spans = sentence_spans(request.answer)
    by_text = {s.text: (s.start, s.end) for s in spans}
    if request.pack is None or request.round_id is None:
        _reference_points(result)
        _place_quotes(request.answer, result, by_text)
        return result
    from loopready.grading.keypoints import grade_points, point_criteria

    rnd = request.pack.round(request.round_id)
    prompt = next((p for p in rnd.prompts if p.id == request.question_id), None)
    asked = asked_criteria(rnd, request.question_id)
    flagged = {b.evidence for b in result.blind_spots} | {f.evidence for f in result.red_flags}
    for c in result.criteria:
        c.status = "not_asked" if asked is not None and c.id not in asked else "scored"
        keep = [q for q in c.evidence if q not in flagged]
        c.evidence = keep
        c.evidence_spans = [place(request.answer, q, by_text) for q in keep]

    # The key points to grade: the request's own, else its reference answer's (split by the
    # matcher), else the known question's.
    points: list[str] | None = list(request.key_points) if request.key_points else None
    if points is None and not request.reference and prompt is not None and prompt.key_points:
        points = list(prompt.key_points)
    owners: dict[str, str] = {}
    if points or request.reference:
        graded = grade_points(
            request.answer,
            points,
            reference=request.reference,
            question=request.question or (prompt.question if prompt else None),
            criteria=result.criteria,
            owners=point_criteria(request.pack, rnd, points, asked) if points else None,
        )
        result.key_points = graded.points
        result.reference_coverage = graded.coverage
        owners = graded.criterion
        if request.question_id is not None:
            _off_topic_by_points(request, rnd, [s.text for s in spans], result)
    nearest = _nearest(request, rnd, [s.text for s in spans], flagged, result)
    advice.write(rnd.rubric.criteria, result.criteria, result.key_points, owners, nearest)
    result.delivery = _delivery(request, [s.text for s in spans], answer_minutes(rnd.minutes))
    _place_quotes(request.answer, result, by_text)
    return result


def _nearest(
    request: GradeRequest,
    rnd: Round,
    sentences: list[str],
    flagged: set[str],
    result: GradeResult,
) -> dict[str, str]:
    """For each criterion with no evidence, the answer's sentence most like its strong
    exemplars (never one that shows a blind spot), for advice to start from."""
    from loopready.grading.embeddings import get_embedder
    from loopready.grading.exemplars import round_bank

    wanted = [c.id for c in result.criteria if not c.evidence and c.status == "scored"]
    usable = [s for s in sentences if s not in flagged and len(s.split()) >= 4]
    if not wanted or not usable or request.pack is None:
        return {}
    bank = round_bank(request.pack, rnd.id)
    vectors = get_embedder().embed(usable)
    out: dict[str, str] = {}
    for cid in wanted:
        if cid in bank.criteria:
            sims = (vectors @ bank.criteria[cid].strong.T).max(axis=1)
            out[cid] = usable[int(sims.argmax())]
    return out


def _off_topic_by_points(
    request: GradeRequest, rnd: Round, sentences: list[str], result: GradeResult
) -> None:
    """An answer that covers few of the known question's key points, does little of what
    its criteria ask and sits nearer another question is answering something else: say so
    and cap the score (the learned check of :func:`offtopic.judge_points`)."""
    from loopready.grading import offtopic
    from loopready.grading.embeddings import get_embedder

    cov = result.reference_coverage
    if cov is None or result.off_topic or request.pack is None or not sentences:
        return
    if len(request.answer.split()) < offtopic.POINTS_MIN_WORDS:
        return
    verdict = offtopic.judge_points(
        offtopic.PointsInput(
            request.pack,
            rnd.id,
            request.question_id,
            get_embedder().embed(sentences),
            cov.coverage,
            evidence_share(result),
            result.score,
            sentences,
        )
    )
    if verdict.off_topic:
        asked = next(p for p in rnd.prompts if p.id == request.question_id)
        result.off_topic = True
        result.message = verdict.message(asked)
        result.score = min(result.score, offtopic.SCORE_CAP)


def evidence_share(result: GradeResult) -> float:
    """Share of the asked criteria with at least one evidence sentence."""
    asked = [c for c in result.criteria if c.status == "scored"]
    return sum(1 for c in asked if c.evidence) / len(asked) if asked else 0.0


def _reference_points(result: GradeResult) -> None:
    """Custom questions: the key-point list from the reference coverage, and the coverage
    figure as the share of points covered, so the two agree."""
    cov = result.reference_coverage
    if cov is None:
        return
    points = [KeyPointResult(text=p.point, covered=True, evidence=p.evidence) for p in cov.covered]
    points += [KeyPointResult(text=m, covered=False) for m in cov.missing]
    result.key_points = points
    if points:
        cov.coverage = round(len(cov.covered) / len(points), 4)


def _delivery(request: GradeRequest, sentences: list[str], minutes: int) -> GradeDelivery:
    from loopready.grading.delivery import measure
    from loopready.grading.signals import analyse

    timings = (
        [(w.word, w.start, w.end) for w in request.word_timings] if request.word_timings else None
    )
    jargon = analyse(sentences).jargon
    measured = measure(request.answer, sentences, minutes, timings, jargon=jargon)
    delivery = GradeDelivery.model_validate(measured.model_dump())
    if request.word_timings:
        # A spoken answer: pace, fillers and pauses from the real word timestamps, against
        # the same time box as a typed one.
        from loopready.speech.delivery import measure_speech

        speech = measure_speech(request.word_timings, minutes * 60)
        delivery = delivery.model_copy(
            update={"speech": speech, "notes": [*delivery.notes, *speech.notes]}
        )
    return delivery


def check_reference(request: GradeRequest) -> None:
    """A question outside any pack is graded against a reference: refuse one without it."""
    if not request.reference and not request.key_points:
        raise InputError("give a round to grade against, or a reference answer")


def reference_result(
    request: GradeRequest, coverage: ReferenceCoverage, grader: str
) -> GradeResult:
    """The grade of an answer to a custom question: its coverage of the key points."""
    return GradeResult(
        id=request.id,
        round="custom",
        question=request.question_id,
        score=coverage.score,
        reference_coverage=coverage,
        grader=grader,
    )
