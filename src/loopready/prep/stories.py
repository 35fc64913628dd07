"""The story bank: the candidate's stories (situation, task, action, result, with the
numbers), tagged by competency and round, and every time each one was told.

A story lives in the ``stories`` table. Its tags hold the competencies it shows
(``success_metrics``, ``stakeholder_framing``: normalised to lower case with
underscores) and the rounds it suits, written ``round:<round id>``. Each *telling*
(the story told in a round, with the words used when the candidate has them) is a row
of the ``story_tellings`` table, and the distinct rounds told in are also kept in the
story's ``rounds_told`` column. Export and import carry the tellings, and deleting the
story deletes them.

Every function takes the open :class:`~loopready.store.Database` and runs its own
short transaction. Stories are named by id, a unique id prefix of four characters or
more, or their exact title.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from loopready.errors import InputError, NotFound
from loopready.packs.schema import Pack
from loopready.store import Database, Session, Story, StoryTelling, find_owned, new_id, utcnow
from loopready.store.repo import get_loop
from loopready.store.story_repo import (
    add_story,
    add_telling,
    delete_story_rows,
    delete_telling,
    stories_with_prefix,
    story_rows,
    telling_rows,
)

#: Prefix of a tag naming a round the story suits.
ROUND_TAG = "round:"
#: The story's fields, in the order they are told.
STAR_FIELDS = ("situation", "task", "action", "result")
MAX_TITLE = 200
MAX_FIELD = 10_000
MAX_TELLING = 60_000
MAX_TAG = 60
MIN_PREFIX = 4
_TAG_JUNK = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Telling:
    """One time the story was told: in which round, on which day, and the words if known."""

    id: str
    round_id: str
    told_on: date
    recorded_at: datetime
    loop_id: str | None = None
    text: str = ""

    def label(self) -> str:
        """``product_sense on 2026-06-02``: how reports name the telling."""
        return f"{self.round_id} on {self.told_on.isoformat()}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "round_id": self.round_id,
            "told_on": self.told_on.isoformat(),
            "recorded_at": self.recorded_at.isoformat(),
            "loop_id": self.loop_id,
            "text": self.text,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Telling:
        return cls(
            id=str(data["id"]),
            round_id=str(data["round_id"]),
            told_on=date.fromisoformat(str(data["told_on"])),
            recorded_at=datetime.fromisoformat(str(data["recorded_at"])),
            loop_id=data.get("loop_id") or None,
            text=str(data.get("text") or ""),
        )


@dataclass(frozen=True)
class StoryRecord:
    """A story of the bank with its tellings: plain data, safe to keep after the session."""

    id: str
    title: str
    situation: str = ""
    task: str = ""
    action: str = ""
    result: str = ""
    competencies: tuple[str, ...] = ()
    rounds: tuple[str, ...] = ()
    tellings: tuple[Telling, ...] = ()
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def text(self) -> str:
        """The canonical telling: the title and each STAR part on its own line.

        No "Situation:" labels: a capitalised label at the start of a line would read as
        a project name to the claim extractor.
        """
        parts = [self.title, *(getattr(self, name) for name in STAR_FIELDS)]
        return "\n".join(p.strip() for p in parts if p.strip())

    @property
    def rounds_told(self) -> tuple[str, ...]:
        """The distinct rounds the story was told in, in the order first told."""
        return tuple(dict.fromkeys(t.round_id for t in self.tellings))

    @property
    def tags(self) -> tuple[str, ...]:
        """Competencies and ``round:`` tags, as stored."""
        return (*self.competencies, *(ROUND_TAG + r for r in self.rounds))

    def telling(self, ref: str) -> Telling:
        """The telling with id (or unique id prefix) *ref*."""
        found = [t for t in self.tellings if t.id == ref] or [
            t for t in self.tellings if len(ref) >= MIN_PREFIX and t.id.startswith(ref)
        ]
        if len(found) != 1:
            raise NotFound(
                f"Story {self.title!r} has no telling {ref!r}; "
                "`loopready stories show` lists its tellings."
            )
        return found[0]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            **{name: getattr(self, name) for name in STAR_FIELDS},
            "competencies": list(self.competencies),
            "rounds": list(self.rounds),
            "rounds_told": list(self.rounds_told),
            "tellings": [t.to_dict() for t in self.tellings],
            "created_at": self.created_at.isoformat() if self.created_at else None,
            "updated_at": self.updated_at.isoformat() if self.updated_at else None,
        }


@dataclass
class StoryFields:
    """What a user typed for a story; ``None`` means "not given" (keep it when editing)."""

    title: str | None = None
    situation: str | None = None
    task: str | None = None
    action: str | None = None
    result: str | None = None
    competencies: list[str] | None = None
    rounds: list[str] | None = None


# --- tags -------------------------------------------------------------------------------


def normalise_tag(tag: str) -> str:
    """``"Stakeholder management"`` -> ``stakeholder_management``."""
    return _TAG_JUNK.sub("_", tag.strip().lower()).strip("_")


def _competencies(values: Iterable[str]) -> tuple[str, ...]:
    found: dict[str, None] = {}
    for raw in values:
        for part in raw.split(","):
            tag = normalise_tag(part)
            if not tag:
                continue
            if tag.startswith("round_"):
                raise InputError(
                    f"{part.strip()!r} looks like a round: give rounds with --round, e.g. "
                    "--round product_sense."
                )
            if len(tag) > MAX_TAG:
                raise InputError(f"The tag {part.strip()!r} is too long; keep tags short.")
            found[tag] = None
    return tuple(found)


def _round_ids(values: Iterable[str], pack: Pack | None) -> tuple[str, ...]:
    found: dict[str, None] = {}
    for raw in values:
        for part in raw.split(","):
            round_id = part.strip().removeprefix(ROUND_TAG).strip()
            if round_id:
                found[check_round(round_id, pack)] = None
    return tuple(found)


def check_round(round_id: str, pack: Pack | None) -> str:
    """*round_id* if *pack* has such a round; :class:`InputError` listing the valid ones."""
    wanted = round_id.strip()
    if pack is None:
        if not wanted:
            raise InputError("Name the round, e.g. product_sense.")
        return wanted
    valid = [r.id for r in pack.all_rounds()]
    if wanted in valid:
        return wanted
    close = normalise_tag(wanted)
    if close in valid:
        return close
    raise InputError(f"{pack.id} has no round {round_id!r}; rounds: {', '.join(valid)}.")


def competencies_of(pack: Pack) -> list[tuple[str, str, list[str]]]:
    """The pack's rubric criteria as competency tags: ``(tag, name, round ids)``."""
    found: dict[str, tuple[str, list[str]]] = {}
    for rnd in pack.all_rounds():
        for criterion in rnd.rubric.criteria:
            tag = normalise_tag(criterion.id)
            found.setdefault(tag, (criterion.name, []))[1].append(rnd.id)
    return [(tag, name, rounds) for tag, (name, rounds) in found.items()]


