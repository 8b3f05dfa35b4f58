"""Short background checks of a view (a chain check, a count, a connection test, a device
list) on a pool of the view's own, so they never wait behind, or hold up, the long work
(exports, renders) on the window's TaskRunner."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QThreadPool

from app.gui.tasks import Task

Work = Callable[[Callable[[int, int], None], Callable[[], bool]], Any]


class Background(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.pending: list[Task] = []

    def run(self, work: Work, on_success: Callable[[Any], Any],
            on_failure: Callable[[str], Any]) -> Task:
        """``work(progress, should_stop)`` on the pool; its result or error message comes
        back on the GUI thread."""
        task = Task(work)
        self.pending.append(task)

        def finished() -> None:
            if task in self.pending:
                self.pending.remove(task)

        def deliver(call: Callable[[Any], Any], value: Any) -> None:
            finished()
            if shiboken6.isValid(self):  # the view may have been closed meanwhile
                call(value)

        task.signals.succeeded.connect(lambda result: deliver(on_success, result))
        task.signals.failed.connect(lambda message: deliver(on_failure, message))
        task.signals.cancelled.connect(lambda: finished())
        self.pool.start(task)
        return task

    def busy(self) -> bool:
        return bool(self.pending)

    def wait(self, msecs: int = -1) -> bool:
        return self.pool.waitForDone(msecs)

    def cancel_all(self) -> None:
        for task in self.pending:
            task.cancel()
