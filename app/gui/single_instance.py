"""One window per user: a second ``loaxa`` brings the first window to the front and exits.

Who is first is decided by an OS lock on ``window.lock`` in the data folder (it dies with the
process, so a crash never leaves a stale claim; the same lock as the playout process uses). The
first instance then listens on a local socket (a named pipe on Windows, a socket file on
Linux) whose name is made from the user and the data folder, accessible to this user only; a
later instance connects, says ``show`` and exits 0.
"""

from __future__ import annotations

import getpass
import hashlib
import logging
import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from app.instance import InstanceLock
from app.paths import AppPaths

log = logging.getLogger(__name__)

SHOW = b"show\n"


def server_name(paths: AppPaths) -> str:
    """Per user and per data folder (``LOAXA_HOME`` gives a separate instance)."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment or the password database
        user = "user"
    digest = hashlib.sha256(f"{user}\0{paths.data_dir}".encode()).hexdigest()[:16]
    return f"loaxa-window-{digest}"


class SingleInstance(QObject):
    """``claim()`` True: this is the first window; ``activated`` fires when another start
    asks for it. False: call ``notify_first()`` and exit."""

    activated = Signal()

    def __init__(self, paths: AppPaths, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = server_name(paths)
        self.lock = InstanceLock(paths.data_dir / "window.lock")
        self.server: QLocalServer | None = None
        self._sockets: list[QLocalSocket] = []

    def claim(self) -> bool:
        if not self.lock.acquire():
            return False
        QLocalServer.removeServer(self.name)  # a socket file left by a crash (Unix)
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            # Still the only window (the lock says so); a later start just opens a second one.
            log.warning("single instance: cannot listen on %s: %s", self.name,
                        server.errorString())
        server.newConnection.connect(self._connection)
        self.server = server
        return True

    def _connection(self) -> None:
        assert self.server is not None
        while (socket := self.server.nextPendingConnection()) is not None:
            self._sockets.append(socket)
            socket.readyRead.connect(self._read)

    def _read(self) -> None:
        for socket in list(self._sockets):
            if not socket.bytesAvailable():
                continue
            data = bytes(socket.readAll().data())
            self._sockets.remove(socket)
            socket.readyRead.disconnect(self._read)
            socket.abort()
            socket.deleteLater()
            if data.startswith(SHOW.strip()):
                log.info("another start asked for the window")
                self.activated.emit()

    def notify_first(self, timeout_ms: int = 5000) -> bool:
        """Asks the first window to come to the front; False when it does not answer."""
        if sys.platform == "win32":  # let the first instance take the foreground
            import ctypes

            ctypes.windll.user32.AllowSetForegroundWindow(-1)  # ASFW_ANY
        socket = QLocalSocket()
        for _ in range(max(1, timeout_ms // 250)):  # the first one may still be starting
            socket.connectToServer(self.name)
            if socket.waitForConnected(250):
                break
            socket.abort()
        else:
            return False
        socket.write(SHOW)
        ok = socket.waitForBytesWritten(timeout_ms)
        socket.disconnectFromServer()
        socket.abort()
        return ok

    def release(self) -> None:
        for socket in self._sockets:
            socket.readyRead.disconnect(self._read)
            socket.abort()
        self._sockets.clear()
        if self.server is not None:
            self.server.close()
            self.server = None
        self.lock.release()
