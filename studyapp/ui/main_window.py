"""The main window: three panes, menus, status bar, persistence, and the one place panes meet."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QMenu, QSplitter, QWidget

from studyapp.storage.errors import sqlalchemy_error
from studyapp.ui.answer_guard import AnswerGuard
from studyapp.ui.article import ArticlePane
from studyapp.ui.article_navigation import ArticleNavigation
from studyapp.ui.backup_actions import BackupActions
from studyapp.ui.card_authoring import CardAuthoring
from studyapp.ui.help_dialogs import (
    AboutInfo,
    PackCredit,
    Section,
    ShortcutsDialog,
    show_about,
)
from studyapp.ui.interop_actions import InteropActions
from studyapp.ui.launch import app_icon
from studyapp.ui.main_menus import build_menus, menu_shortcuts, shortcut_sections
from studyapp.ui.memory_map_control import MemoryMapControl
from studyapp.ui.operations import Operations
from studyapp.ui.pack_actions import PackActions
from studyapp.ui.pane_focus import PaneFocus
from studyapp.ui.review import ReviewPane
from studyapp.ui.theme import Theme, apply_theme
from studyapp.ui.timeline import TimelinePane
from studyapp.ui.window_layout import WindowLayout

if TYPE_CHECKING:
    from studyapp.collection import Changes, Collection
    from studyapp.study.queue_values import QueueCounts, StudyCard
    from studyapp.ui.browser import BrowserWindow
    from studyapp.ui.welcome import WelcomeTour

log = logging.getLogger(__name__)

UI_SETTINGS_FILE = "window.ini"
STATUS_REFRESH_MS = 30_000
DAY_CHECK_MS = 30_000  # how often to look whether a new study day has begun


class MainWindow(QMainWindow):
    restoreRequested = Signal(object)  # a backup Path the user chose and confirmed

    def __init__(self, collection: Collection, *, opening: bool = False) -> None:
        """opening: the collection is the first screen's stand-in, still opening behind the
        window (ui/launch.py): what only the collection reads waits for collection_opened()."""
        super().__init__()
        self.setObjectName("mainWindow")
        self._collection = collection
        self._ui_settings = QSettings(
            str(collection.data_dir / UI_SETTINGS_FILE), QSettings.Format.IniFormat
        )
        app = QApplication.instance()
        if isinstance(app, QApplication):  # before the panes: no palette change reaches them
            apply_theme(app, self.theme())
        self.operations = Operations(collection, self)
        self.navigation = ArticleNavigation(self, collection, self._ui_settings)
        self.article = ArticlePane(collection, self, self.navigation.current)
        self.article.set_articles(self.navigation.articles)
        self.timeline = TimelinePane([], self)
        self._refresh_timeline()
        self.review = ReviewPane(self.operations, self)
        self.packs = PackActions(self, self.operations, self.navigation)
        self.setWindowTitle(f"{self.navigation.title()} — StudyApp")
        self.setWindowIcon(app_icon())

        self._top = QSplitter(Qt.Orientation.Horizontal, self)
        self._top.setObjectName("topSplitter")
        self._top.addWidget(self.article)
        self._top.addWidget(self.review)
        self._main = QSplitter(Qt.Orientation.Vertical, self)
        self._main.setObjectName("mainSplitter")
        self._main.addWidget(self._top)
        self._main.addWidget(self.timeline)
        for splitter in (self._top, self._main):
            splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self._main)

        self._status = QLabel(self)
        self._status.setObjectName("studyStatus")
        self._status.setAccessibleName("Study status")
        self.statusBar().addPermanentWidget(self._status)
        self._status_timer = QTimer(self)
        self._status_timer.setInterval(STATUS_REFRESH_MS)
        self._status_timer.timeout.connect(self.update_status)
        self._status_timer.start()

        self.answer_guard = AnswerGuard(
            self.article,
            self.timeline,
            self.review,
            bool(self._ui_settings.value("review/veil", True, type=bool)),
            show_article=self.navigation.choose,
        )
        self.pane_focus = PaneFocus(
            {"article": self.article, "timeline": self.timeline, "review": self.review}, self
        )
        self._day_timer = QTimer(self)
        self._day_timer.setInterval(DAY_CHECK_MS)
        self._day_timer.timeout.connect(self.check_day)
        self._day_timer.start()
        self._day = collection.day()

        self.authoring = CardAuthoring(self, self.operations, self.article, self.answer_guard)
        self.backups = BackupActions(self, self.operations)
        self._closed_for_restore = False
        self.interop = InteropActions(self, self.operations)
        self.undo_action = QAction("&Undo", self)
        self.undo_action.setObjectName("undoAction")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.triggered.connect(lambda _checked=False: self.undo())
        self.addAction(self.undo_action)
        self._welcome: WelcomeTour | None = None
        self._browser: BrowserWindow | None = None
        self.memory_map = MemoryMapControl(
            collection,
            self.article,
            self.timeline,
            lambda text: self.statusBar().showMessage(text, 5000),
        )
        menus = build_menus(self)
        self.quit_action = menus.quit_action
        self.veil_action = menus.veil_action
        self.memory_map_action = menus.memory_map_action
        self._pane_actions = menus.pane_actions
        self._theme_actions = menus.theme_actions
        self._connect_panes()
        self._layout = WindowLayout(
            self, self._ui_settings, (self._main, self._top), self._pane_actions, self.article
        )
        self._layout.restore()
        self._apply_pane_visibility()
        self.memory_map_action.setChecked(
            bool(self._ui_settings.value("view/memory_map", False, type=bool))
        )
        self.set_theme(self.theme())
        self.update_status()
        self._update_undo()
        self.answer_guard.update()
        if not opening:  # else collection_opened() turns it on: the map is the collection's
            self.memory_map.set_on(self.memory_map_action.isChecked())
        self.focus_pane("review")  # Space shows the answer at once
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._system_scheme_changed)

    def collection_opened(self) -> None:
        """The collection behind the first screen is open: what waited for it (the memory map,
        if it was left on)."""
        if self.memory_map_action.isChecked() and not self.memory_map.on:
            self.memory_map.set_on(True)

    # -- wiring: the one place panes are connected -------------------------------------------

    def _connect_panes(self) -> None:
        self.timeline.eventSelected.connect(self.show_event_source)
        self.article.eventSourceActivated.connect(self.timeline.select_event)
        self.article.cardActivated.connect(self._select_card_events)
        self.article.zoomChanged.connect(
            lambda step: self._ui_settings.setValue("article/zoom", step)
        )
        self.review.sourceRequested.connect(self.show_card_source)
        # The counts the reviewer has just read with its card: one figure, no second query.
        self.review.countsShown.connect(self._show_counts)
        self.article.clozeRequested.connect(self.authoring.cloze_from_article)
        self.article.cardFromSelectionRequested.connect(self.authoring.card_from_article)
        self.timeline.chronologyCardRequested.connect(self.authoring.chronology_card)
        self.timeline.whenCardRequested.connect(self.authoring.when_card)
        self.timeline.refused.connect(lambda text: self.statusBar().showMessage(text, 5000))
        self.backups.restoreRequested.connect(self.restoreRequested)
        self.operations.changed.connect(self._on_changes)
        self.article.articleRequested.connect(self.navigation.choose)
        self.timeline.allArticlesToggled.connect(self.navigation.set_all_events)
        self.navigation.articleChanged.connect(self._show_article)
        self.navigation.timelineModeChanged.connect(self._refresh_timeline)
        self.packs.packAdded.connect(self._pack_added)

    def _pack_added(self, article_id: str, message: str) -> None:
        self.navigation.choose(article_id)  # the learner added it to read it
        self.statusBar().showMessage(message, 15_000)

    def _show_article(self, article_id: str) -> None:
        """The article every pane follows changed (switcher, View > Article, Ctrl+O, a card's
        or an event's source in another article, its pack removed)."""
        self.article.show_article(article_id)
        self._refresh_timeline()
        self.memory_map.refresh()  # the new article's sentences
        self.packs.update()
        self.setWindowTitle(f"{self.navigation.title()} — StudyApp")

    def _refresh_timeline(self) -> None:
        """The chosen article's events, or every article's, each in its colour."""
        navigation = self.navigation
        items = self._collection.timeline(navigation.timeline_article())
        self.timeline.set_items(items, navigation.legend() or None)
        self.timeline.set_all_articles(navigation.all_events, navigation.several)

    def _on_changes(self, changes: Changes, initiator: object) -> None:
        """The one place a change reaches the panes: each refreshes what the flags say."""
        if changes.content:
            # Packs added, removed or updated: the articles offered, and what each pane shows.
            if not self.navigation.reload():
                self.article.reload()
                self._refresh_timeline()
            self.article.set_articles(self.navigation.articles)
            self.packs.update()
        elif changes.card_counts:
            self.article.refresh_cards()
            self.timeline.set_card_counts(self._collection.event_card_counts())
        self.review.on_changes(changes, initiator)  # its new counts reach the status bar
        self.memory_map.on_changes(changes)
        if self._browser is not None:
            self._browser.on_changes(changes, initiator)
        if changes.settings:
            self.packs.update()  # which articles are studied (undo may bring a choice back)
        self.backups.mark_changed()
        self._update_undo()

    def undo(self) -> None:
        self.operations.undo(parent=self)

    def _update_undo(self) -> None:
        label = self._collection.undo_label()
        self.undo_action.setEnabled(label is not None)
        self.undo_action.setText(f"&{label}" if label else "&Undo")

    def show_event_source(self, event_id: str) -> None:
        item = self.timeline.item(event_id)
        if item is not None and item.article_id:
            self.navigation.choose(item.article_id)  # every article's events may be showing
        if item is None or item.passage_id is None or item.sentence_index is None:
            log.warning("event %r has no source sentence in the article", event_id)
            self.statusBar().showMessage("This event's source sentence is missing.", 5000)
            return
        if not self.article.show_sentence(item.passage_id, item.sentence_index):
            self.statusBar().showMessage("This event's source sentence is missing.", 5000)

    def show_card_source(self, card: StudyCard) -> None:
        self._ensure_visible("article")
        if card.article_id is not None:
            self.navigation.choose(card.article_id)  # the panes follow the card's article
        if not card.quote:  # one of the learner's own, made without a source
            self.statusBar().showMessage("This card has no source: it was made without one.", 5000)
        elif card.passage_id is None or card.sentence_index is None:
            log.warning("card %r has no source sentence in the article", card.id)
            self.statusBar().showMessage("This card's source sentence is missing.", 5000)
        elif not self.article.show_sentence(card.passage_id, card.sentence_index):
            self.statusBar().showMessage("This card's source sentence is missing.", 5000)
        if card.event_ids:
            self._ensure_visible("timeline")
            self.timeline.select_event(card.event_ids[0])

    def show_card_in_article(self, card_id: str) -> None:
        """The browser's Show in Article: the card's sentence highlighted in the article."""
        try:
            card = self._collection.card(card_id)
        except KeyError:
            return
        self.bring_to_front()
        self._ensure_visible("article")
        passage, sentence = card.passage_id, card.sentence_index
        if passage is None or sentence is None or not self.article.show_sentence(passage, sentence):
            self.statusBar().showMessage("This card has no source sentence in the article.", 8000)
        elif self.answer_guard.is_covering():
            self.statusBar().showMessage(
                "The sentence is highlighted, but the article stays hidden while a question is "
                "up: show the answer (Space) first.",
                8000,
            )
        else:
            self.statusBar().showMessage("The card's sentence is highlighted in the article.", 5000)

    def show_browser(self) -> None:
        """Study > Browse (B): the card browser, in its own window."""
        if self._browser is None:
            from studyapp.ui.browser import BrowserWindow

            # A window of its own, not the main window's child: Show in Article raises the
            # main window over it, as Anki's browser and main window take turns.
            self._browser = BrowserWindow(self.operations, self._ui_settings)
            self._browser.showInArticleRequested.connect(self.show_card_in_article)
            self.destroyed.connect(self._browser.deleteLater)
        card = self.review.current_card()
        self._browser.open(card.id if card is not None else None)

    def browser(self) -> BrowserWindow | None:
        """The card browser, once it has been opened."""
        return self._browser

    def _select_card_events(self, card_id: str) -> None:
        links = self._collection.card_links(card_id)
        if links and links.event_ids:
            self.timeline.select_event(links.event_ids[0])

    def status_text(self) -> str:
        return self._status.text()

    def update_status(self) -> None:
        """Today's counts, by the review pane's own rule (one "due" figure everywhere)."""
        try:
            counts = self._collection.counts()
        except sqlalchemy_error() as error:  # a read failed: say so, keep the window usable
            log.warning("could not read the study status: %s", error)
            self._status.setText("Study status unavailable: the database could not be read")
            return
        self._show_counts(counts)

    def _show_counts(self, counts: QueueCounts) -> None:
        left = f"Left today: {counts.new} new · {counts.learning} learning · {counts.review} due"
        scope = self.packs.scope_text()
        self._status.setText(f"{scope} · {left}" if scope else left)

    def check_day(self) -> None:
        """A new study day began while the window was open: the counts roll over."""
        day = self._collection.day()
        if day != self._day:
            self._day = day
            self.review.refresh()
            self.update_status()
            self.memory_map.refresh()  # a day more since every card's last review

    # -- menus (built in main_menus.py) ---------------------------------------------------

    def window_action(
        self,
        menu: QMenu,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | str | list[QKeySequence] | None = None,
    ) -> QAction:
        """A window action in `menu`, its shortcut live in the whole window."""
        action = QAction(text, self)
        if isinstance(shortcut, list):
            action.setShortcuts(shortcut)
        elif shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        self.addAction(action)
        return action

    def menu_shortcuts(self) -> list[tuple[str, str]]:
        """(keys, what) for every window-wide menu action with a shortcut (Help dialog)."""
        return menu_shortcuts(self.menuBar())

    # -- actions ---------------------------------------------------------------------------

    def pane_action(self, key: str) -> QAction:
        """The View menu's Show … Pane toggle for "article", "timeline" or "review"."""
        return self._pane_actions[key]

    def pane(self, key: str) -> QWidget:
        return {"article": self.article, "timeline": self.timeline, "review": self.review}[key]

    def focus_pane(self, key: str) -> None:
        self._ensure_visible(key)
        if key != "review" and self.answer_guard.is_covering():
            self.statusBar().showMessage(
                "The article and the timeline open when the answer shows (Space).", 5000
            )
            key = "review"
        self.pane_focus.focus(key)

    def focus_next_pane(self) -> None:
        self.focus_pane(self.pane_focus.next_pane())

    def toggle_memory_map(self) -> None:
        self._ui_settings.setValue("view/memory_map", self.memory_map_action.isChecked())
        self.memory_map.set_on(self.memory_map_action.isChecked())

    def refresh_memory_map(self, card_ids: frozenset[str] | None = None) -> None:
        """Read the memory map again (only these cards' sentences and events, if given)."""
        self.memory_map.refresh(card_ids)

    def show_statistics(self) -> None:
        """Study > Statistics (T): the charts' modules load only now."""
        from studyapp.ui.stats import open_statistics

        open_statistics(self, self._collection)

    def toggle_veil(self) -> None:
        veiled = self.veil_action.isChecked()
        self.answer_guard.set_veiled(veiled)
        self._ui_settings.setValue("review/veil", veiled)

    def _ensure_visible(self, key: str) -> None:
        if not self._pane_actions[key].isChecked():
            self._pane_actions[key].setChecked(True)
            self._apply_pane_visibility()

    def toggle_pane(self, key: str) -> None:
        self._apply_pane_visibility()
        if self._pane_actions[key].isChecked():
            self.pane(key).setFocus(Qt.FocusReason.OtherFocusReason)

    def _apply_pane_visibility(self) -> None:
        for key, action in self._pane_actions.items():
            self.pane(key).setVisible(action.isChecked())
        self._top.setVisible(
            self.article.isVisibleTo(self._top) or self.review.isVisibleTo(self._top)
        )
        self.answer_guard.update()

    def find_in_article(self) -> None:
        if self.answer_guard.is_covering():  # a find bar under the veil would take typing unseen
            self.statusBar().showMessage(
                "The article is hidden while a question is up: show the answer (Space), then "
                "Ctrl+F.",
                8000,
            )
            return
        self._ensure_visible("article")
        self.article.open_find()

    def set_theme(self, theme: Theme) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, theme)
        for option, action in self._theme_actions.items():
            action.setChecked(option is theme)
        self._ui_settings.setValue("theme", theme.value)

    def _system_scheme_changed(self) -> None:
        if self.theme() is Theme.SYSTEM:
            self.set_theme(Theme.SYSTEM)

    def theme(self) -> Theme:
        value = str(self._ui_settings.value("theme", Theme.SYSTEM.value))
        return Theme(value) if value in Theme._value2member_map_ else Theme.SYSTEM

    def shortcut_sections(self) -> list[Section]:
        return shortcut_sections(self)

    def show_shortcuts(self) -> None:
        ShortcutsDialog.show_for(self, self.shortcut_sections())

    def show_welcome(self) -> None:
        """Help > Welcome Tour: the panes outlined and the five keys, over the window."""
        if self._welcome is None:
            from studyapp.ui.welcome import WelcomeTour

            panes = {"Article": self.article, "Flashcards": self.review, "Timeline": self.timeline}
            self._welcome = WelcomeTour(self, panes, home="Article")
            self.operations.changed.connect(self._welcome.on_changes)
        self._welcome.open()

    def show_welcome_once(self) -> bool:
        """The welcome on the first start on this data dir (remembered in window.ini)."""
        if self._ui_settings.value("welcome/shown", False, type=bool):
            return False
        self.show_welcome()
        self._ui_settings.setValue("welcome/shown", True)
        self._ui_settings.sync()
        return True

    def welcome_tour(self) -> WelcomeTour | None:
        return self._welcome

    def about_info(self) -> AboutInfo:
        collection = self._collection
        credits = tuple(
            PackCredit(p.title, p.version, p.source, p.licence, p.attribution, p.builtin)
            for p in collection.packs()
        )
        return AboutInfo(
            data_dir=str(collection.data_dir),
            database=str(collection.path),
            dataset_version=collection.seed.version,
            packs=credits,
        )

    def show_about(self) -> None:
        show_about(self, self.about_info())

    # -- layout persistence (window_layout.py) ---------------------------------------------

    def save_layout(self) -> bool:
        """Write the window's layout to window.ini; False if it could not be written."""
        return self._layout.save()

    def bring_to_front(self) -> None:
        """Another launch on this data dir asked for the window."""
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._closed_for_restore:  # its collection is closed: nothing left to save
            super().closeEvent(event)
            return
        if self._browser is not None and self._browser.isVisible() and not self._browser.close():
            event.ignore()  # the browser holds an edit the learner wants to keep fixing
            return
        problems = []
        if not self.save_layout():
            problems.append(
                f"The window layout could not be saved to {self._ui_settings.fileName()}."
            )
        failed_backup = self.backups.on_close()
        if failed_backup is not None:
            problems.insert(0, failed_backup)
        if problems and not _ask_to_quit_anyway(self, problems):
            event.ignore()  # the learner stays, and can free space or choose another folder
            return
        self._status_timer.stop()
        self.backups.timer.stop()
        super().closeEvent(event)

    def close_for_restore(self) -> None:
        """Close without the on-close backup: the restore backs the collection up itself (a
        backup still being written is let finish first)."""
        self.backups.wait_for_running()
        self._closed_for_restore = True
        if self._browser is not None:
            self._browser.close()
            self._browser.deleteLater()
            self._browser = None
        self.save_layout()
        self._status_timer.stop()
        self.backups.timer.stop()
        self.hide()
        self.deleteLater()


def _ask_to_quit_anyway(window: QWidget, problems: list[str]) -> bool:
    from studyapp.ui import backup_dialogs  # only when closing went wrong

    return backup_dialogs.ask_to_quit_anyway(window, problems)
