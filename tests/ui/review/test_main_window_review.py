"""The review in the main window: the answer stays hidden until asked for, Anki's keys,
siblings, the done screen's Unbury and Study More, and the day and the clock moving."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMenu, QWidget
from pytestqt.qtbot import QtBot

from studyapp.clock import FakeClock
from studyapp.collection import CardInfo, CardText, Collection
from studyapp.collection.reading import ReviewEntry
from studyapp.content.model import CardKind
from studyapp.study.custom import CustomKind, CustomStudy
from studyapp.study.settings import StudySettings
from studyapp.ui.main_window import MainWindow
from studyapp.ui.review.edit_dialog import CardEditDialog
from studyapp.ui.review.info_dialog import CardInfoDialog
from studyapp.ui.review.keys import REVIEW_ACTIONS, TYPED_KEYS
from studyapp.ui.review.study_more_dialog import ExtraNew, StudyMoreDialog, Target
from studyapp.ui.veil import VEIL_TEXT

NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)


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


def veils(window: MainWindow) -> list[QWidget]:
    found = [window.findChild(QWidget, f"{name}Veil") for name in ("articlePane", "timelinePane")]
    assert all(veil is not None for veil in found)
    return [veil for veil in found if veil is not None]


# -- the question is protected ------------------------------------------------------------------


def test_at_start_space_then_3_records_an_answer(
    qtbot: QtBot, window: MainWindow, collection: Collection
) -> None:
    assert window.pane_focus.focused_pane() == "review"
    press(qtbot, Qt.Key.Key_Space)
    press(qtbot, Qt.Key.Key_3)
    assert collection.review_count() == 1


def test_the_veil_hides_article_and_timeline_until_the_answer(
    qtbot: QtBot, window: MainWindow
) -> None:
    card = window.review.current_card()
    assert card is not None and card.id == "parties"
    for veil, pane in zip(veils(window), (window.article, window.timeline), strict=True):
        assert veil.isVisible() and veil.geometry() == pane.rect()
    assert VEIL_TEXT in [label.text() for label in veils(window)[0].findChildren(QWidget)
                         if hasattr(label, "text")]  # fmt: skip
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    assert window.pane_focus.focused_pane() == "review", "no peeking by moving the focus"

    press(qtbot, Qt.Key.Key_Space)
    assert not veils(window)[0].isVisible()
    assert window.article.highlighted_text() == card.quote, "the answer's sentence is marked"
    # The timeline follows in the next turn of the event loop (its repaint apart).
    qtbot.waitUntil(lambda: not veils(window)[1].isVisible(), timeout=1000)

    press(qtbot, Qt.Key.Key_3)  # the next card: its sentence (signed-when) must not show
    nxt = window.review.current_card()
    assert nxt is not None and nxt.id != card.id
    assert all(veil.isVisible() for veil in veils(window))
    assert window.article.highlighted_text() == ""
    assert window.timeline.selected_event_id() is None

    press(qtbot, Qt.Key.Key_Space)
    if nxt.event_ids:
        qtbot.waitUntil(lambda: window.timeline.selected_event_id() == nxt.event_ids[0])


def test_without_the_veil_the_last_answer_is_cleared_all_the_same(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.veil_action.trigger()
    assert not any(veil.isVisible() for veil in veils(window))
    press(qtbot, Qt.Key.Key_Space)
    press(qtbot, Qt.Key.Key_S)  # the source, on the answer side
    assert window.article.highlighted_text() != ""
    press(qtbot, Qt.Key.Key_3)
    assert window.article.highlighted_text() == "" and window.timeline.selected_event_id() is None
    press(qtbot, Qt.Key.Key_S)  # on the question side: only a word of why
    assert window.article.highlighted_text() == ""
    assert "press Space first" in window.review.notice_label.text()


def test_the_veil_choice_is_remembered(
    qtbot: QtBot, window: MainWindow, collection: Collection
) -> None:
    window.veil_action.trigger()
    window.close()
    again = MainWindow(collection)
    qtbot.addWidget(again)
    again.show()
    assert not again.veil_action.isChecked()
    assert not again.answer_guard.is_covering()


# -- Anki's keys --------------------------------------------------------------------------------


def test_flags_mark_suspend_and_bury_with_siblings(
    qtbot: QtBot, window: MainWindow, collection: Collection
) -> None:
    card = window.review.current_card()
    assert card is not None
    press(qtbot, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert collection.card(card.id).flag == 2
    assert "Orange" in window.review.top_bar.marks_label.text()
    press(qtbot, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert collection.card(card.id).flag == 0
    press(qtbot, "*")
    assert collection.card(card.id).marked
    assert "Marked" in window.review.top_bar.marks_label.text()
    assert window.undo_action.text().replace("&", "") == "Undo Mark"

    siblings = collection.siblings(card.id)
    assert siblings == ["signed-when", "lithuanian-name"]
    press(qtbot, "!")
    assert all(collection.card(c).suspended for c in [card.id, *siblings])
    assert "2 siblings suspended" in window.review.notice_label.text()
    press(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not any(collection.card(c).suspended for c in [card.id, *siblings])
    press(qtbot, "=")
    assert all(collection.card(c).buried for c in [card.id, *siblings])


def test_edit_and_card_info_from_the_keyboard(
    qtbot: QtBot, window: MainWindow, collection: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    card = window.review.current_card()
    assert card is not None
    offered: list[CardInfo] = []

    def fake_edit(parent: QWidget | None, info: CardInfo) -> CardText:
        offered.append(info)
        return CardText(CardKind.BASIC, "Which two states signed the pact?", info.back)

    monkeypatch.setattr(CardEditDialog, "edit", staticmethod(fake_edit))
    press(qtbot, Qt.Key.Key_E)
    assert offered and offered[0].id == card.id
    assert collection.card(card.id).front == "Which two states signed the pact?"
    assert "Which two states signed the pact?" in window.review.card_view.question_label.text()

    shown: list[tuple[CardInfo, list[ReviewEntry]]] = []
    monkeypatch.setattr(
        CardInfoDialog,
        "show_for",
        staticmethod(lambda parent, info, history, now, tz: shown.append((info, history))),
    )
    press(qtbot, Qt.Key.Key_I)
    assert shown and shown[0][0].id == card.id and shown[0][1] == []


def test_the_shortcuts_dialog_lists_exactly_the_actions_that_exist(window: MainWindow) -> None:
    sections = dict(window.shortcut_sections())
    flashcards = sections["Flashcards (when the pane has focus)"]
    assert flashcards[: len(TYPED_KEYS)] == list(TYPED_KEYS)
    listed = dict((what, keys) for keys, what in flashcards[len(TYPED_KEYS) :])
    actions = window.review.card_actions
    assert set(listed) == {action.text() for action in actions.values()}
    assert len(actions) == len(REVIEW_ACTIONS)
    for entry in REVIEW_ACTIONS:
        assert listed[entry.text] == ", ".join(entry.keys)
    article = dict((what, keys) for keys, what in sections["Article (when the pane has focus)"])
    assert article["Reset Zoom"] == "Ctrl+0"


# -- when today's cards are done ----------------------------------------------------------------


def finish_the_day(qtbot: QtBot, window: MainWindow, collection: Collection) -> None:
    collection.update_settings(StudySettings(new_per_day=2))
    window.review.refresh()
    while window.review.current_card() is not None:
        press(qtbot, Qt.Key.Key_Space)
        press(qtbot, Qt.Key.Key_4)


def test_the_done_screen_unburies_and_studies_more(
    qtbot: QtBot, window: MainWindow, collection: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    finish_the_day(qtbot, window, collection)
    done = window.review.done_view
    assert done.isVisible()
    buried = collection.status_counts().buried
    assert buried > 0, "the answered cards' siblings"
    assert f"Buried until tomorrow: {buried}" in done.status_label.text()
    assert not window.answer_guard.is_covering(), "nothing to hide when nothing is asked"
    qtbot.mouseClick(done.unbury_button, Qt.MouseButton.LeftButton)
    assert collection.status_counts().buried == 0
    assert window.review.current_card() is None, "unburied new cards wait for the limit"
    assert window.undo_action.text().replace("&", "") == "Undo Unbury"

    chosen: list[tuple[list[Target], list[Target]]] = []

    def more(parent: QWidget | None, paragraphs: list[Target], events: list[Target]) -> ExtraNew:
        chosen.append((list(paragraphs), list(events)))
        return ExtraNew(3)

    monkeypatch.setattr(StudyMoreDialog, "choose", staticmethod(more))
    qtbot.mouseClick(done.more_button, Qt.MouseButton.LeftButton)
    assert chosen and chosen[0][0] and chosen[0][1]
    assert window.review.current_card() is not None
    assert window.review.count_labels["new"].accessibleName() == "New: 3"

    monkeypatch.setattr(
        StudyMoreDialog,
        "choose",
        staticmethod(lambda p, a, b: CustomStudy(CustomKind.PASSAGE, target="negotiations-1")),
    )
    window.review.study_more()
    card = window.review.current_card()
    assert card is not None and card.passage_id == "negotiations-1"


def test_a_new_day_rolls_the_counts_over(
    qtbot: QtBot, window: MainWindow, collection: Collection, clock: FakeClock
) -> None:
    finish_the_day(qtbot, window, collection)
    assert window.review.current_card() is None
    clock.set(collection.day().end + dt.timedelta(minutes=1))
    window.check_day()
    assert window.review.current_card() is not None
    assert "2 new" in window.status_text()


def test_a_clock_gone_back_loses_no_answer_and_says_so(
    qtbot: QtBot, window: MainWindow, collection: Collection, clock: FakeClock
) -> None:
    press(qtbot, Qt.Key.Key_Space)
    press(qtbot, Qt.Key.Key_3)
    clock.advance(hours=-2)
    press(qtbot, Qt.Key.Key_Space)
    press(qtbot, Qt.Key.Key_3)
    assert collection.review_count() == 2
    assert "clock reads earlier than your last answer" in window.review.notice_label.text()


def test_a_card_deleted_elsewhere_while_on_screen_moves_on(
    qtbot: QtBot, window: MainWindow, collection: Collection
) -> None:
    from studyapp.collection import NewCard

    collection.update_settings(StudySettings(new_per_day=50, bury_new_siblings=False))
    mine = collection.add_card(NewCard(CardText(CardKind.BASIC, "First of mine?", "Yes.")))
    window.review.refresh()
    while (card := window.review.current_card()) is not None and card.id != mine.card_id:
        window.operations.run(lambda c, i=card.id: c.bury(i), parent=window)
    assert window.review.current_card() is not None
    press(qtbot, Qt.Key.Key_Space)
    window.operations.run(lambda c: c.delete_cards(mine.card_id), parent=window)
    shown = window.review.current_card()
    assert shown is None or shown.id != mine.card_id


def test_a_letter_typed_in_an_open_menu_goes_to_the_menu_not_the_card(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the Help menu open over the reviewer, E, I and S are the menu's keys (a letter
    moves to the entry it underlines, or does nothing), not the reviewer's."""
    window.review.setFocus()
    acted: list[str] = []
    for action in window.review.actions():
        name = action.text()
        action.triggered.connect(lambda _checked=False, name=name: acted.append(name))
    monkeypatch.setattr(CardEditDialog, "edit", staticmethod(lambda *args: acted.append("edit")))
    monkeypatch.setattr(
        CardInfoDialog, "show_for", staticmethod(lambda *args: acted.append("info"))
    )
    help_menu = next(
        action.menu() for action in window.menuBar().actions() if action.text() == "&Help"
    )
    assert isinstance(help_menu, QMenu)
    help_menu.popup(window.mapToGlobal(window.rect().center()))
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is help_menu)
    for key in (Qt.Key.Key_E, Qt.Key.Key_I, Qt.Key.Key_S):
        qtbot.keyClick(help_menu, key)
    assert acted == []
    help_menu.close()
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None)
    window.review.setFocus()
    press(qtbot, Qt.Key.Key_E)
    assert "edit" in acted, "with the menu closed, E edits the card again"


