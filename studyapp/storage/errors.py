"""Storage errors: each carries a message fit to show the user as it is."""

from __future__ import annotations

import sqlite3


class StorageError(Exception):
    """The database or its folder cannot be used; str() says what, where and why."""


class DataDirError(StorageError):
    """The data dir cannot be created or written."""


class NotADatabaseError(StorageError):
    """The file is not an SQLite database, or not a StudyApp one."""


class CorruptDatabaseError(StorageError):
    """The file is an SQLite database that fails its integrity check or cannot be read."""


class DatabaseTooNewError(StorageError):
    """The database was written by a newer StudyApp whose schema this one does not know."""


class UnreadableHeaderError(CorruptDatabaseError):
    """The file does not start with SQLite's header: not a database, or its first page is
    damaged. In StudyApp's own data dir, recovery from a backup is offered."""


def is_damage(error: BaseException) -> bool:
    """True for SQLite's "the file is damaged" errors (plain DatabaseError: "database disk
    image is malformed", "file is not a database"), not for locks or a full disk."""
    original = getattr(error, "orig", error)
    return type(original) is sqlite3.DatabaseError


def write_failure_message(what: str, error: BaseException) -> str:
    """Why `what` could not be saved, in words that point at the real cause."""
    original = getattr(error, "orig", error)
    name = getattr(original, "sqlite_errorname", "") or ""
    reason = str(original)
    lowered = reason.lower()
    unchanged = "Nothing was changed"
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in lowered:
        advice = "another program is using the database. Close it (or wait), then try again"
    elif name.startswith("SQLITE_FULL") or "full" in lowered:
        advice = "the disk is full. Free some disk space, then try again"
    elif name.startswith("SQLITE_READONLY") or "readonly" in lowered or "read-only" in lowered:
        advice = "the database or its folder is read-only. Check its permissions, then try again"
    elif is_damage(error):
        advice = "the database is damaged. Use Tools > Check Database or File > Restore from Backup"
    else:
        advice = "check that the data folder is writable and the disk has room, then try again"
    return f"Could not save {what}: {reason}. {unchanged}: {advice}."
