"""Delivery figures as data: what :func:`loopready.grading.delivery.measure` returns and
what a stored grade keeps.

The models live apart from the measuring code so the grade's types
(:mod:`loopready.grading.base`) can name them without loading the word lists and
detectors behind the measurements.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from loopready.speech.delivery import SpeechDelivery

TimeVerdict = Literal["over", "within", "short"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TermCount(_Model):
    """How often a kind of word occurs, per minute of speaking, and which ones."""

    count: int
    per_minute: float
    terms: dict[str, int]


class JargonStats(_Model):
    """ML jargon: how dense it is and how much of it is tied to an outcome."""

    count: int
    per_100_words: float
    tied: int
    tied_share: float | None
    terms: list[str]
    untied_terms: list[str]


class Delivery(_Model):
    """Delivery figures for one answer; ``model_dump()`` gives a JSON-ready dict."""

    words: int
    sentences: int
    speaking_minutes: float
    timed: bool
    words_per_minute: float
    time_box_minutes: int | None
    time_ratio: float | None
    time_verdict: TimeVerdict | None
    time_message: str
    fillers: TermCount
    hedges: TermCount
    jargon: JargonStats
    avg_sentence_words: float
    longest_sentence_words: int
    longest_sentence: str
    long_pauses: int | None
    notes: list[str]


class GradeDelivery(Delivery):
    """Delivery as a grade keeps it: the answer's figures and, for a spoken answer, the
    figures measured from its word timestamps (whose notes are also in ``notes``)."""

    speech: SpeechDelivery | None = None
