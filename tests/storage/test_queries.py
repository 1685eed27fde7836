"""Read models for the panes: the article's card lists and the timeline items."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, update

from studyapp.app import Collection
from studyapp.content.loader import load_dataset
from studyapp.paths import dataset_path
from studyapp.storage import models
from studyapp.storage.queries import PassageCards, load_article_view, load_timeline


def test_card_lists_are_counted_at_once_and_read_when_asked(collection: Collection) -> None:
    sessions = collection.database.sessions
    with sessions.begin() as session:
        session.execute(update(models.Card).where(models.Card.id == "parties").values(retired=True))
    view = load_article_view(sessions)
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(collection.database.engine, "before_cursor_execute", record)
    try:
        assert isinstance(view.cards_by_passage, PassageCards)
        assert view.card_count("overview-1") == 16, "17 cards, one retired"
        assert statements == [], "counting reads nothing more"
        fronts = [card.front for card in view.cards_by_passage["overview-1"]]
        view.cards_by_passage["overview-1"]
        assert len(statements) == 1, "a passage's list is read once, when first asked for"
    finally:
        event.remove(collection.database.engine, "before_cursor_execute", record)
    dataset = load_dataset(dataset_path())
    expected = [c.front for c in dataset.cards if c.source.passage_id == "overview-1"][1:]
    assert fronts == expected
    assert view.card_count("no-such-passage") == 0


def test_timeline_items_keep_the_dataset_dates(collection: Collection) -> None:
    items = {item.id: item for item in load_timeline(collection.database.sessions)}
    dataset = load_dataset(dataset_path())
    for event_ in dataset.events:
        item = items[event_.id]
        assert (item.start, item.end, item.date_text) == (
            event_.start,
            event_.end,
            event_.date_text,
        )
    assert items["military-coup"].start.short_label() == "Dec 1926"
    assert items["military-coup"].card_count == 3
