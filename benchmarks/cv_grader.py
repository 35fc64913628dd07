"""Cross-validated agreement of the calibration on the TRAINING split only.

    python benchmarks/cv_grader.py

Five folds by id: the calibration is refitted (``fit_grader.fit``) on four folds and each
answer of the fifth is graded with it, as ``loopready grade`` grades it. Prints
Spearman(score, tier) and per-criterion F1 (label 2 vs 0, score 3+ vs 2-) over the
pooled out-of-fold grades: a fairer train figure than grading the answers the
calibration was fitted on. The evidence model is the shipped one (fitted on every
training sentence), so the figure is slightly optimistic. Held-out answers are never
read; nothing is written.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import fit_grader
import labelled
from grading import f1, spearman
from loopready.grading.base import GradeRequest
from loopready.grading.calibration import from_dict
from loopready.grading.local import LocalGrader
from loopready.grading.pipeline import finish
from loopready.packs import get_pack

FOLDS = 5


def main() -> None:
    rows = labelled.split(labelled.load(), "train")
    fold = [int(labelled._digest(r["id"])[8:16], 16) % FOLDS for r in rows]
    pack = get_pack("sony-ai-pm-2026")
    scores: dict[str, float] = {}
    tp = fp = fn = 0
    for k in range(FOLDS):
        fitted = fit_grader.fit([r for r, f in zip(rows, fold, strict=True) if f != k])
        grader = LocalGrader(from_dict(fitted))
        for row, f in zip(rows, fold, strict=True):
            if f != k:
                continue
            request = GradeRequest(
                answer=row["answer"], pack=pack, round_id=row["round"], question_id=row["question"]
            )
            result = finish(request, grader.grade(request))
            scores[row["id"]] = result.score
            for c in result.criteria:
                label = row["criteria"].get(c.id)
                if c.status != "scored" or label is None or label == 1:
                    continue
                tp += c.score >= 3 and label == 2
                fp += c.score >= 3 and label == 0
                fn += c.score < 3 and label == 2
        print(f"fold {k} done")
    rho = spearman([scores[r["id"]] for r in rows], [float(r["tier"]) for r in rows])
    print(f"\n5-fold CV on the training split ({len(rows)} answers)")
    print(f"| Spearman(score, tier), out of fold | {rho:.3f} |")
    print(f"| criterion F1, asked criteria (2 vs 0), out of fold, micro | {f1(tp, fp, fn):.3f} |")


if __name__ == "__main__":
    main()
