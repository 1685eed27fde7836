"""File > Content Packs…: every pack with its version, source, licence and figures; add one,
remove one (the built-in pack: hide or show it), or open its article.

The table is a Qt model (PackTableModel, tested without a widget); every change runs through
Operations, so it is undoable, announced to the panes, and its failures are shown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from studyapp.ui.plain_text import breakable, plain_tip

if TYPE_CHECKING:
    from studyapp.collection import Changes, Collection, PackInfo
    from studyapp.ui.operations import Operations

COLUMNS = ("Title", "Version", "Source", "Licence", "Cards", "Studied", "Due today", "Status")
_NUMBERS = {1, 4, 5, 6}
Index = QModelIndex | QPersistentModelIndex


def pack_status(pack: PackInfo) -> str:
    if pack.builtin:
        return "Built in, hidden" if pack.hidden else "Built in"
    return "Installed"


class PackTableModel(QAbstractTableModel):
    """The packs as rows: one column per COLUMNS entry."""

    def __init__(self, packs: Sequence[PackInfo] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._packs = list(packs)

    def set_packs(self, packs: Sequence[PackInfo]) -> None:
        self.beginResetModel()
        self._packs = list(packs)
        self.endResetModel()

    def pack(self, row: int) -> PackInfo:
        return self._packs[row]

    def row_of(self, pack_id: str) -> int | None:
        return next((row for row, pack in enumerate(self._packs) if pack.id == pack_id), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._packs)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        pack = self._packs[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell(pack, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tip(self.cell(pack, column))  # long sources read in full
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _NUMBERS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def cell(pack: PackInfo, column: int) -> str:
        values = (
            pack.title,
            str(pack.version),
            pack.source,
            pack.licence,
            str(pack.cards),
            str(pack.studied),
            "—" if pack.hidden else str(pack.due),
            pack_status(pack),
        )
        return values[column]


class PacksDialog(QDialog):
    def __init__(
        self,
        operations: Operations,
        add_pack: Callable[[QWidget], str | None],
        open_article: Callable[[str], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("packsDialog")
        self.setWindowTitle("Content Packs")
        self.resize(980, 320)
        self._operations = operations
        self._collection: Collection = operations.collection
        self._add_pack = add_pack
        self._open_article = open_article
        self.model = PackTableModel(self._collection.packs(), self)
        self.table = QTableView(self)
        self.table.setObjectName("packsTable")
        self.table.setAccessibleName("Content packs")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for column in (2, 3):  # source and licence share what is left; the label reads in full
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update())
        self.table.doubleClicked.connect(lambda _index: self.open_selected())
        self.attribution = QLabel(self)
        self.attribution.setObjectName("packAttribution")
        self.attribution.setTextFormat(Qt.TextFormat.PlainText)
        self.attribution.setWordWrap(True)
        self.attribution.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.add_button = QPushButton("&Add Content Pack…", self)
        self.add_button.clicked.connect(self.add)
        self.open_button = QPushButton("&Open Article", self)
        self.open_button.clicked.connect(self.open_selected)
        self.remove_button = QPushButton("&Remove…", self)
        self.remove_button.setObjectName("removePackButton")
        self.remove_button.clicked.connect(self.remove_or_toggle)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.open_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.attribution)
        layout.addLayout(buttons)
        self.table.installEventFilter(self)  # Delete (or Backspace) removes the selected pack
        self.table.selectRow(0)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self._update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.table
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
        ):
            self.remove_or_toggle()
            return True
        return super().eventFilter(watched, event)

    def selected(self) -> PackInfo | None:
        row = self.table.currentIndex().row()
        return self.model.pack(row) if 0 <= row < self.model.rowCount() else None

    def reload(self, select: str | None = None) -> None:
        current = self.selected()
        self.model.set_packs(self._collection.packs())
        wanted = select or (current.id if current else None)
        row = self.model.row_of(wanted) if wanted else None
        self.table.selectRow(row if row is not None else 0)
        self._update()

    def _update(self) -> None:
        pack = self.selected()
        self.open_button.setEnabled(pack is not None and not pack.hidden)
        self.remove_button.setEnabled(pack is not None)
        if pack is None:
            self.attribution.clear()
            return
        if pack.builtin:
            self.remove_button.setText("&Show" if pack.hidden else "&Hide…")
        else:
            self.remove_button.setText("&Remove…")
        self.attribution.setText(
            breakable(
                f"{pack.title}\nSource: {pack.source}\nLicence: {pack.licence}\n{pack.attribution}"
            )
        )

    # -- actions -------------------------------------------------------------------------------

    def add(self) -> None:
        added = self._add_pack(self)
        if added is not None:
            self.reload(select=added)

    def open_selected(self) -> None:
        pack = self.selected()
        if pack is not None and not pack.hidden and pack.article_id is not None:
            self._open_article(pack.article_id)
            self.accept()

    def remove_or_toggle(self) -> None:
        pack = self.selected()
        if pack is None:
            return
        if pack.builtin and pack.hidden:
            self._run(lambda c: c.show_pack(pack.id))
            return
        verb = "Hide" if pack.builtin else "Remove"
        back = (
            "Show it again here at any time."
            if pack.builtin
            else "Adding the pack's file again brings it back with its progress."
        )
        answer = QMessageBox.question(
            self,
            f"{verb} Content Pack",
            f"{verb} “{pack.title}”?\n\nIts {pack.cards} cards leave your study, and its "
            "article and events leave the window. Nothing is deleted: your progress is kept "
            f"and Edit > Undo takes this back. {back}",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        if pack.builtin:
            self._run(lambda c: c.hide_pack(pack.id))
        else:
            self._run(lambda c: c.remove_pack(pack.id))

    def _run(self, operation: Callable[[Collection], Changes]) -> None:
        self._operations.run(operation, parent=self)
        self.reload()

    @classmethod
    def manage(
        cls,
        parent: QWidget,
        operations: Operations,
        add_pack: Callable[[QWidget], str | None],
        open_article: Callable[[str], None],
    ) -> None:
        cls(operations, add_pack, open_article, parent).exec()
