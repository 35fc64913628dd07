"""Mock round sessions: a prompt, a clock, and the answer taken in turns.

An ordinary round runs in turns: the main answer; then one to three follow-up
probes chosen from the pack by what the grader found missing in the main answer
(:mod:`loopready.interview.followups`); then the close. A stakeholder round is a
role-play instead (:mod:`loopready.interview.roleplay`): the personas open, the
candidate and the panel exchange turns, and it ends with the candidate's decision.
When the last turn is in, the whole of the candidate's side is graded, the grade
is stored and the session is completed, so its report exists at once.

Every turn is a row of the ``turns`` table, created empty when the turn begins and
rewritten on every autosave, so a session killed mid-answer resumes with its text
intact. The session's ``meta`` holds its state, typed by :class:`SessionMeta`:
``mode``, ``stage``, ``cursor`` (the turn being written), the chosen ``follow_ups``,
the main answer's grade summary, ``active_s``, the seconds spent answering (so the
clock resumes where it stopped rather than counting the hours in between), and the
spoken turns' recordings and word timings.

A round's prompts rotate: the one practised least often comes next (pack order
breaks ties), so no prompt repeats until the round's prompts run out, unless the
candidate asks for it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from loopready.errors import Conflict, InputError
from loopready.grading.base import GradeResult
from loopready.grading.service import build_request, grade_request
from loopready.interview.followups import choose_follow_ups
from loopready.interview.roleplay import DECISION_CALL, RolePlay
from loopready.interview.roleplay_llm import llm_options, voice
from loopready.interview.roleplay_score import adjust
from loopready.packs import get_pack
from loopready.packs.schema import FollowUp, Pack, Prompt, Round
from loopready.speech.timing import WordTiming, join_timings
from loopready.store import (
    Database,
    RevisionConflict,
    RoundSession,
    Session,
    Turn,
    TurnKind,
    create_session,
    end_session,
    find_owned,
    get_session,
    list_turns,
    save_grade,
    upsert_turn,
)
from loopready.store.repo import newest_in_progress, prompts_practised, resolve_id
from loopready.store.types import utcnow

Mode = Literal["interview", "roleplay"]
Stage = Literal["answer", "follow_up", "close", "exchange", "decision", "done"]

CANDIDATE = "candidate"
INTERVIEWER = "interviewer"
CLOSE_QUESTION = (
    "Before we wrap up: is there anything you want to add, or your answer in one or two sentences?"
)
#: A turn to append: (kind, speaker, prompt_text, text).
NewTurn = tuple[TurnKind, str, str | None, str]


class SessionMeta(BaseModel):
    """A session's state, stored as ``round_sessions.meta`` (one JSON object).

    :meth:`read` takes what is stored and leaves out every value of the wrong shape: a
    hand-edited or damaged import may store anything there, and a page then shows the
    session as far as it can be read instead of failing (an unreadable cursor leaves the
    session with no turn to write, which the room shows as such). Keys this model does
    not name (where an attempt came from, the offer it was about) are kept as they are.
    """

    model_config = ConfigDict(extra="allow", strict=True)

    mode: Mode = "interview"
    stage: Stage = "answer"
    #: The seq of the candidate turn being written; None once the session is over.
    cursor: int | None = None
    #: Seconds spent answering, so the clock resumes where it stopped.
    active_s: float = Field(default=0.0, ge=0, allow_inf_nan=False)
    #: Answered from files (``loopready practice --answer-file``).
    scripted: bool = False
    #: The ids of the follow-up probes chosen after the main answer.
    follow_ups: list[str] = Field(default_factory=list)
    #: The main answer's grade summary (score, criteria, grader).
    answer_grade: dict[str, Any] | None = None
    #: The role-play panel's outcome so far, and how it bounded the final score.
    outcome: dict[str, Any] | None = None
    panel_adjustment: dict[str, Any] | None = None
    #: Spoken turns' word timings by turn seq, graded with the turn.
    word_timings: dict[str, list[WordTiming]] = Field(default_factory=dict)
    #: The mock room's recordings by turn seq and transcription job
    #: (:mod:`loopready.interview.spoken`), from which ``word_timings`` are kept.
    spoken: dict[str, dict[str, dict[str, Any]]] = Field(default_factory=dict)

    @classmethod
    def read(cls, raw: Any) -> SessionMeta:
        """The stored state, with every value of the wrong shape left out."""
        if not isinstance(raw, dict):
            return cls()
        kept: dict[str, Any] = {}
        for key, value in raw.items():
            if key in cls.model_fields:
                try:
                    cls.model_validate({key: value})
                except ValidationError:
                    continue
            kept[key] = value
        return cls.model_validate(kept)

    def stored(self) -> dict[str, Any]:
        """The state as stored: the keys it was given, as JSON values."""
        return self.model_dump(mode="json", exclude_unset=True)

    def but(self, **changes: Any) -> dict[str, Any]:
        """The stored state with ``changes`` made (checked: a wrong value is an error)."""
        return SessionMeta.model_validate({**self.stored(), **changes}).stored()


# -- views ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TurnView:
    """One stored turn, detached from the database."""

    id: str
    seq: int
    kind: str
    speaker: str
    prompt_text: str | None
    text: str
    revision: int
    #: When the text was last saved (the page compares a browser draft with it).
    updated_at: datetime | None = None

    @property
    def by_candidate(self) -> bool:
        return self.speaker == CANDIDATE

    @staticmethod
    def of(turn: Turn) -> TurnView:
        return TurnView(
            turn.id,
            turn.seq,
            turn.kind,
            turn.speaker,
            turn.prompt_text,
            turn.text,
            turn.revision,
            turn.updated_at,
        )


@dataclass
class SessionView:
    """A session with its pack objects and turns: everything a screen needs."""

    id: str
    pack: Pack
    round: Round
    prompt: Prompt
    loop_id: str | None
    status: str
    started_at: datetime
    ended_at: datetime | None
    time_limit_s: int | None
    meta: dict[str, Any]
    turns: list[TurnView] = field(default_factory=list)

    @cached_property
    def state(self) -> SessionMeta:
        """The session's state, typed (``meta`` is the same as stored)."""
        return SessionMeta.read(self.meta)

    @property
    def mode(self) -> Mode:
        return self.state.mode

    @property
    def stage(self) -> Stage:
        return self.state.stage

    @property
    def done(self) -> bool:
        return self.stage == "done" or self.status != "in_progress"

    @property
    def cursor(self) -> int | None:
        return self.state.cursor

    @property
    def current(self) -> TurnView | None:
        """The candidate turn being written, or ``None`` once the session is over."""
        if self.done or self.cursor is None:
            return None
        return next((t for t in self.turns if t.seq == self.cursor), None)

    @property
    def active_s(self) -> float:
        return self.state.active_s

    @property
    def scripted(self) -> bool:
        return self.state.scripted

    @property
    def follow_ups(self) -> list[FollowUp]:
        by_id = {f.id: f for f in self.prompt.follow_ups}
        return [by_id[i] for i in self.state.follow_ups if i in by_id]

    @property
    def candidate_turns(self) -> list[TurnView]:
        return [t for t in self.turns if t.by_candidate]

    def transcript(self) -> str:
        """The candidate's side of the session, as graded."""
        return "\n\n".join(t.text.strip() for t in self.candidate_turns if t.text.strip())

    def word_timings(self, seq: int | None = None) -> list[WordTiming] | None:
        """Word timestamps of a spoken turn; with no ``seq``, those of every spoken turn
        of the transcript laid end to end (:func:`~loopready.speech.timing.join_timings`;
        typed turns add none). None when nothing of it was spoken."""
        stored = self.state.word_timings
        seqs = [seq] if seq is not None else [t.seq for t in self.candidate_turns if t.text]
        return join_timings(stored.get(str(n)) or [] for n in seqs) or None

    def turns_after(self, seq: int) -> list[TurnView]:
        """The turns after ``seq`` that the candidate did not write (persona lines)."""
        return [t for t in self.turns if t.seq > seq and not t.by_candidate]


