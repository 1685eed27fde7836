"""Backups: consistent copies via SQLite's backup API, compressed into zip archives (see
archive.py); Anki's retention; the figures of a backup. The released version wrote plain
`.sqlite3` copies: those are still listed, pruned, verified and restored alike."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from studyapp.storage.archive import (
    ARCHIVE_SUFFIX,
    is_archive,
    partial_archive,
    read_manifest,
    scratch_copy,
    write_archive,
)
from studyapp.storage.errors import StorageError
from studyapp.storage.files import connect_readonly, newest_answer_query, publish, snapshot

BACKUP_PREFIX = "backup-"
BACKUP_SUFFIX = ".sqlite3"  # plain copies: the released version's backups, the safety copies
_NAME = re.compile(r"^backup-(\d{8}-\d{6})(?:-(\d+))?(\.sqlite3|\.zip)$")
KEEP_DAILY = 12
KEEP_WEEKLY = 10
KEEP_MONTHLY = 9
# One backup written at a time in this process, whichever thread asks (a periodic one in the
# background, a restore's safety copy): two never pick the same name or compete for the disk.
_ONE_AT_A_TIME = threading.Lock()


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: dt.datetime  # UTC, from the file name

    @property
    def compressed(self) -> bool:
        return is_archive(self.path)


def timestamp(now: dt.datetime) -> str:
    """A file-name-safe UTC timestamp, sortable as text: 20261127-083300."""
    return now.astimezone(dt.UTC).strftime("%Y%m%d-%H%M%S")


def copy_database(source: Path, target: Path) -> Path:
    """Copy a live SQLite file consistently (never a raw file copy), uncompressed; returns the
    target. Used for the copies kept before an upgrade or a pack update.

    The copy is written beside the target and given its name only when complete, so a
    failure (a full disk, say) never leaves a half-written file under the target's name.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        raise FileExistsError(f"{target} already exists; not overwriting it")
    partial = target.with_name(target.name + ".partial")
    try:
        snapshot(source, partial)
        publish(partial, target)
    finally:
        partial.unlink(missing_ok=True)
        partial.with_name(partial.name + "-journal").unlink(missing_ok=True)
    return target


def copy_before_pack_update(
    database: Path, backup_dir: Path, pack_id: str, version: int, now: dt.datetime
) -> Path:
    """A pack update rewrites its content in place (not undoable): the collection as it was."""
    name = f"study-before-pack-update-{pack_id}-v{version}-{timestamp(now)}{BACKUP_SUFFIX}"
    return copy_database(database, backup_dir / name)


def make_backup(database: Path, backup_dir: Path, now: dt.datetime) -> Path:
    """Write a timestamped, compressed backup of the database into backup_dir; returns it.

    A name is taken only if no backup of either kind, and no unfinished one, has it.
    """
    with _ONE_AT_A_TIME:
        backup_dir.mkdir(parents=True, exist_ok=True)
        stem = f"{BACKUP_PREFIX}{timestamp(now)}"
        target = backup_dir / f"{stem}{ARCHIVE_SUFFIX}"
        counter = 1
        while _name_taken(target):
            target = backup_dir / f"{stem}-{counter}{ARCHIVE_SUFFIX}"
            counter += 1
        write_archive(database, target, now)
        return target


def _name_taken(archive: Path) -> bool:
    plain = archive.with_name(archive.name[: -len(ARCHIVE_SUFFIX)] + BACKUP_SUFFIX)
    return any(
        path.exists() for path in (archive, plain, partial_archive(archive), scratch_copy(archive))
    )


def list_backups(backup_dir: Path) -> list[BackupInfo]:
    """Automatic and manual backups in backup_dir, of both kinds, newest first."""
    found: list[tuple[dt.datetime, int, str, BackupInfo]] = []
    if backup_dir.is_dir():
        for path in backup_dir.iterdir():
            match = _NAME.match(path.name)
            if match and path.is_file():
                created = dt.datetime.strptime(match.group(1), "%Y%m%d-%H%M%S")
                counter = int(match.group(2) or 0)
                info = BackupInfo(path, created.replace(tzinfo=dt.UTC))
                found.append((created, counter, match.group(3), info))
    found.sort(key=lambda entry: entry[:3], reverse=True)
    return [entry[3] for entry in found]


