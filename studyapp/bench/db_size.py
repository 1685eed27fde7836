"""The synthetic collection's size on disk, beside Anki's for the same cards and answers.

Ours is the database compacted (`VACUUM INTO` a scratch file: the size of the collection as
written, free pages left out). Anki's peer: our `.apkg` export of the whole collection with its
progress, imported by Anki's own library (the `anki` package, a test extra) into a new
collection, which Anki then vacuums; the `.anki2` file's size. Run in a process of its own
(`python -m studyapp.bench.db_size DATA_DIR`, one JSON line out) so that Anki's backend never
loads into the benchmark's process. Without `anki` the peer is skipped with a note.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from studyapp.bench.report import Report
from studyapp.paths import database_path

SIZE_RATIO = 1.5  # the target: at most this much of Anki's size for the same content
BYTES_PER_MB = 1024 * 1024


@dataclass(frozen=True)
class SizeFigures:
    ours_bytes: int  # compacted
    anki_bytes: int | None  # None: no Anki peer (see note)
    note: str

    @property
    def ratio(self) -> float | None:
        return None if not self.anki_bytes else self.ours_bytes / self.anki_bytes


def compacted_size(database: Path, scratch: Path) -> int:
    """The database's size once compacted, read from a VACUUM INTO copy (the file is untouched)."""
    copy = scratch / "compacted.sqlite3"
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        connection.execute("VACUUM INTO ?", (str(copy),))
    finally:
        connection.close()
    size = copy.stat().st_size
    copy.unlink()
    return size


def anki_size(data_dir: Path, scratch: Path) -> int:
    """Our export of every card and answer, imported by Anki into a new collection: its size."""
    import anki.collection

    from studyapp.collection import Collection
    from studyapp.collection.export_rows import CardSelection
    from studyapp.interop.exporting import export_file

    package = scratch / "synthetic.apkg"
    collection = Collection.open(data_dir)
    try:
        export_file(collection, package, CardSelection(), with_progress=True)
    finally:
        collection.close()
    path = scratch / "anki" / "collection.anki2"
    path.parent.mkdir()
    col = anki.collection.Collection(str(path))
    try:
        request = anki.collection.ImportAnkiPackageRequest(
            package_path=str(package),
            options=anki.collection.ImportAnkiPackageOptions(
                with_scheduling=True, with_deck_configs=True
            ),
        )
        col.import_anki_package(request)
        assert col.db is not None
        col.db.execute("vacuum")  # through Anki: its indexes use its own collation
    finally:
        col.close()
    return path.stat().st_size


def measure_size(work_dir: Path, data_dir: Path) -> SizeFigures:
    """Both sizes, in a child process (see the module's docstring) of this copy of StudyApp."""
    from studyapp.bench.startup import child_env

    command = [sys.executable, "-m", "studyapp.bench.db_size", str(data_dir)]
    done = subprocess.run(
        command, capture_output=True, text=True, check=False, env=child_env(work_dir)
    )
    if done.returncode != 0:
        raise RuntimeError(f"the database size child failed:\n{done.stderr[-2000:]}")
    values = json.loads(done.stdout.strip().splitlines()[-1])
    return SizeFigures(values["ours_bytes"], values["anki_bytes"], values["note"])


def add_size_rows(report: Report, size: SizeFigures | None) -> None:
    """The benchmark's rows: our size, Anki's and the ratio (without Anki: ours and a note)."""
    assert size is not None
    report.add("scale_db_size", "Synthetic: database size", size.ours_bytes / BYTES_PER_MB, "MB")
    if size.anki_bytes is not None and size.ratio is not None:
        anki_mb = size.anki_bytes / BYTES_PER_MB
        report.add("scale_db_size_anki", "Synthetic: Anki's database size", anki_mb, "MB")
        report.add(
            "scale_db_size_ratio", "Synthetic: database size / Anki's", size.ratio, "x", SIZE_RATIO
        )
    report.notes.append(size.note)


def main(argv: list[str]) -> int:
    data_dir = Path(argv[0])
    with tempfile.TemporaryDirectory(prefix="studyapp-size-") as temp:
        scratch = Path(temp)
        ours = compacted_size(database_path(data_dir), scratch)
        anki_bytes: int | None = None
        try:
            import anki.collection  # noqa: F401
        except ImportError as error:
            note = f"Anki peer skipped: the `anki` package is not importable ({error})."
        else:
            anki_bytes = anki_size(data_dir, scratch)
            note = (
                "Database size: ours compacted (VACUUM INTO); Anki's the .anki2 file after "
                "Anki's own import of our .apkg export (every card and answer) and a VACUUM."
            )
    print(json.dumps({"ours_bytes": ours, "anki_bytes": anki_bytes, "note": note}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
