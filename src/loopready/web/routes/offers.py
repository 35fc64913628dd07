"""Offers: model an offer year by year as you type, save and compare offers, check one
against the pack's bands, and practise the reply to the recruiter.

The form's fields are the offer file's keys (``equity.shares``, ``vesting.cliff_months``),
so a field's error from :mod:`loopready.offers` lands next to that field. While typing,
the form is posted (HTMX, a moment after you pause) to ``/offers/model``, which answers
with the table, the chart, the market check and every field's error, swapped in place.
Taxes are out of scope: every figure is before tax, and the page says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Final

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from loopready.errors import InputError, NotFound
from loopready.offers import (
    GUIDE_NOTE,
    PRESETS,
    TAX_NOTE,
    MarketCheck,
    Offer,
    check_offer,
    model_offer,
    render_svg,
    scenario_summary,
)
from loopready.offers import saved as saved_store
from loopready.offers.compute import COMPONENTS, assumptions
from loopready.offers.fmt import money
from loopready.offers.form import (
    FIELDS,
    LABELS,
    SCENARIOS,
    YEARS,
    Reading,
    fields_of,
    form_fields,
    input_id,
    read_form,
    slot,
)
from loopready.offers.saved import get_saved, saved_offers
from loopready.packs.schema import Pack
from loopready.prep import resolve_pack
from loopready.prep.negotiation import (
    compensation,
    counter_draft,
    mock_offer,
    negotiation,
    record_negotiation,
)
from loopready.store import Database
from loopready.web.deps import get_db
from loopready.web.routes.plan import FORM_ERRORS
from loopready.web.templating import is_htmx, render

router = APIRouter()

#: The longest reply to the recruiter accepted, in characters.
MAX_REPLY: Final = 20_000


# -- results --------------------------------------------------------------------------------


def market(offer: Offer, pack: Pack) -> tuple[MarketCheck | None, str]:
    """The offer against the pack's bands, or why there is no check."""
    comp = compensation(pack)
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


def _negotiate_context(db: Database, wanted: str) -> dict[str, Any]:
    pack = resolve_pack(db)
    found = negotiation(pack)
    if found is None:
        raise NotFound(f"{pack.name} has no offer-negotiation round to practise.")
    rnd, prompt = found
    mock = mock_offer(db, pack, wanted)
    counter = counter_draft(db, pack, mock)
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
    context["session_id"] = record_negotiation(db, pack, context["mock"], reply, result)
    context["bar"] = pack.decision.round_bar
    if is_htmx(request):
        return render(request, "prep/_negotiation_result.html", context, section="offers")
    return render(request, "prep/negotiate.html", context, section="offers")
