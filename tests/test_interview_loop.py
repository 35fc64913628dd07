"""A whole loop end to end from the CLI, with scripted answers and the real grader.

Strong answers that tell one story reach a hire; weak answers do not; strong
answers with a planted contradiction ("a team of 8" in the screen, "a team of 15"
in the committee round, about the same team) have it quoted and weighed: one
changed figure alone stays within the Sony pack's limit.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from loopready.cli import cli
from loopready.packs import get_pack

DATA = Path(__file__).parent / "data" / "interview" / "loop_answers.json"
ROUNDS = [r.id for r in get_pack("sony-ai-pm-2026").rounds]


def run(*args: str) -> dict[str, Any]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def whole_loop(tmp_path: Path, variant: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Run every round of a new loop from the scripted answers; the debrief and reports."""
    answers = json.loads(DATA.read_text())
    chosen = dict(answers["strong" if variant == "contradiction" else variant])
    if variant == "contradiction":
        chosen.update(answers["contradiction"])
    loop_id = run("loop", "new", "--json")["id"]
    reports = []
    for round_id in ROUNDS:
        files: list[str] = []
        for n, text in enumerate(chosen[round_id]):
            path = tmp_path / f"{variant}-{round_id}-{n}.txt"
            path.write_text(text, encoding="utf-8")
            files += ["--answer-file", str(path)]
        reports.append(run("practice", round_id, "--loop", loop_id, *files, "--json"))
    status = run("loop", "show", loop_id, "--json")
    assert status["done"] == len(ROUNDS) and status["next"] is None
    return run("debrief", loop_id, "--json"), reports


def test_strong_answers_throughout_reach_a_hire(tmp_path: Path) -> None:
    debrief, reports = whole_loop(tmp_path, "strong")
    scores = {r["round_id"]: r["score"] for r in reports}
    assert debrief["decision"] in {"hire", "strong_hire"}, (scores, debrief["reasons"])
    assert debrief["inconsistencies"] == []
    assert debrief["story_thread"]["connected"]
    assert debrief["missing_rounds"] == []
    assert debrief["rule"]["id"] in {"hire_conditions", "strong_hire_bar"}
    assert debrief["what_would_flip"]
    closing = debrief["closing_narrative"]
    assert closing is not None and closing["cohesive"] and "Beacon" in closing["reuses"]
    # after a hire, a mock offer from the pack's bands
    offer = debrief["mock_offer"]
    assert offer is not None and 155_000 <= offer["offer"]["base"] <= 185_000
    # every report was there the moment its round ended, with quoted evidence
    for report in reports:
        assert any(c["evidence"] for c in report["criteria"])


def test_weak_answers_do_not(tmp_path: Path) -> None:
    debrief, reports = whole_loop(tmp_path, "weak")
    assert debrief["decision"] in {"lean_no_hire", "no_hire"}
    assert debrief["mock_offer"] is None
    assert any("below the round bar" in reason for reason in debrief["reasons"])
    assert not debrief["story_thread"]["connected"]
    assert "isolated_rounds" in debrief["blocking_blind_spots"]
    assert all(report["score"] < 55 for report in reports)


def test_a_planted_contradiction_is_quoted_and_weighed(tmp_path: Path) -> None:
    debrief, _ = whole_loop(tmp_path, "contradiction")
    # one changed figure alone does not turn a hire into lean no hire under the Sony rule
    assert debrief["decision"] in {"hire", "strong_hire"}, debrief["reasons"]
    assert debrief["contradiction_weight"] == 1.0
    [item] = debrief["inconsistencies"]
    assert item["weight"] == 1.0 and item["why"]
    assert item["subject"] == "team size"
    by_round = {c["round"]: c["quote"] for c in item["claims"]}
    assert set(by_round) == {"recruiter_screen", "hiring_committee"}
    assert "team of 8" in by_round["recruiter_screen"]
    assert "team of 15" in by_round["hiring_committee"]
    assert any("Contradiction between rounds (weight 1" in r for r in debrief["reasons"])
    assert any("weigh 1 in all, against the pack's limit of 1" in r for r in debrief["reasons"])
    assert debrief["closing_narrative"]["contradicts"] == ["team size"]


@pytest.mark.parametrize("variant", ["strong"])
def test_practising_a_round_again_shows_the_change(tmp_path: Path, variant: str) -> None:
    answers = json.loads(DATA.read_text())
    weak = tmp_path / "weak.txt"
    weak.write_text(answers["weak"]["technical_depth"][0], encoding="utf-8")
    strong = tmp_path / "strong.txt"
    strong.write_text(answers[variant]["technical_depth"][0], encoding="utf-8")
    first = run("practice", "technical_depth", "--no-loop", "--answer-file", str(weak), "--json")
    second = run("practice", "technical_depth", "--no-loop", "--answer-file", str(strong), "--json")
    assert second["history"]["previous"] == first["score"]
    assert second["history"]["change"] == round(second["score"] - first["score"], 1)
    assert second["score"] > first["score"]
    assert second["prompt_id"] != first["prompt_id"]  # the prompts rotate
