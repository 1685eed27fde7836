"""Opening a collection: the database (created, migrated), then the built-in pack brought up to
date. A warm start reads no dataset file at all unless the shipped version moved on."""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from studyapp.paths import backup_dir, database_path
from studyapp.storage.database import Database, open_database
from studyapp.storage.errors import (
    CorruptDatabaseError,
    DatabaseLockedError,
    StorageError,
    is_damage,
)
from studyapp.storage.seed import (
    PackConflictError,
    SeedAction,
    SeedResult,
    builtin_version,
    sync_pack,
)

if TYPE_CHECKING:
    from studyapp.content.model import Dataset

log = logging.getLogger("studyapp")


class StartupError(Exception):
    """The collection cannot be opened; str() is the message for the user.

    Its __cause__ tells the kind: a CorruptDatabaseError means recovery may be offered.
    """


# A new collection another StudyApp is creating (two --check at once on a fresh data dir):
# its schema and seeding hold the lock, and on a loaded machine a step of it can outlast the
# busy timeout; the second waits for it this many times more before it gives up.
FIRST_RUN_RETRIES = 2


def _open_waiting_for_a_first_run(
    data_dir: Path, now: Callable[[], dt.datetime], fresh: bool, check_pages: bool
) -> Database:
    attempt = 0
    while True:
        try:
            return open_database(data_dir, now, being_created=attempt > 0, check_pages=check_pages)
        except DatabaseLockedError as error:
            if not fresh or attempt >= FIRST_RUN_RETRIES:
                raise StartupError(str(error)) from error
            attempt += 1
            log.info("another StudyApp is creating %s: waiting for it", data_dir)
            time.sleep(0.2)
        except StorageError as error:
            raise StartupError(str(error)) from error


def open_database_with_pack(
    data_dir: Path,
    now: Callable[[], dt.datetime],
    dataset_file: Path,
    *,
    check_pages: bool = True,
) -> tuple[Database, SeedResult]:
    """Open the database and bring the built-in pack to the shipped dataset.

    The dataset is loaded and validated only when the database needs it (first run, or a
    newer dataset version). On a first run it is validated before the database file is
    created, so a bad dataset writes nothing. check_pages: see open_database.
    """
    path = database_path(data_dir)
    fresh = not path.exists() or path.stat().st_size == 0
    dataset = load_dataset_or_fail(dataset_file) if not path.exists() else None
    database = _open_waiting_for_a_first_run(data_dir, now, fresh, check_pages)
    try:
        with database.sessions() as session:
            stored = builtin_version(session)
        if dataset is None and (stored is None or stored < _shipped_version(dataset_file)):
            dataset = load_dataset_or_fail(dataset_file)
        if dataset is None:
            assert stored is not None
            seed = SeedResult(SeedAction.UNCHANGED, stored, stored)
        else:
            if stored is not None and stored < dataset.version:
                _copy_before_update(database, dataset.pack_id, stored, now())
            with database.writes.begin() as session:
                seed = sync_pack(session, dataset, now(), builtin=True)
    except SQLAlchemyError as error:
        database.close()
        reason = error.orig if isinstance(error, DBAPIError) else error
        if is_damage(error):
            damage = CorruptDatabaseError(
                f"The database {database.path} is damaged and cannot be read (SQLite says: "
                f"{reason}). StudyApp has not changed it."
            )
            raise StartupError(str(damage)) from damage
        raise StartupError(
            f"Could not write the study content to {database.path}: {reason}. Nothing was changed."
        ) from error
    except PackConflictError as error:
        database.close()
        raise StartupError(f"The built-in study pack cannot be installed: {error}.") from error
    except StartupError:
        database.close()
        raise
    if seed.retired_cards:
        log.info("retired cards no longer in the dataset: %s", ", ".join(seed.retired_cards))
    if seed.detached_cards:
        log.warning(
            "the pack update removed the paragraphs these cards cite; they keep their quote: %s",
            ", ".join(seed.detached_cards),
        )
    return database, seed


def _copy_before_update(database: Database, pack_id: str, version: int, now: dt.datetime) -> None:
    """A pack update rewrites content in place: keep a copy of the collection as it was."""
    from studyapp.storage.backup import copy_before_pack_update

    try:
        copy_before_pack_update(database.path, backup_dir(database.data_dir), pack_id, version, now)
    except (OSError, sqlite3.Error) as error:
        raise StartupError(
            f"Could not copy {database.path} aside before updating its study pack: {error}. "
            "Nothing was changed; free some disk space and start again."
        ) from error


def load_dataset_or_fail(source: Path) -> Dataset:
    from studyapp.content.loader import DatasetError, load_dataset

    try:
        return load_dataset(source)
    except DatasetError as error:
        raise StartupError(f"The study dataset is invalid: {error}") from error


def _shipped_version(source: Path) -> int:
    """The dataset file's version, read without parsing the whole file (0 if not found)."""
    from studyapp.content.peek import peek_dataset_version

    return peek_dataset_version(source)