# --- parsing a story typed as text --------------------------------------------------------

_HEADINGS = {
    "title": "title",
    "situation": "situation",
    "task": "task",
    "action": "action",
    "actions": "action",
    "result": "result",
    "results": "result",
    "competencies": "competencies",
    "competency": "competencies",
    "tags": "competencies",
    "rounds": "rounds",
    "round": "rounds",
}
_HEADING = re.compile(r"^\s*(?P<key>[A-Za-z]+)\s*:\s?(?P<rest>.*)$")


def parse_story_text(text: str, name: str = "the story") -> StoryFields:
    """A story written as ``Title:``, ``Situation:``, ``Task:``, ``Action:``, ``Result:``,
    ``Competencies:`` and ``Rounds:`` sections (any order, each may run over several lines).
    """
    sections: dict[str, list[str]] = {}
    current: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        match = _HEADING.match(line)
        key = _HEADINGS.get(match.group("key").lower()) if match else None
        if match and key:
            if key in sections:
                raise InputError(f"{name}: line {number}: a second {match.group('key')!r} section.")
            current = key
            sections[key] = [match.group("rest")]
        elif current is None:
            if line.strip():
                raise InputError(
                    f"{name}: line {number}: text before the first section. Start with "
                    "'Title: ...', then 'Situation:', 'Task:', 'Action:', 'Result:'."
                )
        else:
            sections[current].append(line)
    if not sections:
        raise InputError(
            f"{name} has no sections. Write 'Title: ...', 'Situation: ...', 'Task: ...', "
            "'Action: ...' and 'Result: ...', each at the start of a line."
        )
    values = {key: "\n".join(lines).strip() for key, lines in sections.items()}
    fields = StoryFields(
        title=values.get("title"),
        situation=values.get("situation"),
        task=values.get("task"),
        action=values.get("action"),
        result=values.get("result"),
    )
    if "competencies" in values:
        fields.competencies = [values["competencies"]]
    if "rounds" in values:
        fields.rounds = [values["rounds"]]
    return fields


def format_story_text(story: StoryRecord) -> str:
    """The story in the form :func:`parse_story_text` reads (for editing in a text editor)."""
    lines = [f"Title: {story.title}"]
    for name in STAR_FIELDS:
        lines.append(f"{name.title()}: {getattr(story, name)}")
    lines.append(f"Competencies: {', '.join(story.competencies)}")
    lines.append(f"Rounds: {', '.join(story.rounds)}")
    return "\n".join(lines) + "\n"


