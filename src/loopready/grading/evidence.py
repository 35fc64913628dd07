"""Evidence that supports the score: which sentences do what each criterion asks.

A sentence is evidence for a criterion only when it does what the criterion asks,
not when it shares its vocabulary. For every (sentence, criterion) pair a small
logistic model reads eight numbers: how close the sentence is to the criterion's
strong exemplars, how much closer than to its weak ones, how much closer than to
the *other* criteria's strong exemplars (a sentence about metrics is not evidence
for the rollout), whether one of the criterion's language signals fired in it,
whether it elaborates (a reason, a rule, a commitment) or is a bare list, how
on-topic and how long it is. The model is shared by every criterion, so a new
pack's criteria work without refitting; its weights are ``model/evidence.json``,
refitted from our sentence-level labels (training split only) by
``benchmarks/fit_evidence.py``.

A sentence serves the one criterion it fits best, and another only when it fits that
one almost as surely (:data:`ALSO_PROBABILITY`), or when that criterion would otherwise
have no evidence and the sentence does what it asks too (then at most two criteria).
Sentences that show a blind spot (or a red flag) are never evidence:
:func:`excluded_sentences` builds that set once; nor are bare lists (``depth.py``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from loopready.grading.depth import Depth
from loopready.grading.embeddings import Vectors
from loopready.grading.exemplars import RoundBank
from loopready.grading.signals import Analysis
from loopready.packs.schema import Round

PATH = Path(__file__).parent / "model" / "evidence.json"

FEATURES = (
    "strong",  # best similarity to the criterion's strong exemplars
    "margin",  # that minus the best similarity to its weak exemplars
    "distinct",  # that minus the best similarity to any other criterion's strong exemplars
    "signal",  # one of the criterion's language signals fired in the sentence
    "elaborated",  # a reason, a rule, a number tied to a decision, an owner with a date
    "bare",  # a bare list of terms or a fragment
    "topic",  # how on-topic the sentence is for the round
    "length",  # words, up to 40, as a share of 40
    "learned",  # best similarity to labelled sentences that do what the criterion asks
    "learned_margin",  # that minus the best similarity to labelled sentences that do not
    "learned_distinct",  # "learned" minus the same for the round's other criteria
)
#: The features that need no labelled sentences (exemplars, signals, shape).
EXEMPLAR_FEATURES = 8
#: A sentence is evidence for a criterion from this probability up.
THRESHOLD = 0.5
#: ... and for a further criterion only at this probability or more.
ALSO_PROBABILITY = 0.8
MAX_QUOTES = 3


@dataclass(frozen=True)
class Examples:
    """Labelled sentences of one round (training split): their vectors, which criteria
    each supports, and the answer each comes from (left out when fitting on that answer)."""

    vectors: Vectors
    criteria: tuple[frozenset[str], ...]
    answers: tuple[str, ...]

    @property
    def answers_array(self) -> np.ndarray:
        return np.array(self.answers)

    def supports(self, criterion_id: str) -> np.ndarray:
        """Which examples support the criterion (a boolean mask, cached)."""
        return _mask(self.criteria, criterion_id)


@dataclass(frozen=True)
class EvidenceModel:
    mean: np.ndarray
    std: np.ndarray
    weights: np.ndarray
    bias: float
    threshold: float = THRESHOLD
    #: round id -> [{"text", "criteria", "answer"}]: the labelled training sentences
    examples: tuple[tuple[str, tuple[tuple[str, tuple[str, ...], str], ...]], ...] = ()
    #: The same model fitted on the exemplar features only (the first
    #: :data:`EXEMPLAR_FEATURES`), for rounds with no labelled sentences (a new pack's).
    exemplar_only: EvidenceModel | None = None

    def examples_for(self, round_id: str) -> Examples | None:
        """The round's labelled sentences, embedded once per process (None: none known)."""
        items = dict(self.examples).get(round_id)
        if not items:
            return None
        return _embedded(items)

    def probability(self, x: np.ndarray) -> np.ndarray:
        """P(the sentence does what the criterion asks). Without labelled sentences for the
        round (the learned features are NaN) the exemplar-only model answers."""
        if self.exemplar_only is not None and x.size and np.isnan(x[..., -1]).all():
            return self.exemplar_only.probability(x[..., :EXEMPLAR_FEATURES])
        standard = np.nan_to_num((x - self.mean) / self.std, nan=0.0)
        z = standard @ self.weights + self.bias
        out: np.ndarray = 1.0 / (1.0 + np.exp(-z))
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EvidenceModel:
        if tuple(data["features"]) != FEATURES:
            raise ValueError("evidence.json was fitted on other features: refit it")
        examples = tuple(
            (
                round_id,
                tuple((e["text"], tuple(e["criteria"]), e["answer"]) for e in items),
            )
            for round_id, items in sorted(data.get("examples", {}).items())
        )
        base = data.get("exemplar_only")
        return cls(
            np.array(data["mean"], dtype=np.float64),
            np.array(data["std"], dtype=np.float64),
            np.array(data["weights"], dtype=np.float64),
            float(data["bias"]),
            float(data.get("threshold", THRESHOLD)),
            examples,
            None
            if base is None
            else cls(
                np.array(base["mean"], dtype=np.float64),
                np.array(base["std"], dtype=np.float64),
                np.array(base["weights"], dtype=np.float64),
                float(base["bias"]),
            ),
        )


