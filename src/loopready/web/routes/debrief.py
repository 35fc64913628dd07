"""The hiring-committee debrief: the packet, the decision and its reasons, and every
contradiction between rounds quoted side by side."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from loopready.interview.debrief import Attempts, DebriefPacket, build_debrief
from loopready.interview.loops import active_loop, loop_info
from loopready.interview.verdicts import (
    finished_round_count,
    latest_verdict,
    loop_verdicts,
    verdict,
)
from loopready.packs import get_pack
from loopready.store import Database
from loopready.web.deps import get_db
from loopready.web.templating import render

router = APIRouter()

DECISION_WORDS = {
    "strong_hire": "Strong hire",
    "hire": "Hire",
    "lean_no_hire": "Lean no hire",
    "no_hire": "No hire",
}


def _history(db: Database, loop_id: str) -> list[dict[str, Any]]:
    return [
        {
            "id": v.id,
            "decision": v.decision,
            "words": DECISION_WORDS.get(v.decision, v.decision),
            "at": v.created_at,
        }
        for v in loop_verdicts(db, loop_id)
    ]


def claim_value(value: float, unit: str) -> str:
    """A claimed figure as the candidate would say it: ``12%``, ``8``, ``70 ms``, ``2023``."""
    number = f"{value:,.0f}" if value == int(value) else f"{value:,.2f}".rstrip("0")
    if unit == "percent":
        return f"{number}%"
    if unit == "year":
        return f"{value:.0f}"
    if unit == "ms":
        return f"{number} ms"
    if unit == "years":
        return f"{number} years"
    if unit == "money":
        return number
    return number


def claim_groups(packet: DebriefPacket) -> list[list[dict[str, Any]]]:
    """For each contradiction, its claims grouped by the value they state (one column
    each, so the versions that disagree stand side by side)."""
    grouped: list[list[dict[str, Any]]] = []
    for item in packet.inconsistencies:
        by_value: dict[tuple[float, str], dict[str, Any]] = {}
        for claim in item.claims:
            key = (claim.value, claim.unit)
            group = by_value.setdefault(
                key, {"value": claim.value, "unit": claim.unit, "claims": []}
            )
            group["claims"].append(claim)
        grouped.append(list(by_value.values()))
    return grouped


def _page(
    request: Request,
    db: Database,
    loop_id: str | None,
    packet: DebriefPacket | None,
    created: Any = None,
    *,
    damaged: bool = False,
) -> HTMLResponse:
    context: dict[str, Any] = {
        "title": "Hiring-committee debrief",
        "damaged": damaged,
        "packet": packet,
        "groups": claim_groups(packet) if packet else [],
        "claim_value": claim_value,
        "created": created,
        "loop_id": loop_id,
        "history": [],
        "finished": 0,
        "pack": None,
        "loop_title": "",
        "names": {},
        "spot_names": {},
        "words": DECISION_WORDS,
    }
    if loop_id is not None:
        loop = loop_info(db, loop_id)
        pack = get_pack(loop.pack_id)
        context["loop_title"] = loop.title
        context.update(
            pack=pack,
            history=_history(db, loop_id),
            finished=finished_round_count(db, loop_id),
            names={r.id: r.name for r in pack.all_rounds()},
            spot_names={b.id: b.name for b in pack.blind_spots},
        )
    return render(request, "debrief.html", context, section="debrief")


@router.get("/debrief", response_class=HTMLResponse)
def debrief_page(request: Request, db: Annotated[Database, Depends(get_db)]) -> HTMLResponse:
    """The active loop's latest debrief, or what is needed before one can run."""
    loop = active_loop(db)
    loop_id = loop.id if loop else None
    latest = latest_verdict(db, loop_id) if loop_id is not None else None
    packet = latest.packet if latest else None
    created = latest.created_at if latest and packet else None
    return _page(request, db, loop_id, packet, created, damaged=bool(latest and not packet))


@router.get("/debrief/{debrief_id}", response_class=HTMLResponse)
def stored_debrief(
    request: Request, debrief_id: str, db: Annotated[Database, Depends(get_db)]
) -> HTMLResponse:
    """One stored debrief."""
    found = verdict(db, debrief_id)
    packet = found.packet
    return _page(request, db, found.loop_id, packet, found.created_at, damaged=packet is None)


@router.post("/debrief/run")
def run_debrief(
    db: Annotated[Database, Depends(get_db)],
    loop_id: Annotated[str, Form()],
    attempts: Annotated[str, Form()] = "latest",
) -> RedirectResponse:
    """Convene the mock committee on the loop's latest (or best) finished attempts."""
    chosen: Attempts = "best" if attempts == "best" else "latest"
    packet = build_debrief(db, loop_id, save=True, attempts=chosen)
    return RedirectResponse(f"/debrief/{packet.debrief_id}", status_code=303)
