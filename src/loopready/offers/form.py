"""The offer form: its fields (an offer file's keys, plus a few the page adds), the form
read into an :class:`~loopready.offers.model.Offer` with each field's error, and an offer
written back as the form's fields.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from pydantic import ValidationError

from loopready.offers.fmt import fmt_number
from loopready.offers.model import Offer, describe_error
from loopready.offers.scenarios import PRESETS

#: The form's fields (an offer file's keys, plus a few the page adds).
FIELDS: Final = (
    "name",
    "current",
    "currency",
    "base",
    "bonus_target_pct",
    "raise_pct",
    "equity_form",
    "equity.grant_value",
    "equity.shares",
    "equity.price",
    "equity.percent",
    "equity.valuation",
    "vesting.years",
    "vesting.cliff_months",
    "vesting.frequency",
    "vesting.schedule_pct",
    "sign_on",
    "sign_on_2",
    "sign_on_clawback_months",
    "relocation",
    "relocation_clawback_months",
    "clawback_rule",
    "scenario",
    "leave_at",
)
EQUITY_FORMS: Final = {
    "none": (),
    "grant_value": ("grant_value", "valuation"),
    "shares": ("shares", "price", "valuation"),
    "percent": ("percent", "valuation"),
}
SCENARIOS: Final = tuple((name, preset.label) for name, preset in PRESETS.items())
LABELS: Final = {
    "base": "Base",
    "bonus": "Bonus",
    "equity": "Equity",
    "sign_on": "Sign-on",
    "other": "Other",
}
YEARS: Final = 4


def slot(name: str) -> str:
    """The id of the element holding *name*'s error (``e-equity-price``)."""
    return "e-" + name.replace(".", "-")


def input_id(name: str) -> str:
    """The id of the input named *name* (``o-equity-price``)."""
    return "o-" + name.replace(".", "-")


# -- form -> offer --------------------------------------------------------------------------


@dataclass
class Reading:
    """An offer form read: the offer, or errors by field; the chosen scenario and leave month."""

    fields: dict[str, str]
    offer: Offer | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)
    scenario: str = "flat"
    leave_at: int | None = None

    @property
    def empty(self) -> bool:
        """Nothing typed yet that matters: no base salary (and no error to show)."""
        return not self.fields.get("base", "").strip() and not self.errors

    def add(self, name: str, message: str) -> None:
        self.errors.setdefault(name if name in FIELDS else "", []).append(message)


def form_fields(items: Mapping[str, Any]) -> dict[str, str]:
    """The known fields of a posted form, as text."""
    out: dict[str, str] = {}
    for name in FIELDS:
        value = items.get(name)
        if isinstance(value, str):
            out[name] = value.strip()[:200]
    return out


_SPLIT: Final = re.compile(r"[\s,;/]+")


def _error_field(loc: str) -> str:
    if loc.startswith("sign_on."):
        return "sign_on_2" if loc.endswith(".1") else "sign_on"
    if loc.startswith("vesting.schedule_pct"):
        return "vesting.schedule_pct"
    if loc == "equity":
        return "equity_form"
    return loc


def read_form(fields: Mapping[str, str], *, need_base: bool = True) -> Reading:
    """Build and validate the offer the form describes; errors keyed by form field."""
    reading = Reading(dict(fields))

    def given(name: str) -> str:
        return fields.get(name, "").strip()

    data: dict[str, Any] = {"name": given("name") or "This offer"}
    if given("current"):
        data["current"] = True
    for name in (
        "currency",
        "base",
        "bonus_target_pct",
        "raise_pct",
        "relocation",
        "sign_on_clawback_months",
        "relocation_clawback_months",
        "clawback_rule",
    ):
        if given(name):
            data[name] = given(name)
    if not given("base") and not need_base:
        data["base"] = 0
    form = given("equity_form") or "none"
    if form not in EQUITY_FORMS:
        reading.add("equity_form", "choose how the grant is given")
        form = "none"
    equity = {key: given(f"equity.{key}") for key in EQUITY_FORMS[form] if given(f"equity.{key}")}
    if equity:  # a form chosen but nothing typed in it yet is no grant, not an error
        data["equity"] = equity
    vesting: dict[str, Any] = {}
    for key in ("years", "cliff_months", "frequency"):
        if given(f"vesting.{key}"):
            vesting[key] = given(f"vesting.{key}")
    schedule = given("vesting.schedule_pct")
    if schedule:
        parts = [p for p in _SPLIT.split(schedule.replace("%", " ")) if p]
        try:
            vesting["schedule_pct"] = [float(p) for p in parts]
        except ValueError:
            reading.add(
                "vesting.schedule_pct",
                "write one percentage per year, separated by commas, e.g. 25, 25, 25, 25",
            )
    if vesting:
        data["vesting"] = vesting
    sign_on = [given(n) for n in ("sign_on", "sign_on_2")]
    if sign_on[1] and not sign_on[0]:
        reading.add("sign_on", "give the first payment too (0 if there is none in year 1)")
    data["sign_on"] = [s for s in sign_on if s]
    scenario = given("scenario") or "flat"
    reading.scenario = scenario if scenario in PRESETS else "flat"
    if given("leave_at"):
        try:
            month = int(given("leave_at"))
        except ValueError:
            month = 0
        if not 1 <= month <= YEARS * 12:
            reading.add("leave_at", f"a month from 1 to {YEARS * 12}, e.g. 18")
        else:
            reading.leave_at = month
    try:
        offer = Offer.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc, message = describe_error(err)
            reading.add(_error_field(loc), message)
        return reading
    if reading.errors:
        return reading
    reading.offer = offer
    return reading


def fields_of(offer: Offer) -> dict[str, str]:
    """An offer as the form's fields (for an offer stored without its form)."""
    out: dict[str, str] = {
        "name": offer.name,
        "current": "1" if offer.current else "",
        "currency": offer.currency,
        "base": fmt_number(offer.base),
        "bonus_target_pct": fmt_number(offer.bonus_target_pct) if offer.bonus_target_pct else "",
        "raise_pct": fmt_number(offer.raise_pct) if offer.raise_pct else "",
        "vesting.years": str(offer.vesting.years),
        "vesting.cliff_months": str(offer.vesting.cliff_months),
        "vesting.frequency": offer.vesting.frequency,
        "vesting.schedule_pct": ", ".join(fmt_number(p) for p in offer.vesting.schedule_pct or []),
        "sign_on_clawback_months": str(offer.sign_on_clawback_months or ""),
        "relocation": fmt_number(offer.relocation) if offer.relocation else "",
        "relocation_clawback_months": str(offer.relocation_clawback_months or ""),
        "clawback_rule": offer.clawback_rule,
        "equity_form": "none",
    }
    if offer.sign_on:
        out["sign_on"] = fmt_number(offer.sign_on[0])
    if len(offer.sign_on) > 1:
        out["sign_on_2"] = fmt_number(offer.sign_on[1])
    eq = offer.equity
    if eq is not None:
        if eq.grant_value is not None:
            out["equity_form"] = "grant_value"
        elif eq.shares is not None:
            out["equity_form"] = "shares"
        else:
            out["equity_form"] = "percent"
        for key in ("grant_value", "shares", "price", "percent", "valuation"):
            value = getattr(eq, key)
            if value is not None:
                out[f"equity.{key}"] = fmt_number(value)
    return out
