"""What the On-air view needs besides widgets: the output level of the item on air, the
audio device state, who is at the keyboard, and stopping the playout process cleanly.

Why the level meter reads the audio *file*: the playout runs in its own process (so closing
or crashing the window never stops a broadcast), and only that process holds the output
device. The window cannot tap its buffers (there is no channel for samples between the two
processes, and a loopback capture of the output is not portable — WASAPI loopback on
Windows, a monitor source on PulseAudio — and would itself need the device). What the
engine plays is known exactly, though: the log entry on air names the file by its SHA-256
(the store is content-addressed) and says when it started. So the level is computed once
from that file (short windows of RMS and peak, off the GUI thread) and read at the elapsed
position while it plays: the same samples the engine hands to the device, at the second
they sound (within the output latency, some tens of milliseconds).
"""

from __future__ import annotations

import getpass
import logging
import math
import os
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from app.instance import is_locked
from media.audio import decode_pcm
from media.errors import Cancelled, LoaxaError
from media.store import AssetStore

log = logging.getLogger(__name__)

LEVEL_RATE = 16_000  # Hz: enough for a speech meter, a quarter of the memory of 44.1 kHz
LEVEL_WINDOW_S = 0.05  # one meter value per 50 ms (a VU-like ballistic is drawn on top)
FLOOR_DB = -60.0


def to_db(value: float) -> float:
    """A linear level (full scale = 1.0) in dBFS, never below ``FLOOR_DB``."""
    if value <= 0:
        return FLOOR_DB
    return max(FLOOR_DB, 20 * math.log10(value))


@dataclass(frozen=True)
class LevelProfile:
    """RMS and peak of each window of a file, linear (full scale = 1.0)."""

    window_s: float
    rms: np.ndarray
    peak: np.ndarray

    @property
    def duration_s(self) -> float:
        return len(self.rms) * self.window_s

    def level_at(self, elapsed_s: float) -> tuple[float, float] | None:
        """(RMS dBFS, peak dBFS) at ``elapsed_s`` seconds into the file; None outside."""
        index = math.floor(elapsed_s / self.window_s)
        if not 0 <= index < len(self.rms):
            return None
        return to_db(float(self.rms[index])), to_db(float(self.peak[index]))


def level_profile(path: Path, rate: int = LEVEL_RATE, window_s: float = LEVEL_WINDOW_S,
                  should_stop: Callable[[], bool] = lambda: False) -> LevelProfile:
    """Decodes ``path`` (mono, ``rate``) and measures each window; seconds of work for a
    long file, so it runs off the GUI thread. Windows are processed in blocks, so memory is
    the decoded 16-bit audio plus one block (a 30-minute file: about 58 MB)."""
    # ffmpeg straight away: decode_mono_pcm would first read the whole file into memory to
    # look at its header (159 MB for 30 minutes of WAV), and the rate differs anyway
    pcm = decode_pcm(path, rate, 1)
    samples = np.frombuffer(pcm, dtype="<i2")
    size = max(1, round(rate * window_s))
    count = math.ceil(len(samples) / size)
    rms = np.zeros(count, dtype=np.float32)
    peak = np.zeros(count, dtype=np.float32)
    block = 2048  # windows per block
    for first in range(0, count, block):
        if should_stop():
            raise Cancelled()
        last = min(first + block, count)
        chunk = samples[first * size:last * size].astype(np.float32) / 32768.0
        if len(chunk) < (last - first) * size:  # the last window is shorter: pad silence
            chunk = np.concatenate([chunk, np.zeros((last - first) * size - len(chunk),
                                                    dtype=np.float32)])
        frames = chunk.reshape(last - first, size)
        rms[first:last] = np.sqrt(np.mean(frames * frames, axis=1))
        peak[first:last] = np.max(np.abs(frames), axis=1)
    if count and len(samples) % size:  # the RMS of the short last window, unpadded
        tail = samples[(count - 1) * size:].astype(np.float32) / 32768.0
        rms[-1] = float(np.sqrt(np.mean(tail * tail)))
    return LevelProfile(window_s, rms, peak)


def audio_file(store: AssetStore, sha256: str) -> Path | None:
    """The stored file with this SHA-256 (the store names files ``<sha[:2]>/<sha>.<ext>``)."""
    if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
        return None
    folder = store.root / sha256[:2]
    try:
        return next(iter(sorted(folder.glob(f"{sha256}.*"))), None)
    except OSError:
        return None


