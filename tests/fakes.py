"""Test doubles for the engine: a player driven by the fake clock."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from media.errors import LoaxaError
from scheduler.clock import FakeClock
from scheduler.player import FRAME_BYTES, SAMPLE_RATE, Clip, PlayResult


class Crash(BaseException):
    """Stands for the process dying (power cut, SIGKILL) in the middle of an item."""


class FakePlayer:
    def __init__(self, clock: FakeClock, output: str | None = "Fake Output") -> None:
        self.clock = clock
        self.output = output
        self.durations: dict[str, float] = {}
        self.played: list[tuple[str, object]] = []
        self.opened = 0
        self.on_play: Callable[[Clip], None] | None = None
        self.crash_on: str | None = None
        self.lose_output_on: str | None = None
        self.start_ats: list[float | None] = []  # the start_at of each play() call
        self.streamed: list[tuple[str, float, object]] = []  # (url, duration_s, started)
        # url → (seconds relayed before it fails, reason): a stream that fails or is unreachable
        self.stream_failures: dict[str, tuple[float, str]] = {}

    def output_name(self) -> str | None:
        return self.output

    def load(self, path: Path) -> Clip:
        if not path.is_file():
            raise LoaxaError("audio_missing", path=str(path))
        if path.read_bytes() == b"corrupt":
            raise LoaxaError("audio_corrupt", path=str(path), reason="bad header")
        seconds = self.durations.get(path.stem, 10.0)
        return Clip(path, bytes(int(seconds * SAMPLE_RATE) * FRAME_BYTES))

    def open(self) -> None:
        self.opened += 1

    def play(self, clip: Clip, stop: threading.Event,
             on_start: Callable[[], None] | None = None,
             start_at: float | None = None) -> PlayResult:
        if start_at is not None:  # the sound starts at the placed second
            self.clock.advance(max(0.0, start_at - self.clock.now().timestamp()))
        name = clip.path.stem
        self.played.append((name, self.clock.now()))
        self.start_ats.append(start_at)
        if on_start is not None:
            on_start()
        if self.on_play is not None:
            self.on_play(clip)
        if self.crash_on == name:
            self.crash_on = None
            self.clock.advance(3)
            raise Crash()
        if stop.is_set():
            self.clock.advance(3)
            return PlayResult(False, 3.0, "stopped")
        if self.lose_output_on == name:
            self.clock.advance(4)
            return PlayResult(False, 4.0, "output_lost")
        self.clock.advance(clip.duration_s)
        return PlayResult(True, clip.duration_s)

    def play_stream(self, url: str, duration_s: float, stop: threading.Event,
                    on_start: Callable[[], None] | None = None) -> PlayResult:
        self.streamed.append((url, duration_s, self.clock.now()))
        failure = self.stream_failures.get(url)
        if failure is not None and failure[0] <= 0:
            return PlayResult(False, 0.0, failure[1])
        if on_start is not None:
            on_start()
        if stop.is_set():
            return PlayResult(False, 0.0, "stopped")
        if failure is not None and failure[0] < duration_s:
            self.clock.advance(failure[0])
            return PlayResult(False, failure[0], failure[1])
        self.clock.advance(duration_s)
        return PlayResult(True, duration_s)

    def close(self) -> None:
        pass
