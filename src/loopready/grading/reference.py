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
from loopready.grading.text import NEGATIONS, Span, content_words, sentence_spans, words

MODEL_PATH = Path(__file__).parent / "model" / "reference_model.json"

#: Key points longer than this many words are cut at clause boundaries.
LONG_POINT_WORDS = 25
#: At most this many key points are graded (a longer list is an error the user can fix).
MAX_POINTS = 60

_CLAUSE_BREAK = re.compile(r";\s+|\s+[-–—]\s+|,\s+(?=(?:and|but|while|whereas|so|which)\s)")
_REQUESTED = re.compile(
    r"\b(?:at least |exactly |any )?(one|two|three|four|five|six|\d)\b"
    r"(?= (?:\w+ ){0,2}?(?:reasons?|benefits?|drawbacks?|advantages?|disadvantages?|examples?|"
    r"differences?|challenges?|methods?|ways?|risks?|metrics?|objectives?|phases?|modes?|"
    r"tasks?|classes?|properties|property|steps?|points?|factors?|things?|ideas?|options?|"
    r"trade-?offs?|features?|types?|goals?|signals?|questions?|causes?))",
    re.IGNORECASE,
)
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


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


def requested_count(question: str | None) -> int | None:
    """How many items the question asks for ("give two reasons" -> 2), if it says."""
    if not question:
        return None
    counts = [
        _NUMBER_WORDS.get(m.group(1).lower()) or int(m.group(1))
        for m in _REQUESTED.finditer(question)
        if m.group(1).lower() in _NUMBER_WORDS or m.group(1).isdigit()
    ]
    total = sum(c for c in counts if c > 0)
    return total or None


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


def _negated(text: str) -> bool:
    return any(w in NEGATIONS for w in words(text))


def analyse(
    answer: str,
    points: list[str],
    *,
    question: str | None = None,
    reference: str | None = None,
    embedder: Embedder | None = None,
) -> Analysis:
    """Match ``answer`` against ``points`` and compute every feature the model may use."""
    emb = embedder or get_embedder()
    spans = sentence_spans(answer)
    texts = [s.text for s in spans]
    ref_text = reference if reference is not None else " ".join(points)
    point_vecs = emb.embed(points)
    n_p = len(points)
    if not spans:
        sim = np.zeros((n_p, 0), dtype=np.float32)
        best = np.zeros(n_p, dtype=np.float32)
        best_index = np.zeros(n_p, dtype=np.int64)
    else:
        sent_vecs = emb.embed(texts)
        sim = np.asarray(point_vecs @ sent_vecs.T, dtype=np.float32)
        best_index = sim.argmax(axis=1).astype(np.int64)
        best = sim.max(axis=1).astype(np.float32)

    answer_words = set(content_words(answer))
    point_words = [set(content_words(p)) for p in points]
    lexical = np.array(
        [len(pw & answer_words) / len(pw) if pw else 0.0 for pw in point_words], dtype=np.float64
    )
    ref_words = set(content_words(ref_text))
    question_words = set(content_words(question or ""))
    answer_tokens = words(answer)
    n_words = len(answer_tokens)
    ref_n_words = max(1, len(words(ref_text)))

    f: dict[str, float] = {}
    f["sim_mean"] = float(best.mean()) if n_p else 0.0
    f["sim_max"] = float(best.max()) if n_p else 0.0
    f["sim_min"] = float(best.min()) if n_p else 0.0
    for t in (0.5, 0.6, 0.7):
        f[f"frac_{int(t * 100)}"] = float((best >= t).mean()) if n_p else 0.0
    k = requested_count(question)
    top = np.sort(best)[::-1]
    kk = min(n_p, k) if k else max(1, math.ceil(n_p / 2))
    f["sim_topk"] = float(top[:kk].mean()) if n_p else 0.0
    f["lex_point_mean"] = float(lexical.mean()) if n_p else 0.0
    f["lex_recall"] = len(ref_words & answer_words) / len(ref_words) if ref_words else 0.0
    on_topic = ref_words | question_words
    novel_ref = ref_words - question_words
    f["lex_recall_novel"] = len(novel_ref & answer_words) / len(novel_ref) if novel_ref else 0.0
    novel_points = [pw - question_words for pw in point_words]
    f["lex_point_novel_mean"] = (
        float(np.mean([len(pw & answer_words) / len(pw) if pw else 0.0 for pw in novel_points]))
        if n_p
        else 0.0
    )
    f["lex_precision"] = len(answer_words & on_topic) / len(answer_words) if answer_words else 0.0
    f["novel_vs_question"] = (
        len(answer_words - question_words) / len(answer_words) if answer_words else 0.0
    )
    if spans:
        sent_vecs = emb.embed(texts)
        a_mean = sent_vecs.mean(axis=0)
        a_mean /= max(float(np.linalg.norm(a_mean)), 1e-12)
        p_mean = point_vecs.mean(axis=0)
        p_mean /= max(float(np.linalg.norm(p_mean)), 1e-12)
        f["doc_cos"] = float(a_mean @ p_mean)
        # How much of the answer is about the reference: best point for each sentence.
        f["support_mean"] = float(sim.max(axis=0).mean())
        if question:
            q_vec = emb.embed([question])[0]
            f["question_cos"] = float(a_mean @ q_vec)
            # What merely echoing the question would score: each point's similarity to it.
            q_sim = point_vecs @ q_vec
            f["question_point_sim"] = float(q_sim.mean())
            f["gain_mean"] = float((best - q_sim).mean())
            f["gain_pos"] = float(np.maximum(best - q_sim, 0).mean())
        else:
            f["question_cos"] = f["question_point_sim"] = 0.0
            f["gain_mean"] = f["gain_pos"] = f["sim_mean"]
        mismatch = [
            float(_negated(points[j]) != _negated(texts[int(best_index[j])])) for j in range(n_p)
        ]
        f["negation_mismatch"] = float(np.mean(mismatch)) if mismatch else 0.0
    else:
        for name in ("doc_cos", "support_mean", "question_cos", "negation_mismatch"):
            f[name] = 0.0
        for name in ("question_point_sim", "gain_mean", "gain_pos"):
            f[name] = 0.0
    f["log_words"] = math.log1p(n_words)
    f["log_length_ratio"] = math.log((n_words + 1) / ref_n_words)
    f["log_points"] = math.log(max(1, n_p))
    f["n_sentences"] = float(len(spans))
    return Analysis(points, spans, sim, best, best_index, lexical, f)


