"""The queries behind the company research worksheet (``research_notes``, one row per
launch of a pack): read the notes of a pack, write one, forget one. Each helper takes an
open session and the acting user's id, and never commits."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from loopready.store.models import ResearchNote


def research_notes(s: Session, user_id: str, pack_id: str) -> dict[str, ResearchNote]:
    """The user's notes on the launches of *pack_id*, by launch id."""
    query = select(ResearchNote).where(
        ResearchNote.user_id == user_id, ResearchNote.pack_id == pack_id
    )
    return {row.launch_id: row for row in s.scalars(query)}


def find_research_note(
    s: Session, user_id: str, pack_id: str, launch_id: str
) -> ResearchNote | None:
    """The user's note on launch *launch_id* of *pack_id*, or None."""
    query = select(ResearchNote).where(
        ResearchNote.user_id == user_id,
        ResearchNote.pack_id == pack_id,
        ResearchNote.launch_id == launch_id,
    )
    return s.scalars(query).one_or_none()


def write_research_note(
    s: Session,
    user_id: str,
    pack_id: str,
    launch_id: str,
    *,
    metric: str | None = None,
    why: str | None = None,
) -> ResearchNote:
    """Set the metric and/or the reason of the user's note on a launch (``None`` keeps
    what is stored), creating the note when there is none."""
    row = find_research_note(s, user_id, pack_id, launch_id)
    if row is None:
        row = ResearchNote(user_id=user_id, pack_id=pack_id, launch_id=launch_id, metric="", why="")
        s.add(row)
    if metric is not None:
        row.metric = metric
    if why is not None:
        row.why = why
    s.flush()
    return row


def delete_research_note(s: Session, user_id: str, pack_id: str, launch_id: str) -> bool:
    """Forget the user's note on a launch; ``False`` when there was none."""
    row = find_research_note(s, user_id, pack_id, launch_id)
    if row is None:
        return False
    s.delete(row)
    return True
