"""Export and import: a full round trip, repeat imports, bad files, and the CLI commands."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

import pg
from loopready import settings
from loopready.cli import cli
from loopready.errors import InputError
from loopready.grading.base import (
    BlindSpotHit,
    CoveredPoint,
    CriterionScore,
    GradeResult,
    KeyPointResult,
    RedFlagHit,
    ReferenceCoverage,
)
from loopready.grading.delivery_model import GradeDelivery
from loopready.store import (
    FORMAT,
    USER_TABLES,
    Brief,
    Database,
    Debrief,
    DrillCard,
    DrillReview,
    Loop,
    Offer,
    Plan,
    PlanDay,
    ResearchNote,
    Story,
    StoryTelling,
    count_rows,
    create_loop,
    create_session,
    dump_tables,
    end_session,
    export_data,
    head_revision,
    import_data,
    open_db,
    save_grade,
    set_setting,
    write_export,
)
from loopready.store.repo import final_grades
from turnsave import autosave_turn

pytest_plugins = ["fixtures_db"]

TABLES = [model.__tablename__ for model in USER_TABLES]
T0 = datetime(2026, 3, 2, 9, 30, 15, 123456, tzinfo=UTC)
TOLD = "J'ai mené 8 ingénieurs — churn fell 12%."


def populate(db: Database) -> dict[str, str]:
    """Put at least one row in every user table (with nulls, unicode and nested JSON).

    Returns the ids of the main rows, by name.
    """
    uid = db.user_id
    with db.session() as s:
        loop = create_loop(
            s,
            uid,
            pack_id="sony-ai-pm-2026",
            title="Sony AI — ML PM loop",
            start_date=date(2026, 3, 1),
            round_dates={"product_sense": T0 + timedelta(days=9), "execution": None},
        )
        first = create_session(
            s,
            uid,
            pack_id="sony-ai-pm-2026",
            round_id="product_sense",
            prompt_id="ps-01",
            loop_id=loop.id,
            time_limit_s=1800,
            meta={"mode": "timed", "hints": ["users", "metrics"], "nested": {"a": [1, 2.5]}},
            started_at=T0,
        )
        free = create_session(
            s, uid, pack_id="sony-ai-pm-2026", round_id="execution", prompt_id="ex-03"
        )
    autosave_turn(db, first.id, 0, "Première réponse: users → metrics ✓", prompt_text="Design…")
    turn = autosave_turn(db, first.id, 0, "Final answer: users, metrics, trade-offs.")
    autosave_turn(db, first.id, 1, "Follow-up answer.", kind="follow_up", speaker="candidate")
    with db.session() as s:
        grade = save_grade(
            s,
            uid,
            round_id="product_sense",
            score=72.5,
            result={"evidence": [{"quote": "users", "criterion": "user focus"}], "level": None},
            grader="local/1.0",
            session_id=first.id,
            turn_id=turn.id,
        )
        save_grade(s, uid, round_id="execution", score=0, result={}, grader="local/1.0")
        end_session(s, uid, first.id, ended_at=T0 + timedelta(minutes=28))
        s.add(Debrief(user_id=uid, loop_id=loop.id, decision="hire", result={"votes": [3, 4]}))
        story = Story(
            user_id=uid,
            title="Shipped the recommender",
            situation="S",
            task="T",
            action="A",
            result="R",
            tags=["leadership", "ml"],
            rounds_told=["product_sense", "technical_depth"],
        )
        s.add(story)
        s.flush()
        telling = StoryTelling(
            user_id=uid,
            story_id=story.id,
            round_id="product_sense",
            loop_id=loop.id,
            told_on=date(2026, 3, 2),
            text=TOLD,
            words=len(TOLD.split()),
            created_at=T0,
        )
        s.add(telling)
        s.add(
            StoryTelling(
                user_id=uid, story_id=story.id, round_id="technical_depth", told_on=date(2026, 3, 3)
            )
        )
        plan = Plan(
            user_id=uid,
            loop_id=loop.id,
            tz="Europe/London",
            start_date=date(2026, 3, 1),
            first_round_date=None,
            plan={"days": 9},
        )
        s.add(plan)
        s.flush()
        s.add(PlanDay(user_id=uid, plan_id=plan.id, day=date(2026, 3, 2), items=["drill"]))
        s.add(Offer(user_id=uid, name="Sony AI", data={"base": 210000, "currency": "USD"}))
        s.add(Brief(user_id=uid, title="Sony AI brief", data={"launches": ["gt-sophy"]}))
        card = DrillCard(user_id=uid, kind="prompt", ref="ps-01", card={"stability": 1.2}, due=T0)
        s.add(card)
        s.flush()
        s.add(DrillReview(user_id=uid, card_id=card.id, rating=3, reviewed_at=T0, log={"s": 1}))
        s.add(
            ResearchNote(
                user_id=uid, pack_id="sony-ai-pm-2026", launch_id="gt-sophy", metric="win rate"
            )
        )
        set_setting(s, uid, "theme", "dark")
        set_setting(s, uid, "nothing", None)
    return {
        "loop": loop.id,
        "session": first.id,
        "free": free.id,
        "turn": turn.id,
        "grade": grade.id,
        "story": story.id,
        "telling": telling.id,
    }


def dump(db: Database) -> dict[str, list[dict[str, Any]]]:
    with db.read_session() as s:
        return dump_tables(s, db.user_id)


def url_of(db: Database) -> str:
    return db.engine.url.render_as_string(hide_password=False)


# --- the round trip ---------------------------------------------------------------------


def test_export_holds_every_table_and_row(db: Database) -> None:
    ids = populate(db)
    document = export_data(db)
    assert list(document) == [
        "format",
        "format_version",
        "exported_at",
        "loopready_version",
        "schema_revision",
        "user",
        "tables",
        "packs",
    ]
    assert document["packs"] == []  # no user packs here
    assert (document["format"], document["format_version"], document["user"]) == (
        FORMAT,
        1,
        "local",
    )
    assert document["schema_revision"] == head_revision()
    exported_at = datetime.fromisoformat(document["exported_at"])
    assert abs(exported_at - datetime.now(UTC)) < timedelta(minutes=1)
    tables = document["tables"]
    assert list(tables) == TABLES
    assert all(tables[t] for t in TABLES), "populate() fills every table"
    assert {t: len(rows) for t, rows in tables.items()} == {
        "loops": 1,
        "round_sessions": 2,
        "turns": 2,
        "grades": 2,
        "debriefs": 1,
        "stories": 1,
        "story_tellings": 2,
        "plans": 1,
        "plan_days": 1,
        "offers": 1,
        "briefs": 1,
        "drill_cards": 1,
        "drill_reviews": 1,
        "research_notes": 1,
        "settings": 2,
    }
    session = next(r for r in tables["round_sessions"] if r["id"] == ids["session"])
    assert session == {
        "id": ids["session"],
        "loop_id": ids["loop"],
        "pack_id": "sony-ai-pm-2026",
        "round_id": "product_sense",
        "prompt_id": "ps-01",
        "status": "completed",
        "started_at": "2026-03-02T09:30:15.123456+00:00",
        "ended_at": "2026-03-02T09:58:15.123456+00:00",
        "time_limit_s": 1800,
        "meta": {"mode": "timed", "hints": ["users", "metrics"], "nested": {"a": [1, 2.5]}},
    }
    assert tables["loops"][0]["start_date"] == "2026-03-01"
    assert tables["loops"][0]["round_dates"] == {
        "product_sense": "2026-03-11T09:30:15.123456+00:00",
        "execution": None,
    }
    assert tables["settings"] == [
        {"key": "nothing", "value": None},
        {"key": "theme", "value": "dark"},
    ]
    told = {r["id"]: r for r in tables["story_tellings"]}
    assert told.pop(ids["telling"]) == {
        "id": ids["telling"],
        "story_id": ids["story"],
        "round_id": "product_sense",
        "loop_id": ids["loop"],
        "told_on": "2026-03-02",
        "text": TOLD,
        "words": 8,
        "created_at": "2026-03-02T09:30:15.123456+00:00",
    }
    [(silent_id, silent)] = told.items()
    assert silent == {
        "id": silent_id,
        "story_id": ids["story"],
        "round_id": "technical_depth",
        "loop_id": None,
        "told_on": "2026-03-03",
        "text": None,
        "words": None,
        "created_at": silent["created_at"],
    }
    assert all("user_id" not in row for rows in tables.values() for row in rows)
    json.dumps(document)  # it is plain JSON


def test_import_into_an_empty_database_restores_everything(
    db: Database, other_db: Database, tmp_path: Path
) -> None:
    populate(db)
    path = tmp_path / "backup.json"
    write_export(db, path)
    summary = import_data(other_db, json.loads(path.read_text("utf-8")), name=str(path))
    assert summary.total_added == sum(count_rows_of(db).values())
    assert summary.total_updated == 0
    assert other_db.user_id != db.user_id
    assert dump(other_db) == dump(db)
    # The restored rows are real rows: the helpers work on them.
    with other_db.session() as s:
        loop = s.scalars(sa.select(Loop)).one()
        assert loop.user_id == other_db.user_id
        assert loop.start_date == date(2026, 3, 1)
        assert loop.created_at.tzinfo is UTC


def count_rows_of(db: Database) -> dict[str, int]:
    with db.read_session() as s:
        return count_rows(s, db.user_id)


def test_importing_twice_changes_nothing(db: Database, other_db: Database) -> None:
    populate(db)
    document = export_data(db)
    import_data(other_db, document)
    first = dump(other_db)
    summary = import_data(other_db, document)
    assert (summary.total_added, summary.total_updated) == (0, sum(count_rows_of(db).values()))
    assert dump(other_db) == first


def test_import_merges_by_id(db: Database) -> None:
    ids = populate(db)
    document = export_data(db)
    # After the backup: one answer changes, one new loop appears.
    autosave_turn(db, ids["session"], 0, "Changed after the backup")
    with db.session() as s:
        newer = create_loop(s, db.user_id, pack_id="other", title="Newer loop")
    summary = import_data(db, document)
    assert summary.total_added == 0
    turns = {r["id"]: r for r in dump(db)["turns"]}
    assert turns[ids["turn"]]["text"] == "Final answer: users, metrics, trade-offs."
    assert {r["id"] for r in dump(db)["loops"]} == {ids["loop"], newer.id}


def test_replace_makes_the_database_match_the_file(db: Database) -> None:
    populate(db)
    document = export_data(db)
    with db.session() as s:
        create_loop(s, db.user_id, pack_id="other", title="Newer loop")
    before = sum(count_rows_of(db).values())
    summary = import_data(db, document, replace=True)
    assert summary.deleted == before
    assert summary.total_added == before - 1
    assert dump(db) == document["tables"]


@pytest.mark.postgres
def test_import_from_sqlite_into_postgresql(tmp_path: Path) -> None:
    with pg.fresh_database(pg.server_url()) as target_url:
        with open_db(f"sqlite:///{tmp_path / 'source.db'}") as source:
            populate(source)
            document = export_data(source)
            expected = dump(source)
        with open_db(target_url) as target:
            import_data(target, json.loads(json.dumps(document)))
            assert dump(target) == expected


def legacy_document(document: dict[str, Any]) -> dict[str, Any]:
    """*document* as schema revision 0001 wrote it: each story's tellings in a settings row."""
    old = copy.deepcopy(document)
    old["schema_revision"] = "0001"
    rows = sorted(old["tables"].pop("story_tellings"), key=lambda r: (r["told_on"], r["id"]))
    by_story: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_story.setdefault(row["story_id"], []).append(
            {
                "id": row["id"],
                "round_id": row["round_id"],
                "told_on": row["told_on"],
                "recorded_at": row["created_at"],
                "loop_id": row["loop_id"],
                "text": row["text"] or "",
            }
        )
    old["tables"]["settings"] += [
        {"key": f"story_tellings:{story_id}", "value": value}
        for story_id, value in by_story.items()
    ]
    return old


