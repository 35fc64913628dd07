"""The story bank: stories, tellings, freshness per loop, suggestions and number drift."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import delete, select

from loopready.cli import cli
from loopready.errors import InputError, NotFound
from loopready.packs import get_pack
from loopready.packs.schema import Pack
from loopready.prep.drift import answer_drift, describe_drift, story_claims, story_drift
from loopready.prep.drills import sync_cards
from loopready.prep.freshness import (
    LoopContext,
    freshness,
    freshness_label,
    loop_context,
    rounds_told_in,
    suggest_stories,
)
from loopready.prep.stories import (
    StoryFields,
    create_story,
    delete_story,
    format_story_text,
    get_story,
    list_stories,
    parse_story_text,
    remove_telling,
    tell_story,
    update_story,
)
from loopready.store import (
    Database,
    DrillCard,
    Loop,
    Setting,
    Story,
    StoryTelling,
    create_loop,
    export_data,
    import_data,
    open_db,
)

SONY = "sony-ai-pm-2026"
LOOP = ("recruiter_screen", "product_sense", "technical_depth", "stakeholder_simulation")
T0 = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)

CHURN = {
    "title": "Cutting churn at Aurora",
    "situation": "Aurora, our subscription app, had 2 million users and churn was climbing.",
    "task": "I owned retention with a team of 8 engineers.",
    "action": "I shipped a churn model and a pause option, and ran an A/B test.",
    "result": "Churn fell 12% in one quarter and we kept $3M in annual revenue.",
}


@pytest.fixture
def db() -> Iterator[Database]:
    with open_db() as database:
        yield database


@pytest.fixture
def pack() -> Pack:
    return get_pack(SONY)


def churn(db: Database, pack: Pack, **extra: object) -> str:
    story = create_story(db, **CHURN, pack=pack, **extra)  # type: ignore[arg-type]
    return story.id


# --- the bank -----------------------------------------------------------------------------


def test_create_normalises_tags_and_reads_back(db: Database, pack: Pack) -> None:
    story = create_story(
        db,
        **CHURN,
        competencies=["Success metrics", "experimentation, stakeholder-framing", "success_metrics"],
        rounds=["product_sense, technical_depth"],
        pack=pack,
    )
    assert story.competencies == ("success_metrics", "experimentation", "stakeholder_framing")
    assert story.rounds == ("product_sense", "technical_depth")
    assert get_story(db, story.id) == story
    assert get_story(db, story.id[:6]) == story  # a prefix will do
    assert get_story(db, "cutting CHURN at aurora") == story  # so will the title
    with db.read_session() as s:
        row = s.get(Story, story.id)
        assert row is not None
        assert row.tags == [
            "success_metrics",
            "experimentation",
            "stakeholder_framing",
            "round:product_sense",
            "round:technical_depth",
        ]
    assert story.text.splitlines()[0] == "Cutting churn at Aurora"
    assert "Situation" not in story.text  # no labels for the claim extractor to misread


def test_bad_story_input_is_refused(db: Database, pack: Pack) -> None:
    with pytest.raises(InputError, match="A story needs a title"):
        create_story(db, title="   ")
    with pytest.raises(InputError, match=r"sony-ai-pm-2026 has no round 'sales_pitch'; rounds: "):
        create_story(db, title="T", rounds=["sales_pitch"], pack=pack)
    with pytest.raises(InputError, match="give rounds with --round"):
        create_story(db, title="T", competencies=["round:product_sense"], pack=pack)
    with pytest.raises(InputError, match="limit is 10,000"):
        create_story(db, title="T", result="x" * 10_001)
    assert list_stories(db) == []
    with pytest.raises(NotFound, match="No story 'nothing'"):
        get_story(db, "nothing")


def test_update_changes_only_what_is_given(db: Database, pack: Pack) -> None:
    story_id = churn(db, pack, competencies=["experimentation"], rounds=["product_sense"])
    updated = update_story(db, story_id, StoryFields(result="Churn fell 12%."), pack=pack)
    assert updated.result == "Churn fell 12%." and updated.task == CHURN["task"]
    assert updated.competencies == ("experimentation",) and updated.rounds == ("product_sense",)
    updated = update_story(db, story_id, StoryFields(rounds=["technical_depth"]), pack=pack)
    assert updated.rounds == ("technical_depth",) and updated.competencies == ("experimentation",)
    updated = update_story(db, story_id, StoryFields(competencies=[""]), pack=pack)
    assert updated.competencies == ()


def test_list_filters_by_competency_and_round(db: Database, pack: Pack) -> None:
    a = create_story(db, title="A", competencies=["experimentation"], pack=pack)
    b = create_story(db, title="B", rounds=["product_sense"], pack=pack)
    assert [s.id for s in list_stories(db)] == [a.id, b.id]
    assert [s.id for s in list_stories(db, competency="Experimentation")] == [a.id]
    assert [s.id for s in list_stories(db, round_id="product_sense")] == [b.id]


def test_tellings_are_kept_with_the_story_and_can_be_taken_back(db: Database, pack: Pack) -> None:
    story_id = churn(db, pack)
    story, first = tell_story(
        db, story_id, "product_sense", text="I led 8 engineers.", told_on=date(2026, 6, 2), now=T0
    )
    story, second = tell_story(db, story_id, "technical_depth", told_on=date(2026, 6, 1), now=T0)
    story, _third = tell_story(db, story_id, "product_sense", told_on=date(2026, 6, 5), now=T0)
    assert [t.round_id for t in story.tellings] == [
        "technical_depth",
        "product_sense",
        "product_sense",
    ]  # in the order told, not recorded
    assert story.rounds_told == ("technical_depth", "product_sense")
    assert get_story(db, story_id).tellings[1].text == "I led 8 engineers."
    with db.read_session() as s:
        row = s.get(Story, story_id)
        assert row is not None and row.rounds_told == ["technical_depth", "product_sense"]

    story, gone = remove_telling(db, story_id, second.id[:8])
    assert gone == second
    assert story.rounds_told == ("product_sense",)
    assert get_story(db, story_id).tellings == story.tellings
    with pytest.raises(NotFound, match="has no telling 'ffffffff'"):
        remove_telling(db, story_id, "ffffffff")
    with pytest.raises(InputError, match="has no round 'lunch'"):
        tell_story(db, story_id, "lunch", pack=pack)
    assert first in get_story(db, story_id).tellings


def test_delete_takes_the_tellings_and_the_drill_card_with_it(db: Database, pack: Pack) -> None:
    story_id = churn(db, pack)
    keep = create_story(db, title="Other story")
    tell_story(db, story_id, "product_sense", text="I led 8 engineers.")
    tell_story(db, keep.id, "product_sense")
    sync_cards(db, pack, T0)
    deleted = delete_story(db, story_id[:6])
    assert deleted.id == story_id and len(deleted.tellings) == 1
    with db.read_session() as s:
        assert s.get(Story, story_id) is None
        told = list(s.scalars(select(StoryTelling.story_id)))
        assert told == [keep.id]
        story_cards = list(s.scalars(select(DrillCard.ref).where(DrillCard.kind == "story")))
        assert story_cards == [keep.id]
    assert [s.id for s in list_stories(db)] == [keep.id]


def test_export_and_import_carry_the_tellings(db: Database, pack: Pack, tmp_path: Path) -> None:
    story_id = churn(db, pack)
    tell_story(db, story_id, "product_sense", text="I led 8 engineers.", told_on=date(2026, 6, 2))
    document = export_data(db)
    with open_db(f"sqlite:///{tmp_path / 'other.db'}") as other:
        import_data(other, document)
        copied = get_story(other, story_id)
    assert copied == get_story(db, story_id)
    assert copied.tellings[0].text == "I led 8 engineers."


# --- parsing a story file -------------------------------------------------------------------


def test_story_text_sections_run_over_lines_and_round_trip(db: Database, pack: Pack) -> None:
    text = (
        "Title: Cutting churn\n"
        "Situation: Aurora had 2 million users.\n"
        "It was losing them.\n"
        "task: I owned retention.\n"
        "Action: I shipped a model.\n"
        "Note: the model ran weekly.\n"  # not a heading: stays in the action
        "Result: Churn fell 12%.\n"
        "Tags: experimentation, success metrics\n"
        "Rounds: product_sense\n"
    )
    fields = parse_story_text(text)
    assert fields.title == "Cutting churn"
    assert fields.situation == "Aurora had 2 million users.\nIt was losing them."
    assert fields.task == "I owned retention."
    assert fields.action == "I shipped a model.\nNote: the model ran weekly."
    assert fields.competencies == ["experimentation, success metrics"]
    assert fields.rounds == ["product_sense"]
    story = create_story(
        db,
        title=fields.title or "",
        situation=fields.situation or "",
        task=fields.task or "",
        action=fields.action or "",
        result=fields.result or "",
        competencies=fields.competencies,
        rounds=fields.rounds,
        pack=pack,
    )
    again = parse_story_text(format_story_text(story))
    assert again.situation == story.situation and again.result == story.result
    assert again.competencies == ["experimentation, success_metrics"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Cutting churn\nSituation: x", "line 1: text before the first section"),
        ("Title: a\nTitle: b", "line 2: a second 'Title' section"),
        ("", "has no sections"),
    ],
)
def test_story_text_errors_name_the_line(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_story_text(text, "churn.txt")


# --- freshness ------------------------------------------------------------------------------


def test_freshness_falls_with_each_distinct_round_of_the_loop(db: Database, pack: Pack) -> None:
    story_id = churn(db, pack)
    loop = loop_context(db, pack)  # no active loop: every telling counts
    assert loop.loop_id is None and loop.stale_at == 3  # five rounds: stale after three
    assert freshness(get_story(db, story_id), loop) == 1.0
    tell_story(db, story_id, "product_sense")
    tell_story(db, story_id, "product_sense")  # the same round again is still one round
    story = get_story(db, story_id)
    assert freshness(story, loop) == pytest.approx(2 / 3)
    assert freshness_label(freshness(story, loop)) == "used"
    tell_story(db, story_id, "technical_depth")
    assert freshness(get_story(db, story_id), loop) == pytest.approx(1 / 3)
    tell_story(db, story_id, "stakeholder_simulation")
    story = get_story(db, story_id)
    assert freshness(story, loop) == 0.0 and freshness_label(0.0) == "stale"
    tell_story(db, story_id, "hiring_committee")
    assert freshness(get_story(db, story_id), loop) == 0.0  # never below zero


@pytest.mark.parametrize(("rounds", "stale_at"), [(5, 3), (4, 3), (3, 2), (2, 2), (1, 1)])
def test_a_story_is_stale_after_more_than_half_the_rounds(rounds: int, stale_at: int) -> None:
    assert LoopContext(tuple(f"r{n}" for n in range(rounds))).stale_at == stale_at


def test_only_the_current_loops_tellings_count(db: Database, pack: Pack) -> None:
    story_id = churn(db, pack)
    with db.session() as s:
        old = create_loop(s, db.user_id, pack_id=SONY, title="Spring", start_date=date(2026, 3, 1))
        old.status = "abandoned"
        old_id = old.id
        new = create_loop(s, db.user_id, pack_id=SONY, title="Summer", start_date=date(2026, 6, 1))
        new_id = new.id
    loop = loop_context(db, pack)
    assert (loop.loop_id, loop.since) == (new_id, date(2026, 6, 1))
    tell_story(db, story_id, "product_sense", loop_id=old_id, told_on=date(2026, 3, 9))
    tell_story(db, story_id, "technical_depth", told_on=date(2026, 5, 30))  # before this loop
    assert freshness(get_story(db, story_id), loop) == 1.0
    tell_story(db, story_id, "technical_depth", told_on=date(2026, 6, 3))  # no loop, but after
    tell_story(db, story_id, "stakeholder_simulation", loop_id=new_id)
    story = get_story(db, story_id)
    assert rounds_told_in(story, loop) == ["technical_depth", "stakeholder_simulation"]
    assert freshness(story, loop) == pytest.approx(1 / 3)
    assert freshness(story, LoopContext(loop.round_ids)) == 0.0  # all history: stale


def test_suggestions_put_fitting_fresh_stories_first(db: Database, pack: Pack) -> None:
    stale = create_story(db, title="Stale", rounds=["technical_depth"], pack=pack)
    for round_id in LOOP[:3]:
        tell_story(db, stale.id, round_id)
    used = create_story(db, title="Used", competencies=["drift_detection"], pack=pack)
    tell_story(db, used.id, "product_sense")
    fresh = create_story(db, title="Fresh", competencies=["Experimentation"], pack=pack)
    untagged = create_story(db, title="Untagged", pack=pack)
    elsewhere = create_story(db, title="Elsewhere", rounds=["product_sense"], pack=pack)
    loop = loop_context(db, pack)
    picks = suggest_stories(list_stories(db), pack, "technical_depth", loop)
    assert [p.story.title for p in picks] == ["Fresh", "Used", "Stale", "Elsewhere", "Untagged"]
    assert picks[0].matched == ("experimentation",) and picks[0].freshness == 1.0
    assert picks[2].matched == ("round:technical_depth",) and picks[2].told_here
    assert not picks[3].fits and not picks[4].fits
    assert picks[0].reason() == "tagged experimentation; fresh (1.00)"
    assert picks[2].reason() == (
        "tagged round:technical_depth; stale (0.00); already told in this round"
    )
    # With no story tagged for the round, the untagged ones are still suggested, freshest first.
    few = suggest_stories([untagged, elsewhere], pack, "technical_depth", loop)
    assert [p.story.title for p in few] == ["Elsewhere", "Untagged"]
    assert [
        p.story.id
        for p in suggest_stories(list_stories(db), pack, "technical_depth", loop, limit=2)
    ] == [fresh.id, used.id]


# --- drift ----------------------------------------------------------------------------------


def test_drift_between_tellings_is_reported_with_quotes(db: Database, pack: Pack) -> None:
    story_id = churn(db, pack)
    assert [c.describe() for c in story_claims(get_story(db, story_id))] == [
        "users (Aurora): 2,000,000",
        "team size: 8",
        "churn: 12%",
        "revenue: $3,000,000",
    ]
    _story, first = tell_story(
        db,
        story_id,
        "product_sense",
        text="At Aurora I led a team of 8 engineers. Churn fell 12% and we kept about $3M.",
        told_on=date(2026, 6, 2),
    )
    assert story_drift(get_story(db, story_id)) == []  # same numbers, "about" allowed
    _story, second = tell_story(
        db,
        story_id,
        "technical_depth",
        text="We were a team of 12 engineers. Churn dropped 20% in a quarter. "
        "Next year I would target a 30% cut.",
        told_on=date(2026, 6, 9),
    )
    story = get_story(db, story_id)
    found = {item.subject: item for item in story_drift(story)}
    assert set(found) == {"team size", "churn"}  # the plan for next year is no claim
    team = found["team size"]
    assert {(c.source, c.value) for c in team.claims} == {
        ("story", 8.0),
        (first.id, 8.0),
        (second.id, 12.0),
    }
    assert describe_drift(story, found["churn"]) == [
        'the story bank: churn: 12% - "Churn fell 12% in one quarter and we kept $3M in '
        'annual revenue."',
        'product_sense on 2026-06-02: churn: 12% - "Churn fell 12% and we kept about $3M."',
        'technical_depth on 2026-06-09: churn: 20% - "Churn dropped 20% in a quarter."',
    ]


def test_answer_drift_compares_an_answer_with_the_story(db: Database, pack: Pack) -> None:
    story = get_story(db, churn(db, pack))
    assert answer_drift(story, "We had 8 engineers and churn fell 12%.") == []
    found = answer_drift(story, "With 8 engineers we cut churn by 15%.")
    assert [(i.subject, sorted(c.value for c in i.claims)) for i in found] == [
        ("churn", [12.0, 15.0])
    ]


# --- CLI ------------------------------------------------------------------------------------


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def story_file(tmp_path: Path) -> Path:
    path = tmp_path / "churn.txt"
    path.write_text(
        "Title: {title}\nSituation: {situation}\nTask: {task}\nAction: {action}\n"
        "Result: {result}\nCompetencies: success metrics\nRounds: product_sense\n".format(**CHURN),
        encoding="utf-8",
    )
    return path


def test_cli_add_from_file_list_and_show(tmp_path: Path) -> None:
    code, out, err = run("stories", "add", "--file", str(story_file(tmp_path)))
    assert code == 0, err
    assert out.startswith("Added story ") and out.strip().endswith(": Cutting churn at Aurora")
    code, out, _ = run("stories", "list", "--json")
    rows = json.loads(out)
    assert len(rows) == 1
    row = rows[0]
    assert row["competencies"] == ["success_metrics"] and row["rounds"] == ["product_sense"]
    assert (row["freshness"], row["freshness_label"]) == (1.0, "fresh")
    code, out, _ = run("stories", "list")
    assert code == 0 and "Cutting" in out and "fresh 1.00" in out
    code, out, _ = run("stories", "show", row["id"][:6])
    assert code == 0 and "team size: 8" in out and "Not told yet." in out


def test_cli_add_with_options_and_by_answering_questions() -> None:
    code, out, err = run("stories", "add", "--title", "Launch", "--result", "Shipped on time")
    assert code == 0, err
    assert "No numbers found in it." in out and "Tag it so it is suggested" in out
    answers = "Pricing test\n\n\n\nConversion rose 4%.\nexperimentation\nproduct_sense\n"
    code, out, err = run("stories", "add", stdin=answers)
    assert code == 0, err
    stories = json.loads(run("stories", "list", "--json")[1])
    added = stories[1]
    assert (added["title"], added["result"]) == ("Pricing test", "Conversion rose 4%.")
    assert added["competencies"] == ["experimentation"] and added["rounds"] == ["product_sense"]


def test_cli_tell_reports_freshness_and_drift(tmp_path: Path) -> None:
    run("stories", "add", "--file", str(story_file(tmp_path)))
    said = tmp_path / "said.txt"
    said.write_text("We were a team of 12 engineers and churn fell 12%.", encoding="utf-8")
    code, out, err = run(
        "stories", "tell", "Cutting churn at Aurora", "technical_depth", "--text-file", str(said)
    )
    assert code == 0, err
    assert "told in technical_depth on" in out and "Freshness this loop: used 0.67" in out
    assert "Numbers drift on team size:" in out
    assert 'the story bank: team size: 8 - "I owned retention with a team of 8 engineers."' in out
    code, _, err = run("stories", "tell", "Cutting churn at Aurora", "product_sense", "--on", "x")
    assert code == 2 and err.startswith("Error: --on: 'x' is not a date.")

    code, out, _ = run("stories", "check")
    assert code == 1 and "Numbers drift on team size" in out
    code, out, _ = run("stories", "check", "--json")
    data = json.loads(out)
    assert code == 1 and data[0]["drift"][0]["subject"] == "team size"
    assert {c["label"] for c in data[0]["drift"][0]["claims"]} >= {"the story bank"}

    story = json.loads(run("stories", "show", "Cutting churn at Aurora", "--json")[1])
    telling_id = story["tellings"][0]["id"]
    code, out, _ = run("stories", "untell", story["id"][:8], telling_id[:8])
    assert code == 0 and out.startswith("Removed the telling of Cutting churn at Aurora")
    code, out, _ = run("stories", "check")
    assert code == 0 and "No drift." in out


def test_cli_suggest_edit_delete(tmp_path: Path) -> None:
    run("stories", "add", "--file", str(story_file(tmp_path)))
    run("stories", "add", "--title", "Camera drift", "--tag", "drift_detection")
    code, out, _ = run("stories", "suggest", "technical_depth")
    assert code == 0
    assert out.splitlines()[0] == "Stories for Technical depth interview"
    assert "1. Camera drift" in out and "tagged drift_detection; fresh (1.00)" in out
    picks = json.loads(run("stories", "suggest", "product_sense", "--json")[1])
    assert [p["title"] for p in picks] == ["Cutting churn at Aurora", "Camera drift"]

    code, out, err = run("stories", "edit", "Camera drift", "--round", "technical_depth")
    assert code == 0, err
    code, _, err = run("stories", "edit", "Camera drift")
    assert code == 2 and err.startswith("Error: Nothing to change: give --title")
    code, out, _ = run("stories", "delete", "Camera drift", stdin="n\n")
    assert code == 1 and len(json.loads(run("stories", "list", "--json")[1])) == 2
    code, out, _ = run("stories", "delete", "Camera drift", "--yes")
    assert code == 0 and out.startswith("Deleted story ")
    assert len(json.loads(run("stories", "list", "--json")[1])) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("show", "zzzz"),
            "Error: No story 'zzzz' (by id, id prefix or title). "
            "`loopready stories list` shows yours.",
        ),
        (
            ("add", "--title", "X", "--round", "sales"),
            "Error: sony-ai-pm-2026 has no round 'sales'; rounds: recruiter_screen, "
            "product_sense, technical_depth, stakeholder_simulation, hiring_committee, "
            "negotiation.",
        ),
        (
            ("add", "--file", "missing.txt"),
            "Error: missing.txt: file not found; check the name of the story.",
        ),
        (("suggest", "lunch"), None),
    ],
)
def test_cli_errors_are_one_line(args: tuple[str, ...], message: str | None) -> None:
    code, _out, err = run("stories", *args)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ")
    if message is not None:
        assert lines[0] == message


def test_cli_every_command_has_help_with_an_example() -> None:
    commands = ["add", "list", "show", "edit", "delete", "tell", "untell", "check", "suggest"]
    for command in [*commands, "tags"]:
        code, out, _ = run("stories", command, "--help")
        assert code == 0 and f"loopready stories {command}" in out
    code, out, _ = run("stories", "tags")
    assert code == 0 and "success_metrics" in out


def test_tellings_are_rows_of_their_own_table(db: Database, pack: Pack) -> None:
    story_id = churn(db, pack)
    with db.session() as s:
        loop_id = create_loop(s, db.user_id, pack_id=SONY, title="Summer").id
    _story, spoken = tell_story(
        db, story_id, "product_sense", text="  I led 8\nengineers. ", loop_id=loop_id, now=T0
    )
    _story, silent = tell_story(db, story_id, "technical_depth", told_on=date(2026, 6, 3))
    with db.read_session() as s:
        rows = {r.id: r for r in s.scalars(select(StoryTelling))}
        assert set(rows) == {spoken.id, silent.id}
        assert (rows[spoken.id].text, rows[spoken.id].words) == ("I led 8\nengineers.", 4)
        assert (rows[silent.id].text, rows[silent.id].words) == (None, None)
        assert (rows[spoken.id].loop_id, rows[spoken.id].created_at) == (loop_id, T0)
        assert rows[silent.id].told_on == date(2026, 6, 3)
        assert list(s.scalars(select(Setting))) == []  # nothing kept in settings any more
    # Deleting the loop keeps the telling, no longer tied to a loop.
    with db.session() as s:
        s.execute(delete(Loop).where(Loop.id == loop_id))
    assert [t.loop_id for t in get_story(db, story_id).tellings] == [None, None]
    with pytest.raises(NotFound, match="No loop with id 'nope'"):
        tell_story(db, story_id, "product_sense", loop_id="nope")
    with pytest.raises(InputError, match="has no time zone"):
        tell_story(db, story_id, "product_sense", now=datetime(2026, 6, 1, 9, 0))
    assert len(get_story(db, story_id).tellings) == 2
