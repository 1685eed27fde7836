"""The timeline's scene: the events measured and laid out for one font, indexed by their extents.

Scene x is days from `origin`, scene y pixels with 0 on the marker line. The scene holds no
items: sorted arrays (see index.py) answer "what lies in this rect" at the cost of what is
visible, and the view paints what they return (see paint.py).
Label rows come from a layout that is computed once per zoom step (see layout.py) and cached.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPointF, QRectF
from PySide6.QtGui import QFont, QFontMetricsF
from PySide6.QtWidgets import QGraphicsScene

from studyapp.ui.timeline import layout as tl
from studyapp.ui.timeline.index import TimelineIndex
from studyapp.ui.timeline.text_widths import TextWidths

if TYPE_CHECKING:
    from studyapp.storage.pane_values import TimelineItem

MAX_TITLE_PX = 240.0  # longer titles are elided in the label (the strip shows them whole)
MIN_TITLE_PX = 48.0  # a label cut short at the end of the timeline shows at least this much title
LABEL_GAP = 8.0
MARKER_R = 5.0


def _metrics(font: QFont) -> tl.Metrics:
    fm = QFontMetricsF(font)
    return tl.Metrics.for_text(math.ceil(fm.height()), fm.ascent(), MARKER_R)


def _fitted_title(widths: TextWidths, title: str) -> tuple[str, float]:
    """`title` as a label shows it, elided to MAX_TITLE_PX, and its width."""
    return widths.fitted(title, MAX_TITLE_PX)


def _open_title_room(
    periods: Sequence[tl.EventGeometry], lanes: dict[int, int], last: float
) -> dict[int, float]:
    """For each open-ended period, where the next band in its lane starts (or the end)."""
    room: dict[int, float] = {}
    by_lane = sorted(periods, key=lambda g: (lanes[g.index], g.start))
    for k, g in enumerate(by_lane):
        if not g.open_end:
            continue
        following = by_lane[k + 1] if k + 1 < len(by_lane) else None
        if following is not None and lanes[following.index] == lanes[g.index]:
            room[g.index] = following.start
        else:
            room[g.index] = last
    return room


def _zoom_step(scale: float) -> int:
    """Zoom steps of 2 ** (1/8): label placements are cached per step."""
    return math.floor(math.log2(scale) * 8 + 1e-9)


class TimelineScene(QGraphicsScene):
    """Where every event lies and how its label reads; the view owns zoom, scroll and selection.

    Events are referred to by their index in `events`; point events also by their label number
    (`label_of`), which indexes `anchors`, `widths` and `label_parts`.
    """

    def __init__(self, font: QFont, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.events: list[TimelineItem] = []
        self.geometry: list[tl.EventGeometry] = []
        self.order: list[int] = []  # event indices by date
        self.rank: dict[int, int] = {}  # event index -> its place in `order`
        self.ids: dict[str, int] = {}
        self.label_of: dict[int, int] = {}
        self.label_event: list[int] = []
        self.anchors: list[float] = []
        self.widths: list[float] = []  # full labels
        self.short_widths: list[float] = []  # the date alone
        self.least_widths: list[float] = []  # cut short, with MIN_TITLE_PX of the title
        self.label_parts: list[tuple[str, str, float]] = []  # (date, title, date width)
        self.lanes: dict[int, int] = {}
        self.lane_count = 0
        # An open-ended period's title may run on past its fading band, up to the next band in
        # its lane (scene x), so that it reads at every zoom.
        self.title_room: dict[int, float] = {}
        self.origin = 0
        self.x_range = (0.0, 1.0)
        self.rows = 1
        self._placements: dict[tuple[int, int, int | None], tl.LabelPlacement] = {}
        self._elided: dict[tuple[int, float], str] = {}  # (label, width) -> title cut short
        self.index = TimelineIndex([], {})
        self.measure(font)

    def set_events(self, items: Sequence[TimelineItem], font: QFont) -> None:
        """Lay out `items` afresh (the scene rect waits for `fit_rows`)."""
        self.events = list(items)
        self.origin = min((i.start.first_day().toordinal() for i in items), default=0)
        if not items:
            self.origin = dt.date.today().toordinal()
        self.geometry = [tl.event_geometry(n, i, self.origin) for n, i in enumerate(self.events)]
        self.order = tl.date_order(self.events)
        self.rank = {index: rank for rank, index in enumerate(self.order)}
        self.ids = {item.id: n for n, item in enumerate(self.events)}
        points = [g for g in self.geometry if not g.is_period]
        periods = [g for g in self.geometry if g.is_period]
        self.label_event = [g.index for g in points]
        self.label_of = {index: n for n, index in enumerate(self.label_event)}
        self.anchors = [g.anchor for g in points]
        lanes = tl.assign_lanes([(g.start, g.end) for g in periods])
        self.lanes = {g.index: lane for g, lane in zip(periods, lanes, strict=True)}
        self.lane_count = max(lanes, default=-1) + 1
        first = min((g.start for g in self.geometry), default=0.0)
        last = max((g.end for g in self.geometry), default=366.0)
        margin = max((last - first) * 0.03, 20.0)
        self.x_range = (first - margin, last + margin)
        self.title_room = _open_title_room(periods, self.lanes, self.x_range[1])
        self.index = TimelineIndex(self.geometry, self.lanes)
        self.measure(font)

    def measure(self, font: QFont) -> None:
        """Label texts and widths, vertical metrics and tick spacing for `font`."""
        widths = self._text_widths = TextWidths(font)
        fm = widths.metrics
        self.metrics = _metrics(font)
        self.label_parts, self.widths, self.short_widths, self.least_widths = [], [], [], []
        # Many events share a date and some a title: each distinct text is measured once.
        dates: dict[str, tuple[str, float, int]] = {}  # label -> (text, width, alone)
        titles: dict[str, tuple[str, float]] = {}  # title -> (as shown, width)
        for index in self.label_event:
            item = self.events[index]
            date_label = item.start.short_label()
            measured_date = dates.get(date_label)
            if measured_date is None:
                date = date_label + "  "
                alone = math.ceil(widths.width(date.rstrip()) + 10)
                measured_date = dates[date_label] = (date, widths.width(date), alone)
            date, date_w, alone = measured_date
            measured_title = titles.get(item.title)
            if measured_title is None:
                measured_title = titles[item.title] = _fitted_title(widths, item.title)
            title, title_w = measured_title
            self.label_parts.append((date, title, date_w))
            self.widths.append(math.ceil(date_w + title_w + 10))
            self.short_widths.append(alone)
            self.least_widths.append(math.ceil(date_w + min(title_w, MIN_TITLE_PX) + 10))
        self.max_label_w = max(self.widths, default=0.0)
        self.tick_spacing = {
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
        self._elided.clear()

    def fit_rows(self, width: float, height: float) -> None:
        """Label rows for a viewport of this size, and the scene rect to suit. Labels get the
        rows they use with all in view (where they are most crowded), as far as the height
        allows with LANES_KEPT lanes still in view (later lanes then scroll); and never fewer
        than fit above all the lanes (up to four), which leaves room to reveal a selection."""
        m, lanes = self.metrics, self.lane_count
        least = m.rows_for(height, min(lanes, 4))
        self.rows = max(least, m.rows_for(height, min(lanes, tl.LANES_KEPT)))
        left, right = self.x_range
        scale = max(width, 1.0) / (right - left)
        fitted = self.placement(scale, None)
        rows = max(least, fitted.rows_used)
        if rows < self.rows:
            # Laid out greedily in fewer rows, but no fewer than it used, it comes out the same.
            self.rows = rows
            self._placements[(_zoom_step(scale), rows, None)] = replace(fitted, row_count=rows)
        top = m.top_extent(self.rows)
        height = top + m.bottom_extent(lanes)
        self.setSceneRect(QRectF(left, -top, right - left, height))

    def indexed(self, rect: QRectF, periods: bool) -> list[int]:
        """The events of one kind whose extent meets `rect` (scene units), in index order: a
        point's from the top label row to its marker, a period's its band in its lane."""
        index, m = self.index, self.metrics
        if periods:
            first = math.floor((rect.top() - m.lanes_y - m.lane_h) / m.lane_pitch)
            last = math.floor((rect.bottom() - m.lanes_y) / m.lane_pitch)
            return index.periods_meeting(rect.left(), rect.right(), range(first, last + 1))
        if rect.bottom() < -m.top_extent(tl.MAX_ROWS) or rect.top() > MARKER_R:
            return []
        return index.points_meeting(rect.left(), rect.right())

    # -- label rows and what lies where in the viewport -------------------------------------

    def placement(self, scale: float, selected: int | None) -> tl.LabelPlacement:
        """Label rows for the zoom step of `scale`, revealing event `selected`'s label: computed
        at the step's lower scale, so they stay free of overlap at every scale within the step;
        cached per step."""
        step = _zoom_step(scale)
        label = self.label_of.get(selected) if selected is not None else None
        key = (step, self.rows, label)
        placement = self._placements.get(key)
        if placement is None:
            base_key = (step, self.rows, None)
            placement = self._placements.get(base_key)
            if placement is None:
                if len(self._placements) > 64:
                    self._placements.clear()
                placement = tl.place_labels(
                    self.anchors,
                    self.widths,
                    self.short_widths,
                    scale=min(2 ** (step / 8), scale),
                    bounds=self.x_range,
                    row_count=self.rows,
                    gap=LABEL_GAP,
                    marker_r=MARKER_R,
                    least_widths=self.least_widths,
                )
                self._placements[base_key] = placement
            if label is not None:
                placement = tl.reveal_label(
                    placement, label, self.anchors, self.widths, self.short_widths, self.max_label_w
                )
            self._placements[key] = placement
        return placement

    def elided_title(self, label: int, width: float) -> str:
        """Label `label`'s title cut short to fit a label `width` pixels wide (as measured)."""
        key = (label, width)
        title = self._elided.get(key)
        if title is None:
            if len(self._elided) > 256:  # a few labels at the end of the timeline per zoom step
                self._elided.clear()
            _, full, date_w = self.label_parts[label]
            room = width - date_w - 10
            title = self._text_widths.elided(full, room)
            self._elided[key] = title
        return title

    def label_box(self, placement: tl.LabelPlacement, label: int, f: tl.Frame) -> QRectF | None:
        """The viewport rect of point label `label`, or None while it is hidden."""
        row = placement.rows[label]
        if row == tl.HIDDEN:
            return None
        left, right = placement.interval(label, self.anchors[label], f.scale)
        m = self.metrics
        bottom = m.row_bottom(row) + f.marker_y
        return QRectF(left + f.dx, bottom - m.row_h, right - left, m.row_h)

    def marker_rect(self, index: int, f: tl.Frame) -> QRectF:
        """The viewport rect of an event's band (a period) or marker, with the bracket over
        the month or year that a point known only that precisely spans."""
        g = self.geometry[index]
        x0, x1 = f.x(g.start), f.x(g.end)
        if g.is_period:
            lane_y = self.metrics.lanes_y + self.lanes[index] * self.metrics.lane_pitch
            return QRectF(x0, lane_y + f.lanes_dy, x1 - x0, self.metrics.lane_h)
        x = f.x(g.anchor)
        marker = QRectF(x - MARKER_R, f.marker_y - MARKER_R, 2 * MARKER_R, 2 * MARKER_R)
        if g.exact:
            return marker
        return marker.united(QRectF(x0, marker.top(), x1 - x0, marker.height()))

    def event_at(self, pos: QPointF, f: tl.Frame, placement: tl.LabelPlacement) -> int | None:
        """The event whose marker, label or band is under viewport point `pos`."""
        x = (pos.x() - f.dx) / f.scale
        if pos.y() >= f.lanes_top:
            for index in self.indexed(QRectF(x, pos.y() - f.lanes_dy, 0.01, 0.01), True):
                if self.marker_rect(index, f).contains(pos):
                    return index
        reach = (self.max_label_w + MARKER_R + 4) / f.scale
        y = pos.y() - f.marker_y
        best: tuple[int, float, int] | None = None
        for index in self.indexed(QRectF(x - reach, y - 4, 2 * reach, 8), periods=False):
            marker = self.marker_rect(index, f).adjusted(-3, -3, 3, 3)
            if marker.contains(pos):
                candidate = (0, abs(f.x(self.geometry[index].anchor) - pos.x()), index)
            else:
                box = self.label_box(placement, self.label_of[index], f)
                if box is None or not box.contains(pos):
                    continue
                candidate = (1, 0.0, index)
            if best is None or candidate < best:
                best = candidate
        return None if best is None else best[2]
