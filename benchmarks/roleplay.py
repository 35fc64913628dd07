"""Scripted role-plays against expectations written before they were run.

Each line of ``benchmarks/data/roleplay_runs.jsonl`` is one role-play of a Sony
stakeholder prompt: the candidate's turns, the decision, and the expected outcome
(which personas end satisfied, which concerns end dismissed). The benchmark replays
each through the scripted panel and prints the share of persona outcomes as
expected (target at least 90%), every miss, and the panel's reply latency per turn
(p50 and p95; target under 300 ms on the 2-core development machine).

    python benchmarks/roleplay.py
    python benchmarks/roleplay.py --runs benchmarks/data/roleplay_holdout.jsonl
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from loopready.interview.roleplay import RolePlay
from loopready.packs import get_pack

ROOT = Path(__file__).resolve().parent
RUNS = ROOT / "data" / "roleplay_runs.jsonl"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[k]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=Path, default=RUNS)
    args = parser.parse_args()
    pack = get_pack("sony-ai-pm-2026")
    rnd = pack.round("stakeholder_simulation")
    prompts = {p.id: p for p in rnd.prompts}
    runs = [json.loads(x) for x in args.runs.read_text("utf-8").splitlines() if x.strip()]
    # warm the embedder so the first turn does not pay for loading the model
    RolePlay(pack, rnd, rnd.prompts[0]).respond("We ship the smaller model in November.")
    right = total = 0
    misses: list[str] = []
    latencies: list[float] = []
    for run in runs:
        play = RolePlay(pack, rnd, prompts[run["prompt"]])
        play.opening()
        for turn in run["turns"]:
            start = time.perf_counter()
            play.respond(turn)
            latencies.append((time.perf_counter() - start) * 1000)
        if run["decision"]:
            start = time.perf_counter()
            play.decide(run["decision"])
            latencies.append((time.perf_counter() - start) * 1000)
        outcome = play.outcome()
        states = {p["id"]: p for p in outcome.personas}
        for persona_id, expected in run["expect"]["satisfied"].items():
            total += 1
            got = bool(states[persona_id]["satisfied"])
            if got == expected:
                right += 1
            else:
                misses.append(f"{run['id']}: {persona_id} satisfied={got}, expected {expected}")
        for ref in run["expect"]["dismissed"]:
            persona_id, issue_id = ref.split(".")
            total += 1
            concern = next(c for c in states[persona_id]["concern_states"] if c["id"] == issue_id)
            if concern["escalated"]:
                right += 1
            else:
                misses.append(f"{run['id']}: {ref} not dismissed ({concern['state']})")
    print(f"{len(runs)} scripted role-plays, {total} persona outcomes")
    print(f"outcomes as expected: {right}/{total} = {right / total:.0%} (target >= 90%)")
    print(
        f"reply latency per turn: p50 {statistics.median(latencies):.0f} ms, "
        f"p95 {percentile(latencies, 0.95):.0f} ms over {len(latencies)} turns (target < 300 ms)"
    )
    for miss in misses:
        print("  miss:", miss)


if __name__ == "__main__":
    main()
