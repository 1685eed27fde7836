"""Cards made from the timeline: "which came first" of two events, and "when" of one.

A chronology card is made only where the dates, at the precision the article gives them,
settle the order (the pack loader's rule: one event certainly earlier than the other). A
date is shown only as precisely as the article gives it: "1920", "December 1926".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from studyapp.collection.authoring_values import CardOperationError, CardSource, CardText, NewCard
from studyapp.content.model import CardKind

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from studyapp.storage.pane_values import TimelineItem

SELECT_TWO = "select two events: Ctrl+click the second"
SELECT_JUST_TWO = "select just two events"
SELECT_ONE = "select one event"


def date_answer(item: TimelineItem) -> str:
    """When an event happened, as precisely as the article says and no more."""
    start = item.start.long_label()
    if item.end is not None:
        return f"From {start} to {item.end.long_label()}"
    if item.open_end:
        return f"From {start} (the article gives no end)"
    return start


def _start_text(item: TimelineItem) -> str:
    """The date a chronology card orders an event by: a period's start."""
    label = item.start.long_label()
    return f"began {label}" if item.is_period else label


def _quoted(item: TimelineItem) -> str:
    return f"“{item.title}”"


def chronology_order(items: Sequence[TimelineItem]) -> tuple[TimelineItem, TimelineItem]:
    """The two events, earlier first; CardOperationError says why not (not two, or an order
    their dates do not settle: "both are 1920")."""
    if len(items) != 2 or items[0].id == items[1].id:
        reason = SELECT_JUST_TWO if len(items) > 2 else SELECT_TWO
        raise CardOperationError(f"A “which came first” card needs two events ({reason}).")
    a, b = items
    if a.start.certainly_before(b.start):
        return a, b
    if b.start.certainly_before(a.start):
        return b, a
    raise CardOperationError(
        f"The order of {_quoted(a)} and {_quoted(b)} is not certain from their dates "
        f"({chronology_refusal(items)}), so no “which came first” card can be made."
    )


def chronology_refusal(items: Sequence[TimelineItem]) -> str | None:
    """Why no "which came first" card can be made of these events, briefly (the reason a
    disabled menu entry gives); None if one can."""
    if len(items) > 2:
        return SELECT_JUST_TWO
    if len(items) != 2 or items[0].id == items[1].id:
        return SELECT_TWO
    a, b = items
    if a.start.certainly_before(b.start) or b.start.certainly_before(a.start):
        return None
    first, second = a.start.long_label(), b.start.long_label()
    if first == second:
        return f"both are {first}"
    return f"{first} and {second} may be in either order"


def chronology_text(items: Sequence[TimelineItem]) -> CardText:
    """Which came first of two events: the question names them in alphabetical order (never
    in date order, which would give the answer away); the answer gives both dates."""
    earlier, later = chronology_order(items)
    named = sorted(items, key=lambda item: (item.title.casefold(), item.id))
    front = f"Which came first: {_quoted(named[0])} or {_quoted(named[1])}?"
    back = (
        f"{_quoted(earlier)} ({_start_text(earlier)}), "
        f"then {_quoted(later)} ({_start_text(later)})."
    )
    return CardText(CardKind.CHRONOLOGY, front, back)


def when_text(item: TimelineItem) -> CardText:
    """When did an event happen: the answer is its date at the article's precision."""
    title = _quoted(item)
    front = f"When was {title}?" if item.is_period else f"When did {title} happen?"
    return CardText(CardKind.BASIC, front, f"{date_answer(item)}.")


def _items(session: Session, event_ids: Sequence[str]) -> list[TimelineItem]:
    # Here, not at the top: the timeline pane imports this module's rules before SQLAlchemy
    # is loaded (collection/first_screen.py).
    from studyapp.storage.queries import load_timeline

    found = {item.id: item for item in load_timeline(session, event_ids=event_ids)}
    missing = [event_id for event_id in event_ids if event_id not in found]
    if missing:
        raise CardOperationError(f"The timeline has no event {missing[0]!r}.")
    return [found[event_id] for event_id in event_ids]


def last_source(session: Session, items: Sequence[TimelineItem]) -> CardSource | None:
    """Of the events' sentences, the one read last: the card comes up once both are read."""
    from studyapp.storage.queries import sentence_positions  # as in _items

    cited = [item for item in items if item.passage_id is not None]
    places = sentence_positions(session, {item.passage_id for item in cited if item.passage_id})
    best: tuple[int, int] | None = None
    source = None
    for item in cited:
        assert item.passage_id is not None and item.sentence_index is not None
        if item.passage_id in places:
            here = (places[item.passage_id][1], item.sentence_index)
            if best is None or here > best:
                best, source = here, CardSource(item.passage_id, item.sentence_index)
    return source


def chronology_card(session: Session, first_id: str, second_id: str) -> NewCard:
    """A "which came first" card of two events, cited from the later-read of their sentences
    and linked to both (each event shows its own sentence)."""
    items = _items(session, [first_id, second_id])
    text = chronology_text(items)
    earlier, later = chronology_order(items)
    return NewCard(text, last_source(session, items), (earlier.id, later.id))


def when_card(session: Session, event_id: str) -> NewCard:
    """A "when" card of one event, cited from its sentence."""
    (item,) = _items(session, [event_id])
    return NewCard(when_text(item), last_source(session, [item]), (item.id,))
