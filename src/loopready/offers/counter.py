"""A counter-proposal draft, worked out from the model and the pack's bands.

No language model: fixed rules, the same answer every time.

For each lever (equity, sign-on, bonus, base) the offer's figure is placed on the
pack's range for it (where a pack gives several ranges, the stretch they all
agree on, else their union):

* below the range: ask for its middle;
* in its lower three quarters: ask for the three-quarter point, which is high in
  the range without being its ceiling;
* at or above the three-quarter point: hold, and spend the goodwill elsewhere.

Other offers (and the current job) sharpen this: a sign-on is asked to cover a
year-1 shortfall against the best alternative, and with no usable equity range
the grant is asked to match the best alternative's four-year equity. Every ask is
priced with the model (share price flat, bonus at target, four years) so the
draft says what it is worth. Asks are rounded up to figures people say aloud, and
the reasons quote the rounded figure, the one the draft asks for.

The draft makes **one specific ask**, as negotiation advice (and the Sony pack's
rubric) has it: the lever worth most over four years. The other levers with room
are listed as the next place to look if that line cannot move; the totals after
are the offer with that one ask.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from loopready.errors import InputError
from loopready.offers.compute import TAX_NOTE, accrued, model_offer
from loopready.offers.fmt import fmt_number, money
from loopready.offers.market import GUIDE_NOTE, Band, bands_of, equity_percent
from loopready.offers.model import Equity, Offer
from loopready.offers.scenarios import PRESETS
from loopready.packs.schema import Compensation

Action = Literal["ask", "hold", "clarify"]
LEVERS: tuple[str, ...] = ("equity", "sign_on", "bonus", "base")
HORIZON = 4
UPPER_POINT = 0.75
#: The one ask must be worth at least this share of the four-year total: a smaller
#: one spends the candidate's goodwill on a rounding (0.4% of the package is not worth
#: a round of emails), so the draft asks for nothing instead.
MIN_ASK_SHARE = 0.01
#: An equity ask more than this many times the grant means the band's percentage
#: probably does not fit this company; the draft asks a question instead.
EQUITY_SANITY_RATIO = 3.0


@dataclass(frozen=True)
class Lever:
    """One line of the counter-proposal."""

    name: str
    action: Action
    current: float | None
    ask: float | None
    unit: Literal["money", "percent"]
    gain_4y: float
    reason: str

    def shown(self, value: float | None, currency: str) -> str:
        if value is None:
            return "-"
        if self.unit == "percent":
            return f"{fmt_number(value)}%"
        return money(value, currency)

    def to_dict(self) -> dict[str, Any]:
        return {
            "lever": self.name,
            "action": self.action,
            "current": self.current,
            "ask": self.ask,
            "unit": self.unit,
            "gain_4y": self.gain_4y,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Counter:
    """The whole draft: levers in the order to raise them, totals and the message."""

    offer: str
    currency: str
    levers: list[Lever]
    total_4y_before: float
    total_4y_after: float
    alternatives: list[tuple[str, float, bool]]  # name, four-year total, is the current job
    draft: str
    note: str
    #: The lever of the draft's one specific ask, or None when there is nothing to ask.
    chosen: str | None = None

    @property
    def ask(self) -> Lever | None:
        """The lever the draft asks for."""
        return next((lv for lv in self.levers if lv.name == self.chosen), None)

    @property
    def gain_4y(self) -> float:
        return round(self.total_4y_after - self.total_4y_before, 2)

    def to_dict(self) -> dict[str, Any]:
        return {
            "offer": self.offer,
            "currency": self.currency,
            "levers": [lever.to_dict() for lever in self.levers],
            "total_4y_before": self.total_4y_before,
            "total_4y_after": self.total_4y_after,
            "gain_4y": self.gain_4y,
            "alternatives": [
                {"name": n, "total_4y": t, "current": c} for n, t, c in self.alternatives
            ],
            "draft": self.draft,
            "note": self.note,
            "chosen": self.chosen,
        }


@dataclass(frozen=True)
class _Range:
    low: float
    high: float
    text: str
    currency: str
    band: Band

    def figure(self, value: float) -> str:
        if self.band.unit == "percent":
            return f"{fmt_number(round(value, 6))}%"
        return money(value, self.currency)

    @property
    def upper(self) -> float:
        return self.low + UPPER_POINT * (self.high - self.low)

    @property
    def middle(self) -> float:
        return (self.low + self.high) / 2


def _range_for(bands: list[Band], component: str, currency: str) -> _Range:
    chosen = [b for b in bands if b.component == component]
    low = max(b.anchor_low for b in chosen)
    high = min(b.anchor_high for b in chosen)
    if len(chosen) == 1:
        return _Range(low, high, chosen[0].describe(currency), currency, chosen[0])
    described = " and ".join(b.describe(currency) for b in chosen)
    if low > high:  # the ranges do not overlap: use all of them
        low = min(b.anchor_low for b in chosen)
        high = max(b.anchor_high for b in chosen)
        joined = Band(component, "", low, high, chosen[0].unit, "", chosen[0].years)
        return _Range(
            low, high, f"{described}, together {joined.describe(currency)}", currency, joined
        )
    agreed = Band(component, "", low, high, chosen[0].unit, "", chosen[0].years)
    return _Range(
        low, high, f"{described}, agreeing on {agreed.describe(currency)}", currency, agreed
    )


def _round_up(value: float, step: float) -> float:
    return float(round(math.ceil(value / step - 1e-9) * step, 6))


def _place(
    value: float, rng: _Range, step: float | None = None
) -> tuple[Action, float | None, str]:
    """The rule of the module docstring: (action, target, why).

    With *step* the target is rounded up to it, and the reason quotes the rounded
    figure: the draft and its reason must name the same number.
    """

    def said(target: float) -> tuple[float, str]:
        if step is None:
            return target, rng.figure(target)
        rounded = _round_up(target, step)
        if rounded == round(target, 6):
            return rounded, rng.figure(rounded)
        return rounded, f"rounded up to {rng.figure(rounded)}"

    if value < rng.low:
        target, text = said(rng.middle)
        return "ask", target, f"below the range ({rng.text}); ask for its middle, {text}"
    if value < rng.upper:
        target, text = said(rng.upper)
        return (
            "ask",
            target,
            f"within the range ({rng.text}) but below its upper quarter; ask for the "
            f"three-quarter point, {text}",
        )
    return (
        "hold",
        None,
        f"already in the upper quarter of the range ({rng.text}), at or above "
        f"{rng.figure(rng.upper)}",
    )


def _four_year(offer: Offer) -> float:
    m = model_offer(offer, PRESETS["flat"], HORIZON)
    return m.total_4y or 0.0


def _with_equity_value(offer: Offer, value: float) -> Offer:
    eq = offer.equity
    if eq is None or eq.grant_value is not None:
        valuation = eq.valuation if eq else None
        new = Equity(grant_value=value, valuation=valuation)
    elif eq.shares is not None and eq.price:
        new = eq.model_copy(update={"shares": value / eq.price})
    else:
        assert eq.valuation
        new = eq.model_copy(update={"percent": value / eq.valuation * 100})
    return offer.model_copy(update={"equity": new})


def _with(offer: Offer, lever: str, ask: float) -> Offer:
    if lever == "base":
        return offer.model_copy(update={"base": ask})
    if lever == "bonus":
        return offer.model_copy(update={"bonus_target_pct": ask})
    if lever == "sign_on":
        rest = offer.sign_on[1:]
        return offer.model_copy(update={"sign_on": [max(ask - sum(rest), 0.0), *rest]})
    return _with_equity_value(offer, ask)


def draft_counter(
    offer: Offer,
    comp: Compensation,
    pack_name: str = "the pack",
    alternatives: Sequence[Offer] = (),
    valuation: float | None = None,
) -> Counter:
    """Work out which levers to pull, by how much, and why; then write the message."""
    if offer.current:
        raise InputError(
            f"{offer.name}: is marked `current: true` (your current job); a counter-proposal "
            "is for an offer: pass the offer, and the current job with --against"
        )
    if offer.currency != comp.currency:
        raise InputError(
            f"{offer.name}: currency: the offer is in {offer.currency} but the pack's bands are "
            f"in {comp.currency}; convert the offer's figures to {comp.currency} first"
        )
    cur = offer.currency
    bands = bands_of(comp)
    before = model_offer(offer, PRESETS["flat"], HORIZON)
    before_4y = before.total_4y or 0.0
    alts = [(a, model_offer(a, PRESETS["flat"], HORIZON)) for a in alternatives]
    best = max(alts, key=lambda am: am[1].total_4y or 0.0, default=None)

    levers: list[Lever] = []
    asks: dict[str, float] = {}

    def priced(name: str, ask: float) -> float:
        return round(_four_year(_with(offer, name, ask)) - before_4y, 2)

    def pull(
        name: str,
        current: float | None,
        reason: str,
        *,
        ask: float | None = None,
        clarify: bool = False,
        unit: Literal["money", "percent"] = "money",
    ) -> None:
        """Add lever *name*: an ask for *ask* (kept in ``asks``), a question, or a hold."""
        if ask is not None:
            asks[name] = ask
        action: Action = "ask" if ask is not None else "clarify" if clarify else "hold"
        gain = 0.0 if ask is None else priced(name, ask)
        levers.append(Lever(name, action, current, ask, unit, gain, reason))

    # Equity.
    eq_band = next(b for b in bands if b.component == "equity")
    years = eq_band.years or offer.vesting.years
    pct = equity_percent(offer, years, valuation)
    eq_value = offer.equity_value
    company_value = valuation or (offer.equity.valuation if offer.equity else None)
    eq_range = _range_for(bands, "equity", cur)
    if pct is not None and company_value:
        action, target_pct, why = _place(pct, eq_range)
        if action == "ask" and target_pct is not None:
            raw = target_pct / 100 * company_value * offer.vesting.years / years
            ask = _round_up(raw, 1000)
            if eq_value and ask > EQUITY_SANITY_RATIO * eq_value:
                pull(
                    "equity",
                    eq_value,
                    f"the grant is {fmt_number(round(pct, 6))}% of the company over {years} "
                    f"years, {why.split(';')[0]}; but reaching it means {money(ask, cur)}, "
                    f"over {EQUITY_SANITY_RATIO:g}x the grant, so ask how the grant was sized "
                    "before quoting the percentage",
                    clarify=True,
                )
            else:
                pull(
                    "equity",
                    eq_value,
                    f"the grant is {fmt_number(round(pct, 6))}% of the company over {years} "
                    f"years, {why}; equity is usually the most flexible line and compounds "
                    "if the price rises",
                    ask=ask,
                )
        else:
            pull(
                "equity",
                eq_value,
                f"the grant is {fmt_number(round(pct, 6))}% of the company, {why}",
            )
    else:
        best_eq = max(alts, key=lambda am: am[1].component_total("equity", HORIZON), default=None)
        mine = before.component_total("equity", HORIZON)
        theirs = best_eq[1].component_total("equity", HORIZON) if best_eq else 0.0
        if best_eq is not None and theirs > mine:
            share_4y = mine / eq_value if eq_value else float(accrued(offer.vesting, 48))
            ask = _round_up(eq_value + (theirs - mine) / max(share_4y, 1e-9), 1000)
            pull(
                "equity",
                eq_value,
                f"{best_eq[0].name} pays {money(theirs, cur)} of equity over four years, "
                f"{money(theirs - mine, cur)} more; ask for a grant that matches it "
                f"(the range {eq_range.text} cannot be used without the company's valuation)",
                ask=ask,
            )
        else:
            pull(
                "equity",
                eq_value,
                f"the range is a share of the company ({eq_range.text}); ask for the grant as "
                "a number of shares and today's price, or for the company's valuation; give "
                "the company's valuation to compare the equity with the band",
                clarify=True,
            )

    # Sign-on.
    so_now = sum(offer.sign_on)
    action, target, why = _place(so_now, _range_for(bands, "sign_on", cur), 500)
    so_ask = target
    gap_reason = ""
    if best is not None:
        gap = best[1].rows[0].total - before.rows[0].total
        if gap > 0:
            needed = _round_up(so_now + gap, 500)
            if so_ask is None or needed > so_ask:
                so_ask, action = needed, "ask"
                gap_reason = (
                    f"; year 1 pays {money(gap, cur)} less than {best[0].name}, and a sign-on "
                    "is the usual way to close a first-year gap"
                )
    if action == "ask" and so_ask is not None:
        reason = f"{why}{gap_reason}; a one-off payment is often the easiest line to move"
        pull("sign_on", so_now, reason, ask=so_ask)
    else:
        pull("sign_on", so_now, why)

    # Bonus and base.
    for name, value, step, extra in (
        (
            "bonus",
            offer.bonus_target_pct,
            0.5,
            "; a target percentage is often fixed by level, so expect less give here",
        ),
        ("base", offer.base, 1000.0, "; base also lifts the bonus and every later raise"),
    ):
        action, target, why = _place(value, _range_for(bands, name, cur), step)
        unit: Literal["money", "percent"] = "percent" if name == "bonus" else "money"
        if action == "ask" and target is not None:
            pull(name, value, f"{why}{extra}", ask=target, unit=unit)
        else:
            pull(name, value, why, unit=unit)

    order = {"ask": 0, "clarify": 1, "hold": 2}
    levers.sort(key=lambda lv: (order[lv.action], -lv.gain_4y, LEVERS.index(lv.name)))

    # One specific ask: the lever worth most over four years (levers are sorted so),
    # and only when it is worth asking for.
    chosen = next((lv for lv in levers if lv.action == "ask" and lv.ask is not None), None)
    if chosen is not None and chosen.gain_4y < MIN_ASK_SHARE * before_4y:
        chosen = None
    after = _with(offer, chosen.name, chosen.ask) if chosen and chosen.ask is not None else offer
    after_4y = _four_year(after)
    alt_totals = [(a.name, m.total_4y or 0.0, a.current) for a, m in alts]
    draft = _write_draft(offer, cur, levers, chosen, before_4y, after_4y, alt_totals, pack_name)
    return Counter(
        offer.name,
        cur,
        levers,
        round(before_4y, 2),
        round(after_4y, 2),
        alt_totals,
        draft,
        f"Ranges from {pack_name}: {GUIDE_NOTE}. {TAX_NOTE}",
        chosen.name if chosen else None,
    )


_LEVER_NAMES = {"equity": "equity", "sign_on": "sign-on", "bonus": "target bonus", "base": "base"}


def _write_draft(
    offer: Offer,
    cur: str,
    levers: list[Lever],
    chosen: Lever | None,
    before: float,
    after: float,
    alts: list[tuple[str, float, bool]],
    pack_name: str,
) -> str:
    questions = [lv for lv in levers if lv.action == "clarify"]
    lines = [
        f"Subject: {offer.name}: the package",
        "",
        "Thank you for the offer. I'm keen to make this work, and I have looked at the package "
        "as a whole over four years rather than at the base alone.",
        "",
        f"As it stands it comes to about {money(before, cur)} over four years (share price "
        "flat, bonus at target, before tax).",
    ]
    if chosen is None:  # no lever worth an ask, or none with room left in the ranges
        lines += [
            "",
            "The package already sits high in the ranges I have seen, so I am not asking for "
            "a change to the figures.",
        ]
    if chosen is not None:
        lines += [
            "",
            f"My one ask is on the {_LEVER_NAMES[chosen.name]}: {chosen.shown(chosen.ask, cur)} "
            f"(from {chosen.shown(chosen.current, cur)}).",
            "",
            f"That would bring the four-year total to about {money(after, cur)} "
            f"(+{money(after - before, cur)}).",
        ]
    better = [(t, c) for _, t, c in alts if t > before]
    if better:
        total, is_current = max(better)
        which = "my current package" if is_current else "the other offer I'm weighing"
        lines += [
            "",
            f"For context, {which} comes to about {money(total, cur)} over the same four years.",
        ]
    if questions:
        lines += [""]
        for lv in questions:
            if lv.name == "equity":
                lines.append(
                    "Could you also share the grant as a number of shares with today's price, "
                    "so I can compare it like for like?"
                )
    lines += [
        "",
        "I'm flexible about how we get there: the total matters more to me than any one line.",
        "",
        f"(Draft from loopready: the ranges behind it are {pack_name}'s figures, not market "
        "data. Check every number before sending.)",
    ]
    return "\n".join(lines)
