"""What the browser does to the selected cards, with Anki's browser keys: one table of actions
(the window builds its menus, context menu and shortcuts from it; the main window's Keyboard
Shortcuts lists it) and the commands behind them. Every change runs through Operations, so it
is undoable here and in the main window, and every pane hears of it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QWidget

from studyapp.collection import Changes, Repositioned
from studyapp.ui.review.info_dialog import CardInfoDialog
from studyapp.ui.review.keys import FLAG_NAMES

if TYPE_CHECKING:
    from studyapp.collection import Collection


@dataclass(frozen=True)
class BrowserAction:
    name: str  # the window's method (and `<name>Action`, the action's objectName)
    text: str  # menu text
    keys: tuple[str, ...]
    tip: str = ""


BROWSER_ACTIONS: tuple[BrowserAction, ...] = (
    BrowserAction(
        "toggle_suspend",
        "Toggle &Suspend",
        ("Ctrl+J",),
        "Suspend the selected cards (never studied until unsuspended), or unsuspend them",
    ),
    BrowserAction(
        "toggle_bury", "Toggle &Bury", ("Ctrl+Shift+J",), "Bury until tomorrow, or unbury"
    ),
    BrowserAction("flag_red", "&Red Flag", ("Ctrl+1",), "Again to clear it"),
    BrowserAction("flag_orange", "&Orange Flag", ("Ctrl+2",), "Again to clear it"),
    BrowserAction("flag_green", "&Green Flag", ("Ctrl+3",), "Again to clear it"),
    BrowserAction("flag_blue", "B&lue Flag", ("Ctrl+4",), "Again to clear it"),
    BrowserAction("toggle_mark", "Toggle &Mark", ("Ctrl+K",), "Tag the cards “marked”, or untag"),
    BrowserAction(
        "forget",
        "&Forget (Reset to New)",
        ("Ctrl+Alt+N",),
        "Make the cards new again; their review history is kept",
    ),
    BrowserAction(
        "reposition",
        "Re&position New Cards…",
        ("Ctrl+Shift+S",),
        "Choose where the selected new cards come in the order of new cards",
    ),
    BrowserAction(
        "delete",
        "&Delete",
        ("Ctrl+Delete",),
        "Delete your own cards (history kept); a pack's cards are suspended instead",
    ),
    BrowserAction(
        "card_info",
        "Card &Info…",
        ("Ctrl+Shift+I",),
        "Review history, memory state and forgetting curve",
    ),
    BrowserAction(
        "show_in_article",
        "Show in &Article",
        ("Ctrl+Shift+A",),
        "The card's sentence, highlighted in the main window's article",
    ),
)
# Keys the window reads itself, listed with the actions in the shortcuts dialog.
TYPED_KEYS: tuple[tuple[str, str], ...] = (
    ("Ctrl+F", "Go to the search box"),
    ("Enter", "Search"),
    ("↓ (in the search box)", "Go to the cards"),
    ("↑ / ↓, Shift+↑ / ↓, Ctrl+A", "Move and select in the cards"),
    ("Ctrl+E", "Go to the editor"),
    ("Ctrl+S (in the editor)", "Save the card"),
    ("Ctrl+Z", "Undo the last change, from here or the main window"),
    ("Esc", "Close the browser"),
)
NOT_DELETED = (
    "{count} of these cards come from a pack, so they cannot be deleted: they are suspended "
    "instead (they keep their history; Toggle Suspend brings them back; Ctrl+Z undoes it)."
)


class BrowserCommands:
    """The window's commands on its selection; BrowserWindow provides the methods below."""

    _collection: Collection

    def selected_ids(self) -> list[str]:
        raise NotImplementedError

    def _run(self, operation: Callable[[Collection], Changes | None]) -> Changes | None:
        raise NotImplementedError

    def _tell(self, text: str) -> None:
        raise NotImplementedError

    def _widget(self) -> QWidget:
        raise NotImplementedError

    def _choose_reposition(self, count: int) -> tuple[int, int, bool] | None:
        raise NotImplementedError

    def _show_in_article(self, card_id: str) -> None:
        raise NotImplementedError

    def _chosen(self) -> list[str]:
        ids = self.selected_ids()
        if not ids:
            self._tell("Select one or more cards first.")
        return ids

    def toggle_suspend(self) -> None:
        ids = self._chosen()
        if not ids:
            return
        rows = self._collection.browser_rows(ids)
        if all(rows[card_id].suspended for card_id in ids):
            if self._run(lambda c: c.unsuspend(*ids)):
                self._tell(f"{_cards(len(ids))} unsuspended: back in study.")
        elif self._run(lambda c: c.suspend(*ids)):
            self._tell(f"{_cards(len(ids))} suspended.")

    def toggle_bury(self) -> None:
        ids = self._chosen()
        if not ids:
            return
        rows = self._collection.browser_rows(ids)
        if all(rows[card_id].buried for card_id in ids):
            if self._run(lambda c: c.unbury(*ids)):
                self._tell(f"{_cards(len(ids))} unburied.")
        elif self._run(lambda c: c.bury(*ids)):
            self._tell(f"{_cards(len(ids))} buried until tomorrow.")

    def _flag(self, flag: int) -> None:
        ids = self._chosen()
        if not ids:
            return
        rows = self._collection.browser_rows(ids)
        chosen = 0 if all(rows[card_id].flag == flag for card_id in ids) else flag
        if self._run(lambda c: c.set_flag(chosen, *ids)):
            what = f"{FLAG_NAMES[flag]} flag set" if chosen else "Flag cleared"
            self._tell(f"{what}: {_cards(len(ids)).lower()}.")

    def flag_red(self) -> None:
        self._flag(1)

    def flag_orange(self) -> None:
        self._flag(2)

    def flag_green(self) -> None:
        self._flag(3)

    def flag_blue(self) -> None:
        self._flag(4)

    def toggle_mark(self) -> None:
        ids = self._chosen()
        if not ids:
            return
        rows = self._collection.browser_rows(ids)
        marked = not all(rows[card_id].marked for card_id in ids)
        if self._run(lambda c: c.set_marked(marked, *ids)):
            self._tell(f"{_cards(len(ids))} {'marked' if marked else 'unmarked'}.")

    def forget(self) -> None:
        ids = self._chosen()
        if ids and self._run(lambda c: c.forget_cards(*ids)):
            self._tell(f"{_cards(len(ids))} reset to new; their history is kept.")

    def reposition(self) -> None:
        ids = self._chosen()
        if not ids:
            return
        choice = self._choose_reposition(len(ids))
        if choice is None:
            return
        start, step, shuffle = choice
        changes = self._run(lambda c: c.reposition_new(ids, start, step, shuffle=shuffle))
        if isinstance(changes, Repositioned):
            text = f"{_cards(len(changes.repositioned))} moved to new card #{start}."
            if changes.not_new:
                text += f" {_cards(len(changes.not_new))} not new: left where they are."
            self._tell(text)

    def delete(self) -> None:
        """Delete the learner's own cards; a pack's cards are suspended instead, and said so."""
        ids = self._chosen()
        if not ids:
            return
        rows = self._collection.browser_rows(ids)
        mine = [card_id for card_id in ids if rows[card_id].mine]
        packs = [card_id for card_id in ids if not rows[card_id].mine]
        if mine and self._run(lambda c: c.delete_cards(*mine)):
            self._tell(f"{_cards(len(mine))} deleted (Ctrl+Z brings them back).")
        if packs and self._run(lambda c: c.suspend(*packs)):
            QMessageBox.information(
                self._widget(), "Suspended, not deleted", NOT_DELETED.format(count=len(packs))
            )
            self._tell(f"{_cards(len(packs))} suspended instead of deleted.")

    def card_info(self) -> None:
        ids = self._chosen()
        if not ids:
            return
        collection = self._collection
        card_id = ids[0]
        CardInfoDialog.show_for(
            self._widget(),
            collection.card(card_id),
            collection.card_history(card_id),
            collection.clock(),
            collection.tz,
        )

    def show_in_article(self) -> None:
        ids = self._chosen()
        if ids:
            self._show_in_article(ids[0])


def _cards(count: int) -> str:
    return "1 card" if count == 1 else f"{count} cards"
