"""The front ends take from ``loopready.store`` only the database handle and what the
services return: the rest of storage (rows, queries, writes) is reached through services.

``lint-imports`` checks the layers module by module; a name imported from the package
``loopready.store`` is one module to it, so this test reads the names themselves.
"""

from __future__ import annotations

import ast
from pathlib import Path

import loopready

SRC = Path(loopready.__file__).parent
FRONT_ENDS = ("cli", "web")

#: The database handle, the clock, and the data-transfer service (export, import, backup)
#: with the types it returns.
ALLOWED = {
    "Database",
    "open_db",
    # the loop row interview.loops.active_loop returns, read-only
    "Loop",
    # the live-mock row team.access.load_mock returns, read-only
    "LiveMock",
    "utcnow",
    "RevisionConflict",
    "ImportSummary",
    "check_document",
    "check_packs",
    "user_row_counts",
    "export_data",
    "head_revision",
    "import_data",
    "read_document",
    "refuse_live_database",
    "write_backup",
    "write_export",
}

#: Not met yet, each to move behind a service; the list only shrinks (it is empty).
PENDING: set[tuple[str, str]] = set()


def store_names() -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for front in FRONT_ENDS:
        for path in sorted((SRC / front).rglob("*.py")):
            where = path.relative_to(SRC).as_posix()
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                    "loopready.store"
                ):
                    found |= {(where, alias.name) for alias in node.names}
    return found


def test_front_ends_take_only_the_handle_and_service_types_from_store() -> None:
    reaching = {(where, name) for where, name in store_names() if name not in ALLOWED}
    assert reaching - PENDING == set(), "route these through a service in the core packages"


def test_pending_exceptions_are_still_needed() -> None:
    # an exception that no longer happens leaves the list, so it cannot come back unnoticed
    assert PENDING - store_names() == set()
