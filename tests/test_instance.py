"""The playout lock: one holder, the holder's PID readable by others, probes write nothing."""

from __future__ import annotations

import subprocess
import sys
import types
from pathlib import Path

import pytest

from app import instance
from app.gui.onair_support import playout_pid
from app.instance import LOCK_OFFSET, InstanceLock, is_locked

HOLD = ("import sys,time\nfrom pathlib import Path\nfrom app.instance import InstanceLock\n"
        "lock=InstanceLock(Path(sys.argv[1]))\nassert lock.acquire()\n"
        "print('held', flush=True)\ntime.sleep(60)\n")


def test_pid_of_another_holder_is_readable_and_probes_leave_it(tmp_path: Path) -> None:
    path = tmp_path / "playout.lock"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        assert is_locked(path)
        assert not InstanceLock(path).acquire()
        assert playout_pid(path) == holder.pid
    finally:
        holder.kill()
        holder.wait()
    assert not is_locked(path)  # the lock died with its process
    assert playout_pid(path) == holder.pid  # the probe wrote nothing


def test_acquire_writes_own_pid_and_release_frees(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "playout.lock"
    lock = InstanceLock(path)
    assert lock.acquire()
    assert path.read_text(encoding="ascii") == str(__import__("os").getpid())
    lock.release()
    assert not is_locked(path)


class _FakeMsvcrt(types.ModuleType):
    """Records where the Windows lock is taken; one holder per (file, offset)."""

    LK_NBLCK = 2

    def __init__(self) -> None:
        super().__init__("msvcrt")
        self.held: dict[tuple[str, int], int] = {}
        self.calls: list[int] = []

    def locking(self, fd: int, mode: int, nbytes: int) -> None:
        import os

        position = os.lseek(fd, 0, os.SEEK_CUR)
        self.calls.append(position)
        key = (os.path.realpath(f"/proc/self/fd/{fd}"), position)
        if key in self.held:
            raise OSError(13, "locked")
        self.held[key] = nbytes


@pytest.mark.skipif(sys.platform == "win32", reason="fakes the Windows module elsewhere")
def test_windows_lock_covers_a_byte_past_the_pid(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    fake = _FakeMsvcrt()
    monkeypatch.setitem(sys.modules, "msvcrt", fake)
    monkeypatch.setattr(instance.sys, "platform", "win32")
    path = tmp_path / "playout.lock"
    lock = InstanceLock(path)
    assert lock.acquire()
    assert fake.calls == [LOCK_OFFSET]
    pid_text = path.read_bytes()
    assert pid_text.decode("ascii").isdigit() and len(pid_text) < LOCK_OFFSET
    assert is_locked(path)  # a second handle finds the byte taken
    assert path.read_bytes() == pid_text  # and did not touch the PID
