"""The Add Card dialog on its own: the source picked from lists (or none), a cloze started
from its sentence, and what it hands to the collection."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from studyapp.collection import CardSource, Collection, NewCard
from studyapp.content.model import CardKind
from studyapp.ui.add_card_dialog import AddCardDialog, CardDraft

FIRST_SENTENCE = (
    "Soviet–Lithuanian Non-Aggression Pact (Lithuanian: Lietuvos–TSRS nepuolimo sutartis) was "
    "a non-aggression pact, signed between the Soviet Union and Lithuania on September 28, 1926."
)


def open_dialog(
    qtbot: QtBot, collection: Collection, draft: CardDraft
) -> tuple[AddCardDialog, list[NewCard]]:
    submitted: list[NewCard] = []

    def submit(card: NewCard) -> str | None:
        submitted.append(card)
        return "mine:new"

    dialog = AddCardDialog(collection, draft, submit)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog, submitted


def test_it_opens_on_the_drafts_sentence_with_its_events(
    qtbot: QtBot, collection: Collection
) -> None:
    dialog, _ = open_dialog(qtbot, collection, CardDraft(source=CardSource("ratification-1", 1)))
    assert dialog.article_combo.currentText() == "Soviet–Lithuanian Non-Aggression Pact"
    assert dialog.section_combo.currentText() == "Ratification, extensions and end"
    assert dialog.sentence_combo.currentText().startswith("Paragraph 1, sentence 2: As one of")
    assert dialog.event_ids() == ("military-coup",)
    assert "On the timeline: Military coup" in dialog.quote_label.text()


def test_keyboard_only_a_cloze_from_the_first_sentence(
    qtbot: QtBot, collection: Collection
) -> None:
    dialog, submitted = open_dialog(qtbot, collection, CardDraft())
    focus: Callable[[], object] = QApplication.focusWidget
    assert focus() is dialog.front_edit, "typing at once goes into the question, as in Anki"
    qtbot.keyClick(dialog.front_edit, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)  # &Type
    assert focus() is dialog.kind_combo
    qtbot.keyClick(dialog.kind_combo, Qt.Key.Key_Down)  # Cloze
    assert dialog.kind() is CardKind.CLOZE and dialog.cloze_edit.isVisible()
    qtbot.keyClick(dialog.kind_combo, Qt.Key.Key_Tab)
    assert focus() is dialog.article_combo
    assert dialog.article_combo.currentText() == "No source"
    qtbot.keyClick(dialog.article_combo, Qt.Key.Key_Down)  # the article: its first sentence
    assert dialog.cloze_edit.toPlainText() == FIRST_SENTENCE, "a cloze starts from its sentence"
    for _ in range(3):  # section, sentence, then the text
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert focus() is dialog.cloze_edit
    dialog.cloze_edit.setPlainText(
        FIRST_SENTENCE.replace("September 28, 1926", "{{September 28, 1926}}")
    )
    qtbot.keyClick(dialog.cloze_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    (card,) = submitted
    assert card.text.kind is CardKind.CLOZE and "{{September 28, 1926}}" in (card.text.cloze or "")
    assert card.source == CardSource("overview-1", 0) and card.event_ids == ("pact-signed",)
    assert dialog.added == "mine:new" and not dialog.isVisible()


def test_no_source_leaves_section_and_sentence_out(qtbot: QtBot, collection: Collection) -> None:
    dialog, submitted = open_dialog(
        qtbot, collection, CardDraft(source=CardSource("overview-1", 5), back="Kaunas")
    )
    dialog.article_combo.setCurrentIndex(0)
    assert dialog.article_combo.currentText() == "No source"
    assert not dialog.section_combo.isEnabled() and not dialog.sentence_combo.isEnabled()
    assert dialog.quote_label.text() == "The card will cite no sentence (no source)."
    qtbot.keyClicks(dialog.front_edit, "Where?")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    (card,) = submitted
    assert (card.text.front, card.text.back, card.source, card.event_ids) == (
        "Where?",
        "Kaunas",
        None,
        (),
    )


def test_a_typed_cloze_is_not_replaced_when_the_sentence_changes(
    qtbot: QtBot, collection: Collection
) -> None:
    dialog, _ = open_dialog(
        qtbot, collection, CardDraft(kind=CardKind.CLOZE, source=CardSource("overview-1", 0))
    )
    assert dialog.cloze_edit.toPlainText() == FIRST_SENTENCE
    dialog.sentence_combo.setCurrentIndex(1)
    assert dialog.cloze_edit.toPlainText().startswith("The pact confirmed"), "still untouched"
    dialog.cloze_edit.setPlainText("My own {{words}}.")
    dialog.sentence_combo.setCurrentIndex(2)
    assert dialog.cloze_edit.toPlainText() == "My own {{words}}."
