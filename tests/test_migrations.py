"""The schema: what a fresh migration builds, the upgrade path, and migrating on open."""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
import sys
import textwrap
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from loopready.errors import StorageError
from loopready.store import (
    Base,
    Database,
    alembic_config,
    count_rows,
    create_engine,
    create_session,
    current_revision,
    downgrade,
    head_revision,
    known_revisions,
    list_turns,
    migrate,
    open_db,
    save_grade,
)
from loopready.store import engine as engine_module
from turnsave import autosave_turn

pytest_plugins = ["fixtures_db"]


def url_of(db: Database) -> str:
    return db.engine.url.render_as_string(hide_password=False)


# Each column as "name type", with "?" when it may be null.
SCHEMA: dict[str, list[str]] = {
    "users": ["id str36", "name str100", "created_at datetime"],
    "loops": [
        "id str36",
        "user_id str36",
        "pack_id str100",
        "title str200",
        "start_date date",
        "round_dates json",
        "status str20",
        "created_at datetime",
        "updated_at datetime",
    ],
    "round_sessions": [
        "id str36",
        "user_id str36",
        "loop_id str36?",
        "pack_id str100",
        "round_id str100",
        "prompt_id str100",
        "status str20",
        "started_at datetime",
        "ended_at datetime?",
        "time_limit_s int?",
        "meta json",
    ],
    "turns": [
        "id str36",
        "user_id str36",
        "session_id str36",
        "seq int",
        "kind str20",
        "speaker str100",
        "prompt_text text?",
        "text text",
        "revision int",
        "created_at datetime",
        "updated_at datetime",
    ],
    "grades": [
        "id str36",
        "user_id str36",
        "session_id str36?",
        "turn_id str36?",
        "round_id str100",
        "score float",
        "result json",
        "grader str100",
        "created_at datetime",
    ],
    "debriefs": [
        "id str36",
        "user_id str36",
        "loop_id str36",
        "decision str40",
        "result json",
        "created_at datetime",
    ],
    "stories": [
        "id str36",
        "user_id str36",
        "title str200",
        "situation text",
        "task text",
        "action text",
        "result text",
        "tags json",
        "rounds_told json",
        "created_at datetime",
        "updated_at datetime",
    ],
    "story_tellings": [
        "id str36",
        "user_id str36",
        "story_id str36",
        "round_id str100",
        "loop_id str36?",
        "told_on date",
        "text text?",
        "words int?",
        "created_at datetime",
    ],
    "plans": [
        "id str36",
        "user_id str36",
        "loop_id str36?",
        "tz str64",
        "start_date date",
        "first_round_date date?",
        "plan json",
        "created_at datetime",
        "updated_at datetime",
    ],
    "plan_days": [
        "id str36",
        "user_id str36",
        "plan_id str36",
        "day date",
        "status str20",
        "items json",
    ],
    "offers": [
        "id str36",
        "user_id str36",
        "name str200",
        "data json",
        "created_at datetime",
        "updated_at datetime",
    ],
    "briefs": [
        "id str36",
        "user_id str36",
        "title str200",
        "data json",
        "created_at datetime",
        "updated_at datetime",
    ],
    "drill_cards": [
        "id str36",
        "user_id str36",
        "kind str20",
        "ref str200",
        "card json",
        "due datetime",
        "created_at datetime",
        "updated_at datetime",
    ],
    "drill_reviews": [
        "id str36",
        "user_id str36",
        "card_id str36",
        "rating int",
        "reviewed_at datetime",
        "log json",
    ],
    "research_notes": [
        "id str36",
        "user_id str36",
        "pack_id str100",
        "launch_id str100",
        "metric text",
        "why text",
        "updated_at datetime",
    ],
    "settings": ["user_id str36", "key str100", "value json"],
    # 0003: the team mode's tables (a local install never writes them).
    "accounts": [
        "id str36",
        "user_id str36",
        "email str254",
        "password_hash str200",
        "role str20",
        "created_at datetime",
    ],
    "auth_sessions": [
        "id str64",
        "user_id str36",
        "created_at datetime",
        "last_seen_at datetime",
        "expires_at datetime",
    ],
    "login_attempts": ["id str36", "user_id str36", "created_at datetime"],
    "coach_links": ["id str36", "user_id str36", "coach_user_id str36", "created_at datetime"],
    "live_mocks": [
        "id str36",
        "user_id str36",
        "peer_user_id str36?",
        "pack_id str100",
        "round_id str100",
        "prompt_id str100",
        "status str20",
        "invite_nonce str64?",
        "time_limit_s int",
        "elapsed_s float",
        "running_since datetime?",
        "answer text",
        "answer_revision int",
        "grade json?",
        "created_at datetime",
        "ended_at datetime?",
    ],
    "live_events": [
        "seq int",
        "user_id str36",
        "mock_id str36",
        "author_user_id str36?",
        "kind str40",
        "payload json",
        "created_at datetime",
    ],
    "scorecards": [
        "id str36",
        "user_id str36",
        "mock_id str36",
        "scorer_user_id str36?",
        "scores json",
        "red_flags json",
        "submitted int",
        "created_at datetime",
        "updated_at datetime",
    ],
    "report_comments": [
        "id str36",
        "user_id str36",
        "target str80",
        "author_user_id str36?",
        "text text",
        "created_at datetime",
    ],
}

