"""Start-up in one order: arguments -> paths -> display check -> Collection.open -> window.

`--version`, `--help`, `--validate-pack` and the desktop entry options import neither SQLAlchemy
nor Qt's widgets, `--check`, `--stats`, `--export` and `--import` no Qt; on Linux the display
check runs before Qt is imported, so a missing display or library gets our message, not Qt's
abort.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from studyapp.paths import DATA_DIR_ENV, NoHomeError, default_data_dir

if TYPE_CHECKING:
    from studyapp.collection import Collection

log = logging.getLogger("studyapp")

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_ROWS_REJECTED = 1  # --import: some rows were rejected (and printed with their lines)
EXIT_CANNOT_OPEN = 2

DESCRIPTION = """\
StudyApp: read a text deeply (the 1926 Soviet–Lithuanian Non-Aggression Pact
article is built in; content packs add more), see it on a timeline and remember
it with spaced-repetition flashcards. Works offline."""

EXAMPLES = """\
Your data: {data_dir}
(set ${env} or use --data-dir to keep it elsewhere)

Examples:
  studyapp                                open the window on your data
  studyapp --data-dir /tmp/studyapp-try   try it without touching your data
  studyapp --check                        check the database, no window needed
  studyapp --stats                        study statistics, for scripts
  studyapp --export pact.apkg --with-progress  cards and progress, for Anki
  studyapp --export mine.csv --what mine  your own cards, for a spreadsheet
  studyapp --import cards.csv --article ID  cards from a CSV file
  studyapp --validate-pack my-pack.toml   check a content pack you are writing
  studyapp --import my-pack.toml          add a content pack to your collection
  studyapp --find "klaipeda -is:new"      the cards the browser's search finds
  studyapp --install-desktop-entry        add StudyApp to the application menu
  studyapp --version                      the versions to put in a bug report"""


class _OneLineHelp(argparse.RawDescriptionHelpFormatter):
    """Options in one column wide enough for the longest, each help on its option's line."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=30)


