"""Refit the off-topic check by key points on the labelled TRAINING split only.

    python benchmarks/fit_offtopic.py     # writes src/loopready/grading/model/offtopic.json

Every training answer with a known question (the agreement set and the judgment cases)
is graded as ``loopready grade`` grades it, and the check's features are read off the
result (:data:`loopready.grading.offtopic.POINT_FEATURES`): how close the answer is to
its question and to the nearest other one, the share of key points covered, the share of
asked criteria with evidence. An L2-regularised logistic regression separates answers
labelled ``off_topic`` from the rest. Its threshold is chosen by five-fold
cross-validation on the training split: the lowest probability whose out-of-fold false
alarms (other answers called off topic) stay at or under :data:`MAX_FALSE_ALARMS`, since
an on-topic answer called off topic loses most of its score. Held-out answers are never
read.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

import judgment
import logistic
from loopready.grading import offtopic
from loopready.grading.base import GradeRequest
from loopready.grading.embeddings import get_embedder
from loopready.grading.pipeline import evidence_share
from loopready.grading.service import grade_request
from loopready.language.sentences import split_sentences
from loopready.packs import DEFAULT_PACK_ID, get_pack

L2 = 1.0
FOLDS = 5
#: The most out-of-fold false alarms allowed, as a share of the other answers.
MAX_FALSE_ALARMS = 0.01


def features(rows: list[dict[str, Any]]) -> np.ndarray:
    pack = get_pack(DEFAULT_PACK_ID)
    xs = []
    for row in rows:
        result = grade_request(
            GradeRequest(
                answer=row["answer"], pack=pack, round_id=row["round"], question_id=row["question"]
            )
        )
        sentences = split_sentences(row["answer"])
        vectors = get_embedder().embed(sentences)
        coverage = result.reference_coverage.coverage if result.reference_coverage else 0.0
        x, _, _ = offtopic.point_features(
            offtopic.PointsInput(
                pack,
                row["round"],
                row["question"],
                vectors,
                coverage,
                evidence_share(result),
                score_before_cap(row, pack) if result.off_topic else result.score,
                sentences,
            )
        )
        xs.append(x)
    return np.array(xs)


def score_before_cap(row: dict[str, Any], pack: Any) -> float:
    """The grade before an off-topic cap (the feature the pipeline sees)."""
    from loopready.grading.local import LocalGrader

    result = LocalGrader().grade(
        GradeRequest(
            answer=row["answer"], pack=pack, round_id=row["round"], question_id=row["question"]
        )
    )
    return result.score


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float) -> dict[str, Any]:
    return logistic.fit(x, y, l2, steps=4000)


predict = logistic.predict


def out_of_fold(x: np.ndarray, y: np.ndarray, ids: list[str]) -> np.ndarray:
    """Each answer's probability from a model fitted on the other folds (folds by id)."""
    fold = np.array([judgment.labelled._digest(i)[8:16] for i in ids])
    fold = np.array([int(f, 16) % FOLDS for f in fold])
    p = np.zeros(len(y))
    for k in range(FOLDS):
        test = fold == k
        p[test] = predict(fit_logistic(x[~test], y[~test], L2), x[test])
    return p


def choose_threshold(p: np.ndarray, y: np.ndarray, rate: float = MAX_FALSE_ALARMS) -> float:
    negatives = p[y == 0]
    allowed = int(rate * len(negatives))
    ranked = np.sort(negatives)[::-1]
    # just above the (allowed+1)-th highest negative
    threshold = float(ranked[allowed]) + 1e-6 if len(ranked) > allowed else 0.5
    return max(threshold, 0.05)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=offtopic.POINTS_PATH)
    args = parser.parse_args()
    rows = [r for r in judgment.load_all() if r["split"] == "train" and r.get("question")]
    # Grade without the check being fitted, so its features are what it will see.
    offtopic.POINTS_PATH = args.out.with_suffix(".absent")
    offtopic.points_model.cache_clear()
    x = features(rows)
    y = np.array([1.0 if r.get("kind") == "off_topic" else 0.0 for r in rows])
    ids = [r["id"] for r in rows]
    p = out_of_fold(x, y, ids)
    # The check's gates (see offtopic.judge_points and the pipeline): long enough, and
    # nearer another question, already scoring low or deflecting. An answer outside them is
    # never called off topic, so its probability does not count.
    words = np.array([len(r["answer"].split()) for r in rows])
    gated = (
        (words >= offtopic.POINTS_MIN_WORDS)
        & ((x[:, 1] > 0) | (x[:, 5] * 100 <= offtopic.POINTS_SCORE_CEILING) | (x[:, 6] > 0))
        & (x[:, 5] * 100 < offtopic.POINTS_SCORE_MAX)
    )
    p = np.where(gated, p, 0.0)
    for rate in (0.01, 0.02, 0.03, 0.05):
        t = choose_threshold(p, y, rate)
        print(
            f"false alarms <= {rate:.0%}: threshold {t:.3f}, caught "
            f"{int(((p >= t) & (y == 1)).sum())}/{int(y.sum())}, "
            f"alarms {int(((p >= t) & (y == 0)).sum())}"
        )
    threshold = choose_threshold(p, y)
    caught = int(((p >= threshold) & (y == 1)).sum())
    alarms = int(((p >= threshold) & (y == 0)).sum())
    model = fit_logistic(x, y, L2)
    data = {
        "features": list(offtopic.POINT_FEATURES),
        "mean": model["mean"].tolist(),
        "std": model["std"].tolist(),
        "weights": model["weights"].tolist(),
        "bias": float(model["bias"]),
        "threshold": round(threshold, 4),
        "fitted_on": f"benchmarks/data/grading, train split ({len(rows)} answers, "
        f"{int(y.sum())} off topic); refit with python benchmarks/fit_offtopic.py",
        "cross_validation": {
            "folds": FOLDS,
            "off_topic_caught": f"{caught}/{int(y.sum())}",
            "false_alarms": f"{alarms}/{int((y == 0).sum())}",
        },
    }
    args.out.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    offtopic.points_model.cache_clear()
    print(f"wrote {args.out} from {len(rows)} training answers")
    print(
        "weights:", dict(zip(offtopic.POINT_FEATURES, np.round(model["weights"], 3), strict=True))
    )
    print(
        f"threshold {threshold:.3f}; out-of-fold: caught {caught}/{int(y.sum())}, "
        f"false alarms {alarms}/{int((y == 0).sum())}"
    )


if __name__ == "__main__":
    main()
