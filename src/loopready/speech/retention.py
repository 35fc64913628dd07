"""Keeping or deleting audio after transcription. The default is to keep nothing.

loopready never deletes a file you point it at (``loopready transcribe
answer.m4a`` leaves ``answer.m4a`` alone). Audio that loopready itself holds,
such as a recording or upload from the web app, is deleted as soon as it has
been transcribed, unless you choose to keep it: ``--keep-audio``, the web app's
"keep the recording" box, or ``LOOPREADY_KEEP_AUDIO=1`` for every answer. Kept
audio goes to ``<data folder>/audio``.
"""

from __future__ import annotations

import os
import re
import shutil
from datetime import datetime
from pathlib import Path

from loopready.errors import StorageError
from loopready.settings import data_dir

ENV_VAR = "LOOPREADY_KEEP_AUDIO"
_TRUE = {"1", "true", "yes", "on"}
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def keep_audio_default() -> bool:
    """Whether to keep audio when the caller does not say: ``LOOPREADY_KEEP_AUDIO``, else no."""
    return os.environ.get(ENV_VAR, "").strip().lower() in _TRUE


def audio_dir() -> Path:
    """Where kept audio goes: ``<data folder>/audio``."""
    return data_dir() / "audio"


def _destination(path: Path) -> Path:
    folder = audio_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    stem = _UNSAFE.sub("-", path.stem).strip("-") or "answer"
    candidate = folder / f"{stamp}-{stem}{path.suffix.lower()}"
    number = 2
    while candidate.exists():
        candidate = folder / f"{stamp}-{stem}-{number}{path.suffix.lower()}"
        number += 1
    return candidate


def settle_audio(path: Path, *, keep: bool, owned: bool) -> Path | None:
    """Keep a copy of ``path`` in :func:`audio_dir` or, if loopready owns it, delete it.

    ``owned`` is true for files loopready made (recordings, uploads); those are
    moved when kept and deleted otherwise. A user's own file is copied when kept
    and never deleted. Returns where the kept audio now is, or None.
    """
    if keep:
        target = _destination(path)
        try:
            if owned:
                shutil.move(str(path), target)
            else:
                shutil.copy2(path, target)
        except OSError as exc:
            raise StorageError(
                f"could not keep the audio in {target.parent} ({exc.strerror or exc}); "
                "free some disk space or check the folder's permissions"
            ) from None
        return target
    if owned:
        path.unlink(missing_ok=True)
    return None
