"""Export by file name: `.apkg` writes an Anki package, `.csv` (or `.txt`) a CSV file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from studyapp.collection import Collection
from studyapp.collection.export_rows import CardSelection
from studyapp.collection.importing import Progress
from studyapp.interop.files import InteropError

APKG_SUFFIX = ".apkg"
CSV_SUFFIXES = (".csv", ".txt")


@dataclass(frozen=True)
class ExportResult:
    path: Path
    cards: int
    reviews: int  # review log rows written (0 without progress, and for CSV)
    decks: int  # decks holding cards (0 for CSV, which names a deck per row)

    def summary(self) -> str:
        what = f"{self.cards:,} card{'s' if self.cards != 1 else ''}"
        if self.reviews:
            what += f" with {self.reviews:,} answer{'s' if self.reviews != 1 else ''}"
        if self.decks:
            what += f" in {self.decks} deck{'s' if self.decks != 1 else ''}"
        return f"Exported {what} to {self.path}."


def no_cards_error(selection: CardSelection) -> InteropError:
    if selection.what == "mine":
        why = "you have made no cards of your own"
    elif selection.what == "article":
        why = f"the article {selection.article_id!r} has no cards"
    else:
        why = "the collection has no cards"
    return InteropError(f"There are no cards to export: {why}. Nothing was written.")


def format_of(path: Path) -> str:
    """ "apkg" or "csv" by the file's extension; InteropError for any other."""
    suffix = path.suffix.lower()
    if suffix == APKG_SUFFIX:
        return "apkg"
    if suffix in CSV_SUFFIXES:
        return "csv"
    raise InteropError(
        f"{path.name}: StudyApp exports Anki packages (.apkg) and CSV files (.csv); the file "
        "name's extension chooses which."
    )


def export_file(
    collection: Collection,
    path: Path,
    selection: CardSelection,
    *,
    with_progress: bool = False,
    progress: Progress | None = None,
) -> ExportResult:
    """Export the selected cards to `path`, in the format its extension names."""
    if format_of(path) == "apkg":
        from studyapp.interop.anki_export import export_apkg

        return export_apkg(
            collection, path, selection, with_progress=with_progress, progress=progress
        )
    if with_progress:
        raise InteropError(
            "A CSV file holds cards, not progress: export an Anki package (.apkg) to keep "
            "your intervals and review history."
        )
    from studyapp.interop.csv_export import export_csv

    return export_csv(collection, path, selection, progress=progress)
