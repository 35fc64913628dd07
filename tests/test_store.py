"""Opening the database, the local user, and the helpers the rest of loopready uses."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, StatementError

from loopready.errors import InputError, MissingExtra, NotFound, StorageError
from loopready.store import (
    Database,
    Grade,
    Loop,
    RevisionConflict,
    RoundSession,
    Turn,
    User,
    count_rows,
    create_loop,
    create_session,
    end_session,
    get_loop,
    get_session,
    get_setting,
    list_loops,
    list_sessions,
    list_turns,
    mask_url,
    normalize_url,
    open_db,
    save_grade,
    set_setting,
    upsert_turn,
)
from loopready.store import engine as engine_module
from turnsave import autosave_turn

pytest_plugins = ["fixtures_db"]


def url_of(db: Database) -> str:
    return db.engine.url.render_as_string(hide_password=False)


PACK = "sony-ai-pm-2026"


def new_session(db: Database, round_id: str = "product_sense", **kwargs: Any) -> RoundSession:
    with db.session() as s:
        return create_session(
            s, db.user_id, pack_id=PACK, round_id=round_id, prompt_id="ps-01", **kwargs
        )


# --- opening ----------------------------------------------------------------------------


def test_default_database_lives_in_the_data_folder(loopready_home: Path) -> None:
    with open_db() as db:
        assert db.url == f"sqlite:///{loopready_home / 'loopready.db'}"
        assert db.dialect == "sqlite"
    assert (loopready_home / "loopready.db").is_file()


def test_database_url_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "elsewhere" / "deeper" / "mine.db"
    monkeypatch.setenv("LOOPREADY_DATABASE_URL", f"sqlite:///{path}")
    with open_db() as db:
        assert db.url == f"sqlite:///{path}"
    assert path.is_file()


def test_sqlite_runs_in_wal_mode_with_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    with open_db(f"sqlite:///{tmp_path / 'x.db'}") as db:
        for make in (db.session, db.read_session):
            with make() as s:
                pragma = {
                    name: s.execute(sa.text(f"PRAGMA {name}")).scalar_one()
                    for name in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")
                }
            assert pragma == {
                "journal_mode": "wal",
                "foreign_keys": 1,
                "busy_timeout": 15_000,
                "synchronous": 1,
            }
    assert (tmp_path / "x.db-wal").exists() or (tmp_path / "x.db").exists()


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u:p@h:5432/d", "postgresql+psycopg://u:p@h:5432/d"),
        ("postgres://u:p@h/d", "postgresql+psycopg://u:p@h/d"),
        ("postgresql+psycopg://u@h/d", "postgresql+psycopg://u@h/d"),
        ("sqlite:///tmp/x.db", "sqlite:///tmp/x.db"),
        ("sqlite+pysqlite:////abs/x.db", "sqlite:////abs/x.db"),
    ],
)
def test_urls_choose_loopreadys_drivers(given: str, expected: str) -> None:
    assert normalize_url(given).render_as_string(hide_password=False) == expected


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (
            "mysql://u@h/d",
            "loopready stores data in SQLite or PostgreSQL, not 'mysql'. Set "
            "LOOPREADY_DATABASE_URL to sqlite:///PATH or postgresql://..., or unset it.",
        ),
        (
            "postgresql+psycopg2://u@h/d",
            "loopready talks to PostgreSQL through psycopg 3, not 'psycopg2': "
            "use a postgresql:// URL.",
        ),
        (
            "not a url",
            "Cannot read the database URL 'not a url'. Use sqlite:///PATH or "
            "postgresql://USER:PASSWORD@HOST:PORT/DATABASE (LOOPREADY_DATABASE_URL).",
        ),
    ],
)
def test_unsupported_urls_are_refused(given: str, message: str) -> None:
    with pytest.raises(StorageError) as caught:
        open_db(given)
    assert str(caught.value) == message


def test_passwords_are_masked() -> None:
    assert mask_url("postgresql+psycopg://me:s3cret@db:5432/lr") == (
        "postgresql+psycopg://me:***@db:5432/lr"
    )


def test_unreachable_server_is_a_storage_error() -> None:
    # Port 1 on localhost: nothing listens there, so the connection is refused at once.
    with pytest.raises(StorageError) as caught:
        open_db("postgresql://me:s3cret@127.0.0.1:1/lr")
    message = str(caught.value)
    assert message.startswith(
        "Cannot open the database at postgresql+psycopg://me:***@127.0.0.1:1/lr: "
    )
    assert message.endswith(
        "Check LOOPREADY_DATABASE_URL, that the database server is running, and that "
        "its user may create tables there."
    )
    assert "s3cret" not in message


def test_missing_psycopg_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # what an absent package looks like
    with pytest.raises(MissingExtra) as caught:
        open_db("postgresql://u@h/d")
    assert str(caught.value) == (
        "Storing data in PostgreSQL needs the 'psycopg' package: pip install 'loopready[postgres]'"
    )


def test_the_local_user_is_created_once(db: Database) -> None:
    with db.read_session() as s:
        users = s.scalars(sa.select(User)).all()
    assert [(u.id, u.name) for u in users] == [(db.user_id, "local")]
    assert users[0].created_at.tzinfo is UTC
    with open_db(url_of(db)) as again:
        assert again.user_id == db.user_id
        assert again.user_name == "local"
    with db.read_session() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(User)) == 1


def test_users_only_see_their_own_rows(db: Database) -> None:
    with db.session() as s:
        loop = create_loop(s, db.user_id, pack_id=PACK, title="Mine")
    rs = new_session(db)
    with open_db(url_of(db), user="alice") as alice:
        assert alice.user_id != db.user_id
        with alice.session() as s:
            assert list_loops(s, alice.user_id) == []
            assert list_sessions(s, alice.user_id) == []
            with pytest.raises(NotFound) as caught:
                get_loop(s, alice.user_id, loop.id)
            assert str(caught.value) == (
                f"No loop with id {loop.id!r}. List yours to find the right id."
            )
            with pytest.raises(NotFound):
                upsert_turn(s, alice.user_id, rs.id, 0, "not mine")
        assert autosave_turn(db, rs.id, 0, "mine").revision == 1


def test_a_lock_held_too_long_is_a_storage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 200)
    url = f"sqlite:///{tmp_path / 'x.db'}"
    with open_db(url) as first, open_db(url) as second, first.session() as s:
        s.add(Loop(user_id=first.user_id, pack_id=PACK, title="t", start_date=date.today()))
        s.flush()  # `first` now holds the write lock
        with pytest.raises(StorageError) as caught, second.session() as other:
            other.execute(sa.text("SELECT 1"))
    assert str(caught.value) == (
        "The database stayed locked by another loopready process for 0.2 s. "
        "Close it (or wait for it) and try again."
    )


# --- timestamps and integrity -----------------------------------------------------------


def test_timestamps_come_back_as_utc(db: Database) -> None:
    tokyo = timezone(timedelta(hours=9))
    started = datetime(2026, 3, 2, 18, 30, tzinfo=tokyo)
    rs = new_session(db, started_at=started)
    with db.read_session() as s:
        stored = s.get(RoundSession, rs.id)
        assert stored is not None
        assert stored.started_at == started
        assert stored.started_at.tzinfo is UTC
        assert stored.started_at.hour == 9


def test_naive_timestamps_are_refused(db: Database) -> None:
    with pytest.raises(StatementError) as caught, db.session() as s:
        s.add(
            RoundSession(
                user_id=db.user_id,
                pack_id=PACK,
                round_id="r",
                prompt_id="p",
                started_at=datetime(2026, 3, 2, 9, 30),
            )
        )
        s.flush()
    assert "naive datetime 2026-03-02T09:30:00 given" in str(caught.value)
    with db.read_session() as s:
        assert list_sessions(s, db.user_id) == []


def test_foreign_keys_are_enforced(db: Database) -> None:
    with pytest.raises(IntegrityError), db.session() as s:
        s.add(Turn(user_id=db.user_id, session_id="no-such-session", seq=0, text="x"))
        s.flush()


def test_deleting_a_session_deletes_its_turns_and_grades_but_not_its_loop(db: Database) -> None:
    with db.session() as s:
        loop = create_loop(s, db.user_id, pack_id=PACK, title="Loop")
    rs = new_session(db, loop_id=loop.id)
    turn = autosave_turn(db, rs.id, 0, "answer")
    with db.session() as s:
        save_grade(
            s,
            db.user_id,
            round_id="product_sense",
            score=50,
            result={},
            grader="g/1",
            turn_id=turn.id,
        )
        s.execute(sa.delete(RoundSession).where(RoundSession.id == rs.id))
    with db.read_session() as s:
        counts = count_rows(s, db.user_id)
    assert (counts["loops"], counts["round_sessions"], counts["turns"], counts["grades"]) == (
        1,
        0,
        0,
        0,
    )


def test_deleting_a_loop_keeps_its_practice(db: Database) -> None:
    with db.session() as s:
        loop = create_loop(s, db.user_id, pack_id=PACK, title="Loop")
    rs = new_session(db, loop_id=loop.id)
    with db.session() as s:
        s.execute(sa.delete(Loop).where(Loop.id == loop.id))
    with db.read_session() as s:
        assert get_session(s, db.user_id, rs.id).loop_id is None


# --- loops and sessions -----------------------------------------------------------------


def test_create_and_get_a_loop(db: Database) -> None:
    interview = datetime(2026, 3, 11, 17, 0, tzinfo=UTC)
    with db.session() as s:
        loop = create_loop(
            s,
            db.user_id,
            pack_id=PACK,
            title="Sony AI",
            start_date=date(2026, 3, 1),
            round_dates={"product_sense": interview, "execution": None, "hm": "2026-03-12"},
        )
    with db.read_session() as s:
        found = get_loop(s, db.user_id, loop.id)
        assert (found.title, found.pack_id, found.status, found.start_date) == (
            "Sony AI",
            PACK,
            "active",
            date(2026, 3, 1),
        )
        assert found.round_dates == {
            "product_sense": "2026-03-11T17:00:00+00:00",
            "execution": None,
            "hm": "2026-03-12",
        }
        assert [x.id for x in list_loops(s, db.user_id)] == [loop.id]


def test_round_dates_need_a_time_zone(db: Database) -> None:
    with pytest.raises(InputError) as caught, db.session() as s:
        create_loop(
            s, db.user_id, pack_id=PACK, title="t", round_dates={"hm": datetime(2026, 3, 1)}
        )
    assert str(caught.value) == "The date of round 'hm' has no time zone; add one, e.g. +00:00."


def test_a_session_must_match_its_loops_pack(db: Database) -> None:
    with db.session() as s:
        loop = create_loop(s, db.user_id, pack_id=PACK, title="t")
    with pytest.raises(InputError) as caught, db.session() as s:
        create_session(s, db.user_id, pack_id="other", round_id="r", prompt_id="p", loop_id=loop.id)
    assert str(caught.value) == (
        f"Loop {loop.id!r} practises pack {PACK!r}, not 'other'; start the session in a loop "
        "for that pack, or without a loop."
    )


def test_list_sessions_by_round_newest_first(db: Database) -> None:
    t0 = datetime(2026, 3, 1, tzinfo=UTC)
    old = new_session(db, "product_sense", started_at=t0)
    other = new_session(db, "execution", started_at=t0 + timedelta(hours=1))
    new = new_session(db, "product_sense", started_at=t0 + timedelta(hours=2))
    with db.session() as s:
        end_session(s, db.user_id, old.id, ended_at=t0 + timedelta(minutes=30))
    with db.read_session() as s:
        assert [x.id for x in list_sessions(s, db.user_id, round_id="product_sense")] == [
            new.id,
            old.id,
        ]
        assert [x.id for x in list_sessions(s, db.user_id)] == [new.id, other.id, old.id]
        assert [x.id for x in list_sessions(s, db.user_id, status="completed")] == [old.id]
        assert [x.id for x in list_sessions(s, db.user_id, limit=1)] == [new.id]
        ended = get_session(s, db.user_id, old.id)
        assert (ended.status, ended.ended_at) == ("completed", t0 + timedelta(minutes=30))


def test_a_session_cannot_end_in_progress(db: Database) -> None:
    rs = new_session(db)
    with pytest.raises(InputError) as caught, db.session() as s:
        end_session(s, db.user_id, rs.id, status="in_progress")
    assert str(caught.value) == "A session ends as 'completed' or 'abandoned', not 'in_progress'."


# --- autosave ---------------------------------------------------------------------------


def test_autosave_creates_then_updates_one_row(db: Database) -> None:
    rs = new_session(db)
    first = autosave_turn(db, rs.id, 0, "Users first", prompt_text="Design a ...")
    assert (first.seq, first.kind, first.speaker, first.text, first.revision) == (
        0,
        "answer",
        "candidate",
        "Users first",
        1,
    )
    second = autosave_turn(db, rs.id, 0, "Users first, then metrics")
    assert second.id == first.id
    assert (second.text, second.revision, second.prompt_text) == (
        "Users first, then metrics",
        2,
        "Design a ...",
    )
    assert second.created_at == first.created_at
    assert second.updated_at >= first.updated_at
    follow = autosave_turn(db, rs.id, 1, "Because...", kind="follow_up", speaker="candidate")
    with db.read_session() as s:
        turns = list_turns(s, db.user_id, rs.id)
    assert [(t.id, t.seq, t.kind, t.text, t.revision) for t in turns] == [
        (first.id, 0, "answer", "Users first, then metrics", 2),
        (follow.id, 1, "follow_up", "Because...", 1),
    ]


def test_autosave_refuses_a_stale_revision(db: Database) -> None:
    rs = new_session(db)
    autosave_turn(db, rs.id, 0, "v1")
    assert autosave_turn(db, rs.id, 0, "v2 from tab A", expected_revision=1).revision == 2
    with pytest.raises(RevisionConflict) as caught:
        autosave_turn(db, rs.id, 0, "v2 from tab B", expected_revision=1)
    assert str(caught.value) == (
        "This answer was changed elsewhere (saved revision 2, this copy is revision 1). "
        "Reload it before typing more, so neither copy is lost."
    )
    with db.read_session() as s:
        assert [t.text for t in list_turns(s, db.user_id, rs.id)] == ["v2 from tab A"]


def test_autosave_checks_its_arguments(db: Database) -> None:
    rs = new_session(db)
    with pytest.raises(InputError) as caught:
        autosave_turn(db, rs.id, -1, "x")
    assert str(caught.value) == "A turn's sequence number starts at 0, not -1."
    with pytest.raises(InputError) as caught:
        autosave_turn(db, rs.id, 0, "x", kind="monologue")
    assert str(caught.value) == (
        "A turn is one of answer, follow_up, close, persona, candidate, not 'monologue'."
    )
    with pytest.raises(NotFound) as caught_missing:
        autosave_turn(db, "nope", 0, "x")
    assert str(caught_missing.value) == (
        "No practice session with id 'nope'. List yours to find the right id."
    )


def _spawn(code: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


AUTOSAVER = """
    import sys
    from loopready.store import open_db, upsert_turn
    db = open_db(sys.argv[1])
    revision = int(sys.argv[4])
    for _ in range(int(sys.argv[3])):
        # The text names the revision it becomes, so a torn write would show.
        text = f"revision {revision + 1} " + "words " * (revision % 200)
        with db.session() as s:
            turn = upsert_turn(s, db.user_id, sys.argv[2], 0, text, expected_revision=revision)
            revision = turn.revision
        if revision == 5:
            print("saving", flush=True)
