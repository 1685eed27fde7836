"""Shared fixtures: Qt offscreen, and one seeded template database copied per test."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Never let a test touch the user's real data dir.
os.environ.pop("STUDYAPP_DATA_DIR", None)

from studyapp.app import Collection, open_collection
from studyapp.paths import DATABASE_NAME


@pytest.fixture(scope="session")
def template_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir migrated and seeded once per test session."""
    data_dir = tmp_path_factory.mktemp("template") / "data"
    collection = open_collection(data_dir)
    collection.database.close()
    return data_dir


@pytest.fixture
def data_dir(template_data_dir: Path, tmp_path: Path) -> Path:
    """A fresh copy of the seeded template data dir for one test."""
    target = tmp_path / "data"
    target.mkdir()
    shutil.copy2(template_data_dir / DATABASE_NAME, target / DATABASE_NAME)
    return target


@pytest.fixture
def collection(data_dir: Path) -> Iterator[Collection]:
    """The seeded collection opened on a per-test copy."""
    opened = open_collection(data_dir)
    yield opened
    opened.database.close()
