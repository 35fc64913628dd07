"""What the panel remembers: each persona's concerns and how each one stands.

Every concern (a pack :class:`~loopready.packs.schema.Issue`) is *open* until a
sentence of the candidate on its topic moves it:

* **addressed** by a concrete commitment on that topic: a decision, an owner, a
  trade-off, or a proposal with a figure, a date or an owner;
* **acknowledged** when the candidate restates it or concedes it (or proposes
  something without saying who or when);
* **dismissed** when waved away ("legal always slows things down"), when the topic
  is named only to be denied ("we launch without a fallback"), or, for a concern
  that must be settled before the launch, when it is put off until after it
  ("legal can finish looking at it after launch"). A dismissal *escalates*: the
  persona says so and the report carries it as a red flag, even if the concern is
  addressed later.

A sentence is on a concern's topic when it names one of the concern's ``about``
words (negated or not: "without a review" is about the review) or means nearly the
same as the concern (MiniLM similarity). Naming a topic never moves anything by
itself: a list of terms is recognised as such (:mod:`roleplay_acts`) and does
nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from loopready.interview.roleplay_acts import COMMITTING, HEARING, SentenceAct
from loopready.language.phrases import _negated, normalise, phrase_pattern
from loopready.packs.schema import Issue, Persona

ConcernState = Literal["open", "acknowledged", "addressed", "dismissed"]

#: Similarity in meaning at which a sentence is taken to be about a concern it does
#: not name (MiniLM cosine; related sentences of the case sit around 0.3-0.45).
TOPIC_SIMILARITY = 0.55

_CLAUSE_SPLIT = re.compile(r"[,;:]|\b(?:and|but|while|whereas|so)\b")
#: "not before the review", "only once legal has signed off", "review first": the
#: negation sets a precondition, it does not deny the topic.
_PRECONDITION = re.compile(
    r"\b(not|never|no|nothing|n't)\b[^.;]{0,60}\b(before|until|unless|without)\b"
    r"|\bonly (after|once|when|if)\b|\bfirst\b|\bonce\b|\bbefore\b|\buntil\b"
)
_DISMISSIVE_CLAUSE = re.compile(
    r"\b(not|no|never|don't|doesn't|won't|without|overblown|formality|anyway|whatever"
    r"|regardless|just|later|after (the )?launch|afterwards|catch(es)? up|ignore|skip|wait)\b"
)
_VAGUE = re.compile(
    r"\b(to be (decided|confirmed|agreed|determined)|tbd|tbc|at some point|some ?time"
    r"|eventually|one day|when we can|as soon as possible|asap|we'll see|see how it goes)\b"
)
_DEFERRAL = re.compile(
    r"\b(after (the )?(launch|release|go[- ]live|we (launch|ship|go live))|post[- ]launch"
    r"|later on|later|afterwards|down the (road|line)|can wait|catch(es)? up|in parallel"
    r"|at the same time as (the )?launch|while we (launch|ship)"
    r"|once (it'?s|we'?re|the (campaign|feature) is) live|when someone complains)\b"
)


@dataclass(frozen=True)
class Move:
    """One change of a concern's state, with the words that made it."""

    state: ConcernState
    quote: str
    act: str
    turn: int

    def to_dict(self) -> dict[str, Any]:
        return {"state": self.state, "quote": self.quote, "act": self.act, "turn": self.turn}


@dataclass
class IssueState:
    """One concern of one persona, as it stands."""

    issue: Issue
    state: ConcernState = "open"
    moves: list[Move] = field(default_factory=list)
    escalated: Move | None = None
    raised: int = 0  # times the persona voiced it
    named: bool = False  # the candidate has brought its topic up

    @property
    def addressed_by(self) -> str | None:
        return next((m.quote for m in reversed(self.moves) if m.state == "addressed"), None)

    def move(self, state: ConcernState, sentence: SentenceAct, turn: int) -> bool:
        """Change state (True when it changed). Nothing leaves *addressed* but a dismissal."""
        if state == self.state:
            return False
        if self.state == "addressed" and state == "acknowledged":
            return False
        step = Move(state, sentence.text, sentence.act, turn)
        self.moves.append(step)
        self.state = state
        if state == "dismissed" and self.escalated is None:
            self.escalated = step
        return True

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.issue.id,
            "concern": self.issue.concern,
            "main": self.issue.main,
            "state": self.state,
            "escalated": self.escalated is not None,
            "escalated_by": self.escalated.quote if self.escalated else None,
            "moves": [m.to_dict() for m in self.moves],
            "addressed_by": self.addressed_by,
            "stronger": self.issue.stronger
            if self.state != "addressed" or self.escalated
            else None,
        }


