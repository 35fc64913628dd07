"""How offer figures are written for people: numbers, money, compact money."""

from __future__ import annotations

import math

_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CAD": "C$", "AUD": "A$"}


def fmt_number(value: float) -> str:
    """A number as a person writes it: 95, 99.5, 500000000 (never 95.0 or 5e+08)."""
    if math.isfinite(value) and float(value).is_integer() and abs(value) < 1e18:
        return str(int(value))
    if abs(value) < 1e-3:
        return f"{value:.6g}"
    return f"{value:.6f}".rstrip("0")


def symbol(currency: str) -> str:
    """The currency's sign ($, €...) or its code and a space."""
    return _SYMBOLS.get(currency, currency + " ")


def money(value: float, currency: str = "USD", cents: bool = False) -> str:
    """``$170,000`` (or ``-$1,250.50`` with cents)."""
    sign = "-" if value < 0 else ""
    body = f"{abs(value):,.2f}" if cents else f"{abs(value):,.0f}"
    if body.strip("0.,") == "":
        sign = ""
    return f"{sign}{symbol(currency)}{body}"


def short_money(value: float, currency: str = "USD") -> str:
    """$245k, $1.25M, $950, $12.5k: compact labels for axes and bar tops."""
    sign = "-" if value < 0 else ""
    v = abs(value)
    if v >= 1e6:
        text = f"{v / 1e6:.2f}".rstrip("0").rstrip(".") + "M"
    elif v >= 1e5:
        text = f"{v / 1e3:.0f}k"
    elif v >= 1e3:
        text = f"{v / 1e3:.1f}".rstrip("0").rstrip(".") + "k"
    else:
        text = f"{v:.0f}"
    return f"{sign}{symbol(currency)}{text}"
