"""``loopready serve``: loopback by default, a clear warning otherwise, --open."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from loopready.cli import cli
from loopready.cli.serve import browser_url, is_loopback


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.20", False),
        ("my-laptop.local", False),
    ],
)
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_browser_url() -> None:
    assert browser_url("127.0.0.1", 8000) == "http://127.0.0.1:8000/"
    assert browser_url("0.0.0.0", 9000) == "http://127.0.0.1:9000/"
    assert browser_url("::1", 8000) == "http://[::1]:8000/"


class FakeUvicorn:
    """Stands in for the uvicorn server (a third-party loop that would block the test)."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def run(self, app: str, **options: Any) -> None:
        self.calls.append({"app": app, **options})


@pytest.fixture
def uvicorn_run(monkeypatch: pytest.MonkeyPatch) -> FakeUvicorn:
    import uvicorn

    fake = FakeUvicorn()
    monkeypatch.setattr(uvicorn, "run", fake.run)
    return fake


def test_defaults_bind_to_loopback_without_warning(
    uvicorn_run: FakeUvicorn, loopready_home: Path
) -> None:
    result = CliRunner().invoke(cli, ["serve"])
    assert result.exit_code == 0, result.output
    assert uvicorn_run.calls[0]["host"] == "127.0.0.1"
    assert uvicorn_run.calls[0]["port"] == 8000
    assert uvicorn_run.calls[0]["factory"] is True
    assert "http://127.0.0.1:8000/" in result.output
    assert "Warning" not in result.output
    assert (loopready_home / "loopready.db").exists()  # opened and migrated up front


def test_another_address_gets_a_clear_warning(
    uvicorn_run: FakeUvicorn, loopready_home: Path
) -> None:
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert "Warning: listening on 0.0.0.0" in result.output
    assert "no login" in result.output
    assert uvicorn_run.calls[0]["host"] == "0.0.0.0"


def test_open_starts_a_browser(
    uvicorn_run: FakeUvicorn, loopready_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import webbrowser

    import loopready.cli.serve as serve_module

    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", opened.append)
    monkeypatch.setattr(serve_module, "OPEN_TIMEOUT_S", 0.3)  # nothing listens: open anyway

    class Immediate:
        def __init__(self, target: Any, args: tuple[Any, ...], daemon: bool) -> None:
            self.target, self.args = target, args

        def start(self) -> None:
            self.target(*self.args)

    monkeypatch.setattr(serve_module.threading, "Thread", Immediate)
    result = CliRunner().invoke(cli, ["serve", "--open", "--port", "8124"])
    assert result.exit_code == 0, result.output
    assert opened == ["http://127.0.0.1:8124/"]


def test_a_bad_database_is_one_error_line(
    uvicorn_run: FakeUvicorn, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOOPREADY_DATABASE_URL", "mysql://nobody@nowhere/db")
    result = CliRunner().invoke(cli, ["serve"])
    assert result.exit_code == 2
    assert result.output.startswith("Error: loopready stores data in SQLite or PostgreSQL")
    assert "Traceback" not in result.output
    assert uvicorn_run.calls == []


def test_help_has_an_example() -> None:
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0
    assert "loopready serve --open" in result.output
    assert "--host" in result.output and "127.0.0.1" in result.output


def test_the_factory_builds_the_app(loopready_home: Path) -> None:
    from loopready.web.app import create_app

    app = create_app()
    assert "/" in app.state.served_paths


def test_the_serve_host_becomes_one_of_the_apps_names(uvicorn_run: FakeUvicorn) -> None:
    import os

    from loopready import settings

    result = CliRunner().invoke(cli, ["serve", "--host", "192.168.1.20"])
    assert result.exit_code == 0, result.output
    assert os.environ[settings.SERVE_HOST_ENV] == "192.168.1.20"
    assert "192.168.1.20" in settings.allowed_hosts()
