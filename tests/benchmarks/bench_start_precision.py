"""Start precision of the real playout path: scheduled second → audible onset.

Modes (each a fresh process; the first play of the process is reported on its own):
- ``player``: what the engine does at a session — the device opened one second ahead (the
  pre-roll), play() called 150 ms before the second with ``start_at`` = the second; N plays
  two seconds apart.
- ``engine``: the whole engine (SystemClock, MiniaudioPlayer, SQLite with synchronous=FULL,
  each log entry committed before the item) plays N one-item sessions two seconds apart.
- ``cold``: a new player (device closed) each time, play() without ``start_at``: first open
  → first audible sample.

The null sink's monitor is recorded with parec while pacat keeps the sink running, each chunk
stamped with the wall clock on arrival; an onset is the first sample above a threshold, its
time taken from the monitor's sample clock (the earliest-arriving chunks around it), so a late
wake-up of parec does not count. Figures include parec's minimum capture latency.
``--load`` runs a busy loop on the second core. The stream time lost (how far the device's
stream fell behind the wall clock: underruns) and the late pulls are reported.

Run (PulseAudio with a null sink as default, see .ci/run):
    python -m tests.benchmarks.bench_start_precision [--mode player|engine|cold] [--runs 20]
"""

from __future__ import annotations

import argparse
import array
import math
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import wave
from datetime import UTC, datetime, timedelta
from pathlib import Path

from media.store import AssetStore
from scheduler.clock import SystemClock
from scheduler.persistence import Database
from scheduler.player import MiniaudioPlayer
from scheduler.playout import EngineConfig, PlayoutEngine

RATE = 44100


def tone(path: Path, seconds: float = 0.3) -> None:
    frames = array.array("h", (int(16000 * math.sin(2 * math.pi * 1000 * n / RATE))
                               for n in range(int(seconds * RATE))))
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(frames.tobytes())


