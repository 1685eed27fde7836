"""Backups off the GUI thread: the window keeps its event loop turning while a backup is
written, a periodic one runs in the background, and closing waits for a running one."""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox, QProgressDialog
from pytestqt.qtbot import QtBot

from studyapp.collection import Collection
from studyapp.storage.backup import list_backups, review_count
from studyapp.ui.main_window import MainWindow
from tests.helpers import fill_the_disk

SLOW_S = 0.8  # longer than the busy dialog's delay (0.4 s)


class SlowBackups:
    """Collection.backup made slow, counting calls, the threads they ran on and how many ran
    at once."""

    def __init__(self, collection: Collection, fail: bool = False) -> None:
        self._real = collection.backup
        self._fail = fail
        self._lock = threading.Lock()
        self.calls = 0
        self.active = 0
        self.most_at_once = 0
        self.threads: list[threading.Thread] = []

    def __call__(self) -> Path:
        with self._lock:
            self.calls += 1
            self.active += 1
            self.most_at_once = max(self.most_at_once, self.active)
            self.threads.append(threading.current_thread())
        try:
            time.sleep(SLOW_S)
            if self._fail:
                raise OSError(28, "No space left on device")
            return self._real()
        finally:
            with self._lock:
                self.active -= 1


class Ticks:
    """A 5 ms QTimer: how often the GUI thread's event loop turned, and what it showed."""

    def __init__(self, window: MainWindow) -> None:
        self._window = window
        self.times: list[float] = []
        self.busy_dialog_seen = False
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        self.times.append(time.perf_counter())
        busy = self._window.findChild(QProgressDialog, "backupBusyDialog")
        if busy is not None and busy.isVisible():
            self.busy_dialog_seen = True

    def longest_gap_ms(self) -> float:
        return max(b - a for a, b in itertools.pairwise(self.times)) * 1000


@pytest.fixture
def window(qtbot: QtBot, collection: Collection) -> Iterator[MainWindow]:
    shown = MainWindow(collection)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    yield shown


def _answer(window: MainWindow) -> None:
    window.review.setFocus()
    window.review.show_answer()
    window.review.answer(3)


def test_back_up_now_waits_with_the_event_loop_turning(
    window: MainWindow, collection: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow = SlowBackups(collection)
    monkeypatch.setattr(collection, "backup", slow)
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda p, t, text, *a: told.append(text))
    ticks = Ticks(window)
    started = time.perf_counter()

    window.backups.backup_now_action.trigger()

    waited = time.perf_counter() - started
    ticks.timer.stop()
    assert waited >= SLOW_S, "Back Up Now returns when the backup is written"
    # Blocked, the timer could not fire at all until the backup was done.
    assert len(ticks.times) >= 20, f"the event loop turned {len(ticks.times)} times"
    assert ticks.longest_gap_ms() < SLOW_S * 1000 / 2
    assert ticks.busy_dialog_seen, "a long backup shows the busy dialog"
    busy = window.findChild(QProgressDialog, "backupBusyDialog")
    assert busy is None or not busy.isVisible(), "and takes it away"
    assert slow.threads and slow.threads[0] is not threading.main_thread()
    backups = list_backups(collection.backup_dir)
    assert len(backups) == 1 and told == [f"Backup written to {backups[0].path}."]


def test_a_periodic_backup_runs_in_the_background_while_the_learner_answers(
    qtbot: QtBot, window: MainWindow, collection: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow = SlowBackups(collection)
    monkeypatch.setattr(collection, "backup", slow)
    _answer(window)
    with qtbot.waitSignal(window.backups.backupFinished, timeout=20_000) as finished:
        assert window.backups.auto_backup()
        assert window.backups.running
        _answer(window)  # the window answers while the backup is written
        assert collection.review_count() == 2
        assert window.backups.running
        assert not window.backups.auto_backup(), "never two at once"
    outcome = finished.args[0]
    assert outcome.error is None and outcome.path is not None
    assert review_count(outcome.path) in (1, 2)
    assert slow.calls == 1 and slow.most_at_once == 1


def test_a_failed_periodic_backup_is_logged_and_tried_again(
    qtbot: QtBot,
    window: MainWindow,
    collection: Collection,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(collection, "backup", SlowBackups(collection, fail=True))
    _answer(window)
    with (
        caplog.at_level(logging.WARNING, logger="studyapp.ui.backup_actions"),
        qtbot.waitSignal(window.backups.backupFinished, timeout=20_000) as finished,
    ):
        assert window.backups.auto_backup()
    assert finished.args[0].path is None
    assert "No space left on device" in caplog.text and "failed" in caplog.text
    assert not list_backups(collection.backup_dir)
    monkeypatch.undo()
    with qtbot.waitSignal(window.backups.backupFinished, timeout=20_000):
        assert window.backups.auto_backup(), "what it missed is still to be backed up"
    assert len(list_backups(collection.backup_dir)) == 1


def test_closing_waits_for_a_running_backup_and_writes_no_second_one(
    window: MainWindow, collection: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow = SlowBackups(collection)
    monkeypatch.setattr(collection, "backup", slow)
    _answer(window)
    assert window.backups.auto_backup()
    ticks = Ticks(window)

    assert window.close()

    ticks.timer.stop()
    assert not window.backups.running, "the backup was finished before the window closed"
    assert slow.calls == 1, "the running backup covers the session: no second one"
    backups = list_backups(collection.backup_dir)
    assert len(backups) == 1 and review_count(backups[0].path) == 1
    assert len(ticks.times) >= 20, "the window kept turning while it waited"


def test_back_up_now_after_a_change_waits_for_the_running_one_then_writes_its_own(
    window: MainWindow, collection: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow = SlowBackups(collection)
    monkeypatch.setattr(collection, "backup", slow)
    monkeypatch.setattr(QMessageBox, "information", lambda *a: None)
    _answer(window)
    assert window.backups.auto_backup()
    window.backups.mark_changed()  # a change after the periodic backup began
    window.backups.backup_now_action.trigger()
    assert slow.calls == 2 and slow.most_at_once == 1, "one after the other, never at once"
    assert len(list_backups(collection.backup_dir)) == 2


def test_back_up_now_on_a_full_disk_says_so_and_leaves_nothing_half_written(
    window: MainWindow, collection: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QMessageBox, "information", lambda *a: None)
    window.backups.backup_now_action.trigger()
    earlier = list_backups(collection.backup_dir)
    fill_the_disk(monkeypatch)
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda p, t, text, *a: warned.append(text))
    window.backups.backup_now_action.trigger()
    assert len(warned) == 1 and "No space left on device" in warned[0]
    assert str(collection.backup_dir) in warned[0] and "earlier backups are untouched" in warned[0]
    assert list_backups(collection.backup_dir) == earlier
    assert [p.name for p in collection.backup_dir.iterdir()] == [earlier[0].path.name]

    monkeypatch.undo()  # space freed: what the failed backup missed is written on closing
    assert window.close()
    assert len(list_backups(collection.backup_dir)) == 2
