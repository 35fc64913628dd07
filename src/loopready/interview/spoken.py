"""Spoken answers in the mock room: each recording's word timings, kept for grading.

When a recording's transcript goes into the answer being written, its words and their
timestamps are stored in the session's ``meta`` under ``"spoken"``, keyed by the turn's
``seq`` and, inside it, by the transcription job (so storing the same job twice changes
nothing)::

    meta["spoken"] = {"0": {"<job id>": {"text": ..., "words": [[word, start, end], ...],
                                         "duration_s": ..., "model": ..., "audio_kept": ...,
                                         "order": 1}}}

A recording counts only while its words are still in the turn's text: fixing a misheard
word keeps it, deleting the transcript and typing something else drops it. Several
recordings of one turn are joined one after another with a short gap, shorter than a
pause, so the talk time is the sum of the spoken parts.

At each hand-in, :func:`sync_timings` gives every recorded turn the timings of what is
left of its recordings (:func:`loopready.interview.sessions.attach_word_timings`), so
the session grades the turn, and at the end the whole answer, with them; turns that
were typed add no timings, so a partly spoken answer still reports its speech figures.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from difflib import SequenceMatcher
from typing import Any, Final

from loopready.errors import InputError
from loopready.interview.sessions import SessionMeta, SessionView
from loopready.speech.timing import WordTiming, join_timings
from loopready.store import Database, RoundSession, find_owned

META_KEY: Final = "spoken"
#: A recording still counts when at least this share of its words are in the turn's text.
KEPT_SHARE: Final = 0.6

_TOKEN = re.compile(r"[^\w']+")


def _tokens(text: str) -> list[str]:
    return [t for t in _TOKEN.sub(" ", text.lower().replace("\u2019", "'")).split() if t]


def share_kept(transcript: str, text: str) -> float:
    """The share of the transcript's words still found, in order, in ``text`` (0..1)."""
    heard = _tokens(transcript)
    if not heard:
        return 0.0
    matcher = SequenceMatcher(None, heard, _tokens(text), autojunk=False)
    found = sum(block.size for block in matcher.get_matching_blocks())
    return found / len(heard)


def recordings(meta: Mapping[str, Any], seq: int) -> list[dict[str, Any]]:
    """The recordings stored for turn ``seq``, in the order they were added."""
    spoken = meta.get(META_KEY)
    if not isinstance(spoken, dict):
        return []
    turn = spoken.get(str(seq))
    if not isinstance(turn, dict):
        return []
    found = [r for r in turn.values() if isinstance(r, dict)]
    return sorted(found, key=lambda r: int(r.get("order", 0)))


def store_recording(
    db: Database, session_id: str, seq: int, job_id: str, result: Mapping[str, Any]
) -> dict[str, Any]:
    """Keep a finished transcription's words for turn ``seq`` (the turn being written).

    ``result`` is the job's result (text, words, duration_s, model, audio_kept). Storing
    the same job again returns the stored recording unchanged. Raises
    :class:`InputError` when the session is over or has moved past ``seq``.
    """
    words = [
        [str(w["word"]), float(w["start"]), float(w["end"])]
        for w in result.get("words", [])
        if isinstance(w, Mapping)
    ]
    with db.session() as s:
        rs = find_owned(s, RoundSession, db.user_id, session_id)
        if rs is None:
            raise InputError(f"no session {session_id!r}")
        state = SessionMeta.read(rs.meta)
        if rs.status != "in_progress" or state.cursor != seq:
            raise InputError(
                "the answer this recording was for was already handed in; "
                "copy the transcript from below if you want to use it"
            )
        spoken = dict(state.spoken)
        turn = dict(spoken.get(str(seq)) or {})
        if job_id in turn:
            return dict(turn[job_id])
        recording = {
            "text": str(result.get("text", "")),
            "words": words,
            "duration_s": float(result.get("duration_s") or 0.0),
            "model": str(result.get("model", "")),
            "audio_kept": result.get("audio_kept"),
            "order": len(turn) + 1,
        }
        turn[job_id] = recording
        spoken[str(seq)] = turn
        rs.meta = state.but(spoken=spoken)
        return recording


def turn_timings(meta: Mapping[str, Any], seq: int, text: str) -> list[WordTiming]:
    """The timed words of turn ``seq``'s recordings that are still in ``text``."""
    parts = []
    for recording in recordings(meta, seq):
        words = _timed_words(recording.get("words"))
        if words and share_kept(str(recording.get("text", "")), text) >= KEPT_SHARE:
            parts.append(words)
    return join_timings(parts)


def word_timings(view: SessionView) -> list[WordTiming] | None:
    """The timed words of every recording still in the candidate's turns, joined in order.

    Unlike :meth:`SessionView.word_timings`, turns that were typed are left out rather
    than ruling the timings out. ``None`` when nothing said is left in the answer.
    """
    parts = [
        turn_timings(view.meta, turn.seq, turn.text)
        for turn in view.candidate_turns
        if turn.text.strip()
    ]
    return join_timings(parts) or None


def sync_timings(db: Database, view: SessionView, text: str) -> SessionView:
    """Before a hand-in: give each recorded turn the timings of what is left of it.

    ``text`` is the current turn's text as handed in (not saved yet). A turn whose
    recordings were all typed over gets an empty list, so its old timings are not used.
    Returns the session as it now stands.
    """
    from loopready.interview.sessions import attach_word_timings

    spoken = view.meta.get(META_KEY)
    if not isinstance(spoken, dict) or not spoken:
        return view
    current = view.current
    for turn in view.candidate_turns:
        if str(turn.seq) not in spoken:
            continue
        said = text if current is not None and turn.seq == current.seq else turn.text
        timings = turn_timings(view.meta, turn.seq, said)
        if timings != (view.word_timings(turn.seq) or []):
            view = attach_word_timings(db, view, turn.seq, timings)
    return view


def _timed_words(raw: object) -> list[WordTiming]:
    if not isinstance(raw, Sequence):
        return []
    words = []
    for item in raw:
        if isinstance(item, Sequence) and not isinstance(item, str) and len(item) == 3:
            word, start, end = item
            words.append(WordTiming(word=str(word), start=float(start), end=float(end)))
    return words
