"""The company research worksheet: the company's recent AI launches, and for each one the
success metric the candidate would put first and why.

The launches come from the pack (the Sony pack seeds PlayStation AI-assist and the Xperia
camera features, with metrics to consider); the candidate's own answers are stored in the
``research_notes`` table, one row per launch. Drills show a prompt's related launch with
the candidate's note, so the research is rehearsed where it is used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from loopready.errors import InputError, NotFound
from loopready.packs.schema import Launch, Pack, Prompt
from loopready.store import Database
from loopready.store.research_repo import (
    delete_research_note,
    research_notes,
    write_research_note,
)

#: Longest metric or reason accepted, in characters: a worksheet line, not an essay.
MAX_NOTE = 2_000
#: Words of a launch's name that say nothing about which launch a prompt is about.
_GENERIC = frozenset(
    {"ai", "ml", "the", "a", "an", "of", "and", "for", "on", "in", "with", "case", "area"}
    | {"feature", "features", "product", "products", "new", "smart", "model", "models"}
    | {"app", "apps"}
)
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class ResearchItem:
    """One launch of the worksheet with the candidate's note on it (empty until written)."""

    launch: Launch
    metric: str = ""
    why: str = ""
    updated_at: datetime | None = None

    @property
    def done(self) -> bool:
        """Whether the candidate has named the launch's primary success metric."""
        return bool(self.metric.strip())

    def to_dict(self) -> dict[str, object]:
        return {
            "launch_id": self.launch.id,
            "name": self.launch.name,
            "product": self.launch.product,
            "summary": self.launch.summary,
            "candidate_metrics": list(self.launch.candidate_metrics),
            "metric": self.metric,
            "why": self.why,
            "done": self.done,
            "updated_at": self.updated_at.isoformat() if self.updated_at else None,
        }


def research_items(db: Database, pack: Pack) -> list[ResearchItem]:
    """Every launch of *pack*, in the pack's order, with the candidate's note on it."""
    with db.read_session() as s:
        notes = research_notes(s, db.user_id, pack.id)
    items: list[ResearchItem] = []
    for launch in pack.launches:
        note = notes.get(launch.id)
        if note is None:
            items.append(ResearchItem(launch))
        else:
            items.append(ResearchItem(launch, note.metric, note.why, note.updated_at))
    return items


def research_progress(items: list[ResearchItem]) -> tuple[int, int]:
    """(launches with a metric, launches) for a progress line."""
    return sum(1 for item in items if item.done), len(items)


def find_launch(pack: Pack, launch_id: str) -> Launch:
    """The launch *launch_id* of *pack*, or :class:`NotFound` listing the valid ids."""
    wanted = launch_id.strip().lower()
    for launch in pack.launches:
        if launch.id == wanted:
            return launch
    if not pack.launches:
        raise NotFound(f"The pack {pack.id!r} lists no launches to research.")
    valid = ", ".join(launch.id for launch in pack.launches)
    raise NotFound(f"No launch {launch_id!r} in {pack.id}; launches: {valid}.")


def _clean(value: str, what: str) -> str:
    text = value.strip()
    if len(text) > MAX_NOTE:
        raise InputError(
            f"The {what} is {len(text):,} characters long; keep it under {MAX_NOTE:,} "
            "(one or two sentences)."
        )
    return text


def set_research(
    db: Database,
    pack: Pack,
    launch_id: str,
    *,
    metric: str | None = None,
    why: str | None = None,
) -> ResearchItem:
    """Record the primary success metric of a launch and/or why; ``None`` keeps what is stored.

    Choosing a metric means saying why it comes first, so a metric without a reason is
    kept but flagged by the CLI and the web page. Raises :class:`InputError` when neither
    is given, :class:`NotFound` for an unknown launch.
    """
    launch = find_launch(pack, launch_id)
    if metric is None and why is None:
        raise InputError("Give the metric, the reason, or both, e.g. --metric '...' --why '...'.")
    new_metric = None if metric is None else _clean(metric, "metric")
    new_why = None if why is None else _clean(why, "reason")
    with db.session() as s:
        row = write_research_note(s, db.user_id, pack.id, launch.id, metric=new_metric, why=new_why)
        return ResearchItem(launch, row.metric, row.why, row.updated_at)


def clear_research(db: Database, pack: Pack, launch_id: str) -> bool:
    """Forget the note on a launch; ``False`` when there was none."""
    launch = find_launch(pack, launch_id)
    with db.session() as s:
        return delete_research_note(s, db.user_id, pack.id, launch.id)


def _keywords(launch: Launch) -> set[str]:
    words = _WORD.findall(f"{launch.name} {launch.product} {launch.id}".lower())
    return {_stem(w) for w in words if w not in _GENERIC and len(w) > 2}


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 4 and word.endswith("s") and not word.endswith("ss") else word


def _hits(keywords: set[str], words: set[str]) -> int:
    # "assist" names the launch a prompt calls an "assistant": a long enough prefix counts.
    return sum(
        1 for k in keywords if k in words or (len(k) >= 5 and any(w.startswith(k) for w in words))
    )


def related_launches(pack: Pack, prompt: Prompt) -> list[Launch]:
    """The launches a prompt is about, by the words of their names in its question and brief.

    Only the best-matching launches are returned (several on a tie), so a question about
    the PlayStation Store's recommendations is not also "about" PlayStation AI-assist.
    """
    words = {_stem(w) for w in _WORD.findall(f"{prompt.question} {prompt.brief or ''}".lower())}
    scored = [(_hits(_keywords(launch), words), launch) for launch in pack.launches]
    best = max((score for score, _ in scored), default=0)
    return [launch for score, launch in scored if score == best and best > 0]
