"""Answer latency: a grade key press until the next card is painted, the commit included.

Runs in the child, on the real window: each answer is a real key press on the real ReviewPane,
through the real Collection and its committed transaction, then a synchronous repaint of the
pane. A fake clock moves two minutes between answers, so learning cards come due; when the
queue is empty it jumps to the next due time (untimed), so a small deck never runs dry.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from studyapp.bench.gaps import longest_gap_over
from studyapp.clock import FakeClock
from studyapp.ui.answer_guard import REVEAL_TIMELINE_MS

if TYPE_CHECKING:
    from studyapp.collection import Collection
    from studyapp.ui.main_window import MainWindow
    from studyapp.ui.review import ReviewPane

STEP = dt.timedelta(minutes=2)
SETTLE_AFTER_SPACE_MS = 2 * REVEAL_TIMELINE_MS
KEY_PAUSE_MS = 60  # between two key presses of the gap figure (a learner takes longer)
# Mostly Good, some Again, Hard and Easy: lapses and relearning show up as in real study.
RATING_CYCLE = (3, 3, 3, 1, 3, 4, 3, 2, 3, 3)
RATING_KEYS = {1: Qt.Key.Key_1, 2: Qt.Key.Key_2, 3: Qt.Key.Key_3, 4: Qt.Key.Key_4}


class AnswerError(RuntimeError):
    """The answer benchmark could not go on (no card, or a key press that did nothing)."""


def review_rows(collection: Collection) -> int:
    return collection.review_count()


def _ensure_card(pane: ReviewPane, collection: Collection, clock: FakeClock) -> None:
    """If the pane is done for now, move the clock to when a card is due and look again."""
    if pane.current_card() is not None:
        return
    due = collection.next_due()
    if due is None:
        raise AnswerError("no card will ever come due: the deck is empty or all suspended")
    clock.current = max(clock.current, due) + dt.timedelta(seconds=1)
    pane.refresh()
    if pane.current_card() is None:
        raise AnswerError(f"no card to study at {clock.current}, though next_due said {due}")


def _settle(app: QCoreApplication) -> None:
    """Let the window settle as a learner sees it before grading (the timeline's veil lifts
    and its event is selected; then the grade covers and clears it again). The event loop
    keeps running meanwhile, so the process stays as warm as it was when this only processed
    the pending events."""
    until = time.perf_counter() + SETTLE_AFTER_SPACE_MS / 1000
    while time.perf_counter() < until:
        app.processEvents()


def run_answers(
    window: MainWindow, collection: Collection, clock: FakeClock, count: int
) -> list[float]:
    """Answer `count` cards by key press; return each answer's latency in milliseconds."""
    app = QApplication.instance()
    assert app is not None
    pane = window.review
    rows_before = review_rows(collection)
    latencies = []
    for number in range(count):
        _ensure_card(pane, collection, clock)
        if not pane.answer_shown():  # (it is already shown after the timeline's frames)
            QTest.keyClick(pane, Qt.Key.Key_Space)  # show the answer: not part of the figure
        if not pane.answer_shown():
            raise AnswerError("Space did not show the answer")
        _settle(app)
        key = RATING_KEYS[RATING_CYCLE[number % len(RATING_CYCLE)]]
        started = time.perf_counter()
        QTest.keyClick(pane, key)
        pane.repaint()  # paint the next card now, not at the next turn of the event loop
        latencies.append((time.perf_counter() - started) * 1000)
        if pane.answer_shown():
            raise AnswerError("the grade key did not answer the card")
        app.processEvents()  # the rest of the window (status bar) catches up, untimed
        clock.advance(STEP)
    saved = review_rows(collection) - rows_before
    if saved != count:
        raise AnswerError(f"{count} answers were timed but {saved} were saved")
    return latencies


def _advance(clock: FakeClock) -> None:
    clock.advance(STEP)


def longest_gap_answering(
    window: MainWindow, collection: Collection, clock: FakeClock, count: int
) -> float:
    """The longest the GUI thread stalls while `count` cards are answered (Space, then the
    grade key, each pressed from the event loop, which paints the window between them); ms."""
    pane = window.review
    rows_before = review_rows(collection)

    def press(key: Qt.Key) -> Callable[[], None]:
        return lambda: QTest.keyClick(pane, key)

    def steps() -> Iterator[Callable[[], None]]:
        for number in range(count):
            yield lambda: _ensure_card(pane, collection, clock)
            if not pane.answer_shown():
                yield press(Qt.Key.Key_Space)
            yield press(RATING_KEYS[RATING_CYCLE[number % len(RATING_CYCLE)]])
            yield lambda: _advance(clock)

    gap = longest_gap_over(steps(), KEY_PAUSE_MS)
    saved = review_rows(collection) - rows_before
    if saved != count:
        raise AnswerError(f"{count} answers were pressed but {saved} were saved")
    return gap
