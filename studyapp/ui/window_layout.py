"""The main window's layout kept in window.ini: its geometry, its two splitters, which panes
show, and the article's zoom; and the first layout on a screen with no saved one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QMainWindow, QSplitter

if TYPE_CHECKING:
    from studyapp.ui.article import ArticlePane


class WindowLayout:
    def __init__(
        self,
        window: QMainWindow,
        settings: QSettings,
        splitters: tuple[QSplitter, QSplitter],  # (the main, vertical one; the top one)
        pane_actions: dict[str, QAction],
        article: ArticlePane,
    ) -> None:
        self._window = window
        self._settings = settings
        self._main, self._top = splitters
        self._pane_actions = pane_actions
        self._article = article

    def restore(self) -> None:
        """The saved layout, or a default one for this screen (the panes' visibility is the
        caller's to apply)."""
        settings = self._settings
        geometry = settings.value("window/geometry")
        if not (isinstance(geometry, QByteArray) and self._window.restoreGeometry(geometry)):
            self._default_geometry()
        for splitter, key in (
            (self._main, "window/main_splitter"),
            (self._top, "window/top_splitter"),
        ):
            state = settings.value(key)
            if not (isinstance(state, QByteArray) and splitter.restoreState(state)):
                self._default_split(splitter)
        for key, action in self._pane_actions.items():
            action.setChecked(bool(settings.value(f"panes/{key}", True, type=bool)))
        self._article.set_zoom(_as_int(settings.value("article/zoom", 0, type=int)))

    def save(self) -> bool:
        """Write the layout to window.ini; False if it could not be written."""
        settings = self._settings
        settings.setValue("window/geometry", self._window.saveGeometry())
        settings.setValue("window/main_splitter", self._main.saveState())
        settings.setValue("window/top_splitter", self._top.saveState())
        for key, action in self._pane_actions.items():
            settings.setValue(f"panes/{key}", action.isChecked())
        settings.setValue("article/zoom", self._article.zoom())
        settings.sync()
        return settings.status() == QSettings.Status.NoError

    def _default_geometry(self) -> None:
        window = self._window
        screen = QGuiApplication.primaryScreen()
        area = screen.availableGeometry() if screen is not None else None
        if area is None or area.width() < 200:
            window.resize(1280, 720)
            return
        width = min(area.width(), max(1100, int(area.width() * 0.85)))
        height = min(area.height(), max(650, int(area.height() * 0.85)))
        window.resize(width, height)
        window.move(
            area.x() + (area.width() - width) // 2, area.y() + (area.height() - height) // 2
        )

    def _default_split(self, splitter: QSplitter) -> None:
        if splitter is self._main:
            total = max(self._window.height(), 600)
            splitter.setSizes([int(total * 0.6), int(total * 0.4)])
        else:
            total = max(self._window.width(), 900)
            splitter.setSizes([int(total * 0.56), int(total * 0.44)])


def _as_int(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0
