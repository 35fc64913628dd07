"""Delivery metrics: exact counts on hand-computed answers, fillers in context, real timings."""

from __future__ import annotations

import json
from typing import NamedTuple

import pytest

from loopready.errors import InputError
from loopready.grading.delivery import (
    Delivery,
    count_words,
    filler_counts,
    hedge_counts,
    measure,
)
from loopready.grading.signals import analyse

S1 = "Um, I think we ship."  # 5 words
S2 = "Like, the model is kind of slow, you know."  # 9 words
TEXT = f"{S1} {S2}"


def test_counts_on_a_hand_computed_answer() -> None:
    d = measure(TEXT, [S1, S2], minutes=1)
    assert d.words == 14
    assert d.sentences == 2
    assert d.fillers.count == 4
    assert d.fillers.terms == {"um": 1, "like": 1, "kind of": 1, "you know": 1}
    assert d.hedges.count == 1
    assert d.hedges.terms == {"I think": 1}
    # 14 words at 150 wpm = 0.0933 min; 4 fillers / 0.0933 min = 42.86 per minute
    assert d.speaking_minutes == 0.09
    assert d.fillers.per_minute == 42.86
    assert d.hedges.per_minute == 10.71
    assert d.words_per_minute == 150.0
    assert not d.timed and d.long_pauses is None
    assert d.avg_sentence_words == 7.0
    assert d.longest_sentence_words == 9
    assert d.longest_sentence == S2
    assert d.time_ratio == 0.093
    assert d.time_verdict == "short"


def test_real_word_timings_replace_the_estimate() -> None:
    # 14 words from 0.0 s to 12.0 s with one 3-second gap: 0.2 minutes
    starts = [0.0, 0.4, 0.8, 1.2, 1.6, 5.0, 5.5, 6.0, 6.5, 7.0, 8.0, 9.0, 10.0, 11.0]
    timing = [{"word": "w", "start": s, "end": s + 0.3} for s in starts]
    timing[-1]["end"] = 12.0
    d = measure(TEXT, [S1, S2], minutes=1, words_timing=timing)
    assert d.timed
    assert d.speaking_minutes == 0.2
    assert d.words_per_minute == 70.0  # 14 timed words / 0.2 min
    assert d.fillers.per_minute == 20.0  # 4 / 0.2
    assert d.hedges.per_minute == 5.0
    assert d.long_pauses == 1  # 1.9 s -> 5.0 s
    assert any("70 words per minute: slow" in n for n in d.notes)


class Word(NamedTuple):  # the shape faster-whisper returns
    start: float
    end: float
    word: str
    probability: float


def test_timings_as_objects_or_tuples() -> None:
    objs = [Word(0.0, 0.5, "we", 0.9), Word(0.6, 30.0, "ship", 0.9)]
    tuples = [("we", 0.0, 0.5), ("ship", 0.6, 30.0)]
    a = measure("we ship", ["we ship"], 1, objs)
    b = measure("we ship", ["we ship"], 1, tuples)
    assert a.speaking_minutes == b.speaking_minutes == 0.5
    assert a.words_per_minute == 4.0


@pytest.mark.parametrize(
    "bad",
    [
        [{"word": "x", "start": 1.0}],
        [("x", 2.0, 1.0)],
        [("x", -1.0, 1.0)],
        [{"start": "zero", "end": 1.0}],
        ["just a string"],
    ],
)
def test_bad_timings_are_clear_errors(bad: list[object]) -> None:
    with pytest.raises(InputError, match="word timing 1"):
        measure("x", ["x"], 1, bad)


def test_time_box_verdicts() -> None:
    three_hundred = " ".join(["word"] * 300) + "."
    over = measure(three_hundred, [three_hundred], minutes=1)
    assert over.speaking_minutes == 2.0
    assert over.time_ratio == 2.0
    assert over.time_verdict == "over"
    assert "1.0 min over the 1-min time box" in over.time_message

    one_fifty = " ".join(["word"] * 150) + "."
    within = measure(one_fifty, [one_fifty], minutes=1)
    assert within.time_verdict == "within"
    assert within.time_ratio == 1.0

    none = measure(one_fifty, [one_fifty], minutes=None)
    assert none.time_verdict is None and none.time_ratio is None and none.time_message == ""

    with pytest.raises(InputError, match="positive number of minutes"):
        measure("x", ["x"], minutes=0)


