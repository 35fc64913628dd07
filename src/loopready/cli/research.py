"""``loopready research``: the company research worksheet, one launch at a time."""

from __future__ import annotations

import json

import click
from rich.console import Console
from rich.table import Table

from loopready.prep.research import (
    ResearchItem,
    clear_research,
    research_items,
    research_progress,
    set_research,
)

pack_option = click.option(
    "--pack", "pack_id", metavar="ID", help="Pack id [default: the one you are preparing with]."
)


@click.group()
def research() -> None:
    """The company research worksheet: its recent AI launches and, for each, the
    success metric you would put first and why.

    The launches come from the pack (for Sony: PlayStation AI-assist, the Xperia
    camera features, the PlayStation Store); drills show your notes next to the
    questions about them.

    \b
        loopready research show
        loopready research set xperia_camera_ai --metric "Share of photos kept" --why "..."
    """


@research.command("show")
@pack_option
@click.option("--json", "as_json", is_flag=True, help="Print the worksheet as JSON.")
def show(pack_id: str | None, as_json: bool) -> None:
    """Show each launch, the metrics worth considering, and your metric and reason.

    \b
        loopready research show
        loopready research show --json
    """
    from loopready.prep.context import resolve_pack
    from loopready.store import open_db

    with open_db() as db:
        pack = resolve_pack(db, pack_id)
        items = research_items(db, pack)
    done, total = research_progress(items)
    if as_json:
        payload = {
            "pack": pack.id,
            "done": done,
            "total": total,
            "launches": [item.to_dict() for item in items],
        }
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    console = Console()
    if not items:
        console.print(f"The pack {pack.name} lists no launches to research.")
        return
    console.print(f"[bold]Research worksheet: {pack.company}[/bold] ({done} of {total} done)")
    for item in items:
        _print_item(console, item)
    if done < total:
        first = next(item for item in items if not item.done)
        console.print(
            f'Next: loopready research set {first.launch.id} --metric "..." --why "..."',
            highlight=False,
        )


def _print_item(console: Console, item: ResearchItem) -> None:
    launch = item.launch
    table = Table(show_header=False, box=None, padding=(0, 1))
    table.add_column(style="dim", no_wrap=True)
    table.add_column()
    table.add_row("launch", f"[bold]{launch.name}[/bold] ({launch.id}) - {launch.product}")
    table.add_row("about", launch.summary)
    if launch.candidate_metrics:
        table.add_row("consider", "\n".join(f"- {metric}" for metric in launch.candidate_metrics))
    table.add_row("your metric", item.metric or "[yellow]not chosen yet[/yellow]")
    if item.metric and not item.why:
        table.add_row("why", "[yellow]say why this metric comes first[/yellow]")
    else:
        table.add_row("why", item.why or "")
    console.print(table)
    console.print()


@research.command("set")
@click.argument("launch_id")
@click.option("--metric", help="The primary success metric you would choose.")
@click.option("--why", help="Why that metric comes first.")
@pack_option
def set_cmd(launch_id: str, metric: str | None, why: str | None, pack_id: str | None) -> None:
    """Record the primary success metric of LAUNCH_ID and why it comes first.

    Give --metric, --why or both; what you leave out stays as it was.

    \b
        loopready research set xperia_camera_ai --metric "Share of photos kept" \\
            --why "A kept photo is the user saying the AI helped"
    """
    from loopready.prep.context import resolve_pack
    from loopready.store import open_db

    with open_db() as db:
        pack = resolve_pack(db, pack_id)
        item = set_research(db, pack, launch_id, metric=metric, why=why)
        done, total = research_progress(research_items(db, pack))
    click.echo(f"Saved your research on {item.launch.name} ({done} of {total} launches done).")
    if not item.metric:
        click.echo(f'Now choose the metric: loopready research set {item.launch.id} --metric "..."')
    elif not item.why:
        click.echo(
            f'Now say why it comes first: loopready research set {item.launch.id} --why "..."'
        )


@research.command("clear")
@click.argument("launch_id")
@pack_option
def clear_cmd(launch_id: str, pack_id: str | None) -> None:
    """Forget your metric and reason for LAUNCH_ID.

    \b
        loopready research clear xperia_camera_ai
    """
    from loopready.prep.context import resolve_pack
    from loopready.store import open_db

    with open_db() as db:
        pack = resolve_pack(db, pack_id)
        removed = clear_research(db, pack, launch_id)
    click.echo("Cleared." if removed else "There was nothing to clear for that launch.")
