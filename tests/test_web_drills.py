"""Web: daily drills (due cards, reveal and rate, a written answer graded into a rating)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from loopready.packs import get_pack
from loopready.prep import Rating, card_reviews, create_story, due_cards, due_counts, review
from loopready.store import Database, open_db
from loopready.web import create_app
from loopready.web.testing import PageClient

_CARD = re.compile(r'action="/drills/([0-9a-f-]+)/review"')


@pytest.fixture
def db(loopready_home: Path) -> Iterator[Database]:
    with open_db() as database:
        yield database


@pytest.fixture
def client(db: Database) -> Iterator[PageClient]:
    with PageClient(create_app(db)) as c:
        yield c


def _now() -> datetime:
    return datetime.now().astimezone()


def _shown_card(html: str) -> str:
    match = _CARD.search(html)
    assert match, "no card to drill on the page"
    return match.group(1)


def test_the_page_shows_counts_and_the_first_due_card(client: PageClient, db: Database) -> None:
    page = client.page("/drills")
    assert page.status_code == 200
    counts = due_counts(db, _now(), pack=get_pack())
    assert f'<span class="n">{counts.due}</span> due now' in page.text
    assert f'<span class="n">{counts.new}</span> new today' in page.text
    first = due_cards(db, _now(), pack=get_pack())[0]
    assert _shown_card(page.text) == first.id
    # The answer is behind a <details> (no script needed), with the four ratings inside it.
    reveal = page.text[page.text.index('<details class="reveal">') :]
    reveal = reveal[: reveal.index("</details>")]
    for rating in ("again", "hard", "good", "easy"):
        assert f'name="rating" value="{rating}"' in reveal
    assert "back in 1 min" in reveal or "back in 10 min" in reveal  # FSRS's learning steps
    assert 'hx-post="/drills/' in reveal and 'hx-target="#drill"' in reveal
    assert 'action="/drills/' in page.text and "/answer" in page.text
    assert '<a href="/drills" aria-current="page">Drills</a>' in page.text  # its own nav entry
    assert 'href="/stories" aria-current' not in page.text


def test_rating_with_htmx_schedules_the_card_and_shows_the_next(
    client: PageClient, db: Database
) -> None:
    page = client.page("/drills")
    card_id = _shown_card(page.text)
    rated = client.htmx(f"/drills/{card_id}/review", {"rating": "good"})
    assert rated.status_code == 200
    assert rated.text.lstrip().startswith('<div id="drill"')
    assert "Rated good: back in 10 min." in rated.text
    reviews = card_reviews(db, card_id)
    assert [r.rating for r in reviews] == [Rating.Good]
    assert _shown_card(rated.text) != card_id


def test_rating_without_javascript_redirects_with_the_outcome(
    client: PageClient, db: Database
) -> None:
    card_id = _shown_card(client.page("/drills").text)
    done = client.submit(f"/drills/{card_id}/review", {"rating": "easy"})
    assert done.status_code == 303
    assert done.headers["location"] == f"/drills?rated=easy&after={card_id}"
    page = client.page(done.headers["location"])
    assert re.search(r"Rated easy: back in \d+ days?\.", page.text)
    # A made-up flash is not echoed: it comes from the card's own schedule.
    fake = client.page("/drills?rated=<b>hi</b>&after=nope")
    assert "<b>hi</b>" not in fake.text and "Rated" not in fake.text


def test_bad_ratings_and_cards_are_refused(client: PageClient, db: Database) -> None:
    card_id = _shown_card(client.page("/drills").text)
    bad = client.submit(f"/drills/{card_id}/review", {"rating": "brilliant"})
    assert bad.status_code == 400
    assert "Rate recall as again, hard, good or easy" in bad.text
    assert card_reviews(db, card_id) == []
    assert client.page("/drills/not-a-card").status_code == 404
    assert client.post(f"/drills/{card_id}/review", data={"rating": "good"}).status_code == 403


def test_an_empty_written_answer_is_refused_and_not_rated(client: PageClient, db: Database) -> None:
    card_id = _shown_card(client.page("/drills").text)
    page = client.submit(f"/drills/{card_id}/answer", {"answer": "   "})
    assert page.status_code == 422
    assert "The answer is empty" in page.text
    assert '<details class="write-answer" open>' in page.text
    assert card_reviews(db, card_id) == []


def test_a_long_answer_is_kept_when_refused(client: PageClient, db: Database) -> None:
    card_id = _shown_card(client.page("/drills").text)
    answer = "word " * 12_001
    page = client.submit(f"/drills/{card_id}/answer", {"answer": answer})
    assert page.status_code == 422
    assert "the limit is 60,000" in page.text
    assert card_reviews(db, card_id) == []


def test_one_card_can_be_drilled_by_its_address(client: PageClient, db: Database) -> None:
    pack = get_pack()
    story = create_story(db, title="Aurora churn", result="Churn fell 12% with a team of 8.")
    client.page("/drills")
    card = next(c for c in due_cards(db, _now(), pack=pack) if c.ref == story.id)
    page = client.page(f"/drills/{card.id}")
    assert page.status_code == 200
    assert "Tell your story: Aurora churn" in page.text
    assert "Its numbers: keep them the same every time" in page.text
    assert "team size: 8" in page.text


def test_research_notes_show_on_the_back_of_related_questions(
    client: PageClient, db: Database
) -> None:
    from loopready.prep import get_card, set_research

    pack = get_pack()
    set_research(db, pack, "psn_store_recommendations", metric="Purchases per store visit")
    client.page("/drills")
    card = get_card(db, "ps_psn_recommendations", _now(), pack=pack)
    page = client.page(f"/drills/{card.id}")
    assert "Your research on PlayStation Store recommendations" in page.text
    assert "Purchases per store visit" in page.text
    assert "(you have not said why yet)" in page.text


def test_nothing_due_says_when_the_next_card_comes(client: PageClient, db: Database) -> None:
    pack = get_pack()
    now = _now()
    for card in due_cards(db, now, pack=pack):
        review(db, card.id, Rating.Good, now)
    page = client.page("/drills")
    assert "Nothing due now" in page.text
    assert "The next card comes back" in page.text
    assert _CARD.search(page.text) is None


def test_a_written_answer_is_graded_and_its_score_rates_the_card(
    client: PageClient, db: Database
) -> None:
    from loopready.prep import get_card

    pack = get_pack()
    client.page("/drills")
    card = get_card(db, "td_camera_drift", _now(), pack=pack)
    answer = (
        "I would compare the label mix of the last two weeks with training, check the "
        "confidence histogram by device, and roll back the model if precision drops."
    )
    page = client.submit(f"/drills/{card.id}/answer", {"answer": answer})
    assert page.status_code == 200
    score = re.search(r'class="score score-big band-\w+">(\d+)<', page.text)
    assert score
    reviews = card_reviews(db, card.id)
    assert len(reviews) == 1 and reviews[0].source == "grader"
    assert f'rate-{reviews[0].rating.name.lower()}">{reviews[0].rating.name.lower()}' in page.text
    assert 'data-clear-draft="drill-' in page.text
