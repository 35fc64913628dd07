"""The live peer mock: the candidate answers, a peer interviews with a guide and a scorecard.

Every change (typing, the clock, a score, a red flag, the end) is one transaction that
updates the mock and appends a numbered :class:`~loopready.store.team_models.LiveEvent`.
Changes to one mock are made one at a time (each holds the mock's row lock), so each event
knows the number of the mock's event before it (``prev``). On PostgreSQL the same
transaction sends ``NOTIFY loopready_live`` with ``<mock>:<seq>:<prev>`` and, when it fits
in a notification, the event itself (see :func:`note_of`); PostgreSQL delivers it on commit
to every app process listening. A page whose last event is ``prev`` gets the event from the
notification; any other page (it missed one, or the event was too large to carry) reads the
events after its last number from the database. A page that reconnects asks for the events
after its own last number, so nothing typed or scored is lost between.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from loopready.errors import InputError, StorageError
from loopready.packs.registry import check_pack_id, get_pack
from loopready.packs.schema import Pack, Prompt, Round
from loopready.store import Database, Session, utcnow
from loopready.store import team_repo as repo
from loopready.store.team_models import LiveEvent, LiveMock, Scorecard
from loopready.team import invitations
from loopready.team.accounts import Person
from loopready.team.invitations import InvitationRefused

if TYPE_CHECKING:
    from psycopg import AsyncConnection
    from psycopg_pool import AsyncConnectionPool

log = logging.getLogger("loopready.team.live")

#: PostgreSQL channel the app processes listen on.
CHANNEL: Final = "loopready_live"
#: Longest answer a live mock keeps (as one answer turn in the mock room).
MAX_ANSWER_CHARS: Final = 90_000
MAX_NOTE_CHARS: Final = 2_000
#: Largest notification payload sent (PostgreSQL refuses 8000 bytes and more); an event
#: whose text is longer travels as its number only, and the pages read it back.
MAX_NOTE_BYTES: Final = 7_900
#: Events whose background work (see :func:`loopready.team.jobs.after_event`) must be
#: queued before any page sees them: a page shown the end may open the report at once, and
#: must find the grading job there. Their transaction sends no notification; the caller
#: queues the work, then calls :func:`announce`.
ANNOUNCED_AFTER_WORK: Final = frozenset({"ended"})
#: Events read back at once by a page catching up.
READ_BATCH: Final = 1_000


@dataclass(frozen=True)
class Started:
    """A new live mock and its invitation token."""

    mock: LiveMock
    token: str


def round_and_prompt(mock: LiveMock) -> tuple[Pack, Round, Prompt]:
    pack = get_pack(mock.pack_id)
    rnd = pack.round(mock.round_id)
    prompt = next((p for p in rnd.prompts if p.id == mock.prompt_id), rnd.prompts[0])
    return pack, rnd, prompt


def start(
    db: Database,
    who: Person,
    secret: str,
    pack_id: str,
    round_id: str,
    prompt_id: str | None = None,
) -> Started:
    """Start a live mock of *round_id* for *who* (the candidate), with an invitation."""
    pack = get_pack(check_pack_id(pack_id))
    try:
        rnd = pack.round(round_id)
    except KeyError as error:
        raise InputError(str(error.args[0])) from None
    prompt = rnd.prompts[0]
    if prompt_id is not None:
        found = [p for p in rnd.prompts if p.id == prompt_id]
        if not found:
            raise InputError(f"Round {round_id!r} has no question {prompt_id!r}.")
        prompt = found[0]
    nonce = invitations.new_nonce()
    with db.session() as session:
        mock = LiveMock(
            user_id=who.user_id,
            pack_id=pack.id,
            round_id=rnd.id,
            prompt_id=prompt.id,
            status="waiting",
            invite_nonce=nonce,
            time_limit_s=rnd.minutes * 60,
            elapsed_s=0.0,
            answer="",
            answer_revision=0,
        )
        session.add(mock)
        session.flush()
    return Started(mock, invitations.sign(secret, mock.id, nonce))


def reinvite(db: Database, who: Person, secret: str, mock_id: str) -> str:
    """A fresh invitation to *who*'s mock; the previous link stops working."""
    nonce = invitations.new_nonce()
    with db.session() as session:
        mock = repo.live_mock(session, mock_id, for_update=True)
        if mock is None or mock.user_id != who.user_id:
            from loopready.team.access import NotAllowed

            raise NotAllowed("live mock")
        if mock.peer_user_id is not None:
            raise InputError("Someone has joined this mock already; a mock has one interviewer.")
        mock.invite_nonce = nonce
    return invitations.sign(secret, mock_id, nonce)