def issues_of(persona: Persona) -> list[Issue]:
    """The persona's tracked concerns; a pack without ``issues`` gets them from its
    concern list and pushbacks (the first concern is the main one)."""
    if persona.issues:
        return list(persona.issues)
    about = list(persona.satisfied_by) or [persona.role]
    omission = next((p.line for p in persona.pushback if not p.if_any), None)
    made: list[Issue] = []
    for k, concern in enumerate(persona.concerns):
        made.append(
            Issue(
                id=f"concern_{k + 1}",
                concern=concern,
                main=k == 0,
                about=about,
                raise_line=(omission if k == 0 and omission else _still_open(concern)),
                answer=persona.position,
                stronger=f"Name {_lower_first(concern)} and commit to how, who and when.",
            )
        )
    return made


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _still_open(concern: str) -> str:
    return f"I still have not heard how you deal with this: {_lower_first(concern)}."


# -- reading a sentence against a concern ---------------------------------------------------


@dataclass(frozen=True)
class Topic:
    """How a sentence touches one concern."""

    named: bool  # one of its about-words appears
    denied: bool  # every such mention is negated, with no precondition
    deferred: bool  # a clause naming it puts it after the launch
    similar: float
    waved: bool = True  # a clause naming it waves something away (or only one clause)
    vague: bool = False  # a clause naming it leaves it open: "date to be decided"


def _clauses(text: str) -> list[str]:
    return [c for c in _CLAUSE_SPLIT.split(normalise(text)) if c and c.strip()]


def mentions_any(text: str, phrases: list[str]) -> list[tuple[int, str]]:
    """Where the phrases are named in ``text`` (negated or not): (start, phrase)."""
    norm = normalise(text)
    hits: list[tuple[int, str]] = []
    for phrase in phrases:
        for m in phrase_pattern(phrase).finditer(norm):
            hits.append((m.start(), phrase))
    return hits


def read_topic(sentence: str, issue: Issue, similar: float) -> Topic:
    """How ``sentence`` touches ``issue``: named, denied, put after the launch."""
    hits = mentions_any(sentence, list(issue.about))
    norm = normalise(sentence)
    named = bool(hits)
    denied = False
    if named and not _PRECONDITION.search(norm):
        denied = all(_negated(norm, start) for start, _ in hits)
    deferred = False
    if named:
        for clause in _clauses(sentence):
            if _DEFERRAL.search(clause) and mentions_any(clause, list(issue.about)):
                deferred = True
        # "legal can look at it after launch": the pronoun carries the topic on.
        if not deferred and _DEFERRAL.search(norm) and len(_clauses(sentence)) == 1:
            deferred = True
    vague = named and any(
        _VAGUE.search(c) and mentions_any(c, list(issue.about)) for c in _clauses(sentence)
    )
    return Topic(named, denied, deferred, similar, _waved(sentence, issue), vague)


def enumerates(sentence: str) -> bool:
    """A sentence that runs through a list of four or more short items ("engagement,
    retention, conversion, latency and cost"): a metric dump, not a commitment."""
    parts = re.split(r",|\band\b|\bor\b", normalise(sentence))
    short = [p for p in parts if 0 < len(p.split()) <= 2]
    return len(short) >= 4


def _waved(sentence: str, issue: Issue) -> bool:
    """Whether a wave-away in ``sentence`` reaches this concern: the clause naming it is
    the dismissive one, or no clause stands out (then the whole sentence waves)."""
    clauses = _clauses(sentence)
    waving = [c for c in clauses if _DISMISSIVE_CLAUSE.search(c)]
    if len(clauses) == 1 or not waving:
        return True
    return any(mentions_any(c, list(issue.about)) for c in waving)


def is_concrete(sentence: SentenceAct) -> bool:
    """A commitment someone could hold you to: a figure or date, an owner, a trade,
    or a firm "we will"."""
    c = sentence.cues
    if sentence.act in ("decide", "assign", "tradeoff"):
        return True
    return c.figure or c.owner or (c.modal and c.first_person)


def verdict(sentence: SentenceAct, issue: Issue, topic: Topic) -> ConcernState | None:
    """The state this sentence moves the concern to, or None."""
    if not (topic.named or topic.similar >= TOPIC_SIMILARITY):
        return None
    act = sentence.act
    if act == "other":
        return None
    if act == "dismiss":
        return "dismissed" if topic.waved else None
    if issue.before_launch and topic.deferred and act not in ("question", "challenge"):
        return "dismissed"
    if act in COMMITTING:
        if topic.denied:
            return "dismissed"
        if topic.vague or enumerates(sentence.text):
            return "acknowledged"
        if act == "propose" and not is_concrete(sentence):
            return "acknowledged"
        return "addressed" if is_concrete(sentence) else "acknowledged"
    if act in HEARING:
        return "acknowledged"
    return None


def topic_similarity(sentence_vectors: np.ndarray, issue_vectors: np.ndarray) -> np.ndarray:
    """Cosine similarity of each sentence (rows) with each concern (columns)."""
    a = sentence_vectors / np.maximum(np.linalg.norm(sentence_vectors, axis=1, keepdims=True), 1e-9)
    b = issue_vectors / np.maximum(np.linalg.norm(issue_vectors, axis=1, keepdims=True), 1e-9)
    out: np.ndarray = a @ b.T
    return out