def clean_meta(meta: Any) -> dict[str, Any]:
    """A session's stored state with every value of the wrong shape left out
    (:meth:`SessionMeta.read`)."""
    return SessionMeta.read(meta).stored()


def _view(s: Any, user_id: str, rs: RoundSession) -> SessionView:
    pack = get_pack(rs.pack_id)
    rnd = pack.round(rs.round_id)
    prompt = next((p for p in rnd.prompts if p.id == rs.prompt_id), rnd.prompts[0])
    turns = [TurnView.of(t) for t in list_turns(s, user_id, rs.id)]
    return SessionView(
        id=rs.id,
        pack=pack,
        round=rnd,
        prompt=prompt,
        loop_id=rs.loop_id,
        status=rs.status,
        started_at=rs.started_at,
        ended_at=rs.ended_at,
        time_limit_s=rs.time_limit_s,
        meta=clean_meta(rs.meta),
        turns=turns,
    )


def load(db: Database, ref: str) -> SessionView:
    """The user's session ``ref`` (id, a prefix of six characters or more, or "last")."""
    with db.read_session() as s:
        rs = get_session(s, db.user_id, resolve_id(s, db.user_id, RoundSession, ref))
        return _view(s, db.user_id, rs)


# -- starting -------------------------------------------------------------------------------


