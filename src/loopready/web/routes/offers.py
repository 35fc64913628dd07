"""Offers: model an offer year by year as you type, save and compare offers, check one
against the pack's bands, and practise the reply to the recruiter.

The form's fields are the offer file's keys (``equity.shares``, ``vesting.cliff_months``),
so a field's error from :mod:`loopready.offers` lands next to that field. While typing,
the form is posted (HTMX, a moment after you pause) to ``/offers/model``, which answers
with the table, the chart, the market check and every field's error, swapped in place.
Taxes are out of scope: every figure is before tax, and the page says so.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Final

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from pydantic import ValidationError

from loopready.errors import InputError, NotFound
from loopready.grading.base import GradeResult
from loopready.interview import sessions
from loopready.interview.debrief import DebriefPacket
from loopready.interview.loops import active_loop_id
from loopready.interview.verdicts import loop_verdicts
from loopready.offers import (
    GUIDE_NOTE,
    PRESETS,
    TAX_NOTE,
    Counter,
    MarketCheck,
    Offer,
    check_offer,
    draft_counter,
    load_compensation,
    model_offer,
    render_svg,
    scenario_summary,
)
from loopready.offers import saved as saved_store
from loopready.offers.compute import COMPONENTS, assumptions
from loopready.offers.fmt import fmt_number, money
from loopready.offers.model import describe_error
from loopready.offers.saved import Saved, get_saved, saved_offers
from loopready.packs.schema import Compensation, Pack, Prompt, Round
from loopready.prep import resolve_pack
from loopready.store import Database
from loopready.web.deps import get_db
from loopready.web.routes.plan import FORM_ERRORS
from loopready.web.templating import is_htmx, render

router = APIRouter()

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
#: The longest reply to the recruiter accepted, in characters.
MAX_REPLY: Final = 20_000


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


# -- results --------------------------------------------------------------------------------


def _compensation(pack: Pack) -> Compensation | None:
    try:
        _pack, comp = load_compensation(pack.id)
    except InputError:
        return None
    return comp


def market(offer: Offer, pack: Pack) -> tuple[MarketCheck | None, str]:
    """The offer against the pack's bands, or why there is no check."""
    comp = _compensation(pack)
    if comp is None:
        return None, f"{pack.name} gives no compensation bands to check against."
    try:
        return check_offer(offer, comp, pack.id, pack.name), ""
    except InputError as exc:
        return None, str(exc)


def results_context(reading: Reading, pack: Pack) -> dict[str, Any]:
    """What the results area shows for a form reading."""
    context: dict[str, Any] = {
        "reading": reading,
        "model": None,
        "chart": None,
        "scenarios": {},
        "check": None,
        "check_note": "",
        "assumptions": [],
        "used": list(COMPONENTS),
        "labels": LABELS,
        "components": COMPONENTS,
        "tax_note": TAX_NOTE,
        "guide_note": GUIDE_NOTE,
        "slots": [name for name in FIELDS if name not in ("scenario",)] + [""],
        "slot": slot,
        "input_id": input_id,
    }
    offer = reading.offer
    if offer is None:
        return context
    scenario = PRESETS[reading.scenario]
    model = model_offer(offer, scenario, YEARS, reading.leave_at)
    context.update(
        model=model,
        used=[c for c in COMPONENTS if c == "base" or model.component_total(c)],
        money=lambda value: money(value, offer.currency),
        chart=Markup(render_svg([model], f"{offer.name}: total per year")),
        scenarios=scenario_summary(offer, list(PRESETS.values()), YEARS, reading.leave_at),
        assumptions=assumptions(offer),
    )
    context["check"], context["check_note"] = market(offer, pack)
    return context


# -- pages ----------------------------------------------------------------------------------


def _saved_rows(db: Database) -> list[dict[str, Any]]:
    rows = []
    for item in saved_offers(db):
        try:
            model = model_offer(item.offer, PRESETS["flat"], YEARS)
        except (ArithmeticError, ValueError):  # a row stored before the amounts were bounded
            continue
        rows.append(
            {
                "id": item.id,
                "name": item.offer.name,
                "current": item.offer.current,
                "total": money(model.total_4y or model.total, item.offer.currency),
                "year1": money(model.rows[0].total, item.offer.currency),
            }
        )
    return rows


