"""Saved offers: an offer the user keeps, with the form it was typed in.

The rows live in :mod:`loopready.store.documents`; this service gives them their
meaning (an :class:`~loopready.offers.model.Offer` and the form's fields).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from pydantic import ValidationError

from loopready.errors import InputError
from loopready.offers.model import Offer
from loopready.store import Database, get_setting, set_setting
from loopready.store.documents import (
    Document,
    delete_document,
    get_document,
    list_documents,
    save_document,
)

MISSING: Final = "There is no such saved offer. The Offers page lists yours."
#: Form fields that belong to one look at an offer, not to the offer itself.
TRANSIENT: Final = ("scenario", "leave_at")


@dataclass(frozen=True)
class Saved:
    """A saved offer: its row id, the offer and the form it was typed in (None when it
    was stored without one)."""

    id: str
    offer: Offer
    form: dict[str, str] | None


def _saved(doc: Document) -> Saved | None:
    try:
        offer = Offer.model_validate(doc.data.get("offer") or {})
    except ValidationError:
        return None
    form = doc.data.get("form")
    fields = {str(k): str(v) for k, v in form.items()} if isinstance(form, dict) else None
    return Saved(doc.id, offer, fields)


def saved_offers(db: Database) -> list[Saved]:
    """The user's saved offers, oldest first (ones that no longer validate are skipped)."""
    found = [_saved(doc) for doc in list_documents(db, "offer")]
    return [item for item in found if item is not None]


def unreadable_offers(db: Database) -> list[tuple[str, str]]:
    """``(id, name)`` of saved offers that no longer validate, to list with a delete button."""
    return [(doc.id, doc.name) for doc in list_documents(db, "offer") if _saved(doc) is None]


def get_saved(db: Database, offer_id: str) -> Saved:
    """The user's saved offer ``offer_id``."""
    found = _saved(get_document(db, "offer", offer_id, missing=MISSING))
    if found is None:
        raise InputError("This saved offer can no longer be read; delete it and save it again.")
    return found


def save_offer(db: Database, offer: Offer, fields: Mapping[str, str], offer_id: str = "") -> str:
    """Keep ``offer`` with the form it was typed in (rewriting ``offer_id`` when it is one
    of the user's); returns its id."""
    data = {
        "version": 1,
        "offer": offer.model_dump(mode="json", exclude_defaults=True),
        "form": {k: v for k, v in fields.items() if k not in TRANSIENT},
    }
    return save_document(db, "offer", offer.name, data, offer_id or None)


def delete_offer(db: Database, offer_id: str) -> None:
    """Delete the user's saved offer ``offer_id``."""
    delete_document(db, "offer", offer_id, missing=MISSING)


#: The setting that remembers which offer the user practises on ("" = the mock offer).
NEGOTIATE_OFFER_SETTING: Final = "negotiate.offer"


def chosen_offer(db: Database, offer: str | None) -> str:
    """The offer to practise negotiating on: ``offer`` just picked (and remembered), else
    the last pick ("" for the mock offer)."""
    if offer is None:
        with db.read_session() as s:
            remembered = get_setting(s, db.user_id, NEGOTIATE_OFFER_SETTING, "")
        return remembered if isinstance(remembered, str) else ""
    with db.session() as s:
        set_setting(s, db.user_id, NEGOTIATE_OFFER_SETTING, offer)
    return offer