def test_find_waits_for_the_answer_while_the_article_is_veiled(
    qtbot: QtBot, window: MainWindow
) -> None:
    find_bar = window.article.findChild(QWidget, "articleFindBar")
    assert find_bar is not None
    window.review.setFocus()
    press(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert not find_bar.isVisible(), "a find bar under the veil would take typing unseen"
    assert "show the answer (Space)" in window.statusBar().currentMessage()
    assert QApplication.focusWidget() is window.review
    press(qtbot, Qt.Key.Key_Space)
    press(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert find_bar.isVisible()


def test_the_answer_selects_the_event_of_the_cards_sentence(
    qtbot: QtBot, window: MainWindow, collection: Collection
) -> None:
    """'parties' is linked to no event, but its sentence is the quote of 'Pact signed'."""
    card = window.review.current_card()
    assert card is not None and card.id == "parties"
    window.review.setFocus()
    press(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.timeline.selected_event_id() == "pact-signed", timeout=1000)


def test_a_grade_pressed_before_the_timeline_lifts_leaves_the_next_question_veiled(
    qtbot: QtBot, window: MainWindow
) -> None:
    """The timeline's veil lifts a turn of the event loop after the answer shows: a grade key
    pressed in between must not let it lift over the next question."""
    window.review.setFocus()
    press(qtbot, Qt.Key.Key_Space)
    press(qtbot, Qt.Key.Key_3)  # no event loop turn between: the lift is still pending
    question = window.review.current_card()
    assert question is not None and not window.review.answer_shown()
    qtbot.wait(50)  # the pending lift runs now
    assert all(veil.isVisible() for veil in veils(window))
    assert window.timeline.selected_event_id() is None


@pytest.mark.parametrize("size", [(1366, 768), (800, 680)])
def test_answering_never_resizes_the_article_or_the_timeline(
    qtbot: QtBot, window: MainWindow, size: tuple[int, int]
) -> None:
    """A notice line coming and going over the card (siblings buried, an undo) must not move
    the splitters: at 50,000 cards the article lays its whole text out again for a change of
    one pixel (80-100 ms)."""
    window.resize(*size)
    qtbot.wait(20)
    sizes = {(window.article.size(), window.timeline.size())}
    notices = set()
    window.review.setFocus()
    for _ in range(12):
        press(qtbot, Qt.Key.Key_Space)
        qtbot.wait(20)
        press(qtbot, Qt.Key.Key_1)
        qtbot.wait(20)
        notices.add(window.review.notice_label.isVisible())
        sizes.add((window.article.size(), window.timeline.size()))
    assert notices == {True, False}, "some answers bury siblings (a notice), some do not"
    assert len(sizes) == 1, sizes