def _page(
    request: Request,
    db: Database,
    fields: Mapping[str, str],
    *,
    offer_id: str = "",
    status_code: int = 200,
    need_base: bool = False,
) -> HTMLResponse:
    pack = resolve_pack(db)
    reading = (
        read_form(fields) if fields.get("base", "").strip() or need_base else Reading(dict(fields))
    )
    context = {
        "title": "Offers",
        "pack": pack,
        "fields": reading.fields,
        "offer_id": offer_id,
        "saved": _saved_rows(db),
        "unreadable": saved_store.unreadable_offers(db),
        "scenario_names": SCENARIOS,
        "flash": request.query_params.get("done", ""),
        **results_context(reading, pack),
    }
    return render(
        request,
        "prep/offers.html",
        context,
        section="offers",
        status_code=status_code,
        headers=FORM_ERRORS if reading.errors else None,
    )


@router.get("/offers", response_class=HTMLResponse)
def offers_page(
    request: Request, db: Annotated[Database, Depends(get_db)], id: str = "", example: str = ""
) -> HTMLResponse:
    """The offer modeller (a saved offer with ``?id=``), saved offers and comparisons."""
    if id:
        item = get_saved(db, id)
        return _page(request, db, item.form or fields_of(item.offer), offer_id=item.id)
    fields: dict[str, str] = {"equity_form": "grant_value", "scenario": "flat"}
    if example:
        fields.update(
            name="Example offer",
            base="170000",
            bonus_target_pct="12.5",
            **{"equity.grant_value": "200000", "vesting.years": "4", "vesting.cliff_months": "12"},
            sign_on="15000",
            sign_on_clawback_months="12",
        )
    return _page(request, db, fields)


@router.post("/offers/model", response_class=HTMLResponse)
async def model_form(request: Request, db: Annotated[Database, Depends(get_db)]) -> HTMLResponse:
    """The results for the form as it stands (the live recalculation), errors by field."""
    form = await request.form()
    fields = form_fields(form)
    if not is_htmx(request):  # the Recalculate button of a browser without JavaScript
        offer_id = form.get("offer_id")
        return _page(request, db, fields, offer_id=offer_id if isinstance(offer_id, str) else "")
    pack = resolve_pack(db)
    reading = read_form(fields) if fields.get("base") else Reading(fields)
    context = {**results_context(reading, pack), "oob": True}
    return render(request, "prep/_offer_results.html", context, section="offers")


@router.post("/offers/save", response_class=HTMLResponse)
async def save_offer(request: Request, db: Annotated[Database, Depends(get_db)]) -> Response:
    """Save the offer (a new one, or the one being edited with ``offer_id``)."""
    form = await request.form()
    fields = form_fields(form)
    offer_id = form.get("offer_id")
    offer_id = offer_id if isinstance(offer_id, str) and not form.get("as_new") else ""
    if offer_id:
        get_saved(db, offer_id)  # 404 for an offer that is not the user's
    reading = read_form(fields, need_base=True)
    if reading.offer is None:
        return _page(request, db, fields, offer_id=offer_id, status_code=422, need_base=True)
    saved_id = saved_store.save_offer(db, reading.offer, fields, offer_id)
    return RedirectResponse(f"/offers?id={saved_id}&done=saved", status_code=303)


@router.post("/offers/{offer_id}/delete")
def delete_offer(offer_id: str, db: Annotated[Database, Depends(get_db)]) -> RedirectResponse:
    """Delete a saved offer."""
    saved_store.delete_offer(db, offer_id)
    return RedirectResponse("/offers?done=deleted", status_code=303)


@router.get("/offers/compare", response_class=HTMLResponse)
def compare(
    request: Request,
    db: Annotated[Database, Depends(get_db)],
    scenario: str = "flat",
) -> HTMLResponse:
    """Saved offers side by side (``?id=A&id=B``): per year, over four years, on one chart."""
    ids = [v for v in request.query_params.getlist("id") if v]
    if not ids:
        raise InputError("Tick two or more saved offers to compare them.")
    chosen = [get_saved(db, offer_id) for offer_id in dict.fromkeys(ids)]
    currencies = {item.offer.currency for item in chosen}
    if len(currencies) > 1:
        raise InputError(
            f"These offers are in different currencies ({', '.join(sorted(currencies))}); "
            "convert them to one currency first."
        )
    preset = PRESETS.get(scenario, PRESETS["flat"])
    models = [model_offer(item.offer, preset, YEARS) for item in chosen]
    currency = chosen[0].offer.currency
    baseline = next((m for m in models if m.offer.current), models[0])
    summaries = {
        item.id: scenario_summary(item.offer, list(PRESETS.values()), YEARS) for item in chosen
    }
    return render(
        request,
        "prep/offers_compare.html",
        {
            "title": "Compare offers",
            "items": list(zip(chosen, models, strict=True)),
            "chart": Markup(render_svg(models, "Total compensation per year")),
            "baseline": baseline,
            "money": lambda value: money(value, currency),
            "signed": lambda value: ("+" if value > 0 else "") + money(value, currency),
            "components": COMPONENTS,
            "labels": LABELS,
            "summaries": summaries,
            "scenario": preset.name,
            "scenario_names": SCENARIOS,
            "ids": [item.id for item in chosen],
            "years": YEARS,
            "tax_note": TAX_NOTE,
        },
        section="offers",
    )


