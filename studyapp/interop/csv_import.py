"""Reading cards from CSV: our own export, Anki's text exports ("Notes in Plain Text" with
its #header lines, "Cards in Plain Text"), and plain files with or without a header row
Front,Back[,Tags].

The file is checked whole first (size, emptiness, encoding: a message naming the line);
then every row either becomes an ImportRow or is rejected with its line and the reason.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from studyapp.collection import CardText, Collection
from studyapp.collection.importing import ImportChanges, ImportRow, Progress, RowNote
from studyapp.content.cloze import CLOZE_PATTERN
from studyapp.content.model import CardKind
from studyapp.interop.fields import (
    flag_of_tags,
    is_anki_cloze,
    is_derived_tag,
    our_cloze,
    to_text,
)
from studyapp.interop.files import InteropError

MAX_IMPORT_BYTES = 32 * 1024 * 1024  # about 200,000 cards: larger files are refused
PROGRESS_EVERY = 1000  # lines between progress reports
SEPARATORS = {
    "comma": ",",
    "semicolon": ";",
    "tab": "\t",
    "space": " ",
    "pipe": "|",
    "colon": ":",
}
# Column labels we understand (a header row, or Anki's #columns line), lower case.
LABELS = {
    "front": "front",
    "question": "front",
    "text": "front",
    "back": "back",
    "answer": "back",
    "back extra": "back",
    "source": "source",
    "article": "article",
    "tags": "tags",
    "guid": "guid",
    "deck": "deck",
    "note type": "notetype",
    "notetype": "notetype",
}
META_KEYS = {"tags column": "tags", "guid column": "guid", "deck column": "deck"}
META_KEYS["notetype column"] = "notetype"
META_ROLES = set(META_KEYS.values())


@dataclass
class _Header:
    """What Anki's header lines (and a header row) say about the file."""

    separator: str | None = None
    html: bool = False
    labels: list[str] | None = None  # from #columns or a header row
    columns: dict[str, int] = field(default_factory=dict)  # role -> 0-based column
    lines: int = 0  # how many lines the # header takes
    global_tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParsedFile:
    """A file's rows ready to import, and the rows refused, with why."""

    rows: tuple[ImportRow, ...]
    rejected: tuple[RowNote, ...]
    description: str  # what kind of file it was taken for


def read_text(path: Path) -> str:
    """The file's text, or an InteropError: missing, too big, empty or not UTF-8."""
    try:
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise InteropError(
                f"{path.name} is {size / 2**20:.0f} MB; StudyApp imports files of up to "
                f"{MAX_IMPORT_BYTES // 2**20} MB (about 200,000 cards). Split it into smaller "
                "files. Nothing was imported."
            )
        data = path.read_bytes()
    except OSError as error:
        raise InteropError(
            f"Could not read {path}: {error.strerror or error}. Nothing was imported."
        ) from error
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise InteropError(
            f"{path.name} is not UTF-8 text: line {line}, column {column} has a byte "
            f"(0x{data[error.start]:02X}) UTF-8 does not allow. Save it as UTF-8 (in a "
            'spreadsheet: "CSV UTF-8") and import it again. Nothing was imported.'
        ) from None
    if not text.strip():
        raise InteropError(f"{path.name} is empty: there are no cards in it to import.")
    return text


def _meta_line(line: str, header: _Header) -> bool:
    """Read one of Anki's header lines; False if the line is not one."""
    if not line.startswith("#"):
        return False
    key, _, value = line[1:].partition(":")
    key, value = key.strip().lower(), value.strip()
    if key == "separator":
        header.separator = SEPARATORS.get(value.lower(), value[:1] or None)
    elif key == "html":
        header.html = value.lower() == "true"
    elif key == "tags":
        header.global_tags = tuple(value.split())
    elif key in META_KEYS and value.isdigit() and int(value) > 0:
        header.columns[META_KEYS[key]] = int(value) - 1
    elif key == "columns":
        header.labels = [value]  # split once the separator is known
    return True


def _guess_separator(line: str) -> str:
    """Anki's fallback: a tab, else the commonest of ; and ,."""
    if "\t" in line:
        return "\t"
    return ";" if line.count(";") > line.count(",") else ","


