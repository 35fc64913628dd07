"""Daily drills: the pack's prompts and the candidate's stories, scheduled by FSRS.

Every prompt of the pack and every story of the bank is a card in ``drill_cards``
(kind ``prompt`` with ref ``<pack id>/<prompt id>``, or kind ``story`` with the story's
id). A card's scheduling state is the ``fsrs`` package's :class:`fsrs.Card`, stored as
its ``to_dict()`` JSON in ``drill_cards.card``, with its next due time copied into
``drill_cards.due`` so due cards are one indexed query. Each review is a
``drill_reviews`` row holding the rating and FSRS's review log (plus, for a written
answer, the answer, the score and the grader).

A review either rates recall directly (again, hard, good, easy) or, for an answer
written out, takes the rating from the grader's 0-100 score (:func:`rating_for_score`):

    score < 40 -> Again,  40-59 -> Hard,  60-84 -> Good,  85+ -> Easy

A story drill whose answer states a number that contradicts the story is rated Hard at
best, whatever the score: getting the numbers right is the point of rehearsing it.

The scheduler is FSRS with its default parameters and 90% desired retention, without
fuzz (so the due date shown is the one FSRS computes), and with one limit: when the
real round a card prepares for is known (saved plan, else the active loop), no interval
reaches past the day before that round, so every card comes back before it matters.
New cards are introduced at most :data:`DEFAULT_NEW_PER_DAY` a day, stories and prompts
taking turns.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

from fsrs import Card, Rating, Scheduler, State

from loopready.errors import InputError, NotFound
from loopready.packs import get_pack
from loopready.packs.schema import Pack, Prompt, Round
from loopready.prep.context import resolve_pack, round_dates, utc
from loopready.prep.research import ResearchItem, related_launches, research_items
from loopready.prep.stories import MIN_PREFIX, STAR_FIELDS, get_story
from loopready.store import Database, DrillCard, Session, find_owned, new_id
from loopready.store.drill_repo import (
    add_cards,
    add_review,
    card_keys,
    delete_story_cards,
    introduced_since,
    pack_cards,
    review_count,
    review_counts,
    story_ids,
    story_titles,
)
from loopready.store.drill_repo import card_reviews as stored_reviews

if TYPE_CHECKING:
    from loopready.grading.base import Grader, GradeResult

CardKind = Literal["prompt", "story"]
CardState = Literal["new", "learning", "review", "relearning"]

#: New cards shown a day, at most.
DEFAULT_NEW_PER_DAY = 10
#: FSRS's target probability of recalling a card when it comes due.
DESIRED_RETENTION = 0.9
#: (score below, rating): the first band the score falls in gives the rating; else Easy.
SCORE_BANDS: tuple[tuple[float, Rating], ...] = (
    (40.0, Rating.Again),
    (60.0, Rating.Hard),
    (85.0, Rating.Good),
)
RATING_NAMES: dict[str, Rating] = {
    "again": Rating.Again,
    "hard": Rating.Hard,
    "good": Rating.Good,
    "easy": Rating.Easy,
    "1": Rating.Again,
    "2": Rating.Hard,
    "3": Rating.Good,
    "4": Rating.Easy,
}
_STATES: dict[State, CardState] = {
    State.Learning: "learning",
    State.Review: "review",
    State.Relearning: "relearning",
}


# --- ratings ------------------------------------------------------------------------------


def parse_rating(text: str) -> Rating:
    """``again``/``hard``/``good``/``easy`` (or 1-4, or a first letter) as an FSRS rating."""
    key = text.strip().lower()
    if key in RATING_NAMES:
        return RATING_NAMES[key]
    by_letter = {name[0]: rating for name, rating in RATING_NAMES.items() if name.isalpha()}
    if len(key) == 1 and key in by_letter:
        return by_letter[key]
    raise InputError(f"Rate recall as again, hard, good or easy (or 1-4), not {text!r}.")


def rating_name(rating: Rating) -> str:
    """``Rating.Good`` -> ``good``."""
    return rating.name.lower()


def rating_for_score(score: float) -> Rating:
    """The FSRS rating a graded written answer earns (see :data:`SCORE_BANDS`)."""
    for below, rating in SCORE_BANDS:
        if score < below:
            return rating
    return Rating.Easy


# --- views --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DrillCardView:
    """A card as the CLI and web pages show it."""

    id: str
    kind: CardKind
    ref: str
    title: str
    due: datetime
    state: CardState
    reviews: int = 0
    last_review: datetime | None = None
    stability: float | None = None
    difficulty: float | None = None
    round_id: str | None = None
    pack_id: str | None = None

    @property
    def is_new(self) -> bool:
        return self.state == "new"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "ref": self.ref,
            "title": self.title,
            "round_id": self.round_id,
            "pack_id": self.pack_id,
            "due": self.due.isoformat(),
            "state": self.state,
            "reviews": self.reviews,
            "last_review": self.last_review.isoformat() if self.last_review else None,
            "stability": self.stability,
            "difficulty": self.difficulty,
        }


@dataclass(frozen=True)
class DueCounts:
    """What the dashboard shows: cards to do now and when the next one comes."""

    due: int
    reviews: int
    new: int
    new_waiting: int
    later_today: int
    total: int
    next_due: datetime | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "due": self.due,
            "reviews": self.reviews,
            "new": self.new,
            "new_waiting": self.new_waiting,
            "later_today": self.later_today,
            "total": self.total,
            "next_due": self.next_due.isoformat() if self.next_due else None,
        }


@dataclass(frozen=True)
class CardFace:
    """What the candidate sees: the question (front) and what a good answer holds (back)."""

    front: str
    context: str
    brief: str = ""
    back: list[str] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)
    research: list[ResearchItem] = field(default_factory=list)


@dataclass(frozen=True)
class ReviewEntry:
    """One past review of a card."""

    rating: Rating
    reviewed_at: datetime
    source: str
    score: float | None = None


# --- cards --------------------------------------------------------------------------------


def prompt_ref(pack: Pack, prompt: Prompt) -> str:
    """The ref of a prompt's card: ``<pack id>/<prompt id>``."""
    return f"{pack.id}/{prompt.id}"


