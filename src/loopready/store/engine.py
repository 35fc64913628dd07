"""Opening the database: URLs, engines, migrations on open, sessions.

Every command that touches the database calls :func:`open_db`, which brings the schema up
to date first (cheaply: when the recorded revision is already the newest, Alembic is not
even imported) and makes sure the user exists.

SQLite runs in WAL mode with foreign keys on and a busy timeout. loopready emits its own
``BEGIN`` so that DDL is transactional, and write sessions start with ``BEGIN IMMEDIATE``:
a writer takes the lock up front and waits for another writer, instead of failing half
way. Migrations run under that lock on SQLite and under an advisory lock on PostgreSQL,
so two processes opening a fresh database at once do not trip over each other.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import Engine, event, exc, inspect, make_url, select, text
from sqlalchemy import create_engine as sa_create_engine
from sqlalchemy.engine import URL, Connection
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from loopready import settings
from loopready.errors import LoopreadyError, MissingExtra, StorageError
from loopready.store.models import User

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR: Final = Path(__file__).with_name("migrations")
VERSIONS_DIR: Final = MIGRATIONS_DIR / "versions"

#: How long a SQLite connection waits for another process's lock before giving up.
BUSY_TIMEOUT_MS: Final = 15_000
#: Key of the PostgreSQL advisory lock held while migrating ("loopredy" in ASCII).
PG_MIGRATION_LOCK: Final = 0x6C6F6F7072656479
#: The user of a local, single-person install.
LOCAL_USER: Final = "local"

_REVISION_FILE = re.compile(r"^(\d{4})_\w+\.py$")
_BEGIN_OPTION = "loopready_sqlite_begin"


# --- URLs -------------------------------------------------------------------------------


def normalize_url(url: str | URL) -> URL:
    """Parse a database URL, choosing loopready's drivers.

    ``postgresql://`` and ``postgres://`` use psycopg 3 (``postgresql+psycopg://``);
    ``sqlite:///path`` is SQLite. Anything else is refused with a :class:`StorageError`.
    """
    try:
        parsed = make_url(url)
    except exc.ArgumentError as error:
        raise StorageError(
            f"Cannot read the database URL {str(url)!r}. Use sqlite:///PATH or "
            "postgresql://USER:PASSWORD@HOST:PORT/DATABASE (LOOPREADY_DATABASE_URL)."
        ) from error
    backend, _, driver = parsed.drivername.partition("+")
    if backend in ("postgresql", "postgres"):
        if driver not in ("", "psycopg"):
            raise StorageError(
                f"loopready talks to PostgreSQL through psycopg 3, not {driver!r}: "
                "use a postgresql:// URL."
            )
        return parsed.set(drivername="postgresql+psycopg")
    if backend == "sqlite" and driver in ("", "pysqlite"):
        return parsed.set(drivername="sqlite")
    raise StorageError(
        f"loopready stores data in SQLite or PostgreSQL, not {backend!r}. "
        "Set LOOPREADY_DATABASE_URL to sqlite:///PATH or postgresql://..., or unset it."
    )


def mask_url(url: str | URL) -> str:
    """The URL as text with its password replaced by ``***``."""
    parsed = url if isinstance(url, URL) else make_url(url)
    return parsed.render_as_string(hide_password=True)


def backend_name(url: str) -> str:
    """The database a URL names (``postgresql``, ``sqlite``...), whatever its driver."""
    return make_url(url).get_backend_name()


def libpq_conninfo(url: str) -> str:
    """*url* as psycopg and libpq read it: ``postgresql://...`` with its password."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


# --- engines ----------------------------------------------------------------------------


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy (below) send BEGIN, instead of the sqlite3 module, which skips it
    # before DDL and so would leave half a migration behind after a crash.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        # The busy timeout first: switching to WAL needs a lock another process may hold.
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        _switch_to_wal(cursor)
        cursor.execute("PRAGMA foreign_keys = ON")
        # In WAL mode NORMAL never corrupts the file; a power cut may lose the last commit.
        cursor.execute("PRAGMA synchronous = NORMAL")
    finally:
        cursor.close()


def _switch_to_wal(cursor: Any) -> None:
    """``PRAGMA journal_mode = WAL``, retried: while another process makes the same switch on
    a new file, SQLite answers "database is locked" at once, without its busy handler."""
    import sqlite3
    import time

    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() >= deadline:
                raise
            time.sleep(0.02)


def _sqlite_on_begin(connection: Connection) -> None:
    mode = connection.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {mode}")


