"""Load and validate a pack file: one clear error naming the file, where in it, the item and the
reason (the checks themselves are in validator.py)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from studyapp.content.errors import DatasetError
from studyapp.content.locate import PackLayout, syntax_place, without_place
from studyapp.content.model import Dataset
from studyapp.content.peek import peek_dataset_version
from studyapp.content.validator import Validator

__all__ = ["MAX_DATASET_BYTES", "DatasetError", "load_dataset", "peek_dataset_version"]

MAX_DATASET_BYTES = 20 * 1024 * 1024  # an article pack is a few hundred kB; refuse a runaway file


def load_dataset(path: Path) -> Dataset:
    """Read and validate a dataset file; raise DatasetError on the first problem found."""
    try:
        size = path.stat().st_size
        if size > MAX_DATASET_BYTES:
            raise DatasetError(
                path,
                "file",
                f"is {size / 1048576:.0f} MB, more than a dataset can be "
                f"({MAX_DATASET_BYTES // 1048576} MB): it is not read",
            )
        raw = path.read_bytes()
    except OSError as error:
        raise DatasetError(path, "file", f"cannot be read: {error.strerror or error}") from error
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DatasetError(path, "file", f"is not UTF-8 text ({error.reason})") from error
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        place = syntax_place(str(error))
        raise DatasetError(
            path,
            "syntax",
            without_place(str(error)),
            line=place.line if place else None,
            column=place.column if place else None,
        ) from error
    except RecursionError:
        raise DatasetError(
            path, "syntax", "arrays or tables are nested too deeply to be a dataset"
        ) from None
    try:
        return Validator(path).dataset(document)
    except DatasetError as error:
        if error.table is not None:
            place = PackLayout(text).place(error.table, error.key)
            if place is not None:
                error.line, error.column = place.line, place.column
        raise
