"""Numbers the calibration layer reads: per criterion, and for the answer as a whole.

Everything here is measured per sentence and then summarised by *best* or *share*,
never by sums, so a longer answer does not score higher for being longer, and a
list of buzzwords does not earn the credit that a decision, a threshold or a causal
link earns.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from loopready.grading.embeddings import Vectors
from loopready.grading.exemplars import RoundBank
from loopready.grading.signals import Analysis
from loopready.language.phrases import find_phrases
from loopready.packs.schema import Pack, Round

#: Signals that show judgement (a choice, a rule, a reason), as opposed to vocabulary.
JUDGEMENT = (
    "decision",
    "metric_prioritised",
    "outcome_link",
    "threshold_action",
    "tradeoff",
    "owner_next_step",
    "stop_rule",
    "date_commitment",
    "rollout_phase",
    "quantified_result",
    "structure",
    "acknowledgement",
)
#: Signals that show vocabulary: easy to stuff into an answer.
VOCABULARY = ("metric_named", "pipeline", "experiment", "drift_monitoring")

CRITERION_FEATURES = (
    "sem_top",
    "margin",
    "signal_share",
    "signal_sentences",
    "topic",
    "evidence",  # probability of the best sentence that does what the criterion asks
    "evidence_depth",  # the same among sentences that elaborate (grading/evidence.py)
)
ANSWER_FEATURES = (
    "criteria_mean",  # calibrated criterion labels, weighted by the rubric and the focus
    "signal_coverage",  # share of each criterion's signals present, weighted the same way
    "focus_expected",  # calibrated labels of the criteria the question is about, only
    "judgement",  # share of judgement-signal kinds present
    "judgement_share",  # share of sentences that carry judgement
    "specificity",  # share of sentences with a number or quantity
    "buzz",  # stock phrases per 100 words
    "hedges",  # hedges per 100 words
    "margin",  # mean over criteria of the best strong-minus-weak exemplar margin
    "strong_share",  # share of sentences closer to strong exemplars than to weak ones
    "blind_similarity",  # best similarity of any sentence to a blind spot's examples
    "blind_spots",  # blind spots detected (capped)
    "stuffing",  # metric names and ML terms per sentence, discounted by judgement
    "redundancy",  # how much the answer repeats itself
    "stakeholder_gaps",  # share of the round's personas whose concern goes unaddressed
    "bare_share",  # share of sentences that are bare lists or fragments (grading/depth.py)
)


@dataclass
class CriterionFeatures:
    id: str
    values: dict[str, float]
    #: per sentence: similarity to strong exemplars, with the criterion's signals
    strong_sim: np.ndarray
    signal_sentences: set[int] = field(default_factory=set)

    def vector(self) -> list[float]:
        return [self.values[name] for name in CRITERION_FEATURES]


@dataclass
class AnswerFeatures:
    criteria: dict[str, CriterionFeatures]
    values: dict[str, float]
    topic_per_sentence: np.ndarray


def _top_mean(values: np.ndarray, k: int) -> float:
    if values.size == 0:
        return 0.0
    top = np.sort(values)[-k:]
    return float(top.mean())


def topicality(sentence_vectors: Vectors, bank: RoundBank) -> np.ndarray:
    """For each sentence, its best similarity to anything the round is about."""
    if sentence_vectors.shape[0] == 0:
        return np.zeros(0, dtype=np.float32)
    sims: np.ndarray = sentence_vectors @ bank.topic.T
    best: np.ndarray = sims.max(axis=1)
    return best


def redundancy(sentence_vectors: Vectors) -> float:
    """Mean best similarity of each sentence to another one: high when the answer repeats."""
    n = sentence_vectors.shape[0]
    if n < 2:
        return 0.0
    sims = sentence_vectors @ sentence_vectors.T
    np.fill_diagonal(sims, -1.0)
    return float(sims.max(axis=1).mean())


def criterion_features(
    rnd: Round,
    bank: RoundBank,
    sentence_vectors: Vectors,
    analysis: Analysis,
    topic: float,
) -> dict[str, CriterionFeatures]:
    n = sentence_vectors.shape[0]
    out: dict[str, CriterionFeatures] = {}
    for criterion in rnd.rubric.criteria:
        cb = bank.criteria[criterion.id]
        if n:
            strong = (sentence_vectors @ cb.strong.T).max(axis=1)
            weak = (sentence_vectors @ cb.weak.T).max(axis=1)
        else:
            strong = weak = np.zeros(0, dtype=np.float32)
        hits: set[int] = set()
        present = 0
        for signal in criterion.signals:
            found = analysis.hits.get(signal, [])
            if found:
                present += 1
            hits.update(h.sentence_index for h in found)
        share = present / len(criterion.signals) if criterion.signals else 0.0
        values = {
            "sem_top": _top_mean(strong, 2),
            "margin": float((strong - weak).max()) if n else 0.0,
            "signal_share": share,
            "signal_sentences": min(len(hits), 3) / 3.0,
            "topic": topic,
            "evidence": 0.0,
            "evidence_depth": 0.0,
        }
        out[criterion.id] = CriterionFeatures(criterion.id, values, strong, hits)
    return out


def answer_features(
    criteria_expected: dict[str, float],
    weights: dict[str, float],
    sentences: list[str],
    analysis: Analysis,
    sentence_vectors: Vectors,
    bank: RoundBank,
    criteria: dict[str, CriterionFeatures],
    blind_spot_count: int,
    stakeholder_gaps: float = 0.0,
) -> dict[str, float]:
    """Answer-level features, each a share, a density or a best value, never a raw count."""
    from loopready.grading.delivery import hedge_counts
    from loopready.grading.style import buzz_per_100_words, specificity, word_count

    n = max(sentence_vectors.shape[0], 1)
    total_weight = sum(weights.values()) or 1.0
    criteria_mean = sum(criteria_expected[c] * w for c, w in weights.items()) / total_weight
    judgement_kinds = sum(1 for s in JUDGEMENT if analysis.hits.get(s))
    judgement_sentences = {h.sentence_index for s in JUDGEMENT for h in analysis.hits.get(s, [])}
    distinct_metrics = len({m.name.lower() for m in analysis.metrics})
    stuffing = (distinct_metrics + len(analysis.jargon)) / n
    stuffing *= 1.0 - min(len(judgement_sentences) / n * 2.0, 1.0)
    words = max(word_count(sentences), 1)
    hedges = 100.0 * sum(hedge_counts(sentences).values()) / words
    if sentence_vectors.shape[0]:
        strong = np.max(
            np.stack([(sentence_vectors @ c.strong.T).max(axis=1) for c in bank.criteria.values()]),
            axis=0,
        )
        weak = np.max(
            np.stack([(sentence_vectors @ c.weak.T).max(axis=1) for c in bank.criteria.values()]),
            axis=0,
        )
        strong_share = float((strong > weak).mean())
        blind_similarity = max(
            (float((sentence_vectors @ v.T).max()) for v in bank.blind_spots.values()),
            default=0.0,
        )
    else:
        strong_share = blind_similarity = 0.0
    margin = float(np.mean([f.values["margin"] for f in criteria.values()])) if criteria else 0.0
    focus = [c for c, w in weights.items() if w >= max(weights.values()) * 0.5]
    focus_expected = sum(criteria_expected[c] for c in focus) / max(len(focus), 1)
    coverage = (
        sum(criteria[c].values["signal_share"] * w for c, w in weights.items()) / total_weight
    )
    return {
        "criteria_mean": criteria_mean / 2.0,
        "signal_coverage": coverage,
        "focus_expected": focus_expected / 2.0,
        "judgement": judgement_kinds / len(JUDGEMENT),
        "judgement_share": len(judgement_sentences) / n,
        "specificity": specificity(sentences),
        "buzz": buzz_per_100_words(sentences),
        "hedges": hedges,
        "margin": margin,
        "strong_share": strong_share,
        "blind_similarity": blind_similarity,
        "blind_spots": float(min(blind_spot_count, 3)),
        "stuffing": min(stuffing, 2.0),
        "redundancy": redundancy(sentence_vectors),
        "stakeholder_gaps": stakeholder_gaps,
    }


def stakeholder_gaps(pack: Pack, rnd: Round, text: str, question_id: str | None = None) -> float:
    """Share of the personas in the room whose concern the answer never addresses (0 when
    there are none): in the room, each of them would push back. When the question is known
    and names its own panel (``prompt.panel``), that panel is the room; otherwise the
    round's personas."""
    prompt = next((p for p in rnd.prompts if p.id == question_id), None) if question_id else None
    room = list(prompt.panel) if prompt is not None and prompt.panel else list(rnd.personas)
    if not room:
        return 0.0
    unaddressed = 0
    for persona_id in room:
        if not find_phrases(text, addressed_by(pack, persona_id)):
            unaddressed += 1
    return unaddressed / len(room)


def addressed_by(pack: Pack, persona_id: str) -> list[str]:
    """Phrases that show a persona's concern was taken up: its ``satisfied_by``, or for a
    persona written with role-play issues only, the topic words of its main issues."""
    persona = pack.persona(persona_id)
    if persona.satisfied_by:
        return list(persona.satisfied_by)
    return [word for issue in persona.issues if issue.main for word in issue.about]
