"""Evidence that supports the score, depth not lists, the question's own rubric, key
points and advice about the answer (issue 13, items 2-5 and 9)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from loopready.grading import depth, evidence
from loopready.grading.base import GradeResult
from loopready.grading.blindspots import Finding
from loopready.grading.service import build_request, grade_request
from loopready.grading.signals import analyse
from loopready.packs import get_pack

ROOT = Path(__file__).resolve().parent.parent

OUTLINE = (
    "Metrics: north star, guardrails, CTR, retention. Rollout: phased, A/B, canary, holdout. "
    "Scope: MVP, core users, PS5 home. Stakeholders: legal, eng, marketing, research. "
    "Risks: latency, privacy, cold start."
)
PLAIN = (
    "I'd start with adults on the PS5 home screen who played in the last month, and leave "
    "kids' profiles out for now, because kids' data needs its own review. The number I'd want "
    "to be judged on is how many people are still playing a suggested game a week after "
    "starting it, because that habit is what keeps a subscription paid. We'd show it to one "
    "in ten players in Canada for four weeks while the rest see today's screen, and only "
    "widen it if those week-long plays are up at least two points. If complaints double in "
    "any week, we switch it off that day. Before any date goes to marketing, legal signs off "
    "on using purchase history by the 20th, and engineering owns the speed number."
)


def _labelled() -> ModuleType:
    spec = importlib.util.spec_from_file_location("labelled", ROOT / "benchmarks" / "labelled.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("labelled", module)
    spec.loader.exec_module(module)
    return module


def grade(answer: str, round_id: str = "product_sense", question: str | None = None) -> GradeResult:
    return grade_request(build_request(answer, round_id=round_id, question_id=question))


# -- depth --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Metrics: north star, guardrails, CTR, retention.",
        "Rollout: phased, A/B, canary.",
        "Engagement, retention, revenue and NPS.",
        "Phased rollout.",
    ],
)
def test_bare_lists_and_fragments(sentence: str) -> None:
    assert depth.is_bare(sentence)
    assert not depth.is_elaborated(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "I'd pick store conversion as the main number, because it shows players paid for it.",
        "If the undo rate passes twelve percent for a week, the camera lead switches it back.",
        "We keep kids' profiles out of the first release since their data needs its own review.",
    ],
)
def test_a_choice_with_its_reason_or_a_rule_elaborates(sentence: str) -> None:
    assert not depth.is_bare(sentence)
    assert depth.is_elaborated(sentence)


def test_an_outline_is_measured_as_one() -> None:
    sentences = [s.strip() for s in OUTLINE.split(". ")]
    assert depth.measure(sentences, analyse(sentences)).outline
    plain = [s for s in PLAIN.split(". ")]
    assert not depth.measure(plain, analyse(plain)).outline


def test_a_keyword_outline_scores_below_40_with_at_most_partial_credit() -> None:
    result = grade(OUTLINE, question="ps_psn_recommendations")
    assert result.score < 40
    assert all(c.score <= depth.BARE_CRITERION_CAP for c in result.criteria)


def test_plain_words_outscore_the_outline_of_the_same_plan() -> None:
    plain = grade(PLAIN, question="ps_psn_recommendations")
    outline = grade(OUTLINE, question="ps_psn_recommendations")
    assert plain.score > outline.score + 20
    assert sum(c.score for c in plain.criteria) > sum(c.score for c in outline.criteria)


# -- evidence -----------------------------------------------------------------------------


def test_evidence_offsets_point_at_the_quotes() -> None:
    result = grade(PLAIN, question="ps_psn_recommendations")
    quoted = 0
    for c in result.criteria:
        assert len(c.evidence_spans) == len(c.evidence)
        for quote, (start, end) in zip(c.evidence, c.evidence_spans, strict=True):
            assert PLAIN[start:end] == quote
            quoted += 1
    assert quoted >= 3


def test_no_evidence_means_at_most_1() -> None:
    result = grade(PLAIN, question="ps_psn_recommendations")
    for c in result.criteria:
        if not c.evidence:
            assert c.score <= 1


def test_a_sentence_serves_one_criterion_unless_it_clearly_serves_several() -> None:
    # one feature, weight 1: p = sigmoid(x); three criteria
    model = evidence.EvidenceModel(
        mean=np.zeros(len(evidence.FEATURES)),
        std=np.ones(len(evidence.FEATURES)),
        weights=np.eye(len(evidence.FEATURES))[0],
        bias=0.0,
    )
    x = np.zeros((3, 3, len(evidence.FEATURES)))
    logit = lambda p: float(np.log(p / (1 - p)))  # noqa: E731
    x[0, :, 0] = [logit(0.7), logit(0.65), logit(0.2)]  # fits two, one clearly: one
    x[1, :, 0] = [logit(0.9), logit(0.85), logit(0.3)]  # clearly fits two: both
    x[2, :, 0] = [logit(0.3), logit(0.2), logit(0.1)]  # fits none
    judged = evidence.judge(x, ["a", "b", "c"], model=model)
    assert judged.assigned == {"a": [1, 0], "b": [1], "c": []}
    # without sentence 1, "b" would have nothing: it shares sentence 0, which does what it
    # asks too (0.65); "c" has no sentence that does (best 0.3)
    excluded = evidence.judge(x, ["a", "b", "c"], frozenset({1}), model=model)
    assert excluded.assigned == {"a": [0], "b": [0], "c": []}


def test_excluded_sentences_gather_every_kind_of_finding() -> None:
    spots = [Finding("metric_dump", 2), Finding("discloses_current_salary", 5)]
    other = [Finding("launch_without_test", 0)]
    assert evidence.excluded_sentences(spots) == {2, 5}
    assert evidence.excluded_sentences(spots, other) == {0, 2, 5}


def test_a_sentence_that_shows_a_blind_spot_is_never_evidence() -> None:
    answer = (
        "I'm targeting around 230 to 260 total across base, bonus and equity, because the "
        "grant matters to me. I currently make $182,000 base. I'd take a bit less cash for "
        "more equity."
    )
    result = grade(answer, round_id="recruiter_screen", question="rs_comp_expectations")
    flagged = {b.evidence for b in result.blind_spots}
    assert flagged, "the disclosure should be found"
    assert not flagged & {q for c in result.criteria for q in c.evidence}


def test_the_shipped_evidence_model_was_fitted_on_training_sentences_only() -> None:
    labelled = _labelled()
    data = json.loads(evidence.PATH.read_text(encoding="utf-8"))
    sides = {s["answer_id"]: s["split"] for s in labelled.load_sentences()}
    answers = {e["answer"] for items in data["examples"].values() for e in items}
    assert answers and all(sides[a] == "train" for a in answers)
    assert tuple(data["features"]) == evidence.FEATURES


# -- the question's rubric, key points, advice -------------------------------------------


def test_criteria_the_question_does_not_ask_are_not_asked() -> None:
    answer = (
        "I'm aiming for 230 to 260 thousand in total for the first year, across base, bonus, "
        "equity and sign-on, and I'd trade some cash for a larger grant because I plan to stay."
    )
    result = grade(answer, round_id="recruiter_screen", question="rs_comp_expectations")
    status = {c.id: c.status for c in result.criteria}
    assert status == {
        "narrative": "not_asked",
        "motivation": "not_asked",
        "comp_framing": "scored",
    }
    assert all(not c.advice for c in result.criteria if c.status == "not_asked")
    unknown = grade(answer, round_id="recruiter_screen")
    assert {c.status for c in unknown.criteria} == {"scored"}


def test_key_points_are_listed_and_the_coverage_agrees() -> None:
    result = grade(PLAIN, question="ps_psn_recommendations")
    prompt = next(
        p for p in get_pack().round("product_sense").prompts if p.id == "ps_psn_recommendations"
    )
    assert result.key_points is not None
    assert [p.text for p in result.key_points] == prompt.key_points
    covered = [p for p in result.key_points if p.covered]
    for p in covered:
        assert p.evidence and p.start is not None and p.end is not None
        assert PLAIN[p.start : p.end] == p.evidence
    assert result.reference_coverage is not None
    assert result.reference_coverage.coverage == pytest.approx(
        len(covered) / len(prompt.key_points), abs=1e-4
    )
    assert sorted(result.reference_coverage.missing) == sorted(
        p.text for p in result.key_points if not p.covered
    )


def test_delivery_uses_the_same_time_box_for_every_grader_path() -> None:
    result = grade(PLAIN, question="ps_psn_recommendations")
    assert result.delivery is not None
    assert result.delivery.time_box_minutes == round(45 / 6)


def test_advice_is_about_this_answer_over_every_labelled_answer() -> None:
    """Never advise a missing key point the answer quotes as evidence; advice only under 4
    and only for asked criteria; advice lines differ from answer to answer."""
    rows = _labelled().load()
    pack = get_pack()
    lines: list[str] = []
    for row in rows:
        result = grade_request(
            build_request(row["answer"], round_id=row["round"], question_id=row["question"])
        )
        assert pack.round(row["round"])
        quoted = {q for c in result.criteria for q in c.evidence}
        missing = {p.text for p in result.key_points or [] if not p.covered}
        covered_quotes = {p.evidence for p in result.key_points or [] if p.covered}
        for c in result.criteria:
            if c.status == "not_asked" or c.score >= 4:
                assert c.advice == "", (row["id"], c.id)
                continue
            assert c.advice, (row["id"], c.id)
            lines.append(c.advice)
            if c.advice.startswith("Not yet in this answer: "):
                named = c.advice.removeprefix("Not yet in this answer: ")
                for point in missing:
                    if point in named:
                        assert point not in covered_quotes
                # a point named as missing is not one the report shows as covered
                for p in result.key_points or []:
                    if p.covered:
                        assert not named.startswith(p.text), (row["id"], p.text)
            # a quote in the advice is the answer's own words
            for piece in c.advice.split("“")[1:]:
                said = piece.split("”")[0].rstrip("…")
                assert said in row["answer"] or said in " ".join(row["answer"].split())
        assert not (missing & quoted)
    assert len(set(lines)) / len(lines) >= 0.6


# -- reports place highlights by the offsets ---------------------------------------------


def test_highlights_are_placed_by_offsets_not_by_searching() -> None:
    from loopready.web.highlight import Quote, spans_for

    text = "We ship it. Then we measure. We ship it."
    # the second "We ship it." is the evidence: a search would find the first
    spans, where = spans_for(text, [Quote("We ship it.", "Rollout", start=29, end=40)], base=0)
    assert [(s.start, s.end) for s in spans] == [(29, 40)] and where == [0]
    searched, where = spans_for(text, [Quote("We ship it.", "Rollout")], base=0)
    assert searched == [] and where == [-1]  # no offsets: not placed, never searched


def test_transcript_marks_map_answer_offsets_onto_each_turn() -> None:
    from loopready.interview.reports import TurnLine
    from loopready.interview.sessions import CANDIDATE
    from loopready.web.highlight import Quote
    from loopready.web.routes.reports import mark_transcript

    turns = ["  First turn. Same words.", "Same words. Second turn."]
    answer = "\n\n".join(t.strip() for t in turns)  # as the session grades it
    start = answer.index("Same words.", answer.index("\n\n"))
    lines = [
        TurnLine(speaker=CANDIDATE, name="You", kind="answer", text=turns[0]),
        TurnLine(speaker="panel", name="Panel", kind="close", text="Why?"),
        TurnLine(speaker=CANDIDATE, name="You", kind="answer", text=turns[1]),
    ]
    quote = Quote("Same words.", "Scope", start=start, end=start + len("Same words."))
    marked, anchors = mark_transcript(lines, [quote])
    assert anchors == ["ev-2-0"]
    assert "<mark" not in str(marked[0].html)
    assert str(marked[2].html).startswith('<mark id="ev-2-0" class="evidence" title="Scope">')
