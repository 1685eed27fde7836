"""Which article the panes show, and whether the timeline shows every article's events.

The state behind the article switcher: its menu entries (View > Article, Open Article… with
Ctrl+O), the articles' colours on the timeline, and its memory in window.ini. The window
connects articleChanged and timelineModeChanged to its panes; nothing here touches a pane.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from studyapp.ui.timeline import ArticleHue

if TYPE_CHECKING:
    from studyapp.collection import Collection
    from studyapp.storage.pane_values import ArticleEntry

# The articles' hues on the timeline, in the order the articles are listed: far apart, and
# none the queue colours' exact hues.
ARTICLE_HUES = (210, 28, 150, 285, 350, 185, 55, 320)
CURRENT_KEY = "article/current"
ALL_EVENTS_KEY = "timeline/all_articles"


class ArticleNavigation(QObject):
    articleChanged = Signal(str)  # the article the panes must show now
    timelineModeChanged = Signal()  # every article's events, or the current article's

    def __init__(self, window: QWidget, collection: Collection, settings: QSettings) -> None:
        super().__init__(window)
        self._window = window
        self._collection = collection
        self._settings = settings
        self._articles = collection.articles()
        stored = settings.value(CURRENT_KEY)
        ids = [entry.id for entry in self._articles]
        self._current = stored if isinstance(stored, str) and stored in ids else ids[0]
        self._all_events = bool(settings.value(ALL_EVENTS_KEY, False, type=bool))
        self.open_action = QAction("&Open Article…", window)
        self.open_action.setObjectName("openArticleAction")
        self.open_action.setShortcut(QKeySequence("Ctrl+O"))
        self.open_action.triggered.connect(lambda _checked=False: self.open_by_title())
        self.all_events_action = QAction("Timeline: E&vents of All Articles", window)
        self.all_events_action.setObjectName("allArticlesEventsAction")
        self.all_events_action.setCheckable(True)
        self.all_events_action.toggled.connect(self.set_all_events)
        self.article_menu = QMenu("Arti&cle", window)
        self.article_menu.setObjectName("articleMenu")
        self._group = QActionGroup(self)
        self._fill_menu()

    # -- state ---------------------------------------------------------------------------------

    @property
    def current(self) -> str:
        return self._current

    @property
    def articles(self) -> list[ArticleEntry]:
        return list(self._articles)

    def title(self, article_id: str | None = None) -> str:
        wanted = article_id or self._current
        return next((entry.title for entry in self._articles if entry.id == wanted), "")

    @property
    def several(self) -> bool:
        return len(self._articles) > 1

    @property
    def all_events(self) -> bool:
        """Whether the timeline shows every article's events (only with several articles)."""
        return self._all_events and self.several

    def timeline_article(self) -> str | None:
        """The article whose events the timeline shows; None: every article's."""
        return None if self.all_events else self._current

    def legend(self) -> list[ArticleHue]:
        """Each article with its colour, while the timeline shows several; else none."""
        if not self.all_events:
            return []
        return [
            ArticleHue(entry.id, entry.title, ARTICLE_HUES[index % len(ARTICLE_HUES)])
            for index, entry in enumerate(self._articles)
        ]

    # -- changes -------------------------------------------------------------------------------

    def choose(self, article_id: str) -> None:
        """Show this article in every pane (and remember it)."""
        if article_id not in {entry.id for entry in self._articles}:
            return
        changed = article_id != self._current
        self._current = article_id
        self._settings.setValue(CURRENT_KEY, article_id)
        self._check_current()
        if changed:
            self.articleChanged.emit(article_id)

    def set_all_events(self, on: bool) -> None:
        if on == self._all_events:
            return
        self._all_events = on
        self._settings.setValue(ALL_EVENTS_KEY, on)
        self.all_events_action.setChecked(on)
        self.timelineModeChanged.emit()

    def reload(self) -> bool:
        """Read the articles again (a pack was added, removed, hidden or shown). If the one
        shown has gone, the first one is shown; True if the shown article changed."""
        self._articles = self._collection.articles()
        self._fill_menu()
        if self._current in {entry.id for entry in self._articles}:
            return False
        self._current = self._articles[0].id
        self._settings.setValue(CURRENT_KEY, self._current)
        self._check_current()
        self.articleChanged.emit(self._current)
        return True

    def open_by_title(self) -> None:
        """Ctrl+O: pick an article by typing part of its title."""
        chosen = OpenArticleDialog.choose(self._window, self._articles, self._current)
        if chosen is not None:
            self.choose(chosen)

    def _fill_menu(self) -> None:
        self.article_menu.clear()
        for action in self._group.actions():
            self._group.removeAction(action)
        for entry in self._articles:
            action = QAction(entry.title.replace("&", "&&"), self.article_menu)
            action.setCheckable(True)
            action.setData(entry.id)
            action.triggered.connect(lambda _checked=False, wanted=entry.id: self.choose(wanted))
            self._group.addAction(action)
            self.article_menu.addAction(action)
        self.article_menu.addSeparator()
        self.article_menu.addAction(self.open_action)
        self.all_events_action.setEnabled(self.several)
        self.all_events_action.setChecked(self._all_events)
        self._check_current()

    def _check_current(self) -> None:
        for action in self._group.actions():
            action.setChecked(action.data() == self._current)


