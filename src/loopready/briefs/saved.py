"""Saved briefs: the brief editor's form, kept per user as it is typed.

The rows live in :mod:`loopready.store.documents`; a brief is stored as its form's
fields (``{"version": 1, "form": {...}}``), so a half-written brief is kept as typed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from loopready.store import Database
from loopready.store.documents import (
    Document,
    delete_document,
    get_document,
    list_documents,
    save_document,
)

MISSING: Final = "There is no such brief. Open the Brief page to see yours."
GONE: Final = "This brief was deleted, perhaps in another tab. Open the Brief page."


@dataclass(frozen=True)
class SavedBrief:
    """A saved brief: its id, title, the editor's fields and when it was last saved."""

    id: str
    title: str
    fields: dict[str, str]
    updated_at: datetime


def title_of(fields: Mapping[str, str]) -> str:
    """The title a brief is listed under: its own, or "Untitled brief"."""
    title = " ".join(fields.get("title", "").split())
    return title[:200] or "Untitled brief"


def _saved(doc: Document) -> SavedBrief:
    stored = doc.data.get("form")
    if isinstance(stored, dict):
        fields = {str(k): str(v) for k, v in stored.items() if isinstance(v, str)}
    else:
        fields = {"title": doc.name}
    return SavedBrief(doc.id, doc.name, fields, doc.updated_at)


def list_briefs(db: Database) -> list[SavedBrief]:
    """The user's briefs, the one saved last first."""
    return [_saved(doc) for doc in list_documents(db, "brief", newest_first=True)]


def get_brief(db: Database, brief_id: str) -> SavedBrief:
    """The user's brief ``brief_id``."""
    return _saved(get_document(db, "brief", brief_id, missing=MISSING))


def create_brief(db: Database, fields: Mapping[str, str]) -> str:
    """A new brief from the editor's ``fields``; returns its id."""
    return save_document(db, "brief", title_of(fields), {"version": 1, "form": dict(fields)})


def save_brief(db: Database, brief_id: str, fields: Mapping[str, str]) -> None:
    """Rewrite the brief ``brief_id`` with the editor's ``fields``."""
    data = {"version": 1, "form": dict(fields)}
    save_document(db, "brief", title_of(fields), data, brief_id, missing=GONE)


def delete_brief(db: Database, brief_id: str) -> None:
    """Delete the user's brief ``brief_id``."""
    delete_document(db, "brief", brief_id, missing=MISSING)
