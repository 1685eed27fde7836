"""The article pane's text view (links, clicks, positions, highlights, scrolling), its colours."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, Qt, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QFontMetricsF,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPalette,
    QResizeEvent,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import QApplication, QTextBrowser, QTextEdit, QToolTip, QWidget

from studyapp.ui.article.markup import ArticleColours
from studyapp.ui.colours import mix, readable
from studyapp.ui.menu_keys import menus_take_letters
from studyapp.ui.plain_text import plain_tip

log = logging.getLogger(__name__)
TintKey = tuple[int, int, int]  # start, end, colour (rgba)


def article_colours(palette: QPalette) -> ArticleColours:
    base = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.Text)
    link = readable(palette.color(QPalette.ColorRole.Link), base, text)
    quiet = readable(mix(text, base, 0.45), base, text)
    return ArticleColours(link=link.name(), quiet=quiet.name())


class ArticleBrowser(QTextBrowser):
    """The text itself: never loads a resource, reports plain clicks, Alt+Left/Backspace go back."""

    positionClicked = Signal(int)  # document position of a click that selected nothing
    backRequested = Signal()
    resized = Signal()
    paletteChanged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("articleText")
        self.setAccessibleName("Article text")
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.document().setUndoRedoEnabled(False)
        self.refused_resources: list[QUrl] = []  # what the document asked for and did not get
        self.context_actions: list[QAction] = []  # after Copy and Select All in its menu
        self._press: QPoint | None = None
        # Hover text for a plain position (the memory map's); links keep their own tooltip.
        self.position_tip: Callable[[int], str] | None = None
        self._tints: dict[TintKey, QTextEdit.ExtraSelection] = {}

    def loadResource(self, type: int, name: QUrl | str, /) -> object:
        # The article is text only: nothing, local or remote, is ever fetched.
        url = QUrl(name)
        self.refused_resources.append(url)
        log.debug("Article pane refused to load %s", url.toString())
        return None

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.createStandardContextMenu(event.pos())
        menu.setObjectName("articleContextMenu")
        menus_take_letters(menu)
        if self.context_actions:
            menu.addSeparator()
            menu.addActions(self.context_actions)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(event.globalPos())

    def mousePressEvent(self, event: QMouseEvent) -> None:
        left = event.button() == Qt.MouseButton.LeftButton
        self._press = event.position().toPoint() if left else None
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        press, self._press = self._press, None
        point = event.position().toPoint()
        if (
            event.button() != Qt.MouseButton.LeftButton
            or press is None
            or (point - press).manhattanLength() > QApplication.startDragDistance()
            or self.textCursor().hasSelection()
            or self.anchorAt(point)
        ):
            return
        position = self.char_at(point)
        if position >= 0:
            self.positionClicked.emit(position)

    def viewportEvent(self, event: QEvent) -> bool:
        # Qt shows the tooltip of the character before the nearest caret position, so the
        # left half of a one-character link ("◆") would show none; use the character hit.
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            position = self.char_at(event.pos())
            tip = self.cursor_at(position + 1).charFormat().toolTip() if position >= 0 else ""
            if not tip and position >= 0 and self.position_tip is not None:
                tip = self.position_tip(position)
            if tip:
                QToolTip.showText(event.globalPos(), plain_tip(tip), self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def char_at(self, point: QPoint) -> int:
        """The document position of the character under a viewport point, or -1 if none."""
        in_document = QPointF(
            point.x() + self.horizontalScrollBar().value(),
            point.y() + self.verticalScrollBar().value(),
        )
        # ExactHit gives the character under the point (-1 off the text), not the nearest
        # caret position as cursorForPosition does.
        return self.document().documentLayout().hitTest(in_document, Qt.HitTestAccuracy.ExactHit)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        modifiers = event.modifiers()
        alt_left = event.key() == Qt.Key.Key_Left and modifiers == Qt.KeyboardModifier.AltModifier
        backspace = (
            event.key() == Qt.Key.Key_Backspace and modifiers == Qt.KeyboardModifier.NoModifier
        )
        if alt_left or backspace:
            event.accept()
            self.backRequested.emit()
            return
        super().keyPressEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.resized.emit()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.paletteChanged.emit()

    # -- positions, ranges and scrolling, in document positions ------------------------------

    def visible_span(self, pages: int = 0) -> tuple[int, int]:
        """The document positions in view, and `pages` view heights above and below it."""
        layout = self.document().documentLayout()
        top = self.verticalScrollBar().value()
        height = self.viewport().height()
        fuzzy = Qt.HitTestAccuracy.FuzzyHit
        first = layout.hitTest(QPointF(0, max(0, top - pages * height)), fuzzy)
        bottom = top + (pages + 1) * height
        last = layout.hitTest(QPointF(self.viewport().width(), bottom), fuzzy)
        return max(0, first), last if last >= 0 else self.document().characterCount()

    def cursor_at(self, start: int, end: int | None = None) -> QTextCursor:
        """A text cursor at start, or selecting start..end."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        if end is not None:
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        return cursor

    def index_anchors(self) -> tuple[dict[str, int], dict[str, int]]:
        """Where each named anchor is, and where the first link to each href is."""
        anchors: dict[str, int] = {}
        links: dict[str, int] = {}
        block = self.document().begin()
        while block.isValid():
            fragments = block.begin()
            while not fragments.atEnd():
                fragment = fragments.fragment()
                char_format = fragment.charFormat()
                for name in char_format.anchorNames():
                    anchors.setdefault(name, fragment.position())
                if char_format.anchorHref():
                    links.setdefault(char_format.anchorHref(), fragment.position())
                fragments += 1
            block = block.next()
        return anchors, links

    def text_without_links(self, start: int, end: int) -> str:
        """The text between two positions, leaving out every link (markers, ◆)."""
        pieces: list[str] = []
        block = self.document().findBlock(start)
        while block.isValid() and block.position() < end:
            fragments = block.begin()
            while not fragments.atEnd():
                fragment = fragments.fragment()
                first, last = fragment.position(), fragment.position() + fragment.length()
                low, high = max(first, start), min(last, end)
                if low < high and not fragment.charFormat().anchorHref():
                    pieces.append(fragment.text()[low - first : high - first])
                fragments += 1
            block = block.next()
        return "".join(pieces)

    def link_kind(self, position: int) -> str:
        """The scheme of the link the character at position is in ("" if none)."""
        return self.cursor_at(position + 1).charFormat().anchorHref().partition(":")[0]

    def top_position(self) -> int:
        """The document position at the top left of the view."""
        return self.cursorForPosition(QPoint(0, 0)).position()

    def set_highlights(
        self,
        source: tuple[int, int] | None,
        matches: Sequence[tuple[int, int]],
        current: int | None,
        tints: Sequence[tuple[int, int, QColor]] = (),
    ) -> None:
        """The memory map's tints below, the source sentence, then every find match, then the
        current match on top."""
        palette = self.palette()
        base = palette.color(QPalette.ColorRole.Base)
        highlight = palette.color(QPalette.ColorRole.Highlight)
        kept = self._tints
        self._tints = {}
        selections = [self._tint(kept, start, end, colour) for start, end, colour in tints]
        if source is not None:
            selections.append(self._selection(*source, mix(base, highlight, 0.3)))
        match_colour = mix(base, palette.color(QPalette.ColorRole.Text), 0.2)
        for index, (start, end) in enumerate(matches):
            if index != current:
                selections.append(self._selection(start, end, match_colour))
        if current is not None:
            selection = self._selection(*matches[current], highlight)
            selection.format.setForeground(palette.color(QPalette.ColorRole.HighlightedText))
            selections.append(selection)
        self.setExtraSelections(selections)

    def _tint(
        self, kept: dict[TintKey, QTextEdit.ExtraSelection], start: int, end: int, colour: QColor
    ) -> QTextEdit.ExtraSelection:
        """A memory-map tint, made once per range and colour (a map has hundreds); only the
        ones in use are kept."""
        key = (start, end, colour.rgba())
        selection = kept.get(key) or self._selection(start, end, colour)
        self._tints[key] = selection
        return selection

    def forget_tints(self) -> None:
        """The document was replaced: its tints' cursors point into the old text."""
        self._tints = {}

    def _selection(self, start: int, end: int, background: QColor) -> QTextEdit.ExtraSelection:
        selection = QTextEdit.ExtraSelection()
        selection.cursor = self.cursor_at(start, end)
        char_format = QTextCharFormat()
        char_format.setBackground(background)
        selection.format = char_format
        return selection

    def range_rect(self, start: int, end: int) -> QRect:
        return self.cursorRect(self.cursor_at(start)).united(self.cursorRect(self.cursor_at(end)))

    def reveal(self, start: int, end: int) -> None:
        """Scroll so the range is in view; if it was not, put it a quarter down the view."""
        rect = self.range_rect(start, end)
        viewport = self.viewport().rect()
        if viewport.contains(rect):
            return
        offset = rect.top() - viewport.height() // 4
        if rect.height() > viewport.height() * 3 // 4:
            offset = rect.top() - viewport.height() // 20
        self.verticalScrollBar().setValue(self.verticalScrollBar().value() + offset)

    def scroll_to_line_of(self, position: int, fraction: float = 0.0) -> None:
        """Scroll so the line holding position is `fraction` of the way down the view."""
        top = self.cursorRect(self.cursor_at(position)).top()
        offset = top - int(self.viewport().height() * fraction)
        self.verticalScrollBar().setValue(self.verticalScrollBar().value() + offset)

    def scroll_to_block_of(self, position: int, gap: float = 0.5) -> None:
        """Scroll so the block holding position starts at the top, `gap` lines below it."""
        document = self.document()
        rect = document.documentLayout().blockBoundingRect(document.findBlock(position))
        lines = QFontMetricsF(self.font()).lineSpacing() * gap
        self.verticalScrollBar().setValue(int(rect.top() - lines))

    def block_top(self, position: int) -> float:
        document = self.document()
        return document.documentLayout().blockBoundingRect(document.findBlock(position)).top()

    def set_page_margins(self, measure_chars: float) -> None:
        """Centre a column `measure_chars` average characters wide, and leave room below the
        end so that the last heading can still scroll to the top."""
        metrics = QFontMetricsF(self.font())
        side = max(
            metrics.averageCharWidth() * 2,
            (self.viewport().width() - metrics.averageCharWidth() * measure_chars) / 2,
        )
        top = metrics.height()
        bottom = max(top, self.viewport().height() - 4 * metrics.lineSpacing())
        root = self.document().rootFrame()
        frame_format = root.frameFormat()
        current = (
            frame_format.leftMargin(),
            frame_format.rightMargin(),
            frame_format.topMargin(),
            frame_format.bottomMargin(),
        )
        wanted = (side, side, top, bottom)
        if all(abs(a - b) < 1 for a, b in zip(current, wanted, strict=True)):
            return
        frame_format.setLeftMargin(side)
        frame_format.setRightMargin(side)
        frame_format.setTopMargin(top)
        frame_format.setBottomMargin(bottom)
        root.setFrameFormat(frame_format)
