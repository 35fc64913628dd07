"""Audio is kept only when the user asks; loopready's own copies are deleted otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from loopready.speech.retention import audio_dir, keep_audio_default, settle_audio


@pytest.fixture
def recording(tmp_path: Path) -> Path:
    path = tmp_path / "My answer (take 2).webm"
    path.write_bytes(b"audio bytes")
    return path


def test_by_default_nothing_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LOOPREADY_KEEP_AUDIO", raising=False)
    assert keep_audio_default() is False
    monkeypatch.setenv("LOOPREADY_KEEP_AUDIO", "yes")
    assert keep_audio_default() is True
    monkeypatch.setenv("LOOPREADY_KEEP_AUDIO", "0")
    assert keep_audio_default() is False


def test_an_owned_recording_is_deleted_when_not_kept(recording: Path) -> None:
    assert settle_audio(recording, keep=False, owned=True) is None
    assert not recording.exists()
    assert not audio_dir().exists() or not any(audio_dir().iterdir())


def test_an_owned_recording_is_moved_into_the_data_folder_when_kept(
    recording: Path, loopready_home: Path
) -> None:
    kept = settle_audio(recording, keep=True, owned=True)
    assert kept is not None and kept.parent == loopready_home / "audio"
    assert kept.read_bytes() == b"audio bytes"
    assert kept.name.endswith("-My-answer-take-2.webm")
    assert not recording.exists()


def test_a_users_own_file_is_never_deleted(recording: Path) -> None:
    assert settle_audio(recording, keep=False, owned=False) is None
    assert recording.read_bytes() == b"audio bytes"
    kept = settle_audio(recording, keep=True, owned=False)
    assert kept is not None and kept.read_bytes() == b"audio bytes"
    assert recording.exists()


def test_two_kept_copies_in_the_same_second_do_not_overwrite(recording: Path) -> None:
    first = settle_audio(recording, keep=True, owned=False)
    second = settle_audio(recording, keep=True, owned=False)
    assert first is not None and second is not None and first != second
    assert first.exists() and second.exists()