@dataclass(frozen=True)
class ReferenceModel:
    """The fitted logistic model: standardised features -> coverage in [0, 1]."""

    features: tuple[str, ...]
    mean: NDArray[np.float64]
    scale: NDArray[np.float64]
    coef: NDArray[np.float64]
    intercept: float
    #: A point is covered when ``similarity + lexical_weight * word_overlap >= threshold``.
    cover_threshold: float
    lexical_weight: float
    meta: dict[str, Any]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReferenceModel:
        return cls(
            features=tuple(data["features"]),
            mean=np.asarray(data["mean"], dtype=np.float64),
            scale=np.asarray(data["scale"], dtype=np.float64),
            coef=np.asarray(data["coef"], dtype=np.float64),
            intercept=float(data["intercept"]),
            cover_threshold=float(data["cover_threshold"]),
            lexical_weight=float(data["lexical_weight"]),
            meta=dict(data.get("meta", {})),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "features": list(self.features),
            "mean": [round(float(x), 6) for x in self.mean],
            "scale": [round(float(x), 6) for x in self.scale],
            "coef": [round(float(x), 6) for x in self.coef],
            "intercept": round(self.intercept, 6),
            "cover_threshold": round(self.cover_threshold, 4),
            "lexical_weight": round(self.lexical_weight, 4),
            "meta": self.meta,
        }

    def point_scores(self, analysis: Analysis) -> NDArray[np.float64]:
        """Per key point: similarity plus weighted word overlap (compared with the threshold)."""
        return analysis.best.astype(np.float64) + self.lexical_weight * analysis.lexical

    def predict(self, features: dict[str, float]) -> float:
        x = np.array([features[name] for name in self.features], dtype=np.float64)
        z = float(((x - self.mean) / self.scale) @ self.coef) + self.intercept
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))


@cache
def load_model(path: Path = MODEL_PATH) -> ReferenceModel:
    """The shipped reference model (read once per process)."""
    return ReferenceModel.from_dict(json.loads(path.read_text(encoding="utf-8")))


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
    mdl = model or load_model()
    analysis = analyse(answer, points, question=question, reference=reference)
    if not analysis.sentences:
        coverage = 0.0
    else:
        coverage = mdl.predict(analysis.features)
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
        source=source,
    )
