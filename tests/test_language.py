"""The language package: numbers both ways, stated current pay, and its one use in two places."""

from __future__ import annotations

import re

import pytest

from loopready.grading import blindspots, signals
from loopready.language.numbers import (
    COUNT_WORD,
    NUMBER_WORD,
    SAYS_A_NUMBER,
    figures,
    number_words,
    parse_number,
    typed_amount,
)
from loopready.language.pay import states_current_pay
from loopready.language.sentences import split_sentences


@pytest.mark.parametrize("n", range(100))
def test_spelled_numbers_read_back(n: int) -> None:
    spelled = number_words(n)
    assert parse_number(spelled) == n
    hyphenated = spelled.replace(" ", "-")
    assert parse_number(hyphenated) == n


@pytest.mark.parametrize("n", [20, 21, 45, 99])
def test_number_word_grammars_match_spelled_numbers(n: int) -> None:
    spelled = number_words(n)
    assert re.fullmatch(NUMBER_WORD, spelled)
    assert re.fullmatch(COUNT_WORD, spelled)
    assert SAYS_A_NUMBER.search(f"we waited {number_words(7)} weeks")


def test_figures_are_digits_to_one_decimal() -> None:
    assert figures("p95 of 1,25 s for 12.04% of 3 users") == {95.0, 1.2, 12.0, 3.0}
    assert figures("no digits here") == set()


@pytest.mark.parametrize(
    "sentence",
    [
        "I'm on 157k base right now.",
        "I make one fifty-five thousand base.",
        "My current base salary is $165,000.",
        "I make 160 and want 190.",
    ],
)
def test_current_pay_is_stated(sentence: str) -> None:
    assert states_current_pay(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "I'm currently looking for 180k.",
        "I'd rather not share my current salary of 150k.",
        "In my first job, ten years ago, I made 60k.",
        "My current salary is fair for the role.",
        "I grew revenue ten percent over 18 months for 200 people.",
    ],
)
def test_current_pay_is_not_stated(sentence: str) -> None:
    assert not states_current_pay(sentence)


def test_one_current_pay_rule_for_the_blind_spot_and_the_total_comp_signal() -> None:
    disclosed = (
        "I make one fifty-five thousand base, so for this offer I look at total compensation: "
        "base, equity and bonus together."
    )
    framed = (
        "For this offer I look at total compensation: base, equity and bonus together over "
        "four years."
    )
    for text, discloses in ((disclosed, True), (framed, False)):
        sentences = split_sentences(text)
        analysis = signals.analyse(sentences)
        rule = blindspots.RULES["discloses_current_salary"]
        assert (rule(sentences, analysis) is not None) is discloses
        # Describing today's pay is disclosure, not framing the offer as a package.
        assert (analysis.count("total_comp") == 0) is discloses


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("$170,000", 170_000.0),
        (" 170k ", 170_000.0),
        ("1.2M", 1_200_000.0),
        ("-5,000", -5_000.0),
        ("£ 2b", 2e9),
        ("0", 0.0),
    ],
)
def test_typed_amounts(text: str, value: float) -> None:
    assert typed_amount(text) == value


@pytest.mark.parametrize("text", ["", "one sixty", "160-180k", "160k base", "12%", "1 2"])
def test_what_is_not_one_typed_amount(text: str) -> None:
    assert typed_amount(text) is None
