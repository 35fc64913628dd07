"""Building and re-planning a prep plan from a pack's prep framework.

Everything here is a pure function of its arguments: no clock (``today`` is
passed in), no files, no database. The rules:

* The prep days run from the start up to the day before the first real round.
  When they match the framework, each phase gets its framework length.
* Fewer days: every phase shrinks in proportion, never below its ``min_days``.
  When even the minimums do not fit, the least important phases go down to one
  day, then fold into a neighbouring phase keeping only their first task. The mock
  phase is the most important, then the phases nearest the interview. Every
  shortening and every dropped task is written into ``plan.cuts``.
* More days: every phase stretches in proportion, but no task is repeated to fill
  the time; the spare days are *light* days with nothing new, spread through the
  phase, and ``plan.notes`` says so.
* One mock interview per real round, in the loop's order, timed for the round's
  length. All of them go in the mock phase when it has a day for each; when it
  does not, the mocks of later rounds move to free days between real rounds (each
  still before its own round), and only then do mocks share a day.
* Re-planning (:func:`replan`) leaves days marked done alone, and moves the work of
  missed and skipped days, with the rest of the remaining work, onto the days left,
  by the same rules.
* Days off (the user's, and by default the holidays of :mod:`~loopready.planning.daysoff`)
  get no work and no mock; a round whose date is estimated falls on a working day.
* The plan carries on between real rounds to the last one: the day after a round, write
  it up while it is fresh; the last free day before the next one, refresh for it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction
from itertools import pairwise
from typing import Literal
from zoneinfo import ZoneInfo

from loopready.bounds import check_form_date, check_plan_length
from loopready.errors import InputError
from loopready.packs.schema import Pack, PrepPhase, Round
from loopready.planning.daysoff import holiday_name, next_working_day, suggested_days_off
from loopready.planning.inputs import zone as parse_zone
from loopready.planning.model import (
    PhaseInfo,
    Plan,
    PlanDay,
    PlanItem,
    RealRound,
    Retired,
)

#: Default local start of a mock interview: after a working day.
DEFAULT_MOCK_TIME = time(18, 0)
#: Default local start of a real round whose time the user has not given.
DEFAULT_ROUND_TIME = time(10, 0)
#: Pause between two mock interviews on the same evening.
MOCK_BREAK = timedelta(minutes=15)
#: Pause between two real rounds on the same day.
ROUND_BREAK = timedelta(minutes=30)
#: Longest task title before it is shortened (the full text stays in the detail).
TITLE_LIMIT = 80

Mark = Literal["done", "skipped", "planned"]


# --- public API -----------------------------------------------------------------------


def build_plan(
    pack: Pack,
    today: date,
    first_round: date,
    start: date | None = None,
    round_dates: Mapping[str, date | datetime] | None = None,
    tz: str = "UTC",
    *,
    mock_time: time = DEFAULT_MOCK_TIME,
    round_time: time = DEFAULT_ROUND_TIME,
    plan_id: str | None = None,
    days_off: Iterable[date] | None = None,
) -> Plan:
    """A day-by-day plan from *start* (default *today*) up to the loop's last round.

    *days_off* are days the user cannot prepare; ``None`` means the holidays that
    :func:`~loopready.planning.daysoff.suggested_days_off` suggests.

    *round_dates* maps round ids to real dates (a ``datetime`` also fixes the
    time, in the plan's zone when naive). The first round is on *first_round*; a
    round without a date follows the round before it by the pack's spacing (the
    difference of their ``day`` offsets). Raises :class:`InputError` for an unknown
    zone or round, a date in the past, a start after the first round, or round
    dates out of the loop's order.
    """
    zone = parse_zone(tz)
    start = today if start is None else start
    if first_round < today:
        raise InputError(
            f"The first round ({first_round.isoformat()}) is in the past: today is "
            f"{today.isoformat()}. Give the date of an interview that is still ahead."
        )
    if start < today:
        raise InputError(
            f"The start date ({start.isoformat()}) is in the past: today is "
            f"{today.isoformat()}. Start today or later."
        )
    if start > first_round:
        raise InputError(
            f"The start date ({start.isoformat()}) is after the first round "
            f"({first_round.isoformat()}). Start on or before the day of the first round."
        )
    check_form_date(first_round, "The first round's date", today)
    check_form_date(start, "The start date", today)
    for round_id, when in (round_dates or {}).items():
        day = when.date() if isinstance(when, datetime) else when
        check_form_date(day, f"The date of {round_id}", today)
    check_plan_length(start, first_round)
    if days_off is None:
        days_off = suggested_days_off(start, first_round + timedelta(days=LOOKAHEAD_DAYS))
    off = set(days_off)
    rounds = _real_rounds(
        pack, today, first_round, round_dates or {}, round_time, zone.key, off=off
    )
    last_round = max(r.date for r in rounds)
    off = {d for d in off if start <= d <= last_round}
    phases = _phase_infos(pack.prep.phases)
    dates = [d for d in _date_range(start, first_round) if d not in off]
    gaps = _gap_dates(rounds, first_round, off)
    priority = _priority(phases)

    targets = [p.framework_days for p in phases]
    mins = [p.min_days for p in phases]
    alloc = allocate(len(dates), targets, mins, priority)

    counter = _Counter()
    groups: list[list[list[PlanItem]]] = []
    for phase, days in zip(pack.prep.phases, alloc, strict=True):
        if days > 0:
            groups.append(_task_groups(phase, min(days, phase.days), counter))
        else:  # folded into a neighbour: only the first task goes along
            groups.append([[_task_item(phase, 0, 1, 1, counter)]] if dates else [])
    mock_phase = next(p.id for p in phases if p.mocks)
    mocks = [
        _mock_item(rnd, real, mock_phase, counter)
        for rnd, real in zip(pack.rounds, rounds, strict=True)
    ]

    layout = _place(phases, alloc, groups, mocks, dates, gaps, rounds, mock_time)
    _place_between(layout, rounds, gaps, counter)
    cuts, notes = _build_sentences(phases, alloc, dates, layout, first_round)
    notes += _round_notes(rounds) + _off_notes(off)

    now = datetime.now(UTC)
    plan = Plan(
        id=plan_id or uuid.uuid4().hex,
        pack_id=pack.id,
        pack_name=pack.name,
        pack_version=pack.version,
        tz=zone.key,
        created=now,
        updated=now,
        start=start,
        first_round=first_round,
        mock_time=mock_time,
        round_time=round_time,
        framework_days=sum(targets),
        phases=phases,
        days=_with_days_off(layout.days(dates, phases), off, rounds),
        rounds=rounds,
        cuts=cuts + layout.cuts,
        notes=notes + layout.notes,
        transient=layout.notes,
        days_off=sorted(off),
    )
    return plan


def set_day_off(plan: Plan, on: date, off: bool, today: date) -> Plan:
    """A copy of *plan* with *on* made a day off (its work moves to the days left), or not.

    A day off keeps no work: it is taken out like a skipped day and re-planned at once.
    Taking the day back makes it an ordinary day again; the work already moved stays
    where it went (make a new plan to spread it out again).
    """
    if not plan.start <= on <= plan.end:
        raise InputError(
            f"{on.isoformat()} is not a day of this plan, which runs from "
            f"{plan.start.isoformat()} to {plan.end.isoformat()}. Give a date in that range."
        )
    if off and any(r.date == on for r in plan.rounds):
        raise InputError(
            f"{on.isoformat()} is the day of a real round. Change the round's date on the "
            "Loop page (or with --round), then make the plan again."
        )
    new = plan.model_copy(deep=True)
    day = new.day(on)
    if day is None:
        day = PlanDay(date=on, phase_id=None)
        new.days.append(day)
        new.days.sort(key=lambda d: d.date)
    wanted = set(new.days_off)
    if off:
        wanted.add(on)
        day.off, day.light = True, False
        day.note = _off_note(on)
        if day.items and day.status == "planned":
            day.status = "skipped"
    else:
        wanted.discard(on)
        day.off = False
        day.note = ""
        if day.status == "skipped":
            day.status = "planned"
        day.light = not day.items and on < new.first_round
    new.days_off = sorted(wanted)
    new = _finish(plan, new)
    if not off:
        return new
    moved = replan(new, today)
    if moved is not new:
        # The day was never skipped by the user: it is simply off now.
        again = moved.day(on)
        if again is not None and again.status == "skipped":
            again.status = "planned"
    return moved


def mark_day(plan: Plan, on: date, status: Mark) -> Plan:
    """A copy of *plan* with the day *on* marked ``done``, ``skipped`` or back to ``planned``.

    Marking a missed or skipped day done (or planned) brings back the work that
    re-planning had moved off it. Call :func:`replan` afterwards to move the work of
    a skipped day forward.
    """
    if status not in ("done", "skipped", "planned"):
        raise InputError(f"A day can be marked done, skipped or planned, not {status!r}.")
    if not plan.start <= on <= plan.end:
        raise InputError(
            f"{on.isoformat()} is not a day of this plan, which runs from "
            f"{plan.start.isoformat()} to {plan.end.isoformat()}. Give a date in that range."
        )
    new = plan.model_copy(deep=True)
    day = new.day(on)
    if day is None:
        day = PlanDay(date=on, phase_id=None)
        new.days.append(day)
        new.days.sort(key=lambda d: d.date)
    if status != "skipped" and day.moved:
        wanted = set(day.moved)
        for other in new.days:
            if other is day or other.status == "done":
                continue
            back = [i for i in other.items if i.key in wanted]
            if back:
                other.items = [i for i in other.items if i.key not in wanted]
                prep_day = other.date < new.first_round
                other.light = prep_day and other.status == "planned" and not other.items
                day.items.extend(back)
        day.items.sort(key=lambda i: (i.kind == "mock", i.order))
        _time_mocks(day.items, new.mock_time)
        day.moved = []
        day.light = False
    day.status = status
    return _finish(plan, new)


def replan(plan: Plan, today: date) -> Plan:
    """Move the work of missed and skipped days forward; days marked done stay as they are.

    A past day still ``planned`` with work on it becomes ``missed``. When nothing
    was missed or skipped the plan is returned unchanged, so calendar events do not
    churn. Otherwise the remaining work is laid out again over the days left,
    shortening phases (and saying so in ``plan.cuts``) when it no longer fits.
    """
    displaced = [
        d
        for d in plan.days
        if d.items and (d.status == "skipped" or (d.status == "planned" and d.date < today))
    ]
    if not displaced:
        return plan
    new = plan.model_copy(deep=True)
    window = max(today, new.start)
    pending: list[tuple[date, PlanItem]] = []
    kept: list[PlanDay] = []
    for day in new.days:
        if day.off and not day.items:  # a day off stays as it is
            kept.append(day)
            continue
        moving = day.status == "skipped" or (day.status == "planned" and day.date < today)
        if moving and day.items:
            if day.status == "planned":
                day.status = "missed"
            pending += [(day.date, i) for i in day.items]
            day.moved = [*day.moved, *(i.key for i in day.items)]
            day.items = []
            kept.append(day)
        elif day.status == "planned" and day.date >= window:
            pending += [(day.date, i) for i in day.items]  # laid out again below
        else:
            kept.append(day)
    fixed = {d.date for d in kept if d.date >= window} | set(new.days_off)
    dates = [d for d in _date_range(window, new.first_round) if d not in fixed]
    gaps = [d for d in _gap_dates(new.rounds, new.first_round, fixed) if d >= window]
    # Work between real rounds belongs to its day; only a day off gives it up.
    between = [(on, i) for on, i in pending if _is_between(i) and on not in new.days_off]
    pending = [(on, i) for on, i in pending if not _is_between(i)]
    phases = new.phases
    index = {p.id: k for k, p in enumerate(phases)}

    by_day: dict[tuple[int, date], list[PlanItem]] = {}
    mocks: list[PlanItem] = []
    mocks_before_first = 0
    for on, item in sorted(pending, key=lambda pair: pair[1].order):
        if item.kind == "mock":
            mocks.append(item)
            mocks_before_first += on < new.first_round
        else:
            by_day.setdefault((index[item.phase_id], on), []).append(item)
    groups: list[list[list[PlanItem]]] = [[] for _ in phases]
    for (k, _on), items in sorted(by_day.items(), key=lambda kv: min(i.order for i in kv[1])):
        groups[k].append(items)
    targets = [len(g) for g in groups]
    for k, p in enumerate(phases):
        if p.mocks:
            targets[k] = max(targets[k], mocks_before_first)
    mins = [min(p.min_days, t) for p, t in zip(phases, targets, strict=True)]
    alloc = allocate(len(dates), targets, mins, _priority(phases))
    cuts: list[str] = []
    for k, days in enumerate(alloc):
        if days == 0 and groups[k] and dates:
            dropped = _titles(i for g in groups[k][1:] for i in g)
            groups[k] = groups[k][:1]
            if dropped:
                cuts.append(
                    f"{phases[k].name} has no day of its own left: its next piece of work "
                    f"joins a neighbouring phase, and this is dropped: {dropped}."
                )
    layout = _place(phases, alloc, groups, mocks, dates, gaps, new.rounds, new.mock_time)

    # Sentences about the current layout replace those of the last re-plan; what was
    # dropped for good (cuts above, and mocks without a day) stays in the record.
    layout_cuts: list[str] = []
    layout_notes: list[str] = []
    missed = [d.date for d in new.days if d.moved and d.status == "missed"]
    if missed:
        layout_notes.append(f"Missed {_day_list(missed)}; that work moved to the days left.")
    skipped = [d.date for d in new.days if d.moved and d.status == "skipped"]
    if skipped:
        layout_notes.append(f"Skipped {_day_list(skipped)}; that work moved to the days left.")
    work = sum(targets)
    if not dates and any(groups):
        left = _titles(i for g in groups for group in g for i in group)
        cuts.append(f"No prep day is left before the first round, so this is dropped: {left}.")
    elif work > len(dates):
        layout_cuts.append(
            f"Catching up: {work} days of prep work are left for {len(dates)} day"
            f"{_s(len(dates))} before the first round, so some days are doubled up."
        )
        for k, p in enumerate(phases):
            if 0 < alloc[k] < targets[k]:
                below = f", below its minimum of {mins[k]}" if alloc[k] < mins[k] else ""
                layout_cuts.append(
                    f"{p.name}: {targets[k]} days of work now fit in {alloc[k]}{below}."
                )
    layout_notes += layout.notes
    old = set(new.transient)
    for on, item in between:
        layout.add(on, [item])
    new.days = sorted(kept + layout.days(dates, phases), key=lambda d: d.date)
    new.cuts = _unique([*(c for c in new.cuts if c not in old), *cuts, *layout.cuts, *layout_cuts])
    new.notes = _unique([*(n for n in new.notes if n not in old), *layout_notes])
    new.transient = [*layout_cuts, *layout_notes]
    return _finish(plan, new)


def supersede(previous: Plan, fresh: Plan) -> Plan:
    """*fresh* as the next version of *previous*: same id, so calendar events update.

    Items that kept their key get their sequence carried over (bumped when they
    changed); items the new plan no longer has are kept as cancelled events.
    """
    fresh = fresh.model_copy(update={"id": previous.id, "created": previous.created}, deep=True)
    return _finish(previous, fresh)


def allocate(
    available: int,
    targets: Sequence[int],
    minimums: Sequence[int],
    priority: Sequence[int],
) -> list[int]:
    """Days for each phase out of *available*.

    *targets* are the days each phase would like, *minimums* the fewest it should
    get, *priority* the phase indexes from most to least important. The result sums
    to ``min(available, ...)``: exactly *available* whenever any phase has work.
    A phase given 0 days while its target is positive has to fold into a neighbour.
    """
    count = len(targets)
    active = [i for i in range(count) if targets[i] > 0]
    days = [0] * count
    if not active or available <= 0:
        return days
    mins = [min(max(minimums[i], 1), targets[i]) if targets[i] > 0 else 0 for i in range(count)]
    rank = {phase: r for r, phase in enumerate(priority)}
    if available >= sum(targets):
        shares = _apportion(available, {i: targets[i] for i in active}, rank)
        return [shares.get(i, 0) for i in range(count)]
    if available >= sum(mins):
        fixed: dict[int, int] = {}
        while True:
            free = [i for i in active if i not in fixed]
            budget = available - sum(fixed.values())
            weight = sum(targets[i] for i in free)
            low = [i for i in free if Fraction(targets[i] * budget, weight) < mins[i]]
            if not low:
                break
            fixed.update({i: mins[i] for i in low})
        shares = _apportion(budget, {i: targets[i] for i in free}, rank)
        return [fixed.get(i, shares.get(i, 0)) for i in range(count)]
    days = list(mins)
    least_first = sorted(active, key=lambda i: -rank.get(i, count))
    for i in least_first:
        while sum(days) > available and days[i] > 1:
            days[i] -= 1
    for i in least_first:
        if sum(days) > available:
            days[i] = 0
    return days


# --- allocation helpers ---------------------------------------------------------------


def _apportion(total: int, weights: Mapping[int, int], rank: Mapping[int, int]) -> dict[int, int]:
    """Split *total* in proportion to *weights*, by largest remainder (ties: by rank)."""
    whole = sum(weights.values())
    quotas = {i: Fraction(w * total, whole) for i, w in weights.items()}
    shares = {i: int(q) for i, q in quotas.items()}
    left = total - sum(shares.values())
    for i in sorted(quotas, key=lambda i: (-(quotas[i] - shares[i]), rank.get(i, len(rank))))[
        :left
    ]:
        shares[i] += 1
    return shares


def _priority(phases: Sequence[PhaseInfo]) -> list[int]:
    """Most important first: the mock phase, then the phases nearest the interview."""
    mocks = [i for i, p in enumerate(phases) if p.mocks]
    rest = [i for i in reversed(range(len(phases))) if i not in mocks]
    return mocks + rest


def _spread(count: int, length: int, *, at_end: bool = False) -> list[int]:
    """*count* distinct positions out of *length*, evenly spaced (``count <= length``)."""
    if at_end:
        return [((i + 1) * length) // count - 1 for i in range(count)]
    return [(i * length) // count for i in range(count)]


def _chunks(count: int, buckets: int) -> list[range]:
    """Split ``range(count)`` into *buckets* consecutive runs as equal as possible."""
    return [range(j * count // buckets, (j + 1) * count // buckets) for j in range(buckets)]


def _placements(count: int, days: int, *, at_end: bool = False) -> list[tuple[int, Sequence[int]]]:
    """Where *count* things go over *days* days, as ``(day, things)``: one a day, evenly
    spaced (:func:`_spread`), while there are days enough; else consecutive runs sharing
    each day (:func:`_chunks`)."""
    if count <= days:
        return [(at, [g]) for g, at in enumerate(_spread(count, days, at_end=at_end))]
    return list(enumerate(_chunks(count, days)))


# --- building blocks ------------------------------------------------------------------


class _Counter:
    """Hands out the ``order`` numbers that fix the intended order of work."""

    def __init__(self) -> None:
        self.value = 0

    def next(self) -> int:
        self.value += 1
        return self.value


def _phase_infos(phases: Sequence[PrepPhase]) -> list[PhaseInfo]:
    mock = _mock_phase_index(phases)
    return [
        PhaseInfo(
            id=p.id,
            name=p.name,
            framework_days=p.days,
            min_days=min(p.min_days, p.days),
            tasks=list(p.tasks),
            mocks=i == mock,
        )
        for i, p in enumerate(phases)
    ]


def _mock_phase_index(phases: Sequence[PrepPhase]) -> int:
    """The phase that holds the mocks: named for mocks, else practice, else the last one."""
    for words in (("mock",), ("practi", "rehears", "interview")):
        for i, p in enumerate(phases):
            text = f"{p.id} {p.name}".lower()
            if any(w in text for w in words):
                return i
    return len(phases) - 1


def _quote(text: str) -> str:
    """A task quoted inside a sentence: shortened, without its own full stop."""
    return f"'{_short(text).rstrip('.')}'"


def _short(text: str, limit: int = TITLE_LIMIT) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.-(")
    return cut + "…"


def _task_item(phase: PrepPhase, index: int, part: int, parts: int, counter: _Counter) -> PlanItem:
    return PlanItem(
        key=f"{phase.id}.t{index}.p{part}",
        kind="task",
        order=counter.next(),
        phase_id=phase.id,
        title=f"{phase.name}: {_short(phase.tasks[index])}",
        detail=" ".join(phase.tasks[index].split()),
        task_index=index,
        part=part,
        part_last=part,
        parts=parts,
    )


def _task_groups(phase: PrepPhase, work_days: int, counter: _Counter) -> list[list[PlanItem]]:
    """The phase's tasks over *work_days* days: long tasks span days, many tasks share."""
    tasks = len(phase.tasks)
    groups: list[list[PlanItem]] = [[] for _ in range(work_days)]
    if tasks <= work_days:
        for i, block in enumerate(_chunks(work_days, tasks)):
            for part, day in enumerate(block, start=1):
                groups[day].append(_task_item(phase, i, part, len(block), counter))
    else:
        for day, block in enumerate(_chunks(tasks, work_days)):
            groups[day] += [_task_item(phase, i, 1, 1, counter) for i in block]
    return groups


