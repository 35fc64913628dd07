"""Judgment checks: the learned off-topic check, red flags as plain acts, blind-spot rules."""

from __future__ import annotations

import numpy as np
import pytest

from loopready.grading import offtopic, redflags


def test_the_shipped_key_point_check_reads_its_features() -> None:
    model = offtopic.points_model()
    assert model is not None
    assert model.weights.shape == (len(offtopic.POINT_FEATURES),)
    assert 0.05 <= model.threshold < 1.0


def test_covering_the_key_points_and_the_criteria_is_on_topic() -> None:
    model = offtopic.points_model()
    assert model is not None
    # asked, other margin, round margin, coverage, evidence share, score / 100, deflects
    on_topic = np.array([0.42, -0.05, -0.08, 0.8, 0.8, 0.7, 0.0])
    elsewhere = np.array([0.25, 0.15, 0.10, 0.0, 0.0, 0.2, 0.0])
    assert model.probability(on_topic) < model.threshold <= model.probability(elsewhere)
    # closer to another question counts towards off topic, all else equal
    nearer = elsewhere.copy()
    nearer[1] -= 0.2
    assert model.probability(nearer) < model.probability(elsewhere)
    # so does an opening that sets the question aside, all else equal
    turned = on_topic.copy()
    turned[6] = 1.0 - turned[3]
    assert model.probability(turned) > model.probability(on_topic)


@pytest.mark.parametrize(
    ("opening", "turns_away"),
    [
        ("Before we talk about recommendations, the bigger issue is pricing.", True),
        ("What I'd really focus on is the subscription tiers.", True),
        ("The hard part here isn't the model, it's getting everyone to agree.", True),
        ("I'd get everyone in a room and check we are ready before we go.", False),
        ("The real problem is players who get stuck and leave the game.", False),
        ("The overall figure isn't the one we act on, because it hides the older phones.", False),
    ],
)
def test_an_opening_that_sets_the_question_aside_is_read(opening: str, turns_away: bool) -> None:
    assert offtopic.deflects([opening, "Then a second sentence."]) is turns_away
    # only the opening counts: the same sentence late in an answer is not a deflection
    assert not offtopic.deflects(["One.", "Two.", "Three.", opening])


@pytest.mark.parametrize(
    "sentence",
    [
        "Engineering, plan for November 14 as well; the latency work fits in that window.",
        "The new row replaces the old one for all forty million monthly visitors on day one.",
        "The older phones dropped to 70%, but those are only a tenth of users, so we leave it.",
        "We take the photos already sitting in people's cloud albums and train on the faces.",
        "Next, engineering explains how they'll hit the March date.",
        "Once it wins we overwrite the model on every phone and delete the old build.",
        "From there the model simply runs and the team moves on to the next feature.",
        "Engineering, we launch once the page is fast enough, whatever that takes.",
        "So each team gets what it asked for, and nobody's plan changes.",
        "I'd announce the date at the showcase, and the filter work runs in parallel.",
        "I'd release it as is in November.",
    ],
)
def test_plain_acts_read_as_unguarded_risk(sentence: str) -> None:
    assert redflags.dismissive(sentence) and not redflags.guarded(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "We will not launch to all players until the held-back group shows a lift.",
        "Once engineering has estimated the work, we plan for March.",
        "Only after legal signs off do we widen it to every region.",
        "Marketing gets a date once engineering and legal have both said yes.",
    ],
)
def test_the_same_acts_under_a_check_are_guarded(sentence: str) -> None:
    assert redflags.guarded(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Research cares about accuracy, the only number they can move on their own.",
        "We'd compare how many people keep the photos and how many accept the consent.",
        "The PM's job is agreeing when the model is good enough to ship.",
        "The latency work runs in parallel with that test.",
        "Ship rule: purchases up with the interval above zero, and it goes to everyone.",
    ],
)
def test_the_same_words_without_the_risky_stance_are_not_cues(sentence: str) -> None:
    assert not redflags.dismissive(sentence)


