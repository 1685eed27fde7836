"""Small helpers shared by tests: file fingerprints, databases from fixture dumps, and
damaging a database on purpose."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path


def fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def database_from_dump(dump: Path, target: Path) -> Path:
    """A database file made from an SQL dump (a fixture of a released revision or dataset)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(target)
    connection.executescript(dump.read_text(encoding="utf-8"))
    connection.close()
    return target


def corrupt_database(path: Path) -> None:
    """Overwrite pages after the first with junk, keeping SQLite's header intact."""
    data = bytearray(path.read_bytes())
    assert len(data) > 16384, "the database is too small to damage realistically"
    for index in range(4096, min(len(data), 65536)):
        data[index] = 0x5A
    path.write_bytes(bytes(data))
