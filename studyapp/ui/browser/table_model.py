"""The browser's table: a model over the ids a search found, its rows read lazily by id.

As Anki's browser/table/model.py: the search returns ids only (sorted in SQL); a row's cells
are read, a page of ids at a time, when the view first asks for one, and kept until a change
makes them stale. So 50,000 cards cost one id list and the rows on screen.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QColor, QGuiApplication, QPalette

from studyapp.ui.browser.columns import COLUMNS, Shown
from studyapp.ui.colours import mix, readable_hue
from studyapp.ui.review.keys import FLAG_HUES

if TYPE_CHECKING:
    from studyapp.collection import BrowserRow, Collection

PAGE = 120  # rows read at a time: a screenful and some on either side
SUSPENDED_HUE = 55  # Anki's yellow for suspended cards
MARKED_HUE = 285  # and its purple for marked ones
Index = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole
_ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole
_ROLES = frozenset(
    {
        _DISPLAY,
        _ALIGNMENT,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.BackgroundRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.AccessibleTextRole,
    }
)
_ALIGNMENTS = tuple(int(column.alignment) for column in COLUMNS)


class CardTableModel(QAbstractTableModel):
    """Rows are cards (by id), columns are columns.COLUMNS."""

    def __init__(self, collection: Collection, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._collection = collection
        self._ids: list[str] = []
        self._rows_of: dict[str, int] = {}
        self._cache: dict[str, BrowserRow] = {}
        self._texts: dict[str, list[str | None]] = {}  # each row's cells, as shown
        self._tints: dict[tuple[int, int], QColor] = {}
        self._new_ranks: dict[str, int] | None = None
        self._shown: Shown | None = None
        self._filled = 0  # counts the searches (and clears) the table has been filled by
        self._ahead = 0  # where the last read ended: reading ahead starts there
        self._reading_ahead = False
        self.query = ""
        self.order = "due"
        self.descending = False
        self.rows_read = 0  # rows read from the collection since the last search (laziness)

    # -- searching --------------------------------------------------------------------------

    def search(self, query: str, order: str | None = None, descending: bool | None = None) -> int:
        """Run a search (SearchError if it is wrong; the table keeps what it showed)."""
        order = self.order if order is None else order
        descending = self.descending if descending is None else descending
        ids = self._collection.search(query, order, descending=descending)
        self.beginResetModel()
        self._filled += 1
        self._ahead = 0
        self.query, self.order, self.descending = query, order, descending
        self._ids = ids
        self._rows_of = {card_id: row for row, card_id in enumerate(ids)}
        self._cache.clear()
        self._texts.clear()
        self._new_ranks = None
        self._shown = None
        self.rows_read = 0
        self.endResetModel()
        return len(ids)

    def clear(self) -> None:
        """Hold nothing (a closed browser); the next search fills the table again."""
        self.beginResetModel()
        self._filled += 1
        self._ahead = 0
        self._ids, self._rows_of = [], {}
        self._cache.clear()
        self._texts.clear()
        self._new_ranks = None
        self._shown = None
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """A header click: the same search, sorted in SQL by that column."""
        if not 0 <= column < len(COLUMNS):
            return
        self.search(self.query, COLUMNS[column].key, order == Qt.SortOrder.DescendingOrder)

    def sort_column(self) -> int:
        return next(i for i, column in enumerate(COLUMNS) if column.key == self.order)

    # -- rows -------------------------------------------------------------------------------

    @property
    def ids(self) -> Sequence[str]:
        return self._ids

    def card_id(self, row: int) -> str:
        return self._ids[row]

    def row_of(self, card_id: str) -> int | None:
        return self._rows_of.get(card_id)

    def card_row(self, row: int) -> BrowserRow:
        """The row's card, read (with its neighbours) if it is not read yet."""
        card_id = self._ids[row]
        found = self._cache.get(card_id)
        if found is None:
            self._read(max(0, row - PAGE // 4), row + PAGE)
            self._ahead = row + PAGE
            found = self._cache[card_id]
        if row + PAGE // 2 > self._ahead and not self._reading_ahead:
            # Near the end of what is read: the next page is read when the event loop is
            # idle, so that scrolling on rarely waits for the database.
            self._reading_ahead = True
            filled, start = self._filled, self._ahead
            QTimer.singleShot(0, self, lambda: self._read_ahead(filled, start))
        return found

    def _read_ahead(self, filled: int, start: int) -> None:
        self._reading_ahead = False
        if filled == self._filled:  # unless the table has been filled anew since
            self._read(start, start + PAGE)
            self._ahead = max(self._ahead, start + PAGE)

    def _read(self, start: int, end: int) -> None:
        page = [each for each in self._ids[start:end] if each not in self._cache]
        if page:
            self._cache.update(self._collection.browser_rows(page))
            self.rows_read += len(page)

    def loaded(self) -> int:
        """How many rows are read and kept now."""
        return len(self._cache)

    def mark_stale(self, card_ids: Iterable[str] | None = None) -> None:
        """These cards changed (None: any may have): read them again when next shown."""
        self._new_ranks = None
        self._shown = None
        if card_ids is None:
            self._cache.clear()
            self._texts.clear()
            self._all_changed()
            return
        for card_id in card_ids:
            self._cache.pop(card_id, None)
            self._texts.pop(card_id, None)
            row = self._rows_of.get(card_id)
            if row is not None:
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def _all_changed(self) -> None:
        if self._ids:
            last = self.index(len(self._ids) - 1, len(COLUMNS) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def _ranks(self) -> dict[str, int]:
        if self._new_ranks is None:
            self._new_ranks = self._collection.new_card_ranks()
        return self._new_ranks

    # -- Qt's model interface ---------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        # Qt asks for a dozen roles of every cell it paints: the common ones are answered
        # from each row's texts, made once when the row is first shown.
        if role not in _ROLES or not index.isValid():
            return None
        row_number, column = index.row(), index.column()
        if role == _ALIGNMENT:
            return _ALIGNMENTS[column]
        if not 0 <= row_number < len(self._ids):
            return None
        if role == _DISPLAY:
            return self.cell_text(row_number, column)
        row = self.card_row(row_number)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self.tint(row)
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.deleted:
                palette = QGuiApplication.palette()
                ink = palette.color(QPalette.ColorRole.Text)
                return mix(ink, palette.color(QPalette.ColorRole.Base), 0.45)
            return None
        text = self.cell_text(row_number, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, COLUMNS[column].key, text)
        return text  # AccessibleTextRole

    def cell_text(self, row_number: int, column: int) -> str:
        """A cell's text as shown: made when first shown (hidden columns never are), kept
        while its row is."""
        card_id = self._ids[row_number]
        texts = self._texts.get(card_id)
        if texts is None:
            texts = self._texts[card_id] = [None] * len(COLUMNS)
        text = texts[column]
        if text is None:
            if self._shown is None:  # the time cells are shown at: kept until rows go stale
                self._shown = Shown(self._collection.clock(), self._collection.tz, self._ranks)
            text = texts[column] = COLUMNS[column].text(self.card_row(row_number), self._shown)
        return text

    def tint(self, row: BrowserRow) -> QColor | None:
        """Anki's row colours: the flag's, else marked purple, else suspended yellow, each
        a light tint of the palette's Base so the text stays readable in either theme."""
        hue = FLAG_HUES.get(row.flag)
        if hue is None and row.marked:
            hue = MARKED_HUE
        if hue is None and row.suspended:
            hue = SUSPENDED_HUE
        if hue is None:
            return None
        base = QGuiApplication.palette().color(QPalette.ColorRole.Base)  # the theme's
        key = (hue, base.rgba())
        tint = self._tints.get(key)
        if tint is None:
            tint = self._tints[key] = mix(base, readable_hue(hue, base), 0.22)
        return tint

    def _tooltip(self, row: BrowserRow, key: str, text: str) -> str:
        if key in ("question", "answer"):
            return row.question if key == "question" else row.answer
        if key == "source":
            return f"Article: {row.article or '—'}\nSection: {row.section or '—'}"
        if key == "origin" and row.pack_id is not None:
            return f"From the pack {row.pack_id}" + (" (you edited it)" if row.edited else "")
        return text

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> object:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return COLUMNS[section].title
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"Sort by {COLUMNS[section].title.lower()} (click again to reverse)"
        return None
