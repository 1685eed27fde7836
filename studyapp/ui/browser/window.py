"""The card browser (B, Study > Browse): search, a table of every matching card, an editor.

Its own window, as Anki's. It reads through the collection and changes it only through
Operations, so each change is undoable here or in the main window and reaches every pane; it
follows changes made elsewhere through on_changes() (the main window calls it). Selection and
sort survive a refresh; the columns shown, their order and widths, and the sort are kept in
the window settings.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from studyapp.collection import CardText, Changes, SearchError
from studyapp.ui.browser import selection
from studyapp.ui.browser.actions import BrowserCommands
from studyapp.ui.browser.columns import BY_KEY
from studyapp.ui.browser.delegate import RowDelegate
from studyapp.ui.browser.dialogs import ColumnsDialog, RepositionDialog
from studyapp.ui.browser.editor import CardEditor
from studyapp.ui.browser.header import ColumnHeader
from studyapp.ui.browser.menus import build_menus, card_menu
from studyapp.ui.browser.search_bar import SearchBar
from studyapp.ui.browser.table_model import CardTableModel

if TYPE_CHECKING:
    from studyapp.collection import Collection
    from studyapp.ui.operations import Operations

NO_FTS = (
    "Your SQLite has no full-text search (FTS5), so StudyApp searches the folded text with "
    "LIKE instead: slower, and a word matches anywhere inside words."
)


class BrowserWindow(BrowserCommands, QMainWindow):
    showInArticleRequested = Signal(str)  # a card id
    card_actions: dict[str, QAction]  # the Cards menu's, by BrowserAction name

    def __init__(
        self, operations: Operations, settings: QSettings, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("browserWindow")
        self.setWindowTitle("Browse — StudyApp")
        self._operations = operations
        self._collection: Collection = operations.collection
        self._settings = settings
        self._told_no_fts = False
        self.model = CardTableModel(self._collection, self)
        self.search_bar = SearchBar(self)
        self.table = QTableView(self)
        self.table.setObjectName("browserTable")
        self.table.setAccessibleName("Cards")
        self.table.setModel(self.model)
        self.table.setItemDelegate(RowDelegate(self.model, self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.columns = ColumnHeader(self.table.horizontalHeader(), self.choose_columns)
        self.columns.sortRequested.connect(self._sort)
        self.columns.changed.connect(self.save_settings)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(
            lambda point: card_menu(self, self.card_actions, point)
        )
        self.editor = CardEditor(self)
        self._splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self._splitter.setObjectName("browserSplitter")
        self._splitter.addWidget(self.table)
        self._splitter.addWidget(self.editor)
        self._splitter.setChildrenCollapsible(False)
        self._splitter.setStretchFactor(0, 3)
        self._splitter.setStretchFactor(1, 2)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.search_bar)
        layout.addWidget(self._splitter, 1)
        self.setCentralWidget(central)

        self.counts_label = QLabel(self)
        self.counts_label.setObjectName("browserCounts")
        self.statusBar().addPermanentWidget(self.counts_label)
        menus = build_menus(self)
        self.undo_action, self.card_actions = menus.undo_action, menus.card_actions
        self._update_undo()
        self.search_bar.searchRequested.connect(lambda text: self.search(text))
        self.search_bar.box.downPressed.connect(self.focus_table)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.editor.saveRequested.connect(self._save_edit)
        self.editor.restoreRequested.connect(self._restore_original)
        self._shown_card: str | None = None
        self._restore_settings()

    # -- searching --------------------------------------------------------------------------

    def search(self, query: str | None = None) -> bool:
        """Search (the box's text if None), keeping the selection; False if the search is
        wrong (the line under the box says why, the table keeps what it showed)."""
        if query is None:
            query = self.search_bar.text()
        elif query != self.search_bar.text():
            self.search_bar.set_text(query)
        if not self._leave_editor():
            return False
        selected, current = self.selected_ids(), self.current_id()
        try:
            count = self.model.search(query)
        except SearchError as error:
            self.search_bar.show_message(str(error), problem=True)
            return False
        self._after_search(count, selected, current)
        return True

    def _sort(self, key: str, descending: bool) -> None:
        """A header click: the same search sorted in SQL by that column, selection kept."""
        selected, current = self.selected_ids(), self.current_id()
        try:
            count = self.model.search(self.model.query, key, descending)
        except SearchError as error:
            self.search_bar.show_message(str(error), problem=True)
            return
        self._after_search(count, selected, current)
        self.save_settings()

    def _after_search(self, count: int, selected: list[str], current: str | None) -> None:
        self.columns.show_sort(self.model.sort_column(), self.model.descending)
        text = "1 card" if count == 1 else f"{count:,} cards"
        if not self._collection.full_text_search and not self._told_no_fts:
            self._told_no_fts = True
            text = f"{text}. {NO_FTS}"
        self.search_bar.show_message(text)
        self.select_ids(selected, current)
        self._selection_changed()

    def refresh(self) -> None:
        """The same search again (selection, sort and scroll kept as far as they can be)."""
        selected, current = self.selected_ids(), self.current_id()
        try:
            count = self.model.search(self.model.query)
        except SearchError:
            return
        self._after_search(count, selected, current)

    # -- selection --------------------------------------------------------------------------

    def selected_ids(self) -> list[str]:
        return selection.selected_ids(self.table, self.model)

    def current_id(self) -> str | None:
        return selection.current_id(self.table, self.model)

    def select_ids(self, card_ids: list[str], current: str | None = None) -> None:
        """Select these cards (those the table shows) and make `current` the current one."""
        selection.select_ids(self.table, self.model, card_ids, current)

    def _selection_changed(self, *_args: object) -> None:
        ids = self.selected_ids()
        if len(ids) == 1:
            if ids[0] != self._shown_card or not self.editor.is_modified():
                self._show_in_editor(ids[0])
        else:
            if not self._leave_editor():
                return
            self._shown_card = None
            note = "No card selected." if not ids else f"{len(ids)} cards selected."
            self.editor.show_card(None, note)
        shown = self.model.rowCount()
        noun = "card" if shown == 1 else "cards"
        self.counts_label.setText(f"{shown:,} {noun} shown, {len(ids):,} selected")

    def _show_in_editor(self, card_id: str) -> None:
        if card_id != self._shown_card and not self._leave_editor():
            return
        try:
            card = self._collection.card(card_id)
        except KeyError:
            self.editor.show_card(None, "This card is gone (deleted).")
            self._shown_card = None
            return
        self._shown_card = card_id
        self.editor.show_card(None if card.deleted else card, "This card was deleted.")

    def _leave_editor(self) -> bool:
        """Before the editor shows something else: save its edit, or ask to drop one that
        cannot be saved. False: stay (the learner wants to fix it)."""
        if not self.editor.is_modified():
            return True
        if self.editor.problem() is None:
            self.editor.save()
            return True
        answer = QMessageBox.question(
            self,
            "Unsaved edit",
            f"{self.editor.problem()}\n\nDiscard this edit?",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Discard:
            self.editor.revert()
            return True
        return False

    # -- editing ----------------------------------------------------------------------------

    def _save_edit(self, card_id: str, text: CardText) -> None:
        if self._run(lambda c: c.edit_card(card_id, text)):
            self._tell("Card saved (Ctrl+Z undoes it).")
            if self._shown_card == card_id:
                self._show_card_again()

    def _restore_original(self, card_id: str) -> None:
        if self._run(lambda c: c.restore_original(card_id)):
            self._tell("The pack's original text is back (Ctrl+Z undoes it).")
            if self._shown_card == card_id:
                self._show_card_again()

    def _show_card_again(self) -> None:
        card_id, self._shown_card = self._shown_card, None
        self.editor.revert()  # the edit is saved: nothing to leave behind
        if card_id is not None:
            self._show_in_editor(card_id)

    # -- what the commands need -------------------------------------------------------------

    def _run(self, operation: Callable[[Collection], Changes | None]) -> Changes | None:
        try:
            return self._operations.run(operation, parent=self, initiator=self)
        except KeyError:  # a card left the collection under us
            self._tell("That card is no longer in the collection.")
            self.refresh()
            return None

    def _tell(self, text: str) -> None:
        self.statusBar().showMessage(text, 10_000)

    def _widget(self) -> QWidget:
        return self

    def _choose_reposition(self, count: int) -> tuple[int, int, bool] | None:
        choice = RepositionDialog.choose(self, count, len(self._collection.new_card_ranks()))
        return None if choice is None else (choice.start, choice.step, choice.shuffle)

    def _show_in_article(self, card_id: str) -> None:
        self.showInArticleRequested.emit(card_id)

    # -- changes from anywhere --------------------------------------------------------------

    def on_changes(self, changes: Changes, initiator: object) -> None:
        """The collection changed (here, in the reviewer, anywhere): show it. Rows the table
        holds are read again; a card it does not hold (one just added, a pack's new ones)
        may match the search, so that runs again. A card that stops matching stays shown
        until the next search, as in Anki."""
        self._update_undo()
        if not self.isVisible():
            return
        unknown = any(self.model.row_of(card_id) is None for card_id in changes.card_ids)
        if changes.content or (unknown and changes.card_status):
            self.refresh()
        elif changes.card_ids:
            self.model.mark_stale(changes.card_ids)
        else:
            self.model.mark_stale()
        shown = self._shown_card
        if shown is not None and shown in changes.card_ids and not self.editor.is_modified():
            self._show_card_again()
        if changes.label.startswith("Undo ") and initiator is not self:
            self._tell(f"{changes.label.removeprefix('Undo ')} undone.")

    def undo(self) -> None:
        changes = self._operations.undo(parent=self, initiator=self)
        if changes is not None:
            self._tell(f"{changes.label.removeprefix('Undo ')} undone.")

    def _update_undo(self) -> None:
        label = self._collection.undo_label()
        self.undo_action.setEnabled(label is not None)
        self.undo_action.setText(f"&{label}" if label else "&Undo")

    # -- focus ------------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search_bar.focus()

    def focus_table(self) -> None:
        """To the cards; with none selected, the first (or current) one is."""
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if not self.selected_ids() and self.model.rowCount():
            current = self.table.currentIndex()
            self.table.selectRow(current.row() if current.isValid() else 0)

    def focus_editor(self) -> None:
        self.editor.focus_first_field()

    # -- columns ----------------------------------------------------------------------------

    def shown_columns(self) -> list[str]:
        """The keys of the columns shown, left to right."""
        return self.columns.shown()

    def set_shown_columns(self, keys: list[str]) -> None:
        self.columns.set_shown(keys)
        self.save_settings()

    def choose_columns(self) -> None:
        chosen = ColumnsDialog.choose(self, self.shown_columns())
        if chosen is not None:
            self.set_shown_columns(chosen)

    # -- settings and window events ---------------------------------------------------------

    def _restore_settings(self) -> None:
        settings = self._settings
        geometry = settings.value("browser/geometry")
        if not (isinstance(geometry, QByteArray) and self.restoreGeometry(geometry)):
            default_geometry(self)
        splitter = settings.value("browser/splitter")
        if not (isinstance(splitter, QByteArray) and self._splitter.restoreState(splitter)):
            width = self.width()
            self._splitter.setSizes([int(width * 0.64), int(width * 0.36)])
        self.columns.restore(settings)
        order = str(settings.value("browser/sort", "due"))
        self.model.order = order if order in BY_KEY else "due"
        self.model.descending = bool(settings.value("browser/descending", False, type=bool))

    def save_settings(self) -> None:
        """Into the window settings; QSettings writes them out when the event loop is idle
        (and the main window syncs them when it closes)."""
        settings = self._settings
        settings.setValue("browser/geometry", self.saveGeometry())
        settings.setValue("browser/splitter", self._splitter.saveState())
        self.columns.save(settings)
        settings.setValue("browser/sort", self.model.order)
        settings.setValue("browser/descending", self.model.descending)

    def open(self, current: str | None = None) -> None:
        """Show the browser (searching again if it was closed) and bring it forward, with
        `current` (the reviewer's card), or else the first card, selected, as Anki opens it."""
        if not self.isVisible():
            self.show()
            self.search()
            ids = self.model.ids
            if ids and not self.selected_ids():
                shown = current is not None and self.model.row_of(current) is not None
                chosen = current if shown and current is not None else ids[0]
                self.select_ids([chosen], chosen)
                self._selection_changed()
            self.focus_search()
        self.raise_()
        self.activateWindow()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._leave_editor():
            event.ignore()
            return
        self.save_settings()
        super().closeEvent(event)
        self.model.clear()  # the ids and rows go: a closed browser holds no memory

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self.table.viewport().update()  # row tints come from the new palette


def default_geometry(window: QMainWindow) -> None:
    """Most of the screen (1280 x 720 on a 1366 x 768 one), centred."""
    screen = QGuiApplication.primaryScreen()
    area = screen.availableGeometry() if screen is not None else None
    if area is None or area.width() < 400:
        window.resize(1280, 720)
        return
    width, height = min(area.width(), 1280), min(area.height() - 40, 720)
    window.resize(width, height)
    window.move(area.x() + (area.width() - width) // 2, area.y() + (area.height() - height) // 2)
