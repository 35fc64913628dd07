"""Shared helpers for the YAML files users write: packs, briefs and offers.

One place knows how to read a user's file with an error that says what to do, and
how to find the YAML line behind a field path, so every file type reports problems
the same way: ``FILE: path.to.field: message (line N)``.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from loopready.errors import InputError

Loc = tuple[str | int, ...]


def read_user_file(path: Path, kind: str) -> str:
    """The text of a user's file; :class:`InputError` naming the file and the fix.

    ``kind`` says what was expected in the folder case, e.g. "an offer file (.yaml)".
    """
    name = str(path)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{name}: file not found; check the path") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a folder; give {kind}") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not UTF-8 text (byte {exc.start}); save it as UTF-8") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read: {exc.strerror}") from None


def line_of(root: yaml.Node | None, loc: Loc) -> int | None:
    """The 1-based YAML line of the node at ``loc``, or of its nearest existing parent.

    A key's own line is returned (that is where a reader looks); a missing key points
    at its parent.
    """
    if root is None:
        return None
    node: yaml.Node = root
    line = node.start_mark.line + 1
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == part:
                    line = key.start_mark.line + 1
                    node = value
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                return line
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line
