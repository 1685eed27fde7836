"""Label placement maths, without widgets: titles kept where there is room."""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence

from studyapp.ui.timeline import labels as tl

GAP, MARKER_R = 8.0, 5.0


def place(
    anchors: Sequence[float],
    widths: Sequence[float],
    short: Sequence[float],
    least: Sequence[float] | None = None,
    *,
    rows: int = 3,
    bounds: tuple[float, float] = (0.0, 1000.0),
    scale: float = 1.0,
) -> tl.LabelPlacement:
    return tl.place_labels(
        anchors,
        widths,
        short,
        least_widths=least,
        scale=scale,
        bounds=bounds,
        row_count=rows,
        gap=GAP,
        marker_r=MARKER_R,
    )


def assert_sound(
    p: tl.LabelPlacement,
    anchors: Sequence[float],
    widths: Sequence[float],
    short: Sequence[float],
    scale: float,
) -> None:
    """What every placement keeps at `scale` (its own or closer): rows `GAP` apart, labels
    inside the timeline, each as wide as it shows, and a flipped one over no other marker."""
    n = len(anchors)
    for row in range(p.row_count):
        spans = sorted(p.interval(i, anchors[i], scale) for i in range(n) if p.rows[i] == row)
        for (_, right), (left, _) in itertools.pairwise(spans):
            assert right + GAP <= left + 1e-9, (row, scale)
    low, high = p.bounds[0] * scale, p.bounds[1] * scale
    for i in range(n):
        if p.rows[i] == tl.HIDDEN:
            continue
        left, right = p.interval(i, anchors[i], scale)
        assert low - 1e-9 <= left and right <= high + 1e-9, (i, scale)
        if p.short[i]:
            assert p.widths[i] == short[i] and not p.elided[i]
        elif p.elided[i]:
            assert short[i] < p.widths[i] < widths[i]
        else:
            assert p.widths[i] == widths[i]
        if p.flipped[i]:
            others = [a * scale for j, a in enumerate(anchors) if j != i]
            assert not [x for x in others if left - MARKER_R < x < right], (i, scale)


def stem_crossings(
    p: tl.LabelPlacement, label: int, anchors: Sequence[float], scale: float
) -> list[int]:
    """The labels below `label` that its stem crosses at `scale`."""
    stem, crossed = anchors[label] * scale, []
    for j in range(len(anchors)):
        if j != label and tl.HIDDEN != p.rows[j] < p.rows[label]:
            left, right = p.interval(j, anchors[j], scale)
            # Up the end at its own marker, or close by the far end, it crosses nothing.
            own, far = (right, left) if p.flipped[j] else (left, right)
            if left < stem < right and stem != own and abs(stem - far) > tl.STEM_CLEARANCE:
                crossed.append(j)
    return crossed


# -- titles at the end of the timeline ----------------------------------------------------


def test_a_label_that_would_run_off_the_end_is_cut_short_before_its_title_is_dropped() -> None:
    # The second label has no room to run right in full, and ending at its marker it would
    # cover the first one's: it runs right to the end of the timeline, its title elided.
    anchors, widths, short, least = [800.0, 900.0], [150.0] * 2, [50.0] * 2, [80.0] * 2
    p = place(anchors, widths, short, least)
    assert p.rows == (0, 0)
    assert p.flipped == (True, False)
    assert p.elided == (False, True) and p.short == (False, False)
    assert p.widths == (150.0, 100.0)
    assert_sound(p, anchors, widths, short, 1.0)

    # With no room to the right, it ends at its marker, clear of the marker before: in the row
    # where that leaves it the most room.
    anchors = [850.0, 985.0]
    p = place(anchors, widths, short, least)
    assert p.flipped == (True, True) and p.elided == (False, True)
    assert p.rows == (0, 1)  # row 0 ends at 850, so there it would start GAP later, at 858
    assert p.interval(1, 985.0, 1.0) == (855.0, 985.0)
    assert_sound(p, anchors, widths, short, 1.0)

    # Less room than the least that shows some of its title: the date alone, as before.
    p = place(anchors, widths, short, [140.0] * 2)
    assert p.short == (False, True) and p.elided == (False, False)
    assert p.widths == (150.0, 50.0)
    # And without least widths no label is ever cut short.
    assert not any(place([800.0, 900.0], widths, short).elided)


def test_a_label_cut_short_takes_a_row_where_its_stem_crosses_no_label_first() -> None:
    # The last label cannot end at its marker in full (it would cover the one before) nor run
    # right: cut short, it has the most room in row 2, but there its stem would cross the
    # label in row 1 and seem to lead to it; in row 0 it crosses none.
    anchors = [400.0, 500.0, 600.0, 870.0]
    widths, short, least = [90.0, 200.0, 300.0, 300.0], [40.0] * 4, [80.0] * 4
    p = place(anchors, widths, short, least)
    assert p.rows[:3] == (0, 0, 1) and p.interval(2, 600.0, 1.0) == (600.0, 900.0)
    assert p.rows[3] == 0 and p.flipped[3] and p.elided[3]
    assert p.interval(3, 870.0, 1.0) == (708.0, 870.0)
    assert not stem_crossings(p, 3, anchors, 1.0)
    assert_sound(p, anchors, widths, short, 1.0)


def test_cut_short_labels_keep_the_placement_sound_at_every_closer_zoom() -> None:
    rng = random.Random(11)
    anchors = sorted(rng.uniform(0, 2000) for _ in range(300))
    widths = [rng.uniform(60, 260) for _ in anchors]
    short = [w * rng.uniform(0.25, 0.45) for w in widths]
    least = [s + 40 for s in short]
    cut = 0
    for scale in (0.3, 0.5, 1.0):
        p = place(anchors, widths, short, least, rows=4, bounds=(-10, 2010), scale=scale)
        elided = [i for i in range(300) if p.elided[i]]
        cut += len(elided)
        for i in elided:  # only where the label in full would run off the end
            assert anchors[i] * scale + widths[i] > 2010 * scale
            assert p.widths[i] >= least[i]
        for closer in (scale, scale * 1.01, scale * 2, scale * 7):
            assert_sound(p, anchors, widths, short, closer)
    assert cut
