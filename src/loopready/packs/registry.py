"""Finding packs: the built-in ones shipped in the package, and the user's own.

User packs live in ``<data folder>/packs`` (or folders given with ``--pack-path``).
A user pack can never silently replace a built-in one: reusing a built-in id is
reported as a problem with that file, and the built-in pack stays in force.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from loopready.bounds import PACK_ID
from loopready.errors import NotFound, PackError
from loopready.packs.loader import load_pack_file
from loopready.packs.schema import Pack
from loopready.settings import user_packs_dir

DEFAULT_PACK_ID = "sony-ai-pm-2026"
TEMPLATE_NAME = "template.yaml"


@dataclass(frozen=True)
class PackEntry:
    """A pack file found on disk: loaded, or with the problems that stopped it."""

    path: Path
    origin: str  # "built-in" or "user"
    pack: Pack | None
    problems: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return self.pack.id if self.pack else self.path.stem


def builtin_dir() -> Path:
    """The folder of packs shipped inside the package."""
    return Path(str(resources.files("loopready.packs") / "data"))


def template_path() -> Path:
    return builtin_dir() / TEMPLATE_NAME


@cache
def _load_cached(path: Path, mtime_ns: int) -> Pack:
    return load_pack_file(path)


def _load(path: Path) -> Pack:
    return _load_cached(path, path.stat().st_mtime_ns)


def _pack_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in {".yaml", ".yml"} and p.is_file())


def discover(pack_paths: Iterable[Path] = ()) -> list[PackEntry]:
    """Every pack file: built-in first, then the user's, each loaded or with its problems."""
    entries: list[PackEntry] = []
    builtin_ids: dict[str, Path] = {}
    for path in _pack_files(builtin_dir()):
        if path.name == TEMPLATE_NAME:
            continue
        pack = _load(path)
        builtin_ids[pack.id] = path
        entries.append(PackEntry(path, "built-in", pack))

    user_ids: dict[str, Path] = {}
    folders = [user_packs_dir(), *pack_paths]
    for path in (p for folder in folders for p in _pack_files(Path(folder))):
        try:
            pack = _load(path)
        except PackError as exc:
            entries.append(PackEntry(path, "user", None, tuple(exc.problems)))
            continue
        if pack.id in builtin_ids:
            problem = (
                f"{path}: id: {pack.id!r} is the id of a built-in pack; "
                "give your pack another id (user packs never replace built-in ones)"
            )
            entries.append(PackEntry(path, "user", None, (problem,)))
        elif pack.id in user_ids:
            problem = f"{path}: id: {pack.id!r} is already used by {user_ids[pack.id]}"
            entries.append(PackEntry(path, "user", None, (problem,)))
        else:
            user_ids[pack.id] = path
            entries.append(PackEntry(path, "user", pack))
    return entries


def get_pack(pack_id: str = DEFAULT_PACK_ID, pack_paths: Iterable[Path] = ()) -> Pack:
    """The pack with this id, built-in or user; :class:`NotFound` listing the ids otherwise."""
    if not PACK_ID.match(pack_id):  # never a file name: too long, a path, odd characters
        shown = pack_id if len(pack_id) <= 80 else pack_id[:77] + "..."
        raise NotFound(
            f"no pack with id {shown!r}: a pack id is 1 to 64 lowercase letters, digits, "
            f"'-' or '_'; see the Packs page or `loopready packs list` for the installed ones"
        )
    builtin = builtin_dir() / f"{pack_id}.yaml"
    if builtin.is_file():  # fast path: no need to read every user pack
        return _load(builtin)
    entries = discover(pack_paths)
    for entry in entries:
        if entry.pack is not None and entry.pack.id == pack_id:
            return entry.pack
    for entry in entries:
        if entry.pack is None and entry.path.stem == pack_id:
            raise PackError(list(entry.problems))
    known = ", ".join(e.pack.id for e in entries if e.pack is not None)
    raise NotFound(f"no pack with id {pack_id!r}; available packs: {known}")
