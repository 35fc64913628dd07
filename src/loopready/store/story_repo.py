"""The queries behind the story bank (``stories`` and ``story_tellings``): the user's
stories, finding one by id prefix, its tellings in the order told, adding and deleting.
Each helper takes an open session and the acting user's id, and never commits."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from loopready.store.models import DrillCard, Story, StoryTelling

#: Tellings in the order told (ties: the order recorded, then the id).
_TELLING_ORDER = (StoryTelling.told_on, StoryTelling.created_at, StoryTelling.id)


def story_rows(s: Session, user_id: str) -> list[Story]:
    """The user's stories, oldest first."""
    query = select(Story).where(Story.user_id == user_id)
    return list(s.scalars(query.order_by(Story.created_at, Story.id)))


def stories_with_prefix(s: Session, user_id: str, prefix: str) -> list[Story]:
    """The user's stories whose id starts with *prefix* (lower-cased)."""
    query = select(Story).where(Story.user_id == user_id, Story.id.like(prefix.lower() + "%"))
    return list(s.scalars(query))


def add_story(s: Session, row: Story) -> Story:
    """Store a new story."""
    s.add(row)
    s.flush()
    return row


def delete_story_rows(s: Session, user_id: str, row: Story) -> None:
    """Delete a story with its tellings and its drill card."""
    # The foreign key would cascade too; saying it keeps the intent in one place.
    s.execute(
        delete(StoryTelling).where(StoryTelling.user_id == user_id, StoryTelling.story_id == row.id)
    )
    s.execute(
        delete(DrillCard).where(
            DrillCard.user_id == user_id, DrillCard.kind == "story", DrillCard.ref == row.id
        )
    )
    s.delete(row)


def telling_rows(s: Session, user_id: str, story_id: str | None = None) -> list[StoryTelling]:
    """The tellings of the user's stories (or of story *story_id* only), in the order told."""
    query = select(StoryTelling).where(StoryTelling.user_id == user_id)
    if story_id is not None:
        query = query.where(StoryTelling.story_id == story_id)
    return list(s.scalars(query.order_by(*_TELLING_ORDER)))


def add_telling(s: Session, row: StoryTelling) -> None:
    """Store a new telling of a story."""
    s.add(row)


def delete_telling(s: Session, user_id: str, telling_id: str) -> None:
    """Delete the user's telling *telling_id*."""
    s.execute(
        delete(StoryTelling).where(StoryTelling.user_id == user_id, StoryTelling.id == telling_id)
    )
