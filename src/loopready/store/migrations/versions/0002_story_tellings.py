"""Story tellings get a table of their own, moved out of the settings rows.

Revision ID: 0002
Revises: 0001
Created: 2026-11-27

Until this revision each story's tellings were one JSON list in a ``settings`` row keyed
``story_tellings:<story id>``. Upgrading creates ``story_tellings`` and moves each such row
into it, one table row per telling, then deletes the settings row. Downgrading writes the
settings rows back from the table and drops it.

A settings row moves whole or not at all. When its value cannot be read as tellings, its
story is missing or belongs to another user, or one of its telling ids is already taken,
the row stays in ``settings`` exactly as it was and a warning names it: nothing is lost,
and one odd row does not stop everyone's upgrade. A telling's loop that no longer exists
becomes null, as deleting the loop would have made it.

Migrations are frozen history: they spell out their columns instead of importing the
models, which keep changing after this file is written.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Key prefix of the settings rows that held a story's tellings before this revision.
PREFIX = "story_tellings:"
_ID_LENGTH = 36
_ROUND_LENGTH = 100

log = logging.getLogger("loopready.migrations")

settings = sa.table(
    "settings",
    sa.column("user_id", sa.String(36)),
    sa.column("key", sa.String(100)),
    sa.column("value", sa.JSON()),
)
stories = sa.table("stories", sa.column("id", sa.String(36)), sa.column("user_id", sa.String(36)))
loops = sa.table("loops", sa.column("id", sa.String(36)), sa.column("user_id", sa.String(36)))
tellings = sa.table(
    "story_tellings",
    sa.column("id", sa.String(36)),
    sa.column("user_id", sa.String(36)),
    sa.column("story_id", sa.String(36)),
    sa.column("round_id", sa.String(100)),
    sa.column("loop_id", sa.String(36)),
    sa.column("told_on", sa.Date()),
    sa.column("text", sa.Text()),
    sa.column("words", sa.Integer()),
    sa.column("created_at", sa.DateTime(timezone=True)),
)


def _ref(column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_story_tellings_{column}_{target}"),
        ondelete=ondelete,
    )


def upgrade() -> None:
    op.create_table(
        "story_tellings",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("story_id", sa.String(36), nullable=False),
        sa.Column("round_id", sa.String(100), nullable=False),
        sa.Column("loop_id", sa.String(36), nullable=True),
        sa.Column("told_on", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("words", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_story_tellings")),
        _ref("user_id", "users", "CASCADE"),
        _ref("story_id", "stories", "CASCADE"),
        _ref("loop_id", "loops", "SET NULL"),
    )
    op.create_index(
        op.f("ix_story_tellings_user_id_story_id"), "story_tellings", ["user_id", "story_id"]
    )
    op.create_index(op.f("ix_story_tellings_loop_id"), "story_tellings", ["loop_id"])
    _move_settings_into_table()


def downgrade() -> None:
    _move_table_into_settings()
    # Dropping the table drops its indexes with it.
    op.drop_table("story_tellings")


# --- upgrade: settings rows -> table rows ------------------------------------------------


class _Unreadable(ValueError):
    """A settings row that cannot move; the message says why."""


def _refuse_offline() -> None:
    if op.get_context().as_sql:
        raise RuntimeError(
            "Revision 0002 moves story tellings out of the settings rows, which needs the "
            "live database: let loopready upgrade it (it does so when it opens the database) "
            "instead of writing a SQL script."
        )


def _legacy_rows(connection: sa.Connection) -> list[tuple[str, str, Any]]:
    """``(user_id, key, value)`` of every settings row holding tellings."""
    query = (
        sa.select(settings.c.user_id, settings.c.key, settings.c.value)
        .where(settings.c.key.like(PREFIX.replace("_", "!_") + "%", escape="!"))
        .order_by(settings.c.user_id, settings.c.key)
    )
    return [(u, k, v) for u, k, v in connection.execute(query) if k.startswith(PREFIX)]


def _owners(connection: sa.Connection, table: sa.TableClause) -> dict[str, str]:
    return {
        row_id: owner
        for row_id, owner in connection.execute(sa.select(table.c.id, table.c.user_id))
    }


def _text_field(item: dict[str, Any], name: str, limit: int, where: str) -> str:
    value = item.get(name)
    if not isinstance(value, str) or not value.strip():
        raise _Unreadable(f"{where} has no {name}")
    if len(value) > limit:
        raise _Unreadable(f"{where} has a {name} longer than {limit} characters")
    return value


def _stored_time(moment: datetime, dialect: str) -> datetime:
    """*moment* as loopready stores timestamps: UTC, naive text on SQLite."""
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.replace(tzinfo=None) if dialect == "sqlite" else moment


def _table_rows(
    user_id: str,
    story_id: str,
    value: Any,
    loop_owner: dict[str, str],
    dialect: str,
) -> list[dict[str, Any]]:
    """The table rows of one settings row's tellings, or :class:`_Unreadable`."""
    if not isinstance(value, list):
        raise _Unreadable("its value is not a list of tellings")
    rows = []
    for index, item in enumerate(value):
        where = f"telling {index + 1}"
        if not isinstance(item, dict):
            raise _Unreadable(f"{where} is not an object")
        telling_id = _text_field(item, "id", _ID_LENGTH, where)
        round_id = _text_field(item, "round_id", _ROUND_LENGTH, where)
        try:
            told_on = date.fromisoformat(item["told_on"])
            recorded_at = datetime.fromisoformat(item["recorded_at"])
        except (KeyError, TypeError, ValueError) as error:
            raise _Unreadable(f"{where} has no readable told_on or recorded_at date") from error
        text = item.get("text") or ""
        if not isinstance(text, str):
            raise _Unreadable(f"{where} has words that are not text")
        loop_id = item.get("loop_id")
        if not isinstance(loop_id, str) or loop_owner.get(loop_id) != user_id:
            loop_id = None  # none, or a loop since deleted: as ON DELETE SET NULL would
        rows.append(
            {
                "id": telling_id,
                "user_id": user_id,
                "story_id": story_id,
                "round_id": round_id,
                "loop_id": loop_id,
                "told_on": told_on,
                "text": text or None,
                "words": len(text.split()) if text else None,
                "created_at": _stored_time(recorded_at, dialect),
            }
        )
    return rows


