"""The review pane driven as a user would, from the keyboard first; asserted on the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from studyapp.clock import FakeClock
from studyapp.collection import Collection
from studyapp.collection.changes import AnswerChanges
from studyapp.storage import models
from studyapp.study.queue import StudyCard
from studyapp.study.queue_values import DaySummary
from studyapp.study.scheduling import interval_label
from studyapp.study.settings import StudySettings, load_study_settings
from studyapp.ui.colours import TEXT_CONTRAST_AA, TEXT_CONTRAST_AAA, contrast_ratio
from studyapp.ui.fsrs_section import FsrsTools
from studyapp.ui.main_window import MainWindow
from studyapp.ui.operations import Operations
from studyapp.ui.plain_text import ZERO_WIDTH_SPACE
from studyapp.ui.review.pane import ReviewPane, answer_notice
from studyapp.ui.review.text import duration_text, summary_text, when_text
from studyapp.ui.study_settings_dialog import StudySettingsDialog
from studyapp.ui.theme import dark_palette, light_palette

NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)
HOSTILE = '<img src="http://example.com/x.png"> <script>alert(1)</script>'


class FakeMonotonic:
    """Seconds, as time.monotonic(); moved only by the test."""

    def __init__(self) -> None:
        self.seconds = 1000.0

    def __call__(self) -> float:
        return self.seconds


@dataclass(frozen=True)
class LogRow:
    card_id: str
    rating: int
    duration_ms: int


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
def collection(data_dir: Path, clock: FakeClock) -> Iterator[Collection]:
    """The seeded collection on the test's clock, with UTC study days."""
    opened = Collection.open(data_dir, clock.now, tz=dt.UTC)
    yield opened
    opened.close()


@pytest.fixture
def service(collection: Collection) -> Collection:
    return collection


def make_pane(
    qtbot: QtBot,
    service: Collection,
    clock: FakeClock,
    monotonic: FakeMonotonic | None = None,
) -> ReviewPane:
    operations = Operations(service)
    if monotonic is None:
        pane = ReviewPane(operations)
    else:
        pane = ReviewPane(operations, monotonic=monotonic)
    qtbot.addWidget(pane)
    pane.resize(520, 640)
    pane.show()
    qtbot.waitExposed(pane)
    focus(qtbot, pane)
    return pane


def focus(qtbot: QtBot, widget: QWidget) -> None:
    widget.activateWindow()
    widget.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(widget.hasFocus)


def press(qtbot: QtBot, key: Qt.Key | str, modifier: Qt.KeyboardModifier | None = None) -> None:
    """A key pressed by the user: it goes to whatever has the focus."""
    target = QApplication.focusWidget()
    assert target is not None, "nothing has the keyboard focus"
    if modifier is None:
        qtbot.keyClick(target, key)
    else:
        qtbot.keyClick(target, key, modifier)


def plain(label: QLabel) -> str:
    """What a rich-text label shows, as plain text."""
    document = QTextDocument()
    document.setHtml(label.text())
    return document.toPlainText().replace(ZERO_WIDTH_SPACE, "")  # long words' break chances


def count_texts(pane: ReviewPane) -> list[str]:
    return [plain(pane.count_labels[queue]) for queue in ("new", "learning", "review")]


def study_order(collection: Collection) -> list[str]:
    """The new cards in the order a first day shows them: reading order, one card per
    sentence (an answer buries the other cards of its sentence until the next day)."""
    seen: set[tuple[str | None, int | None]] = set()
    order = []
    with collection.database.sessions() as session:
        rows = session.execute(
            select(models.Card.id, models.Card.passage_id, models.Card.sentence_index).order_by(
                models.Card.position
            )
        )
        for card_id, passage_id, sentence_index in rows:
            if (passage_id, sentence_index) not in seen:
                seen.add((passage_id, sentence_index))
                order.append(card_id)
    return order


def cards_in_order(collection: Collection) -> list[str]:
    with collection.database.sessions() as session:
        return list(session.scalars(select(models.Card.id).order_by(models.Card.position)))


