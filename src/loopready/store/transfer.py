"""Export a user's data as one JSON document, and import it back.

The document::

    {
      "format": "loopready-export",
      "format_version": 1,
      "exported_at": "2026-03-01T09:30:00+00:00",
      "loopready_version": "0.1.0",
      "schema_revision": "0002",
      "user": "local",
      "tables": {"loops": [{"id": "...", "title": "...", ...}], "round_sessions": [...], ...},
      "packs": [{"id": "my-pack", "yaml": "id: my-pack\n..."}]
    }

``tables`` holds every user table (see :data:`~loopready.store.models.USER_TABLES`), each a
list of rows sorted by primary key. Rows carry every column except ``user_id``: an export
is one person's data, and importing gives it to the user who imports. Timestamps are ISO
8601 in UTC, dates ``YYYY-MM-DD``, JSON columns are nested as they are.

Import is all or nothing: the whole file is checked first, then written in one
transaction, so a bad file changes nothing. Rows are keyed by ``id`` (settings by
``key``): a row already in the database is updated to the file's version, a new one is
added, and rows not in the file are left alone, so importing the same file twice changes
nothing the second time. ``replace=True`` deletes the user's data first, so the database
then holds exactly what the file holds.

``packs`` holds the user's own packs (the YAML files of ``<data folder>/packs``), so data
restored on another computer finds the packs its loops were prepared with: import
installs each one that is not installed yet (an installed pack of that id is kept as it
is). Files without ``packs`` (older exports) import as before.

Files from older schemas still import. A file written at schema revision 0001 has no
``story_tellings`` table: its tellings are in settings rows keyed
``story_tellings:<story id>``, and import moves them into the table, by the same rule as
migration 0002 (a settings row moves whole, or stays a setting if it cannot be read or its
story is not in the file). The grades of a file written before revision 0004 get their
quotes' offsets by the rule of migration 0004 (:mod:`loopready.store.grade_offsets`).
"""

from __future__ import annotations

import json
import math
import os
import sys
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Final