INDEXES: dict[str, set[str]] = {
    "auth_sessions": {"ix_auth_sessions_user_id(user_id)"},
    "login_attempts": {"ix_login_attempts_user_id_created_at(user_id,created_at)"},
    "coach_links": {"ix_coach_links_coach_user_id(coach_user_id)"},
    "live_mocks": {"ix_live_mocks_user_id(user_id)", "ix_live_mocks_peer_user_id(peer_user_id)"},
    "live_events": {"ix_live_events_mock_id_seq(mock_id,seq)"},
    "scorecards": {"ix_scorecards_user_id(user_id)"},
    "report_comments": {"ix_report_comments_user_id_target(user_id,target)"},
    "loops": {"ix_loops_user_id_created_at(user_id,created_at)"},
    "round_sessions": {
        "ix_round_sessions_user_id_round_id(user_id,round_id)",
        "ix_round_sessions_user_id_started_at(user_id,started_at)",
        "ix_round_sessions_loop_id(loop_id)",
    },
    "turns": {"ix_turns_user_id(user_id)"},
    "grades": {
        "ix_grades_user_id_round_id(user_id,round_id)",
        "ix_grades_session_id(session_id)",
        "ix_grades_turn_id(turn_id)",
    },
    "debriefs": {"ix_debriefs_user_id(user_id)", "ix_debriefs_loop_id(loop_id)"},
    "stories": {"ix_stories_user_id(user_id)"},
    "story_tellings": {
        "ix_story_tellings_user_id_story_id(user_id,story_id)",
        "ix_story_tellings_loop_id(loop_id)",
    },
    "plans": {"ix_plans_user_id(user_id)", "ix_plans_loop_id(loop_id)"},
    "plan_days": {"ix_plan_days_user_id_day(user_id,day)"},
    "offers": {"ix_offers_user_id(user_id)"},
    "briefs": {"ix_briefs_user_id(user_id)"},
    "drill_cards": {"ix_drill_cards_user_id_due(user_id,due)"},
    "drill_reviews": {
        "ix_drill_reviews_card_id(card_id)",
        "ix_drill_reviews_user_id_reviewed_at(user_id,reviewed_at)",
    },
}

UNIQUE: dict[str, set[str]] = {
    "accounts": {"uq_accounts_email(email)", "uq_accounts_user_id(user_id)"},
    "coach_links": {"uq_coach_links_user_id_coach_user_id(user_id,coach_user_id)"},
    "scorecards": {"uq_scorecards_mock_id_scorer_user_id(mock_id,scorer_user_id)"},
    "users": {"uq_users_name(name)"},
    "turns": {"uq_turns_session_id_seq(session_id,seq)"},
    "plan_days": {"uq_plan_days_plan_id_day(plan_id,day)"},
    "drill_cards": {"uq_drill_cards_user_id_kind_ref(user_id,kind,ref)"},
    "research_notes": {"uq_research_notes_user_id_pack_id_launch_id(user_id,pack_id,launch_id)"},
}

# Each foreign key as "column -> table (ON DELETE)"; every table but users has user_id's.
FOREIGN_KEYS: dict[str, set[str]] = {
    "coach_links": {"coach_user_id -> users (CASCADE)"},
    "live_mocks": {"peer_user_id -> users (SET NULL)"},
    "live_events": {"mock_id -> live_mocks (CASCADE)", "author_user_id -> users (SET NULL)"},
    "scorecards": {"mock_id -> live_mocks (CASCADE)", "scorer_user_id -> users (SET NULL)"},
    "report_comments": {"author_user_id -> users (SET NULL)"},
    "round_sessions": {"loop_id -> loops (SET NULL)"},
    "turns": {"session_id -> round_sessions (CASCADE)"},
    "grades": {"session_id -> round_sessions (CASCADE)", "turn_id -> turns (CASCADE)"},
    "debriefs": {"loop_id -> loops (CASCADE)"},
    "story_tellings": {"story_id -> stories (CASCADE)", "loop_id -> loops (SET NULL)"},
    "plans": {"loop_id -> loops (SET NULL)"},
    "plan_days": {"plan_id -> plans (CASCADE)"},
    "drill_reviews": {"card_id -> drill_cards (CASCADE)"},
}


