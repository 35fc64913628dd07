"""`loopready practice ROUND --audio FILE`: a spoken mock round, graded with real delivery."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

import speechkit
from loopready.cli import cli

SCRIPT = (
    "I would launch the recommendations to five percent of players in week two. "
    "The metric that matters is the seven day return rate, because it predicts renewals. "
    "If complaints double, we roll back, and I own that call with the engineering lead."
)


def test_practice_with_audio_transcribes_and_grades_spoken_delivery(tmp_path: Path) -> None:
    speechkit.require_espeak()
    speechkit.require_speech_extra()
    speechkit.require_shipped_model()
    audio = speechkit.say(SCRIPT, tmp_path / "answer.wav", wpm=150)
    result = CliRunner().invoke(
        cli,
        ["practice", "product_sense", "--no-loop", "--audio", str(audio), "--json"],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    text = json.dumps(report)
    # the recogniser may write "seven day" as "7 day"
    assert ("seven" in text.lower() or "7 day" in text.lower()) and "roll back" in text.lower()
    speech = report["delivery"]["speech"]
    assert 100 <= speech["wpm"] <= 220
    assert speech["words"] >= 40


def test_audio_and_answer_files_cannot_be_mixed(tmp_path: Path) -> None:
    answer = tmp_path / "a.txt"
    answer.write_text("An answer.", encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        ["practice", "product_sense", "--no-loop", "--answer-file", str(answer), "--audio",
         str(tmp_path / "b.wav")],
    )  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Error: use either --answer-file or --audio for the turns, not both"
    )
