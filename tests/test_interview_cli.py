"""The loop, practice, report and debrief commands: output, JSON and errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from loopready.cli import cli

DATA = Path(__file__).parent / "data" / "interview" / "loop_answers.json"


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_loop_new_show_and_list() -> None:
    code, out, _ = run("loop", "new", "--start", "2026-03-02", "--json")
    assert code == 0
    created = json.loads(out)
    assert created["id"] and created["start"] == "2026-03-02"
    assert [r["date"] for r in created["rounds"]] == [
        "2026-03-02",
        "2026-03-09",
        "2026-03-16",
        "2026-03-23",
        "2026-03-29",
    ]
    assert created["next"]["round"] == "recruiter_screen"
    code, out, _ = run("loop", "show", created["id"][:8], "--json")
    assert code == 0 and json.loads(out)["id"] == created["id"]
    code, out, _ = run("loop", "list", "--json")
    assert [row["id"] for row in json.loads(out)] == [created["id"]]
    code, out, _ = run("loop", "show")
    assert code == 0 and "Recruiter screen" in out and "2026-03-29" in out and "planned" in out
    assert f"loopready practice recruiter_screen --loop {created['id'][:8]}" in out


def test_loop_new_with_real_dates() -> None:
    code, out, _ = run(
        "loop",
        "new",
        "--date",
        "product_sense=2026-05-12",
        "--date",
        "hiring_committee=2026-06-01T10:00+02:00",
        "--json",
    )
    assert code == 0
    rounds = {r["round"]: r for r in json.loads(out)["rounds"]}
    assert rounds["product_sense"]["date"] == "2026-05-12" and rounds["product_sense"]["real_date"]
    assert rounds["recruiter_screen"]["date"] == "2026-05-05"
    assert rounds["hiring_committee"]["real_date"]


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (
            ["loop", "new", "--start", "soon"],
            "Error: --start takes a date like 2026-03-02, not 'soon'",
        ),
        (
            ["loop", "new", "--date", "lunch=2026-01-01"],
            "Error: --date 'lunch=2026-01-01': no round 'lunch'",
        ),
        (["loop", "show", "abc"], "Error: Give at least 6 characters of the loop id, not 'abc'."),
        (
            ["practice", "lunch", "--no-loop"],
            "Error: unknown round 'lunch'; valid rounds: recruiter_screen",
        ),
        (
            ["practice", "product_sense", "--answer-file", "missing.txt"],
            "Error: missing.txt: file not found",
        ),
        (["practice", "next", "--no-loop"], 'Error: "next" needs a loop'),
        (["report", "last"], "Error: You have no practice session yet."),
        (["debrief"], "Error: You have no loop yet."),
    ],
)
def test_errors_are_one_line_and_exit_2(args: list[str], error: str) -> None:
    code, out, err = run(*args)
    assert code == 2
    assert err.startswith(error)
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in out + err


def test_practice_with_an_unknown_prompt() -> None:
    code, _, err = run("practice", "product_sense", "--no-loop", "--prompt", "nope")
    assert code == 2
    assert "its prompts: ps_psn_recommendations, ps_xperia_camera_assistant" in err


def test_report_of_an_unfinished_session_says_how_to_resume() -> None:
    from loopready.interview import sessions
    from loopready.packs import get_pack
    from loopready.store import open_db

    with open_db() as db:
        view = sessions.start(db, get_pack("sony-ai-pm-2026"), "technical_depth")
    code, _, err = run("report", view.id[:8])
    assert code == 2
    assert "is not finished yet; resume it with `loopready practice technical_depth`" in err


def test_debrief_before_any_round_says_what_to_do() -> None:
    code, out, _ = run("loop", "new", "--json")
    loop_id = json.loads(out)["id"]
    code, _, err = run("debrief", loop_id)
    assert code == 2
    assert f"loopready practice recruiter_screen --loop {loop_id[:8]}" in err


@pytest.mark.parametrize("command", ["loop", "loop new", "practice", "report", "debrief"])
def test_help_ends_with_examples(command: str) -> None:
    code, out, _ = run(*command.split(), "--help")
    assert code == 0
    assert "loopready " + command.split()[0] in out.split("Options:")[0]


# -- with the grader ----------------------------------------------------------------------------


def _answers(variant: str, round_id: str) -> list[str]:
    data = json.loads(DATA.read_text())
    return list(data[variant][round_id])


def _files(tmp_path: Path, answers: list[str]) -> list[str]:
    args = []
    for n, text in enumerate(answers):
        path = tmp_path / f"answer{n}.txt"
        path.write_text(text, encoding="utf-8")
        args += ["--answer-file", str(path)]
    return args


def test_scripted_practice_then_every_report_format(tmp_path: Path) -> None:
    files = _files(tmp_path, _answers("strong", "product_sense"))
    code, out, err = run("practice", "product_sense", "--no-loop", *files, "--json")
    assert code == 0, err
    data = json.loads(out)
    session = data["session_id"]
    assert data["round_id"] == "product_sense" and 0 <= data["score"] <= 100
    assert 1 <= len(data["follow_ups"]) <= 3
    answered = [t for t in data["transcript"] if t["speaker"] == "candidate"]
    assert answered[0]["text"].startswith("Before choosing a model")
    assert answered[-1]["kind"] == "close"
    code, md, _ = run("report", session[:8])
    assert code == 0 and md.startswith(f"# Product sense case: {data['score']:.0f}/100")
    code, html, _ = run("report", session[:8], "--format", "html")
    assert code == 0 and "<!doctype html>" in html
    code, js, _ = run("report", "last", "--format", "json")
    assert json.loads(js)["session_id"] == session
    out_file = tmp_path / "report.html"
    code, _, err = run("report", session, "--format", "html", "--out", str(out_file))
    assert code == 0 and out_file.read_text().startswith("<!doctype html>")


def test_piped_practice_reads_lines_until_the_dot(tmp_path: Path) -> None:
    main = _answers("strong", "technical_depth")[0]
    code, out, err = run(
        "practice",
        "technical_depth",
        "--no-loop",
        "--json",
        input=main + "\n.\nMy next step is a weekly review.\n.\n",
    )
    assert code == 0, err
    data = json.loads(out)
    answered = [t["text"] for t in data["transcript"] if t["speaker"] == "candidate"]
    assert answered[0] == main
    assert answered[1] == "My next step is a weekly review."
    # input ran out after the first probe: the rest was skipped and the round graded
    assert data["ended_at"] is not None


def test_scripted_role_play_uses_the_last_file_as_the_decision(tmp_path: Path) -> None:
    answers = _answers("strong", "stakeholder_simulation")
    code, out, err = run(
        "practice", "stakeholder_simulation", "--no-loop", *_files(tmp_path, answers), "--json"
    )
    assert code == 0, err
    data = json.loads(out)
    candidate = [t for t in data["transcript"] if t["speaker"] == "candidate"]
    assert [t["kind"] for t in candidate] == ["answer", "candidate", "close"]
    assert candidate[-1]["text"] == answers[-1]
    assert data["roleplay"]["decided"] is True
    assert data["roleplay"]["satisfied"] == 4
    names = [t["name"] for t in data["transcript"][:4]]
    assert names == [
        "Hana, research lead",
        "Kenji, engineering lead",
        "Sofia, marketing lead",
        "Aiko, legal counsel",
    ]
