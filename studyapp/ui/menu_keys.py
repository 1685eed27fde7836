"""An open menu takes the letters typed into it.

The panes' one-letter keys (the reviewer's E, I and S, the timeline's C and W) are
`WidgetWithChildrenShortcut`s, and Qt matches those against the focus widget even while a
menu pops up over it: E typed in an open menu edited the card instead of choosing the menu's
entry. A window-wide shortcut never fires under an open menu; this gives the panes' keys the
same rule: in a menu, a plain printable key is the menu's (its mnemonics, or nothing).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QMenu

_PLAIN = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier


class _MenuLetters(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            text = event.text()
            if text.isprintable() and text.strip() and not event.modifiers() & ~_PLAIN:
                event.accept()  # no shortcut: the key goes on to the menu as a key press
                return True
        return False


_FILTER: _MenuLetters | None = None


def menus_take_letters(*menus: QMenu) -> None:
    """Install the rule on these menus and every submenu they hold."""
    global _FILTER
    if _FILTER is None:
        _FILTER = _MenuLetters()
    for menu in menus:
        menu.installEventFilter(_FILTER)
        for action in menu.actions():
            submenu = action.menu()
            if isinstance(submenu, QMenu):
                menus_take_letters(submenu)
