"""The committee's stored verdicts, read back for a page: a loop's latest debrief and
its history, one debrief by id, and the mock offer a hire verdict drew.

A stored debrief that no longer reads as a :class:`DebriefPacket` (a damaged import)
comes back as ``None`` in place of its packet, so a page can say so instead of failing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from loopready.interview.debrief import DebriefPacket
from loopready.store import Database
from loopready.store.debriefs import (
    StoredDebrief,
    finished_round_count,
    get_debrief,
    loop_debriefs,
)

__all__ = [
    "Verdict",
    "finished_round_count",
    "latest_verdict",
    "loop_verdicts",
    "packet_of",
    "verdict",
]

MISSING = "There is no such debrief. Open the Debrief page to run a new one."


@dataclass(frozen=True)
class Verdict:
    """A stored debrief: its packet (None when it cannot be read) and when it was made."""

    id: str
    loop_id: str | None
    decision: str
    created_at: datetime
    packet: DebriefPacket | None
    result: dict[str, Any]


def packet_of(result: Any) -> DebriefPacket | None:
    """A stored debrief's packet, or ``None`` when it cannot be read (a damaged import)."""
    try:
        return DebriefPacket.model_validate(result)
    except ValidationError:
        return None


def _verdict(row: StoredDebrief, *, parse: bool = True) -> Verdict:
    packet = packet_of(row.result) if parse else None
    return Verdict(row.id, row.loop_id, row.decision, row.created_at, packet, row.result)


def loop_verdicts(db: Database, loop_id: str, limit: int = 20) -> list[Verdict]:
    """The loop's newest debriefs, newest first (packets left unread: a list needs none)."""
    return [_verdict(row, parse=False) for row in loop_debriefs(db, loop_id, limit)]


def latest_verdict(db: Database, loop_id: str) -> Verdict | None:
    """The loop's newest debrief, or None when the committee has not met."""
    rows = loop_debriefs(db, loop_id, 1)
    return _verdict(rows[0]) if rows else None


def verdict(db: Database, debrief_id: str) -> Verdict:
    """The user's debrief ``debrief_id``."""
    return _verdict(get_debrief(db, debrief_id, missing=MISSING))
