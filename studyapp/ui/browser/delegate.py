"""How the browser's table paints a cell: the row's text, elided, on its tint or the
selection's colour. Qt's own delegate lays out every cell's text with the full style
machinery and asks the model for a dozen roles one by one; this one reads the model's
prepared row once per cell (the model still answers every role, for screen readers and
tooltips), elides through a cache (most cells repeat: "New", "Review", "100%"), and draws at
the text's baseline, without a layout per cell."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from studyapp.ui.browser.columns import COLUMNS
from studyapp.ui.colours import mix

if TYPE_CHECKING:
    from studyapp.ui.browser.table_model import CardTableModel

PADDING = 4
CACHE_LIMIT = 20_000  # elided texts kept (a few screens of unique questions, and the rest)
_RIGHT = tuple(bool(column.alignment & Qt.AlignmentFlag.AlignRight) for column in COLUMNS)
# Looked up once: a paint reads these for every cell, and enum lookups are not free in Python.
_SELECTED, _ACTIVE = QStyle.StateFlag.State_Selected.value, QStyle.StateFlag.State_Active.value
_ACTIVE_GROUP, _INACTIVE_GROUP = QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive
_HIGHLIGHT, _HIGHLIGHTED_TEXT = QPalette.ColorRole.Highlight, QPalette.ColorRole.HighlightedText
_TEXT, _BASE = QPalette.ColorRole.Text, QPalette.ColorRole.Base
# (highlight, highlighted text) active and inactive, then the text and a deleted row's text.
_Inks = tuple[tuple[QColor, QColor], tuple[QColor, QColor], QColor, QColor]


class ElidedTexts:
    """Elided texts and their widths for one font, cached by (text, width)."""

    def __init__(self, font: QFont) -> None:
        self.font = QFont(font)
        self.metrics = QFontMetrics(font)
        self.narrowest = max(1, self.metrics.horizontalAdvance("i"))
        self._cache: dict[tuple[str, int], tuple[str, int]] = {}

    def get(self, text: str, width: int) -> tuple[str, int]:
        """(the text as it fits in `width` pixels, its width)."""
        key = (text, width)
        found = self._cache.get(key)
        if found is None:
            # Only a prefix this long can fit: eliding a 150-character question shapes all of
            # it, eliding its first 70 the same result in half the time.
            longest = width // self.narrowest + 2
            shown = self.metrics.elidedText(
                text if len(text) <= longest else text[:longest] + "…",
                Qt.TextElideMode.ElideRight,
                width,
            )
            found = (shown, self.metrics.horizontalAdvance(shown))
            if len(self._cache) >= CACHE_LIMIT:
                self._cache.clear()
            self._cache[key] = found
        return found


class RowDelegate(QStyledItemDelegate):
    def __init__(self, model: CardTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._texts: ElidedTexts | None = None
        self._ink: _Inks | None = None
        self._ink_key = -1

    def _inks(self, palette: QPalette) -> _Inks:
        """The palette's colours a cell uses, worked out once per palette (not per cell)."""
        key = palette.cacheKey()
        if self._ink_key != key or self._ink is None:
            text = palette.color(_TEXT)
            self._ink = (
                (
                    palette.color(_ACTIVE_GROUP, _HIGHLIGHT),
                    palette.color(_ACTIVE_GROUP, _HIGHLIGHTED_TEXT),
                ),
                (
                    palette.color(_INACTIVE_GROUP, _HIGHLIGHT),
                    palette.color(_INACTIVE_GROUP, _HIGHLIGHTED_TEXT),
                ),
                text,
                mix(text, palette.color(_BASE), 0.45),  # a deleted card's row, faded
            )
            self._ink_key = key
        return self._ink

    def _elided(self, font: QFont) -> ElidedTexts:
        if self._texts is None or self._texts.font != font:
            self._texts = ElidedTexts(font)
        return self._texts

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        model = self._model
        row, column = index.row(), index.column()
        if not 0 <= row < len(model.ids):
            return
        rect = option.rect
        inks = self._inks(option.palette)
        state = option.state.value  # an int: enum arithmetic costs microseconds a cell
        card = model.card_row(row)
        if state & _SELECTED:
            highlight, ink = inks[0] if state & _ACTIVE else inks[1]
            painter.fillRect(rect, highlight)
        else:
            tint = model.tint(card)
            if tint is not None:
                painter.fillRect(rect, tint)
            ink = inks[3] if card.deleted else inks[2]
        texts = self._elided(option.font)
        inner = rect.width() - 2 * PADDING
        text, width = texts.get(model.cell_text(row, column), inner)
        if not text:
            return
        metrics = texts.metrics
        x = rect.x() + PADDING + (inner - width if _RIGHT[column] else 0)
        baseline = rect.y() + (rect.height() + metrics.ascent() - metrics.descent()) / 2
        painter.setPen(ink)
        painter.drawText(QPointF(x, baseline), text)
