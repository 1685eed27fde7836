"""The browser's menus, its cards' context menu and their keys, from the one table of actions
(actions.BROWSER_ACTIONS): Edit (undo, the search box, the cards, the editor), Cards, View."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from studyapp.ui.browser.actions import BROWSER_ACTIONS

if TYPE_CHECKING:
    from studyapp.ui.browser.window import BrowserWindow

SEPARATED = ("forget", "card_info")  # a group starts at each of these


@dataclass(frozen=True)
class BrowserMenus:
    undo_action: QAction
    card_actions: dict[str, QAction]


def _action(
    window: BrowserWindow,
    menu: QMenu,
    text: str,
    slot: Callable[[], object],
    keys: tuple[str, ...] = (),
) -> QAction:
    action = QAction(text, window)
    action.setShortcuts([QKeySequence(key) for key in keys])
    action.triggered.connect(lambda _checked=False: slot())
    menu.addAction(action)
    window.addAction(action)
    return action


def build_menus(window: BrowserWindow) -> BrowserMenus:
    bar = window.menuBar()
    edit = bar.addMenu("&Edit")
    undo = _action(window, edit, "&Undo", window.undo, ("Ctrl+Z",))
    undo.setObjectName("browserUndoAction")
    edit.addSeparator()
    _action(window, edit, "&Find…", window.focus_search, ("Ctrl+F",))
    _action(window, edit, "Go to the &Cards", window.focus_table, ("Ctrl+L",))
    _action(window, edit, "Go to the &Editor", window.focus_editor, ("Ctrl+E",))
    cards = bar.addMenu("&Cards")
    card_actions: dict[str, QAction] = {}
    for entry in BROWSER_ACTIONS:
        if entry.name in SEPARATED:
            cards.addSeparator()
        action = _action(window, cards, entry.text, getattr(window, entry.name), entry.keys)
        action.setObjectName(f"{entry.name}Action")
        if entry.tip:
            action.setToolTip(f"{entry.tip} ({', '.join(entry.keys)})")
            action.setStatusTip(entry.tip)
        card_actions[entry.name] = action
    view = bar.addMenu("&View")
    _action(window, view, "&Columns…", window.choose_columns)
    view.addSeparator()
    _action(window, view, "C&lose", window.close, ("Esc", "Ctrl+W"))
    return BrowserMenus(undo, card_actions)


def card_menu(window: BrowserWindow, actions: dict[str, QAction], point: QPoint) -> None:
    """The table's right-click menu: the same actions as the Cards menu."""
    menu = QMenu(window)
    for name, action in actions.items():
        if name in SEPARATED:
            menu.addSeparator()
        menu.addAction(action)
    menu.exec(window.table.viewport().mapToGlobal(point))
