"""Read a pack file into a validated :class:`Pack`, or explain every problem.

Problems are reported one per line as ``FILE: path.to.field: message (line N)``,
where the line is the YAML line of the offending key or value when it can be known.
"""

from __future__ import annotations

import types
import typing
from pathlib import Path
from typing import Any, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

from loopready.errors import PackError
from loopready.packs.checks import check_pack
from loopready.packs.schema import Pack
from loopready.yamlfiles import YamlLimitError, line_of, load_bounded

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
        raise PackError([f"{name}: {_yaml_problem(exc)}"]) from None
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


def _yaml_problem(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    if mark is not None:
        return f"malformed YAML at line {mark.line + 1}, column {mark.column + 1}: {problem}"
    return f"malformed YAML: {problem}"


def _format(name: str, loc: Loc, message: str, root: yaml.Node | None) -> str:
    path = ".".join(str(p) for p in loc) or "(top)"
    line = line_of(root, loc)
    suffix = f" (line {line})" if line else ""
    return f"{name}: {path}: {message}{suffix}"


def _message(err: Any) -> str:
    kind = err["type"]
    loc = tuple(err["loc"])
    if kind == "extra_forbidden":
        allowed = _allowed_keys(loc[:-1])
        hint = f"; allowed keys: {', '.join(allowed)}" if allowed else ""
        return f"unknown key{hint}"
    if kind == "missing":
        return "required field is missing"
    msg: str = err["msg"]
    return msg[0].lower() + msg[1:] if msg else kind


def _allowed_keys(loc: Loc) -> list[str]:
    """The field names of the model found at ``loc`` inside a Pack."""
    model: type[BaseModel] | None = Pack
    for part in loc:
        if model is None:
            return []
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        if field is None:
            return []
        model = _model_in(field.annotation)
    return list(model.model_fields) if model is not None else []


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = get_origin(annotation)
    if origin in (list, Union, types.UnionType, typing.Annotated):
        for arg in get_args(annotation):
            found = _model_in(arg)
            if found is not None:
                return found
    return None
