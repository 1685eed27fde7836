"""Time: the real UTC clock, and a clock moved by hand for tests and benchmarks.

Every clock in StudyApp is a `now()` callable returning an aware UTC datetime, injected where
time matters, so day boundaries and due dates can be tested without waiting.
"""

from __future__ import annotations

import datetime as dt


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class FakeClock:
    """A clock that moves only when told to; now() is an aware UTC datetime."""

    def __init__(self, start: dt.datetime | None = None) -> None:
        self.current = start if start is not None else utc_now()

    def now(self) -> dt.datetime:
        return self.current

    def advance(self, delta: dt.timedelta | None = None, **parts: float) -> dt.datetime:
        self.current += delta if delta is not None else dt.timedelta(**parts)
        return self.current

    def set(self, when: dt.datetime) -> None:
        self.current = when
