"""Reposition new cards (Anki's Reposition): move chosen new cards to a place in the order new
cards come, by changing their reading positions (storage/positions.py). A pack update puts a
pack's own cards back in reading order, as it numbers them afresh."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from sqlalchemy import select, update

from studyapp.collection.authoring_values import CardOperationError
from studyapp.collection.undo import Journal
from studyapp.storage import models
from studyapp.storage.cards import in_collection
from studyapp.storage.positions import positions_for_order


def new_order(ids: Sequence[str], chosen: Sequence[str], start: int, step: int) -> list[str]:
    """The order of all new cards (`ids`, as they are now) with `chosen` at places start,
    start + step, ... (1 is first; past the end they follow the others)."""
    wanted = set(chosen)
    others = [card_id for card_id in ids if card_id not in wanted]
    order: list[str] = []
    taken = kept = 0
    for rank in range(len(ids)):
        if taken < len(chosen) and (rank >= start - 1 + taken * step or kept == len(others)):
            order.append(chosen[taken])
            taken += 1
        else:
            order.append(others[kept])
            kept += 1
    return order


def reposition(
    journal: Journal,
    card_ids: Sequence[str],
    start: int,
    step: int,
    shuffle: bool,
    now: dt.datetime,
) -> tuple[tuple[str, ...], dict[str, int]]:
    """(the chosen cards that are new, in their new order; {card id: new position})."""
    if start < 1 or step < 1:
        raise CardOperationError("The start and the step are whole numbers from 1.")
    card = models.Card
    queue = journal.session.execute(
        select(card.id, card.position)
        .where(in_collection(), card.state == models.STATE_NEW)
        .order_by(card.position, card.id)
    ).all()
    wanted = set(card_ids)
    chosen = [card_id for card_id, _ in queue if card_id in wanted]
    if not chosen:
        raise CardOperationError(
            "Only new cards have a place in the order of new cards, and these have been "
            "studied (Forget makes a card new again)."
        )
    if shuffle:
        random.shuffle(chosen)
    positions = {card_id: position for card_id, position in queue}
    order = new_order([card_id for card_id, _ in queue], chosen, start, step)
    moved = positions_for_order([(card_id, positions[card_id]) for card_id in order], wanted)
    journal.capture_cards(moved)
    for card_id, position in moved.items():
        journal.session.execute(
            update(card).where(card.id == card_id).values(position=position, modified_at=now)
        )
    return tuple(chosen), moved
