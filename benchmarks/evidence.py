"""Does the grader's evidence support its scores, and is its advice about the answer?

    python benchmarks/evidence.py                 # held-out split
    python benchmarks/evidence.py --split train   # the fits' own data, for comparison only

Grades every labelled answer of the split through the whole pipeline (the grading
service's shared work included) and prints: criterion F1 and over-credit on the
criteria the question asks; sentence-level evidence precision and recall against the
sentence labels; the share of answers quoting one sentence for three or more
criteria; key-point accuracy against the sentence labels' key points; advice
specificity; contradictions (a key point advised as missing that is quoted as
evidence); Spearman(score, tier); and the score ranges of the outline and
plain-strong kinds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

import labelled
from loopready.grading.base import GradeRequest, GradeResult
from loopready.grading.service import grade_request
from loopready.language.sentences import split_sentences
from loopready.packs import get_pack

TARGETS = {
    "criteria_f1": ">= 0.80",
    "over_credit": "<= 0.20",
    "evidence_precision": ">= 0.80",
    "evidence_recall": "",
    "one_sentence_three_criteria": "<= 0.10",
    "key_point_accuracy": "",
    "advice_specificity": ">= 0.6",
    "contradictions": "0",
    "spearman": ">= 0.85",
    "outline_at_most_40": "all",
    "plain_strong_at_least_65": "all",
}


def grade_all(rows: list[dict[str, Any]]) -> list[GradeResult]:
    pack = get_pack("sony-ai-pm-2026")
    return [
        grade_request(
            GradeRequest(
                answer=r["answer"], pack=pack, round_id=r["round"], question_id=r["question"]
            )
        )
        for r in rows
    ]


def measure(split: str) -> dict[str, Any]:
    from grading import spearman

    rows = labelled.split(labelled.load(), split)
    results = grade_all(rows)
    sentence_labels: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for s in labelled.load_sentences():
        if s["split"] == split:
            sentence_labels[s["answer_id"]].append(s)

    tp = fp = fn = 0
    absent = over = 0
    ev_tp = ev_fp = ev_fn = 0
    many = 0
    kp_right = kp_total = 0
    advice: list[str] = []
    contradictions = 0
    outline_ok = outline_n = plain_ok = plain_n = 0
    for row, result in zip(rows, results, strict=True):
        quoted_for: Counter[str] = Counter()
        for c in result.criteria:
            if c.status != "scored":
                continue
            label = row["criteria"][c.id]
            if label == 0:
                absent += 1
                over += c.score >= 2
            if label != 1:
                predicted = c.score >= 3
                tp += predicted and label == 2
                fp += predicted and label == 0
                fn += (not predicted) and label == 2
            quoted_for.update(c.evidence)
            if c.advice:
                advice.append(c.advice)
            missing = {p.text for p in result.key_points or [] if not p.covered}
            for point in missing:
                if point in c.advice and any(point in q for q in c.evidence):
                    contradictions += 1
        many += any(n >= 3 for n in quoted_for.values())
        labels = sentence_labels.get(row["id"], [])
        if labels:
            scored = {c.id: set(c.evidence) for c in result.criteria if c.status == "scored"}
            for item in labels:
                for cid, quotes in scored.items():
                    truth = cid in item["criteria"]
                    shown = item["sentence"] in quotes
                    ev_tp += truth and shown
                    ev_fp += shown and not truth
                    ev_fn += truth and not shown
            if result.key_points and all("key_points" in item for item in labels):
                covered_truth = {k for item in labels for k in item.get("key_points", [])}
                for k, point in enumerate(result.key_points):
                    kp_total += 1
                    kp_right += point.covered == (k in covered_truth)
        if row["kind"] == "outline":
            outline_n += 1
            outline_ok += result.score <= 40
        if row["kind"] == "plain_strong":
            plain_n += 1
            plain_ok += result.score >= 65
    return {
        "split": split,
        "answers": len(rows),
        "sentences": sum(len(v) for v in sentence_labels.values()),
        "criteria_f1": 2 * tp / (2 * tp + fp + fn) if tp else 0.0,
        "over_credit": over / absent if absent else 0.0,
        "evidence_precision": ev_tp / (ev_tp + ev_fp) if ev_tp + ev_fp else 0.0,
        "evidence_recall": ev_tp / (ev_tp + ev_fn) if ev_tp + ev_fn else 0.0,
        "one_sentence_three_criteria": many / len(rows) if rows else 0.0,
        "key_point_accuracy": kp_right / kp_total if kp_total else 0.0,
        "advice_specificity": len(set(advice)) / len(advice) if advice else 1.0,
        "contradictions": contradictions,
        "spearman": spearman([r.score for r in results], [float(r["tier"]) for r in rows]),
        "outline_at_most_40": f"{outline_ok}/{outline_n}",
        "plain_strong_at_least_65": f"{plain_ok}/{plain_n}",
        "rows": [
            {"id": r["id"], "kind": r["kind"], "tier": r["tier"], "score": g.score}
            for r, g in zip(rows, results, strict=True)
        ],
    }


def print_measures(m: dict[str, Any]) -> None:
    print(
        f"\n## Evidence, depth, question rubric and advice, {m['split']} split "
        f"({m['answers']} answers, {m['sentences']} labelled sentences)\n"
    )
    print("| measure | value | target |\n| --- | --- | --- |")
    for key, target in TARGETS.items():
        value = m[key]
        shown = f"{value:.3f}" if isinstance(value, float) else str(value)
        print(f"| {key.replace('_', ' ')} | {shown} | {target} |")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", default="heldout", choices=["heldout", "train"])
    parser.add_argument("--show", action="store_true", help="List every answer's score.")
    args = parser.parse_args(argv)
    m = measure(args.split)
    print_measures(m)
    if args.show:
        for r in sorted(m["rows"], key=lambda r: (r["kind"], r["score"])):
            print(r)


def mean_words(rows: list[dict[str, Any]]) -> float:
    return statistics.mean(len(split_sentences(r["answer"])) for r in rows) if rows else 0.0


if __name__ == "__main__":
    main()