def _mock_item(rnd: Round, real: RealRound, phase_id: str, counter: _Counter) -> PlanItem:
    return PlanItem(
        key=f"mock.{rnd.id}",
        kind="mock",
        order=counter.next(),
        phase_id=phase_id,
        title=f"Mock interview: {rnd.name}",
        detail=(
            f"Practise the {rnd.name} round ({rnd.minutes} min) as if it were the real one. "
            f"{rnd.goal} Interviewer: {rnd.interviewer.role}. "
            f"The real round is on {real.date:%A} {real.date.day} {real.date:%B %Y}."
        ),
        round_id=rnd.id,
        minutes=rnd.minutes,
    )


def _date_range(first: date, stop: date) -> list[date]:
    """Days from *first* up to, not including, *stop*."""
    return [first + timedelta(days=k) for k in range((stop - first).days)]


def _gap_dates(rounds: Sequence[RealRound], first_round: date, taken: set[date]) -> list[date]:
    """Free days between the first and the last real round (no round that day)."""
    if not rounds:
        return []
    busy = {r.date for r in rounds} | taken
    last = max(r.date for r in rounds)
    return [d for d in _date_range(first_round + timedelta(days=1), last) if d not in busy]


def _real_rounds(
    pack: Pack,
    today: date,
    first_round: date,
    given: Mapping[str, date | datetime],
    round_time: time,
    tz: str,
    *,
    off: set[date] | None = None,
) -> list[RealRound]:
    loop_ids = [r.id for r in pack.rounds]
    for round_id in given:
        if round_id not in loop_ids:
            practice = {r.id for r in pack.extra_rounds}
            why = (
                "is a practice round, not part of the real loop"
                if round_id in practice
                else ("is not a round of this loop")
            )
            raise InputError(f"{round_id!r} {why}. The loop's rounds are: {', '.join(loop_ids)}.")
    zone = ZoneInfo(tz)
    rows: list[tuple[Round, date, time | None, bool]] = []
    for k, rnd in enumerate(pack.rounds):
        value = given.get(rnd.id)
        at: time | None = None
        if isinstance(value, datetime):
            local = value.astimezone(zone) if value.tzinfo else value
            day, at = local.date(), local.time().replace(second=0, microsecond=0)
        elif isinstance(value, date):
            day = value
        elif rows:  # estimated: the pack's spacing after the round before, on a working day
            day = rows[-1][1] + timedelta(days=max(rnd.day - rows[-1][0].day, 0))
            day = next_working_day(day, off or ())
        else:
            day = first_round
        if value is not None:
            if k == 0 and day != first_round:
                raise InputError(
                    f"The first round ({rnd.id}) has two dates: {first_round.isoformat()} "
                    f"and {day.isoformat()}. Give just one."
                )
            if day < today:
                raise InputError(
                    f"The {rnd.name} round date ({day.isoformat()}) is in the past: today is "
                    f"{today.isoformat()}. Give the date it is still to happen."
                )
        if rows and day < rows[-1][1] and (value is not None or rows[-1][3]):
            prev = rows[-1]
            raise InputError(
                f"The rounds must keep the loop's order, but {rnd.name} ({day.isoformat()}) "
                f"comes before {prev[0].name} ({prev[1].isoformat()}). Check the dates."
            )
        # The first round is on the date the user gave for the loop; later ones, if estimated,
        # are not.
        rows.append((rnd, day, at, value is not None or k == 0))

    result: list[RealRound] = []
    ends: dict[date, datetime] = {}
    for k, (rnd, day, at, explicit) in enumerate(rows):
        if at is None:
            at = round_time
            earliest = ends.get(day)
            if earliest is not None and datetime.combine(day, at) < earliest + ROUND_BREAK:
                at = (earliest + ROUND_BREAK).time()
        end = datetime.combine(day, at) + timedelta(minutes=rnd.minutes)
        ends[day] = max(ends.get(day, end), end)
        result.append(
            RealRound(
                key=f"round.{rnd.id}",
                round_id=rnd.id,
                name=rnd.name,
                kind=rnd.kind,
                order=k,
                date=day,
                at=at,
                minutes=rnd.minutes,
                explicit=explicit,
            )
        )
    return result


