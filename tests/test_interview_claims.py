"""Claims and contradictions: the extractor on its own, and the planted-case benchmark."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from loopready.interview.debrief import loop_consistency
from loopready.language.claims import (
    agree,
    check_consistency,
    extract_claims,
    find_inconsistencies,
    named_entities,
)
from loopready.packs import get_pack

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "benchmarks" / "data" / "consistency_cases.jsonl"
HOLDOUT = ROOT / "benchmarks" / "data" / "consistency_holdout.jsonl"
FRESH = ROOT / "benchmarks" / "data" / "consistency_fresh.jsonl"


def _one(text: str):  # type: ignore[no-untyped-def]
    claims = extract_claims(text, "r")
    assert len(claims) == 1, claims
    return claims[0]


@pytest.mark.parametrize(
    ("text", "subject", "value", "unit"),
    [
        ("I led a team of 8 on search.", "team size", 8, "count"),
        ("I run a team of eight.", "team size", 8, "count"),
        ("Leading a 15-person team taught me a lot.", "team size", 15, "count"),
        ("I manage six PMs.", "product managers", 6, "count"),
        ("The feature lifted retention by 12%.", "retention", 12, "percent"),
        ("Retention went up about 12 per cent.", "retention", 12, "percent"),
        ("It brought in $3M in new revenue.", "revenue", 3_000_000, "money"),
        ("It made five million dollars in new revenue.", "revenue", 5_000_000, "money"),
        ("The app reached 2.5 million users.", "users", 2_500_000, "count"),
        ("I have seven years in product management.", "experience", 7, "years"),
        ("We cut latency to 120 ms.", "latency", 120, "ms"),
        ("We launched Beacon in 2021.", "launch year", 2021, "year"),
    ],
)
def test_extracts_the_number_and_its_subject(
    text: str, subject: str, value: float, unit: str
) -> None:
    claim = _one(text)
    assert (claim.subject, claim.value, claim.unit) == (subject, value, unit)
    assert claim.quote == text


@pytest.mark.parametrize(
    "text",
    [
        "I would target a 2% lift in conversion.",  # a plan
        "If refunds rise more than one point, we stop.",  # a condition
        "I grew the team from 3 engineers to 12 engineers.",  # 3 is only the start
        "Our 30-day retention is what we watch.",  # a window, not a value
        "We ran the test on 5% of users.",  # a share of users, not a user count
        "It took over two years.",  # not a career claim
    ],
)
def test_plans_windows_and_starting_points_are_not_claims(text: str) -> None:
    claims = extract_claims(text, "r")
    assert not [c for c in claims if c.value in {2, 1, 3, 30, 5}]


def test_a_fact_followed_by_a_plan_clause_is_still_a_fact() -> None:
    claim = _one("I have three product managers reporting to me, and I would miss them.")
    assert (claim.subject, claim.value) == ("product managers", 3)


def test_named_projects_scope_claims() -> None:
    a = _one("On Aurora I led a team of 8.")
    b = _one("Later, on Lumen, I led a team of 15.")
    assert (a.entity, b.entity) == ("Aurora", "Lumen")
    assert find_inconsistencies([a, _replace_source(b)]) == []
    c = _one("On Aurora I had a team of 20.")
    found = find_inconsistencies([a, _replace_source(c)])
    assert [i.subject for i in found] == ["team size"]


def _replace_source(claim):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    return replace(claim, source="other")


def test_restatements_agree_and_contradictions_do_not() -> None:
    def pair(x: str, y: str) -> bool:
        return agree(_one(x), _one(y))

    assert pair("I lead 8 engineers.", "I lead eight engineers.")
    assert pair("It lifted retention by 12%.", "It lifted retention about 12 per cent.")
    assert pair("It reached over 2 million users.", "It reached 2.5 million users.")
    assert not pair("It lifted retention by about 10%.", "It lifted retention by 25%.")
    assert not pair("We launched it in March 2022.", "We launched it in September 2022.")
    assert pair("We launched it in March 2022.", "We launched it in 2022.")


def test_claims_from_the_same_round_are_never_contradictions() -> None:
    claims = extract_claims("I led a team of 8. Later I led a team of 15.", "same")
    assert find_inconsistencies(claims) == []


def test_company_facts_and_case_figures_are_not_the_candidates() -> None:
    claims, found = check_consistency(
        [
            ("screen", "My photo app reached 5 million users."),
            ("case", "PlayStation Network has about 40 million accounts visiting each month."),
        ],
        ignore_entities=["PlayStation Network"],
        given={"case": "Assume about 40 million accounts visit the store."},
    )
    assert [c.source for c in claims] == ["screen"]
    assert found == []


def test_named_entities_skip_sentence_starts_and_calendar_words() -> None:
    text = "In March we shipped Beacon. Then Lumen reached users in Europe on Monday."
    assert named_entities(text) == ["Beacon", "Lumen", "Europe"]


@pytest.mark.parametrize("path", [CASES, HOLDOUT, FRESH], ids=["planted", "holdout", "fresh"])
def test_planted_cases_precision_and_recall(path: Path) -> None:
    pack = get_pack("sony-ai-pm-2026")
    tp = fp = fn = 0
    cases = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    for case in cases:
        _, found = loop_consistency(pack, [(a["round"], a["text"]) for a in case["answers"]])
        got = {i.subject for i in found}
        expected = set(case["expected"])
        tp += len(got & expected)
        fp += len(got - expected)
        fn += len(expected - got)
        # every flagged contradiction quotes both rounds
        for item in found:
            assert len({c.source for c in item.claims}) >= 2
    assert tp / (tp + fp) >= 0.9
    assert tp / (tp + fn) >= 0.9


def test_the_planted_set_is_big_enough_and_balanced() -> None:
    cases = [json.loads(line) for line in CASES.read_text().splitlines() if line.strip()]
    assert len(cases) >= 40
    assert len({c["id"] for c in cases}) == len(cases)
    kinds = {c["kind"] for c in cases}
    assert kinds == {"contradiction", "consistent"}
    for case in cases:
        assert (case["kind"] == "contradiction") == bool(case["expected"])


def test_benchmark_script_prints_its_figures() -> None:
    out = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "consistency.py"),
            "--json",
            "--cases",
            str(CASES),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    figures = json.loads(out)
    assert figures["cases"] >= 40
    assert figures["precision"] >= 0.9 and figures["recall"] >= 0.9
