"""Reading order of cards: pack cards are numbered in steps of POSITION_STEP, and the learner's
own cards sit between them, after the cards of their sentence and of the sentences before."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from studyapp.storage import models

POSITION_STEP = 1024


def anchor(session: Session, passage_id: str, sentence_index: int, *, packs_only: bool) -> int:
    """The last position among the cards citing this sentence or an earlier one of its
    article (only pack cards, if packs_only); 0 if there is none."""
    passage, section, card = models.Passage, models.Section, models.Card
    here = session.execute(
        select(passage.position, section.article_id)
        .join(section, section.id == passage.section_id)
        .where(passage.id == passage_id)
    ).one_or_none()
    if here is None:
        return 0
    query = (
        select(func.max(card.position))
        .join(passage, passage.id == card.passage_id)
        .join(section, section.id == passage.section_id)
        .where(
            section.article_id == here.article_id,
            or_(
                passage.position < here.position,
                (passage.id == passage_id) & (card.sentence_index <= sentence_index),
            ),
        )
    )
    if packs_only:
        query = query.where(card.pack_id.is_not(None))
    return session.scalar(query) or 0


def reading_position(session: Session, source: tuple[str, int] | None) -> int:
    """Where a new card of the learner's goes: after every card of its sentence and of the
    sentences before it; a card without a source goes last."""
    if source is None:
        return (session.scalar(select(func.max(models.Card.position))) or 0) + 1
    return anchor(session, *source, packs_only=False) + 1


def place_learner_cards(session: Session, article_id: str) -> None:
    """Put the learner's cards of an article back after their sentence's pack cards (a pack
    update renumbers its own), keeping their order among themselves."""
    card, passage, section = models.Card, models.Passage, models.Section
    rows = session.execute(
        select(card.id, card.passage_id, card.sentence_index, card.position)
        .join(passage, passage.id == card.passage_id)
        .join(section, section.id == passage.section_id)
        .where(section.article_id == article_id, card.pack_id.is_(None))
        .order_by(card.position, card.created_at, card.id)
    ).all()
    by_anchor: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for card_id, passage_id, sentence_index, position in rows:
        after = anchor(session, str(passage_id), sentence_index or 0, packs_only=True)
        by_anchor[after].append((card_id, position))
    for after, cards in by_anchor.items():
        for rank, (card_id, position) in enumerate(cards, start=1):
            if position != after + rank:
                session.execute(
                    update(card).where(card.id == card_id).values(position=after + rank)
                )


def positions_for_order(order: Sequence[tuple[str, int]], moved: set[str]) -> dict[str, int]:
    """New positions that make `order` ((card id, position) pairs, in the wanted order) read
    in increasing position, changing only the moved cards and, where two neighbours leave no
    room between them, as few of the others as that needs. {card id: new position}."""
    placed: list[int | None] = []
    last: int | None = None
    for card_id, position in order:  # the others keep their place if it is still in order
        if card_id not in moved and (last is None or position > last):
            placed.append(position)
            last = position
        else:
            placed.append(None)
    index, count = 0, len(placed)
    while index < count:
        if placed[index] is not None:
            index += 1
            continue
        low = placed[index - 1] if index > 0 else None
        end = index
        while True:
            while end < count and placed[end] is None:
                end += 1
            high = placed[end] if end < count else None
            if low is None or high is None or high - low - 1 >= end - index:
                break
            placed[end] = None  # no room before this neighbour: it moves along too
        placed[index:end] = _spread(low, high, end - index)
        index = end
    return {
        card_id: position
        for (card_id, before), position in zip(order, placed, strict=True)
        if position is not None and position != before
    }


def _spread(low: int | None, high: int | None, count: int) -> list[int | None]:
    """`count` increasing positions between low and high (either may be open)."""
    if low is None and high is None:
        return [(rank + 1) * POSITION_STEP for rank in range(count)]
    if low is None:
        assert high is not None
        return [high - (count - rank) for rank in range(count)]
    if high is None:
        return [low + rank + 1 for rank in range(count)]
    gap = (high - low) // (count + 1)
    return [low + gap * (rank + 1) for rank in range(count)]
