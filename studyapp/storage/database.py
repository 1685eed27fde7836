"""Open the collection: check the folder and file, connect, migrate, and hand out sessions."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, QueuePool, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from studyapp.clock import utc_now
from studyapp.paths import backup_dir, database_path
from studyapp.storage.errors import (
    CorruptDatabaseError,
    DataDirError,
    NotADatabaseError,
    StorageError,
    UnreadableHeaderError,
)
from studyapp.storage.files import connect_readonly, side_files
from studyapp.storage.migrate import (
    MigrationError,
    MigrationResult,
    ensure_schema,
    refuse_if_unusable,
)
from studyapp.storage.search_index import register_functions

SQLITE_HEADER = b"SQLite format 3\x00"
# Up to this size every start runs SQLite's quick check (tens of ms); above it the check would
# cost hundreds of ms per start (about 280 ms for 177 MB here), so start-up only reads the
# schema and leaves the page-by-page check to --check and Tools > Check Database.
FULL_PROBE_MAX_BYTES = 64 * 1024 * 1024
_LEFT_ALONE = "StudyApp has not changed it."
WRITE_OPTION = "studyapp_write"  # execution option: this transaction will write


@dataclass
class Database:
    """An open collection: its file, its engine and factories for short-lived sessions:
    `sessions` for reading, `writes` for write transactions (BEGIN IMMEDIATE)."""

    data_dir: Path
    path: Path
    engine: Engine
    sessions: sessionmaker[Session]
    writes: sessionmaker[Session]
    migration: MigrationResult

    def close(self) -> None:
        self.engine.dispose()


def open_database(data_dir: Path, now: Callable[[], dt.datetime] = utc_now) -> Database:
    """Open (creating or upgrading if needed) the database in data_dir.

    Raises a StorageError with a message for the user; a file that is not a sound SQLite
    database is refused before anything is written to it.
    """
    prepare_data_dir(data_dir)
    path = database_path(data_dir)
    probe_database_file(path)
    engine = create_sqlite_engine(path)
    try:
        migration = ensure_schema(engine, path, backup_dir(data_dir), now())
    except MigrationError as error:
        engine.dispose()
        raise StorageError(
            f"Could not upgrade the database {path}: {error}. It is as it was before; a copy "
            f"is in {backup_dir(data_dir)}."
        ) from error
    except (sqlite3.Error, DBAPIError, OSError) as error:
        engine.dispose()
        reason = error.orig if isinstance(error, DBAPIError) else error
        raise StorageError(
            f"Could not prepare the database {path}: {reason}. Is another program using it, "
            "or is the disk full? Nothing was changed."
        ) from error
    except BaseException:
        engine.dispose()
        raise
    writer = engine.execution_options(**{WRITE_OPTION: True})
    return Database(
        data_dir,
        path,
        engine,
        sessionmaker(engine, expire_on_commit=False),
        sessionmaker(writer, expire_on_commit=False),
        migration,
    )


def prepare_data_dir(data_dir: Path) -> None:
    """Create the data dir if needed and make sure StudyApp can write there."""
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except FileExistsError as error:
        raise DataDirError(
            f"The data dir {data_dir} cannot be used: a file of that name is in the way."
        ) from error
    except OSError as error:
        raise DataDirError(
            f"The data dir {data_dir} cannot be created: {error.strerror or error}."
        ) from error
    if not data_dir.is_dir():
        raise DataDirError(f"The data dir {data_dir} cannot be used: it is not a folder.")
    if not os.access(data_dir, os.W_OK | os.X_OK):
        raise DataDirError(
            f"The data dir {data_dir} is not writable, so StudyApp cannot keep your progress "
            "there. Fix its permissions or choose another with --data-dir."
        )


def probe_database_file(path: Path) -> None:
    """Refuse a file that is not an SQLite database or fails SQLite's quick check (for files
    up to FULL_PROBE_MAX_BYTES; larger ones get a schema read).

    The file is only read (SQLite's read-only mode), never written.
    """
    if not path.exists():
        return
    if not path.is_file():
        raise NotADatabaseError(f"{path} is not a file, so it cannot be StudyApp's database.")
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise StorageError(
            f"Cannot read the database {path}: {error.strerror or error}."
        ) from error
    if not header:
        return  # an empty file is an empty SQLite database
    if header != SQLITE_HEADER:
        raise UnreadableHeaderError(
            f"{path} is not an SQLite database (its first bytes are not SQLite's header). "
            f"{_LEFT_ALONE} Move it away or choose another data dir with --data-dir."
        )
    # A read-only reader of a WAL database creates empty -wal/-shm files; remove those we made.
    made = [side for side in side_files(path) if not side.exists()]
    try:
        connection = connect_readonly(path)
    except sqlite3.Error as error:
        raise StorageError(f"Cannot open the database {path}: {error}.") from error
    try:
        if path.stat().st_size <= FULL_PROBE_MAX_BYTES:
            problems = [row[0] for row in connection.execute("PRAGMA quick_check").fetchall()]
        else:
            # A large collection: reading the schema and revision still catches a damaged
            # header or catalogue; the full page check is `--check` and Tools > Check Database.
            problems = ["ok"]
        if problems == ["ok"]:
            refuse_if_unusable(connection, path)
    except sqlite3.DatabaseError as error:
        raise CorruptDatabaseError(
            f"The database {path} is damaged and cannot be read (SQLite says: {error}). "
            f"{_LEFT_ALONE}"
        ) from error
    finally:
        connection.close()
        for side in made:
            # Our -shm is only an index; our -wal could hold nothing, but keep it if not empty.
            if side.name.endswith("-shm") or (side.exists() and side.stat().st_size == 0):
                side.unlink(missing_ok=True)
    if problems != ["ok"]:
        shown = "; ".join(problems[:3]) + (" …" if len(problems) > 3 else "")
        raise CorruptDatabaseError(
            f"The database {path} is damaged: SQLite's integrity check reports {shown}. "
            f"{_LEFT_ALONE}"
        )


def create_sqlite_engine(path: Path) -> Engine:
    """An engine with foreign keys on, WAL journal, full fsync and real transactions."""
    # The file is opened by sqlite3 itself, not through a URL: no folder name can be read as
    # URL syntax (`?`, `#`, `%41`) and put the collection somewhere else.
    target = str(path.absolute())
    engine = create_engine(
        "sqlite://",
        creator=lambda: sqlite3.connect(target, check_same_thread=False),
        poolclass=QueuePool,
    )

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from the sqlite3 module so that BEGIN covers DDL too
        # (a failed migration or seeding then leaves nothing half-written).
        dbapi_connection.isolation_level = None
        register_functions(dbapi_connection)  # the search index's triggers call them
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA busy_timeout = 5000")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        # A write takes the lock when it begins: a deferred BEGIN that later needs the write
        # lock fails at once on a busy database instead of waiting out the busy timeout.
        writing = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")

    return engine
