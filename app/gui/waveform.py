"""The waveform of a rendered bulletin and the preview position on it.

Peaks are computed off the GUI thread from the decoded audio (``media.peaks``) and kept per
audio sha256: in memory for the session, and as a small ``.npy`` file in the cache folder, so
a bulletin's picture is decoded once.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtCore import QLineF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from media.peaks import DEFAULT_BUCKETS, audio_peaks

_MEMORY_LIMIT = 64


class PeakCache:
    """Peaks by audio sha256: memory (the last 64) and ``folder/<sha256>.npy``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._memory: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def cached(self, sha256: str) -> np.ndarray | None:
        with self._lock:
            if sha256 in self._memory:
                self._memory.move_to_end(sha256)
                return self._memory[sha256]
        path = self.folder / f"{sha256}.npy"
        try:
            peaks = np.load(path, allow_pickle=False)
        except (OSError, ValueError):
            return None
        if peaks.ndim != 1 or peaks.dtype != np.float32:
            return None
        self._remember(sha256, peaks)
        return peaks

    def _remember(self, sha256: str, peaks: np.ndarray) -> None:
        with self._lock:
            self._memory[sha256] = peaks
            while len(self._memory) > _MEMORY_LIMIT:
                self._memory.popitem(last=False)

    def peaks(self, sha256: str, path: Path,
              should_stop: Callable[[], bool] | None = None) -> np.ndarray:
        """Cached peaks, or decoded from ``path`` and stored (a cache that cannot be written
        is only a slower next time)."""
        peaks = self.cached(sha256)
        if peaks is not None:
            return peaks
        peaks = audio_peaks(path, DEFAULT_BUCKETS, should_stop)
        self._remember(sha256, peaks)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(suffix=".npy", dir=self.folder)
            with os.fdopen(fd, "wb") as out:
                np.save(out, peaks, allow_pickle=False)
            os.replace(tmp, self.folder / f"{sha256}.npy")
        except OSError:
            pass
        return peaks


class WaveformWidget(QWidget):
    """Peaks drawn mirrored around the middle, the played part in the highlight colour and a
    cursor at the preview position. Sizes follow the font, so it scales with Windows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.peaks: np.ndarray = np.zeros(0, dtype=np.float32)
        self.position = 0.0  # 0 … 1 of the duration
        self.message = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def sizeHint(self) -> QSize:
        line = self.fontMetrics().height()
        return QSize(line * 20, line * 4)

    def minimumSizeHint(self) -> QSize:
        line = self.fontMetrics().height()
        return QSize(line * 6, line * 4)

    def set_peaks(self, peaks: np.ndarray) -> None:
        self.peaks, self.position, self.message = peaks, 0.0, ""
        self.update()

    def clear(self, message: str = "") -> None:
        self.peaks, self.position, self.message = np.zeros(0, dtype=np.float32), 0.0, message
        self.update()

    def set_position(self, fraction: float) -> None:
        self.position = min(max(fraction, 0.0), 1.0)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        palette = self.palette()
        rect = QRectF(self.rect())
        painter.fillRect(rect, palette.color(QPalette.ColorRole.Base))
        if not self.peaks.size:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.message)
            painter.end()
            return
        width, middle = rect.width(), rect.height() / 2
        columns = max(1, int(width))
        # one vertical line per pixel column: the loudest peak falling in it
        edges = np.linspace(0, self.peaks.size, columns + 1).astype(np.int64)
        edges[-1] = self.peaks.size
        starts = np.minimum(edges[:-1], self.peaks.size - 1)
        heights = np.maximum.reduceat(self.peaks, starts) * (middle - 1)
        played = int(self.position * columns)
        # Python floats, not numpy scalars: shiboken's conversion of numpy scalars in a tight
        # paint loop crashed the interpreter (refcount error) on PySide6 6.12.
        lines = [QLineF(x + 0.5, middle - h, x + 0.5, middle + h)
                 for x, h in enumerate(heights.tolist())]
        todo = QColor(palette.color(QPalette.ColorRole.Text))
        todo.setAlpha(150)
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight)))
        if played:
            painter.drawLines(lines[:played])
        painter.setPen(QPen(todo))
        if played < len(lines):
            painter.drawLines(lines[played:])
        if self.position > 0:
            pen = QPen(QColor("#b3261e"))
            pen.setWidthF(max(1.0, self.fontMetrics().height() / 10))
            painter.setPen(pen)
            x = float(self.position * width)
            painter.drawLine(QLineF(x, 0.0, x, rect.height()))
        painter.end()


__all__ = ["PeakCache", "WaveformWidget"]
