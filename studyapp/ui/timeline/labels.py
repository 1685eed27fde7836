"""Label placement for the timeline's point events, free of Qt: which row each label takes at
one zoom (or whether it is hidden), which way it runs from its marker and how much of it shows;
and the selected label revealed in full. Pixel x is scene x (days) times the zoom's scale.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property

__all__ = [
    "HIDDEN",
    "MAX_ROWS",
    "STEM_CLEARANCE",
    "LabelPlacement",
    "crosses",
    "label_interval",
    "place_labels",
    "reveal_label",
]

HIDDEN = -1  # the row of a label that has no room at this zoom
MAX_ROWS = 12  # label rows at most, however tall the pane
# A stem no further than this inside either end of a label passes beside its text (which
# starts 5 px in), not through it; the scene lays labels out anew every zoom step of 2 ** (1/8),
# and within a step a stem near a label's end moves in by under 10%, so it stays beside it.
STEM_CLEARANCE = 3.0


@dataclass(frozen=True)
class LabelPlacement:
    """Rows for point labels laid out at one zoom; valid at that zoom and any closer one.

    A label starts at its marker and runs right, or ends at its marker (flipped) where it would
    run off the end of the timeline or where that leaves room for the labels after it. A flipped
    label never covers another marker: read from its left end, it would name the wrong one. A
    label that would run off the end of the timeline in full is cut short, its title elided
    (`elided`); a label with no room for that shows its date alone (`short`) before it is
    hidden. Pixel intervals grow apart when zooming in, so a placement made at scale s never
    overlaps at a scale >= s.
    """

    scale: float  # pixels per day this was computed at
    rows: tuple[int, ...]  # per label, HIDDEN or 0 (next to the markers) upwards
    flipped: tuple[bool, ...]
    short: tuple[bool, ...]  # the date alone
    elided: tuple[bool, ...]  # cut short: the date and as much of the title as `widths` holds
    widths: tuple[float, ...]  # in pixels, as shown (full, elided or short)
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
    least_widths: Sequence[float] | None = None,
) -> LabelPlacement:
    """Stack labels greedily, by marker from left to right, each in the lowest row whose last
    label ends `gap` pixels before it starts; O(n log n + n * rows).

    Each label tries its full text, then (given `least_widths`, the least width that shows
    some of each title) its text cut short, then its date alone. It runs right from its marker
    where it can; where that would cover the next markers and ending at its own marker covers
    none, it is flipped instead, leaving the row free for the labels just after it. Only a
    label that would run off the end of the timeline in full is cut short: to the end, or
    ending at its marker clear of the marker before, in a row where its stem crosses no label
    below it if it can, and where the most of it shows. A label with no room at all may
    shorten the last label of a row to make some; failing that it is hidden.
    """
    n = len(anchors)
    by_anchor = sorted(range(n), key=anchors.__getitem__)
    xs = [anchors[i] * scale for i in by_anchor]
    low, high = bounds[0] * scale, bounds[1] * scale
    rows, flipped, short, elided = [HIDDEN] * n, [False] * n, [False] * n, [False] * n
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

    def cut_short(i: int, k: int) -> bool:
        """Place label i, which would run off the end in full, with its title elided: where
        its stem crosses no label below it (it would seem to lead there), then where the most
        of it shows."""
        x, least = xs[k], least_widths[i] if least_widths is not None else inf
        if least >= widths[i]:
            return False
        options = []  # (its stem crosses a label, -width, row, flipped)
        right_row = lowest_row(x)
        if high - x >= least:  # to the end, over any markers after it, read from its own
            options.append((not stem_clear(right_row, x), x - high, right_row, False))
        before = bisect.bisect_left(xs, x, 0, k) - 1  # the nearest marker left of its own
        limit = max(low, xs[before] + marker_r) if before >= 0 else low
        for row in range(row_count):
            width = min(x - max(limit, row_ends[row] + gap), widths[i])
            if width >= least:
                options.append((not stem_clear(row, x), -width, row, True))
        if not options:
            return False
        _, width, row, is_flipped = min(options)
        take(i, x, row, -width, False, is_flipped)
        elided[i] = True
        return True

    def stem_clear(row: int, x: float) -> bool:
        # Of the labels placed so far only the last of a row can reach past x; ending at its
        # own marker (flipped) it does not.
        for below in range(row):
            last = row_last[below]
            if last >= 0 and crosses((row_ends[below] - shown[last], row_ends[below]), x):
                return False
        return True

    def shorten_to_fit(i: int, x: float) -> None:
        nonlocal free_from
        for row in range(row_count):
            if shrunk_ends[row] + gap > x:
                continue
            for width, is_short in ((widths[i], False), (short_widths[i], True)):
                if x + width <= high:
                    j = row_last[row]
                    shown[j], short[j], elided[j] = short_widths[j], True, False
                    take(i, x, row, width, is_short, False)
                    free_from = min(row_ends) + gap  # this row may now end sooner
                    return

    for k, i in enumerate(by_anchor):
        x = xs[k]
        if x >= free_from and (
            place(i, k, widths[i], False)
            or (x + widths[i] > high and cut_short(i, k))
            or place(i, k, short_widths[i], True)
        ):
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
        tuple(elided),
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
    short_widths: Sequence[float],
    max_width: float,
) -> LabelPlacement:
    """The placement with `label` (the selection) shown in full, its stem through the text of
    no label below it (see STEM_CLEARANCE). It takes the row and side that cost the fewest
    titles: a label in its way moves to another row where it fits, else gives way to its date
    alone, else is hidden. Looks only at its neighbours (no label is wider than `max_width`).
    Ending at its marker, it may cover other markers; selected, it is plainly attached to its
    own."""
    rows, gap, scale = placement.rows, placement.gap, placement.scale
    row_count = placement.row_count
    if row_count == 0:
        return placement
    x, width = anchors[label] * scale, widths[label]
    low, high = placement.bounds[0] * scale, placement.bounds[1] * scale
    sides = [side for side in (False, True) if _within(x, width, side, low, high)]
    if not sides:  # wider than the room either side: the side it overruns less
        sides = [x + width - high > low - (x - width)]

    # The shown labels that could be in its way, or in the way of one moved out of its way.
    shown, shown_xs = placement.shown
    reach = width + 2 * (max_width + gap)
    first = bisect.bisect_left(shown_xs, x - reach)
    near = [j for j in shown[first : bisect.bisect_right(shown_xs, x + reach)] if j != label]
    spans = {j: placement.interval(j, anchors[j], scale) for j in near}
    by_row: list[list[int]] = [[] for _ in range(row_count)]
    for j in near:
        by_row[rows[j]].append(j)
    # A row's labels lie apart in anchor order, so their left and right ends are sorted.
    lefts = [[spans[j][0] for j in labels] for labels in by_row]
    rights = [[spans[j][1] for j in labels] for labels in by_row]

    def fates(row: int, side: bool) -> dict[int, tuple[int, bool]]:
        """What becomes of each label in its way at `row` on `side`: its (row, short)."""
        left, right = label_interval(anchors[label], width, side, scale)

        def clear(j: int, row_j: int, span: tuple[float, float]) -> bool:
            if row_j == row:
                return span[1] + gap <= left or right + gap <= span[0]
            return row_j > row or not crosses(span, x)

        # In its row, the labels it overlaps; below it, the one (if any) that holds its stem.
        first = bisect.bisect_right(rights[row], left - gap)
        in_way = by_row[row][first : bisect.bisect_left(lefts[row], right + gap)]
        for below in range(row):
            k = bisect.bisect_left(lefts[below], x) - 1
            if k >= 0 and not clear(by_row[below][k], below, spans[by_row[below][k]]):
                in_way.append(by_row[below][k])
        in_way.sort(key=anchors.__getitem__)
        # Each label in the way holds its date alone in its own row until it is settled.
        held = {j: _span(placement, j, anchors, short_widths, True) for j in in_way}
        settled: dict[int, tuple[int, bool]] = {}

        def fits(span: tuple[float, float], other: int) -> bool:
            """Whether `span` fits in row `other` as the labels settled so far leave it."""
            first = bisect.bisect_right(rights[other], span[0] - gap)
            last = bisect.bisect_left(lefts[other], span[1] + gap)
            taken = [held.get(k, spans[k]) for k in by_row[other][first:last] if k not in settled]
            taken += [
                _span(placement, k, anchors, short_widths, is_short)
                for k, (r, is_short) in settled.items()
                if r == other
            ]
            return all(b + gap <= span[0] or span[1] + gap <= a for a, b in taken)

        for j in in_way:
            del held[j]
            moved_to = next(
                (
                    other
                    for other in range(row_count)
                    if other != rows[j] and clear(j, other, spans[j]) and fits(spans[j], other)
                ),
                None,
            )
            if moved_to is not None:
                settled[j] = (moved_to, placement.short[j])
            elif not placement.short[j] and clear(
                j, rows[j], _span(placement, j, anchors, short_widths, True)
            ):
                settled[j] = (rows[j], True)
            else:
                settled[j] = (HIDDEN, True)
        return settled

    in_full = rows[label] != HIDDEN and placement.widths[label] == width
    if in_full and not fates(rows[label], placement.flipped[label]):
        return placement  # in full already, and in nobody's way
    best: tuple[tuple[int, ...], int, bool, dict[int, tuple[int, bool]]] | None = None
    for side in sides:
        for row in range(row_count):
            settled = fates(row, side)
            outcomes = list(settled.values())
            hidden = sum(r == HIDDEN for r, _ in outcomes)
            shortened = sum(r != HIDDEN and is_short for r, is_short in outcomes)
            cost = (hidden, shortened, len(outcomes), row, side)
            if best is None or cost < best[0]:
                best = (cost, row, side, settled)
    assert best is not None
    _, row, side, settled = best
    new_rows, new_flipped = list(rows), list(placement.flipped)
    new_short, new_elided = list(placement.short), list(placement.elided)
    new_widths = list(placement.widths)
    for j, (row_j, is_short) in settled.items():
        new_rows[j] = row_j
        if is_short and not placement.short[j]:
            new_short[j], new_elided[j], new_widths[j] = True, False, short_widths[j]
    new_rows[label], new_flipped[label] = row, side
    new_short[label], new_elided[label], new_widths[label] = False, False, width
    return replace(
        placement,
        rows=tuple(new_rows),
        flipped=tuple(new_flipped),
        short=tuple(new_short),
        elided=tuple(new_elided),
        widths=tuple(new_widths),
    )


def crosses(span: tuple[float, float], stem: float) -> bool:
    """Whether a stem at pixel x `stem` runs through the text of a label lying over `span`."""
    return span[0] + STEM_CLEARANCE < stem < span[1] - STEM_CLEARANCE


def _within(x: float, width: float, flipped: bool, low: float, high: float) -> bool:
    return x - width >= low if flipped else x + width <= high


def _span(
    placement: LabelPlacement,
    label: int,
    anchors: Sequence[float],
    short_widths: Sequence[float],
    is_short: bool,
) -> tuple[float, float]:
    width = short_widths[label] if is_short else placement.widths[label]
    return label_interval(anchors[label], width, placement.flipped[label], placement.scale)
