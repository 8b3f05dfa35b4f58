"""Playback: the interface the engine uses and the real player (miniaudio).

Why miniaudio and not Qt Multimedia (docs/architecture.md, docs/benchmarks.md): it needs no
Qt event loop in the headless playout process, it is one small wheel with the C library
compiled in (Windows and Linux), and it tells the truth when there is no output device (Qt
Multimedia goes Playing → EndOfMedia with no error when the machine has no output at all).
The onset delay is set by the device buffer (BUFFER_MS): measured through the whole engine on
a PulseAudio null sink, 20 ms gives a 30 ms median, 5 ms gives 11 ms.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from media.audio import decode_pcm
from media.errors import LoaxaError

log = logging.getLogger(__name__)

SAMPLE_RATE = 44100
CHANNELS = 2
FRAME_BYTES = 2 * CHANNELS


@dataclass(frozen=True)
class Clip:
    path: Path
    pcm: bytes  # s16le, SAMPLE_RATE, CHANNELS

    @property
    def duration_s(self) -> float:
        return len(self.pcm) / FRAME_BYTES / SAMPLE_RATE


@dataclass(frozen=True)
class PlayResult:
    completed: bool  # every sample reached the output
    played_s: float
    reason: str = ""  # message code when not completed


class Player(Protocol):
    def output_name(self) -> str | None:
        """Name of the default output device, or None when the machine has none."""
        ...

    def load(self, path: Path) -> Clip:
        """Decode a file ahead of its start time (raises LoaxaError for a broken file)."""
        ...

    def open(self) -> None:
        """Open the output and keep it warm (playing silence) until close()."""
        ...

    def play(self, clip: Clip, stop: threading.Event,
             on_start: Callable[[], None] | None = None,
             start_at: float | None = None) -> PlayResult:
        """Play ``clip`` to the end, or until ``stop`` is set; blocks. ``on_start`` is called
        once the samples are handed to the output. ``start_at`` (epoch seconds): the moment
        the first sample should be heard, when the call comes early."""
        ...

    def close(self) -> None: ...


def _real_backends() -> list:
    import miniaudio

    return [b for b in miniaudio.Backend
            if b not in (miniaudio.Backend.NULL, miniaudio.Backend.CUSTOM)]


class MiniaudioPlayer:
    """Plays on the system's default output through miniaudio.

    While open, the device pulls silence from a generator; play() swaps in the clip's samples,
    so the onset is one 20 ms buffer after the request instead of a cold device start.
    """

    BUFFER_MS = 20
    STALL_S = 2.0  # the device stopped asking for samples: the output is gone

    def __init__(self) -> None:
        self._device = None
        self._lock = threading.Lock()
        self._pcm = b""
        self._pos = 0
        self._last_pull = 0.0
        self._drained = threading.Event()

    def output_name(self) -> str | None:
        import miniaudio

        try:
            devices = miniaudio.Devices(backends=_real_backends())
            playbacks = devices.get_playbacks()
        except Exception as exc:  # miniaudio raises its own error type, or a cffi one
            log.warning("no audio output: %s", exc)
            return None
        if not playbacks:
            return None
        default = next((d for d in playbacks if d.get("is_default")), playbacks[0])
        return str(default.get("name", "")) or "default"

    def load(self, path: Path) -> Clip:
        return Clip(path, decode_pcm(path, SAMPLE_RATE, CHANNELS))

    def _generator(self):
        frames = yield b""
        while True:
            need = frames * FRAME_BYTES
            with self._lock:
                self._last_pull = time.monotonic()
                chunk = self._pcm[self._pos:self._pos + need]
                self._pos += len(chunk)
                if self._pcm and self._pos >= len(self._pcm):
                    self._drained.set()
            if len(chunk) < need:
                chunk += bytes(need - len(chunk))
            frames = yield chunk

    def open(self) -> None:
        if self._device is not None:
            return
        import miniaudio

        try:
            device = miniaudio.PlaybackDevice(
                output_format=miniaudio.SampleFormat.SIGNED16, nchannels=CHANNELS,
                sample_rate=SAMPLE_RATE, buffersize_msec=self.BUFFER_MS,
                backends=_real_backends(), app_name="LoaXa")
            generator = self._generator()
            next(generator)
            device.start(generator)
        except Exception as exc:
            raise LoaxaError("output_open_failed", reason=str(exc)) from None
        self._last_pull = time.monotonic()
        self._device = device

    def play(self, clip: Clip, stop: threading.Event,
             on_start: Callable[[], None] | None = None,
             start_at: float | None = None) -> PlayResult:
        self.open()
        if start_at is not None:
            delay = start_at - time.time()
            if delay > 0:
                stop.wait(delay)
        with self._lock:
            self._drained.clear()
            self._pcm = clip.pcm
            self._pos = 0
        if on_start is not None:
            on_start()
        completed = False
        reason = ""
        while True:
            if self._drained.wait(0.05):
                # The last samples are in the device buffer: let them sound.
                time.sleep(self.BUFFER_MS * 3 / 1000)
                completed = True
                break
            if stop.is_set():
                reason = "stopped"
                break
            if time.monotonic() - self._last_pull > self.STALL_S:
                reason = "output_lost"
                break
        with self._lock:
            played = self._pos
            self._pcm = b""
            self._pos = 0
        if reason == "output_lost":
            self.close()
        return PlayResult(completed, played / FRAME_BYTES / SAMPLE_RATE, reason)

    def close(self) -> None:
        device, self._device = self._device, None
        if device is not None:
            try:
                device.close()
            except Exception:
                log.exception("closing the audio device failed")
