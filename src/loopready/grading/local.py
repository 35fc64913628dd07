"""The local grader: rubric scores with quoted evidence, offline, in well under a second.

For each answer it splits sentences, embeds them once with MiniLM, compares them
with every criterion's strong and weak exemplars, runs the language-signal
detectors, and lets a small calibration (fitted on our labelled training split)
turn those measurements into a 0-4 score per criterion and a 0-100 overall score.
The sentences that earned each score are quoted back.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from loopready import __version__
from loopready.grading import blindspots, depth, evidence, offtopic, redflags, signals
from loopready.grading.base import (
    BlindSpotHit,
    CriterionScore,
    Grader,
    GradeRequest,
    GradeResult,
    ReferenceCoverage,
)
from loopready.grading.calibration import Calibration, load
from loopready.grading.embeddings import Vectors, get_embedder
from loopready.grading.exemplars import RoundBank, round_bank
from loopready.grading.features import (
    CriterionFeatures,
    answer_features,
    criterion_features,
    stakeholder_gaps,
    topicality,
)
from loopready.grading.pipeline import check_reference, reference_result
from loopready.language.sentences import Span, sentence_spans
from loopready.packs.schema import Pack, Round


@dataclass
class Analysed:
    """Everything measured about one answer before calibration."""

    round: Round
    sentences: list[str]
    vectors: Vectors
    analysis: signals.Analysis
    topic_per_sentence: np.ndarray
    topic: float
    criteria: dict[str, CriterionFeatures]
    blind_spots: list[blindspots.Finding]
    bank: RoundBank
    spans: list[Span]
    depth: depth.Depth
    judgement: evidence.Judgement
    red_flags: list[redflags.RedFlagFinding] = field(default_factory=list)

    @property
    def flagged(self) -> set[int]:
        """Sentences that show a red flag or a blind spot: never quoted as evidence."""
        return redflags.flagged_sentences(self.red_flags, self.blind_spots)


def analyse_answer(
    pack: Pack, round_id: str, answer: str, evidence_model: evidence.EvidenceModel | None = None
) -> Analysed:
    """Measure an answer against a round: the input of calibration and of the fit scripts."""
    rnd = pack.round(round_id)
    spans = sentence_spans(answer)
    sentences = [s.text for s in spans]
    vectors = get_embedder().embed(sentences) if sentences else np.zeros((0, 384), np.float32)
    analysis = signals.analyse(sentences)
    bank = round_bank(pack, round_id)
    topic_per_sentence = topicality(vectors, bank)
    topic = float(np.mean(topic_per_sentence)) if topic_per_sentence.size else 0.0
    criteria = criterion_features(rnd, bank, vectors, analysis, topic)
    flags = redflags.flag_bank(pack, round_id)
    near = {k.removeprefix("blind:"): v.near_misses for k, v in flags.items()}
    found = blindspots.detect(
        pack.blind_spots_for(round_id), sentences, analysis, vectors, bank.blind_spots, near
    )
    red = redflags.detect(rnd, sentences, vectors, analysis, flags)
    measured_depth = depth.measure(sentences, analysis)
    model = evidence_model or evidence.load()
    pairs = evidence.pair_features(
        rnd,
        bank,
        vectors,
        analysis,
        measured_depth,
        topic_per_sentence,
        sentences,
        model.examples_for(round_id),
    )
    judgement = evidence.judge(
        pairs,
        [c.id for c in rnd.rubric.criteria],
        # bare lists and fragments name terms without doing what a criterion asks
        evidence.excluded_sentences(found, red) | measured_depth.bare,
        model,
    )
    for cid, f in criteria.items():
        f.values["evidence"] = judgement.best(cid)
        f.values["evidence_depth"] = max(
            (
                float(judgement.probability[i, judgement.criteria.index(cid)])
                for i in judgement.assigned[cid]
                if i in measured_depth.elaborated
            ),
            default=0.0,
        )
    return Analysed(
        rnd,
        sentences,
        vectors,
        analysis,
        topic_per_sentence,
        topic,
        criteria,
        found,
        bank,
        spans,
        measured_depth,
        judgement,
        red,
    )


def answer_minutes(rnd: Round) -> int:
    """The time one main answer should take (see :func:`pipeline.answer_minutes`)."""
    from loopready.grading.pipeline import answer_minutes as minutes

    return minutes(rnd.minutes)


#: The highest criterion score with no sentence that does what the criterion asks.
NO_EVIDENCE_CAP = 1

#: How much a criterion outside a question's focus counts towards the overall score.
OUT_OF_FOCUS = 0.2


def focus_weights(rnd: Round, prompt_id: str | None, asked_only: bool = False) -> dict[str, float]:
    """Rubric weights, with criteria the question does not test turned down; with
    ``asked_only`` (the question is known) they count for nothing: they were not asked."""
    prompt = next((p for p in rnd.prompts if p.id == prompt_id), None)
    focus = set(prompt.focus) if prompt and prompt.focus else None
    out_of_focus = 0.0 if asked_only else OUT_OF_FOCUS
    return {
        c.id: c.weight * (1.0 if focus is None or c.id in focus else out_of_focus)
        for c in rnd.rubric.criteria
    }


class LocalGrader(Grader):
    """The default grader: MiniLM embeddings + language signals + fitted calibration."""

    name = "loopready-local"
    version = __version__

    def __init__(self, calibration: Calibration | None = None) -> None:
        self._calibration = calibration

    @property
    def calibration(self) -> Calibration:
        if self._calibration is None:
            self._calibration = load()
        return self._calibration

    def grade(self, request: GradeRequest) -> GradeResult:
        if request.pack is None or request.round_id is None:
            return self._grade_reference_only(request)
        measured = analyse_answer(request.pack, request.round_id, request.answer)
        return self.score(measured, request)

    def score(self, m: Analysed, request: GradeRequest) -> GradeResult:
        """Turn measurements into the result: calibrated scores with their quotes."""
        cal = self.calibration
        gate = cal.gate(m.topic)
        expected = {cid: cal.expected_label(f.values) * gate for cid, f in m.criteria.items()}
        weights = focus_weights(
            m.round,
            request.question_id or m.bank.closest_prompt(m.vectors),
            asked_only=request.question_id is not None,
        )
        values = answer_features(
            expected,
            weights,
            m.sentences,
            m.analysis,
            m.vectors,
            m.bank,
            m.criteria,
            len(m.blind_spots),
            stakeholder_gaps(request.pack, m.round, request.answer, request.question_id)
            if request.pack
            else 0.0,
        )
        values["topic"] = m.topic
        values["bare_share"] = m.depth.bare_share
        overall = round(cal.score(values), 1)
        if m.depth.outline:
            overall = min(overall, depth.OUTLINE_CAP)

        criteria: list[CriterionScore] = []
        for c in m.round.rubric.criteria:
            quoted = m.judgement.quotes(c.id)
            score = self.capped(cal.criterion_score(expected[c.id]), quoted, m.depth)
            if score == 0:
                quoted = []
            criteria.append(
                CriterionScore(
                    id=c.id,
                    name=c.name,
                    score=score,
                    weight=c.weight,
                    evidence=[m.sentences[i] for i in quoted],
                    evidence_spans=[(m.spans[i].start, m.spans[i].end) for i in quoted],
                    advice=c.advice if score < 4 else "",
                )
            )
        spots = {b.id: b for b in request.pack.blind_spots} if request.pack else {}
        hits = [
            BlindSpotHit(
                id=f.id,
                name=spots[f.id].name if f.id in spots else f.id,
                evidence=m.sentences[f.sentence_index],
                better=spots[f.id].better if f.id in spots else "",
            )
            for f in m.blind_spots
        ]
        assert request.pack is not None, "a round's answer is graded against its pack"
        verdict = offtopic.judge(
            request.pack, m.round.id, request.question_id, m.vectors, gate, overall
        )
        asked = next((p for p in m.round.prompts if p.id == request.question_id), None)
        message = verdict.message(asked) if verdict.off_topic else None
        if verdict.off_topic:
            overall = min(overall, offtopic.SCORE_CAP)
        result = GradeResult(
            id=request.id,
            round=m.round.id,
            question=request.question_id,
            score=overall,
            criteria=criteria,
            blind_spots=hits,
            message=message,
            grader=self.label,
            off_topic=verdict.off_topic,
        )
        return redflags.apply(
            result, m.red_flags, request.pack, m.round, m.sentences, request.answer
        )

    @staticmethod
    def capped(score: int, quoted: list[int], measured: depth.Depth) -> int:
        """Evidence supports the score: with no sentence that does what the criterion asks,
        at most 1; with only bare lists or fragments as evidence, or in an outline, at most
        partial (2)."""
        if not quoted:
            return min(score, NO_EVIDENCE_CAP)
        if measured.outline or all(i in measured.bare for i in quoted):
            return min(score, depth.BARE_CRITERION_CAP)
        return score

    def _grade_reference_only(self, request: GradeRequest) -> GradeResult:
        check_reference(request)
        from loopready.grading.reference import grade_reference

        result = grade_reference(
            request.answer,
            reference=request.reference,
            key_points=request.key_points,
            question=request.question,
        )
        coverage = ReferenceCoverage.model_validate(result.model_dump())
        return reference_result(request, coverage, self.label)
