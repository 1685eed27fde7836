"""The dataset as plain, immutable values: what the loader returns and seeding stores."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from studyapp.content.dates import HistoricalDate


class CardKind(StrEnum):
    BASIC = "basic"
    CLOZE = "cloze"
    CHRONOLOGY = "chronology"


CLOZE_GAP = "[…]"


@dataclass(frozen=True)
class SourceRef:
    """Where a fact comes from: one whole sentence of one passage."""

    passage_id: str
    sentence_index: int
    quote: str


@dataclass(frozen=True)
class Passage:
    id: str
    text: str  # with inline footnote markers such as "[3]"


@dataclass(frozen=True)
class Section:
    id: str
    heading: str
    editorial_heading: bool  # True where the source has no heading and we supplied one
    passages: tuple[Passage, ...]


@dataclass(frozen=True)
class Reference:
    number: int
    text: str | None  # None where the source lists the reference without any text


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    title_lt: str
    source: str
    licence: str
    attribution: str
    sections: tuple[Section, ...]
    references: tuple[Reference, ...]

    def passages(self) -> list[Passage]:
        return [passage for section in self.sections for passage in section.passages]


DERIVED_PREFIX = "Derived: "


@dataclass(frozen=True)
class Event:
    """A dated point, or a period: one with an end date, or open-ended (the source states no
    end). A derived period's dates are not both in its own sentence; its derivation says how
    they were put together, and the user is shown it."""

    id: str
    start: HistoricalDate
    end: HistoricalDate | None  # None for a point and for an open-ended period
    date_text: str  # the date as the article gives it
    title: str
    description: str
    source: SourceRef
    open_end: bool = False  # a period whose end the source does not state
    derivation: str | None = None  # set on a derived period: how its dates were found

    @property
    def is_period(self) -> bool:
        return self.end is not None or self.open_end

    @property
    def shown_description(self) -> str:
        """The description as the user reads it, with the derivation of a derived period."""
        if self.derivation is None:
            return self.description
        return f"{self.description}\n{DERIVED_PREFIX}{self.derivation}"


@dataclass(frozen=True)
class Card:
    id: str
    kind: CardKind
    front: str
    back: str
    cloze: str | None  # the cloze text with its gap marked {{like this}}; None for other kinds
    source: SourceRef
    event_ids: tuple[str, ...]


@dataclass(frozen=True)
class Dataset:
    path: Path
    version: int
    article: Article
    events: tuple[Event, ...]  # points and periods
    cards: tuple[Card, ...]  # in reading order

    @property
    def pack_id(self) -> str:
        """The pack's id in a collection: its article's id (one article per pack)."""
        return self.article.id

    @property
    def points(self) -> list[Event]:
        return [event for event in self.events if not event.is_period]

    @property
    def periods(self) -> list[Event]:
        return [event for event in self.events if event.is_period]
