"""First-run seeding, idempotency, and in-place dataset upgrades that keep review history."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from studyapp.collection import Collection, StartupError
from studyapp.content.loader import load_dataset
from studyapp.paths import dataset_path
from studyapp.storage import models
from studyapp.storage.seed import SeedAction

NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)


def _count(collection: object, model: type[models.Base]) -> int:
    with collection.database.sessions() as session:  # type: ignore[attr-defined]
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_first_run_seeds_the_whole_dataset(tmp_path: Path) -> None:
    dataset = load_dataset(dataset_path())
    collection = Collection.open(tmp_path / "data", lambda: NOW)
    try:
        assert collection.seed.action is SeedAction.SEEDED
        assert _count(collection, models.Card) == len(dataset.cards)
        assert _count(collection, models.Event) == len(dataset.events)
        assert _count(collection, models.Passage) == len(dataset.article.passages())
        assert _count(collection, models.Reference) == len(dataset.article.references)
        with collection.database.sessions() as session:
            order = session.scalars(select(models.Card.id).order_by(models.Card.position)).all()
            links = session.scalar(select(func.count()).select_from(models.CardEvent))
            new_cards = session.scalar(
                select(func.count()).where(models.Card.state == models.STATE_NEW)
            )
        assert list(order) == [card.id for card in dataset.cards]
        assert links == sum(len(card.event_ids) for card in dataset.cards)
        assert new_cards == len(dataset.cards)
    finally:
        collection.close()


def test_starting_again_adds_nothing(data_dir: Path) -> None:
    first = Collection.open(data_dir, lambda: NOW)
    counts = {m.__name__: _count(first, m) for m in (models.Card, models.Event, models.Passage)}
    first.close()
    second = Collection.open(data_dir, lambda: NOW)
    try:
        assert second.seed.action is SeedAction.UNCHANGED
        assert {
            m.__name__: _count(second, m) for m in (models.Card, models.Event, models.Passage)
        } == counts
    finally:
        second.close()


def _review_first_card(collection: object) -> str:
    """Give the first card scheduling state and a review row, as a real answer would."""
    with collection.database.sessions() as session, session.begin():  # type: ignore[attr-defined]
        card = session.scalars(select(models.Card).order_by(models.Card.position)).first()
        assert card is not None
        card.state = models.STATE_REVIEW
        card.stability = 3.2
        card.difficulty = 5.1
        card.due = NOW + dt.timedelta(days=3)
        card.last_review = NOW
        session.add(
            models.ReviewLog(
                card_number=card.number,
                rating=3,
                reviewed_at=NOW,
                duration_ms=5000,
                state_before=models.STATE_NEW,
                state_after=models.STATE_REVIEW,
                stability_after=3.2,
                difficulty_after=5.1,
                due_after=NOW + dt.timedelta(days=3),
            )
        )
        return card.id


def _next_version(text: str) -> str:
    """The next dataset version: first card reworded, "klaipeda-interests" dropped, one card
    added."""
    version = load_dataset(dataset_path()).version
    changed = text.replace(f"dataset_version = {version}", f"dataset_version = {version + 1}")
    changed = changed.replace(
        'front = "Between which two states was the pact signed?"',
        'front = "Which two states signed the pact?"',
    )
    start = changed.index('[[cards]]\nid = "klaipeda-interests"')
    end = changed.index("[[cards]]", start + 1)
    changed = changed[:start] + changed[end:]
    changed += (
        '\n[[cards]]\nid = "occupied-by"\nkind = "basic"\n'
        'front = "Which state occupied Lithuania?"\nback = "The Soviet Union."\n'
        'quote = "The pact was broken when on June 15, 1940 Soviet Union occupied Lithuania."\n'
    )
    assert changed.count(f"dataset_version = {version + 1}") == 1
    assert "klaipeda-interests" not in changed
    return changed


def test_dataset_upgrade_keeps_review_history(data_dir: Path, tmp_path: Path) -> None:
    collection = Collection.open(data_dir, lambda: NOW)
    card_id = _review_first_card(collection)
    collection.close()
    v2 = tmp_path / "pact-v2.toml"
    v2.write_text(_next_version(dataset_path().read_text(encoding="utf-8")), encoding="utf-8")

    upgraded = Collection.open(data_dir, lambda: NOW, dataset_file=v2)
    try:
        assert upgraded.seed.action is SeedAction.UPDATED
        version = load_dataset(dataset_path()).version
        assert (upgraded.seed.previous_version, upgraded.seed.version) == (version, version + 1)
        assert upgraded.seed.retired_cards == ("klaipeda-interests",)
        with upgraded.database.sessions() as session:
            card = session.get(models.Card, card_id)
            assert card is not None
            assert card.front == "Which two states signed the pact?"
            assert (card.state, card.stability, card.difficulty) == (models.STATE_REVIEW, 3.2, 5.1)
            assert card.due == NOW + dt.timedelta(days=3)
            reviews = session.scalars(
                select(models.ReviewLog).where(models.ReviewLog.card_number == card.number)
            ).all()
            assert [review.rating for review in reviews] == [3]
            retired = session.get(models.Card, "klaipeda-interests")
            assert retired is not None and retired.retired
            added = session.get(models.Card, "occupied-by")
            assert added is not None and added.state == models.STATE_NEW and not added.retired
            pack = session.get(models.Pack, load_dataset(v2).pack_id)
            assert pack is not None and pack.builtin and pack.version == version + 1
            assert session.get(models.Setting, "dataset_version") is None, "kept per pack"
    finally:
        upgraded.close()


def test_invalid_dataset_writes_nothing(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text(
        dataset_path().read_text(encoding="utf-8").replace("March 4, 1927.", "March 5, 1927.", 1),
        encoding="utf-8",
    )
    data_dir = tmp_path / "data"
    with pytest.raises(StartupError, match="quote not found verbatim") as raised:
        Collection.open(data_dir, lambda: NOW, dataset_file=broken)
    assert str(broken) in str(raised.value)
    assert not (data_dir / "study.sqlite3").exists()


def test_naive_datetimes_are_refused(collection: object) -> None:
    with collection.database.sessions() as session:  # type: ignore[attr-defined]
        card = session.scalars(select(models.Card)).first()
        assert card is not None
        card.due = dt.datetime(2026, 1, 1, 12, 0)  # naive: no time zone
        with pytest.raises(Exception, match="naive datetime"):
            session.flush()
