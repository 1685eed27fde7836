"""Historical dates with an explicit precision: a day, a month or only a year."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

_ISO_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
# English names, fixed: the dataset is English, and Qt switches the process locale at start-up,
# which would change calendar.month_name and strptime's %B.
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_WRITTEN = re.compile(r"^(?:([A-Z][a-z]+) (?:(\d{1,2}), )?)?(\d{4})$")


class Precision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


@dataclass(frozen=True)
class HistoricalDate:
    """A date known to a day, a month or a year; never more precise than its source.

    Not ordered: "1926" and "1926-05" have no order. Sort by first_day() or sort_key().
    """

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> HistoricalDate:
        """Parse "1926", "1926-12" or "1926-09-28"; raise ValueError with the reason."""
        match = _ISO_PARTIAL.match(text.strip())
        if not match:
            raise ValueError(f"{text!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
        year = int(match.group(1))
        if year < 1:
            raise ValueError(f"{text!r} has year {year}; years start at 1")
        month = int(match.group(2)) if match.group(2) else None
        day = int(match.group(3)) if match.group(3) else None
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"{text!r} has month {month}, which is not 1 to 12")
        if month is not None and day is not None:
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                raise ValueError(f"{text!r} has day {day}, but that month has {last} days")
        return cls(year, month, day)

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        return Precision.YEAR

    def iso(self) -> str:
        """The form the dataset and the database store: as precise as known, no more."""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def sort_key(self) -> tuple[dt.date, dt.date]:
        """Earlier start first; of two that start together, the more precise (shorter) first."""
        return (self.first_day(), self.last_day())

    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    def certainly_before(self, other: HistoricalDate) -> bool:
        """Whether every day this date can mean comes before every day `other` can: "1920"
        is not certainly before "1920", nor "December 1926" before "December 5, 1926"."""
        return self.last_day() < other.first_day()

    def last_day(self) -> dt.date:
        """The last day the date could mean: 31 Dec for a year, the month's end for a month."""
        if self.month is None:
            return dt.date(self.year, 12, 31)
        if self.day is None:
            return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return dt.date(self.year, self.month, self.day)

    def long_label(self) -> str:
        """As the article writes dates: "September 28, 1926", "December 1926", "1920"."""
        if self.month is None:
            return str(self.year)
        if self.day is None:
            return f"{MONTHS[self.month - 1]} {self.year}"
        return f"{MONTHS[self.month - 1]} {self.day}, {self.year}"

    def short_label(self) -> str:
        """For a timeline label: "Sep 28, 1926", "Dec 1926", "1920"."""
        if self.month is None:
            return str(self.year)
        month = MONTHS[self.month - 1][:3]
        if self.day is None:
            return f"{month} {self.year}"
        return f"{month} {self.day}, {self.year}"


def parse_written_date(text: str) -> HistoricalDate:
    """Parse a date as an English text writes it: "September 28, 1926", "December 1926", "1920"."""
    cleaned = " ".join(text.split())
    match = _WRITTEN.match(cleaned)
    if not match or (match.group(2) and not match.group(1)):
        raise ValueError(f"{text!r} is not a written date like 'September 28, 1926', '1920'")
    month_name, day, year = match.groups()
    if month_name is None:
        return HistoricalDate.parse(year)
    if month_name not in MONTHS:
        raise ValueError(f"{text!r} is not a written date: {month_name!r} is not a month name")
    month = MONTHS.index(month_name) + 1
    iso = f"{year}-{month:02d}" if day is None else f"{year}-{month:02d}-{int(day):02d}"
    try:
        return HistoricalDate.parse(iso)
    except ValueError as error:
        raise ValueError(f"{text!r} is not a written date: {error}") from error
