"""Layout maths for the timeline pane, free of Qt so it can be tested and reasoned about alone.

Scene x is measured in days from an origin day; the view scales it to pixels. Everything here
works on plain numbers: where an event sits, which lane a period takes, which row a label takes
(or whether it is hidden) at a given zoom. Which axis ticks suit a zoom is in axis.py,
re-exported here.
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property

from studyapp.content.dates import HistoricalDate, Precision
from studyapp.storage.queries import TimelineItem
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

__all__ = [  # the axis names too, so callers need one import for the time axis
    "HIDDEN",
    "LANES_KEPT",
    "MAX_ROWS",
    "OPEN_END_DAYS",
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

HIDDEN = -1  # the row of a label that has no room at this zoom
# An open-ended period (no end stated) fades out over this many days after its start: room to
# see it fade and to read its title, at no date that could be taken for its end.
OPEN_END_DAYS = 730.0
MAX_ROWS = 12  # label rows at most, however tall the pane
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


@dataclass(frozen=True)
class LabelPlacement:
    """Rows for point labels laid out at one zoom; valid at that zoom and any closer one.

    A label starts at its marker and runs right, or ends at its marker (flipped) where it would
    run off the end of the timeline or where that leaves room for the labels after it. A flipped
    label never covers another marker: read from its left end, it would name the wrong one. A
    label with no room in full shows its date alone (short) before it is hidden. Pixel intervals
    grow apart when zooming in, so a placement made at scale s never overlaps at a scale >= s.
    """

    scale: float  # pixels per day this was computed at
    rows: tuple[int, ...]  # per label, HIDDEN or 0 (next to the markers) upwards
    flipped: tuple[bool, ...]
    short: tuple[bool, ...]  # the date alone
    widths: tuple[float, ...]  # in pixels, as shown (full or short)
    order: tuple[int, ...]  # label indices by anchor
    xs: tuple[float, ...]  # anchors in pixels at `scale`, in `order`
    row_count: int
    gap: float
    bounds: tuple[float, float]  # the timeline's ends in scene x: no label runs past them

    @property
    def rows_used(self) -> int:
        return max(self.rows, default=HIDDEN) + 1

    @cached_property
    def shown(self) -> tuple[list[int], list[float]]:
        """The labels shown (not HIDDEN) by anchor, and their anchors in pixels at `scale`:
        a paint looks up the few near the viewport by bisection."""
        rows = self.rows
        ranks = [k for k, label in enumerate(self.order) if rows[label] != HIDDEN]
        return [self.order[k] for k in ranks], [self.xs[k] for k in ranks]

    def interval(self, label: int, anchor: float, scale: float) -> tuple[float, float]:
        """Where label `label` (whose marker is at scene x `anchor`) lies at `scale`."""
        return label_interval(anchor, self.widths[label], self.flipped[label], scale)


def label_interval(anchor: float, width: float, flipped: bool, scale: float) -> tuple[float, float]:
    x = anchor * scale
    return (x - width, x) if flipped else (x, x + width)


def place_labels(
    anchors: Sequence[float],
    widths: Sequence[float],
    short_widths: Sequence[float],
    *,
    scale: float,
    bounds: tuple[float, float],
    row_count: int,
    gap: float,
    marker_r: float,
) -> LabelPlacement:
    """Stack labels greedily, by marker from left to right, each in the lowest row whose last
    label ends `gap` pixels before it starts; O(n log n + n * rows).

    Each label tries its full text, then its date alone. It runs right from its marker where it
    can; where that would cover the next markers and ending at its own marker covers none, it
    is flipped instead, leaving the row free for the labels just after it. A label with no room
    at all may shorten the last label of a row to make some; failing that it is hidden.
    """
    n = len(anchors)
    by_anchor = sorted(range(n), key=anchors.__getitem__)
    xs = [anchors[i] * scale for i in by_anchor]
    low, high = bounds[0] * scale, bounds[1] * scale
    rows, flipped, short = [HIDDEN] * n, [False] * n, [False] * n
    shown = list(widths)
    inf = float("inf")
    row_ends = [-inf] * row_count
    row_last = [-1] * row_count  # the label that ends each row
    shrunk_ends = [inf] * row_count  # where each row would end were its last label shortened
    # No label starting left of free_from fits in any row, nor one at x < shrink_from even by
    # shortening another: in a dense zoom-out most labels stop at these two comparisons.
    free_from = -inf if row_count else inf
    shrink_from, shrink_stale = inf, False

    def lowest_row(left: float) -> int:
        for row in range(row_count):
            if row_ends[row] + gap <= left:
                return row
        raise AssertionError("lowest_row called with left < free_from")

    def take(i: int, x: float, row: int, width: float, is_short: bool, is_flipped: bool) -> None:
        nonlocal free_from, shrink_stale
        rows[i], shown[i], short[i], flipped[i] = row, width, is_short, is_flipped
        was_lowest = row_ends[row] + gap == free_from
        row_ends[row], row_last[row] = (x if is_flipped else x + width), i
        shrunk_ends[row] = inf if is_short or is_flipped else x + short_widths[i]
        if was_lowest:
            free_from = min(row_ends) + gap
        shrink_stale = True

    def place(i: int, k: int, width: float, is_short: bool) -> bool:
        x = xs[k]
        right_row = None
        if x + width <= high:
            right_row = lowest_row(x)
            after = k + 1 if k + 1 == n or xs[k + 1] > x else bisect.bisect_right(xs, x, k)
            if after == n or xs[after] > x + width + marker_r:  # it covers no marker: done
                take(i, x, right_row, width, is_short, False)
                return True
        left = x - width
        if left >= low and left >= free_from:
            # Flipped, it must leave every other marker clear (markers at x sit under its own).
            before = bisect.bisect_right(xs, left - marker_r, 0, k)
            if before == k or xs[before] >= x:
                take(i, x, lowest_row(left), width, is_short, True)
                return True
        if right_row is None:
            return False
        take(i, x, right_row, width, is_short, False)  # over the next markers, read from its own
        return True

    def shorten_to_fit(i: int, x: float) -> None:
        nonlocal free_from
        for row in range(row_count):
            if shrunk_ends[row] + gap > x:
                continue
            for width, is_short in ((widths[i], False), (short_widths[i], True)):
                if x + width <= high:
                    j = row_last[row]
                    shown[j], short[j] = short_widths[j], True
                    take(i, x, row, width, is_short, False)
                    free_from = min(row_ends) + gap  # this row may now end sooner
                    return

    for k, i in enumerate(by_anchor):
        x = xs[k]
        if x >= free_from and (place(i, k, widths[i], False) or place(i, k, short_widths[i], True)):
            continue
        if shrink_stale:
            shrink_from, shrink_stale = min(shrunk_ends, default=inf) + gap, False
        if x >= shrink_from:
            shorten_to_fit(i, x)
    return LabelPlacement(
        scale,
        tuple(rows),
        tuple(flipped),
        tuple(short),
        tuple(shown),
        tuple(by_anchor),
        tuple(xs),
        row_count,
        gap,
        bounds,
    )


def reveal_label(
    placement: LabelPlacement,
    label: int,
    anchors: Sequence[float],
    widths: Sequence[float],
    max_width: float,
) -> LabelPlacement:
    """The placement with `label` shown in full: if it was hidden it takes the row where it
    hides the fewest other labels, and those are hidden instead. Looks only at its neighbours.
    Ending at its marker, it may cover others; selected, it is plainly attached to its own."""
    if placement.rows[label] != HIDDEN or placement.row_count == 0:
        return placement
    scale, gap = placement.scale, placement.gap
    is_flipped = anchors[label] * scale + widths[label] > placement.bounds[1] * scale
    left, right = label_interval(anchors[label], widths[label], is_flipped, scale)
    # A label reaches at most max_width from its marker, either way.
    lo = bisect.bisect_left(placement.xs, left - max_width - gap)
    hi = bisect.bisect_right(placement.xs, right + max_width + gap)
    conflicts: list[list[int]] = [[] for _ in range(placement.row_count)]
    for j in placement.order[lo:hi]:
        row = placement.rows[j]
        if row == HIDDEN or j == label:
            continue
        other_left, other_right = placement.interval(j, anchors[j], scale)
        if other_left < right + gap and left < other_right + gap:
            conflicts[row].append(j)
    best = min(range(placement.row_count), key=lambda row: (len(conflicts[row]), row))
    rows, flipped = list(placement.rows), list(placement.flipped)
    short, shown = list(placement.short), list(placement.widths)
    for j in conflicts[best]:
        rows[j] = HIDDEN
    rows[label], flipped[label], short[label], shown[label] = best, is_flipped, False, widths[label]
    return replace(
        placement, rows=tuple(rows), flipped=tuple(flipped), short=tuple(short), widths=tuple(shown)
    )
