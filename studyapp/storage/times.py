"""How times are stored: whole microseconds since 1970 UTC. No SQLAlchemy here: the first
screen's reader (collection/first_screen.py) converts with these before SQLAlchemy loads."""

from __future__ import annotations

import datetime as dt

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def to_microseconds(value: dt.datetime) -> int:
    """Whole microseconds since 1970-01-01 UTC: how a time is stored."""
    if value.tzinfo is None:
        raise ValueError(f"refusing to store a naive datetime ({value!r}); use UTC")
    delta = value - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def from_microseconds(value: int) -> dt.datetime:
    return EPOCH + dt.timedelta(microseconds=value)


def maybe_time(value: int | None) -> dt.datetime | None:
    """A stored time column read as raw SQL: None stays None."""
    return None if value is None else from_microseconds(int(value))
