"""Playback: the interface the engine uses and the real player (miniaudio).

Why miniaudio and not Qt Multimedia (docs/architecture.md, docs/benchmarks.md): it needs no
Qt event loop in the headless playout process, it is one small wheel with the C library
compiled in (Windows and Linux), and it tells the truth when there is no output device (Qt
Multimedia goes Playing → EndOfMedia with no error when the machine has no output at all).

Sample-placed start: the device is kept open, pulling silence. Each pull is stamped with the
wall clock; ``StreamClock`` turns the stamps into "frame n of the stream sounds at time t"
(the median over the last pulls of stamp − position / rate, plus the output latency), so a
clip handed over ahead of its second starts at the frame that sounds at ``start_at``, silence
before it. The onset error is then the jitter of that estimate, not the buffer length.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from media.audio import decode_pcm
from media.errors import LoaxaError
from media.stream import CONNECT_TIMEOUT_S, LiveStream

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
    completed: bool  # every sample reached the output (a relay: it ran for its duration)
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
        """Open the output and keep it warm (playing silence) until close(); raises
        LoaxaError("output_open_failed") when it cannot be opened."""
        ...

    def play(self, clip: Clip, stop: threading.Event,
             on_start: Callable[[], None] | None = None,
             start_at: float | None = None) -> PlayResult:
        """Play ``clip`` to the end, or until ``stop`` is set; blocks. With ``start_at`` (a
        ``time.time()`` epoch second, the call made ahead of it) the first sample sounds at
        that moment; without it, or when it has passed, at once. ``on_start`` is called when
        the first samples are handed to the output."""
        ...

    def play_stream(self, url: str, duration_s: float, stop: threading.Event,
                    on_start: Callable[[], None] | None = None) -> PlayResult:
        """Relay a live stream for ``duration_s`` seconds; blocks. A stream that cannot be
        reached or fails ends early with reason "stream_unreachable" / "stream_failed"."""
        ...

    def close(self) -> None: ...


def _real_backends() -> list:
    import miniaudio

    return [b for b in miniaudio.Backend
            if b not in (miniaudio.Backend.NULL, miniaudio.Backend.CUSTOM)]


class StreamClock:
    """When does frame ``n`` of the device's stream sound? Learned from the device's pulls.

    A pull asking for the frames from ``position`` on, stamped ``t``, gives one estimate of
    when frame 0 was pulled: ``t - position / rate``. Wake-ups come late now and then, and a
    few pulls after the start fill the buffer early, so the estimate is the median over the
    last ``window`` pulls after the first ``skip``. Frame n then sounds at
    ``anchor + n / rate + latency``; the window follows a clock that drifts or an underrun.
    """

    def __init__(self, rate: int = SAMPLE_RATE, window: int = 32, skip: int = 2,
                 needed: int = 3) -> None:
        self.rate = rate
        self._offsets = [0.0] * window
        self._skip = skip
        self._needed = needed
        self._count = 0

    def reset(self) -> None:
        self._count = 0

    def pull(self, t: float, position: int) -> None:
        """Called by the device callback: ``position`` frames were delivered before this."""
        self._offsets[self._count % len(self._offsets)] = t - position / self.rate
        self._count += 1

    @property
    def ready(self) -> bool:
        return self._count >= self._skip + self._needed

    def anchor(self) -> float:
        count = self._count
        usable = min(count - self._skip, len(self._offsets))
        if usable <= 0:
            raise ValueError("no pulls yet")
        size = len(self._offsets)
        values = sorted(self._offsets[(count - 1 - k) % size] for k in range(usable))
        middle = usable // 2
        return values[middle] if usable % 2 else (values[middle - 1] + values[middle]) / 2

    def frame_at(self, when: float, latency_s: float) -> int:
        """The stream frame that sounds at ``when`` (epoch seconds)."""
        return round((when - latency_s - self.anchor()) * self.rate)


class _ClipFeed:
    def __init__(self, pcm: bytes) -> None:
        self._view = memoryview(pcm)
        self.consumed = 0  # bytes handed to the device

    def read(self, nbytes: int) -> memoryview:
        chunk = self._view[self.consumed:self.consumed + nbytes]
        self.consumed += len(chunk)
        return chunk

    def done(self) -> bool:
        return self.consumed >= len(self._view)


class _StreamFeed:
    def __init__(self, stream: LiveStream) -> None:
        self._stream = stream
        self.consumed = 0

    def read(self, nbytes: int) -> bytes:
        chunk = self._stream.read(nbytes)
        self.consumed += len(chunk)
        return chunk

    def done(self) -> bool:
        return False


@dataclass(frozen=True)
class OutputDevice:
    name: str
    is_default: bool


def _playbacks() -> list[dict[str, Any]]:
    import miniaudio

    return miniaudio.Devices(backends=_real_backends()).get_playbacks()


def list_output_devices() -> list[OutputDevice]:
    """The audio outputs the system offers (the default one flagged), for the setting
    ``output_device``. Raises LoaxaError ``output_list_failed`` when they cannot be asked."""
    try:
        playbacks = _playbacks()
    except Exception as exc:  # miniaudio raises its own error type, or a cffi one
        raise LoaxaError("output_list_failed", reason=str(exc) or type(exc).__name__) \
            from None
    return [OutputDevice(str(d.get("name", "")), bool(d.get("is_default")))
            for d in playbacks]


def _device_id(name: str) -> Any:
    """The miniaudio id of the output called ``name``; None (the default output) when the
    name is empty or no such output is there."""
    if not name:
        return None
    try:
        playbacks = _playbacks()
    except Exception as exc:
        log.warning("audio outputs cannot be listed (%s); using the default output", exc)
        return None
    for device in playbacks:
        if device.get("name") == name:
            return device.get("id")
    log.warning("audio output %r is not there; using the default output", name)
    return None


def _miniaudio_device(buffer_ms: int, realtime: bool = True, device_name: str = "") -> Any:
    """The playback device (``device_name``: an output by name, else the default). Its
    callback thread asks for real-time scheduling (SCHED_FIFO on
    Linux when permitted, time-critical on Windows; miniaudio falls back to a normal thread
    when refused): on a busy PC a normal thread misses pulls (docs/benchmarks.md)."""
    import miniaudio

    priority = miniaudio.ThreadPriority.REALTIME if realtime else \
        miniaudio.ThreadPriority.HIGHEST
    return miniaudio.PlaybackDevice(
        output_format=miniaudio.SampleFormat.SIGNED16, nchannels=CHANNELS,
        sample_rate=SAMPLE_RATE, buffersize_msec=buffer_ms, backends=_real_backends(),
        thread_prio=priority, app_name="LoaXa", device_id=_device_id(device_name))


class MiniaudioPlayer:
    """Plays through miniaudio on the output named ``device_name`` (the setting
    ``output_device``), or the system's default output when that is empty or not there.

    While open, the device pulls silence (miniaudio hands the callback a zeroed buffer, so an
    idle pull returns nothing and allocates nothing); play() arms a feed and the callback
    starts it at the frame the stream clock names.
    """

    BUFFER_MS = 40  # device period; see docs/benchmarks.md (underruns under load below it)
    LATENCY_PERIODS = 0.55  # pull → sound after the stream clock's anchor, in periods (measured)
    STALL_S = 2.0  # the device stopped asking for samples: the output is gone
    FIRST_PULL_S = 6.0  # a device just opened on a busy PC may take this long to start
    STREAM_PREBUFFER_S = 1.0  # a relay starts once this much of the stream has arrived
    STREAM_STALL_S = 5.0  # nothing new from the stream for this long, nothing left: failed
    STREAM_CONNECT_TIMEOUT_S = CONNECT_TIMEOUT_S  # ffmpeg's -rw_timeout
    REALTIME_THREAD = True  # the device's callback thread asks for real-time scheduling

    def __init__(self, latency_ms: float | None = None,
                 device_factory: Callable[[int], Any] | None = None,
                 now: Callable[[], float] = time.time, device_name: str = "") -> None:
        self.device_name = device_name.strip()
        self.latency_s = (self.BUFFER_MS * self.LATENCY_PERIODS if latency_ms is None
                          else latency_ms) / 1000
        self._device_factory = device_factory or (
            lambda buffer_ms: _miniaudio_device(buffer_ms, self.REALTIME_THREAD,
                                                self.device_name))
        self._now = now
        self.clock = StreamClock(SAMPLE_RATE)
        self._device: Any = None
        self._lock = threading.Lock()
        self._feed: _ClipFeed | _StreamFeed | None = None
        self._start_frame = 0
        self._started = threading.Event()
        self._last_pull = 0.0
        self._pulled = False

    def output_name(self) -> str | None:
        """The output that plays: the chosen one when it is there, else the default."""
        try:
            playbacks = _playbacks()
        except Exception as exc:  # miniaudio raises its own error type, or a cffi one
            log.warning("no audio output: %s", exc)
            return None
        if not playbacks:
            return None
        chosen = next((d for d in playbacks if self.device_name
                       and d.get("name") == self.device_name), None)
        default = chosen or next((d for d in playbacks if d.get("is_default")), playbacks[0])
        return str(default.get("name", "")) or "default"

    def load(self, path: Path) -> Clip:
        return Clip(path, decode_pcm(path, SAMPLE_RATE, CHANNELS))

    # -- the device ---------------------------------------------------------------------
    def _generator(self) -> Generator[bytes | memoryview, int, None]:
        frames = yield b""
        position = 0  # frames delivered so far
        clock = self.clock
        now = self._now
        while True:
            clock.pull(now(), position)
            self._last_pull = time.monotonic()
            self._pulled = True
            chunk: bytes | memoryview = b""
            feed = self._feed
            if feed is not None:
                lead = self._start_frame - position
                if lead < frames:
                    with self._lock:
                        if self._feed is feed:
                            lead = max(lead, 0)
                            data = feed.read((frames - lead) * FRAME_BYTES)
                            if data:
                                chunk = bytes(lead * FRAME_BYTES) + data if lead else data
                                if not self._started.is_set():
                                    self._started.set()
            position += frames
            frames = yield chunk

    def open(self) -> None:
        if self._device is not None:
            return
        self.clock.reset()
        try:
            device = self._device_factory(self.BUFFER_MS)
            generator = self._generator()
            next(generator)
            device.start(generator)
        except Exception as exc:
            raise LoaxaError("output_open_failed", reason=str(exc)) from None
        self._last_pull = time.monotonic()
        self._pulled = False
        self._device = device

    @property
    def is_warm(self) -> bool:
        """Open and its stream clock known: a start can be placed on the sample."""
        return self._device is not None and self.clock.ready

    def warm(self, timeout_s: float = 3.0) -> bool:
        """Open the output and wait until a start can be placed; False if it did not get
        there in ``timeout_s`` (the device is not pulling)."""
        self.open()
        deadline = time.monotonic() + timeout_s
        while not self.clock.ready:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.005)
        return True

    def _stalled(self) -> bool:
        limit = self.STALL_S if self._pulled else self.FIRST_PULL_S
        return time.monotonic() - self._last_pull > limit

    def _arm(self, feed: _ClipFeed | _StreamFeed, start_at: float | None) -> None:
        self.open()
        start_frame = 0
        if start_at is not None:
            while not self.clock.ready and self._now() < start_at - self.latency_s \
                    and not self._stalled():
                time.sleep(0.002)
            if self.clock.ready:
                start_frame = self.clock.frame_at(start_at, self.latency_s)
        with self._lock:
            self._started.clear()
            self._start_frame = start_frame
            self._feed = feed

    def _disarm(self) -> None:
        with self._lock:
            self._feed = None

    def _wait_started(self, stop: threading.Event) -> str:
        while not self._started.wait(0.005):
            if stop.is_set():
                return "stopped"
            if self._stalled():
                return "output_lost"
        return ""

    def _finish(self, feed: _ClipFeed | _StreamFeed, completed: bool,
                reason: str) -> PlayResult:
        self._disarm()
        if reason == "output_lost":
            self.close()
        return PlayResult(completed, feed.consumed / FRAME_BYTES / SAMPLE_RATE, reason)

    # -- playing ------------------------------------------------------------------------
    def play(self, clip: Clip, stop: threading.Event,
             on_start: Callable[[], None] | None = None,
             start_at: float | None = None) -> PlayResult:
        feed = _ClipFeed(clip.pcm)
        self._arm(feed, start_at)
        reason = self._wait_started(stop) if clip.pcm else ""
        if reason:
            return self._finish(feed, False, reason)
        if on_start is not None:
            on_start()
        while not feed.done():
            if stop.wait(0.01):
                return self._finish(feed, False, "stopped")
            if self._stalled():
                return self._finish(feed, False, "output_lost")
        # The last samples were pulled; let them sound before reporting the end.
        time.sleep(self.latency_s + self.BUFFER_MS / 1000)
        return self._finish(feed, True, "")

    def play_stream(self, url: str, duration_s: float, stop: threading.Event,
                    on_start: Callable[[], None] | None = None) -> PlayResult:
        stream = LiveStream(url, SAMPLE_RATE, CHANNELS, timeout_s=self.STREAM_CONNECT_TIMEOUT_S)
        self.open()
        stream.start()
        feed = _StreamFeed(stream)
        try:
            wanted = int(self.STREAM_PREBUFFER_S * SAMPLE_RATE)
            deadline = (time.monotonic() + self.STREAM_CONNECT_TIMEOUT_S
                        + self.STREAM_PREBUFFER_S + 1)
            while stream.buffered_frames() < wanted and not stream.ended \
                    and time.monotonic() < deadline:
                if stop.wait(0.02):
                    return PlayResult(False, 0.0, "stopped")
            if not stream.received:
                log.warning("stream %s unreachable: %s", url, stream.error_text())
                return PlayResult(False, 0.0, "stream_unreachable")
            self._arm(feed, None)
            reason = self._wait_started(stop)
            if reason:
                return self._finish(feed, False, reason)
            if on_start is not None:
                on_start()
            ends = time.monotonic() + duration_s
            while time.monotonic() < ends:
                if stop.wait(0.02):
                    return self._finish(feed, False, "stopped")
                if self._stalled():
                    return self._finish(feed, False, "output_lost")
                if stream.exhausted() or (
                        not stream.buffered_frames()
                        and time.monotonic() - stream.last_data > self.STREAM_STALL_S):
                    log.warning("stream %s failed after %.1f s: %s", url,
                                feed.consumed / FRAME_BYTES / SAMPLE_RATE, stream.error_text())
                    return self._finish(feed, False, "stream_failed")
            return self._finish(feed, True, "")
        finally:
            self._disarm()
            stream.close()

    def close(self) -> None:
        self._disarm()
        device, self._device = self._device, None
        self.clock.reset()
        if device is not None:
            try:
                device.close()
            except Exception:
                log.exception("closing the audio device failed")
