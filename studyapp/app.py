"""Start-up in one order: arguments -> paths -> dataset -> database (migrate, seed) -> window.

Qt is imported only on the window path, so `--check` and `--version` stay light.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from studyapp import __version__
from studyapp.paths import DATA_DIR_ENV, database_path, dataset_path, default_data_dir
from studyapp.storage.database import Database, open_database, utc_now
from studyapp.storage.errors import CorruptDatabaseError, StorageError, is_damage
from studyapp.storage.seed import SeedAction, SeedResult, sync_dataset
from studyapp.storage.settings import DATASET_VERSION, get_setting

if TYPE_CHECKING:
    from studyapp.content.model import Dataset

log = logging.getLogger("studyapp")

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_CANNOT_OPEN = 2


class StartupError(Exception):
    """Start-up cannot go on; str() is the message for the user."""


@dataclass
class Collection:
    """What start-up opened: the database, and how its content was brought up to date."""

    database: Database
    seed: SeedResult


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="studyapp",
        description="StudyApp: read the Soviet–Lithuanian Non-Aggression Pact article, see it "
        "on a timeline and remember it with spaced-repetition flashcards. Works offline.",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        help=f"where the database and backups live (default: ${DATA_DIR_ENV} if set, "
        "else your user data folder for StudyApp)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="open the database (creating, migrating and seeding it if needed), check it, "
        "print its figures and exit without opening a window",
    )
    parser.add_argument("--version", action="version", version=f"StudyApp {__version__}")
    return parser.parse_args(argv)


def open_collection(
    data_dir: Path, now: Callable[[], dt.datetime] = utc_now, dataset_file: Path | None = None
) -> Collection:
    """Open the database and bring its content to the shipped dataset; StartupError on failure.

    The dataset is loaded and validated only when the database needs it (first run, or a
    newer dataset version): a warm start skips that work. On a first run it is validated
    before the database file is created, so a bad dataset writes nothing.
    """
    source = dataset_file or dataset_path()
    dataset = _load_dataset(source) if not database_path(data_dir).exists() else None
    try:
        database = open_database(data_dir, now)
    except StorageError as error:
        raise StartupError(str(error)) from error
    try:
        with database.sessions() as session:
            stored = get_setting(session, DATASET_VERSION)
        if dataset is None and (stored is None or stored < _shipped_version(source)):
            dataset = _load_dataset(source)
        if dataset is None:
            seed = SeedResult(SeedAction.UNCHANGED, stored, stored)
        else:
            with database.sessions() as session:
                seed = sync_dataset(session, dataset)
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
    except StartupError:
        database.close()
        raise
    if seed.retired_cards:
        log.info("retired cards no longer in the dataset: %s", ", ".join(seed.retired_cards))
    return Collection(database, seed)


def _load_dataset(source: Path) -> Dataset:
    from studyapp.content.loader import DatasetError, load_dataset

    try:
        return load_dataset(source)
    except DatasetError as error:
        raise StartupError(f"The study dataset is invalid: {error}") from error


def _shipped_version(source: Path) -> int:
    """The dataset file's version, read without parsing the whole file (0 if not found)."""
    from studyapp.content.loader import peek_dataset_version

    return peek_dataset_version(source)


def run_check_command(data_dir: Path) -> int:
    try:
        collection = open_collection(data_dir)
    except StartupError as error:
        print(f"studyapp: {error}", file=sys.stderr)
        return EXIT_CANNOT_OPEN
    from studyapp.storage.check import run_check

    try:
        report = run_check(collection.database, utc_now())
    finally:
        collection.database.close()
    print("\n".join(report.lines()))
    if not report.ok:
        print(f"studyapp: the database check found problems: {report.lines()[-1]}", file=sys.stderr)
        return EXIT_CHECK_FAILED
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="studyapp: %(levelname)s: %(message)s")
    args = parse_args(argv)
    data_dir: Path = args.data_dir if args.data_dir is not None else default_data_dir()
    data_dir = data_dir.expanduser().absolute()
    if args.check:
        return run_check_command(data_dir)
    from studyapp.ui.launch import run_window

    return run_window(data_dir, open_collection)
