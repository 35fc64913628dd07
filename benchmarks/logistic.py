"""Logistic regression by gradient descent on standardised features.

The fit the evidence and off-topic refit scripts share (``fit_evidence.py``,
``fit_offtopic.py``); their weights ship as JSON data files that the grader reads.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def fit(x: np.ndarray, y: np.ndarray, l2: float, steps: int) -> dict[str, Any]:
    """``sigmoid(z @ weights + bias)`` fitted to ``y``, ``z`` being ``x`` standardised by
    ``mean`` and ``std`` (a constant column keeps a scale of 1); L2 penalty *l2*."""
    mean = x.mean(axis=0)
    std = x.std(axis=0)
    std[std < 1e-6] = 1.0
    z = (x - mean) / std
    w = np.zeros(z.shape[1])
    b = 0.0
    n = len(y)
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(z @ w + b)))
        err = p - y
        w -= 0.2 * (z.T @ err / n + l2 * w / n)
        b -= 0.2 * err.mean()
    return {"mean": mean, "std": std, "weights": w, "bias": b}


def predict(model: dict[str, Any], x: np.ndarray) -> np.ndarray:
    """The fitted probability of each row of *x*."""
    z = ((x - model["mean"]) / model["std"]) @ model["weights"] + model["bias"]
    out: np.ndarray = 1 / (1 + np.exp(-z))
    return out
