"""The browser's table model, without a widget: rows, SQL sort, lazy reads, refresh."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from studyapp.clock import FakeClock
from studyapp.collection import Collection, SearchError
from studyapp.content.loader import load_dataset
from studyapp.paths import dataset_path
from studyapp.ui.browser.columns import COLUMNS
from studyapp.ui.browser.table_model import PAGE, CardTableModel

NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)
COLUMN = {column.key: index for index, column in enumerate(COLUMNS)}


@pytest.fixture
def collection(data_dir: Path) -> Iterator[Collection]:
    opened = Collection.open(data_dir, FakeClock(NOW).now, tz=dt.UTC)
    yield opened
    opened.close()


@pytest.fixture
def model(qapp: object, collection: Collection) -> CardTableModel:
    return CardTableModel(collection)


def cell(model: CardTableModel, row: int, key: str, role: int = 0) -> object:
    return model.data(model.index(row, COLUMN[key]), role or Qt.ItemDataRole.DisplayRole)


def column_texts(model: CardTableModel, key: str) -> list[object]:
    return [cell(model, row, key) for row in range(model.rowCount())]


def test_a_search_gives_one_row_per_card_and_a_column_per_figure(
    model: CardTableModel, collection: Collection
) -> None:
    assert model.search("") == len(load_dataset(dataset_path()).cards) == model.rowCount()
    assert model.columnCount() == len(COLUMNS) == 15
    assert model.search("klaipeda") == model.rowCount() == 5
    row = model.row_of("klaipeda-interests")
    assert row is not None
    assert cell(model, row, "answer") == "The Klaipėda Region."
    assert cell(model, row, "state") == "New"
    assert cell(model, row, "due") == f"New #{collection.new_card_ranks()['klaipeda-interests']}"
    assert cell(model, row, "origin") == "Pack"
    titles = [model.headerData(i, Qt.Orientation.Horizontal) for i in range(15)]
    assert titles[:2] == ["Question", "Answer"] and "Retrievability" in titles


def test_sorting_is_done_by_the_collection_in_both_directions(
    model: CardTableModel, collection: Collection
) -> None:
    model.search("")
    model.sort(COLUMN["question"], Qt.SortOrder.AscendingOrder)
    questions = column_texts(model, "question")
    assert questions == sorted(questions, key=lambda text: str(text).lower())
    assert model.order == "question" and not model.descending
    model.sort(COLUMN["question"], Qt.SortOrder.DescendingOrder)
    assert column_texts(model, "question") == questions[::-1]
    assert list(model.ids) == collection.search("", "question", descending=True)


def test_rows_are_read_lazily_a_page_at_a_time(
    model: CardTableModel, collection: Collection
) -> None:
    model.search("")
    assert model.rows_read == 0 and model.loaded() == 0, "a search reads ids only"
    cell(model, 0, "question")
    assert 0 < model.rows_read <= PAGE
    read = model.rows_read
    cell(model, 1, "answer")
    cell(model, 0, "reviews")
    assert model.rows_read == read, "rows read once are kept"


def test_a_change_makes_its_rows_stale_and_they_are_read_again(
    model: CardTableModel, collection: Collection, qtbot: QtBot
) -> None:
    model.search("")
    row = model.row_of("parties")
    assert row is not None
    assert cell(model, row, "state") == "New"
    changes = collection.suspend("parties")
    assert cell(model, row, "state") == "New", "kept until told"
    with qtbot.waitSignal(model.dataChanged) as changed:
        model.mark_stale(changes.card_ids)
    assert changed.args[0].row() == row
    assert cell(model, row, "state") == "New · suspended"
    assert cell(model, row, "due") == f"(New #{collection.new_card_ranks()['parties']})"
    background = cell(model, row, "question", Qt.ItemDataRole.BackgroundRole)
    assert background is not None, "a suspended card's row is tinted"


def test_a_wrong_search_raises_and_keeps_the_rows(model: CardTableModel) -> None:
    model.search("klaipeda")
    with pytest.raises(SearchError):
        model.search("is:nonsense")
    assert model.rowCount() == 5 and model.query == "klaipeda"


def test_a_card_gone_since_the_search_shows_as_deleted(
    model: CardTableModel, collection: Collection
) -> None:
    from studyapp.collection import CardText, NewCard
    from studyapp.content.model import CardKind

    card_id = collection.add_card(NewCard(CardText(CardKind.BASIC, "Mine?", "Yes."))).card_id
    model.search("mine")
    row = model.row_of(card_id)
    assert row is not None
    collection.delete_cards(card_id)
    model.mark_stale([card_id])
    assert cell(model, row, "state") == "(deleted)"
    assert cell(model, row, "question", Qt.ItemDataRole.ForegroundRole) is not None
