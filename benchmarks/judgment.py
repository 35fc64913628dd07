"""Does the grader judge judgment? Pass rates per kind of answer, and blind spots.

    python benchmarks/judgment.py                  # held-out split
    python benchmarks/judgment.py --split train    # the split the thresholds were set on
    python benchmarks/judgment.py --show           # every answer that fails its kind's test

Reads every labelled answer under ``benchmarks/data/grading/`` (any ``.jsonl``, any
folder) that carries one of the kinds below, and checks what each kind must do:

* ``harmful``: a fluent answer with a red flag scores at most 45 and a red flag is quoted;
* ``safe_near_miss``: the negated, conditional or safe version quotes no red flag and
  no blind spot it was written to avoid;
* ``outline``: a list of the right terms scores at most 40;
* ``off_topic``: an answer to another question scores at most 30 and is said to be off topic;
* ``plain_strong``: a strong answer in plain words scores at least 65;
* ``disclosure`` / ``base_only``: the salary blind spot is flagged.

Then blind-spot precision and recall over every labelled answer of the split.
Nothing is fitted here; the split is the fixed hash split of ``labelled.py``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

import labelled
from loopready.grading.base import GradeRequest, GradeResult
from loopready.grading.service import grade_request
from loopready.packs import DEFAULT_PACK_ID, get_pack

SPOT_OF_KIND = {"disclosure": "discloses_current_salary", "base_only": "base_only_negotiation"}


def _harmful(row: dict[str, Any], r: GradeResult) -> bool:
    return r.score <= 45 and bool(r.red_flags)


def _safe(row: dict[str, Any], r: GradeResult) -> bool:
    avoided = {"discloses_current_salary", "base_only_negotiation"} - set(row["blind_spots"])
    return not r.red_flags and not ({b.id for b in r.blind_spots} & avoided)


def _flagged(row: dict[str, Any], r: GradeResult) -> bool:
    return SPOT_OF_KIND[row["kind"]] in {b.id for b in r.blind_spots}


CHECKS: dict[str, tuple[str, Callable[[dict[str, Any], GradeResult], bool]]] = {
    "harmful": ("<= 45 and a red flag quoted", _harmful),
    "safe_near_miss": ("no red flag, no avoided blind spot", _safe),
    "outline": ("<= 40", lambda row, r: r.score <= 40),
    "off_topic": ("<= 30 and said", lambda row, r: r.score <= 30 and r.off_topic),
    "plain_strong": (">= 65", lambda row, r: r.score >= 65),
    "disclosure": ("discloses_current_salary flagged", _flagged),
    "base_only": ("base_only_negotiation flagged", _flagged),
}


def load_all() -> list[dict[str, Any]]:
    """Every labelled answer under the data folder, once each, with its split."""
    rows: dict[str, dict[str, Any]] = {}
    for path in sorted(labelled.DATA.rglob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                row = json.loads(line)
                if "answer" not in row:  # sentence labels (sentences.jsonl), not answers
                    continue
                row["_source"] = f"{path.relative_to(labelled.DATA)}:{number}"
                rows.setdefault(row["id"], row)
    result = list(rows.values())
    labelled.assign_split(result)
    return result


def grade_all(rows: list[dict[str, Any]], grader_name: str) -> list[GradeResult]:
    """Each answer graded as ``loopready grade`` grades it: the grader, then the shared
    pipeline (key points, the key-point off-topic check, advice)."""
    pack = get_pack(DEFAULT_PACK_ID)
    return [
        grade_request(
            GradeRequest(
                answer=row["answer"], pack=pack, round_id=row["round"], question_id=row["question"]
            ),
            grader_name,
        )
        for row in rows
    ]


def measure(split: str, grader_name: str = "local") -> dict[str, Any]:
    rows = [r for r in load_all() if r["split"] == split]
    results = grade_all(rows, grader_name)
    per_kind: dict[str, list[bool]] = defaultdict(list)
    failures: list[str] = []
    for row, result in zip(rows, results, strict=True):
        check = CHECKS.get(row.get("kind", ""))
        if check is None:
            continue
        ok = check[1](row, result)
        per_kind[row["kind"]].append(ok)
        if not ok:
            flags = ",".join(f.id for f in result.red_flags) or "-"
            spots = ",".join(b.id for b in result.blind_spots) or "-"
            failures.append(
                f"{row['id']} {row['kind']} score={result.score:.0f} off_topic={result.off_topic} "
                f"red_flags={flags} blind_spots={spots} want={row.get('red_flags', '')}"
            )
    tp = fp = fn = 0
    per_spot: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for row, result in zip(rows, results, strict=True):
        truth, found = set(row.get("blind_spots", [])), {b.id for b in result.blind_spots}
        for s in found & truth:
            per_spot[s][0] += 1
        for s in found - truth:
            per_spot[s][1] += 1
        for s in truth - found:
            per_spot[s][2] += 1
        tp, fp, fn = tp + len(found & truth), fp + len(found - truth), fn + len(truth - found)
    strong = [
        (row, result)
        for row, result in zip(rows, results, strict=True)
        if row["tier"] >= 4 and not row.get("red_flags")
    ]
    alarms = [row["id"] for row, result in strong if result.red_flags]
    said = [
        row["id"]
        for row, result in zip(rows, results, strict=True)
        if result.off_topic and row.get("kind") != "off_topic"
    ]
    failures += [f"{rid} said to be off topic" for rid in said]
    failures += [f"{rid} tier>=4 answer with a red flag quoted" for rid in alarms]
    passed = sum(sum(v) for v in per_kind.values())
    total = sum(len(v) for v in per_kind.values())
    return {
        "split": split,
        "answers": len(rows),
        "per_kind": {k: (sum(v), len(v)) for k, v in sorted(per_kind.items())},
        "passed": (passed, total),
        "blind_precision": tp / (tp + fp) if tp + fp else 1.0,
        "blind_recall": tp / (tp + fn) if tp + fn else 1.0,
        "per_spot": dict(sorted(per_spot.items())),
        "failures": failures,
        "false_alarms": (len(alarms), len(strong)),
        "said_off_topic": (len(said), sum(1 for r in rows if r.get("kind") != "off_topic")),
    }


def report(split: str = "heldout", grader_name: str = "local", show: bool = False) -> None:
    m = measure(split, grader_name)
    print(f"\n## Judgment cases, {split} split ({m['answers']} labelled answers)\n")
    print("| kind | test | passed | rate |\n| --- | --- | --- | --- |")
    for kind, (ok, n) in m["per_kind"].items():
        print(f"| {kind} | {CHECKS[kind][0]} | {ok}/{n} | {ok / n:.0%} |")
    ok, n = m["passed"]
    print(f"| all judgment cases | | {ok}/{n} | {ok / n if n else 0:.0%} (target >= 90%) |")
    fa, strong = m["false_alarms"]
    print(f"| tier 4-5 answers with a red flag quoted (false alarms) | | {fa}/{strong} | |")
    wrong, others = m["said_off_topic"]
    print(f"| other answers said to be off topic (false alarms) | | {wrong}/{others} | |")
    print("\n| blind spots, all answers | value | target |\n| --- | --- | --- |")
    print(f"| precision | {m['blind_precision']:.3f} | >= 0.90 |")
    print(f"| recall | {m['blind_recall']:.3f} | >= 0.85 |")
    print("\n| blind spot | tp | fp | fn |\n| --- | --- | --- | --- |")
    for k, (tp, fp, fn) in m["per_spot"].items():
        print(f"| {k} | {tp} | {fp} | {fn} |")
    if show:
        print()
        for line in m["failures"]:
            print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", default="heldout", choices=["heldout", "train"])
    parser.add_argument("--grader", default="local")
    parser.add_argument("--show", action="store_true", help="List every failing answer.")
    args = parser.parse_args()
    report(args.split, args.grader, args.show)


if __name__ == "__main__":
    main()
