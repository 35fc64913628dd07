"""Reading audio files: checks, limits, decoding to 16 kHz mono, and the silence check.

Files are decoded with PyAV (FFmpeg), which faster-whisper already installs, so
WAV, MP3, M4A/MP4 (AAC), WebM and Ogg (Opus or Vorbis) need no other program.
Every problem becomes an :class:`~loopready.errors.InputError` that names the
file and says what to do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from loopready.errors import InputError, MissingExtra
from loopready.speech.errors import NoSpeech

#: Extensions accepted, as users know them. Browsers record WebM (Chrome, Firefox),
#: Ogg (Firefox) or MP4 (Safari).
SUPPORTED_EXTENSIONS = (".wav", ".mp3", ".m4a", ".mp4", ".webm", ".ogg", ".oga", ".opus", ".flac")
MAX_BYTES = 200 * 1000 * 1000
MAX_SECONDS = 60 * 60
SAMPLE_RATE = 16_000

#: A 30 ms frame louder than this (RMS, dB below full scale) may hold speech.
VOICE_DBFS = -50.0
#: Less than this much audio above :data:`VOICE_DBFS` is treated as silence.
MIN_VOICED_S = 0.3
_FRAME = SAMPLE_RATE * 30 // 1000

Audio = npt.NDArray[np.float32]


@dataclass(frozen=True)
class AudioInfo:
    """What a quick look at a file found, before decoding it."""

    path: Path
    size_bytes: int
    container: str
    codec: str
    duration_s: float | None


def _av() -> Any:
    try:
        import av
    except ImportError:
        raise MissingExtra("faster-whisper", "speech", "Transcription") from None
    return av


def _supported() -> str:
    return ", ".join(ext.lstrip(".") for ext in SUPPORTED_EXTENSIONS)


def _mb(size: int) -> str:
    return f"{size / 1_000_000:,.0f} MB"


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:,.1f} minutes"


def check_file(path: Path) -> AudioInfo:
    """Check that ``path`` is a readable audio file within the limits; probe its duration."""
    if not path.exists():
        raise InputError(f"{path}: file not found")
    if path.is_dir():
        raise InputError(f"{path}: is a folder; give an audio file ({_supported()})")
    if path.suffix.lower() not in SUPPORTED_EXTENSIONS:
        shown = path.suffix or "files without an extension"
        raise InputError(
            f"{path}: {shown} is not a supported audio format; use {_supported()} "
            "(most recorders and editors can export WAV or MP3)"
        )
    size = path.stat().st_size
    if size == 0:
        raise InputError(f"{path}: the file is empty; record or export the answer again")
    if size > MAX_BYTES:
        raise InputError(
            f"{path}: {_mb(size)} is over the {_mb(MAX_BYTES)} limit; "
            "trim the recording or export it as MP3 or M4A, which are much smaller"
        )
    av = _av()
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise InputError(f"{path}: has no audio track; export the sound as {_supported()}")
            stream = container.streams.audio[0]
            duration = _duration(container, stream)
            info = AudioInfo(
                path=path,
                size_bytes=size,
                container=str(container.format.name),
                codec=str(stream.codec_context.name),
                duration_s=duration,
            )
    except av.FFmpegError as exc:
        raise _unreadable(path, exc) from None
    if duration is not None and duration > MAX_SECONDS:
        raise InputError(
            f"{path}: {_minutes(duration)} long, over the {MAX_SECONDS // 60}-minute limit; "
            "split the recording into shorter answers"
        )
    return info


def _duration(container: Any, stream: Any) -> float | None:
    # MediaRecorder's WebM files usually carry no duration; decoding counts it then.
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return float(container.duration) / 1_000_000
    return None


def _unreadable(path: Path, exc: Exception) -> InputError:
    detail = getattr(exc, "strerror", None) or str(exc)
    return InputError(
        f"{path}: cannot be read as audio ({detail}); the file may be damaged or not really "
        f"{path.suffix.lstrip('.').upper() or 'audio'}: check that it plays, "
        "or export it again as WAV or MP3"
    )


def decode(
    info: AudioInfo,
    max_seconds: float = MAX_SECONDS,
    on_progress: Callable[[float], None] | None = None,
) -> Audio:
    """The file's first audio track as 16 kHz mono float32 samples in [-1, 1].

    ``on_progress`` receives the fraction decoded, when the file states its length.
    """
    av = _av()
    limit = int(max_seconds * SAMPLE_RATE)
    expected = (info.duration_s or 0) * SAMPLE_RATE
    step = SAMPLE_RATE * 60  # report about once a minute of audio
    next_report = step
    chunks: list[Audio] = []
    total = 0
    try:
        with av.open(str(info.path), metadata_errors="ignore") as container:
            stream = container.streams.audio[0]
            resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
            for frame in container.decode(stream):
                frame.pts = None
                for out in resampler.resample(frame):
                    samples = out.to_ndarray().reshape(-1).astype(np.float32, copy=False)
                    chunks.append(samples)
                    total += samples.size
                if on_progress is not None and expected and total >= next_report:
                    on_progress(min(total / expected, 1.0))
                    next_report += step
                if total > limit:
                    raise InputError(
                        f"{info.path}: longer than the {max_seconds / 60:.0f}-minute limit; "
                        "split the recording into shorter answers"
                    )
            for out in resampler.resample(None):
                samples = out.to_ndarray().reshape(-1).astype(np.float32, copy=False)
                chunks.append(samples)
    except av.FFmpegError as exc:
        raise _unreadable(info.path, exc) from None
    if not chunks:
        raise _unreadable(info.path, ValueError("no audio samples decoded"))
    return np.concatenate(chunks)


def frame_levels(audio: Audio) -> npt.NDArray[np.float64]:
    """The RMS level of each 30 ms frame in dBFS (-120 for digital silence)."""
    frames = audio[: audio.size - audio.size % _FRAME].reshape(-1, _FRAME).astype(np.float64)
    if frames.size == 0:
        return np.zeros(0)
    centred = frames - frames.mean(axis=1, keepdims=True)
    rms = np.sqrt(np.mean(centred**2, axis=1))
    levels: npt.NDArray[np.float64] = 20 * np.log10(np.maximum(rms, 1e-6))
    return levels


def loudness_profile(audio: Audio) -> tuple[float, float]:
    """``(seconds above the voice threshold, loudest 30 ms frame in dBFS)``."""
    dbfs = frame_levels(audio)
    if dbfs.size == 0:
        return 0.0, -120.0
    voiced = float(np.count_nonzero(dbfs > VOICE_DBFS)) * _FRAME / SAMPLE_RATE
    return voiced, float(dbfs.max())


def require_sound(audio: Audio, path: Path) -> None:
    """Raise :class:`NoSpeech` when the recording is silent or nearly so."""
    voiced, loudest = loudness_profile(audio)
    if voiced < MIN_VOICED_S:
        raise NoSpeech(
            f"{path}: no speech detected (the recording is silent or nearly so: its loudest "
            f"moment is {loudest:.0f} dBFS); check that the right microphone is selected "
            "and not muted, then record again"
        )


#: A word is kept only if some frame around it is within this many dB of the loudest.
AUDIBLE_RANGE_DB = 35.0
_WORD_MARGIN_S = 0.1


def audible_spans(audio: Audio) -> Callable[[float, float], bool]:
    """A test of whether any sound was made between two times (in seconds).

    Used to drop words placed on silence, which a model can write when it
    "hears" the end of a sentence that is not there.
    """
    dbfs = frame_levels(audio)
    if dbfs.size == 0:
        return lambda start, end: False
    threshold = max(VOICE_DBFS, float(dbfs.max()) - AUDIBLE_RANGE_DB)
    loud = dbfs > threshold
    per_second = SAMPLE_RATE / _FRAME

    def audible(start: float, end: float) -> bool:
        first = max(0, int((start - _WORD_MARGIN_S) * per_second))
        last = min(loud.size, int((end + _WORD_MARGIN_S) * per_second) + 1)
        return bool(loud[first:last].any())

    return audible