def join(db: Database, who: Person, secret: str, token: str) -> LiveMock:
    """*who* joins the mock of invitation *token* as its interviewer (uses the invitation)."""
    mock_id, nonce = invitations.read(secret, token)
    with db.session() as session:
        mock = repo.live_mock(session, mock_id, for_update=True)
        if mock is None or mock.invite_nonce is None or mock.invite_nonce != nonce:
            raise InvitationRefused(
                "This invitation has been used or withdrawn: each link lets one person in, "
                "once. Ask the candidate for a new link."
            )
        if mock.user_id == who.user_id:
            raise InvitationRefused(
                "This is your own mock: send the link to the person who will interview you."
            )
        mock.invite_nonce = None
        mock.peer_user_id = who.user_id
        mock.status = "live"
        _event(session, mock, who.user_id, "joined", {"peer": who.email})
    return mock


@dataclass(frozen=True)
class Change:
    """An event just committed: its number, the mock's event before it, and the event as
    the pages receive it (JSON text, rendered once for every page)."""

    mock_id: str
    seq: int
    prev: int
    kind: str
    message: str


def message_text(seq: int, kind: str, payload: dict[str, Any]) -> str:
    """One event as the pages receive it, as JSON text (see :func:`event_message`)."""
    return json.dumps(
        {"seq": seq, "kind": kind, **payload}, separators=(",", ":"), ensure_ascii=False
    )


def note_of(change: Change) -> str:
    """The ``NOTIFY`` payload of *change*: ``mock:seq:prev``, then the event if it fits."""
    head = f"{change.mock_id}:{change.seq}:{change.prev}"
    if len(head) + 1 + len(change.message.encode()) <= MAX_NOTE_BYTES:
        return f"{head}\n{change.message}"
    return head


def read_note(note: str) -> tuple[str, int | None, int | None, str | None]:
    """``(mock, seq, prev, message)`` of a notification; what it lacks is None."""
    head, _, message = note.partition("\n")
    mock_id, _, rest = head.partition(":")
    seq, _, prev = rest.partition(":")
    return (
        mock_id,
        int(seq) if seq.isdigit() else None,
        int(prev) if prev.isdigit() else None,
        message or None,
    )


def _notify(session: Session, change: Change) -> None:
    repo.notify(session, CHANNEL, note_of(change))


# --- the clock ----------------------------------------------------------------------------


def elapsed(mock: LiveMock) -> float:
    """Seconds on the clock now."""
    running = 0.0
    if mock.running_since is not None:
        running = max(0.0, (utcnow() - mock.running_since).total_seconds())
    return mock.elapsed_s + running


def clock_state(mock: LiveMock) -> dict[str, Any]:
    return {
        "elapsed_s": round(elapsed(mock), 2),
        "running": mock.running_since is not None,
        "limit_s": mock.time_limit_s,
    }


# --- changes ------------------------------------------------------------------------------


def _event(
    session: Session, mock: LiveMock, author: str | None, kind: str, payload: dict[str, Any]
) -> Change:
    """Append an event to *mock*, whose row this transaction has locked, and announce it."""
    event = repo.add_event(session, mock, author, kind, payload)
    prev = repo.last_seq(session, mock.id, before=event.seq)
    change = Change(mock.id, event.seq, prev, kind, message_text(event.seq, kind, payload))
    if kind not in ANNOUNCED_AFTER_WORK:
        _notify(session, change)
    return change


