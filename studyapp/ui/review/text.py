"""What the review pane shows, as text: card sides, due times, today's figures, readable colours.

Every card string goes through html.escape, so markup in a card shows as written and nothing
(no image, no script, nothing remote) is ever loaded.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtGui import QPalette

from studyapp.content.model import CLOZE_GAP
from studyapp.content.text import SOURCE_GAP, SOURCE_GAP_NOTE
from studyapp.ui.colours import TEXT_CONTRAST_AA, contrast_ratio, mix, readable_hue
from studyapp.ui.plain_text import breakable

if TYPE_CHECKING:
    from studyapp.study.queue_values import DaySummary, StudyCard

CLOZE_PATTERN = re.compile(r"\{\{(.+?)\}\}")
RATING_NAMES = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
# Anki's queue colours as hues (new blue, learning red, due green); lightness is chosen per palette.
QUEUE_HUES = {"new": 217, "learning": 4, "review": 140}

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True)
class CardFace:
    """One side of a card as the pane lays it out (HTML, already escaped)."""

    main: str  # the question, or for a cloze card the sentence (gap open or filled)
    answer: str | None  # shown under a separator line; None: no separator, no answer text
    note: str | None  # the source sentence, quietly under the answer


def escape_text(text: str) -> str:
    """Card text as HTML that shows exactly these characters; line breaks kept, and long
    runs without spaces free to wrap."""
    return html.escape(breakable(text), quote=True).replace("\n", "<br>")


def _emphasised(text: str, colour: str) -> str:
    return f'<b style="color:{colour}">{escape_text(text)}</b>'


def cloze_html(cloze: str, colour: str, *, filled: bool) -> str:
    """The cloze sentence with its gap shown as "[…]" or filled in, emphasised either way."""
    pieces = CLOZE_PATTERN.split(cloze)
    # split() with one group alternates: text, gap, text, gap, ..., text.
    return "".join(
        escape_text(piece)
        if index % 2 == 0
        else _emphasised(piece if filled else CLOZE_GAP, colour)
        for index, piece in enumerate(pieces)
    )


def card_face(card: StudyCard, answer_shown: bool, emphasis: str) -> CardFace:
    """The question side, or the answer side as Anki lays it out for the card's kind."""
    note = escape_text(card.quote) if answer_shown and card.quote.strip() else None
    if note is not None and SOURCE_GAP in card.quote:  # not to be taken for a cloze gap
        note += f"<br>{escape_text(SOURCE_GAP_NOTE)}"
    if card.kind == "cloze" and card.cloze and CLOZE_PATTERN.search(card.cloze):
        # As Anki's cloze template: the same sentence, its gap filled in, no separate answer.
        main = cloze_html(card.cloze, emphasis, filled=answer_shown)
        if note is not None and _same_text(card.quote, CLOZE_PATTERN.sub(r"\1", card.cloze)):
            note = None
        return CardFace(main, None, note)
    if not answer_shown:
        return CardFace(escape_text(card.front), None, None)
    if note is not None and _same_text(card.quote, card.back):
        note = None
    return CardFace(escape_text(card.front), escape_text(card.back), note)


def _same_text(first: str, second: str) -> bool:
    return " ".join(first.split()) == " ".join(second.split())


# -- times and figures -------------------------------------------------------------------------


def clock_text(when: dt.datetime) -> str:
    return f"{when.hour:02d}:{when.minute:02d}"


def _date_text(when: dt.datetime) -> str:
    return f"{_WEEKDAYS[when.weekday()]} {when.day} {_MONTHS[when.month - 1]} {when.year}"


def _count(number: int, unit: str) -> str:
    return f"{number} {unit}" if number == 1 else f"{number} {unit}s"


def when_text(due: dt.datetime, now: dt.datetime, tz: dt.tzinfo | None = None) -> str:
    """When `due` is, relative to `now` and as local time: "in 9 minutes (at 12:09)",
    "tomorrow at 04:00", "on Friday at 04:00 (in 3 days)". tz None: the system's zone."""
    local_due = due.astimezone(tz) if tz is not None else due.astimezone()
    local_now = now.astimezone(tz) if tz is not None else now.astimezone()
    seconds = (due - now).total_seconds()
    at = clock_text(local_due)
    if seconds <= 0:
        return "now"
    if seconds < 60:
        return f"in less than a minute (at {at})"
    if seconds < 3600:
        return f"in {_count(math.ceil(seconds / 60), 'minute')} (at {at})"
    days_apart = (local_due.date() - local_now.date()).days
    hours = _count(max(1, round(seconds / 3600)), "hour")
    if days_apart == 0:
        return f"in {hours} (today at {at})"
    if days_apart == 1:
        return f"tomorrow at {at}" if seconds >= 6 * 3600 else f"in {hours} (tomorrow at {at})"
    if days_apart < 7:
        return f"on {_WEEKDAYS[local_due.weekday()]} at {at} (in {days_apart} days)"
    return f"on {_date_text(local_due)} at {at} (in {days_apart} days)"


def next_due_text(due: dt.datetime | None, now: dt.datetime, tz: dt.tzinfo | None) -> str:
    if due is None:
        return "No cards are scheduled: every card is suspended or retired."
    if due <= now:
        return "More cards are due now."
    return f"The next card is due {when_text(due, now, tz)}."


def duration_text(milliseconds: int) -> str:
    """ "45 s", "4 min 10 s", "1 h 5 min"."""
    seconds = max(0, round(milliseconds / 1000))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds} s" if seconds else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"


def summary_text(summary: DaySummary) -> str:
    """Today's figures: "12 cards · 83% correct · 4 min 10 s"."""
    if summary.reviewed == 0:
        return "No cards studied today."
    parts = [_count(summary.reviewed, "card")]
    if summary.percent_correct is not None:
        parts.append(f"{summary.percent_correct}% correct")
    parts.append(duration_text(summary.milliseconds))
    return " · ".join(parts)


# -- colours -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewColours:
    """The pane's colours, all derived from its palette (CSS names for HTML, QColor for widgets)."""

    emphasis: str  # cloze gaps and filled words
    quiet: str  # secondary text: intervals, the source sentence, the done view's figures
    queues: dict[str, str]  # "new", "learning", "review" -> colour for the counts

    @classmethod
    def from_palette(cls, palette: QPalette) -> ReviewColours:
        base = palette.color(QPalette.ColorRole.Base)
        window = palette.color(QPalette.ColorRole.Window)
        text = palette.color(QPalette.ColorRole.Text)
        link = palette.color(QPalette.ColorRole.Link)
        if contrast_ratio(link, base) < TEXT_CONTRAST_AA:
            link = readable_hue(QUEUE_HUES["new"], base)
        quiet = mix(text, base, 0.4)
        if contrast_ratio(quiet, base) < TEXT_CONTRAST_AA:
            quiet = text
        queues = {name: readable_hue(hue, window).name() for name, hue in QUEUE_HUES.items()}
        return cls(link.name(), quiet.name(), queues)
