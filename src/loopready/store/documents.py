"""Saved documents: the offers and briefs a user keeps, each a named row of JSON.

Both tables have the same shape (an owner, a name or title, ``data``, two timestamps),
so one set of functions reads and writes them; the services that give the JSON its
meaning are :mod:`loopready.offers.saved` and :mod:`loopready.briefs.saved`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from loopready.errors import NotFound
from loopready.store.engine import Database
from loopready.store.models import Brief, Offer
from loopready.store.repo import find_owned
from loopready.store.types import utcnow

Kind = Literal["offer", "brief"]
Row = Offer | Brief
#: The longest name a document keeps (the column's width).
NAME_CHARS = 200


@dataclass(frozen=True)
class Document:
    """One saved document, detached from the database."""

    id: str
    name: str
    data: dict[str, Any]
    created_at: datetime
    updated_at: datetime


def _name_of(row: Row) -> str:
    return row.name if isinstance(row, Offer) else row.title


def _document(row: Row) -> Document:
    return Document(row.id, _name_of(row), dict(row.data or {}), row.created_at, row.updated_at)


def list_documents(db: Database, kind: Kind, *, newest_first: bool = False) -> list[Document]:
    """The user's documents of ``kind``: oldest created first, or newest saved first."""
    model: type[Row] = Offer if kind == "offer" else Brief
    order = (model.updated_at.desc(), model.id) if newest_first else (model.created_at, model.id)
    with db.read_session() as s:
        rows = s.scalars(select(model).where(model.user_id == db.user_id).order_by(*order))
        return [_document(cast(Row, row)) for row in rows]


def _get(s: Session, db: Database, kind: Kind, doc_id: str | None) -> Row | None:
    """The user's document ``doc_id`` of ``kind``, or None."""
    if kind == "offer":
        return find_owned(s, Offer, db.user_id, doc_id)
    return find_owned(s, Brief, db.user_id, doc_id)


def _owned(s: Session, db: Database, kind: Kind, doc_id: str, missing: str) -> Row:
    row = _get(s, db, kind, doc_id)
    if row is None:
        raise NotFound(missing)
    return row


def get_document(db: Database, kind: Kind, doc_id: str, *, missing: str) -> Document:
    """The user's document ``doc_id``, or :class:`NotFound` with the message ``missing``."""
    with db.read_session() as s:
        return _document(_owned(s, db, kind, doc_id, missing))


def save_document(
    db: Database,
    kind: Kind,
    name: str,
    data: dict[str, Any],
    doc_id: str | None = None,
    *,
    missing: str | None = None,
) -> str:
    """Write a document and return its id: a new one without ``doc_id``; with it, that
    document rewritten. When ``doc_id`` names none of the user's, a new one is made, or
    with ``missing`` given, :class:`NotFound` says that instead."""
    name = name[:NAME_CHARS]
    with db.session() as s:
        row = _get(s, db, kind, doc_id)
        if row is None and missing is not None:
            raise NotFound(missing)
        if row is None:
            if kind == "offer":
                row = Offer(user_id=db.user_id, name=name, data=data)
            else:
                row = Brief(user_id=db.user_id, title=name, data=data)
            s.add(row)
        else:
            if isinstance(row, Offer):
                row.name = name
            else:
                row.title = name
            row.data = data
            row.updated_at = utcnow()
        s.flush()
        return row.id


def delete_document(db: Database, kind: Kind, doc_id: str, *, missing: str) -> None:
    """Delete the user's document ``doc_id``, or :class:`NotFound` with ``missing``."""
    with db.session() as s:
        s.delete(_owned(s, db, kind, doc_id, missing))
