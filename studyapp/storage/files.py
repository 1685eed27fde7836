"""The files of an SQLite database: opening one read-only by a URI that survives any folder
name (a data dir may be called `a?b#c%41 d é`), copying one consistently, and giving a
finished copy its final name."""

from __future__ import annotations

import os
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


def snapshot(source: Path, destination: Path) -> None:
    """Copy a live database into destination with SQLite's backup API: a consistent copy
    (never a raw copy of the file), read through a read-only connection, in rollback-journal
    mode so that it is one self-contained file. Connections are opened and closed here, so
    any thread may call it."""
    source_connection = connect_readonly(source)
    try:
        target_connection = sqlite3.connect(destination)
        try:
            source_connection.backup(target_connection)
            target_connection.execute("PRAGMA journal_mode = DELETE")
        finally:
            target_connection.close()
    finally:
        source_connection.close()


def publish(partial: Path, target: Path) -> None:
    """Give a finished (and flushed) file its final name, never replacing a file of that name,
    and make the new name durable."""
    try:
        os.link(partial, target)  # fails if target exists: nothing is ever overwritten
    except FileExistsError:
        raise FileExistsError(f"{target} already exists; not overwriting it") from None
    except OSError:
        # A file system without hard links (FAT, some network shares): check, then rename.
        if target.exists():
            raise FileExistsError(f"{target} already exists; not overwriting it") from None
        os.rename(partial, target)
    else:
        partial.unlink()
    sync_folder(target.parent)


def sync_folder(folder: Path) -> None:
    """Flush a folder's entries (a rename) to disk where the system allows it (not Windows)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def newest_answer_query(connection: sqlite3.Connection) -> str:
    """SQL for (answers, the newest answer's key, the newest answer's time in microseconds)
    in a database of any revision: the key is the review log's integer id up to revision
    0003 and the answer's time from 0004 on; the time is comparable across revisions."""
    columns = {str(row[1]) for row in connection.execute("PRAGMA table_info(review_log)")}
    key = "id" if "id" in columns else "reviewed_at"
    return f"SELECT count(*), max({key}), max(reviewed_at) FROM review_log"
