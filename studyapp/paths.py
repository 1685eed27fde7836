"""The one place that knows where things live: the data dir, the resources, the migrations."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "StudyApp"
APP_ID = "studyapp"  # the .desktop file's name, and the window's desktop file name
DATA_DIR_ENV = "STUDYAPP_DATA_DIR"
DATABASE_NAME = "study.sqlite3"
BACKUP_DIR_NAME = "backups"
LOCK_NAME = "studyapp.lock"  # held while a window (or `--import`) works on the data dir

_PACKAGE = Path(__file__).resolve().parent


def bundled_path(name: str) -> Path:
    """Find a top-level asset folder ("resources" or "migrations").

    In a source checkout it sits beside the package; an installed wheel carries a copy inside
    the package as "_<name>" (see pyproject.toml's force-include).
    """
    for candidate in (_PACKAGE / f"_{name}", _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"StudyApp's {name} folder is missing from {_PACKAGE}")


def source_checkout() -> Path | None:
    """The clone this package runs from (main.py beside it), or None for an installed one."""
    root = _PACKAGE.parent
    return root if (root / "main.py").is_file() and (root / "resources").is_dir() else None


def resources_dir() -> Path:
    return bundled_path("resources")


def migrations_dir() -> Path:
    return bundled_path("migrations")


def dataset_path() -> Path:
    return resources_dir() / "pact.toml"


def default_data_dir() -> Path:
    """The data dir when no --data-dir is given: $STUDYAPP_DATA_DIR, else the user data dir."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    if os.name == "posix" and not os.environ.get("HOME", "").strip():
        raise NoHomeError(
            "Your home folder is not set (HOME is empty), so StudyApp does not know where "
            "to keep your collection. Start it with --data-dir DIR (or set "
            f"{DATA_DIR_ENV})."
        )
    import appdirs  # only needed when no override is given

    return Path(appdirs.user_data_dir(APP_NAME, appauthor=False))


class NoHomeError(Exception):
    """The default data dir cannot be known; str() asks for --data-dir."""


def database_path(data_dir: Path) -> Path:
    return data_dir / DATABASE_NAME


def backup_dir(data_dir: Path) -> Path:
    return data_dir / BACKUP_DIR_NAME