def test_an_export_from_schema_0001_brings_its_tellings_into_the_table(
    db: Database, other_db: Database
) -> None:
    ids = populate(db)
    document = export_data(db)
    old = legacy_document(document)
    assert "story_tellings" not in old["tables"]
    # A telling of a loop deleted before the export, and two rows that cannot move: one
    # cannot be read (no id), the other names a story that is not in the file.
    tables = old["tables"]
    tables["settings"][-1]["value"].append(
        {
            "id": "t-old",
            "round_id": "execution",
            "told_on": "2026-02-27",
            "recorded_at": "2026-02-27T18:00:00",  # written without a zone: UTC
            "loop_id": "deleted-loop",
        }
    )
    tables["stories"].append({**tables["stories"][0], "id": "second-story", "title": "Second"})
    stuck = [
        {"key": "story_tellings:second-story", "value": [{"round_id": "execution"}]},
        {"key": "story_tellings:not-in-the-file", "value": []},
    ]
    tables["settings"] += stuck

    summary = import_data(other_db, json.loads(json.dumps(old)), name="old.json")
    assert summary.added["story_tellings"] == 3
    restored = dump(other_db)
    assert restored["story_tellings"] == sorted(
        [
            *document["tables"]["story_tellings"],
            {
                "id": "t-old",
                "story_id": ids["story"],
                "round_id": "execution",
                "loop_id": None,
                "told_on": "2026-02-27",
                "text": None,
                "words": None,
                "created_at": "2026-02-27T18:00:00+00:00",
            },
        ],
        key=lambda row: row["id"],
    )
    assert restored["settings"] == sorted(
        document["tables"]["settings"] + stuck, key=lambda row: row["key"]
    )
    # The same old file again changes nothing.
    again = import_data(other_db, old, name="old.json")
    assert (again.total_added, dump(other_db)) == (0, restored)


