"""The main window's menus, and the Keyboard Shortcuts dialog's list drawn from the same
actions (so it lists exactly the keys that exist)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar

from studyapp.ui.help_dialogs import ARTICLE_KEYS, TIMELINE_KEYS, Section
from studyapp.ui.menu_keys import menus_take_letters
from studyapp.ui.theme import Theme

if TYPE_CHECKING:
    from studyapp.ui.main_window import MainWindow

PANES = (
    ("article", "&Article", "Alt+1", "Ctrl+Shift+1"),
    ("timeline", "&Timeline", "Alt+2", "Ctrl+Shift+2"),
    ("review", "&Flashcards", "Alt+3", "Ctrl+Shift+3"),
)


@dataclass
class Menus:
    """The menu actions the window keeps track of."""

    quit_action: QAction
    veil_action: QAction
    memory_map_action: QAction
    pane_actions: dict[str, QAction]
    theme_actions: dict[Theme, QAction]


def build_menus(window: MainWindow) -> Menus:
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    for action in (window.interop.import_action, window.interop.export_action):
        file_menu.addAction(action)
        window.addAction(action)
    file_menu.addAction(window.packs.add_action)
    file_menu.addAction(window.packs.packs_action)
    file_menu.addSeparator()
    file_menu.addAction(window.backups.backup_now_action)
    file_menu.addAction(window.backups.restore_action)
    file_menu.addSeparator()
    quit_action = window.window_action(file_menu, "&Quit", window.close, "Ctrl+Q")

    edit_menu = bar.addMenu("&Edit")
    edit_menu.addAction(window.undo_action)
    edit_menu.addSeparator()
    window.window_action(edit_menu, "&Find in Article…", window.find_in_article, "Ctrl+F")

    view_menu = bar.addMenu("&View")
    pane_actions = {}
    for key, title, focus_key, toggle_key in PANES:
        toggle = window.window_action(
            view_menu, f"Show {title} Pane", partial(window.toggle_pane, key), toggle_key
        )
        toggle.setCheckable(True)
        toggle.setChecked(True)
        pane_actions[key] = toggle
        window.window_action(
            view_menu, f"Go to {title}", partial(window.focus_pane, key), focus_key
        )
    window.window_action(view_menu, "Go to &Next Pane", window.focus_next_pane, "F6")
    view_menu.addSeparator()
    # Which article the panes show: every article by title, Open Article… (Ctrl+O), and
    # whether the timeline shows every article's events.
    view_menu.addMenu(window.navigation.article_menu)
    window.addAction(window.navigation.open_action)
    view_menu.addAction(window.navigation.all_events_action)
    view_menu.addSeparator()
    veil_action = window.window_action(
        view_menu, "Hide Article and Timeline &While Asking", window.toggle_veil
    )
    veil_action.setCheckable(True)
    veil_action.setChecked(window.answer_guard.veiled)
    memory_map_action = window.window_action(
        view_menu, "&Memory Map", window.toggle_memory_map, "Ctrl+Shift+M"
    )
    memory_map_action.setCheckable(True)
    memory_map_action.setToolTip(
        "Tint each sentence and event by how well its cards are remembered now"
    )
    view_menu.addSeparator()
    # The article's text size: its keys act where the article has focus (Ctrl+0 is the
    # reviewer's Clear Flag, as in Anki).
    for text, slot, keys in (
        ("Zoom &In", window.article.zoom_in, ["Ctrl++", "Ctrl+="]),
        ("Zoom &Out", window.article.zoom_out, ["Ctrl+-"]),
        ("&Reset Zoom", window.article.zoom_reset, ["Ctrl+0"]),
    ):
        action = window.window_action(view_menu, text, slot, [QKeySequence(k) for k in keys])
        window.removeAction(action)
        window.article.addAction(action)
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    view_menu.addSeparator()
    theme_menu = view_menu.addMenu("T&heme")
    theme_actions = {}
    for theme, label in ((Theme.SYSTEM, "&System"), (Theme.LIGHT, "&Light"), (Theme.DARK, "&Dark")):
        action = window.window_action(theme_menu, label, partial(window.set_theme, theme))
        action.setCheckable(True)
        theme_actions[theme] = action

    study_menu = bar.addMenu("&Study")
    browse = window.window_action(study_menu, "&Browse…", window.show_browser, "B")
    browse.setObjectName("browseAction")
    browse.setToolTip("Find, edit and manage every card (B)")
    study_menu.addSeparator()
    study_menu.addActions(list(window.review.card_actions.values()))
    study_menu.addSeparator()
    study_menu.addAction(window.packs.study_all_action)
    study_menu.addAction(window.packs.study_this_action)
    study_menu.addSeparator()
    study_menu.addAction(window.review.study_more_action)
    study_menu.addAction(window.review.settings_action)
    study_menu.addSeparator()
    window.window_action(study_menu, "Statisti&cs…", window.show_statistics, "T")

    cards_menu = bar.addMenu("&Cards")
    window.window_action(cards_menu, "&Add Card…", window.authoring.add_card, "A")
    cards_menu.addSeparator()
    cards_menu.addActions([window.article.cloze_action, window.article.new_card_action])
    cards_menu.addSeparator()
    cards_menu.addActions([window.timeline.chronology_action, window.timeline.when_action])

    tools_menu = bar.addMenu("&Tools")
    tools_menu.addAction(window.backups.check_action)

    help_menu = bar.addMenu("&Help")
    window.window_action(help_menu, "&Welcome Tour", window.show_welcome)
    window.window_action(help_menu, "&Keyboard Shortcuts", window.show_shortcuts, "F1")
    window.window_action(help_menu, "&About StudyApp", window.show_about)
    menus_take_letters(*(m for a in bar.actions() if isinstance(m := a.menu(), QMenu)))
    return Menus(quit_action, veil_action, memory_map_action, pane_actions, theme_actions)


def menu_shortcuts(bar: QMenuBar) -> list[tuple[str, str]]:
    """(keys, what) for every window-wide menu action with a shortcut."""
    rows = []
    for menu_action in bar.actions():
        menu = menu_action.menu()
        if not isinstance(menu, QMenu):
            continue
        for action in all_actions(menu):
            if action.shortcutContext() == Qt.ShortcutContext.WidgetWithChildrenShortcut:
                continue  # a pane's own key: listed under that pane
            rows += shortcut_rows([action])
    return rows


def shortcut_sections(window: MainWindow) -> list[Section]:
    """Every key of the window, per pane, from the actions themselves."""
    return [
        ("Window and menus", menu_shortcuts(window.menuBar())),
        ("Flashcards (when the pane has focus)", window.review.key_help()),
        (
            "Article (when the pane has focus)",
            [*shortcut_rows(window.article.actions()), *ARTICLE_KEYS],
        ),
        ("Timeline (when the pane has focus)", [*TIMELINE_KEYS, *window.timeline.key_help()]),
        ("Card browser (its own window)", browser_keys()),
    ]


def browser_keys() -> list[tuple[str, str]]:
    """The browser's keys, from its own table (it need not be open)."""
    from studyapp.ui.browser.actions import BROWSER_ACTIONS, TYPED_KEYS

    rows = list(TYPED_KEYS)
    for entry in BROWSER_ACTIONS:
        keys = ", ".join(
            QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText) for key in entry.keys
        )
        rows.append((keys, entry.text.replace("&", "")))
    return rows


def shortcut_rows(actions: list[QAction]) -> list[tuple[str, str]]:
    rows = []
    for action in actions:
        keys = ", ".join(
            sequence.toString(QKeySequence.SequenceFormat.NativeText)
            for sequence in action.shortcuts()
        )
        if keys:
            rows.append((keys, action.text().replace("&", "")))
    return rows


def all_actions(menu: QMenu) -> list[QAction]:
    found = []
    for action in menu.actions():
        submenu = action.menu()
        if isinstance(submenu, QMenu):
            found += all_actions(submenu)
        elif not action.isSeparator():
            found.append(action)
    return found
