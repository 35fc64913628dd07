"""The stakeholder simulation: the pack's personas argue, push back and react.

No language model is involved. Each persona opens with its position; after every
candidate turn the engine checks the pack's pushback rules against everything the
candidate has said so far and lets the personas speak:

* A pushback with ``if_any`` phrases fires when one of them has been said and none
  of its ``unless_any`` phrases has ("promise a date without legal" -> legal
  objects). A pushback with an empty ``if_any`` fires on an omission: once the
  candidate has spoken and none of the ``unless_any`` phrases has come up ("ignore
  the latency" -> engineering pushes back). Each pushback fires at most once.
* At most :data:`LINES_PER_TURN` pushbacks are voiced after one turn, triggered
  ones before omissions, so the panel talks like people rather than a checklist;
  the rest wait for the next turn (and are dropped if the candidate meanwhile
  deals with them).
* A persona is satisfied once any of its ``satisfied_by`` phrases has been said.
  When no pushback fires, the first persona still unsatisfied restates a concern
  (once each); when nobody has anything left, the panel asks for the decision.
* The role-play ends with the candidate's decision turn. Pushbacks the decision
  triggers are recorded as closing objections, and each persona says whether it
  can live with the outcome.

Phrases are matched by :mod:`loopready.phrases`: whole words, their inflections, and
never when negated in their clause ("we launch without a fallback" has no fallback).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from loopready.packs.schema import Pack, Persona, Prompt, Pushback, Round
from loopready.phrases import find_phrases

#: The most pushbacks voiced after one candidate turn.
LINES_PER_TURN = 2
#: After this many exchanges the panel asks for the decision regardless.
MAX_EXCHANGES = 6

PANEL = "panel"

LineKind = Literal["position", "pushback", "concern", "decision_call", "objection", "reaction"]

# -- the engine -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One thing said by a persona or the panel."""

    speaker: str  # persona id, or "panel"
    name: str  # who, as shown: "Kenji, engineering lead"
    text: str
    kind: LineKind
    ref: str | None = None  # the pushback id, for pushbacks and objections

    def to_dict(self) -> dict[str, Any]:
        return {
            "speaker": self.speaker,
            "name": self.name,
            "text": self.text,
            "kind": self.kind,
            "ref": self.ref,
        }


@dataclass
class PersonaState:
    """How one persona stands: what satisfied it, what it pushed back on."""

    persona: Persona
    satisfied_by: list[str] = field(default_factory=list)
    fired: list[str] = field(default_factory=list)
    reminded: bool = False

    @property
    def satisfied(self) -> bool:
        return bool(self.satisfied_by)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.persona.id,
            "name": self.persona.name,
            "role": self.persona.role,
            "satisfied": self.satisfied,
            "satisfied_by": list(self.satisfied_by),
            "pushbacks": list(self.fired),
            "concerns": list(self.persona.concerns),
        }


@dataclass(frozen=True)
class Outcome:
    """The end state of a role-play, for the report and the debrief."""

    personas: tuple[dict[str, Any], ...]
    pushbacks_fired: int
    pushbacks_total: int
    satisfied: int
    objections: tuple[str, ...]
    decided: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "personas": [dict(p) for p in self.personas],
            "pushbacks_fired": self.pushbacks_fired,
            "pushbacks_total": self.pushbacks_total,
            "satisfied": self.satisfied,
            "objections": list(self.objections),
            "decided": self.decided,
        }


DECISION_CALL = (
    "We are nearly out of time. What is the decision: what ships, to whom and when, "
    "and who does what next?"
)
_NOTHING_LEFT = "Anything else before you give us your decision?"


