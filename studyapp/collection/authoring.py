"""The learner's own cards and edits: what a card's text may be, where a new card sits.

The rules are the pack loader's (a cloze has one non-empty gap inside its sentence; a card
cites one whole sentence), so a card the learner writes is as sound as a shipped one.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from studyapp.content.cloze import cloze_sides
from studyapp.content.model import CardKind
from studyapp.content.text import split_sentences
from studyapp.storage import models

USER_CARD_PREFIX = "mine:"  # pack ids cannot contain ':', so the learner's never clash


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


@dataclass(frozen=True)
class CheckedText:
    front: str
    back: str
    cloze: str | None


def new_card_id() -> str:
    return f"{USER_CARD_PREFIX}{secrets.token_hex(8)}"


def check_text(text: CardText, quote: str | None) -> CheckedText:
    """The text to store, or CardOperationError saying what is wrong with it."""
    if text.kind is CardKind.CLOZE:
        cloze = " ".join((text.cloze or "").split())
        try:
            front, back = cloze_sides(cloze, quote)
        except ValueError as error:
            raise CardOperationError(f"This cloze card cannot be saved: {error}.") from None
        return CheckedText(front, back, cloze)
    front, back = text.front.strip(), text.back.strip()
    if not front:
        raise CardOperationError("A card needs a question (its front).")
    if not back:
        raise CardOperationError("A card needs an answer (its back).")
    return CheckedText(front, back, None)


def sentence_of(session: Session, source: CardSource) -> tuple[str, str]:
    """(the sentence's text, its article id) for a source, or CardOperationError."""
    row = session.execute(
        select(models.Passage.text, models.Section.article_id)
        .join(models.Section, models.Section.id == models.Passage.section_id)
        .where(models.Passage.id == source.passage_id)
    ).first()
    if row is None:
        raise CardOperationError(f"The article has no paragraph {source.passage_id!r}.")
    sentences = split_sentences(row[0])
    if not 0 <= source.sentence_index < len(sentences):
        raise CardOperationError(
            f"Paragraph {source.passage_id!r} has no sentence {source.sentence_index + 1}."
        )
    return sentences[source.sentence_index].text, str(row[1])


def reading_position(session: Session, source: CardSource | None) -> int:
    """Where a new card goes in reading order: after every card of its sentence and of the
    sentences before it in its article; a card without a source goes last."""
    if source is None:
        return (session.scalar(select(func.max(models.Card.position))) or 0) + 1
    passage = models.Passage
    here = session.execute(
        select(passage.position, models.Section.article_id)
        .join(models.Section, models.Section.id == passage.section_id)
        .where(passage.id == source.passage_id)
    ).one()
    earlier = (
        select(func.max(models.Card.position))
        .join(passage, passage.id == models.Card.passage_id)
        .join(models.Section, models.Section.id == passage.section_id)
        .where(
            models.Section.article_id == here.article_id,
            or_(
                passage.position < here.position,
                (passage.id == source.passage_id)
                & (models.Card.sentence_index <= source.sentence_index),
            ),
        )
    )
    return (session.scalar(earlier) or 0) + 1


def check_events(session: Session, event_ids: tuple[str, ...]) -> None:
    known = set(session.scalars(select(models.Event.id).where(models.Event.id.in_(event_ids))))
    missing = [event_id for event_id in event_ids if event_id not in known]
    if missing:
        raise CardOperationError(f"The timeline has no event {missing[0]!r}.")
