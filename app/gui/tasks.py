"""Long work off the GUI thread: run a function on a pool, get progress and the result back on
the GUI thread through signals. The function never touches widgets."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from app.i18n import error_text, tr
from media.errors import Cancelled, LoaxaError

log = logging.getLogger(__name__)


class _Signals(QObject):
    progress = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()


class Task(QRunnable):
    """``work(progress, should_stop)`` runs on the pool; its return value or error comes back
    as a signal."""

    def __init__(self, work: Callable[[Callable[[int, int], None], Callable[[], bool]], Any],
                 label: str = "") -> None:
        super().__init__()
        self.work = work
        self.label = label  # what the window's progress bar says while it runs
        self.signals = _Signals()
        self.stop_event = threading.Event()
        self.setAutoDelete(False)

    def cancel(self) -> None:
        self.stop_event.set()

    def run(self) -> None:
        from app.gui.latency import lower_this_thread

        lower_this_thread()
        try:
            result = self.work(self.signals.progress.emit, self.stop_event.is_set)
        except Cancelled:
            self.signals.cancelled.emit()
        except LoaxaError as exc:
            self.signals.failed.emit(error_text(exc))
        except Exception as exc:
            log.exception("background work failed")
            self.signals.failed.emit(f"{tr('error')}: {exc}")
        else:
            self.signals.succeeded.emit(result)


class TaskRunner(QObject):
    """One worker thread: renders and exports run one after another, never at once."""

    started = Signal(object)  # a Task, when it is handed to the pool (the window shows it)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.tasks: list[Task] = []

    def start(self, task: Task) -> Task:
        self.tasks.append(task)
        for signal in (task.signals.succeeded, task.signals.failed, task.signals.cancelled):
            signal.connect(lambda *_: self.tasks.remove(task) if task in self.tasks else None)
        self.pool.start(task)
        self.started.emit(task)
        return task

    def busy(self) -> bool:
        return bool(self.tasks)

    def wait(self, msecs: int = -1) -> bool:
        return self.pool.waitForDone(msecs)

    def cancel_all(self) -> None:
        for task in self.tasks:
            task.cancel()
