"""The schedule for the views, loaded again only when it changed, in the background when the
change came from elsewhere."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool
from shiboken6 import isValid

from app.gui.tasks import Task
from scheduler.schedule import Schedule

log = logging.getLogger(__name__)


class ScheduleCache(QObject):
    """The schedule as the pure model, loaded again only when the database's schedule
    revision changed (one cheap query).

    Loading costs tens of milliseconds on a busy commune's database (more on a loaded PC;
    see docs/benchmarks.md, "The Schedule and On-air views"), so when the window reports a
    change made elsewhere (the playout, the command line, another view) it is loaded on a
    worker thread (:meth:`refresh`) and the view redraws when it arrives. After the
    operator's own change in a dialog, :meth:`get` loads it at once."""

    def __init__(self, ctx: Any, pool: QThreadPool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.pool = pool
        self.revision: tuple | None = None
        self.schedule: Schedule | None = None
        self._generation = 0  # counts loads started; an older load never overwrites a newer
        self._task: Task | None = None
        self._again = False

    def _load(self) -> Schedule:
        store = self.ctx.store
        return self.ctx.db.load_schedule(lambda rel: store.path_for(rel).is_file())

    def fresh(self) -> bool:
        """True when the schedule held is the database's current one."""
        return self.schedule is not None and self.ctx.db.schedule_revision() == self.revision

    def get(self) -> Schedule:
        """The current schedule, loaded here and now when it changed."""
        revision = self.ctx.db.schedule_revision()
        if self.schedule is None or revision != self.revision:
            self._generation += 1
            self.schedule, self.revision = self._load(), revision
        return self.schedule

    def refresh(self, done: Callable[[Schedule], None]) -> Task | None:
        """Loads the schedule on the pool when it changed and calls ``done`` with it (on the
        GUI thread); returns None when what is held is current (``done`` is not called)."""
        if self.fresh():
            return None
        if self._task is not None:  # one load at a time; the latest change follows it
            self._again = True
            return self._task
        self._generation += 1
        generation = self._generation
        db = self.ctx.db

        def work(_progress: Callable[[int, int], None], _stop: Callable[[], bool]
                 ) -> tuple[tuple, Schedule]:
            revision = db.schedule_revision()  # taken first: a change meanwhile shows later
            return revision, self._load()

        def loaded(result: tuple[tuple, Schedule]) -> None:
            if not isValid(self):  # the view (its parent) was closed meanwhile
                return
            self._task = None
            if generation == self._generation:
                self.revision, self.schedule = result
                done(result[1])
            if self._again:
                self._again = False
                self.refresh(done)

        def failed(message: str) -> None:
            if not isValid(self):
                return
            self._task = None
            log.warning("loading the schedule failed: %s", message)

        task = Task(work)
        task.signals.succeeded.connect(loaded)
        task.signals.failed.connect(failed)
        self._task = task
        self.pool.start(task)
        return task