def review_rows(collection: Collection) -> list[LogRow]:
    with collection.database.sessions() as session:
        rows = session.execute(
            select(models.Card.id, models.ReviewLog.rating, models.ReviewLog.duration_ms)
            .join(models.Card, models.Card.number == models.ReviewLog.card_number)
            .order_by(models.ReviewLog.reviewed_at)
        ).all()
    return [LogRow(*row) for row in rows]


def stored_card(collection: Collection, card_id: str) -> models.Card:
    with collection.database.sessions() as session:
        card = session.get(models.Card, card_id)
        assert card is not None
        session.expunge(card)
        return card


def shows_question_of(pane: ReviewPane, card_id: str) -> bool:
    card = pane.current_card()
    return (
        card is not None
        and card.id == card_id
        and not pane.answer_shown()
        and pane.card_view.isVisibleTo(pane)
        and not pane.card_view.answer_label.isVisibleTo(pane)
        and pane.answer_bar.currentWidget() is pane.answer_bar.question_side
    )


# -- reviewing from the keyboard ----------------------------------------------------------------


def test_keyboard_only_review(
    qtbot: QtBot, collection: Collection, service: Collection, clock: FakeClock
) -> None:
    first, second, third = study_order(collection)[:3]
    independent = Collection.open(collection.data_dir, clock.now, tz=dt.UTC)
    expected = {p.rating: p.label for p in independent.previews(first)}
    independent.close()
    pane = make_pane(qtbot, service, clock)
    assert shows_question_of(pane, first)
    assert count_texts(pane) == ["New 20", "Learning 0", "Due 0"]
    assert "Soviet Union and Lithuania" not in plain(pane.card_view.question_label)

    press(qtbot, Qt.Key.Key_Space)
    assert pane.answer_shown()
    assert pane.card_view.answer_label.isVisibleTo(pane)
    assert plain(pane.card_view.answer_label) == "The Soviet Union and Lithuania."
    assert pane.answer_bar.currentWidget() is pane.answer_bar.answer_side
    shown = {rating: plain(label) for rating, label in pane.answer_bar.interval_labels.items()}
    assert shown == expected
    assert [button.text() for button in pane.answer_bar.answer_buttons.values()] == [
        "Again",
        "Hard",
        "Good",
        "Easy",
    ]

    with qtbot.waitSignal(pane.operations.changed):
        press(qtbot, Qt.Key.Key_3)
    assert review_rows(collection) == [LogRow(first, 3, review_rows(collection)[0].duration_ms)]
    assert shows_question_of(pane, second)
    assert count_texts(pane) == ["New 19", "Learning 1", "Due 0"]

    press(qtbot, Qt.Key.Key_Space)
    press(qtbot, Qt.Key.Key_1)
    assert [(row.card_id, row.rating) for row in review_rows(collection)] == [
        (first, 3),
        (second, 1),
    ]
    assert shows_question_of(pane, third)
    assert count_texts(pane) == ["New 18", "Learning 2", "Due 0"]
    assert stored_card(collection, second).state == models.STATE_LEARNING


def test_previews_on_buttons_are_the_saved_intervals(
    qtbot: QtBot, collection: Collection, service: Collection, clock: FakeClock
) -> None:
    pane = make_pane(qtbot, service, clock)
    for rating in (1, 2, 3, 4):
        card = pane.current_card()
        assert card is not None and card.queue == "new"
        press(qtbot, Qt.Key.Key_Space)
        shown = plain(pane.answer_bar.interval_labels[rating])
        assert shown
        clock.advance(seconds=7)  # thinking: the saved due moves with the moment of answering
        press(qtbot, Qt.Key(Qt.Key.Key_0 + rating))
        saved = stored_card(collection, card.id)
        assert saved.due is not None
        assert interval_label(saved.due - clock.now()) == shown, f"rating {rating}"
        assert review_rows(collection)[-1].rating == rating
    assert len(review_rows(collection)) == 4


