"""The grader interface: one request in, one result out.

Built-in and external graders are plugins of this one interface (external ones
register under the ``loopready.graders`` entry-point group). A result is plain
data that serialises to the JSON the CLI contract promises.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from loopready.packs.schema import Pack
from loopready.speech.timing import WordTiming as WordTiming  # its home is speech/timing


class GradeRequest(BaseModel):
    """What to grade: an answer to a round's prompt, or to a custom question with a reference."""

    model_config = ConfigDict(arbitrary_types_allowed=True, extra="forbid")

    answer: str
    pack: Pack | None = None
    round_id: str | None = None
    question_id: str | None = None
    question: str | None = Field(default=None, description="Question text for custom questions.")
    reference: str | None = None
    key_points: list[str] | None = None
    word_timings: list[WordTiming] | None = None
    id: str | None = None


class CriterionScore(BaseModel):
    id: str
    name: str
    score: int = Field(ge=0, le=4)
    weight: float = 1.0
    evidence: list[str] = Field(default_factory=list)
    advice: str = ""
    #: "not_asked": the question does not test this criterion; it is not counted in the score.
    status: Literal["scored", "not_asked"] = "scored"
    #: Character offsets of each quote in ``evidence`` within the answer, in the same order.
    evidence_spans: list[tuple[int, int]] = Field(default_factory=list)


class KeyPointResult(BaseModel):
    """One of the question's key points: covered (with the quote that covers it) or missing."""

    text: str
    covered: bool
    evidence: str | None = None
    start: int | None = None
    end: int | None = None


class BlindSpotHit(BaseModel):
    id: str
    name: str = ""
    evidence: str
    better: str = ""


class RedFlagHit(BaseModel):
    """A judgment failure the answer shows, quoted with its place in the answer."""

    id: str
    name: str = ""
    evidence: str
    start: int = Field(ge=0, description="Character offset of the quote in the answer.")
    end: int = Field(ge=0)
    why: str = ""
    better: str = ""


class CoveredPoint(BaseModel):
    point: str
    evidence: str
    similarity: float


class ReferenceCoverage(BaseModel):
    coverage: float = Field(ge=0, le=1)
    score: float = Field(ge=0, le=100)
    covered: list[CoveredPoint] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)


class GradeResult(BaseModel):
    """A graded answer. ``model_dump(exclude_none=True)`` is the CLI's JSON."""

    id: str | None = None
    round: str
    question: str | None = None
    score: float = Field(ge=0, le=100)
    criteria: list[CriterionScore] = Field(default_factory=list)
    blind_spots: list[BlindSpotHit] = Field(default_factory=list)
    delivery: dict[str, Any] = Field(default_factory=dict)
    reference_coverage: ReferenceCoverage | None = None
    message: str | None = None
    grader: str
    elapsed_ms: float = 0.0
    #: The question's key points, each covered or missing (when the question is known).
    key_points: list[KeyPointResult] | None = None
    red_flags: list[RedFlagHit] = Field(default_factory=list)
    off_topic: bool = False

    def to_json_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)


class Grader(ABC):
    """A grading backend. Subclasses set ``name`` and ``version`` and implement ``grade``."""

    name: str = "grader"
    version: str = "0"
    needs_network: bool = False

    @property
    def label(self) -> str:
        """``"name version"``, as reported in every result."""
        return f"{self.name} {self.version}"

    @abstractmethod
    def grade(self, request: GradeRequest) -> GradeResult:
        """Grade one answer."""
