"""Which pane has the keyboard: a focus frame round it, Alt+1/2/3 to go to a pane and F6 to
go round them (Ctrl+1-4 are the reviewer's flags, as in Anki)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication, QWidget
from shiboken6 import isValid

from studyapp.ui.focus_frame import FocusFrame


class PaneFocus(QObject):
    def __init__(self, panes: dict[str, QWidget], parent: QObject) -> None:
        super().__init__(parent)
        self._panes = panes
        self._frames = {key: FocusFrame(pane) for key, pane in panes.items()}
        self._app = QApplication.instance()
        if isinstance(self._app, QApplication):
            self._app.focusChanged.connect(self._on_focus_changed)

    def focused_pane(self) -> str | None:
        """The pane holding the keyboard focus, if one does."""
        focused = QApplication.focusWidget()
        for key, pane in self._panes.items():
            if focused is not None and (focused is pane or pane.isAncestorOf(focused)):
                return key
        return None

    def frame_shown(self, key: str) -> bool:
        return self._frames[key].isVisible()

    def next_pane(self) -> str:
        """The visible pane after the focused one, round the window (F6)."""
        visible = [key for key, pane in self._panes.items() if pane.isVisible()]
        if not visible:
            return next(iter(self._panes))
        current = self.focused_pane()
        if current not in visible:
            return visible[0]
        return visible[(visible.index(current) + 1) % len(visible)]

    def _on_focus_changed(self, _old: QWidget | None, _new: QWidget | None) -> None:
        if not all(isValid(frame) for frame in self._frames.values()):
            # The window is going: its panes are gone before this object is.
            if isinstance(self._app, QApplication):
                self._app.focusChanged.disconnect(self._on_focus_changed)
            return
        active = self.focused_pane()
        for key, frame in self._frames.items():
            frame.set_active(key == active)

    def focus(self, key: str) -> None:
        self._panes[key].setFocus(Qt.FocusReason.ShortcutFocusReason)
