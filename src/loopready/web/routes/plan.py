"""The prep plan: make one, see it day by day, mark days, and download its calendar.

The page reads and writes the same stored plan as ``loopready plan``. Showing or
exporting the plan first re-plans it for today (past days left unmarked count as missed
and their work moves forward), exactly as the CLI does, so both always agree.
"""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import Annotated, Any, Final
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from loopready.errors import InputError, StorageError
from loopready.packs.schema import Pack
from loopready.planning import service as plans
from loopready.planning import storage
from loopready.planning.inputs import parse_date, parse_time, zone
from loopready.planning.model import Plan, PlanItem, RealRound
from loopready.planning.schedule import (
    Mark,
    mark_day,
    replan,
    set_day_off,
)
from loopready.planning.service import current_plan
from loopready.prep import active_loop, resolve_pack
from loopready.store import Database
from loopready.web.deps import get_db
from loopready.web.templating import is_htmx, render

router = APIRouter()

#: Header set on a response that re-renders a form with its errors (prep.js swaps it in).
FORM_ERRORS: Final = {"X-Form-Errors": "1"}
MARKS: Final[dict[str, Mark]] = {"done": "done", "skipped": "skipped", "planned": "planned"}


# -- reading the plan -----------------------------------------------------------------------


@dataclass
class DayRow:
    """One calendar day of the plan as the page shows it."""

    day: date
    status: str
    light: bool
    items: list[PlanItem] = field(default_factory=list)
    rounds: list[RealRound] = field(default_factory=list)
    moved: int = 0
    in_plan: bool = True
    off: bool = False
    note: str = ""

    @property
    def iso(self) -> str:
        return self.day.isoformat()


@dataclass
class PhaseBlock:
    """A stretch of days under one heading: a phase, or the loop itself."""

    title: str
    note: str
    phase_id: str | None = None
    rows: list[DayRow] = field(default_factory=list)


def _worth_showing(row: DayRow, today: date) -> bool:
    return bool(
        row.items
        or row.rounds
        or row.light
        or row.moved
        or row.off
        or row.status != "planned"
        or row.day == today
    )


def _blocks(plan: Plan, today: date) -> list[PhaseBlock]:
    """The days worth a line (work, a round, a mark, or today), under their phase."""
    names = {p.id: p.name for p in plan.phases}
    framework = {p.id: p.framework_days for p in plan.phases}
    rounds_on: dict[date, list[RealRound]] = {}
    for rnd in plan.rounds:
        rounds_on.setdefault(rnd.date, []).append(rnd)
    rows: list[tuple[str | None, DayRow]] = []
    seen: set[date] = set()
    for day in plan.days:
        seen.add(day.date)
        rows.append(
            (
                day.phase_id if day.date < plan.first_round else None,
                DayRow(
                    day.date,
                    day.status,
                    day.light,
                    list(day.items),
                    rounds_on.get(day.date, []),
                    len(day.moved),
                    off=day.off,
                    note=day.note,
                ),
            )
        )
    for on, found in rounds_on.items():
        if on not in seen:
            rows.append((None, DayRow(on, "planned", False, [], found, 0, in_plan=False)))
    rows.sort(key=lambda pair: pair[1].day)
    rows = [(phase_id, row) for phase_id, row in rows if _worth_showing(row, today)]
    blocks: list[PhaseBlock] = []
    current: str | None = "\0"
    for phase_id, row in rows:
        if phase_id != current or not blocks:
            current = phase_id
            if phase_id is None:
                blocks.append(
                    PhaseBlock("The loop", "Your real interviews, and mocks between them.")
                )
            else:
                days = len(plan.phase_dates(phase_id))
                target = framework.get(phase_id, days)
                note = f"{days} of the framework's {target} days" if days != target else ""
                blocks.append(PhaseBlock(names.get(phase_id, phase_id), note, phase_id))
        blocks[-1].rows.append(row)
    return blocks


def _phases(plan: Plan) -> list[dict[str, Any]]:
    out = []
    for phase in plan.phases:
        dates = plan.phase_dates(phase.id)
        out.append(
            {
                "name": phase.name,
                "days": len(dates),
                "framework": phase.framework_days,
                "first": dates[0] if dates else None,
                "last": dates[-1] if dates else None,
            }
        )
    return out