def _label_columns(labels: list[str], header: _Header) -> None:
    for index, label in enumerate(labels):
        role = LABELS.get(label.strip().lower())
        if role is not None:
            header.columns.setdefault(role, index)


def _is_header_row(cells: list[str]) -> bool:
    names = [cell.strip().lower() for cell in cells]
    return "front" in names and all(name in LABELS or not name for name in names)


class _RowReader:
    """Turns a row's cells into an ImportRow, or a reason it is refused."""

    def __init__(self, header: _Header, width: int) -> None:
        self.header = header
        self.width = width
        meta = {index for role, index in header.columns.items() if role in META_ROLES}
        fields = [index for index in range(width) if index not in meta]
        self.front = header.columns.get("front", fields[0] if fields else None)
        self.back = header.columns.get("back", fields[1] if len(fields) > 1 else None)
        self.source = header.columns.get("source")
        self.tags = header.columns.get("tags")
        if self.tags is None and header.labels is None and len(fields) == 3:
            self.tags = fields[2]  # front, back, tags: the usual plain layout
        self.guid = header.columns.get("guid")
        self.notetype = header.columns.get("notetype")
        self.unlabelled_fields = fields if header.labels is None else []
        self.convert: Callable[[str], str] = to_text if header.html else str.strip

    def cell(self, cells: list[str], index: int | None) -> str:
        if index is None or index >= len(cells):
            return ""
        return cells[index]

    def row(self, line: int, cells: list[str]) -> ImportRow:
        """The row as a card; ValueError says why it cannot be one."""
        if len(cells) != self.width:
            raise ValueError(
                f"it has {len(cells)} column{'s' if len(cells) != 1 else ''}; the file's "
                f"{'header has' if self.header.labels else 'first row has'} {self.width}"
            )
        front = self.convert(self.cell(cells, self.front))
        back = self.convert(self.cell(cells, self.back))
        notetype = self.cell(cells, self.notetype).strip()
        source_index = self.source
        ours = notetype.lower().startswith("studyapp") and len(self.unlabelled_fields) > 2
        if source_index is None and ours:
            # Anki's export of our own note types: Front, Back, Source, Article.
            source_index = self.unlabelled_fields[2]
        source = self.convert(self.cell(cells, source_index))
        tags = list(self.header.global_tags) + self.cell(cells, self.tags).split()
        flag = flag_of_tags(tags)
        kept = tuple(tag for tag in dict.fromkeys(tags) if not is_derived_tag(tag))
        guid = self.cell(cells, self.guid).strip()
        if "cloze" in notetype.lower() or is_anki_cloze(front):
            text = self.cloze_text(front)
            return ImportRow(line, CardText(CardKind.CLOZE, cloze=text), source, kept, flag, guid)
        return ImportRow(line, CardText(CardKind.BASIC, front, back), source, kept, flag, guid)

    def cloze_text(self, text: str) -> str:
        if is_anki_cloze(text):
            return our_cloze(text)
        if CLOZE_PATTERN.search(text):
            return text  # already in our form: {{gap}}
        raise ValueError("it is a cloze card, but its text has no gap ({{c1::…}})")


