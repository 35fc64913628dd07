"""The time box: phases at half, 80 per cent and overtime, and the clock shown."""

from __future__ import annotations

import pytest

from loopready.interview.timebox import crossed, format_clock, status, warning


@pytest.mark.parametrize(
    ("elapsed", "phase"),
    [
        (0, "ok"),
        (899, "ok"),
        (900, "half"),
        (1439, "half"),
        (1440, "eighty"),
        (1800, "eighty"),
        (1801, "overtime"),
        (5000, "overtime"),
    ],
)
def test_phases_of_a_thirty_minute_round(elapsed: float, phase: str) -> None:
    assert status(elapsed, 1800).phase == phase


def test_clock_counts_down_then_shows_overtime() -> None:
    on_time = status(75, 1800)
    assert on_time.clock == "28:45"
    assert on_time.message == "28:45 left"
    assert on_time.remaining_s == 1725 and on_time.overtime_s == 0
    late = status(1800 + 65, 1800)
    assert late.clock == "+01:05"
    assert late.message == "overtime +01:05"
    assert late.remaining_s == 0 and late.overtime_s == 65


def test_negative_elapsed_is_clamped_and_limit_must_be_positive() -> None:
    assert status(-5, 60).elapsed_s == 0
    with pytest.raises(ValueError, match="positive"):
        status(10, 0)


def test_format_clock_with_hours() -> None:
    assert format_clock(3725) == "1:02:05"
    assert format_clock(59) == "00:59"


def test_crossed_lists_each_phase_entered_once() -> None:
    assert crossed("ok", "ok") == []
    assert crossed("ok", "half") == ["half"]
    assert crossed("ok", "overtime") == ["half", "eighty", "overtime"]
    assert warning("ok") == ""
    assert "wrapping up" in warning("eighty")
