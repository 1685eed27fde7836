"""The welcome tour: once on the first start, again from Help; it never takes the focus."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QMenu, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from studyapp.collection import Collection
from studyapp.ui import launch
from studyapp.ui.launch import AppController
from studyapp.ui.main_window import MainWindow
from studyapp.ui.theme import Theme, apply_theme

FIVE_KEYS = ("Space", "1 – 4", "S", "Ctrl+F", "Ctrl+Z")


@pytest.fixture(autouse=True)
def light_theme_after() -> Iterator[None]:
    yield
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app, Theme.LIGHT)


class Started:
    """The app started as `studyapp` starts it (AppController.show_window), on one data dir."""

    def __init__(self, qtbot: QtBot, data_dir: Path) -> None:
        self.qtbot = qtbot
        self.data_dir = data_dir
        self.opened: list[tuple[MainWindow, Collection]] = []

    def start(self) -> MainWindow:
        controller = AppController(launch.make_application(), self.data_dir, Collection.open)
        collection = controller.open_collection()
        assert collection is not None
        assert controller.show_window(collection)
        window = controller.window
        assert window is not None
        self.qtbot.addWidget(window)
        with self.qtbot.waitActive(window):
            window.activateWindow()
        self.opened.append((window, collection))
        return window

    def close(self, window: MainWindow) -> None:
        window.close()
        for opened, collection in self.opened:
            if opened is window:
                collection.close()
        self.opened = [pair for pair in self.opened if pair[0] is not window]


@pytest.fixture
def started(qtbot: QtBot, data_dir: Path) -> Iterator[Started]:
    app = Started(qtbot, data_dir)
    yield app
    for window, _ in list(app.opened):
        app.close(window)


def card(window: MainWindow) -> QWidget | None:
    found = window.findChild(QWidget, "welcomeCard")
    return found if found is not None and found.isVisible() else None


def close_button(window: MainWindow) -> QPushButton:
    button = window.findChild(QPushButton, "welcomeClose")
    assert button is not None
    return button


def in_window(window: MainWindow, widget: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def focused_pane(window: MainWindow) -> str | None:
    focused = QApplication.focusWidget()
    for name in ("article", "review", "timeline"):
        pane = window.pane(name)
        if focused is pane or (focused is not None and pane.isAncestorOf(focused)):
            return name
    return None


def near(colour: QColor, other: QColor) -> bool:
    return all(
        abs(a - b) <= 40 for a, b in zip(colour.getRgb()[:3], other.getRgb()[:3], strict=True)
    )


def outline_pixel(image: QImage, window: MainWindow, name: str) -> QColor:
    """A pixel on the pane's left edge, where the tour draws its outline."""
    area = in_window(window, window.pane(name))
    ratio = image.devicePixelRatio()
    return image.pixelColor(int((area.left() + 2) * ratio), int(area.center().y() * ratio))


def review_count(data_dir: Path) -> int:
    with sqlite3.connect(data_dir / "study.sqlite3") as connection:
        return int(connection.execute("SELECT count(*) FROM review_log").fetchone()[0])


def test_first_start_shows_the_panes_and_the_five_keys(started: Started) -> None:
    window = started.start()
    shown = card(window)
    assert shown is not None
    keys = window.findChild(QLabel, "welcomeKeys")
    panes = window.findChild(QLabel, "welcomePanes")
    assert keys is not None and panes is not None
    assert all(f"<b>{key}</b>" in keys.text() for key in FIVE_KEYS)
    assert all(f"<b>{name}</b>" in panes.text() for name in ("Article", "Flashcards", "Timeline"))
    image = window.grab().toImage()
    highlight = window.palette().color(QPalette.ColorRole.Highlight)
    for name in ("article", "review", "timeline"):
        assert near(outline_pixel(image, window, name), highlight), f"{name} is not outlined"
    assert not shown.geometry().intersects(in_window(window, window.review)), (
        "the card must leave the flashcards clear"
    )