"""


def test_killing_the_process_mid_autosave_loses_nothing_committed(db: Database) -> None:
    rs = new_session(db)
    autosave_turn(db, rs.id, 0, "revision 1 ")
    url = url_of(db)
    writer = _spawn(AUTOSAVER, url, rs.id, "1000000", "1")
    assert writer.stdout is not None
    assert writer.stdout.readline().strip() == "saving"
    time.sleep(0.3)
    writer.send_signal(signal.SIGKILL)
    writer.communicate(timeout=30)
    assert writer.returncode == -signal.SIGKILL

    with open_db(url) as again, again.read_session() as s:
        if again.dialect == "sqlite":
            assert s.execute(sa.text("PRAGMA integrity_check")).scalar_one() == "ok"
        (turn,) = list_turns(s, again.user_id, rs.id)
    assert turn.revision > 5
    assert turn.text.startswith(f"revision {turn.revision} ")
    assert turn.text == f"revision {turn.revision} " + "words " * ((turn.revision - 1) % 200)
    # And the turn still takes autosaves.
    assert autosave_turn(db, rs.id, 0, "after", expected_revision=turn.revision).revision == (
        turn.revision + 1
    )


def test_two_processes_autosaving_at_once(db: Database) -> None:
    one, two = new_session(db), new_session(db)
    url = url_of(db)
    for rs in (one, two):
        autosave_turn(db, rs.id, 0, "revision 1 ")
    writers = [_spawn(AUTOSAVER, url, rs.id, "25", "1") for rs in (one, two)]
    for writer in writers:
        _, err = writer.communicate(timeout=60)
        assert writer.returncode == 0, err
    with db.read_session() as s:
        assert [list_turns(s, db.user_id, rs.id)[0].revision for rs in (one, two)] == [26, 26]


# --- grades and settings ----------------------------------------------------------------


def test_save_and_list_grades(db: Database) -> None:
    rs = new_session(db)
    turn = autosave_turn(db, rs.id, 0, "answer")
    with db.session() as s:
        linked = save_grade(
            s,
            db.user_id,
            round_id="product_sense",
            score=81,
            result={"evidence": [{"quote": "users"}]},
            grader="local/1.0",
            turn_id=turn.id,
        )
        loose = save_grade(s, db.user_id, round_id="execution", score=40.5, result={}, grader="x/2")
    assert linked.session_id == rs.id  # taken from the turn
    assert isinstance(linked.score, float)
    with db.read_session() as s:
        assert count_rows(s, db.user_id)["grades"] == 2
        kept = s.get(Grade, loose.id)
        assert kept is not None and (kept.round_id, kept.session_id) == ("execution", None)
        stored = s.get(Grade, linked.id)
        assert stored is not None
        assert stored.result == {"evidence": [{"quote": "users"}]}


@pytest.mark.parametrize("score", [-1, 100.5, float("nan"), True])
def test_scores_must_be_between_0_and_100(db: Database, score: float) -> None:
    with pytest.raises(InputError) as caught, db.session() as s:
        save_grade(s, db.user_id, round_id="r", score=score, result={}, grader="g")
    assert str(caught.value) == f"A score is a number from 0 to 100, not {score!r}."


def test_a_grade_must_match_its_session(db: Database) -> None:
    rs = new_session(db, "product_sense")
    other = new_session(db, "execution")
    turn = autosave_turn(db, other.id, 0, "x")
    with pytest.raises(InputError) as caught, db.session() as s:
        save_grade(
            s, db.user_id, round_id="execution", score=1, result={}, grader="g", session_id=rs.id
        )
    assert str(caught.value) == (
        f"Session {rs.id!r} practised round 'product_sense', so it cannot hold a grade for "
        "round 'execution'."
    )
    with pytest.raises(InputError) as caught, db.session() as s:
        save_grade(
            s,
            db.user_id,
            round_id="product_sense",
            score=1,
            result={},
            grader="g",
            session_id=rs.id,
            turn_id=turn.id,
        )
    assert str(caught.value) == f"Turn {turn.id!r} is not part of session {rs.id!r}."


def test_settings_hold_any_json(db: Database) -> None:
    with db.session() as s:
        assert get_setting(s, db.user_id, "theme", "light") == "light"
        set_setting(s, db.user_id, "theme", "dark")
        set_setting(s, db.user_id, "grader", {"name": "local", "weights": [0.5, 0.5]})
        set_setting(s, db.user_id, "theme", "contrast")
    with db.read_session() as s:
        assert get_setting(s, db.user_id, "theme") == "contrast"
        assert get_setting(s, db.user_id, "grader") == {"name": "local", "weights": [0.5, 0.5]}
        assert count_rows(s, db.user_id)["settings"] == 2
