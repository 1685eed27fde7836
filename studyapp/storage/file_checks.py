"""Checks of the data dir and of the database file that need no SQLAlchemy: the window runs
them before SQLAlchemy is loaded (the data dir) or in a worker thread (the page check)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from studyapp.storage.errors import DataDirError, is_locked
from studyapp.storage.files import connect_readonly

PAGE_CHECK_TIMEOUT_S = 5.0  # as long as a connection of the collection waits for a lock


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


def quick_check(connection: sqlite3.Connection) -> list[str]:
    """SQLite's page-by-page check: ["ok"], or the problems it found."""
    return [str(row[0]) for row in connection.execute("PRAGMA quick_check").fetchall()]


def damage_message(path: Path, problems: list[str], tail: str) -> str:
    shown = "; ".join(problems[:3]) + (" …" if len(problems) > 3 else "")
    return f"The database {path} is damaged: SQLite's integrity check reports {shown}. {tail}"


def page_damage(path: Path) -> str | None:
    """SQLite's quick check of every page of an open collection, read-only, on a connection
    of its own (so any thread may run it; SQLite lets go of the GIL while it reads): the
    message for the user if it finds damage, else None. A file it cannot read for another
    reason (locked, gone) is left to the next read to report."""
    try:
        connection = connect_readonly(path, timeout=PAGE_CHECK_TIMEOUT_S)
    except sqlite3.Error:
        return None
    try:
        problems = quick_check(connection)
    except sqlite3.DatabaseError as error:
        if is_locked(error):
            return None
        problems = [str(error)]
    finally:
        connection.close()
    if problems == ["ok"]:
        return None
    return damage_message(
        path,
        problems,
        "StudyApp found it once the window was open and has stopped using it; what you did "
        "since it opened is in that file too.",
    )
