"""A month's report data (all aggregates, by SQL) on a SQLite log of 1,000,000 entries over
five years (target ≤ 300 ms), and the CSV export of all of them (target ≤ 8 s).

Run:  python -m tests.benchmarks.bench_report [--entries 1000000] [--repeat 5] [--csv]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from scheduler.export import export_log_csv
from scheduler.persistence.reports_db import report_data
from tests.benchmarks.logfill import make_database

MONTHS = (date(2022, 3, 1), date(2023, 7, 1), date(2024, 2, 1), date(2025, 11, 1),
          date(2026, 12, 1))


def _month_end(first: date) -> date:
    import calendar

    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--csv", action="store_true", help="also export all entries as CSV")
    parser.add_argument("--keep", type=Path, help="database file to (re)use")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="loaxa-bench-report-"))
    path = args.keep or folder / "log.db"
    if args.keep and path.exists():
        from scheduler.persistence import Database

        db = Database("sqlite:///" + path.as_posix())
        db.upgrade()
        print(f"reusing {path}")
    else:
        db, fill = make_database(path, args.entries)
        print(f"filled {args.entries:,} entries in {fill:.1f} s ({path.stat().st_size >> 20} MB)")
    report_data(db, MONTHS[0], _month_end(MONTHS[0]))  # warm the page cache
    timings, cpu = [], []
    for _ in range(args.repeat):
        for first in MONTHS:
            started, started_cpu = time.perf_counter(), time.process_time()
            data = report_data(db, first, _month_end(first))
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
    print(f"month's report data ({data.entries:,} entries, {len(data.titles)} titles): "
          f"median {statistics.median(timings):.0f} ms, min {min(timings):.0f} ms, "
          f"max {max(timings):.0f} ms over {len(timings)} runs; CPU median "
          f"{statistics.median(cpu):.0f} ms")
    year = []
    for _ in range(max(1, args.repeat // 2)):
        started = time.perf_counter()
        data = report_data(db, date(2025, 1, 1), date(2025, 12, 31))
        year.append((time.perf_counter() - started) * 1000)
    print(f"a year's report data ({data.entries:,} entries): median "
          f"{statistics.median(year):.0f} ms")
    if args.csv:
        out = folder / "all.csv"
        started, started_cpu = time.perf_counter(), time.process_time()
        count = export_log_csv(db, date(2000, 1, 1), date(2100, 1, 1), out)
        print(f"CSV export of all {count:,} entries: {time.perf_counter() - started:.1f} s, "
              f"CPU {time.process_time() - started_cpu:.1f} s ({out.stat().st_size >> 20} MB)")
    db.close()
    print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
