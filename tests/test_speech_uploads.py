"""Uploads and recordings from the web app: private temp files, limits enforced while writing."""

from __future__ import annotations

import io
import os
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from loopready.errors import InputError
from loopready.speech import uploads
from loopready.speech.uploads import purge_stale_uploads, save_upload, upload_suffix


@pytest.mark.parametrize(
    ("filename", "content_type", "suffix"),
    [
        ("answer.M4A", None, ".m4a"),
        ("blob", "audio/webm;codecs=opus", ".webm"),
        (None, "audio/ogg; codecs=opus", ".ogg"),
        ("recording", "audio/mp4", ".m4a"),
        ("take.mp3", "application/octet-stream", ".mp3"),
    ],
)
def test_the_extension_comes_from_the_name_or_the_content_type(
    filename: str | None, content_type: str | None, suffix: str
) -> None:
    assert upload_suffix(filename, content_type) == suffix


def test_an_unknown_type_is_refused() -> None:
    with pytest.raises(InputError, match=r"notes\.pdf: not a supported audio format; upload one"):
        upload_suffix("notes.pdf", "application/pdf")


def test_an_upload_is_saved_privately(loopready_home: Path) -> None:
    path = save_upload(io.BytesIO(b"x" * 3000), "answer.webm", "audio/webm")
    assert path.parent == loopready_home / "uploads" and path.suffix == ".webm"
    assert path.read_bytes() == b"x" * 3000
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_size_limit_stops_the_write_and_leaves_nothing(
    monkeypatch: pytest.MonkeyPatch, loopready_home: Path
) -> None:
    monkeypatch.setattr(uploads, "MAX_BYTES", 10_000)
    pulled = []

    def body() -> Iterator[bytes]:
        for n in range(100):
            pulled.append(n)
            yield b"y" * 1000

    with pytest.raises(InputError, match=r"big\.wav: over the 0 MB limit"):
        save_upload(body(), "big.wav", None)
    assert len(pulled) == 11  # stopped at the first chunk past the limit
    assert list((loopready_home / "uploads").iterdir()) == []


def test_an_empty_upload_is_refused(loopready_home: Path) -> None:
    with pytest.raises(InputError, match="the file is empty"):
        save_upload([], "answer.ogg", None)
    assert list((loopready_home / "uploads").iterdir()) == []


def test_stale_uploads_are_purged() -> None:
    old = save_upload([b"old"], "a.wav", None)
    new = save_upload([b"new"], "b.wav", None)
    hours_ago = time.time() - 7 * 3600
    os.utime(old, (hours_ago, hours_ago))
    assert purge_stale_uploads() == 1
    assert not old.exists() and new.exists()