def _strip_nul(value: Any) -> Any:
    if isinstance(value, str) and "\x00" in value:
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {key: _strip_nul(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_strip_nul(item) for item in value)
    return value


def _without_nul(
    _conn: Connection, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool
) -> tuple[str, Any]:
    # Text never means NUL (it arrives pasted or in an old SQLite file), and PostgreSQL
    # refuses it in text: drop it from every value written, so both databases store the same.
    return statement, _strip_nul(parameters)


#: A pooled PostgreSQL connection idle this long is pinged before use (one round trip);
#: one used more recently is trusted, so a busy server does not ping on every request. A
#: connection that died meanwhile (the server restarted) fails its request once, and
#: SQLAlchemy then drops every pooled connection made before.
PING_IDLE_S: Final = 10.0


def _mark_checkin(_dbapi_connection: Any, record: Any) -> None:
    record.info["loopready_checkin"] = time.monotonic()


def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    last = record.info.get("loopready_checkin")
    if last is not None and time.monotonic() - last < PING_IDLE_S:
        return
    try:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("SELECT 1")
        finally:
            cursor.close()
        dbapi_connection.rollback()
    except Exception as error:  # the pool then opens a new connection in its place
        raise exc.DisconnectionError(str(error)) from error


def create_engine(url: str | URL) -> Engine:
    """An engine for *url* (see :func:`normalize_url`), configured as loopready needs.

    It neither creates tables nor migrates: :func:`open_db` does that.
    """
    parsed = normalize_url(url)
    if parsed.get_backend_name() == "postgresql":
        try:
            import psycopg  # noqa: F401
        except ImportError as error:
            raise MissingExtra("psycopg", "postgres", "Storing data in PostgreSQL") from error
        connect_args: dict[str, Any] = {}
        if "connect_timeout" not in parsed.query:
            connect_args["connect_timeout"] = 10
        if "application_name" not in parsed.query:
            connect_args["application_name"] = "loopready"
        # Ten kept open: the team app's eight threads never wait for a new connection.
        engine = sa_create_engine(parsed, pool_size=10, max_overflow=5, connect_args=connect_args)
        event.listen(engine.pool, "checkin", _mark_checkin)
        event.listen(engine.pool, "checkout", _ping_if_idle)
        event.listen(engine, "before_cursor_execute", _without_nul, retval=True)
        return engine

    database = parsed.database
    in_memory = database in (None, "", ":memory:") or parsed.query.get("mode") == "memory"
    if in_memory:
        # One shared connection, or every checkout would see a different empty database.
        engine = sa_create_engine(
            parsed, poolclass=StaticPool, connect_args={"check_same_thread": False}
        )
    else:
        assert database is not None
        _private_sqlite_file(Path(database).expanduser())
        engine = sa_create_engine(parsed, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
    event.listen(engine, "before_cursor_execute", _without_nul, retval=True)
    return engine


def _private_sqlite_file(path: Path) -> None:
    """Create the database file readable by its owner only (0600), or tighten an old one.

    SQLite gives its ``-wal`` and ``-shm`` files the database file's permissions, so
    they follow. A folder loopready creates for it is 0700.
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    except OSError:
        return  # SQLite reports a file it cannot open, with its own words
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if file.exists():
            settings.make_private(file)


def _writer(engine: Engine) -> Engine:
    """*engine*, whose transactions take SQLite's write lock when they begin."""
    if engine.dialect.name == "sqlite":
        return engine.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})
    return engine


# --- migrations -------------------------------------------------------------------------


def known_revisions() -> list[str]:
    """The revision ids shipped with this loopready, oldest first.

    Revision files are named ``NNNN_slug.py`` with revision id ``NNNN`` and each revises
    the one before (a test checks this), so the newest is simply the highest number and
    opening an up-to-date database does not need Alembic at all.
    """
    found = (_REVISION_FILE.match(p.name) for p in VERSIONS_DIR.iterdir())
    return sorted(m.group(1) for m in found if m)


def head_revision() -> str:
    """The newest schema revision this loopready knows."""
    return known_revisions()[-1]


def current_revision(connectable: Engine | Connection) -> str | None:
    """The schema revision recorded in the database, or ``None`` for an empty one."""
    if isinstance(connectable, Engine):
        with connectable.connect() as connection:
            return current_revision(connection)
    if not inspect(connectable).has_table("alembic_version"):
        return None
    versions = connectable.execute(text("SELECT version_num FROM alembic_version")).scalars()
    found = sorted(versions)
    if len(found) > 1:
        raise StorageError(
            f"The database records several schema revisions ({', '.join(found)}); "
            "loopready expects one. Restore a backup or ask for help."
        )
    return found[0] if found else None


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration, built in code: no ``alembic.ini`` is needed.

    With *connection*, ``env.py`` runs the migrations on it (inside its transaction).
    """
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    config.set_main_option("path_separator", "os")
    config.attributes["connection"] = connection
    return config


@contextmanager
def _migration_transaction(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction that no other migrating process can enter."""
    with engine.connect() as connection:
        if engine.dialect.name != "sqlite":
            with connection.begin():
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_MIGRATION_LOCK}
                )
                yield connection
            return
        # SQLite's own procedure for schema changes: foreign keys off outside the
        # transaction (copying a table must not cascade deletes), check them before commit.
        raw = connection.connection.dbapi_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys = OFF")
        try:
            connection.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})
            with connection.begin():
                yield connection
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise StorageError(
                        f"A migration left {len(broken)} rows pointing at missing rows "
                        f"(first: {tuple(broken[0])}); nothing was changed."
                    )
        finally:
            raw.execute("PRAGMA foreign_keys = ON")


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade the schema to *revision* (default: the newest).

    All pending migrations run in one transaction: if one fails, none is kept.
    """
    from alembic import command

    with _migration_transaction(engine) as connection:
        command.upgrade(alembic_config(connection), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Downgrade the schema to *revision* (``"base"`` drops every table). For developers."""
    from alembic import command

    with _migration_transaction(engine) as connection:
        command.downgrade(alembic_config(connection), revision)


