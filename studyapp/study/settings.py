"""Study settings kept in the collection: daily limits, desired retention, day start hour, and
the FSRS parameters fitted to the learner's own reviews (empty: FSRS's defaults).

The value and its checks are in settings_values.py (no SQLAlchemy, for the first screen's
reader); the read is study/queue_reads.py's, the one both paths run."""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy.orm import Session

from studyapp.storage.engine import core_rows
from studyapp.storage.settings import set_setting
from studyapp.study.queue_reads import study_settings
from studyapp.study.settings_values import (
    PARAMETER_BOUNDS,
    STUDY_SETTINGS_KEY,
    StudySettings,
    parameter_problems,
)

__all__ = [
    "PARAMETER_BOUNDS",
    "STUDY_SETTINGS_KEY",
    "StudySettings",
    "load_study_settings",
    "parameter_problems",
    "save_study_settings",
]


def load_study_settings(session: Session) -> StudySettings:
    """The stored settings (as saved in this session so far)."""
    session.flush()  # the read below runs as SQL on the session's connection
    return study_settings(core_rows(session.connection()))


def save_study_settings(session: Session, settings: StudySettings) -> None:
    problems = settings.problems()
    if problems:
        raise ValueError("; ".join(problems))
    set_setting(session, STUDY_SETTINGS_KEY, asdict(settings))
