"""Probe of the alternative: Qt Multimedia (QMediaPlayer) start precision, measured the same
way as bench_start_precision (the null sink's monitor recorded by parec).

The tone file is loaded ahead; play() is called at the second from a PreciseTimer that fires
20 ms early and waits out the rest; after each tone the player is stopped and rewound.
``--no-device`` instead runs the player where no audio server answers and prints what Qt
reports (output list, states, errors).

Run (PulseAudio with a null sink as default):
    python -m tests.benchmarks.bench_qt_start [--runs 20] [--no-device]
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tests.benchmarks.bench_start_precision import Capture, tone


def _app() -> object:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    return QGuiApplication.instance() or QGuiApplication([])


def measure(runs: int, sink: str) -> int:
    from PySide6.QtCore import QEventLoop, Qt, QTimer, QUrl
    from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer

    app = _app()
    folder = Path(tempfile.mkdtemp(prefix="loaxa-qt-"))
    src = folder / "tone.wav"
    tone(src)
    capture = Capture(sink)
    capture.start()
    output = QAudioOutput()
    player = QMediaPlayer()
    player.setAudioOutput(output)
    player.setSource(QUrl.fromLocalFile(str(src)))
    first = math.ceil(time.time()) + 2
    times = [first + 2.0 * n for n in range(runs)]
    loop = QEventLoop()
    timers: list[QTimer] = []

    def later(ms: int, action: Callable[[], None]) -> None:
        timer = QTimer()
        timer.setTimerType(Qt.TimerType.PreciseTimer)
        timer.setSingleShot(True)
        timer.timeout.connect(action)
        timer.start(ms)
        timers.append(timer)

    def fire(index: int) -> None:
        at = times[index]
        while time.time() < at:
            pass
        player.play()
        later(1000, lambda: rewind(index))

    def rewind(index: int) -> None:
        player.stop()
        player.setPosition(0)
        if index + 1 < len(times):
            schedule(index + 1)
        else:
            QTimer.singleShot(500, loop.quit)

    def schedule(index: int) -> None:
        wait_ms = max(0, int((times[index] - time.time()) * 1000) - 20)
        later(wait_ms, lambda: fire(index))

    try:
        schedule(0)
        loop.exec()
    finally:
        capture.stop()
    del app
    errors = [capture.onset_after(at) for at in times]
    found = [(on - at) * 1000 for on, at in zip(errors, times, strict=True) if on is not None]
    if len(found) < 3:
        print("no onset found: is the null sink the default output?")
        return 1
    warm = found[1:]
    q = statistics.quantiles(warm, n=20)
    print(f"Qt QMediaPlayer: runs {runs}, onsets found {len(found)}")
    print(f"first play of the process: {found[0]:.1f} ms")
    print(f"then: median {statistics.median(warm):.1f} ms, p95 {q[18]:.1f} ms, "
          f"max {max(warm):.1f} ms, min {min(warm):.1f} ms")
    return 0


def no_device() -> int:
    """What Qt says when no audio server answers (run in a child with PULSE_SERVER broken)."""
    from PySide6.QtCore import QEventLoop, QTimer, QUrl
    from PySide6.QtMultimedia import QAudioOutput, QMediaDevices, QMediaPlayer

    _app()
    folder = Path(tempfile.mkdtemp(prefix="loaxa-qt-"))
    src = folder / "tone.wav"
    tone(src)
    print(f"audio outputs listed: {len(QMediaDevices.audioOutputs())}")
    player = QMediaPlayer()
    output = QAudioOutput()
    player.setAudioOutput(output)
    events: list[str] = []
    player.playbackStateChanged.connect(lambda s: events.append(f"state {s.name}"))
    player.mediaStatusChanged.connect(lambda s: events.append(f"status {s.name}"))
    player.errorOccurred.connect(lambda e, text: events.append(f"error {e.name} {text}"))
    player.setSource(QUrl.fromLocalFile(str(src)))
    player.play()
    loop = QEventLoop()
    QTimer.singleShot(2000, loop.quit)
    loop.exec()
    print("events: " + ", ".join(events))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--no-device", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--sink", default=subprocess.run(
        ["pactl", "get-default-sink"], capture_output=True, text=True).stdout.strip())
    args = parser.parse_args()
    if args.no_device and not args.child:
        env = {**os.environ, "PULSE_SERVER": "unix:/nonexistent/loaxa-no-audio"}
        return subprocess.run([sys.executable, "-m", "tests.benchmarks.bench_qt_start",
                               "--no-device", "--child"], env=env).returncode
    if args.no_device:
        return no_device()
    return measure(args.runs, args.sink)


if __name__ == "__main__":
    sys.exit(main())
