"""``loopready loop``: create an interview loop and see where it stands."""

from __future__ import annotations

import json
from datetime import date

import click

from loopready.errors import InputError
from loopready.packs import DEFAULT_PACK_ID, get_pack


def _parse_start(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"--start takes a date like 2026-03-02, not {value!r}") from None


@click.group()
def loop() -> None:
    """Your interview loops: dates and progress.

    A loop follows the pack's schedule (the Sony pack: five rounds over 28 days)
    from its start date, or the real dates you give.

    \b
        loopready loop new --start 2026-03-02
        loopready loop show
    """


@loop.command("new")
@click.option("--pack", "pack_id", default=DEFAULT_PACK_ID, show_default=True, help="Pack id.")
@click.option("--start", help="The loop's first day (YYYY-MM-DD); default today.")
@click.option(
    "--date",
    "dates",
    multiple=True,
    metavar="ROUND=DATE",
    help="The real date (or date and time) of a round; repeatable.",
)
@click.option("--title", help="A name for the loop.")
@click.option("--json", "as_json", is_flag=True, help="Print the new loop as JSON.")
def new_cmd(
    pack_id: str, start: str | None, dates: tuple[str, ...], title: str | None, as_json: bool
) -> None:
    """Start a loop: each round falls on its real date if you know it, otherwise
    on the pack's default schedule from --start.

    \b
        loopready loop new --start 2026-03-02
        loopready loop new --date recruiter_screen=2026-03-02 --date product_sense=2026-03-10
    """
    from loopready.interview.loops import loop_status, new_loop, parse_round_dates
    from loopready.store import open_db

    pack = get_pack(pack_id)
    round_dates = parse_round_dates(pack, dates)
    with open_db() as db:
        created = new_loop(
            db, pack, start=_parse_start(start), round_dates=round_dates, title=title
        )
        status = loop_status(db, created.id)
    if as_json:
        click.echo(json.dumps(status.to_dict(), ensure_ascii=False))
        return
    _print_status(status.to_dict())


@loop.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_cmd(as_json: bool) -> None:
    """List your loops, newest first.

    \b
        loopready loop list
    """
    from loopready.interview.loops import all_loops
    from loopready.store import open_db

    with open_db() as db:
        rows = all_loops(db)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False))
        return
    if not rows:
        click.echo("No loops yet: loopready loop new --start YYYY-MM-DD")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("id", "title", "pack", "start", "status")
    for row in rows:
        table.add_row(row["id"][:8], row["title"], row["pack"], row["start"], row["status"])
    Console().print(table)


@loop.command("show")
@click.argument("loop_ref", default="last", metavar="[LOOP]")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def show_cmd(loop_ref: str, as_json: bool) -> None:
    """Show a loop's rounds: dates, attempts, best and latest scores, what comes next.

    LOOP is an id or its first characters; default: your newest loop.

    \b
        loopready loop show
        loopready loop show 3f2a9c1e --json
    """
    from loopready.interview.loops import loop_status
    from loopready.store import open_db

    with open_db() as db:
        status = loop_status(db, loop_ref)
    data = status.to_dict()
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False))
        return
    _print_status(data)


def _print_status(data: dict[str, object]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    rounds = data["rounds"]
    assert isinstance(rounds, list)
    console.print(
        f"[bold]{data['title']}[/bold]  [dim]loop {str(data['id'])[:8]} · "
        f"{data['done']}/{data['total']} rounds done[/dim]",
        soft_wrap=True,
    )
    table = Table("round", "date", "", "done", "attempts", "best", "latest")
    for row in rounds:
        status = "yes" if row["done"] else ("in progress" if row["in_progress"] else "")
        table.add_row(
            row["name"],
            row["date"],
            "real" if row["real_date"] else "[dim]planned[/dim]",
            status,
            str(row["attempts"] or ""),
            _score(row["best"]),
            _score(row["latest"]),
        )
    console.print(table)
    upcoming = data.get("next")
    if isinstance(upcoming, dict):
        days = upcoming["days_until"]
        when = "today" if days == 0 else f"in {days} days" if days > 0 else f"{-days} days ago"
        console.print(
            f"Next: [bold]{upcoming['name']}[/bold] on {upcoming['date']} ({when}): "
            f"loopready practice {upcoming['round']} --loop {str(data['id'])[:8]}",
            soft_wrap=True,
        )
    else:
        console.print(f"All rounds done: loopready debrief {str(data['id'])[:8]}", soft_wrap=True)


def _score(value: object) -> str:
    return f"{value:.0f}" if isinstance(value, int | float) else ""
