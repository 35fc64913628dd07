"""A candidate's own practice (loops, mock reports, debriefs, story bank), read by a coach.

Nothing new is stored here: every table already holds one ``user_id`` per row, so the
local app's services answer for the candidate when handed a :class:`Database` whose
``user_id`` is theirs (:func:`candidate_db`). That view is only given out after
:mod:`loopready.team.access` says the viewer may read the candidate, and the pages built on
it only read. Comments on a mock's report are kept like those on a live mock's report,
under the target ``session:<id>``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from loopready.errors import InputError, LoopreadyError, NotFound
from loopready.interview import sessions
from loopready.interview.loops import LoopStatus, all_loops, loop_status
from loopready.interview.progress import finished_sessions
from loopready.interview.verdicts import Verdict, loop_verdicts
from loopready.packs import get_pack
from loopready.prep import StoryRecord, list_stories
from loopready.store import Database
from loopready.store import team_repo as repo
from loopready.team.access import NotAllowed, require_candidate_reader
from loopready.team.accounts import Person, find
from loopready.team.coaching import MAX_COMMENT_CHARS

#: How many finished mocks the overview lists (newest first).
REPORTS_SHOWN = 50


def candidate_db(db: Database, viewer: Person, candidate_id: str) -> tuple[Database, Person]:
    """*db* seen as the candidate's (their ``user_id``), and the candidate, for *viewer*.

    :class:`NotAllowed` (a 404) unless *viewer* is the candidate or a coach they invited.
    """
    if len(candidate_id) > 36:
        raise NotAllowed("candidate")
    require_candidate_reader(db, viewer, candidate_id)
    with db.read_session() as session:
        account = repo.account_of_user(session, candidate_id)
    if account is None:
        raise NotAllowed("candidate")
    candidate = Person(account.user_id, account.email, account.role)
    return Database(db.engine, candidate.user_id, candidate.email), candidate


def account_db(db: Database, email: str) -> Database:
    """*db* seen as the account with *email*'s (``loopready export/import --account``)."""
    found = find(db, email)
    if found is None:
        raise InputError(
            f"There is no team account for {email.strip()} in {db.url}. Check the e-mail, "
            "or LOOPREADY_DATABASE_URL."
        )
    return Database(db.engine, found.user_id, found.email)


def readable_candidates(db: Database, viewer: Person) -> list[Person]:
    """Whose practice *viewer* may read: themself first, then the candidates who invited them."""
    with db.read_session() as session:
        found = repo.candidates_of(session, viewer.user_id)
    return [viewer, *(Person(a.user_id, a.email, a.role) for a in found)]


@dataclass
class LoopView:
    """One of the candidate's loops: its rounds and the committee's debriefs on it."""

    status: LoopStatus
    debriefs: list[Verdict] = field(default_factory=list)


@dataclass
class Overview:
    """Everything a coach's view lists about one candidate."""

    loops: list[LoopView]
    reports: list[dict[str, Any]]
    reports_total: int
    stories: list[StoryRecord]


def overview(view: Database) -> Overview:
    """The candidate's loops with their debriefs, latest mock reports and story bank."""
    loops = []
    for row in all_loops(view):
        try:
            status = loop_status(view, row["id"])
        except (LoopreadyError, KeyError):  # a loop whose pack is gone: list the rest
            continue
        loops.append(LoopView(status, loop_verdicts(view, row["id"])))
    total, rows = finished_sessions(view, None, 0, REPORTS_SHOWN)
    reports = []
    for r in rows:
        try:
            name = get_pack(r.pack_id).round(r.round_id).name
        except (KeyError, NotFound):
            name = r.round_id
        reports.append({"id": r.id, "round": name, "ended_at": r.ended_at, "score": r.score})
    return Overview(loops, reports, total, list_stories(view))


def session_comment(
    db: Database, author: Person, candidate_id: str, session_ref: str, body: str
) -> str:
    """Add a comment to the report of the candidate's mock *session_ref*; its full id."""
    view, candidate = candidate_db(db, author, candidate_id)
    session_id = sessions.load(view, session_ref).id  # theirs, or NotFound
    text = body.strip()
    if not text or len(text) > MAX_COMMENT_CHARS:
        raise InputError(f"A comment holds 1 to {MAX_COMMENT_CHARS:,} characters.")
    with db.session() as session:
        repo.add_comment(session, candidate.user_id, f"session:{session_id}", author.user_id, text)
    return session_id


def session_comments(db: Database, candidate_id: str, session_id: str) -> list[dict[str, Any]]:
    with db.read_session() as session:
        found = repo.comments_on(session, candidate_id, f"session:{session_id}")
    return [{"author": email, "text": c.text, "at": c.created_at} for c, email in found]
