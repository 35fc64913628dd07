"""``loopready debrief``: the mock hiring committee's packet and decision for a loop."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from loopready.interview.debrief import DebriefPacket

_STYLE = {
    "strong_hire": "bold green",
    "hire": "green",
    "lean_no_hire": "yellow",
    "no_hire": "red",
}


@click.command()
@click.argument("loop_ref", default="last", metavar="[LOOP]")
@click.option("--json", "as_json", is_flag=True, help="Print the packet as JSON.")
def debrief(loop_ref: str, as_json: bool) -> None:
    """The mock hiring committee's verdict on a loop.

    Every round against the bar,
    contradictions between rounds quoted from both, whether one story runs through
    the loop, your closing narrative, and a decision (strong_hire, hire,
    lean_no_hire or no_hire) with its reasons, the pack rule behind it and what
    would flip it. After a hire, a mock offer from the pack's pay bands.

    LOOP is a loop id or its first characters; default: your newest loop.

    \b
        loopready debrief
        loopready debrief 3f2a9c1e --json
    """
    from loopready.interview.debrief import build_debrief
    from loopready.store import open_db

    with open_db() as db:
        packet = build_debrief(db, loop_ref)
    if as_json:
        click.echo(json.dumps(packet.to_json_dict(), ensure_ascii=False))
        return
    _print(packet)


def _print(packet: DebriefPacket) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.panel import Panel
    from rich.table import Table

    console = Console()
    style = _STYLE[packet.decision]
    overall = "-" if packet.overall is None else f"{packet.overall:.0f}"
    console.print(
        Panel(
            f"[{style}]{packet.decision.replace('_', ' ').upper()}[/{style}]   "
            f"overall {overall} (bar {packet.bars['overall_bar']:.0f})\n"
            f"[dim]rule: {escape(packet.rule.text)}[/dim]",
            title=f"Hiring committee · loop {packet.loop_id[:8]}",
        )
    )
    table = Table("round", "score", "bar", "attempts", "blind spots")
    for line in packet.rounds:
        if line.score is None:
            score = "[dim]not done[/dim]"
        else:
            colour = "green" if line.at_bar else "red"
            score = f"[{colour}]{line.score:.0f}[/{colour}]"
        table.add_row(
            line.name,
            score,
            f"{line.bar:.0f}",
            str(line.attempts or ""),
            ", ".join(b.replace("_", " ") for b in line.blind_spots),
        )
    console.print(table)
    console.print("[bold]Reasons[/bold]")
    for reason in packet.reasons:
        console.print(f"  • {escape(reason)}")
    if packet.inconsistencies:
        console.print("[bold]Contradictions between rounds[/bold]")
        for item in packet.inconsistencies:
            console.print(f"  [red]{escape(item.subject)}[/red]")
            for claim in item.claims:
                console.print(f"    {escape(claim.round)}: “{escape(claim.quote)}”")
    thread = packet.story_thread
    colour = "green" if thread.connected else "red"
    similarity = "" if thread.similarity is None else f" (similarity {thread.similarity:.2f})"
    console.print(
        f"[bold]Story thread[/bold]: [{colour}]{escape(thread.summary)}[/{colour}]{similarity}"
    )
    if packet.closing_narrative is not None:
        closing = packet.closing_narrative
        console.print(
            f"[bold]Closing narrative[/bold]: {closing.score:.0f}/100. {escape(closing.summary)}"
        )
    console.print("[bold]What would flip it[/bold]")
    for flip in packet.what_would_flip:
        console.print(f"  • {escape(flip)}")
    if packet.mock_offer is not None:
        offer = packet.mock_offer["offer"]
        console.print(
            f"[bold]Mock offer[/bold]: base {offer['currency']} {offer['base']:,.0f}, "
            f"bonus {offer['bonus_target_pct']:g}%, equity {packet.mock_offer['equity_pct']:g}% "
            f"of the company over {offer['vesting']['years']} years, "
            f"sign-on {offer['sign_on'][0]:,.0f} "
            f"[dim]({escape(packet.mock_offer['note'])})[/dim]"
        )
