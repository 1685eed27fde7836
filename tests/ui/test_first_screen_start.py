"""A warm start paints the window from the first screen's reader, before SQLAlchemy loads; the
collection opens behind it, and whatever the learner does first waits for it."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from studyapp.collection import Collection, StartupError
from studyapp.storage.errors import CorruptDatabaseError
from studyapp.ui import launch
from studyapp.ui.error_dialog import install_error_dialog
from studyapp.ui.launch import AppController
from studyapp.ui.main_window import MainWindow
from tests.helpers import damage_page_of
from tests.ui.damage_dialog import quit_when_asked_about_damage

# The real program (`python -m studyapp`'s main) in a process of its own, so that what it
# imports is its own: at the first paint of the three panes, the learner presses Space and 3.
START_AND_ANSWER = r"""
import gc, json, sys
from pathlib import Path
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from studyapp.app import main
from studyapp.bench.child import PANES, paint_watch
from studyapp.ui.launch import make_application

app = make_application()
found = {}

# Loaded only once the window is up: the single-instance socket's, the backups' (zip archives),
# the values of the collection's operations (the collection imports them as it opens).
AFTER_PAINT = (
    "PySide6.QtNetwork", "hashlib", "studyapp.storage.backup", "studyapp.storage.recovery",
    "studyapp.collection.changes", "studyapp.collection.selection",
)

class Loaded(QObject):
    # At each pane's first paint: whether SQLAlchemy was loaded then (and the others).

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and isinstance(watched, QWidget):
            widget = watched
            while widget is not None:
                found.setdefault(widget.objectName(), "sqlalchemy" in sys.modules)
                widget = widget.parentWidget()
            found.setdefault("after_paint_loaded", [m for m in AFTER_PAINT if m in sys.modules])
            found.setdefault("collecting_at_paint", gc.isenabled())
        return False


def painted():
    app.removeEventFilter(watch)
    app.removeEventFilter(loaded)
    window = next(w for w in app.topLevelWidgets() if w.objectName() == "mainWindow")
    found["sqlalchemy_at_paint"] = [found[name] for name in PANES]
    card = window.review.current_card()
    found["first_card"] = card.id
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    found["events_on_the_timeline"] = [
        event_id for event_id in card.event_ids if window.timeline.item(event_id) is not None
    ]
    found["card_events"] = list(card.event_ids)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_3)
    found["next_card"] = window.review.current_card().id
    found["sqlalchemy_after_answer"] = "sqlalchemy" in sys.modules
    close_once_collecting(window, 250)


def close_once_collecting(window, tries):
    # Cycle collection resumes, start-up frozen, once the collection behind the window opened
    # (the answer waited for it; the launcher hears of it at a later turn): 5 s at most.
    if gc.isenabled() or not tries:
        found["collecting_while_open"] = gc.isenabled()
        found["frozen_while_open"] = gc.get_freeze_count() > 0
        window.close()
        return
    QTimer.singleShot(20, lambda: close_once_collecting(window, tries - 1))

watch, _pending = paint_watch(PANES, painted)
loaded = Loaded()
app.installEventFilter(loaded)
app.installEventFilter(watch)
found["exit_status"] = main(["--data-dir", sys.argv[1]])
found["collecting_after"] = gc.isenabled()
print(json.dumps(found))
"""


def _answers(database: Path) -> list[str]:
    with sqlite3.connect(database) as connection:
        return [
            row[0]
            for row in connection.execute(
                "SELECT cards.id FROM review_log JOIN cards ON cards.number = card_number"
            )
        ]


def test_a_warm_start_paints_before_sqlalchemy_loads_and_the_first_answer_is_saved(
    data_dir: Path,
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", START_AND_ANSWER, str(data_dir)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    # Each pane painted from the first screen's reader, before SQLAlchemy was imported.
    assert found["sqlalchemy_at_paint"] == [False, False, False]
    assert found["after_paint_loaded"] == []
    # No cycle collection until the window is up and its collection open; then what start-up
    # made is frozen out of later collections.
    assert found["collecting_at_paint"] is False
    assert found["collecting_while_open"] is True and found["frozen_while_open"] is True
    assert found["collecting_after"] is True
    assert found["first_card"] == "parties"
    # Its answer shows its events on the timeline.
    assert found["card_events"] and found["events_on_the_timeline"] == found["card_events"]
    assert found["sqlalchemy_after_answer"] is True  # the answer waited for the collection
    assert found["next_card"] != "parties"
    assert found["exit_status"] == 0
    assert _answers(data_dir / "study.sqlite3") == ["parties"]


def _slow_opener(seconds: float) -> launch.Opener:
    def open_slowly(folder: Path) -> Collection:
        time.sleep(seconds)  # a collection that takes its time to open, behind the window
        return Collection.open(folder, check_pages=False)

    return open_slowly


def _first_screen_shown(qtbot: QtBot, controller: AppController) -> MainWindow:
    """The window the first screen's reader painted (the collection opens behind it)."""
    assert controller.show_first_screen()
    window = controller.window
    assert window is not None
    qtbot.addWidget(window)
    return window


