"""The browser table's selection by card id: read it, and put it back after the table was
filled again (a new search, a new sort), with contiguous rows selected as one range so that
thousands of selected cards come back at once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, QItemSelectionModel
from PySide6.QtWidgets import QTableView

if TYPE_CHECKING:
    from studyapp.ui.browser.table_model import CardTableModel


def selected_ids(table: QTableView, model: CardTableModel) -> list[str]:
    rows = sorted({index.row() for index in table.selectionModel().selectedRows()})
    return [model.card_id(row) for row in rows if row < model.rowCount()]


def current_id(table: QTableView, model: CardTableModel) -> str | None:
    index = table.currentIndex()
    if not index.isValid() or index.row() >= model.rowCount():
        return None
    return model.card_id(index.row())


def select_ids(
    table: QTableView, model: CardTableModel, card_ids: list[str], current: str | None
) -> None:
    """Select these cards (those the table shows; no signal) and make `current` (else the
    first of them) the current one, scrolled into view."""
    found = (model.row_of(card_id) for card_id in card_ids)
    rows = sorted(row for row in found if row is not None)
    selection = QItemSelection()
    last_column = model.columnCount() - 1
    start = previous = None
    for row in [*rows, None]:
        if row is not None and previous is not None and row == previous + 1:
            previous = row
            continue
        if start is not None and previous is not None:
            selection.select(model.index(start, 0), model.index(previous, last_column))
        start = previous = row
    selections = table.selectionModel()
    selections.blockSignals(True)
    try:
        selections.select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        current_row = model.row_of(current) if current is not None else None
        if current_row is None and rows:
            current_row = rows[0]
        if current_row is not None:
            column = table.horizontalHeader().logicalIndex(0)
            selections.setCurrentIndex(
                model.index(current_row, column), QItemSelectionModel.SelectionFlag.NoUpdate
            )
            table.scrollTo(model.index(current_row, 0))
    finally:
        selections.blockSignals(False)
