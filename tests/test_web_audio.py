"""Web: spoken answers in the mock room (record or upload, transcribe, grade with timings).

Real espeak-ng speech, the real faster-whisper tiny.en, a real SQLite database and the
app in-process. Without espeak-ng or faster-whisper the tests that need them skip with
the install command (under CI=true they fail).
"""

from __future__ import annotations

import os
import re
import time
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from loopready.interview import sessions, spoken
from loopready.speech.timing import JOIN_GAP_S
from loopready.store import Database, Grade, open_db
from loopready.web import create_app
from loopready.web.limits import BodySizeLimit
from loopready.web.testing import PageClient, local_grader_problem
from speechkit import require_espeak, require_shipped_model, require_speech_extra, say
from speechkit import write_wav as write_test_wav

SCRIPT = (
    "Um, I would start with the players who stopped buying games. My main metric is the "
    "share of store visits that end in a purchase within seven days. I would run a test on "
    "five percent of users, and stop the test if refunds rise."
)
NO_SPEECH = "No speech detected in the recording: check your microphone and try again"


@pytest.fixture
def grader() -> None:
    """The local grader's model files ship with the package: fail clearly if they don't."""
    problem = local_grader_problem()
    if problem is not None:
        pytest.fail(problem, pytrace=False)


@pytest.fixture(scope="module")
def speech_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_espeak()
    require_shipped_model()
    return say(SCRIPT, tmp_path_factory.mktemp("audio") / "answer.wav", wpm=140)


@pytest.fixture
def db(loopready_home: Path) -> Iterator[Database]:
    with open_db() as database:
        yield database


@pytest.fixture
def client(db: Database) -> Iterator[PageClient]:
    with PageClient(create_app(db)) as c:
        yield c


def _start(client: PageClient, round_id: str = "product_sense") -> str:
    started = client.submit("/mock/start", {"round_id": round_id})
    assert started.status_code == 303, started.text
    session_id = started.headers["location"].split("/")[2].split("?")[0]
    client.page(f"/mock/{session_id}")
    return session_id


def _send(
    client: PageClient,
    session_id: str,
    data: Any,
    name: str,
    content_type: str,
    *,
    seq: int = 0,
    keep: bool = False,
    headers: dict[str, str] | None = None,
) -> Any:
    """Send audio as the page script does: the body is the audio, the token in a header."""
    sent = {"X-CSRF-Token": client.ensure_token(), "HX-Request": "true"}
    sent["Content-Type"] = content_type
    sent.update(headers or {})
    query = f"seq={seq}&name={name}" + ("&keep=1" if keep else "")
    return client.post(f"/mock/{session_id}/audio?{query}", content=data, headers=sent)


def _job_id(html: str) -> str:
    found = re.search(r'data-job="([0-9a-f]+)"', html)
    assert found is not None, html
    return found.group(1)


