"""The learner's own cards and edits: what a card's text may be, where a new card sits.

The rules are the pack loader's (a cloze has one non-empty gap inside its sentence; a card
cites one whole sentence), so a card the learner writes is as sound as a shipped one.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from studyapp.collection.authoring_values import CardOperationError, CardSource, CardText, NewCard
from studyapp.collection.undo import Journal
from studyapp.content.cloze import cloze_sides
from studyapp.content.model import CardKind
from studyapp.content.text import split_sentences
from studyapp.storage import models
from studyapp.storage.positions import reading_position

USER_CARD_PREFIX = "mine:"  # pack ids cannot contain ':', so the learner's never clash


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


def check_events(session: Session, event_ids: tuple[str, ...]) -> None:
    known = set(
        session.scalars(
            select(models.Event.id).where(
                models.Event.id.in_(event_ids), models.Event.retired.is_(False)
            )
        )
    )
    missing = [event_id for event_id in event_ids if event_id not in known]
    if missing:
        raise CardOperationError(f"The timeline has no event {missing[0]!r}.")


def chunks(ids: Sequence[str], size: int = 500) -> Iterator[Sequence[str]]:
    """Ids in slices below SQLite's limit of bound variables."""
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def card_row(session: Session, card_id: str) -> models.Card:
    """A card the learner still has (a deleted one is refused)."""
    row = session.get(models.Card, card_id)
    if row is None:
        raise KeyError(f"no card with id {card_id!r}")
    if row.deleted_at is not None:
        raise CardOperationError("This card was deleted (Ctrl+Z brings it back).")
    return row


def insert_card(journal: Journal, card: NewCard, now: dt.datetime) -> str:
    """Write a new card of the learner's (and its event links); its id."""
    session = journal.session
    quote, article_id = ("", None)
    if card.source is not None:
        quote, article_id = sentence_of(session, card.source)
    text = check_text(card.text, quote if card.source is not None else None)
    check_events(session, card.event_ids)
    card_id = new_card_id()
    journal.created("cards", card_id)
    source = card.source
    where = None if source is None else (source.passage_id, source.sentence_index)
    session.add(
        models.Card(
            id=card_id,
            position=reading_position(session, where),
            kind=card.text.kind.value,
            front=text.front,
            back=text.back,
            cloze=text.cloze,
            passage_id=card.source.passage_id if card.source else None,
            sentence_index=card.source.sentence_index if card.source else None,
            quote=quote,
            retired=False,
            suspended=False,
            state=models.STATE_NEW,
            pack_id=None,
            article_id=article_id,
            flag=0,
            created_at=now,
            modified_at=now,
        )
    )
    session.flush()
    for event_id in dict.fromkeys(card.event_ids):
        journal.created("card_events", card_id, event_id)
        session.add(models.CardEvent(card_id=card_id, event_id=event_id))
    return card_id


def apply_edit(journal: Journal, card_id: str, text: CardText, now: dt.datetime) -> None:
    row = card_row(journal.session, card_id)
    if text.kind.value != row.kind:
        raise CardOperationError(f"A {row.kind} card cannot become a {text.kind.value} card.")
    checked = check_text(text, row.quote if row.passage_id is not None else None)
    journal.capture("cards", models.Card.id == card_id)
    if row.pack_id is not None and row.original_front is None:
        row.original_front, row.original_back = row.front, row.back
        row.original_cloze = row.cloze
    row.front, row.back, row.cloze = checked.front, checked.back, checked.cloze
    original = (row.original_front, row.original_back, row.original_cloze)
    if original == (row.front, row.back, row.cloze):
        # Edited back to the pack's text: it is the pack's card again.
        row.original_front = row.original_back = row.original_cloze = None
    row.modified_at = now


def apply_restore(journal: Journal, card_id: str, now: dt.datetime) -> None:
    row = card_row(journal.session, card_id)
    if row.pack_id is None:
        raise CardOperationError("This is your own card: there is no pack text to restore.")
    if row.original_front is None or row.original_back is None:
        raise CardOperationError("This card shows its pack's text already.")
    journal.capture("cards", models.Card.id == card_id)
    row.front, row.back, row.cloze = row.original_front, row.original_back, row.original_cloze
    row.original_front = row.original_back = row.original_cloze = None
    row.modified_at = now


def mark_deleted(journal: Journal, ids: Sequence[str], now: dt.datetime) -> None:
    """Mark the learner's own cards deleted; a pack card among them refuses them all."""
    for chunk in chunks(ids):
        from_pack = journal.session.execute(
            select(models.Card.id, models.Card.pack_id).where(
                models.Card.id.in_(chunk), models.Card.pack_id.is_not(None)
            )
        ).first()
        if from_pack is not None:
            raise CardOperationError(
                f"Card {from_pack[0]!r} comes from the pack {from_pack[1]!r}, so it cannot be "
                "deleted; suspend it instead (it keeps its history and can come back)."
            )
    journal.capture_cards(ids)
    for chunk in chunks(ids):
        journal.session.execute(
            update(models.Card).where(models.Card.id.in_(chunk)).values(deleted_at=now)
        )
