"""Invitation links to a live mock: signed, single-use and expiring.

The link carries the mock's id and a random nonce, signed with the install's secret
(``itsdangerous``, timestamped). Joining checks the signature and age, then, in one
transaction holding the mock's row, that the nonce is still the mock's: using it clears
it, so a second use finds nothing. Starting a new invitation replaces the nonce, which
also withdraws the old link.
"""

from __future__ import annotations

import secrets
from typing import Final

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from loopready.errors import InputError

#: How long an invitation link works.
MAX_AGE_S: Final = 24 * 3600
_SALT: Final = "loopready.team.invitation"


class InvitationRefused(InputError):
    """The link is forged, expired, used or withdrawn; the message says what to do."""


def new_nonce() -> str:
    return secrets.token_urlsafe(24)


def sign(secret: str, mock_id: str, nonce: str) -> str:
    """The token of an invitation to *mock_id* (goes in the link)."""
    return str(URLSafeTimedSerializer(secret, salt=_SALT).dumps({"m": mock_id, "n": nonce}))


def read(secret: str, token: str, max_age_s: int | None = None) -> tuple[str, str]:
    """``(mock_id, nonce)`` of a good, unexpired *token*, or :class:`InvitationRefused`."""
    serializer = URLSafeTimedSerializer(secret, salt=_SALT)
    try:
        value = serializer.loads(token, max_age=MAX_AGE_S if max_age_s is None else max_age_s)
    except SignatureExpired:
        raise InvitationRefused(
            "This invitation has expired. Ask the candidate for a new link."
        ) from None
    except BadSignature:
        raise InvitationRefused(
            "This invitation link is not valid (it may be cut short). Ask the candidate to "
            "send it again."
        ) from None
    if not isinstance(value, dict) or not all(isinstance(value.get(k), str) for k in "mn"):
        raise InvitationRefused("This invitation link is not valid. Ask for a new one.")
    return value["m"], value["n"]
