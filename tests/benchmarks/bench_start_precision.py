"""Start precision of the real playout path: scheduled second → audible onset.

The engine (SystemClock, MiniaudioPlayer, a SQLite database with synchronous=FULL, each log
entry committed before the item starts) plays N one-item sessions two seconds apart. The
null sink's monitor is recorded with parec while pacat keeps the sink running, each chunk
stamped with the wall clock on arrival; an onset is the first sample above a threshold.
Figures include the capture latency (an upper bound of the true error).

Run (PulseAudio with a null sink as default, see .ci/run):
    python -m tests.benchmarks.bench_start_precision [--runs 20]
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
        samples = array.array("h", bytes(self.data[: len(self.data) // 2 * 2]))
        for t, total in self.stamps:
            if t < moment - 0.5:
                continue
            first = total - 256
            for i in range(max(first, 0), total):
                if abs(samples[i]) > threshold:
                    return t - (total - i) / RATE
        return None


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--sink", default=subprocess.run(
        ["pactl", "get-default-sink"], capture_output=True, text=True).stdout.strip())
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="loaxa-bench-"))
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
    times = [start + timedelta(seconds=2 * n) for n in range(args.runs)]
    for at in times:
        db.add_session(at, [bulletin])
    capture = Capture(args.sink)
    capture.start()
    engine = PlayoutEngine(db, store, MiniaudioPlayer(), SystemClock(),
                           EngineConfig(preroll=timedelta(seconds=1)))
    engine.run(until_idle=True)
    time.sleep(0.5)
    capture.stop()
    errors = []
    for at in times:
        onset = capture.onset_after(at.timestamp())
        errors.append(None if onset is None else (onset - at.timestamp()) * 1000)
    found = [e for e in errors if e is not None]
    if not found:
        print("no onset found: is the null sink the default output?")
        return 1
    q = statistics.quantiles(found[1:], n=20) if len(found) > 2 else [found[-1]] * 19
    print(f"runs {len(errors)}, onsets found {len(found)}")
    print(f"first session of the process: {found[0]:.1f} ms")
    print(f"warm: median {statistics.median(found[1:]):.1f} ms, p95 {q[18]:.1f} ms, "
          f"max {max(found[1:]):.1f} ms, min {min(found[1:]):.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
