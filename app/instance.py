"""One playout process per machine: an OS lock on a file in the data folder.

The lock dies with the process (power cut, crash, kill), so a stale lock never blocks.
The holder writes its PID at the start of the file. On Windows the lock covers one byte far
past the PID (``msvcrt.locking`` makes locked bytes unreadable to other processes), so the
window can always read which process holds it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import IO

LOCK_OFFSET = 1 << 30  # the byte locked on Windows: never reached by the PID text


class InstanceLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[bytes] | None = None

    def acquire(self, write_pid: bool = True) -> bool:
        """True when this process now holds the lock; it then writes its PID into the file
        (unless ``write_pid`` is False: a probe)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+b")
        try:
            if sys.platform == "win32":
                import msvcrt

                handle.seek(LOCK_OFFSET)  # locking beyond the end of a file is allowed
                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        self._handle = handle
        if not write_pid:
            return True
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()).encode())
        handle.flush()
        return True

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None


def is_locked(path: Path) -> bool:
    """True when another process holds the lock (the playout engine is running)."""
    probe = InstanceLock(path)
    if probe.acquire(write_pid=False):
        probe.release()
        return False
    return True
