"""Timeline frame time: fit all, then zoom and pan steps, each frame painted synchronously.

Runs in the child on the real window's TimelinePane, through its public API (fit_all, zoom_in,
zoom_out) and, for panning, the key a user presses (Shift+Right or Shift+Left on its view).
A frame is one `view.viewport().repaint()`: the label layout for a new zoom step is computed
inside the paint, so it is part of the figure.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

if TYPE_CHECKING:
    from PySide6.QtWidgets import QGraphicsView

    from studyapp.ui.timeline import TimelinePane

# Twenty steps: in to about 50x with pans along the way, then partly out again.
STEPS = (
    "in", "in", "right", "in", "right", "in", "in", "left", "in", "right",
    "in", "in", "right", "out", "left", "out", "in", "right", "out", "out",
)  # fmt: skip


def _frame(view: QGraphicsView) -> float:
    started = time.perf_counter()
    view.viewport().repaint()
    return (time.perf_counter() - started) * 1000


def run_frames(pane: TimelinePane, steps: int) -> list[float]:
    """Frame times in milliseconds: fit-all, then `steps` zoom and pan steps."""
    view = pane.view
    pane.fit_all()
    frames = [_frame(view)]
    for number in range(steps):
        step = STEPS[number % len(STEPS)]
        if step == "in":
            pane.zoom_in()
        elif step == "out":
            pane.zoom_out()
        else:
            key = Qt.Key.Key_Right if step == "right" else Qt.Key.Key_Left
            QTest.keyClick(view, key, Qt.KeyboardModifier.ShiftModifier)
        frames.append(_frame(view))
    return frames
