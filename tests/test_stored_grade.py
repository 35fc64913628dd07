"""The stored grade is lossless: what the grader found comes back from the database as it
was, every quote placed by its offsets, and a report renders from it without grading."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from loopready.grading.base import GradeResult, WordTiming
from loopready.grading.service import build_request, grade_request
from loopready.interview import sessions
from loopready.interview.reports import build_report, render
from loopready.packs import get_pack
from loopready.store import Database, open_db
from loopready.store.repo import final_grades
from loopready.web.app import create_app
from loopready.web.testing import PageClient

ROUND = "product_sense"
QUESTION = "ps_psn_recommendations"
ANSWER = (
    "I would scope the first release to lapsed players on the PlayStation Store home page; "
    "search and the console dashboard are out of scope. "
    "My primary metric is store conversion within seven days, with refund rate as the "
    "guardrail, because conversion is what the player chooses to do. "
    "We will launch to every PlayStation Network player worldwide with no test. "
    "Legal can review after launch if anyone complains. "
    "The model also uses purchase history, precision, recall, NDCG, latency and CTR."
)


def _timings(answer: str) -> list[WordTiming]:
    """A steady 2.5 words a second, as a transcript of the answer read aloud would give."""
    return [
        WordTiming(word=w, start=round(i * 0.4, 2), end=round(i * 0.4 + 0.3, 2))
        for i, w in enumerate(answer.split())
    ]


@pytest.fixture(scope="module")
def graded() -> GradeResult:
    request = build_request(
        ANSWER, round_id=ROUND, question_id=QUESTION, word_timings=_timings(ANSWER)
    )
    return grade_request(request)


@pytest.fixture
def db(loopready_home: Path) -> Iterator[Database]:
    with open_db() as database:
        yield database


def _keep(db: Database, result: GradeResult) -> str:
    pack = get_pack()
    rnd = pack.round(ROUND)
    prompt = next(p for p in rnd.prompts if p.id == QUESTION)
    return sessions.record_attempt(db, pack, rnd, prompt, ANSWER, result)


def _stored(db: Database, session_id: str) -> GradeResult:
    with db.read_session() as s:
        row = final_grades(s, db.user_id, [session_id])[session_id]
        return GradeResult.model_validate(row.result)


def _quotes(result: GradeResult) -> list[tuple[str, int | None, int | None]]:
    """Every quote of a grade with its offsets."""
    out: list[tuple[str, int | None, int | None]] = []
    for c in result.criteria:
        assert len(c.evidence_spans) == len(c.evidence)
        for quote, span in zip(c.evidence, c.evidence_spans, strict=True):
            out.append((quote, *(span if span is not None else (None, None))))
    out += [(b.evidence, b.start, b.end) for b in result.blind_spots]
    out += [(f.evidence, f.start, f.end) for f in result.red_flags]
    out += [(k.evidence, k.start, k.end) for k in result.key_points or [] if k.evidence]
    if result.reference_coverage is not None:
        out += [(p.evidence, p.start, p.end) for p in result.reference_coverage.covered]
    return out


def test_the_stored_grade_is_the_graders_result(db: Database, graded: GradeResult) -> None:
    session_id = _keep(db, graded)
    loaded = _stored(db, session_id)
    assert loaded == graded  # every field, typed delivery and offsets included
    assert loaded.model_dump() == graded.model_dump()
    # What the grader found is all there: quotes, key points, typed delivery with speech.
    quotes = _quotes(loaded)
    assert sum(len(c.evidence) for c in loaded.criteria) >= 1
    assert loaded.key_points is not None and len(loaded.key_points) >= 1
    assert loaded.delivery is not None and loaded.delivery.speech is not None
    assert loaded.delivery.words == len(ANSWER.split())
    # Every quote is placed in the answer by its offsets.
    for quote, start, end in quotes:
        assert start is not None and end is not None, quote
        assert ANSWER[start:end] == quote


def test_a_report_renders_without_grading(
    db: Database, graded: GradeResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    session_id = _keep(db, graded)
    # A grade stored before key points were kept: the report must not work them out again.
    with db.session() as s:
        row = final_grades(s, db.user_id, [session_id])[session_id]
        old = dict(row.result)
        old.pop("key_points", None)
        old.pop("reference_coverage", None)
        row.result = old

    def no_grading(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a report graded the answer again")

    for target in (
        "loopready.grading.registry.get_grader",
        "loopready.grading.service.grade_request",
        "loopready.grading.pipeline.finish",
        "loopready.grading.reference.grade_reference",
        "loopready.grading.keypoints.grade_points",
        "loopready.grading.embeddings.get_embedder",
    ):
        monkeypatch.setattr(target, no_grading)

    report = build_report(db, session_id)
    for fmt in ("md", "html", "json"):
        assert render(report, fmt)
    assert report.missing_key_points == []  # unknown, not recomputed
    with PageClient(create_app(db)) as client:
        page = client.page(f"/reports/{session_id}")
    assert page.status_code == 200
    # The quotes are marked by their stored offsets.
    first = next(c.evidence[0] for c in graded.criteria if c.evidence)
    assert f">{first}</mark>" in page.text


def test_a_grade_without_offsets_renders_its_quotes_unmarked(db: Database) -> None:
    pack = get_pack()
    rnd = pack.round(ROUND)
    prompt = next(p for p in rnd.prompts if p.id == QUESTION)
    session_id = sessions.record_attempt(
        db, pack, rnd, prompt, ANSWER, GradeResult(round=ROUND, score=50, grader="x 1")
    )
    quote = "lapsed players on the playstation store"  # not the answer's words (case)
    with db.session() as s:  # rewritten as a grade stored before offsets were kept
        row = final_grades(s, db.user_id, [session_id])[session_id]
        criterion = {"id": "scope", "name": "Scope and users", "score": 2, "evidence": [quote]}
        row.result = {**row.result, "criteria": [criterion]}
    with PageClient(create_app(db)) as client:
        page = client.page(f"/reports/{session_id}")
    assert page.status_code == 200
    assert quote in page.text  # listed under its criterion...
    assert re.findall(r"<mark id=[^>]*>", page.text) == []  # ...and never searched for
    assert "1 quote could not be placed in the text exactly" in page.text
