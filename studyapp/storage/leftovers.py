"""The half-written copies an interrupted backup, restore or upgrade leaves: found and removed
at start-up, before the window shows (so this module imports nothing of the backups' own)."""

from __future__ import annotations

import re
from pathlib import Path

# What an interrupted backup, restore or upgrade copy leaves behind: only these are cleaned.
_SIDE = r"(?:-journal|-wal|-shm)?"
_BACKUP = r"backup-\d{8}-\d{6}(?:-\d+)?"
_COPY = (
    rf"{_BACKUP}|study-before-upgrade-from-\w+-\d{{8}}-\d{{6}}"
    r"|study-before-pack-update-[\w-]+-v\d+-\d{8}-\d{6}"
)
# A copy being taken; an archive being written (and the copy it compresses); one being checked.
LEFTOVER_IN_BACKUPS = re.compile(
    rf"^(?:(?:{_COPY})\.sqlite3\.partial|{_BACKUP}\.zip\.(?:partial|checking)){_SIDE}$"
)
LEFTOVER_IN_DATA_DIR = re.compile(r"^study\.sqlite3\.restoring(?:\.partial)?" + _SIDE + "$")


def clean_leftovers(data_dir: Path) -> list[Path]:
    """Remove the half-written copies an interrupted backup, restore or upgrade left (call only
    while holding the data dir's lock: another StudyApp could be writing them)."""
    removed = []
    for folder, pattern in (
        (data_dir, LEFTOVER_IN_DATA_DIR),
        (data_dir / "backups", LEFTOVER_IN_BACKUPS),
    ):
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            if pattern.match(path.name) and path.is_file():
                try:
                    path.unlink()
                except OSError:
                    continue
                removed.append(path)
    return sorted(removed)
