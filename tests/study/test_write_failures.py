"""A full disk (injected SQLITE_FULL) loses nothing: a clear message, no change, retry works."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine, event, func, select

from studyapp.collection import Collection
from studyapp.storage import models
from studyapp.storage.errors import StorageError
from studyapp.ui.operations import Operations
from studyapp.ui.review.pane import ReviewPane

NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)


@contextmanager
def disk_full(engine: Engine, statement_start: str = "INSERT INTO review_log") -> Iterator[None]:
    """Make SQLite fail writes the way a full disk does, for statements starting so."""

    def refuse(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith(statement_start.upper()):
            raise sqlite3.OperationalError("database or disk is full")

    event.listen(engine, "before_cursor_execute", refuse)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", refuse)


def _reviews(collection: Collection) -> int:
    with collection.database.sessions() as session:
        return session.scalar(select(func.count()).select_from(models.ReviewLog)) or 0


def test_answer_on_a_full_disk_changes_nothing(collection: Collection) -> None:
    service = collection
    card = service.next_card()
    assert card is not None
    previews = {p.rating: p.label for p in service.previews(card.id)}
    with disk_full(collection.database.engine), pytest.raises(StorageError) as raised:
        service.answer(card.id, 3, 2000)
    message = str(raised.value)
    assert "Could not save your answer" in message and "disk is full" in message
    assert "Nothing was changed" in message
    assert _reviews(collection) == 0
    with collection.database.sessions() as session:
        row = session.get(models.Card, card.id)
        assert row is not None and row.state == models.STATE_NEW and row.due is None
    assert not service.can_undo()
    result = service.answer(card.id, 3, 2000)  # space freed: the same answer goes through
    assert result.interval == previews[3]
    assert _reviews(collection) == 1


def test_the_pane_says_so_and_keeps_the_answer_up(
    qtbot: QtBot, collection: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    warnings: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda parent, title, text, *a, **k: warnings.append(text)
    )
    operations = Operations(collection)
    pane = ReviewPane(operations)
    qtbot.addWidget(pane)
    with qtbot.waitExposed(pane):
        pane.show()
    pane.activateWindow()
    pane.setFocus()
    qtbot.waitUntil(pane.hasFocus)
    first = pane.current_card()
    assert first is not None
    qtbot.keyClick(pane, Qt.Key.Key_Space)
    with disk_full(collection.database.engine):
        qtbot.keyClick(pane, Qt.Key.Key_3)
    assert len(warnings) == 1 and "disk is full" in warnings[0]
    assert pane.answer_shown() and pane.current_card() == first
    assert _reviews(collection) == 0
    qtbot.keyClick(pane, Qt.Key.Key_3)
    assert _reviews(collection) == 1
    assert pane.current_card() != first