def test_an_answer_given_while_the_collection_opens_waits_for_it(
    qtbot: QtBot, data_dir: Path
) -> None:
    controller = AppController(launch.make_application(), data_dir, _slow_opener(0.5))
    window = _first_screen_shown(qtbot, controller)
    assert window.review.current_card().id == "parties"
    assert not controller.collection.is_open  # type: ignore[union-attr]
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_3)
    assert _answers(data_dir / "study.sqlite3") == ["parties"]
    assert window.review.current_card().id != "parties"
    assert "1 learning" in window.status_text()
    assert controller.collection is not None
    controller.collection.close()


def test_the_start_is_over_once_painted_and_open_behind_the_first_screen(
    qtbot: QtBot, data_dir: Path
) -> None:
    """started() (app.py resumes cycle collection then) waits for the collection behind the
    painted window, and is called once."""
    calls: list[bool] = []
    controller = AppController(
        launch.make_application(),
        data_dir,
        _slow_opener(0.5),
        started=lambda: calls.append(bool(controller.collection.is_open)),  # type: ignore[union-attr]
    )
    window = _first_screen_shown(qtbot, controller)
    qtbot.waitExposed(window)
    qtbot.wait(100)
    assert calls == [], "not while the collection is still opening"
    qtbot.waitUntil(lambda: bool(calls), timeout=10_000)
    qtbot.wait(200)
    assert calls == [True]
    assert controller.collection is not None
    controller.collection.close()


def test_the_start_is_over_once_the_main_path_window_is_painted(
    qtbot: QtBot, data_dir: Path
) -> None:
    calls: list[bool] = []
    controller = AppController(
        launch.make_application(),
        data_dir,
        Collection.open,
        started=lambda: calls.append(controller.window is not None),
    )
    collection = controller.open_collection()
    assert collection is not None
    assert controller.show_window(collection)
    assert calls == [], "not before the window is painted"
    window = controller.window
    assert window is not None
    qtbot.addWidget(window)
    # At the first paint, not at the fallback a second after a window that never paints.
    qtbot.waitUntil(lambda: bool(calls), timeout=launch.OPEN_UNPAINTED_MS - 100)
    qtbot.wait(launch.OPEN_UNPAINTED_MS + 200)  # past the fallback: still once
    assert calls == [True]
    collection.close()


def test_the_main_path_opens_what_the_reader_leaves_to_it(qtbot: QtBot, tmp_path: Path) -> None:
    """No database yet: the first run migrates and seeds on the main path, as before."""
    controller = AppController(launch.make_application(), tmp_path / "new", _slow_opener(0))
    assert not controller.show_first_screen()
    assert controller.window is None and not (tmp_path / "new" / "study.sqlite3").exists()


