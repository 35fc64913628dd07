"""The ``loopready`` command group.

Subcommands live in one module each and are imported only when used, so that
``loopready grade`` does not pay for the web app's imports (cold start matters:
a single grade should finish in well under three seconds).
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from loopready import __version__
from loopready.errors import LoopreadyError, PackError

#: name -> "module:attribute" of every top-level command, in help order.
COMMANDS: dict[str, str] = {
    "packs": "loopready.cli.packs:packs",
    "grade": "loopready.cli.grade:grade",
    "loop": "loopready.cli.loop:loop",
    "practice": "loopready.cli.practice:practice",
    "report": "loopready.cli.report:report",
    "debrief": "loopready.cli.debrief:debrief",
    "plan": "loopready.cli.plan:plan",
    "stories": "loopready.cli.stories:stories",
    "drill": "loopready.cli.drill:drill",
    "research": "loopready.cli.research:research",
    "offer": "loopready.cli.offer:offer",
    "brief": "loopready.cli.brief:brief",
    "transcribe": "loopready.cli.transcribe:transcribe",
    "serve": "loopready.cli.serve:serve",
    "export": "loopready.cli.data:export_cmd",
    "import": "loopready.cli.data:import_cmd",
    "info": "loopready.cli.data:info",
}


class LazyGroup(click.Group):
    """A group whose commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in COMMANDS if self._load(name) is not None]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self._load(cmd_name)

    @staticmethod
    def _load(name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            # A command whose module is not written yet is simply absent.
            if exc.name == module_name:
                return None
            raise
        command: click.Command = getattr(module, attr)
        return command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PackError as exc:
            for line in exc.problems:
                click.echo(line, err=True)
            ctx.exit(exc.exit_code)
        except LoopreadyError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="loopready")
def cli() -> None:
    """Practise an AI product-manager interview loop, locally, and see the
    hiring committee's verdict before the real one.

    Start the web app with `loopready serve`, or work from here:

    \b
        loopready packs show sony-ai-pm-2026
        loopready grade --round product_sense answer.txt
    """


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="loopready")


if __name__ == "__main__":  # pragma: no cover
    main()