from sqlalchemy import (
    Column,
    Date,
    Float,
    Integer,
    String,
    Table,
    delete,
    exc,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session
from sqlalchemy.types import JSON

from loopready import __version__, settings
from loopready.bounds import check_stored_date, strip_nul
from loopready.errors import InputError
from loopready.store.engine import Database
from loopready.store.grade_offsets import add_offsets, graded_answer
from loopready.store.models import USER_TABLES, Base, Grade, StoryTelling, Turn, table_of
from loopready.store.rowchecks import check_row
from loopready.store.types import UTCDateTime, utcnow
from loopready.yamlfiles import check_depth

FORMAT: Final = "loopready-export"
FORMAT_VERSION: Final = 1
#: Rows fetched per ``IN (...)`` query; far below every backend's parameter limit.
_CHUNK: Final = 500
_HINT: Final = "Import a file written by `loopready export`."
#: Tables added after the first schema revision, with the revision that added each: a
#: file written before that revision does not have them.
_ADDED_IN: Final = {"story_tellings": "0002"}
#: Settings key prefix under which schema 0001 kept a story's tellings.
_LEGACY_TELLINGS: Final = "story_tellings:"


def _data_columns(model: type[Base]) -> list[Column[Any]]:
    """The columns an export row carries: all but ``user_id``."""
    return [c for c in table_of(model).columns if c.name != "user_id"]


def _key_columns(model: type[Base]) -> list[str]:
    return [c.name for c in table_of(model).primary_key.columns if c.name != "user_id"]


# --- export -----------------------------------------------------------------------------


def _to_json(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def dump_tables(s: Session, user_id: str) -> dict[str, list[dict[str, Any]]]:
    """Every row of the user's data as JSON-ready dicts, table by table."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for model in USER_TABLES:
        table = table_of(model)
        columns = _data_columns(model)
        order = [table.c[name] for name in _key_columns(model)]
        query = select(*columns).where(table.c.user_id == user_id).order_by(*order)
        tables[table.name] = [
            {c.name: _to_json(v) for c, v in zip(columns, row, strict=True)}
            for row in s.execute(query)
        ]
    return tables


def user_pack_sources() -> list[dict[str, str]]:
    """The user's own packs that load, as ``{"id", "yaml"}`` objects, sorted by id."""
    from loopready.packs.registry import discover

    folder = settings.user_packs_dir().resolve()
    found = [
        {"id": entry.pack.id, "yaml": entry.path.read_text(encoding="utf-8")}
        for entry in discover()
        if entry.pack is not None
        and entry.origin == "user"
        and entry.path.parent.resolve() == folder
    ]
    return sorted(found, key=lambda item: item["id"])


def export_data(db: Database) -> dict[str, Any]:
    """The user's whole data as one export document (see the module docstring)."""
    engine = db.engine
    if engine.dialect.name == "postgresql":
        # One snapshot for every table, so rows written meanwhile cannot half-appear.
        engine = engine.execution_options(isolation_level="REPEATABLE READ")
    # On SQLite a read transaction already sees one snapshot of the WAL.
    with Session(engine) as s, s.begin():
        revision = s.connection().exec_driver_sql("SELECT version_num FROM alembic_version")
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "exported_at": utcnow().isoformat(),
            "loopready_version": __version__,
            "schema_revision": revision.scalar_one(),
            "user": db.user_name,
            "tables": dump_tables(s, db.user_id),
            "packs": user_pack_sources(),
            **_team_part(s, db.user_id),
        }


def _team_part(s: Session, user_id: str) -> dict[str, Any]:
    team = dump_team_tables(s, user_id)
    return {"user_id": user_id, "team_tables": team} if team else {}


def live_database_files(db: Database) -> list[Path]:
    """The files of *db* on disk (SQLite: the database, its -wal, -shm and -journal)."""
    url = db.engine.url
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return []
    main = Path(url.database).expanduser().resolve()
    return [main, *(main.with_name(main.name + end) for end in ("-wal", "-shm", "-journal"))]


def refuse_live_database(db: Database, path: Path) -> None:
    """:class:`InputError` if writing *path* would overwrite one of *db*'s own files."""
    target = path.expanduser().resolve()
    for live in live_database_files(db):
        same = target == live
        if not same and target.exists() and live.exists():
            same = os.path.samefile(target, live)  # a hard link or another name for it
        if same:
            raise InputError(
                f"{path} is loopready's own database file ({live.name}): writing the export "
                "there would destroy your data. Choose a file outside the data folder, "
                "e.g. loopready-backup.json."
            )


def write_export(db: Database, path: Path | None) -> dict[str, Any]:
    """Write the export document to *path* (standard output for ``None``); return it.

    The file is written beside its final name and renamed into place, so an interrupted
    export never leaves half a file where a good backup was.
    """
    if path is not None:
        refuse_live_database(db, path)
    document = export_data(db)
    payload = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if path is None:
        sys.stdout.write(payload)
        sys.stdout.flush()
        return document
    folder = path.resolve().parent
    if not folder.is_dir():
        raise InputError(f"Cannot write {path}: the folder {folder} does not exist.")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(payload)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return document


def write_backup(db: Database, folder: Path, prefix: str = "before-import") -> Path:
    """Write an export of *db* to a new file in *folder*; return its path.

    The name is ``PREFIX-YYYYMMDD-HHMMSS-micro.json`` (``-2``, ``-3``... if taken), and
    the file is created exclusively (readable by its owner only): a backup never
    replaces another, however many imports run in the same second.
    """
    payload = json.dumps(export_data(db), ensure_ascii=False, indent=2) + "\n"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    for attempt in range(1, 1000):
        suffix = "" if attempt == 1 else f"-{attempt}"
        target = folder / f"{prefix}-{stamp}{suffix}.json"
        try:
            handle = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(payload)
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        return target
    raise InputError(f"Cannot name a new backup in {folder}: clear out old backups there.")


# --- reading and checking a document ----------------------------------------------------


def read_document(path: Path | None) -> Any:
    """The parsed JSON of *path* (standard input for ``None``), or :class:`InputError`."""
    name = "standard input" if path is None else str(path)
    try:
        raw = sys.stdin.buffer.read() if path is None else path.read_bytes()
    except OSError as error:
        raise InputError(f"Cannot read {name}: {error.strerror or error}.") from error
    try:
        document = json.loads(raw.decode("utf-8-sig"))
    except RecursionError:
        raise InputError(
            f"{name} is not a loopready export: it is nested too deeply. {_HINT}"
        ) from None
    except UnicodeDecodeError as error:
        raise InputError(
            f"{name} is not a loopready export: it is not UTF-8 text. {_HINT}"
        ) from error
    except json.JSONDecodeError as error:
        raise InputError(
            f"{name} is not a loopready export: it is not valid JSON "
            f"({error.msg} at line {error.lineno}, column {error.colno}). {_HINT}"
        ) from error
    check_depth(document, name)
    return document


def _convert(column: Column[Any], value: Any, where: str) -> Any:
    """*value* from the file as the Python value *column* stores, or :class:`InputError`."""
    kind = column.type
    if isinstance(kind, JSON):
        check_depth(value, where)
        return _without_nul(value)  # any JSON, null included
    if value is None:
        if column.nullable:
            return None
        raise InputError(f"{where}: must have a value, not null.")
    if isinstance(kind, UTCDateTime):
        try:
            moment = datetime.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            moment = None
        if moment is None:
            raise InputError(
                f"{where}: expected a date and time like 2026-03-01T09:30:00+00:00, got {value!r}."
            )
        if moment.tzinfo is None:
            raise InputError(f"{where}: {value!r} has no time zone; add one, e.g. +00:00.")
        check_stored_date(moment.date(), where)
        return moment
    if isinstance(kind, Date):
        if isinstance(value, str):
            try:
                day = date.fromisoformat(value)
            except ValueError:
                pass
            else:
                return check_stored_date(day, where)
        raise InputError(f"{where}: expected a date like 2026-03-01, got {value!r}.")
    if isinstance(kind, Integer):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise InputError(f"{where}: expected a whole number, got {value!r}.")
    if isinstance(kind, Float):
        if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
            return float(value)
        raise InputError(f"{where}: expected a number, got {value!r}.")
    if isinstance(kind, String):
        if not isinstance(value, str):
            raise InputError(f"{where}: expected text, got {value!r}.")
        value = strip_nul(value)  # PostgreSQL cannot store NUL; SQLite files may hold it
        if kind.length is not None and len(value) > kind.length:
            raise InputError(
                f"{where}: is {len(value)} characters long; at most {kind.length} fit."
            )
        return value
    raise AssertionError(f"no import rule for column type {kind!r}")  # pragma: no cover


def _without_nul(value: Any) -> Any:
    """*value* (JSON, at most :data:`MAX_DEPTH` deep) with NUL removed from every string."""
    if isinstance(value, str):
        return strip_nul(value)
    if isinstance(value, list):
        return [_without_nul(item) for item in value]
    if isinstance(value, dict):
        return {strip_nul(str(k)): _without_nul(v) for k, v in value.items()}
    return value


def _row_values(columns: Mapping[str, Column[Any]], row: Any, where: str) -> dict[str, Any]:
    """One row of the file as the Python values its *columns* store, or :class:`InputError`."""
    if not isinstance(row, dict):
        raise InputError(f"{where}: expected an object with one field per column.")
    extra = [k for k in row if k not in columns]
    if extra:
        raise InputError(f"{where}: unknown column {extra[0]!r}.")
    values: dict[str, Any] = {}
    for column_name, column in columns.items():
        if column_name not in row:
            if column.primary_key or not _optional(column):
                raise InputError(f"{where}: missing column {column_name!r}.")
            continue
        values[column_name] = _convert(column, row[column_name], f"{where}.{column_name}")
    return values


def _optional(column: Column[Any]) -> bool:
    """Whether an import row may leave *column* out (a column newer than the export)."""
    return bool(column.nullable) or column.default is not None


def _older_than(document: dict[str, Any], revision: str) -> bool:
    """Whether *document* was written at a schema revision before *revision*."""
    written = document.get("schema_revision")
    return isinstance(written, str) and written.isdigit() and int(written) < int(revision)


def _legacy_telling(item: Any, story_id: str, loops: set[str]) -> dict[str, Any]:
    """One telling of a schema-0001 settings row as a ``story_tellings`` row.

    Raises :class:`InputError` when it cannot be read (the caller then keeps the row).
    """
    if not isinstance(item, dict):
        raise InputError("not an object")
    columns = table_of(StoryTelling).c
    recorded = item.get("recorded_at")
    try:
        moment = datetime.fromisoformat(recorded) if isinstance(recorded, str) else None
    except ValueError:
        moment = None
    if moment is None:
        raise InputError("no recorded_at time")
    text = item.get("text") or ""
    if not isinstance(text, str):
        raise InputError("text that is not text")
    telling_id = _convert(columns.id, item.get("id"), "id")
    round_id = _convert(columns.round_id, item.get("round_id"), "round_id")
    if not telling_id.strip() or not round_id.strip():
        raise InputError("no id or no round")
    loop_id = item.get("loop_id")
    return {
        "id": telling_id,
        "story_id": story_id,
        "round_id": round_id,
        # A loop deleted since (not in the file) is dropped, as ON DELETE SET NULL does.
        "loop_id": loop_id if isinstance(loop_id, str) and loop_id in loops else None,
        "told_on": _convert(columns.told_on, item.get("told_on"), "told_on"),
        "text": text or None,
        "words": len(text.split()) if text else None,
        "created_at": moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC),
    }