# --- days off and the days between rounds ----------------------------------------------

#: How far past the first round holidays are looked up before the rounds are dated.
LOOKAHEAD_DAYS = 120
#: Key prefix of the work planned between real rounds.
BETWEEN = "between."


def _is_between(item: PlanItem) -> bool:
    return item.key.startswith(BETWEEN)


def _off_note(on: date) -> str:
    name = holiday_name(on)
    return f"Day off ({name})." if name else "Day off."


def _off_notes(off: set[date]) -> list[str]:
    if not off:
        return []
    return [f"Days off, with no prep and no mock: {_day_list(sorted(off))}."]


def _with_days_off(
    days: list[PlanDay], off: set[date], rounds: Sequence[RealRound]
) -> list[PlanDay]:
    """The plan's days with a day-off entry for each day off (never a round's day)."""
    taken = {d.date for d in days} | {r.date for r in rounds}
    extra = [PlanDay(date=on, off=True, note=_off_note(on)) for on in off if on not in taken]
    return sorted(days + extra, key=lambda d: d.date)


def _place_between(
    layout: _Layout, rounds: Sequence[RealRound], gaps: Sequence[date], counter: _Counter
) -> None:
    """Carry the plan on between real rounds: write each one up, refresh for the next."""
    free = sorted(gaps)
    for prev, nxt in pairwise(rounds):
        window = [d for d in free if prev.date < d < nxt.date]
        if not window:
            continue
        for on, key, title, detail in (
            (
                window[0],
                f"{prev.round_id}.writeup",
                f"Write up the {prev.name} round",
                f"Write up the {prev.name} round while it is fresh: the questions, your "
                "answers, the numbers you quoted, and what you would tighten.",
            ),
            (
                window[-1],
                f"{nxt.round_id}.refresh",
                f"Refresh for the {nxt.name} round",
                f"Refresh for the {nxt.name} round ({nxt.minutes} min): re-read its rubric, "
                "pick the stories you will tell, and keep your numbers the same as in the "
                "rounds before.",
            ),
        ):
            item = PlanItem(
                key=BETWEEN + key,
                kind="task",
                order=counter.next(),
                phase_id=layout.gap_phase or "",
                title=title,
                detail=detail,
            )
            layout.add(on, [item])


