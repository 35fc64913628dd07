"""A plan as an iCalendar file (RFC 5545) that calendar programs import and update.

* Prep tasks are all-day events (``DTSTART;VALUE=DATE``) that do not block time.
* Mock interviews and real rounds are timed events in the plan's zone
  (``DTSTART;TZID=...`` and ``DTEND``), with a ``VTIMEZONE`` describing that zone
  over the plan's years, so an 18:00 mock stays at 18:00 across a clock change.
* Each event's ``UID`` is the plan id plus the item's key, never random and never
  a position, and its ``SEQUENCE`` is the item's: importing a newer export of the
  same plan updates the events already there instead of adding copies.
* Events an earlier version of the plan had are exported as ``STATUS:CANCELLED``.
* Real rounds carry two reminders: the day before and an hour before.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from icalendar import Alarm, Calendar, Event

from loopready import __version__
from loopready.planning.model import Plan, PlanDay, PlanItem, RealRound, Retired

PRODID = f"-//loopready//loopready {__version__}//EN"
UID_DOMAIN = "loopready"
#: Reminders before a real round: the evening before and an hour before.
ROUND_ALARMS = (timedelta(days=-1), timedelta(hours=-1))


def event_uid(plan_id: str, key: str) -> str:
    """The UID of an item's event: the same for every export of the plan."""
    return f"{plan_id}-{key}@{UID_DOMAIN}"


def to_ics(plan: Plan, *, stamp: datetime | None = None) -> bytes:
    """The plan as an ``.ics`` file's bytes.

    *stamp* (``DTSTAMP``) defaults to the time the plan last changed, so two exports
    of an unchanged plan are identical.
    """
    stamp = (stamp or plan.updated).astimezone(UTC)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"Interview prep: {plan.pack_name}")
    cal.add("x-wr-caldesc", f"loopready prep plan for {plan.pack_name}, made for {plan.tz}.")
    cal.add("x-wr-timezone", plan.tz)

    events: list[tuple[date, str, Event]] = []
    for day, item in plan.items():
        if day.off:  # a day off holds nothing, even in a plan edited by hand
            continue
        event = _mock_event(plan, day, item) if item.timed else _task_event(plan, day, item)
        events.append((day.date, item.key, event))
    for rnd in plan.rounds:
        events.append((rnd.date, rnd.key, _round_event(plan, rnd)))
    for gone in plan.retired:
        events.append((gone.date, gone.key, _cancelled_event(plan, gone)))
    for _, _, event in sorted(events, key=lambda e: (e[0], e[1])):
        event.add("dtstamp", stamp)
        cal.add_component(event)

    years = [e[0].year for e in events] or [plan.start.year]
    cal.add_missing_timezones(
        first_date=date(min(years), 1, 1), last_date=date(max(years) + 1, 1, 1)
    )
    return bytes(cal.to_ical())


def _base(plan: Plan, key: str, sequence: int, summary: str, description: str) -> Event:
    event = Event()
    event.add("uid", event_uid(plan.id, key))
    event.add("sequence", sequence)
    event.add("summary", summary)
    event.add("description", description)
    event.add("class", "PRIVATE")
    return event


def _footer(on: date) -> str:
    return f"\n\nWhen it is done: loopready plan done {on.isoformat()}"


def _task_event(plan: Plan, day: PlanDay, item: PlanItem) -> Event:
    phase = plan.phase(item.phase_id)
    lines = [item.detail or item.title, "", f"Phase: {phase.name}."]
    if item.parts > 1:
        if item.part_last > item.part:
            lines.append(f"Days {item.part}-{item.part_last} of {item.parts} on this task.")
        else:
            lines.append(f"Day {item.part} of {item.parts} on this task.")
    summary = ("Done: " if day.status == "done" else "") + item.title
    event = _base(plan, item.key, item.sequence, summary, "\n".join(lines) + _footer(day.date))
    event.add("dtstart", day.date)
    event.add("dtend", day.date + timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    event.add("categories", ["loopready", "Prep", phase.name])
    return event


def _mock_event(plan: Plan, day: PlanDay, item: PlanItem) -> Event:
    assert item.at is not None and item.minutes is not None
    summary = ("Done: " if day.status == "done" else "") + f"{item.title} ({item.minutes} min)"
    event = _base(plan, item.key, item.sequence, summary, item.detail + _footer(day.date))
    event.add("dtstart", plan.starts_at(day.date, item.at))
    event.add("dtend", plan.ends_at(day.date, item.at, item.minutes))
    event.add("transp", "OPAQUE")
    event.add("categories", ["loopready", "Mock interview"])
    return event


def _round_event(plan: Plan, rnd: RealRound) -> Event:
    count = len(plan.rounds)
    lines = [f"Real interview: round {rnd.order + 1} of {count} of the {plan.pack_name} loop."]
    if not rnd.explicit:
        lines.append(
            "The date is an estimate from the loop's usual spacing: change it when you "
            "know the real one."
        )
    summary = f"Interview: {rnd.name} ({rnd.minutes} min)"
    event = _base(plan, rnd.key, rnd.sequence, summary, "\n".join(lines))
    event.add("dtstart", plan.starts_at(rnd.date, rnd.at))
    event.add("dtend", plan.ends_at(rnd.date, rnd.at, rnd.minutes))
    event.add("transp", "OPAQUE")
    event.add("status", "CONFIRMED" if rnd.explicit else "TENTATIVE")
    event.add("categories", ["loopready", "Interview"])
    for before in ROUND_ALARMS:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", before)
        alarm.add("description", f"Interview: {rnd.name}")
        event.add_component(alarm)
    return event


def _cancelled_event(plan: Plan, gone: Retired) -> Event:
    event = _base(
        plan,
        gone.key,
        gone.sequence,
        f"Cancelled: {gone.title}",
        "No longer part of your prep plan.",
    )
    if gone.at is not None and gone.minutes is not None:
        event.add("dtstart", plan.starts_at(gone.date, gone.at))
        event.add("dtend", plan.ends_at(gone.date, gone.at, gone.minutes))
    else:
        event.add("dtstart", gone.date)
        event.add("dtend", gone.date + timedelta(days=1))
    event.add("status", "CANCELLED")
    event.add("transp", "TRANSPARENT")
    return event