PRIMARY_KEYS: dict[str, list[str]] = {"settings": ["user_id", "key"], "live_events": ["seq"]}


def type_label(kind: Any) -> str:
    if isinstance(kind, sa.Text):
        return "text"
    if isinstance(kind, sa.String):
        return f"str{kind.length}"
    for name, cls in (
        ("int", sa.Integer),
        ("float", sa.Float),
        ("datetime", sa.DateTime),
        ("date", sa.Date),
        ("json", sa.JSON),
    ):
        if isinstance(kind, cls):
            return name
    raise AssertionError(f"unexpected column type {kind!r}")


def schema_of(engine: sa.Engine) -> dict[str, Any]:
    """Tables, columns, keys and indexes as reflected from the live database."""
    inspector = sa.inspect(engine)
    tables = sorted(set(inspector.get_table_names()) - {"alembic_version"})
    columns, indexes, unique, foreign, primary = {}, {}, {}, {}, {}
    for table in tables:
        columns[table] = [
            f"{c['name']} {type_label(c['type'])}{'?' if c['nullable'] else ''}"
            for c in inspector.get_columns(table)
        ]
        indexes[table] = {
            f"{i['name']}({','.join(str(c) for c in i['column_names'])})"
            for i in inspector.get_indexes(table)
            # PostgreSQL also lists the index behind each unique constraint.
            if not i.get("duplicates_constraint")
        }
        unique[table] = {
            f"{u['name']}({','.join(u['column_names'])})"
            for u in inspector.get_unique_constraints(table)
        }
        foreign[table] = {
            f"{','.join(f['constrained_columns'])} -> {f['referred_table']} "
            f"({f['options'].get('ondelete')})"
            for f in inspector.get_foreign_keys(table)
        }
        primary[table] = inspector.get_pk_constraint(table)["constrained_columns"]
    return {
        "tables": tables,
        "columns": columns,
        "indexes": indexes,
        "unique": unique,
        "foreign": foreign,
        "primary": primary,
    }


def assert_newest_schema(engine: sa.Engine) -> None:
    found = schema_of(engine)
    assert found["tables"] == sorted(SCHEMA)
    assert found["columns"] == SCHEMA
    assert found["indexes"] == {t: INDEXES.get(t, set()) for t in SCHEMA}
    assert found["unique"] == {t: UNIQUE.get(t, set()) for t in SCHEMA}
    owner = {"user_id -> users (CASCADE)"}
    assert found["foreign"] == {
        t: (set() if t == "users" else owner | FOREIGN_KEYS.get(t, set())) for t in SCHEMA
    }
    assert found["primary"] == {t: PRIMARY_KEYS.get(t, ["id"]) for t in SCHEMA}


def test_fresh_database_has_the_newest_schema(db_url: str) -> None:
    with open_db(db_url) as db:
        assert db.revision() == head_revision()
        assert_newest_schema(db.engine)


def test_timestamps_are_stored_as_utc(db: Database) -> None:
    if db.dialect == "postgresql":
        inspector = sa.inspect(db.engine)
        zoned = {
            f"{table}.{c['name']}": c["type"].timezone
            for table in SCHEMA
            for c in inspector.get_columns(table)
            if isinstance(c["type"], sa.DateTime)
        }
        expected = {
            f"{table}.{column.split()[0]}": True
            for table, columns in SCHEMA.items()
            for column in columns
            if column.split()[1].rstrip("?") == "datetime"
        }
        assert zoned == expected
    else:
        # SQLite keeps text: the UTC time without an offset, so rows sort correctly.
        with db.engine.connect() as connection:
            raw = connection.execute(sa.text("SELECT created_at FROM users")).scalar_one()
        assert isinstance(raw, str)
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}", raw)


