"""The review pane's keys, in one table: the pane builds its actions from it, and the
Keyboard Shortcuts dialog lists the same actions (Anki's reviewer keys where they apply)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PaneAction:
    name: str  # the pane's action is `<name>_action`, its slot the pane's method `<name>`
    text: str  # menu text
    keys: tuple[str, ...]
    tip: str = ""


REVIEW_ACTIONS: tuple[PaneAction, ...] = (
    PaneAction(
        "request_source",
        "Show Source",
        ("S",),
        "Show this card's sentence in the article and its event on the timeline (after the "
        "answer: the source holds it)",
    ),
    PaneAction("edit_card", "Edit Card…", ("E",), "Fix this card's text"),
    PaneAction("show_info", "Card Info…", ("I",), "Review history, memory state and due date"),
    PaneAction("toggle_mark", "Mark Card", ("*",), "Tag the card “marked” (again to unmark)"),
    PaneAction("flag_red", "Red Flag", ("Ctrl+1",)),
    PaneAction("flag_orange", "Orange Flag", ("Ctrl+2",)),
    PaneAction("flag_green", "Green Flag", ("Ctrl+3",)),
    PaneAction("flag_blue", "Blue Flag", ("Ctrl+4",)),
    PaneAction("flag_clear", "Clear Flag", ("Ctrl+0",)),
    PaneAction("suspend", "Suspend Card", ("@",), "Never show this card again until unsuspended"),
    PaneAction(
        "suspend_siblings",
        "Suspend Card and Its Siblings",
        ("!",),
        "Also the cards of its sentence",
    ),
    PaneAction("bury", "Bury Card Until Tomorrow", ("-",)),
    PaneAction("bury_siblings", "Bury Card and Its Siblings", ("=",), "And its sentence's cards"),
)

# Keys the pane reads itself (auto-repeat and keyboard layouts need care), listed with the rest.
TYPED_KEYS: tuple[tuple[str, str], ...] = (
    ("Space / Enter", "Show the answer; on the answer side, Good"),
    ("1 / 2 / 3 / 4", "Again / Hard / Good / Easy"),
    ("Page Up / Page Down", "Scroll a long card"),
)

FLAGS = {"flag_red": 1, "flag_orange": 2, "flag_green": 3, "flag_blue": 4, "flag_clear": 0}
FLAG_NAMES = {1: "Red", 2: "Orange", 3: "Green", 4: "Blue"}
FLAG_HUES = {1: 0, 2: 30, 3: 120, 4: 215}  # drawn with readable_hue on the palette
MAX_TIMER_SECONDS = 60  # as Anki: an answer counts at most a minute
