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
from loopready.errors import InputError
from loopready.grading import blindspots, offtopic, redflags, signals
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
from loopready.grading.text import split_sentences
from loopready.packs.schema import Pack, Round

#: Sentences below this similarity to a criterion's strong exemplars are not quoted,
#: unless a language signal of the criterion fired in them.
QUOTE_FLOOR = 0.30
MAX_QUOTES = 3


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
    red_flags: list[redflags.RedFlagFinding] = field(default_factory=list)

    @property
    def flagged(self) -> set[int]:
        """Sentences that show a red flag or a blind spot: never quoted as evidence."""
        return redflags.flagged_sentences(self.red_flags, self.blind_spots)


def analyse_answer(pack: Pack, round_id: str, answer: str) -> Analysed:
    """Measure an answer against a round: the input of calibration and of the fit script."""
    rnd = pack.round(round_id)
    sentences = split_sentences(answer)
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
    return Analysed(
        rnd, sentences, vectors, analysis, topic_per_sentence, topic, criteria, found, bank, red
    )


def answer_minutes(rnd: Round) -> int:
    """The time one main answer should take: about a sixth of the round, since the rest
    goes on follow-up probes, discussion and the candidate's own questions."""
    return max(2, round(rnd.minutes / 6))


#: How much a criterion outside a question's focus counts towards the overall score.
OUT_OF_FOCUS = 0.2


def focus_weights(rnd: Round, prompt_id: str | None) -> dict[str, float]:
    """Rubric weights, with criteria the question does not test turned down."""
    prompt = next((p for p in rnd.prompts if p.id == prompt_id), None)
    focus = set(prompt.focus) if prompt and prompt.focus else None
    return {
        c.id: c.weight * (1.0 if focus is None or c.id in focus else OUT_OF_FOCUS)
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
        result = self.score(measured, request)
        if request.reference or request.key_points or request.question_id:
            result.reference_coverage = self._coverage(request)
        cov = result.reference_coverage
        if cov is not None and not result.off_topic and request.question_id:
            verdict = offtopic.judge_coverage(
                request.pack,
                measured.round.id,
                request.question_id,
                measured.vectors,
                cov.coverage,
                result.score,
            )
            if verdict.off_topic:
                asked = next(p for p in measured.round.prompts if p.id == request.question_id)
                result.off_topic = True
                result.message = verdict.message(asked)
                result.score = min(result.score, offtopic.SCORE_CAP)
        return result

    def score(self, m: Analysed, request: GradeRequest) -> GradeResult:
        """Turn measurements into the result: calibrated scores with their quotes."""
        cal = self.calibration
        gate = cal.gate(m.topic)
        expected = {cid: cal.expected_label(f.values) * gate for cid, f in m.criteria.items()}
        weights = focus_weights(m.round, request.question_id or m.bank.closest_prompt(m.vectors))
        values = answer_features(
            expected,
            weights,
            m.sentences,
            m.analysis,
            m.vectors,
            m.bank,
            m.criteria,
            len(m.blind_spots),
            stakeholder_gaps(request.pack, m.round, request.answer) if request.pack else 0.0,
        )
        values["topic"] = m.topic
        overall = round(cal.score(values), 1)

        criteria: list[CriterionScore] = []
        for c in m.round.rubric.criteria:
            score = int(np.clip(round(2 * expected[c.id]), 0, 4))
            evidence = self._quotes(m, m.criteria[c.id], score)
            criteria.append(
                CriterionScore(
                    id=c.id,
                    name=c.name,
                    score=score,
                    weight=c.weight,
                    evidence=evidence,
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
            delivery=self._delivery(request, m),
            message=message,
            grader=self.label,
            off_topic=verdict.off_topic,
        )
        return redflags.apply(
            result, m.red_flags, request.pack, m.round, m.sentences, request.answer
        )

    @staticmethod
    def _quotes(m: Analysed, f: CriterionFeatures, score: int) -> list[str]:
        flagged = m.flagged
        if score == 0 or len(flagged) >= len(m.sentences):
            return []
        ranked = sorted(
            [i for i in range(len(m.sentences)) if i not in flagged],
            key=lambda i: float(f.strong_sim[i]) + (0.1 if i in f.signal_sentences else 0.0),
            reverse=True,
        )
        chosen = [i for i in ranked if f.strong_sim[i] >= QUOTE_FLOOR or i in f.signal_sentences][
            : min(MAX_QUOTES, max(1, score - 1))
        ]
        if not chosen:
            chosen = ranked[:1]
        return [m.sentences[i] for i in sorted(chosen)]

    @staticmethod
    def _delivery(request: GradeRequest, m: Analysed) -> dict[str, object]:
        from loopready.grading.delivery import measure

        timings = (
            [(w.word, w.start, w.end) for w in request.word_timings]
            if request.word_timings
            else None
        )
        result = measure(
            request.answer, m.sentences, answer_minutes(m.round), timings, jargon=m.analysis.jargon
        )
        data: dict[str, object] = result.model_dump(mode="json")
        if request.word_timings:
            # A spoken answer: pace, fillers and pauses from the real word timestamps.
            from loopready.speech.delivery import measure_speech

            speech = measure_speech(request.word_timings, m.round.minutes * 60)
            data["speech"] = speech.model_dump(mode="json")
            notes = data.get("notes")
            if isinstance(notes, list):
                notes.extend(speech.notes)
        return data

    def _coverage(self, request: GradeRequest) -> ReferenceCoverage | None:
        from loopready.grading.reference import grade_reference

        key_points = request.key_points
        question = request.question
        if not request.reference and not key_points and request.pack and request.round_id:
            prompt = next(
                (
                    p
                    for p in request.pack.round(request.round_id).prompts
                    if p.id == request.question_id
                ),
                None,
            )
            if prompt is None or not prompt.key_points:
                return None
            key_points = prompt.key_points
            question = prompt.question
        result = grade_reference(
            request.answer, reference=request.reference, key_points=key_points, question=question
        )
        return ReferenceCoverage.model_validate(result.model_dump())

    def _grade_reference_only(self, request: GradeRequest) -> GradeResult:
        if not request.reference and not request.key_points:
            raise InputError("give a round to grade against, or a reference answer")
        coverage = self._coverage(request)
        assert coverage is not None
        return GradeResult(
            id=request.id,
            round="custom",
            question=request.question_id,
            score=coverage.score,
            reference_coverage=coverage,
            grader=self.label,
        )
