"""Spoken answers in the mock room: the word timings of each recording, kept for grading.

When a recording's transcript goes into the answer being written, its words and their
timestamps are stored in the session's ``meta`` under ``"spoken"``, keyed by the turn's
``seq`` and, inside it, by the transcription job (so storing the same job twice changes
nothing)::

    meta["spoken"] = {"0": {"<job id>": {"text": ..., "words": [[word, start, end], ...],
                                         "duration_s": ..., "model": ..., "audio_kept": ...,
                                         "order": 1}}}

When the session ends, :func:`grade_with_timings` grades the candidate's side again with
those timings as :attr:`~loopready.grading.base.GradeRequest.word_timings`, so the grade
and the report carry the speech figures (pace, fillers, pauses, talk time, longest
stretch), and replaces the session's final grade with that result.

A recording counts only while its words are still in the turn's text: fixing a misheard
word keeps it, deleting the transcript and typing something else drops it. Recordings of
several turns (or several recordings of one turn) are joined one after another with a
short gap, shorter than a pause, so the talk time is the sum of the spoken parts.

The session code in :mod:`loopready.interview.sessions` grades without timings; this
module lives on the web side until it can pass them itself.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from difflib import SequenceMatcher
from typing import Any, Final

from loopready.errors import InputError, LoopreadyError
from loopready.grading.base import WordTiming
from loopready.interview.sessions import SessionView
from loopready.store import Database, RoundSession

log = logging.getLogger("loopready.web")

META_KEY: Final = "spoken"
#: Seconds between the last word of one recording and the first of the next when they
#: are joined: under the 2 s that counts as a pause, so a join is never reported as one.
JOIN_GAP_S: Final = 0.5
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
        rs = s.get(RoundSession, session_id)
        if rs is None or rs.user_id != db.user_id:
            raise InputError(f"no session {session_id!r}")
        meta = dict(rs.meta or {})
        if rs.status != "in_progress" or meta.get("cursor") != seq:
            raise InputError(
                "the answer this recording was for was already handed in; "
                "copy the transcript from below if you want to use it"
            )
        spoken = dict(meta.get(META_KEY) or {})
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
        rs.meta = {**meta, META_KEY: spoken}
        return recording


def word_timings(view: SessionView) -> list[WordTiming] | None:
    """The timed words of every recording still in the candidate's turns, joined in order.

    ``None`` when nothing that was said is left in the answer (or nothing was recorded).
    """
    joined: list[WordTiming] = []
    for turn in view.candidate_turns:
        if not turn.text.strip():
            continue
        for recording in recordings(view.meta, turn.seq):
            words = _timed_words(recording.get("words"))
            if not words or share_kept(str(recording.get("text", "")), turn.text) < KEPT_SHARE:
                continue
            shift = joined[-1].end + JOIN_GAP_S - words[0].start if joined else 0.0
            joined.extend(
                WordTiming(
                    word=w.word, start=round(w.start + shift, 2), end=round(w.end + shift, 2)
                )
                for w in words
            )
    return joined or None


def _timed_words(raw: object) -> list[WordTiming]:
    if not isinstance(raw, Sequence):
        return []
    words = []
    for item in raw:
        if isinstance(item, Sequence) and not isinstance(item, str) and len(item) == 3:
            word, start, end = item
            words.append(WordTiming(word=str(word), start=float(start), end=float(end)))
    return words


def grade_with_timings(db: Database, view: SessionView, grader: str = "local") -> bool:
    """Grade a finished session again with its word timings and store that as its grade.

    Returns True when the grade was replaced; False when the session has no recording
    left in its text, or has no grade yet. A failure keeps the grade already stored (the
    report then lacks the speech figures) and is logged, so a hand-in never fails here.
    """
    timings = word_timings(view)
    if timings is None or view.status != "completed":
        return False
    from loopready.grading.service import build_request, grade_request
    from loopready.interview.loops import final_grades

    try:
        request = build_request(
            view.transcript(),
            pack_id=view.pack.id,
            round_id=view.round.id,
            question_id=view.prompt.id,
            request_id=view.id,
            word_timings=timings,
        )
        result = grade_request(request, grader)
    except (LoopreadyError, OSError, ValueError) as exc:
        log.warning("grading the spoken answer with its timings failed: %s", exc)
        return False
    with db.session() as s:
        grade = final_grades(s, db.user_id, [view.id]).get(view.id)
        if grade is None:
            return False
        grade.score = result.score
        grade.result = result.to_json_dict()
        grade.grader = result.grader
    return True