def find_prompt(pack: Pack, prompt_id: str) -> tuple[Round, Prompt] | None:
    """The round and prompt with id *prompt_id* in *pack*, if any."""
    for rnd in pack.all_rounds():
        for prompt in rnd.prompts:
            if prompt.id == prompt_id:
                return rnd, prompt
    return None


def _fsrs_id(row_id: str) -> int:
    # FSRS wants an integer id; one derived from the row's keeps logs traceable.
    return int(row_id.replace("-", "")[:12], 16)


def _new_row(user_id: str, kind: CardKind, ref: str, now: datetime) -> DrillCard:
    row_id = new_id()
    card = Card(card_id=_fsrs_id(row_id), due=now)
    return DrillCard(
        id=row_id, user_id=user_id, kind=kind, ref=ref, card=dict(card.to_dict()), due=now
    )


def sync_cards(db: Database, pack: Pack, now: datetime) -> int:
    """Make sure every prompt of *pack* and every story has a card; returns how many were made.

    Cards of stories that no longer exist are removed. New cards are due at *now*.
    """
    now = utc(now)
    with db.read_session() as s:
        have = card_keys(s, db.user_id)
        stories = story_ids(s, db.user_id)
    wanted = [("prompt", prompt_ref(pack, p)) for r in pack.all_rounds() for p in r.prompts]
    wanted += [("story", story_id) for story_id in stories]
    missing = [(kind, ref) for kind, ref in wanted if (kind, ref) not in have]
    known = set(stories)
    orphans = {ref for kind, ref in have if kind == "story" and ref not in known}
    if not missing and not orphans:
        return 0
    with db.session() as s:
        # Look again inside the write lock: another process may have made them meanwhile.
        present = card_keys(s, db.user_id)
        rows: list[DrillCard] = []
        # Cards made together keep the order they were wanted in (prompts in loop order, then
        # stories oldest first): one microsecond apart, so the id never decides their order.
        start = datetime.now(UTC)
        for kind, ref in missing:
            if (kind, ref) not in present:
                row = _new_row(db.user_id, "prompt" if kind == "prompt" else "story", ref, now)
                row.created_at = start + timedelta(microseconds=len(rows))
                rows.append(row)
        add_cards(s, rows)
        for ref in orphans:
            delete_story_cards(s, db.user_id, ref)
        return len(rows)


def _state(card: Card) -> CardState:
    return "new" if card.last_review is None else _STATES[card.state]


