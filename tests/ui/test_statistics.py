"""The Statistics window (T), the memory map (View > Memory Map), and start-up without charts."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QMouseEvent, QPalette, QTextCursor
from PySide6.QtWidgets import QApplication, QLineEdit, QTextBrowser, QToolTip, QWidget
from pytestqt.qtbot import QtBot

from studyapp.clock import FakeClock
from studyapp.collection import Collection
from studyapp.ui.colours import contrast_ratio
from studyapp.ui.main_window import MainWindow
from studyapp.ui.memory_map import MemoryColours
from studyapp.ui.theme import Theme, apply_theme

NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def light_theme_after() -> Iterator[None]:
    yield
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app, Theme.LIGHT)


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
    target = QApplication.focusWidget()
    assert target is not None, "nothing has the keyboard focus"
    if modifier is None:
        qtbot.keyClick(target, key)
    else:
        qtbot.keyClick(target, key, modifier)


def answer(qtbot: QtBot, rating: Qt.Key = Qt.Key.Key_3) -> None:
    press(qtbot, Qt.Key.Key_Space)
    press(qtbot, rating)


def statistics_window(window: MainWindow):  # type: ignore[no-untyped-def]
    from studyapp.ui.stats.window import StatisticsWindow

    found = window.findChild(StatisticsWindow)
    assert isinstance(found, StatisticsWindow)
    return found


def hover(widget: QWidget, where: QPoint) -> None:
    """The mouse moved over `widget` (sent to it: the offscreen platform's cursor is shared
    by every window of the test, so QTest's moves can land on the main window instead)."""
    point = QPointF(where)
    event = QMouseEvent(
        QEvent.Type.MouseMove,
        point,
        QPointF(widget.mapToGlobal(where)),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, event)


# -- the Statistics window -----------------------------------------------------------------------


def test_t_opens_statistics_with_todays_answers(
    qtbot: QtBot, window: MainWindow, collection: Collection, clock: FakeClock
) -> None:
    answer(qtbot, Qt.Key.Key_1)
    clock.advance(minutes=2)
    answer(qtbot, Qt.Key.Key_3)
    press(qtbot, Qt.Key.Key_T)
    stats = statistics_window(window)
    qtbot.waitExposed(stats)
    assert "2 answers" in stats.today_label.text()
    assert "Again: 1 (50.0% correct)" in stats.today_label.text()
    # Today's bar says what it holds when hovered: two learning answers.
    last = stats.reviews_chart.bar_text(-1)
    assert "Learning: 2" in last and "Total: 2" in last
    # The mouse over today's bar: a tooltip, and the read-out line under the charts.
    chart = stats.reviews_chart
    box = chart.getPlotItem().getViewBox()
    scene_point = box.mapViewToScene(QPointF(0, 1))
    where = chart.mapFromScene(scene_point)
    hover(chart.viewport(), where)
    assert QToolTip.text().startswith("Today")
    assert stats.readout.text().startswith("Reviews per day: Today")
    assert "Learning: 2" in stats.readout.text()
    assert "Cards by state" in stats.counts_chart.accessibleName()
    # The stacked charts name their kinds in the title; the counts' bars are named by ticks.
    assert stats.reviews_chart.title_text() == (
        "Reviews per day ■ Learning ■ Young ■ Mature ■ Relearning"
    )
    forecast_title = stats.forecast_chart.title_text()
    assert forecast_title == "Due in the next 30 days ■ Learning ■ Young ■ Mature"
    assert stats.counts_chart.title_text() == "Cards by state"
    # Two cards answered (now learning) and the first one's two new siblings buried.
    assert stats.counts_chart.hover_text(0, 0) == "New: 37 cards"
    assert stats.counts_chart.hover_text(1, 0) == "Learning: 2 cards"
    assert stats.counts_chart.hover_text(6, 0) == "Buried: 2 cards"
    retention = stats.retention_table
    assert retention.item(0, 0).text() == "Today"
    assert retention.item(0, 3).text() == "—"  # no review cards answered yet
    progress = stats.progress_table
    assert progress.item(0, 1).text() == "41"
    for chart in stats.charts():
        chart.grab()  # paints it
        assert chart.painted


def test_statistics_refresh_and_periods(
    qtbot: QtBot, window: MainWindow, collection: Collection
) -> None:
    window.show_statistics()
    stats = statistics_window(window)
    assert stats.today_label.text() == "Today: no cards studied yet."
    window.activateWindow()
    window.focus_pane("review")
    answer(qtbot)
    qtbot.mouseClick(stats.refresh_button, Qt.MouseButton.LeftButton)
    assert "Today: 1 card studied, 1 answer in " in stats.today_label.text()
    for index, days in enumerate((30, 91, 365)):
        stats.range_box.setCurrentIndex(index)
        assert stats.reviews_chart.getPlotItem().getViewBox().viewRange()[0][0] < -(days - 2)
    stats.range_box.setCurrentIndex(3)  # All: the whole log, read now
    assert "Learning: 1" in stats.reviews_chart.bar_text(-1)


def test_typing_t_in_the_find_bar_types_it(qtbot: QtBot, window: MainWindow) -> None:
    press(qtbot, Qt.Key.Key_Space)  # the answer shows: the article is no longer veiled
    press(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    field = QApplication.focusWidget()
    assert isinstance(field, QLineEdit)
    qtbot.keyClicks(field, "Treaty")
    assert field.text() == "Treaty"
    from studyapp.ui.stats.window import StatisticsWindow

    assert window.findChild(StatisticsWindow) is None


def test_chart_colours_follow_the_dark_palette(qtbot: QtBot, window: MainWindow) -> None:
    window.show_statistics()
    stats = statistics_window(window)
    light_legend = stats.time_chart.legend
    window.set_theme(Theme.DARK)
    QApplication.processEvents()  # the new palette reaches the window
    base = stats.palette().color(QPalette.ColorRole.Base)
    dark_legend = stats.time_chart.legend
    assert [name for name, _ in dark_legend] == ["Learning", "Young", "Mature", "Relearning"]
    assert [colour for _, colour in dark_legend] != [colour for _, colour in light_legend]
    assert len({colour.name() for _, colour in dark_legend}) == 4
    for _name, colour in dark_legend:
        assert contrast_ratio(colour, base) >= 3.0
    assert base.lightnessF() < 0.3
    assert stats.reviews_chart.backgroundBrush().color() == base
    from studyapp.ui.stats.charts import KIND_HUES, series_colour

    for hue in KIND_HUES.values():
        assert contrast_ratio(series_colour(stats.palette(), hue), base) >= 3.0


def test_starting_the_window_does_not_import_the_chart_library(data_dir: Path) -> None:
    code = (
        "import sys; from studyapp.collection import Collection; "
        "from PySide6.QtWidgets import QApplication; app = QApplication([]); "
        "from studyapp.ui.main_window import MainWindow; "
        f"w = MainWindow(Collection.open(__import__('pathlib').Path({str(data_dir)!r}))); "
        "w.show(); app.processEvents(); "
        "print(sorted(m for m in ('pyqtgraph', 'numpy', 'fsrs_rs_python') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"


# -- the memory map ------------------------------------------------------------------------------


def toggle_memory_map(qtbot: QtBot, window: MainWindow) -> None:
    window.memory_map_action.trigger()


def test_the_memory_map_tints_sentences_and_events_and_follows_answers(
    qtbot: QtBot, window: MainWindow, collection: Collection
) -> None:
    article, timeline = window.article, window.timeline
    assert article.memory_tint("overview-1", 0) is None  # off by default
    toggle_memory_map(qtbot, window)
    assert window.memory_map_action.isChecked()
    colours = MemoryColours.from_palette(article.palette())
    # Every cited sentence starts grey (not yet studied); one without cards has no tint.
    assert article.memory_tint("overview-1", 0) == colours.tint(None)
    assert timeline.view.memory_mark("peace-treaty-1920") == colours.mark(None)
    card = collection.next_card()
    assert card is not None and card.id == "parties"
    answer(qtbot, Qt.Key.Key_4)  # Easy: the card is learned
    assert article.memory_tint("overview-1", 0) == colours.tint(1.0)
    start, _end = article.sentence_range("overview-1", 0) or (0, 0)
    tip = article.memory_tip_at(start + 2)
    assert "Between which two states was the pact signed? — 100%" in tip
    assert "When was the pact signed? — not yet studied" in tip
    # Suspending the only card of a sentence takes its tint away; undo brings it back.
    assert article.memory_tint("overview-1", 1) == colours.tint(None)
    collection_card = collection.next_card()
    assert collection_card is not None and collection_card.id == "confirmed-peace-treaty"
    press(qtbot, Qt.Key.Key_Space)
    press(qtbot, "@")
    assert article.memory_tint("overview-1", 1) is None
    assert timeline.view.memory_mark("peace-treaty-1920") is None
    window.undo()
    assert article.memory_tint("overview-1", 1) == colours.tint(None)
    toggle_memory_map(qtbot, window)
    assert article.memory_tint("overview-1", 0) is None
    assert timeline.view.memory_mark("pact-signed") is None


def test_the_memory_map_is_remembered(
    qtbot: QtBot, window: MainWindow, collection: Collection
) -> None:
    toggle_memory_map(qtbot, window)
    window.close()
    again = MainWindow(collection)
    qtbot.addWidget(again)
    assert again.memory_map_action.isChecked()
    assert again.article.memory_tint("overview-1", 0) is not None


@pytest.mark.parametrize("theme", [Theme.LIGHT, Theme.DARK])
def test_memory_tints_keep_the_text_readable(
    qtbot: QtBot, window: MainWindow, theme: Theme
) -> None:
    window.set_theme(theme)
    QApplication.processEvents()  # the new palette reaches the widgets
    colours = MemoryColours.from_palette(window.article.palette())
    assert (colours.base.lightnessF() < 0.3) == (theme is Theme.DARK)
    for recall in (None, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0):
        assert contrast_ratio(colours.text, colours.tint(recall)) >= 4.5
        if recall is not None:  # a marker stands out from the base as graphics must
            assert contrast_ratio(colours.mark(recall), colours.base) >= 3.0
    strong, weak = colours.mark(1.0), colours.mark(0.7)
    assert strong.hue() != weak.hue()  # green and red


def test_the_memory_map_follows_the_theme(
    qtbot: QtBot, window: MainWindow, collection: Collection
) -> None:
    toggle_memory_map(qtbot, window)
    answer(qtbot, Qt.Key.Key_4)  # "parties": learned, recall 100%
    light = window.article.memory_tint("overview-1", 0)
    window.set_theme(Theme.DARK)
    QApplication.processEvents()  # the new palette reaches the widgets
    dark = window.article.memory_tint("overview-1", 0)
    colours = MemoryColours.from_palette(window.article.palette())
    assert colours.base.lightnessF() < 0.3
    assert dark == colours.tint(1.0) and dark != light
    assert window.timeline.view.memory_mark("pact-signed") == colours.mark(None)


def test_the_study_menu_gives_statistics_a_mnemonic_of_its_own(window: MainWindow) -> None:
    study = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Study")
    letters = [
        text[text.index("&") + 1].lower()
        for text in (action.text() for action in study.actions())
        if "&" in text
    ]
    assert len(letters) == len(set(letters)), letters  # one press of a letter acts at once
    statistics = next(a for a in study.actions() if a.text().replace("&", "") == "Statistics…")
    assert statistics.shortcut().toString() == "T"


def test_the_timeline_paints_each_event_in_its_memory_colour(
    qtbot: QtBot, window: MainWindow, collection: Collection
) -> None:
    if window.veil_action.isChecked():
        window.veil_action.trigger()  # the timeline shows while a question is up
    toggle_memory_map(qtbot, window)
    view = window.timeline.view
    colours = MemoryColours.from_palette(view.palette())

    def painted(event_id: str) -> str:
        """The colour at the centre of the event's marker on screen (as #rrggbb)."""
        QApplication.processEvents()
        centre = view.marker_rect(event_id).center().toPoint()
        return view.viewport().grab().toImage().pixelColor(centre).name()

    assert painted("peace-treaty-1920") == colours.mark(None).name()  # grey: not studied
    answer(qtbot, Qt.Key.Key_4)  # "parties": no event
    assert collection.next_card() is not None
    assert collection.next_card().id == "confirmed-peace-treaty"
    answer(qtbot, Qt.Key.Key_4)  # its card learned: recall 100%, green
    assert view.memory_mark("peace-treaty-1920") == colours.mark(1.0)
    assert painted("peace-treaty-1920") == colours.mark(1.0).name()


def test_a_sentence_scrolled_into_view_is_tinted(
    qtbot: QtBot, window: MainWindow, collection: Collection
) -> None:
    if window.veil_action.isChecked():
        window.veil_action.trigger()  # the article shows while a question is up
    toggle_memory_map(qtbot, window)
    article = window.article
    article.set_zoom(4)  # a larger text: the article runs over several views
    browser = article.findChild(QTextBrowser)
    assert browser is not None
    last = max(
        (
            (card.passage_id, card.sentence_index)
            for passage in collection.article_view().article.passages()
            for card in collection.passage_cards(passage.id)
            if card.sentence_index is not None and card.passage_id is not None
        ),
        key=lambda key: article.sentence_range(*key) or (0, 0),
    )
    tint = article.memory_tint(*last)
    assert tint is not None
    bar = browser.verticalScrollBar()

    def cursor_in(key: tuple[str, int]) -> QTextCursor:
        start, end = article.sentence_range(*key) or (0, 0)
        cursor = QTextCursor(browser.document())
        cursor.setPosition((start + end) // 2)
        return cursor

    def background_at(key: tuple[str, int]) -> str:
        QApplication.processEvents()
        rect = browser.cursorRect(cursor_in(key))
        image = browser.viewport().grab().toImage()
        row = [image.pixelColor(rect.left() + dx, rect.top() + 1).name() for dx in range(-20, 20)]
        return max(set(row), key=row.count)

    # Its line is more than two views down: beyond the tints given for the top of the article.
    line_y = browser.cursorRect(cursor_in(last)).top() + bar.value()
    assert line_y > 2.5 * browser.viewport().height()
    bar.setValue(line_y - 40)  # the reader scrolls down to it
    assert background_at(last) == tint.name()
    bar.setValue(0)
    first = ("overview-1", 0)
    assert background_at(first) == (article.memory_tint(*first) or QColor()).name()