def parse_csv(text: str, progress: Progress | None = None) -> ParsedFile:
    """Rows of a CSV text (read_text's), each an ImportRow or a RowNote saying why not."""
    header = _Header()
    lines = text.splitlines(keepends=True)
    while header.lines < len(lines) and _meta_line(lines[header.lines].rstrip("\r\n"), header):
        header.lines += 1
    body = "".join(lines[header.lines :])
    first_line = next((line for line in lines[header.lines :] if line.strip()), "")
    separator = header.separator or _guess_separator(first_line)
    if header.labels is not None:
        header.labels = next(csv.reader([header.labels[0]], delimiter=separator))
        _label_columns(header.labels, header)
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=separator, strict=True)
    rows: list[ImportRow] = []
    rejected: list[RowNote] = []
    row_reader: _RowReader | None = None
    total_lines = max(1, len(lines) - header.lines)
    start = 1
    had_header_row = False
    while True:
        line = header.lines + start
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            rejected.append(RowNote(line, f"it is not valid CSV ({error})"))
            break
        passed = reader.line_num // PROGRESS_EVERY != (start - 1) // PROGRESS_EVERY
        if progress is not None and passed:
            progress(reader.line_num, total_lines)
        start = reader.line_num + 1
        if not any(cell.strip() for cell in cells):
            continue  # a blank line
        if row_reader is None:
            if header.labels is None and _is_header_row(cells):
                header.labels = cells
                _label_columns(cells, header)
                had_header_row = True
                row_reader = _RowReader(header, len(cells))
                continue
            width = len(header.labels) if header.labels is not None else len(cells)
            row_reader = _RowReader(header, width)
        try:
            rows.append(row_reader.row(line, cells))
        except ValueError as error:
            rejected.append(RowNote(line, str(error)))
    if not rows and not rejected:
        raise InteropError("The file has no cards in it, only header lines.")
    kind = "Anki's header lines" if header.lines else "a header row" if had_header_row else ""
    description = f"CSV with {kind}" if kind else "CSV without a header"
    return ParsedFile(tuple(rows), tuple(rejected), description)


@dataclass(frozen=True)
class ImportSummary:
    """What an import did, for the summary dialog and the command line."""

    path: Path
    description: str
    article_title: str | None  # None: imported into no article
    added: int
    updated: int
    linked: int  # added cards whose Source matched a sentence of the article
    duplicates: tuple[RowNote, ...]
    rejected: tuple[RowNote, ...]  # the file's and the collection's refusals, by line
    changes: ImportChanges | None  # None: nothing reached the collection

    def lines(self, limit: int | None = 20, *, undo_hint: bool = True) -> list[str]:
        """The summary as lines; `limit` rows listed per kind (None: all)."""
        into = f"into {self.article_title!r}" if self.article_title else "into no article"
        lines = [f"Imported {self.path.name} ({self.description}) {into}:"]
        added = f"  Added: {self.added}"
        if self.linked:
            added += f" ({self.linked} linked to their sentence in the article)"
        lines += [added, f"  Updated: {self.updated}"]
        for title, notes in (("Duplicates, skipped", self.duplicates), ("Rejected", self.rejected)):
            lines.append(f"  {title}: {len(notes)}")
            shown = notes if limit is None else notes[:limit]
            lines += [f"    line {note.line}: {note.reason}" for note in shown]
            if len(notes) > len(shown):
                lines.append(f"    … and {len(notes) - len(shown)} more")
        if undo_hint and self.changes is not None and (self.added or self.updated):
            lines.append("Edit > Undo Import takes all of it back.")
        return lines


def _phase(progress: Progress | None, first: bool) -> Progress | None:
    """Reading takes the first fifth of one progress bar, writing the rest."""
    if progress is None:
        return None
    scale, offset = (1, 0) if first else (4, 1)

    def report(done: int, total: int) -> None:
        total = max(total, 1)
        progress(offset * total + scale * done, 5 * total)

    return report


def import_file(
    collection: Collection,
    path: Path,
    article_id: str | None = None,
    *,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import a CSV file's rows as the learner's cards (one transaction, one undo step)."""
    titles = {article.id: article.title for article in collection.articles()}
    if article_id is not None and article_id not in titles:
        raise InteropError(f"There is no article {article_id!r} to import into.")
    parsed = parse_csv(read_text(path), _phase(progress, first=True))
    changes = None
    if parsed.rows:
        changes = collection.import_cards(
            parsed.rows, article_id, progress=_phase(progress, first=False)
        )
    rejected = sorted(
        [*parsed.rejected, *(changes.rejected if changes else ())], key=lambda note: note.line
    )
    return ImportSummary(
        path=path,
        description=parsed.description,
        article_title=titles.get(article_id or ""),
        added=changes.added if changes else 0,
        updated=changes.updated if changes else 0,
        linked=changes.linked if changes else 0,
        duplicates=changes.duplicates if changes else (),
        rejected=tuple(rejected),
        changes=changes,
    )
