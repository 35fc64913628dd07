"""Who may see whose data, in one place.

A candidate's data is visible to that candidate, to the coaches the candidate invited
(read-only, and comments), and to the peer of one live mock for that mock only.
Refusals are :class:`NotAllowed`, a 404: a stranger does not even learn the page exists.
"""

from __future__ import annotations

from loopready.errors import NotFound
from loopready.store import Database
from loopready.store import team_repo as repo
from loopready.store.team_models import LiveMock
from loopready.team.accounts import Person


class NotAllowed(NotFound):
    """Not there, or not yours to see."""

    def __init__(self, what: str = "page") -> None:
        super().__init__(f"There is no such {what}, or it is not shared with you.")


def can_read_candidate(db: Database, viewer: Person, candidate_id: str) -> bool:
    """The candidate themself, or a coach they invited."""
    if viewer.user_id == candidate_id:
        return True
    with db.read_session() as session:
        return repo.coach_link(session, candidate_id, viewer.user_id) is not None


def require_candidate_reader(db: Database, viewer: Person, candidate_id: str) -> None:
    if not can_read_candidate(db, viewer, candidate_id):
        raise NotAllowed("candidate")


def mock_role(db: Database, viewer: Person, mock: LiveMock) -> str | None:
    """``candidate``, ``interviewer``, ``coach`` (read-only) or None for *viewer* in *mock*."""
    if viewer.user_id == mock.user_id:
        return "candidate"
    if mock.peer_user_id is not None and viewer.user_id == mock.peer_user_id:
        return "interviewer"
    if can_read_candidate(db, viewer, mock.user_id):
        return "coach"
    return None


def load_mock(db: Database, viewer: Person, mock_id: str) -> tuple[LiveMock, str]:
    """The mock and *viewer*'s role in it, or :class:`NotAllowed`."""
    with db.read_session() as session:
        mock = repo.live_mock(session, mock_id) if len(mock_id) <= 36 else None
    if mock is None:
        raise NotAllowed("live mock")
    role = mock_role(db, viewer, mock)
    if role is None:
        raise NotAllowed("live mock")
    return mock, role


def still_allowed(db: Database, viewer: Person, mock: LiveMock, role: str) -> bool:
    """Whether *viewer*, let in as *role*, may still see *mock* (an open page asks).

    Only a coach's access can end while a page is open (the candidate removes them);
    the candidate and the peer keep theirs, so their pages cost no query.
    """
    return role != "coach" or can_read_candidate(db, viewer, mock.user_id)
