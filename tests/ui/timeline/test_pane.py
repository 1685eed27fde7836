"""The timeline pane driven as a user would: keys, clicks, wheel; asserting what shows."""

from __future__ import annotations

import datetime as dt
import itertools
import random
import time
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QHelpEvent,
    QImage,
    QNativeGestureEvent,
    QPalette,
    QPointingDevice,
    QTextDocumentFragment,
    QWheelEvent,
)
from PySide6.QtWidgets import QApplication, QFrame, QToolButton, QToolTip
from pytestqt.qtbot import QtBot

from studyapp.collection import Collection
from studyapp.content.dates import HistoricalDate
from studyapp.storage.queries import TimelineItem
from studyapp.ui.colours import TEXT_CONTRAST_AAA, contrast_ratio, relative_luminance
from studyapp.ui.timeline import layout as tl
from studyapp.ui.timeline.pane import HINT, TimelinePane
from studyapp.ui.timeline.scene import MARKER_R
from studyapp.ui.timeline.view import TimelineView

SIZE = (1200, 260)
# The pane in the main window at its default size on a 1366x768 screen (and at 2x scale on a
# 2732x1536 one): its viewport is 1157x203.
WINDOW = (1161, 242)
SHORT = (1160, 206)  # a shorter pane: four label rows, and the third lane scrolls


# -- helpers ------------------------------------------------------------------------------


@pytest.fixture
def items(collection: Collection) -> list[TimelineItem]:
    return collection.timeline()


def make_pane(
    qtbot: QtBot, items: Sequence[TimelineItem], size: tuple[int, int] = SIZE
) -> TimelinePane:
    pane = TimelinePane(items)
    qtbot.addWidget(pane)
    pane.resize(*size)
    pane.show()
    qtbot.waitExposed(pane)
    return pane


def date_sorted_ids(items: Sequence[TimelineItem]) -> list[str]:
    return [i.id for i in sorted(items, key=lambda i: (i.start.first_day(), i.id))]


def repaint(pane: TimelinePane) -> TimelineView:
    """Paint the view as the screen would (grab renders it) and return it."""
    pane.view.viewport().grab()
    return pane.view


def assert_no_overlap(rects: dict[str, QRectF]) -> None:
    for (a, ra), (b, rb) in itertools.combinations(rects.items(), 2):
        assert not ra.intersects(rb), f"labels of {a} {ra} and {b} {rb} overlap"


def wheel(
    view: TimelineView,
    angle: QPoint,
    modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
    pixels: QPoint | None = None,
    pos: QPointF | None = None,
) -> None:
    pos = pos or QPointF(view.viewport().rect().center())
    event = QWheelEvent(
        pos,
        QPointF(view.viewport().mapToGlobal(pos.toPoint())),
        pixels or QPoint(),
        angle,
        Qt.MouseButton.NoButton,
        modifiers,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.viewport(), event)


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#2b2b2b"),
        (QPalette.ColorRole.WindowText, "#e8e8e8"),
        (QPalette.ColorRole.Base, "#1e1e1e"),
        (QPalette.ColorRole.AlternateBase, "#262626"),
        (QPalette.ColorRole.Text, "#e8e8e8"),
        (QPalette.ColorRole.Button, "#353535"),
        (QPalette.ColorRole.ButtonText, "#e8e8e8"),
        (QPalette.ColorRole.Highlight, "#3d7bd9"),
        (QPalette.ColorRole.HighlightedText, "#ffffff"),
        (QPalette.ColorRole.Mid, "#555555"),
        (QPalette.ColorRole.Dark, "#191919"),
        (QPalette.ColorRole.Light, "#505050"),
    ):
        palette.setColor(role, QColor(colour))
    return palette


def pixels_in(image: QImage, rect: QRectF) -> Iterator[QColor]:
    box = rect.toAlignedRect().intersected(image.rect())
    for y in range(box.top(), box.bottom() + 1):
        for x in range(box.left(), box.right() + 1):
            yield image.pixelColor(x, y)


def viewport_image(pane: TimelinePane) -> QImage:
    return pane.view.viewport().grab().toImage()


def synthetic(count: int, periods: int, seed: int = 7, years: int = 520) -> list[TimelineItem]:
    """Events spread over `years` from 1500: mostly known to the day, some to a month/year."""
    rng = random.Random(seed)
    first = dt.date(1500, 1, 1).toordinal()
    out = []
    for n in range(count):
        day = dt.date.fromordinal(first + rng.randrange(int(years * 365.25)))
        roll = rng.random()
        if roll < 0.7:
            start = HistoricalDate(day.year, day.month, day.day)
        elif roll < 0.9:
            start = HistoricalDate(day.year, day.month)
        else:
            start = HistoricalDate(day.year)
        end = None
        if n < periods:
            last = dt.date.fromordinal(day.toordinal() + rng.randrange(30, 20 * 365))
            end = (
                HistoricalDate(last.year)
                if rng.random() < 0.3
                else HistoricalDate(last.year, last.month, last.day)
            )
        out.append(
            TimelineItem(
                f"e{n:05d}", start, end, start.long_label(), f"Event {n}", "", None, None, "", n % 3
            )
        )
    return out


# -- fit, zoom, pan -----------------------------------------------------------------------


def test_home_key_and_fit_all_button_bring_every_event_into_view(
    qtbot: QtBot, items: list[TimelineItem]
) -> None:
    pane = make_pane(qtbot, items)
    view = pane.view
    area = QRectF(view.viewport().rect())

    def outside() -> list[str]:
        return [i.id for i in items if not area.contains(view.marker_rect(i.id))]

    assert outside() == []  # a new pane starts fitted
    fit_button = pane.findChild(QToolButton, "timelineFitAll")
    home = lambda: qtbot.keyClick(view, Qt.Key.Key_Home)  # noqa: E731
    button = lambda: qtbot.mouseClick(fit_button, Qt.MouseButton.LeftButton)  # noqa: E731
    for fit in (home, button):
        for _ in range(6):
            qtbot.keyClick(view, Qt.Key.Key_Plus)
        assert len(outside()) > len(items) // 2
        fit()
        assert outside() == []


