"""``loopready export``, ``import`` and ``info``: your data as a file, and where it lives."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from loopready import settings

if TYPE_CHECKING:
    from loopready.store import Database


def _rows_text(counts: dict[str, int]) -> str:
    shown = [f"{table} {n}" for table, n in counts.items() if n]
    return f" ({', '.join(shown)})" if shown else ""


def _is_dash(path: Path) -> bool:
    return str(path) == "-"


_ACCOUNT_HELP = (
    "Team mode: the data of the account with this e-mail (live mocks, scorecards and "
    "comments included) instead of the local user's."
)


@contextmanager
def _open(account: str | None) -> Iterator[Database]:
    """The database, seen as the team *account*'s data when one is named."""
    from loopready.store import open_db
    from loopready.team.practice import account_db

    with open_db() as db:
        yield db if account is None else account_db(db, account)


@click.command("export")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite FILE if it already exists.")
@click.option(
    "--scorecards",
    is_flag=True,
    help="Team mode: write the interviewers' scorecards to FILE as JSONL, in the grader's "
    "batch format with the human scores as labels.",
)
@click.option("--account", metavar="EMAIL", help=_ACCOUNT_HELP)
def export_cmd(
    file: Path, force: bool, scorecards: bool = False, account: str | None = None
) -> None:
    """Write all your data to FILE as one JSON document: a backup you can import.

    FILE holds your loops, practice sessions and answers, grades, debriefs, stories,
    plans, drill cards, notes and settings. Use - to write to standard output.

    Example:

        loopready export loopready-backup.json
    """
    from loopready.errors import InputError
    from loopready.store import open_db, refuse_live_database, write_export

    target = None if _is_dash(file) else file
    if scorecards:
        _export_scorecards(target, force)
        return
    if target is not None:
        with open_db() as db:
            refuse_live_database(db, target)  # even with --force
    if target is not None and target.exists() and not force:
        raise InputError(
            f"{file} already exists. Pass --force to overwrite it, or choose another file name."
        )
    with _open(account) as db:
        document = write_export(db, target)
    counts = {table: len(rows) for table, rows in document["tables"].items()}
    where = "standard output" if target is None else str(file)
    click.echo(
        f"Exported {sum(counts.values())} rows to {where}{_rows_text(counts)}.",
        err=target is None,
    )


def _export_scorecards(target: Path | None, force: bool) -> None:
    import sys

    from loopready.errors import InputError
    from loopready.store import open_db
    from loopready.team.labels import write_scorecards

    if target is not None and target.exists() and not force:
        raise InputError(
            f"{target} already exists. Pass --force to overwrite it, or choose another file name."
        )
    with open_db() as db:
        if target is None:
            count = write_scorecards(db, sys.stdout)
        else:
            with target.open("w", encoding="utf-8") as sink:
                count = write_scorecards(db, sink)
    where = "standard output" if target is None else str(target)
    click.echo(f"Exported {count} scorecards to {where}.", err=target is None)


@click.command("import")
@click.argument(
    "file", type=click.Path(exists=True, dir_okay=False, allow_dash=True, path_type=Path)
)
@click.option(
    "--replace",
    is_flag=True,
    help="Delete all your current data first, so that afterwards you have exactly what FILE holds.",
)
@click.option("--account", metavar="EMAIL", help=_ACCOUNT_HELP)
def import_cmd(file: Path, replace: bool, account: str | None = None) -> None:
    """Restore your data from FILE, written by `loopready export`.

    Rows already here (same id) take the file's version, rows only in the file are added,
    and everything else is kept: importing the same file twice changes nothing. With
    --replace your current data is deleted first. A bad file changes nothing at all.
    Use - to read standard input.

    Example:

        loopready import loopready-backup.json
    """
    from loopready.store import import_data, read_document

    source = None if _is_dash(file) else file
    name = "standard input" if source is None else str(file)
    document = read_document(source)
    with _open(account) as db:
        summary = import_data(db, document, name=name, replace=replace)
    added, updated = summary.total_added, summary.total_updated
    if replace:
        click.echo(f"Imported {name}: replaced {summary.deleted} rows with {added}.")
    else:
        click.echo(f"Imported {name}: {added} rows added, {updated} updated.")
    if summary.packs_installed:
        click.echo(f"Installed packs: {', '.join(summary.packs_installed)}.")


@click.command("info")
@click.option("--json", "as_json", is_flag=True, help="Print the details as JSON.")
def info(as_json: bool) -> None:
    """Show where your data lives, the database and its schema, and how much is stored.

    The password in a PostgreSQL URL is shown as ***.

    Example:

        loopready info
    """
    from loopready.store import head_revision, open_db, user_row_counts

    with open_db() as db:
        revision = db.revision()
        counts = user_row_counts(db)
        details = {
            "data_folder": str(settings.data_dir()),
            "database": db.url,
            "schema_revision": revision,
            "newest_revision": head_revision(),
            "user": db.user_name,
            "rows": counts,
        }
    if as_json:
        click.echo(json.dumps(details, indent=2))
        return
    state = "newest" if revision == details["newest_revision"] else "out of date"
    width = max(len(table) for table in counts)
    click.echo(f"Data folder:      {details['data_folder']}")
    click.echo(f"Database:         {details['database']}")
    click.echo(f"Schema revision:  {revision} ({state})")
    click.echo(f"User:             {db.user_name}")
    click.echo("Rows:")
    for table, n in counts.items():
        click.echo(f"  {table:<{width}}  {n:>6}")