def test_models_match_the_migrations(db: Database) -> None:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_revision_files_form_one_numbered_chain() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    chain = [r.revision for r in reversed(list(script.walk_revisions()))]
    assert chain == known_revisions()
    assert chain[0] == "0001"
    assert script.get_heads() == [head_revision()]
    for older, newer in itertools.pairwise(chain):
        script_revision = script.get_revision(newer)
        assert script_revision is not None
        assert script_revision.down_revision == older
    for name in chain:
        matches = list(Path(script.versions).glob(f"{name}_*.py"))
        assert len(matches) == 1, f"revision {name} must live in one {name}_*.py file"


def test_upgrade_from_the_first_revision_keeps_data(db_url: str) -> None:
    engine = create_engine(db_url)
    try:
        migrate(engine, "0001")
        assert current_revision(engine) == "0001"
        with engine.begin() as connection:
            # Rows written as the first schema had them.
            connection.execute(
                sa.text("INSERT INTO users (id, name, created_at) VALUES ('u1', 'local', :t)"),
                {"t": "2026-03-01 09:00:00"},
            )
            connection.execute(
                sa.text(
                    "INSERT INTO loops (id, user_id, pack_id, title, start_date, round_dates, "
                    "status, created_at, updated_at) VALUES ('l1', 'u1', 'p', 'My loop', "
                    "'2026-03-01', '{}', 'active', :t, :t)"
                ),
                {"t": "2026-03-01 09:00:00"},
            )
        migrate(engine)
        assert current_revision(engine) == head_revision()
        assert_newest_schema(engine)
        with engine.connect() as connection:
            assert connection.execute(sa.text("SELECT title FROM loops")).scalar_one() == "My loop"
        db = open_db(db_url)
        assert db.user_id == "u1"
        db.close()
    finally:
        engine.dispose()


# --- 0002: story tellings move out of the settings rows ------------------------------------

SETTINGS = sa.table(
    "settings", sa.column("user_id"), sa.column("key"), sa.column("value", sa.JSON())
)
T_0001 = "2026-06-01 09:00:00"
TOLD = {
    "id": "t1",
    "round_id": "product_sense",
    "told_on": "2026-06-02",
    "recorded_at": "2026-06-01T09:00:00.123456+00:00",
    "loop_id": "l1",
    "text": "I led 8 engineers.",
}
TOLD_IN_A_DELETED_LOOP = {
    "id": "t2",
    "round_id": "technical_depth",
    "told_on": "2026-06-03",
    "recorded_at": "2026-06-03T10:00:00+02:00",
    "loop_id": "gone",
    "text": "",
}
# (user, key) -> value, as revision 0001 kept them. Only s1's row can move: s2's cannot be
# read, s3 is alice's story, there is no story "missing", and alice's row reuses t1's id.
LEGACY: dict[tuple[str, str], Any] = {
    ("u1", "story_tellings:s1"): [TOLD, TOLD_IN_A_DELETED_LOOP],
    ("u1", "story_tellings:s2"): "not a list",
    ("u1", "story_tellings:s3"): [{**TOLD, "id": "t3", "loop_id": None}],
    ("u1", "story_tellings:missing"): [{**TOLD, "id": "t4"}],
    ("u1", "theme"): "dark",
    ("u2", "story_tellings:s3"): [{**TOLD, "loop_id": None}],
}


def _settings(connection: sa.Connection) -> dict[tuple[str, str], Any]:
    rows = connection.execute(sa.select(SETTINGS.c.user_id, SETTINGS.c.key, SETTINGS.c.value))
    return {(user, key): value for user, key, value in rows}


def _write_0001_data(connection: sa.Connection) -> None:
    """Users, a loop, stories and tellings-in-settings, as revision 0001 stored them."""
    for user, name in (("u1", "local"), ("u2", "alice")):
        connection.execute(
            sa.text("INSERT INTO users (id, name, created_at) VALUES (:id, :name, :t)"),
            {"id": user, "name": name, "t": T_0001},
        )
    connection.execute(
        sa.text(
            "INSERT INTO loops (id, user_id, pack_id, title, start_date, round_dates, status, "
            "created_at, updated_at) VALUES ('l1', 'u1', 'p', 'Summer', '2026-06-01', '{}', "
            "'active', :t, :t)"
        ),
        {"t": T_0001},
    )
    for story, user in (("s1", "u1"), ("s2", "u1"), ("s3", "u2")):
        connection.execute(
            sa.text(
                "INSERT INTO stories (id, user_id, title, situation, task, action, result, "
                "tags, rounds_told, created_at, updated_at) VALUES (:id, :user, :title, '', "
                "'', '', '', '[]', '[\"product_sense\"]', :t, :t)"
            ),
            {"id": story, "user": user, "title": f"Story {story}", "t": T_0001},
        )
    connection.execute(
        sa.insert(SETTINGS),
        [{"user_id": u, "key": k, "value": v} for (u, k), v in LEGACY.items()],
    )


