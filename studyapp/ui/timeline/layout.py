"""Layout maths for the timeline pane, free of Qt so it can be tested and reasoned about alone.

Scene x is measured in days from an origin day; the view scales it to pixels. Everything here
works on plain numbers: where an event sits, which lane a period takes, how tall rows and lanes
are. Which row a label takes (or whether it is hidden) at a given zoom is in labels.py, and
which axis ticks suit a zoom in axis.py; both are re-exported here.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from studyapp.content.dates import HistoricalDate, Precision
from studyapp.ui.timeline.axis import (
    TICK_STEPS,
    TickStep,
    TickUnit,
    choose_tick_step,
    context_label,
    is_boundary_tick,
    minor_tick_step,
    tick_days,
    tick_label,
)
from studyapp.ui.timeline.labels import (
    HIDDEN,
    MAX_ROWS,
    STEM_CLEARANCE,
    LabelPlacement,
    label_interval,
    place_labels,
    reveal_label,
)

if TYPE_CHECKING:
    from studyapp.storage.pane_values import TimelineItem

__all__ = [  # the axis and label names too: callers need one import for the layout
    "HIDDEN",
    "LANES_KEPT",
    "MAX_ROWS",
    "OPEN_END_DAYS",
    "STEM_CLEARANCE",
    "TICK_STEPS",
    "EventGeometry",
    "Frame",
    "LabelPlacement",
    "Metrics",
    "TickStep",
    "TickUnit",
    "assign_lanes",
    "choose_tick_step",
    "context_label",
    "date_order",
    "day_x",
    "event_geometry",
    "is_boundary_tick",
    "label_interval",
    "minor_tick_step",
    "place_labels",
    "reveal_label",
    "tick_days",
    "tick_label",
    "x_day",
]

# An open-ended period (no end stated) fades out over this many days after its start: room to
# see it fade and to read its title, at no date that could be taken for its end.
OPEN_END_DAYS = 730.0
LANES_KEPT = 2  # label rows may push later period lanes out of view (they scroll), never these


@dataclass(frozen=True)
class EventGeometry:
    """Where one event lies on the time axis, in days from the origin; end bounds are exclusive."""

    index: int  # position in the items as given
    start: float  # first day the event may mean
    end: float  # day after the last day it may mean
    anchor: float  # where a point event's marker (and label) sits
    solid_start: float  # a period is certain from here ...
    solid_end: float  # ... to here; the rest of [start, end) is a soft, uncertain end
    is_period: bool
    exact: bool  # a point event known to the day
    open_end: bool = False  # a period whose end the source does not state: it fades out


@dataclass(frozen=True)
class Metrics:
    """Vertical layout in pixels with y = 0 on the marker line: label rows above it; below it
    the axis, then the period lanes. Only the number of label rows depends on the height."""

    text_h: float
    ascent: float
    marker_r: float
    stem: float  # the least stem between a marker and the lowest label row
    row_h: float
    row_pitch: float
    axis_y: float
    lanes_y: float
    lane_h: float
    lane_pitch: float

    @classmethod
    def for_text(cls, text_h: float, ascent: float, marker_r: float) -> Metrics:
        # Compact: 2 px between rows and lanes, so a short pane still shows four label rows.
        row_h, axis_y = text_h + 3, marker_r + 7
        return cls(
            text_h, ascent, marker_r, 6, row_h, row_h + 2, axis_y, axis_y + text_h + 9, row_h,
            row_h + 2,
        )  # fmt: skip

    def row_bottom(self, row: int) -> float:
        return -self.marker_r - self.stem - row * self.row_pitch

    def top_extent(self, rows: int) -> float:
        return self.marker_r + self.stem + rows * self.row_pitch

    def bottom_extent(self, lanes: int) -> float:
        return self.lanes_y + lanes * self.lane_pitch

    def rows_for(self, height: float, lanes: int) -> int:
        """As many label rows as fit above the axis and `lanes` lanes (at least one row)."""
        room = height - self.bottom_extent(lanes) - self.top_extent(0)
        return max(1, min(MAX_ROWS, int(room // self.row_pitch)))


@dataclass(frozen=True)
class Frame:
    """Scene-to-viewport offsets for one paint. Label rows, markers and the axis stay put
    (`marker_y`); only the period lanes scroll vertically (`lanes_dy`) beneath them."""

    scale: float
    dx: float
    marker_y: float
    lanes_dy: float
    lanes_top: float  # viewport y above which lanes are hidden under the axis

    def x(self, scene_x: float) -> float:
        return scene_x * self.scale + self.dx


def day_x(day: dt.date, origin: int) -> float:
    return float(day.toordinal() - origin)


def x_day(x: float, origin: int) -> dt.date:
    """The day containing scene x, clamped to the dates Python can represent."""
    ordinal = min(max(int(x // 1) + origin, 1), dt.date.max.toordinal())
    return dt.date.fromordinal(ordinal)


def _span(date: HistoricalDate, origin: int) -> tuple[float, float]:
    return day_x(date.first_day(), origin), day_x(date.last_day(), origin) + 1.0


def event_geometry(index: int, item: TimelineItem, origin: int) -> EventGeometry:
    """A point spans the whole day, month or year its date names; a period runs from the first
    day its start may mean to the last day its end may mean, certain only where both are known.
    An open-ended period is certain nowhere after its start: it fades over OPEN_END_DAYS.
    """
    start, start_end = _span(item.start, origin)
    if item.open_end:
        solid = start if item.start.precision is Precision.DAY else start_end
        end = start_end + OPEN_END_DAYS
        return EventGeometry(index, start, end, start, solid, solid, True, False, open_end=True)
    if item.end is None:
        exact = item.start.precision is Precision.DAY
        return EventGeometry(
            index, start, start_end, (start + start_end) / 2, start, start_end, False, exact
        )
    end_start, end = _span(item.end, origin)
    end = max(end, start_end)
    solid_start = start_end if item.start.precision is not Precision.DAY else start
    solid_end = end_start if item.end.precision is not Precision.DAY else end
    solid_end = max(solid_end, solid_start)
    return EventGeometry(index, start, end, start, solid_start, solid_end, True, False)


def date_order(items: Sequence[TimelineItem]) -> list[int]:
    """Indices of the items in date order: by first possible day, then id."""
    return sorted(range(len(items)), key=lambda i: (items[i].start.first_day(), items[i].id))


def assign_lanes(spans: Sequence[tuple[float, float]]) -> list[int]:
    """Give each [start, end) span the lowest lane free at its start, so no two in a lane
    overlap; O(n log n). Spans are taken in start order, ties in the order given."""
    lanes = [0] * len(spans)
    busy: list[tuple[float, int]] = []  # (end, lane)
    free: list[int] = []
    lane_count = 0
    for i in sorted(range(len(spans)), key=lambda i: spans[i][0]):
        start, end = spans[i]
        while busy and busy[0][0] <= start:
            heapq.heappush(free, heapq.heappop(busy)[1])
        if free:
            lane = heapq.heappop(free)
        else:
            lane, lane_count = lane_count, lane_count + 1
        lanes[i] = lane
        heapq.heappush(busy, (end, lane))
    return lanes
