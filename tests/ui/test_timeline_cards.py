"""Cards from the timeline: Ctrl+click (or Ctrl+arrows) a second event, C for a "which came
first" card where the dates settle the order, W (or the context menu) for a "when" card."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from studyapp.collection import Collection
from studyapp.storage import models
from studyapp.ui.main_window import MainWindow
from studyapp.ui.timeline import TimelinePane

NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def collection(data_dir: Path) -> Iterator[Collection]:
    opened = Collection.open(data_dir, lambda: NOW, tz=dt.UTC)
    yield opened
    opened.close()


@pytest.fixture
def window(qtbot: QtBot, collection: Collection) -> MainWindow:
    window = MainWindow(collection)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    if window.veil_action.isChecked():
        window.veil_action.trigger()
    window.focus_pane("timeline")
    return window


def label_point(pane: TimelinePane, event_id: str) -> QPoint:
    pane.view.viewport().grab()  # paint, as the screen would
    return pane.view.painted_label_rects()[event_id].center().toPoint()


def click(qtbot: QtBot, pane: TimelinePane, event_id: str, ctrl: bool = False) -> None:
    modifier = CTRL if ctrl else Qt.KeyboardModifier.NoModifier
    qtbot.mouseClick(
        pane.view.viewport(), Qt.MouseButton.LeftButton, modifier, label_point(pane, event_id)
    )


def chronology_cards(collection: Collection) -> list[tuple[str, str, set[str]]]:
    with collection.database.sessions() as session:
        cards = session.scalars(
            select(models.Card).where(
                models.Card.pack_id.is_(None), models.Card.kind == "chronology"
            )
        ).all()
        return [
            (
                card.front,
                card.back,
                set(
                    session.scalars(
                        select(models.CardEvent.event_id).where(models.CardEvent.card_id == card.id)
                    )
                ),
            )
            for card in cards
        ]


def menu_texts(pane: TimelinePane, point: QPoint) -> tuple[QMenu, list[tuple[str, bool]]]:
    viewport = pane.view.viewport()
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point, viewport.mapToGlobal(point))
    QApplication.sendEvent(viewport, event)
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    return menu, [(action.text(), action.isEnabled()) for action in menu.actions()]


def test_two_events_of_certain_order_make_a_which_came_first_card(
    qtbot: QtBot, window: MainWindow, collection: Collection
) -> None:
    pane = window.timeline
    click(qtbot, pane, "pact-signed")
    click(qtbot, pane, "military-coup", ctrl=True)
    assert set(pane.selected_event_ids()) == {"pact-signed", "military-coup"}
    assert "2 events selected" in pane.detail_text()
    assert "C: make a “which came first” card" in pane.detail_text()
    counts = {e: pane.item(e).card_count for e in ("pact-signed", "military-coup")}  # type: ignore[union-attr]

    qtbot.keyClick(pane.view, Qt.Key.Key_C)

    assert chronology_cards(collection) == [
        (
            "Which came first: “Military coup” or “Pact signed”?",
            "“Pact signed” (September 28, 1926), then “Military coup” (December 1926).",
            {"pact-signed", "military-coup"},
        )
    ]
    for event_id, before in counts.items():
        item = pane.item(event_id)
        assert item is not None and item.card_count == before + 1, event_id
    assert "“Which came first” card added" in window.statusBar().currentMessage()
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
    assert chronology_cards(collection) == []


def test_two_1920_events_make_no_card_and_the_menu_says_why(
    qtbot: QtBot, window: MainWindow, collection: Collection
) -> None:
    pane = window.timeline
    click(qtbot, pane, "peace-treaty-1920")
    click(qtbot, pane, "zeligowski-mutiny", ctrl=True)
    assert not pane.chronology_action.isEnabled()
    assert pane.chronology_action.text() == "Make a “which came first” card (both are 1920)"
    assert "No “which came first” card: both are 1920" in pane.detail_text()

    qtbot.keyClick(pane.view, Qt.Key.Key_C)
    assert chronology_cards(collection) == []
    assert window.statusBar().currentMessage() == "No “which came first” card: both are 1920."

    menu, entries = menu_texts(pane, label_point(pane, "zeligowski-mutiny"))
    menu.close()
    assert ("Make a “which came first” card (both are 1920)", False) in entries
    assert set(pane.selected_event_ids()) == {"peace-treaty-1920", "zeligowski-mutiny"}, (
        "a right click inside the selection keeps it"
    )


def test_ctrl_arrows_choose_a_pair_from_the_keyboard(
    qtbot: QtBot, window: MainWindow, collection: Collection
) -> None:
    pane = window.timeline
    assert pane.select_event("pact-signed")
    seconds = []
    for _ in range(3):  # keep Pact signed, move the second event along
        qtbot.keyClick(pane.view, Qt.Key.Key_Right, CTRL)
        chosen = pane.selected_event_ids()
        assert len(chosen) == 2 and chosen[0] == "pact-signed"
        seconds.append(chosen[1])
    assert seconds[0] == "seimas-ratification" and len(set(seconds)) == 3
    qtbot.keyClick(pane.view, Qt.Key.Key_C)
    ((front, _back, links),) = chronology_cards(collection)
    assert links == {"pact-signed", seconds[-1]} and "“Pact signed”" in front
    qtbot.keyClick(pane.view, Qt.Key.Key_Right)
    assert len(pane.selected_event_ids()) == 1, "a plain arrow selects one event again"


def test_ctrl_click_on_a_selected_event_leaves_it_out(qtbot: QtBot, window: MainWindow) -> None:
    pane = window.timeline
    click(qtbot, pane, "pact-signed")
    click(qtbot, pane, "military-coup", ctrl=True)
    click(qtbot, pane, "league-registration", ctrl=True)
    assert pane.chronology_action.text().endswith("(select just two events)")
    click(qtbot, pane, "military-coup", ctrl=True)
    assert pane.selected_event_ids() == ("pact-signed", "league-registration")
    assert pane.chronology_action.isEnabled()
    click(qtbot, pane, "military-coup")
    assert pane.selected_event_ids() == ("military-coup",)


def test_the_context_menu_makes_a_when_card_at_the_articles_precision(
    qtbot: QtBot, window: MainWindow, collection: Collection
) -> None:
    pane = window.timeline
    click(qtbot, pane, "pact-signed")
    menu, entries = menu_texts(pane, label_point(pane, "military-coup"))
    assert pane.selected_event_ids() == ("military-coup",), "a right click selects the event"
    assert ("Make a “when” card", True) in entries
    when = next(a for a in menu.actions() if a.text() == "Make a “when” card")
    when.trigger()
    menu.close()
    with collection.database.sessions() as session:
        (card_id,) = session.scalars(select(models.Card.id).where(models.Card.pack_id.is_(None)))
    card = collection.card(card_id)
    assert (card.front, card.back) == (
        "When did “Military coup” happen?",
        "December 1926.",
    )
    assert card.event_ids == ("military-coup",) and card.sentence_index == 1


def test_w_on_two_events_says_to_select_one(
    qtbot: QtBot, window: MainWindow, collection: Collection
) -> None:
    pane = window.timeline
    click(qtbot, pane, "pact-signed")
    click(qtbot, pane, "military-coup", ctrl=True)
    qtbot.keyClick(pane.view, Qt.Key.Key_W)
    assert window.statusBar().currentMessage() == "No “when” card: select one event."


def test_the_card_keys_are_listed_with_the_timelines_keys(window: MainWindow) -> None:
    timeline = dict(
        next(rows for title, rows in window.shortcut_sections() if title.startswith("Timeline"))
    )
    assert timeline["C"].startswith("Make a “which came first” card")
    assert timeline["W"].startswith("Make a “when” card")
    assert "Ctrl+click" in timeline
    article = dict(
        next(rows for title, rows in window.shortcut_sections() if title.startswith("Article"))
    )
    assert article["Ctrl+Shift+C"] == "Cloze This"
    assert article["Ctrl+Shift+N"] == "New Card from Selection…"
    menus = dict(window.menu_shortcuts())
    assert menus["A"] == "Add Card…"
    every_key = [
        key for _title, rows in window.shortcut_sections() for keys, _ in rows for key in [keys]
    ]
    for key in ("A", "Ctrl+Shift+C", "Ctrl+Shift+N"):
        assert every_key.count(key) == 1, f"{key} is bound once"
