"""The grader against a team's own interviewers: weighted kappa per criterion.

Reads the JSONL written by ``loopready export --scorecards FILE.jsonl`` (the grader's
batch format with the human scores as labels), grades every answer with the local
grader and prints, per criterion, how many answers both scored, exact agreement, and
Cohen's kappa with quadratic weights (1 perfect, 0 chance).

    python benchmarks/scorecards.py scorecards.jsonl
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from pathlib import Path

from loopready.grading.service import build_request, grade_request
from loopready.team.labels import read_scorecards, weighted_kappa


def measure(path: Path, grader: str = "local") -> dict[str, dict[str, float]]:
    pairs: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for line in read_scorecards(path):
        request = build_request(
            line["answer"],
            pack_id=line.get("pack", "sony-ai-pm-2026"),
            round_id=line["round"],
            question_id=line.get("question"),
        )
        result = grade_request(request, grader)
        machine = {c.id: c.score for c in result.criteria}
        for criterion, human in line["criteria"].items():
            if criterion in machine:
                pairs[criterion].append((int(human), machine[criterion]))
    out = {}
    for criterion, found in sorted(pairs.items()):
        humans = [h for h, _ in found]
        graders = [g for _, g in found]
        out[criterion] = {
            "n": len(found),
            "exact": sum(h == g for h, g in found) / len(found),
            "kappa": weighted_kappa(humans, graders),
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("file", type=Path)
    parser.add_argument("--grader", default="local")
    args = parser.parse_args()
    print("| criterion | answers | exact agreement | weighted kappa |\n| --- | --- | --- | --- |")
    for criterion, m in measure(args.file, args.grader).items():
        print(f"| {criterion} | {m['n']:.0f} | {m['exact']:.0%} | {m['kappa']:.2f} |")


if __name__ == "__main__":
    main()