# --- laying work out on dates ---------------------------------------------------------


@dataclass
class _Layout:
    """Where everything landed, and what had to be said about it."""

    items: dict[date, list[PlanItem]] = field(default_factory=dict)
    phase_of: dict[date, str] = field(default_factory=dict)
    cuts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    hosts: dict[int, tuple[int, date]] = field(default_factory=dict)
    gap_phase: str | None = None

    def add(self, on: date, items: Iterable[PlanItem]) -> None:
        self.items.setdefault(on, []).extend(items)

    def days(self, dates: Sequence[date], phases: Sequence[PhaseInfo]) -> list[PlanDay]:
        result = []
        prep = set(dates)
        for on in sorted(prep | set(self.items)):
            items = sorted(self.items.get(on, []), key=lambda i: (i.kind == "mock", i.order))
            between = on not in prep
            result.append(
                PlanDay(
                    date=on,
                    phase_id=self.gap_phase if between else self.phase_of.get(on),
                    items=items,
                    light=not items,
                    note="Between real rounds." if between else "",
                )
            )
        return result


def _place(
    phases: Sequence[PhaseInfo],
    alloc: Sequence[int],
    groups: Sequence[Sequence[Sequence[PlanItem]]],
    mocks: Sequence[PlanItem],
    dates: Sequence[date],
    gaps: Sequence[date],
    rounds: Sequence[RealRound],
    mock_time: time,
) -> _Layout:
    layout = _Layout()
    slices: dict[int, list[date]] = {}
    pos = 0
    for i, days in enumerate(alloc):
        if days > 0:
            slices[i] = list(dates[pos : pos + days])
            pos += days
            for on in slices[i]:
                layout.phase_of[on] = phases[i].id

    for i, mine in slices.items():
        work = groups[i]
        shared = len(work) > len(mine)
        for at, run in _placements(len(work), len(mine)):
            items = [it for g in run for it in work[g]]
            layout.add(mine[at], _merge_parts(items) if shared else items)

    kept = sorted(slices)
    for i, days in enumerate(alloc):
        if days > 0 or not groups[i]:
            continue
        after = [k for k in kept if k > i]
        before = [k for k in kept if k < i]
        if after:
            host, on = after[0], slices[after[0]][0]
        elif before:
            host, on = before[-1], slices[before[-1]][-1]
        else:
            continue  # no prep day at all: the caller reports what is dropped
        layout.hosts[i] = (host, on)
        layout.add(on, groups[i][0])

    mock_phase = next((k for k, p in enumerate(phases) if p.mocks), len(phases) - 1)
    layout.gap_phase = phases[mock_phase].id
    _place_mocks(layout, list(mocks), slices.get(mock_phase, []), gaps, rounds, mock_time)
    return layout


