"""The ``loopready`` command group.

Subcommands live in one module each and are imported only when used, so that
``loopready grade`` does not pay for the web app's imports (cold start matters:
a single grade should finish in well under three seconds).
"""

from __future__ import annotations

import importlib
import importlib.util
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
    "team": "loopready.cli.team:team",
    "worker": "loopready.cli.worker:worker",
}

#: name -> the one-line help `loopready --help` shows, so that listing the commands
#: imports none of them (each module pulls in pydantic, SQLAlchemy or the grader).
#: A test checks every line against the command's own docstring; a command missing
#: here is imported to read its help.
SHORT_HELP: dict[str, str] = {
    "packs": "Content packs: a company's interview loop as data.",
    "grade": "Score an answer against the round's rubric, quoting the words behind each score.",
    "loop": "Your interview loops: dates and progress.",
    "practice": "Practise a round, timed, with its report at the end.",
    "report": "Show the feedback report of a finished round.",
    "debrief": "The mock hiring committee's verdict on a loop.",
    "plan": "A day-by-day prep plan up to your interview loop, and a calendar file for it.",
    "stories": "Your story bank: situation, task, action, result, with the numbers.",
    "drill": "A daily drill of the pack's questions and your stories, spaced by FSRS.",
    "research": (
        "The company research worksheet: its recent AI launches and, for each, the success"
        " metric you would put first and why."
    ),
    "offer": "Model job offers: total compensation year by year, under price scenarios.",
    "brief": "One-page product brief: a market hypothesis, a KPI hierarchy and a rollout.",
    "transcribe": "Transcribe a recorded answer on this computer and measure its delivery.",
    "serve": "Start the web app: practise rounds, read your reports and run the debrief.",
    "export": "Write all your data to FILE as one JSON document: a backup you can import.",
    "import": "Restore your data from FILE, written by `loopready export`.",
    "info": "Show where your data lives, the database and its schema, and how much is stored.",
    "team": "Team mode on PostgreSQL: accounts for candidates, peers and coaches.",
    "worker": "Run team mode's background jobs (grading a live mock's answer for its report).",
}


class LazyGroup(click.Group):
    """A group whose commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in COMMANDS if _module_exists(COMMANDS[name])]

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """List the commands from :data:`SHORT_HELP`, importing only those missing there."""
        rows: list[tuple[str, str]] = []
        for name in self.list_commands(ctx):
            short = SHORT_HELP.get(name)
            if short is None:
                command = self._load(name)
                if command is None or command.hidden:
                    continue
                short = command.get_short_help_str(formatter.width - 6 - len(name))
            rows.append((name, short))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

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


def _module_exists(target: str) -> bool:
    """Whether the module of a ``module:attribute`` target is installed, without importing it."""
    try:
        return importlib.util.find_spec(target.split(":")[0]) is not None
    except ModuleNotFoundError:
        return False


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="loopready")


if __name__ == "__main__":  # pragma: no cover
    main()