# --- the stored grade ---------------------------------------------------------------------

GRADED_ANSWER = (
    "I would start with lapsed players. We launch to everyone with no test. "
    "Legal can review after launch. Metrics: CTR, NDCG, recall."
)


def full_grade() -> GradeResult:
    """A grade with every field the grader fills, offsets and typed delivery included."""
    from loopready.grading.delivery import measure
    from loopready.speech.delivery import measure_speech
    from loopready.speech.timing import WordTiming

    def at(quote: str) -> tuple[int, int]:
        start = GRADED_ANSWER.index(quote)
        return start, start + len(quote)

    scope, launch, legal = (
        "I would start with lapsed players.",
        "We launch to everyone with no test.",
        "Legal can review after launch.",
    )
    timings = [
        WordTiming(word=w, start=i * 0.4, end=i * 0.4 + 0.3)
        for i, w in enumerate(GRADED_ANSWER.split())
    ]
    measured = measure(GRADED_ANSWER, [scope, launch, legal, "Metrics: CTR, NDCG, recall."], 8)
    speech = measure_speech(timings, 480)
    delivery = GradeDelivery.model_validate(
        {**measured.model_dump(), "speech": speech, "notes": [*measured.notes, *speech.notes]}
    )
    return GradeResult(
        id="answer-1",
        round="product_sense",
        question="ps_psn_recommendations",
        score=38.5,
        criteria=[
            CriterionScore(
                id="scope",
                name="Scope and users",
                score=3,
                weight=1.5,
                evidence=[scope, "lapsed players, paraphrased"],
                evidence_spans=[at(scope), None],
                advice="Say what is out of scope.",
            ),
            CriterionScore(
                id="influence", name="Influence", score=0, status="not_asked", advice=""
            ),
        ],
        blind_spots=[
            BlindSpotHit(
                id="metric_dump", name="Metric dump", evidence="Metrics: CTR, NDCG, recall.",
                better="Pick two.", start=GRADED_ANSWER.index("Metrics"), end=len(GRADED_ANSWER),
            )
        ],
        delivery=delivery,
        reference_coverage=ReferenceCoverage(
            coverage=0.5,
            score=50,
            covered=[
                CoveredPoint(point="Audience", evidence=scope, similarity=0.71, start=0, end=34)
            ],
            missing=["Guardrail"],
        ),
        message="Red flags cap the score.",
        grader="loopready-local 2.0",
        elapsed_ms=41.3,
        key_points=[
            KeyPointResult(text="Audience", covered=True, evidence=scope, start=0, end=34),
            KeyPointResult(text="Guardrail", covered=False),
        ],
        red_flags=[
            RedFlagHit(
                id="launch_without_experiment", name="No experiment", evidence=launch,
                start=at(launch)[0], end=at(launch)[1], why="No holdout.", better="A/B first.",
            ),
            RedFlagHit(
                id="review_after_launch", name="Review after launch", evidence=legal,
                start=at(legal)[0], end=at(legal)[1], why="Too late.", better="Review first.",
            ),
        ],
        off_topic=False,
    )  # fmt: skip


