"""The benchmark's child process: start a window, say when it is painted, then measure more.

Modes (`python -m studyapp.bench.child MODE [DATA_DIR]`):

- floor: a bare QMainWindow, the floor: Python plus Qt's own start-up.
- start: the real app, through studyapp.app.main (the same path as `python -m studyapp`).
- session: the real window built directly on a fake-clock Collection, then --answers
  answers (and a quarter as many again with the event loop's longest gap measured) and
  --frames timeline frames measured on it; then the memory map (refresh after
  answers) and opening Statistics (see statistics.py); then a backup and closing the window
  (which backs up again) with the event loop's longest gap during each.
- browser: the real window, then the card browser opened with B and measured (bench/browser.py:
  search, sort, --pages Page Down steps, memory).

Each prints `BENCH-READY <peak RSS in KiB>` as soon as the window is exposed and each pane (the
article, the timeline, the review pane) has been painted; the parent times spawn -> READY. Then
it prints its other figures as one `BENCH-RESULT <json>` line. Imports are deferred so that each
mode loads only what the real program would.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from PySide6.QtCore import QObject
    from PySide6.QtWidgets import QWidget

READY = "BENCH-READY"
RESULT = "BENCH-RESULT"
TIMEOUT_S = 120.0  # a child that hangs (a dialog nobody answers) is killed and reported
PANES = ("articlePane", "timelinePane", "reviewPane")  # objectNames; the panes set them


def peak_rss_kib() -> int:
    """Peak resident set size of this process so far, in KiB.

    Linux's VmHWM where there is one: ru_maxrss would do, but across fork and exec Linux
    carries the parent's high-water mark into it, so a child of a big parent (one that has just
    generated the synthetic collection) would report the parent's peak, not its own.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _ready() -> None:
    print(f"{READY} {peak_rss_kib()}", flush=True)


def _finish(result: dict[str, Any]) -> NoReturn:
    print(f"{RESULT} {json.dumps(result)}", flush=True)
    # Skip Qt's and Python's teardown: everything is saved and closed, the parent waits for us.
    os._exit(0)


def _watchdog() -> None:
    def expire() -> None:
        print(f"studyapp.bench.child: no result after {TIMEOUT_S:.0f} s", file=sys.stderr)
        os._exit(3)

    timer = threading.Timer(TIMEOUT_S, expire)
    timer.daemon = True
    timer.start()