def test_it_never_takes_the_focus(qtbot: QtBot, started: Started) -> None:
    window = started.start()
    shown = card(window)
    assert shown is not None
    assert focused_pane(window) == "review", "Space must reach the flashcards at once"
    assert all(
        widget.focusPolicy() == Qt.FocusPolicy.NoFocus
        for widget in [shown, *shown.findChildren(QWidget)]
    )
    qtbot.mouseClick(shown, Qt.MouseButton.LeftButton)
    assert focused_pane(window) == "review"


def test_space_at_once_shows_the_answer_and_the_first_answer_closes_it(
    qtbot: QtBot, started: Started
) -> None:
    window = started.start()
    focused = QApplication.focusWidget()
    assert focused is not None
    qtbot.keyClick(focused, Qt.Key.Key_Space)
    assert window.review.answer_shown()
    assert card(window) is not None, "showing the answer is not yet an answer"
    qtbot.keyClick(focused, Qt.Key.Key_3)
    assert review_count(started.data_dir) == 1
    assert card(window) is None
    image = window.grab().toImage()
    highlight = window.palette().color(QPalette.ColorRole.Highlight)
    assert not near(outline_pixel(image, window, "timeline"), highlight), "outlines stay up"


def test_its_button_closes_it(qtbot: QtBot, started: Started) -> None:
    window = started.start()
    qtbot.mouseClick(close_button(window), Qt.MouseButton.LeftButton)
    assert card(window) is None
    assert focused_pane(window) == "review"


def test_escape_closes_it_before_anything_else(qtbot: QtBot, started: Started) -> None:
    window = started.start()
    qtbot.keyClick(window.review, Qt.Key.Key_Space)  # the article is veiled until the answer
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    field = QApplication.focusWidget()
    find_bar = window.findChild(QWidget, "articleFindBar")
    assert field is not None and find_bar is not None and find_bar.isVisible()
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    assert card(window) is None and find_bar.isVisible(), "the first Escape closes the welcome"
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    assert not find_bar.isVisible(), "Escape reaches the find bar again once it is closed"


def _help_action(window: MainWindow, text: str) -> None:
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    assert isinstance(menu, QMenu)
    next(a for a in menu.actions() if a.text().replace("&", "") == text).trigger()


def test_shown_once_then_again_from_the_help_menu(qtbot: QtBot, started: Started) -> None:
    first = started.start()
    assert card(first) is not None
    started.close(first)

    again = started.start()
    assert card(again) is None, "the welcome is shown once per data dir"
    _help_action(again, "Welcome Tour")
    assert card(again) is not None
    assert focused_pane(again) == "review"
    qtbot.keyClick(again.review, Qt.Key.Key_Escape)
    assert card(again) is None


@pytest.mark.parametrize("theme", [Theme.LIGHT, Theme.DARK])
def test_it_follows_the_palette(started: Started, theme: Theme) -> None:
    window = started.start()
    window.set_theme(theme)
    QApplication.processEvents()
    shown = card(window)
    assert shown is not None
    palette = QApplication.palette()
    image = shown.grab().toImage()
    background = image.pixelColor(image.width() // 2, image.height() - 4)
    assert near(background, palette.color(QPalette.ColorRole.Window))
    assert (background.lightness() < 128) is (theme is Theme.DARK)
    lightness = [
        image.pixelColor(x, y).lightness()
        for x in range(0, image.width(), 3)
        for y in range(0, image.height(), 3)
    ]
    assert max(abs(value - background.lightness()) for value in lightness) > 100, "no text"


def test_it_keeps_to_the_panes_as_the_window_changes(qtbot: QtBot, started: Started) -> None:
    window = started.start()
    window.resize(760, 560)
    QApplication.processEvents()
    shown = card(window)
    assert shown is not None
    assert not shown.geometry().intersects(in_window(window, window.review))
    qtbot.keyClick(
        window,
        Qt.Key.Key_1,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert not window.article.isVisible()
    QApplication.processEvents()
    assert card(window) is not None
    assert window.rect().contains(shown.geometry())
