"""The stakeholder simulation: a panel of personas who listen, remember and reply.

No language model is needed. Each persona opens with its position. After every
candidate turn:

1. Each sentence is read for what it does (:mod:`roleplay_acts`): restates a
   concern, asks, challenges a constraint, concedes, proposes, trades off, decides,
   assigns an owner, waves a concern away, or nothing (a list of terms).
2. Each persona's concerns move (:mod:`roleplay_memory`): open, acknowledged,
   addressed by a concrete commitment (quoted), or dismissed (an escalation).
3. The personas reply to what was said, at most :data:`LINES_PER_TURN` voices a turn,
   one line each: a dismissal is escalated; a challenge or question about a
   persona's concern gets that persona's answer with the case's figure; a
   commitment that settles a concern is welcomed, quoting it; a concession or
   restatement is acknowledged; a vague proposal gets the persona's doubt. When
   nobody has anything to say to the turn, a persona raises one of its concerns
   that is still open, never one the candidate has just addressed.
4. The panel asks for the decision when nobody has anything left to say, when the
   exchanges run out, or when 80% of the round's clock is gone; time cues follow
   the round's real clock (half gone, 80% gone), never a fixed script.

The role-play ends with the candidate's decision: it moves the concerns like any
turn, dismissals in it become objections, and each persona closes in its own
voice, quoting the commitment that settled it or naming what is still open.

The same words always give the same panel, so a session is rebuilt from its saved
turns (:meth:`RolePlay.replay`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from loopready.interview.roleplay_acts import COMMITTING, SentenceAct, analyse_turn
from loopready.interview.roleplay_memory import (
    TOPIC_SIMILARITY,
    IssueState,
    issues_of,
    read_topic,
    topic_similarity,
    verdict,
)
from loopready.packs.schema import Pack, Persona, Prompt, Round

#: The most persona lines after one candidate turn.
LINES_PER_TURN = 2
#: After this many exchanges the panel asks for the decision regardless.
MAX_EXCHANGES = 6
#: Share of the round's clock after which the panel asks for the decision.
DECISION_SHARE = 0.8

PANEL = "panel"

LineKind = Literal[
    "position",
    "pushback",
    "concern",
    "answer",
    "acknowledge",
    "reaction",
    "escalation",
    "decision_call",
    "objection",
    "time",
]

_LAUNCH = re.compile(r"\b(launch|ship|go live|goes live|release|announce|available)\w*")

DECISION_CALL = "What is the decision: what ships, to whom and when, and who does what next?"
_NOTHING_LEFT = "Anything else before you give us your decision?"


@dataclass(frozen=True)
class Line:
    """One thing said by a persona or the panel."""

    speaker: str  # persona id, or "panel"
    name: str  # who, as shown: "Kenji, engineering lead"
    text: str
    kind: LineKind
    ref: str | None = None  # the concern id the line is about

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
    """How one persona stands: each of its concerns, and what it has said."""

    persona: Persona
    issues: list[IssueState] = field(default_factory=list)

    @property
    def main(self) -> list[IssueState]:
        return [i for i in self.issues if i.issue.main] or self.issues[:1]

    @property
    def satisfied(self) -> bool:
        return all(i.state == "addressed" for i in self.main)

    @property
    def satisfied_by(self) -> list[str]:
        """The commitments (quoted) that settled its main concerns."""
        quotes = [i.addressed_by for i in self.main if i.state == "addressed"]
        return list(dict.fromkeys(q for q in quotes if q))

    @property
    def raised(self) -> list[str]:
        return [i.issue.id for i in self.issues if i.raised]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.persona.id,
            "name": self.persona.name,
            "role": self.persona.role,
            "satisfied": self.satisfied,
            "satisfied_by": self.satisfied_by,
            "pushbacks": self.raised,
            "concerns": [i.issue.concern for i in self.issues],
            "concern_states": [i.to_dict() for i in self.issues],
            "escalations": [
                {
                    "concern": i.issue.concern,
                    "quote": i.escalated.quote,
                    "stronger": i.issue.stronger,
                }
                for i in self.issues
                if i.escalated is not None
            ],
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
    commitments: tuple[dict[str, Any], ...] = ()
    acts: dict[str, int] = field(default_factory=dict)

    @property
    def escalations(self) -> int:
        return sum(len(p["escalations"]) for p in self.personas)

    @property
    def addressed(self) -> int:
        return sum(
            1 for p in self.personas for c in p["concern_states"] if c["state"] == "addressed"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "personas": [dict(p) for p in self.personas],
            "pushbacks_fired": self.pushbacks_fired,
            "pushbacks_total": self.pushbacks_total,
            "satisfied": self.satisfied,
            "objections": list(self.objections),
            "decided": self.decided,
            "commitments": [dict(c) for c in self.commitments],
            "acts": dict(self.acts),
            "escalations": self.escalations,
            "addressed": self.addressed,
        }


def panel_of(pack: Pack, rnd: Round, prompt: Prompt) -> list[Persona]:
    """The personas who argue this prompt: its own panel, else the round's, else the pack's."""
    ids = prompt.panel or rnd.personas or [p.id for p in pack.personas]
    return [pack.persona(i) for i in ids]


def _vectors(texts: tuple[str, ...]) -> np.ndarray:
    """MiniLM embeddings (the shared embedder caches them)."""
    from loopready.grading.embeddings import get_embedder

    return np.asarray(get_embedder().embed(list(texts)), dtype=np.float32)


def _quote(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


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
        self.states = [
            PersonaState(p, [IssueState(i) for i in issues_of(p)])
            for p in panel_of(pack, rnd, prompt)
        ]
        self.candidate_turns: list[str] = []
        self.decision: str | None = None
        self.lines: list[Line] = []
        self.commitments: list[dict[str, Any]] = []
        self.acts: Counter[str] = Counter()
        self._quiet = False
        self._called = False
        self._time_cues: set[str] = set()

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
    def all_satisfied(self) -> bool:
        return all(s.satisfied for s in self.states)

    @property
    def ready_for_decision(self) -> bool:
        """True when the panel has nothing left, or the exchanges or the clock ran out."""
        return self._quiet or self.exchanges >= self.max_exchanges

    def respond(self, text: str, *, elapsed_s: float | None = None) -> list[Line]:
        """The panel's reply to one candidate turn (not the decision). ``elapsed_s``,
        the seconds of the round used so far, drives the time cues."""
        if self.decision is not None:
            raise RuntimeError("the role-play has ended with the decision")
        self.candidate_turns.append(text)
        events = self._read(text, len(self.candidate_turns))
        lines = self._reply(events)
        if not lines:
            lines = self._raise_open(limit=self.lines_per_turn)
        if not lines:
            lines.append(
                Line(PANEL, "Panel", _NOTHING_LEFT if not self._quiet else "Noted.", "concern")
            )
            self._quiet = True
        late = elapsed_s is not None and elapsed_s >= DECISION_SHARE * self.limit_s
        calling = (self.ready_for_decision or late) and not self._called
        if not (calling and late):  # the call itself says how much time is left
            lines += self._time_cue(elapsed_s)
        if calling:
            self._called = True
            lines.append(self.decision_call(elapsed_s))
        self.lines.extend(lines)
        return lines

    @property
    def limit_s(self) -> float:
        return float(self.round.minutes * 60)

    def decision_call(self, elapsed_s: float | None = None) -> Line:
        """The panel asking for the decision, in words that fit the clock."""
        if elapsed_s is None:
            lead = "We have heard each other out."
        else:
            left = max(0.0, self.limit_s - elapsed_s) / 60
            if left <= 0.2 * self.round.minutes:
                lead = "We are nearly out of time."
            else:
                lead = (
                    f"We still have about {round(left)} minutes, but we have heard each other out."
                )
        return Line(PANEL, "Panel", f"{lead} {DECISION_CALL}", "decision_call")

    def _time_cue(self, elapsed_s: float | None) -> list[Line]:
        """One panel line as the clock passes half and 80% of the round (once each)."""
        if elapsed_s is None:
            return []
        share = elapsed_s / self.limit_s
        passed = {mark for mark in ("0.5", "0.8") if share >= float(mark)} - self._time_cues
        if not passed:
            return []
        self._time_cues |= passed
        left = round(max(0.0, self.limit_s - elapsed_s) / 60)
        if "0.8" in passed:
            text = f"We have about {left} minutes left."
        elif self.round.minutes == 60:
            text = f"We are halfway through the hour; about {left} minutes left."
        else:
            text = f"We are about halfway; {left} minutes left."
        return [Line(PANEL, "Panel", text, "time")]

    def decide(self, text: str) -> list[Line]:
        """Record the candidate's decision; the personas' objections and closing lines."""
        if self.decision is not None:
            raise RuntimeError("the decision was already given")
        self.decision = text
        events = self._read(text, len(self.candidate_turns) + 1)
        lines: list[Line] = []
        for state, issue, _ in events["dismissed"]:
            lines.append(
                Line(
                    state.persona.id,
                    state.persona.name,
                    f"{state.persona.voice.escalate} ({issue.issue.concern}.)",
                    "objection",
                    issue.issue.id,
                )
            )
        for state in self.states:
            voice = state.persona.voice
            if state.satisfied:
                quote = state.satisfied_by[-1] if state.satisfied_by else ""
                reaction = f"{voice.on_board} What settled it for me: “{_quote(quote)}”"
            else:
                still = [i for i in state.main if i.state != "addressed"]
                concern = _lower_first(still[0].issue.concern)
                reaction = f"{voice.not_on_board} Still open for me: {concern}."
            lines.append(Line(state.persona.id, state.persona.name, reaction, "reaction"))
        self.lines.extend(lines)
        return lines

    # -- understanding a turn -----------------------------------------------------------

    def _read(
        self, text: str, turn: int
    ) -> dict[str, list[tuple[PersonaState, IssueState, SentenceAct]]]:
        """Move the concerns by each sentence of ``text``; what moved, and what was asked."""
        events: dict[str, list[tuple[PersonaState, IssueState, SentenceAct]]] = {
            k: [] for k in ("dismissed", "addressed", "acknowledged", "asked", "doubt", "date")
        }
        sentences = analyse_turn(text)
        if not sentences:
            return events
        flat = [(s, i) for s in self.states for i in s.issues]
        sims = topic_similarity(
            _vectors(tuple(x.text for x in sentences)),
            _vectors(tuple(i.issue.concern for _, i in flat)),
        )
        for row, sentence in enumerate(sentences):
            self.acts[sentence.act] += 1
            touched = False
            for col, (state, issue) in enumerate(flat):
                topic = read_topic(sentence.text, issue.issue, float(sims[row, col]))
                if not (topic.named or topic.similar >= TOPIC_SIMILARITY):
                    continue
                issue.named = issue.named or (topic.named and sentence.act != "other")
                if sentence.act in ("question", "challenge"):
                    events["asked"].append((state, issue, sentence))
                    continue
                new = verdict(sentence, issue.issue, topic)
                if new is None:
                    continue
                if issue.move(new, sentence, turn):
                    touched = True
                    if new == "acknowledged" and sentence.act == "propose":
                        events["doubt"].append((state, issue, sentence))
                    else:
                        events[new].append((state, issue, sentence))
            if (
                sentence.act in ("decide", "propose", "tradeoff")
                and sentence.cues.figure
                and _LAUNCH.search(sentence.text.lower())
                and self.states
            ):
                # a promise with a date or figure in it: see _reply
                events["date"].append((self.states[0], self.states[0].issues[0], sentence))
            if touched and sentence.act in COMMITTING:
                entry = {"quote": _quote(sentence.text), "act": sentence.act, "turn": turn}
                if entry not in self.commitments:
                    self.commitments.append(entry)
        # A question nobody's topic matches goes to the persona it is closest to.
        asked_rows = {id(e[2]) for e in events["asked"]}
        for row, sentence in enumerate(sentences):
            if sentence.act in ("question", "challenge") and id(sentence) not in asked_rows:
                col = int(np.argmax(sims[row]))
                state, issue = flat[col]
                events["asked"].append((state, issue, sentence))
        return events

    def _reply(
        self, events: dict[str, list[tuple[PersonaState, IssueState, SentenceAct]]]
    ) -> list[Line]:
        """At most one line per persona, most pressing first."""
        lines: list[Line] = []
        spoken: set[str] = set()

        def say(state: PersonaState, text: str, kind: LineKind, ref: str | None) -> bool:
            if state.persona.id in spoken or len(lines) >= self.lines_per_turn:
                return False
            spoken.add(state.persona.id)
            lines.append(Line(state.persona.id, state.persona.name, text, kind, ref))
            return True

        for state, issue, _ in events["dismissed"]:
            say(state, state.persona.voice.escalate, "escalation", issue.issue.id)
        for state, issue, sentence in events["asked"]:
            lead = "Fair question." if sentence.act == "question" else "Fair challenge."
            say(state, f"{lead} {issue.issue.answer}", "answer", issue.issue.id)
        if events["date"]:
            # A launch date promised while a concern that must precede the launch is open
            # and not yet voiced: its persona says so now.
            for state in self.states:
                for issue in state.issues:
                    if issue.issue.before_launch and issue.state == "open" and not issue.raised:
                        if say(state, issue.issue.raise_line, "pushback", issue.issue.id):
                            issue.raised += 1
                        break
        for state, issue, sentence in events["addressed"]:
            say(
                state,
                f"{state.persona.voice.welcome} “{_quote(sentence.text)}”",
                "acknowledge",
                issue.issue.id,
            )
        for state, issue, _ in events["acknowledged"]:
            say(state, state.persona.voice.thanks, "acknowledge", issue.issue.id)
        for state, issue, _ in events["doubt"]:
            say(state, state.persona.voice.doubt, "reaction", issue.issue.id)
        if len(lines) < self.lines_per_turn and lines:
            lines += self._raise_open(limit=self.lines_per_turn - len(lines), skip=spoken)
        return lines

    def _raise_open(self, *, limit: int, skip: set[str] | None = None) -> list[Line]:
        """Personas voicing a concern still open (never one just addressed): the concern
        raised least so far first, main ones before others, one line per persona."""
        skip = set(skip or ())
        pending: list[tuple[int, bool, int, int, PersonaState, IssueState]] = []
        for p_index, state in enumerate(self.states):
            if state.persona.id in skip or state.satisfied:
                continue
            for i_index, issue in enumerate(state.issues):
                if issue.state in ("open", "acknowledged"):
                    pending.append(
                        (issue.raised, not issue.issue.main, p_index, i_index, state, issue)
                    )
        pending.sort(key=lambda t: t[:4])
        lines: list[Line] = []
        for raised, _, _, _, state, issue in pending:
            if len(lines) >= limit:
                break
            if state.persona.id in skip:
                continue
            skip.add(state.persona.id)
            issue.raised += 1
            text = issue.issue.raise_line
            if raised or issue.named:
                text = (
                    "I am coming back to this, because I still have not heard a plan for it: "
                    f"{_lower_first(issue.issue.concern)}."
                )
            lines.append(
                Line(state.persona.id, state.persona.name, text, "pushback", issue.issue.id)
            )
        return lines

    # -- the end state --------------------------------------------------------------------

    def outcome(self) -> Outcome:
        """Who was satisfied and by what, every concern's state, what the decision drew."""
        objections = tuple(line.ref or "" for line in self.lines if line.kind == "objection")
        return Outcome(
            personas=tuple(s.to_dict() for s in self.states),
            pushbacks_fired=sum(len(s.raised) for s in self.states),
            pushbacks_total=sum(len(s.issues) for s in self.states),
            satisfied=sum(1 for s in self.states if s.satisfied),
            objections=objections,
            decided=self.decision is not None,
            commitments=tuple(self.commitments),
            acts=dict(self.acts),
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
