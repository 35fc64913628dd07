"""Shared fixtures: every test gets its own data folder, so nothing touches the real one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True, scope="session")
def model_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Keep the int8-kernel model built for the tests out of the user's cache folder.

    One folder for the whole session (the model is built once, a few seconds); an
    existing ``LOOPREADY_MODEL_CACHE`` is kept, so a developer can reuse a built copy.
    """
    import os

    existing = os.environ.get("LOOPREADY_MODEL_CACHE")
    path = Path(existing) if existing else tmp_path_factory.mktemp("model-cache")
    os.environ["LOOPREADY_MODEL_CACHE"] = str(path)
    yield path
    if existing is None:
        os.environ.pop("LOOPREADY_MODEL_CACHE", None)


@pytest.fixture(autouse=True)
def loopready_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point LOOPREADY_HOME at a fresh temp folder and clear database overrides."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("LOOPREADY_HOME", str(home))
    monkeypatch.delenv("LOOPREADY_DATABASE_URL", raising=False)
    # `loopready serve` sets LOOPREADY_HOST for the app it starts: undone after each test.
    monkeypatch.delenv("LOOPREADY_HOST", raising=False)
    monkeypatch.delenv("LOOPREADY_PUBLIC_HOST", raising=False)
    # Speech is decoded at temperature 0 only: no random sampling fallback in tests.
    monkeypatch.setenv("LOOPREADY_SPEECH_DETERMINISTIC", "1")
    yield home
