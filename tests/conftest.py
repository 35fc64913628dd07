"""Shared fixtures: every test gets its own data folder, so nothing touches the real one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


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
