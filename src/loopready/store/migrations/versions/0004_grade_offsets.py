"""Stored grades keep the offsets of their quotes.

Revision ID: 0004
Revises: 0003
Created: 2026-12-07

No column changes: the ``grades.result`` JSON gains offsets. Each criterion's
``evidence_spans`` holds one ``[start, end]`` per quote in ``evidence`` (``null`` where the
quote is not the answer's words), and blind spots and covered reference points gain
``start``/``end``, so reports mark quotes without searching and never grade again.

Upgrading gives every grade of a session what can be found without a grader: each quote
found word for word in the answer the session graded (its candidate's turns joined) gets
the offsets of its first occurrence; a stored span is kept when it holds its quote; any
other quote is left without offsets. A grade whose session is gone, or whose result is not
a readable grade, stays exactly as it was. Downgrading turns an unknown span back into the
``[0, 0]`` placeholder the earlier revisions expect; the other offsets they ignore.

The rule is :mod:`loopready.store.grade_offsets`, shared with importing an export file
written before this revision; the tables are spelled out here, not read from the models.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from loopready.store.grade_offsets import add_offsets, drop_unknown_offsets, graded_answer

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

grades = sa.table(
    "grades",
    sa.column("id", sa.String(36)),
    sa.column("session_id", sa.String(36)),
    sa.column("result", sa.JSON()),
)
turns = sa.table(
    "turns",
    sa.column("session_id", sa.String(36)),
    sa.column("seq", sa.Integer()),
    sa.column("speaker", sa.String(100)),
    sa.column("text", sa.Text()),
)

#: Grades read and written per round trip.
_BATCH = 500


def _refuse_offline() -> None:
    if op.get_context().as_sql:
        raise RuntimeError(
            "Revision 0004 reads each grade's answer to place its quotes, which needs the "
            "live database: let loopready upgrade it (it does so when it opens the database) "
            "instead of writing a SQL script."
        )


def _rewrite(change: Callable[[Any, str], Any]) -> None:
    """Apply ``change(result, answer)`` to every session's grade, a batch at a time."""
    _refuse_offline()
    connection = op.get_bind()
    last = ""
    while True:
        rows = connection.execute(
            sa.select(grades.c.id, grades.c.session_id, grades.c.result)
            .where(grades.c.session_id.is_not(None), grades.c.id > last)
            .order_by(grades.c.id)
            .limit(_BATCH)
        ).all()
        if not rows:
            return
        last = rows[-1].id
        sessions = sorted({row.session_id for row in rows})
        said: dict[str, list[tuple[str, str]]] = {}
        query = (
            sa.select(turns.c.session_id, turns.c.speaker, turns.c.text)
            .where(turns.c.session_id.in_(sessions))
            .order_by(turns.c.session_id, turns.c.seq)
        )
        for session_id, speaker, text in connection.execute(query):
            said.setdefault(session_id, []).append((speaker, text or ""))
        for row in rows:
            if row.session_id not in said:
                continue
            changed = change(row.result, graded_answer(said[row.session_id]))
            if changed != row.result:
                connection.execute(
                    sa.update(grades).where(grades.c.id == row.id).values(result=changed)
                )


def upgrade() -> None:
    _rewrite(add_offsets)


def downgrade() -> None:
    _rewrite(lambda result, _answer: drop_unknown_offsets(result))