def is_roleplay(pack: Pack, rnd: Round) -> bool:
    """Stakeholder rounds with personas run as a role-play."""
    return rnd.kind == "stakeholder" and bool(rnd.personas or pack.personas)


def practised_counts(db: Database, pack_id: str, round_id: str) -> Counter[str]:
    """How often each prompt of the round has been practised (abandoned tries included)."""
    with db.read_session() as s:
        return Counter(prompts_practised(s, db.user_id, pack_id, round_id))


def choose_prompt(db: Database, pack: Pack, rnd: Round, requested: str | None = None) -> Prompt:
    """The prompt to practise: ``requested``, else the least practised (pack order on ties)."""
    if requested is not None:
        for prompt in rnd.prompts:
            if prompt.id == requested:
                return prompt
        valid = ", ".join(p.id for p in rnd.prompts)
        raise InputError(f"no prompt {requested!r} in round {rnd.id!r}; its prompts: {valid}")
    counts = practised_counts(db, pack.id, rnd.id)
    return min(rnd.prompts, key=lambda p: (counts.get(p.id, 0), rnd.prompts.index(p)))


def round_of(pack: Pack, round_id: str) -> Round:
    try:
        return pack.round(round_id)
    except KeyError as exc:
        raise InputError(str(exc.args[0])) from None


def _open_row(
    s: Session,
    db: Database,
    pack: Pack,
    rnd: Round,
    prompt: Prompt,
    loop_id: str | None,
    meta: dict[str, Any],
    started_at: datetime | None = None,
) -> RoundSession:
    """A new session row of ``prompt`` in ``rnd``, timed by the round's minutes."""
    return create_session(
        s,
        db.user_id,
        pack_id=pack.id,
        round_id=rnd.id,
        prompt_id=prompt.id,
        loop_id=loop_id,
        time_limit_s=rnd.minutes * 60,
        meta=meta,
        started_at=started_at,
    )


def _keep_grade(
    s: Session, db: Database, round_id: str, result: GradeResult, session_id: str
) -> None:
    """Store ``result`` as the session's final grade."""
    save_grade(
        s,
        db.user_id,
        round_id=round_id,
        score=result.score,
        result=result.to_json_dict(),
        grader=result.grader,
        session_id=session_id,
    )


def start(
    db: Database,
    pack: Pack,
    round_id: str,
    *,
    loop_id: str | None = None,
    prompt_id: str | None = None,
    scripted: bool = False,
) -> SessionView:
    """Begin a session: pick the prompt, open the first turn (after the personas speak)."""
    rnd = round_of(pack, round_id)
    prompt = choose_prompt(db, pack, rnd, prompt_id)
    roleplay = is_roleplay(pack, rnd)
    meta: dict[str, Any] = {
        "mode": "roleplay" if roleplay else "interview",
        "stage": "answer",
        "active_s": 0.0,
        "scripted": scripted,
        "follow_ups": [],
    }
    with db.session() as s:
        rs = _open_row(s, db, pack, rnd, prompt, loop_id, meta)
        seq = 0
        if roleplay:
            for line in RolePlay(pack, rnd, prompt).opening():
                upsert_turn(
                    s, db.user_id, rs.id, seq, line.text, kind="persona", speaker=line.speaker
                )
                seq += 1
        upsert_turn(
            s,
            db.user_id,
            rs.id,
            seq,
            "",
            kind="answer",
            speaker=CANDIDATE,
            prompt_text=prompt.question,
        )
        rs.meta = SessionMeta.read(meta).but(cursor=seq)
        s.flush()
        return _view(s, db.user_id, rs)