def test_damage_found_opening_behind_the_first_screen_offers_recovery(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = quit_when_asked_about_damage(monkeypatch)

    def damaged(folder: Path) -> Collection:
        message = f"The database {folder / 'study.sqlite3'} is damaged (a test)."
        raise StartupError(message) from CorruptDatabaseError(message)

    started: list[bool] = []
    controller = AppController(
        launch.make_application(), data_dir, damaged, started=lambda: started.append(True)
    )
    assert controller.show_first_screen()  # the reader read it: the window shows
    qtbot.waitUntil(lambda: bool(asked), timeout=10_000)
    assert "damaged (a test)" in asked[0]
    assert started == [], "a start that failed is not over (nothing is frozen)"
    shown = [w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow"]
    assert not [w for w in shown if w.isVisible()]  # Quit: no window left open on it
    assert controller.window is None and controller.collection is None


def test_the_page_check_runs_once_the_collection_opened_behind_the_first_screen(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = data_dir / "study.sqlite3"
    damage_page_of(database, "card_search_fts_idx")  # a page only the check reads
    asked = quit_when_asked_about_damage(monkeypatch)
    controller = AppController(launch.make_application(), data_dir, _slow_opener(0))
    assert controller.show_first_screen()
    qtbot.waitUntil(lambda: bool(asked), timeout=10_000)
    assert "damaged" in asked[0] and str(database) in asked[0]
    assert controller.window is None and controller.collection is None


def test_damage_the_reader_meets_leaves_the_start_to_the_main_path_and_its_recovery(
    qtbot: QtBot,
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    damage_page_of(data_dir / "study.sqlite3", "passages")  # the article's text
    asked = quit_when_asked_about_damage(monkeypatch)
    controller = AppController(launch.make_application(), data_dir, _slow_opener(0))
    assert not controller.show_first_screen()  # the reader gave up: no window of its own
    assert "the first screen could not be read" in capsys.readouterr().err
    assert controller.window is None and controller.collection is None
    # Then the start goes on as `run` does: the main path, which offers recovery.
    collection = controller.open_collection()
    assert collection is not None
    assert not controller.show_window(collection)
    assert asked and "damaged" in asked[0]


def test_the_first_card_buried_then_undone_comes_back_after_a_warm_start(
    qtbot: QtBot, data_dir: Path
) -> None:
    """The first card came from the reader: the collection keeps it on screen as its own, so
    Undo brings it back as it does on the main path."""
    controller = AppController(launch.make_application(), data_dir, _slow_opener(0))
    window = _first_screen_shown(qtbot, controller)
    assert window.review.current_card().id == "parties"
    window.review.bury_action.trigger()  # the "-" key
    assert window.review.current_card().id != "parties"
    window.undo_action.trigger()  # Ctrl+Z
    assert window.review.current_card().id == "parties"
    assert controller.collection is not None
    controller.collection.close()


def test_with_the_memory_map_left_on_the_window_shows_before_the_collection_opens(
    qtbot: QtBot, data_dir: Path
) -> None:
    (data_dir / "window.ini").write_text("[view]\nmemory_map=true\n")
    controller = AppController(launch.make_application(), data_dir, _slow_opener(0.5))
    window = _first_screen_shown(qtbot, controller)
    assert window.memory_map_action.isChecked() and not window.memory_map.on
    assert not controller.collection.is_open  # type: ignore[union-attr]  # nothing waited
    qtbot.waitUntil(lambda: window.memory_map.on, timeout=10_000)  # on once it is open
    assert controller.collection is not None
    controller.collection.close()


def test_a_failed_opening_met_by_the_learner_first_is_the_starts_to_report(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Space before the failed opening reached the window: no crash dialog, the recovery."""
    asked = quit_when_asked_about_damage(monkeypatch)
    errors: list[str] = []
    monkeypatch.setattr(
        "studyapp.ui.error_dialog.ErrorDialog.exec", lambda self: errors.append("shown") or 0
    )

    def damaged(folder: Path) -> Collection:
        message = f"The database {folder / 'study.sqlite3'} is damaged (a test)."
        raise StartupError(message) from CorruptDatabaseError(message)

    controller = AppController(launch.make_application(), data_dir, damaged)
    previous = install_error_dialog(lambda: controller.window)
    try:
        assert controller.show_first_screen()
        window = controller.window
        assert window is not None
        window.review.show_answer()  # waits for the opening, which fails
    except Exception as error:  # as a slot would: to the error hook
        sys.excepthook(type(error), error, error.__traceback__)
    finally:
        qtbot.waitUntil(lambda: bool(asked), timeout=10_000)
        sys.excepthook = previous
    assert errors == []  # no "something went wrong" dialog
    assert "damaged (a test)" in asked[0]
