"""The timeline's view: the time axis zoomed and panned, the selection, and keys, mouse and pinch.

Only the time axis zooms: the transform scales x alone, and the view paints what the scene's
index returns for the exposed rect in device pixels (see paint.py), so markers and labels
keep their size. What lies where comes from the scene (see scene.py).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QPainter,
    QResizeEvent,
    QTransform,
)
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsView,
    QWidget,
)

from studyapp.ui.timeline import layout as tl
from studyapp.ui.timeline.memory import EventCards, EventMemory
from studyapp.ui.timeline.paint import (
    RING,
    TimelineColours,
    TimelinePainter,
    paint_background,
    paint_focus_ring,
)
from studyapp.ui.timeline.scene import MARKER_R, TimelineScene
from studyapp.ui.timeline.view_input import TimelineInput

if TYPE_CHECKING:
    from studyapp.storage.pane_values import TimelineItem

MAX_PX_PER_DAY = 200.0


class TimelineView(TimelineInput):
    """The time axis itself. Emits `selected(id, by_user)` whenever the current event changes
    and `selectionChanged()` whenever the set of selected events does (Ctrl+click and
    Ctrl+arrows select more than one)."""

    selected = Signal(str, bool)
    selectionChanged = Signal()

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
        font = self.font()
        font.setKerning(False)  # so that label widths add up from each character's (text_widths)
        self.setFont(font)
        self._scene = TimelineScene(self.font(), self)
        self.setScene(self._scene)
        self._scale = 1.0
        self._fitted = True
        self._selected: int | None = None  # an index into the scene's events: the current one
        self._also: list[int] = []  # the other selected events, in the order they were chosen
        self._painted_labels: dict[str, QRectF] = {}
        self._painted_texts: dict[str, str] = {}
        self._painted_markers = 0
        self._press: QPointF | None = None
        self._dragging = False
        self._hues: Mapping[str, int] = {}  # article id -> hue, when several articles show
        self._event_colours: list[TimelineColours] = []
        self._memory = EventMemory()  # the memory map
        self._refresh_style()

    # -- data -----------------------------------------------------------------------------

    def set_items(
        self, items: Sequence[TimelineItem], hues: Mapping[str, int] | None = None
    ) -> None:
        """Show these events; with hues (article id -> hue), each article's in its colour."""
        selected_id = self.selected_id()
        also = [self._scene.events[index].id for index in self._also]
        self._scene.set_events(items, self.font())
        self._selected = self._scene.ids.get(selected_id) if selected_id else None
        self._also = [self._scene.ids[i] for i in also if i in self._scene.ids]
        self._hues = dict(hues or {})
        self._colour_events()
        self._fit_rows()
        self._memory.recolour(self._event_ids(), self.palette())
        self.fit_all()

    def event_colours(self) -> dict[str, TimelineColours]:
        """The colours each event is drawn in, by id (none when one article shows)."""
        return {item.id: c for item, c in zip(self._scene.events, self._event_colours, strict=True)}

    def _colour_events(self) -> None:
        if not self._hues:
            self._event_colours = []
            return
        by_article = {article: self._colours.for_hue(hue) for article, hue in self._hues.items()}
        self._event_colours = [
            by_article.get(item.article_id, self._colours) for item in self._scene.events
        ]

    # -- the memory map -------------------------------------------------------------------

    def set_memory_map(
        self, events: EventCards | None, touched: Collection[str] | None = None
    ) -> None:
        """Colour each event by its cards' recall now (None: the memory map is off); touched:
        only these events moved (an answer), so only they are coloured again, and the view is
        painted again only if one of them shows (a paint of 10,000 events costs tens of ms)."""
        changed = self._memory.set(
            events, touched, self._scene.ids, self._event_ids(), self.palette()
        )
        if changed is None:
            self.viewport().update()
            return
        frame, shown = self._frame(), QRectF(self.viewport().rect())
        for index in changed:
            area = self._scene.marker_rect(index, frame).adjusted(-3, -3, 3, 3)
            if area.intersects(shown):
                self.viewport().update(area.toAlignedRect())

    def memory_mark(self, event_id: str) -> QColor | None:
        """The event's memory-map colour (None: no cards, or the map is off)."""
        return self._memory.mark(self._scene.ids.get(event_id))

    def memory_tip(self, event_id: str) -> str:
        return self._memory.tip(event_id)

    def _event_ids(self) -> list[str]:
        return [event.id for event in self._scene.events]

    # -- selection ------------------------------------------------------------------------

    def selected_id(self) -> str | None:
        return None if self._selected is None else self._scene.events[self._selected].id

    def selected_ids(self) -> tuple[str, ...]:
        """Every selected event, in the order chosen (the current one last)."""
        chosen = [*self._also, *([] if self._selected is None else [self._selected])]
        return tuple(self._scene.events[index].id for index in chosen)

    def select_id(self, event_id: str, by_user: bool = False) -> bool:
        index = self._scene.ids.get(event_id)
        if index is None:
            return False
        self._select(index, by_user)
        return True

    def clear_selection(self) -> None:
        if self._selected is not None or self._also:
            self._selected = None
            self._also = []
            self.viewport().update()
            self.selectionChanged.emit()

    def _select(self, index: int, by_user: bool, also: Sequence[int] = ()) -> None:
        """Make `index` the current event, with `also` selected besides it."""
        changed = index != self._selected
        kept = [other for other in dict.fromkeys(also) if other != index]
        moved = changed or kept != self._also
        self._selected, self._also = index, kept
        self._scroll_into_view(index)
        self.viewport().update()
        if changed:
            self.selected.emit(self._scene.events[index].id, by_user)
        if moved:
            self.selectionChanged.emit()

    def _toggle(self, index: int) -> None:
        """Ctrl+click: add an event to the selection (it becomes the current one), or take
        it out (the one chosen before it becomes current)."""
        if index == self._selected:
            if self._also:
                self._select(self._also[-1], True, self._also[:-1])
            else:
                self.clear_selection()
        elif index in self._also:
            self._also.remove(index)
            self.viewport().update()
            self.selectionChanged.emit()
        else:
            current = [] if self._selected is None else [self._selected]
            self._select(index, True, [*self._also, *current])

    def _extend(self, step: int) -> None:
        """Ctrl+Left/Right: keep the first event selected and move the second along (a pair
        chosen from the keyboard)."""
        if self._selected is None:
            self._step_selection(step)
            return
        anchor = self._also or [self._selected]
        order = self._scene.order
        rank = min(max(self._scene.rank[self._selected] + step, 0), len(order) - 1)
        if order[rank] != self._selected:
            self._select(order[rank], True, anchor)

    def _step_selection(self, step: int) -> None:
        order, geometry = self._scene.order, self._scene.geometry
        if not order:
            return
        if self._selected is None:
            left, right = self._visible_x()
            if step > 0:
                ranks = [r for r, i in enumerate(order) if geometry[i].end >= left]
                rank = ranks[0] if ranks else 0
            else:
                ranks = [r for r, i in enumerate(order) if geometry[i].start <= right]
                rank = ranks[-1] if ranks else len(order) - 1
        else:
            rank = min(max(self._scene.rank[self._selected] + step, 0), len(order) - 1)
        self._select(order[rank], by_user=True)

    def _scroll_into_view(self, index: int) -> None:
        g, s = self._scene.geometry[index], self._scale
        if g.is_period:
            start, end = g.start, g.end
            frame = self._frame()
            band = self._scene.marker_rect(index, frame)
            bar = self.verticalScrollBar()
            if band.top() < frame.lanes_top:
                bar.setValue(bar.value() - round(frame.lanes_top - band.top()) - 2)
            elif band.bottom() > self.viewport().height():
                bar.setValue(bar.value() + round(band.bottom() - self.viewport().height()) + 2)
        else:
            left, right = self._placement().interval(self._scene.label_of[index], g.anchor, s)
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
        left, right = self._scene.x_range
        return max(self.viewport().width(), 1) / (right - left)

    def _max_scale(self) -> float:
        left, right = self._scene.x_range
        return max(min(MAX_PX_PER_DAY, 1e9 / (right - left)), self._min_scale())

    def fit_all(self) -> None:
        self._set_scale(self._min_scale(), force=True)
        self.horizontalScrollBar().setValue(self.horizontalScrollBar().minimum())
        self._fitted = True

    def zoom_by(self, factor: float, pointer: float | None = None) -> None:
        """Zoom the time axis by `factor` around the selected event while it is in view (then
        a point's label is kept in view too), else around viewport x `pointer` (the mouse or
        fingers), else around the middle."""
        anchor = around_selection = self._selection_x()
        if anchor is None:
            anchor = self.viewport().width() / 2 if pointer is None else pointer
        at = (anchor - self.viewportTransform().dx()) / self._scale
        if not self._set_scale(self._scale * factor):
            return
        self.horizontalScrollBar().setValue(round(at * self._scale - anchor))
        self._fitted = math.isclose(self._scale, self._min_scale())
        point = self._selected if around_selection is not None else None
        if point is not None and not self._fitted and not self._scene.geometry[point].is_period:
            self._scroll_into_view(point)  # its label too

    def _selection_x(self) -> float | None:
        """Viewport x of the selected event, if it is in view: a point's marker, or the
        point of a period's band nearest the middle."""
        if self._selected is None:
            return None
        g, f, width = self._scene.geometry[self._selected], self._frame(), self.viewport().width()
        if g.is_period:
            start, end = f.x(g.start), f.x(g.end)
            return min(max(width / 2, start), end) if end >= 0 and start <= width else None
        x = f.x(g.anchor)
        return x if 0 <= x <= width else None

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
        lanes_top = marker_y + self._scene.metrics.lanes_y - 3
        return tl.Frame(t.m11(), t.dx(), marker_y, t.dy(), lanes_top)

    def _placement(self) -> tl.LabelPlacement:
        return self._scene.placement(self._scale, self._selected)

    def _visible_x(self) -> tuple[float, float]:
        dx = self.viewportTransform().dx()
        return -dx / self._scale, (self.viewport().width() - dx) / self._scale

    def visible_days(self) -> float:
        """How many days the viewport shows."""
        left, right = self._visible_x()
        return right - left

    def _fit_rows(self) -> None:
        rows = self._scene.rows
        self._scene.fit_rows(self.viewport().width(), self.viewport().height())
        if self._scene.rows != rows:  # the lanes move: show them from the first again
            self.verticalScrollBar().setValue(self.verticalScrollBar().minimum())

    def tick_step(self) -> tl.TickStep:
        return tl.choose_tick_step(self._scale, self._scene.tick_spacing)

    def marker_rect(self, event_id: str) -> QRectF:
        """The viewport rect of an event's band (a period) or marker, with the bracket over
        the month or year that a point known only that precisely spans."""
        return self._scene.marker_rect(self._scene.ids[event_id], self._frame())

    def x_for_day(self, day: dt.date) -> float:
        """Viewport x where `day` begins."""
        t = self.viewportTransform()
        return tl.day_x(day, self._scene.origin) * t.m11() + t.dx()

    def label_text(self, event_id: str) -> str:
        """A point event's label: its date as precisely as it is known, then its title."""
        scene = self._scene
        date, title, _ = scene.label_parts[scene.label_of[scene.ids[event_id]]]
        return date + title

    def painted_label_rects(self) -> dict[str, QRectF]:
        """Viewport rects of the point labels drawn by the last paint."""
        return dict(self._painted_labels)

    def painted_label_texts(self) -> dict[str, str]:
        """The text of each point label drawn by the last paint (full, or the date alone)."""
        return dict(self._painted_texts)

    def painted_marker_count(self) -> int:
        """How many unselected markers the last paint drew (events on one spot share one)."""
        return self._painted_markers

    # -- painting -------------------------------------------------------------------------

    def _refresh_style(self) -> None:
        self._colours = TimelineColours.from_palette(self.palette())
        self._colour_events()
        if hasattr(self, "_memory"):
            self._memory.recolour(self._event_ids(), self.palette())
        self.resetCachedContent()
        self.viewport().update()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if not hasattr(self, "_colours"):
            return  # still being built
        if event.type() == QEvent.Type.PaletteChange:
            self._refresh_style()
        elif event.type() == QEvent.Type.FontChange:
            self.set_items(self._scene.events, self._hues)

    def drawBackground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        paint_background(painter, QRectF(rect), self._scene, self._colours, self.tick_step())

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        rect, scene = QRectF(rect), self._scene
        frame = self._frame()
        painter.save()
        painter.resetTransform()  # paint in device pixels; lines are pixel-aligned, no AA
        painter.setFont(self.font())
        if not scene.events:
            painter.setPen(self._colours.muted)
            painter.drawText(
                QRectF(self.viewport().rect()), Qt.AlignmentFlag.AlignCenter, "No events"
            )
        reach = (scene.max_label_w + MARKER_R + 2) / self._scale
        left, right = rect.left() - reach, rect.right() + reach
        lanes_top = frame.lanes_top - frame.lanes_dy
        lanes = QRectF(left, lanes_top, right - left, self.viewport().height() - frame.lanes_top)
        periods = scene.indexed(lanes, periods=True)
        paint = TimelinePainter(
            painter,
            scene,
            frame,
            self._colours,
            font=self.font(),
            size=self.viewport().size(),
            selection=self._selected,
            also=frozenset(self._also),
            placement=self._placement(),
            step=self.tick_step(),
            event_colours=self._event_colours,
            marks=self._memory.marks,
        )
        self._painted_labels = paint.paint(periods, (left, right))
        self._painted_texts = paint.painted_text
        self._painted_markers = paint.markers_painted
        painter.restore()

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.Paint:
            paint_focus_ring(self, self._colours)
        return handled

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_rows()
        if self._fitted or self._scale < self._min_scale():
            self.fit_all()
