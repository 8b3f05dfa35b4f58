"""Listening to a rendered bulletin on the PC's default output before it goes on air.

This is a preview for the operator, not the broadcast: it uses the same player as playout
(``scheduler.player.MiniaudioPlayer``), on its own thread, opened for the preview and closed
after it. With no output device it says so and plays nothing.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from app.i18n import error_text, tr
from media.errors import LoaxaError
from scheduler.player import MiniaudioPlayer, Player

log = logging.getLogger(__name__)


class PreviewPlayer(QObject):
    """``play(path)`` → ``started(duration_s)``, ``position(seconds)`` while it plays (every
    50 ms), ``finished(message)`` (empty when it played to the end or was stopped)."""

    started = Signal(float)
    position = Signal(float)
    finished = Signal(str)
    _started = Signal(float)
    _finished = Signal(str)

    def __init__(self, parent: QObject | None = None,
                 player_factory: Callable[[], Player] = MiniaudioPlayer) -> None:
        super().__init__(parent)
        self.player_factory = player_factory
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._begun = 0.0
        self.duration_s = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(50)
        self._timer.timeout.connect(self._tick)
        self._started.connect(self._on_started)
        self._finished.connect(self._on_finished)

    @property
    def playing(self) -> bool:
        return self._thread is not None

    def play(self, path: Path) -> None:
        if self._thread is not None:
            return
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(path, self._stop),
                                        name="preview", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def wait(self, timeout_s: float = 10.0) -> None:
        thread = self._thread
        if thread is not None:
            thread.join(timeout_s)

    def _run(self, path: Path, stop: threading.Event) -> None:
        message = ""
        player: Player | None = None
        try:
            player = self.player_factory()
            if player.output_name() is None:
                message = tr("preview_no_device")
                return
            clip = player.load(path)
            if stop.is_set():
                return
            result = player.play(clip, stop,
                                 on_start=lambda: self._started.emit(clip.duration_s))
            if not result.completed and result.reason not in ("", "stopped"):
                message = tr("preview_failed", reason=tr(result.reason))
        except LoaxaError as exc:
            message = error_text(exc)
        except Exception as exc:  # a driver error must not take the window down
            log.exception("preview playback failed")
            message = tr("preview_failed", reason=str(exc))
        finally:
            if player is not None:
                try:
                    player.close()
                except Exception:
                    log.exception("closing the preview output failed")
            self._finished.emit(message)

    def _on_started(self, duration_s: float) -> None:
        self._begun = time.monotonic()
        self.duration_s = duration_s
        self._timer.start()
        self.started.emit(duration_s)

    def _tick(self) -> None:
        self.position.emit(min(time.monotonic() - self._begun, self.duration_s))

    def _on_finished(self, message: str) -> None:
        self._timer.stop()
        if self._thread is not None:
            self._thread.join(1.0)
        self._thread = None
        self.finished.emit(message)


__all__ = ["PreviewPlayer"]
