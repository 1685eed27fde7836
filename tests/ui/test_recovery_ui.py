"""Data safety in the window: damaged database at start, backups, restore, check, one instance."""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from studyapp.collection import Collection
from studyapp.storage import models
from studyapp.storage.backup import list_backups, make_backup
from studyapp.storage.times import to_microseconds
from studyapp.ui import backup_dialogs, launch
from studyapp.ui.backup_dialogs import BackupRow, DamagedChoice, RestoreDialog
from studyapp.ui.launch import AppController
from studyapp.ui.single_instance import LOCK_NAME, SingleInstance
from tests.helpers import (
    corrupt_database,
    damage_page_of,
    fingerprint,
    plain_backup,
    unpacked_backup,
)
from tests.ui.damage_dialog import quit_when_asked_about_damage

NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)


def _answers(path: Path) -> int:
    """The answers in a database file, or in the copy inside a backup archive."""
    connection = sqlite3.connect(unpacked_backup(path, path.parent.parent / "unpacked"))
    try:
        return int(connection.execute("SELECT count(*) FROM review_log").fetchone()[0])
    finally:
        connection.close()


def _add_answer(path: Path) -> None:
    """One answer written as the app writes it (times as microseconds since 1970, UTC)."""
    answered = to_microseconds(dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.UTC))
    due = to_microseconds(dt.datetime(2026, 11, 26, 10, 10, tzinfo=dt.UTC))
    connection = sqlite3.connect(path)
    connection.execute(
        "INSERT INTO review_log (card_number, rating, reviewed_at, duration_ms, state_before, "
        "state_after, due_after) "
        "VALUES ((SELECT number FROM cards WHERE id = 'parties'), 3, ?, 3000, 0, 1, ?)",
        (answered, due),
    )
    connection.execute(
        "UPDATE cards SET state = 1, step = 1, stability = 2.3, difficulty = 2.1, "
        "due = ?, last_review = ? WHERE id = 'parties'",
        (due, answered),
    )
    connection.commit()
    connection.close()


def _controller(data_dir: Path) -> AppController:
    return AppController(launch.make_application(), data_dir, Collection.open)


@pytest.fixture
def damaged(data_dir: Path) -> tuple[Path, Path, str]:
    """A data dir with one good backup (1 answer), then a damaged database."""
    database = data_dir / "study.sqlite3"
    _add_answer(database)
    backup = make_backup(database, data_dir / "backups", NOW - dt.timedelta(hours=2))
    corrupt_database(database)
    return database, backup, fingerprint(database)