def test_jargon_density_and_outcome_share() -> None:
    s1 = "We tuned embeddings."
    s2 = "Higher recall means players find games they buy."
    d = measure(f"{s1} {s2}", [s1, s2], minutes=None)
    assert d.words == 11
    assert d.jargon.count == 2
    assert d.jargon.tied == 1
    assert d.jargon.tied_share == 0.5
    assert d.jargon.per_100_words == 18.18
    assert d.jargon.terms == ["embeddings", "recall"]
    assert d.jargon.untied_terms == ["embeddings"]
    assert "jargon density 18.2 per 100 words, 1 of 2 terms tied to an outcome" in " ".join(d.notes)
    # precomputed jargon from analyse() gives the same figures
    again = measure(f"{s1} {s2}", [s1, s2], None, jargon=analyse([s1, s2]).jargon)
    assert again.jargon == d.jargon


def test_word_counting_rules() -> None:
    assert count_words("click-through A/B don't 5% $150k go/no-go") == 6
    assert count_words("ship it — now") == 3  # a lone dash is not a word
    assert count_words("") == 0
    assert count_words("  ...  ") == 0


def test_empty_answer() -> None:
    d = measure("", [], minutes=30)
    assert d.words == 0 and d.sentences == 0
    assert d.fillers.per_minute == 0.0 and d.jargon.per_100_words == 0.0
    assert d.longest_sentence == ""
    assert d.time_verdict == "short"


def test_unsplit_text_counts_as_one_sentence() -> None:
    d = measure("Um we ship it", [], minutes=None)
    assert d.sentences == 1 and d.fillers.terms == {"um": 1}


def test_serialises_to_json() -> None:
    d = measure(TEXT, [S1, S2], minutes=1)
    data = json.loads(json.dumps(d.model_dump()))
    assert data["fillers"]["count"] == 4
    assert data["time_verdict"] == "short"
    assert Delivery.model_validate(data) == d


def test_notes_read_like_advice() -> None:
    calm = "We ship on-device by March 14. Recall means players find games they buy."
    d = measure(calm, calm.split(". "), minutes=None)
    assert "no filler words" in d.notes
    rambling = "Um, so, like, I think, you know, maybe, basically, I guess we could ship."
    d2 = measure(rambling, [rambling], minutes=None)
    assert any(n.endswith("distracting: pause silently instead") for n in d2.notes)
    assert any("heavy hedging" in n for n in d2.notes)


# -- fillers in context -----------------------------------------------------------------

FILLER_CASES = [
    ("We, like, shipped it.", {"like": 1}),
    ("It took like three weeks.", {"like": 1}),
    ("Like, the model was fine.", {"like": 1}),
    ("so like we just retrained", {"like": 1}),
    ("We had, like three options.", {"like": 1}),
    ("You know, it works.", {"you know": 1}),
    ("It works, you know.", {"you know": 1}),
    ("I mean, the user matters.", {"I mean": 1}),
    ("it's kind of slow", {"kind of": 1}),
    ("I sort of agree", {"sort of": 1}),
    ("It was, um, fine, uh, mostly.", {"um": 1, "uh": 1}),
    ("Basically it's fine, honestly.", {"basically": 1, "honestly": 1}),
    ("Actually, we should wait.", {"actually": 1}),
    ("Umm, hmm, so yeah.", {"um": 2, "so yeah": 1}),
]
NOT_FILLERS = [
    "I like this product.",
    "I'd like to ship it next week.",
    "Metrics like CTR and retention matter.",
    "Something like 5% of users opt in.",
    "It's like Netflix for games.",
    "Users like it.",
    "I feel like it works.",
    "Do you know what users want?",
    "What I mean is this.",
    "That kind of game sells.",
    "The kind of thing we ship.",
    "What users actually do matters.",
    "I’d like to walk you through it.",
    "So I’d like, to be clear, to start with the user.",
    "Yeah, like this one, the launch slipped.",
    "Games, like those ones, sell on word of mouth.",
]


@pytest.mark.parametrize(("sentence", "expected"), FILLER_CASES)
def test_fillers_in_context(sentence: str, expected: dict[str, int]) -> None:
    assert dict(filler_counts([sentence])) == expected


@pytest.mark.parametrize("sentence", NOT_FILLERS)
def test_not_fillers(sentence: str) -> None:
    assert dict(filler_counts([sentence])) == {}


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Maybe we ship, I guess.", {"maybe": 1, "I guess": 1}),
        ("It might work, probably.", {"might": 1, "probably": 1}),
        ("I think it depends.", {"I think": 1, "it depends": 1}),
        ("Hopefully it may help.", {"hopefully": 1, "may": 1}),
        ("I'm not sure it could be faster.", {"not sure": 1, "could be": 1}),
        ("I feel like it works.", {"I feel like": 1}),
    ],
)
def test_hedges(sentence: str, expected: dict[str, int]) -> None:
    assert dict(hedge_counts([sentence])) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "We ship in May 2026.",
        "I'd think about latency first.",
        "We ship by Friday.",
        "It will work.",
    ],
)
def test_not_hedges(sentence: str) -> None:
    assert dict(hedge_counts([sentence])) == {}