def test_plus_minus_keys_zoom_the_time_axis_only(qtbot: QtBot, items: list[TimelineItem]) -> None:
    pane = make_pane(qtbot, items)
    view = pane.view
    fitted = view.visible_days()
    marker = view.marker_rect("pact-signed").size()
    label_heights = {r.height() for r in repaint(pane).painted_label_rects().values()}
    assert len(label_heights) == 1

    qtbot.keyClick(view, Qt.Key.Key_Plus)
    once = view.visible_days()
    assert once < fitted * 0.8
    qtbot.keyClick(view, Qt.Key.Key_Equal)
    assert view.visible_days() < once * 0.8
    assert view.transform().m22() == 1.0  # nothing vertical is scaled
    assert view.marker_rect("pact-signed").size() == marker  # pixel sizes stay put
    assert {r.height() for r in repaint(pane).painted_label_rects().values()} == label_heights

    qtbot.keyClick(view, Qt.Key.Key_Minus)
    assert view.visible_days() == pytest.approx(once, rel=0.01)
    qtbot.keyClick(view, Qt.Key.Key_Minus)
    assert view.visible_days() == pytest.approx(fitted, rel=0.01)
    qtbot.keyClick(view, Qt.Key.Key_Minus)  # no zooming out past "all of it"
    assert view.visible_days() == pytest.approx(fitted, rel=0.01)


def test_zoom_buttons_have_names_and_shortcut_tooltips(
    qtbot: QtBot, items: list[TimelineItem]
) -> None:
    pane = make_pane(qtbot, items)
    tips = {}
    for name in ("timelineZoomIn", "timelineZoomOut", "timelineFitAll"):
        button = pane.findChild(QToolButton, name)
        tips[button.accessibleName()] = button.toolTip()
    assert tips == {
        "Zoom in": "Zoom in (+)",
        "Zoom out": "Zoom out (-)",
        "Fit all": "Fit all (Home)",
    }
    fitted = pane.view.visible_days()
    pane.findChild(QToolButton, "timelineZoomIn").click()
    assert pane.view.visible_days() < fitted * 0.8
    pane.findChild(QToolButton, "timelineZoomOut").click()
    assert pane.view.visible_days() == pytest.approx(fitted, rel=0.01)


def test_ctrl_wheel_zooms_and_plain_wheel_pans(qtbot: QtBot, items: list[TimelineItem]) -> None:
    pane = make_pane(qtbot, items)
    view = pane.view
    fitted = view.visible_days()
    wheel(view, QPoint(0, 240), Qt.KeyboardModifier.ControlModifier)
    zoomed = view.visible_days()
    assert zoomed < fitted * 0.8
    day = dt.date(1932, 1, 1)
    before = view.x_for_day(day)

    wheel(view, QPoint(0, -120))  # a plain wheel notch pans later in time, same zoom
    assert view.visible_days() == pytest.approx(zoomed)
    panned = view.x_for_day(day)
    assert panned < before - 50
    wheel(view, QPoint(), pixels=QPoint(40, 0))  # a trackpad's sideways swipe pans back
    assert view.x_for_day(day) == pytest.approx(panned + 40, abs=1)
    wheel(view, QPoint(0, -240), Qt.KeyboardModifier.ControlModifier)
    assert view.visible_days() == pytest.approx(fitted, rel=0.01)


def test_native_pinch_zooms_around_the_fingers(qtbot: QtBot, items: list[TimelineItem]) -> None:
    pane = make_pane(qtbot, items)
    view = pane.view
    fitted = view.visible_days()
    at = QPointF(300, 60)
    day = dt.date(1926, 1, 1)
    before = view.x_for_day(day)
    event = QNativeGestureEvent(
        Qt.NativeGestureType.ZoomNativeGesture,
        QPointingDevice.primaryPointingDevice(),
        2,
        at,
        at,
        QPointF(view.viewport().mapToGlobal(at.toPoint())),
        1.0,
        QPointF(),
    )
    QApplication.sendEvent(view.viewport(), event)
    assert view.visible_days() == pytest.approx(fitted / 2, rel=0.02)
    # the time under the fingers stays under them: 1926 moves away from x=300 by half
    assert view.x_for_day(day) - 300 == pytest.approx((before - 300) * 2, abs=2)


def marker_x(view: TimelineView, event_id: str) -> float:
    """Viewport x of a point event's marker (the middle of its month or year if it names one)."""
    return view.marker_rect(event_id).center().x()


def how_it_reads(view: TimelineView, item: TimelineItem, text: str) -> str:
    """How label `text` reads: "full", "cut" (the date, then the title cut short), "date"
    (alone), or "wrong"."""
    full, date = view.label_text(item.id), item.start.short_label()
    if text == full:
        return "full"
    if text == date:
        return "date"
    title = full.removeprefix(date + "  ")
    if text.startswith(date + "  ") and text.endswith("…") and len(text) > len(date) + 3:
        return "cut" if title.startswith(text[len(date) + 2 : -1]) else "wrong"
    return "wrong"


def crossed_by_stem(view: TimelineView, event_id: str) -> list[str]:
    """The labels drawn between the selected event's marker and its label that its stem crosses
    (running up an end of a label is not crossing it)."""
    rects = view.painted_label_rects()
    own, x = rects[event_id], marker_x(view, event_id)
    clear = tl.STEM_CLEARANCE
    return [
        other
        for other, rect in rects.items()
        if other != event_id
        and rect.top() >= own.bottom()
        and rect.left() + clear < x < rect.right() - clear
    ]


@pytest.mark.parametrize("means", ["keys", "buttons", "ctrl+wheel"])
def test_zooming_keeps_the_selected_event_in_view(
    qtbot: QtBot, items: list[TimelineItem], means: str
) -> None:
    pane = make_pane(qtbot, items)
    view = pane.view
    pane.select_event("soviet-occupation")  # far from the middle, where zooming used to centre
    area = QRectF(view.viewport().rect())
    fitted, x = view.visible_days(), marker_x(view, "soviet-occupation")
    assert abs(x - area.center().x()) > 250

    def zoom(factor_in: bool) -> None:
        if means == "keys":
            qtbot.keyClick(view, Qt.Key.Key_Plus if factor_in else Qt.Key.Key_Minus)
        elif means == "buttons":
            name = "timelineZoomIn" if factor_in else "timelineZoomOut"
            qtbot.mouseClick(pane.findChild(QToolButton, name), Qt.MouseButton.LeftButton)
        else:  # the mouse is elsewhere: the selection still wins
            notch = QPoint(0, 120 if factor_in else -120)
            wheel(view, notch, Qt.KeyboardModifier.ControlModifier, pos=QPointF(100, 40))

    for _ in range(6):
        zoom(True)
        assert area.contains(view.marker_rect("soviet-occupation"))
        assert area.contains(repaint(pane).painted_label_rects()["soviet-occupation"])
    assert view.visible_days() < fitted / 3
    for _ in range(12):
        zoom(False)
    assert view.visible_days() == pytest.approx(fitted, rel=0.01)
    assert marker_x(view, "soviet-occupation") == pytest.approx(x, abs=1)