def announce(db: Database, change: Change) -> None:
    """Send the notification of *change* (of :data:`ANNOUNCED_AFTER_WORK`), now that its
    background work is queued."""
    with db.session() as session:
        _notify(session, change)


def apply(db: Database, who: Person, mock_id: str, action: dict[str, Any]) -> Change | None:
    """Apply one *action* of *who* (a page's message) to the mock; the event it made.

    Actions: ``type`` (candidate: ``text``), ``clock`` (either: ``run`` true/false),
    ``score`` (interviewer: ``criterion``, ``score`` 0-4 or null, ``note``),
    ``flag`` (interviewer: ``flag``, ``heard``), ``submit`` (interviewer), ``end`` (either).
    """
    from loopready.team.access import NotAllowed

    kind = action.get("action")
    if kind == "type":
        fast = _typed(db, who, mock_id, action)
        if fast is not None:
            return fast
    with db.session() as session:
        mock = repo.live_mock(session, mock_id, for_update=True)
        if mock is None:
            raise NotAllowed("live mock")
        role = (
            "candidate"
            if who.user_id == mock.user_id
            else "interviewer"
            if who.user_id == mock.peer_user_id
            else None
        )
        if role is None:
            raise NotAllowed("live mock")
        if mock.status == "ended" and kind != "submit":
            raise InputError("This mock has ended; its report keeps what was said and scored.")
        if kind == "type":
            if role != "candidate":
                raise InputError("Only the candidate types the answer.")
            value = action.get("text")
            if not isinstance(value, str) or len(value) > MAX_ANSWER_CHARS:
                raise InputError(f"An answer holds at most {MAX_ANSWER_CHARS:,} characters.")
            mock.answer = value
            mock.answer_revision += 1
            payload: dict[str, Any] = {"text": value, "revision": mock.answer_revision}
            if "client_rev" in action and isinstance(action["client_rev"], int):
                payload["client_rev"] = action["client_rev"]
            return _event(session, mock, who.user_id, "typed", payload)
        if kind == "clock":
            run = bool(action.get("run"))
            now = utcnow()
            if run and mock.running_since is None:
                mock.running_since = now
            elif not run and mock.running_since is not None:
                mock.elapsed_s = elapsed(mock)
                mock.running_since = None
            else:
                return None
            return _event(session, mock, who.user_id, "clock", clock_state(mock))
        if kind in ("score", "flag", "submit"):
            if role != "interviewer":
                raise InputError("Only the interviewer fills the scorecard.")
            card = _scorecard(session, mock, who.user_id)
            payload = _change_scorecard(card, mock, kind, action)
            return _event(session, mock, who.user_id, kind, payload)
        if kind == "end":
            if mock.running_since is not None:
                mock.elapsed_s = elapsed(mock)
                mock.running_since = None
            mock.status = "ended"
            mock.ended_at = utcnow()
            mock.invite_nonce = None
            return _event(session, mock, who.user_id, "ended", clock_state(mock))
        raise InputError(f"Unknown action {kind!r}.")


def _typed(db: Database, who: Person, mock_id: str, action: dict[str, Any]) -> Change | None:
    """The hot path of typing without the async pool: no row loaded (see
    :func:`loopready.store.team_repo.type_answer`).

    None when the update matches no row (not the candidate's, or ended): the general
    path then says why.
    """
    value = _answer_of(action)
    with db.session() as session:
        typed = repo.type_answer(session, mock_id, who.user_id, value, _extra_of(action))
        if typed is None:
            return None
        seq, prev, payload = typed
        change = Change(mock_id, seq, prev, "typed", message_text(seq, "typed", payload))
        _notify(session, change)
    return change


def _answer_of(action: dict[str, Any]) -> str:
    value = action.get("text")
    if not isinstance(value, str) or len(value) > MAX_ANSWER_CHARS:
        raise InputError(f"An answer holds at most {MAX_ANSWER_CHARS:,} characters.")
    return value


def _extra_of(action: dict[str, Any]) -> dict[str, Any]:
    """What of a typing action its event keeps besides the text: the page's ``client_rev``."""
    rev = action.get("client_rev")
    return {"client_rev": rev} if isinstance(rev, int) else {}


