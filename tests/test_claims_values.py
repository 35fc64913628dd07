"""Claims' numbers and how the debrief writes them back (mutation survivors, docs/testing.md)."""

from __future__ import annotations

from typing import Any

import pytest

from loopready.language.claims import (
    Claim,
    Inconsistency,
    _given_figures,
    _within,
    agree,
    check_consistency,
    extract_claims,
    is_hypothetical,
    named_entities,
)
from loopready.language.numbers import parse_number


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


def _c(value: float, unit: str = "count", bound: str = "", months: Any = None) -> Claim:
    return Claim(
        subject="users", value=value, unit=unit, approx=False, quote="q", bound=bound, months=months
    )


# (first claim, second claim, can both be true)
AGREE_CASES: list[tuple[Claim, Claim, bool]] = [
    # years: the same year, and months that overlap (a missing month is the whole year)
    (_c(2024, "year", months=(3, 3)), _c(2024, "year", months=(3, 3)), True),
    (_c(2024, "year", months=(3, 3)), _c(2024, "year", months=(4, 4)), False),
    (_c(2024, "year", months=(1, 3)), _c(2024, "year", months=(3, 5)), True),
    (_c(2024, "year", months=(3, 5)), _c(2024, "year", months=(1, 3)), True),
    (_c(2024, "year", months=(1, 6)), _c(2024, "year", months=(3, 4)), True),
    (_c(2024, "year"), _c(2024, "year", months=(1, 1)), True),
    (_c(2024, "year", months=(1, 1)), _c(2024, "year"), True),
    (_c(2024, "year"), _c(2025, "year"), False),
    # percentages: half a point of slack, 12% of the value when one is hedged
    (_c(12, "percent"), _c(12, "percent"), True),
    (_c(12, "percent"), _c(12.5, "percent"), True),
    (_c(12, "percent"), _c(12.6, "percent"), False),
    (_c(100, "percent"), _c(101.5, "percent"), False),
    (_c(20, "percent", "about"), _c(22, "percent"), True),
    (_c(20, "percent"), _c(22, "percent", "about"), True),
    (_c(10, "percent", "over"), _c(12, "percent"), True),
    (_c(12, "percent"), _c(10, "percent", "over"), True),
    (_c(10, "percent", "over"), _c(16.5, "percent"), False),
    (_c(16.5, "percent"), _c(10, "percent", "over"), False),
    (_c(10, "percent", "under"), _c(8, "percent"), True),
    (_c(8, "percent"), _c(10, "percent", "under"), True),
    (_c(10, "percent", "over"), _c(12, "percent", "about"), False),
    (_c(12, "percent", "about"), _c(10, "percent", "over"), False),
    # counts and money: exact when small, 5% when large, 12% when hedged
    (_c(8), _c(8), True),
    (_c(8), _c(9), False),
    (_c(20), _c(21), False),
    (_c(1000), _c(950), True),
    (_c(1000), _c(940), False),
    (_c(100, bound="about"), _c(110), True),
    (_c(100), _c(110, bound="about"), True),
    (_c(100, bound="about"), _c(200), False),
    (_c(10, bound="over"), _c(12), True),
    (_c(12), _c(10, bound="over"), True),
    (_c(10, bound="over"), _c(17), False),
    (_c(10, bound="over"), _c(9), False),
    (_c(10, bound="under"), _c(8), True),
    (_c(8), _c(10, bound="under"), True),
    (_c(10, bound="under"), _c(11), False),
    (_c(10, bound="under"), _c(5), False),
]


@pytest.mark.parametrize(("a", "b", "expected"), AGREE_CASES)
def test_agree(a: Claim, b: Claim, expected: bool) -> None:
    assert agree(a, b) is expected