def _plan_context(plan: Plan, today: date) -> dict[str, Any]:
    counts = {s: sum(1 for d in plan.days if d.status == s) for s in ("done", "skipped", "missed")}
    mocks = {i.round_id: d.date for d, i in plan.mocks()}
    return {
        "plan": plan,
        "today": today,
        "blocks": _blocks(plan, today),
        "phases": _phases(plan),
        "counts": counts,
        "mock_days": mocks,
        "phase_names": {p.id: p.name for p in plan.phases},
        "days_left": (plan.first_round - today).days,
    }


# -- the form -------------------------------------------------------------------------------


@cache
def zone_groups() -> list[tuple[str, list[str]]]:
    """Every IANA zone a calendar understands, grouped by region for the select."""
    groups: dict[str, list[str]] = {}
    for name in sorted(zoneinfo.available_timezones()):
        if name.lower() in ("localtime", "posixrules", "factory") or "/" not in name:
            continue
        region = name.split("/", 1)[0]
        if region in ("Etc", "SystemV", "US", "Brazil", "Canada", "Chile", "Mexico"):
            continue
        groups.setdefault(region, []).append(name)
    return [("", ["UTC"]), *sorted(groups.items())]


@dataclass
class PlanForm:
    """What the user typed into the new-plan form (kept when it has to be shown again)."""

    first_round: str = ""
    start: str = ""
    tz: str = "UTC"
    mock_time: str = "18:00"
    error: str = ""
    field: str = ""
    days_off: str = ""
    holidays: bool = True


def _loop_dates(db: Database, pack: Pack, tz: str, today: date) -> tuple[dict[str, Any], str]:
    """Real round dates stored with the active loop (still ahead), and its first round's day."""
    loop = active_loop(db, pack.id)
    if loop is None:
        return {}, ""
    found: dict[str, Any] = {}
    first = ""
    for rnd in pack.rounds:
        value = (loop.round_dates or {}).get(rnd.id)
        if not value:
            continue
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            continue
        if len(value) > 10:
            local = parsed.astimezone(ZoneInfo(tz)) if parsed.tzinfo else parsed
            when: date | datetime = local.replace(tzinfo=None)
            day = local.date()
        else:
            when = day = parsed.date()
        if day < today:
            continue
        found[rnd.id] = when
        if rnd.id == pack.rounds[0].id:
            first = day.isoformat()
    return found, first


def _page(
    request: Request,
    db: Database,
    *,
    form: PlanForm | None = None,
    status_code: int = 200,
    damaged: str = "",
) -> HTMLResponse:
    pack = resolve_pack(db)
    plan, today = (None, date.today()) if damaged else current_plan(db)
    if form is None:
        tz = plan.tz if plan else "UTC"
        _dates, loop_first = _loop_dates(db, pack, tz, today)
        form = PlanForm(first_round=loop_first, tz=tz)
    context: dict[str, Any] = {
        "title": "Prep plan",
        "pack": pack,
        "form": form,
        "zones": zone_groups(),
        "min_date": today.isoformat(),
        "has_loop": active_loop(db, pack.id) is not None,
        "damaged": damaged,
        "plan": None,
        "today": today,
        "notice": request.query_params.get("made", ""),
    }
    if plan is not None:
        context.update(_plan_context(plan, today))
    return render(
        request,
        "prep/plan.html",
        context,
        section="plan",
        status_code=status_code,
        headers=FORM_ERRORS if form.error else None,
    )


@router.get("/plan", response_class=HTMLResponse)
def plan_page(request: Request, db: Annotated[Database, Depends(get_db)]) -> HTMLResponse:
    """The plan day by day, or the form to make one."""
    try:
        return _page(request, db)
    except StorageError as exc:
        return _page(request, db, damaged=str(exc))


def _field_of(message: str) -> str:
    lowered = message.lower()
    if "time zone" in lowered:
        return "tz"
    if "start date" in lowered or lowered.startswith("start"):
        return "start"
    if "mock" in lowered:
        return "mock_time"
    if "day off" in lowered:
        return "days_off"
    return "first_round"


