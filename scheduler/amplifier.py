"""Amplifier control: an optional command run before a session and another after it (USB or
serial relays that power the loudspeaker amplifiers). Failures are reported, never fatal."""

from __future__ import annotations

import logging
import os
import shlex
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)

_NO_WINDOW = getattr(subprocess, "CREATE_NO_WINDOW", 0) if sys.platform == "win32" else 0
TIMEOUT_S = 15.0

Runner = Callable[[list[str]], tuple[int, str]]


def run_command(argv: list[str]) -> tuple[int, str]:
    """Runs a command without a console window; returns (exit code, last line of output)."""
    try:
        proc = subprocess.run(argv, capture_output=True, timeout=TIMEOUT_S, check=False,
                              creationflags=_NO_WINDOW, stdin=subprocess.DEVNULL)
    except FileNotFoundError:
        return 127, f"not found: {argv[0]}"
    except subprocess.TimeoutExpired:
        return 124, f"no answer after {TIMEOUT_S:.0f} s"
    except OSError as exc:
        return 126, exc.strerror or str(exc)
    output = (proc.stderr or proc.stdout).decode("utf-8", "replace").strip().splitlines()
    return proc.returncode, output[-1] if output else ""


@dataclass
class Amplifier:
    """``on_command`` runs ``lead_s`` seconds before a session; ``off_command`` runs
    ``off_delay_s`` seconds after the last sound when no session follows soon."""

    on_command: str = ""
    off_command: str = ""
    lead_s: float = 10.0
    off_delay_s: float = 30.0
    runner: Runner = run_command
    is_on: bool = False

    @property
    def configured(self) -> bool:
        return bool(self.on_command.strip() or self.off_command.strip())

    def _run(self, command: str) -> str | None:
        """None when it worked, else the reason."""
        if not command.strip():
            return None
        try:
            argv = shlex.split(command, posix=os.name != "nt")
        except ValueError as exc:
            return f"bad command: {exc}"
        if not argv:
            return None
        code, output = self.runner(argv)
        if code != 0:
            return f"exit {code}: {output}" if output else f"exit {code}"
        return None

    def switch_on(self) -> str | None:
        if self.is_on:
            return None
        failure = self._run(self.on_command)
        self.is_on = True  # assume on even when the relay failed: the session still plays
        return failure

    def switch_off(self) -> str | None:
        if not self.is_on:
            return None
        self.is_on = False
        return self._run(self.off_command)
