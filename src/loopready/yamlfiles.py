"""Shared helpers for the YAML files users write: packs, briefs and offers.

One place knows how to read a user's file with an error that says what to do, and
how to find the YAML line behind a field path, so every file type reports problems
the same way: ``FILE: path.to.field: message (line N)``.
"""

from __future__ import annotations

import types
import typing
from pathlib import Path
from typing import Any, Final, Union, get_args, get_origin

import yaml
from pydantic import BaseModel
from yaml.constructor import SafeConstructor

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


# -- bounded loading -------------------------------------------------------------------

#: The largest YAML document read (characters); packs are ~100 KB, briefs and offers a few KB.
MAX_DOCUMENT_CHARS: Final = 5 * 1024 * 1024
#: How many times anchors may be referenced (``*name``) in one document.
MAX_ALIASES: Final = 100
#: The size of the document once every alias is expanded (nodes and characters): an alias
#: that repeats a large value many times ("billion laughs") is refused before it is built.
MAX_EXPANDED_NODES: Final = 200_000
MAX_EXPANDED_CHARS: Final = 10 * 1024 * 1024
#: The deepest nesting of mappings and lists accepted (YAML or JSON).
MAX_DEPTH: Final = 64

try:  # libyaml is several times faster when present
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


class YamlLimitError(InputError):
    """A YAML or JSON document is over one of the limits above; the message names it."""


def compose_bounded(text: str, source: str, *, fast: bool = True) -> yaml.Node | None:
    """Parse *text* into a node tree after checking every size limit, or raise.

    ``fast`` uses libyaml when present; ``False`` keeps the pure-Python parser, whose
    error messages some files' tests pin. Raises :class:`yaml.YAMLError` for malformed
    YAML (callers word that one themselves) and :class:`YamlLimitError` naming the limit
    for a document that is too large.
    """
    if len(text) > MAX_DOCUMENT_CHARS:
        raise YamlLimitError(
            f"{source}: the document is {len(text):,} characters, over the limit of "
            f"{MAX_DOCUMENT_CHARS:,}; split it or remove what it does not need"
        )
    if "\x00" in text:
        raise YamlLimitError(
            f"{source}: contains a NUL character (\\x00), which text files never hold; "
            "remove it and save the file again"
        )
    try:
        root: yaml.Node | None = yaml.compose(text, Loader=_Loader if fast else yaml.SafeLoader)
    except RecursionError:
        raise YamlLimitError(_too_deep(source)) from None
    if root is not None:
        _check_expansion(root, source)
    return root


def construct(root: yaml.Node | None) -> Any:
    """The Python value of a node tree from :func:`compose_bounded`."""
    if root is None:
        return None
    return SafeConstructor().construct_document(root)


def load_bounded(text: str, source: str, *, fast: bool = True) -> tuple[Any, yaml.Node | None]:
    """``(value, node tree)`` of YAML *text*, within the limits; see :func:`compose_bounded`."""
    root = compose_bounded(text, source, fast=fast)
    return construct(root), root


def check_depth(value: Any, source: str, limit: int = MAX_DEPTH) -> None:
    """Raise :class:`YamlLimitError` when lists and mappings in *value* nest deeper than *limit*.

    Iterative, so a value built by a parser that allows deep nesting is checked safely.
    """
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth >= limit:
            raise YamlLimitError(_too_deep(source, limit))
        stack.extend((child, depth + 1) for child in children)


def _too_deep(source: str, limit: int = MAX_DEPTH) -> str:
    return (
        f"{source}: lists and mappings are nested more than {limit} levels deep; "
        "flatten the document"
    )


def _check_expansion(root: yaml.Node, source: str) -> None:
    """Count aliases and the expanded size without expanding anything.

    A node referenced through an alias is the same object in the tree, so the expanded
    size of each node is computed once (post-order, iteratively) and reused.
    """
    sizes: dict[int, tuple[int, int]] = {}
    seen: set[int] = set()
    aliases = 0
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 0, False)]
    while stack:
        node, depth, done = stack.pop()
        key = id(node)
        if done:
            nodes, chars = 1, 0
            for child in _children(node):
                if id(child) not in sizes:  # an alias to a node that contains it
                    raise YamlLimitError(
                        f"{source}: an alias (*name) refers to a value that contains it; "
                        "write the value out instead"
                    )
                child_nodes, child_chars = sizes[id(child)]
                nodes += child_nodes
                chars += child_chars
            if nodes > MAX_EXPANDED_NODES or chars > MAX_EXPANDED_CHARS:
                raise YamlLimitError(
                    f"{source}: with its aliases (*name) expanded the document would hold "
                    f"{nodes:,} values and {chars:,} characters, over the limits of "
                    f"{MAX_EXPANDED_NODES:,} and {MAX_EXPANDED_CHARS:,}; "
                    "write the repeated parts out or use fewer aliases"
                )
            sizes[key] = (nodes, chars)
            continue
        if key in seen:
            aliases += 1
            if aliases > MAX_ALIASES:
                raise YamlLimitError(
                    f"{source}: uses aliases (*name) more than {MAX_ALIASES} times; "
                    "write the repeated parts out instead"
                )
            continue
        seen.add(key)
        if isinstance(node, yaml.ScalarNode):
            sizes[key] = (1, len(node.value))
            continue
        if depth >= MAX_DEPTH:
            raise YamlLimitError(_too_deep(source))
        stack.append((node, depth, True))
        stack.extend((child, depth + 1, False) for child in _children(node))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


# -- messages shared by every reader of users' YAML (packs, briefs, offers) ---------------------


def malformed(exc: yaml.YAMLError, source: str, *, hint: bool = True) -> str:
    """The one message for YAML that does not parse: ``source``, where, and what the parser
    found; with ``hint``, what to check there."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or "cannot be parsed"
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
    tail = "; check the indentation and quoting there" if hint else ""
    return f"{source}: malformed YAML{where}: {problem}{tail}"


def model_in(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model a field's annotation holds (inside lists, unions, Annotated)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if get_origin(annotation) in (list, Union, types.UnionType, typing.Annotated):
        for arg in get_args(annotation):
            found = model_in(arg)
            if found is not None:
                return found
    return None


def model_at(root: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model found at ``loc`` (keys and list indexes) inside ``root``, or None."""
    model: type[BaseModel] | None = root
    for part in loc:
        if model is None or isinstance(part, int):
            continue
        info = model.model_fields.get(part)
        if info is None:
            return None
        model = model_in(info.annotation)
    return model


def allowed_keys(root: type[BaseModel], loc: Loc) -> list[str]:
    """The keys a mapping at ``loc`` inside ``root`` may have (none when unknown)."""
    model = model_at(root, loc)
    return list(model.model_fields) if model is not None else []
