"""Team accounts: creating them and signing in, with a limit on wrong passwords."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Final

from loopready.errors import InputError
from loopready.store import Database, utcnow
from loopready.store import team_repo as repo
from loopready.store.team_models import ROLES
from loopready.team.passwords import MIN_LENGTH, burn_time, hash_password, verify_password

#: Wrong passwords allowed on one account within :data:`LOCK_WINDOW` before sign-in pauses.
MAX_FAILURES: Final = 5
LOCK_WINDOW: Final = timedelta(minutes=15)
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,189}\.[^@\s]{1,60}$")


class SignInRefused(InputError):
    """Wrong e-mail or password, or too many attempts; the message says which to do."""


@dataclass(frozen=True)
class Person:
    """A signed-in account, as routes and services see it."""

    user_id: str
    email: str
    role: str


def normalize_email(email: str) -> str:
    """*email* trimmed and lower-cased, or :class:`InputError` if it is not one."""
    value = email.strip().lower()
    if not _EMAIL.match(value):
        raise InputError(f"{email.strip()!r} is not an e-mail address (name@example.org).")
    return value


def create_account(db: Database, email: str, password: str, role: str = "candidate") -> Person:
    """A new account; :class:`InputError` for a taken e-mail, short password or bad role."""
    address = normalize_email(email)
    if role not in ROLES:
        raise InputError(f"A role is one of {', '.join(ROLES)}, not {role!r}.")
    if len(password) < MIN_LENGTH:
        raise InputError(f"Choose a password of at least {MIN_LENGTH} characters.")
    hashed = hash_password(password)
    try:
        with db.session() as session:
            if repo.account_by_email(session, address) is not None:
                raise InputError(f"An account for {address} exists already: sign in instead.")
            account = repo.add_account(session, address, hashed, role)
            return Person(account.user_id, account.email, account.role)
    except repo.AccountTaken:
        raise InputError(f"An account for {address} exists already: sign in instead.") from None


def authenticate(db: Database, email: str, password: str) -> Person:
    """The account whose password this is, or :class:`SignInRefused`.

    After :data:`MAX_FAILURES` wrong passwords within :data:`LOCK_WINDOW` the account
    refuses every password, the right one too, until the window has passed.
    """
    wrong = SignInRefused("That e-mail and password do not match an account. Try again.")
    try:
        address = normalize_email(email)
    except InputError:
        burn_time(password)
        raise wrong from None
    with db.read_session() as session:
        account = repo.account_by_email(session, address)
        failures = (
            repo.failures_since(session, account.user_id, utcnow() - LOCK_WINDOW) if account else 0
        )
    if account is None:
        burn_time(password)
        raise wrong
    if failures >= MAX_FAILURES:
        minutes = int(LOCK_WINDOW.total_seconds() // 60)
        raise SignInRefused(
            f"Too many wrong passwords for {address}: sign-in is paused for {minutes} minutes. "
            "Wait, then try again."
        )
    if not verify_password(account.password_hash, password):
        with db.session() as session:
            repo.record_failure(session, account.user_id)
        raise wrong
    with db.session() as session:
        repo.clear_failures(session, account.user_id)
    return Person(account.user_id, account.email, account.role)


def person(db: Database, user_id: str) -> Person | None:
    """The account of *user_id*, if it has one."""
    with db.read_session() as session:
        account = repo.account_of_user(session, user_id)
    return Person(account.user_id, account.email, account.role) if account else None


def find(db: Database, email: str) -> Person | None:
    """The account with *email*, if any."""
    with db.read_session() as session:
        account = repo.account_by_email(session, normalize_email(email))
    return Person(account.user_id, account.email, account.role) if account else None
