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
