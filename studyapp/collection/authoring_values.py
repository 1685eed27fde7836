"""What the learner's own cards are made of, and the error an operation refuses with: plain
values the UI imports before SQLAlchemy is loaded (no SQLAlchemy here)."""

from __future__ import annotations

from dataclasses import dataclass

from studyapp.content.model import CardKind


class CardOperationError(ValueError):
    """An operation refused, with a message for the learner (what, and why)."""


@dataclass(frozen=True)
class CardSource:
    """The one sentence a card cites."""

    passage_id: str
    sentence_index: int


@dataclass(frozen=True)
class CardText:
    """A card's text as the learner writes it: basic and chronology cards have a front and a
    back; a cloze card has its sentence with one {{gap}} (front and back follow from it)."""

    kind: CardKind
    front: str = ""
    back: str = ""
    cloze: str | None = None


@dataclass(frozen=True)
class NewCard:
    text: CardText
    source: CardSource | None = None  # None: a card without a source ("no source")
    event_ids: tuple[str, ...] = ()
