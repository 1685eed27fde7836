"""Pack sync: a pack update touches only its own cards and links, and keeps the learner's."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from studyapp.collection import CardSource, CardText, Collection, NewCard, StartupError
from studyapp.content.loader import load_dataset
from studyapp.content.model import CardKind
from studyapp.paths import dataset_path
from studyapp.storage import models
from studyapp.storage.seed import PackConflictError
from tests.storage.test_seeding import _next_version

NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)


def _links(collection: Collection, card_id: str) -> set[str]:
    with collection.database.sessions() as session:
        return set(
            session.scalars(
                select(models.CardEvent.event_id).where(models.CardEvent.card_id == card_id)
            )
        )


def test_a_pack_update_keeps_the_learners_cards_links_and_edits(
    data_dir: Path, tmp_path: Path
) -> None:
    collection = Collection.open(data_dir, lambda: NOW)
    mine = collection.add_card(
        NewCard(
            CardText(CardKind.BASIC, "Where were ratifications exchanged?", "In Kaunas."),
            CardSource("overview-1", 5),
            ("ratifications-exchanged", "military-coup"),
        )
    ).card_id
    collection.answer(mine, 3, 1000)
    collection.edit_card("parties", CardText(CardKind.BASIC, "Who were the parties?", "My back."))
    pack_links = _links(collection, "coup-before-registration")
    collection.close()
    v3 = tmp_path / "pact-next.toml"
    v3.write_text(_next_version(dataset_path().read_text(encoding="utf-8")), encoding="utf-8")

    updated = Collection.open(data_dir, lambda: NOW, dataset_file=v3)
    try:
        assert updated.seed.retired_cards == ("klaipeda-interests",), "mine is not the pack's"
        card = updated.card(mine)
        assert card.mine and not card.retired and card.front.startswith("Where were")
        assert card.reviews == 1 and card.state != models.STATE_NEW
        assert _links(updated, mine) == {"ratifications-exchanged", "military-coup"}
        assert _links(updated, "coup-before-registration") == pack_links
        edited = updated.card("parties")
        assert edited.edited and edited.back == "My back.", "the learner's edit stays shown"
        updated.restore_original("parties")
        v3_card = next(c for c in load_dataset(v3).cards if c.id == "parties")
        assert updated.card("parties").front == v3_card.front
        assert v3_card.front.startswith("Which two states"), "the pack's new wording"
        assert updated.check().ok
    finally:
        updated.close()


def test_a_card_dropped_from_the_pack_is_retired_with_its_history(
    data_dir: Path, tmp_path: Path
) -> None:
    collection = Collection.open(data_dir, lambda: NOW)
    collection.answer("klaipeda-interests", 4, 1000)
    collection.close()
    v3 = tmp_path / "pact-next.toml"
    v3.write_text(_next_version(dataset_path().read_text(encoding="utf-8")), encoding="utf-8")
    updated = Collection.open(data_dir, lambda: NOW, dataset_file=v3)
    try:
        dropped = updated.card("klaipeda-interests")
        assert dropped.retired and dropped.reviews == 1
        assert "klaipeda-interests" not in {c.id for c in updated.passage_cards("overview-1")}
    finally:
        updated.close()


def test_a_pack_that_reuses_another_packs_ids_is_refused(
    collection: Collection, tmp_path: Path
) -> None:
    text = dataset_path().read_text(encoding="utf-8")
    other = tmp_path / "other.toml"
    other.write_text(
        text.replace('id = "soviet-lithuanian-non-aggression-pact"', 'id = "another-article"'),
        encoding="utf-8",
    )
    before = collection.check().counts
    with pytest.raises(PackConflictError, match="already used by"):
        collection.sync_pack(load_dataset(other))
    assert collection.check().counts == before


def test_a_pack_can_never_take_the_learners_card_ids(data_dir: Path, tmp_path: Path) -> None:
    text = dataset_path().read_text(encoding="utf-8")
    version = load_dataset(dataset_path()).version
    clash = tmp_path / "clash.toml"
    collection = Collection.open(data_dir, lambda: NOW)
    mine = collection.add_card(NewCard(CardText(CardKind.BASIC, "Q?", "A."))).card_id
    collection.close()
    # The learner's ids hold a ':' that pack ids may not: a pack claiming one is invalid.
    clash.write_text(
        text.replace(f"dataset_version = {version}", f"dataset_version = {version + 1}").replace(
            'id = "parties"', f'id = "{mine}"'
        ),
        encoding="utf-8",
    )
    with pytest.raises(StartupError, match="id must be lowercase letters"):
        Collection.open(data_dir, lambda: NOW, dataset_file=clash)
