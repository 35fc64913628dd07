"""A round's time box: how much of it is used, and what to tell the candidate.

Pure functions of elapsed seconds and the limit, so the terminal clock, the web
room and the report all say the same thing. The phases are the ones a real
interviewer signals: on track, half the time gone, 80 per cent gone (start
wrapping up), and overtime.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Phase = Literal["ok", "half", "eighty", "overtime"]

#: Phases in the order a round passes through them.
PHASES: tuple[Phase, ...] = ("ok", "half", "eighty", "overtime")

HALF = 0.5
EIGHTY = 0.8


def format_clock(seconds: float) -> str:
    """``75`` -> ``"01:15"``, ``3725`` -> ``"1:02:05"``; negative values keep their sign."""
    sign = "-" if seconds < 0 else ""
    total = int(abs(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{sign}{hours}:{minutes:02d}:{secs:02d}"
    return f"{sign}{minutes:02d}:{secs:02d}"


@dataclass(frozen=True)
class TimeStatus:
    """Where a round stands against its time box."""

    phase: Phase
    elapsed_s: float
    limit_s: float
    #: Seconds left; 0 once the time is up.
    remaining_s: float
    #: Seconds past the limit; 0 until then.
    overtime_s: float
    #: Share of the limit used (above 1 in overtime).
    fraction: float
    #: One line for the candidate, e.g. ``"12:30 left"`` or ``"overtime +01:05"``.
    message: str

    @property
    def clock(self) -> str:
        """The countdown as shown in the prompt: time left, or ``+mm:ss`` over."""
        if self.phase == "overtime":
            return "+" + format_clock(self.overtime_s)
        return format_clock(self.remaining_s)


_WARNINGS: dict[Phase, str] = {
    "ok": "",
    "half": "Half your time is gone: make sure your main point is on the table.",
    "eighty": "80% of your time is gone: start wrapping up with a decision and next steps.",
    "overtime": "You are over time: close now, in a sentence or two.",
}


def status(elapsed_s: float, limit_s: float) -> TimeStatus:
    """The time box after ``elapsed_s`` seconds of a ``limit_s``-second round."""
    if limit_s <= 0:
        raise ValueError(f"a time limit must be positive, not {limit_s}")
    elapsed = max(0.0, float(elapsed_s))
    fraction = elapsed / limit_s
    phase: Phase
    if elapsed > limit_s:
        phase = "overtime"
    elif fraction >= EIGHTY:
        phase = "eighty"
    elif fraction >= HALF:
        phase = "half"
    else:
        phase = "ok"
    remaining = max(0.0, limit_s - elapsed)
    overtime = max(0.0, elapsed - limit_s)
    if phase == "overtime":
        message = f"overtime +{format_clock(overtime)}"
    else:
        message = f"{format_clock(remaining)} left"
    return TimeStatus(phase, elapsed, float(limit_s), remaining, overtime, fraction, message)


def warning(phase: Phase) -> str:
    """What to tell the candidate on entering ``phase`` (empty for ``"ok"``)."""
    return _WARNINGS[phase]


def crossed(before: Phase, after: Phase) -> list[Phase]:
    """The phases entered going from ``before`` to ``after``, in order (each warned once)."""
    a, b = PHASES.index(before), PHASES.index(after)
    return list(PHASES[a + 1 : b + 1])
