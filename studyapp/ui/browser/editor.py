"""The browser's editor: the current card's front and back (or its cloze sentence with one
gap), checked as the pack loader checks cards, with a live preview drawn by the review pane's
own card view. It only edits text: saving, and restoring a pack card's original, are asked of
the browser (saveRequested, restoreRequested), which runs them as undoable operations."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from studyapp.collection import CardInfo, CardOperationError, CardText
from studyapp.collection.authoring import check_text
from studyapp.content.model import CardKind
from studyapp.study.queue_values import StudyCard
from studyapp.ui.colours import readable_hue
from studyapp.ui.review.card_view import CardView
from studyapp.ui.review.text import ReviewColours, card_face, escape_text

EDITOR_LINES = 3


class Field(QPlainTextEdit):
    """A text field whose Ctrl+Z undoes typing while there is typing to undo, and otherwise
    leaves Ctrl+Z to the window (Undo Edit Card right after saving)."""

    def event(self, event: QEvent) -> bool:
        if (
            isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.ShortcutOverride
            and event.matches(QKeySequence.StandardKey.Undo)
            and not self.document().isUndoAvailable()
        ):
            event.ignore()
            return True
        return super().event(event)


def _field(parent: QWidget, name: str, accessible: str) -> QPlainTextEdit:
    field = Field(parent)
    field.setObjectName(name)
    field.setAccessibleName(accessible)
    field.setTabChangesFocus(True)
    field.setFixedHeight(field.fontMetrics().lineSpacing() * EDITOR_LINES + 14)
    return field


class CardEditor(QWidget):
    saveRequested = Signal(str, object)  # card id, CardText
    restoreRequested = Signal(str)  # card id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("browserEditor")
        self.setAccessibleName("Card editor")
        self._card: CardInfo | None = None
        self._loading = False
        self.title_label = QLabel(self)
        self.title_label.setObjectName("editorTitle")
        self.title_label.setWordWrap(True)
        self.front_edit = _field(self, "frontEdit", "Question")
        self.back_edit = _field(self, "backEdit", "Answer")
        self.cloze_edit = _field(self, "clozeEdit", "Cloze sentence")
        self.front_label = QLabel("&Question:", self)
        self.front_label.setBuddy(self.front_edit)
        self.back_label = QLabel("&Answer:", self)
        self.back_label.setBuddy(self.back_edit)
        self.cloze_label = QLabel("Se&ntence:", self)
        self.cloze_label.setBuddy(self.cloze_edit)
        self.cloze_hint = QLabel("Mark the one gap with {{double braces}}.", self)
        self.source_label = QLabel(self)
        self.source_label.setObjectName("editorSource")
        self.source_label.setWordWrap(True)
        self.source_label.setTextFormat(Qt.TextFormat.RichText)
        self.problem_label = QLabel(self)
        self.problem_label.setObjectName("editorProblem")
        self.problem_label.setAccessibleName("What is wrong with the card")
        self.problem_label.setWordWrap(True)
        self.problem_label.setTextFormat(Qt.TextFormat.RichText)
        self.save_button = QPushButton("&Save", self)
        self.save_button.setObjectName("editorSave")
        self.save_button.setToolTip("Save the card (Ctrl+S); Ctrl+Z undoes it")
        self.revert_button = QPushButton("Re&vert", self)
        self.revert_button.setObjectName("editorRevert")
        self.revert_button.setToolTip("Back to the card as it is saved")
        self.restore_button = QPushButton("Restore &Original", self)
        self.restore_button.setObjectName("editorRestore")
        self.restore_button.setToolTip("Bring back the pack's text of this card (undoable)")
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        self.restore_button.clicked.connect(self._restore)
        save_key = QShortcut(QKeySequence.StandardKey.Save, self)
        save_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save_key.activated.connect(self.save)

        self.preview_tabs = QTabBar(self)
        self.preview_tabs.setObjectName("previewSide")
        self.preview_tabs.setAccessibleName("Preview side")
        self.preview_tabs.addTab("Question")
        self.preview_tabs.addTab("Answer")
        self.preview_tabs.setCurrentIndex(1)
        self.preview_tabs.currentChanged.connect(lambda _index: self._update_preview())
        self.preview = CardView(self)
        self.preview.setObjectName("editorPreview")
        self.preview.setAccessibleName("Preview, as the review pane shows the card")

        form = QFormLayout()
        form.addRow(self.front_label, self.front_edit)
        form.addRow(self.back_label, self.back_edit)
        form.addRow(self.cloze_label, self.cloze_edit)
        form.addRow("", self.cloze_hint)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.revert_button)
        buttons.addStretch(1)
        buttons.addWidget(self.restore_button)
        self._body = QWidget(self)  # hidden while there is no card to edit
        body = QVBoxLayout(self._body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addLayout(form)
        body.addWidget(self.source_label)
        body.addWidget(self.problem_label)
        body.addLayout(buttons)
        body.addWidget(self.preview_tabs)
        body.addWidget(self.preview, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.title_label)
        layout.addWidget(self._body, 1)
        layout.addStretch(0)
        for field in (self.front_edit, self.back_edit, self.cloze_edit):
            field.textChanged.connect(self._text_changed)
        self.show_card(None)

    # -- the card shown ----------------------------------------------------------------------

    def card(self) -> CardInfo | None:
        return self._card

    def show_card(self, card: CardInfo | None, note: str = "No card selected.") -> None:
        """Edit this card (None: nothing to edit; `note` says why)."""
        self._card = card
        self._loading = True
        cloze = card is not None and card.kind == CardKind.CLOZE.value
        for widget in (self.front_label, self.front_edit, self.back_label, self.back_edit):
            widget.setVisible(not cloze)
        for widget in (self.cloze_label, self.cloze_edit, self.cloze_hint):
            widget.setVisible(cloze)
        self.front_edit.setPlainText(card.front if card else "")
        self.back_edit.setPlainText(card.back if card else "")
        self.cloze_edit.setPlainText((card.cloze or "") if card else "")
        self._loading = False
        self._body.setVisible(card is not None)
        if card is None:
            self.title_label.setText(note)
            self.source_label.setText("")
        else:
            origin = "your own card" if card.mine else f"from the pack {card.pack_id}"
            edited = " (you edited it)" if card.edited else ""
            self.title_label.setText(f"{card.kind.capitalize()} card, {origin}{edited}")
            quote = card.quote.strip()
            self.source_label.setText(
                f"<i>Source:</i> {escape_text(quote)}" if quote else "<i>No source sentence.</i>"
            )
        self._text_changed()

    def text(self) -> CardText | None:
        if self._card is None:
            return None
        kind = CardKind(self._card.kind)
        if kind is CardKind.CLOZE:
            return CardText(kind, cloze=self.cloze_edit.toPlainText())
        return CardText(kind, self.front_edit.toPlainText(), self.back_edit.toPlainText())

    def is_modified(self) -> bool:
        card, text = self._card, self.text()
        if card is None or text is None:
            return False
        if text.kind is CardKind.CLOZE:
            return (text.cloze or "") != (card.cloze or "")
        return (text.front, text.back) != (card.front, card.back)

    def problem(self) -> str | None:
        """What is wrong with the text as it stands, as the collection would refuse it."""
        card, text = self._card, self.text()
        if card is None or text is None:
            return None
        try:
            check_text(text, card.quote if card.passage_id is not None else None)
        except CardOperationError as error:
            return str(error)
        return None

    def focus_first_field(self) -> None:
        field = self.cloze_edit if self.cloze_edit.isVisible() else self.front_edit
        field.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # -- actions ----------------------------------------------------------------------------

    def save(self) -> bool:
        """Ask for the edit to be saved; False if there is nothing to save or it is invalid."""
        card, text = self._card, self.text()
        if card is None or text is None or not self.is_modified() or self.problem():
            return False
        self.saveRequested.emit(card.id, text)
        return True

    def revert(self) -> None:
        self.show_card(self._card)

    def _restore(self) -> None:
        if self._card is not None:
            self.restoreRequested.emit(self._card.id)

    def _text_changed(self) -> None:
        if self._loading:
            return
        problem = self.problem()
        modified = self.is_modified()
        warning = readable_hue(0, self.palette().color(QPalette.ColorRole.Window)).name()
        self.problem_label.setText(
            f'<span style="color:{warning}">{escape_text(problem)}</span>' if problem else ""
        )
        self.problem_label.setVisible(bool(problem))
        self.save_button.setEnabled(modified and problem is None)
        self.revert_button.setEnabled(modified)
        card = self._card
        self.restore_button.setVisible(card is not None and not card.mine)
        self.restore_button.setEnabled(card is not None and card.edited and not modified)
        self._update_preview()

    def _update_preview(self) -> None:
        card, text = self._card, self.text()
        colours = ReviewColours.from_palette(self.palette())
        if card is None or text is None:
            self.preview.setVisible(False)
            return
        self.preview.setVisible(True)
        front, back = text.front, text.back
        if text.kind is CardKind.CLOZE:
            # The review pane draws a cloze card from its sentence; one without its gap yet
            # shows as typed.
            front, back = text.cloze or "", ""
        shown = StudyCard(
            card.id,
            card.kind,
            front,
            back,
            text.cloze,
            card.quote,
            card.passage_id,
            card.sentence_index,
            card.event_ids,
            "new",
        )
        answer = self.preview_tabs.currentIndex() == 1
        face = card_face(shown, answer, colours.emphasis)
        self.preview.show_face(face, answer, colours.quiet)
