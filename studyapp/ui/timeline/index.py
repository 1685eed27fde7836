"""Where the timeline's events lie, as sorted arrays searched by bisection: which events meet
an x range, and the markers worth drawing at a zoom (one per on-screen spot, however many
events share it). Free of Qt; each query costs what is visible, not what the timeline holds.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from studyapp.ui.timeline.layout import EventGeometry

PAD = 0.5  # scene units: queries err on the side of returning an event just outside


@dataclass(frozen=True)
class MarkerSpot:
    """One marker to draw: the event drawn there stands for any others on the same spot."""

    index: int
    bracket: bool  # drawn with a bracket over its month or year (exact ones never are)


class _SortedSpans:
    """[start, end) spans sorted by start, each with the event index it belongs to."""

    def __init__(self, spans: Sequence[tuple[float, float, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [s for s, _, _ in ordered]
        self.ends = [e for _, e, _ in ordered]
        self.indices = [i for _, _, i in ordered]
        self.longest = max((e - s for s, e, _ in ordered), default=0.0)

    def meeting(self, left: float, right: float) -> list[int]:
        """Indices of the spans that meet [left, right], give or take PAD."""
        starts, ends = self.starts, self.ends
        lo = bisect.bisect_left(starts, left - PAD - self.longest)
        hi = bisect.bisect_right(starts, right + PAD)
        bound = left - PAD
        return [self.indices[k] for k in range(lo, hi) if ends[k] >= bound]


class TimelineIndex:
    """Point events by anchor, grouped by how long a span their date names (a day, a month, a
    year), and period events by lane; lanes never overlap within, so their ends sort too."""

    def __init__(self, geometry: Sequence[EventGeometry], lanes: dict[int, int]) -> None:
        points = [g for g in geometry if not g.is_period]
        self.points = _SortedSpans([(g.start, g.end, g.index) for g in points])
        lane_spans: dict[int, list[tuple[float, float, int]]] = {}
        for g in geometry:
            if g.is_period:
                lane_spans.setdefault(lanes[g.index], []).append((g.start, g.end, g.index))
        self.lanes = {lane: _SortedSpans(spans) for lane, spans in lane_spans.items()}
        # Markers: for each kind (exact or not) and span length, the anchors in order.
        groups: dict[tuple[bool, float], list[tuple[float, int]]] = {}
        for g in points:
            groups.setdefault((g.exact, g.end - g.start), []).append((g.anchor, g.index))
        self._groups = {key: sorted(spots) for key, spots in groups.items()}
        self._dense: dict[tuple[bool, float], tuple[list[float], list[int]]] = {}

    def points_meeting(self, left: float, right: float) -> list[int]:
        """Point events whose span meets scene x [left, right], in index order."""
        return sorted(self.points.meeting(left, right))

    def periods_meeting(self, left: float, right: float, lanes: range) -> list[int]:
        """Period events in `lanes` whose span meets [left, right], in index order."""
        found: list[int] = []
        for lane in lanes:
            spans = self.lanes.get(lane)
            if spans is not None:
                found += spans.meeting(left, right)
        return sorted(found)

    def _dense_anchors(self, exact: bool, widest: float) -> tuple[list[float], list[int]]:
        """Anchors (and events) of one kind whose span is at most `widest` days, in order."""
        key = (exact, widest)
        merged = self._dense.get(key)
        if merged is None:
            spots = sorted(
                spot
                for (kind, span), group in self._groups.items()
                if kind == exact and span <= widest
                for spot in group
            )
            merged = ([a for a, _ in spots], [i for _, i in spots])
            self._dense[key] = merged
        return merged

    def marker_spots(
        self, scale: float, dx: float, left: float, right: float, bracket_px: float
    ) -> list[MarkerSpot]:
        """The markers to draw for viewport x [left, right] at `scale` and offset `dx`: where
        a span is wide enough for a bracket, one per distinct span; elsewhere one marker of a
        kind per three pixels, which is all a dense zoom-out can show."""
        spots: list[MarkerSpot] = []
        for exact in (False, True):
            widest = -1.0
            for kind, span in self._groups:
                if kind != exact:
                    continue
                if span * scale > bracket_px:
                    group = self._groups[(kind, span)]
                    spots += self._distinct(group, scale, dx, left, right, span, not exact)
                else:
                    widest = max(widest, span)
            if widest >= 0:
                anchors, indices = self._dense_anchors(exact, widest)
                spots += _per_three_pixels(anchors, indices, scale, dx, left, right)
        return spots

    @staticmethod
    def _distinct(
        group: list[tuple[float, int]],
        scale: float,
        dx: float,
        left: float,
        right: float,
        span: float,
        bracket: bool,
    ) -> list[MarkerSpot]:
        # Spans this wide on screen lie apart unless they are the same span: one per anchor.
        reach = span / 2 + PAD
        k = bisect.bisect_left(group, ((left - dx) / scale - reach,))
        end = bisect.bisect_right(group, ((right - dx) / scale + reach, float("inf")))
        spots = []
        while k < end:
            anchor, index = group[k]
            spots.append(MarkerSpot(index, bracket))
            k = bisect.bisect_right(group, (anchor, float("inf")), k, end)
        return spots


def _per_three_pixels(
    anchors: list[float], indices: list[int], scale: float, dx: float, left: float, right: float
) -> list[MarkerSpot]:
    """The first event in each three-pixel column of viewport x [left, right]."""
    k = bisect.bisect_left(anchors, (left - dx) / scale - PAD)
    end = bisect.bisect_right(anchors, (right - dx) / scale + PAD)
    spots = []
    while k < end:
        spots.append(MarkerSpot(indices[k], False))
        column = int(anchors[k] * scale + dx) // 3
        following = bisect.bisect_left(anchors, ((column + 1) * 3 - dx) / scale, k + 1, end)
        while following > k + 1 and int(anchors[following - 1] * scale + dx) // 3 > column:
            following -= 1  # rounding put the boundary past an anchor of the next column
        while following < end and int(anchors[following] * scale + dx) // 3 <= column:
            following += 1
        k = following
    return spots
