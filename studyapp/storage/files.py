"""The files of an SQLite database, and opening one read-only by a URI that survives any
folder name (a data dir may be called `a?b#c%41 d é`)."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def side_files(database: Path) -> list[Path]:
    """The -wal and -shm files SQLite keeps beside a WAL database."""
    return [database.with_name(database.name + suffix) for suffix in ("-wal", "-shm")]


def readonly_uri(path: Path) -> str:
    """A `file:` URI for SQLite's read-only mode, every special character percent-quoted."""
    return f"{path.absolute().as_uri()}?mode=ro"


def connect_readonly(path: Path, timeout: float = 5.0) -> sqlite3.Connection:
    """Open a database file read-only; it is never written, whatever the caller does."""
    return sqlite3.connect(readonly_uri(path), uri=True, timeout=timeout)
