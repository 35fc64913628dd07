"""Preparation between mock interviews: the company research worksheet, the story bank
and daily drills scheduled by FSRS.

    from loopready.prep import (
        research_items, set_research,                  # research worksheet
        create_story, list_stories, tell_story,        # story bank
        loop_context, freshness, story_drift,          # freshness and number drift
        due_cards, due_counts, review, review_with_answer,  # drills
    )

    db = open_db()
    pack = resolve_pack(db)                 # the pack the user is preparing with
    set_research(db, pack, "xperia_camera_ai", metric="Share of photos kept", why="...")
    story = create_story(db, title="Cutting churn at Aurora", result="Churn fell 12%...")
    tell_story(db, story.id, "product_sense", text="...what I said...")
    story_drift(get_story(db, story.id))    # numbers that changed between tellings
    for card in due_cards(db, now, pack=pack):
        review(db, card.id, Rating.Good, now)

Every function takes the open :class:`~loopready.store.Database` and runs its own
short transaction; times must carry a zone. See ``docs/prep.md``.
"""

from fsrs import Rating

from loopready.prep.context import (
    RoundDates,
    active_loop,
    current_pack_id,
    parse_moment,
    resolve_pack,
    round_dates,
    utc,
)
from loopready.prep.drift import (
    ANSWER_SOURCE,
    STORY_SOURCE,
    answer_drift,
    describe_drift,
    drift_to_dict,
    source_label,
    story_claims,
    story_drift,
)
from loopready.prep.drills import (
    DEFAULT_NEW_PER_DAY,
    SCORE_BANDS,
    CardFace,
    DrillCardView,
    DueCounts,
    ReviewEntry,
    card_face,
    card_reviews,
    card_view,
    due_cards,
    due_counts,
    get_card,
    interval_cap,
    list_cards,
    parse_rating,
    rating_for_score,
    rating_name,
    review,
    review_with_answer,
    scheduler,
    sync_cards,
)
from loopready.prep.freshness import (
    LoopContext,
    Suggestion,
    freshness,
    freshness_label,
    loop_context,
    rounds_told_in,
    suggest_stories,
    tellings_in,
)
from loopready.prep.research import (
    ResearchItem,
    clear_research,
    find_launch,
    related_launches,
    research_items,
    research_progress,
    set_research,
)
from loopready.prep.stories import (
    StoryFields,
    StoryRecord,
    Telling,
    competencies_of,
    create_story,
    delete_story,
    format_story_text,
    get_story,
    list_stories,
    normalise_tag,
    parse_story_text,
    remove_telling,
    tell_story,
    update_story,
)

__all__ = [
    "ANSWER_SOURCE",
    "DEFAULT_NEW_PER_DAY",
    "SCORE_BANDS",
    "STORY_SOURCE",
    "CardFace",
    "DrillCardView",
    "DueCounts",
    "LoopContext",
    "Rating",
    "ResearchItem",
    "ReviewEntry",
    "RoundDates",
    "StoryFields",
    "StoryRecord",
    "Suggestion",
    "Telling",
    "active_loop",
    "answer_drift",
    "card_face",
    "card_reviews",
    "card_view",
    "clear_research",
    "competencies_of",
    "create_story",
    "current_pack_id",
    "delete_story",
    "describe_drift",
    "drift_to_dict",
    "due_cards",
    "due_counts",
    "find_launch",
    "format_story_text",
    "freshness",
    "freshness_label",
    "get_card",
    "get_story",
    "interval_cap",
    "list_cards",
    "list_stories",
    "loop_context",
    "normalise_tag",
    "parse_moment",
    "parse_rating",
    "parse_story_text",
    "rating_for_score",
    "rating_name",
    "related_launches",
    "remove_telling",
    "research_items",
    "research_progress",
    "resolve_pack",
    "review",
    "review_with_answer",
    "round_dates",
    "rounds_told_in",
    "scheduler",
    "set_research",
    "source_label",
    "story_claims",
    "story_drift",
    "suggest_stories",
    "sync_cards",
    "tell_story",
    "tellings_in",
    "update_story",
    "utc",
]
