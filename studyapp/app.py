"""Start-up in one order: arguments -> paths -> display check -> Collection.open -> window.

Qt is imported only on the window path, so `--check` and `--version` stay light; on Linux the
display check runs before it, so a missing display or library gets our message, not Qt's abort.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from studyapp import __version__
from studyapp.collection import Collection, StartupError
from studyapp.paths import DATA_DIR_ENV, default_data_dir

log = logging.getLogger("studyapp")

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_CANNOT_OPEN = 2


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


def run_check_command(data_dir: Path) -> int:
    try:
        collection = Collection.open(data_dir)
    except StartupError as error:
        print(f"studyapp: {error}", file=sys.stderr)
        return EXIT_CANNOT_OPEN
    try:
        report = collection.check()
    finally:
        collection.close()
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
    from studyapp.display_check import find_display_problem

    problem = find_display_problem()
    if problem is not None:
        print(f"studyapp: {problem}", file=sys.stderr)
        return EXIT_CANNOT_OPEN
    from studyapp.ui.launch import run_window

    return run_window(data_dir, Collection.open)