def parse_days_off(text: str) -> list[date]:
    """Dates typed one per line or separated by commas or spaces."""
    return [parse_date(part, "A day off") for part in re.split(r"[\s,;]+", text) if part]


@router.post("/plan", response_class=HTMLResponse)
def make_plan(
    request: Request,
    db: Annotated[Database, Depends(get_db)],
    first_round: Annotated[str, Form()] = "",
    start: Annotated[str, Form()] = "",
    tz: Annotated[str, Form()] = "UTC",
    mock_time: Annotated[str, Form()] = "18:00",
    days_off: Annotated[str, Form()] = "",
    holidays: Annotated[str, Form()] = "",
) -> Response:
    """Make a plan from today (or the start date) through the last real round; it replaces
    the current one but keeps its identity, so a re-imported calendar updates in place."""
    form = PlanForm(first_round, start, tz, mock_time or "18:00", days_off=days_off)
    form.holidays = bool(holidays)
    try:
        if not first_round.strip():
            raise InputError("Give the date of your first real interview.")
        zone_name = zone(tz or "UTC").key
        today = datetime.now(ZoneInfo(zone_name)).date()
        first = parse_date(first_round, "The first interview's date")
        begin = parse_date(start, "The start date") if start.strip() else None
        at = parse_time(mock_time or "18:00", "The mock interviews' time")
        pack = resolve_pack(db)
        dates, _first = _loop_dates(db, pack, zone_name, today)
        dates.pop(pack.rounds[0].id, None)  # the date typed here wins
        off = parse_days_off(days_off)
        plans.make_plan(
            pack,
            today,
            first,
            begin,
            dates,
            zone_name,
            mock_time=at,
            days_off=off,
            holidays=form.holidays,
            db=db,
        )
    except InputError as exc:
        form.error, form.field = str(exc), _field_of(str(exc))
        try:
            return _page(request, db, form=form, status_code=422)
        except StorageError as damaged:
            return _page(request, db, form=form, status_code=422, damaged=str(damaged))
    return RedirectResponse("/plan?made=1#today", status_code=303)


@router.post("/plan/set-aside")
def set_aside(db: Annotated[Database, Depends(get_db)]) -> RedirectResponse:
    """Move a damaged stored plan to a file in the data folder, so a new one can be made."""
    storage.set_aside_damaged_plan(db=db)
    return RedirectResponse("/plan", status_code=303)


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@router.post("/plan/day/{day}", response_class=HTMLResponse)
def mark(
    request: Request,
    day: str,
    db: Annotated[Database, Depends(get_db)],
    status: Annotated[str, Form()],
) -> Response:
    """Mark a day done, skipped or off, or take the mark back; skipped work moves forward."""
    if status not in MARKS and status not in ("off", "on"):
        raise InputError(f"A day can be marked done, skipped, off or planned, not {status!r}.")
    if not _ISO_DAY.match(day):
        raise InputError(f"{day!r} is not a date of the plan (YYYY-MM-DD).")
    plan, today = current_plan(db)
    if plan is None:
        raise InputError("You have no prep plan yet: make one first.")
    on = parse_date(day, "The day")
    if status in ("off", "on"):
        marked = set_day_off(plan, on, status == "off", today)
    else:
        marked = replan(mark_day(plan, on, MARKS[status]), today)
    storage.save_plan(marked, db=db)
    if is_htmx(request):
        context = {"title": "Prep plan", **_plan_context(marked, today), "oob": True}
        return render(request, "prep/_plan_body.html", context, section="plan")
    return RedirectResponse(f"/plan#day-{on.isoformat()}", status_code=303)


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:60] or "plan"


@router.get("/plan.ics")
def calendar(db: Annotated[Database, Depends(get_db)]) -> Response:
    """The plan as an iCalendar file: prep tasks, mock interviews and the real rounds."""
    from loopready.planning.calendar import to_ics

    plan, _today = current_plan(db)
    if plan is None:
        raise InputError("You have no prep plan yet: make one on the Plan page first.")
    filename = f"prep-plan-{_slug(plan.pack_name)}.ics"
    return Response(
        to_ics(plan),
        media_type="text/calendar; charset=utf-8",
        headers={
            "content-disposition": f'attachment; filename="{filename}"',
            "cache-control": "no-store",
        },
    )
