"""Backups: consistent copies, Anki's retention policy, review counts."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from studyapp.collection import Collection
from studyapp.storage.backup import (
    BackupInfo,
    backups_to_prune,
    list_backups,
    make_backup,
    prune_backups,
    review_count,
)
from tests.helpers import unpacked_backup

UTC = dt.UTC
NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def test_backup_is_a_consistent_readable_copy(collection: Collection, tmp_path: Path) -> None:
    with collection.database.sessions.begin() as session:  # an open WAL database, with writes
        session.connection().exec_driver_sql(
            "INSERT INTO settings (key, value) VALUES ('marker', '\"before backup\"')"
        )
    path = make_backup(collection.database.path, tmp_path / "backups", NOW)
    assert path.name == "backup-20261127-120000.zip"
    copy = sqlite3.connect(unpacked_backup(path, tmp_path / "unpacked"))
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT value FROM settings WHERE key = 'marker'").fetchone() == (
            '"before backup"',
        )
        assert copy.execute("SELECT count(*) FROM cards").fetchone()[0] == 41
    finally:
        copy.close()
    assert not list((tmp_path / "backups").glob("*.partial"))
    second = make_backup(collection.database.path, tmp_path / "backups", NOW)
    assert second.name == "backup-20261127-120000-1.zip", "same second: a new name, no overwrite"
    assert [info.path for info in list_backups(tmp_path / "backups")] == [second, path]
    assert review_count(path) == 0
    assert review_count(tmp_path / "missing.sqlite3") is None
    assert review_count(tmp_path / "missing.zip") is None


def _infos(moments: list[dt.datetime]) -> list[BackupInfo]:
    return [BackupInfo(Path(f"backup-{m:%Y%m%d-%H%M%S}.sqlite3"), m) for m in moments]


def test_retention_keeps_today_yesterday_then_daily_weekly_monthly() -> None:
    # One backup every 6 hours for 400 days.
    moments = [NOW - dt.timedelta(hours=6 * step) for step in range(4 * 400)]
    infos = _infos(moments)
    pruned = set(backups_to_prune(infos, NOW, UTC))
    kept = sorted((info.created for info in infos if info.path not in pruned), reverse=True)

    today, yesterday = NOW.date(), NOW.date() - dt.timedelta(days=1)
    recent = [moment for moment in kept if moment.date() in (today, yesterday)]
    assert len(recent) == len([m for m in moments if m.date() in (today, yesterday)])
    older = [moment for moment in kept if moment.date() < yesterday]
    assert len(older) == 12 + 10 + 9
    daily = older[:12]
    assert [m.date() for m in daily] == [yesterday - dt.timedelta(days=n) for n in range(1, 13)]
    assert all(m.hour == 18 for m in daily), "the newest backup of each day is the one kept"
    assert len({m.date() for m in older}) == len(older), "at most one per day beyond yesterday"
    assert older[-1] < NOW - dt.timedelta(days=180), "monthly backups reach back for months"
    assert older[-1] > NOW - dt.timedelta(days=400)


def test_retention_with_few_backups_prunes_nothing() -> None:
    infos = _infos([NOW - dt.timedelta(days=n) for n in range(0, 30, 3)])
    assert backups_to_prune(infos, NOW, UTC) == []


def test_prune_deletes_only_backups(tmp_path: Path) -> None:
    backups = tmp_path / "backups"
    backups.mkdir()
    for day in range(40):
        moment = NOW - dt.timedelta(days=day)
        (backups / f"backup-{moment:%Y%m%d-%H%M%S}.sqlite3").write_bytes(b"x")
    other = backups / "study-before-upgrade-from-0001-20260101-000000.sqlite3"
    other.write_bytes(b"keep me")
    pruned = prune_backups(backups, NOW, UTC)
    assert pruned and all(not path.exists() for path in pruned)
    assert other.exists()
    remaining = list_backups(backups)
    assert len(remaining) == 40 - len(pruned)
    assert remaining[0].created == NOW


def test_a_data_dir_of_any_name_keeps_everything_inside_it(tmp_path: Path) -> None:
    """`?`, `#` and `%41` are URL syntax: none of them may move the collection elsewhere."""
    from studyapp.collection import Collection
    from studyapp.storage.recovery import newest_good_backup, verify_backup

    data_dir = tmp_path / "a?b#c%41 d é"
    collection = Collection.open(data_dir)
    try:
        collection.answer("parties", 3, 1000)
        backup = collection.backup()
        assert collection.check().ok
    finally:
        collection.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a?b#c%41 d é"]
    assert (data_dir / "study.sqlite3").stat().st_size > 20_000
    assert backup.parent == data_dir / "backups"
    verify_backup(backup)
    good = newest_good_backup(data_dir / "backups")
    assert good is not None and good.path == backup
    with sqlite3.connect(unpacked_backup(backup, tmp_path / "unpacked")) as copy:
        assert copy.execute("SELECT count(*) FROM review_log").fetchone() == (1,)
