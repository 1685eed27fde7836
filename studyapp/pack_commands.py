"""The command line's content-pack options.

`--validate-pack FILE` reads and checks a pack as StudyApp would install it, without a
database: it imports neither SQLAlchemy nor Qt, so an author can run it after every edit.
`--import FILE` (for a .toml file) installs a pack into the collection, as File > Add Content
Pack… does.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from studyapp.paths import dataset_path, resources_dir

if TYPE_CHECKING:
    from PySide6.QtCore import QLockFile

    from studyapp.content.model import Dataset

EXIT_OK = 0
EXIT_INVALID = 1  # the pack has a problem (or, for --import, is refused)
EXIT_CANNOT_OPEN = 2  # the collection cannot be opened


def format_guide() -> Path:
    """The page that documents the pack format."""
    return resources_dir() / "PACK_FORMAT.md"


def checked_pack(path: Path, err: TextIO) -> Dataset | None:
    """The pack, validated, and checked against the built-in pack's ids; None after printing
    the first problem as FILE:LINE:COLUMN: ITEM: REASON (what editors jump to)."""
    from studyapp.content.loader import DatasetError, load_dataset
    from studyapp.content.locate import PackLayout
    from studyapp.content.summary import shared_ids

    try:
        dataset = load_dataset(path)
    except DatasetError as error:
        print(error, file=err)
        print(
            f"studyapp: {path} is not a valid content pack (the format: {format_guide()})",
            file=err,
        )
        return None
    shared = shared_ids(dataset, load_dataset(dataset_path()))
    if shared:
        first = shared[0]
        place = PackLayout(path.read_text(encoding="utf-8-sig")).place(first.table, "id")
        where = f"{path}:{place.line}:{place.column}" if place else str(path)
        more = f" (and {len(shared) - 1} more ids)" if len(shared) > 1 else ""
        print(
            f"{where}: {first.label}: the built-in pack uses this id too{more}; ids are shared "
            "by every pack in a collection, so StudyApp would refuse this pack: give your ids "
            "a prefix of their own",
            file=err,
        )
        return None
    return dataset


def describe_pack(dataset: Dataset) -> list[tuple[str, str]]:
    """(name, value) rows: what the pack is, then its figures."""
    from studyapp.content.summary import pack_figures

    article = dataset.article
    rows = [
        ("id", dataset.pack_id),
        ("title", article.title),
        ("version", str(dataset.version)),
        ("source", article.source),
        ("licence", article.licence),
    ]
    return rows + pack_figures(dataset).lines()


def validate_pack(path: Path, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """--validate-pack FILE: 0 and the pack's figures, or 1 and its first problem."""
    out, err = out or sys.stdout, err or sys.stderr
    dataset = checked_pack(path, err)
    if dataset is None:
        return EXIT_INVALID
    print(f"{path}: a valid content pack", file=out)
    for name, value in describe_pack(dataset):
        print(f"  {name}: {value}", file=out)
    return EXIT_OK


def take_window_lock(data_dir: Path) -> QLockFile | None:
    """The data dir's lock, as a window takes it; None if a StudyApp window holds it. A
    command that changes the collection holds it while it works, so it never changes one a
    window has open (that window's undo and panes would no longer match it)."""
    from PySide6.QtCore import QLockFile

    from studyapp.paths import LOCK_NAME

    lock = QLockFile(str(data_dir / LOCK_NAME))
    lock.setStaleLockTime(0)  # as the window's: only a lock whose process is gone is stale
    return lock if lock.tryLock(200) else None


def import_pack(
    data_dir: Path, path: Path, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """--import FILE.toml: validate the pack, then add it to the collection in one transaction
    (or update it, or bring it back), as File > Add Content Pack… does; no window.

    It holds the data dir's lock while it works, so it never changes a collection a window has
    open (that window's undo and panes would no longer match it)."""
    from studyapp.collection import Collection, PackRefusedError, StartupError
    from studyapp.storage.errors import StorageError
    from studyapp.storage.file_checks import prepare_data_dir

    out, err = out or sys.stdout, err or sys.stderr
    dataset = checked_pack(path, err)
    if dataset is None:
        return EXIT_INVALID
    try:
        prepare_data_dir(data_dir)
    except StorageError as error:
        print(f"studyapp: {error}", file=err)
        return EXIT_CANNOT_OPEN
    lock = take_window_lock(data_dir)
    if lock is None:
        print(
            f"studyapp: StudyApp is open on {data_dir}; add the pack there (File > Add Content "
            "Pack…), or close it and run this again.",
            file=err,
        )
        return EXIT_CANNOT_OPEN
    try:
        try:
            collection = Collection.open(data_dir)
        except StartupError as error:
            print(f"studyapp: {error}", file=err)
            return EXIT_CANNOT_OPEN
        try:
            sync = collection.install_pack(dataset)
        except PackRefusedError as error:
            print(f"studyapp: {error}", file=err)
            return EXIT_INVALID
        except StorageError as error:
            print(f"studyapp: {error}", file=err)
            return EXIT_CANNOT_OPEN
        finally:
            collection.close()
    finally:
        lock.unlock()
    assert sync.plan is not None
    print(f"{path}: {sync.plan.done()}", file=out)
    result = sync.result
    if result.retired_cards:
        print(f"  retired (history kept): {', '.join(result.retired_cards)}", file=out)
    for name, value in describe_pack(dataset):
        print(f"  {name}: {value}", file=out)
    return EXIT_OK
