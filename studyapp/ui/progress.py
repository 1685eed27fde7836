"""A progress window for long work done in the UI thread (an export, an import).

It appears only once the work has taken half a second, is window-modal (the main window
takes no input meanwhile, so nothing else writes to the collection) and its Cancel button
stops the work: the next progress report raises Cancelled, and nothing is kept.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from studyapp.collection.importing import Cancelled

SHOW_AFTER_S = 0.5
STEPS = 1000


class ProgressWindow:
    """A Progress callable: progress(done, total) updates the bar, or raises Cancelled."""

    def __init__(
        self,
        parent: QWidget | None,
        label: str,
        cancelled: str,
        *,
        delay: float = SHOW_AFTER_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._parent = parent
        self._label = label
        self._clock = clock
        self._started = clock()
        self._delay = delay
        self._cancelled = cancelled
        # Made only when needed: a QProgressDialog shows itself after 4 s, even unused.
        self.dialog: QProgressDialog | None = None
        self.shown = False  # whether it ever appeared

    def _open(self) -> QProgressDialog:
        dialog = QProgressDialog(self._label, "Cancel", 0, STEPS, self._parent)
        dialog.setObjectName("progressDialog")
        dialog.setWindowTitle("StudyApp")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(0)
        dialog.setValue(0)
        dialog.show()
        self.shown = True
        return dialog

    def __call__(self, done: int, total: int) -> None:
        if self.dialog is None:
            if self._clock() - self._started < self._delay:
                return
            self.dialog = self._open()
        self.dialog.setValue(min(STEPS, round(STEPS * done / max(total, 1))))
        QApplication.processEvents()
        if self.dialog.wasCanceled():
            raise Cancelled(self._cancelled)

    def close(self) -> None:
        if self.dialog is not None:
            self.dialog.hide()
            self.dialog.deleteLater()
            self.dialog = None
