"""Data safety in the window, second round: locks, empty and unreadable files, journals,
a backup that fails on close, and text that must show as it is and where it fits."""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from studyapp.collection import Collection
from studyapp.storage import database as database_module
from studyapp.storage import engine as engine_module
from studyapp.ui import backup_dialogs, launch
from studyapp.ui.backup_dialogs import BackupRow, DamagedChoice
from studyapp.ui.launch import AppController
from studyapp.ui.main_window import MainWindow
from tests.storage.test_safety import HOLD

NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)


def _controller(data_dir: Path) -> AppController:
    return AppController(launch.make_application(), data_dir, Collection.open)


def test_a_locked_database_offers_retry_and_quit_never_restore(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 300)
    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", 300)
    asked: list[str] = []
    answers = iter([True, False])  # Retry once while it is still held, then Quit

    def retry(parent: object, message: str) -> bool:
        asked.append(message)
        return next(answers)

    damaged: list[str] = []
    monkeypatch.setattr(backup_dialogs, "ask_to_retry_locked_database", retry)
    monkeypatch.setattr(
        backup_dialogs,
        "ask_about_damaged_database",
        lambda p, m, r: damaged.append(m) or DamagedChoice.QUIT,
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(data_dir / "study.sqlite3")],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        assert _controller(data_dir).open_collection() is None
    finally:
        holder.kill()
        holder.wait()
    assert len(asked) == 2 and "in use by another program" in asked[0]
    assert damaged == [], "a lock is never offered as damage"
    assert not list(data_dir.glob("study.corrupt-*"))
    opened = _controller(data_dir).open_collection()  # the other program gone: it opens
    assert opened is not None
    opened.close()


def test_an_empty_database_beside_backups_offers_the_backup(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    collection = Collection.open(data_dir, lambda: NOW)
    collection.answer("parties", 3, 1000)
    collection.backup()
    collection.close()
    (data_dir / "study.sqlite3").write_bytes(b"")
    offered: list[BackupRow | None] = []

    def restore(parent: object, message: str, row: BackupRow | None) -> DamagedChoice:
        offered.append(row)
        return DamagedChoice.RESTORE

    monkeypatch.setattr(backup_dialogs, "ask_about_damaged_database", restore)
    opened = _controller(data_dir).open_collection()
    assert opened is not None
    try:
        assert offered and offered[0] is not None and offered[0].reviews == 1
        assert opened.review_count() == 1, "the answers are back"
    finally:
        opened.close()


def test_text_that_is_not_utf8_leads_to_recovery_not_a_traceback(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with sqlite3.connect(data_dir / "study.sqlite3") as connection:
        connection.execute("UPDATE articles SET title = CAST(X'4E6FFF' AS TEXT)")
    asked: list[str] = []
    monkeypatch.setattr(
        backup_dialogs,
        "ask_about_damaged_database",
        lambda p, m, r: asked.append(m) or DamagedChoice.QUIT,
    )
    controller = _controller(data_dir)
    opened = controller.open_collection()
    assert opened is not None
    assert not controller.show_window(opened)
    assert len(asked) == 1 and "damaged" in asked[0] and "decode" in asked[0]


def test_a_damaged_journal_is_told_after_start(
    qtbot: QtBot, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.storage.test_safety import _killed_with_answers

    killed = tmp_path / "killed"
    _killed_with_answers(data_dir, killed, 5)
    wal = killed / "study.sqlite3-wal"
    damaged = bytearray(wal.read_bytes())
    damaged[32 + 24 + 100] ^= 0xFF
    wal.write_bytes(bytes(damaged))
    told: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda parent, title, text, *a, **k: told.append(text)
    )
    controller = _controller(killed)
    opened = controller.open_collection()
    assert opened is not None and controller.show_window(opened)
    assert controller.window is not None
    qtbot.addWidget(controller.window)
    assert told and "journal" in told[0] and "kept in" in told[0]
    opened.close()


def test_a_failed_backup_on_close_is_told_and_the_window_can_stay(
    qtbot: QtBot, collection: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = MainWindow(collection)
    qtbot.addWidget(window)
    window.show()
    window.operations.run(lambda c: c.suspend("parties"), parent=window)

    def full_disk() -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(collection, "backup", full_disk)
    told: list[list[str]] = []
    choices = iter([False, True])
    monkeypatch.setattr(
        backup_dialogs,
        "ask_to_quit_anyway",
        lambda p, problems: told.append(problems) or next(choices),
    )
    assert not window.close(), "Stay keeps the window"
    assert window.isVisible()
    assert "No space left on device" in told[0][0]
    assert window.close()  # Quit Anyway
    assert len(told) == 2


def test_dataset_text_in_tooltips_shows_as_written(qtbot: QtBot, collection: Collection) -> None:
    from PySide6.QtGui import QTextDocument

    from studyapp.ui.plain_text import plain_tip

    hostile = '<b>bold?</b> <img src="http://example.com/x.png">'
    document = QTextDocument()
    document.setHtml(plain_tip(hostile))
    assert document.toPlainText() == hostile


def test_a_400_letter_word_does_not_widen_the_window(qtbot: QtBot, collection: Collection) -> None:
    with collection.database.writes.begin() as session:
        from sqlalchemy import update

        from studyapp.storage import models

        session.execute(
            update(models.Event)
            .where(models.Event.id == "military-coup")
            .values(description="x" * 400)
        )
        session.execute(
            update(models.Card).where(models.Card.id == "parties").values(front="y" * 400)
        )
    window = MainWindow(collection)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.veil_action.trigger()
    window.timeline.select_event("military-coup")
    qtbot.wait(50)
    assert window.width() <= 1366
    assert window.minimumSizeHint().width() < 1366
    assert isinstance(window.findChild(QWidget, "timelineDetail"), QWidget)
