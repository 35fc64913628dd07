"""Password hashes: Argon2id through ``argon2-cffi``, with its recommended parameters."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from loopready.errors import MissingExtra

if TYPE_CHECKING:
    from argon2 import PasswordHasher

#: The shortest password an account may have.
MIN_LENGTH = 10


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    try:
        from argon2 import PasswordHasher
    except ImportError as error:
        raise MissingExtra("argon2-cffi", "team", "Team accounts") from error
    return PasswordHasher()


def hash_password(password: str) -> str:
    """An Argon2id hash of *password* (salted; parameters are stored in the hash)."""
    return _hasher().hash(password)


def verify_password(stored: str, password: str) -> bool:
    """Whether *password* matches the *stored* hash."""
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return bool(_hasher().verify(stored, password))
    except (VerificationError, InvalidHashError):
        return False


#: A hash to check against when the e-mail is unknown, so both answers take as long.
_DUMMY: list[str] = []


def burn_time(password: str) -> None:
    """Spend the time of one verification (for an unknown account)."""
    if not _DUMMY:
        _DUMMY.append(hash_password("not-a-real-password"))
    verify_password(_DUMMY[0], password)