def find_in_progress(db: Database, pack_id: str, round_id: str, loop_id: str | None) -> str | None:
    """The newest unfinished session of this round (in this loop, or outside any loop)."""
    with db.read_session() as s:
        return newest_in_progress(s, db.user_id, pack_id, round_id, loop_id)


def abandon(db: Database, session_id: str) -> None:
    """Mark an unfinished session abandoned (its text is kept)."""
    with db.session() as s:
        rs = end_session(s, db.user_id, session_id, status="abandoned")
        rs.meta = SessionMeta.read(rs.meta).but(stage="done")


# -- writing --------------------------------------------------------------------------------


class StaleTurn(Conflict):
    """The turn being written was already handed in elsewhere (another tab or window)."""

    def __init__(self) -> None:
        super().__init__(
            "This part of the mock was already handed in elsewhere, perhaps in another tab. "
            "Reload the session to carry on; the text you typed here is kept."
        )


def current_turn(
    view: SessionView, seq: int, revision: int | None = None, text: str | None = None
) -> TurnView:
    """The turn being written, checked against what the page or process is writing: turn
    ``seq`` (else :class:`StaleTurn`), based on ``revision`` when given (else
    :class:`~loopready.store.RevisionConflict`). A page whose *text* is the saved text has
    nothing to lose, whatever its revision: that is no conflict."""
    current = view.current
    if current is None or current.seq != seq:
        raise StaleTurn()
    if revision is not None and current.revision != revision and current.text != text:
        raise RevisionConflict(current.id, revision, current.revision)
    return current


def autosave(
    db: Database,
    session_id: str,
    seq: int,
    text: str,
    *,
    active_s: float | None = None,
    expected_revision: int | None = None,
) -> int:
    """Save the text of the turn being written (and the time spent), in one transaction.

    Only the turn being written can be saved: a stale copy of the session (another
    window) gets an :class:`InputError` instead of overwriting a handed-in turn. With
    *expected_revision* (the revision the page's copy is based on), a turn another tab
    saved since raises :class:`~loopready.store.RevisionConflict` and nothing is written.
    Returns the turn's new revision.
    """
    with db.session() as s:
        rs = find_owned(s, RoundSession, db.user_id, session_id)
        if rs is None:
            raise InputError(f"no session {session_id!r}")
        if rs.status != "in_progress":
            raise InputError("this session is over; start a new one to practise again")
        if SessionMeta.read(rs.meta).cursor != seq:
            raise StaleTurn()
        turn = upsert_turn(
            s, db.user_id, session_id, seq, text, expected_revision=expected_revision
        )
        if active_s is not None:
            rs.meta = SessionMeta.read(rs.meta).but(active_s=round(float(active_s), 1))
        return turn.revision


def _grade(
    pack: Pack,
    rnd: Round,
    prompt: Prompt,
    text: str,
    grader: str,
    request_id: str | None = None,
    word_timings: list[WordTiming] | None = None,
) -> GradeResult:
    request = build_request(
        text,
        pack_id=pack.id,
        round_id=rnd.id,
        question_id=prompt.id,
        request_id=request_id,
        word_timings=word_timings,
    )
    return grade_request(request, grader)


def attach_word_timings(
    db: Database, view: SessionView, seq: int, words: Sequence[WordTiming]
) -> SessionView:
    """Keep a spoken turn's word timestamps, so its grade measures real delivery."""
    with db.session() as s:
        rs = find_owned(s, RoundSession, db.user_id, view.id)
        if rs is None:
            raise InputError(f"no session {view.id!r}")
        state = SessionMeta.read(rs.meta)
        rs.meta = state.but(word_timings={**state.word_timings, str(seq): list(words)})
        s.flush()
        return _view(s, db.user_id, rs)


