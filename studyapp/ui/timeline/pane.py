"""The timeline pane: the timeline view (events and periods on a zoomable, pannable time axis),
its zoom buttons, and a strip describing the selected event.

The view is in view.py (its input in view_input.py), the scene it shows in scene.py (indexed
by index.py), how it paints in paint.py, the layout maths in layout.py, the label rows in
labels.py, the axis ticks in axis.py and the words for an event (strip and tooltip) in
describe.py, all in this package.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studyapp.collection.event_cards import SELECT_ONE, chronology_refusal
from studyapp.ui.colours import readable_hue
from studyapp.ui.memory_map import MemoryLegend
from studyapp.ui.menu_keys import menus_take_letters
from studyapp.ui.plain_text import ZERO_WIDTH_SPACE, breakable
from studyapp.ui.timeline.describe import date_line
from studyapp.ui.timeline.view import TimelineView
from studyapp.ui.timeline.view_input import KEY_ZOOM

if TYPE_CHECKING:
    from studyapp.storage.pane_values import TimelineItem
    from studyapp.study.recall import CardRecall

__all__ = ["HINT", "KEYS", "ArticleHue", "TimelinePane", "TimelineView"]

HINT = "Select an event: click it, or use ← →"
KEYS = "Zoom: + and −, Ctrl+wheel or pinch · Pan: drag, wheel or Shift+← → · Fit all: Home"
CHRONOLOGY_TEXT = "Make a “which came first” card"
WHEN_TEXT = "Make a “when” card"


@dataclass(frozen=True)
class ArticleHue:
    """An article whose events the timeline shows among others', and its colour's hue."""

    article_id: str
    title: str
    hue: int


class _DetailStrip(QFrame):
    """The selected event as the article gives it: date, title, description, cards about it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timelineDetail")
        self.setAccessibleName("Selected event")
        self._heading = QLabel(self)
        self._heading.setTextFormat(Qt.TextFormat.PlainText)
        self._heading.setWordWrap(True)
        font = self._heading.font()
        font.setBold(True)
        self._heading.setFont(font)
        self._body = QLabel(self)
        self._body.setTextFormat(Qt.TextFormat.PlainText)
        self._body.setWordWrap(True)
        self._body.setMinimumHeight(self._body.fontMetrics().height())
        for label in (self._heading, self._body):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.setSpacing(1)
        layout.addWidget(self._heading)
        layout.addWidget(self._body)
        self.show_item(None)

    def show_item(self, item: TimelineItem | None, article: str | None = None) -> None:
        """The item, and with `article` the title of the article it comes from."""
        # The body keeps its line even when empty, so the view above never jumps in height.
        if item is None:
            self._heading.setText(HINT)
            self._body.setText(KEYS)
        else:
            cards = f"{item.card_count} card" + ("" if item.card_count == 1 else "s")
            heading = f"{date_line(item)} · {item.title} · {cards}"
            if article:
                heading += f" · {article}"
            self._heading.setText(breakable(heading))
            self._body.setText(breakable(item.description))
        self.setAccessibleDescription(self.text())

    def show_several(self, items: Sequence[TimelineItem], refusal: str | None) -> None:
        """Two or more events selected: which, and whether a card can ask their order."""
        named = " · ".join(f"{item.title} ({date_line(item)})" for item in items)
        self._heading.setText(breakable(f"{len(items)} events selected: {named}"))
        if refusal is None:
            self._body.setText(f"C: {CHRONOLOGY_TEXT[0].lower()}{CHRONOLOGY_TEXT[1:]}.")
        else:
            self._body.setText(f"No “which came first” card: {refusal}.")
        self.setAccessibleDescription(self.text())

    def text(self) -> str:
        """What the strip says (without the invisible break chances of long words)."""
        shown = "\n".join(t for t in (self._heading.text(), self._body.text()) if t)
        return shown.replace(ZERO_WIDTH_SPACE, "")


