"""Starting the headless playout process from the window (it outlives the window)."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

log = logging.getLogger(__name__)


def playout_command() -> list[str]:
    if getattr(sys, "frozen", False):
        folder = Path(sys.executable).resolve().parent
        console = folder / ("loaxa-console.exe" if sys.platform == "win32" else "loaxa-console")
        return [str(console), "playout"]
    return [sys.executable, "-m", "app", "playout"]


def start_playout_process() -> subprocess.Popen:
    """Detached: closing or crashing the window never stops a broadcast."""
    kwargs: dict = {"stdin": subprocess.DEVNULL, "stdout": subprocess.DEVNULL,
                    "stderr": subprocess.DEVNULL, "close_fds": True}
    if sys.platform == "win32":
        kwargs["creationflags"] = (subprocess.CREATE_NO_WINDOW
                                   | subprocess.CREATE_NEW_PROCESS_GROUP)
    else:
        kwargs["start_new_session"] = True
    command = playout_command()
    log.info("starting playout: %s", command)
    return subprocess.Popen(command, **kwargs)
