"""Domain errors. Each message says what went wrong and how to fix it.

The CLI turns any :class:`LoopreadyError` into one ``Error: ...`` line and exit
code 2 (1 for :class:`NotFound` is not used: every user error is 2), never a
traceback; the web app turns them into a friendly page.
"""

from __future__ import annotations


class LoopreadyError(Exception):
    """Base for errors a user can act on."""

    exit_code = 2


class InputError(LoopreadyError):
    """Bad input from the user: a file, an option, an answer."""


class Conflict(InputError):
    """What was sent is based on a state changed since (another tab or window): the web
    answers 409, and the message says to reload."""


class NotFound(LoopreadyError):
    """Something asked for by id does not exist."""


class PackError(LoopreadyError):
    """A content pack failed validation; ``problems`` holds one line per bad field."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class StorageError(LoopreadyError):
    """The database could not be opened or migrated."""


class MissingExtra(LoopreadyError):
    """An optional dependency is not installed."""

    def __init__(self, package: str, extra: str, feature: str):
        super().__init__(
            f"{feature} needs the '{package}' package: pip install 'loopready[{extra}]'"
        )
