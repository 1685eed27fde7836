"""The timeline pane: events and periods on a zoomable, pannable time axis, with a detail strip.

The scene holds one invisible index item per event (ItemHasNoContents) whose rect is the event's
extent in scene units (x: days, y: pixels), so Qt's BSP index answers "what lies in this rect".
The view paints only what that query returns for the exposed rect, in device pixels, so markers
and labels keep their size while only the time axis zooms. Label rows come from a layout that
is computed once per zoom step (see timeline_layout) and cached.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QLineF, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QLinearGradient,
    QMouseEvent,
    QNativeGestureEvent,
    QPainter,
    QPalette,
    QPen,
    QResizeEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGestureEvent,
    QGraphicsItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QPinchGesture,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studyapp.storage.queries import TimelineItem
from studyapp.ui import timeline_layout as tl

HINT = "Select an event: click it, or use ← →"
KEYS = "Zoom: + and −, Ctrl+wheel or pinch · Pan: drag, wheel or Shift+← → · Fit all: Home"
MAX_TITLE_PX = 240.0  # longer titles are elided in the label (the strip shows them whole)
MAX_PX_PER_DAY = 200.0
KEY_ZOOM = 1.5
WHEEL_ZOOM = 1.25  # per wheel notch
LABEL_GAP = 8.0
MARKER_R = 5.0
RING = 2  # focus ring width around the view


@dataclass(frozen=True)
class _Colours:
    """Every colour the timeline paints, derived from the palette so dark themes just work."""

    base: QColor
    text: QColor
    muted: QColor
    faint: QColor
    stem: QColor
    marker: QColor
    band: QColor
    band_edge: QColor
    accent: QColor
    accent_text: QColor

    @classmethod
    def from_palette(cls, palette: QPalette) -> _Colours:
        base, text = palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text)
        accent = palette.color(QPalette.ColorRole.Highlight)
        return cls(
            base=base,
            text=text,
            muted=_mix(base, text, 0.62),
            faint=_mix(base, text, 0.12),
            stem=_mix(base, text, 0.4),
            marker=_mix(text, accent, 0.55),
            band=_mix(base, accent, 0.3),
            band_edge=_mix(base, accent, 0.8),
            accent=accent,
            accent_text=palette.color(QPalette.ColorRole.HighlightedText),
        )


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * t,
        a.greenF() + (b.greenF() - a.greenF()) * t,
        a.blueF() + (b.blueF() - a.blueF()) * t,
    )


def _metrics(font: QFont) -> tl.Metrics:
    fm = QFontMetricsF(font)
    return tl.Metrics.for_text(math.ceil(fm.height()), fm.ascent(), MARKER_R)


class _IndexItem(QGraphicsRectItem):
    """An event's place in the scene index; it paints nothing itself."""

    def __init__(self, index: int, rect: QRectF) -> None:
        super().__init__(rect)
        self.index = index
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents)