def keep_grade(db: Database, result: GradeResult) -> str:
    """A finished session whose answer is GRADED_ANSWER, graded with *result*."""
    with db.session() as s:
        rs = create_session(
            s, db.user_id, pack_id="sony-ai-pm-2026", round_id="product_sense",
            prompt_id="ps_psn_recommendations",
        )  # fmt: skip
    autosave_turn(db, rs.id, 0, GRADED_ANSWER)
    with db.session() as s:
        save_grade(
            s, db.user_id, round_id="product_sense", score=result.score,
            result=result.to_json_dict(), grader=result.grader, session_id=rs.id,
        )  # fmt: skip
        end_session(s, db.user_id, rs.id)
    return str(rs.id)


def stored_grade(db: Database, session_id: str) -> GradeResult:
    with db.read_session() as s:
        row = final_grades(s, db.user_id, [session_id])[session_id]
        return GradeResult.model_validate(row.result)


def test_export_and_import_carry_the_full_grade(db: Database, other_db: Database) -> None:
    graded = full_grade()
    session_id = keep_grade(db, graded)
    assert stored_grade(db, session_id) == graded
    document = json.loads(json.dumps(export_data(db)))
    import_data(other_db, document)
    restored = stored_grade(other_db, session_id)
    assert restored == graded
    assert restored.delivery is not None and restored.delivery.speech is not None
    for c in restored.criteria:
        for quote, span in zip(c.evidence, c.evidence_spans, strict=True):
            assert span is None or GRADED_ANSWER[span[0] : span[1]] == quote
    for flag in restored.red_flags:
        assert GRADED_ANSWER[flag.start : flag.end] == flag.evidence


