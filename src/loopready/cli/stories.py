"""``loopready stories``: the story bank, its tellings, freshness and number drift."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from loopready.errors import InputError

if TYPE_CHECKING:
    from loopready.language.claims import Inconsistency
    from loopready.packs.schema import Pack
    from loopready.prep.freshness import LoopContext
    from loopready.prep.stories import StoryFields, StoryRecord
    from loopready.store import Database

F = TypeVar("F", bound=Callable[..., Any])


def _pack_option(func: F) -> F:
    option = click.option(
        "--pack", "pack_id", metavar="ID", help="Pack id [default: the one you are preparing with]."
    )
    return option(func)


def _field_options(func: Callable[..., None]) -> Callable[..., None]:
    """The options that set a story's fields, shared by ``add`` and ``edit``: the command
    gets them read into one ``fields`` argument (:func:`_fields`), with the ``file`` they
    may come from."""

    @functools.wraps(func)
    def command(**kwargs: Any) -> None:
        given = {name: kwargs.pop(name) for name in _FIELD_PARAMS}
        func(fields=_fields(**given), file=given["file"], **kwargs)

    options = [
        click.option("--title", help="A short name you will recognise, e.g. 'Churn at Aurora'."),
        click.option("--situation", help="Where and when: the context, with its numbers."),
        click.option("--task", help="What you had to do, and why it was yours."),
        click.option("--action", help="What you did (say 'I', not 'we')."),
        click.option("--result", help="What changed, with the numbers."),
        click.option(
            "--tag",
            "tags",
            multiple=True,
            metavar="TAG",
            help="A competency it shows, e.g. success_metrics (repeatable or comma-separated).",
        ),
        click.option(
            "--round",
            "rounds",
            multiple=True,
            metavar="ROUND",
            help="A round it suits, e.g. product_sense (repeatable or comma-separated).",
        ),
        click.option(
            "--file",
            "file",
            type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
            help="Read the story from a text file with Title:, Situation:, Task:, Action:, "
            "Result:, Competencies: and Rounds: sections (- for standard input).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


_FIELD_PARAMS = ("title", "situation", "task", "action", "result", "tags", "rounds", "file")


def _read_text(path: Path, what: str) -> str:
    from loopready.grading.service import read_answer_bytes

    if str(path) == "-":
        # sys.stdin.buffer, not click.get_binary_stream: click 8.5's stubs break mypy there.
        return read_answer_bytes(sys.stdin.buffer.read(), "standard input")
    try:
        return read_answer_bytes(path.read_bytes(), str(path))
    except FileNotFoundError:
        raise InputError(f"{path}: file not found; check the name of the {what}.") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder; give the {what} as a text file.") from None


def _fields(
    title: str | None,
    situation: str | None,
    task: str | None,
    action: str | None,
    result: str | None,
    tags: tuple[str, ...],
    rounds: tuple[str, ...],
    file: Path | None,
) -> StoryFields:
    from loopready.prep.stories import StoryFields, parse_story_text

    fields = parse_story_text(_read_text(file, "story"), str(file)) if file else StoryFields()
    for name, value in (
        ("title", title),
        ("situation", situation),
        ("task", task),
        ("action", action),
        ("result", result),
    ):
        if value is not None:
            setattr(fields, name, value)
    if tags:
        fields.competencies = list(tags)
    if rounds:
        fields.rounds = list(rounds)
    return fields


def _context(db: Database, pack_id: str | None) -> tuple[Pack, LoopContext]:
    from loopready.prep.context import resolve_pack
    from loopready.prep.freshness import loop_context

    pack = resolve_pack(db, pack_id)
    return pack, loop_context(db, pack)


def _fresh_text(value: float) -> str:
    from loopready.prep.freshness import freshness_label

    label = freshness_label(value)
    colour = {"fresh": "green", "used": "yellow", "stale": "red"}[label]
    return f"[{colour}]{label} {value:.2f}[/{colour}]"


def _print_drift(console: Console, story: StoryRecord, found: list[Inconsistency]) -> None:
    from loopready.prep.drift import describe_drift

    for item in found:
        where = f" ({item.entity})" if item.entity else ""
        console.print(f"[red]Numbers drift[/red] on {item.subject}{where}:", highlight=False)
        for line in describe_drift(story, item):
            console.print(f"  {escape(line)}", highlight=False)


@click.group()
def stories() -> None:
    """Your story bank: situation, task, action, result, with the numbers.

    Tag each story with the competencies it shows and the rounds it suits,
    record each time you tell it, and loopready tracks how fresh it still is in
    this loop and whether its numbers stay the same from telling to telling.

    \b
        loopready stories add --file churn.txt
        loopready stories tell churn product_sense --text-file what-i-said.txt
        loopready stories suggest technical_depth
    """


@stories.command("add")
@_field_options
@_pack_option
@click.option("--json", "as_json", is_flag=True, help="Print the new story as JSON.")
def add(fields: StoryFields, file: Path | None, pack_id: str | None, as_json: bool) -> None:
    """Add a story to the bank.

    Give the parts as options, as a text file with --file, or, with neither,
    answer the questions asked. Put the numbers in: they are what interviewers
    remember and what is checked from telling to telling.

    \b
        loopready stories add --title "Churn at Aurora" \\
            --situation "Aurora, a 2 million user subscription app, was losing users" \\
            --result "Churn fell 12% in a quarter" --tag success_metrics --round product_sense
        loopready stories add --file churn.txt
    """
    from loopready.prep.context import resolve_pack
    from loopready.prep.drift import story_claims
    from loopready.prep.stories import create_story
    from loopready.store import open_db

    with open_db() as db:
        pack = resolve_pack(db, pack_id)
        if fields.title is None and file is None:
            _ask(fields, pack)
        story = create_story(
            db,
            title=fields.title or "",
            situation=fields.situation or "",
            task=fields.task or "",
            action=fields.action or "",
            result=fields.result or "",
            competencies=fields.competencies or [],
            rounds=fields.rounds or [],
            pack=pack,
        )
    if as_json:
        click.echo(json.dumps(story.to_dict(), indent=2, ensure_ascii=False))
        return
    click.echo(f"Added story {story.id[:8]}: {story.title}")
    if not story_claims(story):
        click.echo(
            "No numbers found in it. Add what changed and by how much (e.g. 'churn fell "
            f"12%'): loopready stories edit {story.id[:8]} --result '...'"
        )
    if not story.competencies and not story.rounds:
        click.echo(
            f"Tag it so it is suggested for the right rounds: loopready stories edit "
            f"{story.id[:8]} --tag success_metrics --round product_sense"
        )


def _ask(fields: StoryFields, pack: Pack) -> None:
    """Ask for each part of the story in turn (when no option or file gave it)."""
    click.echo("A new story. Press Enter to leave a part empty for now.")
    fields.title = click.prompt("Title")
    for name, hint in (
        ("situation", "Situation (where, when, how big)"),
        ("task", "Task (what you had to do)"),
        ("action", "Action (what you did)"),
        ("result", "Result (what changed, with numbers)"),
    ):
        if getattr(fields, name) is None:
            setattr(fields, name, click.prompt(hint, default="", show_default=False))
    if fields.competencies is None:
        fields.competencies = [
            click.prompt(
                "Competencies, comma-separated (`loopready stories tags` lists them)",
                default="",
                show_default=False,
            )
        ]
    if fields.rounds is None:
        rounds = ", ".join(r.id for r in pack.all_rounds())
        fields.rounds = [click.prompt(f"Rounds ({rounds})", default="", show_default=False)]


@stories.command("list")
@click.option("--round", "round_id", metavar="ROUND", help="Only stories tagged for ROUND.")
@click.option("--tag", "tag", metavar="TAG", help="Only stories with this competency.")
@_pack_option
@click.option("--json", "as_json", is_flag=True, help="Print the stories as JSON.")
def list_cmd(round_id: str | None, tag: str | None, pack_id: str | None, as_json: bool) -> None:
    """List your stories with their tags, where you told them and how fresh they are.

    \b
        loopready stories list
        loopready stories list --round product_sense --json
    """
    from loopready.prep.freshness import freshness, freshness_label, rounds_told_in
    from loopready.prep.stories import check_round, list_stories
    from loopready.store import open_db

    with open_db() as db:
        pack, loop = _context(db, pack_id)
        if round_id is not None:
            round_id = check_round(round_id, pack)
        found = list_stories(db, competency=tag, round_id=round_id)
    if as_json:
        rows = []
        for story in found:
            fresh = freshness(story, loop)
            rows.append(
                {
                    **story.to_dict(),
                    "told_this_loop": rounds_told_in(story, loop),
                    "freshness": round(fresh, 3),
                    "freshness_label": freshness_label(fresh),
                }
            )
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    console = Console()
    if not found:
        console.print(
            "No stories yet. Add one: loopready stories add --file story.txt"
            if round_id is None and tag is None
            else "No story has that tag."
        )
        return
    table = Table("id", "title", "tags", "told this loop", "freshness")
    for story in found:
        table.add_row(
            story.id[:8],
            escape(story.title),
            ", ".join(story.tags),
            ", ".join(rounds_told_in(story, loop)) or "-",
            _fresh_text(freshness(story, loop)),
        )
    console.print(table)
    console.print(
        f"[dim]A story is stale once told in {loop.stale_at} of the loop's "
        f"{len(loop.round_ids)} rounds.[/dim]"
    )


@stories.command("show")
@click.argument("story_ref", metavar="STORY")
@_pack_option
@click.option("--json", "as_json", is_flag=True, help="Print the story as JSON.")
def show(story_ref: str, pack_id: str | None, as_json: bool) -> None:
    """Show a story: its parts, numbers, tellings, freshness and any number drift.

    STORY is its id (the first characters are enough) or its title.

    \b
        loopready stories show 3f2a9c
    """
    from loopready.prep.drift import drift_to_dict, story_claims, story_drift
    from loopready.prep.freshness import freshness, freshness_label
    from loopready.prep.stories import STAR_FIELDS, get_story
    from loopready.store import open_db

    with open_db() as db:
        _pack, loop = _context(db, pack_id)
        story = get_story(db, story_ref)
    fresh = freshness(story, loop)
    drift = story_drift(story)
    if as_json:
        payload = {
            **story.to_dict(),
            "freshness": round(fresh, 3),
            "freshness_label": freshness_label(fresh),
            "numbers": [c.describe() for c in story_claims(story)],
            "drift": [drift_to_dict(story, item) for item in drift],
        }
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    console = Console()
    console.print(f"[bold]{escape(story.title)}[/bold]  ({story.id})", highlight=False)
    for name in STAR_FIELDS:
        text = getattr(story, name)
        console.print(f"[dim]{name.title()}:[/dim] {escape(text) or '[yellow]empty[/yellow]'}")
    console.print(f"[dim]Competencies:[/dim] {', '.join(story.competencies) or '-'}")
    console.print(f"[dim]Rounds:[/dim] {', '.join(story.rounds) or '-'}")
    numbers = [c.describe() for c in story_claims(story)]
    console.print(f"[dim]Numbers:[/dim] {'; '.join(numbers) or '[yellow]none found[/yellow]'}")
    console.print(f"[dim]Freshness this loop:[/dim] {_fresh_text(fresh)}")
    if story.tellings:
        table = Table("telling", "round", "on", "words")
        for telling in story.tellings:
            words = len(telling.text.split())
            table.add_row(
                telling.id[:8], telling.round_id, telling.told_on.isoformat(), str(words or "-")
            )
        console.print(table)
    else:
        console.print("Not told yet.")
    if drift:
        _print_drift(console, story, drift)
    elif any(t.text.strip() for t in story.tellings):
        console.print("[green]The numbers match across its tellings.[/green]")


@stories.command("edit")
@click.argument("story_ref", metavar="STORY")
@_field_options
@_pack_option
def edit(story_ref: str, fields: StoryFields, file: Path | None, pack_id: str | None) -> None:
    """Change parts of a story; what you do not give stays as it is.

    --tag and --round replace the story's competencies or rounds (--tag "" clears
    them). With --file, the sections in the file replace those parts.

    \b
        loopready stories edit 3f2a9c --result "Churn fell 12% in one quarter"
        loopready stories edit 3f2a9c --tag success_metrics,rollout_plan
    """
    from loopready.prep.context import resolve_pack
    from loopready.prep.stories import update_story
    from loopready.store import open_db

    if all(getattr(fields, name) is None for name in vars(fields)):
        raise InputError(
            "Nothing to change: give --title, --situation, --task, --action, --result, "
            "--tag, --round or --file."
        )
    with open_db() as db:
        story = update_story(db, story_ref, fields, pack=resolve_pack(db, pack_id))
    click.echo(f"Updated story {story.id[:8]}: {story.title}")


@stories.command("delete")
@click.argument("story_ref", metavar="STORY")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def delete(story_ref: str, yes: bool) -> None:
    """Delete a story with its tellings and its drill card.

    \b
        loopready stories delete 3f2a9c --yes
    """
    from loopready.prep.stories import delete_story, get_story
    from loopready.store import open_db

    with open_db() as db:
        story = get_story(db, story_ref)
        if not yes:
            told = len(story.tellings)
            click.confirm(
                f"Delete {story.title!r} and its {told} telling{'' if told == 1 else 's'}?",
                abort=True,
            )
        delete_story(db, story.id)
    click.echo(f"Deleted story {story.id[:8]}: {story.title}")


@stories.command("tell")
@click.argument("story_ref", metavar="STORY")
@click.argument("round_id", metavar="ROUND")
@click.option("--text", help="What you said, to check its numbers against the story.")
@click.option(
    "--text-file",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help="What you said, from a text file (- for standard input).",
)
@click.option("--on", "on_text", metavar="DATE", help="When you told it [default: today].")
@click.option(
    "--loop", "loop_ref", metavar="LOOP", help="The loop it was part of [default: yours]."
)
@_pack_option
def tell(
    story_ref: str,
    round_id: str,
    text: str | None,
    text_file: Path | None,
    on_text: str | None,
    loop_ref: str | None,
    pack_id: str | None,
) -> None:
    """Record that you told STORY in ROUND, optionally with what you said.

    With the words (--text or --text-file), their numbers are checked against the
    story and its other tellings, and any that changed are shown with the sentences.

    \b
        loopready stories tell 3f2a9c product_sense
        loopready stories tell 3f2a9c technical_depth --text-file answer.txt --on yesterday
    """
    from loopready.planning.inputs import parse_date
    from loopready.prep.drift import story_drift
    from loopready.prep.freshness import freshness
    from loopready.prep.stories import tell_story
    from loopready.store import open_db

    if text is not None and text_file is not None:
        raise InputError("Give the words with --text or --text-file, not both.")
    words = _read_text(text_file, "telling") if text_file is not None else (text or "")
    told_on = parse_date(on_text, "--on", today=date.today()) if on_text else None
    with open_db() as db:
        pack, loop = _context(db, pack_id)
        loop_id = _loop_id(db, loop_ref) if loop_ref else loop.loop_id
        story, telling = tell_story(
            db, story_ref, round_id, text=words, told_on=told_on, loop_id=loop_id, pack=pack
        )
    console = Console()
    console.print(
        f"Recorded: {escape(story.title)} told in {telling.round_id} on "
        f"{telling.told_on.isoformat()} (telling {telling.id[:8]}).",
        highlight=False,
    )
    fresh = freshness(story, loop)
    console.print(f"Freshness this loop: {_fresh_text(fresh)}")
    if fresh == 0:
        console.print(
            f"It has been told in {loop.stale_at} or more rounds of this loop: pick another "
            "for the next one (loopready stories suggest ROUND)."
        )
    if words.strip():
        drift = [
            item for item in story_drift(story) if any(c.source == telling.id for c in item.claims)
        ]
        if drift:
            _print_drift(console, story, drift)
        else:
            console.print("[green]Its numbers match the story.[/green]")


def _loop_id(db: Database, ref: str) -> str:
    from loopready.interview.loops import loop_id_of

    return loop_id_of(db, ref)


@stories.command("untell")
@click.argument("story_ref", metavar="STORY")
@click.argument("telling_ref", metavar="TELLING")
def untell(story_ref: str, telling_ref: str) -> None:
    """Remove a telling recorded by mistake (`stories show` lists them).

    \b
        loopready stories untell 3f2a9c 91be0d22
    """
    from loopready.prep.stories import remove_telling
    from loopready.store import open_db

    with open_db() as db:
        story, gone = remove_telling(db, story_ref, telling_ref)
    click.echo(f"Removed the telling of {story.title} in {gone.label()}.")


@stories.command("check")
@click.argument("story_ref", metavar="STORY", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
def check(story_ref: str | None, as_json: bool) -> None:
    """Check that each story's numbers stay the same in every telling.

    Checks STORY, or every story. Exits with status 1 when a number drifted, so
    scripts can stop on it.

    \b
        loopready stories check
        loopready stories check 3f2a9c --json
    """
    from loopready.prep.drift import drift_to_dict, story_drift
    from loopready.prep.stories import get_story, list_stories
    from loopready.store import open_db

    with open_db() as db:
        found = [get_story(db, story_ref)] if story_ref else list_stories(db)
    results = [(story, story_drift(story)) for story in found]
    drifted = [(story, drift) for story, drift in results if drift]
    if as_json:
        payload = [
            {
                "id": story.id,
                "title": story.title,
                "tellings_with_text": sum(1 for t in story.tellings if t.text.strip()),
                "drift": [drift_to_dict(story, item) for item in drift],
            }
            for story, drift in results
        ]
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        console = Console()
        if not found:
            console.print("No stories yet.")
        for story, drift in drifted:
            console.print(f"[bold]{escape(story.title)}[/bold] ({story.id[:8]})", highlight=False)
            _print_drift(console, story, drift)
        checked = sum(1 for story in found if any(t.text.strip() for t in story.tellings))
        if found and not drifted:
            console.print(
                f"[green]No drift.[/green] {checked} of {len(found)} stories have tellings "
                "with words to compare; record them with `stories tell ... --text-file`."
            )
    if drifted:
        sys.exit(1)


@stories.command("suggest")
@click.argument("round_id", metavar="ROUND")
@click.option("--limit", default=3, show_default=True, type=click.IntRange(min=1))
@_pack_option
@click.option("--json", "as_json", is_flag=True, help="Print the suggestions as JSON.")
def suggest(round_id: str, limit: int, pack_id: str | None, as_json: bool) -> None:
    """Suggest the stories to tell in ROUND: tagged for it, and fresh in this loop.

    \b
        loopready stories suggest technical_depth
    """
    from loopready.prep.freshness import freshness_label, suggest_stories
    from loopready.prep.stories import check_round, list_stories
    from loopready.store import open_db

    with open_db() as db:
        pack, loop = _context(db, pack_id)
        round_id = check_round(round_id, pack)
        picks = suggest_stories(list_stories(db), pack, round_id, loop, limit=limit)
    if as_json:
        rows = [
            {
                "id": pick.story.id,
                "title": pick.story.title,
                "freshness": round(pick.freshness, 3),
                "freshness_label": freshness_label(pick.freshness),
                "matched": list(pick.matched),
                "told_here": pick.told_here,
            }
            for pick in picks
        ]
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    console = Console()
    if not picks:
        console.print("No stories yet. Add one: loopready stories add --file story.txt")
        return
    rnd = pack.round(round_id)
    console.print(f"[bold]Stories for {rnd.name}[/bold]")
    for n, pick in enumerate(picks, start=1):
        console.print(
            f"{n}. {escape(pick.story.title)} ({pick.story.id[:8]}): {pick.reason()}",
            highlight=False,
        )
    if not any(pick.fits for pick in picks):
        console.print(
            f"None is tagged for this round: tag one with --round {round_id} or a competency "
            "the round scores (`loopready stories tags`)."
        )


@stories.command("tags")
@_pack_option
def tags_cmd(pack_id: str | None) -> None:
    """List the competencies the pack's rounds score, to use as story tags.

    \b
        loopready stories tags
    """
    from loopready.prep.context import resolve_pack
    from loopready.prep.stories import competencies_of
    from loopready.store import open_db

    with open_db() as db:
        pack = resolve_pack(db, pack_id)
    table = Table("tag", "competency", "rounds")
    for tag, name, rounds in competencies_of(pack):
        table.add_row(tag, name, ", ".join(rounds))
    Console().print(table)
