"""Start-up in one order: arguments -> paths -> display check -> Collection.open -> window.

`--version`, `--help` and the desktop entry options import neither SQLAlchemy nor Qt's widgets,
`--check` no Qt; on Linux the display check runs before Qt is imported, so a missing display or
library gets our message, not Qt's abort.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from studyapp.paths import DATA_DIR_ENV, default_data_dir

log = logging.getLogger("studyapp")

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_CANNOT_OPEN = 2

DESCRIPTION = """\
StudyApp: read the 1926 Soviet–Lithuanian Non-Aggression Pact article, see it on
a timeline and remember it with spaced-repetition flashcards. Works offline."""

EXAMPLES = """\
Your data: {data_dir}
(set ${env} or use --data-dir to keep it elsewhere)

Examples:
  studyapp                                open the window on your data
  studyapp --data-dir /tmp/studyapp-try   try it without touching your data
  studyapp --check                        check the database, no window needed
  studyapp --find "klaipeda -is:new"      the cards the browser's search finds
  studyapp --install-desktop-entry        add StudyApp to the application menu
  studyapp --version                      the versions to put in a bug report"""


class _OneLineHelp(argparse.RawDescriptionHelpFormatter):
    """Options in one column wide enough for the longest, each help on its option's line."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=30)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="studyapp",
        usage="%(prog)s [options]",
        description=DESCRIPTION,
        epilog=EXAMPLES.format(data_dir=default_data_dir(), env=DATA_DIR_ENV),
        formatter_class=_OneLineHelp,
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        help="keep the database and backups in DIR",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--check",
        action="store_true",
        help="check the database, print its figures; no window",
    )
    mode.add_argument(
        "--find",
        metavar="QUERY",
        help="print the cards a search finds; no window",
    )
    mode.add_argument(
        "--install-desktop-entry",
        action="store_true",
        help="add StudyApp to the application menu (Linux)",
    )
    mode.add_argument(
        "--uninstall-desktop-entry",
        action="store_true",
        help="remove what --install-desktop-entry added",
    )
    mode.add_argument(
        "--version",
        action="store_true",
        help="print StudyApp, Python, Qt and SQLite versions",
    )
    return parser


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    return build_parser().parse_args(argv)


def run_check_command(data_dir: Path) -> int:
    from studyapp.collection import Collection, StartupError

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


def run_find_command(data_dir: Path, query: str) -> int:
    """The browser's search from a shell: one line per card (id, state, due, question,
    separated by tabs), in the browser's default order (due); no window."""
    from studyapp.collection import Collection, SearchError, StartupError
    from studyapp.collection.browser_rows import find_lines

    try:
        collection = Collection.open(data_dir)
    except StartupError as error:
        print(f"studyapp: {error}", file=sys.stderr)
        return EXIT_CANNOT_OPEN
    try:
        if not collection.full_text_search:
            print(
                "studyapp: this SQLite has no full-text search (FTS5); searching with LIKE",
                file=sys.stderr,
            )
        try:
            ids = collection.search(query)
        except SearchError as error:
            print(f"studyapp: {error}", file=sys.stderr)
            return EXIT_CHECK_FAILED
        try:
            for line in find_lines(collection, ids):
                print(line)
            sys.stdout.flush()
        except BrokenPipeError:  # `studyapp --find x | head`: the reader has what it wanted
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    finally:
        collection.close()
    return EXIT_OK


def run_desktop_entry_command(install: bool) -> int:
    from studyapp import desktop_entry

    option = "--install-desktop-entry" if install else "--uninstall-desktop-entry"
    if not desktop_entry.supported():
        print(f"studyapp: {option} is for Linux desktops (freedesktop.org menus).", file=sys.stderr)
        return EXIT_CANNOT_OPEN
    data_home = desktop_entry.xdg_data_home()
    try:
        if install:
            files = desktop_entry.install(data_home)
        else:
            removed = desktop_entry.uninstall(data_home)
    except OSError as error:
        print(f"studyapp: {option} failed: {error}", file=sys.stderr)
        return EXIT_CANNOT_OPEN
    if install:
        print("StudyApp is now in your application menu:")
        print("\n".join(f"  {path}" for path in files.all()))
        print("Remove it with: studyapp --uninstall-desktop-entry")
    elif removed:
        print("Removed StudyApp from your application menu:")
        print("\n".join(f"  {path}" for path in removed))
    else:
        print(f"StudyApp has no menu entry in {data_home}; nothing to remove.")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="studyapp: %(levelname)s: %(message)s")
    args = parse_args(argv)
    if args.version:
        from studyapp.versions import version_lines

        print("\n".join(version_lines()))
        return EXIT_OK
    if args.install_desktop_entry or args.uninstall_desktop_entry:
        return run_desktop_entry_command(install=args.install_desktop_entry)
    data_dir: Path = args.data_dir if args.data_dir is not None else default_data_dir()
    data_dir = data_dir.expanduser().absolute()
    if args.check:
        return run_check_command(data_dir)
    if args.find is not None:
        return run_find_command(data_dir, args.find)
    from studyapp.display_check import find_display_problem

    problem = find_display_problem()
    if problem is not None:
        print(f"studyapp: {problem}", file=sys.stderr)
        return EXIT_CANNOT_OPEN
    return open_window(data_dir)


def open_window(data_dir: Path) -> int:
    from studyapp.collection import Collection
    from studyapp.ui.launch import run_window

    return run_window(data_dir, Collection.open)
