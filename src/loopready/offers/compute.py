"""The year-by-year engine: what an offer pays, month by month, summed into years.

Timeline: month 0 is the start date; "month m" is the end of the m-th month, and
year ``y`` holds months ``12(y-1)+1 .. 12y``. Leaving "at month m" means you
worked m full months and anything dated after month m never reaches you.

* Base accrues monthly; a raise applies from the start of its year.
* The bonus for year ``y`` is paid at its end (month ``12y``): the year's base x
  target % x the scenario's payout, and in year 1 x ``first_year_bonus_pct``. You
  must be there at month ``12y`` to get it.
* Equity accrues monthly along the schedule's yearly shape and is delivered on
  vest dates (every 1, 3, 6 or 12 months counted from the grant). Nothing is
  delivered before the cliff; at the cliff everything accrued so far vests at
  once. A tranche vesting in year ``y`` is worth its grant value x the scenario's
  price level in ``y`` / the level when it was granted.
* Sign-on payment ``i`` (counting from 0) arrives at the start of year ``i+1``.
  Leaving fewer than ``sign_on_clawback_months`` after a payment repays it, in
  full or pro rata (``clawback_rule``); relocation is paid at the start and
  clawed back the same way. Repayments are negative amounts in the year you leave.
* Taxes are out of scope: every figure is before tax.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from loopready.errors import InputError
from loopready.offers.fmt import fmt_number, money
from loopready.offers.model import PERIOD_MONTHS, Offer, Vesting
from loopready.offers.scenarios import PRESETS, Scenario

TAX_NOTE = "Taxes are out of scope: every figure is before tax."
COMPONENTS: tuple[str, ...] = ("base", "bonus", "equity", "sign_on", "other")
MAX_YEARS = 10


def cents(value: float) -> float:
    """Round money to cents, halves away from zero (as people round by hand)."""
    rounded = Decimal(repr(float(value))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return float(rounded) + 0.0  # + 0.0 turns -0.0 into 0.0


# -- vesting ---------------------------------------------------------------------------


def accrued(vesting: Vesting, month: int) -> Fraction:
    """The share of a grant accrued after ``month`` months (ignoring the cliff)."""
    shape = [Fraction(str(p)) for p in vesting.shape]
    total = sum(shape)
    full, part = divmod(max(month, 0), 12)
    if full >= vesting.years:
        return Fraction(1)
    done = sum(shape[:full], Fraction(0)) + shape[full] * part / 12
    return done / total


def vest_dates(vesting: Vesting) -> list[int]:
    """Months after the grant on which shares are delivered."""
    period = PERIOD_MONTHS[vesting.frequency]
    end = vesting.years * 12
    dates = {m for m in range(period, end + 1, period) if m >= vesting.cliff_months}
    if vesting.cliff_months > 0:
        dates.add(vesting.cliff_months)
    return sorted(dates)


def vest_schedule(vesting: Vesting) -> list[tuple[int, Fraction]]:
    """(month after grant, share of the grant) for each vest date; shares sum to 1."""
    schedule: list[tuple[int, Fraction]] = []
    done = Fraction(0)
    for month in vest_dates(vesting):
        now = accrued(vesting, month)
        if now > done:
            schedule.append((month, now - done))
            done = now
    return schedule


# -- results ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Grant:
    """One equity grant: the initial one or a refresher."""

    label: str
    year: int  # granted at the start of this year
    value: float
    vesting: Vesting

    @property
    def start_month(self) -> int:
        return 12 * (self.year - 1)


@dataclass(frozen=True)
class VestEvent:
    """Shares delivered on one date."""

    grant: str
    month: int  # months since the start date
    year: int
    fraction: float  # share of its grant
    grant_value: float  # the tranche at the grant's price
    price_level: float  # the price then, relative to the grant's price
    value: float  # the tranche at the scenario's price
    kept: bool  # False when it falls after the leaving month

    def to_dict(self) -> dict[str, Any]:
        return {
            "grant": self.grant,
            "month": self.month,
            "year": self.year,
            "fraction_pct": round(self.fraction * 100, 4),
            "grant_value": self.grant_value,
            "price_level": round(self.price_level, 6),
            "value": self.value,
            "kept": self.kept,
        }


@dataclass(frozen=True)
class YearRow:
    """One year of the package, by component."""

    year: int
    base: float
    bonus: float
    equity: float
    sign_on: float
    other: float

    @property
    def total(self) -> float:
        return cents(self.base + self.bonus + self.equity + self.sign_on + self.other)

    def get(self, component: str) -> float:
        value: float = getattr(self, component)
        return value

    def to_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "base": self.base,
            "bonus": self.bonus,
            "equity": self.equity,
            "sign_on": self.sign_on,
            "other": self.other,
            "total": self.total,
        }


@dataclass(frozen=True)
class LeaveOutcome:
    """What leaving at a given month keeps, forfeits and repays."""

    month: int
    equity_kept: float
    equity_forfeited: float  # unvested tranches of grants already made, at the scenario's price
    bonus_forfeited: float  # the unfinished year's bonus
    sign_on_received: float
    sign_on_repaid: float
    relocation_repaid: float

    @property
    def repaid(self) -> float:
        return cents(self.sign_on_repaid + self.relocation_repaid)

    def to_dict(self) -> dict[str, Any]:
        return {
            "month": self.month,
            "equity_kept": self.equity_kept,
            "equity_forfeited": self.equity_forfeited,
            "bonus_forfeited": self.bonus_forfeited,
            "sign_on_received": self.sign_on_received,
            "sign_on_repaid": self.sign_on_repaid,
            "relocation_repaid": self.relocation_repaid,
            "repaid": self.repaid,
        }


@dataclass(frozen=True)
class OfferModel:
    """An offer worked out year by year under one scenario."""

    offer: Offer
    scenario: Scenario
    horizon: int
    rows: list[YearRow]
    events: list[VestEvent]
    leave: LeaveOutcome | None = None
    equity_after_horizon: float = 0.0  # tranches vesting after the modelled years
    grants: list[Grant] = field(default_factory=list)

    @property
    def total(self) -> float:
        """The sum over every modelled year."""
        return cents(sum(r.total for r in self.rows))

    @property
    def total_4y(self) -> float | None:
        """The sum over years 1-4 (None when fewer than four years are modelled)."""
        if self.horizon < 4:
            return None
        return cents(sum(r.total for r in self.rows[:4]))

    def component_total(self, component: str, years: int | None = None) -> float:
        rows = self.rows if years is None else self.rows[:years]
        return cents(sum(r.get(component) for r in rows))

    def to_dict(self) -> dict[str, Any]:
        return {
            "offer": {
                "name": self.offer.name,
                "current": self.offer.current,
                "currency": self.offer.currency,
            },
            "scenario": scenario_dict(self.scenario, self.horizon),
            "horizon_years": self.horizon,
            "years": [r.to_dict() for r in self.rows],
            "total_4y": self.total_4y,
            "total": self.total,
            "components": {c: self.component_total(c) for c in COMPONENTS},
            "vesting_events": [e.to_dict() for e in self.events],
            "equity_after_horizon": self.equity_after_horizon,
            "leave": self.leave.to_dict() if self.leave else None,
            "assumptions": assumptions(self.offer),
            "note": TAX_NOTE,
        }


def scenario_dict(scenario: Scenario, horizon: int) -> dict[str, Any]:
    return {
        "name": scenario.name,
        "label": scenario.label,
        "price_levels": scenario.levels_for(horizon),
        "bonus_payout_pct": round(scenario.bonus_payout * 100, 4),
    }


# -- the engine ------------------------------------------------------------------------


def grants_of(offer: Offer) -> list[Grant]:
    """The initial grant (if any) and the refreshers, in grant order."""
    grants: list[Grant] = []
    if offer.equity is not None and offer.equity.value > 0:
        grants.append(Grant("initial grant", 1, offer.equity.value, offer.vesting))
    for r in sorted(offer.refreshers, key=lambda r: r.year):
        grants.append(
            Grant(f"refresher (year {r.year})", r.year, r.grant_value, r.vesting or offer.vesting)
        )
    return grants


def model_offer(
    offer: Offer,
    scenario: Scenario | None = None,
    years: int = 4,
    leave_at_month: int | None = None,
) -> OfferModel:
    """Work an offer out year by year; see the module docstring for the rules."""
    scenario = scenario or PRESETS["flat"]
    if not 1 <= years <= MAX_YEARS:
        raise InputError(f"--years: must be between 1 and {MAX_YEARS} (got {years})")
    end = years * 12
    if leave_at_month is not None and not 1 <= leave_at_month <= end:
        raise InputError(
            f"--leave-at: must be a month between 1 and {end} (the {years} modelled years; "
            f"got {leave_at_month})"
        )
    last = leave_at_month if leave_at_month is not None else end

    def worked(year: int) -> int:
        """Months worked in ``year``."""
        return max(0, min(12, last - 12 * (year - 1)))

    # Equity: every vest event of every grant made before leaving.
    grants = [g for g in grants_of(offer) if g.start_month < last and g.year <= years]
    events: list[VestEvent] = []
    after_horizon = 0.0
    forfeited = 0.0
    for g in grants:
        bought_at = scenario.price_level(g.year - 1)
        # Round running totals, not tranches, so a grant's tranches add up to the cent.
        sum_at_grant = sum_now = 0.0
        for month, share in vest_schedule(g.vesting):
            when = g.start_month + month
            year = (when - 1) // 12 + 1
            level = scenario.price_level(year) / bought_at
            tranche = float(Fraction(g.value) * share)
            at_grant = cents(sum_at_grant + tranche) - cents(sum_at_grant)
            value = cents(sum_now + tranche * level) - cents(sum_now)
            sum_at_grant += tranche
            sum_now += tranche * level
            if when > end:
                # Beyond the modelled years: lost if you leave, still to come otherwise.
                if leave_at_month is None:
                    after_horizon += value
                else:
                    forfeited += value
                continue
            kept = when <= last
            if not kept:
                forfeited += value
            events.append(
                VestEvent(
                    grant=g.label,
                    month=when,
                    year=year,
                    fraction=float(share),
                    grant_value=cents(at_grant),
                    price_level=level,
                    value=cents(value),
                    kept=kept,
                )
            )
    events.sort(key=lambda e: (e.month, e.grant))

    leave_year = (last - 1) // 12 + 1 if leave_at_month is not None else None
    sign_on = [0.0] * (years + 1)
    other = [0.0] * (years + 1)
    received = repaid_sign_on = repaid_relocation = 0.0

    for i, amount in enumerate(offer.sign_on):
        paid_at = 12 * i
        if i + 1 > years or paid_at >= last:
            continue
        sign_on[i + 1] += amount
        received += amount
        if leave_year is not None:
            back = _clawback(amount, last - paid_at, offer.sign_on_clawback_months, offer)
            sign_on[leave_year] -= back
            repaid_sign_on += back

    if offer.relocation:
        other[1] += offer.relocation
        if leave_year is not None:
            back = _clawback(offer.relocation, last, offer.relocation_clawback_months, offer)
            other[leave_year] -= back
            repaid_relocation += back

    rows: list[YearRow] = []
    bonus_forfeited = 0.0
    for y in range(1, years + 1):
        base_full = offer.base_in_year(y)
        bonus_full = base_full * offer.bonus_target_pct / 100 * scenario.bonus_payout
        if y == 1:
            bonus_full *= offer.first_year_bonus_pct / 100
        bonus = bonus_full if last >= 12 * y else 0.0
        if y == leave_year and last < 12 * y:
            bonus_forfeited = cents(bonus_full)
        extras = sum(
            item.amount * worked(y) / 12
            for item in offer.other
            if item.years is None or y in item.years
        )
        rows.append(
            YearRow(
                year=y,
                base=cents(base_full * worked(y) / 12),
                bonus=cents(bonus),
                equity=cents(sum(e.value for e in events if e.year == y and e.kept)),
                sign_on=cents(sign_on[y]),
                other=cents(other[y] + extras),
            )
        )

    leave = None
    if leave_at_month is not None:
        leave = LeaveOutcome(
            month=leave_at_month,
            equity_kept=cents(sum(e.value for e in events if e.kept)),
            equity_forfeited=cents(forfeited),
            bonus_forfeited=bonus_forfeited,
            sign_on_received=cents(received),
            sign_on_repaid=cents(repaid_sign_on),
            relocation_repaid=cents(repaid_relocation),
        )
    return OfferModel(
        offer=offer,
        scenario=scenario,
        horizon=years,
        rows=rows,
        events=events,
        leave=leave,
        equity_after_horizon=cents(after_horizon),
        grants=grants,
    )


def _clawback(amount: float, months_stayed: int, period: int, offer: Offer) -> float:
    """How much of a payment is repaid after ``months_stayed`` months."""
    if months_stayed >= period:
        return 0.0
    if offer.clawback_rule == "prorated":
        return amount * (period - months_stayed) / period
    return amount


# -- summaries -------------------------------------------------------------------------


def scenario_summary(
    offer: Offer,
    scenarios: list[Scenario],
    years: int = 4,
    leave_at_month: int | None = None,
) -> dict[str, dict[str, Any]]:
    """Each scenario's equity and totals, keyed by scenario name."""
    out: dict[str, dict[str, Any]] = {}
    for s in scenarios:
        m = model_offer(offer, s, years, leave_at_month)
        out[s.name] = {
            **scenario_dict(s, years),
            "equity_4y": m.component_total("equity", 4) if years >= 4 else None,
            "equity": m.component_total("equity"),
            "total_4y": m.total_4y,
            "total": m.total,
            "totals_by_year": [r.total for r in m.rows],
        }
    return out


