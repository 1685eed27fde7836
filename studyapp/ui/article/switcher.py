"""The article switcher in the article pane's Contents bar: "Article: [title ▾]", shown once
there is more than one article to read."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

if TYPE_CHECKING:
    from studyapp.storage.pane_values import ArticleEntry


class ArticleSwitcher(QWidget):
    """Offers the articles; emits articleRequested when the reader picks another one."""

    articleRequested = Signal(str)  # article id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("articleSwitcherBox")
        self._combo = QComboBox(self)
        self._combo.setObjectName("articleSwitcher")
        self._combo.setAccessibleName("Article")
        self._combo.setToolTip("Open another article (Ctrl+O)")
        self._combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self._combo.activated.connect(self._on_activated)
        label = QLabel("&Article:", self)
        label.setBuddy(self._combo)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 12, 0)
        layout.addWidget(label)
        layout.addWidget(self._combo)
        self._current: str | None = None
        self.hide()

    @property
    def combo(self) -> QComboBox:
        return self._combo

    def set_articles(self, articles: Sequence[ArticleEntry], current: str) -> None:
        self._combo.clear()
        for entry in articles:
            self._combo.addItem(entry.title, entry.id)
        self.select(current)
        self.setVisible(len(articles) > 1)

    def select(self, article_id: str) -> None:
        self._current = article_id
        self._combo.setCurrentIndex(self._combo.findData(article_id))

    def titles(self) -> list[str]:
        """The titles offered, in order (none while the switcher is hidden)."""
        if self.isHidden():
            return []
        return [self._combo.itemText(index) for index in range(self._combo.count())]

    def _on_activated(self, index: int) -> None:
        article_id = self._combo.itemData(index)
        if isinstance(article_id, str) and article_id != self._current:
            self._combo.setCurrentIndex(self._combo.findData(self._current))  # until shown
            self.articleRequested.emit(article_id)
