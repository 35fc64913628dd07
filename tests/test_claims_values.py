"""Claims' numbers and how the debrief writes them back (mutation survivors, docs/testing.md)."""

from __future__ import annotations

import pytest

from loopready.interview.claims import Claim, Inconsistency, parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("8", 8.0),
        ("1,200", 1200.0),
        ("eight", 8.0),
        (" Twelve ", 12.0),
        ("twenty-five", 25.0),
        ("forty two", 42.0),
        ("ninety-nine", 99.0),
        ("a dozen", 12.0),
    ],
)
def test_parse_number_reads_digits_and_words(text: str, value: float) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    "text", ["twenty apples", "apples twenty", "twenty-five-six", "many", "five-ish", ""]
)
def test_parse_number_refuses_what_is_not_a_number(text: str) -> None:
    assert parse_number(text) is None


def _claim(value: float, unit: str, **kw: object) -> Claim:
    return Claim(subject="users", value=value, unit=unit, approx=False, quote="q", **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("claim", "text"),
    [
        (_claim(8, "count"), "8"),
        (_claim(2.5, "count"), "2.5"),
        (_claim(9_999, "count"), "9999"),
        (_claim(10_000, "count"), "10,000"),
        (_claim(-12_000, "count"), "-12,000"),
        (_claim(12, "percent"), "12%"),
        (_claim(3_000_000, "money"), "$3,000,000"),
        (_claim(950, "money"), "$950"),
        (_claim(120, "ms"), "120 ms"),
        (_claim(7, "years"), "7 years"),
        (_claim(2026, "year"), "2026"),
        (_claim(2026, "year", months=(1, 12)), "2026"),
        (_claim(2026, "year", months=(3, 3)), "March 2026"),
        (_claim(2026, "year", months=(12, 12)), "December 2026"),
        (_claim(2026, "year", months=(7, 9)), "Q3 2026"),
        (_claim(2026, "year", months=(1, 3)), "Q1 2026"),
        (_claim(2026, "year", months=(2, 4)), "February-April 2026"),
        (_claim(2026, "year", months=(3, 4)), "March-April 2026"),
        (_claim(7, "percent", months=(3, 3)), "7%"),
    ],
)
def test_value_text_writes_the_value_as_said(claim: Claim, text: str) -> None:
    assert claim.value_text() == text


def test_describe_names_the_subject_entity_and_value() -> None:
    assert _claim(8, "count").describe() == "users: 8"
    assert _claim(8, "count", entity="Beacon").describe() == "users (Beacon): 8"


def test_an_inconsistency_describes_and_serialises_every_claim() -> None:
    a = _claim(8, "count", source="screen", entity="Beacon")
    b = _claim(12, "count", source="panel", entity="Beacon")
    item = Inconsistency(subject="users", claims=(a, b))
    assert item.entity == "Beacon"
    assert item.describe() == "users: screen: users (Beacon): 8; panel: users (Beacon): 12"
    assert item.to_dict() == {
        "subject": "users",
        "entity": "Beacon",
        "claims": [
            {"round": "screen", "quote": "q", "value": 8, "unit": "count"},
            {"round": "panel", "quote": "q", "value": 12, "unit": "count"},
        ],
    }
    mixed = Inconsistency(subject="users", claims=(a, _claim(12, "count", entity="Atlas")))
    assert mixed.entity is None


def test_a_claim_serialises_its_fields() -> None:
    claim = _claim(12, "percent", source="screen", entity="Beacon", bound="about", change=True)
    assert claim.to_dict() == {
        "round": "screen",
        "quote": "q",
        "subject": "users",
        "value": 12,
        "unit": "percent",
        "entity": "Beacon",
        "bound": "about",
        "change": True,
    }
    assert _claim(3, "count").to_dict()["bound"] is None
