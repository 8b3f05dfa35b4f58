"""Does long work stall the window's GUI thread? (target: no gap over 50 ms)

A QTimer heartbeat every 10 ms (precise timer) records the gaps between its ticks while the
window does long work the way the operator starts it: making the audio of a long bulletin
(5,000 characters), exporting a big log (100,000 entries over five years) to XLSX and CSV,
and showing the log tab. The work runs on the window's TaskRunner; the GUI thread keeps
polling the database every second and reloads the shown view when it changes, which is
measured too. The interpreter is set up as ``run_gui`` does (``app.gui.latency``: a 1 ms
GIL switch interval, the start-up objects frozen out of garbage collection once the window
is up and again after a view was first built or a long task ended; ``--no-tuning`` leaves
Python's defaults). Each phase also reports the full (gen-2)
garbage collections that ran and the longest. Offscreen platform, a fresh data folder.

    python -m tests.benchmarks.bench_gui_stall [--entries 100000] [--no-tuning]
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class Heartbeat:
    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(10)
        self.timer.timeout.connect(self.tick)
        self.gaps: list[float] = []
        self.last = time.perf_counter()
        self.full_gcs: list[float] = []  # ms of each gen-2 collection (any thread)
        self._gc_began = 0.0
        gc.callbacks.append(self._gc)

    def _gc(self, phase: str, info: dict) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            self._gc_began = time.perf_counter()
        else:
            self.full_gcs.append((time.perf_counter() - self._gc_began) * 1000)

    def start(self) -> None:
        self.gaps.clear()
        self.full_gcs.clear()
        self.last = time.perf_counter()
        self.timer.start()

    def tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append((now - self.last) * 1000)
        self.last = now


class Sampler:
    """``--sample``: a thread that, while a heartbeat is late by over ``late_ms``, records
    where the GUI thread is (its innermost frames), to find what a long gap was."""

    def __init__(self, beat: Heartbeat, late_ms: float = 35) -> None:
        import threading
        import traceback

        self.beat, self.late_ms = beat, late_ms
        self.main = threading.main_thread().ident
        self.samples: list[str] = []
        self._format = traceback.format_stack
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.003):
            late = (time.perf_counter() - self.beat.last) * 1000
            if late > self.late_ms:
                frames = sys._current_frames()
                frame = frames.get(self.main)
                where = "".join(self._format(frame)[-6:]) if frame is not None else "?"
                others = "".join(
                    f"  [thread {ident}] " + self._format(other)[-1].strip().splitlines()[0]
                    + "\n" for ident, other in frames.items()
                    if ident not in (self.main, self.thread.ident))
                self.samples.append(f"--- GUI thread {late:.0f} ms after the last beat:\n"
                                    f"{where}{others}")

    def dump(self) -> None:
        self._stop.set()
        for sample in self.samples:
            print(sample)


def run_until(app: object, done: object, timeout_s: float = 600) -> float:
    started = time.perf_counter()
    while not done():  # type: ignore[operator]
        app.processEvents()  # type: ignore[attr-defined]
        time.sleep(0.001)
        if time.perf_counter() - started > timeout_s:
            raise SystemExit("timed out")
    return time.perf_counter() - started


def report(name: str, seconds: float, beat: Heartbeat) -> bool:
    gaps = beat.gaps
    over = [g for g in gaps if g > 50]
    p99 = statistics.quantiles(gaps, n=100)[98] if len(gaps) > 100 else max(gaps)
    collections = (f"  full GCs {len(beat.full_gcs)} (longest {max(beat.full_gcs):.0f} ms)"
                   if beat.full_gcs else "  full GCs 0")
    print(f"{name:<48} {seconds:6.2f} s  ticks {len(gaps):5d}  worst gap {max(gaps):6.1f} ms  "
          f"p99 {p99:5.1f} ms  gaps > 50 ms: {len(over)}{collections}")
    return not over


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--no-poll", action="store_true",
                        help="stop the window's database poll (is a stall the poll's?)")
    parser.add_argument("--switch-ms", type=float, default=0,
                        help="sys.setswitchinterval for this run (default: as the window sets)")
    parser.add_argument("--no-tuning", action="store_true",
                        help="Python's defaults: no app.gui.latency set-up (for comparison)")
    parser.add_argument("--sample", action="store_true",
                        help="print where the GUI thread was during each late heartbeat")
    args = parser.parse_args()
    from app.gui.latency import freeze_long_lived, tune_interpreter

    if not args.no_tuning:
        tune_interpreter()
    home = Path(tempfile.mkdtemp(prefix="loaxa-gui-stall-"))
    os.environ["LOAXA_HOME"] = str(home)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from tests.benchmarks.logfill import make_database

    (home / "data").mkdir(parents=True)
    database, fill_s = make_database(home / "data" / "loaxa.db", args.entries)
    database.close()
    print(f"log of {args.entries} entries made in {fill_s:.1f} s; load average "
          f"{os.getloadavg()[0]:.2f}")

    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    from PySide6.QtWidgets import QMessageBox

    for name in ("information", "warning", "critical"):  # printed, never a modal box here
        setattr(QMessageBox, name, staticmethod(lambda _p, _t, text, *a, **k: print(text)))
    from app.autostart import FakeAutostart
    from app.gui.main_window import MainWindow
    from app.services import open_context

    ctx = open_context("gui")
    paragraph = ("Ủy ban nhân dân xã thông báo lịch tiêm chủng mở rộng tháng 12/2026 tại trạm "
                 "y tế xã, từ 7h30 đến 11h00 các ngày thứ Ba và thứ Năm; phụ huynh mang theo "
                 "sổ tiêm chủng, căn cước và thẻ bảo hiểm y tế của cháu. ")
    long_text = "\n".join([paragraph] * (5000 // len(paragraph) + 1))[:5000]
    bulletin_id = ctx.db.add_bulletin("Bản tin dài", long_text)
    window = MainWindow(ctx, start_playout=False, tray=False, autostart=FakeAutostart())
    window.show()
    app.processEvents()
    if not args.no_tuning:
        freeze_long_lived()  # as run_gui does once the event loop runs, and after a view
        window.grew.connect(freeze_long_lived)  # was first built or a long task ended
    if args.no_poll:
        window.timer.stop()
    if args.switch_ms:
        sys.setswitchinterval(args.switch_ms / 1000)
    print(f"GIL switch interval {sys.getswitchinterval() * 1000:.1f} ms")
    beat = Heartbeat()
    sampler = Sampler(beat) if args.sample else None
    ok = True

    beat.start()
    ok &= report("idle (window polling)", run_until(app, lambda: len(beat.gaps) >= 200),
                 beat)

    bulletins = window.view("tab_bulletins")
    window.tabs.setCurrentWidget(bulletins)
    run_until(app, lambda: not bulletins.reloading)
    assert bulletins.select(bulletin_id)
    beat.start()
    bulletins.render_selected()
    seconds = run_until(app, lambda: not window.runner.busy())
    ok &= report(f"make audio of {len(long_text)} characters", seconds, beat)

    log_view = window.view("tab_log")
    beat.start()
    run_until(app, lambda: len(beat.gaps) >= 20)
    started = time.perf_counter()
    window.tabs.setCurrentWidget(log_view)  # the first page, read on the view's own thread
    switch_ms = (time.perf_counter() - started) * 1000
    # until its reads (first page, categories, chain check) are done
    seconds = 0.2 + run_until(app, lambda: len(beat.gaps) >= 40 and log_view.settled())
    ok &= report(f"show the log tab (first page; {switch_ms:.0f} ms)", seconds, beat)

    out = home / "out"
    out.mkdir()
    for suffix in ("xlsx", "csv"):
        beat.start()
        log_view.export_to(date(2022, 1, 1), date(2027, 12, 31), suffix, out / f"log.{suffix}")
        seconds = run_until(app, lambda: not window.runner.busy())
        size = (out / f"log.{suffix}").stat().st_size / 1e6
        ok &= report(f"export {args.entries} entries to {suffix.upper()} ({size:.0f} MB)",
                     seconds, beat)
    beat.timer.stop()
    if sampler is not None:
        sampler.dump()
    window.quit()
    ctx.close()
    print(f"load average {os.getloadavg()[0]:.2f}; "
          + ("no stall over 50 ms" if ok else "STALLS OVER 50 ms"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
