"""How fresh a story is for the loop under way, and which stories to tell in a round.

Interviewers of one loop compare notes, so a story told in most rounds stops adding
anything. Freshness counts the *distinct rounds* of the current loop a story was told
in (telling it twice in mock product-sense rounds is one round) against the number of
rounds after which it is stale, more than half the loop's rounds:

    stale_at  = rounds in the loop // 2 + 1          (5 rounds -> 3, 4 -> 3, 3 -> 2)
    freshness = max(0, 1 - rounds told in / stale_at)

For the five-round Sony loop: never told 1.0, told in one round 0.67, in two 0.33, in
three or more 0.0 (stale). A telling belongs to the current loop when it was recorded
for that loop, or recorded without a loop on or after the loop's start; with no active
loop every telling counts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from loopready.packs.schema import Pack
from loopready.prep.context import active_loop
from loopready.prep.stories import ROUND_TAG, StoryRecord, Telling, normalise_tag
from loopready.store import Database

Label = Literal["fresh", "used", "stale"]


@dataclass(frozen=True)
class LoopContext:
    """The loop whose tellings count: its rounds, its id and its first day."""

    round_ids: tuple[str, ...]
    loop_id: str | None = None
    since: date | None = None

    @property
    def stale_at(self) -> int:
        """Distinct rounds after which a story is stale: more than half the loop's rounds."""
        return max(1, len(self.round_ids) // 2 + 1)

    def counts(self, telling: Telling) -> bool:
        """Whether *telling* was part of this loop."""
        if self.loop_id is None:
            return True
        if telling.loop_id is not None:
            return telling.loop_id == self.loop_id
        return self.since is None or telling.told_on >= self.since


def loop_context(db: Database, pack: Pack) -> LoopContext:
    """The user's current loop on *pack* (their newest active one), or the whole history."""
    rounds = tuple(r.id for r in pack.rounds)
    loop = active_loop(db, pack.id)
    if loop is None:
        return LoopContext(rounds)
    return LoopContext(rounds, loop.id, loop.start_date)


def tellings_in(story: StoryRecord, loop: LoopContext) -> list[Telling]:
    """The story's tellings that belong to *loop*."""
    return [t for t in story.tellings if loop.counts(t)]


def rounds_told_in(story: StoryRecord, loop: LoopContext) -> list[str]:
    """The distinct rounds of *loop* the story was told in, in the order first told."""
    return list(dict.fromkeys(t.round_id for t in tellings_in(story, loop)))


def freshness(story: StoryRecord, loop: LoopContext) -> float:
    """1.0 for a story not told in this loop, falling to 0.0 once it is stale."""
    told = len(rounds_told_in(story, loop))
    return max(0.0, 1.0 - told / loop.stale_at)


def freshness_label(value: float) -> Label:
    """``fresh`` (never told), ``used`` or ``stale`` (told in too many rounds)."""
    if value >= 1.0:
        return "fresh"
    return "used" if value > 0 else "stale"


@dataclass(frozen=True)
class Suggestion:
    """A story worth telling in a round: how fresh it is and why it fits."""

    story: StoryRecord
    freshness: float
    matched: tuple[str, ...]
    told_here: bool

    @property
    def fits(self) -> bool:
        return bool(self.matched)

    def reason(self) -> str:
        parts = []
        if self.matched:
            parts.append("tagged " + ", ".join(self.matched))
        else:
            parts.append("no matching tag")
        parts.append(f"{freshness_label(self.freshness)} ({self.freshness:.2f})")
        if self.told_here:
            parts.append("already told in this round")
        return "; ".join(parts)

    def explain(self, names: Mapping[str, str]) -> str:
        """The reason in words for a page: tags by their *names*, and no raw score."""
        shown = dict.fromkeys(
            names.get(t) or t.removeprefix(ROUND_TAG).replace("_", " ") for t in self.matched
        )
        parts = ["fits: " + ", ".join(shown) if shown else "no matching tag"]
        parts.append(_IN_WORDS[freshness_label(self.freshness)])
        if self.told_here:
            parts.append("already told in this round")
        return "; ".join(parts)


_IN_WORDS: dict[str, str] = {
    "fresh": "not told in this loop yet",
    "used": "told before in this loop",
    "stale": "stale: told in too many rounds of this loop",
}


def round_tags(pack: Pack, round_id: str) -> set[str]:
    """The tags that make a story fit *round_id*: the round itself and its rubric criteria."""
    rnd = pack.round(round_id)
    tags = {ROUND_TAG + rnd.id}
    for criterion in rnd.rubric.criteria:
        tags.add(normalise_tag(criterion.id))
        tags.add(normalise_tag(criterion.name))
    return tags


def suggest_stories(
    stories: Sequence[StoryRecord],
    pack: Pack,
    round_id: str,
    loop: LoopContext,
    *,
    limit: int | None = None,
) -> list[Suggestion]:
    """Stories to tell in *round_id*, best first.

    Stories tagged for the round (the round itself, or a competency its rubric scores)
    come first, the freshest of them first, stale ones last; then the untagged ones in
    the same order, so a round without tagged stories still gets suggestions.
    """
    wanted = round_tags(pack, round_id)
    found: list[Suggestion] = []
    for story in stories:
        matched = tuple(t for t in story.tags if t in wanted)
        fresh = freshness(story, loop)
        here = round_id in rounds_told_in(story, loop)
        found.append(Suggestion(story, fresh, matched, here))
    found.sort(
        key=lambda sg: (
            not sg.fits,
            sg.freshness == 0,
            sg.told_here,
            -sg.freshness,
            -len(sg.matched),
            sg.story.title.lower(),
        )
    )
    return found[:limit] if limit is not None else found
