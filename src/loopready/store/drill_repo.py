"""The queries behind the drill deck (``drill_cards`` and ``drill_reviews``): which cards
the user has, a pack's cards with their review counts, the stories' titles, how many cards
were first reviewed since a moment, and a card's reviews. Each helper takes an open
session and the acting user's id, and never commits."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from loopready.store.models import DrillCard, DrillReview, Story


def card_keys(s: Session, user_id: str) -> set[tuple[str, str]]:
    """The ``(kind, ref)`` of every card the user has."""
    query = select(DrillCard.kind, DrillCard.ref).where(DrillCard.user_id == user_id)
    return {(kind, ref) for kind, ref in s.execute(query)}


def story_ids(s: Session, user_id: str) -> list[str]:
    """The ids of the user's stories, oldest first."""
    query = select(Story.id).where(Story.user_id == user_id)
    return list(s.scalars(query.order_by(Story.created_at, Story.id)))


def add_cards(s: Session, rows: Iterable[DrillCard]) -> None:
    """Store new cards."""
    s.add_all(list(rows))


def delete_story_cards(s: Session, user_id: str, story_id: str) -> None:
    """Delete the user's cards of story *story_id* (their reviews go with them)."""
    query = select(DrillCard).where(
        DrillCard.user_id == user_id, DrillCard.kind == "story", DrillCard.ref == story_id
    )
    for row in s.scalars(query):
        s.delete(row)


def pack_cards(s: Session, user_id: str, pack_id: str) -> list[DrillCard]:
    """The user's cards of the prompts of *pack_id* and of their stories, oldest first."""
    of_pack = (DrillCard.kind == "story") | (
        (DrillCard.kind == "prompt") & DrillCard.ref.startswith(pack_id + "/", autoescape=True)
    )
    query = select(DrillCard).where(DrillCard.user_id == user_id, of_pack)
    return list(s.scalars(query.order_by(DrillCard.created_at, DrillCard.id)))


def review_counts(s: Session, user_id: str) -> dict[str, int]:
    """How many reviews each of the user's cards has, by card id (cards never reviewed are
    left out)."""
    query = select(DrillReview.card_id, func.count()).where(DrillReview.user_id == user_id)
    return {card_id: n for card_id, n in s.execute(query.group_by(DrillReview.card_id))}


def review_count(s: Session, card_id: str) -> int:
    """How many reviews the card *card_id* has."""
    return int(s.scalar(select(func.count()).where(DrillReview.card_id == card_id)) or 0)


def story_titles(s: Session, user_id: str, story_id: str | None = None) -> dict[str, str]:
    """The titles of the user's stories (or of story *story_id* only), by story id."""
    query = select(Story.id, Story.title).where(Story.user_id == user_id)
    if story_id is not None:
        query = query.where(Story.id == story_id)
    return {sid: title for sid, title in s.execute(query)}


def introduced_since(s: Session, user_id: str, start: datetime) -> int:
    """How many of the user's cards had their first review at or after *start*."""
    firsts = (
        select(DrillReview.card_id, func.min(DrillReview.reviewed_at).label("first"))
        .where(DrillReview.user_id == user_id)
        .group_by(DrillReview.card_id)
        .subquery()
    )
    query = select(func.count()).select_from(firsts).where(firsts.c.first >= start)
    return int(s.scalar(query) or 0)


def add_review(
    s: Session,
    user_id: str,
    card_id: str,
    *,
    rating: int,
    reviewed_at: datetime,
    log: dict[str, Any],
) -> None:
    """Record a review of card *card_id*."""
    s.add(
        DrillReview(
            user_id=user_id, card_id=card_id, rating=rating, reviewed_at=reviewed_at, log=log
        )
    )


def card_reviews(s: Session, card_id: str) -> list[DrillReview]:
    """The reviews of card *card_id*, oldest first."""
    query = select(DrillReview).where(DrillReview.card_id == card_id)
    return list(s.scalars(query.order_by(DrillReview.reviewed_at, DrillReview.id)))
