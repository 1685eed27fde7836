"""Load and validate the dataset file: one clear error naming the file, the item and the reason."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

from studyapp.content.card_checks import CHECKS, card_problems
from studyapp.content.cloze import cloze_sides
from studyapp.content.dates import HistoricalDate, parse_written_date
from studyapp.content.model import (
    Article,
    Card,
    CardKind,
    Dataset,
    Event,
    Passage,
    Reference,
    Section,
    SourceRef,
)
from studyapp.content.text import footnote_numbers, split_sentences

T = TypeVar("T")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


_VERSION_LINE = re.compile(rb"^dataset_version\s*=\s*(\d+)\s*(?:#.*)?$", re.MULTILINE)


def peek_dataset_version(path: Path) -> int:
    """The dataset_version line's value, without parsing or validating the file (0 if absent).

    Start-up uses it to skip loading the dataset when the database already holds this version;
    the full load (which validates everything) runs whenever the version moves on.
    """
    try:
        match = _VERSION_LINE.search(path.read_bytes())
    except OSError:
        return 0
    return int(match.group(1)) if match else 0


class DatasetError(Exception):
    """The dataset file cannot be used; the message says which file, which item and why."""

    def __init__(self, path: Path, item: str, reason: str) -> None:
        super().__init__(f"{path}: {item}: {reason}")
        self.path = path
        self.item = item
        self.reason = reason


MAX_DATASET_BYTES = 20 * 1024 * 1024  # an article pack is a few hundred kB; refuse a runaway file


def load_dataset(path: Path) -> Dataset:
    """Read and validate a dataset file; raise DatasetError on the first problem found."""
    try:
        size = path.stat().st_size
        if size > MAX_DATASET_BYTES:
            raise DatasetError(
                path,
                "file",
                f"is {size / 1048576:.0f} MB, more than a dataset can be "
                f"({MAX_DATASET_BYTES // 1048576} MB): it is not read",
            )
        raw = path.read_bytes()
    except OSError as error:
        raise DatasetError(path, "file", f"cannot be read: {error.strerror or error}") from error
    try:
        document = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise DatasetError(path, "file", f"is not UTF-8 text ({error.reason})") from error
    except tomllib.TOMLDecodeError as error:
        raise DatasetError(path, "syntax", str(error)) from error
    except RecursionError:
        raise DatasetError(
            path, "syntax", "arrays or tables are nested too deeply to be a dataset"
        ) from None
    return _Validator(path).dataset(document)


class _Validator:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.sentences: dict[str, list[str]] = {}  # passage id -> its sentences
        self.passage_order: list[str] = []
        self.allowed: dict[str, dict[str, str]] = {}  # card id -> check -> why it is allowed

    def fail(self, item: str, reason: str) -> DatasetError:
        return DatasetError(self.path, item, reason)

    def take(self, table: dict[str, Any], key: str, kind: type[T], item: str) -> T:
        if key not in table:
            raise self.fail(item, f"missing field '{key}'")
        value = table[key]
        if kind is int and isinstance(value, bool):
            raise self.fail(item, f"field '{key}' must be an integer, not {value!r}")
        if not isinstance(value, kind):
            raise self.fail(item, f"field '{key}' must be {_kind_name(kind)}, not {value!r}")
        if isinstance(value, str) and not value.strip():
            raise self.fail(item, f"field '{key}' is empty")
        return value

    def text(self, table: dict[str, Any], key: str, item: str) -> str:
        return self.take(table, key, str, item).strip()

    def only(self, table: dict[str, Any], allowed: Iterable[str], item: str) -> None:
        unknown = sorted(set(table) - set(allowed))
        if unknown:
            raise self.fail(item, f"unknown field '{unknown[0]}' (allowed: {', '.join(allowed)})")

    def tables(self, table: dict[str, Any], key: str, item: str) -> list[dict[str, Any]]:
        value = self.take(table, key, list, item)
        for index, entry in enumerate(value):
            if not isinstance(entry, dict):
                raise self.fail(f"{key}[{index}]", "must be a table")
        return value

    def item_id(self, table: dict[str, Any], label: str, index: int, seen: set[str]) -> str:
        item = f"{label} #{index + 1}"
        value = self.text(table, "id", item)
        if not _ID.match(value):
            raise self.fail(f"{label} '{value}'", "id must be lowercase letters, digits and '-'")
        if value in seen:
            raise self.fail(f"{label} '{value}'", "duplicate id")
        seen.add(value)
        return value

    # -- the document -------------------------------------------------------------------------

    def dataset(self, document: dict[str, Any]) -> Dataset:
        self.only(document, ("dataset_version", "article", "events", "periods", "cards"), "file")
        version = self.take(document, "dataset_version", int, "file")
        if version < 1:
            raise self.fail("file", f"dataset_version must be 1 or more, not {version}")
        article = self.article(self.take(document, "article", dict, "article"))
        seen_events: set[str] = set()
        points = [
            self.point(entry, index, seen_events)
            for index, entry in enumerate(self.tables(document, "events", "file"))
        ]
        periods = [
            self.period(entry, index, seen_events)
            for index, entry in enumerate(self.tables(document, "periods", "file"))
        ]
        events = {event.id: event for event in points + periods}
        seen_cards: set[str] = set()
        cards = [
            self.card(entry, index, seen_cards, events)
            for index, entry in enumerate(self.tables(document, "cards", "file"))
        ]
        self.check_reading_order(cards)
        self.check_cards(cards)
        return Dataset(self.path, version, article, tuple(points + periods), tuple(cards))

    def article(self, table: dict[str, Any]) -> Article:
        fields = ("id", "title", "title_lt", "source", "licence", "attribution")
        self.only(table, (*fields, "sections", "references"), "article")
        values = {key: self.text(table, key, "article") for key in fields}
        references = self.references(self.tables(table, "references", "article"))
        seen_sections: set[str] = set()
        seen_passages: set[str] = set()
        sections = []
        for index, entry in enumerate(self.tables(table, "sections", "article")):
            section_id = self.item_id(entry, "section", index, seen_sections)
            item = f"section '{section_id}'"
            self.only(entry, ("id", "heading", "editorial_heading", "passages"), item)
            editorial = self.flag(entry, "editorial_heading", item)
            passages = []
            for p_index, p_entry in enumerate(self.tables(entry, "passages", item)):
                passage_id = self.item_id(p_entry, "passage", p_index, seen_passages)
                p_item = f"passage '{passage_id}'"
                self.only(p_entry, ("id", "text"), p_item)
                text = " ".join(self.text(p_entry, "text", p_item).split())
                for number in footnote_numbers(text):
                    if number not in references:
                        raise self.fail(p_item, f"footnote [{number}] has no reference {number}")
                self.sentences[passage_id] = [s.text for s in split_sentences(text)]
                self.passage_order.append(passage_id)
                passages.append(Passage(passage_id, text))
            if not passages:
                raise self.fail(item, "has no passages")
            sections.append(
                Section(section_id, self.text(entry, "heading", item), editorial, tuple(passages))
            )
        if not sections:
            raise self.fail("article", "has no sections")
        return Article(sections=tuple(sections), references=tuple(references.values()), **values)

    def references(self, entries: list[dict[str, Any]]) -> dict[int, Reference]:
        references: dict[int, Reference] = {}
        for index, entry in enumerate(entries):
            item = f"reference #{index + 1}"
            self.only(entry, ("number", "text", "no_text"), item)
            number = self.take(entry, "number", int, item)
            if number != index + 1:
                raise self.fail(item, f"number is {number}; references are numbered 1, 2, 3 …")
            if entry.get("no_text") is True:
                if "text" in entry:
                    raise self.fail(item, "has both 'text' and 'no_text = true'")
                references[number] = Reference(number, None)
            else:
                if "no_text" in entry:
                    raise self.fail(item, "field 'no_text' may only be true")
                references[number] = Reference(number, self.text(entry, "text", item))
        return references

    def source(self, table: dict[str, Any], item: str) -> SourceRef:
        quote = " ".join(self.text(table, "quote", item).split())
        for passage_id in self.passage_order:
            sentences = self.sentences[passage_id]
            if quote in sentences:
                return SourceRef(passage_id, sentences.index(quote), quote)
        if any(
            quote in sentence for sentences in self.sentences.values() for sentence in sentences
        ):
            raise self.fail(item, f"quote is part of a sentence, not a whole one: {quote!r}")
        if any(quote in " ".join(sentences) for sentences in self.sentences.values()):
            raise self.fail(item, f"quote spans more than one sentence: {quote!r}")
        raise self.fail(item, f"quote not found verbatim in the article: {quote!r}")

    def date(self, table: dict[str, Any], key: str, item: str) -> HistoricalDate:
        try:
            return HistoricalDate.parse(self.text(table, key, item))
        except ValueError as error:
            raise self.fail(item, f"bad date in '{key}': {error}") from error

    def point(self, table: dict[str, Any], index: int, seen: set[str]) -> Event:
        event_id = self.item_id(table, "event", index, seen)
        item = f"event '{event_id}'"
        self.only(table, ("id", "date", "date_text", "title", "description", "quote"), item)
        date = self.date(table, "date", item)
        date_text = self.text(table, "date_text", item)
        try:
            written = parse_written_date(date_text)
        except ValueError as error:
            raise self.fail(item, f"bad date in 'date_text': {error}") from error
        if written != date:
            raise self.fail(item, f"date_text {date_text!r} does not match date {date.iso()!r}")
        source = self.source(table, item)
        if date_text not in source.quote:
            raise self.fail(item, f"date_text {date_text!r} does not occur in its quote")
        return Event(
            event_id,
            date,
            None,
            date_text,
            self.text(table, "title", item),
            self.text(table, "description", item),
            source,
        )

    def period(self, table: dict[str, Any], index: int, seen: set[str]) -> Event:
        """A span with the dates its sentence states: an end, or `open_end = true` where the
        source states none; dates from other sentences only when `derived = true`."""
        period_id = self.item_id(table, "period", index, seen)
        item = f"period '{period_id}'"
        fields = ("id", "start", "end", "open_end", "derived", "derivation", "date_text")
        self.only(table, (*fields, "title", "description", "quote"), item)
        start = self.date(table, "start", item)
        open_end = self.flag(table, "open_end", item)
        if open_end == ("end" in table):
            raise self.fail(
                item, "needs either 'end' or 'open_end = true' (the source states no end)"
            )
        end = None if open_end else self.date(table, "end", item)
        if end is not None and end.last_day() < start.first_day():
            raise self.fail(item, f"ends ({end.iso()}) before it starts ({start.iso()})")
        source = self.source(table, item)
        derivation = None
        if self.flag(table, "derived", item):
            derivation = self.text(table, "derivation", item)
        elif "derivation" in table:
            raise self.fail(item, "has a 'derivation' but is not 'derived = true'")
        for date in (start, end):
            if derivation is None and date is not None and date.long_label() not in source.quote:
                raise self.fail(
                    item,
                    f"date {date.long_label()!r} is not in its quote; a period whose dates are "
                    "not all stated in its sentence must be 'derived = true', with its "
                    "'derivation'",
                )
        return Event(
            period_id,
            start,
            end,
            self.text(table, "date_text", item),
            self.text(table, "title", item),
            self.text(table, "description", item),
            source,
            open_end=open_end,
            derivation=derivation,
        )

    def flag(self, table: dict[str, Any], key: str, item: str) -> bool:
        """An optional true/false field (false when absent)."""
        value = table.get(key, False)
        if not isinstance(value, bool):
            raise self.fail(item, f"field '{key}' must be true or false")
        return value

    def card(
        self, table: dict[str, Any], index: int, seen: set[str], events: dict[str, Event]
    ) -> Card:
        card_id = self.item_id(table, "card", index, seen)
        item = f"card '{card_id}'"
        kind_text = self.text(table, "kind", item)
        try:
            kind = CardKind(kind_text)
        except ValueError:
            kinds = ", ".join(kind.value for kind in CardKind)
            raise self.fail(item, f"kind {kind_text!r} is not one of: {kinds}") from None
        common = ("id", "kind", "quote", "events", "allow")
        if kind is CardKind.CLOZE:
            allowed: tuple[str, ...] = (*common, "text")
        elif kind is CardKind.CHRONOLOGY:
            allowed = (*common, "front", "back", "earliest")
        else:
            allowed = (*common, "front", "back")
        self.only(table, allowed, item)
        source = self.source(table, item)
        event_ids = tuple(self.take(table, "events", list, item) if "events" in table else ())
        if not all(isinstance(event_id, str) for event_id in event_ids):
            raise self.fail(item, "field 'events' must be a list of event ids")
        for event_id in event_ids:
            if event_id not in events:
                raise self.fail(item, f"names event '{event_id}', which the dataset does not have")
        cloze = None
        if kind is CardKind.CLOZE:
            cloze = " ".join(self.text(table, "text", item).split())
            try:
                front, back = cloze_sides(cloze, source.quote)
            except ValueError as error:
                raise self.fail(item, str(error)) from None
        else:
            front = self.text(table, "front", item)
            back = self.text(table, "back", item)
        if kind is CardKind.CHRONOLOGY:
            self.check_chronology(table, item, [events[event_id] for event_id in event_ids])
        self.allowed[card_id] = self.allow(table, item)
        return Card(card_id, kind, front, back, cloze, source, event_ids)

    def check_chronology(self, table: dict[str, Any], item: str, events: list[Event]) -> None:
        if len({event.id for event in events}) != len(events):
            raise self.fail(item, "a chronology card names the same event twice")
        if len(events) < 2:
            raise self.fail(item, "a chronology card must name at least two events")
        earliest_id = self.text(table, "earliest", item)
        earliest = next((event for event in events if event.id == earliest_id), None)
        if earliest is None:
            raise self.fail(item, f"'earliest' is '{earliest_id}', which is not among its events")
        for other in events:
            if other is not earliest and not earliest.start.certainly_before(other.start):
                raise self.fail(
                    item, f"event '{earliest_id}' is not certainly earlier than '{other.id}'"
                )

    def allow(self, table: dict[str, Any], item: str) -> dict[str, str]:
        """The card checks a card is exempt from, each with the reason."""
        if "allow" not in table:
            return {}
        allowed = self.take(table, "allow", dict, item)
        for check, reason in allowed.items():
            if check not in CHECKS:
                raise self.fail(
                    item, f"'allow' names check '{check}' (checks: {', '.join(CHECKS)})"
                )
            if not isinstance(reason, str) or not reason.strip():
                raise self.fail(item, f"'allow.{check}' must give the reason as text")
        return dict(allowed)

    def check_cards(self, cards: list[Card]) -> None:
        """Each card asks one thing and no question gives an answer away (card_checks.py);
        an exemption in 'allow' must still be needed, so none outlives its reason."""
        used: set[tuple[str, str]] = set()
        for problem in card_problems(cards):
            if problem.check in self.allowed[problem.card_id]:
                used.add((problem.card_id, problem.check))
            else:
                raise self.fail(f"card '{problem.card_id}'", f"{problem.reason} ({problem.check})")
        for card in cards:
            for check in self.allowed[card.id]:
                if (card.id, check) not in used:
                    raise self.fail(
                        f"card '{card.id}'", f"allows '{check}', but that check finds nothing"
                    )

    def check_reading_order(self, cards: list[Card]) -> None:
        position = {passage_id: i for i, passage_id in enumerate(self.passage_order)}
        previous: tuple[int, int] = (-1, -1)
        for card in cards:
            here = (position[card.source.passage_id], card.source.sentence_index)
            if here < previous:
                raise self.fail(
                    f"card '{card.id}'", "is out of reading order: its sentence comes earlier"
                )
            previous = here


def _kind_name(kind: type) -> str:
    return {str: "text", int: "an integer", list: "a list", dict: "a table"}.get(
        kind, kind.__name__
    )
