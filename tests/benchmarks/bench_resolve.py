"""Resolving a year of the schedule into timelines, and checking it (target ≤ 200 ms).

A busy commune's year: three daily series (06:00, 11:00, 17:00 Monday–Saturday, a 21:30
Sunday one) with four to six items each (station-ID jingle, priority and normal bulletins, a
relay with a fallback), one one-off session a week, five campaigns with windows and caps,
twenty occurrence changes (moves across days, cancels, extensions), quiet hours 22:00–05:00.

Also times the per-poll helpers the playout engine calls (due sessions in a 15-minute grace
window, the next session, one day).

Run:  python -m tests.benchmarks.bench_resolve [--runs 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock

from scheduler.schedule import (
    EVERY_DAY,
    MONDAY_TO_SATURDAY,
    AudioInfo,
    BulletinInfo,
    Campaign,
    ItemSpec,
    OccurrenceChange,
    OneOffSession,
    QuietHours,
    Schedule,
    SessionSeries,
    check,
    due_sessions,
    next_session,
    resolve_day,
    resolve_range,
)
from scheduler.timeutil import LOCAL_TZ

FIRST = date(2027, 1, 1)
LAST = date(2027, 12, 31)
JINGLE = 1


def build() -> Schedule:
    bulletins = {}
    for number in range(1, 61):
        level = "priority" if number % 10 == 0 else "normal"
        bulletins[number] = BulletinInfo(
            id=number, title=f"Bản tin {number}", level=level, priority_rank=number % 3,
            rendered=number % 17 != 0, duration=60.0 + number * 7, audio_present=True,
            valid_from=FIRST + timedelta(days=number * 3) if number % 4 == 0 else None,
            valid_until=FIRST + timedelta(days=90 + number * 4) if number % 5 == 0 else None)
    audio = {JINGLE: AudioInfo(JINGLE, "Hiệu đài", 8.0), 2: AudioInfo(2, "Nhạc", 120.0)}
    relay = ItemSpec.relay("http://vov1.example/live", 900, fallback=ItemSpec.bulletin(3))
    series = (
        SessionSeries(1, "Sáng 06:00 hằng ngày", clock(6), EVERY_DAY, FIRST, None, 2700,
                      (relay, ItemSpec.bulletin(10), ItemSpec.bulletin(1),
                       ItemSpec.bulletin(2), ItemSpec.bulletin(5))),
        SessionSeries(2, "Trưa 11:00 hằng ngày", clock(11), EVERY_DAY, FIRST, None, 1800,
                      (ItemSpec.bulletin(4), ItemSpec.bulletin(6), ItemSpec.audio(2))),
        SessionSeries(3, "Chiều 17:00 thứ Hai–thứ Bảy", clock(17), MONDAY_TO_SATURDAY, FIRST,
                      None, 1800, (ItemSpec.bulletin(20), ItemSpec.bulletin(7),
                                   ItemSpec.bulletin(8), ItemSpec.bulletin(9))),
        SessionSeries(4, "Tối Chủ nhật", clock(21, 30), frozenset({6}), FIRST, None, 3600,
                      (ItemSpec.bulletin(11), ItemSpec.bulletin(12))),
    )
    one_offs = tuple(
        OneOffSession(100 + week, datetime.combine(FIRST + timedelta(days=7 * week + 2),
                                                   clock(19), LOCAL_TZ),
                      f"Họp dân tuần {week + 1}", 1200,
                      (ItemSpec.bulletin(13 + week % 20), ItemSpec.bulletin(30)))
        for week in range(52))
    campaigns = (
        Campaign(1, 40, FIRST, LAST, window=(clock(4), clock(11, 59)), max_per_day=2),
        Campaign(2, 41, date(2027, 3, 1), date(2027, 6, 30), max_per_day=1),
        Campaign(3, 42, FIRST, LAST, series_ids=frozenset({3}), max_per_day=None),
        Campaign(4, 50, date(2027, 9, 1), date(2027, 9, 30), window=(clock(16), clock(7))),
        Campaign(5, 43, FIRST, LAST, max_per_day=3),
    )
    changes = []
    for n in range(20):
        day = FIRST + timedelta(days=11 + n * 17)
        if n % 3 == 0:
            changes.append(OccurrenceChange(1, day, cancel=True))
        elif n % 3 == 1:
            moved = datetime.combine(day + timedelta(days=1), clock(8), LOCAL_TZ)
            changes.append(OccurrenceChange(2, day, move_to=moved))
        else:
            changes.append(OccurrenceChange(1, day, length=3600))
    return Schedule(series=series, one_offs=one_offs, changes=tuple(changes),
                    campaigns=campaigns, bulletins=bulletins, audio=audio,
                    quiet_hours=QuietHours(((clock(22), clock(5)),)),
                    station_jingle_id=JINGLE)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    schedule = build()
    timeline = resolve_range(schedule, FIRST, LAST)  # warm-up
    problems = check(timeline)
    items = sum(len(s.items) for s in timeline.sessions)
    print(f"{len(timeline.sessions)} sessions, {items} items, {len(problems)} findings "
          f"over {(LAST - FIRST).days + 1} days")
    # wall time, and this process's CPU time (less disturbed when the machine is shared)
    resolve_ms, check_ms, resolve_cpu, check_cpu = [], [], [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        timeline = resolve_range(schedule, FIRST, LAST)
        middle, middle_cpu = time.perf_counter(), time.process_time()
        check(timeline)
        resolve_ms.append((middle - started) * 1000)
        check_ms.append((time.perf_counter() - middle) * 1000)
        resolve_cpu.append((middle_cpu - started_cpu) * 1000)
        check_cpu.append((time.process_time() - middle_cpu) * 1000)
    for name, values in (("resolve a year, wall", resolve_ms),
                         ("resolve a year, CPU", resolve_cpu),
                         ("check a year, wall", check_ms), ("check a year, CPU", check_cpu)):
        values.sort()
        print(f"{name}: median {statistics.median(values):.1f} ms, "
              f"p95 {values[int(len(values) * 0.95)]:.1f} ms, min {values[0]:.1f} ms, "
              f"max {values[-1]:.1f} ms over {runs} runs")
    now = datetime(2027, 5, 5, 3, 0, tzinfo=UTC)  # 10:00 in Vietnam
    helpers = (("due_sessions (15 min window)",
                lambda: due_sessions(schedule, now, timedelta(minutes=15))),
               ("next_session", lambda: next_session(schedule, now)),
               ("resolve_day", lambda: resolve_day(schedule, date(2027, 5, 5))))
    for name, call in helpers:
        call()
        values = []
        for _ in range(runs * 10):
            started = time.perf_counter()
            call()
            values.append((time.perf_counter() - started) * 1000)
        values.sort()
        print(f"{name}: median {statistics.median(values):.2f} ms, "
              f"p95 {values[int(len(values) * 0.95)]:.2f} ms over {len(values)} runs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
