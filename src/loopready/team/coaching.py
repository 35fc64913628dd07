"""Coaches: a candidate invites one by e-mail, removes them, and both leave comments."""

from __future__ import annotations

from typing import Any, Final

from loopready.errors import InputError
from loopready.store import Database
from loopready.store import team_repo as repo
from loopready.store.team_models import LiveMock
from loopready.team.access import NotAllowed, can_read_candidate
from loopready.team.accounts import Person, find
from loopready.team.live import CHANNEL

MAX_COMMENT_CHARS: Final = 4_000


def add_coach(db: Database, candidate: Person, coach_email: str) -> Person:
    """Let the coach account with *coach_email* read *candidate*'s practice."""
    coach = find(db, coach_email)
    if coach is None or coach.role != "coach":
        raise InputError(
            f"There is no coach account for {coach_email.strip()}. Ask your coach to have "
            "one made (loopready team add-user --role coach), then try again."
        )
    with db.session() as session:
        if repo.coach_link(session, candidate.user_id, coach.user_id) is None:
            repo.add_coach_link(session, candidate.user_id, coach.user_id)
    return coach


def coaches(db: Database, candidate: Person) -> list[Person]:
    """The coaches who may read *candidate*'s practice."""
    with db.read_session() as session:
        found = repo.coaches_of(session, candidate.user_id)
    return [Person(a.user_id, a.email, a.role) for a in found]


def remove_coach(db: Database, candidate: Person, coach_user_id: str) -> None:
    """Take back *coach_user_id*'s access, at once on every open page of the coach.

    The same transaction wakes the pages of each of the candidate's live mocks on every
    app process (a notification without an event number): a coach's socket checks that
    it may still read before it sends anything, so the removed coach's closes.
    """
    with db.session() as session:
        repo.remove_coach(session, candidate.user_id, coach_user_id)
        repo.wake_mocks_of(session, CHANNEL, candidate.user_id)


def comment(db: Database, author: Person, mock: LiveMock, body: str) -> None:
    """Add a comment to the report of *mock* (by its candidate or one of their coaches)."""
    if not can_read_candidate(db, author, mock.user_id):
        raise NotAllowed("report")
    text = body.strip()
    if not text or len(text) > MAX_COMMENT_CHARS:
        raise InputError(f"A comment holds 1 to {MAX_COMMENT_CHARS:,} characters.")
    with db.session() as session:
        repo.add_comment(session, mock.user_id, f"live:{mock.id}", author.user_id, text)


def comments(db: Database, mock_id: str) -> list[dict[str, Any]]:
    with db.read_session() as session:
        mock = repo.live_mock(session, mock_id)
        if mock is None:
            return []
        found = repo.comments_on(session, mock.user_id, f"live:{mock.id}")
    return [{"author": email, "text": c.text, "at": c.created_at} for c, email in found]
