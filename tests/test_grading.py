"""The grader: the CLI contract, bad input, and judgement that ignores length and buzzwords."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from loopready.cli import cli
from loopready.grading.base import GradeRequest
from loopready.grading.registry import available, get_grader
from loopready.grading.service import MAX_WORDS, build_request, grade_request
from loopready.packs import get_pack

STRONG_SHORT = (
    "I'd scope it to lapsed PS Plus members in the US and UK first. Two metrics matter: "
    "seven-day return rate, because it predicts renewals, and purchases per recommendation "
    "shown; latency stays under 150 ms as a guardrail. We launch to 5% in week two, go to "
    "25% by week six if return rate is up at least 2 points, and roll back if complaints "
    "double. I own the go/no-go call with the engineering lead."
)
STUFFED = (
    "For the PlayStation Network recommendation engine I'd track precision, recall, F1, "
    "AUC, NDCG, MRR, click-through rate, conversion, engagement, retention, DAU, MAU, "
    "session length, ARPU, LTV, churn, NPS, latency, coverage, diversity, novelty and "
    "serendipity. We'd leverage embeddings, transformers, collaborative filtering and "
    "reinforcement learning, run A/B tests, align stakeholders, build a roadmap and "
    "drive synergies across the ecosystem with a world-class, data-driven culture of "
    "innovation at scale."
)
OFF_TOPIC = (
    "My favourite recipe is a slow-cooked ragù. You brown the onions, carrots and celery, "
    "add the meat and a glass of red wine, then let it simmer for four hours with tomatoes. "
    "Serve it with fresh pappardelle and plenty of parmesan. It feeds six people easily."
)


def run(*args: str, stdin: str | bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def grade(answer: str, round_id: str = "product_sense", question: str | None = None) -> float:
    request = build_request(answer, round_id=round_id, question_id=question)
    return grade_request(request).score


# -- judgement ----------------------------------------------------------------------------


def test_short_decisive_answer_beats_keyword_stuffing_and_off_topic() -> None:
    strong = grade(STRONG_SHORT, question="ps_psn_recommendations")
    stuffed = grade(STUFFED, question="ps_psn_recommendations")
    off = grade(OFF_TOPIC, question="ps_psn_recommendations")
    assert strong > stuffed and strong > off
    assert strong >= 60
    assert stuffed < 30
    assert off < 10


def test_padding_does_not_raise_the_score() -> None:
    padding = (
        " As I said, it's really important to think about the user and the business and "
        "to make sure everyone is aligned on what matters, because that matters a lot."
    )
    base = grade(STRONG_SHORT, question="ps_psn_recommendations")
    padded = grade(STRONG_SHORT + padding * 8, question="ps_psn_recommendations")
    assert padded <= base


def test_every_criterion_scored_with_evidence_quoted_from_the_answer() -> None:
    request = build_request(STRONG_SHORT, round_id="product_sense")
    result = grade_request(request)
    pack = get_pack()
    assert [c.id for c in result.criteria] == [
        c.id for c in pack.round("product_sense").rubric.criteria
    ]
    quoted = [q for c in result.criteria for q in c.evidence]
    assert quoted, "a strong answer earns at least one quote"
    for c in result.criteria:
        assert 0 <= c.score <= 4
        assert len(c.evidence) <= 3
        for quote in c.evidence:
            assert quote in STRONG_SHORT
        if c.score < 4:
            assert c.advice
    rollout = next(c for c in result.criteria if c.id == "rollout_plan")
    assert rollout.score >= 2
    assert any("5%" in q or "25%" in q for q in rollout.evidence)


def test_blind_spots_are_named_with_the_sentence_that_shows_them() -> None:
    answer = (
        "I don't have a technical background, so I'll focus on the product vision and leave "
        "the model details to the engineers. My current salary is $150,000 and I'd want a "
        "higher base salary than that."
    )
    result = grade_request(build_request(answer, round_id="recruiter_screen"))
    found = {b.id: b for b in result.blind_spots}
    assert "no_tech_background_excuse" in found
    assert "discloses_current_salary" in found
    assert "base_only_negotiation" in found
    assert found["discloses_current_salary"].evidence in answer
    assert found["no_tech_background_excuse"].better


def test_blind_spots_not_reported_for_a_clean_answer() -> None:
    result = grade_request(build_request(STRONG_SHORT, round_id="product_sense"))
    assert result.blind_spots == []


def test_delivery_is_measured_against_the_round_time_box() -> None:
    result = grade_request(build_request(STRONG_SHORT, round_id="technical_depth"))
    delivery = result.delivery
    assert delivery is not None
    assert delivery.words == len(STRONG_SHORT.split())
    assert delivery.notes


def test_reference_grading_lists_covered_and_missing_points() -> None:
    request = build_request(
        "Drift shows up when the input distribution shifts; I'd compare weekly histograms "
        "of brightness and scene type against the training set.",
        reference="Monitor input distributions against training data.\n"
        "Ask legal to review consent for the photo data.",
    )
    result = grade_request(request)
    assert result.round == "custom"
    coverage = result.reference_coverage
    assert coverage is not None
    covered = [p.point for p in coverage.covered]
    assert "Monitor input distributions against training data." in covered
    assert "Ask legal to review consent for the photo data." in coverage.missing


# -- registry -----------------------------------------------------------------------------


def test_local_grader_is_registered_once_and_needs_no_network() -> None:
    assert "local" in available()
    grader = get_grader("local")
    assert grader is get_grader("local")
    assert grader.needs_network is False
    assert grader.label.startswith("loopready-local ")


# -- bad input ----------------------------------------------------------------------------


def test_empty_answer_scores_zero_with_a_message() -> None:
    result = grade_request(build_request("   \n ", round_id="product_sense"))
    assert result.score == 0
    assert result.message == "the answer is empty: write or say your answer, then grade it"
    assert all(c.score == 0 for c in result.criteria)


def test_unknown_round_lists_valid_ids() -> None:
    code, _, err = run("grade", "--round", "onsite", "-", stdin="hello")
    assert code == 2
    assert err.strip() == (
        "Error: unknown round 'onsite'; valid rounds: recruiter_screen, product_sense, "
        "technical_depth, stakeholder_simulation, hiring_committee, negotiation"
    )


def test_unknown_question_lists_valid_ids() -> None:
    code, _, err = run(
        "grade", "--round", "recruiter_screen", "--question", "nope", "-", stdin="hello"
    )
    assert code == 2
    assert err.strip() == (
        "Error: unknown question 'nope' in round 'recruiter_screen'; valid questions: "
        "rs_walkthrough, rs_why_sony, rs_comp_expectations"
    )


def test_non_utf8_answer_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "answer.txt"
    path.write_bytes("Caf\xe9 au lait".encode("latin-1"))
    code, _, err = run("grade", "--round", "product_sense", str(path))
    assert code == 2
    assert err.strip() == (
        f"Error: {path}: not UTF-8 text (byte 3); save the answer as UTF-8 and try again"
    )


def test_answer_over_the_limit_is_rejected_naming_it() -> None:
    huge = "word " * 50_000
    code, _, err = run("grade", "--round", "product_sense", "-", stdin=huge)
    assert code == 2
    assert err.strip() == (
        f"Error: the answer has 50,000 words; the limit is {MAX_WORDS:,} words "
        "(about an hour of speech): grade it in parts"
    )


# -- the CLI contract ---------------------------------------------------------------------


def test_grade_json_contract(tmp_path: Path) -> None:
    path = tmp_path / "answer.txt"
    path.write_text(STRONG_SHORT, encoding="utf-8")
    code, out, _ = run(
        "grade", "--round", "product_sense", "--question", "ps_psn_recommendations", "--json",
        str(path),
    )  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert data["round"] == "product_sense"
    assert 0 <= data["score"] <= 100
    assert {"id", "score", "evidence", "advice"} <= set(data["criteria"][0])
    assert isinstance(data["blind_spots"], list)
    assert "words" in data["delivery"]
    assert data["grader"].startswith("loopready-local ")
    assert data["elapsed_ms"] > 0


def test_grade_reads_standard_input_and_prints_a_table() -> None:
    code, out, _ = run("grade", "--round", "product_sense", "-", stdin=STRONG_SHORT)
    assert code == 0
    assert "product_sense" in out and "/100" in out and "Rollout" in out


def test_batch_grades_good_lines_and_names_bad_ones(tmp_path: Path) -> None:
    batch = tmp_path / "in.jsonl"
    out = tmp_path / "out.jsonl"
    lines = [
        json.dumps({"id": "a", "answer": STRONG_SHORT, "round": "product_sense"}),
        "{not json",
        json.dumps({"id": "c", "answer": "Anything.", "round": "nope"}),
        json.dumps({"id": "d", "answer": "Covers monitoring.", "reference": "Monitoring."}),
        json.dumps({"id": "e", "answer": "No round and no reference."}),
    ]
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _, err = run("grade", "--batch", str(batch), "--out", str(out))
    assert code == 1
    results = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r.get("id") for r in results] == ["a", None, "c", "d", "e"]
    assert results[0]["round"] == "product_sense" and "score" in results[0]
    assert results[3]["round"] == "custom" and "reference_coverage" in results[3]
    assert (
        f"{batch}: line 2: not valid JSON (Expecting property name enclosed in double "
        "quotes at column 2)" in err
    )
    assert f"{batch}: line 3: unknown round 'nope'" in err
    assert f'{batch}: line 5: give "round", or "reference" for a custom question' in err
    assert "3 of 5 lines could not be graded" in err


@pytest.mark.parametrize("round_id", ["recruiter_screen", "technical_depth", "hiring_committee"])
def test_every_round_can_be_graded(round_id: str) -> None:
    pack = get_pack()
    request = GradeRequest(answer=STRONG_SHORT, pack=pack, round_id=round_id)
    result = get_grader().grade(request)
    assert result.round == round_id
    assert len(result.criteria) == len(pack.round(round_id).rubric.criteria)


# -- the semantic blind-spot match, on hand-made vectors (mutation survivors, docs/testing.md) --


def _vectors(*rows: tuple[float, ...]) -> Any:
    import numpy as np

    return np.array(rows, dtype=np.float64).reshape(len(rows), 3)


def test_semantic_match_needs_sentences_and_examples() -> None:
    from loopready.grading.blindspots import _semantic

    example = _vectors((1.0, 0.0, 0.0))
    close = _vectors((0.95, 0.1, 0.0))
    assert _semantic(close, example) == 0  # one example is enough
    assert _semantic(close, None) is None
    assert _semantic(close, _vectors()) is None  # no examples
    assert _semantic(_vectors(), example) is None  # no sentences
    assert _semantic(close, example, _vectors()) == 0  # no near misses: as if none were given


def test_semantic_match_skips_sentences_as_close_to_a_near_miss() -> None:
    from loopready.grading.blindspots import _semantic

    example = _vectors((1.0, 0.0, 0.0))
    near_miss = _vectors((0.0, 1.0, 0.0))
    sentences = _vectors(
        (0.9, 0.91, 0.0),  # 0.9 to the example but 0.91 to the near miss: within the margin
        (0.8, 0.1, 0.0),  # 0.8 to the example, far from the near miss
    )
    assert _semantic(sentences, example) == 0
    assert _semantic(sentences, example, near_miss) == 1
    # Each sentence is weighed against its own nearest near miss, not the closest overall.
    assert _semantic(sentences[1:], example, near_miss) == 0
    assert _semantic(sentences[:1], example, near_miss) is None


@pytest.mark.parametrize(
    ("sentence", "waved"),
    [
        ("I'm not fussed about the bonus.", True),  # dismissed
        ("The bonus is just a bonus.", True),  # minimised, nothing asked of it
        ("I'd just like a bigger equity grant.", False),  # minimising word, but an ask
        # a total ask frames the whole package, even with "just" in it
        ("My target is 250 total, with the bonus in it, not just base.", False),
    ],
)
def test_a_lever_is_waved_away_only_when_dismissed_or_minimised(sentence: str, waved: bool) -> None:
    from loopready.grading.blindspots import _lever_waved_away

    assert _lever_waved_away(sentence) is waved


def test_a_base_only_ask_quotes_the_asks_and_the_dismissals_only() -> None:
    from loopready.grading.blindspots import _waved_away

    sentences = [
        "I'm not fussed about the bonus or the stock.",  # levers waved away
        "I'd push for a higher base.",  # the ask on base
        "It's just how I think.",  # a minimising word, no lever
        "I'd push for an early start date.",  # an ask, not on base
    ]
    assert _waved_away(sentences) == (0, 1)


def _rule(name: str, sentences: list[str]) -> int | None:
    from loopready.grading.blindspots import RULES
    from loopready.grading.signals import analyse

    return RULES[name](sentences, analyse(sentences))


def test_a_sentence_reporting_two_parties_positions_is_not_a_metric_dump() -> None:
    reported = (
        "Research wants NDCG, recall and precision, marketing wants CTR, conversion and revenue."
    )
    listed = (
        "Research tracks NDCG, recall and precision, and marketing tracks CTR, conversion "
        "and revenue."
    )
    assert _rule("metric_dump", [reported]) is None
    assert _rule("metric_dump", [listed]) == 0


def test_a_reasoned_choice_among_nine_metrics_is_not_a_metric_dump() -> None:
    listed = (
        "We track NDCG, recall, precision, CTR, conversion, revenue, retention, latency and churn."
    )
    reasoned = "The one I would steer by is retention, because it shows players coming back."
    assert _rule("metric_dump", [listed, reasoned]) is None
    assert _rule("metric_dump", [listed, "I would steer by retention."]) == 0


def test_base_only_needs_every_named_lever_waved_away() -> None:
    assert (
        _rule(
            "base_only_negotiation", ["I'd push for a higher base.", "I'd also like more equity."]
        )
        is None
    )


def test_base_only_without_an_ask_quotes_the_first_dismissal() -> None:
    sentences = [
        "Equity doesn't really matter to me.",
        "The base salary is the part I look at.",
        "The bonus is just a bonus.",
    ]
    assert _rule("base_only_negotiation", sentences) == 0


def test_experiment_tooling_is_not_an_experiment_without_a_launch_rule() -> None:
    tooling = "We log every run with experiment tracking in MLflow."
    assert (
        _rule("experiments_without_gtm", [tooling, "Our experiment registry keeps the configs."])
        is None
    )
    # The tool is skipped, the tests after it still count: the first test is quoted.
    tests = ["We ran an A/B test on the ranker.", "A second A/B test tried new thumbnails."]
    assert _rule("experiments_without_gtm", [tooling, *tests]) == 1


def test_detect_skips_loop_level_spots_and_names_the_other_sentences() -> None:
    import numpy as np

    from loopready.grading.blindspots import detect
    from loopready.grading.signals import analyse

    spots = get_pack().blind_spots
    loop_first = sorted(spots, key=lambda s: s.rule != "isolated_rounds")
    assert loop_first[0].rule == "isolated_rounds"  # judged by the debrief, skipped here
    sentences = ["I'm not fussed about the bonus or the stock.", "I'd push for a higher base."]
    found = detect(loop_first, sentences, analyse(sentences), np.zeros((2, 3)), {})
    by_id = {f.id: f for f in found}
    assert by_id["base_only_negotiation"].sentence_index == 1
    assert by_id["base_only_negotiation"].also == (0,)  # the levers waved away


def test_detect_weighs_a_pack_spot_against_its_near_misses() -> None:
    from loopready.grading.blindspots import detect
    from loopready.grading.signals import analyse

    spot = get_pack().blind_spots[0].model_copy(update={"id": "own_spot", "rule": None})
    sentences = ["One.", "Two."]
    vectors = _vectors((0.9, 0.91, 0.0), (0.8, 0.1, 0.0))
    examples = {"own_spot": _vectors((1.0, 0.0, 0.0))}
    near = {"own_spot": _vectors((0.0, 1.0, 0.0))}
    a = analyse(sentences)
    assert [f.sentence_index for f in detect([spot], sentences, a, vectors, examples)] == [0]
    found = detect([spot], sentences, a, vectors, examples, near)
    assert [(f.id, f.sentence_index) for f in found] == [("own_spot", 1)]
