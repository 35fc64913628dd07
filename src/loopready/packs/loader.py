"""Read a pack file into a validated :class:`Pack`, or explain every problem.

Problems are reported one per line as ``FILE: path.to.field: message (line N)``,
where the line is the YAML line of the offending key or value when it can be known.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from loopready.errors import PackError
from loopready.packs.checks import check_pack
from loopready.packs.schema import Pack
from loopready.yamlfiles import YamlLimitError, allowed_keys, line_of, load_bounded, malformed

Loc = tuple[str | int, ...]


def load_pack_file(path: Path) -> Pack:
    """Parse and validate one pack file; raise :class:`PackError` listing every problem."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PackError([f"{name}: file not found"]) from None
    except UnicodeDecodeError as exc:
        raise PackError([f"{name}: not UTF-8 text (byte {exc.start}); save it as UTF-8"]) from None
    except OSError as exc:
        raise PackError([f"{name}: cannot read: {exc.strerror}"]) from None
    return parse_pack(text, name)


def parse_pack(text: str, name: str = "<pack>") -> Pack:
    """Validate pack YAML given as text; ``name`` prefixes every problem."""
    try:
        data, root = load_bounded(text, name)
    except yaml.YAMLError as exc:
        raise PackError([malformed(exc, name, hint=False)]) from None
    except YamlLimitError as exc:
        raise PackError([str(exc)]) from None
    if not isinstance(data, dict):
        raise PackError([f"{name}: a pack must be a YAML mapping (key: value pairs) at the top"])
    try:
        pack = Pack.model_validate(data)
    except ValidationError as exc:
        raise PackError(
            [_format(name, tuple(err["loc"]), _message(err), root) for err in exc.errors()]
        ) from None
    problems = check_pack(pack)
    if problems:
        raise PackError([_format(name, loc, msg, root) for loc, msg in problems])
    return pack


def _format(name: str, loc: Loc, message: str, root: yaml.Node | None) -> str:
    path = ".".join(str(p) for p in loc) or "(top)"
    line = line_of(root, loc)
    suffix = f" (line {line})" if line else ""
    return f"{name}: {path}: {message}{suffix}"


def _message(err: Any) -> str:
    kind = err["type"]
    loc = tuple(err["loc"])
    if kind == "extra_forbidden":
        allowed = allowed_keys(Pack, loc[:-1])
        hint = f"; allowed keys: {', '.join(allowed)}" if allowed else ""
        return f"unknown key{hint}"
    if kind == "missing":
        return "required field is missing"
    msg: str = err["msg"]
    return msg[0].lower() + msg[1:] if msg else kind
