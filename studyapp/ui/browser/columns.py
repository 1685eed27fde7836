"""The browser's columns: what each shows of a card, in words, and which are shown at first.

Each column's key is the collection's sort key for it (collection/search.py SORT_KEYS), so a
click on a header sorts in SQL by exactly what the column shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from studyapp.collection.sorting import SORT_KEYS
from studyapp.study.scheduling import interval_label
from studyapp.ui.review.keys import FLAG_NAMES

if TYPE_CHECKING:
    from studyapp.collection import BrowserRow

STATE_NAMES = {0: "New", 1: "Learning", 2: "Review", 3: "Relearning"}
KIND_NAMES = {"basic": "Basic", "cloze": "Cloze", "chronology": "Chronology"}
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class Shown:
    """What a cell shows depends on the time and the time zone (due "today 12:10")."""

    def __init__(
        self, now: dt.datetime, tz: dt.tzinfo | None, new_ranks: Callable[[], dict[str, int]]
    ) -> None:
        self.now = now
        self.tz = tz
        self.new_ranks = new_ranks  # a new card's place in the order of new cards
        self._today = self.local(now).date()

    def local(self, when: dt.datetime) -> dt.datetime:
        return when.astimezone(self.tz) if self.tz is not None else when.astimezone()

    def date(self, when: dt.datetime | None) -> str:
        if when is None:
            return ""
        local = self.local(when)
        if local.date() == self._today:
            return f"today {local:%H:%M}"
        return f"{local:%Y-%m-%d}"


@dataclass(frozen=True)
class Column:
    key: str  # the sort key
    title: str
    text: Callable[[BrowserRow, Shown], str]
    alignment: Qt.AlignmentFlag = LEFT
    shown_at_first: bool = False
    width: int = 90  # the default width, in pixels at 96 dpi


def one_line(text: str) -> str:
    return " ".join(text.split())


def state_text(row: BrowserRow, shown: Shown | None = None) -> str:
    if row.deleted:
        return "(deleted)"
    words = [STATE_NAMES.get(row.state, str(row.state))]
    if row.suspended:
        words.append("suspended")
    if row.buried:
        words.append("buried")
    return " · ".join(words)


def due_text(row: BrowserRow, shown: Shown) -> str:
    if row.deleted:
        return ""
    if row.due is None:
        rank = shown.new_ranks().get(row.id)
        text = "New" if rank is None else f"New #{rank}"
    else:
        text = shown.date(row.due)
    return f"({text})" if row.suspended or row.buried else text  # not shown to study, as Anki


def source_text(row: BrowserRow, shown: Shown) -> str:
    """The section first: an article's cards all share its title."""
    if row.article is None and row.section is None:
        return "(no source)"
    return " / ".join(part for part in (row.section, row.article) if part)


def _number(value: float | None, template: str) -> str:
    return "" if value is None else template.format(value)


def origin_text(row: BrowserRow, shown: Shown) -> str:
    if row.mine:
        return "Mine"
    return "Pack (edited)" if row.edited else "Pack"


COLUMNS: tuple[Column, ...] = (
    Column(
        "question", "Question", lambda r, s: one_line(r.question), shown_at_first=True, width=215
    ),
    Column("answer", "Answer", lambda r, s: one_line(r.answer), shown_at_first=True, width=150),
    Column("kind", "Kind", lambda r, s: KIND_NAMES.get(r.kind, r.kind)),
    Column("source", "Section / Article", source_text, shown_at_first=True, width=110),
    Column("state", "State", state_text, shown_at_first=True, width=75),
    Column("due", "Due", due_text, shown_at_first=True, width=95),
    Column(
        "interval",
        "Interval",
        lambda r, s: "" if r.interval is None else interval_label(r.interval),
        RIGHT,
        shown_at_first=True,
        width=55,
    ),
    Column("stability", "Stability", lambda r, s: _number(r.stability, "{:.1f} d"), RIGHT),
    Column("difficulty", "Difficulty", lambda r, s: _number(r.difficulty, "{:.1f}"), RIGHT),
    Column(
        "retrievability",
        "Retrievability",
        lambda r, s: _number(r.retrievability, "{:.0%}"),
        RIGHT,
        shown_at_first=True,
        width=90,
    ),
    Column("reviews", "Reviews", lambda r, s: str(r.reviews), RIGHT, shown_at_first=True, width=60),
    Column("lapses", "Lapses", lambda r, s: str(r.lapses), RIGHT, width=60),
    Column("last_review", "Last Review", lambda r, s: s.date(r.last_review), width=95),
    Column("flag", "Flag", lambda r, s: FLAG_NAMES.get(r.flag, ""), width=60),
    Column("origin", "Origin", origin_text, width=80),
)
assert tuple(column.key for column in COLUMNS) == SORT_KEYS, "a column per sort key, in order"
BY_KEY = {column.key: column for column in COLUMNS}
