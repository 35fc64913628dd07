"""Background jobs with ids, progress and results, for work too slow for a web request.

The web app submits a transcription, answers at once with the job id, and
polls :meth:`JobRunner.status` (a JSON-ready dict) until the job is done or
failed. Jobs run in a small thread pool: the model's work happens in native
code that releases the GIL, so the web server stays responsive, and one model
loaded in the process serves every job.

A job function receives a ``report(stage, fraction)`` callback. Calling it
records progress and is also where cancellation takes effect: after
:meth:`JobRunner.cancel`, the next call raises :class:`JobCancelled`.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Literal

from loopready.errors import LoopreadyError, NotFound

State = Literal["queued", "running", "done", "failed", "cancelled"]
Report = Callable[[str, float], None]
JobFn = Callable[[Report], Any]

#: Finished jobs kept for polling; the oldest are dropped past this.
KEEP_FINISHED = 100


class JobCancelled(Exception):
    """Raised inside a job's progress callback once the job has been cancelled."""


@dataclass
class _Job:
    id: str
    kind: str
    state: State = "queued"
    stage: str = "queued"
    progress: float = 0.0
    result: Any = None
    error: str | None = None
    created: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None
    cancel_requested: bool = False
    exception: LoopreadyError | None = None
    future: Future[Any] | None = None


class JobRunner:
    """Runs job functions in background threads and remembers their outcome."""

    def __init__(self, max_workers: int = 1, keep_finished: int = KEEP_FINISHED) -> None:
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="loopready-job")
        self._jobs: OrderedDict[str, _Job] = OrderedDict()
        self._lock = threading.Lock()
        self._keep = keep_finished

    def submit(self, fn: JobFn, kind: str = "job") -> str:
        """Queue ``fn(report)`` and return the new job's id."""
        job = _Job(id=uuid.uuid4().hex, kind=kind)
        with self._lock:
            self._jobs[job.id] = job
            self._prune()
        job.future = self._pool.submit(self._run, job, fn)
        return job.id

    def _run(self, job: _Job, fn: JobFn) -> Any:
        with self._lock:
            if job.cancel_requested:
                job.state, job.stage, job.finished = "cancelled", "cancelled", time.time()
                return None
            job.state, job.stage, job.started = "running", "starting", time.time()

        def report(stage: str, fraction: float) -> None:
            with self._lock:
                if job.cancel_requested:
                    raise JobCancelled(job.id)
                job.stage = stage
                job.progress = max(0.0, min(1.0, float(fraction)))

        try:
            result = fn(report)
        except JobCancelled:
            self._finish(job, "cancelled", error="cancelled")
            return None
        except LoopreadyError as exc:
            job.exception = exc
            self._finish(job, "failed", error=str(exc))
            return None
        except Exception as exc:  # a bug must still end the job, with something to show
            self._finish(job, "failed", error=f"unexpected error: {type(exc).__name__}: {exc}")
            return None
        self._finish(job, "done", result=result)
        return result

    def _finish(
        self, job: _Job, state: State, result: Any = None, error: str | None = None
    ) -> None:
        with self._lock:
            job.state = state
            job.stage = state
            job.result = result
            job.error = error
            job.finished = time.time()
            if state == "done":
                job.progress = 1.0

    def _prune(self) -> None:
        finished = [j.id for j in self._jobs.values() if j.finished is not None]
        for job_id in finished[: max(0, len(finished) - self._keep)]:
            del self._jobs[job_id]

    def _get(self, job_id: str) -> _Job:
        job = self._jobs.get(job_id)
        if job is None:
            raise NotFound(f"no job {job_id!r}; it may have finished long ago: start it again")
        return job

    def status(self, job_id: str) -> dict[str, Any]:
        """The job as JSON-ready data: id, kind, state, stage, progress, error, result, seconds."""
        with self._lock:
            job = self._get(job_id)
            result = job.result
            if result is not None and hasattr(result, "to_json_dict"):
                result = result.to_json_dict()
            end = job.finished or time.time()
            return {
                "id": job.id,
                "kind": job.kind,
                "state": job.state,
                "stage": job.stage,
                "progress": round(job.progress, 3),
                "error": job.error,
                "result": result,
                "seconds": round(end - (job.started or end), 2),
            }

    def result(self, job_id: str, timeout: float | None = None) -> Any:
        """Wait for a job and return its result; raise its error if it failed.

        A job that failed with a :class:`LoopreadyError` raises that same error;
        any other failure raises :class:`JobFailed`.
        """
        with self._lock:
            job = self._get(job_id)
        assert job.future is not None
        job.future.result(timeout=timeout)
        if job.state == "failed":
            raise job.exception or JobFailed(job.error or "the job failed")
        if job.state == "cancelled":
            raise JobCancelled(job.id)
        return job.result

    def cancel(self, job_id: str) -> bool:
        """Ask a job to stop; True unless it had already finished."""
        with self._lock:
            job = self._get(job_id)
            if job.finished is not None:
                return False
            job.cancel_requested = True
            return True

    def shutdown(self, wait: bool = True) -> None:
        """Cancel queued and running jobs and stop the threads."""
        with self._lock:
            for job in self._jobs.values():
                if job.finished is None:
                    job.cancel_requested = True
        self._pool.shutdown(wait=wait, cancel_futures=False)


class JobFailed(LoopreadyError):
    """A background job ended with an error; the message is the job's."""


_default: JobRunner | None = None
_default_lock = threading.Lock()


def default_runner() -> JobRunner:
    """The process-wide runner (one worker thread: transcriptions run one at a time)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = JobRunner(max_workers=1)
        return _default
