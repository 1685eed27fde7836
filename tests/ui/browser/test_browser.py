"""The card browser, driven as a learner drives it: B, the search box, the table, the editor,
Anki's keys on the selection, and Ctrl+Z from the browser and the main window."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeySequence, QPalette
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from studyapp.clock import FakeClock
from studyapp.collection import CardText, Collection, NewCard
from studyapp.content.loader import load_dataset
from studyapp.content.model import CardKind
from studyapp.paths import dataset_path
from studyapp.ui.browser import BrowserWindow
from studyapp.ui.browser.columns import COLUMNS
from studyapp.ui.browser.dialogs import ColumnsDialog, RepositionChoice, RepositionDialog
from studyapp.ui.main_window import MainWindow
from studyapp.ui.review.info_dialog import CardInfoDialog

PACK_CARDS = len(load_dataset(dataset_path()).cards)

NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)
COLUMN = {column.key: index for index, column in enumerate(COLUMNS)}
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
def collection(data_dir: Path, clock: FakeClock) -> Iterator[Collection]:
    opened = Collection.open(data_dir, clock.now, tz=dt.UTC)
    yield opened
    opened.close()


@pytest.fixture
def window(qtbot: QtBot, collection: Collection) -> MainWindow:
    window = MainWindow(collection)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    return window


def press(qtbot: QtBot, key: Qt.Key | str, modifier: Qt.KeyboardModifier | None = None) -> None:
    """A key pressed by the user: it goes to whatever has the focus."""
    target = QApplication.focusWidget()
    assert target is not None, "nothing has the keyboard focus"
    if modifier is None:
        qtbot.keyClick(target, key)
    else:
        qtbot.keyClick(target, key, modifier)


def type_text(qtbot: QtBot, text: str) -> None:
    target = QApplication.focusWidget()
    assert target is not None
    qtbot.keyClicks(target, text)


@pytest.fixture
def browser(qtbot: QtBot, window: MainWindow) -> BrowserWindow:
    """The browser as B opens it from the main window."""
    press(qtbot, Qt.Key.Key_B)
    opened = window.browser()
    assert opened is not None
    qtbot.waitUntil(opened.isVisible)
    with qtbot.waitActive(opened):
        opened.activateWindow()
    return opened


def search(qtbot: QtBot, browser: BrowserWindow, text: str) -> None:
    press(qtbot, Qt.Key.Key_F, CTRL)
    assert QApplication.focusWidget() is browser.search_bar.box
    press(qtbot, Qt.Key.Key_A, CTRL)
    type_text(qtbot, text)
    press(qtbot, Qt.Key.Key_Return)


def select(qtbot: QtBot, browser: BrowserWindow, card_id: str) -> None:
    """Click the card's row, as the learner would."""
    row = browser.model.row_of(card_id)
    assert row is not None, f"{card_id} is not shown"
    browser.table.scrollTo(browser.model.index(row, 0))
    rect = browser.table.visualRect(browser.model.index(row, browser.table.columnAt(5)))
    qtbot.mouseClick(browser.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert browser.selected_ids() == [card_id]


def texts(browser: BrowserWindow, key: str) -> list[str]:
    model = browser.model
    return [str(model.data(model.index(row, COLUMN[key]))) for row in range(model.rowCount())]


# -- opening and searching ------------------------------------------------------------------------


def test_b_opens_the_browser_on_every_card_with_the_search_box_ready(
    window: MainWindow, browser: BrowserWindow
) -> None:
    assert browser.model.rowCount() == PACK_CARDS
    assert QApplication.focusWidget() is browser.search_bar.box
    assert browser.search_bar.message_text() == f"{PACK_CARDS} cards"
    # The reviewer's card is selected and in the editor, as Anki opens its browser.
    card = window.review.current_card()
    assert card is not None and browser.selected_ids() == [card.id]
    shown = browser.editor.card()
    assert shown is not None and shown.id == card.id


def test_a_word_without_its_accents_finds_the_card_and_arrows_walk_the_table(
    qtbot: QtBot, browser: BrowserWindow
) -> None:
    search(qtbot, browser, "klaipeda")
    assert browser.model.rowCount() == 5
    assert any("Klaipėda" in text for text in texts(browser, "answer"))
    press(qtbot, Qt.Key.Key_Down)  # from the search box to the cards
    assert QApplication.focusWidget() is browser.table
    first = browser.selected_ids()
    assert len(first) == 1 and browser.editor.card() is not None
    press(qtbot, Qt.Key.Key_Down)
    second = browser.selected_ids()
    assert len(second) == 1 and second != first
    editor_card = browser.editor.card()
    assert editor_card is not None and editor_card.id == second[0]
    search(qtbot, browser, "zeligowski")
    assert {"recognized-vilnius", "vilnius-control"} <= set(browser.model.ids)


def test_a_wrong_search_says_why_under_the_box_and_keeps_the_cards(
    qtbot: QtBot, browser: BrowserWindow
) -> None:
    search(qtbot, browser, "klaipeda")
    search(qtbot, browser, '"peace of riga')
    assert "quote is not closed" in browser.search_bar.message_text()
    assert browser.model.rowCount() == 5
    search(qtbot, browser, "is:sleeping")
    assert "is:sleeping" in browser.search_bar.message_text()


def test_escape_closes_the_browser_and_it_lets_go_of_its_rows(
    qtbot: QtBot, window: MainWindow, browser: BrowserWindow
) -> None:
    press(qtbot, Qt.Key.Key_Escape)
    assert not browser.isVisible()
    assert browser.model.rowCount() == 0
    window.show_browser()
    assert browser.isVisible() and browser.model.rowCount() == PACK_CARDS


# -- the editor ---------------------------------------------------------------------------------


def test_an_edit_is_saved_previewed_and_undone_from_both_windows(
    qtbot: QtBot, window: MainWindow, browser: BrowserWindow, collection: Collection
) -> None:
    search(qtbot, browser, "klaipeda")
    select(qtbot, browser, "klaipeda-interests")
    press(qtbot, Qt.Key.Key_E, CTRL)
    assert QApplication.focusWidget() is browser.editor.front_edit
    press(qtbot, Qt.Key.Key_A, CTRL)
    type_text(qtbot, "Which region besides Vilnius?")
    assert "Which region besides Vilnius?" in browser.editor.preview.question_label.text()
    assert collection.card("klaipeda-interests").front.startswith("In which region")
    press(qtbot, Qt.Key.Key_S, CTRL)
    saved = collection.card("klaipeda-interests")
    assert saved.front == "Which region besides Vilnius?" and saved.edited
    row = browser.model.row_of("klaipeda-interests")
    assert row is not None and texts(browser, "question")[row] == "Which region besides Vilnius?"
    assert browser.undo_action.text() == "&Undo Edit Card"
    press(qtbot, Qt.Key.Key_Z, CTRL)  # from the browser
    assert collection.card("klaipeda-interests").front.startswith("In which region")
    assert browser.editor.front_edit.toPlainText().startswith("In which region")
    # Once more, undone from the main window this time.
    press(qtbot, Qt.Key.Key_E, CTRL)
    press(qtbot, Qt.Key.Key_A, CTRL)
    type_text(qtbot, "Again?")
    press(qtbot, Qt.Key.Key_S, CTRL)
    assert collection.card("klaipeda-interests").front == "Again?"
    window.undo_action.trigger()
    assert collection.card("klaipeda-interests").front.startswith("In which region")
    assert browser.editor.front_edit.toPlainText().startswith("In which region")


def test_a_cloze_without_its_one_gap_cannot_be_saved(
    qtbot: QtBot, browser: BrowserWindow, collection: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    search(qtbot, browser, "kind:cloze expire")
    select(qtbot, browser, "original-term")
    before = collection.card("original-term").cloze
    press(qtbot, Qt.Key.Key_E, CTRL)
    assert QApplication.focusWidget() is browser.editor.cloze_edit
    press(qtbot, Qt.Key.Key_A, CTRL)
    type_text(qtbot, "{{The}} original pact was set to expire in {{five years}}")
    assert browser.editor.problem_label.isVisible()
    assert "exactly one" in browser.editor.problem() or ""
    assert not browser.editor.save_button.isEnabled()
    press(qtbot, Qt.Key.Key_S, CTRL)
    assert collection.card("original-term").cloze == before
    press(qtbot, Qt.Key.Key_A, CTRL)
    type_text(qtbot, "The original pact was set to expire in {{ten years}}")
    assert "does not occur in its quote" in (browser.editor.problem() or "")
    press(qtbot, Qt.Key.Key_A, CTRL)
    type_text(qtbot, "The original {{pact}} was set to expire in five years")
    assert browser.editor.problem() is None and browser.editor.save_button.isEnabled()
    assert "expire in five years" in browser.editor.preview.question_label.text()
    # Leaving a card with an edit that cannot be saved asks; Discard drops it.
    press(qtbot, Qt.Key.Key_A, CTRL)
    type_text(qtbot, "no gap at all")
    asked: list[str] = []

    def discard(*args: Any, **kwargs: Any) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return QMessageBox.StandardButton.Discard

    monkeypatch.setattr(QMessageBox, "question", discard)
    search(qtbot, browser, "klaipeda")
    assert asked and "cannot be saved" in asked[0]
    assert collection.card("original-term").cloze == before


def test_a_valid_edit_is_saved_when_the_learner_moves_on(
    qtbot: QtBot, browser: BrowserWindow, collection: Collection
) -> None:
    search(qtbot, browser, "klaipeda")
    select(qtbot, browser, "klaipeda-interests")
    press(qtbot, Qt.Key.Key_E, CTRL)
    press(qtbot, Qt.Key.Key_End, CTRL)
    type_text(qtbot, " (Memel)")
    browser.focus_table()
    press(qtbot, Qt.Key.Key_Down)
    assert collection.card("klaipeda-interests").front.endswith("(Memel)")


def test_restore_original_brings_the_packs_text_back_undoably(
    qtbot: QtBot, browser: BrowserWindow, collection: Collection
) -> None:
    original = collection.card("parties").front
    collection.edit_card("parties", CardText(CardKind.BASIC, "Who signed?", "Both."))
    search(qtbot, browser, "who signed")
    select(qtbot, browser, "parties")
    assert browser.editor.restore_button.isEnabled()
    qtbot.mouseClick(browser.editor.restore_button, Qt.MouseButton.LeftButton)
    assert collection.card("parties").front == original
    assert not collection.card("parties").edited
    assert browser.editor.front_edit.toPlainText() == original
    press(qtbot, Qt.Key.Key_Z, CTRL)
    assert collection.card("parties").front == "Who signed?"


# -- actions on the selection ---------------------------------------------------------------------


def test_suspend_then_unsuspend_from_the_browser_brings_the_card_back_to_study(
    qtbot: QtBot, window: MainWindow, browser: BrowserWindow, collection: Collection
) -> None:
    first = window.review.current_card()
    assert first is not None
    search(qtbot, browser, "")
    select(qtbot, browser, first.id)
    press(qtbot, Qt.Key.Key_J, CTRL)
    assert collection.card(first.id).suspended
    shown = window.review.current_card()
    assert shown is not None and shown.id != first.id, "the reviewer moved on"
    row = browser.model.row_of(first.id)
    assert row is not None and "suspended" in texts(browser, "state")[row]
    press(qtbot, Qt.Key.Key_J, CTRL)
    assert not collection.card(first.id).suspended
    row = browser.model.row_of(first.id)
    assert row is not None and "suspended" not in texts(browser, "state")[row]
    # Back in study, first in order, but the reviewer stays on the card it shows.
    assert window.review.current_card() == shown, "a change elsewhere keeps the reviewer's card"
    assert collection.search("is:new -is:suspended", "due")[0] == first.id, "first in order"


def test_deleting_a_pack_card_is_refused_and_it_is_suspended_instead(
    qtbot: QtBot, browser: BrowserWindow, collection: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    told: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "information", lambda parent, title, text, *a: told.append(text)
    )
    search(qtbot, browser, "klaipeda")
    select(qtbot, browser, "klaipeda-interests")
    press(qtbot, Qt.Key.Key_Delete, CTRL)
    assert len(told) == 1 and "cannot be deleted" in told[0] and "suspended" in told[0]
    card = collection.card("klaipeda-interests")
    assert card.suspended and not card.deleted
    press(qtbot, Qt.Key.Key_Z, CTRL)
    assert not collection.card("klaipeda-interests").suspended


def test_deleting_my_own_card_and_undoing_it(
    qtbot: QtBot, window: MainWindow, browser: BrowserWindow, collection: Collection
) -> None:
    mine = collection.add_card(NewCard(CardText(CardKind.BASIC, "Where is Łódź?", "Poland.")))
    window.operations.announce(mine)  # as the add-card dialog would
    search(qtbot, browser, "lodz")
    assert list(browser.model.ids) == [mine.card_id]
    select(qtbot, browser, mine.card_id)
    press(qtbot, Qt.Key.Key_Delete, CTRL)
    assert collection.card(mine.card_id).deleted
    assert texts(browser, "state") == ["(deleted)"]
    press(qtbot, Qt.Key.Key_Z, CTRL)
    assert not collection.card(mine.card_id).deleted
    assert texts(browser, "state") == ["New"]


def test_ctrl_1_flags_the_selection_and_again_clears_it(
    qtbot: QtBot, browser: BrowserWindow, collection: Collection
) -> None:
    search(qtbot, browser, "klaipeda")
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Down, SHIFT)
    chosen = browser.selected_ids()
    assert len(chosen) == 2
    press(qtbot, Qt.Key.Key_1, CTRL)
    assert [collection.card(card_id).flag for card_id in chosen] == [1, 1]
    press(qtbot, Qt.Key.Key_4, CTRL)
    assert [collection.card(card_id).flag for card_id in chosen] == [4, 4]
    press(qtbot, Qt.Key.Key_4, CTRL)
    assert [collection.card(card_id).flag for card_id in chosen] == [0, 0]


def test_forget_and_reposition_new_cards(
    qtbot: QtBot,
    window: MainWindow,
    browser: BrowserWindow,
    collection: Collection,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    last = collection.search("is:new", "due")[-1]
    monkeypatch.setattr(
        RepositionDialog, "choose", lambda parent, selected, new: RepositionChoice(1, 1, False)
    )
    search(qtbot, browser, "")
    select(qtbot, browser, last)
    on_screen = window.review.current_card()
    press(qtbot, Qt.Key.Key_S, CTRL | SHIFT)
    row = browser.model.row_of(last)
    assert row is not None and texts(browser, "due")[row] == "New #1"
    assert collection.search("is:new", "due")[0] == last
    # The reviewer keeps its card; the repositioned one comes after it.
    assert on_screen is not None and window.review.current_card() == on_screen
    window.review.show_answer()
    window.review.answer(3)
    shown = window.review.current_card()
    assert shown is not None and shown.id == last
    window.undo_action.trigger()  # the answer
    window.undo_action.trigger()  # the reposition
    assert collection.search("is:new", "due")[-1] == last
    collection.previews(last)
    collection.answer(last, 3, 1000)
    select(qtbot, browser, last)
    press(qtbot, Qt.Key.Key_N, CTRL | Qt.KeyboardModifier.AltModifier)
    assert collection.card(last).state == 0 and collection.card(last).reviews == 1


def test_card_info_shows_the_history_of_the_selected_card(
    qtbot: QtBot, browser: BrowserWindow, collection: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    collection.previews("parties")
    collection.answer("parties", 3, 1000)
    shown: list[Any] = []
    monkeypatch.setattr(CardInfoDialog, "show_for", lambda *args: shown.append(args))
    search(qtbot, browser, "")
    select(qtbot, browser, "parties")
    press(qtbot, Qt.Key.Key_I, CTRL | SHIFT)
    assert len(shown) == 1
    _parent, card, history, _now, _tz = shown[0]
    assert card.id == "parties" and len(history) == 1 and history[0].rating == 3


def test_show_in_article_highlights_the_cards_sentence(
    qtbot: QtBot, window: MainWindow, browser: BrowserWindow, collection: Collection
) -> None:
    window.review.show_answer()  # a question up would keep the article veiled
    search(qtbot, browser, "klaipeda")
    select(qtbot, browser, "klaipeda-objection")
    press(qtbot, Qt.Key.Key_A, CTRL | SHIFT)
    assert window.article.highlighted_text() == collection.card("klaipeda-objection").quote


# -- refresh, sort, columns ---------------------------------------------------------------------


def test_the_browser_follows_an_answer_given_in_the_reviewer(
    qtbot: QtBot, window: MainWindow, browser: BrowserWindow
) -> None:
    card = window.review.current_card()
    assert card is not None
    row = browser.model.row_of(card.id)
    assert row is not None and texts(browser, "state")[row] == "New"
    window.review.show_answer()
    window.review.answer(3)
    assert texts(browser, "state")[row] == "Learning"
    assert texts(browser, "reviews")[row] == "1"


def test_selection_and_sort_survive_a_refresh(
    qtbot: QtBot, window: MainWindow, browser: BrowserWindow, collection: Collection
) -> None:
    header = browser.table.horizontalHeader()
    section = header.sectionViewportPosition(COLUMN["question"]) + 5
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(section, 5))
    assert browser.model.order == "question" and not browser.model.descending
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(section, 5))
    assert browser.model.descending
    select(qtbot, browser, "klaipeda-objection")
    questions = texts(browser, "question")
    assert questions == sorted(questions, key=str.lower, reverse=True)
    # A card added elsewhere makes the browser search again: sort and selection stay.
    added = collection.add_card(NewCard(CardText(CardKind.BASIC, "Zzz?", "A.")))
    window.operations.announce(added)
    assert browser.model.rowCount() == PACK_CARDS + 1 and browser.model.order == "question"
    assert browser.selected_ids() == ["klaipeda-objection"]
    assert browser.model.ids[0] == added.card_id  # "zzz" first, sorted down


def test_the_columns_chosen_and_their_order_are_remembered(
    qtbot: QtBot,
    window: MainWindow,
    browser: BrowserWindow,
    collection: Collection,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        ColumnsDialog, "choose", lambda parent, shown: ["due", "question", "lapses", "origin"]
    )
    browser.menuBar()  # View > Columns…
    action = next(a for a in browser.actions() if a.text() == "&Columns…")
    action.trigger()
    assert browser.shown_columns() == ["due", "question", "lapses", "origin"]
    header = browser.table.horizontalHeader()
    assert header.isSectionHidden(COLUMN["answer"])
    assert header.visualIndex(COLUMN["due"]) < header.visualIndex(COLUMN["question"])
    press(qtbot, Qt.Key.Key_Escape)
    window.close()
    again = MainWindow(collection)
    qtbot.addWidget(again)
    again.show_browser()
    reopened = again.browser()
    assert reopened is not None
    assert reopened.shown_columns() == ["due", "question", "lapses", "origin"]


def test_the_shortcuts_dialog_lists_the_browser_keys(window: MainWindow) -> None:
    sections = dict(window.shortcut_sections())
    rows = dict(sections["Card browser (its own window)"])

    def keys(text: str) -> str:
        return QKeySequence(text).toString(QKeySequence.SequenceFormat.NativeText)

    assert rows[keys("Ctrl+J")] == "Toggle Suspend" and rows[keys("Ctrl+Delete")] == "Delete"
    assert rows[keys("Ctrl+Shift+I")] == "Card Info…" and rows[keys("Ctrl+1")] == "Red Flag"
    window_rows = dict(sections["Window and menus"])
    assert window_rows["B"] == "Browse…"


def test_rows_are_tinted_from_the_palette_in_a_dark_theme(
    qtbot: QtBot, window: MainWindow, browser: BrowserWindow, collection: Collection
) -> None:
    from studyapp.ui.theme import Theme

    collection.suspend("parties")
    browser.refresh()
    row = browser.model.row_of("parties")
    assert row is not None
    index = browser.model.index(row, 0)
    light = browser.model.data(index, Qt.ItemDataRole.BackgroundRole)
    window.set_theme(Theme.DARK)
    try:
        dark = browser.model.data(index, Qt.ItemDataRole.BackgroundRole)
        assert light.lightnessF() > 0.5 > dark.lightnessF()  # type: ignore[union-attr]
        table: QWidget = browser.table
        qtbot.waitUntil(lambda: table.palette().color(QPalette.ColorRole.Base).lightnessF() < 0.5)
        image = browser.table.viewport().grab().toImage()
        rect = browser.table.visualRect(index)
        assert image.pixelColor(rect.left() + 2, rect.center().y()).lightnessF() < 0.5
    finally:
        window.set_theme(Theme.LIGHT)


def test_without_fts5_the_browser_says_once_that_it_searches_with_like(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from studyapp.storage import search_index

    monkeypatch.setattr(search_index, "fts5_available", lambda connection: False)
    collection = Collection.open(tmp_path / "data", FakeClock(NOW).now, tz=dt.UTC)
    try:
        window = MainWindow(collection)
        qtbot.addWidget(window)
        window.show_browser()
        browser = window.browser()
        assert browser is not None
        assert "no full-text search" in browser.search_bar.message_text()
        assert browser.search("klaipeda")
        assert "klaipeda-interests" in browser.model.ids
        assert browser.search_bar.message_text() == "5 cards", "said once"
        browser.close()
    finally:
        collection.close()


def test_changes_in_the_browser_leave_the_reviewer_on_its_card_and_side(
    qtbot: QtBot,
    window: MainWindow,
    browser: BrowserWindow,
    collection: Collection,
    clock: FakeClock,
) -> None:
    """As a learner switches to the browser mid-card and back: the card and its answer stay."""
    window.review.show_answer()
    window.review.answer(1)  # Again: a learning card, due in a minute
    on_screen = window.review.current_card()
    assert on_screen is not None
    window.review.show_answer()
    clock.advance(minutes=5)  # the learning card is due again: it would top the queue
    other = collection.search("is:new", "due")[-1]
    search(qtbot, browser, "")
    select(qtbot, browser, other)
    press(qtbot, Qt.Key.Key_J, CTRL)
    press(qtbot, Qt.Key.Key_Z, CTRL)
    assert not collection.card(other).suspended
    assert window.review.current_card() == on_screen and window.review.answer_shown()
    assert "undone" not in window.review.notice_label.text(), "not about the card on screen"
    # An edit of the card on screen shows the new text, on the same side.
    select(qtbot, browser, on_screen.id)
    press(qtbot, Qt.Key.Key_E, CTRL)
    press(qtbot, Qt.Key.Key_A, CTRL)
    type_text(qtbot, "Which two states signed it?")
    press(qtbot, Qt.Key.Key_S, CTRL)
    shown = window.review.current_card()
    assert shown is not None and shown.id == on_screen.id and window.review.answer_shown()
    assert "Which two states signed it?" in window.review.card_view.question_label.text()