def submit(
    db: Database,
    view: SessionView,
    text: str,
    *,
    grader: str = "local",
    active_s: float | None = None,
    on_chunk: Callable[[str], None] | None = None,
) -> SessionView:
    """Hand in the current turn and move on: the next probe, persona lines, the close, or
    (after the last turn) the grade. Returns the session as it now stands. With the
    free-form role-play on (:mod:`roleplay_llm`), ``on_chunk`` gets the panel's reply
    as it streams in."""
    current = view.current
    if current is None:
        raise InputError("this session is over; start a new one to practise again")
    # Save first: if grading fails, the words are still there.
    autosave(db, view.id, current.seq, text, active_s=active_s)
    if view.mode == "roleplay":
        return _submit_roleplay(db, view, current, text, grader, active_s, on_chunk)
    return _submit_interview(db, view, current, text, grader, active_s)


def _advance(
    db: Database,
    view: SessionView,
    current: TurnView,
    text: str,
    active_s: float | None,
    new_turns: Sequence[NewTurn],
    meta: dict[str, Any],
) -> SessionView:
    """Save ``text`` into the current turn, append ``new_turns`` ``(kind, speaker,
    prompt_text, text)`` and update ``meta``, all in one transaction. The last
    candidate turn appended becomes the cursor."""
    with db.session() as s:
        rs = get_session(s, db.user_id, view.id)
        if rs.status != "in_progress" or SessionMeta.read(rs.meta).cursor != current.seq:
            raise StaleTurn()  # another window or process handed this turn in already
        upsert_turn(s, db.user_id, view.id, current.seq, text)
        seq = max(t.seq for t in list_turns(s, db.user_id, view.id))
        cursor = None
        for kind, speaker, prompt_text, body in new_turns:
            seq += 1
            upsert_turn(
                s,
                db.user_id,
                view.id,
                seq,
                body,
                kind=kind,
                speaker=speaker,
                prompt_text=prompt_text,
            )
            if speaker == CANDIDATE:
                cursor = seq
        changes = {**meta, "cursor": cursor}
        if active_s is not None:
            changes["active_s"] = round(float(active_s), 1)
        rs.meta = SessionMeta.read(rs.meta).but(**changes)
        s.flush()
        return _view(s, db.user_id, rs)


def _submit_interview(
    db: Database,
    view: SessionView,
    current: TurnView,
    text: str,
    grader: str,
    active_s: float | None,
) -> SessionView:
    stage = view.stage
    if stage == "answer":
        grade = _grade(
            view.pack,
            view.round,
            view.prompt,
            text,
            grader,
            word_timings=view.word_timings(current.seq),
        )
        probes = choose_follow_ups(view.round, view.prompt, grade, bar=view.pack.decision.round_bar)
        meta = {
            "follow_ups": [p.id for p in probes],
            "answer_grade": {
                "score": grade.score,
                "criteria": {c.id: c.score for c in grade.criteria},
                "grader": grade.grader,
            },
        }
        if probes:
            first = probes[0]
            turns: list[NewTurn] = [("follow_up", CANDIDATE, first.question, "")]
            return _advance(
                db, view, current, text, active_s, turns, {**meta, "stage": "follow_up"}
            )
        turns = [("close", CANDIDATE, CLOSE_QUESTION, "")]
        return _advance(db, view, current, text, active_s, turns, {**meta, "stage": "close"})
    if stage == "follow_up":
        asked = sum(1 for t in view.turns if t.kind == "follow_up")
        probes = view.follow_ups
        if asked < len(probes):
            nxt = probes[asked]
            turns = [("follow_up", CANDIDATE, nxt.question, "")]
            return _advance(db, view, current, text, active_s, turns, {"stage": "follow_up"})
        turns = [("close", CANDIDATE, CLOSE_QUESTION, "")]
        return _advance(db, view, current, text, active_s, turns, {"stage": "close"})
    # the close: everything is in
    done = _advance(db, view, current, text, active_s, [], {"stage": "close"})
    return finish(db, done, grader=grader)


