"""Spoken answers in the mock room: upload or record, transcribe in the background, use it.

* ``POST /mock/{id}/audio`` takes a recording or an audio file and starts transcribing
  it. The page script sends the audio itself as the request body (``?seq=&keep=&name=``,
  the CSRF token in a header), which is streamed to a private file as it arrives; the
  upload form without the script sends ``multipart/form-data``. Either way the answer is
  the job's progress fragment (or, for the form, a redirect to its page).
* ``GET /mock/{id}/audio/{job}`` is the job's progress: HTMX asks for it every second
  until the transcript is ready or the job failed.
* ``POST /mock/{id}/audio/{job}/use`` keeps the finished transcript's word timings for
  grading (see :mod:`loopready.interview.spoken`); the page script then adds the text to the
  answer, which autosaves it. Without the script the server adds the text itself.
* ``POST /mock/{id}/audio/{job}/cancel`` stops a transcription.

Transcription runs in :func:`loopready.speech.worker.default_runner`'s thread, so the
server answers other requests meanwhile; the audio is deleted once transcribed unless
"keep the recording" was ticked.
"""

from __future__ import annotations

import importlib.util
import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Final

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException

from loopready.errors import InputError, MissingExtra, NotFound
from loopready.interview import sessions, spoken
from loopready.interview.sessions import SessionView
from loopready.store import Database
from loopready.web.deps import get_db
from loopready.web.templating import is_htmx, is_script, render

router = APIRouter()

#: What the upload field accepts (the speech module also takes mp4, oga, opus and flac).
ACCEPT: Final = ".wav,.mp3,.m4a,.webm,.ogg,audio/wav,audio/mpeg,audio/mp4,audio/webm,audio/ogg"
#: Jobs remembered for their pages; older ones are forgotten (as the runner forgets them).
KEEP_JOBS: Final = 200

#: Stage -> (label, where the stage starts and ends in the overall progress).
STAGES: Final[dict[str, tuple[str, float, float]]] = {
    "queued": ("Waiting for the transcription before it to finish", 0.0, 0.0),
    "starting": ("Checking the file", 0.0, 0.02),
    "checking": ("Checking the file", 0.0, 0.02),
    "decoding": ("Reading the audio", 0.02, 0.15),
    "loading model": ("Loading the speech model", 0.15, 0.25),
    "downloading model": ("Downloading the speech model (first use only)", 0.15, 0.25),
    "transcribing": ("Transcribing", 0.25, 1.0),
    "done": ("Transcribed", 1.0, 1.0),
}

_NO_SEQ: Final = "The upload did not say which answer it is for; reload the page and try again."
NO_SPEECH: Final = "No speech detected in the recording: check your microphone and try again"


@dataclass(frozen=True)
class AudioJob:
    """Which session and turn a transcription job belongs to, and what to call its file."""

    id: str
    session_id: str
    seq: int
    name: str
    path: str
    keep: bool


_jobs: OrderedDict[str, AudioJob] = OrderedDict()
_jobs_lock = threading.Lock()


def _remember(job: AudioJob) -> None:
    with _jobs_lock:
        _jobs[job.id] = job
        while len(_jobs) > KEEP_JOBS:
            _jobs.popitem(last=False)


def _job(session_id: str, job_id: str) -> AudioJob:
    with _jobs_lock:
        job = _jobs.get(job_id)
    if job is None or job.session_id != session_id:
        raise NotFound(
            "This transcription is not known here (loopready may have been restarted since). "
            "Go back to the mock and record or upload the answer again."
        )
    return job


class TooLarge(HTTPException):
    """413 for audio over the speech module's limit, naming it."""

    def __init__(self, limit_mb: int) -> None:
        super().__init__(
            status_code=413,
            detail=(
                f"Recordings and audio files can be at most {limit_mb} MB, and this one is "
                "larger. Trim it, or export it as MP3 or M4A, which are much smaller."
            ),
        )


# -- starting -------------------------------------------------------------------------------


def _open_turn(db: Database, session_id: str, seq: int) -> SessionView:
    view = sessions.load(db, session_id)
    if view.done:
        raise InputError("This mock is over; start a new one to record an answer.")
    sessions.current_turn(view, seq)
    return view


def _flag(value: object) -> bool:
    return str(value or "").strip().lower() in {"1", "true", "on", "yes"}