def _view(row: DrillCard, reviews: int, titles: dict[str, str], pack: Pack | None) -> DrillCardView:
    card = Card.from_dict(row.card)  # type: ignore[arg-type]
    round_id = pack_id = None
    if row.kind == "prompt":
        pack_id, _, prompt_id = row.ref.partition("/")
        found = find_prompt(pack, prompt_id) if pack is not None and pack.id == pack_id else None
        title = found[1].question if found else prompt_id
        round_id = found[0].id if found else None
    else:
        title = titles.get(row.ref, "(deleted story)")
    return DrillCardView(
        id=row.id,
        kind="prompt" if row.kind == "prompt" else "story",
        ref=row.ref,
        title=title,
        due=row.due,
        state=_state(card),
        reviews=reviews,
        last_review=card.last_review,
        stability=card.stability,
        difficulty=card.difficulty,
        round_id=round_id,
        pack_id=pack_id,
    )


def _load(s: Session, user_id: str, pack: Pack) -> list[DrillCardView]:
    rows = pack_cards(s, user_id, pack.id)
    counts = review_counts(s, user_id)
    titles = story_titles(s, user_id)
    prompts = {prompt_ref(pack, p) for r in pack.all_rounds() for p in r.prompts}
    views = []
    for row in rows:
        if row.kind == "prompt" and row.ref not in prompts:
            continue  # a prompt the pack no longer has: its history stays, it is not drilled
        if row.kind == "story" and row.ref not in titles:
            continue
        views.append(_view(row, counts.get(row.id, 0), titles, pack))
    return views


def list_cards(db: Database, pack: Pack, now: datetime) -> list[DrillCardView]:
    """Every card of *pack*'s prompts and the stories, in the order they were made."""
    sync_cards(db, pack, now)
    with db.read_session() as s:
        return _load(s, db.user_id, pack)


def _day_start(now: datetime) -> datetime:
    local = now if now.tzinfo is not None else now.astimezone()
    return datetime.combine(local.date(), datetime.min.time(), tzinfo=local.tzinfo).astimezone(UTC)


def _interleave(cards: list[DrillCardView]) -> list[DrillCardView]:
    stories = [c for c in cards if c.kind == "story"]
    prompts = [c for c in cards if c.kind == "prompt"]
    mixed: list[DrillCardView] = []
    for n in range(max(len(stories), len(prompts))):
        mixed += stories[n : n + 1] + prompts[n : n + 1]
    return mixed


def _split(
    s: Session, user_id: str, pack: Pack, now: datetime, new_limit: int
) -> tuple[list[DrillCardView], list[DrillCardView], list[DrillCardView]]:
    """(reviews due now, new cards allowed today, all cards)."""
    cards = _load(s, user_id, pack)
    due = sorted((c for c in cards if not c.is_new and c.due <= now), key=lambda c: c.due)
    allowance = max(0, new_limit - introduced_since(s, user_id, _day_start(now)))
    fresh = _interleave([c for c in cards if c.is_new])[:allowance]
    return due, fresh, cards


def due_cards(
    db: Database,
    now: datetime,
    *,
    pack: Pack | None = None,
    new_limit: int = DEFAULT_NEW_PER_DAY,
) -> list[DrillCardView]:
    """The cards to drill now: reviews that are due (oldest first), then today's new cards.

    *pack* defaults to the one the user is preparing with.
    """
    pack = pack or resolve_pack(db)
    sync_cards(db, pack, now)
    with db.read_session() as s:
        due, fresh, _cards = _split(s, db.user_id, pack, now, new_limit)
    return due + fresh


def due_counts(
    db: Database,
    now: datetime,
    *,
    pack: Pack | None = None,
    new_limit: int = DEFAULT_NEW_PER_DAY,
) -> DueCounts:
    """How many cards are due now, how many new ones today, and when the next one comes."""
    pack = pack or resolve_pack(db)
    moment = utc(now)
    sync_cards(db, pack, moment)
    with db.read_session() as s:
        due, fresh, cards = _split(s, db.user_id, pack, now, new_limit)
    day_end = _day_start(now) + timedelta(days=1)
    seen = [c for c in cards if not c.is_new]
    later = [c for c in seen if moment < c.due < day_end]
    upcoming = [c.due for c in seen if c.due > moment]
    new_total = sum(1 for c in cards if c.is_new)
    return DueCounts(
        due=len(due) + len(fresh),
        reviews=len(due),
        new=len(fresh),
        new_waiting=new_total - len(fresh),
        later_today=len(later),
        total=len(cards),
        next_due=min(upcoming) if upcoming else None,
    )