@cache
def _mask(criteria: tuple[frozenset[str], ...], criterion_id: str) -> np.ndarray:
    return np.array([criterion_id in c for c in criteria], dtype=bool)


@cache
def _embedded(items: tuple[tuple[str, tuple[str, ...], str], ...]) -> Examples:
    from loopready.grading.embeddings import get_embedder

    vectors = get_embedder().embed([text for text, _, _ in items], persist=True)
    return Examples(
        vectors,
        tuple(frozenset(c) for _, c, _ in items),
        tuple(a for _, _, a in items),
    )


@cache
def load(path: Path = PATH) -> EvidenceModel:
    return EvidenceModel.from_dict(json.loads(path.read_text(encoding="utf-8")))


def excluded_sentences(*findings: Iterable[Any]) -> frozenset[int]:
    """Sentences never quoted as positive evidence: those that show a blind spot or a red
    flag. Pass any number of finding lists; each finding has a ``sentence_index``."""
    out: set[int] = set()
    for group in findings:
        for f in group:
            out.add(int(f.sentence_index))
            out.update(int(i) for i in getattr(f, "also", ()))
    return frozenset(out)


def pair_features(
    rnd: Round,
    bank: RoundBank,
    vectors: Vectors,
    analysis: Analysis,
    depth: Depth,
    topic_per_sentence: np.ndarray,
    sentences: Sequence[str],
    examples: Examples | None = None,
    leave_out: str | None = None,
) -> np.ndarray:
    """The features of every (sentence, criterion) pair: shape (sentences, criteria,
    features). ``examples`` are the round's labelled sentences (``leave_out``: the id of
    an answer whose own sentences must not be compared with it, when fitting)."""
    n, ids = vectors.shape[0], [c.id for c in rnd.rubric.criteria]
    out = np.zeros((n, len(ids), len(FEATURES)), dtype=np.float64)
    if n == 0:
        return out
    strong = np.stack([(vectors @ bank.criteria[c].strong.T).max(axis=1) for c in ids], axis=1)
    weak = np.stack([(vectors @ bank.criteria[c].weak.T).max(axis=1) for c in ids], axis=1)
    signal_sentences: dict[str, set[int]] = {}
    for signal, hits in analysis.hits.items():
        signal_sentences[signal] = {h.sentence_index for h in hits}
    lengths = np.array([min(len(s.split()), 40) / 40.0 for s in sentences])
    elaborated = np.zeros(n)
    elaborated[[i for i in depth.elaborated if i < n]] = 1.0
    bare = np.zeros(n)
    bare[[i for i in depth.bare if i < n]] = 1.0
    best_other = np.zeros((n, len(ids)))
    for j in range(len(ids)):
        others = np.delete(strong, j, axis=1)
        best_other[:, j] = others.max(axis=1) if others.shape[1] else 0.0
    for j, criterion in enumerate(rnd.rubric.criteria):
        fired: set[int] = set()
        for signal in criterion.signals:
            fired |= signal_sentences.get(signal, set())
        out[:, j, 3][[i for i in fired if i < n]] = 1.0
    out[:, :, 0] = strong
    out[:, :, 1] = strong - weak
    out[:, :, 2] = strong - best_other
    out[:, :, 4] = elaborated[:, None]
    out[:, :, 5] = bare[:, None]
    out[:, :, 6] = topic_per_sentence[:n, None]
    out[:, :, 7] = lengths[:, None]
    if examples is None:
        out[:, :, 8:] = np.nan  # no labelled sentences for this round: unknown, not zero
        return out
    sims = vectors @ examples.vectors.T
    keep = examples.answers_array != leave_out if leave_out else None
    learned = np.zeros((n, len(ids)))
    for j, cid in enumerate(ids):
        pos = examples.supports(cid)
        if keep is not None:
            pos = pos & keep
        neg = ~examples.supports(cid) if keep is None else ~examples.supports(cid) & keep
        best_pos = sims[:, pos].max(axis=1) if pos.any() else np.zeros(n)
        best_neg = sims[:, neg].max(axis=1) if neg.any() else np.zeros(n)
        out[:, j, 8] = best_pos
        out[:, j, 9] = best_pos - best_neg
        learned[:, j] = best_pos
    for j in range(len(ids)):
        others = np.delete(learned, j, axis=1)
        out[:, j, 10] = learned[:, j] - (others.max(axis=1) if others.shape[1] else 0.0)
    return out


