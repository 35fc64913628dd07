"""What the dashboard and the loop page show: the pack's rounds with the user's progress
(:mod:`loopready.interview.progress`), what to practise next and why, today's prep items.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Final

from loopready.errors import LoopreadyError
from loopready.interview.loops import parse_when
from loopready.interview.progress import (
    Attempt,
    attempts_by_round,
    planned_items,
    unfinished_sessions,
    weakest_criterion,
)
from loopready.packs.schema import Pack, Round
from loopready.store import Database, Loop
from loopready.web.chart import Point, Series, color_for


@dataclass
class RoundStat:
    """One round of the pack, with the candidate's attempts and real date."""

    round: Round
    color: str
    attempts: list[Attempt] = field(default_factory=list)
    in_progress: str | None = None  # id of an unfinished session, if any
    real_date: date | None = None
    real_time: datetime | None = None
    estimated: bool = False

    @property
    def latest(self) -> Attempt | None:
        return self.attempts[-1] if self.attempts else None

    @property
    def best(self) -> Attempt | None:
        return max(self.attempts, key=lambda a: a.score) if self.attempts else None

    @property
    def previous(self) -> Attempt | None:
        return self.attempts[-2] if len(self.attempts) > 1 else None

    def days_until(self, today: date) -> int | None:
        return None if self.real_date is None else (self.real_date - today).days


@dataclass
class Recommendation:
    """What to practise next, and why, in the user's words."""

    round: Round
    reason: str
    detail: str = ""


#: The prep plan's page, and today's day on it (where a day is marked done or skipped).
PLAN: Final = "/plan"
PLAN_TODAY: Final = "/plan#today"


@dataclass
class PrepItem:
    """One of today's prep items; ``link`` is where to do it (or tick it off)."""

    title: str
    detail: str = ""
    link: str | None = None


def round_stats(
    db: Database, pack: Pack, loop: Loop | None, *, include_extra: bool = False
) -> list[RoundStat]:
    """Every round of *pack* with its attempts and (real or estimated) date."""
    attempts = attempts_by_round(db, pack_id=pack.id)
    unfinished = unfinished_sessions(db, pack.id)
    rounds = pack.all_rounds() if include_extra else pack.rounds
    stats: list[RoundStat] = []
    dates = loop.round_dates if loop is not None else {}
    loop_ids = {r.id for r in pack.rounds}
    for index, rnd in enumerate(rounds):
        stat = RoundStat(rnd, color_for(index), attempts.get(rnd.id, []), unfinished.get(rnd.id))
        if loop is not None:
            stat.real_date, stat.real_time = parse_when(dates.get(rnd.id))
            if stat.real_date is None and rnd.id in loop_ids:
                try:
                    stat.real_date = loop.start_date + timedelta(days=rnd.day)
                    stat.estimated = True
                except OverflowError:  # a start date stored before dates were bounded
                    stat.real_date = None
        stats.append(stat)
    return stats


def chart_series(stats: list[RoundStat], last: int = 30) -> list[Series]:
    """One chart line per round: its last *last* attempts, numbered from the first."""
    series: list[Series] = []
    for stat in stats:
        total = len(stat.attempts)
        shown = stat.attempts[-last:]
        first = total - len(shown) + 1
        points = [
            Point(
                first + i,
                a.score,
                f"{stat.round.name}, attempt {first + i}: {a.score:.0f} ({a.at:%d %b})",
            )
            for i, a in enumerate(shown)
        ]
        series.append(Series(stat.round.name, stat.color, points))
    return series


