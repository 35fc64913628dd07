"""Fit the role-play's sentence-act classifier and write its weights.

Reads the labelled sentences in ``benchmarks/data/roleplay_acts.jsonl`` (one
``{"text", "act"}`` a line), embeds them with the shared MiniLM embedder, adds the
rule-read cue features, fits a softmax classifier with L2 regularisation (plain
numpy gradient descent), prints the five-fold cross-validated accuracy per act and
writes ``src/loopready/interview/data/roleplay_acts.json``.

    python benchmarks/fit_roleplay_acts.py            # fit and write
    python benchmarks/fit_roleplay_acts.py --check    # cross-validate only
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import numpy as np

from loopready.interview.roleplay_acts import ACTS, Weights, feature_rows

ROOT = Path(__file__).resolve().parent
DATA = ROOT / "data" / "roleplay_acts.jsonl"
OUT = ROOT.parent / "src" / "loopready" / "interview" / "data" / "roleplay_acts.json"


def fit(
    x: np.ndarray,
    y: np.ndarray,
    n_classes: int,
    *,
    l2: float = 1e-4,
    steps: int = 3000,
    rate: float = 5.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Softmax regression by full-batch gradient descent."""
    n, d = x.shape
    w = np.zeros((d, n_classes), dtype=np.float64)
    b = np.zeros(n_classes, dtype=np.float64)
    onehot = np.eye(n_classes)[y]
    for _ in range(steps):
        logits = x @ w + b
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        grad = p - onehot
        w -= rate * (x.T @ grad / n + l2 * w)
        b -= rate * grad.mean(axis=0)
    return w, b


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="cross-validate, write nothing")
    args = parser.parse_args()
    rows = [json.loads(line) for line in DATA.read_text("utf-8").splitlines() if line.strip()]
    texts = [r["text"] for r in rows]
    y = np.asarray([ACTS.index(r["act"]) for r in rows])
    x = feature_rows(texts).astype(np.float64)
    rng = np.random.default_rng(7)
    order = rng.permutation(len(rows))
    folds = np.array_split(order, 5)
    right: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for k, test in enumerate(folds):
        train = np.concatenate([f for j, f in enumerate(folds) if j != k])
        w, b = fit(x[train], y[train], len(ACTS))
        pred = (x[test] @ w + b).argmax(axis=1)
        for i, p in zip(test, pred, strict=True):
            seen[rows[i]["act"]] += 1
            right[rows[i]["act"]] += int(ACTS[p] == rows[i]["act"])
    total = sum(right.values()) / len(rows)
    print(f"{len(rows)} labelled sentences; five-fold accuracy (classifier alone) {total:.2f}")
    for act in ACTS:
        print(f"  {act:10s} {right[act]}/{seen[act]}")
    if args.check:
        return
    w, b = fit(x, y, len(ACTS))
    weights = Weights(ACTS, w.astype(np.float32), b.astype(np.float32))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(weights.to_json()) + "\n", "utf-8")
    print(f"wrote {OUT.relative_to(ROOT.parent)}")


if __name__ == "__main__":
    main()