@dataclass(frozen=True)
class Judgement:
    """Which sentences serve which criterion."""

    criteria: tuple[str, ...]
    #: P(sentence i does what criterion j asks), shape (sentences, criteria)
    probability: np.ndarray
    #: criterion id -> the sentences that serve it, most probable first
    assigned: dict[str, list[int]]

    def best(self, criterion_id: str) -> float:
        """The probability of the criterion's best evidence sentence (0 when it has none)."""
        chosen = self.assigned.get(criterion_id, [])
        if not chosen:
            return 0.0
        j = self.criteria.index(criterion_id)
        return float(self.probability[chosen[0], j])

    def quotes(self, criterion_id: str) -> list[int]:
        """At most :data:`MAX_QUOTES` sentences to quote, in answer order."""
        return sorted(self.assigned.get(criterion_id, [])[:MAX_QUOTES])


def judge(
    features: np.ndarray,
    criteria: Sequence[str],
    excluded: frozenset[int] = frozenset(),
    model: EvidenceModel | None = None,
) -> Judgement:
    """Give each sentence to the criterion it serves best (and to others only when it
    serves them almost as surely); excluded sentences serve none."""
    mdl = model or load()
    n = features.shape[0]
    prob = mdl.probability(features) if n else np.zeros((0, len(criteria)))
    assigned: dict[str, list[int]] = {c: [] for c in criteria}
    for i in range(n):
        if i in excluded:
            continue
        row = prob[i]
        top = int(np.argmax(row))
        for j, cid in enumerate(criteria):
            p = float(row[j])
            if p < mdl.threshold:
                continue
            if j == top or p >= ALSO_PROBABILITY:
                assigned[cid].append(i)
    # A criterion left with nothing may share the sentence that serves it best, when that
    # sentence does what it asks too and serves no more than one other criterion.
    uses = {i: sum(i in chosen for chosen in assigned.values()) for i in range(n)}
    for j, cid in enumerate(criteria):
        if assigned[cid] or n == 0:
            continue
        order = [int(i) for i in np.argsort(-prob[:, j]) if int(i) not in excluded]
        if order and prob[order[0], j] >= mdl.threshold and uses[order[0]] < 2:
            assigned[cid].append(order[0])
            uses[order[0]] += 1
    for j, cid in enumerate(criteria):
        column = prob[:, j]
        assigned[cid].sort(key=lambda i: -float(column[i]))
    return Judgement(tuple(criteria), prob, assigned)
