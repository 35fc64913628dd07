"""`loopready --help` and `--version` start fast because they import no command module.

The guard counts imported modules in a fresh interpreter rather than timing it: a
timed assertion would flake on a busy machine, an import does not.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from loopready.cli import COMMANDS, SHORT_HELP, LazyGroup

PROBE = """
import json, sys
from loopready.cli import cli
try:
    cli(sys.argv[1:], prog_name="loopready")
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""

HEAVY = ("sqlalchemy", "pydantic", "numpy", "onnxruntime", "fastapi", "yaml", "rich")


def _modules_after(*args: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=True
    )
    modules: list[str] = json.loads(done.stderr.strip().splitlines()[-1])
    return modules


@pytest.mark.parametrize("flag", ["--help", "--version"])
def test_help_and_version_import_no_command_module(flag: str) -> None:
    modules = _modules_after(flag)
    commands = sorted({t.split(":")[0] for t in COMMANDS.values()} & set(modules))
    assert commands == []
    heavy = [m for m in modules if m.split(".")[0] in HEAVY]
    assert heavy == []


def test_help_still_lists_every_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "loopready", "--help"], capture_output=True, text=True, check=True
    )
    for name in COMMANDS:
        assert f"\n  {name} " in done.stdout


def test_short_help_matches_each_commands_docstring() -> None:
    assert set(SHORT_HELP) == set(COMMANDS)
    for name in COMMANDS:
        command = LazyGroup._load(name)
        assert command is not None
        assert SHORT_HELP[name] == command.get_short_help_str(limit=1000), name
