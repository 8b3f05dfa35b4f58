"""GUI-thread work of the Schedule and On-air views (the issue: no stall over 50 ms).

A busy commune in a fresh SQLite database: 60 bulletins with audio, four series (06:00,
11:00 and 17:00 Monday–Saturday, 21:30 Sundays) of four to five items, a one-off session a
day, five campaigns with windows and caps, twenty occurrence changes, quiet hours
22:00–05:00 and 11:30–13:30, and a broadcast log of ``--log`` entries. Times, on the GUI
thread (offscreen):

* ``ScheduleView.reload()`` — the schedule revision, resolve the week, check it (the day
  before too), the run states, the blocks —, the same after a schedule change (the schedule
  loaded again from the database) and one paint of the whole timetable;
* ``OnAirView.reload()`` (the newest log entries, the schedule, the next session, the active
  emergencies, the heartbeat), its once-a-second ``tick()`` and the meter's ``update_meter()``;

and, off the GUI thread, ``level_profile`` of a 30-minute file (time and peak memory).

Run:  python -m tests.benchmarks.bench_gui_views [--runs 30] [--log 5000]
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import struct
import sys
import tempfile
import time
import tracemalloc
import wave
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)


def _wav(path: Path, seconds: float) -> Path:
    rate = 44100
    one_second = b"".join(struct.pack("<h", int(9000 * math.sin(2 * math.pi * 440 * n / rate)))
                          for n in range(rate))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        for _ in range(int(seconds)):
            out.writeframes(one_second)
    return path


def populate(ctx, folder: Path, log_entries: int) -> None:
    from scheduler.records import LogStatus
    from scheduler.schedule import EVERY_DAY, MONDAY_TO_SATURDAY, ItemSpec
    from scheduler.timeutil import parse_local_datetime

    db = ctx.db
    sha, rel = ctx.store.adopt(_wav(folder / "tin.wav", 3))
    bulletins = []
    for n in range(60):
        b = db.add_bulletin(f"Bản tin số {n}", "Nội dung bản tin.",
                            level="priority" if n % 10 == 0 else "normal")
        db.attach_audio(b, sha256=sha, rel_path=rel, duration_ms=60_000 + n * 7000,
                        origin="bench", engine="bench", voice="", source_sha256="bench")
        bulletins.append(b)
    first = date(2026, 11, 1)
    series = []
    for title, start, days in (("Sáng", clock(6), MONDAY_TO_SATURDAY),
                               ("Trưa", clock(11), MONDAY_TO_SATURDAY),
                               ("Chiều", clock(17), MONDAY_TO_SATURDAY),
                               ("Tối Chủ nhật", clock(21, 30), frozenset({6}))):
        items = [ItemSpec.bulletin(b) for b in bulletins[len(series) * 5:len(series) * 5 + 4]]
        series.append(db.add_series(title=title, start=start, weekdays=days,
                                    valid_from=first, valid_until=None, length_s=2700,
                                    items=items))
    for day in range(60):
        at = parse_local_datetime(f"{date(2026, 11, 1) + timedelta(days=day)} 09:00")
        db.add_session(at, bulletins[day % 50:day % 50 + 2], title=f"Một lần {day}")
    for n in range(5):
        db.add_campaign(bulletin_id=bulletins[30 + n], first_day=first,
                        last_day=date(2027, 1, 31), series_ids=[series[n % 3]],
                        window=(clock(4), clock(18)), max_per_day=2)
    for n in range(20):
        day = date(2026, 11, 16) + timedelta(days=n)
        if day.weekday() == 6:
            continue
        if n % 3 == 0:
            db.change_occurrence(series[0], day, cancel=True)
        elif n % 3 == 1:
            db.change_occurrence(series[1], day, move_to=parse_local_datetime(
                f"{day + timedelta(days=1)} 14:00"))
        else:
            db.change_occurrence(series[2], day, length_s=3600)
    db.set_quiet_hours([(clock(22), clock(5)), (clock(11, 30), clock(13, 30))])
    for n in range(log_entries):
        at = NOW - timedelta(minutes=5 * (log_entries - n))
        db.add_log_entry(scheduled_at=at, status=LogStatus.PLAYED, bulletin_id=bulletins[n % 60],
                         bulletin_title=f"Bản tin số {n % 60}", started_at=at,
                         ended_at=at + timedelta(seconds=60), audio_sha256=sha,
                         played_ms=60_000, output_device="bench")
    db.add_log_entry(scheduled_at=NOW, status=LogStatus.PLAYING, bulletin_id=bulletins[0],
                     bulletin_title="Bản tin số 0", started_at=NOW - timedelta(seconds=1),
                     audio_sha256=sha, output_device="bench")
    db.beat(NOW)
    _ = EVERY_DAY


def _times(action, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        begun = time.perf_counter()
        action()
        out.append((time.perf_counter() - begun) * 1000)
    return out


def _line(name: str, values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]
    return (f"{name:<34} median {statistics.median(values):7.2f} ms   p95 {p95:7.2f} ms   "
            f"max {max(values):7.2f} ms")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--log", type=int, default=5000)
    parser.add_argument("--minutes", type=int, default=30, help="length of the metered file")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    folder = Path(tempfile.mkdtemp(prefix="loaxa-bench-gui-"))
    os.environ["LOAXA_HOME"] = str(folder / "home")

    from PySide6.QtWidgets import QApplication

    from app.gui import onair_support as support
    from app.gui.tasks import TaskRunner
    from app.gui.views.onair import OnAirView
    from app.gui.views.schedule import ScheduleView
    from app.services import open_context

    app = QApplication.instance() or QApplication(sys.argv)
    ctx = open_context("gui")
    print(f"populating (log of {args.log} entries)…", flush=True)
    populate(ctx, folder, args.log)
    support.default_output_name = lambda: "bench"  # the device query runs off the GUI thread
    runner = TaskRunner()
    schedule = ScheduleView(ctx, runner, now=lambda: NOW)
    schedule.resize(1400, 900)
    schedule.show()
    app.processEvents()
    sessions = len(schedule.timetable.blocks)
    print(f"week shown: {sessions} blocks, {len(schedule.problems)} problems")
    print(_line("ScheduleView.reload()", _times(schedule.reload, args.runs)))

    def changed() -> None:  # after the operator's own change: the schedule loaded again
        schedule.cache.schedule = None
        schedule.refresh_now()

    print(_line("refresh after an own change", _times(changed, args.runs)))

    elsewhere = []  # a change from elsewhere: the GUI thread only starts the load
    for _ in range(args.runs):
        schedule.cache.revision = None
        begun = time.perf_counter()
        schedule.reload()
        elsewhere.append((time.perf_counter() - begun) * 1000)
        schedule.pool.waitForDone()
        app.processEvents()  # the loaded schedule is shown (not timed: resolve and draw)
    print(_line("reload, changed elsewhere (GUI)", elsewhere))
    print(_line("timetable paint (grab)", _times(schedule.timetable.grab, args.runs)))
    print(_line("next week (reload)", _times(schedule.next_button.click, args.runs)))

    onair = OnAirView(ctx, runner, now=lambda: NOW)
    onair.resize(1100, 800)
    onair.show()
    onair.wait(60_000)
    app.processEvents()
    print(_line("OnAirView.reload()", _times(onair.reload, args.runs)))
    onair.wait()
    onair._ticks = 1

    def tick() -> None:
        onair._ticks = 1  # not the 30th second (heartbeat query) nor the 10th (device query)
        onair.tick()

    print(_line("OnAirView.tick() (every second)", _times(tick, args.runs)))
    print(_line("update_meter() (every 100 ms)", _times(onair.update_meter, args.runs * 10)))

    long_file = _wav(folder / "dai.wav", args.minutes * 60)
    tracemalloc.start()
    begun = time.perf_counter()
    profile = support.level_profile(long_file)
    spent = time.perf_counter() - begun
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"level_profile of {args.minutes} min (off the GUI thread): {spent:.2f} s, "
          f"{len(profile.rms)} windows, peak Python memory {peak / 2**20:.0f} MB")
    ctx.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
