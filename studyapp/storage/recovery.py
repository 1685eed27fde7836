"""Recovery: keep a damaged database aside, find a good backup, restore one safely."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from studyapp.storage.archive import checking_copy, describe, extract_database, is_archive
from studyapp.storage.backup import BackupInfo, copy_database, list_backups, make_backup, timestamp
from studyapp.storage.errors import (
    CorruptDatabaseError,
    DamagedBackupError,
    DatabaseLockedError,
    StorageError,
    is_locked,
    locked_message,
)
from studyapp.storage.files import connect_readonly, side_files, sync_folder


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    safety_backup: Path | None  # the copy of the database as it was before the restore


def set_aside(database: Path, now: dt.datetime, label: str = "corrupt") -> Path:
    """Rename the database and its -wal/-shm to study.<label>-<time>.sqlite3; never delete."""
    target = database.with_name(f"{database.stem}.{label}-{timestamp(now)}{database.suffix}")
    counter = 1
    while target.exists():
        target = database.with_name(
            f"{database.stem}.{label}-{timestamp(now)}-{counter}{database.suffix}"
        )
        counter += 1
    try:
        for side in side_files(database):
            if side.exists():
                side.rename(target.with_name(target.name + side.name[len(database.name) :]))
        database.rename(target)
    except OSError as error:
        raise StorageError(
            f"Could not move the damaged database {database} aside: {error.strerror or error}."
        ) from error
    return target


def verify_database_file(path: Path, shown_as: str | None = None) -> None:
    """Raise CorruptDatabaseError unless path is a sound StudyApp database this app can open.
    Messages name the file as `shown_as` (the archive a copy came from, say) if given."""
    name = shown_as or str(path)
    try:
        connection = connect_readonly(path)
    except sqlite3.Error as error:
        raise CorruptDatabaseError(f"{name} cannot be opened: {error}.") from error
    try:
        result = connection.execute("PRAGMA quick_check").fetchall()
        if result != [("ok",)]:
            raise CorruptDatabaseError(f"{name} is damaged: {result[0][0]}.")
        from studyapp.storage.migrate import refuse_if_unusable  # Alembic: only for backups

        if refuse_if_unusable(connection, path) is None:
            raise CorruptDatabaseError(f"{name} holds no StudyApp data.")
    except sqlite3.DatabaseError as error:
        if is_locked(error):  # in use by another program: sound, and never to be set aside
            raise DatabaseLockedError(locked_message(path, error, 5)) from error
        raise CorruptDatabaseError(f"{name} is damaged: {error}.") from error
    finally:
        connection.close()


def verify_backup(backup: Path) -> None:
    """Raise a StorageError (CorruptDatabaseError when it is damaged) unless the backup can
    be restored: a plain copy must pass the database checks; an archive must also unpack
    whole (its checksum) and its manifest must describe the copy inside it."""
    if not is_archive(backup):
        verify_database_file(backup)
        return
    scratch = checking_copy(backup)
    scratch.unlink(missing_ok=True)
    try:
        _unpack_verified(backup, scratch)
    except OSError as error:
        raise StorageError(
            f"Could not check the backup {backup}: {error.strerror or error}."
        ) from error
    finally:
        scratch.unlink(missing_ok=True)


def _unpack_verified(archive: Path, target: Path) -> None:
    """Unpack an archive's copy into target and check it as verify_backup says."""
    manifest = extract_database(archive, target)
    verify_database_file(target, shown_as=f"The copy inside the backup {archive}")
    found = describe(target, manifest.created)
    if (found.answers, found.newest_answer_id, found.cards) != (
        manifest.answers,
        manifest.newest_answer_id,
        manifest.cards,
    ):
        raise DamagedBackupError(
            f"The backup {archive} is damaged: its backup.json says {manifest.answers} answers "
            f"and {manifest.cards} cards, the copy inside holds {found.answers} and "
            f"{found.cards}."
        )


def newest_good_backup(backup_dir: Path) -> BackupInfo | None:
    """The newest backup that verify_backup passes; damaged ones are skipped."""
    for info in list_backups(backup_dir):
        try:
            verify_backup(info.path)
        except StorageError:
            continue
        return info
    return None


def restore_backup(
    backup: Path, database: Path, backup_dir: Path, now: dt.datetime
) -> RestoreResult:
    """Put a backup (an archive or a plain copy) in the database's place. The database must
    be closed by the caller.

    The backup is checked first (an archive is unpacked beside the database and the copy
    checked); the current database (if readable) is first backed up itself; the restored copy
    is written beside the database and renamed into place.
    """
    incoming = database.with_name(database.name + ".restoring")
    incoming.unlink(missing_ok=True)
    try:
        if is_archive(backup):
            try:
                _unpack_verified(backup, incoming)
            except OSError as error:
                raise _not_restored(backup, database, error) from error
        else:
            verify_database_file(backup)
        safety = None
        if database.exists():
            try:
                verify_database_file(database)  # a locked database raises: never set it aside
            except CorruptDatabaseError:
                set_aside(database, now)  # damaged: keep it, renamed, instead of backing it up
            else:
                safety = make_backup(database, backup_dir, now)
        try:
            if not is_archive(backup):
                copy_database(backup, incoming)
            # The old -wal must not survive next to the new file: SQLite would replay it into it.
            for side in side_files(database):
                side.unlink(missing_ok=True)
            os.replace(incoming, database)
            sync_folder(database.parent)
        except OSError as error:
            raise _not_restored(backup, database, error) from error
    finally:
        incoming.unlink(missing_ok=True)
    return RestoreResult(backup, safety)


def _not_restored(backup: Path, database: Path, error: OSError) -> StorageError:
    return StorageError(
        f"Could not restore {backup.name}: {error.strerror or error}. "
        f"Your database {database} was not replaced."
    )
