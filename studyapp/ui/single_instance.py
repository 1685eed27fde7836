"""One StudyApp per data dir: a lock file, and a local socket to wake the running window."""

from __future__ import annotations

import hashlib
from functools import partial
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from studyapp.paths import LOCK_NAME

RAISE_MESSAGE = b"raise\n"


def server_name(data_dir: Path) -> str:
    digest = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:16]
    return f"studyapp-{digest}"


class SingleInstance(QObject):
    """Holds the data dir's lock while the window runs; a second launch asks it to come forward.

    A lock left by a crashed process is stale (its process is gone) and is taken over.
    """

    raiseRequested = Signal()

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = QLockFile(str(data_dir / LOCK_NAME))
        # 0: never stale by age (a long session must keep its lock); a dead owner is still stale.
        self._lock.setStaleLockTime(0)
        self._name = server_name(data_dir)
        self._server: QLocalServer | None = None

    def acquire(self) -> bool:
        """Take the lock and listen for later launches; False if another StudyApp holds it."""
        if not self._lock.tryLock(200):
            return False
        QLocalServer.removeServer(self._name)  # a socket file left by a crash
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        server.newConnection.connect(self._on_connection)
        server.listen(self._name)
        self._server = server
        return True

    def notify_running(self, timeout_ms: int = 2000) -> bool:
        """Ask the running StudyApp to raise its window; True if it answered."""
        socket = QLocalSocket(self)
        socket.connectToServer(self._name)
        if not socket.waitForConnected(timeout_ms):
            return False
        socket.write(RAISE_MESSAGE)
        sent = socket.waitForBytesWritten(timeout_ms)
        socket.disconnectFromServer()
        return sent

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