def _wait(client: PageClient, session_id: str, job_id: str, timeout: float = 120) -> str:
    """Poll the job as HTMX does until it stops polling; return the last fragment."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        polled = client.get(f"/mock/{session_id}/audio/{job_id}", headers={"HX-Request": "true"})
        assert polled.status_code == 200, polled.text
        if "hx-trigger" not in polled.text:
            return polled.text
        assert 'hx-trigger="every 1s"' in polled.text and "<progress" in polled.text
        time.sleep(0.2)
    raise AssertionError("the transcription did not finish in time")


def _uploads(home: Path) -> list[Path]:
    folder = home / "uploads"
    return sorted(folder.iterdir()) if folder.exists() else []


def _autosave(client: PageClient, session_id: str, text: str, seq: int = 0) -> None:
    saved = client.htmx(f"/mock/{session_id}/autosave", {"seq": str(seq), "text": text})
    assert saved.status_code == 200, saved.text


def _transcribe(client: PageClient, session_id: str, wav: Path, **kwargs: Any) -> str:
    sent = _send(client, session_id, wav.read_bytes(), "answer.wav", "audio/wav", **kwargs)
    assert sent.status_code == 200, sent.text
    job = _job_id(sent.text)
    done = _wait(client, session_id, job)
    assert 'data-state="done"' in done, done
    return job


def _transcript(html: str) -> str:
    found = re.search(r'data-transcript="([^"]*)"', html)
    assert found is not None, html
    import html as markup

    return markup.unescape(found.group(1))


# -- the panel ------------------------------------------------------------------------------


def test_the_room_has_a_record_button_an_upload_field_and_keep_off(client: PageClient) -> None:
    session_id = _start(client)
    page = client.page(f"/mock/{session_id}").text
    assert "data-audio-record" in page and ">Record</button>" in page
    assert 'src="/static/audio.js' in page
    upload = re.search(r'<input id="audio-file" type="file"[^>]*>', page)
    assert upload is not None
    for kind in (".wav", ".mp3", ".m4a", ".webm", ".ogg"):
        assert kind in upload.group(0)
    keep = re.search(r'<input type="checkbox" name="keep_audio"[^>]*>', page)
    assert keep is not None and "checked" not in keep.group(0)
    assert f'action="/mock/{session_id}/audio"' in page
    assert 'enctype="multipart/form-data"' in page
    script = client.get("/static/audio.js")
    assert script.status_code == 200
    assert "NotAllowedError" in script.text and "MediaRecorder" in script.text


def test_the_audio_route_alone_takes_200_mb() -> None:
    limiter = BodySizeLimit(lambda scope, receive, send: None)  # type: ignore[arg-type,return-value]
    assert limiter.limit_for("/mock/0b1c/audio") == 200 * 1024 * 1024
    assert limiter.limit_for("/mock/0b1c/autosave") == 2 * 1024 * 1024
    assert limiter.limit_for("/mock/start") == 2 * 1024 * 1024
    assert limiter.limit_for("/mock//audio") == 2 * 1024 * 1024


# -- a spoken answer, end to end ------------------------------------------------------------


def test_an_upload_is_transcribed_into_the_answer_and_deleted(
    client: PageClient, db: Database, speech_wav: Path, loopready_home: Path
) -> None:
    session_id = _start(client)
    sent = _send(client, session_id, speech_wav.read_bytes(), "answer.wav", "audio/wav")
    assert sent.status_code == 200, sent.text
    assert 'hx-trigger="every 1s"' in sent.text and "<progress" in sent.text
    job = _job_id(sent.text)
    done = _wait(client, session_id, job)
    assert 'data-state="done"' in done
    text = _transcript(done)
    for words in ("metric", "seven days", "five percent", "refund"):
        assert words in text.lower(), text

    used = client.htmx(f"/mock/{session_id}/audio/{job}/use", {"seq": "0"})
    assert used.status_code == 200, used.text
    assert "Added to your answer" in used.text
    assert "words a minute" in used.text and "130–160" in used.text
    assert "The recording was deleted" in used.text
    # The page script adds the text to the editor, whose autosave stores it.
    _autosave(client, session_id, text)
    view = sessions.load(db, session_id)
    assert view.current is not None and view.current.text == text
    stored = spoken.recordings(view.meta, 0)
    assert len(stored) == 1 and stored[0]["text"] == text
    assert len(stored[0]["words"]) == len(text.split())
    timings = spoken.word_timings(view)
    assert timings is not None and timings[0].start < 1.0 and timings[-1].end > 10

    again = client.htmx(f"/mock/{session_id}/audio/{job}/use", {"seq": "0"})
    assert again.status_code == 200
    assert len(spoken.recordings(sessions.load(db, session_id).meta, 0)) == 1  # idempotent

    assert _uploads(loopready_home) == []
    assert not (loopready_home / "audio").exists()


def _speak_turn(client: PageClient, session_id: str, wav: Path, seq: int = 0) -> str:
    """Transcribe ``wav`` into turn ``seq`` as the page does; return the text saved."""
    job = _transcribe(client, session_id, wav, seq=seq)
    done = client.get(f"/mock/{session_id}/audio/{job}", headers={"HX-Request": "true"})
    text = _transcript(done.text)
    used = client.htmx(f"/mock/{session_id}/audio/{job}/use", {"seq": str(seq)})
    assert used.status_code == 200, used.text
    return text


def _final_grade(db: Database, session_id: str) -> dict[str, Any]:
    with db.read_session() as s:
        grades = list(s.query(Grade).filter(Grade.session_id == session_id))
    assert len(grades) == 1  # graded again in place, never a second grade
    result: dict[str, Any] = grades[0].result
    return result


def _report_has_speech(client: PageClient, session_id: str, speech: dict[str, Any]) -> None:
    report = client.page(f"/reports/{session_id}").text
    assert "How you spoke" in report
    assert f"{speech['wpm']:.0f} words a minute" in report
    assert "130–160 is the usual band" in report
    assert "Fillers" in report and "Pauses over 2 s" in report
    # a spoken answer is timed against the same box as a typed one: a sixth of the round
    assert "of the 8:00 time box" in report and "Longest stretch" in report


def test_a_spoken_answer_is_graded_with_its_delivery(
    grader: None, client: PageClient, db: Database, speech_wav: Path
) -> None:
    session_id = _start(client)
    text = _speak_turn(client, session_id, speech_wav)
    # A misheard word fixed by hand keeps the recording's figures.
    edited = text.replace("metric", "success metric", 1)
    _autosave(client, session_id, edited)

    handed = client.submit(
        f"/mock/{session_id}/submit", {"seq": "0", "text": edited, "action": "finish"}
    )
    assert handed.status_code == 303, handed.text
    assert handed.headers["location"] == f"/reports/{session_id}"
    # Every turn was spoken, so the session graded with the timings itself.
    assert sessions.load(db, session_id).word_timings() is not None
    speech = _final_grade(db, session_id)["delivery"]["speech"]
    assert speech["words"] == len(text.split())
    assert 100 < speech["wpm"] < 260
    # the same time box as a typed answer's: a sixth of the 45-minute round
    assert speech["time_box_s"] == round(45 / 6) * 60
    _report_has_speech(client, session_id, speech)


def test_a_partly_typed_mock_still_reports_the_spoken_part(
    grader: None, client: PageClient, db: Database, speech_wav: Path
) -> None:
    session_id = _start(client)
    text = _speak_turn(client, session_id, speech_wav)
    handed = client.submit(
        f"/mock/{session_id}/submit", {"seq": "0", "text": text, "action": "next"}
    )
    assert handed.status_code == 303 and handed.headers["location"] == f"/mock/{session_id}"
    view = sessions.load(db, session_id)
    assert view.current is not None and view.current.seq == 1
    typed = "I would watch refunds and page latency as guardrails, every day of the test."
    ended = client.submit(
        f"/mock/{session_id}/submit", {"seq": "1", "text": typed, "action": "finish"}
    )
    assert ended.status_code == 303, ended.text
    speech = _final_grade(db, session_id)["delivery"]["speech"]
    assert speech["words"] == len(text.split())  # the spoken turn only
    _report_has_speech(client, session_id, speech)


def test_the_upload_form_works_without_the_page_script_and_keeps_audio_when_asked(
    client: PageClient, db: Database, speech_wav: Path, loopready_home: Path
) -> None:
    session_id = _start(client)
    _autosave(client, session_id, "My notes before speaking.")
    with speech_wav.open("rb") as audio:
        sent = client.post(
            f"/mock/{session_id}/audio",
            data={"csrf_token": client.ensure_token(), "seq": "0", "keep_audio": "1"},
            files={"audio": ("my answer.wav", audio, "audio/wav")},
        )
    assert sent.status_code == 303, sent.text
    job_page = sent.headers["location"]
    assert job_page.startswith(f"/mock/{session_id}/audio/")
    page = client.page(job_page)
    assert page.status_code == 200 and "Transcribing your answer" in page.text
    job = job_page.rsplit("/", 1)[1]
    done = _wait(client, session_id, job)
    text = _transcript(done)

    used = client.submit(f"/mock/{session_id}/audio/{job}/use", {"seq": "0"})
    assert used.status_code == 303 and used.headers["location"] == f"/mock/{session_id}"
    view = sessions.load(db, session_id)
    assert view.current is not None
    assert view.current.text == "My notes before speaking.\n\n" + text
    kept = spoken.recordings(view.meta, 0)[0]["audio_kept"]
    assert kept is not None and Path(kept).parent == loopready_home / "audio"
    assert Path(kept).exists() and Path(kept).suffix == ".wav"
    assert _uploads(loopready_home) == []
    # The timings still count: the transcript is in the text after the typed notes.
    assert spoken.word_timings(view) is not None


# -- guards ---------------------------------------------------------------------------------


def test_silence_says_no_speech_and_leaves_the_answer_alone(
    client: PageClient, db: Database, tmp_path: Path, loopready_home: Path
) -> None:
    require_speech_extra()
    session_id = _start(client)
    _autosave(client, session_id, "What I typed.")
    silent = write_test_wav(tmp_path / "silent.wav", np.zeros(22_050 * 4))
    sent = _send(client, session_id, silent.read_bytes(), "silent.wav", "audio/wav")
    assert sent.status_code == 200
    failed = _wait(client, session_id, _job_id(sent.text))
    assert 'data-state="failed"' in failed
    assert NO_SPEECH in failed
    assert "silent.wav" in failed and str(loopready_home) not in failed
    assert "Your answer's text was not changed" in failed
    view = sessions.load(db, session_id)
    assert view.current is not None and view.current.text == "What I typed."
    assert spoken.recordings(view.meta, 0) == []
    assert _uploads(loopready_home) == []


def test_a_corrupt_file_is_a_clear_error(client: PageClient, loopready_home: Path) -> None:
    require_speech_extra()
    session_id = _start(client)
    junk = b"ID3" + os.urandom(4000)
    sent = _send(client, session_id, junk, "interview.mp3", "audio/mpeg")
    assert sent.status_code == 200
    failed = _wait(client, session_id, _job_id(sent.text))
    assert "The recording could not be transcribed" in failed
    assert "interview.mp3: cannot be read as audio" in failed
    assert "export it again as WAV or MP3" in failed
    assert str(loopready_home) not in failed
    assert _uploads(loopready_home) == []


def test_an_unsupported_format_is_refused_before_it_is_read(
    client: PageClient, loopready_home: Path
) -> None:
    session_id = _start(client)
    sent = _send(client, session_id, b"hello", "notes.txt", "text/plain")
    assert sent.status_code == 400
    assert "notes.txt: not a supported audio format" in sent.text
    assert "wav, mp3, m4a" in sent.text
    assert _uploads(loopready_home) == []


def test_over_60_minutes_is_refused_naming_the_limit(
    client: PageClient, tmp_path: Path, loopready_home: Path
) -> None:
    require_speech_extra()
    session_id = _start(client)
    long_wav = tmp_path / "long.wav"
    rate, seconds = 2_000, 61 * 60
    with wave.open(str(long_wav), "wb") as out:  # 8-bit silence: 7 MB for 61 minutes
        out.setnchannels(1)
        out.setsampwidth(1)
        out.setframerate(rate)
        out.writeframes(b"\x80" * (rate * seconds))
    sent = _send(client, session_id, long_wav.read_bytes(), "long.wav", "audio/wav")
    failed = _wait(client, session_id, _job_id(sent.text))
    assert "long.wav: 61.0 minutes long, over the 60-minute limit" in failed
    assert _uploads(loopready_home) == []


def test_over_200_mb_is_refused_with_413_naming_the_limit(
    client: PageClient, loopready_home: Path
) -> None:
    session_id = _start(client)
    # A body that declares 250 MB is refused before a byte of it is read.
    sent = _send(
        client,
        session_id,
        b"RIFF" + b"\0" * 1000,
        "huge.wav",
        "audio/wav",
        headers={"Content-Length": str(250_000_000)},
    )
    assert sent.status_code == 413
    assert "200 MB" in sent.text
    assert _uploads(loopready_home) == []


def test_a_streamed_upload_stops_at_the_routes_limit(db: Database, loopready_home: Path) -> None:
    app = create_app(db, limit_overrides={"/mock/*/audio": 64 * 1024})
    with PageClient(app) as small:
        session_id = _start(small)

        def chunks() -> Iterator[bytes]:  # sent chunked: no length to refuse it by
            for _ in range(40):
                yield b"\0" * 8192

        sent = _send(small, session_id, chunks(), "long.webm", "audio/webm")
        assert sent.status_code == 413, sent.text
        assert "64 KB" in sent.text
        assert _uploads(loopready_home) == []
        # Other routes keep their own limit: the autosave still takes a normal answer.
        _autosave(small, session_id, "word " * 15_000)


def test_audio_routes_need_the_csrf_token(client: PageClient, speech_wav: Path) -> None:
    session_id = _start(client)
    bare = client.post(
        f"/mock/{session_id}/audio?seq=0&name=a.wav",
        content=speech_wav.read_bytes(),
        headers={"Content-Type": "audio/wav", "HX-Request": "true"},
    )
    assert bare.status_code == 403
    # The upload form without its token. Text parts only: the CSRF check does not close
    # the spooled file of a form it refuses, which would warn when it is collected.
    form = client.post(
        f"/mock/{session_id}/audio", files={"seq": (None, "0"), "keep_audio": (None, "1")}
    )
    assert form.status_code == 403
    forged = _send(
        client,
        session_id,
        speech_wav.read_bytes(),
        "a.wav",
        "audio/wav",
        headers={"X-CSRF-Token": "forged"},
    )
    assert forged.status_code == 403
    use = client.post(f"/mock/{session_id}/audio/abc/use", data={"seq": "0"})
    assert use.status_code == 403


def test_a_recording_for_a_turn_already_handed_in_is_refused(client: PageClient) -> None:
    session_id = _start(client)
    sent = _send(client, session_id, b"RIFF....", "a.wav", "audio/wav", seq=3)
    assert sent.status_code == 409
    assert "already handed in" in sent.text


def test_an_unknown_job_stops_the_polling(client: PageClient) -> None:
    session_id = _start(client)
    polled = client.get(f"/mock/{session_id}/audio/feedbeef", headers={"HX-Request": "true"})
    assert polled.status_code == 200
    assert "hx-trigger" not in polled.text
    assert "record or upload the answer again" in polled.text
    assert client.get(f"/mock/{session_id}/audio/feedbeef").status_code == 404


def test_a_waiting_transcription_can_be_cancelled_and_its_audio_goes(
    client: PageClient, speech_wav: Path, loopready_home: Path
) -> None:
    session_id = _start(client)
    first = _send(client, session_id, speech_wav.read_bytes(), "one.wav", "audio/wav")
    second = _send(client, session_id, speech_wav.read_bytes(), "two.wav", "audio/wav")
    waiting = _job_id(second.text)
    assert len(_uploads(loopready_home)) >= 1
    cancelled = client.htmx(f"/mock/{session_id}/audio/{waiting}/cancel")
    assert cancelled.status_code == 200
    assert 'data-state="running"' not in cancelled.text  # one worker: it had not started
    assert "two.wav" not in " ".join(p.name for p in _uploads(loopready_home))
    final = _wait(client, session_id, waiting)
    assert "Transcription cancelled." in final and "The recording was deleted." in final
    assert 'data-state="done"' in _wait(client, session_id, _job_id(first.text))
    assert _uploads(loopready_home) == []


# -- which words count ----------------------------------------------------------------------


def _fake_result(text: str, start: float = 0.3) -> dict[str, Any]:
    words = []
    t = start
    for word in text.split():
        words.append({"word": word, "start": round(t, 2), "end": round(t + 0.3, 2)})
        t += 0.4
    return {"text": text, "words": words, "duration_s": t + 0.5, "model": "test"}


def test_word_timings_follow_what_is_left_of_each_recording(db: Database) -> None:
    from loopready.packs import get_pack

    view = sessions.start(db, get_pack(), "product_sense")
    said = "I would pick one metric and set a target for the quarter"
    spoken.store_recording(db, view.id, 0, "job-1", _fake_result(said))
    spoken.store_recording(db, view.id, 0, "job-2", _fake_result("and then ship it", 1.0))

    sessions.autosave(db, view.id, 0, said + "\n\nand then ship it")
    timings = spoken.word_timings(sessions.load(db, view.id))
    assert timings is not None and len(timings) == len(said.split()) + 4
    first_end = timings[len(said.split()) - 1].end
    joined = timings[len(said.split())]
    assert joined.start == pytest.approx(first_end + JOIN_GAP_S)  # never a pause

    # Handing in gives the turn those timings, for the session's own grading.
    synced = spoken.sync_timings(db, sessions.load(db, view.id), said + "\n\nand then ship it")
    assert synced.word_timings(0) == timings
    whole = sessions.load(db, view.id).word_timings()  # every turn was spoken
    assert whole is not None and [w.word for w in whole] == [w.word for w in timings]

    # A fixed word keeps the recording; replacing it with typed text drops it.
    sessions.autosave(db, view.id, 0, said.replace("metric", "north-star metric"))
    kept = spoken.word_timings(sessions.load(db, view.id))
    assert kept is not None and len(kept) == len(said.split())
    typed = "Something else entirely, typed by hand."
    sessions.autosave(db, view.id, 0, typed)
    assert spoken.word_timings(sessions.load(db, view.id)) is None
    assert spoken.sync_timings(db, sessions.load(db, view.id), typed).word_timings(0) is None
    assert sessions.load(db, view.id).word_timings() is None

    # Once the turn is handed in, a late transcript is refused.
    sessions.autosave(db, view.id, 0, said)
    with pytest.raises(Exception, match="already handed in"):
        spoken.store_recording(db, view.id, 1, "job-3", _fake_result("late"))


def test_without_the_speech_extra_the_upload_says_what_to_install(
    client: PageClient, monkeypatch: pytest.MonkeyPatch, loopready_home: Path
) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *args: None if name == "faster_whisper" else real(name, *args),
    )
    session_id = _start(client)
    sent = _send(client, session_id, b"RIFF....", "a.wav", "audio/wav")
    assert sent.status_code == 400
    assert "pip install &#39;loopready[speech]&#39;" in sent.text
    assert _uploads(loopready_home) == []


def test_uploads_a_crash_left_behind_go_when_the_app_starts(
    db: Database, loopready_home: Path
) -> None:
    folder = loopready_home / "uploads"
    folder.mkdir()
    old, fresh = folder / "answer-old.webm", folder / "answer-new.webm"
    old.write_bytes(b"old")
    fresh.write_bytes(b"new")  # may belong to a transcription still running
    hours_ago = time.time() - 7 * 3600
    os.utime(old, (hours_ago, hours_ago))
    with PageClient(create_app(db)) as started:
        assert started.get("/healthz").status_code == 200
        assert _uploads(loopready_home) == [fresh]