def _move_legacy_tellings(checked: dict[str, list[dict[str, Any]]]) -> None:
    """Move the tellings of a schema-0001 file's settings rows into ``story_tellings``."""
    stories = {row["id"] for row in checked["stories"]}
    loops = {row["id"] for row in checked["loops"]}
    kept: list[dict[str, Any]] = []
    moved: list[dict[str, Any]] = []
    for setting in checked["settings"]:
        story_id = setting["key"].removeprefix(_LEGACY_TELLINGS)
        value = setting.get("value")
        if story_id == setting["key"] or story_id not in stories or not isinstance(value, list):
            kept.append(setting)
            continue
        try:
            rows = [_legacy_telling(item, story_id, loops) for item in value]
        except InputError:
            kept.append(setting)
            continue
        ids = [row["id"] for row in rows]
        taken = {row["id"] for row in moved}
        if len(set(ids)) < len(ids) or taken.intersection(ids):
            kept.append(setting)
            continue
        moved.extend(rows)
    checked["settings"] = kept
    checked[table_of(StoryTelling).name] = sorted(moved, key=lambda row: row["id"])


def check_packs(document: Any, name: str) -> list[tuple[str, str]]:
    """The ``packs`` of an export document as ``(id, yaml)`` pairs, each one validated.

    Raises :class:`InputError` naming the first pack that is not a valid pack file.
    """
    from loopready.errors import PackError
    from loopready.packs.loader import parse_pack
    from loopready.packs.registry import is_pack_id

    packs = document.get("packs", []) if isinstance(document, dict) else []
    if not isinstance(packs, list):
        raise InputError(f'{name}: "packs" must be a list of packs.')
    checked: list[tuple[str, str]] = []
    for index, item in enumerate(packs):
        where = f"{name}: packs[{index}]"
        if not isinstance(item, dict) or not isinstance(item.get("yaml"), str):
            raise InputError(f'{where}: expected an object with "id" and "yaml".')
        pack_id = item.get("id")
        if not is_pack_id(pack_id):
            raise InputError(f"{where}.id: {pack_id!r:.60} is not a pack id.")
        try:
            pack = parse_pack(item["yaml"], f"{where}.yaml")
        except PackError as error:
            raise InputError(f"{where}: not a valid pack: {error.problems[0]}") from None
        if pack.id != pack_id:
            raise InputError(f"{where}: the pack's own id is {pack.id!r}, not {pack_id!r}.")
        checked.append((pack_id, item["yaml"]))
    return checked


