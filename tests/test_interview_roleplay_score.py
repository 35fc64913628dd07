"""Scripted stakeholder role-plays end to end: the panel's outcome bounds the score."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from loopready.cli import cli

KEYWORDS = [
    "Latency ms latency budget ms older consoles fallback kill switch. Campaign date holiday "
    "November message beta.",
    "Consent privacy review legal GDPR opt-out data protection.",
    "Roadmap research slot spring version two offline gain.",
]
PLAN = (
    "Let me check I have each concern right. Kenji, the page has to stay under 150 ms and the "
    "prototype adds 70. Aiko, nobody has checked consent yet. Sofia, the campaign slot is "
    "mid-November. Hana, shipping now locks in a model you know how to beat. Here is my "
    "proposal. We ship the smaller, distilled model, which fits inside the 150 ms budget, to five "
    "percent of players in North America in mid-November, judged on store conversion with page "
    "latency as a guardrail. {legal} Engineering puts the model behind a kill switch with the "
    "curated row as the fallback before the beta. Research gets a spring slot on the roadmap for "
    "the larger model, and we give up some ranking quality now for a page that loads on time."
)
REVIEW_FIRST = (
    "Legal starts the privacy review this week, and nothing goes public until it is done."
)
LEGAL_LATER = "Legal can finish looking at it after launch."
DECISION = (
    "My decision is a five percent beta of the smaller model in North America in mid-November. "
    "{legal} Kenji owns the kill switch by October 15, Sofia briefs the campaign by October 1, "
    "and Hana's larger model goes on the roadmap for a spring release. I will send a note with "
    "owners and dates today."
)


def _practice(tmp_path: Path, answers: list[str]) -> dict[str, Any]:
    files: list[str] = []
    for k, text in enumerate(answers):
        path = tmp_path / f"turn{k}.txt"
        path.write_text(text, encoding="utf-8")
        files += ["--answer-file", str(path)]
    result = CliRunner().invoke(
        cli,
        [
            "practice",
            "stakeholder_simulation",
            "--no-loop",
            "--prompt",
            "ss_psn_launch_conflict",
            *files,
            "--json",
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _persona(data: dict[str, Any], persona_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(p for p in data["roleplay"]["personas"] if p["id"] == persona_id)
    return found


def test_keyword_only_turns_satisfy_nobody_and_score_at_most_30(tmp_path: Path) -> None:
    data = _practice(tmp_path, [*KEYWORDS, "Decision November beta legal latency roadmap."])
    assert data["roleplay"]["satisfied"] == 0
    assert all(not p["satisfied"] for p in data["roleplay"]["personas"])
    assert data["score"] <= 30


def test_waving_legal_past_launch_scores_clearly_below_the_review_first(tmp_path: Path) -> None:
    first = _practice(
        tmp_path,
        [PLAN.format(legal=REVIEW_FIRST), DECISION.format(legal="The privacy review comes first.")],
    )
    later = _practice(
        tmp_path, [PLAN.format(legal=LEGAL_LATER), DECISION.format(legal=LEGAL_LATER)]
    )
    assert _persona(first, "legal_counsel")["satisfied"]
    legal = _persona(later, "legal_counsel")
    assert not legal["satisfied"]
    consent = next(c for c in legal["concern_states"] if c["id"] == "consent")
    assert consent["escalated"] and consent["state"] == "dismissed"
    assert later["score"] <= first["score"] - 8
    # the report shape stays: satisfied per persona, and now each concern's state
    for persona in first["roleplay"]["personas"]:
        assert isinstance(persona["satisfied"], bool)
        assert {c["state"] for c in persona["concern_states"]} <= {
            "open",
            "acknowledged",
            "addressed",
            "dismissed",
        }
