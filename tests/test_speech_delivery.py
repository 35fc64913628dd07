"""Delivery figures from word timings, and the word error rate, on hand-built inputs."""

from __future__ import annotations

import pytest

from loopready.grading.base import WordTiming
from loopready.language.numbers import number_words
from loopready.speech.delivery import find_fillers, find_pauses, measure_speech
from loopready.speech.wer import normalise_words, word_error_rate, word_errors


def timed(text: str, start: float = 0.0, step: float = 0.4, gaps: dict[int, float] | None = None):
    """Words of ``text`` spoken every ``step`` s; ``gaps`` adds silence before word i."""
    words, t = [], start
    for i, word in enumerate(text.split()):
        t += (gaps or {}).get(i, 0.0)
        words.append(WordTiming(word=word, start=round(t, 3), end=round(t + step * 0.8, 3)))
        t += step
    return words


def fillers_in(text: str) -> list[str]:
    return [f.filler for f in find_fillers(timed(text))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Um, I think we start small.", ["um"]),
        ("Umm, uh, hmm. Erm, okay.", ["um", "uh", "hmm", "er"]),
        ("So it was, like, a big launch.", ["like"]),
        ("I would like, check the logs first.", ["like"]),
        ("We like, expand the test.", ["like"]),
        ("I would like to see the data.", []),
        ("I’d like to walk you through it.", []),
        ("I’d like, to be clear, to start small.", []),
        ("Something like this one, we shipped.", []),
        ("I would like, if possible, a week.", []),
        ("Games, like racing and sport, sell best.", []),
        ("You know, the model drifts.", ["you know"]),
        ("The model, you know, drifts.", ["you know"]),
        ("Do you know what the churn is?", []),
        ("You know what matters here.", []),
        ("It is sort of a pilot.", ["sort of"]),
        ("It is a kind of pilot.", []),
        ("That kind of test is cheap.", []),
        ("I mean, the test is cheap.", ["I mean"]),
        ("That is what I mean.", []),
        ("It basically works, literally everywhere.", ["basically", "literally"]),
        ("We measure retention weekly and report it monthly.", []),
    ],
)
def test_fillers_are_told_from_ordinary_words(text: str, expected: list[str]) -> None:
    assert fillers_in(text) == expected


def test_filler_times_are_the_start_of_the_filler() -> None:
    found = find_fillers(timed("We ship, uh, next week.", start=1.0, step=0.5))
    assert [(f.filler, f.start) for f in found] == [("uh", 2.0)]


def test_pauses_over_two_seconds_with_the_words_around_them() -> None:
    words = timed("first point done. second point here. third", gaps={3: 2.5, 6: 1.5})
    pauses = find_pauses(words)
    assert len(pauses) == 1
    assert pauses[0].after == "done." and pauses[0].before == "second"
    assert pauses[0].seconds == pytest.approx(2.5 + 0.4 * 0.2, abs=0.01)


def test_pace_counts_speaking_time_without_long_pauses() -> None:
    # 40 words, one every 0.4 s (150 a minute), with a 10 s pause in the middle.
    words = timed(" ".join(["word"] * 40), gaps={20: 10.0})
    d = measure_speech(words)
    assert d.words == 40
    assert d.talk_time_s == pytest.approx(39 * 0.4 + 0.32 + 10.0, abs=0.01)
    assert d.speaking_time_s == pytest.approx(d.talk_time_s - d.pauses[0].seconds, abs=0.01)
    assert d.wpm == pytest.approx(40 / (d.speaking_time_s / 60), abs=0.1)
    assert d.pace == "in band"
    assert d.longest_stretch_s == pytest.approx(19 * 0.4 + 0.32, abs=0.01)


@pytest.mark.parametrize(("step", "pace"), [(0.6, "slow"), (0.4, "in band"), (0.3, "fast")])
def test_pace_is_judged_against_the_130_to_160_band(step: float, pace: str) -> None:
    d = measure_speech(timed(" ".join(["word"] * 60), step=step))
    assert d.pace == pace
    assert d.wpm_band == (130, 160)
    assert any(note.startswith("Pace:") and "130-160" in note for note in d.notes)


def test_fillers_per_minute_use_talk_time() -> None:
    text = "um we ship uh in may " * 10  # 60 words, 20 fillers, 24 s
    d = measure_speech(timed(text, step=0.4))
    assert d.fillers == 20
    assert d.filler_counts == {"um": 10, "uh": 10}
    assert d.fillers_per_minute == pytest.approx(20 / (d.talk_time_s / 60), abs=0.01)


def test_talk_time_against_the_time_box() -> None:
    words = timed(" ".join(["word"] * 300))  # two minutes
    within = measure_speech(words, time_box_s=180)
    over = measure_speech(words, time_box_s=90)
    assert within.time_box == "within" and within.time_box_share == pytest.approx(0.666, abs=0.01)
    assert over.time_box == "over" and over.time_box_share == pytest.approx(1.33, abs=0.01)
    assert any("over the time box" in n for n in over.notes)
    assert measure_speech(words).time_box is None


def test_the_longest_stretch_is_found_between_pauses() -> None:
    words = timed(" ".join(["word"] * 30), gaps={5: 3.0, 25: 3.0})
    d = measure_speech(words)
    assert len(d.pauses) == 2
    assert d.longest_stretch_s == pytest.approx(19 * 0.4 + 0.32, abs=0.01)
    assert d.longest_stretch_start_s == words[5].start


def test_no_words_is_no_speech_not_a_zero_pace() -> None:
    d = measure_speech([])
    assert d.pace == "no speech" and d.words == 0 and d.notes == ["No speech detected."]


def test_a_short_answer_is_not_given_a_pace_verdict() -> None:
    d = measure_speech(timed("Yes, we can."))
    assert d.pace == "too short to judge"


def test_delivery_is_json_ready() -> None:
    d = measure_speech(timed("Um, we ship in May, you know, after the beta. " * 5), 60)
    data = d.to_dict()
    assert data["filler_times"][0] == {"filler": "um", "start": 0.0}
    assert data["wpm_band"] == [130, 160]
    assert isinstance(data["notes"], list) and data["notes"]


# Word error rate


def test_numbers_and_punctuation_are_normalised() -> None:
    assert normalise_words("Test it with 5% of users, in 2026: a trade-off!") == [
        "test", "it", "with", "five", "percent", "of", "users", "in",
        "two", "thousand", "twenty", "six", "a", "trade", "off",
    ]  # fmt: skip
    assert number_words(1_250_000) == "one million two hundred fifty thousand"
    assert number_words(15) == "fifteen"
    assert normalise_words("It's 2.5 times") == ["its", "two", "point", "five", "times"]


def test_word_error_rate_counts_each_kind_of_edit() -> None:
    result = word_errors("the cat sat on the mat", "the cat sat on a mat today")
    assert (result.substitutions, result.deletions, result.insertions) == (1, 0, 1)
    assert result.rate == pytest.approx(2 / 6)
    assert word_errors("one two three", "one three").deletions == 1
    assert word_error_rate("Five percent.", "5%") == 0.0
    assert word_error_rate("", "") == 0.0
    assert word_error_rate("hello world", "") == 1.0