def _place_mocks(
    layout: _Layout,
    mocks: list[PlanItem],
    mine: list[date],
    gaps: Sequence[date],
    rounds: Sequence[RealRound],
    mock_time: time,
) -> None:
    real = {r.round_id: r for r in rounds}
    mocks.sort(key=lambda m: m.order)
    first_day = min([*mine, *gaps], default=None)
    usable = []
    for mock in mocks:
        rr = real.get(mock.round_id or "")
        if rr is None or first_day is None or rr.date <= first_day:
            when = f" on {_day(rr.date)}" if rr else ""
            layout.cuts.append(
                f"No day is left for the {_round_name(mock)} mock before its real round{when}."
            )
        else:
            usable.append(mock)

    in_phase = list(usable)
    moved: list[tuple[PlanItem, date]] = []
    limit: date | None = None
    for mock in reversed(usable):
        if len(in_phase) <= len(mine):
            break
        rr = real[mock.round_id or ""]
        options = [d for d in gaps if d < rr.date and (limit is None or d < limit)]
        if not options:
            break
        limit = max(options)
        moved.append((mock, limit))
        in_phase.remove(mock)
    for mock, on in reversed(moved):
        layout.add(on, [mock])
        layout.notes.append(
            f"The {_round_name(mock)} mock is on {_day(on)}, between your real rounds: "
            "the mock phase had no free day for it before the first round."
        )
    if in_phase and not mine:
        for mock in in_phase:
            rr = real[mock.round_id or ""]
            layout.cuts.append(
                f"No day is left for the {_round_name(mock)} mock before its real round "
                f"on {_day(rr.date)}."
            )
        in_phase = []
    for at, run in _placements(len(in_phase), len(mine), at_end=True):
        shared = [in_phase[k] for k in run]
        layout.add(mine[at], shared)
        if len(shared) > 1:
            names = ", ".join(_round_name(m) for m in shared)
            layout.notes.append(f"{len(shared)} mocks share {_day(mine[at])}: {names}.")
    for items in layout.items.values():
        _time_mocks(items, mock_time)


