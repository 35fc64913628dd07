"""Web: the story bank (add, edit, tell, drift, suggestions, delete)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from loopready.interview.loops import new_loop
from loopready.packs import get_pack
from loopready.prep import get_story, list_stories, sync_cards
from loopready.prep.drills import card_face, get_card
from loopready.store import Database, DrillCard, open_db
from loopready.web import create_app
from loopready.web.testing import PageClient, seed_attempt

AURORA: dict[str, Any] = {
    "title": "Cutting churn at Aurora",
    "situation": "Aurora, our subscription app, had 2 million users and churn was climbing.",
    "task": "I owned retention with a team of 8 engineers.",
    "action": "I shipped a churn model and a pause option, and ran an A/B test.",
    "result": "Churn fell 12% in one quarter and we kept $3M in annual revenue.",
    "competencies": "Success metrics, experimentation",
    "rounds": ["product_sense"],
}


@pytest.fixture
def db(loopready_home: Path) -> Iterator[Database]:
    with open_db() as database:
        yield database


@pytest.fixture
def client(db: Database) -> Iterator[PageClient]:
    with PageClient(create_app(db)) as c:
        yield c


def _add(client: PageClient, **changes: Any) -> str:
    done = client.submit("/stories", {**AURORA, **changes})
    assert done.status_code == 303, done.text
    match = re.search(r"#story-([0-9a-f-]+)$", done.headers["location"])
    assert match
    return match.group(1)


def test_an_empty_bank_invites_the_first_story(client: PageClient) -> None:
    page = client.page("/stories")
    assert page.status_code == 200
    assert "No stories yet" in page.text
    assert 'action="/stories"' in page.text
    # Every round of the pack can be ticked, and the rounds' competencies are offered.
    for rnd in get_pack().all_rounds():
        assert f'name="rounds" value="{rnd.id}"' in page.text
    assert '<option value="success metrics">' in page.text  # words, not ids
    assert "success_metrics" not in page.text


def test_adding_a_story_lists_it_fresh_with_its_tags(client: PageClient, db: Database) -> None:
    story_id = _add(client)
    story = get_story(db, story_id)
    assert story.competencies == ("success_metrics", "experimentation")
    assert story.rounds == ("product_sense",)
    page = client.page("/stories?done=added")
    assert "Story added" in page.text
    assert f'<a href="/stories/{story_id}">Cutting churn at Aurora</a>' in page.text
    assert ">fresh</span>" in page.text
    names = {c.id: c.name for r in get_pack().all_rounds() for c in r.rubric.criteria}
    assert f'<span class="tag">{names["success_metrics"]}</span>' in page.text
    assert "success_metrics" not in page.text
    assert "Product sense case" in page.text
    assert "not told yet" in page.text
    # It is a drill card too.
    sync_cards(db, get_pack(), datetime.now().astimezone())
    with db.read_session() as s:
        refs = set(s.scalars(select(DrillCard.ref).where(DrillCard.kind == "story")))
    assert story_id in refs


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": "  "}, "title", "A story needs a title"),
        ({"competencies": "round_product_sense"}, "competencies", "looks like a round"),
        ({"rounds": ["lunch"]}, "rounds", "has no round"),
        ({"situation": "x" * 10_001}, "situation", "the limit is 10,000"),
    ],
)
def test_a_story_with_a_problem_comes_back_with_everything_typed(
    client: PageClient, db: Database, changes: dict[str, Any], field: str, message: str
) -> None:
    page = client.submit("/stories", {**AURORA, **changes})
    assert page.status_code == 422
    assert message in page.text
    assert "Everything you typed is still here" in page.text
    assert AURORA["task"] in page.text and AURORA["result"] in page.text
    if field == "rounds":
        assert '<fieldset aria-invalid="true"' in page.text
    else:
        assert re.search(rf'id="new-{field}"[^>]*aria-invalid="true"', page.text), field
    assert list_stories(db) == []


def test_editing_a_story(client: PageClient, db: Database) -> None:
    story_id = _add(client)
    page = client.page(f"/stories/{story_id}")
    assert page.status_code == 200
    assert 'value="Cutting churn at Aurora"' in page.text
    assert '<input type="checkbox" name="rounds" value="product_sense" checked>' in page.text
    saved = client.submit(
        f"/stories/{story_id}",
        {**AURORA, "result": "Churn fell 14% in one quarter.", "rounds": ["technical_depth"]},
    )
    assert saved.status_code == 303 and saved.headers["location"].endswith("?done=saved")
    story = get_story(db, story_id)
    assert story.result == "Churn fell 14% in one quarter."
    assert story.rounds == ("technical_depth",)
    bad = client.submit(f"/stories/{story_id}", {**AURORA, "title": ""})
    assert bad.status_code == 422 and "A story needs a title" in bad.text
    assert get_story(db, story_id).title == AURORA["title"]


def test_telling_a_story_makes_it_less_fresh_and_drift_shows_both_quotes(
    client: PageClient, db: Database
) -> None:
    new_loop(db, get_pack(), start=date.today(), title="Loop")
    story_id = _add(client)
    quick = client.submit(
        f"/stories/{story_id}/tell", {"round_id": "technical_depth", "next": "list"}
    )
    assert quick.status_code == 303
    assert quick.headers["location"] == f"/stories?done=told#story-{story_id}"
    page = client.page("/stories")
    assert ">used</span>" in page.text
    assert "Technical depth interview" in page.text

    told = client.submit(
        f"/stories/{story_id}/tell",
        {
            "round_id": "stakeholder_simulation",
            "told_on": "",
            "text": "We were a team of 12 engineers and churn fell 12%.",
            "next": "story",
        },
    )
    assert told.status_code == 303 and told.headers["location"].endswith("#tellings")
    story_page = client.page(told.headers["location"].split("#")[0])
    assert "Numbers drift on team size" in story_page.text
    assert "the story bank" in story_page.text
    assert "“I owned retention with a team of 8 engineers.”" in story_page.text
    assert "“We were a team of 12 engineers and churn fell 12%.”" in story_page.text
    assert "Its numbers do not all match" in story_page.text
    listing = client.page("/stories")
    assert "1 story changed its numbers between tellings" in listing.text
    assert "Numbers drift on team size" in listing.text
    story = get_story(db, story_id)
    assert story.rounds_told == ("technical_depth", "stakeholder_simulation")


def test_a_telling_can_be_taken_back(client: PageClient, db: Database) -> None:
    story_id = _add(client)
    client.submit(f"/stories/{story_id}/tell", {"round_id": "product_sense", "next": "story"})
    telling = get_story(db, story_id).tellings[0]
    gone = client.submit(f"/stories/{story_id}/tellings/{telling.id}/delete", {})
    assert gone.status_code == 303
    assert get_story(db, story_id).tellings == ()


def test_telling_errors_are_shown_and_nothing_is_recorded(client: PageClient, db: Database) -> None:
    story_id = _add(client)
    page = client.submit(f"/stories/{story_id}/tell", {"round_id": "", "text": "What I said"})
    assert page.status_code == 422
    assert "Choose the round you told the story in" in page.text
    bad_day = client.submit(
        f"/stories/{story_id}/tell", {"round_id": "product_sense", "told_on": "yesterday-ish"}
    )
    assert bad_day.status_code == 422 and "is not a date" in bad_day.text
    assert get_story(db, story_id).tellings == ()


def test_suggestions_rank_the_stories_that_fit_each_round(client: PageClient, db: Database) -> None:
    _add(client)
    _add(
        client,
        title="On-device ranking",
        competencies="pipeline fluency",
        rounds=[],
        result="Latency fell from 900 ms to 120 ms.",
    )
    page = client.page("/stories")
    section = page.text[page.text.index('id="suggest-h"') :]
    for rnd in get_pack().all_rounds():
        assert f"<h3>{rnd.name}</h3>" in section
    product = section[section.index("<h3>Product sense case</h3>") :]
    assert product.index("Cutting churn at Aurora") < product.index("On-device ranking")
    technical = section[section.index("<h3>Technical depth interview</h3>") :]
    technical = technical[: technical.index("</ol>")]
    assert "Pipeline fluency" in technical and "Experiment design" in technical
    # Names, not ids or raw scores.
    for raw in ("pipeline_fluency", "round:", "(0.", "(1.00)"):
        assert raw not in section


def test_deleting_a_story_removes_its_card(client: PageClient, db: Database) -> None:
    story_id = _add(client)
    client.page("/drills")  # makes the story's drill card
    gone = client.submit(f"/stories/{story_id}/delete", {})
    assert gone.status_code == 303 and gone.headers["location"] == "/stories?done=deleted"
    assert list_stories(db) == []
    with db.read_session() as s:
        assert s.scalars(select(DrillCard).where(DrillCard.ref == story_id)).first() is None
    assert client.page(f"/stories/{story_id}").status_code == 404


def test_story_text_is_escaped(client: PageClient) -> None:
    story_id = _add(client, title="<img src=x onerror=alert(1)>", action="<script>x()</script>")
    for url in ("/stories", f"/stories/{story_id}"):
        page = client.page(url)
        assert "<img src=x" not in page.text and "<script>x()" not in page.text
        assert "&lt;img src=x onerror=alert(1)&gt;" in page.text


def test_posts_need_the_token(client: PageClient, db: Database) -> None:
    client.page("/stories")
    refused = client.post("/stories", data=AURORA)
    assert refused.status_code == 403
    assert list_stories(db) == []


# --- rough edges a new user hits ------------------------------------------------------------


def test_recording_a_telling_clears_the_text_box(client: PageClient) -> None:
    story_id = _add(client)
    told = client.submit(
        f"/stories/{story_id}/tell",
        {"round_id": "product_sense", "text": "Churn fell 12% at Aurora.", "next": "story"},
    )
    assert told.status_code == 303
    page = client.page(told.headers["location"].split("#")[0])
    assert "Telling recorded." in page.text
    # The server renders the box empty, and tells the page script to drop the saved draft.
    assert f'data-clear-draft="tell-{story_id}"' in page.text
    box = re.search(rf'<textarea id="tell-text-{story_id}"[^>]*>(.*?)</textarea>', page.text, re.S)
    assert box is not None and box.group(1) == ""


def test_a_story_told_in_mocks_says_so(client: PageClient, db: Database) -> None:
    story_id = _add(client)
    pack = get_pack()
    told = " ".join(AURORA[k] for k in ("situation", "task", "action", "result"))
    rounds = ["recruiter_screen", "product_sense", "product_sense", "stakeholder_simulation"]
    for round_id in rounds:
        seed_attempt(db, pack, round_id, f"Let me tell you about Aurora. {told}", score=70)
    seed_attempt(db, pack, "technical_depth", "I would watch drift in the camera model.", score=60)
    page = client.page("/stories")
    card = page.text[page.text.index(f'id="story-{story_id}"') :]
    card = card[: card.index("</li>")]
    assert "not told yet" not in card
    names = [pack.round(r).name for r in dict.fromkeys(rounds)]
    assert f"4 mocks: {', '.join(names)}" in card
    one = client.page(f"/stories/{story_id}")
    assert "Not told yet." not in one.text
    assert "Told in 4 mock interviews" in one.text
    # Mocks are practice: the story stays fresh for the real loop.
    assert ">fresh</span>" in card


def test_a_drill_card_keeps_points_as_points(client: PageClient, db: Database) -> None:
    story_id = _add(
        client,
        title="Store retention",
        result="In the Store, retention went up 4 points in one quarter.",
    )
    now = datetime.now().astimezone()
    sync_cards(db, get_pack(), now)
    face = card_face(db, get_card(db, story_id, now))
    assert "retention (Store): 4 points" in face.numbers
    assert not any("4%" in n for n in face.numbers)
    # The card names the tags as a person reads them.
    assert "success_metrics" not in face.context and "product_sense" not in face.context
