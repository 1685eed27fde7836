"""Bring the database schema to the head revision; Alembic is imported only when needed."""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine

from studyapp.storage.backup import copy_database, timestamp
from studyapp.storage.engine import WRITE_OPTION, writing
from studyapp.storage.errors import DatabaseTooNewError, NotADatabaseError

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

# Every revision in migrations/versions, oldest first. A test checks this against Alembic's
# own view, so start-up can compare revisions without importing Alembic.
KNOWN_REVISIONS: tuple[str, ...] = ("0001", "0002", "0003", "0004")
HEAD_REVISION = KNOWN_REVISIONS[-1]


@dataclass(frozen=True)
class MigrationResult:
    from_revision: str | None
    to_revision: str
    backup: Path | None  # the copy made before upgrading an existing database


def current_revision(connection: Connection) -> str | None:
    """The database's Alembic revision, or None for a database with no StudyApp schema yet."""
    return read_revision(_sqlite(connection))


def _sqlite(connection: Connection) -> sqlite3.Connection:
    raw = connection.connection.driver_connection
    assert isinstance(raw, sqlite3.Connection)
    return raw


def read_revision(connection: sqlite3.Connection) -> str | None:
    has_version_table = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
    ).fetchone()
    if not has_version_table:
        return None
    row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return str(row[0]) if row else None


def refuse_if_unusable(connection: sqlite3.Connection, database: Path) -> str | None:
    """Return the revision; raise for a newer schema or a foreign SQLite file. Reads only."""
    revision = read_revision(connection)
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise DatabaseTooNewError(
            f"{database} was written by a newer StudyApp (schema revision {revision!r}; "
            f"this version knows up to {HEAD_REVISION!r}). It has been left untouched: "
            "update StudyApp to open it."
        )
    if revision is None:
        tables = connection.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchone()
        if tables and tables[0]:
            raise NotADatabaseError(
                f"{database} is an SQLite database, but not a StudyApp one (it has tables of "
                "its own and no StudyApp schema). It has been left untouched; choose another "
                "data dir with --data-dir."
            )
    return revision


def ensure_schema(
    engine: Engine, database: Path, backup_dir: Path, now: dt.datetime
) -> MigrationResult:
    """Check the revision; upgrade a fresh or older database (backing an older one up first)."""
    with engine.connect() as connection:
        revision = refuse_if_unusable(_sqlite(connection), database)
    if revision == HEAD_REVISION:
        return MigrationResult(revision, revision, None)
    backup = None
    if revision is not None:
        backup = copy_database(
            database, backup_dir / f"study-before-upgrade-from-{revision}-{timestamp(now)}.sqlite3"
        )
        log.info("backed up %s to %s before upgrading its schema", database, backup)
        upgrade_to_head(engine)
        compact(engine, database)
    else:
        create_at_head(engine)
    return MigrationResult(revision, HEAD_REVISION, backup)


def compact(engine: Engine, database: Path) -> None:
    """VACUUM after an upgrade: the tables it rebuilt left their old pages free (a 150 MB
    collection upgraded to 0004 was 160 MB, 100 MB once compacted). A failure (another
    process reading, a full disk) leaves the upgraded file as it was, only larger."""
    with engine.connect() as connection:
        raw = _sqlite(connection)
        try:
            raw.execute("VACUUM")
            raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the WAL held the whole copy
        except sqlite3.Error as error:
            log.warning("could not compact %s after upgrading it: %s", database, error)


def create_at_head(engine: Engine) -> None:
    """A new database: create the models' schema and stamp it at head, in one transaction.

    Equivalent to running every migration (a test compares the two schemas), without paying
    for importing Alembic on a first run.
    """
    from studyapp.storage.models import Base

    with writing(engine).begin() as connection:
        # The write lock is ours from BEGIN IMMEDIATE: a second StudyApp (two --check at once)
        # waited here, and finds the schema made by the first.
        if read_revision(_sqlite(connection)) == HEAD_REVISION:
            return
        Base.metadata.create_all(connection)
        connection.exec_driver_sql(
            "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
            "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"
        )
        connection.exec_driver_sql(
            "INSERT INTO alembic_version (version_num) VALUES (?)", (HEAD_REVISION,)
        )


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's Config built in code: no alembic.ini; the live connection passed through."""
    from alembic.config import Config

    from studyapp.paths import migrations_dir

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


class MigrationError(Exception):
    """A migration left the database inconsistent; it was rolled back."""


def upgrade_to_head(engine: Engine, revision: str = "head") -> None:
    """Run the migrations in one transaction, with foreign keys off while tables are rebuilt.

    SQLite's own recipe for changing a table (create, copy, drop, rename) needs foreign keys
    off, or dropping the old table would cascade into its children; they are checked with
    foreign_key_check before the commit instead.
    """
    from alembic import command

    with engine.connect() as connection:
        raw = _sqlite(connection)
        raw.execute("PRAGMA foreign_keys = OFF")  # not inside a transaction: it would be ignored
        try:
            with connection.execution_options(**{WRITE_OPTION: True}).begin():
                command.upgrade(alembic_config(connection), revision)
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    tables = sorted({str(row[0]) for row in broken})
                    raise MigrationError(
                        f"the upgrade would leave {len(broken)} broken links in "
                        f"{', '.join(tables)}; nothing was changed"
                    )
        finally:
            raw.execute("PRAGMA foreign_keys = ON")
