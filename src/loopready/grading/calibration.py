"""The calibration layer: a few weights fitted on the labelled training split.

Two small models, both plain numpy at run time:

* per criterion, a proportional-odds (ordinal logistic) model turns the criterion's
  features into P(label >= 1) and P(label >= 2) on the 0/1/2 labelling scale; their
  sum is the expected label, and twice that, rounded, is the 0-4 score;
* for the answer, a ridge regression turns answer-level features into an expected
  tier (1-5), mapped onto 0-100, then multiplied by a topicality gate so that an
  answer about something else entirely scores near zero however polished it is.

``benchmarks/fit_grader.py`` refits ``model/calibration.json`` from the training split.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from loopready.grading.features import ANSWER_FEATURES, CRITERION_FEATURES

PATH = Path(__file__).parent / "model" / "calibration.json"
#: Slope of the tier -> 0-100 squash.
SQUASH = 1.2


def _sigmoid(x: float) -> float:
    return float(1.0 / (1.0 + np.exp(-x)))


@dataclass(frozen=True)
class Standardised:
    features: tuple[str, ...]
    mean: np.ndarray
    std: np.ndarray
    weights: np.ndarray

    def linear(self, values: dict[str, float]) -> float:
        x = np.array([values[f] for f in self.features], dtype=np.float64)
        return float(((x - self.mean) / self.std) @ self.weights)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Standardised:
        return cls(
            tuple(data["features"]),
            np.array(data["mean"], dtype=np.float64),
            np.array(data["std"], dtype=np.float64),
            np.array(data["weights"], dtype=np.float64),
        )


@dataclass(frozen=True)
class Calibration:
    criterion: Standardised
    thresholds: tuple[float, float]  # intercepts for label >= 1 and label >= 2
    overall: Standardised
    overall_bias: float
    gate_low: float
    gate_high: float
    #: The 0-4 score is ``round(slope * 2 * expected + offset)``: the ordinal model is
    #: compressed towards the middle, and this stretch is fitted on the training split.
    score_slope: float = 1.0
    score_offset: float = 0.0

    def criterion_score(self, expected: float) -> int:
        """A criterion's 0-4 score from its expected 0/1/2 label."""
        value = self.score_slope * 2.0 * expected + self.score_offset
        return int(np.clip(round(value), 0, 4))

    def expected_label(self, values: dict[str, float]) -> float:
        """Expected 0/1/2 label of a criterion: P(>=1) + P(>=2)."""
        z = self.criterion.linear(values)
        p1 = _sigmoid(self.thresholds[0] + z)
        p2 = min(p1, _sigmoid(self.thresholds[1] + z))
        return p1 + p2

    def expected_tier(self, values: dict[str, float]) -> float:
        return self.overall_bias + self.overall.linear(values)

    def gate(self, topic: float) -> float:
        """0 for an answer about something else, 1 for one about the round's subject."""
        span = max(self.gate_high - self.gate_low, 1e-6)
        return float(np.clip((topic - self.gate_low) / span, 0.0, 1.0))

    def score(self, values: dict[str, float]) -> float:
        """0-100: the expected tier squashed smoothly (tier 1 ~ 8, 3 = 50, 5 ~ 92), so
        the order of answers is kept at both ends, times the topicality gate."""
        tier = self.expected_tier(values)
        base = 100.0 * _sigmoid(SQUASH * (tier - 3.0))
        return base * self.gate(values["topic"])


def from_dict(data: dict[str, Any]) -> Calibration:
    if (
        tuple(data["criterion"]["features"]) != CRITERION_FEATURES
        or tuple(data["overall"]["features"]) != ANSWER_FEATURES
    ):
        raise ValueError("calibration.json was fitted on other features: refit it")
    return Calibration(
        criterion=Standardised.from_dict(data["criterion"]),
        thresholds=(float(data["criterion"]["b1"]), float(data["criterion"]["b2"])),
        overall=Standardised.from_dict(data["overall"]),
        overall_bias=float(data["overall"]["bias"]),
        gate_low=float(data["gate"]["low"]),
        gate_high=float(data["gate"]["high"]),
        score_slope=float(data.get("score", {}).get("slope", 1.0)),
        score_offset=float(data.get("score", {}).get("offset", 0.0)),
    )


@cache
def load(path: Path = PATH) -> Calibration:
    return from_dict(json.loads(path.read_text(encoding="utf-8")))