def test_damaged_database_restore_the_newest_good_backup(
    data_dir: Path, damaged: tuple[Path, Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    database, _backup, damaged_print = damaged
    offered: list[BackupRow | None] = []

    def choose(parent: object, message: str, row: BackupRow | None) -> DamagedChoice:
        assert "damaged" in message
        offered.append(row)
        return DamagedChoice.RESTORE

    monkeypatch.setattr(backup_dialogs, "ask_about_damaged_database", choose)
    collection = _controller(data_dir).open_collection()
    assert collection is not None
    try:
        assert offered[0] is not None and offered[0].reviews == 1
        assert _answers(database) == 1
    finally:
        collection.close()
    kept = list(data_dir.glob("study.corrupt-*.sqlite3"))
    assert len(kept) == 1 and fingerprint(kept[0]) == damaged_print


def test_damaged_database_start_fresh_keeps_the_old_file(
    data_dir: Path, damaged: tuple[Path, Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    database, _backup, damaged_print = damaged
    monkeypatch.setattr(
        backup_dialogs, "ask_about_damaged_database", lambda *a: DamagedChoice.FRESH
    )
    collection = _controller(data_dir).open_collection()
    assert collection is not None
    collection.close()
    assert _answers(database) == 0
    kept = list(data_dir.glob("study.corrupt-*.sqlite3"))
    assert len(kept) == 1 and fingerprint(kept[0]) == damaged_print


def test_damaged_database_quit_touches_nothing(
    data_dir: Path, damaged: tuple[Path, Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    database, _backup, damaged_print = damaged
    monkeypatch.setattr(backup_dialogs, "ask_about_damaged_database", lambda *a: DamagedChoice.QUIT)
    assert _controller(data_dir).open_collection() is None
    assert fingerprint(database) == damaged_print
    assert not list(data_dir.glob("study.corrupt-*"))


def test_restore_from_the_menu_swaps_the_collection(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = data_dir / "study.sqlite3"
    old = make_backup(database, data_dir / "backups", NOW - dt.timedelta(days=1))  # 0 answers
    _add_answer(database)
    controller = _controller(data_dir)
    collection = controller.open_collection()
    assert collection is not None
    controller.show_window(collection)
    first_window = controller.window
    assert first_window is not None
    qtbot.addWidget(first_window)
    rows: list[list[BackupRow]] = []
    monkeypatch.setattr(RestoreDialog, "choose", lambda parent, r: rows.append(r) or old)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)

    first_window.backups.restore_action.trigger()

    assert [row.reviews for row in rows[0]] == [0]
    assert controller.window is not None and controller.window is not first_window
    qtbot.addWidget(controller.window)
    assert _answers(database) == 0
    safety = [info.path for info in list_backups(data_dir / "backups") if info.path != old]
    assert len(safety) == 1 and _answers(safety[0]) == 1, "the collection was backed up first"
    assert controller.window.review.current_card() is not None
    message = controller.window.statusBar().currentMessage()
    assert f"Restored {old.name}" in message and safety[0].name in message
    assert controller.collection is not None
    controller.collection.close()


def test_backups_on_demand_on_close_and_only_after_changes(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from studyapp.ui.main_window import MainWindow

    messages: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda p, t, text, *a: messages.append(text))
    collection = Collection.open(data_dir)
    window = MainWindow(collection)
    qtbot.addWidget(window)
    backups = window.backups
    assert not backups.auto_backup(), "nothing changed: no periodic backup"
    window.backups.backup_now_action.trigger()
    assert len(list_backups(data_dir / "backups")) == 1 and "Backup written" in messages[0]
    assert backups.on_close() is None, "unchanged since the last backup"
    assert len(list_backups(data_dir / "backups")) == 1
    window.review.setFocus()
    window.review.show_answer()
    window.review.answer(3)
    with qtbot.waitSignal(backups.backupFinished, timeout=20_000) as finished:
        assert backups.auto_backup(), "a change: the periodic backup starts, in the background"
    path = finished.args[0].path
    assert path is not None and _answers(path) == 1
    assert not backups.auto_backup()
    window.review.show_answer()
    window.review.answer(3)
    window.close()
    newest = list_backups(data_dir / "backups")[0].path
    assert _answers(newest) == 2, "closing after a change writes a backup"
    collection.close()


def test_check_database_repairs_and_reports(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from studyapp.ui.backup_dialogs import ReportDialog
    from studyapp.ui.main_window import MainWindow

    collection = Collection.open(data_dir)
    with collection.database.sessions.begin() as session:
        session.execute(
            update(models.Card).where(models.Card.id == "coup-when").values(stability=-2.0)
        )
    reports: list[str] = []
    monkeypatch.setattr(
        ReportDialog, "show_report", lambda parent, title, text: reports.append(text)
    )
    window = MainWindow(collection)
    qtbot.addWidget(window)
    window.backups.check_action.trigger()
    assert "coup-when: new but has scheduling data; reset to new (no answers)" in reports[0]
    assert "After repair the database is sound." in reports[0]
    window.backups.check_action.trigger()
    assert "integrity: ok" in reports[1] and "No problems found." in reports[1]
    collection.close()


def test_second_instance_raises_the_first(qtbot: QtBot, tmp_path: Path) -> None:
    first = SingleInstance(tmp_path)
    second = SingleInstance(tmp_path)
    try:
        assert first.acquire()
        first.listen()
        assert not second.acquire()
        with qtbot.waitSignal(first.raiseRequested, timeout=3000):
            assert second.notify_running()
    finally:
        first.release()
    assert second.acquire(), "released: the next launch gets it"
    second.release()


# A first StudyApp that holds the lock a while before it listens (its window still coming up),
# or (with "leaves") that lets go of it without ever listening.
LISTENS_LATE = r"""
import sys, time
from pathlib import Path
from PySide6.QtCore import QCoreApplication, QTimer
from studyapp.ui.single_instance import SingleInstance

app = QCoreApplication([])
instance = SingleInstance(Path(sys.argv[1]))
assert instance.acquire()
print("locked", flush=True)
time.sleep(0.6)
if sys.argv[2:] == ["leaves"]:
    instance.release()
    print("released", flush=True)
    time.sleep(10)
    sys.exit()
instance.listen()
instance.raiseRequested.connect(lambda: (print("raised", flush=True), app.quit()))
QTimer.singleShot(10_000, app.quit)
app.exec()
instance.release()
"""


def _holder(folder: Path, *mode: str) -> subprocess.Popen[str]:
    holder = subprocess.Popen(
        [sys.executable, "-c", LISTENS_LATE, str(folder), *mode],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "locked"
    return holder


def test_a_second_launch_waits_for_a_first_not_listening_yet(tmp_path: Path) -> None:
    first = _holder(tmp_path)
    try:
        second = SingleInstance(tmp_path)
        assert not second.acquire()
        started = time.monotonic()
        assert second.notify_running(), "it waited for the first to listen"
        assert time.monotonic() - started >= 0.2  # it was not listening when first asked
        assert first.stdout is not None and first.stdout.readline().strip() == "raised"
    finally:
        first.kill()
        first.wait(timeout=10)


def test_a_second_launch_stops_waiting_when_the_first_lets_go(tmp_path: Path) -> None:
    first = _holder(tmp_path, "leaves")
    try:
        second = SingleInstance(tmp_path)
        assert not second.acquire()
        started = time.monotonic()
        assert not second.notify_running(listen_wait_ms=10_000)
        assert time.monotonic() - started < 5, "not the whole wait: the lock was let go"
        assert second.acquire(), "and the lock is this one's to take"
        second.release()
    finally:
        first.kill()
        first.wait(timeout=10)


def test_nobody_answers_when_no_one_listens(tmp_path: Path) -> None:
    holder = SingleInstance(tmp_path)
    assert holder.acquire()  # holds the lock but never listens (hung before its window)
    try:
        started = time.monotonic()
        assert not SingleInstance(tmp_path).notify_running(listen_wait_ms=400)
        waited = time.monotonic() - started
        assert 0.3 <= waited < 2, "it asked again until its wait was over, and no longer"
    finally:
        holder.release()


def test_a_stale_lock_from_a_crashed_process_does_not_block(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    (tmp_path / LOCK_NAME).write_text(
        f"{dead.stdout.strip()}\nstudyapp\n{socket.gethostname()}\n", encoding="utf-8"
    )
    instance = SingleInstance(tmp_path)
    try:
        assert instance.acquire()
    finally:
        instance.release()


def _launch(data_dir: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.Popen(
        [sys.executable, "-m", "studyapp", "--data-dir", str(data_dir)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for_lock(path: Path, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:  # the app may be replacing the file between a look and a read
            holder = path.read_text(encoding="utf-8").split("\n")[0]
        except FileNotFoundError:
            holder = None
        if holder == str(process.pid):
            return
        assert process.poll() is None, process.communicate()
        time.sleep(0.05)
    raise AssertionError("the app did not take its lock")


@pytest.mark.parametrize("start", ["first run", "warm"])
def test_second_launch_exits_and_a_killed_one_does_not_block(
    tmp_path: Path, data_dir: Path, start: str
) -> None:
    """A first run listens before its window; a warm start once its window is painted."""
    if start == "first run":
        data_dir = tmp_path / "new"
    first = _launch(data_dir)
    try:
        _wait_for_lock(data_dir / LOCK_NAME, first)
        second = _launch(data_dir)
        out, err = second.communicate(timeout=30)
        assert second.returncode == 0, err
        assert "already running" in out
        assert first.poll() is None, "the first one keeps running"
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    third = _launch(data_dir)
    try:
        _wait_for_lock(data_dir / LOCK_NAME, third)
    finally:
        third.send_signal(signal.SIGKILL)
        third.wait(timeout=10)


def test_close_backs_up_answers_a_crash_left_unbacked(qtbot: QtBot, data_dir: Path) -> None:
    from studyapp.ui.main_window import MainWindow

    database = data_dir / "study.sqlite3"
    an_hour_ago = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    make_backup(database, data_dir / "backups", an_hour_ago)
    _add_answer(database)  # answered in a session that was killed before it could back up
    collection = Collection.open(data_dir)
    window = MainWindow(collection)
    qtbot.addWidget(window)
    window.close()  # nothing changed in this session
    collection.close()
    newest = list_backups(data_dir / "backups")
    assert len(newest) == 2 and _answers(newest[0].path) == 1


def test_damage_found_while_reading_a_large_file_offers_recovery(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from studyapp.storage import database as database_module

    monkeypatch.setattr(database_module, "FULL_PROBE_MAX_BYTES", 0)  # no page check at start
    corrupt_database(data_dir / "study.sqlite3")
    damaged_print = fingerprint(data_dir / "study.sqlite3")
    asked: list[str] = []

    def fresh(parent: object, message: str, row: BackupRow | None) -> DamagedChoice:
        asked.append(message)
        return DamagedChoice.FRESH

    monkeypatch.setattr(backup_dialogs, "ask_about_damaged_database", fresh)
    controller = _controller(data_dir)
    # The probe skipped the pages; the first read finds them.
    collection = controller.open_collection()
    assert collection is not None
    assert controller.show_window(collection)
    assert controller.window is not None
    qtbot.addWidget(controller.window)
    assert len(asked) == 1 and "damaged" in asked[0]
    assert controller.window.review.current_card() is not None
    kept = list(data_dir.glob("study.corrupt-*.sqlite3"))
    assert len(kept) == 1 and fingerprint(kept[0]) == damaged_print
    assert controller.collection is not None
    controller.collection.close()


def test_the_restore_list_counts_answers_in_zip_and_plain_backups(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from studyapp.ui.main_window import MainWindow

    database = data_dir / "study.sqlite3"
    backups = data_dir / "backups"
    plain = plain_backup(database, backups, NOW - dt.timedelta(days=3))  # the released kind
    _add_answer(database)
    zipped = make_backup(database, backups, NOW - dt.timedelta(days=1))
    broken = backups / f"backup-{NOW - dt.timedelta(days=2):%Y%m%d-%H%M%S}.zip"
    broken.write_bytes(b"not a zip")
    collection = Collection.open(data_dir)
    window = MainWindow(collection)
    qtbot.addWidget(window)
    rows: list[list[BackupRow]] = []
    monkeypatch.setattr(RestoreDialog, "choose", lambda parent, r: rows.append(r) or None)
    window.backups.restore_action.trigger()
    assert [(row.path, row.reviews) for row in rows[0]] == [(zipped, 1), (broken, None), (plain, 0)]
    dialog = RestoreDialog(rows[0])
    qtbot.addWidget(dialog)
    items = [dialog.table.topLevelItem(index) for index in range(3)]
    assert [item.text(1) for item in items] == ["1", "unreadable", "0"]
    assert items[1].isDisabled() and dialog.chosen() == zipped
    collection.close()


def _deferred_check_controller(data_dir: Path) -> AppController:
    """The controller as `studyapp` runs it: opening leaves the page check to the window."""
    return AppController(
        launch.make_application(),
        data_dir,
        lambda folder: Collection.open(folder, check_pages=False),
    )


def test_damage_the_page_check_finds_once_the_window_shows_offers_recovery(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = data_dir / "study.sqlite3"
    damage_page_of(database, "card_search_fts_idx")  # a page only the check reads
    asked = quit_when_asked_about_damage(monkeypatch)
    controller = _deferred_check_controller(data_dir)
    collection = controller.open_collection()
    assert collection is not None and not asked  # the start did not wait for the check
    assert controller.show_window(collection)
    window = controller.window
    assert window is not None
    qtbot.waitUntil(lambda: bool(asked), timeout=10_000)
    assert "damaged" in asked[0] and str(database) in asked[0]
    shown = [w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow"]
    assert not [w for w in shown if w.isVisible()]  # Quit: no window left open on it
    assert controller.window is None and controller.collection is None


def test_start_fresh_after_damage_found_behind_the_window_opens_a_new_collection(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = data_dir / "study.sqlite3"
    damage_page_of(database, "card_search_fts_idx")
    damaged_print = fingerprint(database)
    monkeypatch.setattr(
        backup_dialogs, "ask_about_damaged_database", lambda *a: DamagedChoice.FRESH
    )
    controller = _deferred_check_controller(data_dir)
    collection = controller.open_collection()
    assert collection is not None and controller.show_window(collection)
    first = controller.window
    qtbot.waitUntil(lambda: controller.window is not first, timeout=10_000)
    fresh = controller.window
    assert fresh is not None and fresh.isVisible()
    qtbot.addWidget(fresh)
    assert controller.page_check is not None
    qtbot.waitUntil(lambda: not controller.page_check.running, timeout=10_000)
    assert controller.window is fresh  # the new collection's pages are sound
    kept = list(data_dir.glob("study.corrupt-*.sqlite3"))
    assert len(kept) == 1 and fingerprint(kept[0]) == damaged_print
    assert controller.collection is not None
    controller.collection.close()


def test_quitting_after_damage_found_behind_the_window_exits_as_a_failed_start(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtCore import QTimer

    damage_page_of(data_dir / "study.sqlite3", "card_search_fts_idx")
    asked = quit_when_asked_about_damage(monkeypatch)
    controller = _deferred_check_controller(data_dir)
    hang = QTimer()  # should the damage go unreported, the test fails instead of blocking
    hang.setSingleShot(True)
    hang.timeout.connect(launch.make_application().quit)
    hang.start(20_000)
    try:
        assert controller.run() == launch.EXIT_CANNOT_OPEN
    finally:
        hang.stop()
    assert len(asked) == 1 and "damaged" in asked[0]


def test_damage_found_behind_an_open_dialog_waits_until_it_closes(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While a dialog is open (or an operation runs its progress), the window and its
    collection stay: the recovery dialog comes once the dialog is closed."""
    damage_page_of(data_dir / "study.sqlite3", "card_search_fts_idx")
    asked = quit_when_asked_about_damage(monkeypatch)
    controller = _deferred_check_controller(data_dir)
    collection = controller.open_collection()
    assert collection is not None and controller.show_window(collection)
    window = controller.window
    assert window is not None
    dialog = QDialog(window)
    dialog.setModal(True)
    dialog.show()
    check = controller.page_check
    assert check is not None
    qtbot.waitUntil(lambda: not check.running, timeout=10_000)
    qtbot.wait(600)  # more than the check's answer and two looks again
    assert not asked and controller.collection is collection and window.isVisible()
    dialog.close()
    qtbot.waitUntil(lambda: bool(asked), timeout=5_000)
    assert controller.window is None and controller.collection is None
