"""The browser table's header: which columns show, in which order and width (the learner's
choice, kept in the window settings), and a click on a column to sort by it in SQL."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QByteArray, QObject, QPoint, QSettings, Qt, Signal
from PySide6.QtWidgets import QHeaderView, QMenu

from studyapp.ui.browser.columns import COLUMNS

LOGICAL = {column.key: index for index, column in enumerate(COLUMNS)}


class ColumnHeader(QObject):
    sortRequested = Signal(str, bool)  # column key, descending
    changed = Signal()  # columns shown, moved or resized

    def __init__(self, header: QHeaderView, choose: Callable[[], None]) -> None:
        super().__init__(header)
        self._header = header
        self._choose = choose
        header.setSectionsMovable(True)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self.menu)
        header.sectionClicked.connect(self._clicked)
        header.sectionMoved.connect(lambda *_: self.changed.emit())
        self._sorted = (LOGICAL["due"], False)

    def shown(self) -> list[str]:
        """The keys of the columns shown, left to right."""
        header = self._header
        logical = [header.logicalIndex(visual) for visual in range(header.count())]
        return [COLUMNS[index].key for index in logical if not header.isSectionHidden(index)]

    def set_shown(self, keys: list[str]) -> None:
        header = self._header
        wanted = [key for key in keys if key in LOGICAL] or ["question"]
        order = [*wanted, *(column.key for column in COLUMNS if column.key not in wanted)]
        header.blockSignals(True)
        for visual, key in enumerate(order):
            header.moveSection(header.visualIndex(LOGICAL[key]), visual)
            header.setSectionHidden(LOGICAL[key], key not in wanted)
            if key in wanted and header.sectionSize(LOGICAL[key]) < 20:
                header.resizeSection(LOGICAL[key], COLUMNS[LOGICAL[key]].width)
        header.blockSignals(False)

    def show_sort(self, logical: int, descending: bool) -> None:
        self._sorted = (logical, descending)
        order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        self._header.blockSignals(True)
        self._header.setSortIndicator(logical, order)
        self._header.blockSignals(False)

    def _clicked(self, logical: int) -> None:
        column, descending = self._sorted
        # A click on the sorted column reverses it; on another, sorts by it ascending.
        self.sortRequested.emit(
            COLUMNS[logical].key, not descending if logical == column else False
        )

    def menu(self, point: QPoint) -> None:
        menu = QMenu(self._header)
        shown = self.shown()
        for column in COLUMNS:
            action = menu.addAction(column.title)
            action.setCheckable(True)
            action.setChecked(column.key in shown)
            action.toggled.connect(lambda on, key=column.key: self._toggle(key, on))
        menu.addSeparator()
        menu.addAction("Columns…", self._choose)
        menu.exec(self._header.mapToGlobal(point))

    def _toggle(self, key: str, on: bool) -> None:
        shown = self.shown()
        self.set_shown([*shown, key] if on else [k for k in shown if k != key])
        self.changed.emit()

    def restore(self, settings: QSettings) -> None:
        header = self._header
        state = settings.value("browser/header")
        if not (isinstance(state, QByteArray) and header.restoreState(state)):
            for index, column in enumerate(COLUMNS):
                header.resizeSection(index, column.width)
        columns = settings.value("browser/columns")
        keys = str(columns).split(",") if isinstance(columns, str) and columns else None
        self.set_shown(keys or [column.key for column in COLUMNS if column.shown_at_first])

    def save(self, settings: QSettings) -> None:
        settings.setValue("browser/header", self._header.saveState())
        settings.setValue("browser/columns", ",".join(self.shown()))
