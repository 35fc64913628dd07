"""``loopready packs``: list, show, validate, scaffold packs and export their schema."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from loopready.errors import InputError, PackError
from loopready.packs import discover, get_pack, load_pack_file
from loopready.packs.scaffold import new_pack
from loopready.packs.schema import Pack

pack_path_option = click.option(
    "--pack-path",
    "pack_paths",
    multiple=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Another folder of user packs (repeatable).",
)


@click.group()
def packs() -> None:
    """Content packs: a company's interview loop as data.

    Built-in packs ship with loopready; your own live in the data folder's
    `packs/` (see `loopready info`).

    \b
        loopready packs list
    """


@packs.command("list")
@pack_path_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_cmd(pack_paths: tuple[Path, ...], as_json: bool) -> None:
    """List the built-in and user packs, and any that fail validation.

    \b
        loopready packs list --json
    """
    entries = discover(pack_paths)
    if as_json:
        rows = [
            {
                "id": e.id,
                "origin": e.origin,
                "path": str(e.path),
                "name": e.pack.name if e.pack else None,
                "rounds": [r.id for r in e.pack.rounds] if e.pack else [],
                "problems": list(e.problems),
            }
            for e in entries
        ]
        click.echo(json.dumps(rows, indent=2))
        return
    table = Table("id", "name", "origin", "rounds", "status")
    for e in entries:
        if e.pack:
            table.add_row(e.pack.id, e.pack.name, e.origin, str(len(e.pack.rounds)), "ok")
        else:
            table.add_row(e.id, "", e.origin, "", f"[red]{len(e.problems)} problem(s)[/red]")
    Console().print(table)
    for e in entries:
        for problem in e.problems:
            click.echo(problem, err=True)


@packs.command("show")
@click.argument("pack_id")
@pack_path_option
@click.option("--json", "as_json", is_flag=True, help="Print the whole pack as JSON.")
def show(pack_id: str, pack_paths: tuple[Path, ...], as_json: bool) -> None:
    """Show a pack: its rounds, criteria and sources.

    \b
        loopready packs show sony-ai-pm-2026 --json
    """
    pack = get_pack(pack_id, pack_paths)
    if as_json:
        click.echo(pack.model_dump_json(indent=2))
        return
    console = Console()
    console.print(f"[bold]{pack.name}[/bold] ({pack.id}): {pack.company}, {pack.role}")
    if pack.description:
        console.print(pack.description)
    table = Table("day", "id", "round", "kind", "min", "prompts", "criteria")
    table.columns[1].no_wrap = True
    for r in pack.rounds:
        table.add_row(
            str(r.day),
            r.id,
            r.name,
            r.kind,
            str(r.minutes),
            str(len(r.prompts)),
            str(len(r.rubric.criteria)),
        )
    console.print(table)
    console.print(
        f"{pack.process.total_days} days in all; "
        f"{len(pack.blind_spots)} blind spots; {len(pack.personas)} stakeholder personas."
    )
    for source in pack.sources:
        console.print(f"Source: {source.title}" + (f" ({source.url})" if source.url else ""))


@packs.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def validate(paths: tuple[Path, ...]) -> None:
    """Check pack files and list every problem as FILE: field: message.

    Exits 0 when every file is valid, 2 otherwise.

    \b
        loopready packs validate my-company-pm.yaml
    """
    problems: list[str] = []
    for path in paths:
        try:
            pack = load_pack_file(path)
        except PackError as exc:
            problems += exc.problems
        else:
            click.echo(f"{path}: ok ({pack.id}, {len(pack.rounds)} rounds)")
    if problems:
        raise PackError(problems)


@packs.command("schema")
def schema() -> None:
    """Print the JSON Schema of a pack (for editors and other tools).

    \b
        loopready packs schema > pack.schema.json
    """
    click.echo(json.dumps(Pack.model_json_schema(), indent=2))


@packs.command("new")
@click.argument("name", required=False)
@click.option(
    "--dir",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write it (default: the data folder's packs/).",
)
@click.option("--company", help="The company's name (default: a placeholder to edit).")
@click.option(
    "--from-posting",
    "posting_file",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help="Draft the pack from a job posting (a text file; - reads standard input).",
)
@click.option("--print", "to_stdout", is_flag=True, help="With --from-posting: print, do not save.")
@click.option(
    "--reword",
    is_flag=True,
    help="With --from-posting: ask the LOOPREADY_LLM_* endpoint for better wording (optional).",
)
def new(
    name: str | None,
    folder: Path | None,
    company: str | None,
    posting_file: Path | None,
    to_stdout: bool,
    reword: bool,
) -> None:
    """Start a pack for another company: from the template, or drafted from a job posting.

    With --from-posting, loopready reads the posting's company, role, responsibilities
    and requirements, and drafts the usual rounds for the role with practice questions
    about the products the posting names. The draft is marked `draft: true`: edit it,
    then check it with `loopready packs validate`.

    \b
        loopready packs new "Acme Robotics PM"
        loopready packs new --from-posting posting.txt
    """
    if posting_file is not None:
        _new_from_posting(posting_file, folder, to_stdout, reword)
        return
    if not name:
        raise InputError(
            'Give the pack a name, e.g. loopready packs new "Acme Robotics PM", '
            "or draft it from a job posting with --from-posting FILE."
        )
    path = new_pack(name, folder, company)
    click.echo(f"Wrote {path}")
    click.echo(f"Edit it, then check it with: loopready packs validate {path}")


def _new_from_posting(
    posting_file: Path, folder: Path | None, to_stdout: bool, reword: bool
) -> None:
    from loopready.packs.draft import draft_pack
    from loopready.packs.posting import read_posting
    from loopready.packs.scaffold import save_draft

    text = _read_text(posting_file)
    posting = read_posting(text)
    if not posting.responsibilities and not posting.product_areas:
        raise InputError(
            f"{posting_file}: no responsibilities and no product found in it. Paste the whole "
            'posting, with its headings (for example "What you\'ll do").'
        )
    draft = draft_pack(posting)
    err = Console(stderr=True)
    if reword:
        from loopready.grading.openai_compat import LLMOptions
        from loopready.prep.reword import reword_draft

        options = LLMOptions.from_env()
        err.print(f"Sending the drafted questions (not the posting) to {options.host} ...")
        done = reword_draft(draft, options)
        draft = done.draft
        for note in done.notes:
            err.print(f"[yellow]{note}[/yellow]")
        err.print(f"Reworded {done.replaced} questions; kept the drafted wording of {done.kept}.")
    if to_stdout:
        click.echo(draft.text, nl=False)
        return
    path = save_draft(draft.pack.id, draft.text, folder)
    err.print(f"Read: [bold]{posting.company or '?'}[/bold], {posting.role or '?'}")
    if posting.product_areas:
        err.print("Products it names: " + ", ".join(posting.product_areas))
    for missing in posting.missing:
        err.print(f"[yellow]Not found:[/yellow] {missing}")
    rounds = ", ".join(f"{r.name} ({len(r.prompts)})" for r in draft.pack.rounds)
    err.print(f"Drafted {len(draft.questions)} questions: {rounds}")
    click.echo(f"Wrote {path}")
    click.echo(f"It is a draft: edit it, then check it with: loopready packs validate {path}")


def _read_text(path: Path) -> str:
    if str(path) == "-":
        return sys.stdin.read()
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: file not found. Save the posting as a text file.") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text. Save the posting as UTF-8 text.") from None
