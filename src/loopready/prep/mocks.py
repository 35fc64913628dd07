"""Which stories the candidate told in their mock interviews, found in their own answers.

A telling is recorded by hand on the story page; a mock interview records nothing about
stories. So a story practised in four mocks would still read "not told yet". This module
reads the candidate's answers in finished mocks and says which story each one tells:
an answer tells a story when it uses most of the story's own words (its distinctive
content words and numbers: half of them, and at least :data:`MIN_SHARED`). Mock tellings
are shown beside the recorded ones; they do not make a story stale, because the
interviewers who compare notes are the real ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final

from loopready.prep.stories import StoryRecord
from loopready.store import Database, list_sessions, list_turns

#: Share of a story's distinctive words an answer must use to tell it.
SHARE: Final = 0.5
#: ... and at least this many of them, so a two-line story is not found everywhere.
MIN_SHARED: Final = 4
#: Most recent finished mocks read.
MOCKS_READ: Final = 200

_WORD = re.compile(r"[a-z0-9][a-z0-9'%.-]*[a-z0-9%]|[a-z0-9]", re.IGNORECASE)
_STOP: Final = frozenset(
    """about above after again against also because been before being below between both
    could does doing down during each from further have having here into itself just more
    most once only other over same should some such than that their theirs them then there
    these they this those through under until very were what when where which while whom
    with would your yours ours we our us the and for was are not but had has its it's
    i'd i'm we'd we're my me""".split(),  # noqa: SIM905 (a word list reads better as text)
)


@dataclass(frozen=True)
class MockTelling:
    """A story told in a finished mock: which round, which session, which day."""

    story_id: str
    round_id: str
    session_id: str
    on: date


def story_words(story: StoryRecord) -> set[str]:
    """The story's distinctive words: content words of four letters or more, and numbers."""
    words = set()
    for word in _WORD.findall(story.text.lower()):
        word = word.rstrip(".")
        if word in _STOP:
            continue
        if len(word) >= 4 or any(ch.isdigit() for ch in word):
            words.add(word)
    return words


def tells(story_vocab: set[str], answer: str) -> bool:
    """Whether an answer uses enough of a story's distinctive words to be telling it."""
    if not story_vocab:
        return False
    said = {w.rstrip(".") for w in _WORD.findall(answer.lower())}
    shared = len(story_vocab & said)
    return shared >= MIN_SHARED and shared >= SHARE * len(story_vocab)


def mock_tellings(
    db: Database,
    stories: Sequence[StoryRecord],
    pack_id: str,
    *,
    loop_id: str | None = None,
) -> dict[str, list[MockTelling]]:
    """Story id -> its tellings in finished mocks of *pack_id* (of *loop_id* when given)."""
    vocab = {story.id: story_words(story) for story in stories}
    found: dict[str, list[MockTelling]] = {story.id: [] for story in stories}
    if not stories:
        return found
    with db.read_session() as s:
        sessions = list_sessions(
            s, db.user_id, pack_id=pack_id, loop_id=loop_id, status="completed", limit=MOCKS_READ
        )
        for rs in reversed(sessions):  # oldest first
            answers = [t.text for t in list_turns(s, db.user_id, rs.id) if t.speaker == "candidate"]
            for story_id in _told(vocab, answers):
                found[story_id].append(
                    MockTelling(story_id, rs.round_id, rs.id, rs.started_at.date())
                )
    return found


def _told(vocab: dict[str, set[str]], answers: Iterable[str]) -> list[str]:
    texts = [a for a in answers if a.strip()]
    return [sid for sid, words in vocab.items() if any(tells(words, a) for a in texts)]
