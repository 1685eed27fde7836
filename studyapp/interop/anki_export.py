"""Export to an Anki package (.apkg): one deck per article and section, our two note types,
stable GUIDs, and (with progress) each card's scheduling, FSRS memory state and answers.

Written with the standard library, not genanki: genanki writes every card new and has no
review log, and its collection row declares the 2018 scheduler, on which Anki's importer
runs its upgrade that rewrites the ease of learning answers. We need all three, so the few
tables are ours (anki_schema.py), filled in an in-memory database: notes and cards built
from one query's rows (anki_cards.py, held by tests to note_fields and card_tags here and
anki_scheduling.card_scheduling) with executemany, the review log by SQLite from the attached
collection (anki_revlog.py).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import zipfile
from collections.abc import Callable
from pathlib import Path

from studyapp.collection import Collection
from studyapp.collection.export_rows import CardSelection, ExportCard
from studyapp.collection.importing import Progress
from studyapp.content.model import CardKind
from studyapp.interop import anki_cards
from studyapp.interop import anki_schema as schema
from studyapp.interop.anki_cards import derived_tags
from studyapp.interop.anki_revlog import write_revlog
from studyapp.interop.anki_scheduling import AnkiDays
from studyapp.interop.exporting import ExportResult, no_cards_error
from studyapp.interop.fields import anki_cloze, tag_name, to_html
from studyapp.interop.files import atomic_output
from studyapp.storage.queries import ArticleEntry
from studyapp.study.scheduling import (
    LEARNING_STEPS,
    MAXIMUM_INTERVAL_DAYS,
    RELEARNING_STEPS,
    decay_of,
)

NO_ARTICLE_DECK = "StudyApp"


def deck_name(card: ExportCard) -> str:
    """ "Article::Section": one deck per article, a subdeck per section."""
    return deck_name_of(card.article_title, card.section_heading)


def deck_name_of(article_title: str | None, section_heading: str | None) -> str:
    if article_title is None:
        return NO_ARTICLE_DECK
    parts = [article_title]
    if section_heading:
        parts.append(section_heading)
    return "::".join(part.replace("::", ":").strip() for part in parts)


def card_tags(card: ExportCard) -> list[str]:
    """The section, origin, flag and marked tags, then the learner's own."""
    tags = list(derived_tags(card.section_heading, card.mine, card.edited, card.kind, card.flag))
    tags += [tag_name(tag) for tag in card.tags]
    return list(dict.fromkeys(tag for tag in tags if tag))


def note_fields(card: ExportCard, html: Callable[[str], str] = to_html) -> tuple[int, list[str]]:
    """(note type id, HTML fields) of a card (`html` may be a cached to_html)."""
    source, article = html(card.quote), html(card.article_title or "")
    if card.kind == CardKind.CLOZE.value and card.cloze:
        return schema.CLOZE_NOTETYPE_ID, [anki_cloze(card.cloze), "", source, article]
    return schema.BASIC_NOTETYPE_ID, [to_html(card.front), to_html(card.back), source, article]


def _description(article: ArticleEntry | None) -> str:
    if article is None:
        return "Cards from StudyApp that belong to no article."
    parts = [f"From StudyApp: {article.title}.", article.source, article.licence]
    parts.append(article.attribution)
    return "<br>".join(to_html(part) for part in parts if part)


