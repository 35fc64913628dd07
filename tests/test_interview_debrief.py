"""The committee's fairness: weighed contradictions, explained changes, which attempts count."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from loopready.cli import cli
from loopready.interview.debrief import (
    RoundLine,
    _describe_inconsistency,
    _Facts,
    decide,
    explanation_of,
    loop_consistency,
)
from loopready.packs import get_pack

PACK = get_pack("sony-ai-pm-2026")
SCREEN = (
    "I am a product manager who ships machine learning features. At Beacon I led a team of 8 "
    "engineers and we lifted retention by 12% in 2023 with a ranking model. I want to join Sony "
    "because PlayStation and Xperia put models in front of millions of players, and I expect a "
    "total package in line with the band."
)


def _found(texts: dict[str, str]) -> list:  # type: ignore[type-arg]
    _, found = loop_consistency(PACK, texts.items())
    return found


def test_a_changed_figure_with_its_explanation_is_not_held_against_you() -> None:
    texts = {
        "recruiter_screen": "At Beacon I led a team of 8 engineers and we shipped in March.",
        "hiring_committee": (
            "At Beacon I led a team of 15 engineers. The team grew from 8 to 15 after the "
            "first launch."
        ),
    }
    [item] = _found(texts)
    assert explanation_of(item, texts) == "The team grew from 8 to 15 after the first launch."
    unexplained = {**texts, "hiring_committee": "At Beacon I led a team of 15 engineers."}
    [item] = _found(unexplained)
    assert explanation_of(item, unexplained) is None


def test_a_hedged_or_close_figure_weighs_half() -> None:
    plain = _found(
        {
            "recruiter_screen": "At Beacon I led a team of 8 engineers.",
            "hiring_committee": "At Beacon I led a team of 15 engineers.",
        }
    )
    hedged = _found(
        {
            "recruiter_screen": "At Beacon I led a team of about 8 engineers.",
            "hiring_committee": "At Beacon I led a team of 15 engineers.",
        }
    )
    assert _describe_inconsistency(PACK, plain[0]).weight == 1.0
    assert _describe_inconsistency(PACK, hedged[0]).weight == 0.5


def _facts(score: float, weights: list[float]) -> _Facts:
    rounds = [
        RoundLine(
            round=r.id,
            name=r.name,
            done=True,
            required=True,
            score=score,
            bar=55,
            at_bar=True,
            weight=float(r.minutes),
        )
        for r in PACK.rounds
    ]
    found = _found(
        {
            "recruiter_screen": "At Beacon I led a team of 8 engineers.",
            "hiring_committee": "At Beacon I led a team of 15 engineers.",
        }
    )
    lines = []
    for w in weights:
        line = _describe_inconsistency(PACK, found[0])
        lines.append(line.model_copy(update={"weight": w}))
    return _Facts(
        overall=score, rounds=rounds, missing=[], below=[], inconsistencies=lines, blocking=[]
    )


def test_one_changed_figure_alone_does_not_sink_an_86() -> None:
    decision, reasons, rule, _ = decide(PACK, _facts(86, [1.0]))
    assert decision == "strong_hire"
    assert any("weight 1" in r for r in reasons)
    decision, reasons, rule, _ = decide(PACK, _facts(86, [1.0, 1.0]))
    assert decision == "lean_no_hire"
    assert "contradictions weighing 2" in rule.text


def test_reasons_name_rounds_and_blind_spots_not_ids() -> None:
    facts = _facts(60, [])
    facts.blocking = ["isolated_rounds"]
    _, reasons, _, flips = decide(PACK, facts)
    text = " ".join(reasons + flips)
    assert "isolated_rounds" not in text and "isolated rounds" in text.lower()


def test_cli_debrief_reads_best_attempts_on_request(tmp_path: Path) -> None:
    runner = CliRunner()
    loop = json.loads(runner.invoke(cli, ["loop", "new", "--json"]).stdout)["id"]
    for k, text in enumerate(["I like AI.", SCREEN]):
        path = tmp_path / f"a{k}.txt"
        path.write_text(text, encoding="utf-8")
        done = runner.invoke(
            cli,
            ["practice", "recruiter_screen", "--loop", loop, "--answer-file", str(path), "--json"],
        )
        assert done.exit_code == 0, done.stderr
    scores = {}
    for choice in ("latest", "best"):
        out = runner.invoke(cli, ["debrief", loop, "--attempts", choice, "--json"])
        assert out.exit_code == 0, out.stderr
        packet = json.loads(out.stdout)
        assert packet["attempts_read"] == choice
        scores[choice] = next(r for r in packet["rounds"] if r["round"] == "recruiter_screen")[
            "score"
        ]
    assert scores["best"] >= scores["latest"]
    bad = runner.invoke(cli, ["debrief", loop, "--attempts", "worst"])
    assert bad.exit_code == 2 and "'worst' is not one of 'latest', 'best'" in bad.stderr