async def type_async(
    pool: AsyncConnectionPool[Any], who: Person, mock_id: str, action: dict[str, Any]
) -> Change | None:
    """Typing's hot path on PostgreSQL, in the event loop: one statement, then the
    notification and the commit, on a connection of *pool* (the live pool,
    :attr:`loopready.team.bus.LiveBus.pool`; no thread, no ORM).

    None when the mock is not *who*'s to type in, has ended, or the connection failed:
    :func:`apply` then writes it or says why.
    """
    value = _answer_of(action)

    def announce(seq: int, prev: int, payload: dict[str, Any]) -> tuple[Change, str]:
        change = Change(mock_id, seq, prev, "typed", message_text(seq, "typed", payload))
        return change, note_of(change)

    try:
        async with repo.live_connection(pool) as conn:
            return await repo.type_answer_async(
                conn, mock_id, who.user_id, value, _extra_of(action), announce, CHANNEL
            )
    except StorageError as error:  # rolled back: the thread's path writes or says why
        log.warning("live typing: %s; writing through the app", error)
        return None


def _scorecard(session: Session, mock: LiveMock, scorer: str) -> Scorecard:
    card = repo.scorecard(session, mock.id, scorer)
    if card is None:
        card = Scorecard(
            user_id=mock.user_id,
            mock_id=mock.id,
            scorer_user_id=scorer,
            scores={},
            red_flags=[],
            submitted=0,
            updated_at=utcnow(),
        )
        session.add(card)
        session.flush()
    return card


def _change_scorecard(
    card: Scorecard, mock: LiveMock, kind: str, action: dict[str, Any]
) -> dict[str, Any]:
    _, rnd, _ = round_and_prompt(mock)
    if kind == "submit":
        card.submitted = 1
        card.updated_at = utcnow()
        return {"submitted": True}
    if kind == "score":
        criterion = action.get("criterion")
        if criterion not in {c.id for c in rnd.rubric.criteria}:
            raise InputError(f"Round {rnd.id!r} has no criterion {criterion!r}.")
        score = action.get("score")
        if score is not None and (not isinstance(score, int) or not 0 <= score <= 4):
            raise InputError("A criterion's score is a whole number from 0 to 4.")
        note = action.get("note", "")
        if not isinstance(note, str) or len(note) > MAX_NOTE_CHARS:
            raise InputError(f"A note holds at most {MAX_NOTE_CHARS:,} characters.")
        scores = dict(card.scores)
        scores[str(criterion)] = {"score": score, "note": note}
        card.scores = scores
        card.updated_at = utcnow()
        return {"criterion": criterion, "score": score, "note": note}
    flag = action.get("flag")
    known = [str(f) for f in red_flags_of(rnd)]
    if not isinstance(flag, str) or (flag not in known and len(flag) > 300):
        raise InputError("A red flag is one of the guide's, or a short note of your own.")
    flags = [f for f in card.red_flags if f != flag]
    if action.get("heard", True):
        flags.append(flag)
    card.red_flags = flags
    card.updated_at = utcnow()
    return {"flag": flag, "heard": flag in flags}


# --- reading ------------------------------------------------------------------------------


def red_flag_entries(rnd: Round) -> list[dict[str, str]]:
    """The round's red flags (``name``, ``why``), when the pack lists them (older: none)."""
    out = []
    for flag in getattr(rnd, "red_flags", None) or []:
        if isinstance(flag, str):
            out.append({"name": flag, "why": ""})
        else:  # a structured flag
            name = getattr(flag, "name", None) or getattr(flag, "text", None) or str(flag)
            out.append({"name": str(name), "why": str(getattr(flag, "why", "") or "")})
    return out


def red_flags_of(rnd: Round) -> list[str]:
    """The names of the round's red flags: what a scorecard records as heard."""
    return [entry["name"] for entry in red_flag_entries(rnd)]


