"""Add Card (A, as in Anki): a card of the learner's own, basic or cloze, citing a sentence
picked from the article (article, section, sentence) or none ("no source").

New Card from Selection opens it with the selected words as the answer and their sentence
as the source. The collection checks the card as the loader does; a refused card keeps the
dialog open with everything typed, so nothing is lost.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from studyapp.collection import CardSource, CardText, NewCard
from studyapp.content.model import CardKind
from studyapp.content.text import split_sentences
from studyapp.ui.plain_text import breakable, plain_tip

if TYPE_CHECKING:
    from studyapp.storage.pane_values import ArticleEntry, ArticleView, TimelineItem

NO_SOURCE = "No source"
SENTENCE_CHARS = 80  # a sentence longer than this is cut short in its list (in full below)
KINDS = (
    (CardKind.BASIC, "Basic: a question and its answer"),
    (CardKind.CLOZE, "Cloze: a gap in the sentence"),
)
CLOZE_HINT = "Mark the one gap with {{double braces}}: the pact was signed in {{1926}}."


class CardSources(Protocol):
    """What the dialog reads: the Collection, or anything that answers the same questions."""

    def articles(self) -> Sequence[ArticleEntry]: ...

    def article_view(self, article_id: str | None = None) -> ArticleView: ...

    def timeline(self) -> Sequence[TimelineItem]: ...


@dataclass(frozen=True)
class CardDraft:
    """What the dialog opens with."""

    kind: CardKind = CardKind.BASIC
    source: CardSource | None = None
    front: str = ""
    back: str = ""


@dataclass(frozen=True)
class _Sentence:
    source: CardSource
    text: str  # as read, without footnote markers
    label: str  # in the list: "Paragraph 2, sentence 3: …"


def _editor(parent: QWidget, name: str, accessible: str, text: str = "") -> QPlainTextEdit:
    editor = QPlainTextEdit(text, parent)
    editor.setObjectName(name)
    editor.setAccessibleName(accessible)
    editor.setTabChangesFocus(True)
    editor.setMinimumWidth(480)
    editor.setFixedHeight(editor.fontMetrics().lineSpacing() * 3 + 12)
    return editor


def _combo(parent: QWidget, name: str, accessible: str) -> QComboBox:
    combo = QComboBox(parent)
    combo.setObjectName(name)
    combo.setAccessibleName(accessible)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(40)
    return combo


class AddCardDialog(QDialog):
    def __init__(
        self,
        sources: CardSources,
        draft: CardDraft,
        submit: Callable[[NewCard], str | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("addCardDialog")
        self.setWindowTitle("Add Card")
        self._sources = sources
        self._submit = submit
        self._views: dict[str, ArticleView] = {}
        self._titles = {item.id: item.title for item in sources.timeline()}
        self._prefill = ""  # the sentence last put into the cloze field
        self.added: str | None = None  # the new card's id, once added

        self.kind_combo = _combo(self, "cardKind", "Card type")
        for kind, label in KINDS:
            self.kind_combo.addItem(label, kind.value)
        self.article_combo = _combo(self, "sourceArticle", "Source article")
        self.article_combo.addItem(NO_SOURCE, None)
        for article in sources.articles():
            self.article_combo.addItem(article.title, article.id)
        self.section_combo = _combo(self, "sourceSection", "Source section")
        self.sentence_combo = _combo(self, "sourceSentence", "Source sentence")
        self.quote_label = QLabel(self)
        self.quote_label.setObjectName("sourceQuote")
        self.quote_label.setTextFormat(Qt.TextFormat.PlainText)
        self.quote_label.setWordWrap(True)
        self.quote_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.quote_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.front_edit = _editor(self, "frontEdit", "Question", draft.front)
        self.back_edit = _editor(self, "backEdit", "Answer", draft.back)
        self.cloze_edit = _editor(self, "clozeEdit", "Cloze text")
        self._hint = QLabel(CLOZE_HINT, self)
        self._hint.setTextFormat(Qt.TextFormat.PlainText)

        self._form = QFormLayout()
        self._form.addRow("&Type:", self.kind_combo)
        self._form.addRow("A&rticle:", self.article_combo)
        self._form.addRow("S&ection:", self.section_combo)
        self._form.addRow("Se&ntence:", self.sentence_combo)
        self._form.addRow("", self.quote_label)
        self._form.addRow("&Question:", self.front_edit)
        self._form.addRow("&Answer:", self.back_edit)
        self._form.addRow("Te&xt:", self.cloze_edit)
        self._form.addRow("", self._hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.add_button = buttons.addButton("A&dd", QDialogButtonBox.ButtonRole.AcceptRole)
        self.add_button.setObjectName("addButton")
        self.add_button.setToolTip("Add the card (Ctrl+Enter)")
        self.add_button.setDefault(True)
        buttons.accepted.connect(self._add)
        buttons.rejected.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self).activated.connect(self._add)
        layout = QVBoxLayout(self)
        layout.addLayout(self._form)
        layout.addWidget(buttons)

        self.kind_combo.currentIndexChanged.connect(self._show_kind)
        self.article_combo.currentIndexChanged.connect(self._fill_sections)
        self.section_combo.currentIndexChanged.connect(self._fill_sentences)
        self.sentence_combo.currentIndexChanged.connect(self._show_sentence)
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(draft.kind.value))
        self._choose(draft.source)
        self._show_kind()
        # The first field to write in has the focus, as in Anki (Shift+Tab reaches the type).
        cloze = draft.kind is CardKind.CLOZE
        (self.cloze_edit if cloze else self.front_edit).setFocus()

    # -- the source: article, section, sentence ----------------------------------------------

    def _view(self, article_id: str) -> ArticleView:
        if article_id not in self._views:
            self._views[article_id] = self._sources.article_view(article_id)
        return self._views[article_id]

    def _choose(self, source: CardSource | None) -> None:
        """Select the source's article, section and sentence (or "No source")."""
        self._fill_sections()
        if source is None:
            return
        for index in range(1, self.article_combo.count()):
            view = self._view(self.article_combo.itemData(index))
            for section_index, section in enumerate(view.article.sections):
                if any(passage.id == source.passage_id for passage in section.passages):
                    self.article_combo.setCurrentIndex(index)
                    self.section_combo.setCurrentIndex(section_index)
                    for row in range(self.sentence_combo.count()):
                        if self.sentence_combo.itemData(row).source == source:
                            self.sentence_combo.setCurrentIndex(row)
                    return

    def _fill_sections(self) -> None:
        article_id = self.article_combo.currentData()
        self.section_combo.blockSignals(True)
        self.section_combo.clear()
        if article_id is not None:
            for section in self._view(article_id).article.sections:
                self.section_combo.addItem(section.heading, section.id)
        self.section_combo.blockSignals(False)
        self.section_combo.setEnabled(article_id is not None)
        self._fill_sentences()

    def _fill_sentences(self) -> None:
        self.sentence_combo.blockSignals(True)
        self.sentence_combo.clear()
        article_id = self.article_combo.currentData()
        section_id = self.section_combo.currentData()
        if article_id is not None and section_id is not None:
            view = self._view(article_id)
            section = next(s for s in view.article.sections if s.id == section_id)
            metrics = self.sentence_combo.fontMetrics()
            width = metrics.averageCharWidth() * SENTENCE_CHARS
            for number, passage in enumerate(section.passages, start=1):
                for index, sentence in enumerate(split_sentences(passage.text)):
                    label = f"Paragraph {number}, sentence {index + 1}: {sentence.text}"
                    item = _Sentence(CardSource(passage.id, index), sentence.text, label)
                    shown = metrics.elidedText(label, Qt.TextElideMode.ElideRight, width)
                    self.sentence_combo.addItem(shown, item)
                    row = self.sentence_combo.count() - 1
                    self.sentence_combo.setItemData(
                        row, plain_tip(sentence.text), Qt.ItemDataRole.ToolTipRole
                    )
        self.sentence_combo.blockSignals(False)
        self.sentence_combo.setEnabled(self.sentence_combo.count() > 0)
        self._show_sentence()

    def _sentence(self) -> _Sentence | None:
        item = self.sentence_combo.currentData()
        return item if isinstance(item, _Sentence) else None

    def event_ids(self) -> tuple[str, ...]:
        """The events whose source is the chosen sentence: the card is linked to them."""
        sentence, article_id = self._sentence(), self.article_combo.currentData()
        if sentence is None or article_id is None:
            return ()
        key = (sentence.source.passage_id, sentence.source.sentence_index)
        return tuple(self._view(article_id).events_by_sentence.get(key, ()))

    def _show_sentence(self) -> None:
        sentence = self._sentence()
        if sentence is None:
            self.quote_label.setText("The card will cite no sentence (no source).")
        else:
            events = [self._titles.get(event_id, event_id) for event_id in self.event_ids()]
            linked = f"\nOn the timeline: {' · '.join(events)}" if events else ""
            self.quote_label.setText(breakable(f"“{sentence.text}”{linked}"))
        self._prefill_cloze()

    # -- the card's text -----------------------------------------------------------------------

    def kind(self) -> CardKind:
        return CardKind(self.kind_combo.currentData())

    def _show_kind(self) -> None:
        cloze = self.kind() is CardKind.CLOZE
        rows: tuple[tuple[QWidget, bool], ...] = (
            (self.front_edit, not cloze),
            (self.back_edit, not cloze),
            (self.cloze_edit, cloze),
            (self._hint, cloze),
        )
        for widget, shown in rows:
            self._form.setRowVisible(widget, shown)
        self._prefill_cloze()

    def _prefill_cloze(self) -> None:
        """A cloze starts from its sentence, until the learner types in it."""
        sentence = self._sentence()
        current = self.cloze_edit.toPlainText()
        if self.kind() is CardKind.CLOZE and current in ("", self._prefill):
            self._prefill = sentence.text if sentence is not None else ""
            self.cloze_edit.setPlainText(self._prefill)

    def card(self) -> NewCard:
        """The card as the dialog shows it now."""
        if self.kind() is CardKind.CLOZE:
            text = CardText(CardKind.CLOZE, cloze=self.cloze_edit.toPlainText())
        else:
            front, back = self.front_edit.toPlainText(), self.back_edit.toPlainText()
            text = CardText(CardKind.BASIC, front, back)
        sentence = self._sentence()
        return NewCard(text, sentence.source if sentence else None, self.event_ids())

    def _add(self) -> None:
        card_id = self._submit(self.card())
        if card_id is not None:  # else the learner was told why, and keeps what they typed
            self.added = card_id
            self.accept()

    @classmethod
    def add(
        cls,
        parent: QWidget | None,
        sources: CardSources,
        draft: CardDraft,
        submit: Callable[[NewCard], str | None],
    ) -> str | None:
        """Show the dialog; the id of the card added, or None if none was (Cancel)."""
        dialog = cls(sources, draft, submit, parent)
        try:
            dialog.exec()
            return dialog.added
        finally:
            dialog.deleteLater()