# sentence -> (subject, value, unit, bound, the words the span covers)
EXTRACTED: list[tuple[str, tuple[str, float, str, str, str]]] = [
    ("Latency dropped to 0.2 seconds on the home page.", ("latency", 200, "ms", "", "0.2 seconds")),
    ("Latency is 120 ms on the store.", ("latency", 120, "ms", "", "120 ms")),
    ("We grew revenue to 3 million dollars.", ("revenue", 3e6, "money", "", "3 million dollars")),
    ("We grew revenue to $3 million.", ("revenue", 3e6, "money", "", "$3 million")),
    ("Revenue grew by 12 million.", ("revenue", 12e6, "money", "", "12 million")),
    ("We cut compute cost to 40k.", ("cost", 40_000, "money", "", "40k")),
    ("We reached 2 million users.", ("users", 2e6, "count", "", "2 million")),
    ("Retention rose 12%.", ("retention", 12, "percent", "", "12%")),
    ("I managed about 40 engineers.", ("engineers", 40, "count", "about", "40")),
    ("I managed ~12 engineers.", ("engineers", 12, "count", "about", "12")),
    ("I managed over 8 engineers.", ("engineers", 8, "count", "over", "8")),
    ("I managed under 10 engineers.", ("engineers", 10, "count", "under", "10")),
    ("I have spent 7 years in product.", ("experience", 7, "years", "", "7")),
    ("I joined in March 2021.", ("start year", 2021, "year", "", "2021")),
]


@pytest.mark.parametrize(("sentence", "expected"), EXTRACTED, ids=[s for s, _ in EXTRACTED])
def test_extracted_claim(sentence: str, expected: tuple[str, float, str, str, str]) -> None:
    (claim,) = extract_claims(sentence, source="screen")
    subject, value, unit, bound, words = expected
    assert (claim.subject, claim.value, claim.unit, claim.bound) == (subject, value, unit, bound)
    assert claim.approx is bool(bound)
    assert sentence[claim.span[0] : claim.span[1]] == words
    assert claim.source == "screen"


@pytest.mark.parametrize(
    ("brief", "answer", "other"),
    [
        (
            "The store has 40 million users.",
            "We have 40 million users.",
            "We have 12 million users.",
        ),
        ("Retention is 35% today.", "Retention is 35%.", "Retention is 20%."),
        ("Latency is 0.3 seconds.", "Latency is 300 ms.", "Latency is 120 ms."),
        ("Revenue is $2 million.", "Revenue is $2 million.", "Revenue is $9 million."),
        ("There are 8 engineers.", "We have 8 engineers.", "We have 3 engineers."),
    ],
)
def test_figures_handed_in_the_brief_are_not_the_candidates_claims(
    brief: str, answer: str, other: str
) -> None:
    answers = [("case", answer), ("panel", other)]
    claims, found = check_consistency(answers)
    assert found, "without the brief the two rounds contradict each other"
    claims, found = check_consistency(answers, given={"case": f"Ignore 7 apples. {brief}"})
    assert found == []
    assert [c.source for c in claims] == ["panel"]
    # The brief only covers its own round.
    _, found = check_consistency(answers, given={"panel": brief})
    assert found


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("We launched it in Q3 2022.", [("launch year", 2022, (7, 9), None)]),
        ("We launched it in Q1 2022.", [("launch year", 2022, (1, 3), None)]),
        ("We launched it in early 2023.", [("launch year", 2023, (1, 6), None)]),
        ("We launched it in mid 2023.", [("launch year", 2023, (4, 9), None)]),
        ("We launched it in late 2023.", [("launch year", 2023, (7, 12), None)]),
        ("I joined in March 2021.", [("start year", 2021, (3, 3), None)]),
        ("We shipped it in 2020.", [("launch year", 2020, (1, 12), None)]),
        (
            "I joined Atlas in 2019, and we launched in 2021.",
            [("start year", 2019, (1, 12), "Atlas"), ("launch year", 2021, (1, 12), "Atlas")],
        ),
    ],
)
def test_years_carry_the_event_and_the_months(
    sentence: str, expected: list[tuple[str, float, tuple[int, int], str | None]]
) -> None:
    got = [(c.subject, c.value, c.months, c.entity) for c in extract_claims(sentence, "r")]
    assert got == expected


# -- edges the first tests left open (mutation survivors, docs/testing.md) ---------------


