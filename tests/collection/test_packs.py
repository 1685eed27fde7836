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


def _version_up(text: str) -> str:
    version = load_dataset(dataset_path()).version
    return text.replace(f"dataset_version = {version}", f"dataset_version = {version + 1}")


def _without_block(text: str, header: str, block_id: str) -> str:
    start = text.index(f'{header}\nid = "{block_id}"')
    end = text.index("\n[[", start + 1) + 1
    return text[:start] + text[end:]


def test_a_dropped_event_is_retired_and_keeps_the_learners_links(
    data_dir: Path, tmp_path: Path
) -> None:
    collection = Collection.open(data_dir, lambda: NOW)
    mine = collection.add_card(
        NewCard(
            CardText(CardKind.BASIC, "What did the convention define?", "Aggression."),
            CardSource("ratification-1", 5),
            ("aggression-convention", "second-extension"),
        )
    ).card_id
    retired_pack_card = "coup-when"
    pack_links = _links(collection, retired_pack_card)
    assert pack_links == {"military-coup"}
    collection.close()
    text = _next_version(dataset_path().read_text(encoding="utf-8"))
    newer = tmp_path / "pact-next.toml"
    text = _without_block(text, "[[events]]", "aggression-convention")
    text = _without_block(text, "[[cards]]", "convention-before-extension")
    text = _without_block(text, "[[cards]]", retired_pack_card)
    text = text.replace('"aggression-convention", ', "").replace(', "aggression-convention"', "")
    text = text.replace('events = ["aggression-convention"]', "events = []")
    newer.write_text(text, encoding="utf-8")
    updated = Collection.open(data_dir, lambda: NOW, dataset_file=newer)
    try:
        assert _links(updated, mine) == {"aggression-convention", "second-extension"}
        assert "aggression-convention" not in {item.id for item in updated.timeline()}
        assert updated.card(mine).event_ids == ("second-extension",), "a retired event not shown"
        assert updated.card(retired_pack_card).retired
        assert _links(updated, retired_pack_card) == pack_links, "history keeps its links"
        points = load_dataset(dataset_path()).points
        assert updated.check().ok and updated.check().counts["events"] == len(points) - 1
    finally:
        updated.close()


def test_a_removed_paragraph_detaches_its_cards_and_a_copy_is_kept(
    data_dir: Path, tmp_path: Path
) -> None:
    collection = Collection.open(data_dir, lambda: NOW)
    mine = collection.add_card(
        NewCard(
            CardText(CardKind.BASIC, "Who initiated the pact?", "Lithuanians."),
            CardSource("negotiations-1", 0),
        )
    ).card_id
    collection.close()
    text = _version_up(dataset_path().read_text(encoding="utf-8"))
    start = text.index('[[article.sections]]\nid = "negotiations"')
    end = text.index("[[article.sections]]", start + 1)
    text = text[:start] + text[end:]
    # The pack's cards citing that paragraph go with it.
    dataset = load_dataset(dataset_path())
    for card in dataset.cards:
        if card.source.passage_id == "negotiations-1":
            text = _without_block(text, "[[cards]]", card.id)
    assert not [e for e in dataset.events if e.source.passage_id == "negotiations-1"]
    newer = tmp_path / "pact-next.toml"
    newer.write_text(text, encoding="utf-8")
    before = list((data_dir / "backups").glob("study-before-pack-update-*.sqlite3"))
    updated = Collection.open(data_dir, lambda: NOW, dataset_file=newer)
    try:
        assert mine in updated.seed.detached_cards
        card = updated.card(mine)
        assert (card.passage_id, card.sentence_index) == (None, None)
        assert card.quote.startswith("The pact was initiated by Lithuanians")
        copies = list((data_dir / "backups").glob("study-before-pack-update-*.sqlite3"))
        assert len(copies) == len(before) + 1
    finally:
        updated.close()


def test_the_learners_cards_stay_in_reading_order_after_an_update(
    data_dir: Path, tmp_path: Path
) -> None:
    collection = Collection.open(data_dir, lambda: NOW)
    mine = collection.add_card(
        NewCard(
            CardText(CardKind.BASIC, "Where is it registered?", "League of Nations."),
            CardSource("overview-1", 6),
        )
    ).card_id
    collection.close()
    text = _version_up(dataset_path().read_text(encoding="utf-8"))
    extra = (
        '\n[[cards]]\nid = "{id}"\nkind = "basic"\nfront = "{id}?"\nback = "Yes."\n'
        'quote = "The pact confirmed all basic provisions of the Soviet–Lithuanian Peace '
        'Treaty of 1920."\n'
    )
    at = text.index('[[cards]]\nid = "recognized-vilnius"')
    text = (
        text[:at]
        + "".join(extra.format(id=f"early-{n}") for n in range(4)).lstrip("\n")
        + ("\n" + text[at:])
    )
    newer = tmp_path / "pact-next.toml"
    newer.write_text(text, encoding="utf-8")
    updated = Collection.open(data_dir, lambda: NOW, dataset_file=newer)
    try:
        order = [card.id for card in updated.passage_cards("overview-1")]
        last_sentence = [
            card.id
            for card in load_dataset(newer).cards
            if (card.source.passage_id, card.source.sentence_index) == ("overview-1", 6)
        ]
        assert last_sentence, "the pack has cards on that sentence"
        assert order[-len(last_sentence) - 1 :] == [*last_sentence, mine]
    finally:
        updated.close()