def _time_mocks(items: list[PlanItem], mock_time: time) -> None:
    """Give the mocks of one day back-to-back start times from *mock_time*."""
    mocks = sorted((i for i in items if i.kind == "mock"), key=lambda i: i.order)
    if not mocks:
        return
    total = sum((timedelta(minutes=m.minutes or 0) for m in mocks), MOCK_BREAK * (len(mocks) - 1))
    anchor = datetime.combine(date(2000, 1, 1), mock_time)
    midnight = datetime.combine(date(2000, 1, 2), time(0))
    if anchor + total > midnight:
        anchor = max(midnight - total, datetime.combine(date(2000, 1, 1), time(0)))
    for mock in mocks:
        mock.at = anchor.time()
        anchor += timedelta(minutes=mock.minutes or 0) + MOCK_BREAK


def _merge_parts(items: Sequence[PlanItem]) -> list[PlanItem]:
    """Join consecutive days of the same task that ended up on one day."""
    merged: list[PlanItem] = []
    for item in items:
        last = merged[-1] if merged else None
        if (
            last is not None
            and item.kind == "task"
            and last.kind == "task"
            and last.phase_id == item.phase_id
            and last.task_index == item.task_index
        ):
            last.part = min(last.part, item.part)
            last.part_last = max(last.part_last, item.part_last)
        else:
            merged.append(item.model_copy())
    return merged


