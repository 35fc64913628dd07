"""The offer modeller: an offer's total compensation, year by year, under scenarios.

Typical use::

    from loopready.offers import load_offer, model_offer, resolve

    offer = load_offer("sony.yaml")
    model = model_offer(offer, resolve("up30"), years=4)
    model.total_4y, [row.total for row in model.rows]

Taxes are out of scope: every figure is before tax.
"""

from loopready.offers.chart import render_svg, svg_to_png, write_chart
from loopready.offers.compute import (
    COMPONENTS,
    TAX_NOTE,
    LeaveOutcome,
    OfferModel,
    VestEvent,
    YearRow,
    bonus_summary,
    model_offer,
    scenario_summary,
    vest_schedule,
)
from loopready.offers.counter import Counter, Lever, draft_counter
from loopready.offers.market import GUIDE_NOTE, MarketCheck, check_offer, load_compensation
from loopready.offers.model import (
    Equity,
    Offer,
    Refresher,
    Vesting,
    load_offer,
    parse_offer,
    parse_offer_text,
)
from loopready.offers.scenarios import (
    BONUS_PAYOUTS,
    PRESETS,
    Scenario,
    growth_path,
    parse_growth,
    resolve,
)

__all__ = [
    "BONUS_PAYOUTS",
    "COMPONENTS",
    "GUIDE_NOTE",
    "PRESETS",
    "TAX_NOTE",
    "Counter",
    "Equity",
    "LeaveOutcome",
    "Lever",
    "MarketCheck",
    "Offer",
    "OfferModel",
    "Refresher",
    "Scenario",
    "VestEvent",
    "Vesting",
    "YearRow",
    "bonus_summary",
    "check_offer",
    "draft_counter",
    "growth_path",
    "load_compensation",
    "load_offer",
    "model_offer",
    "parse_growth",
    "parse_offer",
    "parse_offer_text",
    "render_svg",
    "resolve",
    "scenario_summary",
    "svg_to_png",
    "vest_schedule",
    "write_chart",
]
