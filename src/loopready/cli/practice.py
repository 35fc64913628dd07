"""``loopready practice``: a timed mock round in the terminal, or answered from files."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from loopready.cli.options import grader_option
from loopready.errors import InputError
from loopready.grading.base import WordTiming

if TYPE_CHECKING:
    from rich.console import Console

    from loopready.interview.sessions import SessionView
    from loopready.store import Database


@click.command()
@click.argument("round_id", metavar="ROUND")
@click.option("--loop", "loop_ref", help="Loop id (or its first characters); default: your newest.")
@click.option("--no-loop", is_flag=True, help="Practise outside any loop.")
@click.option("--pack", "pack_id", help="Pack id (default: the loop's, or sony-ai-pm-2026).")
@click.option("--prompt", "prompt_id", help="Practise this prompt id, even if done before.")
@click.option(
    "--answer-file",
    "answer_files",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Answer one turn from this file (repeat once per turn); runs without prompts.",
)
@click.option(
    "--audio",
    "audio_files",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Answer one turn from a recording (wav, mp3, m4a, webm, ogg), transcribed on "
    "this computer; repeat once per turn.",
)
@click.option("--new", "fresh", is_flag=True, help="Start afresh instead of resuming.")
@grader_option()
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON at the end.")
def practice(
    round_id: str,
    loop_ref: str | None,
    no_loop: bool,
    pack_id: str | None,
    prompt_id: str | None,
    answer_files: tuple[Path, ...],
    audio_files: tuple[Path, ...],
    fresh: bool,
    grader_name: str,
    as_json: bool,
) -> None:
    """Practise a round, timed, with its report at the end.

    A mock ROUND: the prompt and its brief, a visible countdown, your answer,
    one to three follow-up probes on what your answer missed, and the close. In the
    stakeholder round the panel's personas push back on what you say and leave out,
    until you give your decision. The report prints the moment the round ends.

    End each answer with a line holding only "." (or Ctrl-D). Every line is saved as
    you type; Ctrl-C saves and stops, and the same command resumes where you left
    off (--new starts afresh). ROUND may be "next": the loop's next round.

    With --answer-file once per turn it runs without prompts: the main answer, then
    the probes in order, then the close (in the stakeholder round, the last file is
    your decision).

    With --audio once per turn, each recording is transcribed locally and graded
    with its spoken delivery: pace, fillers, pauses (needs the `speech` extra).

    \b
        loopready practice product_sense
        loopready practice next --loop 3f2a9c1e
        loopready practice technical_depth --answer-file main.txt --answer-file probe1.txt
        loopready practice product_sense --audio answer.m4a
    """
    from loopready.store import open_db

    if answer_files and audio_files:
        raise InputError("use either --answer-file or --audio for the turns, not both")
    answers = [_read_file(path) for path in answer_files]
    timings: list[list[WordTiming] | None] = []
    if audio_files:
        answers, timings = _transcribe(audio_files, round_id)
    with open_db() as db:
        view = _session(db, round_id, loop_ref, no_loop, pack_id, prompt_id, fresh, bool(answers))
        if answers:
            _scripted(db, view, answers, grader_name, as_json, timings)
        else:
            _interactive(db, view, grader_name, as_json)


def _read_file(path: Path) -> str:
    from loopready.grading.service import read_answer_bytes

    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder; give a text file") from None
    return read_answer_bytes(data, str(path))


def _session(
    db: Database,
    round_id: str,
    loop_ref: str | None,
    no_loop: bool,
    pack_id: str | None,
    prompt_id: str | None,
    fresh: bool,
    scripted: bool,
) -> SessionView:
    """Resume the round's unfinished session, or start one."""
    from loopready.interview.practice import open_round

    opened = open_round(
        db,
        round_id,
        pack_id=pack_id,
        loop_ref=loop_ref,
        no_loop=no_loop,
        prompt_id=prompt_id,
        fresh=fresh,
        scripted=scripted,
    )
    if opened.set_aside is not None:
        click.echo(
            f"Set aside the unfinished session {opened.set_aside[:8]} (its text is kept).",
            err=True,
        )
    if opened.resumed:
        click.echo(f"Resuming session {opened.view.id[:8]}.", err=True)
    return opened.view


def _transcribe(
    paths: tuple[Path, ...], round_id: str
) -> tuple[list[str], list[list[WordTiming] | None]]:
    """Transcribe each recording on this computer, with a progress line per file."""
    from loopready.speech import transcribe_answer

    texts: list[str] = []
    timings: list[list[WordTiming] | None] = []
    for path in paths:
        click.echo(f"Transcribing {path} ...", err=True)
        transcript = transcribe_answer(path).transcript
        texts.append(transcript.text)
        timings.append(list(transcript.words))
    return texts, timings


