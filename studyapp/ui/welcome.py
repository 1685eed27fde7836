"""The welcome tour: the three panes outlined and named, and a card with the five keys.

It is drawn over the window, not opened as a dialog: nothing in it takes the keyboard focus, so
a learner who presses Space at once still sees the answer. It closes with its own button,
Escape, or the first answer. Colours come from the palette, so it follows light and dark.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QKeyEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:  # the collection's values load behind the first paint
    from studyapp.collection import Changes


TITLE = "Welcome to StudyApp"
PANES = (
    ("Article", "read the text; a paragraph's badge lists the cards made from it."),
    ("Flashcards", "study: every card comes from one sentence of the article."),
    ("Timeline", "the article's events in time; select one to see its sentence."),
)
KEYS = (
    ("Space", "show the answer"),
    ("1 – 4", "grade it: Again, Hard, Good, Easy"),
    ("S", "then show the card's sentence and event"),
    ("Ctrl+F", "find in the article"),
    ("Ctrl+Z", "undo the last change, answers too"),
)
FOOTER = "F1 lists every key. Help › Welcome Tour shows this again."
CARD_WIDTH = 640
MARGIN = 12  # between the card and the edge of the pane it sits on
OUTLINE = 2  # the pane outlines' pen width
_CONTROLS = (QAbstractButton, QComboBox, QLabel)  # what a name tag must not cover
_WATCHED = (QEvent.Type.Resize, QEvent.Type.Move, QEvent.Type.Show, QEvent.Type.Hide)


def _label(parent: QWidget, name: str, html: str) -> QLabel:
    label = QLabel(html, parent)
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(True)
    label.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return label


PARAGRAPH = "<p style='margin-bottom:6px'>{}</p>"


def panes_html() -> str:
    rows = "".join(PARAGRAPH.format(f"<b>{name}</b>: {what}") for name, what in PANES)
    return PARAGRAPH.format("Three panes, linked by the article's sentences:") + rows


def keys_html() -> str:
    rows = "".join(
        f"<tr><td style='padding:2px 12px 2px 0'><b>{keys}</b></td>"
        f"<td style='padding:2px 0'>{what}</td></tr>"
        for keys, what in KEYS
    )
    return PARAGRAPH.format("Five keys:") + f"<table cellspacing='0'>{rows}</table>"


class WelcomeCard(QWidget):
    """The card: what the panes are, the five keys, and a Close button that takes no focus."""

    closeClicked = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("welcomeCard")
        self.setAccessibleName("Welcome")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, False)
        title = _label(self, "welcomeTitle", TITLE)
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        title.setFont(font)
        self.panes_label = _label(self, "welcomePanes", panes_html())
        self.keys_label = _label(self, "welcomeKeys", keys_html())
        footer = _label(self, "welcomeFooter", FOOTER)
        footer.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.close_button = QPushButton("Close", self)
        self.close_button.setObjectName("welcomeClose")
        self.close_button.setAccessibleName("Close the welcome")
        self.close_button.setToolTip("Close the welcome (Esc)")
        self.close_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.close_button.clicked.connect(self.closeClicked)

        columns = QHBoxLayout()
        columns.setSpacing(20)
        columns.addWidget(self.panes_label, 1, Qt.AlignmentFlag.AlignTop)
        columns.addWidget(self.keys_label, 1, Qt.AlignmentFlag.AlignTop)
        bottom = QHBoxLayout()
        bottom.addWidget(footer, 1)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addLayout(columns)
        layout.addLayout(bottom)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), OUTLINE))
        painter.setBrush(palette.color(QPalette.ColorRole.Window))
        inset = OUTLINE / 2
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(inset, inset, -inset, -inset), 8, 8)


class PaneOutlines(QWidget):
    """An outline and a name tag on each visible pane; clicks go through to the panes."""

    def __init__(self, parent: QWidget, panes: Mapping[str, QWidget]) -> None:
        super().__init__(parent)
        self.setObjectName("welcomeOutlines")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._host = parent
        self._panes = panes

    def pane_rect(self, pane: QWidget) -> QRect:
        return QRect(pane.mapTo(self._host, pane.rect().topLeft()), pane.size())

    def tag_rect(self, name: str, pane: QWidget) -> QRect:
        """Where a pane's name sits: on its top edge, in the middle unless a control is
        there (the article's switcher, the reviewer's counts), else at the right or left."""
        metrics = QFontMetrics(self._tag_font())
        width, height = metrics.horizontalAdvance(name) + 20, metrics.height() + 6
        area = self.pane_rect(pane)
        top = area.top() + 3
        candidates = [
            QRect(area.center().x() - width // 2, top, width, height),
            QRect(area.right() - width - 8, top, width, height),
            QRect(area.left() + 8, top, width, height),
        ]
        controls = [
            QRect(widget.mapTo(self._host, widget.rect().topLeft()), widget.size())
            for widget in pane.findChildren(QWidget)
            if isinstance(widget, _CONTROLS) and widget.isVisibleTo(self._host)
        ]
        for rect in candidates:
            if not any(rect.intersects(control) for control in controls):
                return rect
        return candidates[0]

    def visible_panes(self) -> list[str]:
        return [name for name, pane in self._panes.items() if pane.isVisibleTo(self._host)]

    def _tag_font(self) -> QFont:
        font = QFont(self.font())
        font.setBold(True)
        return font

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        highlight = palette.color(QPalette.ColorRole.Highlight)
        painter.setFont(self._tag_font())
        for name in self.visible_panes():
            pane = self._panes[name]
            inset = OUTLINE / 2 + 1
            area = QRectF(self.pane_rect(pane)).adjusted(inset, inset, -inset, -inset)
            painter.setPen(QPen(highlight, OUTLINE))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(area, 6, 6)
            tag = QRectF(self.tag_rect(name, pane))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(highlight)
            painter.drawRoundedRect(tag, tag.height() / 2, tag.height() / 2)
            painter.setPen(palette.color(QPalette.ColorRole.HighlightedText))
            painter.drawText(tag, Qt.AlignmentFlag.AlignCenter, name)


class WelcomeTour(QObject):
    """The outlines and the card over `window`; panes maps each pane's name to its widget."""

    closed = Signal()

    def __init__(self, window: QWidget, panes: Mapping[str, QWidget], home: str) -> None:
        """home: the pane the card sits on while it is visible (it leaves the others clear)."""
        super().__init__(window)
        self.setObjectName("welcomeTour")
        self._window = window
        self._panes = dict(panes)
        self._home = home
        self.outlines = PaneOutlines(window, self._panes)
        self.card = WelcomeCard(window)
        self.card.closeClicked.connect(self.close)
        self.outlines.hide()
        self.card.hide()

    def is_open(self) -> bool:
        return self.card.isVisibleTo(self._window)

    def open(self) -> None:
        if self.is_open():
            return
        window = self._window
        window.installEventFilter(self)
        for pane in self._panes.values():
            pane.installEventFilter(self)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)  # Escape, wherever the focus is in the window
        self.place()
        self.outlines.show()
        self.card.show()
        self.outlines.raise_()
        self.card.raise_()

    def close(self) -> None:
        if not self.is_open():
            return
        self.outlines.hide()
        self.card.hide()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self._window.removeEventFilter(self)
        for pane in self._panes.values():
            pane.removeEventFilter(self)
        self.closed.emit()

    def on_changes(self, changes: Changes, initiator: object) -> None:
        """The first answer closes the welcome: the learner has found the way in."""
        from studyapp.collection.changes import AnswerChanges

        if isinstance(changes, AnswerChanges):
            self.close()

    def place(self) -> None:
        """Cover the window with the outlines; the card on its home pane if shown, else on the
        first visible pane, else the middle of the window."""
        window = self._window
        self.outlines.setGeometry(window.rect())
        visible = self.outlines.visible_panes()
        host = self._home if self._home in visible else (visible[0] if visible else None)
        area = self.outlines.pane_rect(self._panes[host]) if host else window.rect()
        width = max(320, min(CARD_WIDTH, area.width() - 2 * MARGIN))
        height = self.card.heightForWidth(width)
        if height <= 0:
            height = self.card.sizeHint().height()
        left = area.left() + (area.width() - width) // 2
        top = area.top() + max(MARGIN, (area.height() - height) // 2)
        self.card.setGeometry(left, top, width, height)
        self.outlines.update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            if (
                isinstance(event, QKeyEvent)
                and event.key() == Qt.Key.Key_Escape
                and not event.modifiers()
                and isinstance(watched, QWidget)
                and watched.window() is self._window
            ):
                event.accept()  # no shortcut fires (the find bar's Escape waits its turn)
                if kind == QEvent.Type.KeyPress:
                    self.close()
                return True
        elif kind in _WATCHED and (watched is self._window or watched in self._panes.values()):
            self.place()
        return False
