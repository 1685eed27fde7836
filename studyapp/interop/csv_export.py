"""Export to CSV: UTF-8 text a spreadsheet opens and Anki's own text importer reads.

The header lines are Anki's (#separator, #html, #notetype column, ...): Anki puts each row
in Anki's stock "Basic" or "Cloze" note type (every collection has both) and the deck of
its article and section; a spreadsheet shows them as a few rows above the cards.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from studyapp.collection import Collection
from studyapp.collection.export_rows import CardSelection, ExportCard
from studyapp.collection.importing import Progress, card_guid
from studyapp.content.model import CardKind
from studyapp.interop.anki_export import card_tags, deck_name
from studyapp.interop.exporting import ExportResult, no_cards_error
from studyapp.interop.fields import anki_cloze_text
from studyapp.interop.files import atomic_output

COLUMNS = ("Note type", "Deck", "Front", "Back", "Source", "Article", "Tags", "GUID")
BASIC_NOTETYPE = "Basic"  # Anki's stock note types, in every collection
CLOZE_NOTETYPE = "Cloze"
LINE_END = "\r\n"  # RFC 4180, and what spreadsheets write
PROGRESS_EVERY = 2000


def header_lines() -> list[str]:
    """Anki's header lines for our columns (1-based column numbers)."""
    return [
        "#separator:Comma",
        "#html:false",
        f"#notetype column:{COLUMNS.index('Note type') + 1}",
        f"#deck column:{COLUMNS.index('Deck') + 1}",
        f"#tags column:{COLUMNS.index('Tags') + 1}",
        f"#guid column:{COLUMNS.index('GUID') + 1}",
        "#columns:" + ",".join(COLUMNS),
    ]


def csv_row(card: ExportCard) -> list[str]:
    """A card's cells: an Anki cloze card puts its text in Text (our Front column) and
    leaves Back Extra (our Back column) empty."""
    if card.kind == CardKind.CLOZE.value and card.cloze:
        notetype, front, back = CLOZE_NOTETYPE, anki_cloze_text(card.cloze), ""
    else:
        notetype, front, back = BASIC_NOTETYPE, card.front, card.back
    tags = " ".join(card_tags(card))
    article = card.article_title or ""
    return [notetype, deck_name(card), front, back, card.quote, article, tags, card_guid(card.id)]


def export_csv(
    collection: Collection,
    path: Path,
    selection: CardSelection,
    *,
    progress: Progress | None = None,
) -> ExportResult:
    """Write the selected cards as CSV at `path` (all or nothing)."""
    collection.check_selection(selection)
    size = collection.export_size(selection)
    if size.cards == 0:
        raise no_cards_error(selection)
    text = io.StringIO()
    text.write("\ufeff")  # a byte order mark: spreadsheets then read the text as UTF-8
    text.write(LINE_END.join(header_lines()) + LINE_END)
    writer = csv.writer(text, lineterminator=LINE_END)
    count = 0
    for count, card in enumerate(collection.export_cards(selection), 1):
        writer.writerow(csv_row(card))
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count, size.cards)
    with atomic_output(path) as output:
        output.write(text.getvalue().encode("utf-8"))
    if progress is not None:
        progress(size.cards, size.cards)
    return ExportResult(path, count, 0, 0)