def install_packs(packs: list[tuple[str, str]]) -> list[str]:
    """Install each ``(id, yaml)`` pack not installed yet; return the ids installed.

    A pack whose id is already installed (built-in or user) is left as it is: an import
    never replaces a pack file.
    """
    from loopready.packs.registry import discover

    present = {entry.id for entry in discover()}
    folder = settings.user_packs_dir()
    installed: list[str] = []
    for pack_id, source in packs:
        if pack_id in present:
            continue
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            handle = os.open(
                folder / f"{pack_id}.yaml", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600
            )
        except FileExistsError:
            continue  # a file of that name that does not load: keep it, for the user to fix
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(source)
        installed.append(pack_id)
        present.add(pack_id)
    return installed


def check_document(document: Any, name: str) -> dict[str, list[dict[str, Any]]]:
    """Validate an export document; return its rows as Python values, by table name.

    Raises :class:`InputError` naming the first problem and where it is
    (``FILE: tables.loops[2].start_date: ...``). A file from an older schema comes back
    in the current shape (see the module docstring).
    """
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InputError(
            f'{name} is not a loopready export: it has no "format": "{FORMAT}" field. {_HINT}'
        )
    version = document.get("format_version")
    if version != FORMAT_VERSION:
        raise InputError(
            f"{name} uses export format version {version!r}, but this loopready reads "
            f"version {FORMAT_VERSION}. Upgrade loopready, or export again with this one."
        )
    tables = document.get("tables")
    if not isinstance(tables, dict):
        raise InputError(f'{name} has no "tables" object, so it holds no data. {_HINT}')
    expected = [table_of(model).name for model in USER_TABLES]
    too_new = {
        table
        for table, revision in _ADDED_IN.items()
        if table not in tables and _older_than(document, revision)
    }
    missing = [t for t in expected if t not in tables and t not in too_new]
    if missing:
        listed = ", ".join(missing)
        raise InputError(
            f"{name} is incomplete: it has no {listed} "
            f"table{'s' if len(missing) > 1 else ''}. Export again with `loopready export`."
        )
    unknown = sorted(set(tables) - set(expected))
    if unknown:
        raise InputError(
            f"{name} has tables this loopready does not know: {', '.join(unknown)}. "
            "Upgrade loopready to import it."
        )

    checked: dict[str, list[dict[str, Any]]] = {}
    for model in USER_TABLES:
        table_name = table_of(model).name
        if table_name in too_new:
            checked[table_name] = []
            continue
        columns = {c.name: c for c in _data_columns(model)}
        keys = _key_columns(model)
        rows = tables[table_name]
        if not isinstance(rows, list):
            raise InputError(f"{name}: tables.{table_name}: expected a list of rows.")
        seen: set[tuple[Any, ...]] = set()
        out: list[dict[str, Any]] = []
        for index, row in enumerate(rows):
            where = f"{name}: tables.{table_name}[{index}]"
            values = _row_values(columns, row, where)
            check_row(table_name, values, where)
            key = tuple(values[k] for k in keys)
            if key in seen:
                shown = key[0] if len(key) == 1 else key
                raise InputError(f"{where}: {'/'.join(keys)} {shown!r} appears twice.")
            seen.add(key)
            out.append(values)
        checked[table_name] = out
    if table_of(StoryTelling).name in too_new:
        _move_legacy_tellings(checked)
    if _older_than(document, GRADE_OFFSETS_REVISION):
        _place_legacy_quotes(checked)
    return checked


