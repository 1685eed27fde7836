"""Statistics and memory-map figures, measured in the child on the real window.

- Opening Statistics: Study > Statistics until every chart has painted (the charts below the
  fold are painted into a pixmap, as scrolling to them would), the first time (pyqtgraph is
  imported then) and again (the window refreshes its figures).
- The memory map: turning View > Memory Map on (the whole map read and drawn); with it on, the
  refresh the window makes after each answer (the answered cards' sentences and events read
  again, both panes' tints redrawn), timed around the same call MainWindow._on_changes makes;
  and the answer latency with the map on.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QApplication

from studyapp.bench.answers import run_answers

if TYPE_CHECKING:
    from studyapp.clock import FakeClock
    from studyapp.collection import Changes, Collection
    from studyapp.ui.main_window import MainWindow


def _open_statistics(window: MainWindow) -> float:
    from PySide6.QtCore import QEventLoop

    app = QApplication.instance()
    assert app is not None
    started = time.perf_counter()
    window.show_statistics()
    from studyapp.ui.stats.window import StatisticsWindow

    stats = window.findChild(StatisticsWindow)
    assert isinstance(stats, StatisticsWindow)
    app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    for chart in stats.charts():
        if chart.grab().isNull() or not chart.painted:
            raise RuntimeError(f"the chart {chart.objectName()} did not paint")
    return time.perf_counter() - started


def run_statistics(window: MainWindow) -> dict[str, float]:
    """Seconds to open Statistics with every chart painted: first time, then again; the window
    is closed afterwards (what the bench measures next sees the main window alone)."""
    first = _open_statistics(window)
    again = _open_statistics(window)
    from studyapp.ui.stats.window import StatisticsWindow

    stats = window.findChild(StatisticsWindow)
    if stats is not None:
        stats.close()
    return {"stats_open_s": first, "stats_reopen_s": again}


def run_memory_map(
    window: MainWindow, collection: Collection, clock: FakeClock, answers: int
) -> dict[str, Any]:
    """With the memory map on: the time to turn it on (the whole map read and drawn), the
    refresh after each of `answers` answers (the answered cards' sentences and events, as
    MainWindow._on_changes does it), and those answers' latency (ms)."""
    if window.memory_map_action.isChecked():
        window.memory_map_action.trigger()
    started = time.perf_counter()
    window.memory_map_action.trigger()  # on: the whole map
    full_ms = (time.perf_counter() - started) * 1000
    changed: list[Changes] = []
    window.operations.changed.connect(lambda changes, _initiator: changed.append(changes))
    refresh_ms: list[float] = []
    latencies: list[float] = []
    for _ in range(answers):
        latencies += run_answers(window, collection, clock, 1)  # refreshes the map itself
        started = time.perf_counter()
        window.refresh_memory_map(changed[-1].card_ids)  # the same refresh again, alone
        refresh_ms.append((time.perf_counter() - started) * 1000)
    window.memory_map_action.trigger()  # off again
    return {
        "memory_map_full_ms": full_ms,
        "memory_map_ms": refresh_ms,
        "answers_with_map_ms": latencies,
    }
