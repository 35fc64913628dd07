"""``loopready team``: accounts for the team mode (PostgreSQL)."""

from __future__ import annotations

import os
import sys

import click


@click.group("team")
def team() -> None:
    """Team mode on PostgreSQL: accounts for candidates, peers and coaches.

    Team mode (loopready serve --team) keeps everyone's practice in the PostgreSQL
    database named by LOOPREADY_DATABASE_URL; see docs/team.md.
    """


@team.command("add-user")
@click.argument("email")
@click.option(
    "--role",
    type=click.Choice(["candidate", "coach"]),
    default="candidate",
    show_default=True,
    help="A candidate practises; a coach reads the practice of candidates who invite them.",
)
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from standard input (scripts)."
)
def add_user(email: str, role: str, password_stdin: bool) -> None:
    """Create an account (the first one too): it signs in with EMAIL and a password.

    The password is asked twice, hidden, unless --password-stdin reads it.

    \b
    Example:
        loopready team add-user ana@example.org --role candidate
    """
    from loopready.store import open_db
    from loopready.team.accounts import create_account
    from loopready.team.mode import require_postgres

    url = require_postgres(os.environ.get("LOOPREADY_DATABASE_URL"))
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with open_db(url) as db:
        who = create_account(db, email, password, role)
    click.echo(f"Created the {who.role} account {who.email}.")