# --- sentences ------------------------------------------------------------------------


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def _day(on: date) -> str:
    return f"{on:%a} {on.day} {on:%b}"


def _day_list(days: Sequence[date]) -> str:
    return ", ".join(_day(d) for d in days)


def _round_name(mock: PlanItem) -> str:
    return mock.title.removeprefix("Mock interview: ")


def _titles(items: Iterable[PlanItem]) -> str:
    return "; ".join(_quote(t) for t in _unique(i.detail or i.title for i in items))


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _build_sentences(
    phases: Sequence[PhaseInfo],
    alloc: Sequence[int],
    dates: Sequence[date],
    layout: _Layout,
    first_round: date,
) -> tuple[list[str], list[str]]:
    cuts: list[str] = []
    notes: list[str] = []
    have, want = len(dates), sum(p.framework_days for p in phases)
    if have == 0:
        names = ", ".join(p.name for p in phases)
        cuts.append(
            f"There is no day to prepare before the first round on {_day(first_round)}, "
            f"so the prep phases are dropped: {names}."
        )
    elif have < want:
        cuts.append(
            f"{have} day{_s(have)} before the first round, but the framework plans {want}, "
            "so the phases are shortened."
        )
        for i, p in enumerate(phases):
            days = alloc[i]
            if days == 0:
                tasks = p.tasks
                host, on = layout.hosts[i]
                lead = "its task" if len(tasks) == 1 else "its first task"
                sentence = (
                    f"{p.name} gets no day of its own: {lead} ({_quote(tasks[0])}) joins "
                    f"{phases[host].name} on {_day(on)}"
                )
                if len(tasks) > 1:
                    sentence += ", and the rest is dropped: " + "; ".join(
                        _quote(t) for t in tasks[1:]
                    )
                cuts.append(sentence + ".")
            elif days < p.framework_days:
                below = f", below its minimum of {p.min_days}" if days < p.min_days else ""
                cuts.append(f"{p.name}: {days} day{_s(days)} instead of {p.framework_days}{below}.")
    elif have > want:
        light = sum(1 for on in dates if not layout.items.get(on))
        notes.append(
            f"{have} days before the first round, and the framework plans {want}: each phase "
            f"is stretched in proportion. No task is repeated to fill the time; the {light} "
            f"day{_s(light)} with nothing new are light days, for rest or a quick review."
        )
    else:
        notes.append(f"The {have} days before the first round match the framework exactly.")
    for i, p in enumerate(phases):
        days = alloc[i]
        if days > 0 and len(p.tasks) > min(days, p.framework_days):
            work = min(days, p.framework_days)
            notes.append(f"{p.name}: its {len(p.tasks)} tasks share {work} day{_s(work)}.")
    return cuts, notes


