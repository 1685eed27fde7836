"""Study settings kept in the collection: daily limits, desired retention, day start hour."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from sqlalchemy.orm import Session

from studyapp.storage.settings import get_setting, set_setting

STUDY_SETTINGS_KEY = "study"


@dataclass(frozen=True)
class StudySettings:
    new_per_day: int = 20
    reviews_per_day: int = 200
    desired_retention: float = 0.90
    day_start_hour: int = 4  # the study day ends at this local hour, as in Anki

    def problems(self) -> list[str]:
        """What is out of range, in words; empty when the settings are usable."""
        found = []
        if not 0 <= self.new_per_day <= 9999:
            found.append("new cards per day must be 0 to 9999")
        if not 0 <= self.reviews_per_day <= 99999:
            found.append("reviews per day must be 0 to 99999")
        if not 0.70 <= self.desired_retention <= 0.97:
            found.append("desired retention must be 0.70 to 0.97")
        if not 0 <= self.day_start_hour <= 23:
            found.append("the day start hour must be 0 to 23")
        return found


def load_study_settings(session: Session) -> StudySettings:
    stored: Any = get_setting(session, STUDY_SETTINGS_KEY, {})
    known = {field.name for field in fields(StudySettings)}
    values = {key: value for key, value in dict(stored).items() if key in known}
    settings = StudySettings(**values)
    return settings if not settings.problems() else StudySettings()


def save_study_settings(session: Session, settings: StudySettings) -> None:
    problems = settings.problems()
    if problems:
        raise ValueError("; ".join(problems))
    set_setting(session, STUDY_SETTINGS_KEY, asdict(settings))
