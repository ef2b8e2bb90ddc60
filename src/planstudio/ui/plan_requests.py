"""Plans the desktop asks a running Plan Studio to open: a second double-click, macOS's events.

The first Plan Studio a user starts listens on a local socket named after the user's data
folder. A second one started to open a plan (a .psplan double-clicked in the file manager)
hands the plan's path to the first and exits, so the plan opens in a new window of the
program already running; if nobody listens, it becomes the program that listens. On macOS
the Finder sends an open-document event instead of a command-line argument.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from planstudio.paths import data_dir

# How long a second program waits for the first to answer before it opens the plan itself.
ANSWER_TIMEOUT_MS = 3000
# A request is one short JSON line; anything longer is not from Plan Studio.
MAX_REQUEST_BYTES = 64 * 1024
ACCEPTED = b"ok\n"

OpenPlan = Callable[[Path], object]


def server_name() -> str:
    """One name per data folder: each user (and each PLANSTUDIO_HOME) has its own program."""
    digest = hashlib.sha256(str(data_dir().resolve()).encode("utf-8")).hexdigest()[:16]
    return f"planstudio-{digest}"


def forward_plan(plan: Path) -> bool:
    """Ask the Plan Studio already running to open `plan`; True when it said it would."""
    socket = QLocalSocket()
    socket.connectToServer(server_name())
    if not socket.waitForConnected(ANSWER_TIMEOUT_MS):
        return False
    request = json.dumps({"open": str(plan.absolute())}).encode("utf-8") + b"\n"
    socket.write(request)
    socket.flush()
    answer = b""
    while not answer.endswith(b"\n") and socket.waitForReadyRead(ANSWER_TIMEOUT_MS):
        answer += bytes(socket.readAll().data())
    socket.disconnectFromServer()
    return answer == ACCEPTED


def _requested_plan(request: bytes) -> Path | None:
    """The plan a request names, or None for anything that is not a well-formed request."""
    try:
        message = json.loads(request.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    plan = message.get("open") if isinstance(message, dict) else None
    if not isinstance(plan, str) or not plan or "\0" in plan:
        return None
    return Path(plan)


class PlanRequestServer(QObject):
    """Listens for other Plan Studios' requests and opens each plan with `open_plan`."""

    def __init__(self, open_plan: OpenPlan, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._open_plan = open_plan
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)
        self._buffers: dict[QLocalSocket, bytes] = {}

    def listen(self) -> bool:
        """Start listening, unless another Plan Studio already does for this data folder.

        A socket left behind by a Plan Studio that crashed is replaced. The probe comes
        first because Qt, binding with access options, would take the name over silently.
        """
        name = server_name()
        probe = QLocalSocket()
        probe.connectToServer(name)
        if probe.waitForConnected(500):
            probe.disconnectFromServer()
            return False
        QLocalServer.removeServer(name)
        return self._server.listen(name)

    def close(self) -> None:
        self._server.close()

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            self._buffers[socket] = b""
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(lambda s=socket: self._forget(s))

    def _forget(self, socket: QLocalSocket) -> None:
        self._buffers.pop(socket, None)
        socket.deleteLater()

    def _read(self, socket: QLocalSocket) -> None:
        received = self._buffers.get(socket, b"") + bytes(socket.readAll().data())
        if b"\n" not in received:
            if len(received) > MAX_REQUEST_BYTES:
                socket.abort()
            else:
                self._buffers[socket] = received
            return
        plan = _requested_plan(received.split(b"\n", 1)[0])
        if plan is None:
            socket.abort()
            return
        # Answer first: opening may show a message box, and the other program is waiting.
        socket.write(ACCEPTED)
        socket.flush()
        socket.disconnectFromServer()
        QTimer.singleShot(0, lambda: self._open_plan(plan))


class FileOpenFilter(QObject):
    """macOS: a .psplan opened from the Finder arrives as an event, not as an argument."""

    def __init__(self, open_plan: OpenPlan, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._open_plan = open_plan

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FileOpen and isinstance(event, QFileOpenEvent):
            path = event.file()
            if path:
                self._open_plan(Path(path))
                return True
        return super().eventFilter(watched, event)
