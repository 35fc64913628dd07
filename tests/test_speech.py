"""Transcription end to end: real speech from espeak-ng, the real tiny.en model, the CLI.

espeak-ng reads known scripts at known settings; the tests check the words
(word error rate), the pace, the fillers, a pause, silence and noise, the
background job the web app uses, and ``loopready transcribe``.
"""

from __future__ import annotations

import itertools
import json
import shutil
import time
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import speechkit
from loopready.cli import cli
from loopready.speech import NoSpeech, measure_speech, transcribe_answer
from loopready.speech.answer import SpokenAnswer, start_transcription
from loopready.speech.wer import normalise_words, word_error_rate
from loopready.speech.worker import JobRunner

pytestmark = pytest.mark.slow

PAUSE_SCRIPT = (
    'We should launch in two markets first. <break time="3s"/> '
    "Then we expand to the rest of the world."
)


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> Path:
    speechkit.require_shipped_model()
    speechkit.require_espeak()
    folder = tmp_path_factory.mktemp("speech")
    speechkit.say(speechkit.PLAIN_SCRIPT, folder / "plain-130.wav", wpm=130)
    speechkit.say(speechkit.FILLER_SCRIPT, folder / "fillers-180.wav", wpm=180)
    speechkit.say(PAUSE_SCRIPT, folder / "pause.wav", wpm=150, ssml=True)
    return folder


_results: dict[str, SpokenAnswer] = {}


def heard(clips: Path, name: str) -> SpokenAnswer:
    """Transcribe a clip once per test run (each takes a second or two)."""
    if name not in _results:
        _results[name] = transcribe_answer(clips / name)
    return _results[name]


@pytest.mark.parametrize(
    ("clip", "script"),
    [("plain-130.wav", speechkit.PLAIN_SCRIPT), ("fillers-180.wav", speechkit.FILLER_SCRIPT)],
)
def test_word_error_rate_is_at_most_15_percent(clips: Path, clip: str, script: str) -> None:
    spoken = heard(clips, clip)
    assert word_error_rate(script, spoken.transcript.text) <= 0.15, spoken.transcript.text
    assert spoken.transcript.model == "tiny.en"


@pytest.mark.parametrize(
    ("clip", "script", "setting"),
    [
        ("plain-130.wav", speechkit.PLAIN_SCRIPT, 130),
        ("fillers-180.wav", speechkit.FILLER_SCRIPT, 180),
    ],
)
def test_words_per_minute_are_within_10_percent_of_the_speech_rate(
    clips: Path, clip: str, script: str, setting: int
) -> None:
    # espeak-ng's -s setting is nominal: on these short-worded scripts it speaks 15-30% faster.
    # The true rate is the script's words over the span of sound, measured from the samples.
    true_wpm = len(normalise_words(script)) / (speechkit.sound_span(clips / clip) / 60)
    measured = heard(clips, clip).delivery
    assert measured.wpm == pytest.approx(true_wpm, rel=0.10)
    assert measured.talk_time_s == pytest.approx(speechkit.sound_span(clips / clip), abs=0.6)


def test_a_faster_setting_measures_faster(clips: Path) -> None:
    slow = heard(clips, "plain-130.wav").delivery
    fast = heard(clips, "fillers-180.wav").delivery
    assert fast.wpm > slow.wpm * 1.2


def test_fillers_in_the_script_are_counted(clips: Path) -> None:
    delivery = heard(clips, "fillers-180.wav").delivery
    assert delivery.filler_counts == speechkit.FILLER_SCRIPT_FILLERS
    assert delivery.fillers_per_minute == pytest.approx(5 / (delivery.talk_time_s / 60), rel=0.01)
    assert heard(clips, "plain-130.wav").delivery.fillers == 0


def test_a_three_second_pause_is_found(clips: Path) -> None:
    delivery = measure_speech(heard(clips, "pause.wav").transcript.words, time_box_s=5)
    pauses = delivery.pauses
    assert len(pauses) == 1 and pauses[0].seconds == pytest.approx(3.0, abs=0.5)
    assert pauses[0].after.rstrip(",.").lower() == "first"
    assert delivery.longest_stretch_s < delivery.talk_time_s - 2.5
    assert delivery.time_box == "over"


def test_decoding_in_tests_is_greedy_at_temperature_zero() -> None:
    from loopready.speech.transcribe import DECODE_OPTIONS, decode_options

    assert decode_options()["temperature"] == 0.0  # one temperature: no sampling fallback
    assert decode_options()["beam_size"] == 1
    assert "temperature" not in DECODE_OPTIONS  # outside tests, faster-whisper's fallback


def test_silence_yields_no_speech_never_text(tmp_path: Path) -> None:
    speechkit.require_shipped_model()
    silent = speechkit.write_wav(tmp_path / "silent.wav", np.zeros(speechkit.RATE * 10))
    with pytest.raises(NoSpeech, match="no speech detected"):
        transcribe_answer(silent)


def test_noise_without_speech_yields_no_speech(tmp_path: Path) -> None:
    # Loud enough to pass the silence check; the model's voice filter must find no speech.
    speechkit.require_shipped_model()
    hiss = speechkit.write_wav(tmp_path / "hiss.wav", speechkit.noise(8, dbfs=-30))
    with pytest.raises(NoSpeech, match="no words were recognised"):
        transcribe_answer(hiss)


