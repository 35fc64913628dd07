"""What-if scenarios: where the share price goes, and how much of the bonus is paid.

A scenario gives a *price level* for each year, relative to the price at the
initial grant (1.0 = unchanged). Every vest falling in year ``y`` is valued at
that year's level. The presets hold one level for the whole period ("the price is
30% lower than at grant throughout"); a growth path compounds yearly multipliers
(``1.1, 1.1`` means +10% in year 1 and another +10% in year 2, so 1.1 then 1.21),
and after its last year the price stays where it got to.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from loopready.errors import InputError
from loopready.offers.fmt import fmt_number


@dataclass(frozen=True)
class Scenario:
    """A price path for the equity plus the share of the target bonus actually paid."""

    name: str
    label: str
    levels: tuple[float, ...]
    bonus_payout: float = 1.0

    def price_level(self, year: int) -> float:
        """The price in ``year`` relative to the initial grant; year 0 is the grant itself."""
        if year <= 0 or not self.levels:
            return 1.0
        return self.levels[min(year, len(self.levels)) - 1]

    def with_bonus_payout(self, payout_pct: float) -> Scenario:
        """The same price path with ``payout_pct`` percent of the target bonus paid."""
        return replace(self, bonus_payout=payout_pct / 100)

    def levels_for(self, years: int) -> list[float]:
        return [round(self.price_level(y), 6) for y in range(1, years + 1)]


def level(name: str, change_pct: float, label: str | None = None) -> Scenario:
    """A scenario where the price is ``change_pct`` percent away from the grant throughout."""
    if change_pct <= -100:
        raise InputError(
            f"price change: must be more than -100% (got {fmt_number(change_pct)}%); "
            "a price cannot fall below zero"
        )
    sign = "+" if change_pct > 0 else ""
    text = label or ("price flat" if change_pct == 0 else f"price {sign}{fmt_number(change_pct)}%")
    return Scenario(name, text, (1 + change_pct / 100,))


PRESETS: dict[str, Scenario] = {
    "down30": level("down30", -30, "price down 30%"),
    "flat": level("flat", 0, "price flat"),
    "up30": level("up30", 30, "price up 30%"),
}

#: The realised-bonus cases shown next to every model (percent of target paid).
BONUS_PAYOUTS: tuple[float, ...] = (0, 50, 100, 150)


def growth_path(multipliers: Sequence[float]) -> Scenario:
    """A scenario from year-over-year price multipliers, compounded."""
    if not multipliers:
        raise InputError("growth path: give at least one yearly multiplier, e.g. 1.1,1.05,0.9")
    levels: list[float] = []
    current = 1.0
    for i, m in enumerate(multipliers, start=1):
        if m <= 0:
            raise InputError(
                f"growth path: year {i}: a multiplier must be more than 0 (got {fmt_number(m)})"
            )
        current *= m
        levels.append(current)
    label = "growth path " + ", ".join(f"x{fmt_number(m)}" for m in multipliers)
    return Scenario("growth", label, tuple(levels))


def parse_growth(text: str) -> list[float]:
    """Parse "1.1,1.05,0.9" (multipliers) or "+10%,+5%,-10%" (changes) into multipliers."""
    values: list[float] = []
    for i, raw in enumerate(text.split(","), start=1):
        token = raw.strip()
        try:
            if token.endswith("%"):
                values.append(1 + float(token[:-1]) / 100)
            else:
                values.append(float(token))
        except ValueError:
            raise InputError(
                f"--growth: year {i}: {token!r} is not a number; write multipliers such as "
                "1.1,1.05,0.9 or changes such as +10%,+5%,-10%"
            ) from None
    return values


def resolve(
    name: str = "flat",
    *,
    price_change_pct: float | None = None,
    growth: Sequence[float] | None = None,
    bonus_payout_pct: float = 100,
) -> Scenario:
    """The scenario a user asked for: a preset, a custom change, or a growth path."""
    if bonus_payout_pct < 0:
        raise InputError(
            f"--bonus-payout: must not be negative (got {fmt_number(bonus_payout_pct)})"
        )
    if price_change_pct is not None and growth is not None:
        raise InputError("give --price-change or --growth, not both")
    if growth is not None:
        scenario = growth_path(growth)
    elif price_change_pct is not None:
        scenario = level("custom", price_change_pct)
    else:
        try:
            scenario = PRESETS[name]
        except KeyError:
            raise InputError(
                f"unknown scenario {name!r}; choose one of {', '.join(PRESETS)}"
            ) from None
    return scenario.with_bonus_payout(bonus_payout_pct)


def comparison_set(chosen: Scenario) -> list[Scenario]:
    """The presets, plus the chosen scenario when it is not one of them."""
    out = [p.with_bonus_payout(chosen.bonus_payout * 100) for p in PRESETS.values()]
    if chosen.name not in PRESETS:
        out.append(chosen)
    return out
