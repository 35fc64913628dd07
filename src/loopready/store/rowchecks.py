"""Checks on the values of imported rows that the column types cannot express.

An export file can be edited by hand, or damaged: a pack id that is a path
(``../../etc/x``), a session state that is not an object, a debrief with no content.
Each would be stored as given and break a page later, so an import refuses the file
instead, naming the row and field (``FILE: tables.loops[0].pack_id: ...``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, Final

from loopready.errors import InputError

#: The keys of a session's state (``round_sessions.meta``) and what each must be.
_META_RULES: Final[dict[str, tuple[str, Callable[[Any], bool]]]] = {
    "cursor": (
        "a turn number or null",
        lambda v: v is None or (isinstance(v, int) and not isinstance(v, bool) and v >= 0),
    ),
    "mode": ("text", lambda v: isinstance(v, str)),
    "stage": ("text", lambda v: isinstance(v, str)),
    "active_s": (
        "a number of seconds",
        lambda v: (
            isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) and v >= 0
        ),
    ),
    "follow_ups": (
        "a list of follow-up ids",
        lambda v: isinstance(v, list) and all(isinstance(i, str) for i in v),
    ),
    "word_timings": ("an object of word-timing lists", lambda v: isinstance(v, dict)),
    "outcome": ("an object", lambda v: isinstance(v, dict)),
}


def _check_pack_id(value: Any, where: str) -> None:
    from loopready.packs.registry import is_pack_id

    if not is_pack_id(value):
        shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:60] + "…"
        raise InputError(
            f"{where}: {shown} is not a pack id (1 to 64 lowercase letters, digits, '-' or '_')."
        )


def _check_meta(value: Any, where: str) -> None:
    if not isinstance(value, dict):
        raise InputError(f"{where}: a session's state must be an object, got {value!r:.60}.")
    for key, (wanted, fits) in _META_RULES.items():
        if key in value and not fits(value[key]):
            raise InputError(f"{where}.{key}: must be {wanted}, got {value[key]!r:.60}.")


def _check_debrief(value: Any, where: str) -> None:
    # Only its shape: a debrief written by an older loopready stays importable, and the
    # debrief page shows one it cannot read as such.
    if not isinstance(value, dict) or not value:
        raise InputError(
            f"{where}: a debrief must be a non-empty object, got {value!r:.60}. "
            "Export again with `loopready export`, or remove the row."
        )


#: (table, column) -> check of that column's value.
CHECKS: Final[dict[tuple[str, str], Callable[[Any, str], None]]] = {
    ("loops", "pack_id"): _check_pack_id,
    ("round_sessions", "pack_id"): _check_pack_id,
    ("research_notes", "pack_id"): _check_pack_id,
    ("round_sessions", "meta"): _check_meta,
    ("debriefs", "result"): _check_debrief,
}


def check_row(table: str, row: dict[str, Any], where: str) -> None:
    """Raise :class:`InputError` if a value of *row* (of *table*) would break a page."""
    for (table_name, column), check in CHECKS.items():
        if table_name == table and column in row:
            check(row[column], f"{where}.{column}")