@pytest.mark.parametrize(
    ("value", "reference", "bound", "tolerance", "compatible"),
    [
        # "over 100" holds 100 itself, up to 1.6 times it, and 2% below it when rounded.
        (100, 100, "over", 0, True),
        (99, 100, "over", 0.02, True),
        (97, 100, "over", 0.02, False),
        (160, 100, "over", 0, True),
        (160.2, 100, "over", 0.5, True),
        (161, 100, "over", 0, False),
        # "under 100" holds 100 itself (2% above it when rounded) down to 0.6 times it.
        (100, 100, "under", 0, True),
        (102, 100, "under", 0.02, True),
        (103, 100, "under", 0.02, False),
        (60, 100, "under", 0, True),
        (59.8, 100, "under", 0.5, True),
        (59, 100, "under", 0, False),
    ],
)
def test_over_and_under_include_their_edges(
    value: float, reference: float, bound: str, tolerance: float, compatible: bool
) -> None:
    assert _within(value, reference, bound, tolerance) is compatible


def test_over_a_million_agrees_with_990_thousand_but_not_with_900_thousand() -> None:
    over = extract_claims("We grew revenue by over $1M.", "a")[0]
    close = extract_claims("We grew revenue by $990,000.", "b")[0]
    far = extract_claims("We grew revenue by $900,000.", "c")[0]
    assert (over.bound, over.value) == ("over", 1_000_000)
    assert agree(over, close) and agree(close, over)
    assert not agree(over, far)


def test_a_sentence_said_twice_gives_two_claims_at_their_own_places() -> None:
    text = "We grew retention 10%. We grew retention 10%."
    spans = [c.span for c in extract_claims(text)]
    assert spans == [(18, 21), (41, 44)]
    assert {text[a:b] for a, b in spans} == {"10%"}


def test_durations_in_a_brief_are_read_in_milliseconds() -> None:
    assert _given_figures("p95 is 300 ms and the timeout is 2 seconds") == {
        (95.0, "count"),
        (300.0, "ms"),
        (2000.0, "ms"),
    }


def test_career_years_and_years_at_one_employer_are_not_compared() -> None:
    _, found = check_consistency(
        [
            ("a", "I have 10 years of experience in product."),
            ("b", "I have 4 years of experience at Valve."),
        ]
    )
    assert found == []


def test_projects_named_for_one_subject_are_kept_apart() -> None:
    atlas = ("a", "The Atlas team grew to 8 people.")
    beacon = ("b", "The Beacon team had 12 people.")
    # Atlas against Beacon is no conflict; the pair after it (Atlas against Atlas) still is.
    _, found = check_consistency([atlas, beacon, ("c", "The Atlas team had 12 people.")])
    assert [[c.source for c in f.claims] for f in found] == [["a", "c"]]
    # A team of 20 with no name could be either project: not compared with one of them.
    _, found = check_consistency([atlas, beacon, ("d", "The team had 20 people.")])
    assert found == []


def test_figures_of_ignored_companies_and_of_the_brief_are_dropped_but_not_the_rest() -> None:
    claims, _ = check_consistency(
        [
            ("a", "At Sony Music we grew revenue 10%. Then retention rose 5%."),
            ("b", "At Sony we grew revenue 30%. Retention is 40%. Then retention rose 9%."),
        ],
        ignore_entities=["Sony"],
        given={"b": "Retention is 40% today."},
    )
    assert [(c.source, c.value) for c in claims] == [("a", 5.0), ("b", 9.0)]


@pytest.mark.parametrize(
    ("sentence", "plan"),
    [
        ("We’ll grow retention 10% next year.", True),  # a typographic apostrophe
        ("We'll grow retention 10% next year.", True),
        ("Retention of 10% is what we would aim for.", True),  # the plan word comes after
        ("Retention grew 10% last year.", False),
    ],
)
def test_a_plan_is_not_a_claim_unless_plans_are_asked_for(sentence: str, plan: bool) -> None:
    assert is_hypothetical(sentence) is plan
    assert len(extract_claims(sentence)) == (0 if plan else 1)
    assert len(extract_claims(sentence, include_plans=True)) == 1


def test_a_sentence_said_three_times_gives_three_claims_in_order() -> None:
    text = "Churn fell 5%. Churn fell 5%. Churn fell 5%."
    assert [c.span[0] for c in extract_claims(text)] == [11, 26, 41]


