"""A turn saved in its own short transaction, as the mock room's autosave saves it: the
store tests' way to write a turn without a whole practice session."""

from __future__ import annotations

from typing import Any

from loopready.store import Database, Turn, upsert_turn


def autosave_turn(db: Database, session_id: str, seq: int, text: str, **options: Any) -> Turn:
    """``upsert_turn`` (with its keyword *options*) in its own short transaction."""
    with db.session() as s:
        return upsert_turn(s, db.user_id, session_id, seq, text, **options)