def _streamed_body(request: Request, max_bytes: int) -> Iterator[bytes]:
    """The request body, chunk by chunk as it arrives, from this worker thread."""
    import anyio.from_thread

    stream = request.stream().__aiter__()

    async def next_chunk() -> bytes | None:
        try:
            return await stream.__anext__()
        except StopAsyncIteration:
            return None

    received = 0
    while True:
        chunk = anyio.from_thread.run(next_chunk)
        if chunk is None:
            return
        received += len(chunk)
        if received > max_bytes:
            raise TooLarge(max_bytes // 1_000_000)
        if chunk:
            yield chunk


def _counted(chunks: Iterator[bytes], max_bytes: int) -> Iterator[bytes]:
    received = 0
    for chunk in chunks:
        received += len(chunk)
        if received > max_bytes:
            raise TooLarge(max_bytes // 1_000_000)
        yield chunk


def _file_chunks(upload: UploadFile) -> Iterator[bytes]:
    upload.file.seek(0)
    while chunk := upload.file.read(1 << 20):
        yield chunk


@router.post("/mock/{session_id}/audio", response_class=HTMLResponse)
def upload_audio(
    request: Request,
    session_id: str,
    db: Annotated[Database, Depends(get_db)],
    seq: int | None = None,
    keep: str = "",
    name: str = "",
) -> Response:
    """Save a recording or audio file and start transcribing it; answers with its progress."""
    import anyio.from_thread

    from loopready.speech import start_transcription
    from loopready.speech.audio import MAX_BYTES
    from loopready.speech.uploads import save_upload

    if importlib.util.find_spec("faster_whisper") is None:  # say so before taking the audio
        raise MissingExtra("faster-whisper", "speech", "Transcribing a spoken answer")
    content_type = request.headers.get("content-type", "")
    path: Path
    if content_type.startswith("multipart/form-data"):
        form = anyio.from_thread.run(_read_form, request)
        try:
            upload = form.get("audio")
            if not isinstance(upload, UploadFile) or not upload.filename:
                raise InputError("Choose an audio file to upload (WAV, MP3, M4A, WebM or Ogg).")
            seq = _form_int(form.get("seq"))
            keep_audio = _flag(form.get("keep_audio"))
            display = upload.filename
            view = _open_turn(db, session_id, seq)
            path = save_upload(
                _counted(_file_chunks(upload), MAX_BYTES), upload.filename, upload.content_type
            )
        finally:  # the form's spooled copy of the file goes at once, not when collected
            anyio.from_thread.run(form.close)
    else:
        if seq is None:
            raise InputError(_NO_SEQ)
        keep_audio = _flag(keep)
        display = name or "your recording"
        view = _open_turn(db, session_id, seq)
        path = save_upload(_streamed_body(request, MAX_BYTES), name or None, content_type)
    time_box = float(view.time_limit_s or view.round.minutes * 60)
    job_id = start_transcription(path, keep_audio=keep_audio, time_box_s=time_box)
    job = AudioJob(job_id, view.id, seq, display, str(path), keep_audio)
    _remember(job)
    if is_htmx(request) or is_script(request):
        return _render_job(request, job)
    return RedirectResponse(f"/mock/{view.id}/audio/{job_id}", status_code=303)


async def _read_form(request: Request) -> FormData:
    return await request.form()  # parsed already by the CSRF check, which read the token


def _form_int(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        raise InputError(_NO_SEQ) from None


# -- progress -------------------------------------------------------------------------------


def _overall(stage: str, fraction: float) -> float:
    _, start, end = STAGES.get(stage, ("", 0.0, 0.0))
    return start + (end - start) * max(0.0, min(1.0, fraction))


def _readable(message: str, job: AudioJob) -> str:
    """The speech module's message, naming the user's file instead of the private copy."""
    return message.replace(job.path, job.name)


def _failure(job: AudioJob, status: dict[str, Any]) -> tuple[str, str]:
    """``(headline, detail)`` for a failed job."""
    from loopready.speech import NoSpeech
    from loopready.speech.worker import default_runner

    error = str(status.get("error") or "")
    try:
        default_runner().result(job.id, timeout=0)
    except NoSpeech as exc:
        return NO_SPEECH + ".", _readable(str(exc), job)
    except Exception as exc:  # the job's own error: show it as the speech module wrote it
        error = str(exc) or error
    headline = "The recording could not be transcribed"
    return headline + ".", _readable(error, job)


def _job_context(job: AudioJob) -> dict[str, Any]:
    from loopready.speech.worker import default_runner

    try:
        status = default_runner().status(job.id)
    except NotFound:
        status = {
            "state": "failed",
            "stage": "failed",
            "progress": 0.0,
            "error": "This transcription is no longer running (loopready was restarted). "
            "Record or upload the answer again.",
            "result": None,
            "seconds": 0.0,
        }
    state = str(status["state"])
    stage = str(status["stage"])
    context: dict[str, Any] = {
        "job": job,
        "state": state,
        "polling": state in {"queued", "running"},
        "stage_label": STAGES.get(stage, (stage.capitalize(), 0.0, 0.0))[0],
        "percent": round(_overall(stage, float(status["progress"] or 0.0)) * 100),
        "seconds": float(status["seconds"] or 0.0),
        "result": status.get("result"),
        "headline": "",
        "detail": "",
        "use_url": f"/mock/{job.session_id}/audio/{job.id}/use",
        "cancel_url": f"/mock/{job.session_id}/audio/{job.id}/cancel",
        "poll_url": f"/mock/{job.session_id}/audio/{job.id}",
    }
    if state == "failed":
        context["headline"], context["detail"] = _failure(job, status)
    elif state == "cancelled":
        context["headline"] = "Transcription cancelled."
        context["detail"] = (
            "The recording was kept in the data folder's audio folder."
            if job.keep
            else "The recording was deleted."
        )
    return context


def _render_job(request: Request, job: AudioJob) -> HTMLResponse:
    return render(request, "partials/_audio_job.html", _job_context(job))


@router.get("/mock/{session_id}/audio/{job_id}", response_class=HTMLResponse)
def audio_job(request: Request, session_id: str, job_id: str) -> HTMLResponse:
    """A transcription's progress, or its transcript once it is done (polled every second)."""
    try:
        job = _job(session_id, job_id)
    except NotFound as exc:
        if not is_htmx(request):
            raise
        # A 200 with a finished fragment, so the page stops asking.
        return render(request, "partials/_audio_gone.html", {"message": str(exc)})
    if is_htmx(request):
        return _render_job(request, job)
    context = _job_context(job)
    context["title"] = "Transcribing your answer"
    return render(request, "partials/_audio_page.html", context, section="mock")


# -- using the transcript -------------------------------------------------------------------


@router.post("/mock/{session_id}/audio/{job_id}/use", response_class=HTMLResponse)
def use_transcript(
    request: Request,
    session_id: str,
    job_id: str,
    db: Annotated[Database, Depends(get_db)],
    seq: Annotated[int, Form()],
) -> Response:
    """Keep a finished transcript's word timings for grading, for turn ``seq``.

    The page script adds the text to the editor itself (its autosave stores it); a form
    sent without the script has the server add the text to the turn, then go back.
    """
    from loopready.speech.worker import default_runner

    job = _job(session_id, job_id)
    if seq != job.seq:
        raise sessions.StaleTurn()
    status = default_runner().status(job.id)
    result = status.get("result")
    if status["state"] != "done" or not isinstance(result, dict):
        raise InputError("This transcription has not finished; wait for it, then try again.")
    try:
        recording = spoken.store_recording(db, session_id, seq, job.id, result)
    except InputError:
        raise sessions.StaleTurn() from None
    script = is_htmx(request) or is_script(request)
    if not script:
        view = sessions.load(db, session_id)
        current = view.current
        assert current is not None  # store_recording checked that the turn is open
        text = recording["text"]
        if text not in current.text:
            joined = f"{current.text.rstrip()}\n\n{text}" if current.text.strip() else text
            sessions.autosave(db, session_id, seq, joined)
        return RedirectResponse(f"/mock/{session_id}", status_code=303)
    return render(
        request,
        "partials/_audio_result.html",
        {"job": job, "result": result, "recording": recording},
    )


@router.post("/mock/{session_id}/audio/{job_id}/cancel", response_class=HTMLResponse)
def cancel_transcription(request: Request, session_id: str, job_id: str) -> Response:
    """Stop a transcription that is waiting or running (its audio is deleted unless kept)."""
    from loopready.speech.worker import default_runner

    job = _job(session_id, job_id)
    runner = default_runner()
    runner.cancel(job.id)
    if runner.status(job.id)["state"] != "running":
        # A job cancelled before it started never runs, so its audio is settled here
        # (a running one settles its own when the cancellation reaches it).
        from loopready.speech.retention import settle_audio

        upload = Path(job.path)
        if upload.exists():
            settle_audio(upload, keep=job.keep, owned=True)
    if is_htmx(request) or is_script(request):
        return _render_job(request, job)
    return RedirectResponse(f"/mock/{session_id}", status_code=303)
