"""The longest the GUI thread stalls: the longest gap between the ticks of a 5 ms QTimer.

A gap is measured from the last tick before a piece of work to the first after it, so a GUI
thread blocked by the work shows as one long gap; an idle event loop on a loaded machine shows
its own few milliseconds too.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator

from PySide6.QtCore import QEventLoop, Qt, QTimer

TICK_MS = 5
SETTLE_MS = 50  # ticks before and after the work, so that its gaps have both ends


def longest_gap_during(action: Callable[[], None]) -> float:
    """Run action inside the event loop with a 5 ms timer ticking; the longest gap in ms."""
    return longest_gap_over(iter([action]), 0)


def longest_gap_over(steps: Iterator[Callable[[], None]], pause_ms: int) -> float:
    """Run each step from the event loop, pause_ms apart (the loop paints and ticks between
    them, as it does between a learner's key presses), with a 5 ms timer ticking; the longest
    gap between two ticks, in ms."""
    ticks: list[float] = []
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(TICK_MS)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    loop = QEventLoop()
    failures: list[BaseException] = []

    def run_next() -> None:
        step = next(steps, None)
        if step is None:
            QTimer.singleShot(SETTLE_MS, loop.quit)
            return
        try:
            step()
        except Exception as error:  # raised again outside the event loop
            failures.append(error)
            loop.quit()
            return
        QTimer.singleShot(pause_ms, run_next)

    timer.start()
    QTimer.singleShot(SETTLE_MS, run_next)
    loop.exec()
    timer.stop()
    if failures:
        raise failures[0]
    return max(later - earlier for earlier, later in itertools.pairwise(ticks)) * 1000
