"""Team mode's queries in store/: what the team services ask PostgreSQL through them."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from loopready.store import Database, User, open_db, utcnow
from loopready.store import team_jobs as queue_sql
from loopready.store import team_repo as repo
from loopready.store.engine import backend_name, libpq_conninfo
from loopready.team import accounts, auth, coaching, jobs, live

pytest_plugins = ["fixtures_db"]

PASSWORD = "correct horse battery"
SECRET = "s" * 48


def _fresh(databases: Any, name: str) -> Iterator[Database]:
    from fixtures_db import _emptied

    with open_db(_emptied(databases.url(name))) as db:
        yield db


@pytest.fixture
def pgdb(pg_module_databases: Any) -> Iterator[Database]:
    yield from _fresh(pg_module_databases, "teamstore")


def url_of(db: Database) -> str:
    return db.engine.url.render_as_string(hide_password=False)


def test_urls_for_psycopg_keep_the_password_and_drop_the_driver() -> None:
    url = "postgresql+psycopg://team:secret@db.example:5433/loop"
    assert libpq_conninfo(url) == "postgresql://team:secret@db.example:5433/loop"
    assert backend_name(url) == "postgresql"
    assert backend_name("sqlite:///tmp/x.db") == "sqlite"


@pytest.mark.postgres
def test_the_database_refuses_a_second_account_for_one_address(pgdb: Database) -> None:
    accounts.create_account(pgdb, "taken@example.org", PASSWORD)
    with pytest.raises(repo.AccountTaken), pgdb.session() as session:
        repo.add_account(session, "taken@example.org", "not-a-hash", "candidate")
    with pgdb.read_session() as session:  # the refused transaction left no user behind
        users = session.scalars(select(User).where(User.name == "taken@example.org")).all()
    assert len(users) == 1


@pytest.mark.postgres
def test_a_sign_in_is_marked_used_at_most_every_few_minutes(pgdb: Database) -> None:
    who = accounts.create_account(pgdb, "used@example.org", PASSWORD)
    token = auth.sign_in(pgdb, who)
    key = auth.digest(token)

    def set_last_seen(ago: timedelta) -> None:
        with pgdb.session() as session:
            row = repo.auth_session(session, key)
            assert row is not None
            row.last_seen_at = utcnow() - ago

    def last_seen_ago() -> timedelta:
        with pgdb.read_session() as session:
            row = repo.auth_session(session, key)
            assert row is not None
            return utcnow() - row.last_seen_at

    set_last_seen(timedelta(minutes=1))
    assert auth.current(pgdb, token) == who
    assert last_seen_ago() >= timedelta(minutes=1)  # recent enough: not written
    set_last_seen(timedelta(minutes=6))
    assert auth.current(pgdb, token) == who
    assert last_seen_ago() < timedelta(minutes=1)  # written now
    with pgdb.session() as session:  # a session signed out meanwhile is not brought back
        repo.drop_auth_sessions(session, who.user_id, key)
        repo.touch_auth_session(session, key, utcnow())
    with pgdb.read_session() as session:
        assert repo.auth_session(session, key) is None


@pytest.mark.postgres
def test_a_mocks_grade_is_kept_and_a_missing_mock_is_no_error(pgdb: Database) -> None:
    cand = accounts.create_account(pgdb, "graded@example.org", PASSWORD)
    mock = live.start(pgdb, cand, SECRET, "sony-ai-pm-2026", "product_sense").mock
    with pgdb.session() as session:
        repo.set_live_mock_grade(session, mock.id, {"score": 61, "criteria": []})
        repo.set_live_mock_grade(session, "no-such-mock", {"score": 1})
    with pgdb.read_session() as session:
        kept = repo.live_mock(session, mock.id)
    assert kept is not None and kept.grade == {"score": 61, "criteria": []}


@pytest.mark.postgres
def test_removing_a_coach_wakes_the_candidates_own_mocks_only(pgdb: Database) -> None:
    import psycopg

    cand = accounts.create_account(pgdb, "cand@example.org", PASSWORD)
    other = accounts.create_account(pgdb, "other@example.org", PASSWORD)
    coach = accounts.create_account(pgdb, "coach@example.org", PASSWORD, "coach")
    own = live.start(pgdb, cand, SECRET, "sony-ai-pm-2026", "product_sense")
    theirs = live.start(pgdb, other, SECRET, "sony-ai-pm-2026", "product_sense")
    live.join(pgdb, cand, SECRET, theirs.token)  # the candidate interviews in another's mock
    coaching.add_coach(pgdb, cand, coach.email)
    coaching.add_coach(pgdb, cand, coach.email)  # twice: still one link
    assert coaching.coaches(pgdb, cand) == [coach]

    with psycopg.connect(libpq_conninfo(url_of(pgdb)), autocommit=True) as listener:
        listener.execute(f"LISTEN {live.CHANNEL}")
        coaching.remove_coach(pgdb, cand, coach.user_id)
        deadline = time.monotonic() + 5
        heard: list[str] = []
        while time.monotonic() < deadline and not heard:
            heard = [n.payload for n in listener.notifies(timeout=0.5)]
    assert heard == [own.mock.id]
    assert coaching.coaches(pgdb, cand) == []


@pytest.mark.postgres
def test_the_job_queue_before_and_after_its_tables(pg_module_databases: Any) -> None:
    for db in _fresh(pg_module_databases, "queue"):  # a database no queue has used
        assert jobs.grading_status(db, "m-1") is None  # no tables yet
        queue_sql.ensure_queue_tables(db)
        queue_sql.ensure_queue_tables(db)  # a second time finds them
        assert queue_sql.newest_job(db, jobs.GRADE_TASK, "m-1") is None  # tables, no job
        jobs.enqueue_grading(db, "m-1")
        assert jobs.grading_status(db, "m-1") == {"status": "todo", "attempts": 0}
        assert queue_sql.newest_job(db, "another.task", "m-1") is None
        assert queue_sql.newest_job(db, jobs.GRADE_TASK, "m-2") is None
