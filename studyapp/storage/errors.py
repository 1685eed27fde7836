"""Storage errors: each carries a message fit to show the user as it is."""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path


class StorageError(Exception):
    """The database or its folder cannot be used; str() says what, where and why."""


class DataDirError(StorageError):
    """The data dir cannot be created or written."""


class NotADatabaseError(StorageError):
    """The file is not an SQLite database, or not a StudyApp one."""


class CorruptDatabaseError(StorageError):
    """The file is an SQLite database that fails its integrity check or cannot be read."""


class DamagedBackupError(CorruptDatabaseError):
    """A backup archive that cannot be read whole: not a zip, cut short, a bad checksum, a
    member missing. str() names the file and says why."""


class DatabaseTooNewError(StorageError):
    """The database was written by a newer StudyApp whose schema this one does not know."""


class UnreadableHeaderError(CorruptDatabaseError):
    """The file does not start with SQLite's header: not a database, or its first page is
    damaged. In StudyApp's own data dir, recovery from a backup is offered."""


class EmptyDatabaseError(CorruptDatabaseError):
    """The database file is empty (or cut short) while backups with answers exist: not a new
    collection, a lost one. Recovery is offered; it is never silently started afresh."""


class DatabaseLockedError(StorageError):
    """Another program holds the database locked: not damage. Retry or quit, never restore."""


def is_damage(error: BaseException) -> bool:
    """True for SQLite's "the file is damaged" errors (plain DatabaseError: "database disk
    image is malformed", "file is not a database"; text that is not UTF-8), not for locks
    or a full disk."""
    original = getattr(error, "orig", error)
    if isinstance(original, sqlite3.OperationalError) and "decode" in str(original):
        return True  # "Could not decode to UTF-8 column ...": a damaged text value
    return type(original) is sqlite3.DatabaseError


def is_locked(error: BaseException) -> bool:
    """True when SQLite gave up waiting for another connection's lock."""
    original = getattr(error, "orig", error)
    if not isinstance(original, sqlite3.Error):
        return False
    name = getattr(original, "sqlite_errorname", "") or ""
    return name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in str(
        original
    )


def holders_of(path: Path) -> list[str]:
    """Programs that have the file open ("sqlite3 (pid 4242)"), where the system tells
    (Linux's /proc); an empty list elsewhere or when it cannot be read."""
    proc = Path("/proc")
    if not proc.is_dir():
        return []
    target = os.path.realpath(path)
    found = []
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            for fd in (entry / "fd").iterdir():
                if os.path.realpath(fd) == target:
                    name = (entry / "comm").read_text(encoding="utf-8").strip()
                    found.append(f"{name} (pid {entry.name})")
                    break
        except OSError:
            continue
    return found


def locked_message(path: Path, error: BaseException, waited_s: float) -> str:
    holders = holders_of(path)
    who = f" ({', '.join(holders)} has it open)" if holders else ""
    return (
        f"The database {path} is in use by another program{who}: SQLite says "
        f"“{getattr(error, 'orig', error)}” after waiting {waited_s:g} seconds. It is not "
        "damaged, and StudyApp has not changed it. Close the other program (a sync tool or "
        "an SQLite browser, say) and try again."
    )


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


class _SQLAlchemyNotLoaded(Exception):
    """Never raised: stands for SQLAlchemy's errors while SQLAlchemy is not loaded."""


def sqlalchemy_error(name: str = "SQLAlchemyError") -> type[Exception]:
    """SQLAlchemy's error class of that name (sqlalchemy.exc), for an `except` clause in a
    module the window imports before SQLAlchemy is loaded (collection/first_screen.py): while
    it is not loaded, none of its errors can be in flight, and the clause matches nothing."""
    module = sys.modules.get("sqlalchemy.exc")
    if module is None:
        return _SQLAlchemyNotLoaded
    error: type[Exception] = getattr(module, name)
    return error
