"""The Log view on a large log: what the GUI thread waits for (a page of entries, newest
first, with and without filters) and what runs in the background (the count, the chain
check of every sealed entry).

The log is filled by ``logfill`` (100,000 entries over five years by default), then sealed
into the hash chain by LoaXa's own code (``set_station_public_key`` seals what waited for a
key), so the chain check reads what a commune with years of log has.

Run:  python -m tests.benchmarks.bench_log_view [--entries N] [--repeat R]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from scheduler.logbook.keys import StationKey
from scheduler.logbook.verify_local import verify_local_chain
from scheduler.persistence.log_query import LogFilter, count_log_entries, log_categories, log_page
from scheduler.timeutil import local_day_range
from tests.benchmarks.logfill import make_database


def timed(call: Callable[[], object], repeat: int
          ) -> tuple[float, float, float, object]:
    """Wall time min and max, CPU time min, and the last result."""
    times, cpu, result = [], [], None
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = call()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return min(times), max(times), min(cpu), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db, fill_s = make_database(Path(folder) / "log.db", args.entries)
        key = StationKey(Ed25519PrivateKey.generate())
        started = time.perf_counter()
        db.set_station_public_key(key.public_hex)
        seal_s = time.perf_counter() - started
        print(f"{args.entries} entries: fill {fill_s:.1f} s, sealing {seal_s:.1f} s")
        month = local_day_range(date(2024, 11, 1), date(2024, 11, 30))
        first = log_page(db, LogFilter())
        cases = {
            "first page (200), no filter": lambda: log_page(db, LogFilter()),
            "next page": lambda: log_page(db, LogFilter(),
                                          (first[-1].scheduled_at, first[-1].id)),
            "first page, status failed": lambda: log_page(db, LogFilter(statuses=("failed",))),
            "first page, one month": lambda: log_page(db, LogFilter(*month)),
            "first page, title found (\"Y TẾ\")": lambda: log_page(db, LogFilter(title="Y TẾ")),
            "first page, title not found": lambda: log_page(db, LogFilter(title="không có")),
            "categories": lambda: log_categories(db),
            "count, no filter (background)": lambda: count_log_entries(db, LogFilter()),
            "count, title (background)": lambda: count_log_entries(db, LogFilter(title="y tế")),
        }
        for name, call in cases.items():
            low, high, cpu, _ = timed(call, args.repeat)
            print(f"{name:42s} {low * 1000:8.1f} – {high * 1000:8.1f} ms wall, "
                  f"CPU {cpu * 1000:6.1f} ms")
        low, high, cpu, report = timed(lambda: verify_local_chain(db),
                                       max(1, args.repeat // 2))
        print(f"{'chain check, every entry (background)':42s} {low:8.2f} – {high:8.2f} s wall, "
              f"CPU {cpu:5.2f} s  ok={report.ok} checked={report.checked}")
        db.close()


if __name__ == "__main__":
    main()
