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

Phrases match whole words and phrases, case-insensitively: ``ms`` matches "70 ms"
and "70ms" but never "teams"; spaces and hyphens are interchangeable, also inside
words of six letters or more ("roll out", "roll-out" and "rollout" are one
phrase); each word of four letters or more also matches its regular inflections
("launch" -> "launched", "launching"); and a phrase preceded in its clause by an
odd number of negations ("not", "without", "no", "don't", ...) does not count
("we launch without a fallback" has no fallback; "we won't launch without a
fallback" has one).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from loopready.packs.schema import Pack, Persona, Prompt, Pushback, Round

#: The most pushbacks voiced after one candidate turn.
LINES_PER_TURN = 2
#: After this many exchanges the panel asks for the decision regardless.
MAX_EXCHANGES = 6

PANEL = "panel"

LineKind = Literal["position", "pushback", "concern", "decision_call", "objection", "reaction"]

# -- phrase matching ------------------------------------------------------------------------

_NEGATORS = frozenset(
    {"not", "no", "never", "without", "skip", "skipping", "ignore", "ignoring", "nor",
     "neither", "cannot", "drop", "dropping", "avoid", "avoiding"}
)  # fmt: skip
#: "no later than November" and "not only latency" are not negations.
_NOT_NEGATING_NEXT = frozenset(
    {"later", "earlier", "sooner", "only", "just", "least", "more", "less", "fewer", "longer"}
)
_CLAUSE_END = re.compile(r"[.;:!?,\n]|\bbut\b|\bhowever\b|\bwhile\b")
_TOKEN = re.compile(r"[a-z0-9']+")
#: Words examined before a phrase when deciding whether it is negated.
_NEGATION_WINDOW = 6


def normalise(text: str) -> str:
    """Lower-case, straight quotes, single spaces: the form phrases are matched against."""
    text = text.lower().replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = re.sub(r"(?<=[^\W\d_])-(?=[^\W\d_])", "", text)  # "roll-out" -> "rollout"
    return re.sub(r"\s+", " ", text)


def _letters(stem: str, split: bool) -> str:
    """``stem`` escaped; with ``split``, a space or hyphen may come between its letters
    ("rollout" matches "roll out", "fallback" matches "fall-back")."""
    if not split:
        return re.escape(stem)
    return r"[\s\-]?".join(re.escape(ch) for ch in stem)


def _inflected(word: str) -> str:
    """A pattern for ``word`` and its regular inflections (words of four letters or more)."""
    if len(word) < 4 or not word.isalpha():
        return re.escape(word)
    split = len(word) >= 6  # compounds: rollout, fallback, wishlist, playtime
    if word.endswith("e"):
        return _letters(word[:-1], split) + r"(?:e|es|ed|ing)"
    if word.endswith("y") and word[-2] not in "aeiou":
        return _letters(word[:-1], split) + r"(?:y|ies|ied|ying)"
    last = re.escape(word[-1])
    return _letters(word, split) + rf"(?:s|es|ed|ing|{last}ed|{last}ing)?"


@lru_cache(maxsize=4096)
def phrase_pattern(phrase: str) -> re.Pattern[str]:
    """The compiled whole-word pattern for one pack phrase."""
    words = [w for w in re.split(r"[\s\-]+", normalise(phrase).strip()) if w]
    if not words:
        raise ValueError("empty phrase")
    parts = [_inflected(w) for w in words]
    body = r"[\s\-]*".join(parts)
    first, last = words[0][0], words[-1][-1]
    if first.isalpha():
        left = r"(?<![^\W\d_])"  # no letter before; a digit may ("70ms")
    elif first.isdigit():
        left = r"(?<![\w.])"  # "90%" is not inside "190%" or "0.90%"
    else:
        left = ""
    right = r"(?![\w])" if last.isalnum() else ""
    return re.compile(left + body + right)


def _negated(text: str, start: int) -> bool:
    """Whether the phrase starting at ``start`` of normalised ``text`` is negated."""
    before = text[:start]
    ends = [m.end() for m in _CLAUSE_END.finditer(before)]
    clause = before[ends[-1] :] if ends else before
    tokens = _TOKEN.findall(clause)[-_NEGATION_WINDOW:]
    count = 0
    for i, token in enumerate(tokens):
        negator = token in _NEGATORS or token.endswith("n't")
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        if negator and following not in _NOT_NEGATING_NEXT:
            count += 1
    return count % 2 == 1


def find_phrases(text: str, phrases: Iterable[str]) -> list[str]:
    """The phrases said in ``text`` (whole words, not negated), in the order given."""
    norm = normalise(text)
    found: list[str] = []
    for phrase in phrases:
        for m in phrase_pattern(phrase).finditer(norm):
            if not _negated(norm, m.start()):
                found.append(phrase)
                break
    return found


def mentions(text: str, phrase: str) -> bool:
    """Whether ``phrase`` is said in ``text`` (see :func:`find_phrases`)."""
    return bool(find_phrases(text, [phrase]))


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
