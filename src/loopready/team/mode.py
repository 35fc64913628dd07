"""When the app runs in team mode, and what team mode needs (PostgreSQL)."""

from __future__ import annotations

import os
from typing import Final

from loopready.errors import LoopreadyError
from loopready.store.engine import backend_name

#: ``LOOPREADY_TEAM=1`` turns team mode on (as ``loopready serve --team`` does).
TEAM_ENV: Final = "LOOPREADY_TEAM"


class TeamModeError(LoopreadyError):
    """Team mode cannot start as configured; the message says what to set."""


def team_mode() -> bool:
    """Whether ``LOOPREADY_TEAM`` asks for team mode."""
    return os.environ.get(TEAM_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def require_postgres(url: str | None) -> str:
    """*url* if it names PostgreSQL; else a :class:`TeamModeError` saying what to do."""
    if not url:
        raise TeamModeError(
            "Team mode keeps everyone's data in PostgreSQL, and LOOPREADY_DATABASE_URL is not "
            "set. Set it to postgresql://USER:PASSWORD@HOST:PORT/DATABASE (docs/team.md), "
            "or run without --team for your own practice on this computer."
        )
    try:
        backend = backend_name(url)
    except Exception:
        backend = ""
    if backend not in ("postgresql", "postgres"):
        raise TeamModeError(
            "Team mode needs PostgreSQL: several people and several app processes share "
            f"one database, which SQLite cannot serve safely (LOOPREADY_DATABASE_URL names "
            f"{backend or 'something else'!r}). Set it to postgresql://... (docs/team.md), "
            "or run without --team for your own practice on this computer."
        )
    return url