class TimelineView(QGraphicsView):
    """The time axis itself. Emits `selected(id, by_user)` whenever the selection changes."""

    selected = Signal(str, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timelineView")
        self.setAccessibleName("Timeline")
        self.setAccessibleDescription(
            "Events and periods by date. Left and Right select the previous or next event; "
            "plus and minus zoom; Home fits all; Shift+Left and Shift+Right pan."
        )
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setViewportMargins(RING, RING, RING, RING)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setInteractive(False)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        # Sticky labels (period titles, the axis context) move on scroll, so repaint it all;
        # the cost stays with what is visible. The plain background and grid are cached.
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.FullViewportUpdate)
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheBackground)
        self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
        self.viewport().grabGesture(Qt.GestureType.PinchGesture)
        self.setScene(QGraphicsScene(self))
        self._items: list[TimelineItem] = []
        self._geometry: list[tl.EventGeometry] = []
        self._order: list[int] = []
        self._rank: dict[int, int] = {}
        self._ids: dict[str, int] = {}
        self._label_of: dict[int, int] = {}
        self._label_event: list[int] = []
        self._anchors: list[float] = []
        self._widths: list[float] = []
        self._label_parts: list[tuple[str, str, float]] = []
        self._lanes: dict[int, int] = {}
        self._lane_count = 0
        self._origin = 0
        self._x_range = (0.0, 1.0)
        self._scale = 1.0
        self._fitted = True
        self._rows = 1
        self._selected: int | None = None
        self._placements: dict[tuple[int, int, int | None], tl.LabelPlacement] = {}
        self._painted_labels: dict[str, QRectF] = {}
        self._press: QPointF | None = None
        self._dragging = False
        self._measure_labels()
        self._refresh_style()

    # -- data -----------------------------------------------------------------------------

    def set_items(self, items: Sequence[TimelineItem]) -> None:
        selected_id = self.selected_id()
        scene = self.scene()
        scene.clear()
        self._items = list(items)
        self._origin = min((i.start.first_day().toordinal() for i in items), default=0)
        if not items:
            self._origin = dt.date.today().toordinal()
        self._geometry = [
            tl.event_geometry(n, item, self._origin) for n, item in enumerate(self._items)
        ]
        self._order = tl.date_order(self._items)
        self._rank = {index: rank for rank, index in enumerate(self._order)}
        self._ids = {item.id: n for n, item in enumerate(self._items)}
        points = [g for g in self._geometry if not g.is_period]
        periods = [g for g in self._geometry if g.is_period]
        self._label_event = [g.index for g in points]
        self._label_of = {index: n for n, index in enumerate(self._label_event)}
        self._anchors = [g.anchor for g in points]
        lanes = tl.assign_lanes([(g.start, g.end) for g in periods])
        self._lanes = {g.index: lane for g, lane in zip(periods, lanes, strict=True)}
        self._lane_count = max(lanes, default=-1) + 1
        first = min((g.start for g in self._geometry), default=0.0)
        last = max((g.end for g in self._geometry), default=366.0)
        margin = max((last - first) * 0.03, 20.0)
        self._x_range = (first - margin, last + margin)
        self._measure_labels()
        top = -self._metrics.top_extent(tl.MAX_ROWS)
        for g in self._geometry:
            if g.is_period:
                lane_y = self._metrics.lanes_y + self._lanes[g.index] * self._metrics.lane_pitch
                rect = QRectF(g.start, lane_y, g.end - g.start, self._metrics.lane_h)
            else:
                rect = QRectF(g.start, top, g.end - g.start, MARKER_R - top)
            scene.addItem(_IndexItem(g.index, rect))
        self._selected = self._ids.get(selected_id) if selected_id else None
        self._update_scene_rect()
        self.fit_all()

    def _measure_labels(self) -> None:
        fm = QFontMetricsF(self.font())
        self._metrics = _metrics(self.font())
        self._label_parts, self._widths = [], []
        for index in self._label_event:
            item = self._items[index]
            date = item.start.short_label() + "  "
            title = fm.elidedText(item.title, Qt.TextElideMode.ElideRight, MAX_TITLE_PX)
            date_w = fm.horizontalAdvance(date)
            self._label_parts.append((date, title, date_w))
            self._widths.append(math.ceil(date_w + fm.horizontalAdvance(title) + 10))
        self._max_label_w = max(self._widths, default=0.0)
        self._tick_spacing = {
            unit: fm.horizontalAdvance(sample) + 14
            for unit, sample in (
                (tl.TickUnit.DAYS, "28"),
                (tl.TickUnit.MONTHS, "Sep"),
                (tl.TickUnit.YEARS, "1926"),
                (tl.TickUnit.DECADES, "1920"),
                (tl.TickUnit.CENTURIES, "1900"),
            )
        }
        self._placements.clear()

    def _update_scene_rect(self) -> None:
        self._rows = self._metrics.rows_for(self.viewport().height(), self._lane_count)
        top = self._metrics.top_extent(self._rows)
        left, right = self._x_range
        height = top + self._metrics.bottom_extent(self._lane_count)
        self.scene().setSceneRect(QRectF(left, -top, right - left, height))

    # -- selection ------------------------------------------------------------------------

    def selected_id(self) -> str | None:
        return None if self._selected is None else self._items[self._selected].id

    def select_id(self, event_id: str, by_user: bool = False) -> bool:
        index = self._ids.get(event_id)
        if index is None:
            return False
        self._select(index, by_user)
        return True

    def _select(self, index: int, by_user: bool) -> None:
        changed = index != self._selected
        self._selected = index
        self._scroll_into_view(index)
        self.viewport().update()
        if changed:
            self.selected.emit(self._items[index].id, by_user)

    def _step_selection(self, step: int) -> None:
        if not self._order:
            return
        if self._selected is None:
            left, right = self._visible_x()
            if step > 0:
                ranks = [r for r, i in enumerate(self._order) if self._geometry[i].end >= left]
                rank = ranks[0] if ranks else 0
            else:
                ranks = [r for r, i in enumerate(self._order) if self._geometry[i].start <= right]
                rank = ranks[-1] if ranks else len(self._order) - 1
        else:
            rank = min(max(self._rank[self._selected] + step, 0), len(self._order) - 1)
        self._select(self._order[rank], by_user=True)

    def _scroll_into_view(self, index: int) -> None:
        g, s = self._geometry[index], self._scale
        if g.is_period:
            start, end = g.start, g.end
            band, frame = self.marker_rect(self._items[index].id), self._frame()
            bar = self.verticalScrollBar()
            if band.top() < frame.lanes_top:
                bar.setValue(bar.value() - round(frame.lanes_top - band.top()) - 2)
            elif band.bottom() > self.viewport().height():
                bar.setValue(bar.value() + round(band.bottom() - self.viewport().height()) + 2)
        else:
            label = self._label_of[index]
            left, right = tl.label_interval(
                g.anchor, self._widths[label], self._placement().flipped[label], s
            )
            start = min(left / s, g.start, g.anchor - MARKER_R / s)
            end = max(right / s, g.end, g.anchor + MARKER_R / s)
        visible_left, visible_right = self._visible_x()
        margin = 24 / s
        if visible_left + margin <= start and end <= visible_right - margin:
            return
        width = visible_right - visible_left
        if end - start + 2 * margin > width or start < visible_left + margin:
            target = start - margin
        else:
            target = end + margin - width
        self.horizontalScrollBar().setValue(round(target * s))
        self._fitted = False

    # -- zoom and pan ---------------------------------------------------------------------

    def _min_scale(self) -> float:
        left, right = self._x_range
        return max(self.viewport().width(), 1) / (right - left)

    def _max_scale(self) -> float:
        left, right = self._x_range
        return max(min(MAX_PX_PER_DAY, 1e9 / (right - left)), self._min_scale())

    def fit_all(self) -> None:
        self._set_scale(self._min_scale(), force=True)
        self.horizontalScrollBar().setValue(self.horizontalScrollBar().minimum())
        self._fitted = True

    def zoom_by(self, factor: float, anchor: float | None = None) -> None:
        """Zoom the time axis by `factor`, keeping the time under viewport x `anchor` in place."""
        if anchor is None:
            anchor = self.viewport().width() / 2
        at = (anchor - self.viewportTransform().dx()) / self._scale
        if not self._set_scale(self._scale * factor):
            return
        self.horizontalScrollBar().setValue(round(at * self._scale - anchor))
        self._fitted = math.isclose(self._scale, self._min_scale())

    def pan_by(self, pixels: float) -> None:
        bar = self.horizontalScrollBar()
        bar.setValue(bar.value() + round(pixels))
        self._fitted = False

    def _set_scale(self, scale: float, force: bool = False) -> bool:
        scale = min(max(scale, self._min_scale()), self._max_scale())
        if math.isclose(scale, self._scale, rel_tol=1e-9) and not force:
            return False
        self._scale = scale
        self.setTransform(QTransform.fromScale(scale, 1.0))
        self.resetCachedContent()
        self.viewport().update()
        return True

    # -- what a user sees (also for tests) ------------------------------------------------

    def _frame(self) -> tl.Frame:
        t, bar = self.viewportTransform(), self.verticalScrollBar()
        marker_y = t.dy() + bar.value() - bar.minimum()
        return tl.Frame(t.m11(), t.dx(), marker_y, t.dy(), marker_y + self._metrics.lanes_y - 3)

    def _visible_x(self) -> tuple[float, float]:
        dx = self.viewportTransform().dx()
        return -dx / self._scale, (self.viewport().width() - dx) / self._scale

    def visible_days(self) -> float:
        """How many days the viewport shows."""
        left, right = self._visible_x()
        return right - left

    def tick_step(self) -> tl.TickStep:
        return tl.choose_tick_step(self._scale, self._tick_spacing)

    def marker_rect(self, event_id: str) -> QRectF:
        """The viewport rect of an event's band (a period) or marker, with the bracket over
        the month or year that a point known only that precisely spans."""
        index = self._ids[event_id]
        g, f = self._geometry[index], self._frame()
        x0, x1 = f.x(g.start), f.x(g.end)
        if g.is_period:
            lane_y = self._metrics.lanes_y + self._lanes[index] * self._metrics.lane_pitch
            return QRectF(x0, lane_y + f.lanes_dy, x1 - x0, self._metrics.lane_h)
        x = f.x(g.anchor)
        marker = QRectF(x - MARKER_R, f.marker_y - MARKER_R, 2 * MARKER_R, 2 * MARKER_R)
        if g.exact:
            return marker
        return marker.united(QRectF(x0, marker.top(), x1 - x0, marker.height()))

    def x_for_day(self, day: dt.date) -> float:
        """Viewport x where `day` begins."""
        t = self.viewportTransform()
        return tl.day_x(day, self._origin) * t.m11() + t.dx()

    def label_text(self, event_id: str) -> str:
        """A point event's label: its date as precisely as it is known, then its title."""
        date, title, _ = self._label_parts[self._label_of[self._ids[event_id]]]
        return date + title

    def painted_label_rects(self) -> dict[str, QRectF]:
        """Viewport rects of the point labels drawn by the last paint."""
        return dict(self._painted_labels)

    # -- label layout ---------------------------------------------------------------------

    def _placement(self) -> tl.LabelPlacement:
        """Label rows for the current zoom step: computed at the step's lower scale, so they
        stay free of overlap at every scale within the step; cached per step."""
        step = math.floor(math.log2(self._scale) * 8 + 1e-9)
        selected = self._label_of.get(self._selected) if self._selected is not None else None
        key = (step, self._rows, selected)
        placement = self._placements.get(key)
        if placement is None:
            base_key = (step, self._rows, None)
            placement = self._placements.get(base_key)
            if placement is None:
                if len(self._placements) > 64:
                    self._placements.clear()
                placement = tl.place_labels(
                    self._anchors,
                    self._widths,
                    scale=min(2 ** (step / 8), self._scale),
                    limit=self._x_range[1],
                    row_count=self._rows,
                    gap=LABEL_GAP,
                )
                self._placements[base_key] = placement
            if selected is not None:
                placement = tl.reveal_label(
                    placement, selected, self._anchors, self._widths, self._max_label_w
                )
            self._placements[key] = placement
        return placement

    # -- painting -------------------------------------------------------------------------

    def _refresh_style(self) -> None:
        self._colours = _Colours.from_palette(self.palette())
        self.resetCachedContent()
        self.viewport().update()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if not hasattr(self, "_colours"):
            return  # still being built
        if event.type() == QEvent.Type.PaletteChange:
            self._refresh_style()
        elif event.type() == QEvent.Type.FontChange:
            self.set_items(self._items)

    def drawBackground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        rect = QRectF(rect)
        painter.fillRect(rect, self._colours.base)
        step = self.tick_step()
        first = tl.x_day(rect.left(), self._origin)
        last = tl.x_day(rect.right(), self._origin)
        pen = QPen(self._colours.faint, 1)
        pen.setCosmetic(True)
        painter.setPen(pen)
        top, bottom = self.sceneRect().top(), self.sceneRect().bottom()
        for day in tl.tick_days(step, first, last):
            x = tl.day_x(day, self._origin)
            painter.drawLine(QLineF(x, top, x, bottom))

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        rect = QRectF(rect)
        frame = self._frame()
        painter.save()
        painter.resetTransform()  # paint in device pixels; lines are pixel-aligned, no AA
        painter.setFont(self.font())
        if not self._items:
            painter.setPen(self._colours.muted)
            painter.drawText(
                QRectF(self.viewport().rect()), Qt.AlignmentFlag.AlignCenter, "No events"
            )
        reach = (self._max_label_w + MARKER_R + 2) / self._scale
        left, right = rect.left() - reach, rect.right() + reach
        top = -self._metrics.top_extent(tl.MAX_ROWS)
        points = self._indexed(QRectF(left, top, right - left, MARKER_R - top), periods=False)
        lanes_top = frame.lanes_top - frame.lanes_dy
        lanes = QRectF(left, lanes_top, right - left, self.viewport().height() - frame.lanes_top)
        periods = self._indexed(lanes, periods=True)
        _TimelinePainter(self, painter, frame).paint(periods, points)
        painter.restore()

    def _indexed(self, rect: QRectF, periods: bool) -> list[int]:
        """The events of one kind whose index rect meets `rect` (scene units), via the BSP."""
        hits = self.scene().items(
            rect, Qt.ItemSelectionMode.IntersectsItemBoundingRect, Qt.SortOrder.AscendingOrder
        )
        geometry = self._geometry
        return [
            item.index
            for item in hits
            if isinstance(item, _IndexItem) and geometry[item.index].is_period == periods
        ]

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.Paint:
            painter = QPainter(self)
            colour = self._colours.accent if self.hasFocus() else self._colours.faint
            pen = QPen(colour, RING if self.hasFocus() else 1)
            pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
            painter.setPen(pen)
            inset = pen.widthF() / 2
            painter.drawRect(QRectF(self.rect()).adjusted(inset, inset, -inset, -inset))
            painter.end()
        return handled

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_scene_rect()
        if self._fitted or self._scale < self._min_scale():
            self.fit_all()

    # -- input ----------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.handle_key(event):
            event.accept()
        else:
            super().keyPressEvent(event)

    def handle_key(self, event: QKeyEvent) -> bool:
        """Act on a timeline key (zoom, fit, pan, previous/next event); False if not one."""
        key, mods = event.key(), event.modifiers()
        shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
        keypad = Qt.KeyboardModifier.KeypadModifier
        plain = not mods & (Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier)
        if plain and key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_by(KEY_ZOOM)
        elif plain and key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.zoom_by(1 / KEY_ZOOM)
        elif key == Qt.Key.Key_Home and plain:
            self.fit_all()
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right) and shift:
            direction = -1 if key == Qt.Key.Key_Left else 1
            self.pan_by(direction * self.viewport().width() / 4)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right) and not mods & ~keypad:
            self._step_selection(-1 if key == Qt.Key.Key_Left else 1)
        else:
            return False
        return True

    def wheelEvent(self, event: QWheelEvent) -> None:
        angle, pixels = event.angleDelta(), event.pixelDelta()
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            notches = (angle.y() or angle.x()) / 120
            if notches:
                self.zoom_by(WHEEL_ZOOM**notches, event.position().x())
        elif not pixels.isNull():
            self.pan_by(-(pixels.x() if abs(pixels.x()) > abs(pixels.y()) else pixels.y()))
        else:
            delta = angle.x() if abs(angle.x()) > abs(angle.y()) else angle.y()
            self.pan_by(-delta / 120 * self.viewport().width() / 10)
        event.accept()

    def viewportEvent(self, event: QEvent) -> bool:
        if isinstance(event, QNativeGestureEvent):
            if event.gestureType() == Qt.NativeGestureType.ZoomNativeGesture:
                self.zoom_by(1 + event.value(), event.position().x())
                return True
        elif isinstance(event, QGestureEvent):
            pinch = event.gesture(Qt.GestureType.PinchGesture)
            if isinstance(pinch, QPinchGesture):
                if pinch.changeFlags() & QPinchGesture.ChangeFlag.ScaleFactorChanged:
                    centre = self.viewport().mapFromGlobal(pinch.centerPoint().toPoint())
                    self.zoom_by(pinch.scaleFactor(), centre.x())
                event.accept(pinch)
                return True
        return super().viewportEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press, self._dragging = event.position(), False
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is None:
            return
        delta = event.position() - self._press
        if not self._dragging:
            self._dragging = delta.manhattanLength() >= QApplication.startDragDistance()
            if self._dragging:
                self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
        if self._dragging:
            self.pan_by(-delta.x())
            bar = self.verticalScrollBar()
            bar.setValue(bar.value() - round(delta.y()))
            self._press = event.position()
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._press is not None and not self._dragging:
            index = self._event_at(event.position())
            if index is not None:
                self._select(index, by_user=True)
        self._press, self._dragging = None, False
        self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
        event.accept()

    def _event_at(self, pos: QPointF) -> int | None:
        """The event whose marker, label or band is under viewport point `pos`."""
        f = self._frame()
        x = (pos.x() - f.dx) / f.scale
        if pos.y() >= f.lanes_top:
            for index in self._indexed(QRectF(x, pos.y() - f.lanes_dy, 0.01, 0.01), True):
                if self.marker_rect(self._items[index].id).contains(pos):
                    return index
        reach = (self._max_label_w + MARKER_R + 4) / f.scale
        y = pos.y() - f.marker_y
        placement = self._placement()
        best: tuple[int, float, int] | None = None
        for index in self._indexed(QRectF(x - reach, y - 4, 2 * reach, 8), periods=False):
            marker = self.marker_rect(self._items[index].id).adjusted(-3, -3, 3, 3)
            if marker.contains(pos):
                candidate = (0, abs(f.x(self._geometry[index].anchor) - pos.x()), index)
            else:
                box = _label_box(self, placement, self._label_of[index], f)
                if box is None or not box.contains(pos):
                    continue
                candidate = (1, 0.0, index)
            if best is None or candidate < best:
                best = candidate
        return None if best is None else best[2]