def test_zooming_keeps_the_selected_event_where_it_is_while_its_label_fits(
    qtbot: QtBot, items: list[TimelineItem]
) -> None:
    pane = make_pane(qtbot, items)
    view = pane.view
    pane.select_event("first-extension")  # May 6, 1931: its label runs right, with room
    x = marker_x(view, "first-extension")
    for _ in range(4):
        qtbot.keyClick(view, Qt.Key.Key_Plus)
        assert marker_x(view, "first-extension") == pytest.approx(x, abs=1)


def test_zooming_a_selected_period_keeps_its_band_in_view(
    qtbot: QtBot, items: list[TimelineItem]
) -> None:
    pane = make_pane(qtbot, items)
    view = pane.view
    pane.select_event("second-extension-term")  # Apr 1934 to Dec 1944, right of the middle
    area = QRectF(view.viewport().rect())
    for _ in range(8):
        qtbot.keyClick(view, Qt.Key.Key_Plus)
        assert view.marker_rect("second-extension-term").intersects(area)


def test_without_a_selection_in_view_zoom_centres_on_the_mouse_or_the_middle(
    qtbot: QtBot, items: list[TimelineItem]
) -> None:
    pane = make_pane(qtbot, items)
    view = pane.view
    at = QPointF(200, 40)
    day = dt.date(1922, 1, 1)
    before = view.x_for_day(day)
    wheel(view, QPoint(0, 120), Qt.KeyboardModifier.ControlModifier, pos=at)
    assert view.x_for_day(day) - at.x() == pytest.approx((before - at.x()) * 1.25, abs=1)

    pane.select_event("peace-treaty-1920")
    for _ in range(8):  # pan the selection out of view: zooming no longer follows it
        qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert not QRectF(view.viewport().rect()).intersects(view.marker_rect("peace-treaty-1920"))
    middle = view.viewport().width() / 2
    x_before = view.x_for_day(dt.date(1930, 1, 1))
    qtbot.keyClick(view, Qt.Key.Key_Plus)
    assert view.x_for_day(dt.date(1930, 1, 1)) - middle == pytest.approx(
        (x_before - middle) * 1.5, abs=1
    )


def test_shift_arrows_and_dragging_pan(qtbot: QtBot, items: list[TimelineItem]) -> None:
    pane = make_pane(qtbot, items)
    view = pane.view
    for _ in range(4):
        qtbot.keyClick(view, Qt.Key.Key_Plus)
    span = view.visible_days()
    day = dt.date(1930, 1, 1)
    x = view.x_for_day(day)
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert view.x_for_day(day) == pytest.approx(x - view.viewport().width() / 4, abs=1)
    qtbot.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    assert view.x_for_day(day) == pytest.approx(x, abs=1)
    assert pane.selected_event_id() is None  # Shift+arrows pan, they do not select

    viewport = view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=QPoint(600, 40))
    qtbot.mouseMove(viewport, QPoint(500, 40))
    qtbot.mouseMove(viewport, QPoint(400, 40))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=QPoint(400, 40))
    assert view.x_for_day(day) == pytest.approx(x - 200, abs=2)
    assert view.visible_days() == pytest.approx(span)
    assert pane.selected_event_id() is None  # a drag is not a click


# -- selection ----------------------------------------------------------------------------


def test_right_and_left_select_events_in_date_order(
    qtbot: QtBot, items: list[TimelineItem]
) -> None:
    pane = make_pane(qtbot, items)
    emitted: list[str] = []
    pane.eventSelected.connect(emitted.append)
    by_id = {i.id: i for i in items}
    expected = date_sorted_ids(items)

    seen = []
    for _ in expected:
        qtbot.keyClick(pane.view, Qt.Key.Key_Right)
        selected = pane.selected_event_id()
        seen.append(selected)
        item = by_id[selected]
        text = pane.detail_text()
        cards = f"{item.card_count} card" + ("" if item.card_count == 1 else "s")
        assert item.date_text in text and item.title in text and cards in text
        assert item.description in text
    assert seen == expected
    assert emitted == expected
    assert len(expected) == 14  # 11 point events and 3 periods, together

    qtbot.keyClick(pane.view, Qt.Key.Key_Right)  # at the end it stays put, silently
    assert pane.selected_event_id() == expected[-1] and len(emitted) == len(expected)
    for _ in range(3):
        qtbot.keyClick(pane.view, Qt.Key.Key_Left)
    assert pane.selected_event_id() == expected[-4]
    assert emitted[-3:] == expected[-2:-5:-1]


def test_keys_sent_to_the_pane_itself_act_on_the_timeline(
    qtbot: QtBot, items: list[TimelineItem]
) -> None:
    pane = make_pane(qtbot, items)
    fitted = pane.view.visible_days()
    qtbot.keyClick(pane, Qt.Key.Key_Plus)
    assert pane.view.visible_days() < fitted * 0.8
    qtbot.keyClick(pane, Qt.Key.Key_Home)
    qtbot.keyClick(pane, Qt.Key.Key_Right)
    assert pane.selected_event_id() == date_sorted_ids(items)[0]


def test_detail_strip_hint_then_one_card_in_the_singular(
    qtbot: QtBot, items: list[TimelineItem]
) -> None:
    pane = make_pane(qtbot, items)
    assert pane.detail_text().startswith(HINT)
    assert "Home" in pane.detail_text()  # and how to zoom, pan and fit
    one = next(i for i in items if i.card_count == 1)
    assert pane.select_event(one.id)
    assert "· 1 card" in pane.detail_text() and "1 cards" not in pane.detail_text()
    assert one.date_text in pane.detail_text()


