"""Off-topic answers: said plainly, with the question the answer seems to answer.

An answer is off topic when it is about something other than its round (the
calibration's topicality gate is low), or when it is clearly closer in meaning to
another question of the pack than to the one asked: a fluent plan for the Xperia
camera given to the PlayStation recommendations question. Each prompt is
represented by its question, brief, key points and follow-ups; MiniLM tells topics
apart better than questions, so the rule is set for precision and misses some.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from loopready.grading.embeddings import Vectors, get_embedder
from loopready.grading.packkey import PackKey
from loopready.language.sentences import split_sentences
from loopready.packs.schema import Pack, Prompt, Round

#: An off-topic answer scores at most this (of 100).
SCORE_CAP = 30.0
#: The topicality gate below which an answer is about something else entirely.
GATE_FLOOR = 0.5
#: How much closer to another question than to the one asked an answer must be ...
MARGIN = 0.10
#: ... while its closeness to the question asked stays below this. Set on the training
#: split for precision: an answer wrongly called off topic loses most of its score.
ASKED_CEILING = 0.30
#: A low-scoring answer this far from the question asked is about something else.
FAR_FROM_ASKED = 0.30
#: ... and at least this much closer to another question.
LOW_SCORE_MARGIN = 0.03


@dataclass(frozen=True)
class Verdict:
    off_topic: bool
    #: The pack question the answer seems to answer instead, if any.
    other: tuple[Round, Prompt] | None = None

    def message(self, asked: Prompt | None) -> str:
        asked_text = f' ("{asked.question}")' if asked else ""
        if self.other is not None:
            rnd, prompt = self.other
            return (
                f'this answer seems to answer another question, "{prompt.question}" '
                f"({rnd.name}), not the one asked{asked_text}: answer the question asked "
                "directly; the score is capped while the answer is off topic"
            )
        return (
            f"this answer does not seem to address the question{asked_text}: re-read the "
            "prompt and answer it directly; the score is capped while the answer is off topic"
        )


@lru_cache(maxsize=16)
def _prompt_banks(key: PackKey) -> tuple[list[tuple[Round, Prompt]], list[Vectors]]:
    embedder = get_embedder()
    prompts: list[tuple[Round, Prompt]] = []
    banks: list[Vectors] = []
    for rnd in key.pack.all_rounds():
        for prompt in rnd.prompts:
            texts = [prompt.question, *prompt.key_points, *(f.question for f in prompt.follow_ups)]
            if prompt.brief:
                texts += split_sentences(prompt.brief)
            banks.append(embedder.embed(texts, persist=True))
            prompts.append((rnd, prompt))
    return prompts, banks


def closeness(pack: Pack, vectors: Vectors) -> tuple[list[tuple[Round, Prompt]], np.ndarray]:
    """Every prompt of the pack, and how close the answer is to each: the mean, over the
    answer's sentences, of each sentence's best similarity to the prompt's question, brief,
    key points and follow-ups."""
    prompts, banks = _prompt_banks(PackKey(pack))
    if vectors.shape[0] == 0 or not prompts:
        return prompts, np.zeros(len(prompts), np.float32)
    sims = np.array([float((vectors @ bank.T).max(axis=1).mean()) for bank in banks])
    return prompts, sims


def judge(
    pack: Pack,
    round_id: str,
    question_id: str | None,
    vectors: Vectors,
    gate: float,
    score: float = 100.0,
) -> Verdict:
    """Whether the answer addresses its question (or, with none given, its round).

    ``score`` is the grade before any cap: an answer that already scores low and is far
    from the question asked is said to be off topic too.
    """
    prompts, sims = closeness(pack, vectors)
    if not prompts or vectors.shape[0] == 0:
        return Verdict(False)
    asked = [
        i
        for i, (rnd, p) in enumerate(prompts)
        if rnd.id == round_id and (question_id is None or p.id == question_id)
    ]
    others = [i for i in range(len(prompts)) if i not in asked]
    if not asked:
        return Verdict(False)
    best_asked = float(sims[asked].max())
    best_other = max(others, key=lambda i: float(sims[i])) if others else None
    closer = best_other is not None and float(sims[best_other]) > best_asked
    if (
        best_other is not None
        and best_asked < ASKED_CEILING
        and float(sims[best_other]) >= best_asked + MARGIN
    ):
        return Verdict(True, prompts[best_other])
    far = (
        score <= SCORE_CAP + 5
        and best_asked < FAR_FROM_ASKED
        and best_other is not None
        and float(sims[best_other]) >= best_asked + LOW_SCORE_MARGIN
    )
    if gate < GATE_FLOOR or far:
        return Verdict(True, prompts[best_other] if closer and best_other is not None else None)
    return Verdict(False)


#: The learned check by the question's own key points (``model/offtopic.json``, refitted on
#: the training split by ``benchmarks/fit_offtopic.py``).
POINTS_PATH = Path(__file__).parent / "model" / "offtopic.json"
POINT_FEATURES = (
    "asked",  # closeness to the question asked (mean best similarity per sentence)
    "other_margin",  # closeness to the nearest other question of the pack, minus that
    "round_margin",  # the same for the other questions of the same round
    "coverage",  # share of the question's key points the answer covers
    "evidence_share",  # share of the asked criteria with a sentence that does what they ask
    "score",  # the grade so far, of 100
    "deflects",  # the opening sets the question aside (and then misses its key points)
)

#: How an answer sets its question aside in its first sentences: "before we talk about
#: recommendations, the bigger issue is ...", "what I'd really look at is ...", "the hard
#: part isn't the product, it's ...", "let me talk about ... instead". A deflection is a
#: judgment signal an interviewer hears at once, whatever the subject it turns to. A
#: deflection that still covers the question's key points is a framing device, so the
#: feature is the share of key points missed by an answer that deflects (0 otherwise).
_DEFLECTS = re.compile(
    r"\bbefore (?:we|I) (?:talk about|get (?:in)?to|go (?:in)?to|dive into|jump into)\b"
    r"|\b(?:bigger|biggest|more important|more interesting|more pressing|real) "
    r"(?:issue|opportunity|question|priority|conversation)\b"
    r"|\bwhat I'?d (?:really|actually) (?:look at|focus on|talk about|start with|do)\b"
    r"|\b(?:let me|I'?d rather|I want to) (?:talk|focus|speak) (?:about|on) "
    r"(?:that|this|something)\b"
    r"|\bisn'?t (?:really )?(?:about |the )?[^.,;]{0,40}, (?:it'?s|it is)\b"
    r"|\binstead of (?:answering|talking about|focusing on)\b",
    re.IGNORECASE,
)
#: The deflection is read in this many opening sentences.
DEFLECT_SENTENCES = 3


def deflects(sentences: Sequence[str]) -> bool:
    """Whether the answer's opening sets the question aside for another subject."""
    return any(_DEFLECTS.search(s) for s in sentences[:DEFLECT_SENTENCES])