def _scripted(
    db: Database,
    view: SessionView,
    answers: list[str],
    grader_name: str,
    as_json: bool,
    timings: list[list[WordTiming] | None] | None = None,
) -> None:
    from loopready.interview.reports import build_report, render
    from loopready.interview.sessions import run_scripted

    run = run_scripted(db, view, answers, grader=grader_name, timings=timings)
    if run.unused:
        click.echo(
            f"{run.unused} answer file(s) were not needed: the session had fewer turns.",
            err=True,
        )
    report = build_report(db, run.view.id)
    if as_json:
        data: dict[str, Any] = report.to_json_dict()
        data["unused_answer_files"] = run.unused
        click.echo(json.dumps(data, ensure_ascii=False))
        return
    _print_report(render(report, "md"))


def _print_report(markdown: str) -> None:
    from rich.console import Console
    from rich.markdown import Markdown

    Console().print(Markdown(markdown))


def _header(console: Console, view: SessionView) -> None:
    from rich.panel import Panel

    rnd, prompt = view.round, view.prompt
    lines = [
        f"[bold]{rnd.name}[/bold] · {rnd.minutes} minutes · {rnd.interviewer.role}",
        "",
        f"[bold]{prompt.question}[/bold]",
    ]
    if prompt.brief:
        lines += ["", prompt.brief]
    console.print(Panel("\n".join(lines), title=view.pack.name, expand=True))


def _say(console: Console, name: str, text: str, style: str = "bold magenta") -> None:
    from rich.markup import escape

    console.print(f"[{style}]{escape(name)}:[/{style}] {escape(text)}")


def _interactive(db: Database, view: SessionView, grader_name: str, as_json: bool) -> None:
    from rich.console import Console

    from loopready.interview import sessions
    from loopready.interview.reports import build_report, render
    from loopready.interview.terminal import AnswerReader, Interrupted
    from loopready.interview.timebox import status

    # With --json, stdout carries only the JSON: the conversation goes to stderr.
    console = Console(stderr=as_json)
    screen = sys.stderr if as_json else sys.stdout
    names = {p.id: p.name for p in view.pack.personas}
    limit = float(view.time_limit_s or view.round.minutes * 60)
    base, started = view.active_s, time.monotonic()

    def elapsed() -> float:
        return base + time.monotonic() - started

    _header(console, view)
    tty = sys.stdin.isatty() and screen.isatty()
    hint = 'End each answer with a line holding only "." (or Ctrl-D); Ctrl-C saves and stops.'
    if view.mode == "roleplay":
        hint += ' Type "/decide" on its own line when you are ready to give your decision.'
    console.print(f"[dim]{hint}[/dim]")
    shown = -1
    phase = status(elapsed(), limit).phase
    try:
        while not view.done:
            current = view.current
            assert current is not None
            for turn in view.turns:
                if not shown < turn.seq < current.seq:
                    continue
                if turn.by_candidate:  # earlier answers, when resuming
                    _say(console, "You", turn.text, "dim")
                else:
                    _say(console, names.get(turn.speaker, turn.speaker.capitalize()), turn.text)
            if current.kind != "answer" and current.prompt_text:
                who = "Panel" if view.mode == "roleplay" else "Interviewer"
                _say(console, who, current.prompt_text, "bold cyan")
            shown = current.seq
            seq, session_id = current.seq, view.id

            def save(text: str, seq: int = seq, session_id: str = session_id) -> None:
                sessions.autosave(db, session_id, seq, text, active_s=elapsed())

            reader = AnswerReader(
                save,
                clock=lambda: status(elapsed(), limit),
                initial=current.text,
                allow_decide=view.mode == "roleplay" and current.kind != "close",
                phase=phase,
                stdout=screen,
            )
            answer = reader.read()
            phase = reader.phase or phase
            with console.status(
                "Listening…" if view.mode == "roleplay" else "Reading your answer…"
            ):
                if answer.end == "decide":
                    if answer.text.strip():
                        view = sessions.submit(
                            db, view, answer.text, grader=grader_name, active_s=elapsed()
                        )
                    if not view.done and view.current is not None and view.current.kind != "close":
                        view = sessions.decide_now(db, view, active_s=elapsed())
                    continue
                view = sessions.submit(
                    db, view, answer.text, grader=grader_name, active_s=elapsed()
                )
                if answer.end == "eof" and not tty and not view.done:
                    view = sessions.finish_early(db, view, grader=grader_name)
    except (Interrupted, KeyboardInterrupt):
        loop_flag = f" --loop {view.loop_id[:8]}" if view.loop_id else " --no-loop"
        console.print()
        console.print(
            f"[yellow]Saved.[/yellow] Resume with: loopready practice {view.round.id}{loop_flag}"
        )
        raise SystemExit(130) from None
    for turn in view.turns:
        if turn.seq > shown and not turn.by_candidate:
            _say(console, names.get(turn.speaker, turn.speaker.capitalize()), turn.text)
    report = build_report(db, view.id)
    if as_json:
        click.echo(json.dumps(report.to_json_dict(), ensure_ascii=False))
        return
    console.rule("Your report")
    _print_report(render(report, "md"))
    console.print(f"[dim]HTML: loopready report {view.id[:8]} --format html > report.html[/dim]")
