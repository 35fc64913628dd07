"""Rich renderings shared by several commands."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from loopready.grading.base import GradeResult


def print_grade(result: GradeResult, console: Console | None = None) -> None:
    """A grade as a person reads it: score, red flags first, criteria with quotes, blind
    spots, delivery."""
    console = console or Console()
    title = f"{result.round}" + (f" / {result.question}" if result.question else "")
    console.print(f"[bold]{title}[/bold]: [bold cyan]{result.score:.0f}/100[/bold cyan]")
    for flag in result.red_flags:
        console.print(f"[bold red]Red flag[/bold red] {flag.name or flag.id}: “{flag.evidence}”")
        if flag.why:
            console.print(f"  Why it sinks the answer: {flag.why}")
        if flag.better:
            console.print(f"  Better: {flag.better}")
    if result.off_topic:
        console.print(f"[bold yellow]Off topic:[/bold yellow] {result.message}")
    elif result.message:
        console.print(f"[yellow]{result.message}[/yellow]")
    if result.criteria:
        table = Table("criterion", "score", "evidence", "to add", show_lines=True)
        for c in result.criteria:
            if c.status == "not_asked":
                table.add_row(
                    c.name, "not asked", "[dim]not counted: the question does not ask[/dim]", ""
                )
                continue
            evidence = "\n".join(f"“{q}”" for q in c.evidence) or "[dim]none quoted[/dim]"
            table.add_row(c.name, f"{c.score}/4", evidence, c.advice if c.score < 4 else "")
        console.print(table)
    if result.key_points is not None:
        covered = sum(1 for p in result.key_points if p.covered)
        console.print(f"Key points: {covered} of {len(result.key_points)} covered")
        for p in result.key_points:
            if p.covered:
                console.print(f"  [green]covered[/green] {p.text} — “{p.evidence}”")
            else:
                console.print(f"  [red]missing[/red] {p.text}")
    elif result.reference_coverage is not None:
        ref = result.reference_coverage
        console.print(f"Reference coverage: {ref.coverage:.0%}")
        for point in ref.covered:
            console.print(f"  [green]covered[/green] {point.point} — “{point.evidence}”")
        for missing in ref.missing:
            console.print(f"  [red]missing[/red] {missing}")
    for spot in result.blind_spots:
        console.print(f"[red]Blind spot[/red] {spot.name or spot.id}: “{spot.evidence}”")
        if spot.better:
            console.print(f"  Better: {spot.better}")
    notes = result.delivery.notes if result.delivery else None
    if notes:
        console.print("[bold]Delivery[/bold]")
        for note in notes:
            console.print(f"  {note}")
    console.print(f"[dim]{result.grader}, {result.elapsed_ms:.0f} ms[/dim]")
