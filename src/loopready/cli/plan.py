"""``loopready plan``: a day-by-day prep plan up to the interview, and its calendar file."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.table import Table

from loopready.errors import InputError, NotFound
from loopready.planning import storage
from loopready.planning.inputs import (
    local_zone_name,
    parse_date,
    parse_round_date,
    parse_time,
    zone,
)
from loopready.planning.model import Plan, PlanItem
from loopready.planning.schedule import (
    Mark,
    mark_day,
    replan,
    set_day_off,
)

F = TypeVar("F", bound=Callable[..., Any])


def _today_option(func: F) -> F:
    # Hidden: lets tests and what-if checks pretend it is another day.
    option = click.option("--today", "today_text", metavar="DATE", hidden=True)
    return option(func)


def _when(on: date) -> str:
    return f"{on:%a} {on.day} {on:%b %Y}"


def _short_when(on: date) -> str:
    return f"{on:%a} {on.day} {on:%b}"


def _clock(at: time) -> str:
    return at.strftime("%H:%M")


def _today(today_text: str | None, tz: str) -> date:
    if today_text:
        return parse_date(today_text, "--today")
    return datetime.now(zone(tz)).date()


def _current(today_text: str | None) -> tuple[Plan, date]:
    """The stored plan brought up to date (missed days re-planned), and today."""
    from loopready.planning.service import current_plan

    given = parse_date(today_text, "--today") if today_text else None
    current, today = current_plan(today=given)
    if current is None:
        raise NotFound(
            "You have no prep plan yet. Make one with: loopready plan new --first-round YYYY-MM-DD"
        )
    return current, today


@click.group()
def plan() -> None:
    """A day-by-day prep plan up to your interview loop, and a calendar file for it.

    The plan follows the pack's prep framework (research, brief drafting, mock
    interviews, final polish), shortened or stretched to the days you have, with
    one mock interview per real round in the loop's order.

    \b
        loopready plan new --first-round 2026-06-15 --tz Europe/London
        loopready plan show
        loopready plan ics prep.ics
    """


@plan.command("new")
@click.option("--loop", "loop_id", metavar="ID", help="A loop you started: use its pack and dates.")
@click.option("--pack", "pack_id", metavar="ID", help="The pack to prepare for.")
@click.option("--first-round", "first_round", metavar="DATE", help="Your first real round.")
@click.option("--start", "start_text", metavar="DATE", help="First prep day [default: today].")
@click.option("--tz", "tz", metavar="ZONE", help="Time zone, e.g. Europe/London [default: yours].")
@click.option(
    "--round",
    "round_texts",
    metavar="ROUND=DATE",
    multiple=True,
    help="Real date of a later round, e.g. product_sense=2026-06-22T14:00 (repeatable).",
)
@click.option("--mock-time", default="18:00", show_default=True, help="When mocks start.")
@click.option("--round-time", default="10:00", show_default=True, help="When rounds start.")
@click.option(
    "--day-off",
    "off_texts",
    metavar="DATE",
    multiple=True,
    help="A day you cannot prepare: no work and no mock on it (repeatable).",
)
@click.option(
    "--holidays/--no-holidays",
    default=True,
    show_default=True,
    help="Keep holidays (24-26 and 31 Dec, 1 Jan) free as days off.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON.")
@_today_option
def new(
    loop_id: str | None,
    pack_id: str | None,
    first_round: str | None,
    start_text: str | None,
    tz: str | None,
    round_texts: tuple[str, ...],
    mock_time: str,
    round_time: str,
    off_texts: tuple[str, ...],
    holidays: bool,
    as_json: bool,
    today_text: str | None,
) -> None:
    """Make a prep plan from today (or --start) through your loop's last round.

    Dates are YYYY-MM-DD. Later rounds are dated by the loop's usual spacing, on
    working days, unless you give them with --round. Holidays are kept free unless
    you say --no-holidays; add your own days off with --day-off. A new plan replaces
    the current one; re-importing its calendar updates the events already there.

    \b
        loopready plan new --first-round 2026-06-15 --tz Europe/London
        loopready plan new --first-round 2026-06-15 --round product_sense=2026-06-22T14:00
        loopready plan new --first-round 2026-12-28 --day-off 2026-12-19
    """
    from loopready.packs import DEFAULT_PACK_ID, get_pack
    from loopready.planning.service import make_plan

    tz_name = zone(tz).key if tz else local_zone_name()
    today = _today(today_text, tz_name)
    stored: dict[str, date | datetime] = {}
    loop_start: date | None = None
    if loop_id:
        loop = storage.load_loop(loop_id)
        if pack_id and pack_id != loop.pack_id:
            raise InputError(
                f"Loop {loop_id!r} is for pack {loop.pack_id!r}, not {pack_id!r}. "
                "Leave out --pack to use the loop's."
            )
        pack_id, stored, loop_start = loop.pack_id, dict(loop.round_dates), loop.start_date
    pack = get_pack(pack_id or DEFAULT_PACK_ID)
    given = dict(parse_round_date(text) for text in round_texts)
    first_id = pack.rounds[0].id
    if first_round:
        first: date | None = parse_date(first_round, "--first-round")
        stored.pop(first_id, None)  # what you type wins over the loop's stored date
    elif first_id in given or first_id in stored:
        first = _day_of(given.get(first_id) or stored[first_id])
    else:
        first = loop_start
    if first is None:
        raise InputError(
            "Give the date of your first real round: --first-round YYYY-MM-DD "
            "(or --loop ID for a loop that has its dates)."
        )
    round_dates = {**stored, **given}
    start = parse_date(start_text, "--start") if start_text else None
    made = make_plan(
        pack,
        today,
        first,
        start,
        round_dates,
        tz_name,
        mock_time=parse_time(mock_time, "--mock-time"),
        round_time=parse_time(round_time, "--round-time"),
        days_off=[parse_date(text, "--day-off") for text in off_texts],
        holidays=holidays,
    )
    result, previous, damaged = made.plan, made.replaced, made.damaged
    if as_json:
        click.echo(result.to_json())
        return
    console = Console()
    _print_summary(console, result)
    if damaged:
        console.print(f"[yellow]Your old plan file could not be read; it is kept at {damaged}.")
    elif previous:
        console.print(
            "This replaces your previous plan. Re-import the calendar file and its "
            "events update in place."
        )
    console.print(
        "See every day: [bold]loopready plan show[/bold]; calendar file: "
        "[bold]loopready plan ics prep.ics[/bold]"
    )


def _day_of(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _print_summary(console: Console, p: Plan) -> None:
    days = p.prep_days
    span = (
        f"{days} prep day{'' if days == 1 else 's'} from {_short_when(p.start)}"
        if days
        else "no prep day"
    )
    console.print(
        f"[bold]Prep plan for {p.pack_name}[/bold]: {span}, first round on "
        f"{_when(p.first_round)} ({p.tz})."
    )
    table = Table("phase", "days", "from", "to", "framework")
    for phase in p.phases:
        dates = p.phase_dates(phase.id)
        if dates:
            first, last = _short_when(dates[0]), _short_when(dates[-1])
        else:
            first = last = "-"
        table.add_row(phase.name, str(len(dates)), first, last, str(phase.framework_days))
    console.print(table)
    rounds = Table("real round", "when", "length", "mock")
    mocks = {i.round_id: d.date for d, i in p.mocks()}
    for r in p.rounds:
        mock_day = mocks.get(r.round_id)
        when = f"{_short_when(r.date)} {_clock(r.at)}" + ("" if r.explicit else " (estimate)")
        mock = _short_when(mock_day) if mock_day else "[red]none[/red]"
        rounds.add_row(r.name, when, f"{r.minutes} min", mock)
    console.print(rounds)
    for cut in p.cuts:
        console.print(f"[yellow]Cut:[/yellow] {cut}")
    for note in p.notes:
        console.print(f"[dim]Note:[/dim] {note}")


@plan.command("show")
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON.")
@_today_option
def show(as_json: bool, today_text: str | None) -> None:
    """Show the plan day by day, with the real rounds.

    Past days you did not mark are re-planned first: their work moves forward.

    \b
        loopready plan show
    """
    current, today = _current(today_text)
    if as_json:
        click.echo(current.to_json())
        return
    console = Console()
    _print_summary(console, current)
    table = Table("date", "phase", "what", "status")
    rows: list[tuple[date, int, list[str]]] = []
    names = {ph.id: ph.name for ph in current.phases}
    for day in current.days:
        phase = names.get(day.phase_id or "", "")
        if day.items:
            what = "\n".join(_item_text(i, phase) for i in day.items)
        elif day.moved:
            what = "[dim](work moved to later days)[/dim]"
        elif day.off:
            what = f"[dim]{day.note or 'Day off.'}[/dim]"
        elif day.light:
            what = "[dim]light day: nothing new[/dim]"
        else:
            what = ""
        status = _status_text(day.status, day.date, today)
        rows.append((day.date, 0, [_short_when(day.date), phase, what, status]))
    for r in current.rounds:
        label = f"[bold]{_clock(r.at)} Interview: {r.name} ({r.minutes} min)[/bold]"
        rows.append((r.date, 1, [_short_when(r.date), "[bold]real round[/bold]", label, ""]))
    for _, _, cells in sorted(rows, key=lambda row: (row[0], row[1])):
        table.add_row(*cells)
    console.print(table)


def _item_text(item: PlanItem, phase: str) -> str:
    if item.at is not None:
        return f"{_clock(item.at)} {item.title} ({item.minutes} min)"
    # The phase column already names the phase; keep it only for work folded in.
    return item.title.removeprefix(f"{phase}: ")


def _status_text(status: str, on: date, today: date) -> str:
    if status == "done":
        return "[green]done[/green]"
    if status == "skipped":
        return "[yellow]skipped[/yellow]"
    if status == "missed":
        return "[red]missed[/red]"
    return "[bold]today[/bold]" if on == today else ""


def _mark(date_text: str, status: Mark, today_text: str | None) -> None:
    current = storage.load_plan()
    if current is None:
        raise NotFound(
            "You have no prep plan yet. Make one with: loopready plan new --first-round YYYY-MM-DD"
        )
    today = _today(today_text, current.tz)
    on = parse_date(date_text, "DATE", today=today)
    before = {i.key: d.date for d, i in current.items()}
    marked = replan(mark_day(current, on, status), today)
    storage.save_plan(marked)
    verb = {"done": "done", "skipped": "skipped", "planned": "back to planned"}[status]
    click.echo(f"{_when(on)} marked {verb}.")
    for d, item in marked.items():
        if item.key in before and before[item.key] != d.date and before[item.key] == on:
            click.echo(f"  moved: {item.title} -> {_short_when(d.date)}")
    for cut in marked.cuts:
        if cut not in current.cuts:
            click.echo(f"  cut: {cut}")


@plan.command("done")
@click.argument("date_text", metavar="DATE")
@_today_option
def done(date_text: str, today_text: str | None) -> None:
    """Mark a day's prep as done (DATE is YYYY-MM-DD, or today / yesterday).

    \b
        loopready plan done today
    """
    _mark(date_text, "done", today_text)


@plan.command("skip")
@click.argument("date_text", metavar="DATE")
@_today_option
def skip(date_text: str, today_text: str | None) -> None:
    """Skip a day you cannot prepare on; its work moves to the days left.

    \b
        loopready plan skip 2026-06-03
    """
    _mark(date_text, "skipped", today_text)


@plan.command("undo")
@click.argument("date_text", metavar="DATE")
@_today_option
def undo(date_text: str, today_text: str | None) -> None:
    """Take back a done or skip mark; moved work comes back to that day.

    \b
        loopready plan undo 2026-06-03
    """
    _mark(date_text, "planned", today_text)


@plan.command("off")
@click.argument("date_texts", metavar="DATE...", nargs=-1, required=True)
@click.option("--undo", is_flag=True, help="Make the days ordinary prep days again.")
@_today_option
def off(date_texts: tuple[str, ...], undo: bool, today_text: str | None) -> None:
    """Mark days you cannot prepare (a holiday, a trip); their work moves to the days left.

    Days off are kept with the plan: nothing is planned on them and the calendar file
    has no event on them.

    \b
        loopready plan off 2026-12-24 2026-12-31
        loopready plan off 2026-12-31 --undo
    """
    current = storage.load_plan()
    if current is None:
        raise NotFound(
            "You have no prep plan yet. Make one with: loopready plan new --first-round YYYY-MM-DD"
        )
    today = _today(today_text, current.tz)
    days = [parse_date(text, "DATE", today=today) for text in date_texts]
    before = {i.key: d.date for d, i in current.items()}
    updated = current
    for on in days:
        updated = set_day_off(updated, on, not undo, today)
    storage.save_plan(updated)
    for on in days:
        click.echo(f"{_when(on)}: {'a prep day again' if undo else 'day off'}.")
    for d, item in updated.items():
        if item.key in before and before[item.key] != d.date and before[item.key] in days:
            click.echo(f"  moved: {item.title} -> {_short_when(d.date)}")


@plan.command("ics")
@click.argument("file", metavar="FILE", type=click.Path(dir_okay=False, allow_dash=True))
@_today_option
def ics(file: str, today_text: str | None) -> None:
    """Write the plan as an iCalendar (.ics) file to import into your calendar.

    Prep tasks are all-day events; mock interviews and real rounds are timed, in
    the plan's time zone. Import a newer file the same way: events update in
    place instead of doubling. FILE "-" writes to standard output.

    \b
        loopready plan ics prep.ics
    """
    from loopready.planning.calendar import to_ics

    current, _ = _current(today_text)
    data = to_ics(current)
    if file == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    path = Path(file)
    try:
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError as exc:
        raise InputError(f"Cannot write {path}: {exc.strerror}. Choose another file.") from exc
    tasks = sum(1 for _, i in current.items() if i.kind == "task")
    mocks = len(current.mocks())
    summary = f"{tasks} prep tasks, {mocks} mock interviews, {len(current.rounds)} real rounds"
    if current.retired:
        summary += f", {len(current.retired)} cancelled"
    click.echo(f"Wrote {path}: {summary} ({current.tz}).")
    click.echo("Import it into your calendar; importing a newer one updates the same events.")
