"""StudyApp: read a historical text, see it in time, remember it with spaced repetition."""

__version__ = "0.1.0"