def _spots(text: str) -> set[str]:
    from loopready.grading import blindspots, signals
    from loopready.language.sentences import split_sentences

    sentences = split_sentences(text)
    analysis = signals.analyse(sentences)
    return {
        rule_id
        for rule_id, rule in blindspots.RULES.items()
        if rule(sentences, analysis) is not None
    }


def test_metrics_named_around_a_reasoned_choice_are_not_a_dump() -> None:
    dump = (
        "We'd track click-through, conversion, retention, session length, refunds, NPS, "
        "average order value and daily active users. All of them go on a dashboard."
    )
    chosen = (
        dump + " What I'd be judged on is conversion, because a bought game is what the "
        "player and the store both wanted."
    )
    assert "metric_dump" in _spots(dump)
    assert "metric_dump" not in _spots(chosen)


def test_the_room_s_positions_are_not_the_candidate_s_metric_dump() -> None:
    text = (
        "Research wants NDCG, marketing wants click-through, finance wants revenue per user "
        "and engineering wants serving cost, while sales wants retention and conversion. "
        "I'd agree one number with them this week."
    )
    assert "metric_dump" not in _spots(text)


def test_model_building_detail_is_reported_as_algorithm_over_decision_only() -> None:
    from loopready.grading import blindspots
    from loopready.grading.blindspots import Finding

    text = (
        "I'd build a LightGBM ranker with LambdaMART loss and tune tree depth with Bayesian "
        "search. The embeddings come from a pretrained sequence model with contrastive "
        "pretraining, and we'd add quantisation-aware training for the edge."
    )
    assert "algorithm_over_decision" in _spots(text)
    both = [Finding("jargon_without_outcome", 0), Finding("algorithm_over_decision", 1)]
    assert [f.id for f in blindspots._most_specific(both)] == ["algorithm_over_decision"]


@pytest.mark.parametrize(
    "answer",
    [
        "Base is the main thing for me. I would need 190 in base to move.",
        "I want 200 base. Equity is lottery tickets to me, so I would rather not count it.",
    ],
)
def test_no_sentence_of_a_base_only_ask_is_quoted_as_evidence(answer: str) -> None:
    from loopready.grading.base import GradeRequest
    from loopready.grading.service import grade_request
    from loopready.packs import get_pack

    result = grade_request(
        GradeRequest(
            answer=answer,
            pack=get_pack("sony-ai-pm-2026"),
            round_id="recruiter_screen",
            question_id="rs_comp_expectations",
        )
    )
    assert "base_only_negotiation" in {b.id for b in result.blind_spots}
    quoted = {q for c in result.criteria for q in c.evidence}
    assert not quoted & {"I would need 190 in base to move.", "I want 200 base."}
    assert not any("lottery" in q for q in quoted)


@pytest.mark.parametrize(
    "answer",
    [
        "Thanks. The RSU piece isn't something I weigh much, so I'd want the salary at 190.",
        "Appreciate the package. Bonus targets are just targets; I'd prefer the money in base.",
        "Let's focus on base; the other pieces are fine however they land. I'm looking for 185.",
        "Salary is what I need. Get me to 190 base and you can keep the sign-on.",
    ],
)
def test_a_lever_minimised_in_any_words_beside_a_base_ask_is_base_only(answer: str) -> None:
    assert "base_only_negotiation" in _spots(answer)


@pytest.mark.parametrize(
    "answer",
    [
        "The base is under what I hoped; could we look at 185, or a larger equity grant?",
        "I value the equity, since I believe in the product. If base can reach 180, I'll sign.",
        "I'd rather not share my current salary; my target is 230 to 250 total.",
    ],
)
def test_a_base_ask_that_keeps_the_other_levers_in_play_is_not_base_only(answer: str) -> None:
    assert "base_only_negotiation" not in _spots(answer)


def test_experiment_tooling_is_not_a_test_the_team_runs() -> None:
    tooling = (
        "Training runs on Kubeflow with experiment tracking in MLflow. "
        "Every experiment run is logged to the experiment registry."
    )
    assert "experiments_without_gtm" not in _spots(tooling)
    tests = "We run an A/B test on the ranking. The experiment runs for two weeks."
    assert "experiments_without_gtm" in _spots(tests)