# -- negotiation practice -------------------------------------------------------------------


@dataclass
class MockOffer:
    """The offer to negotiate: from the loop's hire debrief, a saved offer, or the pack."""

    source: str  # debrief, saved, pack
    title: str
    offer: Offer | None
    lines: list[tuple[str, str]]
    note: str = ""
    saved_id: str = ""


def _debrief_offer(db: Database, pack: Pack) -> MockOffer | None:
    loop_id = active_loop_id(db, pack.id)
    if loop_id is None:
        return None
    results = [v.result for v in loop_verdicts(db, loop_id, 10)]
    for result in results:
        mock = result.get("mock_offer")
        if not mock:
            continue
        packet = DebriefPacket.model_validate(result)
        drawn = packet.mock_offer or {}
        try:
            offer = Offer.model_validate(drawn.get("offer") or {})
        except ValidationError:
            continue
        cur = offer.currency
        lines = [
            ("Base", money(offer.base, cur)),
            ("Target bonus", f"{fmt_number(offer.bonus_target_pct)}% of base"),
        ]
        if drawn.get("equity_pct") is not None:
            lines.append(
                (
                    "Equity",
                    f"{fmt_number(float(drawn['equity_pct']))}% of the company, vesting over "
                    f"{drawn.get('vesting_years', offer.vesting.years)} years",
                )
            )
        if offer.sign_on:
            lines.append(("Sign-on", money(sum(offer.sign_on), cur)))
        decision = str(packet.decision).replace("_", " ")
        return MockOffer(
            "debrief",
            f"The mock offer after your committee's {decision} decision",
            offer,
            lines,
            str(drawn.get("note", "")),
        )
    return None


def _saved_mock(item: Saved) -> MockOffer:
    offer = item.offer
    cur = offer.currency
    lines = [("Base", money(offer.base, cur))]
    if offer.bonus_target_pct:
        lines.append(("Target bonus", f"{fmt_number(offer.bonus_target_pct)}% of base"))
    if offer.equity is not None:
        lines.append(("Equity", offer.equity.describe(cur) + f", over {offer.vesting.describe()}"))
    if offer.sign_on:
        lines.append(("Sign-on", money(sum(offer.sign_on), cur)))
    if offer.relocation:
        lines.append(("Relocation", money(offer.relocation, cur)))
    return MockOffer("saved", f"Your saved offer: {offer.name}", offer, lines, saved_id=item.id)


def mock_offer(db: Database, pack: Pack, wanted: str = "") -> MockOffer:
    """The offer to practise on: a chosen saved offer, the debrief's, the newest saved
    offer that is not the current job, or the pack's own practice offer."""
    saved = [item for item in saved_offers(db) if not item.offer.current]
    if wanted:
        chosen = next((item for item in saved if item.id == wanted), None)
        if chosen is not None:
            return _saved_mock(chosen)
    drawn = _debrief_offer(db, pack)
    if drawn is not None:
        return drawn
    if saved:
        return _saved_mock(saved[-1])
    found = negotiation(pack)
    brief = found[1].brief if found else None
    return MockOffer("pack", "The practice offer", None, [("Offer", brief or "")])


def _counter(db: Database, pack: Pack, mock: MockOffer) -> Counter | None:
    comp = _compensation(pack)
    if comp is None or mock.offer is None:
        return None
    alternatives = [item.offer for item in saved_offers(db) if item.offer.current]
    try:
        return draft_counter(mock.offer, comp, pack.name, alternatives)
    except (InputError, ArithmeticError, ValueError):  # a stored offer out of bounds
        return None