class OpenArticleDialog(QDialog):
    """Type part of a title; Up and Down pick among the matches, Enter opens."""

    def __init__(
        self, articles: Sequence[ArticleEntry], current: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("openArticleDialog")
        self.setWindowTitle("Open Article")
        self._articles = list(articles)
        self.filter = QLineEdit(self)
        self.filter.setObjectName("openArticleFilter")
        self.filter.setPlaceholderText("Part of the title")
        self.filter.setAccessibleName("Title contains")
        self.filter.textChanged.connect(self._fill)
        self.filter.installEventFilter(self)
        self.matches = QListWidget(self)
        self.matches.setObjectName("openArticleMatches")
        self.matches.setAccessibleName("Articles")
        self.matches.itemActivated.connect(lambda _item: self.accept())
        label = QLabel("&Title:", self)
        label.setBuddy(self.filter)
        self._buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel, self
        )
        self._buttons.accepted.connect(self.accept)
        self._buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.filter)
        layout.addWidget(self.matches)
        layout.addWidget(self._buttons)
        self.resize(480, 320)
        self._fill()
        for row in range(self.matches.count()):
            if self.matches.item(row).data(Qt.ItemDataRole.UserRole) == current:
                self.matches.setCurrentRow(row)

    def _fill(self) -> None:
        wanted = self.filter.text().casefold().split()
        self.matches.clear()
        for entry in self._articles:
            if all(word in entry.title.casefold() for word in wanted):
                item = QListWidgetItem(entry.title, self.matches)
                item.setData(Qt.ItemDataRole.UserRole, entry.id)
        self.matches.setCurrentRow(0)
        open_button = self._buttons.button(QDialogButtonBox.StandardButton.Open)
        open_button.setEnabled(self.matches.count() > 0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Up and Down move among the matches while typing goes on in the field.
        if (
            watched is self.filter
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down)
        ):
            step = -1 if event.key() == Qt.Key.Key_Up else 1
            row = max(0, min(self.matches.count() - 1, self.matches.currentRow() + step))
            self.matches.setCurrentRow(row)
            return True
        return super().eventFilter(watched, event)

    def chosen(self) -> str | None:
        item = self.matches.currentItem()
        value = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return value if isinstance(value, str) else None

    @classmethod
    def choose(cls, parent: QWidget, articles: Sequence[ArticleEntry], current: str) -> str | None:
        dialog = cls(articles, current, parent)
        return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None