@pytest.mark.parametrize(
    ("sentence", "year"),
    [
        # The nearest event before the year, when its own clause has none.
        ("I joined Sony in spring, and by 2019, it was live.", ("start year", (1, 12))),
        # An event right after the year, when nothing comes before it.
        ("In 2021, we launched Atlas.", ("launch year", (1, 12))),
        (
            "Back in the early days of my long career, around 2021, we launched Atlas.",
            ("launch year", (1, 12)),
        ),
        # The year's own clause starts right after a break: its event, not the one before.
        ("I joined Sony; 2019 was when we launched Atlas.", ("launch year", (1, 12))),
        ("March 2019 is when I joined Sony.", ("start year", (3, 3))),
        ("2019 is when I joined Sony.", ("start year", (1, 12))),
        ("The year 2021 was hard.", None),
    ],
)
def test_a_year_belongs_to_the_event_of_its_clause_or_the_nearest_one(
    sentence: str, year: tuple[str, tuple[int, int]] | None
) -> None:
    found = [(c.subject, c.months) for c in extract_claims(sentence) if c.unit == "year"]
    assert found == ([year] if year else [])


@pytest.mark.parametrize(
    ("sentence", "claims"),
    [
        ("We grew revenue in 3 regions.", [("markets", 3.0, "count")]),  # not revenue of 3
        ("Latency fell 20%.", [("latency", 20.0, "percent")]),
        ("We cut latency to 300 ms.", [("latency", 300.0, "ms")]),
        ("Retention rose to 40% within 300 ms.", [("retention", 40.0, "percent")]),
        ("20% of the team left.", []),  # a share of a count, not the team's size
        ("Users grew 20%.", [("users", 20.0, "percent")]),
        ("Support tickets fell 20%.", [("support tickets", 20.0, "percent")]),
        ("I have 10 years in product management.", [("experience", 10.0, "years")]),
        ("Ten years in product taught me to ship small.", [("experience", 10.0, "years")]),
    ],
)
def test_each_subject_takes_only_its_own_units(
    sentence: str, claims: list[tuple[str, float, str]]
) -> None:
    assert [(c.subject, c.value, c.unit) for c in extract_claims(sentence)] == claims


def test_ten_plus_years_of_experience_is_over_ten_years() -> None:
    (claim,) = extract_claims("I have 10+ years of experience in product.")
    assert (claim.subject, claim.value, claim.bound) == ("experience", 10.0, "over")


@pytest.mark.parametrize(
    ("sentence", "entity"),
    [
        ("Atlas's retention grew 10%.", "Atlas"),  # a possessive is the name
        ("Atlas' users grew 10%.", "Atlas"),
        ("Then, Atlas grew retention 10%.", "Atlas"),  # "Then," opens the sentence
        ("Retention grew 10% before Atlas launched.", "Atlas"),  # a name close after
        # A name far after the number is not what the number is about.
        ("Retention grew 10% in the long quarter just before the Atlas launch.", None),
    ],
)
def test_the_project_a_number_is_about(sentence: str, entity: str | None) -> None:
    assert named_entities(sentence) == ["Atlas"]
    assert [c.entity for c in extract_claims(sentence)] == [entity]


def test_names_that_open_a_sentence_can_be_left_out_without_losing_the_rest() -> None:
    assert named_entities("Drift hit Atlas.") == ["Drift", "Atlas"]
    assert named_entities("Drift hit Atlas.", sentence_starts=False) == ["Atlas"]


@pytest.mark.parametrize(
    ("sentence", "subject", "change"),
    [
        ("I led a team of 9 engineers.", "team size", False),  # the team, not its engineers
        ("Retention rose 5% in users.", "retention", True),  # a percent: the subject before
        ("We grew revenue in 3 regions.", "markets", True),  # a count: the noun after
        ("We saw a 12% lift in retention.", "retention", True),
    ],
)
def test_which_of_two_nouns_a_number_is_about(sentence: str, subject: str, change: bool) -> None:
    assert [(c.subject, c.change) for c in extract_claims(sentence)] == [(subject, change)]


# -- the third round of mutation survivors (docs/testing.md) --------------------------------


def test_a_count_with_a_subject_on_each_side_is_about_the_noun_after_it() -> None:
    # "players from" before the number, "countries" after it: 30 is a count of markets.
    (claim,) = extract_claims("We had players from 30 countries in the beta.")
    assert (claim.subject, claim.value, claim.unit) == ("markets", 30.0, "count")


