"""The grader interface: one request in, one result out.

Built-in and external graders are plugins of this one interface (external ones
register under the ``loopready.graders`` entry-point group). A result is plain
data that serialises to the JSON the CLI contract promises.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidatorFunctionWrapHandler,
    field_validator,
    model_validator,
)

from loopready.grading.delivery_model import GradeDelivery
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
    #: Character offsets of each quote in ``evidence`` within the answer, in the same order
    #: (``answer[start:end]`` is the quote); ``None`` where the quote is not in the answer
    #: word for word (a paraphrasing grader, a grade stored before offsets were kept).
    evidence_spans: list[tuple[int, int] | None] = Field(default_factory=list)

    @model_validator(mode="after")
    def _spans_match_quotes(self) -> CriterionScore:
        # One entry per quote: a grade stored without offsets gets "unknown" for each.
        if len(self.evidence_spans) != len(self.evidence):
            known = self.evidence_spans[: len(self.evidence)]
            self.evidence_spans = known + [None] * (len(self.evidence) - len(known))
        return self


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
    #: Offsets of the quote in the answer; ``None`` when it is not there word for word.
    start: int | None = Field(default=None, ge=0)
    end: int | None = Field(default=None, ge=0)


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
    #: Offsets of the quote in the answer; ``None`` when it is not there word for word.
    start: int | None = Field(default=None, ge=0)
    end: int | None = Field(default=None, ge=0)


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
    #: How the answer would land (``None``: not measured, e.g. a custom question).
    delivery: GradeDelivery | None = None
    reference_coverage: ReferenceCoverage | None = None
    message: str | None = None
    grader: str
    elapsed_ms: float = 0.0
    #: The question's key points, each covered or missing (when the question is known).
    key_points: list[KeyPointResult] | None = None
    red_flags: list[RedFlagHit] = Field(default_factory=list)
    off_topic: bool = False

    @field_validator("delivery", mode="wrap")
    @classmethod
    def _readable_delivery(
        cls, value: Any, handler: ValidatorFunctionWrapHandler
    ) -> GradeDelivery | None:
        # A stored grade is read as far as it can be: an empty or damaged delivery block
        # (hand-edited, or from an old import) is left out instead of failing the report.
        if value is None or value == {}:
            return None
        try:
            delivery: GradeDelivery = handler(value)
        except ValidationError:
            return None
        return delivery

    def to_json_dict(self) -> dict[str, Any]:
        """The CLI's JSON, and what the store keeps (``model_validate`` reads it back)."""
        data: dict[str, Any] = self.model_dump(mode="json", exclude_none=True)
        # Unknown offsets stay in place (``null``), so each span lines up with its quote.
        for criterion, dumped in zip(self.criteria, data.get("criteria", []), strict=True):
            dumped["evidence_spans"] = [
                list(span) if span is not None else None for span in criterion.evidence_spans
            ]
        # As the contract has always had it: ``{}`` when delivery was not measured.
        data["delivery"] = self.delivery.model_dump(mode="json") if self.delivery else {}
        return data


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
