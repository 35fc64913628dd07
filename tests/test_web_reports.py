"""Web: the feedback report (evidence marked in the answer) and the list of reports."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from loopready.interview import sessions
from loopready.packs import get_pack
from loopready.store import Database, open_db
from loopready.store.types import utcnow
from loopready.web import create_app
from loopready.web.highlight import Quote, highlight, spans_for
from loopready.web.testing import PageClient, seed_attempt

ANSWER = (
    "I would scope the first version to lapsed players.\n\n"
    "My primary metric is the share of store visits that end in a purchase within seven days. "
    "We will also track precision, recall, NDCG, latency, CTR and dwell time."
)


@pytest.fixture
def db(loopready_home: Path) -> Iterator[Database]:
    with open_db() as database:
        yield database


@pytest.fixture
def client(db: Database) -> Iterator[PageClient]:
    with PageClient(create_app(db)) as c:
        yield c


def _marks(html: str) -> list[str]:
    return re.findall(r"<mark [^>]*>(.*?)</mark>", html, re.S)


def test_evidence_is_marked_inside_the_answer(client: PageClient, db: Database) -> None:
    sid = seed_attempt(
        db,
        get_pack(),
        "product_sense",
        ANSWER,
        score=58,
        evidence={
            "scope": ["I would scope the first version to lapsed players."],
            "success_metrics": ["My primary metric is the share of store visits"],
        },
        blind_spots=[("metric_dump", "precision, recall, NDCG, latency, CTR and dwell time")],
    )
    page = client.page(f"/reports/{sid}")
    assert page.status_code == 200
    marks = _marks(page.text)
    assert "I would scope the first version to lapsed players." in marks
    assert "My primary metric is the share of store visits" in marks
    assert "precision, recall, NDCG, latency, CTR and dwell time" in marks
    assert 'class="spot"' in page.text
    # Every quote links to its mark.
    for anchor in re.findall(r'href="#(ev-[\d-]+)"', page.text):
        assert f'id="{anchor}"' in page.text
    assert "Metric dump" in page.text and "Instead:" in page.text
    assert "58" in page.text


def test_an_answer_with_markup_renders_as_text_even_when_marked(
    client: PageClient, db: Database
) -> None:
    hostile = 'We ship <script>alert("x")</script> to 5% of users & watch <b>churn</b>.'
    sid = seed_attempt(
        db,
        get_pack(),
        "product_sense",
        hostile,
        score=40,
        evidence={"rollout_plan": ['<script>alert("x")</script> to 5% of users']},
    )
    page = client.page(f"/reports/{sid}")
    assert "<script>alert" not in page.text
    assert "<b>churn</b>" not in page.text
    assert "&lt;b&gt;churn&lt;/b&gt;" in page.text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; to 5% of users" in _marks(page.text)


def test_progress_since_the_last_attempt(client: PageClient, db: Database) -> None:
    pack = get_pack()
    earlier = utcnow() - timedelta(days=2)
    first = seed_attempt(
        db,
        pack,
        "technical_depth",
        "First try.",
        score=40,
        started_at=earlier,
        criterion_scores={"drift_detection": 1},
    )
    second = seed_attempt(
        db,
        pack,
        "technical_depth",
        "Second try.",
        score=62,
        criterion_scores={"drift_detection": 3},
    )
    page = client.page(f"/reports/{second}")
    assert "Up 22 points since your previous attempt" in page.text
    assert f'href="/reports/{first}"' in page.text
    assert "1 → 3" in page.text and "(+2)" in page.text
    assert "Attempt 2" in page.text
    firstpage = client.page(f"/reports/{first}")
    assert "This is your first graded attempt at this round." in firstpage.text


def test_a_big_drop_with_the_same_criterion_levels_is_not_called_the_same(
    client: PageClient, db: Database
) -> None:
    pack = get_pack()
    levels = {"drift_detection": 2}  # the others follow the score: 2 at 60 and at 38
    seed_attempt(
        db,
        pack,
        "technical_depth",
        "First try.",
        score=60,
        started_at=utcnow() - timedelta(days=2),
        criterion_scores=levels,
    )
    second = seed_attempt(
        db, pack, "technical_depth", "Second try.", score=38, criterion_scores=levels
    )
    page = client.page(f"/reports/{second}")
    assert "Down 22 points since your previous attempt" in page.text
    assert "scored the same as last time" not in page.text
    assert "yet the overall score went down 22 points" in page.text


def test_report_of_an_unfinished_mock_goes_to_the_room(client: PageClient, db: Database) -> None:
    view = sessions.start(db, get_pack(), "recruiter_screen")
    got = client.get(f"/reports/{view.id}")
    assert got.status_code == 303
    assert got.headers["location"] == f"/mock/{view.id}"


def test_unknown_report_is_a_friendly_404(client: PageClient) -> None:
    page = client.page("/reports/0123456789abcdef")
    assert page.status_code == 404
    assert "Traceback" not in page.text


def test_reports_list_pages_and_filters(client: PageClient, db: Database) -> None:
    pack = get_pack()
    start = utcnow() - timedelta(days=60)
    for i in range(53):
        seed_attempt(
            db,
            pack,
            "product_sense",
            f"Answer {i}.",
            score=40 + i % 30,
            started_at=start + timedelta(hours=i),
        )
    seed_attempt(db, pack, "recruiter_screen", "Hello.", score=70)
    first = client.page("/reports")
    assert "54 graded mocks" in first.text
    assert first.text.count('<td data-label="When">') == 50
    assert "Page 1 of 2" in first.text
    second = client.page("/reports?page=2")
    assert second.text.count('<td data-label="When">') == 4
    only = client.page("/reports?round=recruiter_screen")
    assert "1 graded mock " in only.text
    assert only.text.count('<td data-label="When">') == 1


def test_empty_reports_list(client: PageClient) -> None:
    page = client.page("/reports")
    assert "No graded mocks yet" in page.text


class TestHighlight:
    def test_escapes_first_then_marks_by_offsets(self) -> None:
        text = "a <b> & c"
        spans, _ = spans_for(text, [Quote("<b> &", "x", start=2, end=7)])
        assert str(highlight(text, spans)) == (
            'a <mark id="ev-0" class="evidence" title="x">&lt;b&gt; &amp;</mark> c'
        )

    def test_overlaps_merge_and_keep_every_label(self) -> None:
        text = "one two three four"
        quotes = [Quote("one two", "A", start=0, end=7), Quote("two three", "B", start=4, end=13)]
        spans, where = spans_for(text, quotes)
        assert [(s.start, s.end, s.labels) for s in spans] == [(0, 13, ["A", "B"])]
        assert where == [0, 0]

    def test_a_quote_is_never_searched_for(self) -> None:
        text = "We will ship to five percent. Later we expand to everyone."
        quotes = [
            Quote("We will ship to five percent.", "no offsets"),
            Quote("Later we expand", "stale offsets", start=0, end=15),
            Quote("Later we expand", "stored offsets", start=30, end=45),
        ]
        spans, where = spans_for(text, quotes)
        assert [(s.start, s.end, s.labels) for s in spans] == [(30, 45, ["stored offsets"])]
        assert where == [-1, -1, 0]

    def test_label_is_escaped(self) -> None:
        spans, _ = spans_for("abc", [Quote("abc", '"><script>', start=0, end=3)])
        assert "<script>" not in str(highlight("abc", spans))