def test_enter_shows_answer_and_digits_wait_for_it(
    qtbot: QtBot, collection: Collection, service: Collection, clock: FakeClock
) -> None:
    first = cards_in_order(collection)[0]
    pane = make_pane(qtbot, service, clock)
    for key in (Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_4):
        press(qtbot, key)
    assert review_rows(collection) == []
    assert shows_question_of(pane, first)

    press(qtbot, Qt.Key.Key_Return)
    assert pane.answer_shown() and pane.current_card() is not None
    press(qtbot, Qt.Key.Key_4)
    press(qtbot, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    assert pane.answer_shown()
    assert [row.rating for row in review_rows(collection)] == [4]
    with pytest.raises(ValueError, match="rating must be 1 to 4"):
        pane.answer(5)


def test_space_on_the_answer_side_answers_good_once(
    qtbot: QtBot, collection: Collection, service: Collection, clock: FakeClock
) -> None:
    first, second = study_order(collection)[:2]
    pane = make_pane(qtbot, service, clock)
    # Clicking Show Answer with the mouse leaves the focus on the pane, so Space still works
    # and is not also taken by the button.
    qtbot.mouseClick(pane.answer_bar.show_answer_button, Qt.MouseButton.LeftButton)
    assert pane.answer_shown()
    assert pane.hasFocus()
    press(qtbot, Qt.Key.Key_Space)
    assert [(row.card_id, row.rating) for row in review_rows(collection)] == [(first, 3)]
    assert shows_question_of(pane, second)


def test_keys_work_after_clicking_the_card_text(
    qtbot: QtBot, collection: Collection, service: Collection, clock: FakeClock
) -> None:
    pane = make_pane(qtbot, service, clock)
    # The card text is selectable, so a click focuses it; the pane's keys must still work.
    qtbot.mouseClick(pane.card_view.question_label, Qt.MouseButton.LeftButton)
    press(qtbot, Qt.Key.Key_Space)
    assert pane.answer_shown()
    press(qtbot, Qt.Key.Key_1)
    assert [row.rating for row in review_rows(collection)] == [1]


def test_mouse_buttons_rate(
    qtbot: QtBot, collection: Collection, service: Collection, clock: FakeClock
) -> None:
    pane = make_pane(qtbot, service, clock)
    qtbot.mouseClick(pane.answer_bar.show_answer_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(pane.answer_bar.answer_buttons[2], Qt.MouseButton.LeftButton)
    assert [row.rating for row in review_rows(collection)] == [2]
    assert pane.hasFocus()


# -- card kinds and content ---------------------------------------------------------------------


def test_cloze_card_hides_then_fills_the_gap(
    qtbot: QtBot, collection: Collection, service: Collection, clock: FakeClock
) -> None:
    first, second, third = cards_in_order(collection)[:3]
    assert third == "lithuanian-name"
    service.suspend(first)
    service.suspend(second)
    pane = make_pane(qtbot, service, clock)
    card = pane.current_card()
    assert card is not None and card.id == "lithuanian-name" and card.kind == "cloze"
    front = plain(pane.card_view.question_label)
    assert "[…]" in front
    assert "Lietuvos" not in front and "{{" not in front

    press(qtbot, Qt.Key.Key_Space)
    back = plain(pane.card_view.question_label)
    assert back == "Non-Aggression Pact (Lithuanian: Lietuvos–TSRS nepuolimo sutartis)"
    assert "[…]" not in back
    # The filled words are emphasised (bold, in the palette's link colour).
    assert "<b " in pane.card_view.question_label.text()
    assert "Lietuvos–TSRS nepuolimo sutartis</b>" in pane.card_view.question_label.text()


def test_a_source_sentence_with_words_missing_says_so(
    qtbot: QtBot, collection: Collection, service: Collection, clock: FakeClock
) -> None:
    """The damaged sentence's "[...]" is the source's gap, not a cloze gap: the answer says so."""
    order = cards_in_order(collection)
    service.suspend(*order[: order.index("initiated-by")])
    pane = make_pane(qtbot, service, clock)
    card = pane.current_card()
    assert card is not None and card.id == "initiated-by" and "[...]" in card.quote
    press(qtbot, Qt.Key.Key_Space)
    note = plain(pane.card_view.note_label)
    assert note.startswith("The pact was initiated by Lithuanians who sought")
    assert note.endswith("[...] Words are missing here in the source; StudyApp fills nothing in.")
    assert "[…]" not in note


def test_hostile_card_text_shows_literally(
    qtbot: QtBot, collection: Collection, service: Collection, clock: FakeClock
) -> None:
    first = cards_in_order(collection)[0]
    with collection.database.sessions.begin() as session:
        session.execute(
            update(models.Card)
            .where(models.Card.id == first)
            .values(front=HOSTILE, back="<b>not bold</b> & <a href='http://x'>x</a>")
        )
    pane = make_pane(qtbot, service, clock)
    label = pane.card_view.question_label
    assert plain(label) == HOSTILE
    assert "<img" not in label.text() and "<script" not in label.text()
    assert "&lt;img src=&quot;http://example.com/x.png&quot;" in label.text()
    press(qtbot, Qt.Key.Key_Space)
    assert plain(pane.card_view.answer_label) == "<b>not bold</b> & <a href='http://x'>x</a>"
    assert "<a " not in pane.card_view.answer_label.text()


# -- undo, suspend, bury, source ----------------------------------------------------------------


def make_window(qtbot: QtBot, collection: Collection) -> MainWindow:
    """The review pane in the main window, which owns Edit > Undo (Ctrl+Z)."""
    window = MainWindow(collection)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    focus(qtbot, window.review)
    return window


def test_undo_twice_restores_both_cards(
    qtbot: QtBot, collection: Collection, clock: FakeClock
) -> None:
    first, second = study_order(collection)[:2]
    window = make_window(qtbot, collection)
    pane, undo = window.review, window.undo_action
    assert not undo.isEnabled()
    press(qtbot, Qt.Key.Key_Space)
    press(qtbot, Qt.Key.Key_3)
    press(qtbot, Qt.Key.Key_Space)
    press(qtbot, Qt.Key.Key_4)
    assert len(review_rows(collection)) == 2
    assert undo.isEnabled() and undo.text().replace("&", "") == "Undo Answer"

    with qtbot.waitSignal(window.operations.changed):
        press(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [row.card_id for row in review_rows(collection)] == [first]
    assert shows_question_of(pane, second)
    assert plain(pane.notice_label) == "Answer undone."
    assert undo.isEnabled()

    press(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert review_rows(collection) == []
    assert shows_question_of(pane, first)
    for card_id in (first, second):
        card = stored_card(collection, card_id)
        assert (card.state, card.due, card.last_review) == (models.STATE_NEW, None, None)
    assert not undo.isEnabled()
    assert undo.text().replace("&", "") == "Undo"
    assert count_texts(pane) == ["New 20", "Learning 0", "Due 0"]


def test_ctrl_z_after_suspend_or_bury_brings_the_card_back(
    qtbot: QtBot, collection: Collection, clock: FakeClock
) -> None:
    first, second = cards_in_order(collection)[:2]
    window = make_window(qtbot, collection)
    pane = window.review
    badge_before = window.article.card_count("overview-1")
    press(qtbot, "@")
    assert shows_question_of(pane, second)
    assert window.article.card_count("overview-1") == badge_before - 1, "the badge follows"
    assert window.undo_action.text().replace("&", "") == "Undo Suspend"
    press(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert shows_question_of(pane, first) and not stored_card(collection, first).suspended
    assert window.article.card_count("overview-1") == badge_before
    assert plain(pane.notice_label) == "Suspend undone."

    press(qtbot, "-")
    assert shows_question_of(pane, second)
    assert window.undo_action.text().replace("&", "") == "Undo Bury"
    press(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert shows_question_of(pane, first)
    assert stored_card(collection, first).buried_until is None


def test_suspend_and_bury_from_the_keyboard(
    qtbot: QtBot, collection: Collection, service: Collection, clock: FakeClock
) -> None:
    first, second, third = cards_in_order(collection)[:3]
    pane = make_pane(qtbot, service, clock)
    with qtbot.waitSignal(pane.operations.changed):
        press(qtbot, "@")
    assert stored_card(collection, first).suspended
    assert shows_question_of(pane, second)

    press(qtbot, Qt.Key.Key_Space)  # works from the answer side too
    with qtbot.waitSignal(pane.operations.changed):
        press(qtbot, "-")
    buried = stored_card(collection, second)
    assert buried.buried_until == service.day().end
    assert not buried.suspended
    assert shows_question_of(pane, third)
    assert review_rows(collection) == []
    assert pane.notice_label.isVisibleTo(pane)
    assert plain(pane.notice_label) == "Card buried until tomorrow."

    # "@" typed as Shift+2, as on a US keyboard.
    press(qtbot, Qt.Key.Key_At, Qt.KeyboardModifier.ShiftModifier)
    assert stored_card(collection, third).suspended
    assert pane.current_card() is not None and pane.current_card().id not in (first, third)


def test_pane_keys_need_the_pane_focused_but_undo_works_window_wide(
    qtbot: QtBot, collection: Collection, clock: FakeClock
) -> None:
    first = cards_in_order(collection)[0]
    window = make_window(qtbot, collection)
    pane = window.review
    press(qtbot, Qt.Key.Key_Space)
    press(qtbot, Qt.Key.Key_3)
    assert len(review_rows(collection)) == 1

    focus(qtbot, window.timeline)
    press(qtbot, "@")
    assert not stored_card(collection, cards_in_order(collection)[1]).suspended
    press(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert review_rows(collection) == []
    assert shows_question_of(pane, first)


def test_source_requested_with_the_current_card(
    qtbot: QtBot, collection: Collection, service: Collection, clock: FakeClock
) -> None:
    first = cards_in_order(collection)[0]
    pane = make_pane(qtbot, service, clock)
    with qtbot.assertNotEmitted(pane.sourceRequested):
        press(qtbot, Qt.Key.Key_S)  # the source holds the answer: not before it is asked for
    assert "press Space first" in plain(pane.notice_label)
    assert not pane.answer_shown()

    press(qtbot, Qt.Key.Key_Space)
    with qtbot.waitSignal(pane.sourceRequested) as by_key:
        press(qtbot, Qt.Key.Key_S)
    card = by_key.args[0]
    assert isinstance(card, StudyCard) and card.id == first
    assert card == pane.current_card()
    assert card.passage_id is not None
    with qtbot.waitSignal(pane.sourceRequested) as by_button:
        qtbot.mouseClick(pane.source_button, Qt.MouseButton.LeftButton)
    assert by_button.args == [pane.current_card()]
    assert pane.answer_shown(), "showing the source does not move on"


# -- timing -------------------------------------------------------------------------------------


def test_duration_recorded_with_the_real_clock(
    qtbot: QtBot, collection: Collection, service: Collection, clock: FakeClock
) -> None:
    pane = make_pane(qtbot, service, clock)
    press(qtbot, Qt.Key.Key_Space)
    press(qtbot, Qt.Key.Key_3)
    assert not pane.answer_shown()
    (row,) = review_rows(collection)
    assert isinstance(row.duration_ms, int)
    assert 0 <= row.duration_ms <= 60_000


def test_duration_runs_from_question_to_answer(
    qtbot: QtBot, collection: Collection, service: Collection, clock: FakeClock
) -> None:
    monotonic = FakeMonotonic()
    pane = make_pane(qtbot, service, clock, monotonic)
    monotonic.seconds += 5.0
    press(qtbot, Qt.Key.Key_Space)
    monotonic.seconds += 2.25
    press(qtbot, Qt.Key.Key_3)
    monotonic.seconds += 500  # a long pause: the service caps what it saves at a minute
    press(qtbot, Qt.Key.Key_Space)
    press(qtbot, Qt.Key.Key_2)
    assert [row.duration_ms for row in review_rows(collection)] == [7250, 60_000]
    assert not pane.answer_shown()


# -- done for now -------------------------------------------------------------------------------


def test_done_view_after_the_new_card_limit(
    qtbot: QtBot, collection: Collection, service: Collection, clock: FakeClock
) -> None:
    service.update_settings(StudySettings(new_per_day=2))
    monotonic = FakeMonotonic()
    pane = make_pane(qtbot, service, clock, monotonic)
    assert count_texts(pane) == ["New 2", "Learning 0", "Due 0"]
    for _ in range(2):
        monotonic.seconds += 6
        press(qtbot, Qt.Key.Key_Space)
        press(qtbot, Qt.Key.Key_4)

    assert pane.current_card() is None
    assert pane.done_view.isVisibleTo(pane)
    assert not pane.card_view.isVisibleTo(pane)
    assert not pane.answer_bar.isVisibleTo(pane)
    assert plain(pane.done_view.title_label).startswith("Congratulations!")
    # New cards wait for the next study day, which starts at 04:00 (the clock is UTC 12:00).
    assert plain(pane.done_view.due_label) == "The next card is due tomorrow at 04:00."
    assert plain(pane.done_view.summary_label) == "Today: 2 cards · 100% correct · 12 s"
    assert count_texts(pane) == ["New 0", "Learning 0", "Due 0"]
    for action in (pane.suspend_action, pane.bury_action, pane.source_action):
        assert not action.isEnabled()
    press(qtbot, Qt.Key.Key_Space)  # nothing to show: nothing happens
    assert len(review_rows(collection)) == 2

    # The next study day: the limit starts again and studying goes on.
    clock.advance(hours=16)
    pane.refresh()
    assert pane.current_card() is not None
    assert pane.card_view.isVisibleTo(pane)
    assert count_texts(pane)[0] == "New 2"


# -- settings -----------------------------------------------------------------------------------


def test_settings_action_applies_the_dialog_result(
    qtbot: QtBot,
    collection: Collection,
    service: Collection,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pane = make_pane(qtbot, service, clock)
    chosen = StudySettings(new_per_day=5, reviews_per_day=50, desired_retention=0.85)
    offered: list[StudySettings] = []

    def fake_edit(
        parent: QWidget | None, settings: StudySettings, fsrs: FsrsTools | None = None
    ) -> StudySettings:
        offered.append(settings)
        assert fsrs is not None  # Optimize and Workload vs Retention reach the collection
        return chosen

    monkeypatch.setattr(StudySettingsDialog, "edit", staticmethod(fake_edit))
    with qtbot.waitSignal(pane.operations.changed):
        pane.settings_action.trigger()
    assert offered == [StudySettings()]
    with collection.database.sessions() as session:
        assert load_study_settings(session) == chosen
    assert service.settings == chosen
    assert count_texts(pane)[0] == "New 5"

    monkeypatch.setattr(
        StudySettingsDialog, "edit", staticmethod(lambda parent, settings, fsrs=None: None)
    )
    with qtbot.assertNotEmitted(pane.operations.changed):
        pane.settings_action.trigger()
    assert service.settings == chosen


def test_refresh_keeps_the_answer_side_of_the_same_card(
    qtbot: QtBot, collection: Collection, service: Collection, clock: FakeClock
) -> None:
    first = cards_in_order(collection)[0]
    pane = make_pane(qtbot, service, clock)
    press(qtbot, Qt.Key.Key_Space)
    pane.refresh()
    card = pane.current_card()
    assert card is not None and card.id == first and pane.answer_shown()
    press(qtbot, Qt.Key.Key_2)
    assert [row.rating for row in review_rows(collection)] == [2]


# -- looks --------------------------------------------------------------------------------------


def _pixels(image: QImage) -> list[QColor]:
    step = 3
    return [
        image.pixelColor(x, y)
        for y in range(0, image.height(), step)
        for x in range(0, image.width(), step)
    ]


@pytest.mark.parametrize("palette_name", ["dark", "light"])
def test_palette_renders_readable_text(
    qtbot: QtBot,
    collection: Collection,
    service: Collection,
    clock: FakeClock,
    palette_name: str,
) -> None:
    pane = make_pane(qtbot, service, clock)
    palette = dark_palette() if palette_name == "dark" else light_palette()
    pane.setPalette(palette)
    press(qtbot, Qt.Key.Key_Space)
    whole = pane.grab().toImage()
    assert len({colour.rgb() for colour in _pixels(whole)}) > 20, "the pane renders blank"

    base = palette.color(QPalette.ColorRole.Base)
    label = pane.card_view.question_label
    question = whole.copy(QRect(label.mapTo(pane, QPoint(0, 0)), label.size()))
    colours = _pixels(question)
    background = max(set(c.rgb() for c in colours), key=[c.rgb() for c in colours].count)
    assert QColor(background) == base, "the card is drawn on the palette's Base colour"
    strongest = max(contrast_ratio(colour, base) for colour in colours)
    assert strongest >= TEXT_CONTRAST_AAA, (
        f"question text contrast {strongest:.1f} on {base.name()}"
    )

    window = palette.color(QPalette.ColorRole.Window)
    for queue, label in pane.count_labels.items():
        colour = QColor(pane.colours.queues[queue])
        assert contrast_ratio(colour, window) >= TEXT_CONTRAST_AA, queue
        assert colour.name() in label.text()
    quiet = QColor(pane.colours.quiet)
    assert contrast_ratio(quiet, base) >= TEXT_CONTRAST_AA


def test_controls_have_accessible_names(
    qtbot: QtBot, service: Collection, clock: FakeClock
) -> None:
    pane = make_pane(qtbot, service, clock)
    press(qtbot, Qt.Key.Key_Space)
    controls = [
        *pane.findChildren(QAbstractButton),
        pane.card_view.question_label,
        pane.card_view.answer_label,
        *pane.count_labels.values(),
    ]
    assert len(controls) >= 9
    for control in controls:
        assert control.accessibleName(), control.objectName() or control.text()
    assert pane.answer_bar.answer_buttons[3].accessibleName().startswith("Good, next review in")


# -- wording ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        (NOW + dt.timedelta(seconds=30), "in less than a minute (at 12:00)"),
        (NOW + dt.timedelta(minutes=8, seconds=10), "in 9 minutes (at 12:08)"),
        (NOW + dt.timedelta(minutes=1), "in 1 minute (at 12:01)"),
        (NOW + dt.timedelta(hours=3), "in 3 hours (today at 15:00)"),
        (dt.datetime(2026, 3, 11, 4, 0, tzinfo=dt.UTC), "tomorrow at 04:00"),
        (dt.datetime(2026, 3, 13, 4, 0, tzinfo=dt.UTC), "on Friday at 04:00 (in 3 days)"),
        (
            dt.datetime(2026, 4, 2, 9, 30, tzinfo=dt.UTC),
            "on Thursday 2 April 2026 at 09:30 (in 23 days)",
        ),
    ],
)
def test_when_text(due: dt.datetime, expected: str) -> None:
    assert when_text(due, NOW, dt.UTC) == expected


def test_when_text_uses_local_time() -> None:
    vilnius = dt.timezone(dt.timedelta(hours=2))
    assert when_text(dt.datetime(2026, 3, 11, 2, 0, tzinfo=dt.UTC), NOW, vilnius) == (
        "tomorrow at 04:00"
    )


@pytest.mark.parametrize(
    ("milliseconds", "expected"),
    [
        (0, "0 s"),
        (45_200, "45 s"),
        (250_000, "4 min 10 s"),
        (120_000, "2 min"),
        (3_900_000, "1 h 5 min"),
    ],
)
def test_duration_text(milliseconds: int, expected: str) -> None:
    assert duration_text(milliseconds) == expected


def test_summary_text() -> None:
    assert summary_text(DaySummary(12, 10, 250_000)) == "12 cards · 83% correct · 4 min 10 s"
    assert summary_text(DaySummary(1, 0, 3_000)) == "1 card · 0% correct · 3 s"
    assert summary_text(DaySummary(0, 0, 0)) == "No cards studied today."


def test_an_answer_says_how_many_siblings_wait_for_tomorrow(
    qtbot: QtBot, collection: Collection, service: Collection, clock: FakeClock
) -> None:
    first = cards_in_order(collection)[0]
    quote = collection.card(first).quote
    siblings = [
        c for c in cards_in_order(collection) if c != first and collection.card(c).quote == quote
    ]
    assert len(siblings) >= 2
    pane = make_pane(qtbot, service, clock)
    press(qtbot, Qt.Key.Key_Space)
    with qtbot.waitSignal(pane.operations.changed):
        press(qtbot, Qt.Key.Key_3)
    expected = f"{len(siblings)} other cards of the sentence just answered wait for tomorrow."
    assert plain(pane.notice_label) == expected
    assert all(collection.card(c).buried for c in siblings)


def test_one_sibling_waits() -> None:
    now = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)
    changes = AnswerChanges(
        card_id="a", rating=3, review_id=1, due=now, interval="10m", answered_at=now,
        siblings_buried=("b",),
    )  # fmt: skip
    expected = "1 other card of the sentence just answered waits for tomorrow."
    assert answer_notice(changes, dt.UTC) == expected
