"""The SQLAlchemy ORM models: the article, the timeline, the cards and their review log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from studyapp.storage import search_index
from studyapp.storage.card_states import STATE_LEARNING as STATE_LEARNING
from studyapp.storage.card_states import STATE_NEW as STATE_NEW
from studyapp.storage.card_states import STATE_RELEARNING as STATE_RELEARNING
from studyapp.storage.card_states import STATE_REVIEW as STATE_REVIEW
from studyapp.storage.times import from_microseconds, to_microseconds

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware UTC datetimes in Python, microseconds since 1970 (UTC) in SQLite: the one place
    times are converted. An integer takes 8 bytes where ISO text took 26, in every row and
    index of the review log; it compares and sorts as time does, and round-trips exactly."""

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        return None if value is None else to_microseconds(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        return None if value is None else from_microseconds(int(value))


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Setting(Base):
    """Key/value settings stored with the collection (dataset version, study settings)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Pack(Base):
    """A content pack: one article with its timeline and cards, versioned by its author."""

    __tablename__ = "packs"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    version: Mapped[int]
    source: Mapped[str] = mapped_column(Text)
    licence: Mapped[str] = mapped_column(Text)
    attribution: Mapped[str] = mapped_column(Text)
    builtin: Mapped[bool] = mapped_column(default=False)  # shipped with StudyApp
    installed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    # Removed by the learner (the built-in pack: hidden). Its article, events and cards, the
    # learner's cards on its article too, are out of view and out of study; every row stays,
    # history and progress included, so adding the pack again brings them back as they were.
    hidden: Mapped[bool] = mapped_column(default=False)


class Article(Base):
    __tablename__ = "articles"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    title_lt: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)
    licence: Mapped[str] = mapped_column(Text)
    attribution: Mapped[str] = mapped_column(Text)
    pack_id: Mapped[str] = mapped_column(ForeignKey("packs.id", ondelete="CASCADE"))


class Section(Base):
    __tablename__ = "sections"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    position: Mapped[int]
    heading: Mapped[str] = mapped_column(Text)
    editorial_heading: Mapped[bool]


class Passage(Base):
    __tablename__ = "passages"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    section_id: Mapped[str] = mapped_column(ForeignKey("sections.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(index=True)
    text: Mapped[str] = mapped_column(Text)


class Reference(Base):
    __tablename__ = "article_references"

    article_id: Mapped[str] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    number: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str | None] = mapped_column(Text)  # None: the source gives no text


class Event(Base):
    """A point event (end is None) or a period; dates as precise as the source, no more."""

    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint("kind IN ('point', 'period')", name="kind"),
        Index("ix_events_start_day", "start_day"),
    )

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    start: Mapped[str] = mapped_column(String(10))  # "1926", "1926-12" or "1926-09-28"
    end: Mapped[str | None] = mapped_column(String(10))
    start_day: Mapped[dt.date]  # first day the start may mean: the sort and range key
    end_day: Mapped[dt.date]  # last day the event may mean
    date_text: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    passage_id: Mapped[str | None] = mapped_column(
        ForeignKey("passages.id", ondelete="SET NULL"), index=True
    )
    sentence_index: Mapped[int | None]
    quote: Mapped[str] = mapped_column(Text)
    pack_id: Mapped[str] = mapped_column(ForeignKey("packs.id", ondelete="CASCADE"))
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    # No longer in its pack: kept (the learner's cards may be linked to it) but not shown.
    retired: Mapped[bool] = mapped_column(default=False)


BROWSE_COLUMNS = (
    "retired",
    "deleted_at",
    "due",
    "position",
    "id",
    "state",
    "last_review",
    "stability",
    "difficulty",
    "flag",
    "suspended",
    "buried_until",
    "kind",
    "pack_id",
    "article_id",  # a removed pack's cards leave every search: the rule reads it here too
)


class Card(Base):
    """A flashcard: its content (from a pack, or the learner's own) and its FSRS state.

    A pack card the learner edited keeps the pack's text in original_*, so pack updates
    change the original and leave the learner's version shown until they restore it.
    """

    __tablename__ = "cards"
    __table_args__ = (
        CheckConstraint("kind IN ('basic', 'cloze', 'chronology')", name="kind"),
        CheckConstraint("state BETWEEN 0 AND 3", name="state"),
        CheckConstraint("flag BETWEEN 0 AND 4", name="flag"),
        Index("ix_cards_state_due", "state", "due"),
        # Siblings: the cards citing one sentence.
        Index("ix_cards_passage_id_sentence_index", "passage_id", "sentence_index"),
        # The browser: its searches and sorts read this narrow copy of the cards' figures
        # instead of every row's text (a covering index), about twice as fast at 50,000.
        Index("ix_cards_browse", *BROWSE_COLUMNS),
    )
    __mapper_args__ = {"primary_key": ["id"]}  # noqa: RUF012 (SQLAlchemy reads it once)

    # The card's integer key (SQLite's rowid, explicit so VACUUM keeps it): what the review
    # log stores instead of repeating the text id in every row. The ORM's key stays `id`.
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    id: Mapped[str] = mapped_column(String(100), unique=True)
    position: Mapped[int] = mapped_column(index=True)  # reading order
    kind: Mapped[str] = mapped_column(String(20))
    front: Mapped[str] = mapped_column(Text)
    back: Mapped[str] = mapped_column(Text)
    cloze: Mapped[str | None] = mapped_column(Text)
    passage_id: Mapped[str | None] = mapped_column(ForeignKey("passages.id", ondelete="SET NULL"))
    sentence_index: Mapped[int | None]
    quote: Mapped[str] = mapped_column(Text)
    retired: Mapped[bool] = mapped_column(default=False)  # no longer in the dataset
    suspended: Mapped[bool] = mapped_column(default=False)
    buried_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    state: Mapped[int] = mapped_column(default=STATE_NEW)
    step: Mapped[int | None]
    stability: Mapped[float | None]
    difficulty: Mapped[float | None]
    due: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)
    last_review: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # None: the learner's own card. Packs are never deleted while they have cards.
    pack_id: Mapped[str | None] = mapped_column(
        ForeignKey("packs.id", ondelete="RESTRICT"), index=True
    )
    article_id: Mapped[str | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"))
    flag: Mapped[int] = mapped_column(default=0)  # 0 none, 1-4 Anki's red, orange, green, blue
    original_front: Mapped[str | None] = mapped_column(Text)  # set while a pack card is edited
    original_back: Mapped[str | None] = mapped_column(Text)
    original_cloze: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    modified_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # A deleted card is kept (its review history stays valid) but never shown again.
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class CardTag(Base):
    """A card's tags ("marked", and later the learner's own)."""

    __tablename__ = "card_tags"

    card_id: Mapped[str] = mapped_column(
        ForeignKey("cards.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(100), primary_key=True, index=True)


class CardEvent(Base):
    """Which timeline events a card is about."""

    __tablename__ = "card_events"

    card_id: Mapped[str] = mapped_column(
        ForeignKey("cards.id", ondelete="CASCADE"), primary_key=True
    )
    event_id: Mapped[str] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class ReviewLog(Base):
    """One row per answer: enough to replay a card's whole history, and for statistics.

    Its key is the answer's time (unique: an answer saved in the same microsecond as the one
    before it is saved a microsecond later), so the time needs no index of its own; the card is
    its integer key. The state before the answer keeps what the readers need (the state, and
    the interval the card was on); its stability, difficulty and step are the card's previous
    answer's after-values (none after Forget), so they are not stored again.
    """

    __tablename__ = "review_log"
    __table_args__ = (
        CheckConstraint("rating BETWEEN 1 AND 4", name="rating"),
        Index("ix_review_log_card_number", "card_number"),  # with the key: by card, by time
    )

    reviewed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, primary_key=True)
    card_number: Mapped[int] = mapped_column(ForeignKey("cards.number", ondelete="RESTRICT"))
    rating: Mapped[int]
    duration_ms: Mapped[int]
    state_before: Mapped[int]
    due_before: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_review_before: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    state_after: Mapped[int]
    step_after: Mapped[int | None]
    stability_after: Mapped[float | None]
    difficulty_after: Mapped[float | None]
    due_after: Mapped[dt.datetime] = mapped_column(UTCDateTime)


search_index.attach_to(Base.metadata)