def negotiation(pack: Pack) -> tuple[Round, Prompt] | None:
    """The pack's offer-negotiation round (the first of kind ``negotiation``) and its
    opening prompt, whatever the pack calls them."""
    rnd = next((r for r in pack.all_rounds() if r.kind == "negotiation"), None)
    if rnd is None or not rnd.prompts:
        return None
    return rnd, rnd.prompts[0]


def _negotiate_context(db: Database, wanted: str) -> dict[str, Any]:
    pack = resolve_pack(db)
    found = negotiation(pack)
    if found is None:
        raise NotFound(f"{pack.name} has no offer-negotiation round to practise.")
    rnd, prompt = found
    mock = mock_offer(db, pack, wanted)
    counter = _counter(db, pack, mock)
    spots = [b for b in pack.blind_spots if rnd.id in (b.rounds or [])]
    return {
        "title": "Negotiation practice",
        "pack": pack,
        "round": rnd,
        "prompt": prompt,
        "mock": mock,
        "counter": counter,
        "money": (lambda value: money(value, mock.offer.currency)) if mock.offer else None,
        "saved": [item for item in saved_offers(db) if not item.offer.current],
        "spots": spots,
        "reply": "",
        "error": "",
        "result": None,
        "session_id": "",
        "max_reply": MAX_REPLY,
        "guide_note": GUIDE_NOTE,
        "lever_names": {"equity": "Equity", "sign_on": "Sign-on", "bonus": "Bonus", "base": "Base"},
    }


@router.get("/offers/negotiate", response_class=HTMLResponse)
def negotiate_page(
    request: Request, db: Annotated[Database, Depends(get_db)], offer: str | None = None
) -> HTMLResponse:
    """The mock offer, a reply to write, and the counter-proposal draft. The offer you pick
    is remembered, so coming back (or reloading) shows it again."""
    wanted = saved_store.chosen_offer(db, offer)
    return render(request, "prep/negotiate.html", _negotiate_context(db, wanted), section="offers")


def _offer_text(mock: MockOffer) -> str:
    return "; ".join(f"{label}: {value}" for label, value in mock.lines)


def _store_attempt(
    db: Database, pack: Pack, mock: MockOffer, reply: str, result: GradeResult
) -> str:
    """Keep the reply and its grade as a finished negotiation attempt (it shows in Reports)."""
    found = negotiation(pack)
    if found is None:
        raise NotFound(f"{pack.name} has no offer-negotiation round to practise.")
    rnd, prompt = found
    return sessions.record_attempt(
        db,
        pack,
        rnd,
        prompt,
        reply,
        result,
        prompt_text=f"{prompt.question} ({mock.title}: {_offer_text(mock)})",
        loop_id=active_loop_id(db, pack.id),
        extra={"source": "offers-page", "offer": mock.lines},
    )


@router.post("/offers/negotiate", response_class=HTMLResponse)
def negotiate(
    request: Request,
    db: Annotated[Database, Depends(get_db)],
    reply: Annotated[str, Form()] = "",
    offer: Annotated[str | None, Form()] = None,
) -> HTMLResponse:
    """Grade the reply on the negotiation round and show it with the counter-proposal."""
    from loopready.grading.service import build_request, grade_request

    context = _negotiate_context(db, saved_store.chosen_offer(db, offer))
    context["reply"] = reply
    try:
        if not reply.strip():
            raise InputError("Write your reply to the recruiter first, then have it graded.")
        if len(reply) > MAX_REPLY:
            raise InputError(
                f"The reply is {len(reply):,} characters; keep it under {MAX_REPLY:,}, "
                "as a recruiter would read it."
            )
        pack: Pack = context["pack"]
        request_ = build_request(reply, pack_id=pack.id, round_id=context["round"].id)
        result = grade_request(request_)
    except InputError as exc:
        context["error"] = str(exc)
        return render(
            request,
            "prep/negotiate.html",
            context,
            section="offers",
            status_code=422,
            headers=FORM_ERRORS,
        )
    context["result"] = result
    context["session_id"] = _store_attempt(db, pack, context["mock"], reply, result)
    context["bar"] = pack.decision.round_bar
    if is_htmx(request):
        return render(request, "prep/_negotiation_result.html", context, section="offers")
    return render(request, "prep/negotiate.html", context, section="offers")