def default_output_name() -> str | None:
    """The default output device as the engine sees it (miniaudio), or None when the
    machine has none. Enumeration can take a while on Windows: call it off the GUI thread."""
    from scheduler.player import MiniaudioPlayer

    return MiniaudioPlayer().output_name()


def current_user(ctx: Any) -> str:
    """Who is at the keyboard: the signed-in LoaXa user when the context has one (a string
    or an object with ``name``), else the operating-system user."""
    actor = getattr(getattr(ctx, "db", None), "actor", None)  # the logged-in LoaXa user
    user = actor if getattr(actor, "is_user", False) else getattr(ctx, "user", None)
    name = user if isinstance(user, str) else getattr(user, "name", None)
    if isinstance(name, str) and name.strip():
        return name.strip()
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment
        return "?"


# -------------------------------------------------------------------------- playout process


def playout_pid(lock: Path) -> int | None:
    """The PID the playout process wrote at the start of its lock file, when readable (on
    Windows too: the lock covers a byte far past it, see ``app.instance``)."""
    try:
        text = lock.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return int(text) if text.isdigit() else None


def _ask_to_stop(pid: int) -> None:
    """The request the playout process handles by stopping its engine (``loaxa playout``
    installs handlers for SIGTERM/SIGINT/SIGBREAK): the item on air is logged interrupted
    and the occurrence stays on air, so the next start resumes it from that item."""
    if sys.platform != "win32":
        os.kill(pid, signal.SIGTERM)
        return
    # Windows has no SIGTERM for another process (os.kill would TerminateProcess it, with no
    # chance to log). The playout was started in its own process group with a hidden console
    # (CREATE_NEW_PROCESS_GROUP | CREATE_NO_WINDOW): attach to that console and send
    # CTRL_BREAK to its group, which Python delivers to it as SIGBREAK.
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    handler_type = ctypes.WINFUNCTYPE(wintypes.BOOL, wintypes.DWORD)  # type: ignore
    global _IGNORE_BREAK
    if _IGNORE_BREAK is None:  # this process ignores the event it sends (kept alive)
        _IGNORE_BREAK = handler_type(lambda _kind: True)
    kernel32.FreeConsole()  # the window has no console; a console build detaches here
    if not kernel32.AttachConsole(pid):
        raise OSError(ctypes.get_last_error(), "AttachConsole")  # type: ignore[attr-defined]
    try:
        kernel32.SetConsoleCtrlHandler(_IGNORE_BREAK, True)
        if not kernel32.GenerateConsoleCtrlEvent(1, pid):  # 1 = CTRL_BREAK_EVENT
            raise OSError(ctypes.get_last_error(),  # type: ignore[attr-defined]
                          "GenerateConsoleCtrlEvent")
        time.sleep(0.5)  # the event is delivered on a thread of its own; let it arrive
    finally:
        kernel32.FreeConsole()


_IGNORE_BREAK: Any = None


def _force_stop(pid: int) -> None:
    if sys.platform == "win32":
        os.kill(pid, signal.SIGTERM)  # TerminateProcess
    else:
        os.kill(pid, signal.SIGKILL)


def stop_playout(lock: Path, known_pid: int | None = None, timeout_s: float = 20.0,
                 poll_s: float = 0.2) -> bool:
    """Stops the running playout process: asks it to stop and waits for its lock to be
    free; only when it does not stop within ``timeout_s`` is it ended by force (its entry
    on air is then closed as interrupted at the next start). True when it stopped cleanly
    (or was not running). Blocks up to ``timeout_s``: call it off the GUI thread."""
    if not is_locked(lock):
        return True
    pid = playout_pid(lock) or known_pid
    if pid is None:
        raise LoaxaError("air_playout_pid_unknown")
    try:
        _ask_to_stop(pid)
    except ProcessLookupError:
        pass
    except OSError as exc:
        log.warning("could not ask playout %s to stop: %s", pid, exc)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if not is_locked(lock):
            return True
        time.sleep(poll_s)
    log.error("playout %s did not stop within %.0f s: ending it", pid, timeout_s)
    try:
        _force_stop(pid)
    except ProcessLookupError:
        return False
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and is_locked(lock):
        time.sleep(poll_s)
    if is_locked(lock):
        raise LoaxaError("air_playout_wont_stop", pid=pid)
    return False