class Capture(threading.Thread):
    def __init__(self, sink: str) -> None:
        super().__init__(daemon=True)
        self.keepalive = subprocess.Popen(["pacat", "--raw", "--format=s16le", f"--rate={RATE}",
                                           "--channels=1", "--latency-msec=5", "/dev/zero"])
        self.proc = subprocess.Popen(
            ["parec", "-d", f"{sink}.monitor", "--raw", "--format=s16le", f"--rate={RATE}",
             "--channels=1", "--latency-msec=2"], stdout=subprocess.PIPE, bufsize=0)
        self.data = bytearray()
        self.stamps: list[tuple[float, int]] = []  # (wall time at arrival, frames so far)

    def run(self) -> None:
        assert self.proc.stdout is not None
        while True:
            chunk = self.proc.stdout.read(512)
            if not chunk:
                return
            now = time.time()
            self.data.extend(chunk)
            self.stamps.append((now, len(self.data) // 2))

    def stop(self) -> None:
        self.proc.terminate()
        self.keepalive.terminate()
        self.join(5)

    def onset_after(self, moment: float, threshold: int = 4000) -> float | None:
        """Wall time of the first loud sample after ``moment`` - 0.5 s.

        The monitor's sample count is its own clock: a chunk can arrive late (parec not
        scheduled on a busy machine) but never early, so sample i sounded at
        min(arrival - frames so far / RATE) + i / RATE over the chunks around it.
        """
        stamps = list(self.stamps)
        samples = array.array("h", bytes(self.data[: stamps[-1][1] * 2]))
        for t, total in stamps:
            if t < moment - 0.5:
                continue
            first = total - 256
            for i in range(max(first, 0), total):
                if abs(samples[i]) > threshold:
                    near = [a - n / RATE for a, n in stamps if abs(a - t) < 2.0]
                    return min(near) + i / RATE
        return None


def run_engine(runs: int, folder: Path, capture: Capture) -> list[float]:
    db = Database("sqlite:///" + (folder / "b.db").as_posix())
    db.upgrade()
    store = AssetStore(folder / "audio")
    src = folder / "tone.wav"
    tone(src)
    rel = "to/tone.wav"
    store.path_for(rel).parent.mkdir(parents=True)
    src.rename(store.path_for(rel))
    bulletin = db.add_bulletin("tone", "tone")
    db.attach_audio(bulletin, sha256="0" * 64, rel_path=rel, duration_ms=300, origin="file",
                    engine="", voice="", source_sha256="")
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=4)
    times = [start + timedelta(seconds=2 * n) for n in range(runs)]
    for at in times:
        db.add_session(at, [bulletin])
    engine = PlayoutEngine(db, store, MiniaudioPlayer(), SystemClock(),
                           EngineConfig(preroll=timedelta(seconds=1)))
    engine.run(until_idle=True)
    return [at.timestamp() for at in times]


class Underruns:
    """Stream time the device lost against the wall clock, and pulls that came late."""

    def __init__(self, player: MiniaudioPlayer) -> None:
        self.player = player
        self.first: float | None = None
        self.late = 0
        self.late_at: list[float] = []  # when a pull came more than half a period late
        self.pulls = 0
        self._last = 0.0
        original = player.clock.pull

        def pull(t: float, position: int) -> None:
            if self._last and t - self._last > 1.5 * player.BUFFER_MS / 1000:
                self.late += 1
                self.late_at.append(t)
            self._last = t
            self.pulls += 1
            original(t, position)

        player.clock.pull = pull  # type: ignore[method-assign]

    def mark(self) -> None:
        if self.first is None and self.player.clock.ready:
            self.first = self.player.clock.anchor()

    def disturbed(self, at: float) -> bool:
        """A late pull between the hand-over (150 ms ahead) and the onset: an underrun."""
        return any(at - 0.2 <= t <= at + 0.1 for t in self.late_at)

    def lost_ms(self) -> float:
        if self.first is None or not self.player.clock.ready:
            return float("nan")
        return (self.player.clock.anchor() - self.first) * 1000


def run_player(runs: int, folder: Path,
               capture: Capture) -> tuple[list[float], str, set[float]]:
    src = folder / "tone.wav"
    tone(src)
    player = MiniaudioPlayer()
    clip = player.load(src)
    watch = Underruns(player)
    stop = threading.Event()
    first = math.ceil(time.time()) + 2
    times = [first + 2.0 * n for n in range(runs)]
    time.sleep(max(0.0, times[0] - 1.0 - time.time()))
    player.open()  # the engine's pre-roll
    for at in times:
        time.sleep(max(0.0, at - 0.15 - time.time()))
        watch.mark()
        player.play(clip, stop, start_at=at)
    note = (f"stream time lost {watch.lost_ms():.1f} ms, late pulls {watch.late} of "
            f"{watch.pulls} (buffer {player.BUFFER_MS} ms, latency {player.latency_s * 1000:.1f}"
            " ms)")
    player.close()
    return times, note, {at for at in times if watch.disturbed(at)}


def run_cold(runs: int, folder: Path, capture: Capture) -> list[float]:
    src = folder / "tone.wav"
    tone(src)
    clip = MiniaudioPlayer().load(src)
    stop = threading.Event()
    times = []
    time.sleep(1.0)
    for _ in range(runs):
        player = MiniaudioPlayer()
        at = time.time()
        player.play(clip, stop)
        player.close()
        times.append(at)
        time.sleep(1.5)
    return times


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--mode", choices=("player", "engine", "cold"), default="player")
    parser.add_argument("--load", action="store_true", help="a busy loop on the second core")
    parser.add_argument("--buffer-ms", type=int, default=MiniaudioPlayer.BUFFER_MS,
                        help="device period to try (the output latency follows it)")
    parser.add_argument("--sink", default=subprocess.run(
        ["pactl", "get-default-sink"], capture_output=True, text=True).stdout.strip())
    parser.add_argument("--normal-thread", action="store_true",
                        help="no real-time scheduling for the device's callback thread")
    args = parser.parse_args()
    MiniaudioPlayer.BUFFER_MS = args.buffer_ms
    MiniaudioPlayer.REALTIME_THREAD = not args.normal_thread
    folder = Path(tempfile.mkdtemp(prefix="loaxa-bench-"))
    busy = subprocess.Popen([sys.executable, "-c", "while True: pass"]) if args.load else None
    capture = Capture(args.sink)
    capture.start()
    note = ""
    disturbed: set[float] = set()
    try:
        if args.mode == "engine":
            times = run_engine(args.runs, folder, capture)
        elif args.mode == "cold":
            times = run_cold(args.runs, folder, capture)
        else:
            times, note, disturbed = run_player(args.runs, folder, capture)
        time.sleep(0.5)
    finally:
        capture.stop()
        if busy is not None:
            busy.kill()
    errors = []
    for at in times:
        onset = capture.onset_after(at)
        errors.append(None if onset is None else (onset - at) * 1000)
    found = [e for e in errors if e is not None]
    if not found:
        print("no onset found: is the null sink the default output?")
        return 1
    warm = found[1:]
    q = statistics.quantiles(warm, n=20) if len(warm) > 2 else [found[-1]] * 19
    print(f"mode {args.mode}{' under load' if args.load else ''}: runs {len(errors)}, "
          f"onsets found {len(found)}")
    print(f"first play of the process: {found[0]:.1f} ms")
    print(f"then: median {statistics.median(warm):.1f} ms, p95 {q[18]:.1f} ms, "
          f"max {max(warm):.1f} ms, min {min(warm):.1f} ms, "
          f"p95 of |error| {statistics.quantiles([abs(e) for e in warm], n=20)[18]:.1f} ms")
    if note:
        print(note)
    clean = [(onset - at) * 1000 for at in times[1:] if at not in disturbed
             and (onset := capture.onset_after(at)) is not None]
    if disturbed and len(clean) > 2:
        print(f"runs with a late pull around the start (an underrun): {len(disturbed)}; "
              f"the others: median {statistics.median(clean):.1f} ms, "
              f"p95 {statistics.quantiles(clean, n=20)[18]:.1f} ms, max {max(clean):.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
