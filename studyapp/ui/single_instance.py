"""One StudyApp per data dir: a lock file, and a local socket to wake the running window."""

from __future__ import annotations

import time
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLockFile, QObject, Signal

from studyapp.paths import LOCK_NAME

if TYPE_CHECKING:  # QtNetwork (and hashlib's OpenSSL) load once the window is up: listen()
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

RAISE_MESSAGE = b"raise\n"
RETRY_MS = 50  # how often a second launch looks again for a server not listening yet
# How long it waits for one that holds the lock but is not listening yet: a cold start (its
# files not in the page cache yet) can take seconds to paint its window and listen.
LISTEN_WAIT_MS = 15_000


def server_name(data_dir: Path) -> str:
    import hashlib

    digest = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:16]
    return f"studyapp-{digest}"


class SingleInstance(QObject):
    """Holds the data dir's lock while the window runs; a second launch asks it to come forward.

    A lock left by a crashed process is stale (its process is gone) and is taken over. The lock
    is taken first; the socket a second launch knocks on is opened by listen(), once the window
    is painted (ui/launch.py), and notify_running() waits for it while the lock stays held.
    """

    raiseRequested = Signal()

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = QLockFile(str(data_dir / LOCK_NAME))
        # 0: never stale by age (a long session must keep its lock); a dead owner is still stale.
        self._lock.setStaleLockTime(0)
        self._data_dir = data_dir
        self._server: QLocalServer | None = None

    def acquire(self) -> bool:
        """Take the lock; False if another StudyApp holds it."""
        return self._lock.tryLock(200)

    def listen(self) -> None:
        """Listen for later launches (once; only while holding the lock)."""
        if self._server is not None or not self._lock.isLocked():
            return
        from PySide6.QtNetwork import QLocalServer

        name = server_name(self._data_dir)
        QLocalServer.removeServer(name)  # a socket file left by a crash
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        server.newConnection.connect(self._on_connection)
        server.listen(name)
        self._server = server

    def notify_running(self, timeout_ms: int = 2000, listen_wait_ms: int = LISTEN_WAIT_MS) -> bool:
        """Ask the running StudyApp to raise its window; True if it answered (each step within
        timeout_ms). One that holds the lock but is not listening yet (its window is still
        coming up) is asked again every RETRY_MS, for up to listen_wait_ms while it holds the
        lock; False at once if it lets go (the caller may take the lock then)."""
        from PySide6.QtNetwork import QLocalSocket

        name = server_name(self._data_dir)
        deadline = time.monotonic() + listen_wait_ms / 1000
        socket = QLocalSocket(self)
        while True:
            socket.connectToServer(name)
            if socket.waitForConnected(timeout_ms):
                break
            not_yet = socket.error() in (
                QLocalSocket.LocalSocketError.ServerNotFoundError,
                QLocalSocket.LocalSocketError.ConnectionRefusedError,
            )
            if not not_yet or time.monotonic() + RETRY_MS / 1000 >= deadline:
                return False
            if not self._held_elsewhere():
                return False
            socket.abort()
            time.sleep(RETRY_MS / 1000)
        socket.write(RAISE_MESSAGE)
        sent = socket.waitForBytesWritten(timeout_ms)
        socket.disconnectFromServer()
        return sent

    def _held_elsewhere(self) -> bool:
        """Another process holds the lock (its file names a process id)."""
        pid, _host, _app = self._lock.getLockInfo()
        return bool(pid) and not self._lock.isLocked()

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        self._lock.unlock()

    def _on_connection(self) -> None:
        assert self._server is not None
        while self._server.hasPendingConnections():
            connection = self._server.nextPendingConnection()
            # The server owns its connections; they go with it (no deleteLater races).
            connection.readyRead.connect(partial(self._read, connection))

    def _read(self, connection: QLocalSocket) -> None:
        message = bytes(connection.readAll().data())
        connection.close()
        if message.startswith(RAISE_MESSAGE.strip()):
            self.raiseRequested.emit()