def bonus_summary(
    offer: Offer,
    scenario: Scenario,
    payouts: tuple[float, ...],
    years: int = 4,
    leave_at_month: int | None = None,
) -> list[dict[str, Any]]:
    """The bonus and totals when ``payouts`` percent of the target bonus is paid."""
    out = []
    for pct in payouts:
        m = model_offer(offer, scenario.with_bonus_payout(pct), years, leave_at_month)
        out.append(
            {
                "payout_pct": pct,
                "bonus": m.component_total("bonus"),
                "bonus_4y": m.component_total("bonus", 4) if years >= 4 else None,
                "total_4y": m.total_4y,
                "total": m.total,
            }
        )
    return out


def assumptions(offer: Offer) -> list[str]:
    """The rules this model applied to this offer, in words."""
    cur = offer.currency
    lines = [TAX_NOTE]
    if offer.raises_pct is not None:
        lines.append(
            "Raises at the start of years 2, 3...: "
            + ", ".join(f"{fmt_number(r)}%" for r in offer.raises_pct)
            + " (none after the list ends)."
        )
    elif offer.raise_pct:
        lines.append(f"A {fmt_number(offer.raise_pct)}% raise at the start of every year from 2.")
    else:
        lines.append("No raises: base stays the same every year.")
    if offer.bonus_target_pct:
        first = (
            "a full year's bonus in year 1"
            if offer.first_year_bonus_pct == 100
            else f"{fmt_number(offer.first_year_bonus_pct)}% of a full year's bonus in year 1"
        )
        lines.append(
            f"Bonus: {fmt_number(offer.bonus_target_pct)}% of that year's base x the payout, "
            f"paid at the end of each year if you are still there; {first}."
        )
    if offer.equity is not None or offer.refreshers:
        lines.append(
            f"Equity ({offer.equity.describe(cur) if offer.equity else 'refreshers only'}) vests "
            f"over {offer.vesting.describe()}; accrues monthly, delivered on vest dates counted "
            "from the grant, all accrued shares at the cliff."
        )
        lines.append(
            "A vest in year y is valued at the scenario's price level for year y, relative to "
            "the price when that grant was made."
        )
    for r in offer.refreshers:
        how = r.vesting.describe() if r.vesting else "the offer's vesting"
        lines.append(
            f"Refresher of {money(r.grant_value, cur)} granted at the start of year {r.year}, "
            f"vesting over {how}."
        )
    if offer.sign_on:
        paid = ", ".join(
            f"{money(a, cur)} at the start of year {i + 1}" for i, a in enumerate(offer.sign_on)
        )
        claw = (
            f"repaid ({offer.clawback_rule}) if you leave within "
            f"{offer.sign_on_clawback_months} months of a payment"
            if offer.sign_on_clawback_months
            else "no clawback"
        )
        lines.append(f"Sign-on: {paid}; {claw}.")
    if offer.relocation:
        claw = (
            f"repaid ({offer.clawback_rule}) if you leave within "
            f"{offer.relocation_clawback_months} months"
            if offer.relocation_clawback_months
            else "no clawback"
        )
        lines.append(f"Relocation: {money(offer.relocation, cur)} paid in year 1; {claw}.")
    return lines