def _default_data_dir_text() -> str:
    try:
        return str(default_data_dir())
    except NoHomeError:
        return "(none: HOME is not set; give --data-dir)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="studyapp",
        usage="%(prog)s [options]",
        description=DESCRIPTION,
        epilog=EXAMPLES.format(data_dir=_default_data_dir_text(), env=DATA_DIR_ENV),
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
        "--stats",
        action="store_true",
        help="print study statistics as key: value lines; no window",
    )
    mode.add_argument(
        "--find",
        metavar="QUERY",
        help="print the cards a search finds; no window",
    )
    mode.add_argument(
        "--export",
        type=Path,
        metavar="FILE",
        help="export cards to .apkg (Anki) or .csv; no window",
    )
    mode.add_argument(
        "--validate-pack",
        type=Path,
        metavar="FILE",
        help="check a content pack file; no database",
    )
    mode.add_argument(
        "--import",
        dest="import_file",
        type=Path,
        metavar="FILE",
        help="add a content pack (.toml), or cards from CSV or Anki's text; no window",
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
    parser.add_argument(
        "--what",
        default="all",
        metavar="WHICH",
        help="--export: all (default), mine or article:ID",
    )
    parser.add_argument(
        "--with-progress",
        action="store_true",
        help="--export .apkg: scheduling and history too",
    )
    parser.add_argument(
        "--article",
        metavar="ID",
        help="--import: into this article (default none)",
    )
    return parser


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.export is None and (args.what != "all" or args.with_progress):
        parser.error("--what and --with-progress go with --export FILE")
    if args.import_file is None and args.article is not None:
        parser.error("--article goes with --import FILE")
    return args


def run_check_command(data_dir: Path) -> int:
    from studyapp.collection import Collection, StartupError

    try:
        collection = Collection.open(data_dir)
    except StartupError as error:
        print(f"studyapp: {error}", file=sys.stderr)
        return EXIT_CANNOT_OPEN
    try:
        report = collection.check()
        warnings = collection.warnings
    finally:
        collection.close()
    for warning in warnings:
        print(f"studyapp: warning: {warning}", file=sys.stderr)
    print("\n".join(report.lines()))
    if not report.ok:
        print(f"studyapp: the database check found problems: {report.lines()[-1]}", file=sys.stderr)
        return EXIT_CHECK_FAILED
    return EXIT_CHECK_FAILED if warnings else EXIT_OK


def run_stats_command(data_dir: Path) -> int:
    """The Statistics window's headline figures, one `key: value` line each, for scripts."""
    from studyapp.collection import Collection, StartupError

    try:
        collection = Collection.open(data_dir)
    except StartupError as error:
        print(f"studyapp: {error}", file=sys.stderr)
        return EXIT_CANNOT_OPEN
    try:
        lines = collection.statistics().lines()
        warnings = collection.warnings
    finally:
        collection.close()
    for warning in warnings:
        print(f"studyapp: warning: {warning}", file=sys.stderr)
    print("\n".join(lines))
    return EXIT_OK


def run_export_command(data_dir: Path, path: Path, what: str, with_progress: bool) -> int:
    from studyapp.collection import Collection, StartupError
    from studyapp.collection.export_rows import CardSelection, SelectionError
    from studyapp.interop.exporting import export_file
    from studyapp.interop.files import InteropError

    try:
        selection = CardSelection.parse(what)
        collection = Collection.open(data_dir)
    except (SelectionError, StartupError) as error:
        print(f"studyapp: {error}", file=sys.stderr)
        return EXIT_CANNOT_OPEN
    try:
        result = export_file(
            collection, path.expanduser().absolute(), selection, with_progress=with_progress
        )
    except (InteropError, SelectionError) as error:
        print(f"studyapp: {error}", file=sys.stderr)
        return EXIT_CANNOT_OPEN
    finally:
        collection.close()
    print(result.summary())
    return EXIT_OK


def run_import_command(data_dir: Path, path: Path, article_id: str | None) -> int:
    """--import FILE, by what the file is: a .toml file is a content pack, anything else cards
    (CSV or Anki's text export). For cards: exit 0 when every row was imported or skipped as a
    duplicate, 1 when some were rejected (each printed with its line), 2 when the file or
    collection cannot be used."""
    if path.suffix.lower() == ".toml":
        from studyapp.pack_commands import import_pack

        return import_pack(data_dir, path)
    from studyapp.collection import CardOperationError, Collection, StartupError
    from studyapp.interop.csv_import import import_file
    from studyapp.interop.files import InteropError
    from studyapp.pack_commands import take_window_lock
    from studyapp.storage.errors import StorageError
    from studyapp.storage.file_checks import prepare_data_dir

    try:
        prepare_data_dir(data_dir)
    except StorageError as error:
        print(f"studyapp: {error}", file=sys.stderr)
        return EXIT_CANNOT_OPEN
    lock = take_window_lock(data_dir)
    if lock is None:
        print(
            f"studyapp: StudyApp is open on {data_dir}; import there (File > Import…), or close "
            "it and run this again.",
            file=sys.stderr,
        )
        return EXIT_CANNOT_OPEN
    try:
        try:
            collection = Collection.open(data_dir)
        except StartupError as error:
            print(f"studyapp: {error}", file=sys.stderr)
            return EXIT_CANNOT_OPEN
        try:
            summary = import_file(collection, path.expanduser().absolute(), article_id)
        except (InteropError, StorageError, CardOperationError) as error:
            print(f"studyapp: {error}", file=sys.stderr)
            return EXIT_CANNOT_OPEN
        finally:
            collection.close()
    finally:
        lock.unlock()
    print("\n".join(summary.lines(limit=None, undo_hint=False)))
    return EXIT_ROWS_REJECTED if summary.rejected else EXIT_OK


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
    try:
        return _main(argv)
    except BrokenPipeError:
        # The reader of our output went away (`studyapp --check | head`): not an error of
        # ours. Point stdout at nothing so that the interpreter's final flush is quiet too.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK


def _main(argv: Sequence[str] | None) -> int:
    logging.basicConfig(level=logging.WARNING, format="studyapp: %(levelname)s: %(message)s")
    args = parse_args(argv)
    if args.version:
        from studyapp.versions import version_lines

        print("\n".join(version_lines()))
        return EXIT_OK
    if args.install_desktop_entry or args.uninstall_desktop_entry:
        return run_desktop_entry_command(install=args.install_desktop_entry)
    if args.validate_pack is not None:
        from studyapp.pack_commands import validate_pack

        return validate_pack(args.validate_pack)
    try:
        data_dir: Path = args.data_dir if args.data_dir is not None else default_data_dir()
    except NoHomeError as error:
        print(f"studyapp: {error}", file=sys.stderr)
        return EXIT_CANNOT_OPEN
    data_dir = data_dir.expanduser().absolute()
    if args.check:
        return run_check_command(data_dir)
    if args.stats:
        return run_stats_command(data_dir)
    if args.export is not None:
        return run_export_command(data_dir, args.export, args.what, args.with_progress)
    if args.import_file is not None:
        return run_import_command(data_dir, args.import_file, args.article)
    if args.find is not None:
        return run_find_command(data_dir, args.find)
    from studyapp.display_check import find_display_problem

    problem = find_display_problem()
    if problem is not None:
        print(f"studyapp: {problem}", file=sys.stderr)
        return EXIT_CANNOT_OPEN
    return open_window(data_dir)


def open_window(data_dir: Path) -> int:
    # No cycle collection while the window starts: the imports, the panes and a first run's
    # seeding make hundreds of thousands of objects and nothing start-up makes is garbage,
    # yet the collector would scan them 80-240 times (15-50 ms) before the first paint. It
    # resumes once the window is painted and its collection open (ui/launch.py), with what
    # start-up made frozen out of later collections; after a start that failed, unfrozen.
    collecting = gc.isenabled()
    gc.disable()

    def resume(freeze: bool) -> None:
        nonlocal collecting
        if collecting:
            collecting = False
            if freeze:
                gc.freeze()
            gc.enable()

    try:
        from studyapp.collection.first_screen import may_read

        if not may_read(data_dir):
            # A first run (or a crash's journal to keep): the collection opens before the
            # window, so SQLAlchemy comes before Qt, whose import hook slows every module
            # imported after it.
            import studyapp.collection.collection  # noqa: F401
        from studyapp.ui.launch import run_window

        return run_window(data_dir, open_for_window, lambda: resume(freeze=True))
    finally:
        resume(freeze=False)  # a start that ended early (or the window closed)


def open_for_window(data_dir: Path) -> Collection:
    """The window's collection. Imported here: a warm start paints the window before
    SQLAlchemy loads, and opens the collection in a worker thread (ui/launch.py). The window
    checks the database's pages in a worker thread once it shows."""
    from studyapp.collection import Collection

    return Collection.open(data_dir, check_pages=False)
