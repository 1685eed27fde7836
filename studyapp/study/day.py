"""The study day: it ends at a settable local hour (4 AM by default), as in Anki."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class StudyDay:
    start: dt.datetime  # UTC
    end: dt.datetime  # UTC, the next day's start


def study_day(now: dt.datetime, day_start_hour: int, tz: dt.tzinfo | None = None) -> StudyDay:
    """The study day containing `now` (aware). tz None means the system's local time zone."""
    local = now.astimezone(tz) if tz is not None else now.astimezone()
    date = local.date()
    if local.hour < day_start_hour:
        date -= dt.timedelta(days=1)
    start = _local_time(date, day_start_hour, tz)
    end = _local_time(date + dt.timedelta(days=1), day_start_hour, tz)
    return StudyDay(start.astimezone(dt.UTC), end.astimezone(dt.UTC))


def _local_time(date: dt.date, hour: int, tz: dt.tzinfo | None) -> dt.datetime:
    naive = dt.datetime.combine(date, dt.time(hour))
    # A naive datetime's astimezone() reads it as system local time, with that day's DST rules.
    return naive.replace(tzinfo=tz) if tz is not None else naive.astimezone()