class GapTimer:
    """A 5 ms timer in the GUI thread from start() to stop(): the longest gap between its
    ticks (and from the last one to stop()) is the longest the event loop was held up."""

    TICK_MS = 5

    def __init__(self) -> None:
        self._ticks: list[float] = []
        self._timer: Any = None

    def start(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        if self._timer is not None:
            return
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(self.TICK_MS)
        self._timer.timeout.connect(lambda: self._ticks.append(time.perf_counter()))
        self._ticks.append(time.perf_counter())
        self._timer.start()

    def stop(self) -> float | None:
        """The longest gap in ms; None if the timer never started."""
        if self._timer is None:
            return None
        self._timer.stop()
        ticks = [*self._ticks, time.perf_counter()]
        return max(later - earlier for earlier, later in itertools.pairwise(ticks)) * 1000


def paint_watch(
    names: tuple[str, ...],
    when_painted: Callable[[], None] | None = None,
    shown: Callable[[], None] | None = None,
) -> tuple[QObject, set[str]]:
    """An application event filter that removes a name from the returned set once a widget of
    that objectName, or a widget inside it, receives a paint event (every pane gets its content
    before the window shows). The filter sees the event before the widget paints, so
    `when_painted` runs at the next turn of the event loop, when that paint pass is over.
    `shown` runs when the main window is shown."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QWidget

    pending = set(names)

    class PaintWatch(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if (
                shown is not None
                and event.type() == QEvent.Type.Show
                and isinstance(watched, QWidget)
                and watched.objectName() == "mainWindow"
            ):
                shown()
            if pending and event.type() == QEvent.Type.Paint and isinstance(watched, QWidget):
                widget: QWidget | None = watched
                while widget is not None:
                    pending.discard(widget.objectName())
                    widget = widget.parentWidget()
                if not pending and when_painted is not None:
                    QTimer.singleShot(0, when_painted)
            return False

    return PaintWatch(), pending


def _pane(window: QWidget, name: str) -> QWidget:
    from PySide6.QtWidgets import QWidget

    pane = window.findChild(QWidget, name)
    if pane is None:
        raise RuntimeError(f"the main window has no pane named {name!r}")
    return pane


def _describe(window: QWidget) -> dict[str, Any]:
    """What the window shows, and whether each pane really has pixels (not timed)."""
    review = _pane(window, "reviewPane")
    card = review.current_card()  # type: ignore[attr-defined]
    return {
        "title": window.windowTitle(),
        "card": None if card is None else card.id,
        "painted": {name: not _pane(window, name).grab().isNull() for name in PANES},
    }


def run_floor() -> dict[str, Any]:
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    watch, pending = paint_watch(("floorWindow",))
    app.installEventFilter(watch)
    window = QMainWindow()
    window.setObjectName("floorWindow")
    window.resize(800, 600)  # the size StudyApp picks on the offscreen platform's screen
    window.show()
    while pending:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
    _ready()
    return {"title": window.windowTitle()}


def run_start(data_dir: Path, gaps: bool = False) -> dict[str, Any]:
    """Start the real app and close it as soon as its window is painted. gaps: also the
    longest gap of the event loop from the window shown until it is painted and its collection
    open (on a warm start it opens in a worker thread after the first paint: ui/launch.py), a
    5 ms timer's ticks, measured in processes of their own, as the ticking slows the start a
    little; and how long after the paint the collection was open."""
    # In the order `python -m studyapp` imports them: Qt, the window, and SQLAlchemy only once
    # the window is painted (a warm start: the first screen's reader, ui/launch.py).
    from PySide6.QtCore import QTimer

    from studyapp.app import main
    from studyapp.ui.launch import make_application

    app = make_application()  # run_window reuses this instance
    result: dict[str, Any] = {}
    timer = GapTimer()

    def painted() -> None:
        _ready()
        painted_at = time.perf_counter()
        app.removeEventFilter(watch)
        window = next(w for w in app.topLevelWidgets() if w.objectName() == "mainWindow")
        if not gaps:
            result.update(_describe(window))
            window.close()  # saves the layout as quitting does; the app then leaves exec()
            return

        def when_open() -> None:
            # The window's collection: a StartingCollection until it is open (is_open).
            if not getattr(window.operations.collection, "is_open", True):  # type: ignore[attr-defined]
                QTimer.singleShot(2, when_open)
                return
            result["start_gap_ms"] = timer.stop()
            result["open_after_paint_ms"] = (time.perf_counter() - painted_at) * 1000
            result.update(_describe(window))  # its grabs are not the start's: after the timer
            window.close()

        when_open()

    watch, _pending = paint_watch(PANES, painted, shown=timer.start if gaps else None)
    app.installEventFilter(watch)
    result["exit_status"] = main(["--data-dir", str(data_dir)])
    return result


def run_session(data_dir: Path, answers: int, frames: int) -> dict[str, Any]:
    """The real window on a fake clock; then answers and timeline frames, measured."""
    from PySide6.QtCore import QEventLoop

    from studyapp.bench.answers import longest_gap_answering, run_answers
    from studyapp.bench.backups import run_backups
    from studyapp.bench.statistics import run_memory_map, run_statistics
    from studyapp.bench.timeline import run_frames
    from studyapp.clock import FakeClock
    from studyapp.collection import Collection
    from studyapp.ui.launch import make_application
    from studyapp.ui.main_window import MainWindow

    app = make_application()
    watch, pending = paint_watch(PANES)
    app.installEventFilter(watch)
    clock = FakeClock()
    collection = Collection.open(data_dir, clock.now)
    window = MainWindow(collection)
    window.show()
    while pending:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
    app.removeEventFilter(watch)
    _ready()
    result = _describe(window)
    result["answers_ms"] = run_answers(window, collection, clock, answers)
    result["rss_after_answers_kib"] = peak_rss_kib()
    result["answer_gap_count"] = gap_answers = max(1, answers // 4)
    result["answer_gap_ms"] = longest_gap_answering(window, collection, clock, gap_answers)
    # With a question up the veil covers the timeline and nothing of it is painted: measure
    # the timeline as the learner sees it with the veil turned off (View menu).
    window.answer_guard.set_veiled(False)
    if window.answer_guard.is_covering():
        raise RuntimeError("the timeline is still covered: its frames would measure nothing")
    result["frames_ms"] = run_frames(window.timeline, frames)
    result.update(run_memory_map(window, collection, clock, max(1, answers // 4)))
    result.update(run_statistics(window))
    result["backups"] = run_backups(window, collection, clock)  # closes the window
    collection.close()
    return result


def run_browser_mode(data_dir: Path, pages: int) -> dict[str, Any]:
    """The real window, then the browser opened with B and measured (bench/browser.py)."""
    from PySide6.QtCore import QEventLoop

    from studyapp.bench.browser import run_browser
    from studyapp.collection import Collection
    from studyapp.ui.launch import make_application
    from studyapp.ui.main_window import MainWindow

    app = make_application()
    watch, pending = paint_watch(PANES)
    app.installEventFilter(watch)
    collection = Collection.open(data_dir)
    window = MainWindow(collection)
    window.show()
    while pending:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
    app.removeEventFilter(watch)
    _ready()
    result = _describe(window)
    result.update(run_browser(window, pages))
    window.close()
    collection.close()
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m studyapp.bench.child")
    parser.add_argument("mode", choices=("floor", "start", "session", "browser"))
    parser.add_argument("data_dir", nargs="?", type=Path)
    parser.add_argument("--answers", type=int, default=200)
    parser.add_argument("--frames", type=int, default=20)
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--gaps", action="store_true", help="start: the event loop's gaps")
    args = parser.parse_args(argv)
    _watchdog()
    if args.mode == "floor":
        _finish(run_floor())
    if args.data_dir is None:
        parser.error(f"{args.mode} needs a data dir")
    if args.mode == "start":
        _finish(run_start(args.data_dir, args.gaps))
    if args.mode == "browser":
        _finish(run_browser_mode(args.data_dir, args.pages))
    _finish(run_session(args.data_dir, args.answers, args.frames))


if __name__ == "__main__":
    main()