def test_clicking_a_marker_a_label_or_a_band_selects_it(
    qtbot: QtBot, items: list[TimelineItem]
) -> None:
    pane = make_pane(qtbot, items)
    view = pane.view
    emitted: list[str] = []
    pane.eventSelected.connect(emitted.append)

    marker = view.marker_rect("aggression-convention").center().toPoint()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=marker)
    assert pane.selected_event_id() == "aggression-convention"
    assert "July 5, 1933" in pane.detail_text()

    label = repaint(pane).painted_label_rects()["pact-signed"]
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=label.center().toPoint())
    assert pane.selected_event_id() == "pact-signed"

    band = view.marker_rect("in-force")
    qtbot.mouseClick(
        view.viewport(),
        Qt.MouseButton.LeftButton,
        pos=QPoint(int(band.center().x()), int(band.center().y())),
    )
    assert pane.selected_event_id() == "in-force"
    assert emitted == ["aggression-convention", "pact-signed", "in-force"]

    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert pane.selected_event_id() == "in-force"  # empty space changes nothing


def test_select_event_is_silent_scrolls_into_view_and_rejects_unknown_ids(
    qtbot: QtBot, items: list[TimelineItem]
) -> None:
    pane = make_pane(qtbot, items)
    view = pane.view
    emitted: list[str] = []
    pane.eventSelected.connect(emitted.append)
    for _ in range(8):
        qtbot.keyClick(view, Qt.Key.Key_Plus)
    area = QRectF(view.viewport().rect())
    assert not area.contains(view.marker_rect("soviet-occupation"))

    assert pane.select_event("soviet-occupation") is True
    assert pane.selected_event_id() == "soviet-occupation"
    assert area.contains(view.marker_rect("soviet-occupation"))
    assert area.contains(repaint(pane).painted_label_rects()["soviet-occupation"])
    assert "June 15, 1940" in pane.detail_text()

    assert pane.select_event("no-such-event") is False
    assert pane.selected_event_id() == "soviet-occupation"
    assert emitted == []


def test_set_items_keeps_the_selection_and_an_empty_timeline_shows_the_hint(
    qtbot: QtBot, items: list[TimelineItem]
) -> None:
    pane = make_pane(qtbot, items)
    pane.select_event("military-coup")
    pane.set_items(list(reversed(items)))
    assert pane.selected_event_id() == "military-coup"
    assert "December 1926" in pane.detail_text()
    pane.set_items([])
    assert pane.selected_event_id() is None
    assert pane.detail_text().startswith(HINT)
    qtbot.keyClick(pane.view, Qt.Key.Key_Right)
    assert pane.selected_event_id() is None


# -- labels -------------------------------------------------------------------------------


@pytest.mark.parametrize("zoom_steps", [0, 2, 5, 9, 14])
def test_labels_never_overlap_on_the_real_timeline(
    qtbot: QtBot, items: list[TimelineItem], zoom_steps: int
) -> None:
    pane = make_pane(qtbot, items)
    pane.select_event("ratifications-exchanged")
    for _ in range(zoom_steps):
        qtbot.keyClick(pane.view, Qt.Key.Key_Plus)
    pane.select_event("ratifications-exchanged")
    rects = repaint(pane).painted_label_rects()
    assert "ratifications-exchanged" in rects
    assert_no_overlap(rects)