#: The schema revision from which stored grades carry their quotes' offsets.
GRADE_OFFSETS_REVISION: Final = "0004"


def _place_legacy_quotes(checked: dict[str, list[dict[str, Any]]]) -> None:
    """Give the grades of a file written before 0004 their quotes' offsets in the answer
    their session graded, by the rule of migration 0004 (:mod:`.grade_offsets`)."""
    said: dict[str, list[tuple[int, str, str]]] = {}
    for turn in checked[table_of(Turn).name]:
        said.setdefault(turn["session_id"], []).append(
            (turn["seq"], turn.get("speaker") or "", turn.get("text") or "")
        )
    for grade in checked[table_of(Grade).name]:
        turns = said.get(grade.get("session_id") or "")
        if turns is not None:
            answer = graded_answer((speaker, text) for _seq, speaker, text in sorted(turns))
            grade["result"] = add_offsets(grade.get("result"), answer)


# --- import -----------------------------------------------------------------------------


@dataclass
class ImportSummary:
    """What an import did, table by table."""

    added: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    deleted: int = 0
    #: Ids of the packs the file carried that were installed (not installed before).
    packs_installed: list[str] = field(default_factory=list)

    @property
    def total_added(self) -> int:
        return sum(self.added.values())

    @property
    def total_updated(self) -> int:
        return sum(self.updated.values())