def roleplay_state(view: SessionView) -> RolePlay:
    """The role-play replayed from the saved turns (deterministic), current turn excluded."""
    exchanges = [
        t.text
        for t in view.candidate_turns
        if t.kind in {"answer", "candidate"} and t.seq != view.cursor
    ]
    decision = next((t.text for t in view.candidate_turns if t.kind == "close" and view.done), None)
    return RolePlay.replay(view.pack, view.round, view.prompt, exchanges, decision)


def _submit_roleplay(
    db: Database,
    view: SessionView,
    current: TurnView,
    text: str,
    grader: str,
    active_s: float | None,
    on_chunk: Callable[[str], None] | None = None,
) -> SessionView:
    play = roleplay_state(view)
    if view.stage == "decision" or current.kind == "close":
        closing: list[NewTurn] = [
            ("persona", line.speaker, None, line.text) for line in play.decide(text)
        ]
        meta = {"stage": "decision", "outcome": play.outcome().to_dict()}
        done = _advance(db, view, current, text, active_s, closing, meta)
        return finish(db, done, grader=grader)
    lines = play.respond(text, elapsed_s=active_s)
    options = llm_options()
    if options is not None:
        names = {p.id: p.name for p in view.pack.personas}
        history = [
            ("You" if t.by_candidate else names.get(t.speaker, "Panel"), t.text)
            for t in view.turns
            if t.seq != current.seq and t.text
        ]
        lines = voice(play, text, lines, options=options, history=history, on_chunk=on_chunk)
    called = any(line.kind == "decision_call" for line in lines)
    turns: list[NewTurn] = [
        ("persona", line.speaker, None, line.text) for line in lines if line.kind != "decision_call"
    ]
    if called:
        call = next(line.text for line in lines if line.kind == "decision_call")
        turns.append(("close", CANDIDATE, call, ""))
        stage = "decision"
    else:
        turns.append(("candidate", CANDIDATE, None, ""))
        stage = "exchange"
    meta = {"stage": stage, "outcome": play.outcome().to_dict()}
    return _advance(db, view, current, text, active_s, turns, meta)


def decide_now(db: Database, view: SessionView, *, active_s: float | None = None) -> SessionView:
    """Role-play: the candidate is ready to decide; the current turn becomes the decision."""
    current = view.current
    if view.mode != "roleplay" or current is None:
        raise InputError("only a stakeholder role-play in progress ends with a decision turn")
    with db.session() as s:
        rs = get_session(s, db.user_id, view.id)
        upsert_turn(
            s,
            db.user_id,
            view.id,
            current.seq,
            current.text,
            kind="close",
            prompt_text=DECISION_CALL,
        )
        changes: dict[str, Any] = {"stage": "decision"}
        if active_s is not None:
            changes["active_s"] = round(float(active_s), 1)
        rs.meta = SessionMeta.read(rs.meta).but(**changes)
        s.flush()
        return _view(s, db.user_id, rs)


def finish(db: Database, view: SessionView, *, grader: str = "local") -> SessionView:
    """Grade the candidate's whole side of the session, store the grade, complete it."""
    if view.status != "in_progress":
        raise InputError("this session is already finished")
    result = _grade(
        view.pack,
        view.round,
        view.prompt,
        view.transcript(),
        grader,
        view.id,
        word_timings=view.word_timings(),
    )
    panel: dict[str, Any] | None = None
    if view.mode == "roleplay":
        result, panel = _panel_bound(view, result)
    with db.session() as s:
        _keep_grade(s, db, view.round.id, result, view.id)
        rs = end_session(s, db.user_id, view.id, ended_at=utcnow())
        done: dict[str, Any] = {"stage": "done", "cursor": None}
        if panel is not None:
            done["panel_adjustment"] = panel
        rs.meta = SessionMeta.read(rs.meta).but(**done)
        s.flush()
        return _view(s, db.user_id, rs)