class TimelinePane(QWidget):
    """Events and periods on a time axis; the main window embeds it and wires `eventSelected`
    (and `allArticlesToggled`, the button that shows every article's events)."""

    eventSelected = Signal(str)
    chronologyCardRequested = Signal(str, str)  # two event ids
    whenCardRequested = Signal(str)  # an event id
    refused = Signal(str)  # why a card key did nothing ("… (both are 1920).")
    allArticlesToggled = Signal(bool)

    def __init__(self, items: Sequence[TimelineItem], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timelinePane")
        self._view = TimelineView(self)
        self._strip = _DetailStrip(self)
        self._legend: list[ArticleHue] = []
        self._legend_label = QLabel(self)
        self._legend_label.setObjectName("timelineLegend")
        self._legend_label.setAccessibleName("Articles on the timeline")
        self._legend_label.setTextFormat(Qt.TextFormat.RichText)
        self._legend_label.hide()
        self._all_button = QToolButton(self)
        self._all_button.setObjectName("timelineAllArticles")
        self._all_button.setText("All articles")
        self._all_button.setCheckable(True)
        self._all_button.setToolTip("Show the events of every article, each in its own colour")
        self._all_button.setAccessibleName("Show every article's events")
        self._all_button.toggled.connect(self.allArticlesToggled)
        self._all_button.hide()
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self._strip, 1)
        self._memory_legend = MemoryLegend(self)
        self._memory_legend.hide()
        bar.addWidget(self._memory_legend, 0, Qt.AlignmentFlag.AlignTop)
        bar.addWidget(self._all_button, 0, Qt.AlignmentFlag.AlignTop)
        for name, text, tip, slot in (
            ("timelineZoomOut", "−", "Zoom out (-)", self.zoom_out),
            ("timelineZoomIn", "+", "Zoom in (+)", self.zoom_in),
            ("timelineFitAll", "Fit all", "Fit all (Home)", self.fit_all),
        ):
            button = QToolButton(self)
            button.setObjectName(name)
            button.setText(text)
            button.setToolTip(tip)
            button.setAccessibleName(tip.split(" (")[0])
            button.clicked.connect(slot)
            bar.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self._view, 1)
        layout.addWidget(self._legend_label)
        layout.addLayout(bar)
        self._view.selected.connect(self._on_selected)
        self._view.selectionChanged.connect(self._on_selection_changed)
        self._view.menuRequested.connect(self._show_menu)
        self.setFocusProxy(self._view)
        self._refusals: dict[QAction, str] = {}
        self.chronology_action = self._action(
            "timelineChronologyAction", CHRONOLOGY_TEXT, "C", self._request_chronology
        )
        self.when_action = self._action("timelineWhenAction", WHEN_TEXT, "W", self._request_when)
        self._menu = QMenu(self)
        self._menu.setObjectName("timelineMenu")
        menus_take_letters(self._menu)
        self._menu.addActions([self.chronology_action, self.when_action])
        self.set_items(items)

    @property
    def view(self) -> TimelineView:
        return self._view

    def key_help(self) -> list[tuple[str, str]]:
        """(keys, what) for the card keys (the Keyboard Shortcuts dialog)."""
        native = QKeySequence.SequenceFormat.NativeText
        return [
            (self.chronology_action.shortcut().toString(native), f"{CHRONOLOGY_TEXT} (two events)"),
            (self.when_action.shortcut().toString(native), f"{WHEN_TEXT} (one event)"),
        ]

    def _action(self, name: str, text: str, key: str, slot: Callable[[], None]) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def set_items(
        self, items: Sequence[TimelineItem], legend: Sequence[ArticleHue] | None = None
    ) -> None:
        """Show these events: one article's, or (with a legend) several articles', each in
        its hue, the legend naming them."""
        self._items = {item.id: item for item in items}
        self._legend = list(legend or [])
        self._view.set_items(items, {entry.article_id: entry.hue for entry in self._legend})
        self._show_legend()
        self._on_selection_changed()

    def set_all_articles(self, checked: bool, available: bool) -> None:
        """The "All articles" button's state (without emitting); hidden with one article."""
        self._all_button.blockSignals(True)
        self._all_button.setChecked(checked)
        self._all_button.blockSignals(False)
        self._all_button.setVisible(available)

    def legend_text(self) -> str:
        """What the legend says (empty while one article's events show)."""
        return " · ".join(entry.title for entry in self._legend)

    def _show_legend(self) -> None:
        window = self.palette().color(QPalette.ColorRole.Window)
        parts = [
            f'<span style="color:{readable_hue(entry.hue, window, minimum=3.0).name()}">'
            f"■</span>&nbsp;{html.escape(entry.title)}"
            for entry in self._legend
        ]
        self._legend_label.setText("&nbsp;&nbsp; ".join(parts))
        self._legend_label.setVisible(bool(parts))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "_legend"):
            self._show_legend()  # its colours are in its HTML

    def set_card_counts(self, counts: Mapping[str, int]) -> None:
        """How many cards are about each event now (the strip shows the selected one's)."""
        self._items = {
            event_id: item
            if item.card_count == counts.get(event_id, 0)
            else replace(item, card_count=counts.get(event_id, 0))
            for event_id, item in self._items.items()
        }
        self._on_selection_changed()

    def set_memory_map(
        self,
        events: Mapping[str, list[CardRecall]] | None,
        touched: Collection[str] | None = None,
    ) -> None:
        """Colour each event by its cards' recall now (None: the memory map is off); touched:
        only these events moved."""
        self._view.set_memory_map(events, touched)
        self._memory_legend.setVisible(events is not None)

    def item(self, event_id: str) -> TimelineItem | None:
        """The event as the timeline shows it (None if it has no such event)."""
        return self._items.get(event_id)

    def select_event(self, event_id: str) -> bool:
        """Select, scroll to and describe an event, without emitting eventSelected."""
        return self._view.select_id(event_id, by_user=False)

    def clear_selection(self) -> None:
        """Select nothing (a new question must not sit above the last answer's event)."""
        self._view.clear_selection()  # its selectionChanged updates the strip, if it had one

    def all_articles_button(self) -> QToolButton:
        return self._all_button

    def selected_event_id(self) -> str | None:
        """The current event (of several selected, the one chosen last)."""
        return self._view.selected_id()

    def selected_event_ids(self) -> tuple[str, ...]:
        """Every selected event (Ctrl+click, Ctrl+← →), in the order chosen."""
        return self._view.selected_ids()

    def fit_all(self) -> None:
        self._view.fit_all()

    def zoom_in(self) -> None:
        self._view.zoom_by(KEY_ZOOM)

    def zoom_out(self) -> None:
        self._view.zoom_by(1 / KEY_ZOOM)

    def detail_text(self) -> str:
        return self._strip.text()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Keys sent to the pane itself (not through focus on the view) act on the timeline too.
        if self._view.handle_key(event):
            event.accept()
            return
        # A disabled action's key arrives here: say why it does nothing.
        pressed = QKeySequence(event.keyCombination())
        exact = QKeySequence.SequenceMatch.ExactMatch
        for action, card in (
            (self.chronology_action, "which came first"),
            (self.when_action, "when"),
        ):
            if not action.isEnabled() and action.shortcut().matches(pressed) == exact:
                self.refused.emit(f"No “{card}” card: {self._refusals[action]}.")
                event.accept()
                return
        super().keyPressEvent(event)

    def _on_selected(self, event_id: str, by_user: bool) -> None:
        self._on_selection_changed()
        if by_user:
            self.eventSelected.emit(event_id)

    def _on_selection_changed(self) -> None:
        """The strip and the card actions follow what is selected."""
        items = [self._items[event_id] for event_id in self.selected_event_ids()]
        refusal = chronology_refusal(items)
        if len(items) > 1:
            self._strip.show_several(items, refusal)
        else:
            item = items[0] if items else None
            titles = {entry.article_id: entry.title for entry in self._legend}
            self._strip.show_item(item, titles.get(item.article_id) if item else None)
        self._set_action(self.chronology_action, CHRONOLOGY_TEXT, refusal)
        self._set_action(self.when_action, WHEN_TEXT, None if len(items) == 1 else SELECT_ONE)

    def _set_action(self, action: QAction, text: str, refusal: str | None) -> None:
        """Enabled, or disabled saying why ("… (both are 1920)")."""
        self._refusals[action] = refusal or ""
        action.setEnabled(refusal is None)
        action.setText(text if refusal is None else f"{text} ({refusal})")

    def _request_chronology(self) -> None:
        chosen = self.selected_event_ids()
        if len(chosen) == 2 and self.chronology_action.isEnabled():
            self.chronologyCardRequested.emit(*chosen)

    def _request_when(self) -> None:
        chosen = self.selected_event_ids()
        if len(chosen) == 1:
            self.whenCardRequested.emit(chosen[0])

    def _show_menu(self, where: QPoint) -> None:
        self._menu.popup(where)
