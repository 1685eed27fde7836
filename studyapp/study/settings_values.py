"""The study settings as a value, with their checks and their JSON form. No SQLAlchemy and no
fsrs here: the first screen's reader (collection/first_screen.py) builds them before either
is imported (study/queue_reads.py reads them; study/settings.py saves them)."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Any

STUDY_SETTINGS_KEY = "study"

# What py-fsrs accepts for each of the 21 FSRS-6 parameters (it refuses anything else): its
# LOWER_BOUNDS_PARAMETERS and UPPER_BOUNDS_PARAMETERS, written out so that checking settings
# does not import fsrs (tests/study/test_settings.py compares them with py-fsrs's own).
PARAMETER_BOUNDS: tuple[tuple[float, float], ...] = (
    (0.001, 100.0),
    (0.001, 100.0),
    (0.001, 100.0),
    (0.001, 100.0),
    (1.0, 10.0),
    (0.001, 4.0),
    (0.001, 4.0),
    (0.001, 0.75),
    (0.0, 4.5),
    (0.0, 0.8),
    (0.001, 3.5),
    (0.001, 5.0),
    (0.001, 0.25),
    (0.001, 0.9),
    (0.0, 4.0),
    (0.0, 1.0),
    (1.0, 6.0),
    (0.0, 2.0),
    (0.0, 2.0),
    (0.0, 0.8),
    (0.1, 0.8),
)


@dataclass(frozen=True)
class StudySettings:
    new_per_day: int = 20
    reviews_per_day: int = 200
    desired_retention: float = 0.90
    day_start_hour: int = 4  # the study day ends at this local hour, as in Anki
    # Answering a card buries the other cards citing its sentence until the next day (Anki's
    # "bury new siblings" and "bury review siblings").
    bury_new_siblings: bool = True
    bury_review_siblings: bool = True
    # The 21 FSRS-6 parameters fitted by Optimize (study/optimize.py); () means the defaults.
    fsrs_parameters: tuple[float, ...] = ()

    def problems(self) -> list[str]:
        """What is out of range, in words; empty when the settings are usable."""
        found = []
        if not _is_whole(self.new_per_day, 0, 9999):
            found.append("new cards per day must be a whole number from 0 to 9999")
        if not _is_whole(self.reviews_per_day, 0, 99999):
            found.append("reviews per day must be a whole number from 0 to 99999")
        retention: object = self.desired_retention
        if not (
            isinstance(retention, int | float)
            and not isinstance(retention, bool)
            and 0.70 <= retention <= 0.97
        ):
            found.append("desired retention must be 0.70 to 0.97")
        if not _is_whole(self.day_start_hour, 0, 23):
            found.append("the day start hour must be a whole number from 0 to 23")
        for name in ("bury_new_siblings", "bury_review_siblings"):
            if not isinstance(getattr(self, name), bool):
                found.append(f"{name.replace('_', ' ')} must be true or false")
        found += parameter_problems(self.fsrs_parameters)
        return found


def parameter_problems(parameters: object) -> list[str]:
    """Why these FSRS parameters cannot be used (empty: usable, or () for the defaults)."""
    if parameters == ():
        return []
    if not isinstance(parameters, tuple) or len(parameters) != len(PARAMETER_BOUNDS):
        return [f"the FSRS parameters must be {len(PARAMETER_BOUNDS)} numbers"]
    for number, (value, (low, high)) in enumerate(
        zip(parameters, PARAMETER_BOUNDS, strict=True), start=1
    ):
        if not isinstance(value, float) or not math.isfinite(value) or not low <= value <= high:
            return [f"FSRS parameter {number} ({value!r}) must be a number from {low} to {high}"]
    return []


def _is_whole(value: object, low: int, high: int) -> bool:
    # Stored settings are JSON: refuse 2.5, "20" or true rather than fail on them later.
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def settings_from_json(stored: Any) -> StudySettings:
    """The settings a stored JSON value holds; the defaults if it is not usable as a whole."""
    if not isinstance(stored, dict):
        return StudySettings()
    known = {field.name for field in fields(StudySettings)}
    values = {key: value for key, value in stored.items() if key in known}
    if isinstance(values.get("fsrs_parameters"), list):  # JSON has no tuples
        values["fsrs_parameters"] = tuple(
            float(v) if isinstance(v, int) and not isinstance(v, bool) else v
            for v in values["fsrs_parameters"]
        )
    settings = StudySettings(**values)
    return settings if not settings.problems() else StudySettings()
