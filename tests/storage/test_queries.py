"""Read models for the panes: the article's card counts and lists, and the timeline items."""

from __future__ import annotations

from sqlalchemy import update

from studyapp.collection import Collection
from studyapp.content.loader import load_dataset
from studyapp.paths import dataset_path
from studyapp.storage import models


def test_card_counts_and_lists_leave_out_cards_not_studied(collection: Collection) -> None:
    with collection.database.sessions.begin() as session:
        session.execute(update(models.Card).where(models.Card.id == "parties").values(retired=True))
    collection.suspend("signed-when")
    view = collection.article_view()
    dataset = load_dataset(dataset_path())
    in_overview = [c for c in dataset.cards if c.source.passage_id == "overview-1"]
    assert len(in_overview) == 16
    assert view.card_count("overview-1") == 14, "16 cards, one retired, one suspended"
    assert collection.passage_card_counts(view.article.id)["overview-1"] == 14
    fronts = [card.front for card in collection.passage_cards("overview-1")]
    assert fronts == [c.front for c in in_overview if c.id not in ("parties", "signed-when")]
    assert view.card_count("no-such-passage") == 0
    collection.unsuspend("signed-when")
    assert collection.passage_card_counts(view.article.id)["overview-1"] == 15


def test_timeline_items_keep_the_dataset_dates(collection: Collection) -> None:
    items = {item.id: item for item in collection.timeline()}
    dataset = load_dataset(dataset_path())
    for event_ in dataset.events:
        item = items[event_.id]
        assert (item.start, item.end, item.date_text) == (
            event_.start,
            event_.end,
            event_.date_text,
        )
    assert items["military-coup"].start.short_label() == "Dec 1926"
    assert items["military-coup"].card_count == 4
    about_coup = [c.id for c in dataset.cards if "military-coup" in c.event_ids]
    collection.suspend(about_coup[0])
    assert collection.event_card_counts()["military-coup"] == 3


def test_timeline_items_tell_open_ended_and_derived_periods(collection: Collection) -> None:
    """An open-ended period comes back as a period with no end; a derived one with its
    derivation in the description the user reads."""
    items = {item.id: item for item in collection.timeline()}
    dataset = {event.id: event for event in load_dataset(dataset_path()).events}
    open_ended = items["first-extension-term"]
    assert open_ended.is_period and open_ended.open_end and open_ended.end is None
    assert [item.id for item in items.values() if item.open_end] == ["first-extension-term"]
    point = items["first-extension"]
    assert not point.is_period and not point.open_end
    derived = items["in-force"]
    assert derived.description == dataset["in-force"].shown_description
    assert derived.description.splitlines()[1].startswith("Derived: its start and its end")
    assert (
        items["second-extension-term"].description == dataset["second-extension-term"].description
    )
    counts = collection.check().counts
    assert (counts["events"], counts["periods"]) == (11, 3)
