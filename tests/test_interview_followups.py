"""Follow-up probes are chosen from what the grade found missing, deterministically."""

from __future__ import annotations

from loopready.grading.base import CriterionScore, GradeResult
from loopready.interview.followups import choose_follow_ups, missing_criteria
from loopready.packs import get_pack
from loopready.packs.schema import Prompt, Round


def _grade(scores: dict[str, int]) -> GradeResult:
    return GradeResult(
        round="product_sense",
        score=50,
        criteria=[CriterionScore(id=k, name=k, score=v) for k, v in scores.items()],
        grader="test 0",
    )


def _case() -> tuple[Round, Prompt]:
    pack = get_pack("sony-ai-pm-2026")
    rnd = pack.round("product_sense")
    return rnd, rnd.prompts[0]


def test_no_rollout_plan_brings_the_launch_probe() -> None:
    rnd, prompt = _case()
    grade = _grade(
        {
            "scope": 4,
            "success_metrics": 4,
            "business_translation": 3,
            "rollout_plan": 0,
            "stakeholder_framing": 4,
        }
    )
    probes = choose_follow_ups(rnd, prompt, grade)
    assert [p.id for p in probes] == ["ps_psn_fu_rollout"]
    assert "launch" in probes[0].question.lower()


def test_at_most_three_lowest_then_in_rubric_order() -> None:
    rnd, prompt = _case()
    grade = _grade(
        {
            "scope": 1,
            "success_metrics": 0,
            "business_translation": 2,
            "rollout_plan": 1,
            "stakeholder_framing": 0,
        }
    )
    probes = choose_follow_ups(rnd, prompt, grade)
    # the three lowest with a probe (scope has none on this prompt), asked in rubric order
    assert [p.criterion for p in probes] == [
        "success_metrics",
        "rollout_plan",
        "stakeholder_framing",
    ]
    assert probes == choose_follow_ups(rnd, prompt, grade)


def test_a_strong_answer_still_gets_one_probe_on_its_weakest_point() -> None:
    rnd, prompt = _case()
    grade = _grade(
        {
            "scope": 4,
            "success_metrics": 4,
            "business_translation": 4,
            "rollout_plan": 4,
            "stakeholder_framing": 3,
        }
    )
    probes = choose_follow_ups(rnd, prompt, grade)
    assert [p.criterion for p in probes] == ["stakeholder_framing"]
    assert missing_criteria(rnd, grade) == []


def test_criteria_missing_from_the_grade_count_as_absent() -> None:
    rnd, prompt = _case()
    probes = choose_follow_ups(rnd, prompt, _grade({}))
    assert len(probes) == 3
    assert [p.criterion for p in probes] == [
        "success_metrics",
        "business_translation",
        "rollout_plan",
    ]


def test_below_the_bar_anything_short_of_full_marks_is_missing() -> None:
    rnd, prompt = _case()
    scores = {
        "scope": 4,
        "success_metrics": 3,
        "business_translation": 4,
        "rollout_plan": 3,
        "stakeholder_framing": 3,
    }
    above = choose_follow_ups(rnd, prompt, _grade(scores), bar=45)  # scored 50: above the bar
    assert [p.criterion for p in above] == ["success_metrics"]
    below = choose_follow_ups(rnd, prompt, _grade(scores), bar=55)
    assert [p.criterion for p in below] == [
        "success_metrics",
        "rollout_plan",
        "stakeholder_framing",
    ]
    assert missing_criteria(rnd, _grade(scores), bar=55) == [
        "success_metrics",
        "rollout_plan",
        "stakeholder_framing",
    ]
