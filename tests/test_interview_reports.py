"""Reports render the stored grade faithfully in Markdown, HTML (escaped) and JSON.

The grade here is a hand-written :class:`GradeResult`, the grader's output format, so
rendering is tested on its own; the whole-loop tests grade for real.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest

from loopready.grading.base import BlindSpotHit, CriterionScore, GradeResult
from loopready.grading.delivery import measure
from loopready.grading.delivery_model import GradeDelivery
from loopready.interview import sessions
from loopready.interview.offer_draw import draw_offer
from loopready.interview.reports import render, report_from
from loopready.packs import get_pack
from loopready.store import Database, open_db

ANSWER = 'I would track <script>alert("x")</script> AUC, recall and *everything* | all of it.'


@pytest.fixture
def db() -> Iterator[Database]:
    with open_db() as database:
        yield database


def _delivery() -> GradeDelivery:
    measured = measure(ANSWER, [ANSWER], 8)
    return GradeDelivery.model_validate(
        {**measured.model_dump(), "words": 120, "notes": ["Long sentences: the average is 31."]}
    )


def _grade(score: float, rollout: int) -> GradeResult:
    return GradeResult(
        round="product_sense",
        question="ps_psn_recommendations",
        score=score,
        criteria=[
            CriterionScore(
                id="scope",
                name="Scope and users",
                score=3,
                weight=1.5,
                evidence=["I would start with lapsed players."],
                advice="Say who.",
            ),
            CriterionScore(
                id="success_metrics",
                name="Prioritised success metrics",
                score=1,
                weight=2.0,
                evidence=[ANSWER],
                advice="Name your top metric.",
            ),
            CriterionScore(
                id="rollout_plan",
                name="Rollout and go-to-market plan",
                score=rollout,
                weight=1.5,
                advice="Lay out phases.",
            ),
        ],
        blind_spots=[
            BlindSpotHit(id="metric_dump", name="Metric dump", evidence=ANSWER, better="Pick two.")
        ],
        delivery=_delivery(),
        grader="test 1.0",
    )


def _session(db: Database) -> sessions.SessionView:
    pack = get_pack("sony-ai-pm-2026")
    view = sessions.start(db, pack, "product_sense", scripted=True)
    sessions.autosave(db, view.id, 0, ANSWER)
    return sessions.load(db, view.id)


def test_html_escapes_the_candidates_words(db: Database) -> None:
    report = report_from(db, _session(db), _grade(42, 0))
    page = render(report, "html")
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert page.startswith("<!doctype html>")
    fragment = render(report, "html", fragment=True)
    assert "<html" not in fragment and "lr-report" in fragment


def test_markdown_shows_scores_evidence_and_what_to_add(db: Database) -> None:
    report = report_from(db, _session(db), _grade(42, 0))
    text = render(report, "md")
    assert text.startswith("# Product sense case: 42/100")
    assert "Below the round bar of 55" in text
    assert "| Prioritised success metrics | 1/4" in text
    assert "“I would start with lapsed players.”" in text
    assert "\\*everything\\* \\| all of it" in text  # Markdown in an answer is shown, not applied
    assert "**Metric dump**" in text and "Better: Pick two." in text
    adds = report.strong_answer_adds
    assert adds[0].startswith("Rollout and go-to-market plan:")  # lowest score first
    assert "For example: “" in adds[0]
    assert "Long sentences" in text
    assert "- words: 120" in text
    assert "untimed (answers given from files)" in text


def test_json_is_the_report_model(db: Database) -> None:
    report = report_from(db, _session(db), _grade(42, 0))
    data = json.loads(render(report, "json"))
    assert data["score"] == 42 and data["round_id"] == "product_sense"
    assert data["criteria"][1]["evidence"] == [ANSWER]
    assert data["history"]["attempts"] == []
    assert data["transcript"][0]["text"] == ANSWER


def test_change_since_the_previous_attempt(db: Database) -> None:
    pack = get_pack("sony-ai-pm-2026")
    first = _session(db)
    with db.session() as s:
        from loopready.store import end_session, save_grade

        save_grade(
            s,
            db.user_id,
            round_id="product_sense",
            score=42,
            result=_grade(42, 0).to_json_dict(),
            grader="test 1.0",
            session_id=first.id,
        )
        end_session(s, db.user_id, first.id)
    second = sessions.start(db, pack, "product_sense", scripted=True)
    report = report_from(db, sessions.load(db, second.id), _grade(57, 3))
    assert report.history.previous == 42
    assert report.history.change == 15
    assert "Up 15 points since your previous attempt (42 -> 57)" in report.history.summary
    assert "A new best." in report.history.summary
    rollout = next(c for c in report.criteria if c.id == "rollout_plan")
    assert rollout.change == 3
    assert "| Rollout and go-to-market plan | 3/4 ●●●○ | +3 |" in render(report, "md")


def test_mock_offer_is_drawn_inside_the_bands_and_reads_as_an_offer() -> None:
    from loopready.offers import Offer

    pack = get_pack("sony-ai-pm-2026")
    assert draw_offer(pack, "lean_no_hire", "loop-1") is None
    hire = draw_offer(pack, "hire", "loop-1")
    strong = draw_offer(pack, "strong_hire", "loop-1")
    assert hire is not None and strong is not None
    assert hire == draw_offer(pack, "hire", "loop-1")  # the same loop draws the same offer
    for drawn in (hire, strong):
        offer = drawn["offer"]
        assert 155_000 <= offer["base"] <= 185_000  # where both of the guide's base bands agree
        assert 10 <= offer["bonus_target_pct"] <= 15
        assert 0.02 <= drawn["equity_pct"] <= 0.05 and drawn["vesting_years"] == 4
        assert 12_000 <= offer["sign_on"][0] <= 18_000
        Offer.model_validate(offer)
    assert strong["position_in_band"] > hire["position_in_band"]


HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(2)">',
    "<a href='javascript:alert(3)'>click</a>",
    "[click](javascript:alert(4))",
    "![x](javascript:alert(5))",
    "<!-- comment --><iframe src=//evil.example>",
]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_markdown_escapes_pack_text_for_a_markdown_renderer(db: Database, hostile: str) -> None:
    from markdown_it import MarkdownIt

    report = report_from(db, _session(db), _grade(42, 0))
    persona = {
        "name": f"Persona {hostile}",
        "satisfied": False,
        "satisfied_by": [],
        "concerns": [f"Concern {hostile}"],
        "pushbacks": [],
        "concern_states": [
            {
                "concern": f"Concern {hostile}",
                "main": True,
                "state": "dismissed",
                "escalated": True,
                "escalated_by": f"waved {hostile}",
                "stronger": f"Stronger {hostile}",
            }
        ],
    }
    pleased = {
        **persona,
        "satisfied": True,
        "satisfied_by": [f"phrase {hostile}"],
        "concern_states": [
            {
                "concern": f"Concern {hostile}",
                "main": True,
                "state": "addressed",
                "addressed_by": f"phrase {hostile}",
            }
        ],
    }
    transcript = [
        line.model_copy(update={"name": f"Speaker {hostile}"}) for line in report.transcript
    ]
    crafted = report.model_copy(
        update={
            "pack_name": f"Pack {hostile}",
            "round_name": f"Round {hostile}",
            "question": f"Question {hostile}",
            "grader": f"grader {hostile}",
            "transcript": transcript,
            "roleplay": {
                "satisfied": 1,
                "personas": [persona, pleased],
                "pushbacks_fired": 0,
                "pushbacks_total": 0,
            },
            "history": report.history.model_copy(update={"summary": f"Summary {hostile}"}),
        }
    )
    text = render(crafted, "md")
    for renderer in (MarkdownIt("commonmark"), MarkdownIt("default")):
        html = renderer.render(text)
        for tag in ("<script", "<img", "<a ", "<iframe", "<!--"):
            assert tag not in html.lower(), (tag, html)
        assert not re.search(r"<[a-z]+[^>]*\s(href|src|on\w+)=", html), html
        for part in (
            "Pack",
            "Round",
            "Persona",
            "Concern",
            "Speaker",
            "Summary",
            "phrase",
            "waved",
            "Stronger",
        ):
            assert f"{part} " in html  # the text is still shown, as text
    assert "&lt;script&gt;" in MarkdownIt("commonmark").render(text) or "<script" not in hostile
