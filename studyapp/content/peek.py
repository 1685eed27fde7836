"""The dataset file's version, read without loading (or importing) the pack loader: a warm
start only needs to know whether the shipped dataset moved on."""

from __future__ import annotations

import re
from pathlib import Path

_VERSION_LINE = re.compile(rb"^dataset_version\s*=\s*(\d+)\s*(?:#.*)?$", re.MULTILINE)


def peek_dataset_version(path: Path) -> int:
    """The dataset_version line's value, without parsing or validating the file (0 if absent).

    Start-up uses it to skip loading the dataset when the database already holds this version;
    the full load (which validates everything) runs whenever the version moves on.
    """
    try:
        match = _VERSION_LINE.search(path.read_bytes())
    except OSError:
        return 0
    return int(match.group(1)) if match else 0
