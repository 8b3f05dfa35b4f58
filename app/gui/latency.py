"""The GUI thread's share of Python while long work runs on worker threads (issue 6: no
GUI-thread stall over 50 ms).

Two interpreter-wide causes of stalls were measured (docs/benchmarks.md, "The window"):

* Full (generation 2) garbage collections. One runs on whichever thread happens to allocate,
  usually the worker making audio or an export, and holds the GIL while it walks every
  tracked object: ~125,000 objects after start (modules, classes, SQLAlchemy's metadata, Qt
  wrappers), 80–105 ms a time. Those objects live as long as the process, so once the window
  is up they are moved out of the collector's sight (``gc.freeze``): later full collections
  walk only what was made since (6–16 ms during an export). Garbage made later is collected
  as before.
* The GIL hand-over. A thread that gave the GIL up for I/O (every SQLite call of the
  once-a-second poll, every Qt paint through Python) waits for the running thread to let go,
  by default up to 5 ms each time; a poll of a dozen such calls took 50–100 ms while a render
  ran. A 1 ms switch interval shortens each wait to about 1 ms; threads that run alone are not
  interrupted.
"""

from __future__ import annotations

import gc
import sys

SWITCH_INTERVAL_S = 0.001


def tune_interpreter() -> None:
    """At start, before the window: a shorter GIL switch interval."""
    sys.setswitchinterval(SWITCH_INTERVAL_S)


MAX_FREEZES = 8
_freezes = 0


def freeze_long_lived() -> bool:
    """Leaves every object alive now out of later full collections; False once the limit is
    reached. Called once the window is up (the start-up heap), and again after a view was
    first built or a long task ended (modules and data loaded on first use: the audio
    pipeline's, the export's). Before each freeze the young generations are collected, so
    garbage just made is not kept; at most ``MAX_FREEZES`` times in a process, so what a
    long-running window makes later is collected as usual. Frozen objects that lose their
    last reference are still freed at once (reference counting); only reference cycles among
    them wait for the process to end. (No counting here: ``gc.get_freeze_count()`` walks
    every frozen object, tens of milliseconds on the GUI thread.)"""
    global _freezes
    if _freezes >= MAX_FREEZES:
        return False
    _freezes += 1
    gc.collect(1)
    gc.freeze()
    return True


BACKGROUND_NICE = 10  # Linux: added to a worker thread's niceness (19 is the lowest)
_lowered: set[int] = set()


def lower_this_thread() -> None:
    """Called on a worker thread: the operating system runs the GUI thread first when both
    want a processor (two cores, a render, a chain check and a database read at once). Once
    per thread; pool threads only ever do background work. Best effort: never fails."""
    import threading

    ident = threading.get_native_id()
    if ident in _lowered:
        return
    _lowered.add(ident)
    try:
        if sys.platform == "win32":
            import ctypes

            kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
            kernel32.SetThreadPriority(kernel32.GetCurrentThread(), -1)  # BELOW_NORMAL
        elif sys.platform.startswith("linux"):
            import os

            current = os.getpriority(os.PRIO_PROCESS, ident)  # a thread's own id
            os.setpriority(os.PRIO_PROCESS, ident, min(19, current + BACKGROUND_NICE))
    except (OSError, AttributeError):
        pass
