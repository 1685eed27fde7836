"""What keys, the wheel, pinches and the mouse do on the timeline view: zoom, pan, select,
and the tooltip of the event under the mouse.

TimelineView inherits this; the actions themselves (zoom_by, pan_by, ...) are the view's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QNativeGestureEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QApplication, QGestureEvent, QGraphicsView, QPinchGesture, QToolTip

from studyapp.ui.timeline.describe import tooltip_html

if TYPE_CHECKING:
    from studyapp.ui.timeline import layout as tl
    from studyapp.ui.timeline.scene import TimelineScene

KEY_ZOOM = 1.5
WHEEL_ZOOM = 1.25  # per wheel notch


class TimelineInput(QGraphicsView):
    """Input handling for the timeline view, which supplies the actions below."""

    menuRequested = Signal(QPoint)  # where (global) to show the context menu

    _selected: int | None
    _also: list[int]

    _scene: TimelineScene
    _press: QPointF | None
    _dragging: bool

    def fit_all(self) -> None:
        raise NotImplementedError

    def zoom_by(self, factor: float, pointer: float | None = None) -> None:
        raise NotImplementedError

    def pan_by(self, pixels: float) -> None:
        raise NotImplementedError

    def _step_selection(self, step: int) -> None:
        raise NotImplementedError

    def _select(self, index: int, by_user: bool, also: Sequence[int] = ()) -> None:
        raise NotImplementedError

    def _toggle(self, index: int) -> None:
        raise NotImplementedError

    def _extend(self, step: int) -> None:
        raise NotImplementedError

    def _frame(self) -> tl.Frame:
        raise NotImplementedError

    def memory_tip(self, event_id: str) -> str:
        """The memory map's words for an event ("" while the map is off)."""
        return ""

    def _placement(self) -> tl.LabelPlacement:
        raise NotImplementedError

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.handle_key(event):
            event.accept()
        else:
            super().keyPressEvent(event)

    def handle_key(self, event: QKeyEvent) -> bool:
        """Act on a timeline key (zoom, fit, pan, previous/next event); False if not one."""
        key, mods = event.key(), event.modifiers()
        shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
        keypad = Qt.KeyboardModifier.KeypadModifier
        control = Qt.KeyboardModifier.ControlModifier
        plain = not mods & (Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier)
        if plain and key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_by(KEY_ZOOM)
        elif plain and key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.zoom_by(1 / KEY_ZOOM)
        elif key == Qt.Key.Key_Home and plain:
            self.fit_all()
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right) and mods & ~keypad == control:
            self._extend(-1 if key == Qt.Key.Key_Left else 1)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right) and shift:
            direction = -1 if key == Qt.Key.Key_Left else 1
            self.pan_by(direction * self.viewport().width() / 4)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right) and not mods & ~keypad:
            self._step_selection(-1 if key == Qt.Key.Key_Left else 1)
        else:
            return False
        return True

    def wheelEvent(self, event: QWheelEvent) -> None:
        angle, pixels = event.angleDelta(), event.pixelDelta()
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            notches = (angle.y() or angle.x()) / 120
            if notches:
                self.zoom_by(WHEEL_ZOOM**notches, event.position().x())
        elif not pixels.isNull():
            self.pan_by(-(pixels.x() if abs(pixels.x()) > abs(pixels.y()) else pixels.y()))
        else:
            delta = angle.x() if abs(angle.x()) > abs(angle.y()) else angle.y()
            self.pan_by(-delta / 120 * self.viewport().width() / 10)
        event.accept()

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            index = self._scene.event_at(QPointF(event.pos()), self._frame(), self._placement())
            if index is None:
                QToolTip.hideText()
                event.ignore()
            else:
                item = self._scene.events[index]
                tip = tooltip_html(item, self.memory_tip(item.id))
                QToolTip.showText(event.globalPos(), tip, self.viewport())
            return True
        if isinstance(event, QNativeGestureEvent):
            if event.gestureType() == Qt.NativeGestureType.ZoomNativeGesture:
                self.zoom_by(1 + event.value(), event.position().x())
                return True
        elif isinstance(event, QGestureEvent):
            pinch = event.gesture(Qt.GestureType.PinchGesture)
            if isinstance(pinch, QPinchGesture):
                if pinch.changeFlags() & QPinchGesture.ChangeFlag.ScaleFactorChanged:
                    centre = self.viewport().mapFromGlobal(pinch.centerPoint().toPoint())
                    self.zoom_by(pinch.scaleFactor(), centre.x())
                event.accept(pinch)
                return True
        return super().viewportEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press, self._dragging = event.position(), False
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is None:
            return
        delta = event.position() - self._press
        if not self._dragging:
            self._dragging = delta.manhattanLength() >= QApplication.startDragDistance()
            if self._dragging:
                self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
        if self._dragging:
            self.pan_by(-delta.x())
            bar = self.verticalScrollBar()
            bar.setValue(bar.value() - round(delta.y()))
            self._press = event.position()
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._press is not None and not self._dragging:
            index = self._scene.event_at(event.position(), self._frame(), self._placement())
            if index is not None and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                self._toggle(index)
            elif index is not None:
                self._select(index, by_user=True)
        self._press, self._dragging = None, False
        self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
        event.accept()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        """A right click on an event outside the selection selects it alone, as lists do; the
        menu key opens the menu at the current event."""
        if event.reason() == QContextMenuEvent.Reason.Mouse:
            point = event.pos()
            index = self._scene.event_at(QPointF(point), self._frame(), self._placement())
            if index is not None and index != self._selected and index not in self._also:
                self._select(index, by_user=True)
        elif self._selected is not None:
            point = self._scene.marker_rect(self._selected, self._frame()).center().toPoint()
        else:
            point = self.viewport().rect().center()
        self.menuRequested.emit(self.viewport().mapToGlobal(point))
        event.accept()
