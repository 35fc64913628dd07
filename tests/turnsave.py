"""A turn saved in its own short transaction, as the mock room's autosave saves it: the
store tests' way to write a turn without a whole practice session."""

from __future__ import annotations

from loopready.store import Database, Turn, TurnKind, upsert_turn


def autosave_turn(
    db: Database,
    session_id: str,
    seq: int,
    text: str,
    *,
    kind: TurnKind | None = None,
    speaker: str | None = None,
    prompt_text: str | None = None,
    expected_revision: int | None = None,
) -> Turn:
    """``upsert_turn`` in its own short transaction, as an autosave makes it."""
    with db.session() as s:
        return upsert_turn(
            s,
            db.user_id,
            session_id,
            seq,
            text,
            kind=kind,
            speaker=speaker,
            prompt_text=prompt_text,
            expected_revision=expected_revision,
        )
