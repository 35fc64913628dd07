"""Precision and recall of the cross-round consistency checker on planted cases.

Each line of ``benchmarks/data/consistency_cases.jsonl`` is one loop: answers
from several rounds, and the subjects that truly contradict (empty for loops
whose restatements are consistent: "8 engineers" then "eight engineers"). The
checker is the debrief's own (:func:`loopready.interview.debrief.loop_consistency`,
with the Sony pack's company names and case briefs), so the figures are the
debrief's.

A true positive is an expected subject the checker flags; a false positive a
subject it flags that is not expected; a false negative an expected subject it
misses. Precision and recall are over subjects, summed across cases.

    python benchmarks/consistency.py                  # the three shipped sets
    python benchmarks/consistency.py --cases F.jsonl  # another set
    python benchmarks/consistency.py --json           # figures as JSON

The sets: ``consistency_cases.jsonl`` (48 cases, written first and used to tune
the checker), ``consistency_holdout.jsonl`` (22, written after that tuning) and
``consistency_fresh.jsonl`` (16, written later still). docs/interview.md gives
each set's figures on its first run, before any fix it prompted.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from loopready.interview.debrief import loop_consistency
from loopready.packs import get_pack

HERE = Path(__file__).parent
CASES = HERE / "data" / "consistency_cases.jsonl"


def load_cases(path: Path) -> list[dict[str, Any]]:
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            case = json.loads(line)
            case["_line"] = number
            cases.append(case)
    return cases


def run(path: Path) -> dict[str, Any]:
    pack = get_pack("sony-ai-pm-2026")
    tp = fp = fn = 0
    rows: list[dict[str, Any]] = []
    started = time.perf_counter()
    for case in load_cases(path):
        answers = [(a["round"], a["text"]) for a in case["answers"]]
        _, found = loop_consistency(pack, answers)
        got = {i.subject for i in found}
        expected = set(case["expected"])
        tp += len(got & expected)
        fp += len(got - expected)
        fn += len(expected - got)
        rows.append(
            {
                "id": case["id"],
                "kind": case["kind"],
                "expected": sorted(expected),
                "flagged": sorted(got),
                "ok": got == expected,
                "quotes": [
                    [f"{c.source}: {c.quote}" for c in i.claims] for i in found if i.subject in got
                ],
            }
        )
    elapsed = time.perf_counter() - started
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return {
        "cases": len(rows),
        "contradiction_cases": sum(1 for r in rows if r["kind"] == "contradiction"),
        "consistent_cases": sum(1 for r in rows if r["kind"] == "consistent"),
        "true_positives": tp,
        "false_positives": fp,
        "false_negatives": fn,
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "cases_exactly_right": sum(1 for r in rows if r["ok"]),
        "ms_per_case": round(1000 * elapsed / max(1, len(rows)), 2),
        "rows": rows,
    }


SETS = [
    CASES,
    HERE / "data" / "consistency_holdout.jsonl",
    HERE / "data" / "consistency_fresh.jsonl",
]
FIGURES = (
    "cases",
    "true_positives",
    "false_positives",
    "false_negatives",
    "precision",
    "recall",
    "cases_exactly_right",
    "ms_per_case",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--cases",
        type=Path,
        action="append",
        help="JSONL file of planted cases (repeatable; default: the three shipped sets)",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--all", action="store_true", help="list every case, not only misses")
    args = parser.parse_args(argv)
    paths: list[Path] = args.cases or SETS
    reports = {path.name: run(path) for path in paths}
    if args.json:
        figures = {name: {k: v for k, v in r.items() if k != "rows"} for name, r in reports.items()}
        print(json.dumps(figures if len(figures) > 1 else next(iter(figures.values())), indent=2))
        return 0
    console = Console()
    for name, report in reports.items():
        table = Table("case", "kind", "expected", "flagged", "ok", title=name)
        for row in report["rows"]:
            if args.all or not row["ok"]:
                table.add_row(
                    row["id"],
                    row["kind"],
                    ", ".join(row["expected"]) or "-",
                    ", ".join(row["flagged"]) or "-",
                    "yes" if row["ok"] else "[red]no[/red]",
                )
        if table.row_count:
            console.print(table)
    headers = ("cases", "TP", "FP", "FN", "precision", "recall", "exact", "ms/case")
    summary = Table("set", *headers, title="Consistency checker (subjects flagged per case)")
    for name, report in reports.items():
        label = name.removeprefix("consistency_").removesuffix(".jsonl")
        summary.add_row(label, *(str(report[f]) for f in FIGURES))
    console.print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
