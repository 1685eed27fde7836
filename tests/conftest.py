"""Shared fixtures: Qt offscreen, and one seeded template database copied per test."""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Never let a test touch the user's real data dir.
os.environ.pop("STUDYAPP_DATA_DIR", None)

from studyapp.collection import Collection
from studyapp.paths import DATABASE_NAME


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--crash-kills",
        type=int,
        default=5,
        help="how many times the crash test kills a studying process (the full run is 50)",
    )


@pytest.fixture
def crash_kills(request: pytest.FixtureRequest) -> int:
    return int(request.config.getoption("--crash-kills"))


class NetworkAttempt(AssertionError):
    """StudyApp must never open a network connection."""


@pytest.fixture(scope="session", autouse=True)
def no_network() -> Iterator[list[Any]]:
    """Fail any attempt to connect anywhere but a local (AF_UNIX) socket, for the whole run."""
    attempts: list[Any] = []
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def guarded(real: Any) -> Any:
        def connect(self: socket.socket, address: Any) -> Any:
            if self.family == socket.AF_UNIX:
                return real(self, address)
            attempts.append(address)
            raise NetworkAttempt(f"StudyApp tried to open a network connection to {address!r}")

        return connect

    socket.socket.connect = guarded(real_connect)  # type: ignore[method-assign]
    socket.socket.connect_ex = guarded(real_connect_ex)  # type: ignore[method-assign]
    try:
        yield attempts
    finally:
        socket.socket.connect = real_connect  # type: ignore[method-assign]
        socket.socket.connect_ex = real_connect_ex  # type: ignore[method-assign]
    assert not attempts, f"network connections were attempted: {attempts}"


@pytest.fixture(scope="session")
def template_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir migrated and seeded once per test session."""
    data_dir = tmp_path_factory.mktemp("template") / "data"
    collection = Collection.open(data_dir)
    collection.close()
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
    opened = Collection.open(data_dir)
    yield opened
    opened.close()
