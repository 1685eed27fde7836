"""Importing cards: rows of text become the learner's own cards, in one transaction.

Each row is checked by the rules a card written by hand meets (authoring.check_text). A row
whose text equals a card's already in the collection (or an earlier row's) is a duplicate and
skipped; a row naming a card by its GUID updates that card's text instead. Bad rows are
reported with their line and never written; the rest are written together, or not at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, insert, select

from studyapp.collection.authoring import apply_edit, check_text, new_card_id
from studyapp.collection.authoring_values import CardOperationError, CardText
from studyapp.collection.changes import Changes
from studyapp.collection.undo import TABLES, Journal
from studyapp.content.model import CardKind
from studyapp.content.text import split_sentences
from studyapp.storage import models
from studyapp.storage.cards import FLAGS, MARKED, in_collection
from studyapp.storage.positions import anchor

GUID_PREFIX = "studyapp:"  # our cards' GUIDs in Anki and in CSV files: "studyapp:<card id>"
TAG_MAX_LENGTH = 100  # card_tags.tag is a String(100)
PROGRESS_EVERY = 500  # rows between progress reports

# (done, total): called as the work goes on; raising (Cancelled) stops it, nothing is kept.
Progress = Callable[[int, int], None]


class Cancelled(CardOperationError):
    """The learner stopped a long import or export; nothing was written."""


def card_guid(card_id: str) -> str:
    return f"{GUID_PREFIX}{card_id}"


def card_id_of_guid(guid: str) -> str | None:
    """The card id in one of our GUIDs; None for any other GUID (Anki's own, say)."""
    guid = guid.strip()
    if guid.startswith(GUID_PREFIX) and len(guid) > len(GUID_PREFIX):
        return guid[len(GUID_PREFIX) :]
    return None


@dataclass(frozen=True)
class ImportRow:
    """One card to import, as a file gives it."""

    line: int  # where the row starts in its file (1 = the first line), for messages
    text: CardText  # basic or cloze
    source: str = ""  # the sentence it cites, if the file says ("" none)
    tags: tuple[str, ...] = ()  # "marked" is Anki's and ours; the rest are kept as tags
    flag: int = 0
    guid: str = ""


@dataclass(frozen=True)
class RowNote:
    """A row that was not added, and why."""

    line: int
    reason: str


@dataclass(frozen=True, kw_only=True)
class ImportChanges(Changes):
    """What an import did, row by row."""

    added: int = 0
    updated: int = 0
    duplicates: tuple[RowNote, ...] = ()
    rejected: tuple[RowNote, ...] = ()
    linked: int = 0  # added cards whose source matched a sentence of the article
    added_ids: tuple[str, ...] = field(default=(), repr=False)


def _spaced(text: str) -> str:
    """Runs of whitespace as one space, ends trimmed (most text needs no change: checked
    first, as an import compares every card of the collection)."""
    if "  " in text or "\n" in text or "\t" in text or "\r" in text or text != text.strip():
        return " ".join(text.split())
    return text


def text_key(kind: str, front: str, back: str, cloze: str | None) -> tuple[str, ...]:
    """What makes two cards' text the same: a cloze's sentence and gap, a card's front and
    back (chronology cards import as basic ones), whitespace aside."""
    if kind == CardKind.CLOZE.value:
        return ("cloze", _spaced(cloze or ""))
    return ("basic", _spaced(front), _spaced(back))


@dataclass
class _Existing:
    """The collection's cards as an import compares against them."""

    by_text: dict[tuple[str, ...], str]
    kinds: dict[str, str]  # card id -> kind, for GUID matches
    texts: dict[str, tuple[str, ...]]  # card id -> its text key


def _existing_cards(journal: Journal) -> _Existing:
    card = models.Card
    rows = journal.session.connection().execute(  # Core: 50,000 rows without the ORM
        select(card.id, card.kind, card.front, card.back, card.cloze)
        .where(in_collection())
        .order_by(card.position, card.id)
    )
    by_text: dict[tuple[str, ...], str] = {}
    kinds: dict[str, str] = {}
    texts: dict[str, tuple[str, ...]] = {}
    for card_id, kind, front, back, cloze in rows:
        key = text_key(kind, front, back, cloze)
        by_text.setdefault(key, card_id)
        kinds[card_id] = kind
        texts[card_id] = key
    return _Existing(by_text, kinds, texts)


def _sentences(journal: Journal, article_id: str) -> dict[str, tuple[str, int]]:
    """The article's sentences (whitespace collapsed) -> (passage id, sentence index)."""
    passage, section = models.Passage, models.Section
    rows = journal.session.execute(
        select(passage.id, passage.text)
        .join(section, section.id == passage.section_id)
        .where(section.article_id == article_id)
        .order_by(section.position, passage.position)
    )
    found: dict[str, tuple[str, int]] = {}
    for passage_id, text in rows:
        for index, sentence in enumerate(split_sentences(text)):
            found.setdefault(" ".join(sentence.text.split()), (passage_id, index))
    return found


def _check_tags(tags: Sequence[str]) -> None:
    for tag in tags:
        if len(tag) > TAG_MAX_LENGTH:
            raise CardOperationError(
                f"the tag {tag[:20]!r}… is longer than {TAG_MAX_LENGTH} characters"
            )


class _Importer:
    def __init__(self, journal: Journal, article_id: str | None, now: dt.datetime) -> None:
        self.journal = journal
        self.session = journal.session
        self.article_id = article_id
        self.now = now
        self.existing = _existing_cards(journal)
        self.sentences = _sentences(journal, article_id) if article_id else {}
        self.last_position = self.session.scalar(select(func.max(models.Card.position))) or 0
        self.anchors: dict[tuple[str, int], int] = {}
        self.cards: list[dict[str, object]] = []
        self.tags: list[dict[str, str]] = []
        self.updated = 0
        self.linked = 0
        self.duplicates: list[RowNote] = []
        self.rejected: list[RowNote] = []
        self.new_lines: dict[str, int] = {}  # added card id -> its row's line

    def take(self, row: ImportRow) -> None:
        try:
            _check_tags(row.tags)
            if row.flag not in FLAGS:
                raise CardOperationError(f"a flag is 0 to 4, not {row.flag}")
            target = card_id_of_guid(row.guid) if row.guid else None
            if target is not None and target in self.existing.kinds:
                self.update(row, target)
            else:
                self.add(row)
        except CardOperationError as error:
            reason = str(error).rstrip(".")
            self.rejected.append(RowNote(row.line, reason[:1].lower() + reason[1:]))

    def update(self, row: ImportRow, card_id: str) -> None:
        kind = self.existing.kinds[card_id]
        wanted = CardKind.CLOZE.value if kind == CardKind.CLOZE.value else None
        if (row.text.kind is CardKind.CLOZE) != (wanted is not None):
            raise CardOperationError(
                f"its GUID names the {kind} card {card_id!r}, but the row is a "
                f"{row.text.kind.value} card"
            )
        text = row.text
        if kind == CardKind.CHRONOLOGY.value:
            text = CardText(CardKind.CHRONOLOGY, text.front, text.back)
        key = text_key(text.kind.value, text.front, text.back, text.cloze)
        if key == self.existing.texts[card_id]:
            self.duplicates.append(RowNote(row.line, f"the same text as card {card_id!r}"))
            return
        apply_edit(self.journal, card_id, text, self.now)
        self.existing.texts[card_id] = key
        self.existing.by_text.setdefault(key, card_id)
        self.updated += 1

    def add(self, row: ImportRow) -> None:
        sentence = " ".join(row.source.split())
        where = self.sentences.get(sentence) if sentence else None
        try:
            checked = check_text(row.text, sentence if where else None)
        except CardOperationError:
            if where is None:
                raise
            # The cited sentence does not hold the cloze's text: keep the card, unsourced.
            where = None
            checked = check_text(row.text, None)
        key = text_key(row.text.kind.value, checked.front, checked.back, checked.cloze)
        twin = self.existing.by_text.get(key)
        if twin is not None:
            self.duplicates.append(RowNote(row.line, self.duplicate_reason(twin)))
            return
        card_id = new_card_id()
        self.existing.by_text[key] = card_id
        self.new_lines[card_id] = row.line
        self.journal.created("cards", card_id)
        self.cards.append(
            {
                "id": card_id,
                "position": self.position(where),
                "kind": row.text.kind.value,
                "front": checked.front,
                "back": checked.back,
                "cloze": checked.cloze,
                "passage_id": where[0] if where else None,
                "sentence_index": where[1] if where else None,
                "quote": sentence if where else "",
                "retired": False,
                "suspended": False,
                "state": models.STATE_NEW,
                "pack_id": None,
                "article_id": self.article_id,
                "flag": row.flag,
                "created_at": self.now,
                "modified_at": self.now,
            }
        )
        if where:
            self.linked += 1
        for tag in dict.fromkeys(row.tags):
            self.journal.created("card_tags", card_id, tag)
            self.tags.append({"card_id": card_id, "tag": tag})

    def duplicate_reason(self, twin: str) -> str:
        if twin in self.new_lines:
            return f"the same text as line {self.new_lines[twin]}"
        return f"the same text as card {twin!r}"

    def position(self, where: tuple[str, int] | None) -> int:
        if where is None:
            self.last_position += 1
            return self.last_position
        if where not in self.anchors:
            self.anchors[where] = anchor(self.session, *where, packs_only=False)
        self.anchors[where] += 1
        return self.anchors[where]

    def write(self) -> None:
        # Core inserts (executemany), not the ORM's bulk path: a third of the time.
        connection = self.session.connection()
        if self.cards:
            connection.execute(insert(TABLES["cards"]), self.cards)
        if self.tags:
            connection.execute(insert(TABLES["card_tags"]), self.tags)


def import_rows(
    journal: Journal,
    rows: Sequence[ImportRow],
    article_id: str | None,
    now: dt.datetime,
    progress: Progress | None = None,
) -> ImportChanges:
    """Write the rows as the learner's cards (in the journal's transaction); what it did."""
    if article_id is not None and journal.session.get(models.Article, article_id) is None:
        raise CardOperationError(f"There is no article {article_id!r} to import cards into.")
    importer = _Importer(journal, article_id, now)
    for done, row in enumerate(rows):
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, len(rows))
        importer.take(row)
    importer.write()
    if progress is not None:
        progress(len(rows), len(rows))
    added_ids = tuple(str(card["id"]) for card in importer.cards)
    touched = importer.updated or added_ids
    return ImportChanges(
        label="Import",
        scheduling=bool(added_ids),
        card_status=bool(added_ids),
        card_content=bool(touched),
        card_marks=any(tag["tag"] == MARKED for tag in importer.tags),
        card_ids=frozenset(added_ids) | _updated_ids(journal, added_ids),
        added=len(added_ids),
        updated=importer.updated,
        duplicates=tuple(importer.duplicates),
        rejected=tuple(importer.rejected),
        linked=importer.linked,
        added_ids=added_ids,
    )


def _updated_ids(journal: Journal, added_ids: tuple[str, ...]) -> frozenset[str]:
    added = set(added_ids)
    return frozenset(
        str(row.key[0])
        for row in journal.rows()
        if row.table == "cards" and row.values is not None and row.key[0] not in added
    )
