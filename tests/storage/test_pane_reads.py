"""The panes' reads (storage/pane_reads.py) load no SQLAlchemy, and read on stdlib sqlite3 (the
first screen's path) the very values the Collection reads on SQLAlchemy (the main path), in
every state that takes the reads down another branch."""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from studyapp.clock import FakeClock
from studyapp.collection import CardSource, CardText, Collection, NewCard
from studyapp.content.loader import load_dataset
from studyapp.content.model import CardKind
from studyapp.storage import models, pane_reads
from studyapp.storage.plain_sql import sqlite_rows
from tests.fixtures.second_pack import SECOND_ARTICLE, next_version_text, second_pack, write_pack

PACT = "soviet-lithuanian-non-aggression-pact"
START = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)


def test_the_reads_and_their_values_load_no_sqlalchemy_fsrs_or_qt() -> None:
    code = (
        "import sys\n"
        "import studyapp.storage.pane_reads\n"
        "from studyapp.storage.pane_values import ArticleEntry, ArticleView, CardLinks, "
        "CardSummary, TimelineItem\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'fsrs', 'PySide6'}))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def opened(data_dir: Path, clock: FakeClock) -> Iterator[Collection]:
    collection = Collection.open(data_dir, clock.now, tz=dt.UTC)
    yield collection
    collection.close()


def _same(first_screen: Any, main_path: Any) -> None:
    """Equal, and built of the same types (True is not 1, for the panes as for repr)."""
    assert first_screen == main_path
    assert repr(first_screen) == repr(main_path)


def _both_paths_agree(collection: Collection) -> None:
    """Every pane read, on sqlite3 and through the Collection, for every article (a hidden
    pack's too: its view is still read by id) and for the default one."""
    connection = sqlite3.connect(collection.path)
    try:
        rows = sqlite_rows(connection)
        shown = pane_reads.shown_articles(rows)
        _same(shown, collection.articles())
        assert pane_reads.first_article_id(rows) == (shown[0].id if shown else None)
        every_article = [article_id for (article_id,) in rows("SELECT id FROM articles", {})]
        for article_id in every_article:
            _same(
                pane_reads.load_article_view(rows, article_id), collection.article_view(article_id)
            )
            _same(
                pane_reads.passage_card_counts(rows, article_id),
                collection.passage_card_counts(article_id),
            )
            _same(pane_reads.load_timeline(rows, article_id), collection.timeline(article_id))
        _same(pane_reads.event_card_counts(rows), collection.event_card_counts())
        everything = collection.timeline()
        _same(pane_reads.load_timeline(rows), everything)
        if shown:
            _same(pane_reads.load_article_view(rows), collection.article_view())
        chosen = {item.id for item in everything[::2]}
        assert [item.id for item in pane_reads.load_timeline(rows, event_ids=chosen)] == [
            item.id for item in everything if item.id in chosen
        ]
        assert pane_reads.load_timeline(rows, event_ids=()) == []
    finally:
        connection.close()


def test_the_fresh_collection_reads_the_same_on_both_paths(opened: Collection) -> None:
    _both_paths_agree(opened)
    view = opened.article_view()
    assert view.article.id == PACT and view.card_count("overview-1") == 16
    assert len(opened.timeline()) == 14


def test_cards_not_studied_are_counted_alike_on_both_paths(
    opened: Collection, clock: FakeClock
) -> None:
    own = opened.add_card(
        NewCard(
            CardText(
                CardKind.CLOZE,
                cloze="The pact was registered in {{League of Nations}} Treaty "
                "Series on March 4, 1927.",
            ),
            CardSource("overview-1", 6),
            ("league-registration",),
        )
    ).card_id
    opened.add_card(NewCard(CardText(CardKind.BASIC, "Q?", "A.")))  # no source, no article
    deleted = opened.add_card(
        NewCard(CardText(CardKind.BASIC, "Gone?", "Yes."), CardSource("overview-1", 0))
    ).card_id
    opened.delete_cards(deleted)
    opened.suspend("signed-when")
    opened.bury("coup-when")  # buried cards are still studied: counted
    with opened.database.sessions.begin() as session:
        session.execute(update(models.Card).where(models.Card.id == "parties").values(retired=True))
    _both_paths_agree(opened)
    assert opened.article_view().card_count("overview-1") == 15, "16 + own - retired - suspended"
    assert opened.event_card_counts()["league-registration"] >= 1
    assert own in {card.id for card in opened.passage_cards("overview-1")}


def test_a_second_pack_its_update_and_retired_events_read_the_same(
    opened: Collection, tmp_path: Path
) -> None:
    opened.install_pack(second_pack())
    _both_paths_agree(opened)
    # Version 2 drops a card (kept, retired) and adds one.
    opened.install_pack(load_dataset(write_pack(tmp_path / "v2", next_version_text())))
    with opened.database.sessions.begin() as session:
        # The second article left with no event shown; one of the pact's loses its sentence.
        session.execute(
            update(models.Event)
            .where(models.Event.article_id == SECOND_ARTICLE)
            .values(retired=True)
        )
        session.execute(
            update(models.Event).where(models.Event.id == "military-coup").values(passage_id=None)
        )
    _both_paths_agree(opened)
    assert opened.timeline(SECOND_ARTICLE) == []
    assert opened.article_view(SECOND_ARTICLE).events_by_sentence == {}
    assert "military-coup" not in {
        event for events in opened.article_view().events_by_sentence.values() for event in events
    }


def test_removed_and_hidden_packs_read_the_same_on_both_paths(opened: Collection) -> None:
    opened.install_pack(second_pack())
    opened.remove_pack(SECOND_ARTICLE)
    _both_paths_agree(opened)
    assert [article.id for article in opened.articles()] == [PACT]
    opened.install_pack(second_pack())  # back, and the built-in pack hidden instead
    opened.hide_pack(PACT)
    _both_paths_agree(opened)
    assert [article.id for article in opened.articles()] == [SECOND_ARTICLE]
    assert opened.article_view().article.id == SECOND_ARTICLE
    assert {item.article_id for item in opened.timeline()} == {SECOND_ARTICLE}


def test_with_no_article_shown_both_paths_refuse_the_default_view(opened: Collection) -> None:
    with opened.database.sessions.begin() as session:
        session.execute(update(models.Pack).values(hidden=True))
    _both_paths_agree(opened)
    connection = sqlite3.connect(opened.path)
    try:
        with pytest.raises(LookupError, match="holds no article"):
            pane_reads.load_article_view(sqlite_rows(connection))
        with pytest.raises(LookupError, match="no-such-article"):
            pane_reads.load_article_view(sqlite_rows(connection), "no-such-article")
    finally:
        connection.close()
    with pytest.raises(LookupError, match="holds no article"):
        opened.article_view()
    assert opened.timeline() == [] and opened.articles() == []


def test_the_values_hold_the_types_their_classes_declare(opened: Collection) -> None:
    """Raw SQL gives integers for booleans: the shared Python turns them back."""
    connection = sqlite3.connect(opened.path)
    try:
        rows = sqlite_rows(connection)
        (entry,) = pane_reads.shown_articles(rows)
        assert entry.builtin is True
        sections = pane_reads.load_article_view(rows).article.sections
        assert {type(section.editorial_heading) for section in sections} == {bool}
        assert any(section.editorial_heading for section in sections)
    finally:
        connection.close()
