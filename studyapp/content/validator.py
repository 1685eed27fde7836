"""Validating a pack document: every field, every quote, every id, with the item and the field
at fault in each message (its line is found from them: see locate.py)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

from studyapp.content.card_checks import CHECKS, card_problems
from studyapp.content.cloze import cloze_sides
from studyapp.content.dates import HistoricalDate, parse_written_date
from studyapp.content.errors import DatasetError
from studyapp.content.locate import TOP_LEVEL, TableRef
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
from studyapp.content.quotes import QuoteError, find_quote
from studyapp.content.text import footnote_numbers, split_sentences

T = TypeVar("T")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class Validator:
    """Reads a parsed pack document into a Dataset, or raises the first problem found."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.sentences: dict[str, list[str]] = {}  # passage id -> its sentences
        self.passage_order: list[str] = []
        self.allowed: dict[str, dict[str, str]] = {}  # card id -> check -> why it is allowed
        self.card_tables: dict[str, TableRef] = {}  # card id -> its [[cards]] table
        self.at = TableRef(TOP_LEVEL)  # the table being read, to find a problem's line

    def fail(
        self, item: str, reason: str, key: str | None = None, at: TableRef | None = None
    ) -> DatasetError:
        return DatasetError(self.path, item, reason, table=at or self.at, key=key)

    def take(self, table: dict[str, Any], key: str, kind: type[T], item: str) -> T:
        if key not in table:
            raise self.fail(item, f"missing field '{key}'")
        value = table[key]
        if kind is int and isinstance(value, bool):
            raise self.fail(item, f"field '{key}' must be an integer, not {value!r}", key)
        if not isinstance(value, kind):
            raise self.fail(item, f"field '{key}' must be {_kind_name(kind)}, not {value!r}", key)
        if isinstance(value, str) and not value.strip():
            raise self.fail(item, f"field '{key}' is empty", key)
        return value

    def text(self, table: dict[str, Any], key: str, item: str) -> str:
        return self.take(table, key, str, item).strip()

    def optional_text(self, table: dict[str, Any], key: str, item: str) -> str:
        """A text field that may be left out (""), but not given empty."""
        return self.text(table, key, item) if key in table else ""

    def only(self, table: dict[str, Any], allowed: Iterable[str], item: str) -> None:
        unknown = sorted(set(table) - set(allowed))
        if unknown:
            raise self.fail(
                item, f"unknown field '{unknown[0]}' (allowed: {', '.join(allowed)})", unknown[0]
            )

    def tables(
        self, table: dict[str, Any], key: str, item: str, *, optional: bool = False
    ) -> list[dict[str, Any]]:
        if optional and key not in table:
            return []
        value = self.take(table, key, list, item)
        for index, entry in enumerate(value):
            if not isinstance(entry, dict):
                raise self.fail(f"{key}[{index}]", "must be a table", key)
        return value

    def item_id(self, table: dict[str, Any], label: str, index: int, seen: set[str]) -> str:
        item = f"{label} #{index + 1}"
        value = self.text(table, "id", item)
        if not _ID.match(value):
            raise self.fail(
                f"{label} '{value}'", "id must be lowercase letters, digits and '-'", "id"
            )
        if value in seen:
            raise self.fail(f"{label} '{value}'", "duplicate id", "id")
        seen.add(value)
        return value

    # -- the document -------------------------------------------------------------------------

    def dataset(self, document: dict[str, Any]) -> Dataset:
        self.only(document, ("dataset_version", "article", "events", "periods", "cards"), "file")
        version = self.take(document, "dataset_version", int, "file")
        if version < 1:
            raise self.fail(
                "file", f"dataset_version must be 1 or more, not {version}", "dataset_version"
            )
        self.at = TableRef("article")
        article = self.article(self.take(document, "article", dict, "article"))
        seen_events: set[str] = set()
        points = []
        for index, entry in enumerate(self.tables(document, "events", "file", optional=True)):
            self.at = TableRef("events", index)
            points.append(self.point(entry, index, seen_events))
        periods = []
        for index, entry in enumerate(self.tables(document, "periods", "file", optional=True)):
            self.at = TableRef("periods", index)
            periods.append(self.period(entry, index, seen_events))
        events = {event.id: event for event in points + periods}
        seen_cards: set[str] = set()
        cards = []
        self.at = TableRef(TOP_LEVEL)
        for index, entry in enumerate(self.tables(document, "cards", "file")):
            self.at = TableRef("cards", index)
            cards.append(self.card(entry, index, seen_cards, events))
            self.card_tables[cards[-1].id] = self.at
        self.check_reading_order(cards)
        self.check_cards(cards)
        return Dataset(self.path, version, article, tuple(points + periods), tuple(cards))

    def article(self, table: dict[str, Any]) -> Article:
        required = ("id", "title", "source", "licence", "attribution")
        self.only(table, (*required, "title_lt", "sections", "references"), "article")
        values = {key: self.text(table, key, "article") for key in required}
        values["title_lt"] = self.optional_text(table, "title_lt", "article")
        references = self.references(self.tables(table, "references", "article", optional=True))
        seen_sections: set[str] = set()
        seen_passages: set[str] = set()
        sections = []
        passage_number = 0  # passages are numbered through the whole file, as their tables are
        self.at = TableRef("article")
        for index, entry in enumerate(self.tables(table, "sections", "article", optional=True)):
            self.at = TableRef("article.sections", index)
            section_id = self.item_id(entry, "section", index, seen_sections)
            item = f"section '{section_id}'"
            self.only(entry, ("id", "heading", "editorial_heading", "passages"), item)
            editorial = self.flag(entry, "editorial_heading", item)
            heading = self.text(entry, "heading", item)
            passages = []
            for p_index, p_entry in enumerate(self.tables(entry, "passages", item, optional=True)):
                self.at = TableRef("article.sections.passages", passage_number)
                passage_number += 1
                passage_id = self.item_id(p_entry, "passage", p_index, seen_passages)
                p_item = f"passage '{passage_id}'"
                self.only(p_entry, ("id", "text"), p_item)
                text = " ".join(self.text(p_entry, "text", p_item).split())
                for number in footnote_numbers(text):
                    if number not in references:
                        raise self.fail(
                            p_item, f"footnote [{number}] has no reference {number}", "text"
                        )
                self.sentences[passage_id] = [s.text for s in split_sentences(text)]
                self.passage_order.append(passage_id)
                passages.append(Passage(passage_id, text))
            if not passages:
                self.at = TableRef("article.sections", index)
                raise self.fail(
                    item,
                    "has no passages: its paragraphs follow it, each in a "
                    "[[article.sections.passages]] table with an id and a text",
                )
            sections.append(Section(section_id, heading, editorial, tuple(passages)))
        if not sections:
            self.at = TableRef("article")
            raise self.fail(
                "article",
                "has no sections: the article's text follows [article] in "
                "[[article.sections]] tables, each with its [[article.sections.passages]]",
            )
        return Article(sections=tuple(sections), references=tuple(references.values()), **values)

    def references(self, entries: list[dict[str, Any]]) -> dict[int, Reference]:
        references: dict[int, Reference] = {}
        for index, entry in enumerate(entries):
            self.at = TableRef("article.references", index)
            item = f"reference #{index + 1}"
            self.only(entry, ("number", "text", "no_text"), item)
            number = self.take(entry, "number", int, item)
            if number != index + 1:
                raise self.fail(
                    item, f"number is {number}; references are numbered 1, 2, 3 …", "number"
                )
            if entry.get("no_text") is True:
                if "text" in entry:
                    raise self.fail(item, "has both 'text' and 'no_text = true'", "no_text")
                references[number] = Reference(number, None)
            else:
                if "no_text" in entry:
                    raise self.fail(item, "field 'no_text' may only be true", "no_text")
                references[number] = Reference(number, self.text(entry, "text", item))
        return references

    def source(self, table: dict[str, Any], item: str) -> SourceRef:
        quote = " ".join(self.text(table, "quote", item).split())
        try:
            passage_id, sentence_index = find_quote(quote, self.sentences, self.passage_order)
        except QuoteError as error:
            raise self.fail(item, str(error), "quote") from None
        return SourceRef(passage_id, sentence_index, quote)

    def date(self, table: dict[str, Any], key: str, item: str) -> HistoricalDate:
        try:
            return HistoricalDate.parse(self.text(table, key, item))
        except ValueError as error:
            raise self.fail(item, f"bad date in '{key}': {error}", key) from error

    def point(self, table: dict[str, Any], index: int, seen: set[str]) -> Event:
        event_id = self.item_id(table, "event", index, seen)
        item = f"event '{event_id}'"
        self.only(table, ("id", "date", "date_text", "title", "description", "quote"), item)
        date = self.date(table, "date", item)
        date_text = self.text(table, "date_text", item)
        try:
            written = parse_written_date(date_text)
        except ValueError as error:
            raise self.fail(item, f"bad date in 'date_text': {error}", "date_text") from error
        if written != date:
            raise self.fail(
                item, f"date_text {date_text!r} does not match date {date.iso()!r}", "date_text"
            )
        source = self.source(table, item)
        if date_text not in source.quote:
            raise self.fail(
                item, f"date_text {date_text!r} does not occur in its quote", "date_text"
            )
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
                item,
                "needs either 'end' or 'open_end = true' (the source states no end)",
                "end" if "end" in table else "open_end",
            )
        end = None if open_end else self.date(table, "end", item)
        if end is not None and end.last_day() < start.first_day():
            raise self.fail(item, f"ends ({end.iso()}) before it starts ({start.iso()})", "end")
        source = self.source(table, item)
        derivation = None
        if self.flag(table, "derived", item):
            derivation = self.text(table, "derivation", item)
        elif "derivation" in table:
            raise self.fail(item, "has a 'derivation' but is not 'derived = true'", "derivation")
        for date in (start, end):
            if derivation is None and date is not None and date.long_label() not in source.quote:
                raise self.fail(
                    item,
                    f"date {date.long_label()!r} is not in its quote; a period whose dates are "
                    "not all stated in its sentence must be 'derived = true', with its "
                    "'derivation'",
                    "quote",
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
            raise self.fail(item, f"field '{key}' must be true or false", key)
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
            raise self.fail(item, f"kind {kind_text!r} is not one of: {kinds}", "kind") from None
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
            raise self.fail(item, "field 'events' must be a list of event ids", "events")
        for event_id in event_ids:
            if event_id not in events:
                raise self.fail(
                    item, f"names event '{event_id}', which the dataset does not have", "events"
                )
        cloze = None
        if kind is CardKind.CLOZE:
            cloze = " ".join(self.text(table, "text", item).split())
            try:
                front, back = cloze_sides(cloze, source.quote)
            except ValueError as error:
                raise self.fail(item, str(error), "text") from None
        else:
            front = self.text(table, "front", item)
            back = self.text(table, "back", item)
        if kind is CardKind.CHRONOLOGY:
            self.check_chronology(table, item, [events[event_id] for event_id in event_ids])
        self.allowed[card_id] = self.allow(table, item)
        return Card(card_id, kind, front, back, cloze, source, event_ids)

    def check_chronology(self, table: dict[str, Any], item: str, events: list[Event]) -> None:
        if len({event.id for event in events}) != len(events):
            raise self.fail(item, "a chronology card names the same event twice", "events")
        if len(events) < 2:
            raise self.fail(item, "a chronology card must name at least two events", "events")
        earliest_id = self.text(table, "earliest", item)
        earliest = next((event for event in events if event.id == earliest_id), None)
        if earliest is None:
            raise self.fail(
                item, f"'earliest' is '{earliest_id}', which is not among its events", "earliest"
            )
        for other in events:
            if other is not earliest and not earliest.start.certainly_before(other.start):
                raise self.fail(
                    item,
                    f"event '{earliest_id}' is not certainly earlier than '{other.id}'",
                    "earliest",
                )

    def allow(self, table: dict[str, Any], item: str) -> dict[str, str]:
        """The card checks a card is exempt from, each with the reason."""
        if "allow" not in table:
            return {}
        allowed = self.take(table, "allow", dict, item)
        for check, reason in allowed.items():
            if check not in CHECKS:
                raise self.fail(
                    item, f"'allow' names check '{check}' (checks: {', '.join(CHECKS)})", "allow"
                )
            if not isinstance(reason, str) or not reason.strip():
                raise self.fail(item, f"'allow.{check}' must give the reason as text", "allow")
        return dict(allowed)

    def check_cards(self, cards: list[Card]) -> None:
        """Each card asks one thing and no question gives an answer away (card_checks.py);
        an exemption in 'allow' must still be needed, so none outlives its reason."""
        used: set[tuple[str, str]] = set()
        for problem in card_problems(cards):
            if problem.check in self.allowed[problem.card_id]:
                used.add((problem.card_id, problem.check))
            else:
                card = next(card for card in cards if card.id == problem.card_id)
                raise self.fail(
                    f"card '{problem.card_id}'",
                    f"{problem.reason} ({problem.check}); reword it, or say in its 'allow' "
                    f"table why the check is wrong about it",
                    "text" if card.kind is CardKind.CLOZE else "front",
                    self.card_tables[problem.card_id],
                )
        for card in cards:
            for check in self.allowed[card.id]:
                if (card.id, check) not in used:
                    raise self.fail(
                        f"card '{card.id}'",
                        f"allows '{check}', but that check finds nothing",
                        "allow",
                        self.card_tables[card.id],
                    )

    def check_reading_order(self, cards: list[Card]) -> None:
        position = {passage_id: i for i, passage_id in enumerate(self.passage_order)}
        previous: tuple[int, int] = (-1, -1)
        for card in cards:
            here = (position[card.source.passage_id], card.source.sentence_index)
            if here < previous:
                raise self.fail(
                    f"card '{card.id}'",
                    "is out of reading order: its sentence comes earlier",
                    "quote",
                    self.card_tables[card.id],
                )
            previous = here


def _kind_name(kind: type) -> str:
    return {str: "text", int: "an integer", list: "a list", dict: "a table"}.get(
        kind, kind.__name__
    )