def test_a_year_after_two_events_in_its_clause_belongs_to_the_nearer_one() -> None:
    (claim,) = extract_claims("I joined Sony to launch Atlas in 2019.")
    assert (claim.subject, claim.value) == ("launch year", 2019.0)


@pytest.mark.parametrize(
    ("over", "plain"),
    [
        ("Retention went over 12% that quarter.", "Retention was 11.7% that quarter."),
        # half a point of slack, edge included
        ("Churn was over 4%.", "Churn was 3.5%."),
    ],
)
def test_a_percent_over_a_figure_agrees_with_one_just_under_it(over: str, plain: str) -> None:
    (a,) = extract_claims(over, "story")
    (b,) = extract_claims(plain, "answer")
    assert a.bound == "over"
    assert agree(a, b)
    assert agree(b, a)


def test_a_plan_word_after_the_number_in_a_later_clause_makes_it_a_plan() -> None:
    sentence = "We shipped it in March, and 3 engineers would join."
    assert extract_claims(sentence) == []
    assert [(c.subject, c.value) for c in extract_claims(sentence, include_plans=True)] == [
        ("engineers", 3.0)
    ]


def test_a_claim_without_a_source_has_an_empty_source() -> None:
    (claim,) = extract_claims("I led a team of 9 engineers.")
    assert claim.source == ""


@pytest.mark.parametrize(
    "sentence",
    [
        "In total I have 12 years.",  # the only cue is "I have", before the number
        "I have 12 years.",
    ],
)
def test_years_of_experience_read_from_a_cue_before_the_number_alone(sentence: str) -> None:
    (claim,) = extract_claims(sentence)
    assert (claim.subject, claim.value, claim.unit) == ("experience", 12.0, "years")


def test_a_change_read_from_the_words_after_the_number_alone() -> None:
    (claim,) = extract_claims("Retention was 3 points higher.")
    assert (claim.subject, claim.value, claim.change, claim.points) == (
        "retention",
        3.0,
        True,
        True,
    )


def test_a_starting_figure_with_no_later_figure_is_a_claim() -> None:
    # "starting with" reads as a baseline only when a "to" follows the number
    (claim,) = extract_claims("We moved to weekly releases starting with 40 users.")
    assert (claim.subject, claim.value) == ("users", 40.0)


@pytest.mark.parametrize(
    "sentence",
    [
        "Atlas had 5 engineers and Nimbus had 8 engineers, and Atlas shipped first.",
        "Atlas had 5 engineers and Nimbus had 8 engineers; the AI Atlas assistant shipped first.",
        # "AI" (grammar, dropped from "AI Atlas") is said before and after the second Atlas
        "Our AI team on Atlas had 5 engineers and Nimbus had 8 engineers; the AI Atlas "
        "assistant shipped first, before any other AI feature.",
    ],
)
def test_a_name_said_again_later_keeps_its_place(sentence: str) -> None:
    # The second "Atlas" comes after both numbers: it must not pull 8 away from Nimbus,
    # nor 5 away from the first "Atlas".
    assert [(c.value, c.entity) for c in extract_claims(sentence)] == [
        (5.0, "Atlas"),
        (8.0, "Nimbus"),
    ]


@pytest.mark.parametrize(
    "text",
    ['"Atlas" was my project.', "- Atlas was my project.", "• Atlas was my project."],
)
def test_a_name_after_an_opening_quote_mark_or_bullet_opens_the_sentence(text: str) -> None:
    assert named_entities(text) == ["Atlas"]
    assert named_entities(text, sentence_starts=False) == []


def test_a_name_that_starts_or_ends_with_an_x_keeps_it() -> None:
    assert named_entities("I worked on Xbox and Project X.") == ["Xbox", "Project X"]


def test_a_change_word_that_opens_the_sentence_makes_a_change() -> None:
    (claim,) = extract_claims("Cut churn 3 points.")
    assert (claim.subject, claim.value, claim.change) == ("churn", 3.0, True)


def test_a_baseline_that_opens_the_sentence_is_not_a_claim() -> None:
    claims = extract_claims("From 40 users we grew to 400 users.")
    assert [(c.subject, c.value) for c in claims] == [("users", 400.0)]
