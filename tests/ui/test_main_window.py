"""The main window: panes, menus, persistence, linking between panes, themes, start-up errors."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPalette
from PySide6.QtWidgets import QApplication, QMessageBox, QSplitter, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from studyapp import __version__
from studyapp.collection import Collection
from studyapp.content.loader import load_dataset
from studyapp.paths import dataset_path
from studyapp.storage import models
from studyapp.study.settings import StudySettings
from studyapp.ui import backup_dialogs
from studyapp.ui.backup_dialogs import DamagedChoice
from studyapp.ui.launch import run_window
from studyapp.ui.main_window import MainWindow
from studyapp.ui.theme import Theme, apply_theme
from tests.helpers import fingerprint

NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def light_theme_after() -> Iterator[None]:
    yield
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app, Theme.LIGHT)


@pytest.fixture
def collection(data_dir: Path) -> Iterator[Collection]:
    """The seeded collection at a fixed time (the status bar's figures depend on it)."""
    opened = Collection.open(data_dir, lambda: NOW, tz=dt.UTC)
    yield opened
    opened.close()


def make_window(qtbot: QtBot, collection: Collection) -> MainWindow:
    window = MainWindow(collection)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    return window


@pytest.fixture
def window(qtbot: QtBot, collection: Collection) -> MainWindow:
    return make_window(qtbot, collection)


def unveil(window: MainWindow) -> None:
    """Turn off View > Hide Article and Timeline While Asking (for tests of the links)."""
    if window.veil_action.isChecked():
        window.veil_action.trigger()
    assert not window.answer_guard.is_covering()


def top_splitter(window: MainWindow) -> QSplitter:
    splitter = window.findChild(QSplitter, "topSplitter")
    assert splitter is not None
    return splitter


def test_three_panes_with_their_names(window: MainWindow) -> None:
    assert window.windowTitle() == "Soviet–Lithuanian Non-Aggression Pact — StudyApp"
    for name in ("articlePane", "timelinePane", "reviewPane"):
        pane = window.findChild(QWidget, name)
        assert pane is not None, name
        assert pane.isVisible() and pane.width() > 100 and pane.height() > 100, name
    assert not window.windowIcon().isNull()


def test_alt_number_and_f6_focus_each_pane_with_a_frame(qtbot: QtBot, window: MainWindow) -> None:
    unveil(window)
    assert window.pane_focus.focused_pane() == "review", "the review pane has the keys at start"
    for key, name in ((Qt.Key.Key_1, "article"), (Qt.Key.Key_2, "timeline"),
                      (Qt.Key.Key_3, "review")):  # fmt: skip
        qtbot.keyClick(window, key, Qt.KeyboardModifier.AltModifier)
        assert window.pane_focus.focused_pane() == name
        assert window.pane_focus.frame_shown(name)
        others = {"article", "timeline", "review"} - {name}
        assert not any(window.pane_focus.frame_shown(other) for other in others)
    seen = []
    for _ in range(3):
        qtbot.keyClick(window, Qt.Key.Key_F6)
        seen.append(window.pane_focus.focused_pane())
    assert seen == ["article", "timeline", "review"]


def test_layout_visibility_and_zoom_persist(
    qtbot: QtBot, window: MainWindow, collection: Collection
) -> None:
    window.resize(760, 560)  # the offscreen screen is 800x600
    qtbot.keyClick(
        window,
        Qt.Key.Key_2,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert not window.timeline.isVisible()
    unveil(window)
    window.article.setFocus()
    for _ in range(2):
        qtbot.keyClick(window, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert window.article.zoom() == 2
    top_sizes = top_splitter(window).sizes()
    window.close()

    again = make_window(qtbot, collection)
    assert not again.timeline.isVisible()
    assert not again.pane_action("timeline").isChecked()
    assert again.article.zoom() == 2
    assert (again.width(), again.height()) == (760, 560)
    assert top_splitter(again).sizes() == top_sizes
    unveil(again)
    qtbot.keyClick(again, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    assert again.timeline.isVisible(), "focusing a hidden pane shows it"


def test_selecting_an_event_highlights_its_sentence(qtbot: QtBot, window: MainWindow) -> None:
    unveil(window)
    window.timeline.setFocus()
    qtbot.keyClick(window.timeline, Qt.Key.Key_Home)
    qtbot.keyClick(window.timeline, Qt.Key.Key_Right)
    selected = window.timeline.selected_event_id()
    assert selected is not None
    item = window.timeline.item(selected)
    assert item is not None and window.article.highlighted_text() == item.quote


def test_activating_a_source_sentence_selects_its_event(window: MainWindow) -> None:
    window.article.eventSourceActivated.emit("military-coup")
    assert window.timeline.selected_event_id() == "military-coup"


def test_show_source_from_a_card(qtbot: QtBot, window: MainWindow) -> None:
    window.review.setFocus()
    card = window.review.current_card()
    assert card is not None and card.id == "parties"
    window.review.source_action.trigger()
    assert window.article.highlighted_text() == "", "not before the answer is asked for"
    qtbot.keyClick(window.review, Qt.Key.Key_Space)
    window.article.clear_highlight()
    window.review.source_action.trigger()
    assert window.article.highlighted_text() == card.quote


def test_card_about_an_event_selects_it(window: MainWindow) -> None:
    window.article.cardActivated.emit("coup-when")
    assert window.timeline.selected_event_id() == "military-coup"


def test_missing_source_is_logged_not_fatal(
    qtbot: QtBot, collection: Collection, caplog: pytest.LogCaptureFixture
) -> None:
    with collection.database.sessions.begin() as session:
        session.execute(
            update(models.Event).where(models.Event.id == "pact-signed").values(passage_id=None)
        )
    window = make_window(qtbot, collection)
    before = window.article.highlighted_text()
    with caplog.at_level(logging.WARNING):
        window.show_event_source("pact-signed")
    assert "pact-signed" in caplog.text
    assert window.article.highlighted_text() == before
    assert "missing" in window.statusBar().currentMessage()


def test_status_bar_counts(window: MainWindow, collection: Collection) -> None:
    assert window.status_text() == "Left today: 20 new · 0 learning · 0 due"
    with collection.database.sessions.begin() as session:
        session.execute(
            update(models.Card)
            .where(models.Card.id.in_(["parties", "signed-when"]))
            .values(state=models.STATE_REVIEW, due=NOW - dt.timedelta(hours=1), stability=3.0,
                    difficulty=5.0, last_review=NOW - dt.timedelta(days=3))
        )  # fmt: skip
    window.update_status()
    assert window.status_text() == "Left today: 20 new · 0 learning · 2 due"
    window.review.refresh()
    counts = [label.accessibleName() for label in window.review.count_labels.values()]
    assert counts == ["New: 20", "Learning: 0", "Due: 2"], "one rule for both"


def test_menus_and_help(window: MainWindow, collection: Collection) -> None:
    titles = [action.text().replace("&", "") for action in window.menuBar().actions()]
    assert titles[0] == "File" and "View" in titles and titles[-1] == "Help"
    shortcuts = dict((what, keys) for keys, what in window.menu_shortcuts())
    assert shortcuts["Quit"] == "Ctrl+Q"
    assert shortcuts["Find in Article…"] == "Ctrl+F"
    assert shortcuts["Go to Article"] == "Alt+1"
    assert shortcuts["Go to Next Pane"] == "F6"
    assert "Ctrl+Z" in shortcuts.values()
    info = window.about_info()
    assert info.dataset_version == load_dataset(dataset_path()).version
    assert info.data_dir == str(collection.data_dir)
    assert [pack.builtin for pack in info.packs] == [True]
    assert "Attribution-ShareAlike" in info.packs[0].licence
    from studyapp.ui.help_dialogs import about_html

    text = about_html(info)
    assert __version__ in text and "World Heritage Encyclopedia" in text


def _contrast(image: QImage, palette: QPalette) -> tuple[int, int]:
    background = palette.color(QPalette.ColorRole.Window).lightness()
    lightness = [
        image.pixelColor(x, y).lightness()
        for x in range(0, image.width(), 7)
        for y in range(0, image.height(), 7)
    ]
    return background, max(abs(value - background) for value in lightness)


@pytest.mark.parametrize("theme", [Theme.LIGHT, Theme.DARK])
def test_window_renders_in_light_and_dark(window: MainWindow, theme: Theme, tmp_path: Path) -> None:
    window.set_theme(theme)
    QApplication.processEvents()
    palette = QApplication.palette()
    assert (palette.color(QPalette.ColorRole.Window).lightness() < 128) is (theme is Theme.DARK)
    image = window.grab().toImage()
    path = tmp_path / f"window-{theme.value}.png"
    assert image.save(str(path)) and path.stat().st_size > 10_000
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 13) for y in range(0, image.height(), 13)
    }
    assert len(colours) > 20, "the screenshot is blank"
    _, spread = _contrast(image, palette)
    assert spread > 100, "text should contrast strongly with the background"
    assert window.theme() is theme


def test_a_non_database_file_at_start_offers_recovery_and_keeps_it(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = data_dir / "study.sqlite3"
    path.write_text("not a database", encoding="utf-8")
    shown: list[str] = []

    def quit_choice(parent: object, message: str, backup: object) -> DamagedChoice:
        shown.append(message)
        return DamagedChoice.QUIT

    monkeypatch.setattr(backup_dialogs, "ask_about_damaged_database", quit_choice)
    assert run_window(data_dir, Collection.open) == 2
    assert len(shown) == 1 and "not an SQLite database" in shown[0] and str(path) in shown[0]
    assert path.read_text(encoding="utf-8") == "not a database"


def test_a_foreign_database_at_start_is_refused_with_a_dialog(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    path = data_dir / "study.sqlite3"
    path.unlink()
    with sqlite3.connect(path) as foreign:
        foreign.execute("CREATE TABLE recipes (name TEXT)")
    before = fingerprint(path)
    shown: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "critical", lambda parent, title, text, *a, **k: shown.append(text)
    )
    assert run_window(data_dir, Collection.open) == 2
    assert len(shown) == 1 and "not a StudyApp one" in shown[0]
    assert fingerprint(path) == before


def test_status_bar_follows_answers(qtbot: QtBot, window: MainWindow) -> None:
    assert "20 new" in window.status_text()
    window.review.setFocus()
    qtbot.keyClick(window.review, Qt.Key.Key_Space)
    qtbot.keyClick(window.review, Qt.Key.Key_3)
    # At once, with the counts the review pane shows (one figure, not a later re-count).
    assert window.status_text() == "Left today: 19 new · 1 learning · 0 due"
    shown = [label.accessibleName() for label in window.review.top_bar.count_labels.values()]
    assert shown == ["New: 19", "Learning: 1", "Due: 0"]


def test_a_change_made_elsewhere_reaches_every_pane(
    qtbot: QtBot, window: MainWindow, collection: Collection
) -> None:
    """Suspend from outside the panes (as the browser will): all of them follow at once."""
    window.operations.run(
        lambda c: c.update_settings(StudySettings(new_per_day=100)), parent=window
    )
    total = len(load_dataset(dataset_path()).cards)
    qtbot.waitUntil(lambda: f"{total} new" in window.status_text(), timeout=3000)
    card = window.review.current_card()
    assert card is not None and card.id == "parties"
    event_id = "pact-signed"  # what "signed-when" is about
    badge = window.article.card_count("overview-1")
    about_event = window.timeline.item(event_id)
    assert about_event is not None
    window.timeline.select_event(event_id)

    window.operations.run(lambda c: c.suspend(card.id, "signed-when"), parent=window)
    assert window.review.current_card() not in (None, card)
    assert window.article.card_count("overview-1") == badge - 2
    suspended = window.timeline.item(event_id)
    assert suspended is not None and suspended.card_count == about_event.card_count - 1
    window.timeline.select_event(event_id)
    assert f"{suspended.card_count} card" in window.timeline.detail_text()
    assert window.undo_action.text().replace("&", "") == "Undo Suspend"
    qtbot.waitUntil(lambda: f"{total - 2} new" in window.status_text(), timeout=3000)
    edit_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Edit")
    assert window.undo_action in edit_menu.actions()

    window.undo_action.trigger()
    assert window.review.current_card() == card
    assert window.article.card_count("overview-1") == badge
    back = window.timeline.item(event_id)
    assert back is not None and back.card_count == about_event.card_count
    qtbot.waitUntil(lambda: f"{total} new" in window.status_text(), timeout=3000)

    # A change to the card on screen alone (its flag) reaches the review pane too.
    shown = window.review.current_card()
    assert shown is not None
    window.operations.run(lambda c: c.set_flag(4, shown.id), parent=window)
    assert "Blue" in window.review.top_bar.marks_label.text()