def test_upgrade_moves_tellings_out_of_settings_and_downgrade_puts_them_back(
    db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    from loopready.prep import get_story, tell_story

    engine = create_engine(db_url)
    try:
        migrate(engine, "0001")
        with engine.begin() as connection:
            _write_0001_data(connection)

        with caplog.at_level("WARNING", logger="loopready.migrations"):
            migrate(engine, "0002")
        assert current_revision(engine) == "0002"
        tellings = sa.table(
            "story_tellings",
            *(sa.column(c) for c in ("id", "user_id", "story_id", "round_id", "loop_id")),
            *(sa.column(c) for c in ("told_on", "text", "words", "created_at")),
        )
        with engine.connect() as connection:
            rows = connection.execute(sa.select(tellings).order_by(tellings.c.id)).all()
            left = _settings(connection)
        assert [r[:4] for r in rows] == [
            ("t1", "u1", "s1", "product_sense"),
            ("t2", "u1", "s1", "technical_depth"),
        ]
        assert [(r.loop_id, r.text, r.words) for r in rows] == [
            ("l1", "I led 8 engineers.", 4),
            (None, None, None),  # the loop was gone; no words were recorded
        ]
        # The moved row is deleted; every row that could not move is kept as it was.
        assert left == {k: v for k, v in LEGACY.items() if k != ("u1", "story_tellings:s1")}
        warned = sorted(r.getMessage() for r in caplog.records)
        assert len(warned) == 4
        assert all("The row is kept exactly as it was" in message for message in warned)
        assert "'story_tellings:missing' of user u1 were not moved" in warned[0]
        assert "story missing is not among this user's stories" in warned[0]
        assert "table: its value is not a list of tellings." in warned[1]
        assert "story s3 is not among this user's stories" in warned[2]
        assert "the telling id t1 is used twice" in warned[3]

        # loopready reads the moved tellings back, as tellings of the story.
        with open_db(db_url) as db:
            assert db.user_id == "u1"
            story = get_story(db, "s1")
            assert [(t.id, t.told_on, t.loop_id, t.text) for t in story.tellings] == [
                ("t1", date(2026, 6, 2), "l1", "I led 8 engineers."),
                ("t2", date(2026, 6, 3), None, ""),
            ]
            assert story.tellings[0].recorded_at == datetime(2026, 6, 1, 9, 0, 0, 123456, UTC)
            assert story.tellings[1].recorded_at == datetime(2026, 6, 3, 8, 0, tzinfo=UTC)
            # A telling of the story whose old row could not be read: both survive downgrade.
            _story, added = tell_story(
                db, "s2", "product_sense", text="New words", told_on=date(2026, 6, 9)
            )

        downgrade(engine, "0001")
        assert current_revision(engine) == "0001"
        assert "story_tellings" not in sa.inspect(engine).get_table_names()
        with engine.connect() as connection:
            restored = _settings(connection)
        again = {
            "id": added.id,
            "round_id": "product_sense",
            "told_on": "2026-06-09",
            "recorded_at": added.recorded_at.isoformat(),
            "loop_id": None,
            "text": "New words",
        }
        assert restored == {
            **LEGACY,
            ("u1", "story_tellings:s1"): [
                TOLD,
                {
                    **TOLD_IN_A_DELETED_LOOP,
                    "loop_id": None,
                    "recorded_at": "2026-06-03T08:00:00+00:00",
                },
            ],
            ("u1", "story_tellings:s2"): ["not a list", again],
        }
    finally:
        engine.dispose()


# --- 0004: stored grades keep their quotes' offsets -------------------------------------

SESSION = "3f2a9c1e-5b6d-4e7f-8a9b-0c1d2e3f4a5b"
GRADES = sa.table(
    "grades",
    *(sa.column(c) for c in ("id", "user_id", "session_id", "round_id", "score", "grader")),
    sa.column("result", sa.JSON()),
    sa.column("created_at"),
)
#: (speaker, text) of a session's turns, as typed: the graded answer is the candidate's
#: turns, stripped, joined by a blank line.
SAID = [
    ("candidate", "  I would scope to lapsed players. We ship to 5%.  "),
    ("interviewer", "Why five percent?"),
    ("candidate", "Because refunds matter."),
]
GRADED = "I would scope to lapsed players. We ship to 5%.\n\nBecause refunds matter."
SCOPE, SHIP, WHY = "I would scope to lapsed players.", "We ship to 5%.", "Because refunds matter."
#: A grade as revision 0003 stored it: bare quotes, a [0, 0] placeholder for a quote that is
#: not the answer's words, no offsets on blind spots and covered points.
OLD_GRADE: dict[str, Any] = {
    "round": "product_sense",
    "question": "ps_psn_recommendations",
    "score": 48.0,
    "grader": "loopready-local 0.9",
    "criteria": [
        {"id": "scope", "name": "Scope and users", "score": 3, "evidence": [SCOPE, WHY]},
        {
            "id": "rollout_plan",
            "name": "Rollout and go-to-market plan",
            "score": 2,
            "evidence": ["we ship to five percent", SHIP],
            "evidence_spans": [[0, 0], [0, 0]],
        },
    ],
    "blind_spots": [{"id": "metric_dump", "name": "Metric dump", "evidence": SHIP}],
    "key_points": [
        {"text": "Picks an audience", "covered": True, "evidence": SCOPE},
        {"text": "Names a guardrail", "covered": False},
    ],
    "reference_coverage": {
        "coverage": 0.5,
        "score": 50.0,
        "covered": [{"point": "Picks an audience", "evidence": SCOPE, "similarity": 0.8}],
        "missing": ["Names a guardrail"],
    },
    "delivery": {},
}


def _span(quote: str) -> list[int]:
    at = GRADED.index(quote)
    return [at, at + len(quote)]


def _write_0003_grades(connection: sa.Connection) -> None:
    """A user, a finished session with its turns and grade, and two grades to leave alone."""
    t = "2026-11-30 09:00:00"
    connection.execute(
        sa.text("INSERT INTO users (id, name, created_at) VALUES ('u1', 'local', :t)"), {"t": t}
    )
    connection.execute(
        sa.text(
            "INSERT INTO round_sessions (id, user_id, pack_id, round_id, prompt_id, status, "
            "started_at, ended_at, meta) VALUES (:s, 'u1', 'sony-ai-pm-2026', "
            "'product_sense', 'ps_psn_recommendations', 'completed', :t, :t, '{}')"
        ),
        {"t": t, "s": SESSION},
    )
    for seq, (speaker, text) in enumerate(SAID):
        connection.execute(
            sa.text(
                "INSERT INTO turns (id, user_id, session_id, seq, kind, speaker, text, revision, "
                "created_at, updated_at) VALUES (:id, 'u1', :s, :seq, 'answer', :speaker, "
                ":text, 1, :t, :t)"
            ),
            {"id": f"t{seq}", "s": SESSION, "seq": seq, "speaker": speaker, "text": text, "t": t},
        )
    rows = [
        ("g1", SESSION, OLD_GRADE),
        ("g2", SESSION, ["not", "a grade"]),
        ("g3", None, OLD_GRADE),
    ]
    connection.execute(
        sa.insert(GRADES),
        [
            {
                "id": grade_id,
                "user_id": "u1",
                "session_id": session_id,
                "round_id": "product_sense",
                "score": 48.0,
                "grader": "g",
                "result": result,
                "created_at": t.replace("30", "29") if grade_id == "g2" else t,  # g1 is final
            }
            for grade_id, session_id, result in rows
        ],
    )


def _results(connection: sa.Connection) -> dict[str, Any]:
    return {
        row.id: row.result for row in connection.execute(sa.select(GRADES.c.id, GRADES.c.result))
    }


def test_upgrade_places_the_quotes_of_stored_grades(db_url: str) -> None:
    from loopready.grading.base import GradeResult
    from loopready.interview.reports import build_report, render

    engine = create_engine(db_url)
    try:
        migrate(engine, "0003")
        with engine.begin() as connection:
            _write_0003_grades(connection)
        migrate(engine, "0004")
        with engine.connect() as connection:
            results = _results(connection)
        upgraded = results["g1"]
        scope, rollout = upgraded["criteria"]
        assert scope["evidence_spans"] == [_span(SCOPE), _span(WHY)]
        # The placeholder of a quote that is not the answer's words becomes "unknown".
        assert rollout["evidence_spans"] == [None, _span(SHIP)]
        assert [upgraded["blind_spots"][0][k] for k in ("start", "end")] == _span(SHIP)
        covered, missing = upgraded["key_points"]
        assert [covered["start"], covered["end"]] == _span(SCOPE)
        assert "start" not in missing
        point = upgraded["reference_coverage"]["covered"][0]
        assert [point["start"], point["end"]] == _span(SCOPE)
        for quote, span in zip(scope["evidence"], scope["evidence_spans"], strict=True):
            assert GRADED[span[0] : span[1]] == quote
        # Everything else is kept; what is not a session's grade is left as it was.
        placed = {"criteria", "blind_spots", "key_points", "reference_coverage"}
        assert {k: v for k, v in upgraded.items() if k not in placed} == {
            k: v for k, v in OLD_GRADE.items() if k not in placed
        }
        assert results["g2"] == ["not", "a grade"]
        assert results["g3"] == OLD_GRADE

        # The upgraded row reads as a grade and its report renders, without grading.
        assert GradeResult.model_validate(upgraded).delivery is None
        with open_db(db_url) as db:
            report = build_report(db, SESSION)
            assert report.criteria[1].evidence_spans == [None, tuple(_span(SHIP))]
            assert "Because refunds matter." in render(report, "md")

        downgrade(engine, "0003")
        with engine.connect() as connection:
            restored = _results(connection)["g1"]
        assert restored["criteria"][1]["evidence_spans"] == [[0, 0], _span(SHIP)]
        assert restored["criteria"][0]["evidence_spans"] == [_span(SCOPE), _span(WHY)]
    finally:
        engine.dispose()


def test_every_step_downgrades_and_upgrades_again(db_url: str) -> None:
    engine = create_engine(db_url)
    try:
        revisions = known_revisions()
        for revision in revisions:
            migrate(engine, revision)
            assert current_revision(engine) == revision
        for older in [*reversed(revisions[:-1]), "base"]:
            downgrade(engine, "-1")
            assert current_revision(engine) == (None if older == "base" else older)
        assert sa.inspect(engine).get_table_names() == ["alembic_version"]
        migrate(engine)
        assert_newest_schema(engine)
    finally:
        engine.dispose()


def test_open_migrates_a_database_left_at_base(db_url: str) -> None:
    with open_db(db_url) as db:
        downgrade(db.engine, "base")
        assert db.revision() is None
    with open_db(db_url) as db:
        assert db.revision() == head_revision()
        assert_newest_schema(db.engine)


def test_a_newer_schema_is_refused_with_advice(db_url: str) -> None:
    with open_db(db_url) as db, db.engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(StorageError) as caught:
        open_db(db_url)
    assert str(caught.value) == (
        "The database uses schema revision 9999, newer than this loopready understands "
        f"(up to {head_revision()}). Upgrade loopready: pip install -U loopready"
    )


FUTURE_MIGRATION = """
import sqlalchemy as sa
from alembic import op

revision = "{revision}"
down_revision = "{down_revision}"
branch_labels = None
depends_on = None


def upgrade():
    # Widening a column makes SQLite copy the table: the case that must not cascade deletes.
    with op.batch_alter_table("round_sessions") as batch:
        batch.alter_column("prompt_id", existing_type=sa.String(100), type_=sa.String(200))
    op.add_column("stories", sa.Column("rating", sa.Integer(), nullable=True))
    FAIL


def downgrade():
    op.drop_column("stories", "rating")
    with op.batch_alter_table("round_sessions") as batch:
        batch.alter_column("prompt_id", existing_type=sa.String(200), type_=sa.String(100))
"""


#: The newest shipped revision, and the one a future migration would get.
SHIPPED = head_revision()
FUTURE = f"{int(SHIPPED) + 1:04d}"


def future_migration(*, fail: bool) -> str:
    """The source of revision FUTURE; with *fail*, its upgrade raises half way."""
    source = FUTURE_MIGRATION.format(revision=FUTURE, down_revision=SHIPPED)
    return source if fail else source.replace("    FAIL\n", "")


@pytest.fixture
def future_migrations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the migrations plus a revision FUTURE, used in place of the shipped ones."""
    folder = tmp_path / "migrations"
    shutil.copytree(
        engine_module.MIGRATIONS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__")
    )
    monkeypatch.setattr(engine_module, "MIGRATIONS_DIR", folder)
    monkeypatch.setattr(engine_module, "VERSIONS_DIR", folder / "versions")
    return folder / "versions" / f"{FUTURE}_future.py"


def _practise(db: Database) -> str:
    with db.session() as s:
        rs = create_session(s, db.user_id, pack_id="p", round_id="r", prompt_id="x")
    turn = autosave_turn(db, rs.id, 0, "kept")
    with db.session() as s:
        save_grade(s, db.user_id, round_id="r", score=50, result={}, grader="g", turn_id=turn.id)
    return rs.id


def test_a_later_migration_keeps_existing_rows(db_url: str, future_migrations: Path) -> None:
    with open_db(db_url) as db:
        session_id = _practise(db)
    future_migrations.write_text(future_migration(fail=False), "utf-8")
    assert head_revision() == FUTURE
    with open_db(db_url) as db:
        assert db.revision() == FUTURE
        columns = {c["name"]: c["type"] for c in sa.inspect(db.engine).get_columns("stories")}
        assert "rating" in columns
        prompt = next(
            c
            for c in sa.inspect(db.engine).get_columns("round_sessions")
            if c["name"] == "prompt_id"
        )
        assert type_label(prompt["type"]) == "str200"
        with db.read_session() as s:
            assert [t.text for t in list_turns(s, db.user_id, session_id)] == ["kept"]
            assert count_rows(s, db.user_id)["grades"] == 1
            assert s.execute(sa.text("SELECT count(*) FROM round_sessions")).scalar_one() == 1
        if db.dialect == "sqlite":
            with db.read_session() as s:
                assert s.execute(sa.text("PRAGMA foreign_keys")).scalar_one() == 1
        downgrade(db.engine, SHIPPED)
        assert "rating" not in {c["name"] for c in sa.inspect(db.engine).get_columns("stories")}
        with db.read_session() as s:
            assert [t.text for t in list_turns(s, db.user_id, session_id)] == ["kept"]


def test_a_failing_migration_changes_nothing(db_url: str, future_migrations: Path) -> None:
    with open_db(db_url) as db:
        session_id = _practise(db)
        url = db.url
    future_migrations.write_text(future_migration(fail=True), "utf-8")
    with pytest.raises(StorageError) as caught:
        open_db(db_url)
    assert str(caught.value) == (
        f"Upgrading the database at {url} from schema revision {SHIPPED} to {FUTURE} failed: "
        "name 'FAIL' is not defined. Nothing was changed; your data is as it was. "
        "Please report this problem."
    )
    engine = create_engine(db_url)
    try:
        assert current_revision(engine) == SHIPPED
        stories = {c["name"] for c in sa.inspect(engine).get_columns("stories")}
        assert "rating" not in stories
        with engine.connect() as connection:
            turns = connection.execute(sa.text("SELECT text FROM turns")).scalars().all()
            assert turns == ["kept"]
    finally:
        engine.dispose()
    future_migrations.unlink()
    with open_db(db_url) as db, db.read_session() as s:
        assert [t.text for t in list_turns(s, db.user_id, session_id)] == ["kept"]


def test_ddl_in_a_session_rolls_back(db: Database) -> None:
    # What makes each migration transactional: DDL joins the transaction, on SQLite too.
    with pytest.raises(RuntimeError), db.session() as s:
        s.execute(sa.text("CREATE TABLE scratch (x INTEGER)"))
        raise RuntimeError("abort")
    assert "scratch" not in sa.inspect(db.engine).get_table_names()


def _run(code: str, url: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code), url, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_processes_opening_a_fresh_database_at_once(db_url: str, tmp_path: Path) -> None:
    # Each process imports first and says so; then all are released at the same moment.
    code = """
        import sys, time
        from pathlib import Path
        from loopready.store import open_db
        folder = Path(sys.argv[2])
        (folder / f"ready-{sys.argv[3]}").touch()
        while not (folder / "go").exists():
            time.sleep(0.002)
        db = open_db(sys.argv[1])
        print(db.user_id, db.revision())
    """
    count = 2
    workers = [_run(code, db_url, str(tmp_path), str(n)) for n in range(count)]
    deadline = time.monotonic() + 60
    while len(list(tmp_path.glob("ready-*"))) < count and time.monotonic() < deadline:
        time.sleep(0.01)
    (tmp_path / "go").touch()
    results = [w.communicate(timeout=60) for w in workers]
    assert [w.returncode for w in workers] == [0] * count, [err for _, err in results]
    printed = {out.strip() for out, _ in results}
    assert len(printed) == 1
    user_id, revision = printed.pop().split()
    assert revision == head_revision()
    with open_db(db_url) as db:
        assert db.user_id == user_id
        with db.read_session() as s:
            assert s.execute(sa.text("SELECT count(*) FROM users")).scalar_one() == 1


def test_opening_an_up_to_date_database_skips_alembic(db: Database) -> None:
    code = """
        import sys
        from loopready.store import open_db
        open_db(sys.argv[1]).close()
        print("alembic" in sys.modules)
    """
    out, err = _run(code, url_of(db)).communicate(timeout=60)
    assert out.strip() == "False", err
