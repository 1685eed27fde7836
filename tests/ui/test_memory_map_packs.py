"""The memory map with two packs: it follows the article the panes show, and the timeline's
events of every article."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from studyapp.clock import FakeClock
from studyapp.collection import Collection
from studyapp.ui.main_window import MainWindow
from studyapp.ui.memory_map import MemoryColours
from tests.fixtures.second_pack import SECOND_ARTICLE, second_pack

START = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)
PACT = "soviet-lithuanian-non-aggression-pact"


@pytest.fixture
def collection(data_dir: Path) -> Iterator[Collection]:
    opened = Collection.open(data_dir, FakeClock(START).now, tz=dt.UTC)
    opened.install_pack(second_pack())
    yield opened
    opened.close()


@pytest.fixture
def window(qtbot: QtBot, collection: Collection) -> MainWindow:
    window = MainWindow(collection)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    return window


def _a_cited_sentence(collection: Collection, passage_id: str) -> tuple[str, int]:
    card = next(c for c in collection.passage_cards(passage_id) if c.sentence_index is not None)
    assert card.sentence_index is not None
    return passage_id, card.sentence_index


def test_the_memory_map_follows_the_article_chosen(
    qtbot: QtBot, window: MainWindow, collection: Collection
) -> None:
    window.memory_map_action.trigger()
    colours = MemoryColours.from_palette(window.article.palette())
    pact_sentence = _a_cited_sentence(collection, "overview-1")
    assert window.article.memory_tint(*pact_sentence) == colours.tint(None)
    combo = window.article.switcher.combo
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # the Declaration
    assert window.article.article().id == SECOND_ARTICLE
    second_sentence = _a_cited_sentence(collection, "doi-truths-1")
    assert window.article.memory_tint(*second_sentence) == colours.tint(None)  # not studied
    start, _end = window.article.sentence_range(*second_sentence) or (0, 0)
    assert "not yet studied" in window.article.memory_tip_at(start + 1)


def test_the_timeline_of_every_article_is_coloured_too(
    window: MainWindow, collection: Collection
) -> None:
    window.memory_map_action.trigger()
    window.navigation.set_all_events(True)
    colours = MemoryColours.from_palette(window.timeline.palette())
    linked = collection.event_card_counts()
    events = {item.article_id: item.id for item in collection.timeline() if linked.get(item.id)}
    assert set(events) == {PACT, SECOND_ARTICLE}
    for event_id in events.values():
        assert window.timeline.view.memory_mark(event_id) == colours.mark(None)
