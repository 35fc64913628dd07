"""Choose the red-flag thresholds by cross-validation on the TRAINING split only.

    python benchmarks/redflag_cv.py

Prints, for a grid of (EXAMPLE_FLOOR, CUED_FLOOR, CLEAR_MARGIN) of
``loopready.grading.redflags``, how many training ``harmful`` answers get a red flag and
how many training answers that should get none (safe near-misses, tier 3 and above) do;
then five-fold cross-validation of choosing the thresholds on four folds and measuring
on the fifth. The objective is caught share minus three times the false-alarm share. The
values in ``redflags.py`` are the ones this chooses on the whole training split; it
writes nothing. Held-out answers are never read.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

import judgment
import labelled
from loopready.grading import redflags
from loopready.grading.embeddings import get_embedder
from loopready.language.sentences import split_sentences
from loopready.packs import DEFAULT_PACK_ID, get_pack

GRID = list(
    itertools.product([0.55, 0.6, 0.65, 0.7], [0.4, 0.45, 0.5], [0.1, 0.16, 0.2, 0.25, 0.3])
)
Case = tuple[str, bool, bool, np.ndarray, np.ndarray, list[tuple[np.ndarray, np.ndarray]]]


def cases() -> list[Case]:
    pack = get_pack(DEFAULT_PACK_ID)
    out: list[Case] = []
    for r in judgment.load_all():
        if r["split"] != "train" or not pack.round(r["round"]).red_flags:
            continue
        sentences = split_sentences(r["answer"])
        vectors = get_embedder().embed(sentences)
        bank = redflags.flag_bank(pack, r["round"])
        safe = np.array(
            [redflags.guarded(s) or bool(redflags._REPORTED.search(s)) for s in sentences]
        )
        cued = np.array([redflags.dismissive(s) for s in sentences])
        per = []
        for flag in pack.round(r["round"]).red_flags:
            fb = bank[flag.id]
            to_examples = (vectors @ fb.examples.T).max(axis=1)
            to_near = (
                (vectors @ fb.plain_near_misses.T).max(axis=1)
                if fb.plain_near_misses.shape[0]
                else np.full(len(sentences), -1.0)
            )
            per.append((to_examples, to_near))
        harmful = r.get("kind") == "harmful"
        negative = not harmful and (r.get("kind") == "safe_near_miss" or r["tier"] >= 3)
        out.append((r["id"], harmful, negative, safe, cued, per))
    return out


def fires(case: Case, params: tuple[float, float, float]) -> bool:
    """The detector's rule (see ``redflags._by_examples``) with these thresholds."""
    example_floor, cued_floor, clear_margin = params
    _, _, _, safe, cued, per = case
    for sim, near in per:
        hit = (sim >= cued_floor) & (sim >= near + redflags.NEAR_MISS_MARGIN)
        hit &= cued | (~safe & (sim >= example_floor) & (sim >= near + clear_margin))
        if hit.any():
            return True
    return False


def count(data: list[Case], params: tuple[float, float, float]) -> tuple[int, int, int, int]:
    caught = sum(fires(c, params) for c in data if c[1])
    alarms = sum(fires(c, params) for c in data if c[2])
    return caught, sum(c[1] for c in data), alarms, sum(c[2] for c in data)


def objective(counted: tuple[int, int, int, int]) -> float:
    caught, harmful, alarms, negatives = counted
    return caught / max(harmful, 1) - 3 * alarms / max(negatives, 1)


def best(data: list[Case]) -> Any:
    return max(GRID, key=lambda p: (objective(count(data, p)), p[0]))


def main() -> None:
    data = cases()
    current = (redflags.EXAMPLE_FLOOR, redflags.CUED_FLOOR, redflags.CLEAR_MARGIN)
    print("in redflags.py", current, "caught/harmful/alarms/negatives", count(data, current))
    folds = [int(labelled._digest(c[0])[8:16], 16) % 5 for c in data]
    total = np.zeros(4, int)
    for k in range(5):
        train = [c for c, f in zip(data, folds, strict=True) if f != k]
        test = [c for c, f in zip(data, folds, strict=True) if f == k]
        chosen = best(train)
        total += np.array(count(test, chosen))
        print(f"fold {k}: chose {chosen}, on the fold {count(test, chosen)}")
    print("cross-validated caught/harmful/alarms/negatives", total.tolist())
    print("chosen on the whole training split", best(data), count(data, best(data)))


if __name__ == "__main__":
    main()