def _panel_bound(view: SessionView, result: GradeResult) -> tuple[GradeResult, dict[str, Any]]:
    """A role-play's grade bounded by the panel's outcome (:mod:`roleplay_score`)."""
    outcome = view.state.outcome or roleplay_state(view).outcome().to_dict()
    adjustment = adjust(result.score, outcome)
    if adjustment.score >= result.score:
        return result, adjustment.to_dict()
    note = (
        f"The panel's outcome lowered the score from {result.score:.0f} to "
        f"{adjustment.score:.0f}: " + "; ".join(adjustment.reasons) + "."
    )
    message = f"{result.message} {note}" if result.message else note
    return result.model_copy(update={"score": adjustment.score, "message": message}), (
        adjustment.to_dict()
    )


def finish_early(db: Database, view: SessionView, *, grader: str = "local") -> SessionView:
    """End now with what has been said (remaining probes skipped), graded as usual."""
    if view.mode == "roleplay" and view.current is not None and view.stage != "decision":
        view = decide_now(db, view)
    if view.mode == "roleplay" and view.current is not None:
        return submit(db, view, view.current.text, grader=grader)
    return finish(db, view, grader=grader)


# -- attempts graded elsewhere --------------------------------------------------------------


def record_attempt(
    db: Database,
    pack: Pack,
    rnd: Round,
    prompt: Prompt,
    text: str,
    result: GradeResult,
    *,
    prompt_text: str | None = None,
    loop_id: str | None = None,
    extra: dict[str, Any] | None = None,
    active_s: float = 0.0,
    started_at: datetime | None = None,
) -> str:
    """Keep a one-turn answer already graded (negotiation practice on the offers page, a
    seeded attempt) as a finished session of ``rnd``, so it shows in Reports like a mock;
    returns its id. ``extra`` is kept in the session's state (where the attempt came
    from); the session ends ``active_s`` seconds after ``started_at`` (default: now)."""
    meta: dict[str, Any] = {
        "mode": "interview",
        "stage": "done",
        "active_s": active_s,
        "follow_ups": [],
        **(extra or {}),
    }
    started = started_at or utcnow()
    with db.session() as s:
        rs = _open_row(s, db, pack, rnd, prompt, loop_id, meta, started)
        upsert_turn(
            s,
            db.user_id,
            rs.id,
            0,
            text,
            kind="answer",
            speaker=CANDIDATE,
            prompt_text=prompt_text if prompt_text is not None else prompt.question,
        )
        _keep_grade(s, db, rnd.id, result, rs.id)
        end_session(s, db.user_id, rs.id, ended_at=started + timedelta(seconds=active_s))
        session_id: str = rs.id
    return session_id


# -- scripted runs --------------------------------------------------------------------------


@dataclass
class ScriptedRun:
    """The outcome of answering a session from files: the session and any unused files."""

    view: SessionView
    unused: int


def run_scripted(
    db: Database,
    view: SessionView,
    answers: Sequence[str],
    *,
    grader: str = "local",
    timings: Sequence[Sequence[WordTiming] | None] | None = None,
) -> ScriptedRun:
    """Answer the session's turns in order from ``answers`` and finish it.

    An ordinary round takes the main answer, then one answer per probe, then the
    close; turns beyond the answers given are left empty. A role-play takes the
    opening statement and exchanges from all answers but the last, which is the
    decision (a single answer is the opening statement, with an empty decision);
    if the panel calls for the decision before then, the next answer is the decision.
    ``timings``, when given, holds each answer's word timestamps (spoken answers).
    """
    queue = list(answers)
    timed = list(timings or [])
    timed += [None] * (len(queue) - len(timed))

    def hand_in(view: SessionView, text: str) -> SessionView:
        # ``text`` was just taken from the front of ``queue``: its timings are next too.
        words = timed.pop(0) if timed else None
        current = view.current
        if current is not None and words:
            view = attach_word_timings(db, view, current.seq, words)
        return submit(db, view, text, grader=grader)

    if view.mode == "roleplay":
        while not view.done:
            current = view.current
            assert current is not None
            if current.kind != "close" and len(queue) == 1 and len(answers) > 1:
                view = decide_now(db, view)
                continue
            text = queue.pop(0) if queue else ""
            if not queue and current.kind != "close" and not text:
                view = decide_now(db, view)
                continue
            view = hand_in(view, text)
        return ScriptedRun(view, len(queue))
    while not view.done:
        text = queue.pop(0) if queue else ""
        view = hand_in(view, text)
    return ScriptedRun(view, len(queue))