def get_card(db: Database, ref: str, now: datetime, *, pack: Pack | None = None) -> DrillCardView:
    """A card by its id (or a unique prefix), its prompt's id, or its story (id or title)."""
    pack = pack or resolve_pack(db)
    cards = list_cards(db, pack, now)
    wanted = ref.strip()
    for card in cards:
        if wanted in (card.id, card.ref) or (
            card.kind == "prompt" and card.ref.endswith("/" + wanted)
        ):
            return card
    by_prefix = [c for c in cards if len(wanted) >= MIN_PREFIX and c.id.startswith(wanted.lower())]
    if len(by_prefix) == 1:
        return by_prefix[0]
    try:
        story = get_story(db, wanted)
    except (NotFound, InputError):
        story = None
    if story is not None:
        for card in cards:
            if card.kind == "story" and card.ref == story.id:
                return card
    raise NotFound(
        f"No drill card {wanted!r}: give a card id, a prompt id (e.g. "
        f"{_example_prompt(pack)}) or a story. `loopready drill today` lists them."
    )


def _example_prompt(pack: Pack) -> str:
    return pack.rounds[0].prompts[0].id


# --- faces --------------------------------------------------------------------------------


def _tag_words(pack: Pack, story: Any) -> list[str]:
    """The story's tags as a person reads them: criterion and round names, not ids."""
    criteria = {c.id: c.name for r in pack.all_rounds() for c in r.rubric.criteria}
    rounds = {r.id: r.name for r in pack.all_rounds()}
    words = [criteria.get(c) or c.replace("_", " ") for c in story.competencies]
    return words + [rounds.get(r, r) for r in story.rounds]


def card_face(db: Database, card: DrillCardView) -> CardFace:
    """The question and what a good answer holds: key points (or the rubric's bar), the
    story's parts and numbers, and the candidate's research on related launches."""
    if card.kind == "story":
        from loopready.prep.drift import story_claims

        story = get_story(db, card.ref)
        context = ", ".join(_tag_words(resolve_pack(db), story)) or "untagged story"
        back = [
            f"{name.title()}: {getattr(story, name)}"
            for name in STAR_FIELDS
            if getattr(story, name).strip()
        ]
        numbers = [claim.describe() for claim in story_claims(story)]
        return CardFace(f"Tell your story: {story.title}", context, "", back, numbers)
    pack = get_pack(card.pack_id or "")
    found = find_prompt(pack, card.ref.partition("/")[2])
    if found is None:
        raise NotFound(f"The pack {pack.id} no longer has the prompt of card {card.id}.")
    rnd, prompt = found
    back = list(prompt.key_points) or [f"{c.name}: {c.strong}" for c in rnd.rubric.criteria]
    launches = {launch.id for launch in related_launches(pack, prompt)}
    research = [item for item in research_items(db, pack) if item.launch.id in launches]
    context = f"{rnd.name} ({rnd.minutes} min)"
    return CardFace(prompt.question, context, prompt.brief or "", back, [], research)


# --- reviewing ----------------------------------------------------------------------------


def scheduler(maximum_interval: int | None = None) -> Scheduler:
    """loopready's FSRS scheduler: default parameters, no fuzz, an optional interval cap."""
    return Scheduler(
        desired_retention=DESIRED_RETENTION,
        maximum_interval=maximum_interval or 36500,
        enable_fuzzing=False,
    )


def interval_cap(db: Database, card: DrillCardView, now: datetime) -> int | None:
    """Days a card may be put off: up to the day before its round, when that date is known.

    A prompt card waits for its own round; a story card (or a prompt of a practice-only
    round) for the last round. ``None`` when no date is known or the round is past.
    """
    pack = get_pack(card.pack_id) if card.pack_id else resolve_pack(db)
    dates = round_dates(db, pack)
    target = dates.dates.get(card.round_id or "") or dates.last
    today = now.date()
    if target is None or target < today:
        return None
    return max(1, (target - today).days - 1)


def _row(s: Session, user_id: str, card_id: str) -> DrillCard:
    row = find_owned(s, DrillCard, user_id, card_id)
    if row is None:
        raise NotFound(f"No drill card with id {card_id!r}. `loopready drill today` lists them.")
    return row


def card_view(db: Database, card_id: str) -> DrillCardView:
    """The card with id *card_id* (exactly), or :class:`NotFound`."""
    with db.read_session() as s:
        row = _row(s, db.user_id, card_id)
        reviews = review_count(s, row.id)
        titles = story_titles(s, db.user_id, row.ref) if row.kind == "story" else {}
        pack_id = row.ref.partition("/")[0] if row.kind == "prompt" else None
        pack = get_pack(pack_id) if pack_id else None
        return _view(row, int(reviews), titles, pack)