def recommend(
    db: Database, stats: list[RoundStat], pack: Pack, today: date
) -> Recommendation | None:
    """The round to practise next, and why.

    A loop round never practised comes first (the soonest one); otherwise the round with
    the lowest latest score, with its weakest criterion and the advice for it.
    """
    order = {r.id: i for i, r in enumerate(pack.rounds)}
    loop_stats = [st for st in stats if st.round.id in order]
    if not loop_stats:
        return None

    def soonness(st: RoundStat) -> tuple[int, int]:
        days = st.days_until(today)
        upcoming = days if days is not None and days >= 0 else 10_000
        return upcoming, order[st.round.id]

    never = [st for st in loop_stats if not st.attempts]
    if never:
        pick = min(never, key=soonness)
        days = pick.days_until(today)
        when = ""
        if days is not None and days >= 0:
            when = " and it is today" if days == 0 else f" and it is in {_days(days)}"
        reason = f"You have not practised the {pick.round.name.lower()} yet{when}."
        detail = f"It lasts {pick.round.minutes} minutes. {pick.round.goal}"
        return Recommendation(pick.round, reason, detail)

    bar = pack.decision.round_bar

    def weakness(st: RoundStat) -> tuple[float, int, int]:
        latest = st.latest
        assert latest is not None
        return (latest.score, *soonness(st))

    pick = min(loop_stats, key=weakness)
    latest = pick.latest
    assert latest is not None
    if latest.score < bar:
        reason = (
            f"The {pick.round.name.lower()} is your lowest-scoring round: {latest.score:.0f} "
            f"last time, below the bar of {bar:.0f} every round must reach."
        )
    else:
        reason = (
            f"The {pick.round.name.lower()} is your lowest-scoring round "
            f"({latest.score:.0f} last time); raising it lifts your overall score most."
        )
    detail = ""
    try:
        weakest = weakest_criterion(db, latest.grade_id)
    except LoopreadyError:
        weakest = None
    if weakest is not None:
        name = weakest.get("name") or weakest.get("id", "")
        detail = f"Weakest there: {name} ({weakest['score']}/4)."
        if weakest.get("advice"):
            detail += f" {weakest['advice']}"
    return Recommendation(pick.round, reason, detail)


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def prep_items(
    db: Database, pack: Pack, stats: list[RoundStat], today: date
) -> tuple[list[PrepItem], str]:
    """Today's prep items and where they come from (the saved plan, or the pack's framework).

    With a saved plan (``loopready plan``), today's items are the plan's. Otherwise the
    pack's prep phases are laid out to end the day before the first round, and today's
    phase gives the items. A mock item links to its round's practice page; every other
    item links to the plan (today's day, or the page that makes a plan).
    """
    items: list[PrepItem] = []
    planned = planned_items(db, today)
    if planned is not None:
        for item in planned:
            round_id = item.get("round_id")
            link = f"/practice?round={round_id}" if round_id else PLAN_TODAY
            items.append(PrepItem(str(item.get("title", "")), str(item.get("detail", "")), link))
        if not items:
            items.append(PrepItem("Nothing new today: review your notes and rest.", "", PLAN_TODAY))
        return items, "your saved plan"

    first = min((st.real_date for st in stats if st.real_date), default=None)
    if first is not None and today < first:
        total = sum(p.days for p in pack.prep.phases)
        start = first - timedelta(days=total)
        offset = (today - start).days
        if offset < 0:
            phase = pack.prep.phases[0]
            items.append(
                PrepItem(f"Prep starts in {_days(-offset)}: {phase.name.lower()}.", "", PLAN)
            )
        else:
            for phase in pack.prep.phases:
                if offset < phase.days:
                    for task in phase.tasks[:3]:
                        items.append(PrepItem(task, f"{phase.name} phase", PLAN))
                    break
                offset -= phase.days
    upcoming = [st for st in stats if (st.days_until(today) or -1) >= 0 and not st.attempts]
    for st in sorted(upcoming, key=lambda st: st.days_until(today) or 0)[:1]:
        items.append(
            PrepItem(
                f"Run a timed mock of the {st.round.name.lower()} ({st.round.minutes} min).",
                "",
                f"/practice?round={st.round.id}",
            )
        )
    return items, "the pack's prep framework"
