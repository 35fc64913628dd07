"""Opening a mock round, the same way from every front end: resume its unfinished
session, or set that aside and start a new one.

Which loop and which pack follow one rule (:mod:`loopready.interview.loops`): the loop
named, else the user's active loop (unless practising outside any loop); the pack named,
else that loop's, else the one the user is preparing with. An unfinished session of the
round in the same loop is resumed, unless a fresh start or another prompt is asked for;
then it is set aside with its text kept. Answers given from files always start afresh.
"""

from __future__ import annotations

from dataclasses import dataclass

from loopready.errors import InputError
from loopready.interview import sessions
from loopready.interview.loops import (
    active_loop,
    loop_id_of,
    loop_info,
    loop_status,
    resolve_pack,
)
from loopready.interview.sessions import SessionView
from loopready.store import Database


@dataclass(frozen=True)
class Opened:
    """The session to continue in, and what happened to get it."""

    view: SessionView
    #: True when an unfinished session was picked up where it stopped.
    resumed: bool = False
    #: The id of an unfinished session set aside for this one (its text is kept).
    set_aside: str | None = None


def which_loop(
    db: Database, loop_ref: str | None, pack_id: str | None, *, no_loop: bool = False
) -> str | None:
    """The loop to practise in: ``loop_ref`` (id, prefix or "last"; it must practise
    ``pack_id`` when both are given), else the active loop (of ``pack_id``), else none."""
    if loop_ref and no_loop:
        raise InputError("give --loop or --no-loop, not both")
    if no_loop:
        return None
    if not loop_ref:
        loop = active_loop(db, pack_id or None)
        return loop.id if loop is not None else None
    loop_id = loop_id_of(db, loop_ref)
    loop_pack = loop_info(db, loop_id).pack_id
    if pack_id and pack_id != loop_pack:
        raise InputError(f"loop {loop_id[:8]} practises pack {loop_pack!r}, not {pack_id!r}")
    return loop_id


def next_round_id(db: Database, loop_id: str | None) -> str:
    """The loop's next round to practise ("next" on the command line)."""
    if loop_id is None:
        raise InputError('"next" needs a loop: create one with `loopready loop new`')
    upcoming = loop_status(db, loop_id).next_round
    if upcoming is None:
        raise InputError(
            f"every round of loop {loop_id[:8]} is done; practise one by name, "
            f"or see the verdict: loopready debrief {loop_id[:8]}"
        )
    return upcoming.round.id


def open_round(
    db: Database,
    round_id: str,
    *,
    pack_id: str | None = None,
    loop_ref: str | None = None,
    no_loop: bool = False,
    prompt_id: str | None = None,
    fresh: bool = False,
    scripted: bool = False,
) -> Opened:
    """Resume the round's unfinished session, or start one (see the module's rule).

    ``round_id`` may be "next": the loop's next round.
    """
    loop_id = which_loop(db, loop_ref, pack_id, no_loop=no_loop)
    pack = resolve_pack(db, pack_id, loop_id)
    if round_id == "next":
        round_id = next_round_id(db, loop_id)
    rnd = sessions.round_of(pack, round_id)
    set_aside: str | None = None
    if not scripted:
        unfinished = sessions.find_in_progress(db, pack.id, rnd.id, loop_id)
        if unfinished is not None:
            view = sessions.load(db, unfinished)
            if not fresh and (prompt_id is None or prompt_id == view.prompt.id):
                return Opened(view, resumed=True)
            sessions.abandon(db, unfinished)
            set_aside = unfinished
    view = sessions.start(db, pack, rnd.id, loop_id=loop_id, prompt_id=prompt_id, scripted=scripted)
    return Opened(view, set_aside=set_aside)
