"""Spoken answers: transcription on this computer, and how the answer was delivered.

Importing this package is cheap: faster-whisper and PyAV load only when audio
is first transcribed. The public API:

* :func:`transcribe_answer`, :func:`start_transcription`
  (:mod:`loopready.speech.answer`);
* :func:`transcribe` and :class:`Transcript` (:mod:`loopready.speech.transcribe`);
* :func:`measure_speech` and :class:`SpeechDelivery` (:mod:`loopready.speech.delivery`);
* :func:`resolve_model` (:mod:`loopready.speech.models`);
* :class:`NoSpeech`, raised when a recording holds no speech;
* for the web app: :func:`loopready.speech.uploads.save_upload` and the job runner
  :func:`loopready.speech.worker.default_runner`.
"""

from __future__ import annotations

from loopready.speech.answer import (
    SpokenAnswer,
    start_transcription,
    transcribe_answer,
)
from loopready.speech.delivery import SpeechDelivery, measure_speech
from loopready.speech.errors import NoSpeech
from loopready.speech.models import ModelChoice, resolve_model
from loopready.speech.transcribe import Transcript, transcribe

__all__ = [
    "ModelChoice",
    "NoSpeech",
    "SpeechDelivery",
    "SpokenAnswer",
    "Transcript",
    "measure_speech",
    "resolve_model",
    "start_transcription",
    "transcribe",
    "transcribe_answer",
]
