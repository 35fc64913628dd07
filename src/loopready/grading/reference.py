"""Grading an answer against a reference answer or a list of key points.

For custom questions the user supplies what a good answer says, either as key
points or as a model answer (split here into key points: its sentences, with long
ones cut at clause boundaries). Each key point is compared with every sentence of
the answer by MiniLM cosine similarity and shared content words; a point counts as
covered when one answer sentence says it, and that sentence is quoted as evidence.

``coverage`` is a small logistic model over those matches and a few whole-answer
signals, fitted on the ``training`` split of SAF v2.0 (tutor-scored short answers;
Filighera et al., ACL 2022) by ``benchmarks/fit_reference.py``. Its weights are
in ``model/reference_model.json``.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel

from loopready.errors import InputError
from loopready.grading.base import CoveredPoint, ReferenceCoverage
from loopready.grading.embeddings import Embedder, get_embedder
from loopready.language.numbers import figures
from loopready.language.sentences import Span, sentence_spans
from loopready.language.words import content_words, words

MODEL_PATH = Path(__file__).parent / "model" / "reference_model.json"

#: Key points longer than this many words are cut at clause boundaries.
LONG_POINT_WORDS = 25
#: At most this many key points are graded (a longer list is an error the user can fix).
MAX_POINTS = 60

_CLAUSE_BREAK = re.compile(r";\s+|\s+[-–—]\s+|,\s+(?=(?:and|but|while|whereas|so|which)\s)")


class PointResult(BaseModel):
    """One key point: whether the answer covers it and the answer sentence closest to it."""

    point: str
    covered: bool
    similarity: float
    #: The closest answer sentence, quoted exactly ("" when the answer is empty).
    evidence: str


class ReferenceResult(ReferenceCoverage):
    """``coverage`` in [0, 1], ``score`` 0-100, covered points with evidence, missing points.

    ``points`` repeats every key point in its original order with its best match,
    so a missing point can show the sentence that came closest.
    """

    points: list[PointResult]
    #: Share of the key points marked covered (``coverage`` is the calibrated estimate).
    share_covered: float
    source: Literal["key_points", "reference"]


def key_points_from_reference(reference: str) -> list[str]:
    """Split a model answer into key points: its sentences and list items.

    Lead-ins that end with a colon ("Benefits:") are dropped; sentences longer than
    :data:`LONG_POINT_WORDS` words are cut at clause boundaries (";", " - ", ", and").
    """
    points: list[str] = []
    for sentence in (s.text for s in sentence_spans(reference)):
        if sentence.rstrip().endswith(":"):
            continue
        if len(sentence.split()) <= LONG_POINT_WORDS:
            points.append(sentence)
            continue
        pieces = [p.strip() for p in _CLAUSE_BREAK.split(sentence) if p and p.strip()]
        merged: list[str] = []
        for piece in pieces:
            # Keep clauses of two words or fewer with their neighbour.
            if merged and (len(piece.split()) <= 2 or len(merged[-1].split()) <= 2):
                merged[-1] = f"{merged[-1]}; {piece}"
            else:
                merged.append(piece)
        points.extend(merged)
    return [p for p in points if any(ch.isalnum() for ch in p)]


@dataclass
class Analysis:
    """How the answer's sentences line up with the key points, and the model's inputs."""

    points: list[str]
    sentences: list[Span]
    #: Cosine similarity of each point (rows) with each answer sentence (columns).
    similarity: NDArray[np.float32]
    #: Per point: best similarity, index of that sentence, share of its content words
    #: found anywhere in the answer.
    best: NDArray[np.float32]
    best_index: NDArray[np.int64]
    lexical: NDArray[np.float64]
    features: dict[str, float]


#: The features :func:`analyse` computes; the model uses some of them and their products.
FEATURES = (
    "sim_mean",
    "frac_70",
    "gain_mean",
    "gain_pos",
    "gain_frac_30",
    "lex_recall_novel",
    "num_recall",
    "lex_precision",
    "novel_vs_question",
    "support_mean",
    "log_words",
    "log_length_ratio",
    "log_sentences",
)
#: Features that need the question; without one they are set to their training mean.
QUESTION_FEATURES = ("novel_vs_question",)
#: Mean similarity of a key point to its question in the training data: the baseline the
#: ``gain`` features subtract when no question is given.
DEFAULT_QUESTION_SIMILARITY = 0.44


def analyse(
    answer: str,
    points: list[str],
    *,
    question: str | None = None,
    reference: str | None = None,
    embedder: Embedder | None = None,
    question_similarity: float = DEFAULT_QUESTION_SIMILARITY,
) -> Analysis:
    """Match ``answer`` against ``points``; compute every feature in :data:`FEATURES`.

    Features (each a float; ``best`` is a point's highest cosine with an answer sentence
    and ``gain`` is ``best`` minus the point's cosine with the question, i.e. what the
    answer adds over echoing the question):

    - ``sim_mean``, ``frac_70``: mean ``best``; share of points with ``best`` >= 0.7
    - ``gain_mean``, ``gain_pos``, ``gain_frac_30``: mean gain, mean positive gain,
      share of points with gain > 0.3
    - ``lex_recall_novel``: share of the reference's content words (not in the question)
      that the answer uses; ``num_recall``: the same for numbers
    - ``lex_precision``: share of the answer's content words found in reference or question
    - ``novel_vs_question``: share of the answer's content words not in the question
      (``nan`` without a question)
    - ``support_mean``: mean over answer sentences of their best point similarity
    - ``log_words``, ``log_length_ratio``, ``log_sentences``: answer size, and its size
      relative to the reference
    """
    emb = embedder or get_embedder()
    spans = sentence_spans(answer)
    texts = [s.text for s in spans]
    ref_text = reference if reference is not None else " ".join(points)
    point_vecs = emb.embed(points)
    n_p = len(points)
    if question:
        q_sim = (point_vecs @ emb.embed([question])[0]).astype(np.float64)
    else:
        q_sim = np.full(n_p, question_similarity)
    if spans:
        sim = np.asarray(point_vecs @ emb.embed(texts).T, dtype=np.float32)
        best_index = sim.argmax(axis=1).astype(np.int64)
        best = sim.max(axis=1).astype(np.float32)
    else:
        sim = np.zeros((n_p, 0), dtype=np.float32)
        best = np.zeros(n_p, dtype=np.float32)
        best_index = np.zeros(n_p, dtype=np.int64)

    answer_words = set(content_words(answer))
    question_words = set(content_words(question or ""))
    point_words = [set(content_words(p)) - question_words or set(content_words(p)) for p in points]
    lexical = np.array(
        [len(pw & answer_words) / len(pw) if pw else 0.0 for pw in point_words], dtype=np.float64
    )
    ref_words = set(content_words(ref_text))
    novel_ref = ref_words - question_words
    ref_numbers = figures(ref_text) - figures(question or "")
    n_words = len(words(answer))

    gain = best.astype(np.float64) - q_sim
    f: dict[str, float] = {
        "sim_mean": float(best.mean()),
        "frac_70": float((best >= 0.7).mean()),
        "gain_mean": float(gain.mean()),
        "gain_pos": float(np.maximum(gain, 0.0).mean()),
        "gain_frac_30": float((gain > 0.3).mean()),
        "lex_recall_novel": len(novel_ref & answer_words) / len(novel_ref) if novel_ref else 0.0,
        "num_recall": (
            len(ref_numbers & figures(answer)) / len(ref_numbers) if ref_numbers else 0.0
        ),
        "lex_precision": (
            len(answer_words & (ref_words | question_words)) / len(answer_words)
            if answer_words
            else 0.0
        ),
        "novel_vs_question": (
            (len(answer_words - question_words) / len(answer_words) if answer_words else 0.0)
            if question
            else math.nan
        ),
        "support_mean": float(sim.max(axis=0).mean()) if spans else 0.0,
        "log_words": math.log1p(n_words),
        "log_length_ratio": math.log((n_words + 1) / max(1, len(words(ref_text)))),
        "log_sentences": math.log1p(len(spans)),
    }
    return Analysis(points, spans, sim, best, best_index, lexical, f)


def feature_value(features: dict[str, float], name: str) -> float:
    """A feature by name; ``"a*b"`` is the product of features ``a`` and ``b``."""
    value = 1.0
    for part in name.split("*"):
        value *= features[part]
    return value


@dataclass(frozen=True)
class ReferenceModel:
    """The fitted logistic model: standardised, clipped features -> coverage in [0, 1]."""

    features: tuple[str, ...]
    mean: NDArray[np.float64]
    scale: NDArray[np.float64]
    #: Training range of each feature; inputs are clipped to it (no extrapolation).
    low: NDArray[np.float64]
    high: NDArray[np.float64]
    coef: NDArray[np.float64]
    intercept: float
    #: A point is covered when ``similarity + lexical_weight * word_overlap >= threshold``.
    cover_threshold: float
    lexical_weight: float
    question_similarity: float
    meta: dict[str, Any]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReferenceModel:
        def arr(key: str) -> NDArray[np.float64]:
            return np.asarray(data[key], dtype=np.float64)

        return cls(
            features=tuple(data["features"]),
            mean=arr("mean"),
            scale=arr("scale"),
            low=arr("low"),
            high=arr("high"),
            coef=arr("coef"),
            intercept=float(data["intercept"]),
            cover_threshold=float(data["cover_threshold"]),
            lexical_weight=float(data["lexical_weight"]),
            question_similarity=float(data["question_similarity"]),
            meta=dict(data.get("meta", {})),
        )

    def to_dict(self) -> dict[str, Any]:
        def rounded(values: NDArray[np.float64]) -> list[float]:
            return [round(float(x), 6) for x in values]

        return {
            "features": list(self.features),
            "mean": rounded(self.mean),
            "scale": rounded(self.scale),
            "low": rounded(self.low),
            "high": rounded(self.high),
            "coef": rounded(self.coef),
            "intercept": round(self.intercept, 6),
            "cover_threshold": round(self.cover_threshold, 4),
            "lexical_weight": round(self.lexical_weight, 4),
            "question_similarity": round(self.question_similarity, 4),
            "meta": self.meta,
        }

    def point_scores(self, analysis: Analysis) -> NDArray[np.float64]:
        """Per key point: similarity plus weighted word overlap (compared with the threshold)."""
        return analysis.best.astype(np.float64) + self.lexical_weight * analysis.lexical

    def vector(self, features: dict[str, float]) -> NDArray[np.float64]:
        """The model's inputs, standardised; missing (NaN) features count as average (0)."""
        x = np.array([feature_value(features, n) for n in self.features], dtype=np.float64)
        x = np.where(np.isnan(x), self.mean, x)
        z: NDArray[np.float64] = (np.clip(x, self.low, self.high) - self.mean) / self.scale
        return z

    def predict(self, features: dict[str, float]) -> float:
        """Coverage in [0, 1] for one answer's features."""
        z = float(self.vector(features) @ self.coef) + self.intercept
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))