def test_an_export_from_before_0004_gets_its_grades_offsets(
    db: Database, other_db: Database
) -> None:
    graded = full_grade()
    keep_grade(db, graded)
    document = export_data(db)
    old = copy.deepcopy(document)
    old["schema_revision"] = "0003"
    (row,) = old["tables"]["grades"]
    # As 0003 stored it: no offsets but the red flags', a [0, 0] placeholder for a paraphrase.
    for criterion in row["result"]["criteria"]:
        criterion["evidence_spans"] = [[0, 0]] * len(criterion["evidence"])
    for item in [*row["result"]["blind_spots"], *row["result"]["key_points"]]:
        item.pop("start", None)
        item.pop("end", None)
    import_data(other_db, json.loads(json.dumps(old)), name="old.json")
    (imported,) = dump(other_db)["grades"]
    assert imported["result"] == document["tables"]["grades"][0]["result"]


# --- bad files --------------------------------------------------------------------------

HINT = "Import a file written by `loopready export`."
AGAIN = "Export again with `loopready export`."


def mutate(change: Callable[[dict[str, Any]], object]) -> Callable[[dict[str, Any]], Any]:
    def apply(document: dict[str, Any]) -> Any:
        changed = copy.deepcopy(document)
        change(changed)
        return changed

    return apply