def backups_to_prune(
    backups: list[BackupInfo], now: dt.datetime, tz: dt.tzinfo | None = None
) -> list[Path]:
    """Anki's policy: keep all from today and yesterday, then 12 daily, 10 weekly, 9 monthly.

    Going from newest to oldest, a backup is kept if it is the newest of a day not yet
    covered (up to 12 such days), then the newest of an ISO week not yet covered (up to 10),
    then of a month not yet covered (up to 9). A kept backup covers its day, week and month.
    """

    def local(moment: dt.datetime) -> dt.date:
        return (moment.astimezone(tz) if tz is not None else moment.astimezone()).date()

    today = local(now)
    recent = {today, today - dt.timedelta(days=1)}
    covered_days: set[dt.date] = set()
    covered_weeks: set[tuple[int, int]] = set()
    covered_months: set[tuple[int, int]] = set()
    kept = {"daily": 0, "weekly": 0, "monthly": 0}
    limits = {"daily": KEEP_DAILY, "weekly": KEEP_WEEKLY, "monthly": KEEP_MONTHLY}
    prune = []
    for info in sorted(backups, key=lambda b: b.created, reverse=True):
        date = local(info.created)
        iso = date.isocalendar()
        week, month = (iso.year, iso.week), (date.year, date.month)
        if date in recent:
            keep_as: str | None = "recent"
        elif date not in covered_days and kept["daily"] < limits["daily"]:
            keep_as = "daily"
        elif week not in covered_weeks and kept["weekly"] < limits["weekly"]:
            keep_as = "weekly"
        elif month not in covered_months and kept["monthly"] < limits["monthly"]:
            keep_as = "monthly"
        else:
            keep_as = None
        if keep_as is None or (keep_as != "recent" and date in covered_days):
            prune.append(info.path)
            continue
        if keep_as != "recent":
            kept[keep_as] += 1
        covered_days.add(date)
        covered_weeks.add(week)
        covered_months.add(month)
    return prune


def prune_backups(
    backup_dir: Path,
    now: dt.datetime,
    tz: dt.tzinfo | None = None,
    keep_ahead_of: int | None = None,
) -> list[Path]:
    """Delete the backups the retention rule lets go; with keep_ahead_of (the time of the
    collection's newest answer, in microseconds), never one holding answers newer than the
    collection's, nor one with answers whose newest time it does not record (an archive of
    a release that wrote only the review log's key)."""
    pruned = backups_to_prune(list_backups(backup_dir), now, tz)
    if keep_ahead_of is not None:
        pruned = [path for path in pruned if not _maybe_ahead(path, keep_ahead_of)]
    for path in pruned:
        path.unlink(missing_ok=True)
    return pruned


def _maybe_ahead(path: Path, newest_at: int) -> bool:
    answered_at = last_review_id(path)
    if answered_at is None:
        return (review_count(path) or 0) > 0  # answers of an unknown time: kept
    return answered_at > newest_at


def last_review_id(path: Path) -> int | None:
    """The time of the newest answer in a backup or database file, in microseconds (None if
    it has none, cannot be read, or is an archive whose manifest does not say); an archive's
    comes from its manifest, without unpacking."""
    if is_archive(path):
        try:
            return read_manifest(path).newest_answer_at
        except (StorageError, OSError):
            return None
    return _read_int(path, newest_answer_query, column=2)


def review_count(path: Path) -> int | None:
    """How many answers a backup (or database file) holds; None if it cannot be read."""
    if is_archive(path):
        try:
            return read_manifest(path).answers
        except (StorageError, OSError):
            return None
    return _read_int(path, lambda connection: "SELECT count(*) FROM review_log")


def _read_int(
    path: Path, query: Callable[[sqlite3.Connection], str], column: int = 0
) -> int | None:
    """One integer read from a database file opened read-only; None if absent or unreadable."""
    try:
        connection = connect_readonly(path)
    except sqlite3.Error:
        return None
    try:
        row = connection.execute(query(connection)).fetchone()
        return None if row is None or row[column] is None else int(row[column])
    except sqlite3.Error:
        return None
    finally:
        connection.close()
