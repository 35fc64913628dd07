"""Drills: cards for prompts and stories, scheduled by FSRS, rated by recall or by grade."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from fsrs import Card, Rating, Scheduler
from sqlalchemy import select

from loopready.cli import cli
from loopready.errors import InputError, NotFound
from loopready.grading.base import Grader, GradeRequest, GradeResult
from loopready.packs import get_pack
from loopready.packs.schema import Pack
from loopready.planning import build_plan
from loopready.planning.storage import save_plan
from loopready.prep.drills import (
    DrillCardView,
    card_face,
    card_reviews,
    card_view,
    due_cards,
    due_counts,
    get_card,
    interval_cap,
    list_cards,
    parse_rating,
    rating_for_score,
    review,
    review_with_answer,
    sync_cards,
)
from loopready.prep.research import set_research
from loopready.prep.stories import StoryRecord, create_story, delete_story
from loopready.store import Database, DrillCard, DrillReview, open_db

SONY = "sony-ai-pm-2026"
T0 = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
CHURN = {
    "title": "Cutting churn at Aurora",
    "situation": "Aurora, our subscription app, had 2 million users.",
    "task": "I owned retention with a team of 8 engineers.",
    "action": "I shipped a churn model and a pause option.",
    "result": "Churn fell 12% in one quarter.",
}


@pytest.fixture
def db() -> Iterator[Database]:
    with open_db() as database:
        yield database


@pytest.fixture
def pack() -> Pack:
    return get_pack(SONY)


def prompt_count(pack: Pack) -> int:
    return sum(len(r.prompts) for r in pack.all_rounds())


def churn(db: Database) -> StoryRecord:
    return create_story(db, **CHURN)  # type: ignore[arg-type]


class FixedGrader(Grader):
    """A grader plugin that gives every answer the same score (the interface, not a mock)."""

    name = "fixed"
    version = "1"

    def __init__(self, score: float) -> None:
        self.score = score

    def grade(self, request: GradeRequest) -> GradeResult:
        return GradeResult(
            round=request.round_id or "custom",
            question=request.question_id,
            score=self.score,
            grader=self.label,
        )


# --- ratings ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "rating"),
    [
        (0, Rating.Again),
        (39.9, Rating.Again),
        (40, Rating.Hard),
        (59.9, Rating.Hard),
        (60, Rating.Good),
        (84.9, Rating.Good),
        (85, Rating.Easy),
        (100, Rating.Easy),
    ],
)
def test_scores_map_to_ratings(score: float, rating: Rating) -> None:
    assert rating_for_score(score) == rating


def test_ratings_are_read_by_name_number_or_letter() -> None:
    assert [parse_rating(t) for t in ("again", "HARD", " good ", "4", "e", "1")] == [
        Rating.Again,
        Rating.Hard,
        Rating.Good,
        Rating.Easy,
        Rating.Easy,
        Rating.Again,
    ]
    with pytest.raises(InputError, match="again, hard, good or easy"):
        parse_rating("great")


# --- cards --------------------------------------------------------------------------------


def test_every_prompt_and_story_gets_one_card(db: Database, pack: Pack) -> None:
    story = churn(db)
    assert sync_cards(db, pack, T0) == prompt_count(pack) + 1
    assert sync_cards(db, pack, T0) == 0  # idempotent
    cards = list_cards(db, pack, T0)
    assert len(cards) == prompt_count(pack) + 1
    by_ref = {c.ref: c for c in cards}
    psn = by_ref[f"{SONY}/ps_psn_recommendations"]
    assert (psn.kind, psn.round_id, psn.state, psn.due) == ("prompt", "product_sense", "new", T0)
    assert by_ref[story.id].title == "Cutting churn at Aurora"
    with db.read_session() as s:
        row = s.scalars(select(DrillCard).where(DrillCard.ref == story.id)).one()
        assert Card.from_dict(row.card).due == T0  # type: ignore[arg-type]
    other = pack.model_copy(update={"id": "another-pack"})
    assert sync_cards(db, other, T0) == prompt_count(pack)  # its own prompt cards
    assert len(list_cards(db, pack, T0)) == prompt_count(pack) + 1  # filtered by pack
    delete_story(db, story.id)
    assert len(list_cards(db, pack, T0)) == prompt_count(pack)


def test_new_cards_are_limited_per_day_and_stories_take_turns(db: Database, pack: Pack) -> None:
    a = create_story(db, title="A")
    b = create_story(db, title="B")
    due = due_cards(db, T0, pack=pack, new_limit=5)
    assert [c.kind for c in due] == ["story", "prompt", "story", "prompt", "prompt"]
    assert [c.ref for c in due if c.kind == "story"] == [a.id, b.id]
    assert due[1].ref == f"{SONY}/{pack.rounds[0].prompts[0].id}"  # prompts in loop order
    review(db, due[0].id, Rating.Good, T0)
    review(db, due[1].id, Rating.Good, T0 + timedelta(minutes=1))
    later = T0 + timedelta(minutes=5)
    counts = due_counts(db, later, pack=pack, new_limit=5)
    assert (counts.new, counts.reviews, counts.later_today) == (3, 0, 2)
    assert counts.new_waiting == prompt_count(pack) + 2 - 2 - 3
    assert counts.next_due == T0 + timedelta(minutes=10)
    assert counts.total == prompt_count(pack) + 2
    # Tomorrow: the two seen cards are due again, and five new ones are allowed.
    tomorrow = T0 + timedelta(days=1)
    due = due_cards(db, tomorrow, pack=pack, new_limit=5)
    assert [c.state for c in due[:2]] == ["learning", "learning"]
    assert sum(c.is_new for c in due) == 5


def test_cards_are_found_by_id_prefix_prompt_or_story(db: Database, pack: Pack) -> None:
    story = churn(db)
    psn = get_card(db, "ps_psn_recommendations", T0, pack=pack)
    assert psn.ref == f"{SONY}/ps_psn_recommendations"
    assert get_card(db, psn.id[:8], T0, pack=pack) == psn
    assert get_card(db, "Cutting churn at Aurora", T0, pack=pack).ref == story.id
    assert get_card(db, story.id[:6], T0, pack=pack).ref == story.id
    with pytest.raises(NotFound, match="No drill card 'walkman'"):
        get_card(db, "walkman", T0, pack=pack)


# --- FSRS scheduling ----------------------------------------------------------------------


def test_due_dates_follow_fsrs(db: Database, pack: Pack) -> None:
    card = get_card(db, "td_camera_drift", T0, pack=pack)
    steps = [
        (T0, Rating.Good),
        (T0 + timedelta(minutes=12), Rating.Good),
        (T0 + timedelta(days=3), Rating.Again),
        (T0 + timedelta(days=3, minutes=15), Rating.Hard),
        (T0 + timedelta(days=5), Rating.Easy),
    ]
    with db.read_session() as s:
        row = s.get(DrillCard, card.id)
        assert row is not None
        expected = Card.from_dict(row.card)  # type: ignore[arg-type]
    fsrs = Scheduler(enable_fuzzing=False)
    for when, rating in steps:
        after = review(db, card.id, rating, when)
        expected, _log = fsrs.review_card(expected, rating, review_datetime=when)
        assert after.due == expected.due
        assert after.stability == pytest.approx(expected.stability)
        assert after.difficulty == pytest.approx(expected.difficulty)
    assert after.state == "review" and after.reviews == len(steps)
    assert after.due - steps[-1][0] >= timedelta(days=2)  # an easy recall waits days
    with db.read_session() as s:
        row = s.get(DrillCard, card.id)
        assert row is not None
        assert row.card == dict(expected.to_dict())  # the fsrs card, as its own JSON
        assert row.due == expected.due
        logs = list(s.scalars(select(DrillReview).order_by(DrillReview.reviewed_at)))
    assert [r.rating for r in logs] == [int(r) for _, r in steps]
    assert [r.reviewed_at for r in logs] == [w for w, _ in steps]
    assert logs[0].log["rating"] == 3 and logs[0].log["source"] == "recall"
    assert [e.rating for e in card_reviews(db, card.id)] == [r for _, r in steps]


def test_again_brings_a_card_back_within_minutes(db: Database, pack: Pack) -> None:
    card = get_card(db, "rs_why_sony", T0, pack=pack)
    after = review(db, card.id, Rating.Again, T0)
    assert after.due == T0 + timedelta(minutes=1)
    assert after.id in {c.id for c in due_cards(db, T0 + timedelta(minutes=2), pack=pack)}
    assert after.id not in {c.id for c in due_cards(db, T0 + timedelta(seconds=30), pack=pack)}


def test_reviews_refuse_naive_or_earlier_times(db: Database, pack: Pack) -> None:
    card = get_card(db, "rs_why_sony", T0, pack=pack)
    with pytest.raises(InputError, match="has no time zone"):
        review(db, card.id, Rating.Good, datetime(2026, 6, 1, 9, 0))
    review(db, card.id, Rating.Good, T0)
    with pytest.raises(InputError, match="a review cannot go back in time"):
        review(db, card.id, Rating.Good, T0 - timedelta(hours=1))
    assert len(card_reviews(db, card.id)) == 1
    with pytest.raises(NotFound, match="No drill card with id 'nope'"):
        review(db, "nope", Rating.Good, T0)


def test_no_interval_reaches_past_the_day_before_the_round(db: Database, pack: Pack) -> None:
    today = T0.date()
    plan = build_plan(pack, today, today + timedelta(days=6), round_dates=None)
    save_plan(plan, db=db)
    rounds = {r.round_id: r.date for r in plan.rounds}
    card = get_card(db, "ps_psn_recommendations", T0, pack=pack)
    cap = interval_cap(db, card, T0)
    assert cap == (rounds["product_sense"] - today).days - 1
    when, after = T0, card
    dues = []
    for _ in range(3):
        after = review(db, card.id, Rating.Easy, when)
        dues.append(after.due)
        when = after.due
    # Easy, easy, easy: 8 days, then held to the day before the round, then (reviewed
    # the day before) the morning of the round itself.
    round_day = datetime.combine(rounds["product_sense"], T0.timetz())
    assert dues == [T0 + timedelta(days=8), round_day - timedelta(days=1), round_day]
    # The same reviews without a known round date go much further out.
    free = Scheduler(enable_fuzzing=False)
    expected = Card(card_id=1, due=T0)
    moment = T0
    for _ in range(3):
        expected, _log = free.review_card(expected, Rating.Easy, review_datetime=moment)
        moment = expected.due
    assert expected.due - round_day > timedelta(days=30)
    # A story card waits at most for the last round; a past round sets no limit.
    story_card = get_card(db, create_story(db, title="S").id, T0, pack=pack)
    assert interval_cap(db, story_card, T0) == (max(rounds.values()) - today).days - 1
    assert interval_cap(db, story_card, T0 + timedelta(days=400)) is None


# --- written answers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "rating"),
    [(30, Rating.Again), (50, Rating.Hard), (70, Rating.Good), (90, Rating.Easy)],
)
def test_a_written_answer_takes_its_rating_from_the_score(
    db: Database, pack: Pack, score: float, rating: Rating
) -> None:
    card = get_card(db, "td_camera_drift", T0, pack=pack)
    result, given = review_with_answer(
        db, card.id, "I would watch the label mix.", T0, grader=FixedGrader(score)
    )
    assert (result.score, given) == (score, rating)
    expected, _ = Scheduler(enable_fuzzing=False).review_card(
        Card(card_id=1, due=T0), rating, review_datetime=T0
    )
    assert card_view(db, card.id).due == expected.due
    with db.read_session() as s:
        log = s.scalars(select(DrillReview)).one().log
    assert log["source"] == "grader" and log["score"] == score and log["grader"] == "fixed 1"
    assert log["answer"] == "I would watch the label mix."


def test_a_story_answer_with_drifting_numbers_is_hard_at_best(db: Database, pack: Pack) -> None:
    story = churn(db)
    card = get_card(db, story.id, T0, pack=pack)
    good = "With a team of 8 engineers I cut churn 12% in a quarter."
    _, rating = review_with_answer(db, card.id, good, T0, grader=FixedGrader(95))
    assert rating == Rating.Easy
    drifted = "With a team of 10 engineers I cut churn 12% in a quarter."
    _, rating = review_with_answer(
        db, card.id, drifted, T0 + timedelta(days=9), grader=FixedGrader(95)
    )
    assert rating == Rating.Hard
    with db.read_session() as s:
        logs = [r.log for r in s.scalars(select(DrillReview).order_by(DrillReview.reviewed_at))]
    assert logs[0]["drift"] == []
    assert logs[1]["drift"][0]["subject"] == "team size"


def test_an_empty_answer_is_refused_not_scored(db: Database, pack: Pack) -> None:
    card = get_card(db, "td_camera_drift", T0, pack=pack)
    with pytest.raises(InputError, match="The answer is empty"):
        review_with_answer(db, card.id, "  \n", T0, grader=FixedGrader(90))
    assert card_reviews(db, card.id) == []


def test_the_local_grader_rates_a_written_answer(db: Database, pack: Pack) -> None:
    card = get_card(db, "td_camera_drift", T0, pack=pack)
    answer = (
        "I would monitor the distribution of predicted scene labels each day against a "
        "baseline week, and alert when the share of any label moves more than five points. "
        "If the alert fires, we roll back to the previous model and relabel a sample."
    )
    result, rating = review_with_answer(db, card.id, answer, T0)
    assert rating == rating_for_score(result.score)
    assert card_reviews(db, card.id)[0].score == result.score


# --- faces --------------------------------------------------------------------------------


def test_faces_show_key_points_research_and_story_numbers(db: Database, pack: Pack) -> None:
    set_research(db, pack, "xperia_camera_ai", metric="Share of photos kept", why="Quality.")
    card = get_card(db, "ps_xperia_camera_assistant", T0, pack=pack)
    face = card_face(db, card)
    assert face.front.startswith("Design an AI camera assistant for Xperia phones.")
    assert face.context.startswith("Product sense case")
    assert [item.metric for item in face.research] == ["Share of photos kept"]
    assert face.back  # key points, or the rubric's bar when a prompt has none

    story = churn(db)
    face = card_face(db, get_card(db, story.id, T0, pack=pack))
    assert face.front == "Tell your story: Cutting churn at Aurora"
    assert face.back[1] == "Task: I owned retention with a team of 8 engineers."
    assert "team size: 8" in face.numbers and "churn: 12%" in face.numbers


# --- CLI ----------------------------------------------------------------------------------

NOW = ("--now", "2026-06-01T09:00+00:00")


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_cli_due_today_and_scripted_review(pack: Pack) -> None:
    code, out, err = run("drill", "due", "--json", *NOW)
    assert code == 0, err
    counts = json.loads(out)
    assert (counts["due"], counts["new"], counts["reviews"]) == (10, 10, 0)
    assert counts["total"] == prompt_count(pack) and counts["next_due"] is None

    code, out, _ = run("drill", "today", "--new", "3", *NOW)
    assert code == 0 and "3 to drill now: 0 due for review, 3 new" in out
    data = json.loads(run("drill", "today", "--json", "--new", "3", *NOW)[1])
    assert len(data["cards"]) == 3 and data["counts"]["new"] == 3

    code, out, err = run(
        "drill", "review", "ps_psn_recommendations", "--rating", "easy", "--json", *NOW
    )
    assert code == 0, err
    reviewed = json.loads(out)
    assert reviewed["rating"] == "easy" and reviewed["card"]["state"] == "review"
    expected, _ = Scheduler(enable_fuzzing=False).review_card(
        Card(card_id=1, due=T0), Rating.Easy, review_datetime=T0
    )
    assert reviewed["card"]["due"] == expected.due.isoformat()

    code, out, _ = run("drill", "review", "--rating", "again", *NOW)  # the first due card
    assert code == 0 and out.strip().endswith("rated again; next due in 1 min.")
    code, out, _ = run("drill", "due", "--now", "2026-06-01T09:05+00:00")
    # Two new cards were seen today: 8 more new ones, and the one rated again is due.
    assert out.startswith("Due now: 9 (1 reviews, 8 new). Later today: 0. Next review: in 8 days")
    code, out, _ = run("drill", "list", *NOW)
    assert code == 0 and "learning" in out and "review" in out


def test_cli_interactive_review(tmp_path: Path) -> None:
    run("stories", "add", "--title", "Churn", "--result", "Churn fell 12% with 8 engineers.")
    keys = "\ngood\n\nmeh\nagain\ns\nq\n"
    code, out, err = run("drill", "review", "--new", "4", *NOW, stdin=keys)
    assert code == 0, err
    assert "Tell your story: Churn" in out and "Your numbers:" in out
    assert "Rated good; next due in 10 min." in out
    assert "Rate recall as again, hard, good or easy (or 1-4), not 'meh'." in out
    assert "Rated again; next due in 1 min." in out
    assert "Reviewed 2 cards." in out
    assert "2 come back later today" in out


def test_cli_write_an_answer_in_the_editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The "editor" copies a prepared answer over the file it is given.
    answer = tmp_path / "answer.txt"
    answer.write_text("", encoding="utf-8")
    monkeypatch.setenv("EDITOR", f"cp {answer}")
    monkeypatch.setenv("VISUAL", f"cp {answer}")
    code, out, err = run("drill", "review", "--new", "1", *NOW, stdin="w\n")
    assert code == 0, err
    assert "No answer written: skipped." in out and "Reviewed 0 cards." in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("review", "walkman", "--rating", "good"),
            "Error: No drill card 'walkman': give a card id, a prompt id (e.g. rs_walkthrough) "
            "or a story. `loopready drill today` lists them.",
        ),
        (
            ("review", "--rating", "good", "--answer-file", "a.txt"),
            "Error: Give --rating or --answer-file, not both.",
        ),
        (
            ("review", "rs_why_sony", "--answer-file", "missing.txt"),
            "Error: missing.txt: file not found; give the file with your answer.",
        ),
        (
            ("review", "--json"),
            "Error: --json needs --rating or --answer-file (one scripted review).",
        ),
        (
            ("due", "--now", "soon"),
            "Error: --now: 'soon' is not a date and time. Write it as 2026-06-15T09:30 "
            "(optionally with a zone, e.g. 2026-06-15T09:30+01:00).",
        ),
    ],
)
def test_cli_errors_are_one_line(args: tuple[str, ...], message: str) -> None:
    code, _out, err = run("drill", *args, *([] if "--now" in args else NOW))
    assert code == 2
    assert err.strip().splitlines() == [message]


def test_cli_nothing_due_says_when_the_next_card_comes(db: Database, pack: Pack) -> None:
    for card in due_cards(db, T0, pack=pack):
        review(db, card.id, Rating.Easy, T0)
    code, out, _ = run("drill", "today", "--new", "10", *NOW)
    assert code == 0 and out.startswith("Nothing to drill now. The next card is due in ")
    code, _, err = run("drill", "review", "--rating", "good", "--new", "10", *NOW)
    assert code == 2 and err.startswith("Error: No card is due now.")


def test_cli_every_command_has_help_with_an_example() -> None:
    for command in ("today", "due", "list", "review"):
        code, out, _ = run("drill", command, "--help")
        assert code == 0 and f"loopready drill {command}" in out


def test_a_card_view_round_trips_to_json(db: Database, pack: Pack) -> None:
    card = get_card(db, "rs_why_sony", T0, pack=pack)
    data = card.to_dict()
    assert data["due"] == T0.isoformat() and data["state"] == "new"
    assert isinstance(card, DrillCardView) and date.fromisoformat(data["due"][:10]) == T0.date()
