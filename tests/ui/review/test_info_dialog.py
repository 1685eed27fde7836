"""Card Info: the memory state in words, the forgetting curve and the review history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from studyapp.clock import FakeClock
from studyapp.collection import Collection
from studyapp.ui.review.info_dialog import CardInfoDialog
from studyapp.ui.theme import Theme, apply_theme

NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
def collection(data_dir: Path, clock: FakeClock) -> Iterator[Collection]:
    opened = Collection.open(data_dir, clock.now, tz=dt.UTC)
    yield opened
    opened.close()


def dialog_for(qtbot: QtBot, collection: Collection, card_id: str) -> CardInfoDialog:
    dialog = CardInfoDialog(
        collection.card(card_id),
        collection.card_history(card_id),
        collection.clock(),
        collection.tz,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_a_studied_card_shows_its_forgetting_curve_and_history(
    qtbot: QtBot, collection: Collection, clock: FakeClock
) -> None:
    for rating in (3, 3, 3):
        collection.previews("parties")
        collection.answer("parties", rating, 2000)
        card = collection.card("parties")
        assert card.due is not None
        clock.set(card.due)
    dialog = dialog_for(qtbot, collection, "parties")
    assert dialog.history_table.rowCount() == 3
    assert dialog.curve is not None
    card = collection.card("parties")
    assert card.retrievability is not None
    assert f"{card.retrievability:.0%} now" in dialog.curve.accessibleDescription()
    image = dialog.curve.grab().toImage()
    colours = {image.pixel(x, y) for x in range(0, image.width(), 4) for y in range(image.height())}
    assert len(colours) > 10, "axes, labels and the curve are drawn"
    # Recall falls along the curve: the point at the due date is below the one at 0.
    start, due = dialog.curve.point(0, 1.0), dialog.curve.point(dialog.curve.due_days or 0, 0.9)
    assert due.x() > start.x() and due.y() > start.y()


def test_a_new_card_has_no_curve(qtbot: QtBot, collection: Collection) -> None:
    dialog = dialog_for(qtbot, collection, "signed-when")
    assert dialog.curve is None and dialog.history_table.rowCount() == 0


def test_the_curve_is_drawn_in_the_dark_palette(qtbot: QtBot, collection: Collection) -> None:
    collection.previews("parties")
    collection.answer("parties", 3, 2000)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app, Theme.DARK)
    try:
        dialog = dialog_for(qtbot, collection, "parties")
        assert dialog.curve is not None
        image = dialog.curve.grab().toImage()
        assert image.pixelColor(2, 2).lightnessF() < 0.3  # the palette's dark Base
    finally:
        apply_theme(app, Theme.LIGHT)