def _move_settings_into_table() -> None:
    _refuse_offline()
    connection = op.get_bind()
    legacy = _legacy_rows(connection)
    if not legacy:
        return
    story_owner = _owners(connection, stories)
    loop_owner = _owners(connection, loops)
    taken: set[str] = set()
    for user_id, key, value in legacy:
        story_id = key.removeprefix(PREFIX)
        try:
            if story_owner.get(story_id) != user_id:
                raise _Unreadable(f"story {story_id} is not among this user's stories")
            rows = _table_rows(user_id, story_id, value, loop_owner, connection.dialect.name)
            ids: set[str] = set()
            for row in rows:
                if row["id"] in taken or row["id"] in ids:
                    raise _Unreadable(f"the telling id {row['id']} is used twice")
                ids.add(row["id"])
        except _Unreadable as reason:
            log.warning(
                "The story tellings in settings row %r of user %s were not moved into the "
                "story_tellings table: %s. The row is kept exactly as it was (and exports "
                "carry it), but loopready no longer shows those tellings.",
                key,
                user_id,
                reason,
            )
            continue
        taken.update(ids)
        if rows:
            connection.execute(sa.insert(tellings), rows)
        connection.execute(
            sa.delete(settings).where(settings.c.user_id == user_id, settings.c.key == key)
        )


# --- downgrade: table rows -> settings rows ----------------------------------------------


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _move_table_into_settings() -> None:
    _refuse_offline()
    connection = op.get_bind()
    query = sa.select(tellings).order_by(
        tellings.c.user_id,
        tellings.c.story_id,
        tellings.c.told_on,
        tellings.c.created_at,
        tellings.c.id,
    )
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in connection.execute(query).mappings():
        grouped.setdefault((row["user_id"], PREFIX + row["story_id"]), []).append(
            {
                "id": row["id"],
                "round_id": row["round_id"],
                "told_on": row["told_on"].isoformat(),
                "recorded_at": _utc(row["created_at"]).isoformat(),
                "loop_id": row["loop_id"],
                "text": row["text"] or "",
            }
        )
    if not grouped:
        return
    # Rows the upgrade could not move are still here: keep what they hold, add the rest.
    left = {(user_id, key): value for user_id, key, value in _legacy_rows(connection)}
    for (user_id, key), items in grouped.items():
        if (user_id, key) not in left:
            connection.execute(sa.insert(settings).values(user_id=user_id, key=key, value=items))
            continue
        kept = left[(user_id, key)]
        kept = kept if isinstance(kept, list) else [kept]
        known = {item.get("id") for item in kept if isinstance(item, dict)}
        merged = [*kept, *(item for item in items if item["id"] not in known)]
        connection.execute(
            sa.update(settings)
            .where(settings.c.user_id == user_id, settings.c.key == key)
            .values(value=merged)
        )