def _set(table: str, index: int, column: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        document["tables"][table][index][column] = value

    return change


def _drop(table: str, index: int, column: str) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        del document["tables"][table][index][column]

    return change


def _duplicate_story(document: dict[str, Any]) -> None:
    document["tables"]["stories"].append(dict(document["tables"]["stories"][0]))


BAD_DOCUMENTS: list[tuple[str, Callable[[dict[str, Any]], Any], str]] = [
    (
        "array",
        lambda d: [d],
        f'F is not a loopready export: it has no "format": "{FORMAT}" field. {HINT}',
    ),
    (
        "wrong-format",
        mutate(lambda d: d.update(format="something-else")),
        f'F is not a loopready export: it has no "format": "{FORMAT}" field. {HINT}',
    ),
    (
        "version",
        mutate(lambda d: d.update(format_version=2)),
        "F uses export format version 2, but this loopready reads version 1. "
        "Upgrade loopready, or export again with this one.",
    ),
    (
        "no-version",
        mutate(lambda d: d.pop("format_version")),
        "F uses export format version None, but this loopready reads version 1. "
        "Upgrade loopready, or export again with this one.",
    ),
    (
        "no-tables",
        mutate(lambda d: d.pop("tables")),
        f'F has no "tables" object, so it holds no data. {HINT}',
    ),
    (
        "missing-table",
        mutate(lambda d: d["tables"].pop("stories")),
        f"F is incomplete: it has no stories table. {AGAIN}",
    ),
    (
        "missing-tables",
        mutate(lambda d: [d["tables"].pop(t) for t in ("plans", "settings")]),
        f"F is incomplete: it has no plans, settings tables. {AGAIN}",
    ),
    (
        "missing-tellings-table",
        mutate(lambda d: d["tables"].pop("story_tellings")),
        f"F is incomplete: it has no story_tellings table. {AGAIN}",
    ),
    (
        "unknown-table",
        mutate(lambda d: d["tables"].update(widgets=[])),
        "F has tables this loopready does not know: widgets. Upgrade loopready to import it.",
    ),
    (
        "rows-not-a-list",
        mutate(lambda d: d["tables"].update(offers={})),
        "F: tables.offers: expected a list of rows.",
    ),
    (
        "row-not-an-object",
        mutate(lambda d: d["tables"]["briefs"].append("brief")),
        "F: tables.briefs[1]: expected an object with one field per column.",
    ),
    (
        "bad-date",
        mutate(_set("loops", 0, "start_date", "soon")),
        "F: tables.loops[0].start_date: expected a date like 2026-03-01, got 'soon'.",
    ),
    (
        "date-not-text",
        mutate(_set("story_tellings", 0, "told_on", 20260302)),
        "F: tables.story_tellings[0].told_on: expected a date like 2026-03-01, got 20260302.",
    ),
    (
        "bad-datetime",
        mutate(_set("grades", 1, "created_at", 1700000000)),
        "F: tables.grades[1].created_at: expected a date and time like "
        "2026-03-01T09:30:00+00:00, got 1700000000.",
    ),
    (
        "naive-datetime",
        mutate(_set("drill_cards", 0, "due", "2026-03-02T09:30:15")),
        "F: tables.drill_cards[0].due: '2026-03-02T09:30:15' has no time zone; add one, "
        "e.g. +00:00.",
    ),
    (
        "unknown-column",
        mutate(_set("loops", 0, "colour", "blue")),
        "F: tables.loops[0]: unknown column 'colour'.",
    ),
    (
        "missing-column",
        mutate(_drop("loops", 0, "title")),
        "F: tables.loops[0]: missing column 'title'.",
    ),
    ("missing-id", mutate(_drop("offers", 0, "id")), "F: tables.offers[0]: missing column 'id'."),
    (
        "null",
        mutate(_set("loops", 0, "title", None)),
        "F: tables.loops[0].title: must have a value, not null.",
    ),
    (
        "not-a-number",
        mutate(_set("turns", 0, "seq", "0")),
        "F: tables.turns[0].seq: expected a whole number, got '0'.",
    ),
    (
        "bool-score",
        mutate(_set("grades", 0, "score", True)),
        "F: tables.grades[0].score: expected a number, got True.",
    ),
    (
        "not-text",
        mutate(_set("stories", 0, "title", ["a"])),
        "F: tables.stories[0].title: expected text, got ['a'].",
    ),
    (
        "too-long",
        mutate(_set("loops", 0, "status", "x" * 21)),
        "F: tables.loops[0].status: is 21 characters long; at most 20 fit.",
    ),
    (
        "duplicate",
        mutate(_duplicate_story),
        "F: tables.stories[1]: id {story} appears twice.",
    ),
    (
        "dangling",
        mutate(_set("turns", 1, "session_id", "no-such-session")),
        "F: tables.turns[1].session_id: refers to round_sessions row 'no-such-session', which "
        f"is neither in the file nor in your data. {AGAIN}",
    ),
    (
        "dangling-telling",
        mutate(_set("story_tellings", 1, "story_id", "no-such-story")),
        "F: tables.story_tellings[1].story_id: refers to stories row 'no-such-story', which "
        f"is neither in the file nor in your data. {AGAIN}",
    ),
]


@pytest.fixture(scope="module")
def valid_document(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One full export, made once: the bad documents below are each a small change to it."""
    path = tmp_path_factory.mktemp("source") / "source.db"
    with open_db(f"sqlite:///{path}") as source:
        populate(source)
        return export_data(source)


@pytest.mark.parametrize(
    ("change", "message"),
    [pytest.param(change, message, id=name) for name, change, message in BAD_DOCUMENTS],
)
def test_a_bad_document_changes_nothing(
    db: Database,
    valid_document: dict[str, Any],
    change: Callable[[dict[str, Any]], Any],
    message: str,
) -> None:
    with db.session() as s:
        create_loop(s, db.user_id, pack_id="p", title="Already here")
    before = dump(db)
    with pytest.raises(InputError) as caught:
        import_data(db, change(valid_document), name="F")
    story = repr(valid_document["tables"]["stories"][0]["id"])
    assert str(caught.value) == message.format(story=story)
    assert dump(db) == before


def test_the_valid_document_imports(db: Database, valid_document: dict[str, Any]) -> None:
    # The counterpart of the bad documents: unchanged, the same file goes in.
    summary = import_data(db, valid_document, name="F")
    assert summary.total_added == sum(len(rows) for rows in valid_document["tables"].values())
    assert dump(db) == valid_document["tables"]


def test_rows_of_another_user_are_refused(db: Database) -> None:
    with open_db(url_of(db), user="alice") as alice:
        populate(alice)
        document = export_data(alice)
        loop_id = document["tables"]["loops"][0]["id"]
    before = dump(db)
    with pytest.raises(InputError) as caught:
        import_data(db, document, name="F")
    assert str(caught.value) == (
        f"F: tables.loops[0].id: {loop_id!r} belongs to another user of this database; "
        "nothing was imported."
    )
    assert dump(db) == before


def test_a_clash_found_while_writing_rolls_everything_back(db: Database) -> None:
    populate(db)
    document = export_data(db)
    # Same (kind, ref) as the existing card under another id: only the database can tell.
    card = document["tables"]["drill_cards"][0]
    document["tables"]["drill_reviews"][0]["card_id"] = card["id"] = "another-card"
    document["tables"]["loops"][0]["id"] = "fresh-loop"
    for table in ("round_sessions", "debriefs", "plans"):
        for row in document["tables"][table]:
            if row.get("loop_id"):
                row["loop_id"] = "fresh-loop"
    before = dump(db)
    with pytest.raises(InputError) as caught:
        import_data(db, document, name="F")
    message = str(caught.value)
    assert message.startswith("F does not fit the data already here (")
    assert message.endswith(
        "); nothing was imported. Import it with --replace, or into an empty database."
    )
    assert "drill_cards" in message
    assert dump(db) == before


# --- the CLI ----------------------------------------------------------------------------


def run(*args: str, input: str | bytes | None = None) -> Any:
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def summary_of(counts: dict[str, int]) -> str:
    return ", ".join(f"{t} {n}" for t, n in counts.items() if n)


def test_cli_export_writes_the_file(env_db: Database, tmp_path: Path) -> None:
    populate(env_db)
    (tmp_path / "out").mkdir()
    path = tmp_path / "out" / "backup.json"
    result = run("export", str(path))
    assert result.exit_code == 0, result.output
    counts = count_rows_of(env_db)
    assert result.stdout == (
        f"Exported {sum(counts.values())} rows to {path} ({summary_of(counts)}).\n"
    )
    document = json.loads(path.read_text("utf-8"))
    assert document["tables"] == dump(env_db)
    assert [p.name for p in path.parent.iterdir()] == ["backup.json"]  # no temporary left


def test_cli_export_refuses_to_overwrite_without_force(env_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "backup.json"
    path.write_text("precious", "utf-8")
    result = run("export", str(path))
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {path} already exists. Pass --force to overwrite it, or choose another "
        "file name.\n"
    )
    assert path.read_text("utf-8") == "precious"
    result = run("export", "--force", str(path))
    assert result.exit_code == 0
    assert json.loads(path.read_text("utf-8"))["format"] == FORMAT


def test_cli_export_to_standard_output(env_db: Database) -> None:
    populate(env_db)
    result = run("export", "-")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["tables"] == dump(env_db)
    counts = count_rows_of(env_db)
    assert result.stderr == (
        f"Exported {sum(counts.values())} rows to standard output ({summary_of(counts)}).\n"
    )


def test_cli_export_into_a_missing_folder(env_db: Database, tmp_path: Path) -> None:
    result = run("export", str(tmp_path / "nope" / "backup.json"))
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: Cannot write {tmp_path / 'nope' / 'backup.json'}: the folder "
        f"{tmp_path / 'nope'} does not exist.\n"
    )


def test_cli_import_restores_and_repeats_safely(
    db: Database, other_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    populate(db)
    path = tmp_path / "backup.json"
    write_export(db, path)
    total = sum(count_rows_of(db).values())
    monkeypatch.setenv("LOOPREADY_DATABASE_URL", url_of(other_db))
    result = run("import", str(path))
    assert (result.exit_code, result.stdout) == (
        0,
        f"Imported {path}: {total} rows added, 0 updated.\n",
    )
    result = run("import", str(path))
    assert (result.exit_code, result.stdout) == (
        0,
        f"Imported {path}: 0 rows added, {total} updated.\n",
    )
    assert dump(other_db) == dump(db)
    with other_db.session() as s:
        create_loop(s, other_db.user_id, pack_id="p", title="Extra")
    result = run("import", "--replace", str(path))
    assert (result.exit_code, result.stdout) == (
        0,
        f"Imported {path}: replaced {total + 1} rows with {total}.\n",
    )
    assert dump(other_db) == dump(db)


def test_cli_import_from_standard_input(env_db: Database, other_db: Database) -> None:
    populate(other_db)
    document = json.dumps(export_data(other_db))
    result = run("import", "-", input=document)
    total = sum(count_rows_of(other_db).values())
    assert (result.exit_code, result.stdout) == (
        0,
        f"Imported standard input: {total} rows added, 0 updated.\n",
    )
    assert dump(env_db) == dump(other_db)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (
            b"{not json",
            "is not a loopready export: it is not valid JSON (Expecting property name "
            f"enclosed in double quotes at line 1, column 2). {HINT}",
        ),
        (
            b"",
            "is not a loopready export: it is not valid JSON "
            f"(Expecting value at line 1, column 1). {HINT}",
        ),
        (b"\xff\xfe{}", f"is not a loopready export: it is not UTF-8 text. {HINT}"),
        (
            json.dumps({"format": FORMAT, "format_version": 1, "tables": {}}).encode(),
            f"is incomplete: it has no {', '.join(TABLES)} tables. {AGAIN}",
        ),
    ],
    ids=["not-json", "empty", "not-utf8", "no-tables"],
)
def test_cli_import_of_a_bad_file(
    env_db: Database, tmp_path: Path, content: bytes, problem: str
) -> None:
    populate(env_db)
    before = dump(env_db)
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    result = run("import", str(path))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"Error: {path} {problem}\n"
    assert dump(env_db) == before


def test_cli_import_of_a_missing_file(env_db: Database, tmp_path: Path) -> None:
    result = run("import", str(tmp_path / "nope.json"))
    assert result.exit_code == 2
    assert "nope.json' does not exist." in result.stderr


def test_cli_info(env_db: Database) -> None:
    populate(env_db)
    result = run("info")
    assert result.exit_code == 0, result.output
    counts = count_rows_of(env_db)
    rows = "".join(f"  {table:<14}  {n:>6}\n" for table, n in counts.items())
    assert result.stdout == (
        f"Data folder:      {settings.data_dir()}\n"
        f"Database:         {env_db.url}\n"
        f"Schema revision:  {head_revision()} (newest)\n"
        "User:             local\n"
        "Rows:\n" + rows
    )
    if env_db.dialect == "postgresql":
        assert ":***@" in result.stdout
        assert f":{env_db.engine.url.password}@" not in result.stdout


def test_cli_info_as_json(env_db: Database) -> None:
    result = run("info", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "data_folder": str(settings.data_dir()),
        "database": env_db.url,
        "schema_revision": head_revision(),
        "newest_revision": head_revision(),
        "user": "local",
        "rows": dict.fromkeys(TABLES, 0),
    }


def test_cli_info_migrates_a_new_database(loopready_home: Path) -> None:
    result = run("info")
    assert result.exit_code == 0
    assert f"Database:         sqlite:///{loopready_home / 'loopready.db'}\n" in result.stdout
    assert f"Schema revision:  {head_revision()} (newest)\n" in result.stdout


def test_cli_a_database_error_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOOPREADY_DATABASE_URL", "mysql://u@h/d")
    result = run("info")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: loopready stores data in SQLite or PostgreSQL, not 'mysql'. Set "
        "LOOPREADY_DATABASE_URL to sqlite:///PATH or postgresql://..., or unset it.\n"
    )


@pytest.mark.parametrize("command", ["export", "import", "info"])
def test_cli_help_ends_with_an_example(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert f"Example:\n\n      loopready {command}" in result.stdout


# -- user packs travel with the data ---------------------------------------------------------


def _install_user_pack(pack_id: str = "my-pack") -> str:
    import yaml

    from loopready import settings
    from loopready.packs.registry import builtin_dir

    data = yaml.safe_load((builtin_dir() / "sony-ai-pm-2026.yaml").read_text(encoding="utf-8"))
    data["id"], data["name"] = pack_id, "My own loop"
    folder = settings.user_packs_dir()
    folder.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    (folder / f"{pack_id}.yaml").write_text(text, encoding="utf-8")
    return text


def test_user_packs_are_exported_and_reinstalled_by_import(
    loopready_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from loopready.interview.loops import new_loop
    from loopready.packs import get_pack

    source = _install_user_pack()
    with open_db() as db:
        new_loop(db, get_pack("my-pack"))
        document = export_data(db)
    assert document["packs"] == [{"id": "my-pack", "yaml": source}]

    # A new computer: no packs, an empty database.
    other = tmp_path / "other-home"
    other.mkdir()
    monkeypatch.setenv("LOOPREADY_HOME", str(other))
    with open_db() as db:
        summary = import_data(db, document)
        assert summary.packs_installed == ["my-pack"]
        assert get_pack("my-pack").name == "My own loop"
        assert (other / "packs" / "my-pack.yaml").read_text(encoding="utf-8") == source
        # Importing again installs nothing and changes no pack file.
        (other / "packs" / "my-pack.yaml").write_text(
            source.replace("My own loop", "Edited here"), encoding="utf-8"
        )
        assert import_data(db, document).packs_installed == []
        assert get_pack("my-pack").name == "Edited here"


@pytest.mark.parametrize(
    ("packs", "message"),
    [
        ([{"id": "../../evil", "yaml": "id: x"}], "is not a pack id"),
        ([{"id": "my-pack", "yaml": "not: a pack"}], "not a valid pack"),
        ("everything", "must be a list"),
    ],
)
def test_a_bad_pack_in_the_file_stops_the_import(
    loopready_home: Path, packs: Any, message: str
) -> None:
    with open_db() as db:
        document = export_data(db)
        document["packs"] = packs
        with pytest.raises(InputError, match=message):
            import_data(db, document)
    assert not (loopready_home / "packs").exists()
