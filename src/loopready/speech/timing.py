"""Word timestamps of a spoken answer, and how several recordings are laid end to end.

Transcription produces them, the session keeps them per turn, and the grader measures
delivery from them; this module sits below all three so none imports the others for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final

from pydantic import BaseModel

#: Seconds between two recordings laid end to end for delivery figures: shorter than
#: a counted pause (2 s), so joining never invents one.
JOIN_GAP_S: Final = 0.5


class WordTiming(BaseModel):
    """One transcribed word with its start and end in seconds (spoken answers)."""

    word: str
    start: float
    end: float


def join_timings(parts: Iterable[Sequence[WordTiming]]) -> list[WordTiming]:
    """Timed words of several recordings laid end to end, :data:`JOIN_GAP_S` apart
    (empty parts add nothing), times rounded to the hundredth of a second."""
    joined: list[WordTiming] = []
    for words in parts:
        if not words:
            continue
        shift = joined[-1].end + JOIN_GAP_S - words[0].start if joined else 0.0
        joined.extend(
            WordTiming(word=w.word, start=round(w.start + shift, 2), end=round(w.end + shift, 2))
            for w in words
        )
    return joined
