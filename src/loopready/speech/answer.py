"""A spoken answer end to end: transcribe, measure delivery, keep or delete the audio.

This is the API other parts of loopready call:

* :func:`transcribe_answer` returns a :class:`SpokenAnswer` (CLI ``transcribe`` and
  ``practice --audio``): its transcript's text and words are a
  :class:`~loopready.grading.base.GradeRequest`'s answer and word timings;
* :func:`start_transcription` runs :func:`transcribe_answer` as a background job
  and returns its id, for the web app to poll with
  ``default_runner().status(job_id)``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel

from loopready.speech.delivery import SpeechDelivery, measure_speech
from loopready.speech.models import DownloadProgress
from loopready.speech.retention import keep_audio_default, settle_audio
from loopready.speech.transcribe import ProgressFn, Transcript, transcribe
from loopready.speech.worker import JobRunner, Report, default_runner


class SpokenAnswer(BaseModel):
    """A transcript, its delivery figures, and where the audio was kept (if it was)."""

    transcript: Transcript
    delivery: SpeechDelivery
    audio_kept: str | None = None

    def to_json_dict(self) -> dict[str, Any]:
        """The ``transcribe --json`` shape: text, duration_s, words, delivery, model."""
        t = self.transcript
        return {
            "text": t.text,
            "duration_s": t.duration_s,
            "words": [w.model_dump() for w in t.words],
            "delivery": self.delivery.to_dict(),
            "model": t.model,
        }


def transcribe_answer(
    path: Path | str,
    *,
    model: str | None = None,
    time_box_s: float | None = None,
    keep_audio: bool | None = None,
    owned: bool = False,
    on_progress: ProgressFn | None = None,
    on_download: DownloadProgress | None = None,
) -> SpokenAnswer:
    """Transcribe a recorded answer and measure its delivery.

    ``keep_audio`` None follows ``LOOPREADY_KEEP_AUDIO`` (default: keep nothing).
    ``owned`` marks a file loopready made (a web recording or upload): it is
    deleted afterwards, whether transcription worked or not, unless kept. A
    user's own file is never deleted; keeping it stores a copy once it has
    been transcribed.
    """
    path = Path(path)
    keep = keep_audio_default() if keep_audio is None else keep_audio
    try:
        transcript = transcribe(path, model=model, on_progress=on_progress, on_download=on_download)
    except BaseException:
        # loopready's own copy must not linger (or is kept for another try, if asked);
        # a user's own file is still where it was, so nothing is copied on failure.
        if owned and path.exists():
            settle_audio(path, keep=keep, owned=True)
        raise
    kept = settle_audio(path, keep=keep, owned=owned)
    return SpokenAnswer(
        transcript=transcript,
        delivery=measure_speech(transcript.words, time_box_s=time_box_s),
        audio_kept=str(kept) if kept else None,
    )


def start_transcription(
    path: Path | str,
    *,
    model: str | None = None,
    time_box_s: float | None = None,
    keep_audio: bool | None = None,
    owned: bool = True,
    runner: JobRunner | None = None,
) -> str:
    """Transcribe in the background; return the job id to poll.

    ``owned`` defaults to True here: the web app passes its own temporary copy
    of the recording or upload, which is deleted afterwards unless kept. The
    finished job's ``result`` is :meth:`SpokenAnswer.to_json_dict` (plus
    ``audio_kept``); a model download shows as stage "downloading model" with
    its fraction.
    """
    job_runner = runner or default_runner()

    def job(report: Report) -> dict[str, Any]:
        def on_download(bar: Any) -> None:
            if bar.unit == "B" and bar.total:
                report("downloading model", bar.done / bar.total)

        spoken = transcribe_answer(
            path,
            model=model,
            time_box_s=time_box_s,
            keep_audio=keep_audio,
            owned=owned,
            on_progress=report,
            on_download=on_download,
        )
        return {**spoken.to_json_dict(), "audio_kept": spoken.audio_kept}

    return job_runner.submit(job, kind="transcription")
