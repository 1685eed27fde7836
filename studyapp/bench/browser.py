"""The card browser at scale: open it (B) until its table is painted, text searches, sorting by
due, scrolling a page at a time, and the memory it holds while open.

Runs in the child on the real main window, by the keys and clicks a learner uses: B opens the
browser; a search is typed into the search box and Enter pressed; a sort is a click on the
Due header; a scroll step is the scroll bar's page step, or Page Down in the table (which
moves the selection, and the editor with it). Each step ends with a synchronous repaint of
the table, so the rows read for it are part of its figure.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEventLoop, QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractSlider, QApplication

if TYPE_CHECKING:
    from studyapp.ui.browser import BrowserWindow
    from studyapp.ui.main_window import MainWindow

# What a learner looks up: words of the article with their accents left out, a phrase, and
# words with search words; from rare to common in the synthetic collection.
SEARCHES = (
    "klaipeda",
    "zeligowski mutiny",
    '"peace of riga"',
    "vilnius -is:new",
    "kaunas is:due",
    "seimas ratification",
    "bolshevization",
    "synthetic question 4711",
    "lithuania or latvia",
)
SORTS = 5
TABLE = "browserTable"


class BrowserBenchError(RuntimeError):
    """The browser did not do what the benchmark asked of it."""


def current_rss_kib() -> int:
    """The process's resident set now (Linux VmRSS), in KiB; 0 where unknown."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def _open(window: MainWindow) -> tuple[BrowserWindow, float]:
    from studyapp.bench.child import paint_watch

    app = QApplication.instance()
    assert app is not None
    watch, pending = paint_watch((TABLE,))
    app.installEventFilter(watch)
    target = QApplication.focusWidget() or window.review
    started = time.perf_counter()
    QTest.keyClick(target, Qt.Key.Key_B)
    while pending:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
        if _ms(started) > 60_000:
            raise BrowserBenchError("B did not paint the browser's table within a minute")
    elapsed = _ms(started)
    app.removeEventFilter(watch)
    browser = window.browser()
    if browser is None or browser.model.rowCount() == 0:
        raise BrowserBenchError("B opened no browser, or one without cards")
    return browser, elapsed


def _search(browser: BrowserWindow, query: str) -> float:
    box = browser.search_bar.box
    box.setText(query)
    started = time.perf_counter()
    QTest.keyClick(box, Qt.Key.Key_Return)
    browser.table.viewport().repaint()
    elapsed = _ms(started)
    if browser.model.query != query:
        raise BrowserBenchError(
            f"the search {query!r} did not run: {browser.search_bar.message_text()}"
        )
    return elapsed


def _click_header(browser: BrowserWindow, key: str) -> None:
    from studyapp.ui.browser.header import LOGICAL

    header = browser.table.horizontalHeader()
    x = header.sectionViewportPosition(LOGICAL[key]) + 4
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 4))


def _sort_by_due(browser: BrowserWindow) -> float:
    _click_header(browser, "question")  # away from due first, untimed
    started = time.perf_counter()
    _click_header(browser, "due")
    browser.table.viewport().repaint()
    elapsed = _ms(started)
    if browser.model.order != "due":
        raise BrowserBenchError("a click on the Due header did not sort by due")
    return elapsed


def _scroll(browser: BrowserWindow, pages: int, *, by_key: bool) -> list[float]:
    """Frame times of `pages` steps a page down: the scroll bar's page step (a click in its
    trough, a wheel's flick), or Page Down in the table (the selection, and the editor with
    it, follow the current card)."""
    table = browser.table
    table.setFocus()
    table.scrollToTop()
    table.selectRow(0)
    table.viewport().repaint()
    bar = table.verticalScrollBar()
    frames = []
    for _ in range(pages):
        # Between two steps the event loop runs, untimed, as it does between a learner's
        # (the table reads the next page of rows when idle).
        QApplication.processEvents()
        started = time.perf_counter()
        if by_key:
            QTest.keyClick(table, Qt.Key.Key_PageDown)
        else:
            bar.triggerAction(QAbstractSlider.SliderAction.SliderPageStepAdd)
        table.viewport().repaint()
        frames.append(_ms(started))
    moved = table.currentIndex().row() > 0 if by_key else bar.value() > 0
    if not moved:
        raise BrowserBenchError("the table did not scroll")
    return frames


def run_browser(window: MainWindow, pages: int) -> dict[str, Any]:
    """The browser's figures on the window's collection (times in ms, memory in KiB)."""
    before = current_rss_kib()
    browser, opened = _open(window)
    searches = [_search(browser, query) for query in SEARCHES]
    _search(browser, "")  # every card again, for sorting and scrolling
    sorts = [_sort_by_due(browser) for _ in range(SORTS)]
    frames = _scroll(browser, pages, by_key=False)
    keys = _scroll(browser, pages, by_key=True)
    QApplication.processEvents()
    return {
        "browser_cards": browser.model.rowCount(),
        "browser_open_ms": opened,
        "browser_search_ms": searches,
        "browser_sort_due_ms": sorts,
        "browser_scroll_ms": frames,
        "browser_page_down_ms": keys,
        "browser_rss_growth_kib": current_rss_kib() - before,
    }
