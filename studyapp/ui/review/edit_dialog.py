"""Edit Card (E): fix a card's text from the reviewer; the collection checks it as the loader
does (a cloze keeps one gap inside its sentence)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from studyapp.collection import CardInfo, CardText
from studyapp.content.model import CardKind


def _editor(parent: QWidget, name: str, text: str, accessible: str) -> QPlainTextEdit:
    editor = QPlainTextEdit(text, parent)
    editor.setObjectName(name)
    editor.setAccessibleName(accessible)
    editor.setTabChangesFocus(True)
    editor.setMinimumWidth(420)
    editor.setFixedHeight(editor.fontMetrics().lineSpacing() * 4 + 12)
    return editor


class CardEditDialog(QDialog):
    """The card's front and back, or its cloze sentence with one {{gap}}."""

    def __init__(self, card: CardInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cardEditDialog")
        self.setWindowTitle("Edit Card")
        self._kind = CardKind(card.kind)
        form = QFormLayout()
        self.front_edit: QPlainTextEdit | None = None
        self.back_edit: QPlainTextEdit | None = None
        self.cloze_edit: QPlainTextEdit | None = None
        if self._kind is CardKind.CLOZE:
            self.cloze_edit = _editor(self, "clozeEdit", card.cloze or "", "Cloze text")
            form.addRow("&Text:", self.cloze_edit)
            hint = QLabel("Mark the one gap with {{double braces}}.", self)
            form.addRow("", hint)
        else:
            self.front_edit = _editor(self, "frontEdit", card.front, "Question")
            self.back_edit = _editor(self, "backEdit", card.back, "Answer")
            form.addRow("&Question:", self.front_edit)
            form.addRow("&Answer:", self.back_edit)
        if card.quote:
            source = QLabel(f"Source: {card.quote}", self)
            source.setWordWrap(True)
            form.addRow("", source)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def text(self) -> CardText:
        if self.cloze_edit is not None:
            return CardText(self._kind, cloze=self.cloze_edit.toPlainText())
        assert self.front_edit is not None and self.back_edit is not None
        return CardText(self._kind, self.front_edit.toPlainText(), self.back_edit.toPlainText())

    @classmethod
    def edit(cls, parent: QWidget | None, card: CardInfo) -> CardText | None:
        """The edited text on Save, None on Cancel."""
        dialog = cls(card, parent)
        try:
            return dialog.text() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()