def _label_box(
    view: TimelineView, placement: tl.LabelPlacement, label: int, f: tl.Frame
) -> QRectF | None:
    row = placement.rows[label]
    if row == tl.HIDDEN:
        return None
    left, right = tl.label_interval(
        view._anchors[label], view._widths[label], placement.flipped[label], f.scale
    )
    m = view._metrics
    bottom = m.row_bottom(row) + f.marker_y
    return QRectF(left + f.dx, bottom - m.row_h, right - left, m.row_h)


class _TimelinePainter:
    """One paint of the visible events, in device pixels, bottom layer first."""

    def __init__(self, view: TimelineView, painter: QPainter, frame: tl.Frame) -> None:
        self.view, self.p, self.f = view, painter, frame
        self.c, self.m = view._colours, view._metrics
        self.s, self.dx, self.dy = frame.scale, frame.dx, frame.marker_y
        self.width = view.viewport().width()
        self.fm = QFontMetricsF(view.font())

    def x(self, scene_x: float) -> float:
        """Viewport x of scene x, clamped just off screen: lines and fills off screen cost
        nothing and a dash pattern is never laid along thousands of hidden pixels."""
        return min(max(scene_x * self.s + self.dx, -50.0), self.width + 50.0)

    def paint(self, periods: list[int], points: list[int]) -> None:
        height = self.view.viewport().height()
        self.p.setClipRect(QRectF(0, self.f.lanes_top, self.width, height - self.f.lanes_top))
        for index in periods:
            self.period(index)
        self.p.setClipping(False)
        self.axis()
        self.points(points)

    def period(self, index: int) -> None:
        g, v, p, c = self.view._geometry[index], self.view, self.p, self.c
        y = self.m.lanes_y + v._lanes[index] * self.m.lane_pitch + self.f.lanes_dy
        h, top, bottom = self.m.lane_h, y + 0.5, y + self.m.lane_h - 0.5
        x0, x1 = self.x(g.start), self.x(g.end)
        s0, s1 = self.x(g.solid_start), self.x(g.solid_end)
        selected = index == v._selected
        fill = c.accent if selected else c.band
        edge = QPen(c.accent if selected else c.band_edge, 1)
        if x1 - x0 < 16:  # too narrow at this zoom for soft ends or a title to show
            p.fillRect(QRectF(x0, y, max(x1 - x0, 1.0), h), edge.color() if x1 - x0 < 4 else fill)
            return
        p.fillRect(QRectF(s0, y, s1 - s0, h), fill)
        p.setPen(edge)
        p.drawLine(QLineF(s0, top, s1, top))
        p.drawLine(QLineF(s0, bottom, s1, bottom))
        for known, edge_x in ((g.solid_start == g.start, s0), (g.solid_end == g.end, s1)):
            if known:
                p.drawLine(QLineF(edge_x, y, edge_x, y + h))
        # A start or end known only to a month or year fades out over that span, dashed.
        faded = QColor(fill)
        faded.setAlpha(0)
        dashed = QPen(edge)
        dashed.setStyle(Qt.PenStyle.DashLine)
        for solid, soft, a, b in ((g.solid_start, g.start, x0, s0), (g.solid_end, g.end, s1, x1)):
            if b - a < 1:
                continue
            gradient = QLinearGradient(solid * self.s + self.dx, 0, soft * self.s + self.dx, 0)
            gradient.setColorAt(0, fill)
            gradient.setColorAt(1, faded)
            p.fillRect(QRectF(a, y, b - a, h), gradient)
            p.setPen(dashed)
            p.drawLine(QLineF(a, top, b, top))
            p.drawLine(QLineF(a, bottom, b, bottom))
        text_left = max(x0, 0.0) + 6
        room = min(x1, self.width + 0.0) - 6 - text_left
        if room >= 24:
            title = self.fm.elidedText(v._items[index].title, Qt.TextElideMode.ElideRight, room)
            p.setPen(c.accent_text if selected else c.text)
            p.drawText(QPointF(text_left, y + (h - self.m.text_h) / 2 + self.m.ascent), title)

    def axis(self) -> None:
        v, p, c, m = self.view, self.p, self.c, self.m
        y = m.axis_y + self.dy
        p.setPen(QPen(c.stem, 1))
        p.drawLine(QLineF(0, y + 0.5, self.width, y + 0.5))
        left = tl.x_day(-self.dx / self.s, v._origin)
        right = tl.x_day((self.width - self.dx) / self.s, v._origin)
        step = v.tick_step()
        minor = tl.minor_tick_step(step, self.s)
        if minor is not None:
            for day in tl.tick_days(minor, left, right):
                x = round(self.x(tl.day_x(day, v._origin))) + 0.5
                p.drawLine(QLineF(x, y, x, y + 3))
        baseline = y + 6 + m.ascent
        taken: list[tuple[float, float]] = []
        context_day = left
        ticks = [(self.x(tl.day_x(d, v._origin)), d) for d in tl.tick_days(step, left, right)]
        context = tl.context_label(step, context_day)
        bold = QFont(v.font())
        bold.setBold(True)
        bold_fm = QFontMetricsF(bold)
        if context is not None:
            width = bold_fm.horizontalAdvance(context)
            x = 4.0
            for tick_x, day in ticks:
                if tl.is_boundary_tick(step, day) and tick_x > 4:
                    x = min(x, tick_x + 3 - width - 10)
                    break
            taken.append((x, x + width))
            p.setFont(bold)
            p.setPen(c.text)
            p.drawText(QPointF(x, baseline), context)
        for boundary in (True, False):
            p.setFont(bold if boundary else v.font())
            fm = bold_fm if boundary else self.fm
            for tick_x, day in ticks:
                if tl.is_boundary_tick(step, day) != boundary:
                    continue
                x = round(tick_x) + 0.5
                p.setPen(QPen(c.stem, 1))
                p.drawLine(QLineF(x, y, x, y + 6))
                text = tl.tick_label(step, day)
                span = (tick_x + 3, tick_x + 3 + fm.horizontalAdvance(text))
                if any(a < span[1] + 6 and span[0] < b + 6 for a, b in taken):
                    continue
                taken.append(span)
                p.setPen(c.text if boundary or step.unit is not tl.TickUnit.DAYS else c.muted)
                p.drawText(QPointF(span[0], baseline), text)
        p.setFont(v.font())

    def points(self, points: list[int]) -> None:
        v, p, c = self.view, self.p, self.c
        placement, geometry, label_of = v._placement(), v._geometry, v._label_of
        rows, hidden = placement.rows, tl.HIDDEN
        s, dx, reach, bracket = self.s, self.dx, self.width + MARKER_R + 2, 2 * MARKER_R + 4
        labelled: list[tuple[int, QRectF]] = []
        markers: dict[tuple[int, int, bool], tl.EventGeometry] = {}
        for index in points:
            if index == v._selected:
                continue
            g = geometry[index]
            if rows[label_of[index]] != hidden:
                box = _label_box(v, placement, label_of[index], self.f)
                if box is not None:
                    labelled.append((index, box))
            x0, x1 = g.start * s + dx, g.end * s + dx
            if x1 < -MARKER_R - 2 or x0 > reach:
                continue
            if x1 - x0 > bracket:  # a bracket shows: one per on-screen span
                markers.setdefault((round(x0), round(x1), g.exact), g)
            else:  # dense zoom-outs: one marker of a kind per three pixels is enough
                markers.setdefault((int(g.anchor * s + dx) // 3, 0, g.exact), g)
        p.setPen(QPen(c.stem, 1))
        for index, box in labelled:
            x = round(self.x(geometry[index].anchor)) + 0.5
            p.drawLine(QLineF(x, self.dy - MARKER_R, x, box.bottom()))
        v._painted_labels = {}
        for index, box in labelled:
            self.label(index, box, selected=False)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for exact in (False, True):
            self.marker_style(c.marker, exact, selected=False)
            for g in markers.values():
                if g.exact == exact:
                    self.marker(g)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        if v._selected is not None:
            self.selected(v._selected, placement)

    def selected(self, index: int, placement: tl.LabelPlacement) -> None:
        """The selected event on top: its span marked on the axis, its label and marker."""
        v, p, c = self.view, self.p, self.c
        g = v._geometry[index]
        x0, x1 = self.x(g.start), self.x(g.end)
        axis_y = self.m.axis_y + self.dy
        p.fillRect(QRectF(x0 - 1, axis_y - 1, max(x1 - x0, 0) + 2, 3), c.accent)
        if g.is_period:
            return
        box = _label_box(v, placement, v._label_of[index], self.f)
        if box is not None:
            x = round(self.x(g.anchor)) + 0.5
            p.setPen(QPen(c.accent, 2))
            p.drawLine(QLineF(x, self.dy - MARKER_R, x, box.bottom()))
            self.label(index, box, selected=True)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self.marker_style(c.accent, g.exact, selected=True)
        self.marker(g, selected=True)

    def label(self, index: int, box: QRectF, selected: bool) -> None:
        v, p, c = self.view, self.p, self.c
        label = v._label_of[index]
        date, title, date_w = v._label_parts[label]
        p.fillRect(box, c.accent if selected else c.base)
        baseline = box.top() + (box.height() - self.m.text_h) / 2 + self.m.ascent
        p.setPen(c.accent_text if selected else c.muted)
        p.drawText(QPointF(box.left() + 5, baseline), date)
        p.setPen(c.accent_text if selected else c.text)
        p.drawText(QPointF(box.left() + 5 + date_w, baseline), title)
        v._painted_labels[v._items[index].id] = QRectF(box)

    def marker_style(self, colour: QColor, exact: bool, selected: bool) -> None:
        """A filled dot for a day; for a month or a year a hollow one (and a bracket)."""
        if exact:
            self.p.setPen(QPen(self.c.text if selected else self.c.base, 1.5))
            self.p.setBrush(colour)
        else:
            self.p.setPen(QPen(colour, 2 if selected else 1.5))
            self.p.setBrush(self.c.base)

    def marker(self, g: tl.EventGeometry, selected: bool = False) -> None:
        p, y, r = self.p, self.dy, MARKER_R + (1.5 if selected else 0)
        x = g.anchor * self.s + self.dx
        if not g.exact:
            x0, x1 = self.x(g.start), self.x(g.end)
            if x1 - x0 > 2 * MARKER_R + 4:  # wide enough to show the month or year it means
                p.drawLine(QLineF(x0 + 1, y, x1 - 1, y))
                p.drawLine(QLineF(x0 + 1, y - 4, x0 + 1, y + 4))
                p.drawLine(QLineF(x1 - 1, y - 4, x1 - 1, y + 4))
        p.drawEllipse(QPointF(x, y), r, r)


class _DetailStrip(QFrame):
    """The selected event as the article gives it: date, title, description, cards about it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timelineDetail")
        self.setAccessibleName("Selected event")
        self._heading = QLabel(self)
        self._heading.setTextFormat(Qt.TextFormat.PlainText)
        font = self._heading.font()
        font.setBold(True)
        self._heading.setFont(font)
        self._body = QLabel(self)
        self._body.setTextFormat(Qt.TextFormat.PlainText)
        self._body.setWordWrap(True)
        self._body.setMinimumHeight(self._body.fontMetrics().height())
        for label in (self._heading, self._body):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.setSpacing(1)
        layout.addWidget(self._heading)
        layout.addWidget(self._body)
        self.show_item(None)

    def show_item(self, item: TimelineItem | None) -> None:
        # The body keeps its line even when empty, so the view above never jumps in height.
        if item is None:
            self._heading.setText(HINT)
            self._body.setText(KEYS)
        else:
            cards = f"{item.card_count} card" + ("" if item.card_count == 1 else "s")
            self._heading.setText(f"{item.date_text} · {item.title} · {cards}")
            self._body.setText(item.description)
        self.setAccessibleDescription(self.text())

    def text(self) -> str:
        return "\n".join(t for t in (self._heading.text(), self._body.text()) if t)


class TimelinePane(QWidget):
    """Events and periods on a time axis; the main window embeds it and wires `eventSelected`."""

    eventSelected = Signal(str)

    def __init__(self, items: Sequence[TimelineItem], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timelinePane")
        self._view = TimelineView(self)
        self._strip = _DetailStrip(self)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self._strip, 1)
        for name, text, tip, slot in (
            ("timelineZoomOut", "−", "Zoom out (-)", self.zoom_out),
            ("timelineZoomIn", "+", "Zoom in (+)", self.zoom_in),
            ("timelineFitAll", "Fit all", "Fit all (Home)", self.fit_all),
        ):
            button = QToolButton(self)
            button.setObjectName(name)
            button.setText(text)
            button.setToolTip(tip)
            button.setAccessibleName(tip.split(" (")[0])
            button.clicked.connect(slot)
            bar.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self._view, 1)
        layout.addLayout(bar)
        self._view.selected.connect(self._on_selected)
        self.setFocusProxy(self._view)
        self.set_items(items)

    @property
    def view(self) -> TimelineView:
        return self._view

    def set_items(self, items: Sequence[TimelineItem]) -> None:
        self._items = {item.id: item for item in items}
        self._view.set_items(items)
        selected = self._view.selected_id()
        self._strip.show_item(self._items[selected] if selected else None)

    def select_event(self, event_id: str) -> bool:
        """Select, scroll to and describe an event, without emitting eventSelected."""
        return self._view.select_id(event_id, by_user=False)

    def selected_event_id(self) -> str | None:
        return self._view.selected_id()

    def fit_all(self) -> None:
        self._view.fit_all()

    def zoom_in(self) -> None:
        self._view.zoom_by(KEY_ZOOM)

    def zoom_out(self) -> None:
        self._view.zoom_by(1 / KEY_ZOOM)

    def detail_text(self) -> str:
        return self._strip.text()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Keys sent to the pane itself (not through focus on the view) act on the timeline too.
        if self._view.handle_key(event):
            event.accept()
        else:
            super().keyPressEvent(event)

    def _on_selected(self, event_id: str, by_user: bool) -> None:
        self._strip.show_item(self._items[event_id])
        if by_user:
            self.eventSelected.emit(event_id)