def _chunks(items: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _existing(s: Session, table: Table, ids: list[Any]) -> dict[Any, str]:
    """id -> owner for the rows of *table* among *ids*."""
    found: dict[Any, str] = {}
    for chunk in _chunks(ids):
        query = select(table.c.id, table.c.user_id).where(table.c.id.in_(chunk))
        found.update({row_id: owner for row_id, owner in s.execute(query)})
    return found


def _check_references(
    s: Session, rows: Mapping[str, list[dict[str, Any]]], user_id: str, name: str
) -> None:
    """Every reference in the file must reach a row in the file or the user's rows."""
    in_file = {
        table: {r["id"] for r in table_rows if "id" in r} for table, table_rows in rows.items()
    }
    for model in USER_TABLES:
        table = table_of(model)
        for fk in table.foreign_keys:
            column = fk.parent.name
            target = fk.column.table
            if column == "user_id" or not isinstance(target, Table):
                continue
            wanted: dict[Any, int] = {}
            for index, row in enumerate(rows[table.name]):
                ref = row.get(column)
                if ref is not None and ref not in in_file[target.name]:
                    wanted.setdefault(ref, index)
            if not wanted:
                continue
            owners = _existing(s, target, list(wanted))
            for ref, index in wanted.items():
                if owners.get(ref) != user_id:
                    raise InputError(
                        f"{name}: tables.{table.name}[{index}].{column}: refers to "
                        f"{target.name} row {ref!r}, which is neither in the file nor in "
                        "your data. Export again with `loopready export`."
                    )


def import_data(
    db: Database, document: Any, *, name: str = "the file", replace: bool = False
) -> ImportSummary:
    """Restore an export document into the user's data (semantics: module docstring).

    *name* is how error messages refer to the document. Raises :class:`InputError`, with
    nothing written, when the document is not a valid export or does not fit this data.
    """
    rows = check_document(document, name)
    team = check_team_tables(document, name)
    packs = check_packs(document, name)
    try:
        summary = _write(db, rows, name, replace, team, document.get("user_id"))
    except exc.IntegrityError as error:
        detail = str(error.orig).strip().splitlines()[0]
        raise InputError(
            f"{name} does not fit the data already here ({detail}); nothing was imported. "
            "Import it with --replace, or into an empty database."
        ) from error
    summary.packs_installed = install_packs(packs)
    return summary


def _write(
    db: Database,
    rows: dict[str, list[dict[str, Any]]],
    name: str,
    replace: bool,
    team: dict[str, list[dict[str, Any]]] | None = None,
    exporter_id: Any = None,
) -> ImportSummary:
    summary = ImportSummary()
    with db.session() as s:
        existing: dict[str, set[Any]] = {}
        for model in USER_TABLES:
            table = table_of(model)
            table_rows = rows[table.name]
            if "id" not in table.c:
                # Settings: keyed by (user_id, key), so they cannot clash with another user.
                keys = select(table.c.key).where(table.c.user_id == db.user_id)
                existing[table.name] = set(s.scalars(keys))
                continue
            owners = _existing(s, table, [r["id"] for r in table_rows])
            for index, row in enumerate(table_rows):
                owner = owners.get(row["id"])
                if owner is not None and owner != db.user_id:
                    raise InputError(
                        f"{name}: tables.{table.name}[{index}].id: {row['id']!r} belongs to "
                        "another user of this database; nothing was imported."
                    )
            existing[table.name] = set(owners)
        _check_references(s, rows, db.user_id, name)

        if replace:
            summary.deleted += _delete_team_tables(s, db.user_id)
            for model in reversed(USER_TABLES):
                table = table_of(model)
                result = s.execute(delete(table).where(table.c.user_id == db.user_id))
                summary.deleted += max(result.rowcount, 0)  # type: ignore[attr-defined]
            existing = {table: set() for table in existing}

        for model in USER_TABLES:
            table = table_of(model)
            key = "id" if "id" in table.c else "key"
            new: list[dict[str, Any]] = []
            old: list[dict[str, Any]] = []
            for row in rows[table.name]:
                target = old if row[key] in existing[table.name] else new
                target.append({**row, "user_id": db.user_id})
            if new:
                s.execute(insert(model), new)
            if old:
                s.execute(update(model), old)
            summary.added[table.name] = len(new)
            summary.updated[table.name] = len(old)
        if team:
            _write_team_tables(s, team, exporter_id, db.user_id, name, summary)
    return summary


# --- team tables ------------------------------------------------------------------------
#
# A team install's candidate also owns live mocks, the scorecards their peers filled on
# them and the comments on their reports. They travel in ``team_tables`` (present only
# when the user has any, so a local export is unchanged), with ``user_id`` at the top of
# the document so that import can tell the exporter's own references from other people's.
# Accounts, sign-in sessions and coach links are never exported: they are other people's
# or secrets. A live mock's typing log (``live_events``) and its invitation nonce are left
# out too; the mock keeps its final answer.

#: The team tables an export carries, parents first.
TEAM_EXPORT_TABLES: Final[tuple[str, ...]] = ("live_mocks", "scorecards", "report_comments")
#: Columns naming another person (the peer, the scorer, a coach): kept when that person
#: is in the importing database, else emptied; the exporter's own id becomes the importer's.
_PERSON_COLUMNS: Final = {
    "live_mocks": "peer_user_id",
    "scorecards": "scorer_user_id",
    "report_comments": "author_user_id",
}
_LEFT_OUT: Final = {"live_mocks": {"invite_nonce"}}


def _team_table(name: str) -> Table:
    """A table by name (``loopready.store`` registers the team tables on import)."""
    return Base.metadata.tables[name]


def _team_columns(name: str) -> list[Column[Any]]:
    skip = {"user_id", *_LEFT_OUT.get(name, set())}
    return [c for c in _team_table(name).columns if c.name not in skip]


def dump_team_tables(s: Session, user_id: str) -> dict[str, list[dict[str, Any]]]:
    """The user's rows of :data:`TEAM_EXPORT_TABLES`, or ``{}`` when there are none."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for name in TEAM_EXPORT_TABLES:
        table = _team_table(name)
        columns = _team_columns(name)
        query = select(*columns).where(table.c.user_id == user_id).order_by(table.c.id)
        tables[name] = [
            {c.name: _to_json(v) for c, v in zip(columns, row, strict=True)}
            for row in s.execute(query)
        ]
    return tables if any(tables.values()) else {}


def check_team_tables(document: Any, name: str) -> dict[str, list[dict[str, Any]]]:
    """The document's team rows as Python values (``{}`` without any), or :class:`InputError`."""
    tables = document.get("team_tables") if isinstance(document, dict) else None
    if tables is None:
        return {}
    if not isinstance(tables, dict):
        raise InputError(f'{name}: "team_tables" must be an object of tables.')
    unknown = sorted(set(tables) - set(TEAM_EXPORT_TABLES))
    if unknown:
        raise InputError(
            f"{name} has team tables this loopready does not know: {', '.join(unknown)}. "
            "Upgrade loopready to import it."
        )
    checked: dict[str, list[dict[str, Any]]] = {}
    for table_name in TEAM_EXPORT_TABLES:
        rows = tables.get(table_name, [])
        if not isinstance(rows, list):
            raise InputError(f"{name}: team_tables.{table_name}: expected a list of rows.")
        columns = {c.name: c for c in _team_columns(table_name)}
        seen: set[Any] = set()
        out: list[dict[str, Any]] = []
        for index, row in enumerate(rows):
            where = f"{name}: team_tables.{table_name}[{index}]"
            values = _row_values(columns, row, where)
            if values["id"] in seen:
                raise InputError(f"{where}: id {values['id']!r} appears twice.")
            seen.add(values["id"])
            out.append(values)
        checked[table_name] = out
    return checked


def _write_team_tables(
    s: Session,
    rows: dict[str, list[dict[str, Any]]],
    exporter_id: Any,
    user_id: str,
    name: str,
    summary: ImportSummary,
) -> None:
    """Add or update the team rows for *user_id* (in the import's transaction)."""
    people = {
        ref
        for table_name, column in _PERSON_COLUMNS.items()
        for row in rows.get(table_name, [])
        if (ref := row.get(column)) is not None and ref != exporter_id
    }
    users = _team_table("users")
    present: set[Any] = set()
    for chunk in _chunks(sorted(people)):
        present.update(s.scalars(select(users.c.id).where(users.c.id.in_(chunk))))
    mocks_in_file = {r["id"] for r in rows.get("live_mocks", [])}
    for table_name in TEAM_EXPORT_TABLES:
        table = _team_table(table_name)
        column = _PERSON_COLUMNS[table_name]
        table_rows = rows.get(table_name, [])
        owners = _existing(s, table, [r["id"] for r in table_rows])
        new: list[dict[str, Any]] = []
        old: list[dict[str, Any]] = []
        for index, row in enumerate(table_rows):
            owner = owners.get(row["id"])
            if owner is not None and owner != user_id:
                raise InputError(
                    f"{name}: team_tables.{table_name}[{index}].id: {row['id']!r} belongs "
                    "to another user of this database; nothing was imported."
                )
            ref = row.get(column)
            person = user_id if ref is not None and ref == exporter_id else ref
            if person is not None and person != user_id and person not in present:
                person = None  # that person has no account here
            values = {**row, column: person, "user_id": user_id}
            (old if owner is not None else new).append(values)
        if table_name == "scorecards":
            _check_mocks(s, table_rows, mocks_in_file, user_id, name)
        if new:
            s.execute(insert(table), new)
        for values in old:
            s.execute(update(table).where(table.c.id == values["id"]).values(**values))
        summary.added[table_name] = len(new)
        summary.updated[table_name] = len(old)


def _check_mocks(
    s: Session, cards: list[dict[str, Any]], in_file: set[Any], user_id: str, name: str
) -> None:
    wanted = {c["mock_id"]: i for i, c in enumerate(cards) if c["mock_id"] not in in_file}
    owners = _existing(s, _team_table("live_mocks"), list(wanted))
    for mock_id, index in wanted.items():
        if owners.get(mock_id) != user_id:
            raise InputError(
                f"{name}: team_tables.scorecards[{index}].mock_id: refers to live mock "
                f"{mock_id!r}, which is neither in the file nor in your data."
            )


def _delete_team_tables(s: Session, user_id: str) -> int:
    """Delete the user's team rows (``--replace``); how many."""
    deleted = 0
    for table_name in reversed(TEAM_EXPORT_TABLES):
        table = _team_table(table_name)
        result = s.execute(delete(table).where(table.c.user_id == user_id))
        deleted += max(result.rowcount, 0)  # type: ignore[attr-defined]
    return deleted
