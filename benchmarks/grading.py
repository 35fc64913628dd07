"""How well the local grader agrees with human labels, and how fast it is.

    python benchmarks/grading.py                 # everything
    python benchmarks/grading.py --skip-saf --skip-speed
    python benchmarks/grading.py --split train   # the fit's own data, for comparison only
    python benchmarks/grading.py --grader openai --skip-saf --skip-speed   # an LLM's agreement

Prints a table for each part: the project's held-out split (agreement with tiers,
per-criterion F1, blind spots, adversarial answers, against an answer-length
baseline), SAF (reference coverage against tutors' scores), and speed on this machine
(``grading_speed.py``: uncached 450-word answers, batch, cold start, memory).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

import labelled
from loopready.grading.base import GradeRequest
from loopready.grading.registry import get_grader
from loopready.grading.service import grade_request
from loopready.packs import get_pack

ROOT = Path(__file__).resolve().parent.parent


def spearman(a: list[float], b: list[float]) -> float:
    def ranks(x: list[float]) -> np.ndarray:
        order = np.argsort(x, kind="mergesort")
        r = np.empty(len(x))
        xs = np.asarray(x)[order]
        i = 0
        while i < len(x):
            j = i
            while j + 1 < len(x) and xs[j + 1] == xs[i]:
                j += 1
            r[order[i : j + 1]] = (i + j) / 2.0
            i = j + 1
        return r

    ra, rb = ranks(a), ranks(b)
    return float(np.corrcoef(ra, rb)[0, 1])


def f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def adversarial_share(rows: list[dict[str, Any]], scores: list[float]) -> tuple[int, int]:
    """How many stuffed/padded/off-topic answers score below every tier-4/5 answer of
    their round, out of how many."""
    ok = total = 0
    by_round: dict[str, list[float]] = defaultdict(list)
    for row, score in zip(rows, scores, strict=True):
        if row["tier"] >= 4:
            by_round[row["round"]].append(score)
    for row, score in zip(rows, scores, strict=True):
        if row["kind"] in labelled.ADVERSARIAL:
            total += 1
            strong = by_round.get(row["round"], [])
            if not strong or score < min(strong):
                ok += 1
    return ok, total


def agreement(split: str, grader_name: str = "local") -> dict[str, Any]:
    rows = labelled.split(labelled.load(), split)
    pack = get_pack("sony-ai-pm-2026")
    grader = get_grader(grader_name)
    results = []
    for row in rows:
        request = GradeRequest(
            answer=row["answer"], pack=pack, round_id=row["round"], question_id=row["question"]
        )
        results.append(grade_request(request, grader_name))  # as `loopready grade` does
    scores = [r.score for r in results]
    tiers = [float(r["tier"]) for r in rows]
    lengths = [float(len(r["answer"].split())) for r in rows]

    crit = defaultdict(lambda: [0, 0, 0])  # tp, fp, fn on "2 vs 0"
    for row, result in zip(rows, results, strict=True):
        for c in result.criteria:
            label = row["criteria"][c.id]
            if label == 1:
                continue
            predicted = c.score >= 3
            if predicted and label == 2:
                crit[c.id][0] += 1
            elif predicted and label == 0:
                crit[c.id][1] += 1
            elif not predicted and label == 2:
                crit[c.id][2] += 1
            # predicted 0-2 against label 0 is a true negative
    spots_tp = spots_fp = spots_fn = 0
    per_spot = defaultdict(lambda: [0, 0, 0])
    for row, result in zip(rows, results, strict=True):
        truth = set(row["blind_spots"])
        found = {b.id for b in result.blind_spots}
        for s in found & truth:
            per_spot[s][0] += 1
        for s in found - truth:
            per_spot[s][1] += 1
        for s in truth - found:
            per_spot[s][2] += 1
        spots_tp += len(found & truth)
        spots_fp += len(found - truth)
        spots_fn += len(truth - found)
    adv_ok, adv_total = adversarial_share(rows, scores)
    len_ok, _ = adversarial_share(rows, lengths)
    return {
        "split": split,
        "grader": grader.label,
        "answers": len(rows),
        "spearman": spearman(scores, tiers),
        "spearman_length": spearman(lengths, tiers),
        "criteria_f1": {k: f1(*v) for k, v in sorted(crit.items())},
        "criteria_f1_macro": statistics.mean(f1(*v) for v in crit.values()),
        "blind_precision": spots_tp / (spots_tp + spots_fp) if spots_tp + spots_fp else 1.0,
        "blind_recall": spots_tp / (spots_tp + spots_fn) if spots_tp + spots_fn else 1.0,
        "blind_per_spot": {k: v for k, v in sorted(per_spot.items())},
        "adversarial": (adv_ok, adv_total),
        "adversarial_length": (len_ok, adv_total),
        "rows": [
            {"id": r["id"], "tier": r["tier"], "kind": r["kind"], "score": s}
            for r, s in zip(rows, scores, strict=True)
        ],
    }


def print_agreement(a: dict[str, Any]) -> None:
    print(f"\n## Labelled set, {a['split']} split ({a['answers']} answers), {a['grader']}\n")
    print("| measure | grader | answer-length baseline | target |")
    print("| --- | --- | --- | --- |")
    print(f"| Spearman(score, tier) | {a['spearman']:.3f} | {a['spearman_length']:.3f} | >= 0.80 |")
    ok, total = a["adversarial"]
    lok, _ = a["adversarial_length"]
    print(f"| adversarial below every tier-4/5 of round | {ok}/{total} | {lok}/{total} | all |")
    print(f"| blind-spot precision | {a['blind_precision']:.3f} | | >= 0.85 |")
    print(f"| blind-spot recall | {a['blind_recall']:.3f} | | >= 0.70 |")
    print(f"| per-criterion F1 (2 vs 0), macro | {a['criteria_f1_macro']:.3f} | | |")
    print("\n| criterion | F1 |\n| --- | --- |")
    for k, v in a["criteria_f1"].items():
        print(f"| {k} | {v:.2f} |")
    print("\n| blind spot | tp | fp | fn |\n| --- | --- | --- | --- |")
    for k, (tp, fp, fn) in a["blind_per_spot"].items():
        print(f"| {k} | {tp} | {fp} | {fn} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", default="heldout", choices=["heldout", "train"])
    parser.add_argument("--skip-saf", action="store_true")
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--show", action="store_true", help="List every answer's score.")
    parser.add_argument(
        "--grader", default="local", help="Grader plugin for the labelled-set part (e.g. openai)."
    )
    args = parser.parse_args()
    a = agreement(args.split, args.grader)
    print_agreement(a)
    __import__("evidence").main(["--split", args.split])  # evidence, depth, rubric, advice
    __import__("judgment").report(args.split, args.grader)
    if args.show:
        for r in sorted(a["rows"], key=lambda r: (r["tier"], r["score"])):
            print(r)
    if not args.skip_saf:
        import saf

        saf.main([])
    if not args.skip_speed:
        import grading_speed  # answers the cache has never seen; see its docstring

        grading_speed.main([])


if __name__ == "__main__":
    main()