@cache
def load_model(with_question: bool = True, path: Path = MODEL_PATH) -> ReferenceModel:
    """The shipped model for answers with (or without) their question (read once)."""
    document = json.loads(path.read_text(encoding="utf-8"))
    key = "with_question" if with_question else "without_question"
    return ReferenceModel.from_dict({**document[key], "meta": document.get("meta", {})})


def _clean_points(key_points: list[str]) -> list[str]:
    points = [" ".join(p.split()) for p in key_points if p and p.strip()]
    return list(dict.fromkeys(points))  # drop exact repeats, keep order


def grade_reference(
    answer: str,
    reference: str | None = None,
    key_points: list[str] | None = None,
    question: str | None = None,
    *,
    model: ReferenceModel | None = None,
) -> ReferenceResult:
    """How much of the reference ``answer`` covers, with the sentences that show it.

    Give ``key_points`` (preferred: one idea each) or a ``reference`` answer, which
    is split into key points; with both, the key points are graded and the reference
    adds vocabulary. ``question`` helps when it asks for a number of items ("give
    two reasons").

    >>> r = grade_reference("We cut churn by calling users who stopped logging in.",
    ...                     key_points=["Reduce churn", "Win back inactive users"])
    >>> 0 <= r.score <= 100
    True
    """
    if key_points is not None:
        points = _clean_points(key_points)
        source: Literal["key_points", "reference"] = "key_points"
    elif reference is not None:
        points = key_points_from_reference(reference)
        source = "reference"
    else:
        raise InputError("reference grading needs a reference answer or a list of key points")
    if not points:
        raise InputError("the reference answer / key points are empty: give at least one key point")
    if len(points) > MAX_POINTS:
        raise InputError(
            f"{len(points)} key points is too many to grade against (at most {MAX_POINTS}): "
            "merge or shorten them"
        )
    mdl = model or load_model(with_question=bool(question and question.strip()))
    analysis = analyse(
        answer,
        points,
        question=question,
        reference=reference,
        question_similarity=mdl.question_similarity,
    )
    coverage = mdl.predict(analysis.features) if analysis.sentences else 0.0
    scores = mdl.point_scores(analysis)
    results: list[PointResult] = []
    covered: list[CoveredPoint] = []
    missing: list[str] = []
    for j, point in enumerate(points):
        evidence = (
            analysis.sentences[int(analysis.best_index[j])].text if analysis.sentences else ""
        )
        is_covered = bool(analysis.sentences) and bool(scores[j] >= mdl.cover_threshold)
        sim = round(float(analysis.best[j]), 3)
        results.append(
            PointResult(point=point, covered=is_covered, similarity=sim, evidence=evidence)
        )
        if is_covered:
            covered.append(CoveredPoint(point=point, evidence=evidence, similarity=sim))
        else:
            missing.append(point)
    return ReferenceResult(
        coverage=round(coverage, 4),
        score=round(100 * coverage, 1),
        covered=covered,
        missing=missing,
        points=results,
        share_covered=round(len(covered) / len(points), 4),
        source=source,
    )