def review(
    db: Database,
    card_id: str,
    rating: Rating,
    now: datetime,
    *,
    details: dict[str, Any] | None = None,
) -> DrillCardView:
    """Record a review of the card and schedule it with FSRS; returns the updated card.

    *now* must carry a time zone. *details* (the answer, its score...) are kept with the
    review's log.
    """
    moment = utc(now)
    before = card_view(db, card_id)
    cap = interval_cap(db, before, now)
    with db.session() as s:
        row = _row(s, db.user_id, card_id)
        card = Card.from_dict(row.card)  # type: ignore[arg-type]
        if card.last_review is not None and moment < card.last_review:
            raise InputError(
                f"This card was last reviewed at {card.last_review.isoformat()}, after "
                f"{moment.isoformat()}; a review cannot go back in time."
            )
        reviewed, log = scheduler(cap).review_card(card, Rating(rating), review_datetime=moment)
        row.card = dict(reviewed.to_dict())
        row.due = reviewed.due
        entry: dict[str, Any] = {**log.to_dict(), "source": "recall", "maximum_interval": cap}
        entry.update(details or {})
        add_review(s, db.user_id, row.id, rating=int(rating), reviewed_at=moment, log=entry)
    return card_view(db, card_id)


def review_with_answer(
    db: Database,
    card_id: str,
    answer: str,
    now: datetime,
    *,
    grader: str | Grader = "local",
) -> tuple[GradeResult, Rating]:
    """Grade a written answer to the card, then review the card with the rating it earns.

    A prompt card is graded against its round's rubric and key points; a story card
    against the story itself (its four parts are the key points), and a number that
    contradicts the story caps the rating at Hard. The answer, score and grader are kept
    with the review. An empty answer is refused rather than scored 0.
    """
    from loopready.grading.service import build_request

    utc(now)
    if not answer.strip():
        raise InputError("The answer is empty: write your answer, then submit it for grading.")
    card = card_view(db, card_id)
    drift: list[dict[str, object]] = []
    if card.kind == "prompt":
        pack_id, _, prompt_id = card.ref.partition("/")
        if card.round_id is None:
            raise NotFound(f"The pack {pack_id} no longer has the prompt {prompt_id!r}.")
        request = build_request(
            answer, pack_id=pack_id, round_id=card.round_id, question_id=prompt_id
        )
    else:
        from loopready.prep.drift import answer_drift, drift_to_dict

        story = get_story(db, card.ref)
        points = [getattr(story, name).strip() for name in STAR_FIELDS]
        request = build_request(
            answer, reference=story.text, key_points=[p for p in points if p] or None
        )
        drift = [drift_to_dict(story, item) for item in answer_drift(story, answer)]
    result = _grade(request, grader)
    rating = rating_for_score(result.score)
    if drift and rating > Rating.Hard:
        rating = Rating.Hard
    review(
        db,
        card_id,
        rating,
        now,
        details={
            "source": "grader",
            "score": result.score,
            "grader": result.grader,
            "answer": answer,
            "drift": drift,
        },
    )
    return result, rating


def _grade(request: Any, grader: str | Grader) -> GradeResult:
    from loopready.grading.pipeline import finish
    from loopready.grading.service import grade_request

    if isinstance(grader, str):
        return grade_request(request, grader)
    started = time.perf_counter()
    result = finish(request, grader.grade(request))
    result.elapsed_ms = round((time.perf_counter() - started) * 1000, 1)
    return result


def card_reviews(db: Database, card_id: str) -> list[ReviewEntry]:
    """The card's reviews, oldest first."""
    with db.read_session() as s:
        row = _row(s, db.user_id, card_id)
        rows = stored_reviews(s, row.id)
        return [
            ReviewEntry(
                rating=Rating(r.rating),
                reviewed_at=r.reviewed_at,
                source=str(r.log.get("source", "recall")),
                score=r.log.get("score"),
            )
            for r in rows
        ]


def next_due_after(card: DrillCardView, now: datetime) -> timedelta:
    """How long until the card is due again (zero when it already is)."""
    return max(timedelta(0), card.due - utc(now))


def card_state(db: Database, card_id: str) -> dict[str, Any] | None:
    """The FSRS state stored for the user's card ``card_id``, or None when there is none."""
    with db.read_session() as s:
        row = find_owned(s, DrillCard, db.user_id, card_id)
        if row is None:
            return None
        return dict(row.card)