class _PackageWriter:
    """Fills an in-memory Anki collection with the selection's cards (and answers)."""

    def __init__(
        self,
        collection: Collection,
        selection: CardSelection,
        with_progress: bool,
        progress: Progress | None,
    ) -> None:
        self.collection = collection
        self.with_progress = with_progress
        self.progress = progress
        self.now = collection.clock()
        self.cells = collection.export_card_cells(selection)  # the counts come with them
        self.size = self.cells.size()
        self.total = self.size.cards + (self.size.reviews if with_progress else 0)
        settings = collection.settings
        self.settings = settings
        created = min(self.size.first_review or self.now, self.now)
        self.days = AnkiDays(created, settings.day_start_hour, collection.tz, until=self.now)
        self.articles = {article.id: article for article in collection.articles()}
        self.decks: dict[str, schema.Deck] = {}
        self.deck_ids: dict[tuple[str | None, str | None], int] = {}
        self.anki_ids: dict[str, int] = {}
        self.cards = 0
        self.reviews = 0

    def deck_for(self, article_id: str | None, title: str | None, heading: str | None) -> int:
        known = self.deck_ids.get((article_id, heading))
        if known is not None:
            return known
        name = deck_name_of(title, heading)
        deck = self.decks.get(name)
        if deck is None:
            article = self.articles.get(article_id or "")
            # Parents first, so every level exists with its description.
            parts = name.split("::")
            for depth in range(1, len(parts) + 1):
                partial = "::".join(parts[:depth])
                if partial not in self.decks:
                    description = _description(article) if depth == 1 else ""
                    self.decks[partial] = schema.Deck(schema.deck_id(partial), partial, description)
            deck = self.decks[name]
        self.deck_ids[(article_id, heading)] = deck.id
        return deck.id

    def notes_and_cards(self) -> anki_cards.NotesAndCards:
        rules = None
        if self.with_progress:
            rules = anki_cards.Progress(
                days=self.days,
                desired_retention=self.settings.desired_retention,
                decay=decay_of(self.settings.fsrs_parameters),  # the learner's fitted curve
                learning_steps=len(LEARNING_STEPS),
                relearning_steps=len(RELEARNING_STEPS),
            )
        progress, total = self.progress, self.total

        def report(cards: int) -> None:
            if progress is not None:
                progress(cards, total)

        built = anki_cards.notes_and_cards(
            self.cells.rows,
            self.cells.tags,
            now=self.now,
            first_id=int(self.now.timestamp() * 1000) - self.size.cards - 1,
            progress=rules,
            deck_for=self.deck_for,
            tags_field=anki_cards.tags_field,
            report=report,
        )
        self.anki_ids = built.anki_ids
        self.cards = len(built.cards)
        return built

    def write_revlog(self, database: sqlite3.Connection) -> None:
        """The selected cards' answers, converted and inserted by SQLite (anki_revlog.py)."""
        progress, done, total = self.progress, self.cards, self.total

        def report(answers: int) -> None:
            if progress is not None:
                progress(done + answers, total)

        self.reviews = write_revlog(
            database, self.collection.path, self.anki_ids.items(), self.days, report
        )

    def write(self, database: sqlite3.Connection) -> None:
        database.executescript(schema.TABLES)  # indexes come after the rows: faster
        built = self.notes_and_cards()
        database.executemany(f"INSERT INTO notes VALUES ({_marks(11)})", built.notes)
        database.executemany(f"INSERT INTO cards VALUES ({_marks(18)})", built.cards)
        del built
        if self.with_progress:
            self.write_revlog(database)
        mod = int(self.now.timestamp())
        preset = schema.Preset(
            new_per_day=self.settings.new_per_day,
            reviews_per_day=self.settings.reviews_per_day,
            desired_retention=self.settings.desired_retention,
            learning_steps_minutes=tuple(step / dt.timedelta(minutes=1) for step in LEARNING_STEPS),
            relearning_steps_minutes=tuple(
                step / dt.timedelta(minutes=1) for step in RELEARNING_STEPS
            ),
            maximum_interval_days=MAXIMUM_INTERVAL_DAYS,
            bury_new=self.settings.bury_new_siblings,
            bury_reviews=self.settings.bury_review_siblings,
        )
        database.execute(
            f"INSERT INTO col VALUES ({_marks(13)})",
            (
                1,
                self.days.creation_seconds(),
                mod * 1000,
                mod * 1000,
                schema.SCHEMA_VERSION,
                0,
                0,
                0,
                schema.configuration(
                    self.days.rollover_hour, self.days.creation_minutes_west(), self.cards + 1
                ),
                _json(schema.notetypes(mod)),
                _json(schema.decks(list(self.decks.values()), mod)),
                _json(schema.presets(preset, mod)),
                "{}",
            ),
        )
        database.executescript(schema.INDEXES)
        database.commit()


def _marks(count: int) -> str:
    return ", ".join("?" * count)


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def export_apkg(
    collection: Collection,
    path: Path,
    selection: CardSelection,
    *,
    with_progress: bool = False,
    progress: Progress | None = None,
) -> ExportResult:
    """Write the selected cards to an Anki package at `path` (all or nothing)."""
    collection.check_selection(selection)
    writer = _PackageWriter(collection, selection, with_progress, progress)
    if writer.size.cards == 0:
        raise no_cards_error(selection)
    database = sqlite3.connect(":memory:", uri=True)  # uri: the collection attaches read-only
    database.execute("PRAGMA journal_mode = OFF")  # one transaction into memory: no undo log
    try:
        writer.write(database)
        content = database.serialize()
    finally:
        database.close()
    info = zipfile.ZipInfo("collection.anki2", date_time=_zip_time(writer.now))
    info.compress_type = zipfile.ZIP_DEFLATED
    # Level 1: a quarter of the default level's time, for a file a tenth larger.
    with (
        atomic_output(path) as output,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package,
    ):
        package.writestr(info, content)
        package.writestr("media", "{}")
    if progress is not None:
        progress(writer.total, writer.total)
    return ExportResult(path, writer.cards, writer.reviews, len(writer.decks))


def _zip_time(now: dt.datetime) -> tuple[int, int, int, int, int, int]:
    local = now.astimezone()
    return (max(local.year, 1980), local.month, local.day, local.hour, local.minute, local.second)
