"""Injectable time. The engine never reads the wall clock directly."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """Aware UTC now."""
        ...

    def sleep_until(self, moment: datetime, wake: threading.Event) -> bool:
        """Block until ``moment`` or until ``wake`` is set; True when ``moment`` was reached."""
        ...


class SystemClock:
    """Wall clock. The last stretch before a deadline is slept in small steps, so a session
    starts within a millisecond or two of its second."""

    FINE = 0.05  # seconds before the deadline where coarse waiting stops

    def now(self) -> datetime:
        return datetime.now(UTC)

    def sleep_until(self, moment: datetime, wake: threading.Event) -> bool:
        while True:
            remaining = (moment - self.now()).total_seconds()
            if remaining <= 0:
                return True
            if remaining > self.FINE:
                if wake.wait(min(remaining - self.FINE, 1.0)):
                    return False
            else:
                if wake.is_set():
                    return False
                time.sleep(min(remaining, 0.001))


class FakeClock:
    """A clock for tests: time moves only when someone sleeps or calls advance()."""

    def __init__(self, start: datetime) -> None:
        self._now = start
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += timedelta(seconds=seconds)

    def sleep_until(self, moment: datetime, wake: threading.Event) -> bool:
        if wake.is_set():
            return False
        with self._lock:
            if moment > self._now:
                self._now = moment
        return True
