"""Saving a recording or upload from the web app to a private temporary file.

The web app streams the request body into :func:`save_upload`, which enforces
the size limit while writing (a 2 GB upload never reaches the disk whole),
picks the file extension from the name or the browser's content type, and
returns a file that :func:`loopready.speech.answer.start_transcription` then
owns and deletes after transcription. :func:`purge_stale_uploads` removes any
left behind by a crash, so audio is never kept by accident.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from loopready.errors import InputError
from loopready.settings import data_dir
from loopready.speech.audio import MAX_BYTES, SUPPORTED_EXTENSIONS

#: Content types browsers send for recordings and audio files -> extension.
CONTENT_TYPES = {
    "audio/webm": ".webm",
    "video/webm": ".webm",
    "audio/ogg": ".ogg",
    "application/ogg": ".ogg",
    "audio/opus": ".opus",
    "audio/mp4": ".m4a",
    "audio/x-m4a": ".m4a",
    "audio/aac": ".m4a",
    "video/mp4": ".mp4",
    "audio/mpeg": ".mp3",
    "audio/mp3": ".mp3",
    "audio/wav": ".wav",
    "audio/x-wav": ".wav",
    "audio/wave": ".wav",
    "audio/vnd.wave": ".wav",
    "audio/flac": ".flac",
    "audio/x-flac": ".flac",
}
_CHUNK = 1 << 20


def upload_dir() -> Path:
    """``<data folder>/uploads``, readable by this user only."""
    folder = data_dir() / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    return folder


def upload_suffix(filename: str | None, content_type: str | None) -> str:
    """The extension to save under: the file name's if supported, else the content type's."""
    suffix = Path(filename or "").suffix.lower()
    if suffix in SUPPORTED_EXTENSIONS:
        return suffix
    kind = (content_type or "").split(";")[0].strip().lower()
    if kind in CONTENT_TYPES:
        return CONTENT_TYPES[kind]
    shown = filename or kind or "the upload"
    formats = ", ".join(ext.lstrip(".") for ext in SUPPORTED_EXTENSIONS)
    raise InputError(f"{shown}: not a supported audio format; upload one of {formats}")


def save_upload(
    data: Iterable[bytes] | BinaryIO, filename: str | None, content_type: str | None
) -> Path:
    """Write an upload to a new private file, stopping at the size limit."""
    suffix = upload_suffix(filename, content_type)
    chunks: Iterable[bytes]
    if hasattr(data, "read"):
        stream = data
        chunks = iter(lambda: stream.read(_CHUNK), b"")
    else:
        chunks = data
    handle, name = tempfile.mkstemp(prefix="answer-", suffix=suffix, dir=upload_dir())
    path = Path(name)
    written = 0
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in chunks:
                written += len(chunk)
                if written > MAX_BYTES:
                    raise InputError(
                        f"{filename or 'the upload'}: over the {MAX_BYTES // 1_000_000} MB "
                        "limit; trim the recording or export it as MP3 or M4A"
                    )
                out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    if written == 0:
        path.unlink(missing_ok=True)
        raise InputError(
            f"{filename or 'the upload'}: the file is empty; record or choose the answer again"
        )
    return path


def purge_stale_uploads(older_than_s: float = 6 * 3600) -> int:
    """Delete uploads older than ``older_than_s`` (left by a crash); return how many."""
    folder = data_dir() / "uploads"
    if not folder.exists():
        return 0
    cutoff = time.time() - older_than_s
    removed = 0
    for path in folder.iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