def test_dense_labels_never_overlap_and_hidden_labels_keep_their_markers(
    qtbot: QtBot,
) -> None:
    dense = synthetic(400, 40, years=30)
    pane = make_pane(qtbot, dense)
    view = pane.view
    points = [i.id for i in dense if not i.is_period]
    for _ in range(6):
        rects = repaint(pane).painted_label_rects()
        assert rects, "some labels show"
        assert_no_overlap(rects)
        qtbot.keyClick(view, Qt.Key.Key_Plus)
    pane.fit_all()
    rects = repaint(pane).painted_label_rects()
    hidden = [i for i in points if i not in rects]
    assert len(hidden) > len(points) // 2  # too dense for all: many are hidden ...
    area = QRectF(view.viewport().rect())
    assert all(area.contains(view.marker_rect(i)) for i in hidden)  # ... but their markers stay
    # a hidden label shows once its event is selected, still without overlapping
    pane.select_event(hidden[len(hidden) // 2])
    rects = repaint(pane).painted_label_rects()
    assert hidden[len(hidden) // 2] in rects
    assert_no_overlap(rects)


def test_in_a_short_pane_every_point_event_has_a_label(
    qtbot: QtBot, items: list[TimelineItem]
) -> None:
    pane = make_pane(qtbot, items, size=SHORT)
    view = repaint(pane)
    assert view.viewport().height() < 175  # room for few rows above the axis and lanes
    points = [i for i in items if not i.is_period]
    assert len(points) == 11
    assert sorted(view.painted_label_rects()) == sorted(i.id for i in points)
    texts = view.painted_label_texts()
    reads = {i.id: how_it_reads(view, i, texts[i.id]) for i in points}
    assert "wrong" not in reads.values()  # in full, cut short, or the date alone
    assert list(reads.values()).count("full") >= 8
    assert "Jun 15, 1940" in texts["soviet-occupation"]
    assert_no_overlap(view.painted_label_rects())
    area = QRectF(view.viewport().rect())
    periods = [i.id for i in items if i.is_period]
    assert all(area.contains(view.marker_rect(p)) for p in periods)  # two lanes hold all three

    # Rows are taken from the lanes: the first two lanes still show whole, the rest scroll.
    crowded = [*items, *(replace(by_id(items, "in-force"), id=f"lane-{n}") for n in (2, 3))]
    pane = make_pane(qtbot, crowded, size=SHORT)
    view = repaint(pane)
    assert sorted(view.painted_label_rects()) == sorted(i.id for i in points)
    periods = [i.id for i in crowded if i.is_period]
    whole = [p for p in periods if area.contains(view.marker_rect(p))]
    assert 2 <= len(whole) < len(periods)  # two lanes show whole; the others scroll
    cut_off = next(p for p in periods if p not in whole)
    markers = {p.id: view.marker_rect(p.id) for p in points}
    pane.select_event(cut_off)
    assert area.contains(view.marker_rect(cut_off))
    assert {p.id: view.marker_rect(p.id) for p in points} == markers  # markers stay put


def test_at_the_window_size_the_last_events_keep_their_titles(
    qtbot: QtBot, items: list[TimelineItem]
) -> None:
    pane = make_pane(qtbot, items, size=WINDOW)
    view = repaint(pane)
    points = {i.id: i for i in items if not i.is_period}
    texts = view.painted_label_texts()
    assert sorted(texts) == sorted(points)
    reads = {
        event_id: how_it_reads(view, item, texts[event_id]) for event_id, item in points.items()
    }
    # No room to run right in full, nor to end at its marker without covering the one
    # before: the last is cut short (its title kept, not dropped), and the rest read in full.
    assert reads["soviet-occupation"] == "cut"
    assert texts["soviet-occupation"].startswith("Jun 15, 1940  Soviet occupation")
    assert [r for r in reads.values() if r != "full"] == ["cut"]
    assert_no_overlap(view.painted_label_rects())
    area = QRectF(view.viewport().rect())
    assert all(area.contains(view.marker_rect(i.id)) for i in items)  # every lane in view


def test_at_the_window_size_the_last_events_selected_read_in_full(
    qtbot: QtBot, items: list[TimelineItem]
) -> None:
    pane = make_pane(qtbot, items, size=WINDOW)
    view = pane.view
    fitted = view.visible_days()
    qtbot.keyClick(view, Qt.Key.Key_Left)  # nothing selected: the last event
    assert pane.selected_event_id() == "soviet-occupation"
    repaint(pane)
    assert view.painted_label_texts()["soviet-occupation"] == (
        "Jun 15, 1940  Soviet occupation; pact broken"
    )
    assert crossed_by_stem(view, "soviet-occupation") == []
    assert_no_overlap(view.painted_label_rects())
    assert view.visible_days() == pytest.approx(fitted)  # still all in view


def test_a_selected_stem_up_the_end_of_a_neighbour_label_leaves_it_in_place(
    qtbot: QtBot, items: list[TimelineItem]
) -> None:
    # Nov 5 and Nov 9, 1926 lie under a pixel apart: the stem of the one runs up the other's
    # left end, beside its text.
    pane = make_pane(qtbot, items, size=WINDOW)
    before = repaint(pane).painted_label_rects()
    pane.select_event("ratifications-exchanged")
    after = repaint(pane).painted_label_rects()
    assert after["seimas-ratification"] == before["seimas-ratification"]
    assert crossed_by_stem(pane.view, "ratifications-exchanged") == []


@pytest.mark.parametrize("size", [WINDOW, SHORT, (900, 206)])
@pytest.mark.parametrize("zoom_steps", [0, 3])
def test_every_selected_label_reads_in_full_and_its_stem_crosses_no_label(
    qtbot: QtBot, items: list[TimelineItem], size: tuple[int, int], zoom_steps: int
) -> None:
    pane = make_pane(qtbot, items, size=size)
    view = pane.view
    qtbot.keyClick(view, Qt.Key.Key_Right)  # all in view: the first event
    for _ in range(zoom_steps):  # around it
        qtbot.keyClick(view, Qt.Key.Key_Plus)
    points = {i.id for i in items if not i.is_period}
    seen = set()
    for _ in items:
        selected = pane.selected_event_id()
        assert selected is not None
        if selected in points:
            seen.add(selected)
            repaint(pane)
            assert view.painted_label_texts()[selected] == view.label_text(selected)
            assert crossed_by_stem(view, selected) == [], selected
            assert_no_overlap(view.painted_label_rects())
        qtbot.keyClick(view, Qt.Key.Key_Right)
    assert seen == points


def test_a_taller_pane_shows_every_lane_and_every_label_in_full(
    qtbot: QtBot, items: list[TimelineItem]
) -> None:
    pane = make_pane(qtbot, items, size=(1200, 300))
    view = repaint(pane)
    area = QRectF(view.viewport().rect())
    assert all(area.contains(view.marker_rect(i.id)) for i in items)
    points = [i for i in items if not i.is_period]
    assert sorted(view.painted_label_rects()) == sorted(i.id for i in points)
    texts = view.painted_label_texts()
    assert sum(texts[i.id] == view.label_text(i.id) for i in points) >= 10


@pytest.mark.parametrize("size", [WINDOW, SHORT, SIZE, (900, 206)])
def test_a_label_starts_or_ends_at_its_marker_and_ending_there_covers_no_other(
    qtbot: QtBot, items: list[TimelineItem], size: tuple[int, int]
) -> None:
    pane = make_pane(qtbot, items, size=size)
    view = pane.view
    points = [i.id for i in items if not i.is_period]
    checked_flipped = 0
    for zoom_steps in range(4):
        qtbot.keyClick(view, Qt.Key.Key_Home)
        for _ in range(zoom_steps):
            qtbot.keyClick(view, Qt.Key.Key_Plus)
        for _ in range(2):  # the start of the timeline, then its end
            rects = repaint(pane).painted_label_rects()
            assert_no_overlap(rects)
            xs = {i: marker_x(view, i) for i in points}
            for event_id, rect in rects.items():
                own = xs[event_id]
                starts, ends = abs(rect.left() - own) < 1, abs(rect.right() - own) < 1
                assert starts or ends, f"{event_id} is not attached to its marker"
                if ends and not starts:
                    checked_flipped += 1
                    covered = [
                        i
                        for i, x in xs.items()
                        if i != event_id and rect.left() - MARKER_R < x < own - 0.5
                    ]
                    assert not covered, f"{event_id}'s label sits over the marker of {covered}"
            for _ in range(12):
                qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert checked_flipped > 0


def test_label_layout_is_computed_once_per_zoom_step(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    scales: list[float] = []
    place_labels = tl.place_labels

    def counting(*args: object, **kwargs: float) -> tl.LabelPlacement:
        scales.append(kwargs["scale"])
        return place_labels(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(tl, "place_labels", counting)
    many = synthetic(2000, 100)
    pane = make_pane(qtbot, many, size=(1200, 300))
    view = repaint(pane)
    laid_out = len(scales)
    assert laid_out >= 1
    for _ in range(3):  # panning and selecting reuse the layout of the zoom step
        view.pan_by(300)
        repaint(pane)
    pane.select_event(many[500].id)
    repaint(pane)
    assert len(scales) == laid_out
    qtbot.keyClick(view, Qt.Key.Key_Plus)
    repaint(pane)
    repaint(pane)
    assert len(scales) == laid_out + 1
    qtbot.keyClick(view, Qt.Key.Key_Minus)
    repaint(pane)
    assert len(scales) == laid_out + 1  # a step laid out before


# -- precision ----------------------------------------------------------------------------


def test_a_month_precise_event_is_labelled_and_drawn_as_the_whole_month(
    qtbot: QtBot, items: list[TimelineItem]
) -> None:
    pane = make_pane(qtbot, items)
    view = pane.view
    assert view.label_text("military-coup") == "Dec 1926  Military coup"
    assert view.label_text("pact-signed") == "Sep 28, 1926  Pact signed"
    assert view.label_text("peace-treaty-1920") == "1920  Soviet–Lithuanian Peace Treaty"

    for _ in range(12):
        qtbot.keyClick(view, Qt.Key.Key_Plus)
    pane.select_event("military-coup")  # scrolls it into view
    december, january = dt.date(1926, 12, 1), dt.date(1927, 1, 1)
    rect = view.marker_rect("military-coup")
    assert rect.left() == pytest.approx(view.x_for_day(december), abs=1)
    assert rect.right() == pytest.approx(view.x_for_day(january), abs=1)
    assert rect.width() > 100  # zoomed in, December is wide and the bracket spans it
    exact = view.marker_rect("pact-signed")
    assert exact.width() == pytest.approx(10)  # a day-precise event is just a dot

    image = viewport_image(pane)
    base = view.palette().color(QPalette.ColorRole.Base)
    y = round(rect.center().y())

    def drawn_at(day: dt.date) -> bool:  # mid-day, on the marker line, clear of grid lines
        x = round(view.x_for_day(day) + rect.width() / 62)
        assert 0 <= x < image.width()
        return any(image.pixelColor(x, y + dy) != base for dy in range(-2, 3))

    assert drawn_at(dt.date(1926, 12, 2)) and drawn_at(dt.date(1926, 12, 29))
    assert not drawn_at(dt.date(1927, 1, 2)) and not drawn_at(dt.date(1926, 11, 30))


def test_a_period_ending_in_a_year_only_has_a_soft_end(
    qtbot: QtBot, items: list[TimelineItem]
) -> None:
    # No period of the pact's ends in a year only (v3 draws no end the article lacks): one here.
    year_end = replace(by_id(items, "in-force"), id="to-1931", end=HistoricalDate(1931))
    pane = make_pane(qtbot, [*items, year_end])
    view = pane.view
    band = view.marker_rect("to-1931")  # Nov 9, 1926 to some time in 1931
    assert band.right() == pytest.approx(view.x_for_day(dt.date(1932, 1, 1)), abs=1)
    image = viewport_image(pane)
    base = view.palette().color(QPalette.ColorRole.Base)
    y = round(band.center().y())

    def distance(day: dt.date) -> float:
        colour = image.pixelColor(round(view.x_for_day(day)), y)
        return sum(abs(a - b) for a, b in zip(colour.getRgb()[:3], base.getRgb()[:3], strict=True))

    solid, early, late = (
        distance(dt.date(1930, 9, 1)),
        distance(dt.date(1931, 3, 1)),
        distance(dt.date(1931, 11, 1)),
    )
    assert solid > early > late  # fading out across 1931
    assert distance(dt.date(1932, 6, 1)) == 0
    # the precisely known end of "Pact effective until broken" is a hard edge: no fade before it
    hard = view.marker_rect("in-force")
    assert distance_at(image, hard.right() - 3, round(hard.center().y()), base) == solid


def test_an_open_ended_period_fades_from_its_start_and_says_its_end_is_not_stated(
    qtbot: QtBot, items: list[TimelineItem]
) -> None:
    """A period whose end the article does not state (the first extension: "for another five
    years") has no end drawn: it fades out, its title runs on past it, and its tooltip and the
    strip say that its end is not stated."""
    item = replace(by_id(items, "first-extension-term"), end=None, open_end=True)
    pane = make_pane(qtbot, [item if i.id == item.id else i for i in items], size=(1200, 300))
    view = pane.view
    scale = view.transform().m11()
    band = view.marker_rect(item.id)
    assert band.left() == pytest.approx(view.x_for_day(item.start.first_day()), abs=1)
    after_start = view.x_for_day(item.start.last_day() + dt.timedelta(days=1))
    assert band.right() == pytest.approx(after_start + tl.OPEN_END_DAYS * scale, abs=2)
    image = viewport_image(pane)
    base = view.palette().color(QPalette.ColorRole.Base)
    y = round(band.bottom() - 2)  # below the title text
    fade_from = band.right() - tl.OPEN_END_DAYS * scale
    fade = [
        distance_at(image, fade_from + f * tl.OPEN_END_DAYS * scale, y, base)
        for f in (0.1, 0.5, 0.9)
    ]
    assert fade[0] > fade[1] > fade[2]  # fading out: no end drawn at any date
    assert distance_at(image, band.right() + 3, y, base) == 0
    in_force = view.marker_rect("in-force")  # a band known from end to end, for comparison
    assert fade[0] <= distance_at(image, in_force.center().x(), round(in_force.bottom() - 2), base)
    text_y = round(band.center().y())  # the title runs on past the faded band
    beyond = range(round(band.right()) + 2, round(band.right()) + 24)
    assert max(distance_at(image, x, text_y, base) for x in beyond) > 200

    tip = hover_tip(qtbot, view, band.center().toPoint())
    assert f"{item.date_text} (end not stated)" in tip
    assert item.title in tip and item.description in tip
    pane.select_event(item.id)
    assert pane.detail_text().startswith(f"{item.date_text} (end not stated) · {item.title}")


def test_a_derived_period_shows_how_it_was_derived(qtbot: QtBot, items: list[TimelineItem]) -> None:
    pane = make_pane(qtbot, items, size=(1200, 300))
    view = pane.view
    tip = hover_tip(qtbot, view, view.marker_rect("in-force").center().toPoint())
    assert "Pact effective until broken" in tip and "November 9, 1926 to June 15, 1940" in tip
    assert "Derived: its start and its end come from two sentences" in tip
    pane.select_event("in-force")
    assert "\nDerived: its start and its end" in pane.detail_text()


def hover_tip(qtbot: QtBot, view: TimelineView, point: QPoint) -> str:
    """The tooltip shown when the mouse rests at a viewport point ("" for none)."""
    QToolTip.hideText()
    qtbot.waitUntil(lambda: not QToolTip.isVisible())
    viewport = view.viewport()
    QApplication.sendEvent(
        viewport, QHelpEvent(QEvent.Type.ToolTip, point, viewport.mapToGlobal(point))
    )
    return (
        QTextDocumentFragment.fromHtml(QToolTip.text()).toPlainText()
        if QToolTip.isVisible()
        else ""
    )


def test_a_tooltip_shows_event_text_literally_and_none_over_empty_space(
    qtbot: QtBot, items: list[TimelineItem]
) -> None:
    hostile = replace(by_id(items, "military-coup"), title="Coup <b>bold</b> & <img src=x>")
    pane = make_pane(qtbot, [hostile, *(i for i in items if i.id != hostile.id)])
    view = pane.view
    tip = hover_tip(qtbot, view, view.marker_rect("military-coup").center().toPoint())
    assert "Coup <b>bold</b> & <img src=x>" in tip and "December 1926" in tip
    assert hover_tip(qtbot, view, QPoint(5, 5)) == ""


def by_id(items: Sequence[TimelineItem], event_id: str) -> TimelineItem:
    return next(item for item in items if item.id == event_id)


def distance_at(image: QImage, x: float, y: int, base: QColor) -> float:
    colour = image.pixelColor(round(x), y)
    return sum(abs(a - b) for a, b in zip(colour.getRgb()[:3], base.getRgb()[:3], strict=True))


# -- axis ---------------------------------------------------------------------------------


def test_axis_ticks_go_from_years_to_months_to_days(
    qtbot: QtBot, items: list[TimelineItem]
) -> None:
    pane = make_pane(qtbot, items)
    view = pane.view
    assert view.tick_step().unit in (tl.TickUnit.YEARS, tl.TickUnit.DECADES)
    units = [view.tick_step().unit]
    for _ in range(20):
        qtbot.keyClick(view, Qt.Key.Key_Plus)
        if view.tick_step().unit != units[-1]:
            units.append(view.tick_step().unit)
    assert units[-1] is tl.TickUnit.DAYS
    assert tl.TickUnit.MONTHS in units
    assert units.index(tl.TickUnit.MONTHS) < units.index(tl.TickUnit.DAYS)
    pane.fit_all()
    assert view.tick_step().unit is units[0]


# -- appearance ---------------------------------------------------------------------------


@pytest.mark.parametrize("dark", [False, True])
def test_a_grab_is_not_blank_and_labels_contrast_with_the_background(
    qtbot: QtBot, items: list[TimelineItem], tmp_path: Path, dark: bool
) -> None:
    pane = make_pane(qtbot, items)
    if dark:
        pane.setPalette(dark_palette())
    pane.select_event("military-coup")
    path = tmp_path / "timeline.png"
    assert pane.grab().save(str(path))
    image = QImage(str(path))
    assert image.width() == SIZE[0]

    base = pane.view.palette().color(QPalette.ColorRole.Base)
    assert (relative_luminance(base) < 0.05) == dark
    corner = pane.view.viewport().mapTo(pane, QPoint(0, 0))
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 5)
    }
    assert len(colours) > 20  # markers, bands, text: not one flat colour

    rects = pane.view.painted_label_rects()
    plain = [r for event_id, r in rects.items() if event_id != "military-coup"]
    assert len(plain) >= 5
    for rect in plain:
        text = max(pixels_in(image, rect.translated(corner)), key=lambda c: contrast_ratio(c, base))
        assert contrast_ratio(text, base) > TEXT_CONTRAST_AAA, (
            "label text stands out from the background"
        )


def test_the_view_takes_focus_and_shows_it(qtbot: QtBot, items: list[TimelineItem]) -> None:
    pane = make_pane(qtbot, items)
    view = pane.view
    assert view.focusPolicy() == Qt.FocusPolicy.StrongFocus
    assert view.accessibleName() == "Timeline"
    assert pane.findChild(QFrame, "timelineDetail").accessibleName() == "Selected event"
    assert pane.objectName() == "timelinePane"

    pane.activateWindow()
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    highlight = view.palette().color(QPalette.ColorRole.Highlight)
    edge = QPoint(0, view.height() // 2)
    assert view.grab().toImage().pixelColor(edge) == highlight
    pane.findChild(QToolButton, "timelineFitAll").setFocus()
    qtbot.waitUntil(lambda: not view.hasFocus())
    assert view.grab().toImage().pixelColor(edge) != highlight


# -- scale --------------------------------------------------------------------------------


@pytest.mark.slow
def test_ten_thousand_events_fit_zoom_and_pan(qtbot: QtBot) -> None:
    many = synthetic(10_000, 1_000)
    started = time.perf_counter()
    pane = make_pane(qtbot, many, size=(1200, 400))
    view = pane.view
    built = time.perf_counter() - started
    timings = []
    fitted = view.visible_days()
    steps = [pane.fit_all] + [pane.zoom_in] * 8 + [lambda: view.pan_by(400)] * 4
    steps += [lambda: qtbot.keyClick(view, Qt.Key.Key_Right)] * 2 + [pane.zoom_out] * 6
    for step in steps:
        started = time.perf_counter()
        step()
        view.viewport().grab()  # one frame, painted as the screen would be
        timings.append(time.perf_counter() - started)
        assert_no_overlap(view.painted_label_rects())
    median = sorted(timings)[len(timings) // 2]
    print(
        f"\n10k events: built in {built * 1000:.0f} ms; frames "
        f"max {max(timings) * 1000:.0f} ms, median {median * 1000:.0f} ms"
    )
    assert len(steps) == 21
    assert view.visible_days() < fitted / 2  # it really zoomed in
    assert pane.selected_event_id() is not None
    assert view.painted_label_rects()


def test_ten_thousand_events_cost_what_is_visible_not_what_is_held(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    scales: list[float] = []
    place_labels = tl.place_labels

    def counting(*args: object, **kwargs: float) -> tl.LabelPlacement:
        scales.append(kwargs["scale"])
        return place_labels(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(tl, "place_labels", counting)
    many = synthetic(10_000, 1_000)
    width = 1200
    pane = make_pane(qtbot, many, size=(width, 400))
    view = repaint(pane)
    assert not view.scene().items()  # no graphics item per event: sorted arrays index them
    # Fitted, thousands of markers share pixels: one of a kind per 3-pixel column is drawn.
    columns = (view.viewport().width() + 2 * (2 * MARKER_R + 4 + MARKER_R + 2)) / 3 + 1
    fitted = view.painted_marker_count()
    assert 0 < fitted <= 2 * columns < 10_000 / 4
    for _ in range(10):
        pane.zoom_in()
    view = repaint(pane)
    area = QRectF(view.viewport().rect())
    in_view = [i.id for i in many if not i.is_period and area.contains(view.marker_rect(i.id))]
    assert 0 < view.painted_marker_count() <= len(in_view) + 10
    laid_out = len(scales)
    for _ in range(4):  # panning at one zoom never lays the labels out again
        view.pan_by(width / 3)
        repaint(pane)
        assert view.painted_marker_count() <= 2 * columns
    assert len(scales) == laid_out
    assert_no_overlap(view.painted_label_rects())


# -- layout maths (no widgets) -----------------------------------------------------------


def test_lanes_never_overlap_and_use_as_few_as_the_deepest_overlap() -> None:
    rng = random.Random(3)
    spans = []
    for _ in range(300):
        start = rng.uniform(0, 1000)
        spans.append((start, start + rng.uniform(1, 80)))
    lanes = tl.assign_lanes(spans)
    for a, b in itertools.combinations(range(len(spans)), 2):
        if lanes[a] == lanes[b]:
            assert spans[a][1] <= spans[b][0] or spans[b][1] <= spans[a][0]
    events = sorted([(s, 1) for s, _ in spans] + [(e, -1) for _, e in spans])
    depth = max(itertools.accumulate(d for _, d in events))
    assert max(lanes) + 1 == depth


def test_a_label_placement_holds_at_every_closer_zoom_and_after_a_reveal() -> None:
    rng = random.Random(5)
    anchors = sorted(rng.uniform(0, 2000) for _ in range(500))
    widths = [rng.uniform(40, 200) for _ in anchors]
    short = [w / 3 for w in widths]
    placement = tl.place_labels(
        anchors, widths, short, scale=0.5, bounds=(0, 2000), row_count=3, gap=8, marker_r=5
    )
    hidden = [i for i, row in enumerate(placement.rows) if row == tl.HIDDEN]
    assert hidden and len(hidden) < len(anchors)
    assert any(placement.short) and not all(placement.short)
    assert all(placement.flipped[i] for i in range(480, 500) if placement.rows[i] != tl.HIDDEN)

    def assert_apart(p: tl.LabelPlacement, scale: float) -> None:
        for row in range(3):
            spans = sorted(p.interval(i, anchors[i], scale) for i in range(500) if p.rows[i] == row)
            for (_, right), (left, _) in itertools.pairwise(spans):
                assert right + 8 <= left + 1e-9
        for i in range(500):
            if p.rows[i] == tl.HIDDEN:
                continue
            left, right = p.interval(i, anchors[i], scale)
            assert left >= 0 and right <= 2000 * scale  # within the timeline
            expected = short[i] if p.short[i] else widths[i]
            assert p.widths[i] == expected
            if p.flipped[i]:  # ending at its marker, it covers no other marker
                others = [a * scale for j, a in enumerate(anchors) if j != i]
                assert not [x for x in others if left - 5 < x < right], (i, scale)

    for scale in (0.5, 0.51, 0.9, 3.0):
        assert_apart(placement, scale)
    revealed = tl.reveal_label(placement, hidden[0], anchors, widths, short, max(widths))
    assert revealed.rows[hidden[0]] != tl.HIDDEN and not revealed.short[hidden[0]]
    assert revealed.widths[hidden[0]] == widths[hidden[0]]
    rows = [row for i, row in enumerate(revealed.rows) if i != hidden[0]]
    spans = sorted(
        revealed.interval(i, anchors[i], 0.5)
        for i in range(500)
        if revealed.rows[i] == revealed.rows[hidden[0]]
    )
    for (_, right), (left, _) in itertools.pairwise(spans):
        assert right + 8 <= left + 1e-9
    assert rows.count(tl.HIDDEN) >= len(hidden) - 1


def test_a_label_with_no_room_shows_its_date_alone_before_it_is_hidden() -> None:
    def place(anchors: list[float], row_count: int = 1, end: float = 200) -> tl.LabelPlacement:
        return tl.place_labels(
            anchors,
            [100.0] * len(anchors),
            [30.0] * len(anchors),
            scale=1.0,
            bounds=(-5, end),
            row_count=row_count,
            gap=8,
            marker_r=5,
        )

    # Two markers 50 px apart in one row: the first label gives way to its date alone.
    placement = place([0.0, 50.0])
    assert placement.rows == (0, 0)
    assert placement.short == (True, False)
    assert placement.widths == (30.0, 100.0)
    # Too close for even that: the second is hidden.
    assert place([0.0, 20.0]).rows == (0, tl.HIDDEN)
    # With room to its left, a label ends at its marker rather than cover the next ones.
    placement = place([120.0, 125.0, 130.0], row_count=2, end=400)
    assert placement.flipped == (True, False, False)
    assert placement.rows == (0, 1, 0)
    assert not any(placement.short)


def test_labels_flipped_at_the_end_of_the_timeline_cover_no_other_marker() -> None:
    # The last label must end at its marker; in full it would cover the one before.
    placement = tl.place_labels(
        [900.0, 960.0],
        [150.0, 150.0],
        [50.0, 50.0],
        scale=1.0,
        bounds=(0, 1000),
        row_count=3,
        gap=8,
        marker_r=5,
    )
    assert placement.flipped == (True, True)
    assert placement.short == (False, True)
    left, right = placement.interval(1, 960.0, 1.0)
    assert (left, right) == (910.0, 960.0)
    assert placement.rows == (0, 0)


def test_label_rows_take_what_the_labels_need_and_leave_two_lanes() -> None:
    m = tl.Metrics.for_text(14, 11, 5)
    assert m.rows_for(167, 3) == 3
    assert m.rows_for(167, 2) == 4  # the third lane then scrolls
    assert m.rows_for(400, 3) > 8
    assert m.rows_for(40, 3) == 1


def test_ticks_fall_on_calendar_boundaries() -> None:
    first, last = dt.date(1926, 1, 15), dt.date(1927, 2, 10)
    months = list(tl.tick_days(tl.TickStep(tl.TickUnit.MONTHS, 3), first, last))
    assert [(d.year, d.month) for d in months] == [(1926, 4), (1926, 7), (1926, 10), (1927, 1)]
    days = list(tl.tick_days(tl.TickStep(tl.TickUnit.DAYS, 5), first, dt.date(1926, 2, 28)))
    assert [d.day for d in days] == [16, 21, 26, 1, 6, 11, 16, 21, 26]
    years = list(tl.tick_days(tl.TickStep(tl.TickUnit.DECADES, 1), dt.date(1911, 1, 1), last))
    assert years == [dt.date(1920, 1, 1)]
    assert tl.tick_label(tl.TickStep(tl.TickUnit.MONTHS, 1), dt.date(1927, 1, 1)) == "1927"
    assert tl.context_label(tl.TickStep(tl.TickUnit.DAYS, 1), first) == "Jan 1926"
