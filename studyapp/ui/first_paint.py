"""Run something once a window's first frame is painted: a paint of the window or of any
widget in it, then the next turn of the event loop (when that paint pass is over)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget


class _FirstPaint(QObject):
    def __init__(self, window: QWidget, then: Callable[[], None]) -> None:
        super().__init__(window)
        self._window = window
        self._then: Callable[[], None] | None = then

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            self._then is not None
            and event.type() == QEvent.Type.Paint
            and isinstance(watched, QWidget)
            and watched.window() is self._window
        ):
            then, self._then = self._then, None
            app = QApplication.instance()
            if app is not None:
                app.removeEventFilter(self)
            QTimer.singleShot(0, then)
        return False


def after_first_paint(window: QWidget, then: Callable[[], None]) -> None:
    """Call `then()` once `window` (shown, or about to be) has painted its first frame."""
    app = QApplication.instance()
    if app is None:
        QTimer.singleShot(0, then)
        return
    app.installEventFilter(_FirstPaint(window, then))
