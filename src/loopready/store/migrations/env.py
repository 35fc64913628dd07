"""Alembic's environment for loopready's migrations.

loopready runs migrations itself (:func:`loopready.store.migrate`): it opens a connection,
starts one transaction, takes a lock so that two processes never migrate at once, and
hands the connection over in ``config.attributes["connection"]``. Offline mode
(``--sql``, for a DBA who wants the SQL script) uses ``sqlalchemy.url`` instead.
"""

from __future__ import annotations

from typing import Any

from alembic import context
from alembic.autogenerate.api import AutogenContext

from loopready.store.models import Base
from loopready.store.types import UTCDateTime


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | bool:
    """Write our UTC timestamp type as the plain SQLAlchemy type it stores."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run() -> None:
    config = context.config
    options: dict[str, Any] = {
        "target_metadata": Base.metadata,
        # SQLite alters most columns by copying the table: let autogenerate write that.
        "render_as_batch": True,
        "compare_type": True,
        "render_item": render_item,
        "transaction_per_migration": True,
    }
    if context.is_offline_mode():
        context.configure(
            url=config.get_main_option("sqlalchemy.url"), literal_binds=True, **options
        )
        with context.begin_transaction():
            context.run_migrations()
        return

    connection = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError(
            "loopready's migrations run through loopready.store.migrate(engine); "
            "pass a connection in config.attributes['connection']"
        )
    context.configure(connection=connection, **options)
    with context.begin_transaction():
        context.run_migrations()


run()
