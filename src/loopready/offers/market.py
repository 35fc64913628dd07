"""Check an offer against a pack's compensation bands.

The bands are the figures the pack's source gives (for the Sony pack, the
interview guide), not market data, and every result says so. Each component
(base, bonus, equity, sign-on) is placed below, within or above every band the
pack labels for it; a pack may give several ranges for one component.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from loopready.errors import InputError
from loopready.offers.fmt import fmt_number, money
from loopready.offers.model import Offer
from loopready.packs.schema import Compensation, Pack

GUIDE_NOTE = "figures are the guide's, not market data"

Verdict = Literal["below", "within", "above", "unknown"]
Unit = Literal["money", "percent"]


@dataclass(frozen=True)
class Band:
    """One labelled range from a pack."""

    component: str  # base, bonus, equity, sign_on
    label: str
    low: float
    high: float
    unit: Unit
    source: str
    years: int | None = None  # for equity: the years the percentage vests over

    @property
    def anchor_low(self) -> float:
        return min(self.low, self.high)

    @property
    def anchor_high(self) -> float:
        return max(self.low, self.high)

    def describe(self, currency: str = "USD") -> str:
        if self.unit == "percent":
            text = f"{fmt_number(self.low)}-{fmt_number(self.high)}%"
            return f"{text} over {self.years} years" if self.years else text
        return f"{money(self.low, currency)}-{money(self.high, currency)}"

    def place(self, value: float) -> Verdict:
        # A hair of tolerance so that 12.5 typed as 12.499999 is not "below".
        eps = 1e-9 * max(1.0, abs(self.anchor_high))
        if value < self.anchor_low - eps:
            return "below"
        if value > self.anchor_high + eps:
            return "above"
        return "within"


@dataclass(frozen=True)
class BandCheck:
    """One component of an offer placed against one band."""

    band: Band
    value: float | None
    verdict: Verdict
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "component": self.band.component,
            "band": self.band.label,
            "low": self.band.low,
            "high": self.band.high,
            "unit": self.band.unit,
            "band_years": self.band.years,
            "source": self.band.source,
            "value": self.value,
            "verdict": self.verdict,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class MarketCheck:
    """Every band check for one offer against one pack."""

    offer: str
    pack_id: str
    pack_name: str
    currency: str
    checks: list[BandCheck]
    note: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "offer": self.offer,
            "pack": self.pack_id,
            "pack_name": self.pack_name,
            "currency": self.currency,
            "note": self.note,
            "checks": [c.to_dict() for c in self.checks],
        }


def bands_of(comp: Compensation) -> list[Band]:
    """The pack's bands as a flat list, in the order base, bonus, equity, sign-on."""
    bands = [Band("base", r.label, r.low, r.high, "money", r.source) for r in comp.base]
    bands.append(
        Band(
            "bonus",
            "target bonus, % of base",
            comp.bonus_pct.low,
            comp.bonus_pct.high,
            "percent",
            comp.bonus_pct.source,
        )
    )
    eq = comp.equity_pct
    bands.append(
        Band(
            "equity",
            "equity, % of the company",
            eq.low,
            eq.high,
            "percent",
            eq.source,
            eq.vesting_years,
        )
    )
    so = comp.sign_on
    bands.append(Band("sign_on", so.label, so.low, so.high, "money", so.source))
    return bands


def equity_percent(offer: Offer, over_years: int, valuation: float | None = None) -> float | None:
    """The initial grant as a percentage of the company, rescaled to ``over_years`` of vesting.

    None when neither the offer nor ``valuation`` gives the company's valuation.
    """
    if offer.equity is None:
        return 0.0
    pct = offer.equity.percent_of_company
    if pct is None and valuation:
        pct = offer.equity.value / valuation * 100
    if pct is None:
        return None
    return pct * over_years / offer.vesting.years


def check_offer(
    offer: Offer,
    comp: Compensation,
    pack_id: str = "",
    pack_name: str = "",
    valuation: float | None = None,
) -> MarketCheck:
    """Place each component of ``offer`` against every band of ``comp``."""
    if offer.currency != comp.currency:
        raise InputError(
            f"{offer.name}: currency: the offer is in {offer.currency} but the pack's bands are "
            f"in {comp.currency}; convert the offer's figures to {comp.currency} first"
        )
    if valuation is not None and valuation <= 0:
        raise InputError(f"--valuation: must be more than 0 (got {fmt_number(valuation)})")
    cur = offer.currency
    checks: list[BandCheck] = []
    for band in bands_of(comp):
        value: float | None
        if band.component == "base":
            value = offer.base
            shown = money(value, cur)
        elif band.component == "bonus":
            value = offer.bonus_target_pct
            shown = f"{fmt_number(value)}% target"
        elif band.component == "sign_on":
            value = sum(offer.sign_on)
            shown = money(value, cur) + (
                f" over {len(offer.sign_on)} payments" if len(offer.sign_on) > 1 else ""
            )
        else:
            years = band.years or offer.vesting.years
            value = equity_percent(offer, years, valuation)
            if value is None:
                checks.append(
                    BandCheck(
                        band,
                        None,
                        "unknown",
                        "the band is a share of the company; add equity.valuation to the offer "
                        "(or pass --valuation) to compare this grant",
                    )
                )
                continue
            value = round(value, 8)
            scaled = (
                f" ({fmt_number(round(value * offer.vesting.years / years, 6))}% over "
                f"{offer.vesting.years} years)"
                if offer.vesting.years != years
                else ""
            )
            shown = f"{fmt_number(round(value, 6))}% over {years} years{scaled}"
            if offer.refreshers:
                shown += "; refreshers not counted"
        verdict = band.place(value)
        checks.append(BandCheck(band, value, verdict, f"{shown}: {verdict} {band.describe(cur)}"))
    note = GUIDE_NOTE + (f". {comp.note}" if comp.note else "")
    return MarketCheck(offer.name, pack_id, pack_name, comp.currency, checks, note)


def load_compensation(pack: str) -> tuple[Pack, Compensation]:
    """A pack by id (built-in or user) or by file path, and its compensation bands."""
    from loopready.packs import get_pack, load_pack_file

    looks_like_file = pack.endswith((".yaml", ".yml")) or "/" in pack or Path(pack).is_file()
    loaded = load_pack_file(Path(pack)) if looks_like_file else get_pack(pack)
    if loaded.compensation is None:
        raise InputError(
            f"pack {loaded.id!r} has no compensation bands; use a pack with a `compensation` "
            "section, such as sony-ai-pm-2026"
        )
    return loaded, loaded.compensation
