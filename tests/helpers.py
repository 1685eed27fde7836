"""Small helpers shared by tests: file fingerprints, databases from fixture dumps, and
damaging a database on purpose."""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import sqlite3
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from studyapp.storage import models
from studyapp.storage.search_index import register_functions


def fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def database_from_dump(dump: Path, target: Path) -> Path:
    """A database file made from an SQL dump (a fixture of a released revision or dataset)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(target)
    register_functions(connection)  # a 0004 dump fills its search index through the view
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


def damage_page_of(path: Path, name: str) -> None:
    """Overwrite the root page of one table or index with junk: only a page check (or a read
    of that table) finds it, not opening the database and reading its schema."""
    connection = sqlite3.connect(path)
    try:
        page_size = int(connection.execute("PRAGMA page_size").fetchone()[0])
        (root,) = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = ?", (name,)
        ).fetchone()
    finally:
        connection.close()
    with path.open("r+b") as handle:
        handle.seek((int(root) - 1) * page_size)
        handle.write(b"\x5a" * page_size)


def unpacked_backup(backup: Path, folder: Path) -> Path:
    """A backup as a database file to read: an archive's copy unpacked into folder (checked
    against its checksum), a plain copy as it is."""
    from studyapp.storage.archive import extract_database, is_archive

    if not is_archive(backup):
        return backup
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{backup.name}.sqlite3"
    target.unlink(missing_ok=True)
    extract_database(backup, target)
    return target


def plain_backup(database: Path, backup_dir: Path, now: dt.datetime) -> Path:
    """A backup as the released version wrote it: an uncompressed `backup-<time>.sqlite3`."""
    from studyapp.storage.backup import copy_database, timestamp

    return copy_database(database, backup_dir / f"backup-{timestamp(now)}.sqlite3")


def corrupt_backup(path: Path) -> None:
    """Damage a backup: a plain copy as corrupt_database does; an archive in the middle of its
    compressed data (its central directory, at the end, left whole)."""
    from studyapp.storage.archive import is_archive

    if not is_archive(path):
        corrupt_database(path)
        return
    data = bytearray(path.read_bytes())
    assert len(data) > 4096, "the archive is too small to damage realistically"
    for index in range(1024, len(data) - 1024):
        data[index] = 0x5A
    path.write_bytes(bytes(data))


def fill_the_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """A full disk while a backup archive is written: the database member goes in, then the
    write fails with ENOSPC (before the zip's directory), as a full disk would."""
    real_write = zipfile.ZipFile.write

    def write(
        self: zipfile.ZipFile, filename: object, arcname: object = None, **kw: object
    ) -> None:
        real_write(self, filename, arcname)  # type: ignore[arg-type]
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(zipfile.ZipFile, "write", write)


# The review log as the head revision keeps it, each answer's card by its text id, in time order.
HEAD_HISTORY = (
    "SELECT c.id, r.rating, r.reviewed_at, r.duration_ms, r.state_before, r.due_before, "
    "r.last_review_before, r.state_after, r.step_after, r.stability_after, r.difficulty_after, "
    "r.due_after FROM review_log r JOIN cards c ON c.number = r.card_number ORDER BY r.reviewed_at"
)
# The same columns of a revision 0001-0003 row (id, card_id, rating, reviewed_at, ...): from 0004
# the stability, difficulty and step before an answer are not stored (they are the previous
# answer's after-values), nor the row's integer id (the answer's time is its key).
_KEPT_COLUMNS = (1, 2, 3, 4, 5, 9, 10, 11, 12, 13, 14, 15)


def released_history(rows: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    """`SELECT * FROM review_log` rows of a released revision (times already as integers), in
    HEAD_HISTORY's columns and order."""
    ordered = sorted(rows, key=lambda row: (row[3], row[0]))  # type: ignore[operator]
    return [tuple(row[index] for index in _KEPT_COLUMNS) for row in ordered]


def with_card_numbers(session: Session, rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """Review log rows written with each card's text id as `card_id`, keyed as the log keeps
    them: by the card's integer key, `card_number`."""
    numbers = {
        card_id: number
        for card_id, number in session.execute(select(models.Card.id, models.Card.number))
    }
    return [
        {**{k: v for k, v in row.items() if k != "card_id"}, "card_number": numbers[row["card_id"]]}
        for row in rows
    ]
