"""Interop at scale: export the synthetic collection to .apkg with its progress, and import a
CSV file of new cards into a copy of it (so the reused collection stays as it was)."""

from __future__ import annotations

import csv
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from random import Random

from studyapp.bench.startup import copy_collection
from studyapp.collection import Collection
from studyapp.collection.export_rows import CardSelection
from studyapp.interop.csv_import import import_file
from studyapp.interop.exporting import export_file


@dataclass(frozen=True)
class InteropFigures:
    export_s: float
    exported_cards: int
    exported_reviews: int
    import_s: float
    imported: int


def write_import_file(path: Path, rows: int, seed: int) -> Path:
    """A CSV file of `rows` distinct cards with a header row Front,Back,Tags."""
    rng = Random(seed)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Front", "Back", "Tags"])
        for number in range(rows):
            year = rng.randrange(1900, 1950)
            writer.writerow(
                [
                    f"Imported question {number + 1}: what happened in {year}, šį kartą?",
                    f"Answer {number + 1}: a treaty of {year}.",
                    "imported bench",
                ]
            )
    return path


def measure_interop(work_dir: Path, data_dir: Path, import_rows: int, seed: int) -> InteropFigures:
    collection = Collection.open(data_dir)
    try:
        started = time.perf_counter()
        exported = export_file(
            collection, work_dir / "synthetic.apkg", CardSelection(), with_progress=True
        )
        export_s = time.perf_counter() - started
    finally:
        collection.close()
    (work_dir / "synthetic.apkg").unlink()
    source = write_import_file(work_dir / "import.csv", import_rows, seed)
    copy = copy_collection(data_dir, work_dir / "synthetic-import")
    collection = Collection.open(copy)
    try:
        started = time.perf_counter()
        summary = import_file(collection, source)
        import_s = time.perf_counter() - started
    finally:
        collection.close()
        shutil.rmtree(copy)
    return InteropFigures(export_s, exported.cards, exported.reviews, import_s, summary.added)
