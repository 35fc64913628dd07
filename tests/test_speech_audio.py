"""Reading audio: the formats people record in, the limits, damaged files and silence."""

from __future__ import annotations

import random
import wave
from pathlib import Path

import numpy as np
import pytest

import speechkit
from loopready.errors import InputError
from loopready.speech.audio import (
    SAMPLE_RATE,
    audible_spans,
    check_file,
    decode,
    loudness_profile,
    require_sound,
)
from loopready.speech.errors import NoSpeech


@pytest.fixture(autouse=True)
def _speech_extra() -> None:
    speechkit.require_speech_extra()


@pytest.fixture(scope="module")
def spoken_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("audio")
    return speechkit.say("We launch in two markets first.", folder / "answer.wav")


@pytest.mark.parametrize(
    ("suffix", "container", "codec"),
    [
        (".mp3", "mp3", "mp3"),
        (".m4a", "mp4", "aac"),
        (".webm", "webm", "opus"),
        (".ogg", "ogg", "opus"),
    ],
)
def test_recorded_formats_decode_to_the_same_sound(
    spoken_wav: Path, tmp_path: Path, suffix: str, container: str, codec: str
) -> None:
    original = decode(check_file(spoken_wav))
    converted = speechkit.convert(spoken_wav, tmp_path / f"answer{suffix}")
    info = check_file(converted)
    assert container in info.container and codec in info.codec
    assert info.duration_s == pytest.approx(original.size / SAMPLE_RATE, abs=0.1)
    audio = decode(info)
    assert audio.dtype == np.float32
    assert audio.size / SAMPLE_RATE == pytest.approx(original.size / SAMPLE_RATE, abs=0.1)
    voiced, _ = loudness_profile(audio)
    assert voiced == pytest.approx(loudness_profile(original)[0], rel=0.15)


def test_an_unsupported_extension_names_the_formats(tmp_path: Path) -> None:
    path = tmp_path / "answer.txt"
    path.write_text("my answer")
    with pytest.raises(InputError, match=r"\.txt is not a supported audio format; use wav, mp3"):
        check_file(path)


def test_missing_empty_and_folder_inputs(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        check_file(tmp_path / "gone.wav")
    (tmp_path / "empty.wav").write_bytes(b"")
    with pytest.raises(InputError, match="the file is empty"):
        check_file(tmp_path / "empty.wav")
    (tmp_path / "folder.wav").mkdir()
    with pytest.raises(InputError, match="is a folder"):
        check_file(tmp_path / "folder.wav")


def test_files_over_200_mb_are_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "long.mp3"
    with big.open("wb") as out:
        out.truncate(201 * 1000 * 1000)  # sparse: no real disk used
    with pytest.raises(InputError, match="201 MB is over the 200 MB limit"):
        check_file(big)


def test_recordings_over_60_minutes_are_refused_before_decoding(tmp_path: Path) -> None:
    path = tmp_path / "all-day.wav"
    with wave.open(str(path), "wb") as out:  # 61 minutes of 8 kHz 8-bit silence: 29 MB
        out.setnchannels(1)
        out.setsampwidth(1)
        out.setframerate(8000)
        block = b"\x80" * 8000 * 60
        for _ in range(61):
            out.writeframes(block)
    with pytest.raises(InputError, match=r"61\.0 minutes long, over the 60-minute limit"):
        check_file(path)


def test_the_length_limit_holds_when_the_file_does_not_state_its_length(
    spoken_wav: Path,
) -> None:
    # MediaRecorder's WebM has no duration in its header; decoding enforces the limit.
    with pytest.raises(InputError, match="longer than the 0-minute limit"):
        decode(check_file(spoken_wav), max_seconds=1)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("notes.mp3", b"These are my notes, not a recording.\n" * 50),
        ("noise.wav", random.Random(1).randbytes(4096)),  # fixed: 1 in 300 probes as video
        ("cut.m4a", b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00"),
    ],
)
def test_damaged_files_get_a_clear_error(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        decode(check_file(path))
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert "cannot be read as audio" in message
    assert message.endswith("check that it plays, or export it again as WAV or MP3")


def test_a_truncated_recording_keeps_what_was_recorded(spoken_wav: Path, tmp_path: Path) -> None:
    data = spoken_wav.read_bytes()
    cut = tmp_path / "cut.wav"
    cut.write_bytes(data[: len(data) // 2])
    audio = decode(check_file(cut))
    full = decode(check_file(spoken_wav))
    assert audio.size == pytest.approx(full.size / 2, rel=0.05)


def test_silence_and_near_silence_are_no_speech(tmp_path: Path) -> None:
    silent = speechkit.write_wav(tmp_path / "silent.wav", np.zeros(speechkit.RATE * 5))
    hiss = speechkit.write_wav(tmp_path / "hiss.wav", speechkit.noise(5, dbfs=-65))
    for path in (silent, hiss):
        with pytest.raises(NoSpeech, match="no speech detected"):
            require_sound(decode(check_file(path)), path)


def test_speech_passes_the_silence_check(spoken_wav: Path) -> None:
    require_sound(decode(check_file(spoken_wav)), spoken_wav)


def test_audible_spans_find_where_sound_was() -> None:
    t = np.arange(SAMPLE_RATE * 4) / SAMPLE_RATE
    audio = np.where((t > 1) & (t < 2), 0.3 * np.sin(2 * np.pi * 220 * t), 0.0).astype(np.float32)
    audible = audible_spans(audio)
    assert audible(1.2, 1.6)
    assert audible(1.95, 2.3)  # overlaps the end of the tone
    assert not audible(2.5, 3.5)
    assert not audible(0.0, 0.8)


def test_decoding_a_long_file_reports_progress(tmp_path: Path) -> None:
    path = speechkit.write_wav(tmp_path / "long.wav", speechkit.noise(150, dbfs=-20))
    seen: list[float] = []
    decode(check_file(path), on_progress=seen.append)
    assert seen == sorted(seen) and len(seen) == 2
    assert seen[0] == pytest.approx(60 / 150, abs=0.02)
