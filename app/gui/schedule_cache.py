"""The schedule for the views, loaded again only when it changed."""

from __future__ import annotations

from typing import Any

from scheduler.schedule import Schedule


class ScheduleCache:
    """The schedule as the pure model, loaded again only when the database's schedule
    revision changed (one cheap query). Loading it costs tens of milliseconds on a busy
    commune's database, while the window reloads the views at every log write."""

    def __init__(self, ctx: Any) -> None:
        self.ctx = ctx
        self.revision: tuple | None = None
        self.schedule: Schedule | None = None

    def get(self) -> Schedule:
        revision = self.ctx.db.schedule_revision()
        if self.schedule is None or revision != self.revision:
            store = self.ctx.store
            self.schedule = self.ctx.db.load_schedule(lambda rel: store.path_for(rel).is_file())
            self.revision = revision
        return self.schedule
