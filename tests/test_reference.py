"""Reference grading: key points, coverage, evidence quotes and the shipped model."""

from __future__ import annotations

import json
import math

import pytest

from loopready.errors import InputError
from loopready.grading.base import ReferenceCoverage
from loopready.grading.reference import (
    FEATURES,
    MAX_POINTS,
    MODEL_PATH,
    QUESTION_FEATURES,
    analyse,
    grade_reference,
    key_points_from_reference,
    load_model,
)

QUESTION = "How would you launch the new team-collaboration feature and know it worked?"
KEY_POINTS = [
    "Define a north-star metric such as weekly active teams",
    "Run an A/B test on a slice of users before the full launch",
    "Watch guardrail metrics like latency and churn",
]
PARAPHRASE = (
    "First I would choose one north-star number: how many teams are active every week. "
    "Before a full rollout we would A/B test it on a small slice of our users. "
    "The whole time I would keep watching guardrails such as latency and churn."
)
OFF_TOPIC = (
    "My favourite recipe is a slow-cooked tomato sauce with garlic and basil. "
    "I usually cook it on Sundays for the whole family."
)


@pytest.mark.parametrize("question", [QUESTION, None])
def test_paraphrase_of_the_key_points_covers_them(question: str | None) -> None:
    result = grade_reference(PARAPHRASE, key_points=KEY_POINTS, question=question)
    assert result.source == "key_points"
    assert [c.point for c in result.covered] == KEY_POINTS
    assert result.missing == []
    assert result.share_covered == 1.0
    assert result.coverage >= 0.8
    assert result.score == pytest.approx(100 * result.coverage, abs=0.1)


@pytest.mark.parametrize("question", [QUESTION, None])
def test_off_topic_answer_covers_nothing_and_scores_low(question: str | None) -> None:
    result = grade_reference(OFF_TOPIC, key_points=KEY_POINTS, question=question)
    assert result.covered == []
    assert result.missing == KEY_POINTS
    assert result.coverage < 0.3
    on_topic = grade_reference(PARAPHRASE, key_points=KEY_POINTS, question=question)
    assert on_topic.coverage > result.coverage + 0.5


def test_partial_answer_covers_some_points_and_scores_between() -> None:
    partial = "I would track weekly active teams as the one number that matters."
    result = grade_reference(partial, key_points=KEY_POINTS, question=QUESTION)
    assert [c.point for c in result.covered] == [KEY_POINTS[0]]
    assert result.missing == KEY_POINTS[1:]
    full = grade_reference(PARAPHRASE, key_points=KEY_POINTS, question=QUESTION)
    off = grade_reference(OFF_TOPIC, key_points=KEY_POINTS, question=QUESTION)
    assert off.coverage < result.coverage < full.coverage


def test_evidence_is_an_exact_sentence_of_the_answer() -> None:
    answer = (
        "- pick weekly active teams as the north-star metric\n"
        "- A/B test it with 10% of users, e.g. new sign-ups, first.\n\n"
        "Guardrails: latency (p95 < 300 ms) and churn."
    )
    result = grade_reference(answer, key_points=KEY_POINTS, question=QUESTION)
    assert result.covered
    for item in result.covered:
        assert item.evidence in answer
        assert item.evidence.strip() == item.evidence
        assert -1.0 <= item.similarity <= 1.0
    for point in result.points:
        assert point.evidence in answer


def test_empty_answer_has_zero_coverage() -> None:
    for answer in ("", "   \n\t"):
        result = grade_reference(answer, key_points=KEY_POINTS, question=QUESTION)
        assert result.coverage == 0.0
        assert result.score == 0.0
        assert result.covered == []
        assert result.missing == KEY_POINTS
        assert all(p.evidence == "" and not p.covered for p in result.points)


def test_reference_answer_is_split_into_key_points() -> None:
    reference = (
        "Benefits:\n"
        "- Pick one north-star metric, weekly active teams.\n"
        "- Test with an A/B experiment before launching to everyone.\n"
        "Also watch guardrails such as latency and churn."
    )
    points = key_points_from_reference(reference)
    assert points == [
        "Pick one north-star metric, weekly active teams.",
        "Test with an A/B experiment before launching to everyone.",
        "Also watch guardrails such as latency and churn.",
    ]
    result = grade_reference(PARAPHRASE, reference=reference, question=QUESTION)
    assert result.source == "reference"
    assert [p.point for p in result.points] == points
    assert len(result.covered) == 3


def test_long_reference_sentences_are_cut_at_clauses() -> None:
    reference = (
        "The launch plan starts with a clear north-star metric that the whole team agrees on "
        "and can see on a dashboard; it then runs a two-week A/B test with a holdout group "
        "that is large enough to detect a two percent change in weekly active teams."
    )
    points = key_points_from_reference(reference)
    assert len(points) == 2
    assert all(p in reference for p in points)


def test_key_points_win_over_reference_and_are_cleaned() -> None:
    result = grade_reference(
        PARAPHRASE,
        reference="Something else entirely.",
        key_points=["  Watch guardrail   metrics like latency and churn ", "", KEY_POINTS[2]],
    )
    assert [p.point for p in result.points] == [KEY_POINTS[2]]


def test_bad_inputs_are_input_errors() -> None:
    with pytest.raises(InputError, match="reference answer or a list of key points"):
        grade_reference("an answer")
    with pytest.raises(InputError, match="empty"):
        grade_reference("an answer", key_points=["", "  "])
    with pytest.raises(InputError, match="empty"):
        grade_reference("an answer", reference="Benefits:")
    with pytest.raises(InputError, match="too many"):
        grade_reference("an answer", key_points=[f"point {i}" for i in range(MAX_POINTS + 1)])


def test_result_fits_the_grade_result_contract() -> None:
    result = grade_reference(PARAPHRASE, key_points=KEY_POINTS, question=QUESTION)
    coverage = ReferenceCoverage.model_validate(result.model_dump())
    assert coverage.coverage == result.coverage
    assert json.loads(result.model_dump_json())["points"][0]["point"] == KEY_POINTS[0]


def test_analysis_features_are_finite_and_complete() -> None:
    analysis = analyse(PARAPHRASE, KEY_POINTS, question=QUESTION)
    assert set(analysis.features) == set(FEATURES)
    assert all(math.isfinite(v) for v in analysis.features.values())
    assert analysis.similarity.shape == (len(KEY_POINTS), len(analysis.sentences))
    without = analyse(PARAPHRASE, KEY_POINTS)
    for name in QUESTION_FEATURES:
        assert math.isnan(without.features[name])


def test_shipped_model_is_fitted_on_training_only_and_well_formed() -> None:
    document = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert "training" in document["meta"]["fitted_on"]
    assert "unseen" not in json.dumps(document)
    for with_question in (True, False):
        model = load_model(with_question)
        n = len(model.features)
        assert n >= 1
        for array in (model.mean, model.scale, model.low, model.high, model.coef):
            assert array.shape == (n,)
        assert (model.scale > 0).all()
        assert (model.low <= model.high).all()
        for name in model.features:
            assert set(name.split("*")) <= set(FEATURES)
        if not with_question:
            assert not any(set(n.split("*")) & set(QUESTION_FEATURES) for n in model.features)
        assert 0.0 < model.cover_threshold < 1.0