def ensure_schema(engine: Engine) -> None:
    """Migrate to the newest revision unless the database is already there."""
    current = current_revision(engine)
    known = known_revisions()
    if current == known[-1]:
        return
    if current is not None and current not in known:
        raise StorageError(
            f"The database uses schema revision {current}, newer than this loopready "
            f"understands (up to {known[-1]}). Upgrade loopready: pip install -U loopready"
        )
    try:
        migrate(engine)
    except (LoopreadyError, exc.DBAPIError):
        raise
    except Exception as error:
        raise StorageError(
            f"Upgrading the database at {mask_url(engine.url)} from schema revision "
            f"{current or '(empty)'} to {known[-1]} failed: {_first_line(error)}. Nothing was "
            "changed; your data is as it was. Please report this problem."
        ) from error


# --- the database handle ----------------------------------------------------------------


def _ensure_user(engine: Engine, name: str) -> str:
    """The id of user *name*, created if missing (safe when two processes race)."""
    query = select(User.id).where(User.name == name)
    with Session(engine) as session:
        found = session.scalar(query)
    if found is not None:
        return found
    try:
        with Session(_writer(engine)) as session, session.begin():
            found = session.scalar(query)
            if found is not None:
                return found
            user = User(name=name)
            session.add(user)
            session.flush()
            return user.id
    except exc.IntegrityError:
        # Another process created the user between our look and our insert.
        with Session(engine) as session:
            return session.scalars(query).one()


class Database:
    """An open, migrated database and the user whose data it holds.

    Use :meth:`session` for work that writes and :meth:`read_session` for reading.
    Objects returned from a session stay usable after it ends (``expire_on_commit`` is
    off), but lazy relationships must be loaded inside it.
    """

    def __init__(self, engine: Engine, user_id: str, user_name: str) -> None:
        self.engine = engine
        self.user_id = user_id
        self.user_name = user_name
        self._write = sessionmaker(bind=_writer(engine), expire_on_commit=False)
        self._read = sessionmaker(bind=engine, expire_on_commit=False)

    @property
    def url(self) -> str:
        """The database URL with the password masked."""
        return mask_url(self.engine.url)

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed when the block ends, rolled back on error.

        On SQLite the transaction takes the write lock when it starts (waiting up to
        ``BUSY_TIMEOUT_MS`` for another writer), so keep the block short.
        """
        with _storage_errors(), self._write.begin() as session:
            yield session

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        """A session for reading; it never blocks writers."""
        with _storage_errors(), self._read.begin() as session:
            yield session

    def revision(self) -> str | None:
        """The schema revision recorded in the database."""
        return current_revision(self.engine)

    def close(self) -> None:
        """Release every connection."""
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Database({self.url!r}, user={self.user_name!r})"


@contextmanager
def _storage_errors() -> Iterator[None]:
    try:
        yield
    except exc.OperationalError as error:
        if "locked" in str(error.orig):
            raise StorageError(
                "The database stayed locked by another loopready process for "
                f"{BUSY_TIMEOUT_MS / 1000:g} s. Close it (or wait for it) and try again."
            ) from error
        raise


def open_db(url: str | None = None, *, user: str = LOCAL_USER) -> Database:
    """Open (creating and migrating as needed) the database at *url*.

    *url* defaults to :func:`loopready.settings.database_url`: ``LOOPREADY_DATABASE_URL``
    or ``loopready.db`` in the data folder. The user named *user* is created on first open.
    Raises :class:`StorageError` when the database cannot be reached or migrated.
    """
    target = url if url is not None else settings.database_url()
    engine = create_engine(target)
    try:
        ensure_schema(engine)
        user_id = _ensure_user(engine, user)
    except exc.DBAPIError as error:
        engine.dispose()
        raise StorageError(
            f"Cannot open the database at {mask_url(engine.url)}: {_first_line(error.orig)}. "
            "Check LOOPREADY_DATABASE_URL, that the database server is running, and that "
            "its user may create tables there."
        ) from error
    except BaseException:
        engine.dispose()
        raise
    return Database(engine, user_id, user)


def _first_line(error: BaseException | None) -> str:
    message = str(error).strip() if error is not None else "unknown error"
    return message.splitlines()[0] if message else type(error).__name__
