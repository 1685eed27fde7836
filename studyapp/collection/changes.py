"""Changes: what an operation moved, so each view refreshes only what it shows (OpChanges)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from studyapp.study.queue_values import StudyNext


@dataclass(frozen=True)
class Changes:
    """What one operation (or its undo) changed. Every flag is False unless that kind moved."""

    label: str = ""  # the operation as the Edit menu names it: "Suspend", "Undo Suspend"
    scheduling: bool = False  # cards' scheduling: state, due, suspended, buried
    card_status: bool = False  # which cards count: added, deleted, suspended, retired
    card_content: bool = False  # a card's text or source
    card_marks: bool = False  # flags and tags
    card_links: bool = False  # card–event links
    review_log: bool = False  # answers written or removed
    content: bool = False  # articles, passages, events (a pack installed or updated)
    settings: bool = False  # study settings
    card_ids: frozenset[str] = field(default_factory=frozenset)  # the cards touched

    @property
    def study_queue(self) -> bool:
        """The review queue, its counts and the status bar may differ."""
        return (
            self.scheduling
            or self.card_status
            or self.card_content
            or self.content
            or self.settings
        )

    @property
    def card_counts(self) -> bool:
        """Cards per paragraph and per event may differ (the article badges, the timeline)."""
        return self.card_status or self.card_links or self.content

    def undone(self) -> Changes:
        """The same moves (without any operation's own result), named as their undo."""
        moved = {item.name: getattr(self, item.name) for item in fields(Changes)}
        return Changes(**{**moved, "label": f"Undo {self.label}"})


@dataclass(frozen=True, kw_only=True)
class AnswerChanges(Changes):
    """An answer: the card's new due time and the button's interval label."""

    card_id: str
    rating: int
    review_id: int
    due: dt.datetime
    interval: str  # "10m", "4d"
    answered_at: dt.datetime
    clock_behind: bool = False  # the clock read earlier than the last answer (saved just after it)
    siblings_buried: tuple[str, ...] = ()
    # The next card and today's counts, read in the answer's transaction after its writes:
    # what the reviewer shows next (None: not read).
    upcoming: StudyNext | None = None


@dataclass(frozen=True, kw_only=True)
class AddedCard(Changes):
    """A card added: its new id."""

    card_id: str


@dataclass(frozen=True, kw_only=True)
class Repositioned(Changes):
    """New cards moved in the order new cards are studied."""

    repositioned: tuple[str, ...]  # the chosen cards that were new, in their new order
    not_new: tuple[str, ...] = ()  # chosen cards left alone: only new cards have a place