# --- rows <-> records ---------------------------------------------------------------------


def _telling(row: StoryTelling) -> Telling:
    return Telling(
        id=row.id,
        round_id=row.round_id,
        told_on=row.told_on,
        recorded_at=row.created_at,
        loop_id=row.loop_id,
        text=row.text or "",
    )


def _tellings(s: Session, user_id: str, story_id: str) -> list[Telling]:
    """The story's tellings, in the order told."""
    return [_telling(row) for row in telling_rows(s, user_id, story_id)]


def _tellings_by_story(s: Session, user_id: str) -> dict[str, list[Telling]]:
    """Every telling of the user's stories, by story id: one query for the whole bank."""
    found: dict[str, list[Telling]] = {}
    for row in telling_rows(s, user_id):
        found.setdefault(row.story_id, []).append(_telling(row))
    return found


def _record(row: Story, tellings: Sequence[Telling]) -> StoryRecord:
    tags = list(row.tags or [])
    return StoryRecord(
        id=row.id,
        title=row.title,
        situation=row.situation,
        task=row.task,
        action=row.action,
        result=row.result,
        competencies=tuple(t for t in tags if not t.startswith(ROUND_TAG)),
        rounds=tuple(t.removeprefix(ROUND_TAG) for t in tags if t.startswith(ROUND_TAG)),
        tellings=tuple(sorted(tellings, key=lambda t: (t.told_on, t.recorded_at))),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _find(s: Session, user_id: str, ref: str) -> Story:
    wanted = ref.strip()
    if not wanted:
        raise InputError("Name the story: its id (or the first characters of it) or its title.")
    row = find_owned(s, Story, user_id, wanted)
    if row is not None:
        return row
    if len(wanted) >= MIN_PREFIX and re.fullmatch(r"[0-9a-fA-F-]+", wanted):
        found = stories_with_prefix(s, user_id, wanted)
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise InputError(f"{len(found)} stories have ids starting {wanted!r}; type more of it.")
    titled = [r for r in story_rows(s, user_id) if r.title.strip().lower() == wanted.lower()]
    if len(titled) == 1:
        return titled[0]
    if len(titled) > 1:
        raise InputError(f"{len(titled)} stories are titled {wanted!r}; use the id instead.")
    raise NotFound(
        f"No story {wanted!r} (by id, id prefix or title). `loopready stories list` shows yours."
    )


def _text(value: str, what: str, limit: int = MAX_FIELD) -> str:
    text = value.replace("\r\n", "\n").strip()
    if len(text) > limit:
        raise InputError(f"The {what} is {len(text):,} characters; the limit is {limit:,}.")
    return text


def _title(value: str) -> str:
    title = " ".join(value.split())
    if not title:
        raise InputError("A story needs a title, e.g. 'Cutting churn at Acme'.")
    if len(title) > MAX_TITLE:
        raise InputError(f"The title is {len(title)} characters; keep it under {MAX_TITLE}.")
    return title


# --- the repository -----------------------------------------------------------------------


def list_stories(
    db: Database, *, competency: str | None = None, round_id: str | None = None
) -> list[StoryRecord]:
    """The user's stories, oldest first, optionally only those with a competency or round tag."""
    with db.read_session() as s:
        rows = story_rows(s, db.user_id)
        tellings = _tellings_by_story(s, db.user_id)
        stories = [_record(row, tellings.get(row.id, [])) for row in rows]
    if competency is not None:
        wanted = normalise_tag(competency)
        stories = [st for st in stories if wanted in st.competencies]
    if round_id is not None:
        stories = [st for st in stories if round_id in st.rounds]
    return stories


def get_story(db: Database, ref: str) -> StoryRecord:
    """The story named by *ref* (id, unique id prefix or exact title), or :class:`NotFound`."""
    with db.read_session() as s:
        row = _find(s, db.user_id, ref)
        return _record(row, _tellings(s, db.user_id, row.id))


def create_story(
    db: Database,
    *,
    title: str,
    situation: str = "",
    task: str = "",
    action: str = "",
    result: str = "",
    competencies: Iterable[str] = (),
    rounds: Iterable[str] = (),
    pack: Pack | None = None,
) -> StoryRecord:
    """Add a story to the bank. Round ids are checked against *pack* when it is given."""
    row = Story(
        user_id=db.user_id,
        title=_title(title),
        situation=_text(situation, "situation"),
        task=_text(task, "task"),
        action=_text(action, "action"),
        result=_text(result, "result"),
        tags=list(_competencies(competencies)) + [ROUND_TAG + r for r in _round_ids(rounds, pack)],
        rounds_told=[],
    )
    with db.session() as s:
        return _record(add_story(s, row), [])


def update_story(
    db: Database, ref: str, changes: StoryFields, *, pack: Pack | None = None
) -> StoryRecord:
    """Change the fields of *changes* that are not ``None``; the rest stay as they are."""
    with db.session() as s:
        row = _find(s, db.user_id, ref)
        if changes.title is not None:
            row.title = _title(changes.title)
        for name in STAR_FIELDS:
            value = getattr(changes, name)
            if value is not None:
                setattr(row, name, _text(value, name))
        tags = list(row.tags or [])
        if changes.competencies is not None:
            tags = [t for t in tags if t.startswith(ROUND_TAG)] + list(
                _competencies(changes.competencies)
            )
        if changes.rounds is not None:
            tags = [t for t in tags if not t.startswith(ROUND_TAG)] + [
                ROUND_TAG + r for r in _round_ids(changes.rounds, pack)
            ]
        row.tags = sorted(tags, key=lambda t: t.startswith(ROUND_TAG))
        row.updated_at = utcnow()
        s.flush()
        return _record(row, _tellings(s, db.user_id, row.id))


def delete_story(db: Database, ref: str) -> StoryRecord:
    """Delete a story, its tellings and its drill card; returns what was deleted."""
    with db.session() as s:
        row = _find(s, db.user_id, ref)
        record = _record(row, _tellings(s, db.user_id, row.id))
        delete_story_rows(s, db.user_id, row)
        return record


def _store_telling(s: Session, user_id: str, row: Story, telling: Telling) -> None:
    """Add *telling* to the story's rows of ``story_tellings``."""
    words = len(telling.text.split())
    add_telling(
        s,
        StoryTelling(
            id=telling.id,
            user_id=user_id,
            story_id=row.id,
            round_id=telling.round_id,
            loop_id=telling.loop_id,
            told_on=telling.told_on,
            text=telling.text or None,
            words=words if telling.text else None,
            created_at=telling.recorded_at,
        ),
    )


def _store_rounds_told(row: Story, tellings: Sequence[Telling]) -> None:
    """Keep the story's ``rounds_told`` column in step with its tellings."""
    ordered = sorted(tellings, key=lambda t: (t.told_on, t.recorded_at))
    row.rounds_told = list(dict.fromkeys(t.round_id for t in ordered))
    row.updated_at = utcnow()


def tell_story(
    db: Database,
    ref: str,
    round_id: str,
    *,
    text: str = "",
    told_on: date | None = None,
    loop_id: str | None = None,
    pack: Pack | None = None,
    now: datetime | None = None,
) -> tuple[StoryRecord, Telling]:
    """Record that the story was told in *round_id* (with the words, when given).

    *told_on* defaults to today; *loop_id* says which loop the telling belongs to
    (:func:`loopready.prep.freshness.loop_context` counts a loop's tellings) and must be
    one of the user's loops. *now*, when given, must carry a time zone.
    """
    recorded = now or utcnow()
    if recorded.tzinfo is None or recorded.utcoffset() is None:
        raise InputError(
            f"The time {recorded.isoformat()} has no time zone; pass an aware one, e.g. "
            "datetime.now(UTC)."
        )
    telling = Telling(
        id=new_id(),
        round_id=check_round(round_id, pack),
        told_on=told_on or recorded.astimezone().date(),
        recorded_at=recorded.astimezone(UTC),
        loop_id=loop_id,
        text=_text(text, "telling", MAX_TELLING),
    )
    with db.session() as s:
        row = _find(s, db.user_id, ref)
        if loop_id is not None:
            get_loop(s, db.user_id, loop_id)
        tellings = [*_tellings(s, db.user_id, row.id), telling]
        _store_telling(s, db.user_id, row, telling)
        _store_rounds_told(row, tellings)
        s.flush()
        return _record(row, tellings), telling


def remove_telling(db: Database, ref: str, telling_ref: str) -> tuple[StoryRecord, Telling]:
    """Take back a telling recorded by mistake; returns the story and the removed telling."""
    with db.session() as s:
        row = _find(s, db.user_id, ref)
        tellings = _tellings(s, db.user_id, row.id)
        gone = _record(row, tellings).telling(telling_ref)
        kept = [t for t in tellings if t.id != gone.id]
        delete_telling(s, db.user_id, gone.id)
        _store_rounds_told(row, kept)
        s.flush()
        return _record(row, kept), gone
