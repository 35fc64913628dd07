"""``loopready drill``: today's spaced-repetition drill of prompts and stories (FSRS)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from loopready.cli.options import grader_option
from loopready.errors import InputError, LoopreadyError

if TYPE_CHECKING:
    from fsrs import Rating

    from loopready.grading.base import GradeResult
    from loopready.packs.schema import Pack
    from loopready.prep.drills import CardFace, DrillCardView
    from loopready.store import Database

F = TypeVar("F", bound=Callable[..., Any])
RATING_CHOICES = ("again", "hard", "good", "easy")


def _common(func: F) -> F:
    """--pack, --new and the hidden --now (lets tests and what-if checks pick the time)."""
    func = click.option("--now", "now_text", metavar="DATETIME", hidden=True)(func)
    func = click.option(
        "--new",
        "new_limit",
        type=click.IntRange(min=0),
        default=None,
        help="New cards a day [default: 10].",
    )(func)
    return click.option(
        "--pack", "pack_id", metavar="ID", help="Pack id [default: the one you are preparing with]."
    )(func)


def _now(now_text: str | None) -> datetime:
    from loopready.prep.context import parse_moment

    return parse_moment(now_text) if now_text else datetime.now().astimezone()


def _limit(new_limit: int | None) -> int:
    from loopready.prep.drills import DEFAULT_NEW_PER_DAY

    return DEFAULT_NEW_PER_DAY if new_limit is None else new_limit


def _until(due: datetime, now: datetime) -> str:
    """``now``, ``in 10 min``, ``in 5 h``, ``in 3 days``, with the local date for days."""
    delta = due - now
    if delta <= timedelta(0):
        return "now"
    minutes = delta.total_seconds() / 60
    if minutes < 60:
        return f"in {max(1, round(minutes))} min"
    if minutes < 24 * 60:
        return f"in {round(minutes / 60)} h"
    local = due.astimezone(now.tzinfo)
    days = (local.date() - now.date()).days
    return f"in {days} day{'' if days == 1 else 's'} ({local:%a} {local.day} {local:%b})"


def _label(card: DrillCardView) -> str:
    if card.kind == "story":
        return "story"
    return card.round_id or "prompt"


def _short(text: str, width: int = 70) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"


@click.group()
def drill() -> None:
    """A daily drill of the pack's questions and your stories, spaced by FSRS.

    Each card comes back just before you would forget it: rate how well you
    recalled it (again, hard, good, easy), or write your answer and let the
    grader's score set the rating.

    \b
        loopready drill today
        loopready drill review
        loopready drill review ps_psn_recommendations --answer-file answer.txt
    """


@drill.command("today")
@_common
@click.option("--json", "as_json", is_flag=True, help="Print the cards as JSON.")
def today(pack_id: str | None, new_limit: int | None, now_text: str | None, as_json: bool) -> None:
    """Show the cards to drill now: reviews that are due, then today's new cards.

    \b
        loopready drill today
    """
    from loopready.prep.context import resolve_pack
    from loopready.prep.drills import due_cards, due_counts
    from loopready.store import open_db

    now = _now(now_text)
    with open_db() as db:
        pack = resolve_pack(db, pack_id)
        cards = due_cards(db, now, pack=pack, new_limit=_limit(new_limit))
        counts = due_counts(db, now, pack=pack, new_limit=_limit(new_limit))
    if as_json:
        payload = {"counts": counts.to_dict(), "cards": [card.to_dict() for card in cards]}
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    console = Console()
    if not cards:
        nxt = f" The next card is due {_until(counts.next_due, now)}." if counts.next_due else ""
        console.print(f"Nothing to drill now.{nxt}")
        return
    console.print(
        f"[bold]{counts.due} to drill now[/bold]: {counts.reviews} due for review, "
        f"{counts.new} new ({counts.new_waiting} more new cards wait for later days)."
    )
    table = Table("#", "card", "kind", "what", "state")
    for n, card in enumerate(cards, start=1):
        table.add_row(str(n), card.id[:8], _label(card), escape(_short(card.title)), card.state)
    console.print(table)
    console.print("Start: [bold]loopready drill review[/bold]")


@drill.command("due")
@_common
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
def due(pack_id: str | None, new_limit: int | None, now_text: str | None, as_json: bool) -> None:
    """Count the cards due now, the new ones for today and when the next comes.

    \b
        loopready drill due --json
    """
    from loopready.prep.context import resolve_pack
    from loopready.prep.drills import due_counts
    from loopready.store import open_db

    now = _now(now_text)
    with open_db() as db:
        pack = resolve_pack(db, pack_id)
        counts = due_counts(db, now, pack=pack, new_limit=_limit(new_limit))
    if as_json:
        click.echo(json.dumps(counts.to_dict(), indent=2))
        return
    nxt = _until(counts.next_due, now) if counts.next_due else "none scheduled"
    click.echo(
        f"Due now: {counts.due} ({counts.reviews} reviews, {counts.new} new). "
        f"Later today: {counts.later_today}. Next review: {nxt}. Cards: {counts.total}."
    )


@drill.command("list")
@click.option("--pack", "pack_id", metavar="ID", help="Pack id.")
@click.option("--now", "now_text", metavar="DATETIME", hidden=True)
@click.option("--json", "as_json", is_flag=True, help="Print the cards as JSON.")
def list_cmd(pack_id: str | None, now_text: str | None, as_json: bool) -> None:
    """List every card with its state, reviews and next due date.

    \b
        loopready drill list
    """
    from loopready.prep.context import resolve_pack
    from loopready.prep.drills import list_cards
    from loopready.store import open_db

    now = _now(now_text)
    with open_db() as db:
        cards = list_cards(db, resolve_pack(db, pack_id), now)
    if as_json:
        click.echo(json.dumps([card.to_dict() for card in cards], indent=2, ensure_ascii=False))
        return
    table = Table("card", "kind", "what", "state", "reviews", "due")
    for card in sorted(cards, key=lambda c: (c.is_new, c.due)):
        when = "-" if card.is_new else _until(card.due, now)
        table.add_row(
            card.id[:8],
            _label(card),
            escape(_short(card.title, 50)),
            card.state,
            str(card.reviews),
            when,
        )
    Console().print(table)


@drill.command("review")
@click.argument("card_ref", metavar="[CARD]", required=False)
@click.option(
    "--rating",
    type=click.Choice(RATING_CHOICES, case_sensitive=False),
    help="Rate your recall of the card without being asked.",
)
@click.option(
    "--answer-file",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help="Grade this written answer and take the rating from its score (- for stdin).",
)
@grader_option("Grader for written answers.")
@_common
@click.option("--json", "as_json", is_flag=True, help="Print the review as JSON.")
def review_cmd(
    card_ref: str | None,
    rating: str | None,
    answer_file: Path | None,
    grader_name: str,
    pack_id: str | None,
    new_limit: int | None,
    now_text: str | None,
    as_json: bool,
) -> None:
    """Drill the due cards one by one, or review one card from a script.

    Interactively: each card shows its question; press Enter to see what a good
    answer covers and rate your recall, or type w to write your answer in your
    editor and have it graded. With --rating or --answer-file, one card (CARD,
    or the first due one) is reviewed without questions. Grades map to ratings:
    below 40 again, below 60 hard, below 85 good, else easy.

    CARD is a card id (the first characters are enough), a prompt id or a story.

    \b
        loopready drill review
        loopready drill review ps_psn_recommendations --rating good
        loopready drill review td_camera_drift --answer-file answer.txt --json
    """
    from loopready.prep.context import resolve_pack
    from loopready.prep.drills import due_cards, get_card, parse_rating
    from loopready.store import open_db

    if rating is not None and answer_file is not None:
        raise InputError("Give --rating or --answer-file, not both.")
    now = _now(now_text)
    with open_db() as db:
        pack = resolve_pack(db, pack_id)
        if card_ref is not None:
            cards = [get_card(db, card_ref, now, pack=pack)]
        else:
            cards = due_cards(db, now, pack=pack, new_limit=_limit(new_limit))
        if rating is None and answer_file is None:
            if as_json:
                raise InputError("--json needs --rating or --answer-file (one scripted review).")
            _interactive(db, pack, cards, now, grader_name)
            return
        if not cards:
            raise InputError(
                "No card is due now. Name one to review it early: loopready drill review CARD"
            )
        card = cards[0]
        if answer_file is not None:
            answer = _read_answer(answer_file)
            _written(db, card, answer, now, grader_name, as_json)
        else:
            assert rating is not None
            _rated(db, card, parse_rating(rating), now, as_json)


def _read_answer(path: Path) -> str:
    from loopready.grading.service import read_answer_bytes

    if str(path) == "-":
        # sys.stdin.buffer, not click.get_binary_stream: click 8.5's stubs break mypy there.
        return read_answer_bytes(sys.stdin.buffer.read(), "standard input")
    try:
        return read_answer_bytes(path.read_bytes(), str(path))
    except FileNotFoundError:
        raise InputError(f"{path}: file not found; give the file with your answer.") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder; give your answer as a text file.") from None


def _rated(db: Database, card: DrillCardView, rating: Rating, now: datetime, as_json: bool) -> None:
    from loopready.prep.drills import rating_name, review

    after = review(db, card.id, rating, now)
    if as_json:
        payload = {"card": after.to_dict(), "rating": rating_name(rating), "source": "recall"}
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    click.echo(
        f"{_short(card.title, 60)}: rated {rating_name(rating)}; next due {_until(after.due, now)}."
    )


def _written(
    db: Database, card: DrillCardView, answer: str, now: datetime, grader: str, as_json: bool
) -> None:
    from loopready.prep.drills import card_view, rating_name, review_with_answer

    result, rating = review_with_answer(db, card.id, answer, now, grader=grader)
    after = card_view(db, card.id)
    if as_json:
        payload = {
            "card": after.to_dict(),
            "rating": rating_name(rating),
            "source": "grader",
            "score": result.score,
            "grade": result.to_json_dict(),
        }
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    _print_written(Console(), db, card, answer, result, rating, after, now)


def _print_written(
    console: Console,
    db: Database,
    card: DrillCardView,
    answer: str,
    result: GradeResult,
    rating: Rating,
    after: DrillCardView,
    now: datetime,
) -> None:
    from loopready.prep.drills import rating_for_score, rating_name

    console.print(f"Score {result.score:.0f}/100 -> rated [bold]{rating_name(rating)}[/bold].")
    if rating != rating_for_score(result.score) and card.kind == "story":
        from loopready.prep.drift import answer_drift, describe_drift
        from loopready.prep.stories import get_story

        story = get_story(db, card.ref)
        console.print("Capped at hard: numbers in your answer differ from the story.")
        for item in answer_drift(story, answer):
            for line in describe_drift(story, item):
                console.print(f"  {escape(line)}", highlight=False)
    for criterion in result.criteria:
        if criterion.score <= 2 and criterion.advice:
            console.print(f"[dim]{criterion.name}:[/dim] {escape(criterion.advice)}")
    if result.message:
        console.print(escape(result.message))
    console.print(f"Next due {_until(after.due, now)}.")


def _print_face(console: Console, face: CardFace, n: int, total: int, card: DrillCardView) -> None:
    console.rule(escape(f"{n}/{total}  {face.context}  [{card.state}]"))
    console.print(f"[bold]{escape(face.front)}[/bold]", highlight=False)
    if face.brief:
        console.print(f"[dim]{escape(face.brief)}[/dim]", highlight=False)


def _print_back(console: Console, face: CardFace) -> None:
    console.print("[bold]What a good answer covers:[/bold]")
    for line in face.back:
        console.print(f"  - {escape(line)}", highlight=False)
    if face.numbers:
        console.print(f"[bold]Your numbers:[/bold] {escape('; '.join(face.numbers))}")
    for item in face.research:
        if item.done:
            why = f" (why: {item.why})" if item.why else ""
            console.print(
                f"[bold]Your research on {escape(item.launch.name)}:[/bold] "
                f"{escape(item.metric)}{escape(why)}",
                highlight=False,
            )
        else:
            console.print(
                f"[yellow]No metric chosen yet for {escape(item.launch.name)}:[/yellow] "
                f"loopready research set {item.launch.id} --metric '...' --why '...'",
                highlight=False,
            )


def _interactive(
    db: Database, pack: Pack, cards: list[DrillCardView], now: datetime, grader: str
) -> None:
    from loopready.prep.drills import card_face, due_counts, rating_name, review

    console = Console()
    if not cards:
        counts = due_counts(db, now, pack=pack)
        nxt = f" The next card is due {_until(counts.next_due, now)}." if counts.next_due else ""
        console.print(f"Nothing to drill now.{nxt}")
        return
    done = 0
    for n, card in enumerate(cards, start=1):
        face = card_face(db, card)
        _print_face(console, face, n, len(cards), card)
        choice = (
            click.prompt(
                "Enter: show what to cover · w: write your answer · s: skip · q: stop",
                default="",
                show_default=False,
            )
            .strip()
            .lower()
        )
        if choice == "q":
            break
        if choice == "s":
            continue
        if choice == "w":
            answer = click.edit(f"\n\n# {face.front}\n# Write your answer above this line.\n")
            text = _strip_comments(answer or "")
            if not text.strip():
                console.print("No answer written: skipped.")
                continue
            try:
                _written(db, card, text, now, grader, as_json=False)
            except LoopreadyError as exc:
                console.print(f"[red]Not graded:[/red] {escape(str(exc))}")
                continue
            done += 1
            continue
        _print_back(console, face)
        rating = _ask_rating()
        if rating is None:
            break
        after = review(db, card.id, rating, now)
        done += 1
        console.print(f"Rated {rating_name(rating)}; next due {_until(after.due, now)}.")
    counts = due_counts(db, now, pack=pack)
    console.rule()
    console.print(f"Reviewed {done} card{'' if done == 1 else 's'}.", highlight=False)
    if counts.later_today:
        console.print(
            f"{counts.later_today} come back later today (learning steps): run "
            "`loopready drill review` again then."
        )


def _ask_rating() -> Rating | None:
    from loopready.prep.drills import parse_rating

    while True:
        text = click.prompt("How well did you recall it? again / hard / good / easy (1-4), q: stop")
        if text.strip().lower() == "q":
            return None
        try:
            return parse_rating(text)
        except InputError as exc:
            click.echo(str(exc))


def _strip_comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.startswith("# ")).strip()
