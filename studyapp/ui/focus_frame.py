"""A visible frame round the pane that has the keyboard focus, drawn in the palette's
highlight colour (light and dark alike), so a keyboard user always sees where keys go."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QWidget

FRAME_WIDTH = 2


class FocusFrame(QWidget):
    """Transparent to the mouse; follows its pane's size; shown while the pane has focus."""

    def __init__(self, pane: QWidget) -> None:
        super().__init__(pane)
        self.setObjectName(f"{pane.objectName()}FocusFrame")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        pane.installEventFilter(self)
        self.hide()

    def set_active(self, active: bool) -> None:
        parent = self.parentWidget()
        if active and parent is not None:
            self.setGeometry(parent.rect())
            self.raise_()
        self.setVisible(active)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        parent = self.parentWidget()
        if parent is not None and watched is parent and event.type() == QEvent.Type.Resize:
            self.setGeometry(parent.rect())
        return False

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        pen = QPen(self.palette().color(QPalette.ColorRole.Highlight))
        pen.setWidth(FRAME_WIDTH)
        painter.setPen(pen)
        half = FRAME_WIDTH // 2
        painter.drawRect(self.rect().adjusted(half, half, -half - 1, -half - 1))
