"""Recovery: a damaged database is kept aside; restores check the backup and back up first."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from studyapp.collection import Collection
from studyapp.storage.backup import list_backups, make_backup
from studyapp.storage.errors import CorruptDatabaseError
from studyapp.storage.recovery import newest_good_backup, restore_backup, set_aside
from tests.helpers import corrupt_backup, corrupt_database, fingerprint, unpacked_backup

NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)


def _marker(path: Path) -> str | None:
    connection = sqlite3.connect(unpacked_backup(path, path.parent.parent / "unpacked"))
    try:
        row = connection.execute("SELECT value FROM settings WHERE key = 'marker'").fetchone()
        return None if row is None else str(row[0])
    finally:
        connection.close()


def _set_marker(path: Path, value: str) -> None:
    connection = sqlite3.connect(path)
    connection.execute(
        "INSERT OR REPLACE INTO settings (key, value) VALUES ('marker', ?)", (value,)
    )
    connection.commit()
    connection.close()


def test_set_aside_keeps_the_damaged_file(data_dir: Path) -> None:
    database = data_dir / "study.sqlite3"
    corrupt_database(database)
    before = fingerprint(database)
    kept = set_aside(database, NOW)
    assert kept.name == "study.corrupt-20261127-120000.sqlite3"
    assert not database.exists()
    assert fingerprint(kept) == before
    again = data_dir / "study.sqlite3"
    again.write_bytes(b"x")
    second = set_aside(again, NOW)
    assert second != kept and kept.exists() and second.exists()


def test_restore_backs_up_the_current_database_first(data_dir: Path) -> None:
    database = data_dir / "study.sqlite3"
    backups = data_dir / "backups"
    _set_marker(database, "old")
    old_backup = make_backup(database, backups, NOW - dt.timedelta(days=1))
    _set_marker(database, "current")

    result = restore_backup(old_backup, database, backups, NOW)

    assert _marker(database) == "old"
    assert result.safety_backup is not None and _marker(result.safety_backup) == "current"
    assert {info.path for info in list_backups(backups)} == {old_backup, result.safety_backup}
    reopened = Collection.open(data_dir, lambda: NOW)
    reopened.close()
    assert not (data_dir / "study.sqlite3.restoring").exists()


def test_a_damaged_backup_is_refused_and_nothing_changes(data_dir: Path) -> None:
    database = data_dir / "study.sqlite3"
    backups = data_dir / "backups"
    bad = make_backup(database, backups, NOW - dt.timedelta(days=1))
    corrupt_backup(bad)
    before = fingerprint(database)
    with pytest.raises(CorruptDatabaseError, match="damaged"):
        restore_backup(bad, database, backups, NOW)
    assert fingerprint(database) == before
    assert [info.path for info in list_backups(backups)] == [bad]


def test_newest_good_backup_skips_damaged_ones(data_dir: Path) -> None:
    database = data_dir / "study.sqlite3"
    backups = data_dir / "backups"
    good = make_backup(database, backups, NOW - dt.timedelta(days=2))
    newest = make_backup(database, backups, NOW - dt.timedelta(days=1))
    corrupt_backup(newest)
    found = newest_good_backup(backups)
    assert found is not None and found.path == good
    assert newest_good_backup(data_dir / "no-backups") is None


def test_restoring_over_a_damaged_database_keeps_it_aside(data_dir: Path) -> None:
    database = data_dir / "study.sqlite3"
    backups = data_dir / "backups"
    _set_marker(database, "good")
    good = make_backup(database, backups, NOW - dt.timedelta(hours=1))
    corrupt_database(database)
    damaged = fingerprint(database)
    result = restore_backup(good, database, backups, NOW)
    assert result.safety_backup is None
    assert _marker(database) == "good"
    kept = list(data_dir.glob("study.corrupt-*.sqlite3"))
    assert len(kept) == 1 and fingerprint(kept[0]) == damaged