#: The learned check reads answers of at least this many words: a line or two is thin, and
#: too short to tell which question it answers.
POINTS_MIN_WORDS = 40
#: Above this score, the learned check calls an answer off topic only when it sits nearer
#: another question than the one asked.
POINTS_SCORE_CEILING = 40.0
#: An answer that scores this much on the asked question's own rubric is doing what it
#: asks: the learned check never calls it off topic, whatever it sits near.
POINTS_SCORE_MAX = 60.0


@dataclass(frozen=True)
class PointsModel:
    mean: np.ndarray
    std: np.ndarray
    weights: np.ndarray
    bias: float
    #: Off topic from this probability up: chosen by cross-validation on the training split
    #: for few false alarms (an on-topic answer called off topic loses most of its score).
    threshold: float

    def probability(self, x: np.ndarray) -> float:
        z = float(((x - self.mean) / self.std) @ self.weights + self.bias)
        return 1.0 / (1.0 + float(np.exp(-z)))


@lru_cache(maxsize=1)
def points_model() -> PointsModel | None:
    """The fitted key-point check, or None when no model file ships (then it is skipped)."""
    if not POINTS_PATH.exists():
        return None
    data = json.loads(POINTS_PATH.read_text(encoding="utf-8"))
    if tuple(data["features"]) != POINT_FEATURES:
        raise ValueError("offtopic.json was fitted on other features: refit it")
    return PointsModel(
        np.array(data["mean"]),
        np.array(data["std"]),
        np.array(data["weights"]),
        float(data["bias"]),
        float(data["threshold"]),
    )


@dataclass(frozen=True)
class PointsInput:
    """What the key-point check reads of one graded answer to a pack's question."""

    pack: Pack
    round_id: str
    question_id: str | None
    #: The answer's sentence vectors.
    vectors: Vectors
    #: Share of the question's key points the answer covers (reference coverage).
    coverage: float
    #: Share of the asked criteria with at least one evidence sentence.
    evidence_share: float
    #: The grade's score, 0-100, before any off-topic cap.
    score: float
    sentences: Sequence[str] = ()


def point_features(answer: PointsInput) -> tuple[np.ndarray, tuple[Round, Prompt] | None, bool]:
    """The features of the key-point check, the nearest other question, and whether the
    answer is closer to it than to the one asked."""
    round_id, question_id = answer.round_id, answer.question_id
    prompts, sims = closeness(answer.pack, answer.vectors)
    asked = [
        i
        for i, (rnd, p) in enumerate(prompts)
        if rnd.id == round_id and (question_id is None or p.id == question_id)
    ]
    others = [i for i in range(len(prompts)) if i not in asked]
    same_round = [i for i in others if prompts[i][0].id == round_id]
    best_asked = float(sims[asked].max()) if asked else 0.0
    best_other = max(others, key=lambda i: float(sims[i])) if others else None
    other = float(sims[best_other]) if best_other is not None else best_asked
    in_round = max((float(sims[i]) for i in same_round), default=best_asked)
    x = np.array(
        [
            best_asked,
            other - best_asked,
            in_round - best_asked,
            answer.coverage,
            answer.evidence_share,
            answer.score / 100.0,
            (1.0 - answer.coverage) if deflects(answer.sentences) else 0.0,
        ]
    )
    nearest = prompts[best_other] if best_other is not None else None
    return x, nearest, other > best_asked


def judge_points(answer: PointsInput) -> Verdict:
    """Off topic by the question's own key points and rubric: an answer that covers few of
    the key points, does little of what the asked criteria ask, and sits nearer another
    question is answering something else (a learned check, see :data:`POINT_FEATURES`)."""
    model = points_model()
    if model is None or answer.vectors.shape[0] == 0:
        return Verdict(False)
    x, nearest, closer = point_features(answer)
    if model.probability(x) < model.threshold or answer.score >= POINTS_SCORE_MAX:
        return Verdict(False)
    # An answer that is nearest its own question and already passes is thin, not elsewhere,
    # unless it says itself that it turns to another subject.
    if not closer and answer.score > POINTS_SCORE_CEILING and not x[-1]:
        return Verdict(False)
    return Verdict(True, nearest if closer else None)
