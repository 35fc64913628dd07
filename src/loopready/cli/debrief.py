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
@click.option(
    "--attempts",
    type=click.Choice(["latest", "best"]),
    default="latest",
    show_default=True,
    help="Which attempt of each round the committee reads.",
)
def debrief(loop_ref: str, as_json: bool, attempts: str) -> None:
    """The mock hiring committee's verdict on a loop.

    Every round against the bar,
    contradictions between rounds quoted from both, whether one story runs through
    the loop, your closing narrative, and a decision (strong_hire, hire,
    lean_no_hire or no_hire) with its reasons, the pack rule behind it and what
    would flip it. After a hire, a mock offer from the pack's pay bands.

    LOOP is a loop id or its first characters; default: your newest loop. The
    committee reads each round's latest finished attempt, or with --attempts best
    its best; practice outside the loop (the negotiation, drills) never counts.
    Contradictions are weighed: an explained change ("the team grew from 8 to
    15") is not one, a hedged or small one weighs half.

    \b
        loopready debrief
        loopready debrief 3f2a9c1e --json
        loopready debrief --attempts best
    """
    from loopready.interview.debrief import build_debrief
    from loopready.store import open_db

    with open_db() as db:
        packet = build_debrief(db, loop_ref, attempts="best" if attempts == "best" else "latest")
    if as_json:
        click.echo(json.dumps(packet.to_json_dict(), ensure_ascii=False))
        return
    _print(packet)


def _print(packet: DebriefPacket) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.panel import Panel
    from rich.table import Table

    from loopready.packs import get_pack

    pack = get_pack(packet.pack_id)
    names = {r.id: r.name for r in pack.all_rounds()}
    spots = {b.id: b.name for b in pack.blind_spots}
    console = Console()
    style = _STYLE[packet.decision]
    overall = "-" if packet.overall is None else f"{packet.overall:.0f}"
    console.print(
        Panel(
            f"[{style}]{packet.decision.replace('_', ' ').upper()}[/{style}]   "
            f"overall {overall} (bar {packet.bars['overall_bar']:.0f})\n"
            f"[dim]rule: {escape(packet.rule.text)}[/dim]",
            title=f"Hiring committee · loop {packet.loop_id[:8]} · {packet.attempts_read} attempts",
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
            ", ".join(spots.get(b, b.replace("_", " ")) for b in line.blind_spots),
        )
    console.print(table)
    console.print("[bold]Reasons[/bold]")
    for reason in packet.reasons:
        console.print(f"  • {escape(reason)}")
    if packet.inconsistencies:
        console.print("[bold]Contradictions between rounds[/bold]")
        for item in packet.inconsistencies:
            console.print(
                f"  [red]{escape(item.subject)}[/red] [dim](weight {item.weight:g}: "
                f"{escape(item.why)})[/dim]"
            )
            for claim in item.claims:
                where = names.get(claim.round, claim.round)
                console.print(f"    {escape(where)}: “{escape(claim.quote)}”")
    for change in packet.explained_changes:
        console.print(
            f"  [green]explained[/green] {escape(change.summary)} "
            f"[dim]“{escape(change.explanation)}”[/dim]"
        )
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
