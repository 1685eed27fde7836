"""The app never opens a network connection: the session-wide guard in conftest proves it."""

from __future__ import annotations

import socket

import pytest

from tests.conftest import NetworkAttempt


def test_the_guard_refuses_network_connections(no_network: list[object]) -> None:
    before = len(no_network)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock, pytest.raises(NetworkAttempt):
        sock.connect(("127.0.0.1", 9))
    assert len(no_network) == before + 1
    del no_network[before:]  # this attempt was ours, on purpose
