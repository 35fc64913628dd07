"""The background job runner the web app polls while audio is transcribed."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from loopready.errors import InputError, NotFound
from loopready.speech.worker import JobCancelled, JobFailed, JobRunner, Report


@pytest.fixture
def runner() -> Iterator[JobRunner]:
    jobs = JobRunner(max_workers=1)
    yield jobs
    jobs.shutdown()


def test_a_job_reports_progress_and_returns_its_result(runner: JobRunner) -> None:
    seen = threading.Event()
    go_on = threading.Event()

    def work(report: Report) -> dict[str, int]:
        report("transcribing", 0.5)
        seen.set()
        go_on.wait(5)
        return {"words": 42}

    job_id = runner.submit(work, kind="transcription")
    assert seen.wait(5)
    midway = runner.status(job_id)
    assert (midway["state"], midway["stage"], midway["progress"]) == (
        "running",
        "transcribing",
        0.5,
    )
    assert midway["kind"] == "transcription" and midway["result"] is None
    go_on.set()
    assert runner.result(job_id, timeout=5) == {"words": 42}
    done = runner.status(job_id)
    assert (done["state"], done["progress"], done["result"]) == ("done", 1.0, {"words": 42})
    assert done["error"] is None


def test_a_user_error_fails_the_job_with_its_message(runner: JobRunner) -> None:
    def work(report: Report) -> None:
        raise InputError("answer.ogg: no speech detected")

    job_id = runner.submit(work)
    with pytest.raises(InputError, match="no speech detected"):
        runner.result(job_id, timeout=5)
    status = runner.status(job_id)
    assert status["state"] == "failed" and status["error"] == "answer.ogg: no speech detected"


def test_an_unexpected_error_still_ends_the_job(runner: JobRunner) -> None:
    def work(report: Report) -> None:
        raise KeyError("boom")

    job_id = runner.submit(work)
    with pytest.raises(JobFailed, match="unexpected error: KeyError"):
        runner.result(job_id, timeout=5)
    assert runner.status(job_id)["state"] == "failed"


def test_cancel_stops_a_running_job_at_its_next_report(runner: JobRunner) -> None:
    started = threading.Event()
    release = threading.Event()
    reached_end = []

    def work(report: Report) -> None:
        report("transcribing", 0.1)
        started.set()
        release.wait(5)
        report("transcribing", 0.2)  # raises JobCancelled
        reached_end.append(True)

    job_id = runner.submit(work)
    assert started.wait(5)
    assert runner.cancel(job_id) is True
    release.set()
    with pytest.raises(JobCancelled):
        runner.result(job_id, timeout=5)
    assert runner.status(job_id)["state"] == "cancelled"
    assert reached_end == []
    assert runner.cancel(job_id) is False  # already finished


def test_a_queued_job_cancelled_before_it_starts_never_runs(runner: JobRunner) -> None:
    release = threading.Event()
    ran = []
    first = runner.submit(lambda report: release.wait(5))
    second = runner.submit(lambda report: ran.append(True))
    assert runner.status(second)["state"] == "queued"
    runner.cancel(second)
    release.set()
    runner.result(first, timeout=5)
    with pytest.raises(JobCancelled):
        runner.result(second, timeout=5)
    assert ran == []


def test_unknown_job_ids_are_not_found(runner: JobRunner) -> None:
    with pytest.raises(NotFound, match="no job 'nope'"):
        runner.status("nope")


def test_old_finished_jobs_are_dropped() -> None:
    runner = JobRunner(max_workers=1, keep_finished=2)
    try:
        ids = []
        for n in range(4):
            ids.append(runner.submit(lambda report, n=n: n))
            runner.result(ids[-1], timeout=5)
        with pytest.raises(NotFound):
            runner.status(ids[0])
        assert runner.status(ids[-1])["result"] == 3
    finally:
        runner.shutdown()