class RolePlay:
    """A deterministic role-play of a stakeholder round: same words in, same panel out."""

    def __init__(
        self,
        pack: Pack,
        rnd: Round,
        prompt: Prompt,
        *,
        lines_per_turn: int = LINES_PER_TURN,
        max_exchanges: int = MAX_EXCHANGES,
    ) -> None:
        self.pack = pack
        self.round = rnd
        self.prompt = prompt
        self.lines_per_turn = lines_per_turn
        self.max_exchanges = max_exchanges
        ids = rnd.personas or [p.id for p in pack.personas]
        self.states = [PersonaState(pack.persona(i)) for i in ids]
        self.candidate_turns: list[str] = []
        self.decision: str | None = None
        self.lines: list[Line] = []
        self._quiet = False
        self._called = False

    # -- conversation -----------------------------------------------------------------

    def opening(self) -> list[Line]:
        """Each persona's opening position."""
        lines = [
            Line(s.persona.id, s.persona.name, s.persona.position, "position") for s in self.states
        ]
        self.lines.extend(lines)
        return lines

    @property
    def said(self) -> str:
        """Everything the candidate has said so far."""
        parts = [*self.candidate_turns]
        if self.decision is not None:
            parts.append(self.decision)
        return "\n".join(parts)

    @property
    def exchanges(self) -> int:
        return len(self.candidate_turns)

    @property
    def ready_for_decision(self) -> bool:
        """True when the panel has nothing left to raise, or the exchanges ran out."""
        return self._quiet or self.exchanges >= self.max_exchanges

    def respond(self, text: str) -> list[Line]:
        """The panel's reply to one candidate turn (not the decision)."""
        if self.decision is not None:
            raise RuntimeError("the role-play has ended with the decision")
        self.candidate_turns.append(text)
        self._update_satisfaction()
        lines: list[Line] = []
        speakers: set[str] = set()
        for state, pushback in self._due(include_omissions=True):
            # One line per persona per turn, so several voices are heard.
            if state.persona.id in speakers or len(lines) >= self.lines_per_turn:
                continue
            speakers.add(state.persona.id)
            state.fired.append(pushback.id)
            lines.append(
                Line(state.persona.id, state.persona.name, pushback.line, "pushback", pushback.id)
            )
        if not lines:
            for state in self.states:
                if not state.satisfied and not state.reminded:
                    state.reminded = True
                    concern = _lower_first(state.persona.concerns[0])
                    text_ = f"I still have not heard how you deal with this: {concern}."
                    lines.append(Line(state.persona.id, state.persona.name, text_, "concern"))
                    break
        if not lines:
            lines.append(
                Line(PANEL, "Panel", _NOTHING_LEFT if not self._quiet else "Noted.", "concern")
            )
            self._quiet = True
        if self.ready_for_decision and not self._called:
            self._called = True
            lines.append(self.decision_call())
        self.lines.extend(lines)
        return lines

    def decision_call(self) -> Line:
        """The panel asking for the decision."""
        return Line(PANEL, "Panel", DECISION_CALL, "decision_call")

    def decide(self, text: str) -> list[Line]:
        """Record the candidate's decision; the personas' closing objections and reactions."""
        if self.decision is not None:
            raise RuntimeError("the decision was already given")
        self.decision = text
        self._update_satisfaction()
        lines: list[Line] = []
        for state, pushback in self._due(include_omissions=False):
            state.fired.append(pushback.id)
            lines.append(
                Line(state.persona.id, state.persona.name, pushback.line, "objection", pushback.id)
            )
        for state in self.states:
            if state.satisfied:
                reaction = "I can work with that."
            else:
                reaction = f"I am not comfortable yet: {_lower_first(state.persona.concerns[0])}."
            lines.append(Line(state.persona.id, state.persona.name, reaction, "reaction"))
        self.lines.extend(lines)
        return lines

    # -- state ------------------------------------------------------------------------

    def _update_satisfaction(self) -> None:
        said = self.said
        for state in self.states:
            found = find_phrases(said, state.persona.satisfied_by)
            state.satisfied_by = found

    def _due(self, *, include_omissions: bool) -> list[tuple[PersonaState, Pushback]]:
        """Pushbacks whose condition holds now and that have not fired: triggered first."""
        said = self.said
        triggered: list[tuple[PersonaState, Pushback]] = []
        omissions: list[tuple[PersonaState, Pushback]] = []
        for state in self.states:
            for pushback in state.persona.pushback:
                if pushback.id in state.fired:
                    continue
                if find_phrases(said, pushback.unless_any):
                    continue
                if pushback.if_any:
                    if find_phrases(said, pushback.if_any):
                        triggered.append((state, pushback))
                elif include_omissions and self.candidate_turns:
                    omissions.append((state, pushback))
        return triggered + omissions

    def outcome(self) -> Outcome:
        """Who was satisfied, which pushbacks fired, what the decision drew."""
        objections = tuple(line.ref or "" for line in self.lines if line.kind == "objection")
        total = sum(len(s.persona.pushback) for s in self.states)
        return Outcome(
            personas=tuple(s.to_dict() for s in self.states),
            pushbacks_fired=sum(len(s.fired) for s in self.states),
            pushbacks_total=total,
            satisfied=sum(1 for s in self.states if s.satisfied),
            objections=objections,
            decided=self.decision is not None,
        )

    @classmethod
    def replay(
        cls,
        pack: Pack,
        rnd: Round,
        prompt: Prompt,
        candidate_turns: Sequence[str],
        decision: str | None = None,
        **options: int,
    ) -> RolePlay:
        """Rebuild a role-play from the candidate's saved turns (it is deterministic)."""
        play = cls(pack, rnd, prompt, **options)
        play.opening()
        for text in candidate_turns:
            play.respond(text)
        if decision is not None:
            play.decide(decision)
        return play


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text
