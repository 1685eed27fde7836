"""A second pack in the collection: it installs, reads, is studied, updates keeping progress,
is removed and added back with its progress; clashing and older packs are refused."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from studyapp.clock import FakeClock
from studyapp.collection import (
    CardOperationError,
    CardSource,
    CardText,
    Collection,
    NewCard,
    PackAction,
    PackRefusedError,
)
from studyapp.content.loader import load_dataset
from studyapp.content.model import CardKind
from studyapp.storage import models
from studyapp.study.settings import StudySettings
from tests.fixtures.second_pack import (
    SECOND_ARTICLE,
    SECOND_PACK_TEXT,
    edited,
    next_version_text,
    second_pack,
    with_version,
    write_pack,
)

PACT = "soviet-lithuanian-non-aggression-pact"
START = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def two_packs(data_dir: Path, clock: FakeClock) -> Collection:
    collection = Collection.open(data_dir, clock.now, tz=dt.UTC)
    collection.install_pack(second_pack())
    yield collection
    collection.close()


def _study(collection: Collection, card_id: str, *ratings: int, clock: FakeClock) -> None:
    for rating in ratings:
        collection.previews(card_id)
        collection.answer(card_id, rating, 3000)
        clock.advance(minutes=15)


def _log_rows(collection: Collection) -> int:
    with collection.database.sessions() as session:
        return session.scalar(select(func.count()).select_from(models.ReviewLog)) or 0


def test_a_second_pack_installs_and_every_read_shows_it(two_packs: Collection) -> None:
    dataset = second_pack()
    assert [a.id for a in two_packs.articles()] == [PACT, SECOND_ARTICLE], "built-in first"
    view = two_packs.article_view(SECOND_ARTICLE)
    assert view.article.title == "The Declaration of Independence"
    assert view.article.passages()[0].text.startswith("IN CONGRESS, July 4, 1776.")
    assert view.card_count("doi-truths-1") == 5
    assert view.events_by_sentence == {("doi-preamble-1", 0): ["doi-dated-in-congress"]}
    own = two_packs.timeline(SECOND_ARTICLE)
    assert [(item.id, item.article_id, item.card_count) for item in own] == [
        ("doi-dated-in-congress", SECOND_ARTICLE, 1)
    ]
    everything = two_packs.timeline()
    assert {item.article_id for item in everything} == {PACT, SECOND_ARTICLE}
    assert [item.id for item in two_packs.timeline(PACT)] == [
        item.id for item in everything if item.article_id == PACT
    ]
    packs = {pack.id: pack for pack in two_packs.packs()}
    assert list(packs) == [PACT, SECOND_ARTICLE]
    second = packs[SECOND_ARTICLE]
    assert (second.title, second.version, second.licence) == (
        dataset.article.title,
        1,
        "Public domain",
    )
    assert (second.cards, second.studied, second.due, second.builtin) == (10, 0, 0, False)
    assert two_packs.check().ok


def test_its_cards_are_studied_alone_or_with_every_article_in_one_daily_limit(
    two_packs: Collection, clock: FakeClock
) -> None:
    two_packs.update_settings(StudySettings(new_per_day=3))
    assert two_packs.counts().new == 3, "one daily limit over every article"
    two_packs.study_only(SECOND_ARTICLE)
    assert two_packs.study_article == SECOND_ARTICLE
    card = two_packs.next_card()
    assert card is not None and card.id == "doi-dated", "reading order within the article"
    assert card.article_id == SECOND_ARTICLE and card.event_ids == ("doi-dated-in-congress",)
    _study(two_packs, "doi-dated", 3, clock=clock)
    _study(two_packs, "doi-rights", 3, clock=clock)
    assert two_packs.counts().new == 1
    two_packs.study_only(None)
    assert two_packs.counts().new == 1
    _study(two_packs, "parties", 3, clock=clock)
    assert two_packs.counts().new == 0, "the pact card used the last new card of the day"
    two_packs.study_only(SECOND_ARTICLE)
    assert two_packs.counts().new == 0
    studied = next(pack for pack in two_packs.packs() if pack.id == SECOND_ARTICLE)
    assert studied.studied == 2 and studied.due == 2, "both learning, due within the hour"


def test_a_newer_version_updates_in_place_and_keeps_progress(
    two_packs: Collection, clock: FakeClock, tmp_path: Path
) -> None:
    for card_id in ("doi-allegiance", "doi-candid"):
        _study(two_packs, card_id, 3, 3, clock=clock)
    kept = two_packs.card("doi-allegiance")
    answers = _log_rows(two_packs)
    newer = load_dataset(write_pack(tmp_path, next_version_text()))
    plan = two_packs.pack_plan(newer)
    assert (plan.action, plan.installed, plan.version) == (PackAction.UPDATE, 1, 2)
    sync = two_packs.install_pack(newer)
    assert sync.result.retired_cards == ("doi-candid",)
    assert not two_packs.can_undo(), "a content update is not undoable (a copy is kept)"
    card = two_packs.card("doi-allegiance")
    assert card.front.startswith("The United Colonies are absolved"), "the new wording"
    assert (card.state, card.due, card.stability, card.reviews) == (
        kept.state,
        kept.due,
        kept.stability,
        2,
    )
    dropped = two_packs.card("doi-candid")
    assert dropped.retired and dropped.reviews == 2
    assert two_packs.card("doi-pledged").state == models.STATE_NEW
    assert _log_rows(two_packs) == answers, "no answer lost"
    assert next(p for p in two_packs.packs() if p.id == SECOND_ARTICLE).version == 2
    copies = list(
        (two_packs.data_dir / "backups").glob(f"study-before-pack-update-{SECOND_ARTICLE}-v1-*")
    )
    assert len(copies) == 1


@pytest.mark.parametrize("version", [1, 0])
def test_the_same_or_an_older_version_is_refused_and_writes_nothing(
    two_packs: Collection, tmp_path: Path, version: int
) -> None:
    if version == 0:  # the collection has version 2, the file says 1
        two_packs.install_pack(load_dataset(write_pack(tmp_path / "v2", next_version_text())))
        version = 1
    before = two_packs.check().counts
    same = load_dataset(write_pack(tmp_path, with_version(SECOND_PACK_TEXT, version)))
    plan = two_packs.pack_plan(same)
    assert plan.action is None and plan.refusal is not None
    with pytest.raises(PackRefusedError) as refused:
        two_packs.install_pack(same)
    message = str(refused.value)
    if plan.installed == version:
        assert (
            message == "“The Declaration of Independence” version 1 is already in your collection."
        )
    else:
        assert "version 2" in message and "an older one, so nothing was changed" in message
    assert two_packs.check().counts == before


def test_removing_a_pack_takes_it_out_of_every_pane_and_adding_it_back_restores_progress(
    two_packs: Collection, clock: FakeClock
) -> None:
    mine = two_packs.add_card(
        NewCard(
            CardText(
                CardKind.BASIC,
                "Who is appealed to for the rectitude of intentions?",
                "The Supreme Judge of the world.",
            ),
            CardSource("doi-independence-1", 0),
        )
    ).card_id
    two_packs.study_only(SECOND_ARTICLE)
    for card_id in ("doi-dated", "doi-consent", mine):
        _study(two_packs, card_id, 3, 3, clock=clock)
    before = {card_id: two_packs.card(card_id) for card_id in ("doi-dated", "doi-consent", mine)}
    answers = _log_rows(two_packs)

    changes = two_packs.remove_pack(SECOND_ARTICLE)
    assert changes.content and changes.study_queue
    assert two_packs.undo_label() == "Undo Remove Pack"
    assert [a.id for a in two_packs.articles()] == [PACT]
    assert all(item.article_id == PACT for item in two_packs.timeline())
    assert [p.id for p in two_packs.packs()] == [PACT], "a removed pack is not listed"
    assert two_packs.study_article is None, "the queue studies every (shown) article again"
    clock.advance(days=30)
    seen = set()
    while (card := two_packs.next_card()) is not None and card.id not in seen:
        seen.add(card.id)
        assert card.article_id == PACT, "no card of the removed pack, nor the learner's on it"
        _study(two_packs, card.id, 4, clock=clock)
    with pytest.raises(CardOperationError, match="of a pack you removed"):
        two_packs.answer("doi-dated", 3, 1000)
    clock.set(START + dt.timedelta(hours=2))

    plan = two_packs.pack_plan(second_pack())
    assert plan.action is PackAction.RESTORE and not plan.rewrites_content
    two_packs.install_pack(second_pack())
    assert [a.id for a in two_packs.articles()] == [PACT, SECOND_ARTICLE]
    for card_id, info in before.items():
        back = two_packs.card(card_id)
        assert (back.state, back.due, back.stability, back.reviews) == (
            info.state,
            info.due,
            info.stability,
            info.reviews,
        ), card_id
    assert _log_rows(two_packs) >= answers
    assert two_packs.undo_label() == "Undo Add Pack Back"
    two_packs.undo()
    assert [a.id for a in two_packs.articles()] == [PACT], "undo removes it again"


def test_removing_is_undone_exactly(two_packs: Collection) -> None:
    two_packs.study_only(SECOND_ARTICLE)
    counts = two_packs.counts()
    two_packs.remove_pack(SECOND_ARTICLE)
    assert two_packs.counts() != counts
    undone = two_packs.undo()
    assert undone is not None and undone.label == "Undo Remove Pack" and undone.content
    assert two_packs.counts() == counts
    assert two_packs.study_article == SECOND_ARTICLE, "the choice comes back with the pack"


def test_a_removed_pack_comes_back_updated_from_a_newer_file(
    two_packs: Collection, clock: FakeClock, tmp_path: Path
) -> None:
    _study(two_packs, "doi-allegiance", 3, clock=clock)
    two_packs.remove_pack(SECOND_ARTICLE)
    newer = load_dataset(write_pack(tmp_path, next_version_text()))
    plan = two_packs.pack_plan(newer)
    assert (plan.action, plan.rewrites_content) == (PackAction.RESTORE, True)
    assert "updated from version 1 to version 2" in plan.describe()
    two_packs.install_pack(newer)
    assert two_packs.card("doi-allegiance").reviews == 1
    assert two_packs.card("doi-candid").retired
    assert [a.id for a in two_packs.articles()] == [PACT, SECOND_ARTICLE]


def test_the_builtin_pack_is_hidden_not_removed_and_one_article_always_stays(
    two_packs: Collection,
) -> None:
    with pytest.raises(PackRefusedError, match="comes with StudyApp"):
        two_packs.remove_pack(PACT)
    with pytest.raises(PackRefusedError, match="Only the built-in pack is hidden"):
        two_packs.hide_pack(SECOND_ARTICLE)
    two_packs.hide_pack(PACT)
    assert [a.id for a in two_packs.articles()] == [SECOND_ARTICLE]
    assert {item.article_id for item in two_packs.timeline()} == {SECOND_ARTICLE}
    listed = {pack.id: pack.hidden for pack in two_packs.packs()}
    assert listed == {PACT: True, SECOND_ARTICLE: False}, "a hidden built-in pack stays listed"
    card = two_packs.next_card()
    assert card is not None and card.article_id == SECOND_ARTICLE
    with pytest.raises(PackRefusedError, match="the only article left to read"):
        two_packs.remove_pack(SECOND_ARTICLE)
    two_packs.show_pack(PACT)
    assert [a.id for a in two_packs.articles()] == [PACT, SECOND_ARTICLE]


def test_the_builtin_pack_stays_hidden_across_its_own_update(
    data_dir: Path, tmp_path: Path
) -> None:
    from studyapp.paths import dataset_path
    from tests.storage.test_seeding import _next_version

    collection = Collection.open(data_dir)
    collection.install_pack(second_pack())
    collection.hide_pack(PACT)
    collection.close()
    newer = tmp_path / "pact-next.toml"
    newer.write_text(_next_version(dataset_path().read_text(encoding="utf-8")), encoding="utf-8")
    reopened = Collection.open(data_dir, dataset_file=newer)
    try:
        assert reopened.seed.action.value == "updated"
        assert [a.id for a in reopened.articles()] == [SECOND_ARTICLE]
        assert next(p for p in reopened.packs() if p.id == PACT).hidden
    finally:
        reopened.close()


def test_a_pack_whose_ids_another_pack_uses_is_refused_and_writes_nothing(
    two_packs: Collection, tmp_path: Path
) -> None:
    text = edited(
        SECOND_PACK_TEXT,
        ('id = "doi-declaration-of-independence"', 'id = "doi-another-declaration"'),
    )
    clash = load_dataset(write_pack(tmp_path, text))
    before = two_packs.check().counts
    plan = two_packs.pack_plan(clash)
    assert plan.action is None
    assert plan.refusal is not None and "is already used by" in plan.refusal
    assert "'doi-declaration-of-independence'" in plan.refusal
    assert "Every pack needs ids of its own" in plan.refusal
    with pytest.raises(PackRefusedError):
        two_packs.install_pack(clash)
    assert two_packs.check().counts == before


def test_a_pack_cannot_take_a_card_id_of_the_builtin_pack(
    collection: Collection, tmp_path: Path
) -> None:
    pact_ids = edited(SECOND_PACK_TEXT, ('id = "doi-dated"', 'id = "parties"'))
    with pytest.raises(PackRefusedError, match="card id 'parties' is already used by"):
        collection.install_pack(load_dataset(write_pack(tmp_path, pact_ids)))
    assert [article.id for article in collection.articles()] == [PACT]
