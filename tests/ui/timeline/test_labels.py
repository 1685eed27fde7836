"""Label placement maths, without widgets: titles kept where there is room, the selection shown."""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence

from studyapp.ui.timeline import labels as tl

GAP, MARKER_R = 8.0, 5.0
STEP = 2 ** (1 / 8)  # the scene lays labels out anew at every zoom step


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
    selected: int | None = None,
) -> None:
    """What every placement keeps at `scale` (its own or closer): rows `GAP` apart, labels
    inside the timeline, each as wide as it shows, a flipped one (but the selection) over no
    other marker; and within its zoom step the selection's stem through no label below it."""
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
        if p.flipped[i] and i != selected:
            others = [a * scale for j, a in enumerate(anchors) if j != i]
            assert not [x for x in others if left - MARKER_R < x < right], (i, scale)
    if selected is not None and scale <= p.scale * STEP:
        assert not stem_crossings(p, selected, anchors, scale), "the selection's stem crosses"


def stem_crossings(
    p: tl.LabelPlacement, label: int, anchors: Sequence[float], scale: float
) -> list[int]:
    """The labels below `label` whose text its stem runs through at `scale`, up to a zoom step
    closer than `p` was laid out at: beside an end, within the padding before the text, it
    crosses none (the clearance grows with the zoom, as the distance from a label's own end)."""
    stem, crossed = anchors[label] * scale, []
    clear = tl.STEM_CLEARANCE * scale / p.scale
    for j in range(len(anchors)):
        if j != label and tl.HIDDEN != p.rows[j] < p.rows[label]:
            left, right = p.interval(j, anchors[j], scale)
            if left + clear < stem < right - clear:
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


# -- the selected label -------------------------------------------------------------------


def test_a_selected_label_shown_as_its_date_alone_is_revealed_in_full() -> None:
    anchors, widths, short = [0.0, 50.0], [100.0, 100.0], [30.0, 30.0]
    p = place(anchors, widths, short, rows=1, bounds=(-5, 400))
    assert p.short == (True, False)
    revealed = tl.reveal_label(p, 0, anchors, widths, short, 100.0)
    assert revealed.rows[0] == 0 and not revealed.short[0]
    assert revealed.widths[0] == 100.0
    assert revealed.rows[1] == tl.HIDDEN  # one row only: the other label gives way
    assert_sound(revealed, anchors, widths, short, 1.0, selected=0)


def test_a_selected_label_cut_short_is_revealed_in_full() -> None:
    anchors, widths, short, least = [800.0, 900.0], [150.0] * 2, [50.0] * 2, [80.0] * 2
    p = place(anchors, widths, short, least)
    assert p.elided[1]
    revealed = tl.reveal_label(p, 1, anchors, widths, short, 150.0)
    assert revealed.widths[1] == 150.0 and not revealed.elided[1] and not revealed.short[1]
    assert revealed.flipped[1]  # in full it only fits ending at its marker
    assert revealed.rows[0] != tl.HIDDEN and not revealed.short[0]  # the other keeps its title
    assert_sound(revealed, anchors, widths, short, 1.0, selected=1)


def test_the_selected_label_stem_crosses_no_label_below_it() -> None:
    # The second label sits above the first, whose label runs across the second marker.
    anchors, widths, short = [0.0, 20.0], [100.0, 100.0], [30.0, 30.0]
    p = place(anchors, widths, short, rows=2, bounds=(-5, 400))
    assert p.rows == (0, 1) and not any(p.short)
    revealed = tl.reveal_label(p, 1, anchors, widths, short, 100.0)
    # It takes the lowest row and the other label moves up, its title kept.
    assert revealed.rows == (1, 0)
    assert not any(revealed.short) and revealed.widths == (100.0, 100.0)
    assert_sound(revealed, anchors, widths, short, 1.0, selected=1)

    # A label already in place and clear of its stem stays just as it was.
    assert tl.reveal_label(p, 0, anchors, widths, short, 100.0) is p


def test_a_selected_stem_beside_the_end_of_a_label_leaves_it_in_place() -> None:
    # One pixel apart: the stem runs up the first label's left end, short of its text.
    anchors, widths, short = [0.0, 1.0], [100.0, 100.0], [30.0, 30.0]
    p = place(anchors, widths, short, rows=2, bounds=(-5, 400))
    assert p.rows == (0, 1)
    assert tl.reveal_label(p, 1, anchors, widths, short, 100.0) is p


def test_labels_in_the_way_of_the_selection_give_way_to_their_date_before_hiding() -> None:
    # One row: the labels in the way cannot move. The last one, ending at its marker, clears
    # the selection with its date alone.
    anchors, widths, short = [0.0, 200.0, 600.0], [190.0, 150.0, 190.0], [30.0, 30.0, 30.0]
    p = place(anchors, widths, short, rows=1, bounds=(-10, 700))
    assert p.rows == (0, 0, 0) and p.flipped == (False, False, True) and not any(p.short)
    wider = [190.0, 300.0, 190.0]  # selected, the second label needs [200, 500]
    revealed = tl.reveal_label(p, 1, anchors, wider, short, 300.0)
    assert revealed.rows == (0, 0, 0)
    assert revealed.short == (False, False, True)
    assert_sound(revealed, anchors, wider, short, 1.0, selected=1)
    # Had it no room even for its date, it would be hidden.
    closer = [190.0, 380.0, 190.0]
    revealed = tl.reveal_label(p, 1, anchors, closer, short, 380.0)
    assert revealed.rows == (0, 0, tl.HIDDEN)
    assert_sound(revealed, anchors, closer, short, 1.0, selected=1)


def test_every_revealed_label_is_whole_and_keeps_the_placement_sound() -> None:
    rng = random.Random(5)
    anchors = sorted(rng.uniform(0, 2000) for _ in range(400))
    widths = [rng.uniform(40, 200) for _ in anchors]
    short = [w / 3 for w in widths]
    least = [s + 30 for s in short]
    moved = shortened = 0
    for scale, rows in ((0.6, 4), (2.5, 6)):  # crowded, then roomier
        p = place(anchors, widths, short, least, rows=rows, bounds=(0, 2000), scale=scale)
        hidden_before = {i for i in range(400) if p.rows[i] == tl.HIDDEN}
        for label in range(0, 400, 7):
            revealed = tl.reveal_label(p, label, anchors, widths, short, max(widths))
            assert revealed.rows[label] != tl.HIDDEN, label
            assert revealed.widths[label] == widths[label], label
            assert not revealed.short[label] and not revealed.elided[label]
            others_hidden = {i for i in range(400) if revealed.rows[i] == tl.HIDDEN}
            assert others_hidden >= hidden_before - {label}  # a reveal shows no other label
            for i in set(range(400)) - others_hidden - {label}:
                if revealed.rows[i] != p.rows[i]:  # moved out of the way, as it was
                    moved += 1
                    assert revealed.widths[i] == p.widths[i]
                    assert revealed.flipped[i] == p.flipped[i]
                shortened += revealed.short[i] and not p.short[i]
            for closer in (scale, scale * 1.01, scale * STEP, scale * 2.5, scale * 7):
                assert_sound(revealed, anchors, widths, short, closer, selected=label)
    assert moved and shortened
