"""The SQLAlchemy engine over one SQLite file: how every connection is set up."""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, QueuePool, create_engine, event

from studyapp.storage.plain_sql import Rows
from studyapp.storage.search_index import register_functions

WRITE_OPTION = "studyapp_write"  # execution option: this transaction will write
# How long a connection waits for another one's lock before it reports "database is locked".
BUSY_TIMEOUT_MS = 5000


def create_sqlite_engine(path: Path) -> Engine:
    """An engine with foreign keys on, WAL journal, full fsync and real transactions."""
    # The file is opened by sqlite3 itself, not through a URL: no folder name can be read as
    # URL syntax (`?`, `#`, `%41`) and put the collection somewhere else.
    target = str(path.absolute())
    engine = create_engine(
        "sqlite://",
        creator=lambda: sqlite3.connect(
            target, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
        ),
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
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()
        ensure_pow(dbapi_connection)

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        # A write takes the lock when it begins: a deferred BEGIN that later needs the write
        # lock fails at once on a busy database instead of waiting out the busy timeout.
        writing = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")

    return engine


def ensure_pow(connection: sqlite3.Connection) -> None:
    """pow(), for the forgetting curve in statistics: built in where SQLite has its math
    functions (most builds), else Python's (C's pow either way, so the figures agree)."""
    try:
        connection.execute("SELECT pow(2.0, 0.5)").fetchone()
    except sqlite3.OperationalError:
        connection.create_function("pow", 2, math.pow, deterministic=True)


def writing(engine: Engine) -> Engine:
    """The engine whose transactions begin IMMEDIATE (they will write)."""
    return engine.execution_options(**{WRITE_OPTION: True})


def core_rows(connection: Connection) -> Rows:
    """The plain SQL reads (storage/plain_sql.py) on a SQLAlchemy connection, inside its
    transaction: the text goes to sqlite3 as it is, as on the first screen's reader."""

    def run(sql: str, parameters: Mapping[str, Any]) -> Sequence[Sequence[Any]]:
        return connection.exec_driver_sql(sql, dict(parameters)).all()

    return run
