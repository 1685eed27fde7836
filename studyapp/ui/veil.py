"""The veil: a calm cover over a pane while a question is up, so nothing there gives the
answer away (the article holds every answer's sentence, the timeline every date)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

VEIL_TEXT = "Answer first: Space shows the answer"
VEIL_HINT = "View > Hide Article and Timeline While Asking turns this cover off."


class Veil(QWidget):
    """Covers its parent pane completely (following its size) until lifted."""

    def __init__(self, pane: QWidget) -> None:
        super().__init__(pane)
        self.setObjectName(f"{pane.objectName()}Veil")
        self.setAccessibleName("Covered until the answer shows")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.Window)
        self.message = QLabel(VEIL_TEXT, self)
        self.message.setObjectName("veilMessage")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.message.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.message.setFont(font)
        self.hint = QLabel(VEIL_HINT, self)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.message)
        layout.addWidget(self.hint)
        layout.addStretch(1)
        pane.installEventFilter(self)
        self.hide()

    def cover(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.raise_()
        self.show()

    def lift(self) -> None:
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        parent = self.parentWidget()
        if parent is not None and watched is parent and event.type() == QEvent.Type.Resize:
            self.setGeometry(parent.rect())
        return False
