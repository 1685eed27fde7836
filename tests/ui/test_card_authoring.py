"""Making cards from what you read, through the real window: select words in the article and
press Ctrl+Shift+C (or find them first, keyboard only), Ctrl+Shift+N and A for a card you
write, and the timeline's "which came first" (C) and "when" (W) cards."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox, QTextBrowser
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from studyapp.collection import Collection, NewCard
from studyapp.storage import models
from studyapp.study.settings import StudySettings
from studyapp.ui.add_card_dialog import AddCardDialog, CardDraft, CardSources
from studyapp.ui.main_window import MainWindow

NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
KAUNAS_SENTENCE = (
    "Ratifications were exchanged in Kaunas on November 9, 1926, and the pact became "
    "effective on the same day."
)


@pytest.fixture
def collection(data_dir: Path) -> Iterator[Collection]:
    opened = Collection.open(data_dir, lambda: NOW, tz=dt.UTC)
    yield opened
    opened.close()


@pytest.fixture
def window(qtbot: QtBot, collection: Collection) -> MainWindow:
    window = MainWindow(collection)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    if window.veil_action.isChecked():  # the article is veiled while a question is up
        window.veil_action.trigger()
    return window


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a: shown.append(text))
    return shown


def user_cards(collection: Collection) -> list[models.Card]:
    with collection.database.sessions() as session:
        rows = session.scalars(
            select(models.Card).where(
                models.Card.pack_id.is_(None), models.Card.deleted_at.is_(None)
            )
        )
        return list(rows)


def browser_of(window: MainWindow) -> QTextBrowser:
    browser = window.article.findChild(QTextBrowser, "articleText")
    assert browser is not None
    return browser


def caret_point(browser: QTextBrowser, position: int) -> QPoint:
    cursor = QTextCursor(browser.document())
    cursor.setPosition(position)
    rect = browser.cursorRect(cursor)
    return QPoint(rect.left(), rect.center().y())


def drag_select(qtbot: QtBot, window: MainWindow, text: str, to: str | None = None) -> None:
    """Select `text` in the article with the mouse, as a reader drags across it (or from
    the start of `text` to the end of `to`)."""
    browser = browser_of(window)
    found = browser.document().find(text)
    assert not found.isNull(), text
    start, end = found.selectionStart(), found.selectionEnd()
    if to is not None:
        last = browser.document().find(to, end)
        assert not last.isNull(), to
        end = last.selectionEnd()
    window.article.setFocus()
    bar = browser.verticalScrollBar()
    bar.setValue(bar.value() + caret_point(browser, start).y() - browser.viewport().height() // 3)
    viewport = browser.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=caret_point(browser, start))
    qtbot.mouseMove(viewport, pos=caret_point(browser, end))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=caret_point(browser, end))
    assert browser.textCursor().selectionStart() == start
    assert browser.textCursor().selectionEnd() == end


def test_select_a_phrase_and_ctrl_shift_c_makes_a_cloze_of_its_sentence(
    qtbot: QtBot, window: MainWindow, collection: Collection
) -> None:
    badge_before = window.article.card_count("overview-1")
    event_before = window.timeline.item("ratifications-exchanged")
    assert event_before is not None
    assert f"{badge_before} cards" in browser_of(window).toPlainText()

    drag_select(qtbot, window, "Kaunas")
    qtbot.keyClick(browser_of(window), Qt.Key.Key_C, CTRL_SHIFT)

    (card,) = user_cards(collection)
    assert (card.kind, card.passage_id, card.sentence_index) == ("cloze", "overview-1", 5)
    assert card.cloze == KAUNAS_SENTENCE.replace("Kaunas", "{{Kaunas}}")
    assert card.quote == KAUNAS_SENTENCE
    assert collection.card(card.id).event_ids == ("ratifications-exchanged",)
    # It shows at once wherever its sentence is: the badge, its list, the timeline's count.
    assert window.article.card_count("overview-1") == badge_before + 1
    assert f"{badge_before + 1} cards" in browser_of(window).toPlainText()
    assert card.id in [summary.id for summary in collection.passage_cards("overview-1")]
    event_after = window.timeline.item("ratifications-exchanged")
    assert event_after is not None and event_after.card_count == event_before.card_count + 1
    window.timeline.select_event("ratifications-exchanged")
    assert f"{event_before.card_count + 1} cards" in window.timeline.detail_text()
    assert "Cloze card added" in window.statusBar().currentMessage()
    assert "Ratifications were exchanged in […]" in window.statusBar().currentMessage()

    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert user_cards(collection) == []
    assert window.article.card_count("overview-1") == badge_before
    event_undone = window.timeline.item("ratifications-exchanged")
    assert event_undone is not None and event_undone.card_count == event_before.card_count


def test_a_selection_across_two_sentences_is_refused_and_says_why(
    qtbot: QtBot, window: MainWindow, collection: Collection, messages: list[str]
) -> None:
    drag_select(qtbot, window, "the same day.", to="The pact was registered")
    qtbot.keyClick(browser_of(window), Qt.Key.Key_C, CTRL_SHIFT)
    assert len(messages) == 1 and "runs across two sentences" in messages[0]
    assert "A card cites one sentence" in messages[0]
    assert user_cards(collection) == []
    assert not window.undo_action.isEnabled(), "nothing was done, so nothing to undo"


def test_nothing_selected_is_refused_and_says_how(
    qtbot: QtBot, window: MainWindow, collection: Collection, messages: list[str]
) -> None:
    window.focus_pane("article")
    qtbot.keyClick(browser_of(window), Qt.Key.Key_C, CTRL_SHIFT)
    assert len(messages) == 1 and "Nothing is selected" in messages[0] and "Ctrl+F" in messages[0]
    assert user_cards(collection) == []


def test_keyboard_only_find_a_phrase_then_ctrl_shift_c_makes_a_cloze_of_the_match(
    qtbot: QtBot, window: MainWindow, collection: Collection
) -> None:
    window.focus_pane("article")
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    field = QApplication.focusWidget()
    assert field is not None and field.objectName() == "findField"
    qtbot.keyClicks(field, "third seimas")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.keyClick(field, Qt.Key.Key_C, CTRL_SHIFT)

    (card,) = user_cards(collection)
    assert (card.passage_id, card.sentence_index) == ("ratification-1", 0)
    assert "its ratification by the {{Third Seimas}} on November 5, 1926" in (card.cloze or "")
    assert collection.card(card.id).event_ids == ("seimas-ratification",)
    assert QApplication.focusWidget() is field, "the find bar stays, for the next phrase"


def test_ctrl_shift_n_opens_the_editor_with_the_match_as_the_answer(
    qtbot: QtBot, window: MainWindow, collection: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    drafts: list[CardDraft] = []

    def write_question(parent, sources: CardSources, draft: CardDraft, submit):  # type: ignore[no-untyped-def]
        drafts.append(draft)
        dialog = AddCardDialog(sources, draft, submit, parent)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.activateWindow()  # as exec() does
        qtbot.waitUntil(dialog.isActiveWindow)
        assert dialog.back_edit.toPlainText() == "Kaunas"
        assert "Ratifications were exchanged in Kaunas" in dialog.quote_label.text()
        assert "Ratifications exchanged; pact effective" in dialog.quote_label.text()
        assert dialog.focusWidget() is dialog.front_edit, "the question is what is left to write"
        qtbot.keyClicks(dialog.front_edit, "Where were the ratifications exchanged?")
        qtbot.keyClick(dialog.front_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        return dialog.added

    monkeypatch.setattr(AddCardDialog, "add", write_question)
    drag_select(qtbot, window, "Kaunas")
    qtbot.keyClick(browser_of(window), Qt.Key.Key_N, CTRL_SHIFT)

    (card,) = user_cards(collection)
    assert (card.kind, card.front, card.back) == (
        "basic",
        "Where were the ratifications exchanged?",
        "Kaunas",
    )
    assert (card.passage_id, card.sentence_index, card.quote) == ("overview-1", 5, KAUNAS_SENTENCE)
    assert collection.card(card.id).event_ids == ("ratifications-exchanged",)


def test_the_article_context_menu_makes_a_cloze(
    qtbot: QtBot, window: MainWindow, collection: Collection
) -> None:
    drag_select(qtbot, window, "Kaunas")
    browser = browser_of(window)
    point = caret_point(browser, browser.textCursor().selectionStart())
    qtbot.mouseClick(browser.viewport(), Qt.MouseButton.RightButton, pos=point)
    menu = QApplication.activePopupWidget()
    if menu is None:  # offscreen: a right click does not always send the context menu event
        from PySide6.QtGui import QContextMenuEvent

        event = QContextMenuEvent(
            QContextMenuEvent.Reason.Mouse, point, browser.viewport().mapToGlobal(point)
        )
        QApplication.sendEvent(browser.viewport(), event)
        menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    texts = [action.text().replace("&", "") for action in menu.actions()]
    assert "Cloze This" in " ".join(texts) and "New Card from Selection…" in " ".join(texts)
    cloze = next(a for a in menu.actions() if a.text().replace("&", "").startswith("Cloze This"))
    cloze.trigger()
    menu.close()
    (card,) = user_cards(collection)
    assert card.cloze == KAUNAS_SENTENCE.replace("Kaunas", "{{Kaunas}}")


def test_a_adds_a_card_without_a_source(
    qtbot: QtBot, window: MainWindow, collection: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    def write(parent, sources: CardSources, draft: CardDraft, submit):  # type: ignore[no-untyped-def]
        dialog = AddCardDialog(sources, draft, submit, parent)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.article_combo.setCurrentIndex(dialog.article_combo.findText("No source"))
        assert not dialog.sentence_combo.isEnabled()
        assert "no source" in dialog.quote_label.text()
        qtbot.keyClicks(dialog.front_edit, "Who wrote the pact's Lithuanian name?")
        qtbot.keyClicks(dialog.back_edit, "I do not know yet.")
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
        return dialog.added

    monkeypatch.setattr(AddCardDialog, "add", write)
    window.focus_pane("review")
    qtbot.keyClick(window.review, Qt.Key.Key_A)
    (card,) = user_cards(collection)
    assert (card.passage_id, card.sentence_index, card.quote) == (None, None, "")
    assert window.statusBar().currentMessage().startswith("Card added: Who wrote")


def test_a_user_card_is_shown_from_its_source_and_is_a_sibling_of_the_pack_cards(
    qtbot: QtBot, window: MainWindow, collection: Collection
) -> None:
    drag_select(qtbot, window, "Kaunas")
    qtbot.keyClick(browser_of(window), Qt.Key.Key_C, CTRL_SHIFT)
    (mine,) = user_cards(collection)
    collection.update_settings(StudySettings(new_per_day=60, bury_new_siblings=False))
    window.review.refresh()
    while (card := window.review.current_card()) is not None and card.id != mine.id:
        window.operations.run(lambda c, i=card.id: c.bury(i), parent=window)
    assert window.review.current_card() is not None, "it is in the new-card queue"
    window.focus_pane("review")
    qtbot.keyClick(window.review, Qt.Key.Key_Space)
    window.article.clear_highlight()
    window.timeline.clear_selection()
    qtbot.keyClick(window.review, Qt.Key.Key_S)
    assert window.article.highlighted_text() == KAUNAS_SENTENCE
    assert window.timeline.selected_event_id() == "ratifications-exchanged"
    siblings = collection.siblings(mine.id)
    assert siblings, "the pack cards of its sentence"
    for sibling in siblings:
        card_info = collection.card(sibling)
        assert (card_info.passage_id, card_info.sentence_index) == ("overview-1", 5)
        assert mine.id in collection.siblings(sibling)


def test_a_pack_update_keeps_the_cards_made_in_the_window(
    qtbot: QtBot, window: MainWindow, collection: Collection, data_dir: Path, tmp_path: Path
) -> None:
    from studyapp.content.loader import load_dataset
    from studyapp.paths import dataset_path
    from tests.storage.test_seeding import _next_version

    drag_select(qtbot, window, "Kaunas")
    qtbot.keyClick(browser_of(window), Qt.Key.Key_C, CTRL_SHIFT)
    (mine,) = user_cards(collection)
    newer = tmp_path / "pact-next.toml"
    newer.write_text(_next_version(dataset_path().read_text(encoding="utf-8")), encoding="utf-8")
    sync = window.operations.run(
        lambda c: c.sync_pack(load_dataset(newer), builtin=True).changes, parent=window
    )
    assert sync is not None and sync.content
    kept = collection.card(mine.id)
    assert (kept.passage_id, kept.sentence_index, kept.cloze) == (
        "overview-1",
        5,
        mine.cloze,
    )
    assert kept.event_ids == ("ratifications-exchanged",) and not kept.retired
    assert mine.id in [summary.id for summary in collection.passage_cards("overview-1")]
    assert window.article.card_count("overview-1") == len(collection.passage_cards("overview-1"))


def test_submit_refused_keeps_the_dialog_open_with_what_was_typed(
    qtbot: QtBot, window: MainWindow, collection: Collection, messages: list[str]
) -> None:
    results: list[str | None] = []

    def submit(card: NewCard) -> str | None:
        added = window.operations.run(lambda c: c.add_card(card), parent=window)
        results.append(None if added is None else added.card_id)
        return results[-1]

    dialog = AddCardDialog(collection, CardDraft(), submit, window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("cloze"))
    assert dialog.cloze_edit.isVisible() and not dialog.front_edit.isVisible()
    dialog.cloze_edit.setPlainText("No gap at all")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert results == [None] and dialog.isVisible()
    assert "exactly one {{gap}}" in messages[0]
    assert dialog.cloze_edit.toPlainText() == "No gap at all", "nothing the learner typed is lost"


def test_while_a_question_is_up_the_article_makes_no_card(
    qtbot: QtBot, collection: Collection
) -> None:
    window = MainWindow(collection)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    if not window.veil_action.isChecked():
        window.veil_action.trigger()
    assert window.answer_guard.is_covering(), "a question is up: the article is veiled"
    window.article.cloze_action.trigger()  # Cards > Cloze This, from the menu bar
    window.timeline.when_action.trigger()
    assert user_cards(collection) == []
    assert "open when the answer shows" in window.statusBar().currentMessage()
