"""The team mode's tables: accounts, sign-in sessions, coaches, live mocks, scorecards.

Revision ID: 0003
Revises: 0002
Created: 2026-12-07

Only new tables: a local install keeps every row it had and never writes these. Migrations
are frozen history, so the columns are spelled out here rather than read from the models.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.String(36)
_TIME = sa.DateTime(timezone=True)


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def _pk(table: str, column: str = "id") -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint(column, name=op.f(f"pk_{table}"))


def _owner(table: str) -> list[Any]:
    return [sa.Column("user_id", _ID, nullable=False), _fk(table, "user_id", "users", "CASCADE")]


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", _ID, nullable=False),
        *_owner("accounts"),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        _pk("accounts"),
        sa.UniqueConstraint("email", name=op.f("uq_accounts_email")),
        sa.UniqueConstraint("user_id", name=op.f("uq_accounts_user_id")),
    )
    op.create_table(
        "auth_sessions",
        sa.Column("id", sa.String(64), nullable=False),
        *_owner("auth_sessions"),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("last_seen_at", _TIME, nullable=False),
        sa.Column("expires_at", _TIME, nullable=False),
        _pk("auth_sessions"),
    )
    op.create_index(op.f("ix_auth_sessions_user_id"), "auth_sessions", ["user_id"])
    op.create_table(
        "login_attempts",
        sa.Column("id", _ID, nullable=False),
        *_owner("login_attempts"),
        sa.Column("created_at", _TIME, nullable=False),
        _pk("login_attempts"),
    )
    op.create_index(
        op.f("ix_login_attempts_user_id_created_at"), "login_attempts", ["user_id", "created_at"]
    )
    op.create_table(
        "coach_links",
        sa.Column("id", _ID, nullable=False),
        *_owner("coach_links"),
        sa.Column("coach_user_id", _ID, nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        _pk("coach_links"),
        _fk("coach_links", "coach_user_id", "users", "CASCADE"),
        sa.UniqueConstraint(
            "user_id", "coach_user_id", name=op.f("uq_coach_links_user_id_coach_user_id")
        ),
    )
    op.create_index(op.f("ix_coach_links_coach_user_id"), "coach_links", ["coach_user_id"])
    op.create_table(
        "live_mocks",
        sa.Column("id", _ID, nullable=False),
        *_owner("live_mocks"),
        sa.Column("peer_user_id", _ID, nullable=True),
        sa.Column("pack_id", sa.String(100), nullable=False),
        sa.Column("round_id", sa.String(100), nullable=False),
        sa.Column("prompt_id", sa.String(100), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("invite_nonce", sa.String(64), nullable=True),
        sa.Column("time_limit_s", sa.Integer(), nullable=False),
        sa.Column("elapsed_s", sa.Float(), nullable=False),
        sa.Column("running_since", _TIME, nullable=True),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("answer_revision", sa.Integer(), nullable=False),
        sa.Column("grade", sa.JSON(), nullable=True),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("ended_at", _TIME, nullable=True),
        _pk("live_mocks"),
        _fk("live_mocks", "peer_user_id", "users", "SET NULL"),
    )
    op.create_index(op.f("ix_live_mocks_user_id"), "live_mocks", ["user_id"])
    op.create_index(op.f("ix_live_mocks_peer_user_id"), "live_mocks", ["peer_user_id"])
    op.create_table(
        "live_events",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        *_owner("live_events"),
        sa.Column("mock_id", _ID, nullable=False),
        sa.Column("author_user_id", _ID, nullable=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        _pk("live_events", "seq"),
        _fk("live_events", "mock_id", "live_mocks", "CASCADE"),
        _fk("live_events", "author_user_id", "users", "SET NULL"),
    )
    op.create_index(op.f("ix_live_events_mock_id_seq"), "live_events", ["mock_id", "seq"])
    op.create_table(
        "scorecards",
        sa.Column("id", _ID, nullable=False),
        *_owner("scorecards"),
        sa.Column("mock_id", _ID, nullable=False),
        sa.Column("scorer_user_id", _ID, nullable=True),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("red_flags", sa.JSON(), nullable=False),
        sa.Column("submitted", sa.Integer(), nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("updated_at", _TIME, nullable=False),
        _pk("scorecards"),
        _fk("scorecards", "mock_id", "live_mocks", "CASCADE"),
        _fk("scorecards", "scorer_user_id", "users", "SET NULL"),
        sa.UniqueConstraint(
            "mock_id", "scorer_user_id", name=op.f("uq_scorecards_mock_id_scorer_user_id")
        ),
    )
    op.create_index(op.f("ix_scorecards_user_id"), "scorecards", ["user_id"])
    op.create_table(
        "report_comments",
        sa.Column("id", _ID, nullable=False),
        *_owner("report_comments"),
        sa.Column("target", sa.String(80), nullable=False),
        sa.Column("author_user_id", _ID, nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        _pk("report_comments"),
        _fk("report_comments", "author_user_id", "users", "SET NULL"),
    )
    op.create_index(
        op.f("ix_report_comments_user_id_target"), "report_comments", ["user_id", "target"]
    )


def downgrade() -> None:
    # Children first; dropping a table drops its indexes.
    for table in (
        "report_comments",
        "scorecards",
        "live_events",
        "live_mocks",
        "coach_links",
        "login_attempts",
        "auth_sessions",
        "accounts",
    ):
        op.drop_table(table)