def guide(mock: LiveMock) -> dict[str, Any]:
    """The interviewer's guide: question, brief, key points, red flags, probes, criteria."""
    _, rnd, prompt = round_and_prompt(mock)
    return {
        "round": rnd.name,
        "goal": rnd.goal,
        "question": prompt.question,
        "brief": prompt.brief,
        "key_points": list(prompt.key_points),
        "red_flags": red_flag_entries(rnd),
        "follow_ups": [
            {"id": f.id, "criterion": f.criterion, "question": f.question}
            for f in prompt.follow_ups
        ],
        "criteria": [
            {"id": c.id, "name": c.name, "strong": c.strong, "weak": c.weak}
            for c in rnd.rubric.criteria
        ],
    }


def snapshot(db: Database, mock_id: str) -> dict[str, Any]:
    """Everything a page needs to draw the mock now, and the number to catch up from."""
    with db.read_session() as session:
        found = repo.mock_state(session, mock_id)
    assert found is not None
    return snapshot_of(*found)


async def mock_and_snapshot(
    conn: AsyncConnection[Any], mock_id: str
) -> tuple[LiveMock, dict[str, Any]] | None:
    """The mock and its :func:`snapshot`, read together (one statement) on *conn*; None
    if there is no such mock. :class:`StorageError` if the connection fails."""
    found = await repo.mock_state_async(conn, mock_id) if len(mock_id) <= 36 else None
    return None if found is None else (found[0], snapshot_of(*found))


#: A connection of the live pool for the async reads (:func:`mock_and_snapshot`,
#: :func:`loopready.team.auth.current_async`); :class:`StorageError` if none can be had.
live_connection = repo.live_connection


def snapshot_of(mock: LiveMock, card: Scorecard | None, seq: int) -> dict[str, Any]:
    """:func:`snapshot` of a mock read with its first scorecard and newest event number."""
    return {
        "seq": seq,
        "status": mock.status,
        "clock": clock_state(mock),
        "answer": mock.answer,
        "revision": mock.answer_revision,
        "scores": card.scores if card else {},
        "red_flags": card.red_flags if card else [],
        "submitted": bool(card.submitted) if card else False,
    }


def events_after(db: Database, mock_id: str, seq: int) -> list[dict[str, Any]]:
    """The events of *mock_id* after *seq* (at most :data:`READ_BATCH`), as the pages
    receive them."""
    with db.read_session() as session:
        events = repo.events_after(session, mock_id, seq, limit=READ_BATCH)
    return [event_message(e) for e in events]


def event_message(event: LiveEvent) -> dict[str, Any]:
    """One event as the pages receive it."""
    return {"seq": event.seq, "kind": event.kind, **event.payload}


def suggested_probes(mock: LiveMock, answer: str) -> dict[str, Any]:
    """The grader's live reading of *answer*: criteria it finds thin and the probes to ask."""
    from loopready.grading.service import build_request, grade_request
    from loopready.interview.followups import choose_follow_ups, missing_criteria

    _, rnd, prompt = round_and_prompt(mock)
    if len(answer.split()) < 15:
        return {"probes": [], "missing": [], "note": "Too little to read yet."}
    request = build_request(
        answer, pack_id=mock.pack_id, round_id=mock.round_id, question_id=prompt.id
    )
    result = grade_request(request)
    probes = choose_follow_ups(rnd, prompt, result)
    return {
        "score": result.score,
        "criteria": {c.id: c.score for c in result.criteria},
        "missing": missing_criteria(rnd, result),
        "probes": [{"criterion": f.criterion, "question": f.question} for f in probes],
    }


def mocks_of(db: Database, who: Person) -> list[LiveMock]:
    """The mocks *who* plays, as candidate or interviewer, newest first."""
    with db.read_session() as session:
        return repo.live_mocks_of(session, who.user_id)


def reading_now(db: Database, mock_id: str) -> dict[str, Any]:
    """The grader's live reading of the mock's answer as it stands (see suggested_probes)."""
    with db.read_session() as session:
        mock = repo.live_mock(session, mock_id)
    if mock is None:
        return {"probes": [], "missing": [], "note": "This mock is gone."}
    return suggested_probes(mock, mock.answer)
