"""New positions for a new order of cards: only the moved cards, and neighbours if no room."""

from __future__ import annotations

import pytest

from studyapp.storage.positions import positions_for_order


def reordered(order: list[tuple[str, int]], moved: set[str]) -> list[tuple[str, int]]:
    changed = positions_for_order(order, moved)
    return [(card_id, changed.get(card_id, position)) for card_id, position in order]


@pytest.mark.parametrize(
    ("order", "moved", "changed"),
    [
        # d moved between a and b: it goes half-way, nothing else moves.
        ([("a", 1024), ("d", 4096), ("b", 2048), ("c", 3072)], {"d"}, {"d"}),
        # To the front: below the first card.
        ([("c", 3072), ("a", 1024), ("b", 2048)], {"c"}, {"c"}),
        # To the end: after the last.
        ([("b", 2048), ("c", 3072), ("a", 1024)], {"a"}, {"a"}),
        # No room between 1025 and 1026: the neighbour after moves along too.
        ([("a", 1025), ("x", 5000), ("y", 6000), ("b", 1026), ("c", 2048)], {"x", "y"}, None),
    ],
)
def test_positions_increase_along_the_new_order(
    order: list[tuple[str, int]], moved: set[str], changed: set[str] | None
) -> None:
    result = reordered(order, moved)
    positions = [position for _, position in result]
    assert positions == sorted(positions) and len(set(positions)) == len(positions)
    if changed is not None:
        assert set(positions_for_order(order, moved)) == changed
    unmoved_first = result[0]
    assert unmoved_first[0] in moved or unmoved_first == order[0]
