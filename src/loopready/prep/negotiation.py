"""Negotiation practice: which offer to negotiate on, the counter-proposal to draft,
and the graded reply kept as an attempt of the pack's negotiation round.

The offer is the one the user picked from their saved offers, else the mock offer the
committee drew after a hire decision in the active loop, else the newest saved offer that
is not the current job, else the pack's own practice offer.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError

from loopready.errors import InputError, NotFound
from loopready.grading.base import GradeResult
from loopready.interview import sessions
from loopready.interview.debrief import DebriefPacket
from loopready.interview.loops import active_loop_id
from loopready.interview.verdicts import loop_verdicts
from loopready.offers import Counter, Offer, draft_counter, load_compensation
from loopready.offers.fmt import fmt_number, money
from loopready.offers.saved import Saved, saved_offers
from loopready.packs.schema import Compensation, Pack, Prompt, Round
from loopready.store import Database


def compensation(pack: Pack) -> Compensation | None:
    """The pack's compensation bands, or None when it states none."""
    try:
        _pack, comp = load_compensation(pack.id)
    except InputError:
        return None
    return comp


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


def counter_draft(db: Database, pack: Pack, mock: MockOffer) -> Counter | None:
    """The counter-proposal to the offer practised on (None without bands or an offer)."""
    comp = compensation(pack)
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


def _offer_text(mock: MockOffer) -> str:
    return "; ".join(f"{label}: {value}" for label, value in mock.lines)


def record_negotiation(
    db: Database, pack: Pack, mock: MockOffer, reply: str, result: GradeResult
) -> str:
    """Keep the reply and its grade as a finished negotiation attempt (it shows in Reports);
    returns the session's id."""
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
