"""Options several commands share, written once so they read and behave the same."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import click

F = TypeVar("F", bound=Callable[..., object])


def grader_option(help: str = "Grader plugin to use.") -> Callable[[F], F]:
    """``--grader NAME`` (default ``local``, or ``LOOPREADY_GRADER``), passed as ``grader_name``."""
    return click.option(
        "--grader",
        "grader_name",
        default="local",
        show_default=True,
        envvar="LOOPREADY_GRADER",
        help=help,
    )
