"""A pack's figures, as `--validate-pack` prints them and Add Content Pack shows them, and the
ids one pack would take from another (ids are shared by every pack of a collection)."""

from __future__ import annotations

from dataclasses import dataclass

from studyapp.content.locate import TableRef
from studyapp.content.model import CardKind, Dataset
from studyapp.content.text import split_sentences


@dataclass(frozen=True)
class PackFigures:
    sections: int
    paragraphs: int
    sentences: int
    references: int
    events: int  # points
    periods: int
    cards: int
    cards_by_kind: tuple[tuple[str, int], ...]  # (kind, count) for every kind, in CardKind order

    def lines(self) -> list[tuple[str, str]]:
        """(name, value) rows, the cards with their kinds: ("cards", "10 (6 basic, 4 cloze)")."""
        kinds = ", ".join(f"{count} {kind}" for kind, count in self.cards_by_kind if count)
        return [
            ("sections", str(self.sections)),
            ("paragraphs", str(self.paragraphs)),
            ("sentences", str(self.sentences)),
            ("references", str(self.references)),
            ("events", str(self.events)),
            ("periods", str(self.periods)),
            ("cards", f"{self.cards} ({kinds})" if kinds else str(self.cards)),
        ]


def pack_figures(dataset: Dataset) -> PackFigures:
    passages = dataset.article.passages()
    return PackFigures(
        sections=len(dataset.article.sections),
        paragraphs=len(passages),
        sentences=sum(len(split_sentences(passage.text)) for passage in passages),
        references=len(dataset.article.references),
        events=len(dataset.points),
        periods=len(dataset.periods),
        cards=len(dataset.cards),
        cards_by_kind=tuple(
            (kind.value, sum(1 for card in dataset.cards if card.kind is kind)) for kind in CardKind
        ),
    )


@dataclass(frozen=True)
class SharedId:
    """An id one pack uses that another uses too, and the table of the file it is in."""

    label: str  # "card 'parties'"
    table: TableRef


def shared_ids(dataset: Dataset, other: Dataset) -> list[SharedId]:
    """The ids `dataset` uses that `other` (another pack) uses for the same kind of item;
    none when both are versions of one pack."""
    if dataset.pack_id == other.pack_id:
        return []
    theirs = _ids(other)
    return [
        SharedId(f"{kind} '{item_id}'", table)
        for kind, item_id, table in _tables(dataset)
        if item_id in theirs[kind]
    ]


def _tables(dataset: Dataset) -> list[tuple[str, str, TableRef]]:
    """(kind, id, its table) for every item with an id, in file order."""
    article = dataset.article
    found = [("article", article.id, TableRef("article"))]
    found += [
        ("section", section.id, TableRef("article.sections", index))
        for index, section in enumerate(article.sections)
    ]
    found += [
        ("passage", passage.id, TableRef("article.sections.passages", index))
        for index, passage in enumerate(article.passages())
    ]
    found += [("event", e.id, TableRef("events", i)) for i, e in enumerate(dataset.points)]
    found += [("event", e.id, TableRef("periods", i)) for i, e in enumerate(dataset.periods)]
    found += [("card", c.id, TableRef("cards", i)) for i, c in enumerate(dataset.cards)]
    return found


def _ids(dataset: Dataset) -> dict[str, set[str]]:
    ids: dict[str, set[str]] = {}
    for kind, item_id, _table in _tables(dataset):
        ids.setdefault(kind, set()).add(item_id)
    return ids
