"""``loopready report``: the feedback report of a finished mock round."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, cast

import click

if TYPE_CHECKING:
    from loopready.interview.reports import Format


@click.command()
@click.argument("session_ref", default="last", metavar="[SESSION]")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "html", "json"]),
    default="md",
    show_default=True,
    help="Markdown, a standalone HTML page, or JSON.",
)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file.")
def report(session_ref: str, fmt: str, out: Path | None) -> None:
    """Show the feedback report of a finished round.

    Scores with the words that earned them,
    blind spots and what to say instead, delivery, what a strong answer would add,
    and the change since your earlier attempts at the round.

    SESSION is a session id or its first characters; default: your latest.

    \b
        loopready report
        loopready report 3f2a9c1e --format html --out report.html
    """
    from loopready.interview.reports import build_report, render
    from loopready.store import open_db

    with open_db() as db:
        built = build_report(db, session_ref)
    text = render(built, cast("Format", fmt))
    if out is not None:
        out.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {out}", err=True)
        return
    if fmt == "md" and sys.stdout.isatty():
        from rich.console import Console
        from rich.markdown import Markdown

        Console().print(Markdown(text))
        return
    click.echo(text, nl=False)