def test_a_spoken_answer_gives_text_timings_and_delivery(clips: Path) -> None:
    spoken = transcribe_answer(clips / "pause.wav", time_box_s=30)
    text, timings, delivery = (
        spoken.transcript.text,
        spoken.transcript.words,
        spoken.delivery.to_dict(),
    )
    # The words as heard differ by CPU ("we showed lunch"): a bound, never exact words.
    script = PAUSE_SCRIPT.replace('<break time="3s"/> ', "")
    assert word_error_rate(script, text) <= 0.4, text
    # The timings are the text's words, in order, each a span inside the recording.
    assert [w for t in timings for w in normalise_words(t.word)] == normalise_words(text)
    assert all(
        0 <= t.start <= t.end <= speechkit.sound_span(clips / "pause.wav") + 2 for t in timings
    )
    assert all(a.start <= b.start for a, b in itertools.pairwise(timings))
    assert delivery["time_box_s"] == 30 and delivery["pauses"]
    assert (clips / "pause.wav").exists()  # the user's file is left alone


def test_a_background_job_transcribes_and_deletes_its_copy(clips: Path, tmp_path: Path) -> None:
    upload = shutil.copy(clips / "pause.wav", tmp_path / "upload.wav")
    runner = JobRunner()
    try:
        job_id = start_transcription(upload, runner=runner)
        stages = set()
        while (status := runner.status(job_id))["state"] in {"queued", "running"}:
            stages.add(status["stage"])
            time.sleep(0.05)
    finally:
        runner.shutdown()
    assert status["state"] == "done", status["error"]
    assert status["progress"] == 1.0
    result = status["result"]
    assert set(result) == {"text", "duration_s", "words", "delivery", "model", "audio_kept"}
    assert result["audio_kept"] is None
    assert not Path(upload).exists()
    assert stages & {"transcribing", "decoding", "loading model"}


def test_a_failed_job_reports_no_speech_and_still_deletes_the_upload(tmp_path: Path) -> None:
    speechkit.require_shipped_model()
    upload = speechkit.write_wav(tmp_path / "upload.wav", np.zeros(speechkit.RATE * 3))
    runner = JobRunner()
    try:
        job_id = start_transcription(upload, runner=runner)
        with pytest.raises(NoSpeech):
            runner.result(job_id, timeout=60)
    finally:
        runner.shutdown()
    assert runner.status(job_id)["error"].endswith("then record again")
    assert not upload.exists()


# The CLI


def test_cli_json_has_exactly_the_promised_keys(clips: Path, tmp_path: Path) -> None:
    webm = speechkit.convert(clips / "pause.wav", tmp_path / "answer.webm")
    result = CliRunner().invoke(cli, ["transcribe", str(webm), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == ["text", "duration_s", "words", "delivery", "model"]
    # WebM (Opus) is lossy: the model may hear other words than in the WAV; both stay close
    # to the script.
    script = PAUSE_SCRIPT.replace('<break time="3s"/> ', "")
    assert word_error_rate(script, data["text"]) <= 0.4, data["text"]
    assert set(data["words"][0]) == {"word", "start", "end"}
    assert data["model"] == "tiny.en"
    assert data["duration_s"] == pytest.approx(speechkit.sound_span(clips / "pause.wav"), abs=1)
    assert {"wpm", "wpm_band", "fillers_per_minute", "pauses", "longest_stretch_s"} <= set(
        data["delivery"]
    )
    assert webm.exists()


def test_cli_prints_transcript_and_delivery_and_keeps_audio_on_request(
    clips: Path, loopready_home: Path
) -> None:
    result = CliRunner().invoke(
        cli, ["transcribe", str(clips / "pause.wav"), "--time-box", "1", "--keep-audio"]
    )
    assert result.exit_code == 0, result.output
    for label in ("Transcript", "Pace", "Fillers", "Pauses > 2 s", "Talk time", "Longest stretch"):
        assert label in result.stdout
    kept = list((loopready_home / "audio").iterdir())
    assert len(kept) == 1 and kept[0].read_bytes() == (clips / "pause.wav").read_bytes()
    assert str(kept[0].name) in result.stdout.replace("\n", "")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("answer.txt", b"text", "is not a supported audio format; use wav, mp3"),
        ("answer.mp3", b"not audio at all" * 20, "cannot be read as audio"),
        ("silent.wav", None, "no speech detected"),
    ],
)
def test_cli_errors_are_one_line_and_exit_2(
    tmp_path: Path, name: str, content: bytes | None, message: str
) -> None:
    speechkit.require_shipped_model()
    path = tmp_path / name
    if content is None:
        speechkit.write_wav(path, np.zeros(speechkit.RATE * 2))
    else:
        path.write_bytes(content)
    result = CliRunner().invoke(cli, ["transcribe", str(path)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {path}: ")
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_a_file_that_fails_is_not_copied_even_with_keep_audio(
    tmp_path: Path, loopready_home: Path
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not audio")
    result = CliRunner().invoke(cli, ["transcribe", str(notes), "--keep-audio"])
    assert result.exit_code == 2
    assert notes.exists() and not (loopready_home / "audio").exists()
