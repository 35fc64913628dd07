"""A mock offer drawn from a pack's compensation bands, after a hire decision.

The draw is deterministic for a loop (seeded by its id), so the same debrief
shows the same offer. A strong hire lands in the upper part of each band, a hire
in the middle; base salary comes from the range every base band of the pack
agrees on (the Sony guide gives two slightly different ones). The figures are
the pack source's, not market data, and the offer says so.

The ``offer`` dict uses the keys of :class:`loopready.offers.Offer`, so the offer
modeller can read it as it is. Equity is drawn as a percentage of the company and
kept beside it (``equity_pct``); when the pack gives a valuation to price it with
(``equity_pct.valuation``) the offer also carries it as ``equity``, so it counts in
the four-year total.
"""

from __future__ import annotations

import hashlib
import random
from typing import Any

from loopready.packs.schema import Compensation, Pack

#: Where in each band an offer lands, by decision: (low, high) fraction of the band.
POSITION: dict[str, tuple[float, float]] = {
    "strong_hire": (0.6, 0.95),
    "hire": (0.25, 0.6),
}


def _base_range(comp: Compensation) -> tuple[float, float, str]:
    low = max(b.low for b in comp.base)
    high = min(b.high for b in comp.base)
    if low <= high:
        labels = " and ".join(b.label for b in comp.base)
        return low, high, f"the range every base band agrees on ({labels})"
    first = comp.base[0]
    return first.low, first.high, first.label


def _round_to(value: float, step: float) -> float:
    return round(round(value / step) * step, 6)


def draw_offer(pack: Pack, decision: str, seed: str) -> dict[str, Any] | None:
    """A mock offer for ``decision`` (``hire`` or ``strong_hire``), or ``None``."""
    comp = pack.compensation
    if comp is None or decision not in POSITION:
        return None
    digest = hashlib.sha256(f"{pack.id}:{seed}".encode()).hexdigest()
    rng = random.Random(int(digest[:16], 16))
    lo, hi = POSITION[decision]

    def pick(low: float, high: float, step: float) -> tuple[float, float]:
        where = rng.uniform(lo, hi)
        return _round_to(low + where * (high - low), step), round(where, 2)

    base_low, base_high, base_label = _base_range(comp)
    base, base_at = pick(base_low, base_high, 1000)
    bonus, _ = pick(comp.bonus_pct.low, comp.bonus_pct.high, 0.5)
    equity, _ = pick(comp.equity_pct.low, comp.equity_pct.high, 0.005)
    sign_on, _ = pick(comp.sign_on.low, comp.sign_on.high, 500)
    years = comp.equity_pct.vesting_years
    offer = {
        "name": f"Mock offer: {pack.company}, {pack.role}",
        "currency": comp.currency,
        "base": base,
        "bonus_target_pct": bonus,
        "vesting": {"years": years},
        "sign_on": [sign_on],
        "notes": (
            "Drawn by loopready from the pack's compensation bands after a mock "
            f"{decision.replace('_', ' ')} decision; the figures are the source's, not market data."
        ),
    }
    if comp.equity_pct.valuation:
        offer["equity"] = {"percent": equity, "valuation": comp.equity_pct.valuation}
    first_year = base + base * bonus / 100 + sign_on
    return {
        "offer": offer,
        "decision": decision,
        # Equity is a share of the company: valuing it needs a valuation the pack does not
        # give, so it stays beside the offer (add it as equity: {percent, valuation}).
        "equity_pct": equity,
        "vesting_years": years,
        "position_in_band": base_at,
        "first_year_cash": round(first_year, 2),
        "bands": {
            "base": {"low": base_low, "high": base_high, "from": base_label},
            "bonus_pct": {"low": comp.bonus_pct.low, "high": comp.bonus_pct.high},
            "equity_pct": {
                "low": comp.equity_pct.low,
                "high": comp.equity_pct.high,
                "vesting_years": years,
            },
            "sign_on": {"low": comp.sign_on.low, "high": comp.sign_on.high},
        },
        "sources": sorted({b.source for b in comp.base} | {comp.bonus_pct.source}),
        "note": comp.note or "The figures are the pack source's, not market data.",
    }
