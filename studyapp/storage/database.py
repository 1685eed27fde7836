"""Open the collection: check the folder and file, connect, migrate, and hand out sessions."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from studyapp.clock import utc_now
from studyapp.paths import backup_dir, database_path
from studyapp.storage import migrate
from studyapp.storage.backup import list_backups, review_count, timestamp
from studyapp.storage.checkpoints import Checkpoints
from studyapp.storage.engine import BUSY_TIMEOUT_MS, create_sqlite_engine, writing
from studyapp.storage.errors import (
    CorruptDatabaseError,
    DatabaseLockedError,
    EmptyDatabaseError,
    NotADatabaseError,
    StorageError,
    UnreadableHeaderError,
    is_locked,
    locked_message,
    write_failure_message,
)
from studyapp.storage.file_checks import damage_message, quick_check
from studyapp.storage.file_checks import prepare_data_dir as prepare_data_dir
from studyapp.storage.files import connect_readonly, side_files
from studyapp.storage.migrate import (
    MigrationError,
    MigrationResult,
    ensure_schema,
    refuse_if_unusable,
)
from studyapp.storage.wal import WalReport, read_wal

SQLITE_HEADER = b"SQLite format 3\x00"
# Up to this size every start runs SQLite's quick check (tens of ms); above it the check would
# cost hundreds of ms per start (about 280 ms for 177 MB here), so start-up only reads the
# schema and leaves the page-by-page check to --check and Tools > Check Database.
FULL_PROBE_MAX_BYTES = 64 * 1024 * 1024
_LEFT_ALONE = "StudyApp has not changed it."
UNCLEAN_PREFIX = "study-unclean-"  # the copy of a database and -wal a crash left behind


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
    warnings: tuple[str, ...] = ()  # for the user, from opening (a damaged journal, say)
    # The WAL checkpointed off the committing thread (storage/checkpoints.py).
    checkpoints: Checkpoints | None = None

    def close(self) -> None:
        if self.checkpoints is not None:
            self.checkpoints.close()
        self.engine.dispose()


def open_database(
    data_dir: Path,
    now: Callable[[], dt.datetime] = utc_now,
    *,
    being_created: bool = False,
    check_pages: bool = True,
) -> Database:
    """Open (creating or upgrading if needed) the database in data_dir.

    Raises a StorageError with a message for the user; a file that is not a sound SQLite
    database is refused before anything is written to it. being_created: another StudyApp
    is creating this new database, so its -wal is that one's live journal, not a crash's.
    check_pages False: the caller runs SQLite's page check itself (page_damage(), the window
    in a worker thread once it shows), so opening only reads the header and the schema.
    """
    prepare_data_dir(data_dir)
    path = database_path(data_dir)
    unclean = None if being_created else keep_unclean_journal(path, backup_dir(data_dir), now())
    probe_database_file(path, backup_dir(data_dir), check_pages=check_pages)
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
        if is_locked(error):
            raise DatabaseLockedError(
                locked_message(path, error, BUSY_TIMEOUT_MS / 1000)
            ) from error
        raise StorageError(write_failure_message(f"the database {path}", error)) from error
    except BaseException:
        engine.dispose()
        raise
    return Database(
        data_dir,
        path,
        engine,
        sessionmaker(engine, expire_on_commit=False),
        sessionmaker(writing(engine), expire_on_commit=False),
        migration,
        unclean.warnings() if unclean is not None else (),
        Checkpoints(engine),
    )


def probe_database_file(
    path: Path, backups: Path | None = None, *, check_pages: bool = True
) -> None:
    """Refuse a file that is not an SQLite database or fails SQLite's quick check (for files
    up to FULL_PROBE_MAX_BYTES, and only with check_pages; otherwise a schema read); an empty
    one too, when backups with answers show it is a lost collection, not a new one.

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
        if backups is not None and _backups_with_answers(backups):
            raise EmptyDatabaseError(
                f"The database {path} is empty, but {backups} holds backups with answers: "
                f"your collection was lost, not started. {_LEFT_ALONE}"
            )
        return  # an empty file is an empty SQLite database: a new collection
    if header != SQLITE_HEADER:
        raise UnreadableHeaderError(
            f"{path} is not an SQLite database (its first bytes are not SQLite's header). "
            f"{_LEFT_ALONE} Move it away or choose another data dir with --data-dir."
        )
    # A read-only reader of a WAL database creates empty -wal/-shm files; remove those we made.
    made = [side for side in side_files(path) if not side.exists()]
    try:
        connection = connect_readonly(path, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as error:
        raise StorageError(f"Cannot open the database {path}: {error}.") from error
    try:
        checked = path.stat().st_size <= FULL_PROBE_MAX_BYTES
        # A large collection (or one the window checks once it shows): reading the schema and
        # revision still catches a damaged header or catalogue; the full page check is
        # `--check`, Tools > Check Database and the window's worker thread.
        problems = quick_check(connection) if check_pages and checked else ["ok"]
        if problems == ["ok"]:
            revision = refuse_if_unusable(connection, path)
            if not check_pages and checked and revision != migrate.HEAD_REVISION:
                # An upgrade is about to write to it: its pages are checked first after all.
                problems = quick_check(connection)
    except sqlite3.DatabaseError as error:
        if is_locked(error):  # another program holds it: not damage
            raise DatabaseLockedError(
                locked_message(path, error, BUSY_TIMEOUT_MS / 1000)
            ) from error
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
        raise CorruptDatabaseError(damage_message(path, problems, _LEFT_ALONE))


def _backups_with_answers(backups: Path) -> bool:
    return any((review_count(info.path) or 0) > 0 for info in list_backups(backups))


@dataclass(frozen=True)
class UncleanStart:
    """The last session did not close cleanly: its journal is kept aside until it is known
    that opening replays all of it."""

    copy: Path
    report: WalReport | None

    def warnings(self) -> tuple[str, ...]:
        if self.report is None or self.report.intact:
            for kept in (self.copy, self.copy.with_name(self.copy.name + "-wal")):
                kept.unlink(missing_ok=True)
            return ()
        lost = self.report.lost_commits
        return (
            f"The last session did not close cleanly, and part of its journal (the -wal file) "
            f"is damaged: {lost} saved change{'s' if lost != 1 else ''} after the damage could "
            f"not be read back, so your most recent answers may be missing. The database and "
            f"its journal, as they were, are kept in {self.copy} (and {self.copy.name}-wal).",
        )


def keep_unclean_journal(path: Path, backups: Path, now: dt.datetime) -> UncleanStart | None:
    """When a non-empty -wal is left (a crash, a kill), copy it and the database aside, raw,
    before anything opens them: SQLite drops frames after a damaged one when it replays."""
    wal = path.with_name(path.name + "-wal")
    try:
        if not path.is_file() or not wal.is_file() or wal.stat().st_size == 0:
            return None
        backups.mkdir(parents=True, exist_ok=True)
        copy = backups / f"{UNCLEAN_PREFIX}{timestamp(now)}.sqlite3"
        shutil.copyfile(path, copy)
        shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
    except OSError as error:
        raise StorageError(
            f"The last session did not close cleanly, and StudyApp could not copy its "
            f"journal aside before opening ({error.strerror or error}). Nothing was changed; "
            "free some disk space and start again."
        ) from error
    return UncleanStart(copy, read_wal(wal))
