"""Initial schema: users, loops, practice sessions and everything later features keep.

Revision ID: 0001
Revises:
Created: 2026-11-27

Migrations are frozen history: they spell out their columns instead of importing the
models, which keep changing after this file is written.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# In dependency order: created in this order, dropped in reverse.
TABLES = (
    "users",
    "loops",
    "round_sessions",
    "turns",
    "grades",
    "debriefs",
    "stories",
    "plans",
    "plan_days",
    "offers",
    "briefs",
    "drill_cards",
    "drill_reviews",
    "research_notes",
    "settings",
)


def _id() -> sa.Column[str]:
    return sa.Column("id", sa.String(36), nullable=False)


def _owner() -> sa.Column[str]:
    return sa.Column("user_id", sa.String(36), nullable=False)


def _time(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _json(name: str) -> sa.Column[object]:
    return sa.Column(name, sa.JSON(), nullable=False)


def _ref(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def _owned(table: str, *columns: sa.Column[object] | sa.Constraint) -> None:
    """A table with an ``id`` key and a ``user_id`` owner, then *columns*."""
    op.create_table(
        table,
        _id(),
        _owner(),
        *columns,
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
        _ref(table, "user_id", "users", "CASCADE"),
    )


def _index(table: str, *columns: str) -> None:
    op.create_index(op.f(f"ix_{table}_{'_'.join(columns)}"), table, list(columns))


def _unique(table: str, *columns: str) -> sa.UniqueConstraint:
    return sa.UniqueConstraint(*columns, name=op.f(f"uq_{table}_{'_'.join(columns)}"))


def upgrade() -> None:
    op.create_table(
        "users",
        _id(),
        sa.Column("name", sa.String(100), nullable=False),
        _time("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        _unique("users", "name"),
    )

    _owned(
        "loops",
        sa.Column("pack_id", sa.String(100), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        _json("round_dates"),
        sa.Column("status", sa.String(20), nullable=False),
        _time("created_at"),
        _time("updated_at"),
    )
    _index("loops", "user_id", "created_at")

    _owned(
        "round_sessions",
        sa.Column("loop_id", sa.String(36), nullable=True),
        sa.Column("pack_id", sa.String(100), nullable=False),
        sa.Column("round_id", sa.String(100), nullable=False),
        sa.Column("prompt_id", sa.String(100), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        _time("started_at"),
        _time("ended_at", nullable=True),
        sa.Column("time_limit_s", sa.Integer(), nullable=True),
        _json("meta"),
        _ref("round_sessions", "loop_id", "loops", "SET NULL"),
    )
    _index("round_sessions", "user_id", "round_id")
    _index("round_sessions", "user_id", "started_at")
    _index("round_sessions", "loop_id")

    _owned(
        "turns",
        sa.Column("session_id", sa.String(36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("speaker", sa.String(100), nullable=False),
        sa.Column("prompt_text", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        _time("created_at"),
        _time("updated_at"),
        _ref("turns", "session_id", "round_sessions", "CASCADE"),
        _unique("turns", "session_id", "seq"),
    )
    _index("turns", "user_id")

    _owned(
        "grades",
        sa.Column("session_id", sa.String(36), nullable=True),
        sa.Column("turn_id", sa.String(36), nullable=True),
        sa.Column("round_id", sa.String(100), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        _json("result"),
        sa.Column("grader", sa.String(100), nullable=False),
        _time("created_at"),
        _ref("grades", "session_id", "round_sessions", "CASCADE"),
        _ref("grades", "turn_id", "turns", "CASCADE"),
    )
    _index("grades", "user_id", "round_id")
    _index("grades", "session_id")
    _index("grades", "turn_id")

    _owned(
        "debriefs",
        sa.Column("loop_id", sa.String(36), nullable=False),
        sa.Column("decision", sa.String(40), nullable=False),
        _json("result"),
        _time("created_at"),
        _ref("debriefs", "loop_id", "loops", "CASCADE"),
    )
    _index("debriefs", "user_id")
    _index("debriefs", "loop_id")

    _owned(
        "stories",
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("situation", sa.Text(), nullable=False),
        sa.Column("task", sa.Text(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
        _json("tags"),
        _json("rounds_told"),
        _time("created_at"),
        _time("updated_at"),
    )
    _index("stories", "user_id")

    _owned(
        "plans",
        sa.Column("loop_id", sa.String(36), nullable=True),
        sa.Column("tz", sa.String(64), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("first_round_date", sa.Date(), nullable=True),
        _json("plan"),
        _time("created_at"),
        _time("updated_at"),
        _ref("plans", "loop_id", "loops", "SET NULL"),
    )
    _index("plans", "user_id")
    _index("plans", "loop_id")

    _owned(
        "plan_days",
        sa.Column("plan_id", sa.String(36), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        _json("items"),
        _ref("plan_days", "plan_id", "plans", "CASCADE"),
        _unique("plan_days", "plan_id", "day"),
    )
    _index("plan_days", "user_id", "day")

    _owned(
        "offers",
        sa.Column("name", sa.String(200), nullable=False),
        _json("data"),
        _time("created_at"),
        _time("updated_at"),
    )
    _index("offers", "user_id")

    _owned(
        "briefs",
        sa.Column("title", sa.String(200), nullable=False),
        _json("data"),
        _time("created_at"),
        _time("updated_at"),
    )
    _index("briefs", "user_id")

    _owned(
        "drill_cards",
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("ref", sa.String(200), nullable=False),
        _json("card"),
        _time("due"),
        _time("created_at"),
        _time("updated_at"),
        _unique("drill_cards", "user_id", "kind", "ref"),
    )
    _index("drill_cards", "user_id", "due")

    _owned(
        "drill_reviews",
        sa.Column("card_id", sa.String(36), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        _time("reviewed_at"),
        _json("log"),
        _ref("drill_reviews", "card_id", "drill_cards", "CASCADE"),
    )
    _index("drill_reviews", "card_id")
    _index("drill_reviews", "user_id", "reviewed_at")

    _owned(
        "research_notes",
        sa.Column("pack_id", sa.String(100), nullable=False),
        sa.Column("launch_id", sa.String(100), nullable=False),
        sa.Column("metric", sa.Text(), nullable=False),
        sa.Column("why", sa.Text(), nullable=False),
        _time("updated_at"),
        _unique("research_notes", "user_id", "pack_id", "launch_id"),
    )

    op.create_table(
        "settings",
        _owner(),
        sa.Column("key", sa.String(100), nullable=False),
        _json("value"),
        sa.PrimaryKeyConstraint("user_id", "key", name=op.f("pk_settings")),
        _ref("settings", "user_id", "users", "CASCADE"),
    )


def downgrade() -> None:
    # Dropping a table drops its indexes with it.
    for table in reversed(TABLES):
        op.drop_table(table)
