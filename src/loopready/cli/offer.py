"""``loopready offer``: model, compare, check and counter job offers."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click
from rich import box
from rich.console import Console
from rich.panel import Panel
from rich.table import Table

from loopready.errors import InputError
from loopready.offers.compute import (
    COMPONENTS,
    TAX_NOTE,
    OfferModel,
    bonus_summary,
    model_offer,
    scenario_dict,
    scenario_summary,
)
from loopready.offers.fmt import money
from loopready.offers.model import Offer, load_offer
from loopready.offers.scenarios import BONUS_PAYOUTS, PRESETS, Scenario, comparison_set
from loopready.packs import DEFAULT_PACK_ID

F = TypeVar("F", bound=Callable[..., Any])

HEADINGS = {
    "base": "Base",
    "bonus": "Bonus",
    "equity": "Equity",
    "sign_on": "Sign-on",
    "other": "Other",
}

EXAMPLE = """\
# An offer for `loopready offer model`. Money: 170000, "170k" or "$170,000".
name: Sony AI PM
base: 170000                 # yearly base salary
raise_pct: 3                 # optional: the same raise at the start of every year from 2
bonus_target_pct: 12.5       # target bonus, % of base
first_year_bonus_pct: 100    # optional: % of a full year's bonus paid in year 1
equity: {grant_value: 200000}
# or   equity: {shares: 1000, price: 85.0}
# or   equity: {percent: 0.03, valuation: 5.0e8}
vesting: {years: 4, cliff_months: 12, frequency: quarterly, schedule_pct: [25, 25, 25, 25]}
# refreshers: [{year: 2, grant_value: 40000}]
sign_on: 15000               # or a list paid at the start of years 1, 2...: [15000, 10000]
sign_on_clawback_months: 12
clawback_rule: full          # or prorated
# relocation: 10000
# relocation_clawback_months: 12
# other: [{label: 401(k) match, amount: 6000}]
# current: true              # mark the job you have now, for `offer compare`
"""


def _console() -> Console:
    return Console(highlight=False, soft_wrap=False)


def scenario_options(func: F) -> F:
    """The options choosing the price scenario, the bonus payout and the years modelled."""
    options = [
        click.option(
            "--scenario",
            type=click.Choice(list(PRESETS)),
            default="flat",
            show_default=True,
            help="Share price versus the grant: down 30%, unchanged, up 30%.",
        ),
        click.option(
            "--price-change",
            type=float,
            metavar="PCT",
            help="A custom price change in percent, held for every year (e.g. -15).",
        ),
        click.option(
            "--growth",
            metavar="MULTIPLIERS",
            help="Year-over-year price multipliers, compounded: 1.2,1.1,0.9 or +20%,+10%,-10%.",
        ),
        click.option(
            "--bonus-payout",
            type=float,
            default=100,
            show_default=True,
            metavar="PCT",
            help="Share of the target bonus actually paid, in percent.",
        ),
        click.option(
            "--years",
            type=click.IntRange(1, 10),
            default=4,
            show_default=True,
            help="How many years to model.",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _scenario(
    scenario: str, price_change: float | None, growth: str | None, bonus_payout: float
) -> Scenario:
    from loopready.offers.scenarios import parse_growth, resolve

    path = parse_growth(growth) if growth is not None else None
    return resolve(
        scenario, price_change_pct=price_change, growth=path, bonus_payout_pct=bonus_payout
    )


def _emit_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _years_table(m: OfferModel, title: str | None = None) -> Table:
    cur = m.offer.currency
    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left")
    table.add_column("Year", justify="right")
    for c in COMPONENTS:
        table.add_column(HEADINGS[c], justify="right")
    table.add_column("Total", justify="right", style="bold")
    for r in m.rows:
        table.add_row(str(r.year), *(money(r.get(c), cur) for c in COMPONENTS), money(r.total, cur))
    spans = [4] if m.horizon >= 4 else []
    if m.horizon != 4:
        spans.append(m.horizon)
    for n, span in enumerate(spans):
        total = sum(r.total for r in m.rows[:span])
        table.add_row(
            f"{span} years",
            *(money(m.component_total(c, span), cur) for c in COMPONENTS),
            money(total, cur),
            style="bold",
            end_section=n == 0,
        )
    return table


@click.group()
def offer() -> None:
    """Model job offers: total compensation year by year, under price scenarios.

    An offer is a small YAML file (`loopready offer example` prints one). Taxes
    are out of scope: every figure is before tax.

    \b
        loopready offer model sony.yaml --scenario up30
    """


@offer.command()
def example() -> None:
    """Print an example offer file to copy and edit.

    \b
        loopready offer example > my-offer.yaml
    """
    click.echo(EXAMPLE, nl=False)


@offer.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=True))
@scenario_options
@click.option(
    "--leave-at",
    type=int,
    metavar="MONTH",
    help="Leave after this many months: what you keep, forfeit and repay.",
)
@click.option("--vesting", "show_vesting", is_flag=True, help="List every vest date.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")
def model(
    file: Path,
    scenario: str,
    price_change: float | None,
    growth: str | None,
    bonus_payout: float,
    years: int,
    leave_at: int | None,
    show_vesting: bool,
    as_json: bool,
) -> None:
    """Work out an offer's total compensation year by year and over four years.

    Shows base, bonus, equity, sign-on and other money per year; the totals with
    the share price down 30%, flat and up 30%; and the bonus paid at 0-150% of
    target. With --leave-at, what leaving after that many months keeps, forfeits
    and repays (cliff, clawback).

    \b
        loopready offer model sony.yaml --scenario down30 --leave-at 11
    """
    chosen = _scenario(scenario, price_change, growth, bonus_payout)
    the_offer = load_offer(file)
    m = model_offer(the_offer, chosen, years, leave_at)
    scenarios = scenario_summary(the_offer, comparison_set(chosen), years, leave_at)
    bonuses = bonus_summary(the_offer, chosen, BONUS_PAYOUTS, years, leave_at)
    if as_json:
        _emit_json(
            {**m.to_dict(), "file": str(file), "scenarios": scenarios, "bonus_scenarios": bonuses}
        )
        return
    console = _console()
    cur = the_offer.currency
    who = the_offer.name + (" (current job)" if the_offer.current else "")
    console.print(
        f"[bold]{who}[/bold]: {chosen.label}, bonus at {chosen.bonus_payout * 100:g}% of target"
    )
    console.print(_years_table(m))
    if m.equity_after_horizon:
        console.print(
            f"Still to vest after year {years}: {money(m.equity_after_horizon, cur)} of equity."
        )

    table = Table(title="Share price scenarios", box=box.SIMPLE_HEAD, title_justify="left")
    span = "4 years" if years >= 4 else f"{years} years"
    for heading in ("Scenario", f"Equity, {span}", f"Total, {span}"):
        table.add_column(heading, justify="left" if heading == "Scenario" else "right")
    for s in scenarios.values():
        key = "_4y" if years >= 4 else ""
        table.add_row(s["label"], money(s["equity" + key], cur), money(s["total" + key], cur))
    console.print(table)

    if the_offer.bonus_target_pct:
        table = Table(title="Bonus actually paid", box=box.SIMPLE_HEAD, title_justify="left")
        for heading in ("Of target", f"Bonus, {span}", f"Total, {span}"):
            table.add_column(heading, justify="right")
        for b in bonuses:
            key = "_4y" if years >= 4 else ""
            table.add_row(
                f"{b['payout_pct']:g}%", money(b["bonus" + key], cur), money(b["total" + key], cur)
            )
        console.print(table)

    if m.leave is not None:
        lv = m.leave
        lines = [
            f"Equity kept: {money(lv.equity_kept, cur)}; "
            f"forfeited: {money(lv.equity_forfeited, cur)}",
            f"Sign-on received: {money(lv.sign_on_received, cur)}; "
            f"repaid: {money(lv.sign_on_repaid, cur)}",
        ]
        if lv.relocation_repaid:
            lines.append(f"Relocation repaid: {money(lv.relocation_repaid, cur)}")
        if lv.bonus_forfeited:
            lines.append(
                f"Bonus not paid for the unfinished year: {money(lv.bonus_forfeited, cur)}"
            )
        lines.append(f"Received in all, net of repayments: {money(m.total, cur)}")
        console.print(Panel("\n".join(lines), title=f"Leaving after {lv.month} months"))

    if show_vesting:
        table = Table(title="Vest dates", box=box.SIMPLE_HEAD, title_justify="left")
        for heading in ("Month", "Year", "Grant", "Share", "At grant", "Value", ""):
            table.add_column(heading, justify="left" if heading == "Grant" else "right")
        for e in m.events:
            table.add_row(
                str(e.month),
                str(e.year),
                e.grant,
                f"{e.fraction * 100:.2f}%",
                money(e.grant_value, cur, cents=True),
                money(e.value, cur, cents=True),
                "" if e.kept else "forfeited",
            )
        console.print(table)

    for line in m.to_dict()["assumptions"]:
        console.print(f"[dim]- {line}[/dim]")
    console.print("[dim]Tables round to the dollar; --json gives cents.[/dim]")


def _load_many(files: Sequence[Path]) -> list[Offer]:
    if len(files) < 2:
        raise InputError(
            "offer compare: give two or more offer files (your current job can be one: "
            "mark it `current: true`)"
        )
    offers = [load_offer(f) for f in files]
    currents = [f for f, o in zip(files, offers, strict=True) if o.current]
    if len(currents) > 1:
        raise InputError(
            f"{currents[1]}: current: only one file can be the current job "
            f"({currents[0]} already is); remove `current: true` from one of them"
        )
    currencies = {o.currency for o in offers}
    if len(currencies) > 1:
        raise InputError(
            "offer compare: the offers use different currencies "
            f"({', '.join(sorted(currencies))}); convert them to one currency first"
        )
    seen: dict[str, int] = {}
    named = []
    for f, o in zip(files, offers, strict=True):
        seen[o.name] = seen.get(o.name, 0) + 1
        named.append(o if seen[o.name] == 1 else o.model_copy(update={"name": f"{o.name} ({f})"}))
    return named


@offer.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@scenario_options
@click.option(
    "--chart",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="OUT.svg|OUT.png",
    help="Also write a stacked bar chart per year.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")
def compare(
    files: tuple[Path, ...],
    scenario: str,
    price_change: float | None,
    growth: str | None,
    bonus_payout: float,
    years: int,
    chart: Path | None,
    as_json: bool,
) -> None:
    """Compare two or more offers side by side, year by year.

    The current job counts as an offer: mark its file `current: true` and the
    others are measured against it (otherwise against the first file).

    \b
        loopready offer compare sony.yaml other.yaml current.yaml --chart offers.png
    """
    chosen = _scenario(scenario, price_change, growth, bonus_payout)
    offers = _load_many(files)
    models = [model_offer(o, chosen, years) for o in offers]
    baseline = next((m for m in models if m.offer.current), models[0])
    written = None
    if chart is not None:
        from loopready.offers.chart import write_chart

        written = write_chart(models, chart)
    sets = [scenario_summary(o, comparison_set(chosen), years) for o in offers]

    if as_json:
        _emit_json(
            {
                "scenario": scenario_dict(chosen, years),
                "horizon_years": years,
                "baseline": baseline.offer.name,
                "offers": [
                    {
                        **m.to_dict(),
                        "file": str(f),
                        "vs_baseline": round(m.total - baseline.total, 2),
                        "vs_baseline_4y": (
                            round((m.total_4y or 0) - (baseline.total_4y or 0), 2)
                            if years >= 4
                            else None
                        ),
                        "scenarios": s,
                    }
                    for f, m, s in zip(files, models, sets, strict=True)
                ],
                "chart": str(written) if written else None,
                "note": TAX_NOTE,
            }
        )
        return

    console = _console()
    cur = offers[0].currency
    span = 4 if years >= 4 else years
    console.print(
        f"[bold]{len(models)} offers[/bold]: {chosen.label}, bonus at "
        f"{chosen.bonus_payout * 100:g}% of target; measured against {baseline.offer.name}"
    )
    # Offers as columns: the table stays narrow however many years are modelled.
    ranked = sorted(models, key=lambda m: -m.total)
    table = Table(box=box.SIMPLE_HEAD)
    table.add_column("")
    for m in ranked:
        table.add_column(m.offer.name + (" (current)" if m.offer.current else ""), justify="right")
    for y in range(years):
        table.add_row(f"Year {y + 1}", *(money(m.rows[y].total, cur) for m in ranked))
    base_total = sum(r.total for r in baseline.rows[:span])
    totals = [sum(r.total for r in m.rows[:span]) for m in ranked]
    table.add_row(f"{span} years", *(money(t, cur) for t in totals), style="bold")
    table.add_row(
        "vs current" if baseline.offer.current else "vs first",
        *(
            "-" if m is baseline else _signed(t - base_total, cur)
            for m, t in zip(ranked, totals, strict=True)
        ),
    )
    console.print(table)

    table = Table(title=f"By component, {span} years", box=box.SIMPLE_HEAD, title_justify="left")
    table.add_column("Offer", no_wrap=True)
    for c in COMPONENTS:
        table.add_column(HEADINGS[c], justify="right")
    for m in ranked:
        table.add_row(m.offer.name, *(money(m.component_total(c, span), cur) for c in COMPONENTS))
    console.print(table)

    table = Table(title=f"Total, {span} years, by share price", box=box.SIMPLE_HEAD)
    table.title_justify = "left"
    table.add_column("Offer", no_wrap=True)
    names = list(sets[0])
    for name in names:
        table.add_column(sets[0][name]["label"], justify="right")
    key = "total_4y" if years >= 4 else "total"
    for o, s in sorted(zip(offers, sets, strict=True), key=lambda os: -os[1]["flat"][key]):
        table.add_row(o.name, *(money(s[n][key], cur) for n in names))
    console.print(table)
    if written is not None:
        console.print(f"Chart written to {written}")
    console.print(f"[dim]{TAX_NOTE} Tables round to the dollar; --json gives cents.[/dim]")


def _signed(value: float, currency: str) -> str:
    return ("+" if value > 0 else "") + money(value, currency)


@offer.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--pack",
    "pack_ref",
    default=DEFAULT_PACK_ID,
    show_default=True,
    help="The pack whose compensation bands to use: an id or a pack file.",
)
@click.option(
    "--valuation",
    type=float,
    metavar="AMOUNT",
    help="The company's valuation, to express a grant as a share of the company.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def check(file: Path, pack_ref: str, valuation: float | None, as_json: bool) -> None:
    """Place an offer against a pack's compensation bands: below, within or above.

    The bands are the pack source's figures (for Sony, the interview guide), not
    market data.

    \b
        loopready offer check sony.yaml --valuation 1.2e11
    """
    from loopready.offers.market import check_offer, load_compensation

    the_offer = load_offer(file)
    pack, comp = load_compensation(pack_ref)
    result = check_offer(the_offer, comp, pack.id, pack.name, valuation)
    if as_json:
        _emit_json({**result.to_dict(), "file": str(file)})
        return
    console = _console()
    console.print(f"[bold]{the_offer.name}[/bold] against the bands of {pack.name}")
    table = Table(box=box.SIMPLE_HEAD)
    table.add_column("Component", no_wrap=True)
    table.add_column("Offer")
    table.add_column("Verdict", no_wrap=True)
    table.add_column("Range (the source's label)")
    styles = {"below": "red", "within": "green", "above": "cyan", "unknown": "yellow"}
    for c in result.checks:
        offer_text = c.detail.rsplit(": ", 1)[0] if c.value is not None else "?"
        table.add_row(
            HEADINGS[c.band.component],
            offer_text,
            f"[{styles[c.verdict]}]{c.verdict}[/]",
            f"{c.band.describe(the_offer.currency)}\n[dim]{c.band.label}[/dim]",
        )
    console.print(table)
    for c in result.checks:
        if c.verdict == "unknown":
            console.print(f"[yellow]{HEADINGS[c.band.component]}:[/] {c.detail}")
    console.print(f"[bold]Note:[/bold] {result.note}")
    console.print("[dim]Sources:[/dim]")
    for source in dict.fromkeys(c.band.source for c in result.checks):
        console.print(f"[dim]- {source}[/dim]")


@offer.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--against",
    "against",
    multiple=True,
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Another offer or your current job, to anchor on (repeatable).",
)
@click.option(
    "--pack",
    "pack_ref",
    default=DEFAULT_PACK_ID,
    show_default=True,
    help="The pack whose compensation bands to anchor on: an id or a pack file.",
)
@click.option(
    "--valuation",
    type=float,
    metavar="AMOUNT",
    help="The company's valuation, to anchor equity on the pack's percentage band.",
)
@click.option("--text", "text_only", is_flag=True, help="Print only the draft message.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")
def counter(
    file: Path,
    against: tuple[Path, ...],
    pack_ref: str,
    valuation: float | None,
    text_only: bool,
    as_json: bool,
) -> None:
    """Draft a counter-proposal: which levers to pull, by how much, and why.

    Works from the model and the pack's bands with fixed rules (no language
    model): below a band, ask for its middle; low in a band, ask for its
    three-quarter point; high in a band, hold. Other offers and your current job
    (--against) anchor the sign-on and equity asks.

    \b
        loopready offer counter sony.yaml --against current.yaml
    """
    from loopready.offers.counter import draft_counter
    from loopready.offers.market import load_compensation

    the_offer = load_offer(file)
    others = [load_offer(f) for f in against]
    pack, comp = load_compensation(pack_ref)
    result = draft_counter(the_offer, comp, pack.name, others, valuation)
    if as_json:
        _emit_json({**result.to_dict(), "file": str(file), "pack": pack.id})
        return
    if text_only:
        click.echo(result.draft)
        return
    console = _console()
    cur = result.currency
    console.print(
        f"[bold]{result.offer}[/bold]: four years {money(result.total_4y_before, cur)} now, "
        f"{money(result.total_4y_after, cur)} with every ask "
        f"({_signed(result.gain_4y, cur)})"
    )
    table = Table(box=box.SIMPLE_HEAD)
    table.add_column("#", justify="right")
    table.add_column("Lever", no_wrap=True)
    table.add_column("Action", no_wrap=True)
    for heading in ("Now", "Ask", "+4 years"):
        table.add_column(heading, justify="right", no_wrap=True)
    for i, lv in enumerate(result.levers, start=1):
        table.add_row(
            str(i),
            HEADINGS[lv.name],
            lv.action,
            lv.shown(lv.current, cur),
            lv.shown(lv.ask, cur),
            _signed(lv.gain_4y, cur) if lv.action == "ask" else "-",
        )
    console.print(table)
    for i, lv in enumerate(result.levers, start=1):
        console.print(f"{i}. [bold]{HEADINGS[lv.name]}[/bold]: {lv.reason}")
    console.print(Panel(result.draft, title="Draft message"))
    console.print(f"[dim]{result.note}[/dim]")
