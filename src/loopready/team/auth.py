"""Server-side sign-in sessions: a random token in the cookie, its SHA-256 in the database.

Stealing the database does not give anyone a working cookie; deleting a row signs that
browser out at once, on every app process; "sign out everywhere" deletes them all.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

from loopready.store import Database, utcnow
from loopready.store import team_repo as repo
from loopready.team.accounts import Person

if TYPE_CHECKING:
    from psycopg import AsyncConnection

#: The sign-in cookie: HttpOnly, SameSite=Lax, Secure unless served over plain loopback.
COOKIE: Final = "lr_session"
#: A session ends after this long without use, and in any case after :data:`MAX_AGE`.
IDLE: Final = timedelta(days=7)
MAX_AGE: Final = timedelta(days=30)
#: last_seen_at is written at most this often (each request would be a write otherwise).
_TOUCH_EVERY: Final = timedelta(minutes=5)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def sign_in(db: Database, who: Person) -> str:
    """A new session for *who*; returns the token to put in the cookie."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    with db.session() as session:
        repo.add_auth_session(session, digest(token), who.user_id, now, now + MAX_AGE)
    return token


def current(db: Database, token: str | None) -> Person | None:
    """The person signed in with *token*, or None (unknown, expired or idle too long)."""
    if not token or len(token) > 100:
        return None
    key = digest(token)
    now = utcnow()
    with db.read_session() as session:
        row = repo.auth_session_and_account(session, key)
    if row is None:
        return None
    found, account = row
    state = _state(found.expires_at, found.last_seen_at, now)
    if state == "ended":
        with db.session() as session:
            repo.drop_auth_sessions(session, found.user_id, key)
        return None
    if state == "touch":
        with db.session() as session:
            repo.touch_auth_session(session, key, now)
    return Person(account.user_id, account.email, account.role) if account else None


async def current_async(conn: AsyncConnection[Any], token: str | None) -> Person | None:
    """:func:`current` in the event loop, on *conn* (an autocommit connection of the live
    pool): for the pages many load at once. :class:`StorageError` if the connection fails."""
    if not token or len(token) > 100:
        return None
    key = digest(token)
    now = utcnow()
    found = await repo.sign_in_async(conn, key)
    if found is None:
        return None
    state = _state(found.expires_at, found.last_seen_at, now)
    if state == "ended":
        await repo.drop_sign_in_async(conn, found.user_id, key)
        return None
    if state == "touch":
        await repo.touch_sign_in_async(conn, key, now)
    return Person(*found.account) if found.account else None


def _state(expires_at: datetime, last_seen_at: datetime, now: datetime) -> str:
    """``ended`` (expired, or idle too long), ``touch`` (record the use) or ``ok``."""
    if expires_at <= now or last_seen_at + IDLE <= now:
        return "ended"
    return "touch" if now - last_seen_at >= _TOUCH_EVERY else "ok"


def sign_out(db: Database, token: str | None) -> None:
    """End the session of *token* (this browser only)."""
    if not token:
        return
    key = digest(token)
    with db.session() as session:
        row = repo.auth_session(session, key)
        if row is not None:
            repo.drop_auth_sessions(session, row.user_id, key)


def sign_out_everywhere(db: Database, user_id: str) -> int:
    """End every session of *user_id*, on every browser; how many were ended."""
    with db.session() as session:
        return repo.drop_auth_sessions(session, user_id)