def _round_notes(rounds: Sequence[RealRound]) -> list[str]:
    guessed = [r for r in rounds[1:] if not r.explicit]
    if not guessed:
        return []
    names = ", ".join(f"{r.name} {_day(r.date)}" for r in guessed)
    return [
        f"Later rounds are dated by the loop's usual spacing ({names}); "
        "set the real dates when you have them."
    ]


# --- versions of a plan ---------------------------------------------------------------

_Print = tuple[object, ...]


def _shown(day: PlanDay, item: PlanItem) -> _Print:
    """What a calendar shows of an item: when it changes, its sequence goes up."""
    return (
        day.date,
        item.at,
        item.minutes,
        item.title,
        item.detail,
        item.part,
        item.part_last,
        day.status == "done",
    )


def _round_shown(r: RealRound) -> _Print:
    return (r.date, r.at, r.minutes, r.name)


def _fingerprints(plan: Plan) -> dict[str, tuple[_Print, int]]:
    found = {item.key: (_shown(day, item), item.sequence) for day, item in plan.items()}
    found.update({r.key: (_round_shown(r), r.sequence) for r in plan.rounds})
    return found


def _finish(old: Plan, new: Plan) -> Plan:
    """Carry sequences from *old* to *new*, retire what vanished, stamp the update."""
    before = _fingerprints(old)
    retired = {r.key: r for r in old.retired}
    now_keys: set[str] = set()

    def sequence(key: str, shown: _Print) -> int:
        now_keys.add(key)
        if key in before:
            old_shown, seq = before[key]
            return seq + (old_shown != shown)
        if key in retired:
            return retired[key].sequence + 1
        return 0

    for day, item in new.items():
        item.sequence = sequence(item.key, _shown(day, item))
    for r in new.rounds:
        r.sequence = sequence(r.key, _round_shown(r))

    gone: list[Retired] = [r for k, r in retired.items() if k not in now_keys]
    for day, item in old.items():
        if item.key not in now_keys:
            gone.append(
                Retired(
                    key=item.key,
                    title=item.title,
                    date=day.date,
                    at=item.at,
                    minutes=item.minutes,
                    sequence=item.sequence + 1,
                )
            )
    for r in old.rounds:
        if r.key not in now_keys:
            gone.append(
                Retired(
                    key=r.key,
                    title=f"Interview: {r.name}",
                    date=r.date,
                    at=r.at,
                    minutes=r.minutes,
                    sequence=r.sequence + 1,
                )
            )
    new.retired = sorted(gone, key=lambda r: (r.date, r.key))
    new.updated = datetime.now(UTC)
    return new
