"""Meta-tests: documentation that would drift from the code is checked against it."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from loopready.cli import COMMANDS, LazyGroup, cli
from loopready.packs.schema import Pack

ROOT = Path(__file__).resolve().parent.parent


def _walk(
    command: click.Command, path: tuple[str, ...]
) -> list[tuple[tuple[str, ...], click.Command]]:
    found = [(path, command)]
    if isinstance(command, click.Group):
        ctx = click.Context(command)
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                found += _walk(sub, (*path, name))
    return found


ALL_COMMANDS = _walk(cli, ())


def test_every_registered_command_module_exists() -> None:
    missing = [name for name in COMMANDS if LazyGroup._load(name) is None]
    assert missing == []


@pytest.mark.parametrize(
    ("path", "command"), ALL_COMMANDS, ids=[" ".join(p) or "loopready" for p, _ in ALL_COMMANDS]
)
def test_every_command_has_help_with_an_example(
    path: tuple[str, ...], command: click.Command
) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert command.help, f"loopready {' '.join(path)} has no help text"
    assert "loopready " in command.help, f"loopready {' '.join(path)}: help has no example"


def test_readme_python_version_matches_pyproject() -> None:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    required = meta["project"]["requires-python"]
    match = re.fullmatch(r">=(\d+\.\d+)", required)
    assert match, required
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"Python {match.group(1)}" in readme


def test_readme_test_command_is_what_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in readme and "make test" in ci
    assert "make run" in readme


def test_pack_docs_cover_every_top_level_field() -> None:
    docs = (ROOT / "docs" / "packs.md").read_text(encoding="utf-8")
    missing = [name for name in Pack.model_fields if f"`{name}`" not in docs]
    assert missing == []


def test_every_docs_link_in_readme_resolves() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for target in re.findall(r"\]\((docs/[^)]+)\)", readme):
        assert (ROOT / target).is_file(), target


def test_every_test_named_in_the_security_page_exists() -> None:
    """docs/security.md says which test checks each protection: each must exist."""
    text = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    named = 0
    for cell in re.findall(r"\| ([^|]*tests/[^|]*) \|$", text, flags=re.MULTILINE):
        current: Path | None = None
        for ref in re.findall(r"`([^`]+)`", cell):
            path, _, name = ref.partition("::")
            if path.startswith("tests/"):
                current = ROOT / path
                assert current.is_file(), ref
            elif path:
                continue  # not a test reference
            assert current is not None, ref
            source = current.read_text(encoding="utf-8")
            for part in filter(None, name.split("::")):
                assert re.search(rf"(def|class) {re.escape(part)}\b", source), ref
                named += 1
    assert named >= 30
