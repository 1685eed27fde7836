"""The timeline's time axis, free of Qt: which calendar-aligned tick step suits a zoom, the tick
days in a range, and how each tick and the axis's left edge are labelled."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum


class TickUnit(StrEnum):
    DAYS = "days"
    MONTHS = "months"
    YEARS = "years"
    DECADES = "decades"
    CENTURIES = "centuries"


_UNIT_DAYS = {
    TickUnit.DAYS: 1.0,
    TickUnit.MONTHS: 30.44,
    TickUnit.YEARS: 365.25,
    TickUnit.DECADES: 3652.5,
    TickUnit.CENTURIES: 36525.0,
}
_UNIT_YEARS = {TickUnit.YEARS: 1, TickUnit.DECADES: 10, TickUnit.CENTURIES: 100}


@dataclass(frozen=True)
class TickStep:
    unit: TickUnit
    count: int

    @property
    def days(self) -> float:
        return _UNIT_DAYS[self.unit] * self.count


TICK_STEPS = tuple(
    TickStep(unit, count)
    for unit, counts in (
        (TickUnit.DAYS, (1, 2, 5, 10)),
        (TickUnit.MONTHS, (1, 3, 6)),
        (TickUnit.YEARS, (1, 2, 5)),
        (TickUnit.DECADES, (1, 2, 5)),
        (TickUnit.CENTURIES, (1, 2, 5, 10, 20, 50)),
    )
    for count in counts
)


def choose_tick_step(px_per_day: float, min_spacing: Mapping[TickUnit, float]) -> TickStep:
    """The finest step whose ticks stand at least the unit's label spacing apart."""
    for step in TICK_STEPS:
        if step.days * px_per_day >= min_spacing[step.unit]:
            return step
    return TICK_STEPS[-1]


def minor_tick_step(major: TickStep, px_per_day: float, min_px: float = 5.0) -> TickStep | None:
    """Unlabelled ticks one natural unit finer than the major step, if they are not too dense."""
    finer = [
        TickStep(unit, 1)
        for unit in TickUnit
        if _UNIT_DAYS[unit] < major.days and TickStep(unit, 1) != major
    ]
    if not finer:
        return None
    minor = finer[-1]
    return minor if minor.days * px_per_day >= min_px else None


def tick_days(step: TickStep, first: dt.date, last: dt.date) -> Iterator[dt.date]:
    """The tick days of `step` from `first` to `last` inclusive (calendar-aligned)."""
    if step.unit is TickUnit.DAYS:
        year, month = first.year, first.month
        while (year, month) <= (last.year, last.month):
            length = calendar.monthrange(year, month)[1]
            for day in range(1, length - step.count // 2 + 1, step.count):
                tick = dt.date(year, month, day)
                if first <= tick <= last:
                    yield tick
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    elif step.unit is TickUnit.MONTHS:
        year, month = first.year, first.month
        while (year, month) <= (last.year, last.month):
            tick = dt.date(year, month, 1)
            if (month - 1) % step.count == 0 and tick >= first:
                yield tick
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    else:
        every = _UNIT_YEARS[step.unit] * step.count
        year = -(-first.year // every) * every
        if year == first.year and first > dt.date(year, 1, 1):
            year += every
        while year <= last.year and year <= dt.MAXYEAR:
            if year >= dt.MINYEAR:
                yield dt.date(year, 1, 1)
            year += every


def is_boundary_tick(step: TickStep, day: dt.date) -> bool:
    """Ticks that start a new month (day ticks) or year (month ticks) get a bolder label."""
    if step.unit is TickUnit.DAYS:
        return day.day == 1
    if step.unit is TickUnit.MONTHS:
        return day.month == 1
    return False


def tick_label(step: TickStep, day: dt.date) -> str:
    if step.unit is TickUnit.DAYS:
        if day.day == 1:
            return f"{calendar.month_abbr[day.month]} {day.year}"
        return str(day.day)
    if step.unit is TickUnit.MONTHS:
        return str(day.year) if day.month == 1 else calendar.month_abbr[day.month]
    return str(day.year)


def context_label(step: TickStep, day: dt.date) -> str | None:
    """What day or month ticks leave unsaid (month and year, or the year), for the left edge."""
    if step.unit is TickUnit.DAYS:
        return f"{calendar.month_abbr[day.month]} {day.year}"
    if step.unit is TickUnit.MONTHS:
        return str(day.year)
    return None
