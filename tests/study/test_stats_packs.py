"""Statistics count what the learner has: a removed pack's cards and answers (and the learner's
cards on its article), deleted cards and retired ones leave every figure, and come back with
the pack."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text

from studyapp.clock import FakeClock
from studyapp.collection import CardSource, CardText, Collection, NewCard
from studyapp.content.model import CardKind
from studyapp.storage import models
from studyapp.storage.cards import in_collection
from studyapp.study.stats import IN_COLLECTION
from tests.fixtures.second_pack import SECOND_ARTICLE, second_pack

START = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)
PACT = "soviet-lithuanian-non-aggression-pact"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def two_packs(data_dir: Path, clock: FakeClock) -> Iterator[Collection]:
    collection = Collection.open(data_dir, clock.now, tz=dt.UTC)
    collection.install_pack(second_pack())
    yield collection
    collection.close()


def _pack_card(collection: Collection, article_id: str) -> str:
    with collection.database.sessions() as session:
        found = session.scalar(
            select(models.Card.id)
            .where(models.Card.article_id == article_id, models.Card.pack_id.is_not(None))
            .order_by(models.Card.position)
        )
    assert found is not None
    return found


def _mine_on(collection: Collection, card_id: str, front: str) -> str:
    """A card of the learner's citing the same sentence as `card_id`."""
    source = collection.card(card_id)
    assert source.passage_id is not None and source.sentence_index is not None
    added = collection.add_card(
        NewCard(
            CardText(CardKind.BASIC, front, "An answer."),
            CardSource(source.passage_id, source.sentence_index),
        )
    )
    return added.card_id


def _ids_by_text_rule(collection: Collection) -> set[str]:
    with collection.database.sessions() as session:
        return set(session.scalars(text(f"SELECT c.id FROM cards c WHERE {IN_COLLECTION}")))


def _ids_by_orm_rule(collection: Collection) -> set[str]:
    with collection.database.sessions() as session:
        return set(session.scalars(select(models.Card.id).where(in_collection())))


def test_a_removed_pack_and_a_deleted_card_leave_the_figures(
    two_packs: Collection, clock: FakeClock
) -> None:
    collection = two_packs
    pact_card = _pack_card(collection, PACT)
    second_card = _pack_card(collection, SECOND_ARTICLE)
    mine_on_second = _mine_on(collection, second_card, "My question on the Declaration?")
    mine_on_pact = _mine_on(collection, pact_card, "My question on the pact?")
    for card_id in (pact_card, second_card, mine_on_second, mine_on_pact):
        collection.answer(card_id, 3, 4000)
        clock.advance(minutes=1)
    collection.delete_cards(mine_on_pact)
    before = collection.statistics()
    assert before.today.reviews == 3  # the deleted card's answer is gone with it
    assert before.today.cards == 3
    assert sum(day.total for day in before.forecast) == 3  # the answered cards, learning
    articles = {p.article_id: p for p in before.progress if p.section_id is None}
    assert set(articles) == {PACT, SECOND_ARTICLE}
    assert articles[SECOND_ARTICLE].studied == 2  # its pack card and the learner's
    assert _ids_by_text_rule(collection) == _ids_by_orm_rule(collection)
    total = sum(before.card_counts.values())
    assert total == len(_ids_by_orm_rule(collection))

    second_cards = len(second_pack().cards) + 1  # with the learner's card on its article
    collection.remove_pack(second_pack().pack_id)
    after = collection.statistics()
    assert _ids_by_text_rule(collection) == _ids_by_orm_rule(collection)
    assert sum(after.card_counts.values()) == total - second_cards
    assert after.today.reviews == 1
    assert [p.article_id for p in after.progress if p.section_id is None] == [PACT]
    assert sum(day.total for day in after.forecast) == 1
    assert after.per_day[-1].total == 1
    assert after.study_days.days_studied == 1
    lines = dict(line.split(": ", 1) for line in after.lines())
    assert lines["reviews_today"] == "1"

    collection.undo()  # the pack comes back, with its answers
    again = collection.statistics()
    assert again.today.reviews == 3
    assert sum(again.card_counts.values()) == total


def test_the_text_rule_is_the_storage_rule_with_the_built_in_pack_hidden(
    two_packs: Collection,
) -> None:
    with two_packs.database.sessions() as session:
        builtin = session.scalar(select(models.Pack.id).where(models.Pack.builtin.is_(True)))
    assert builtin is not None
    mine = _mine_on(two_packs, _pack_card(two_packs, PACT), "Mine on the pact?")
    two_packs.hide_pack(builtin)
    shown = _ids_by_text_rule(two_packs)
    assert shown == _ids_by_orm_rule(two_packs)
    assert mine not in shown
    assert shown and all(not card_id.startswith("mine:") for card_id in shown)
    article_ids = {p.article_id for p in two_packs.statistics().progress}
    assert article_ids == {SECOND_ARTICLE}
