"""XLSX export: the candidate libraries on the same 100,000 rows × 8 columns (ids, two
date-times, texts with Vietnamese letters, numbers), then LoaXa's own export of 100,000 log
entries from SQLite (target ≤ 4 s), with the dates checked to be real Excel dates; then
LoaXa's CSV export of 1,000,000 entries over five years (target ≤ 8 s), with the peak
memory of the process during the export.

Run:  python -m tests.benchmarks.bench_export [--rows 100000] [--repeat 3]
          [--csv-rows 1000000] [--csv-db FILE] [--skip-libraries]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

HEADERS = ("Mã nhật ký", "Giờ dự kiến", "Bắt đầu thực tế", "Trạng thái", "Tên bản tin",
           "Lĩnh vực", "Văn bản", "Thời lượng (giây)")
DATE_FORMAT = "dd/mm/yyyy hh:mm:ss"


def sample_rows(count: int) -> list[tuple]:
    start = datetime(2026, 1, 1, 6, 0)
    return [(n, start + timedelta(minutes=7 * n), start + timedelta(minutes=7 * n, seconds=2),
             "đã phát", f"Thông báo số {n % 400} về phòng, chống sốt xuất huyết",
             "Y tế", "25/CT-UBND", 120 + n % 300) for n in range(count)]


def with_openpyxl(rows: list[tuple], out: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Chi tiết")
    sheet.append(HEADERS)
    for row in rows:
        cells = list(row)
        for i in (1, 2):
            cell = WriteOnlyCell(sheet, value=row[i])
            cell.number_format = DATE_FORMAT
            cells[i] = cell
        sheet.append(cells)
    book.save(out)


def with_xlsxwriter(rows: list[tuple], out: Path) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(out), {"constant_memory": True})
    sheet = book.add_worksheet("Chi tiết")
    when = book.add_format({"num_format": DATE_FORMAT})
    sheet.write_row(0, 0, HEADERS)
    for r, row in enumerate(rows, start=1):
        sheet.write_number(r, 0, row[0])
        sheet.write_datetime(r, 1, row[1], when)
        sheet.write_datetime(r, 2, row[2], when)
        sheet.write_string(r, 3, row[3])
        sheet.write_string(r, 4, row[4])
        sheet.write_string(r, 5, row[5])
        sheet.write_string(r, 6, row[6])
        sheet.write_number(r, 7, row[7])
    book.close()


def with_rustpy(rows: list[tuple], out: Path) -> None:
    from rustpy_xlsxwriter import FastExcel

    records = (dict(zip(HEADERS, row, strict=True)) for row in rows)
    (FastExcel(str(out)).format(datetime_format=DATE_FORMAT)
     .sheet("Chi tiết", records).save())


def check_dates(out: Path, expected: datetime) -> str:
    """Read back with openpyxl: B2 must be a date cell holding ``expected``."""
    from openpyxl import load_workbook

    sheet = load_workbook(out, read_only=True).worksheets[-1]
    cell = next(sheet.iter_rows(min_row=2, max_row=2, min_col=2, max_col=2))[0]
    ok = cell.is_date and cell.value == expected
    return "real dates" if ok else f"NOT real dates ({cell.value!r}, {cell.number_format})"


def timed(write: Callable[[list[tuple], Path], None], rows: list[tuple], folder: Path,
          repeat: int) -> tuple[list[float], list[float], Path]:
    """Wall-clock and CPU seconds of each run (CPU time shows the work itself when other
    processes share the machine)."""
    runs, cpu = [], []
    out = folder / f"{write.__name__}.xlsx"
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        write(rows, out)
        runs.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return runs, cpu, out


def describe(runs: list[float], cpu: list[float]) -> str:
    return (f"median {statistics.median(runs):6.2f} s (min {min(runs):.2f}, max "
            f"{max(runs):.2f}); CPU median {statistics.median(cpu):.2f} s")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-libraries", action="store_true")
    parser.add_argument("--csv-rows", type=int, default=1_000_000,
                        help="entries of the CSV export's database (0: no CSV run)")
    parser.add_argument("--csv-db", type=Path,
                        help="the CSV export's database file, kept and reused if it exists")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="loaxa-bench-export-"))
    if not args.skip_libraries:
        rows = sample_rows(args.rows)
        print(f"{args.rows:,} rows × {len(HEADERS)} columns, {args.repeat} runs each:")
        for write in (with_openpyxl, with_xlsxwriter, with_rustpy):
            runs, cpu, out = timed(write, rows, folder, args.repeat)
            print(f"  {write.__name__:16} {describe(runs, cpu)}, "
                  f"{out.stat().st_size >> 10} KB, {check_dates(out, rows[0][1])}")

    from scheduler.export import export_log_csv, export_log_xlsx
    from tests.benchmarks.logfill import make_database

    db, fill = make_database(folder / "log.db", args.rows, years=1.0,
                             start=datetime(2026, 1, 1, tzinfo=UTC))
    print(f"LoaXa export of {args.rows:,} log entries from SQLite (filled in {fill:.1f} s):")
    runs, cpu = [], []
    out = folder / "loaxa.xlsx"
    for _ in range(args.repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        count = export_log_xlsx(db, date(2025, 12, 1), date(2027, 1, 31), out)
        runs.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    from openpyxl import load_workbook

    sheet = load_workbook(out, read_only=True)["Chi tiết"]
    cell = next(sheet.iter_rows(min_row=2, max_row=2, min_col=2, max_col=2))[0]
    dates = ", real dates" if cell.is_date else ", NOT real dates"
    print(f"  XLSX  {count:,} rows: {describe(runs, cpu)}{dates}")
    db.close()
    if args.csv_rows:
        csv_export(folder, args.csv_rows, args.csv_db, args.repeat, export_log_csv)
    print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    shutil.rmtree(folder, ignore_errors=True)
    return 0


def rss_mb() -> float:
    """This process's resident memory now (Linux), else its peak so far, in MB."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def csv_export(folder: Path, entries: int, keep: Path | None, repeat: int,
               export: Callable[..., int]) -> None:
    """The CSV export of every entry of a five-year log, ``repeat`` times, with the peak
    resident memory during each run (sampled every 10 ms)."""
    from scheduler.persistence import Database
    from tests.benchmarks.logfill import make_database

    path = keep or folder / "log-csv.db"
    if keep and path.exists():
        db = Database("sqlite:///" + path.as_posix())
        db.upgrade()
        print(f"CSV: reusing {path}")
    else:
        db, fill = make_database(path, entries)
        print(f"CSV: {entries:,} entries over five years filled in {fill:.1f} s")
    out = folder / "loaxa.csv"
    runs, cpu, peaks = [], [], []
    for _ in range(repeat):
        before, peak, done = rss_mb(), [0.0], threading.Event()

        def sample(peak: list[float] = peak, done: threading.Event = done) -> None:
            while not done.wait(0.01):
                peak[0] = max(peak[0], rss_mb())

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        started, started_cpu = time.perf_counter(), time.process_time()
        count = export(db, date(2000, 1, 1), date(2100, 1, 1), out)
        runs.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        done.set()
        sampler.join()
        peaks.append((before, max(peak[0], rss_mb())))
    db.close()
    print(f"  CSV   {count:,} rows: {describe(runs, cpu)}, {out.stat().st_size >> 20} MB; "
          f"runs: {', '.join(f'{r:.2f}' for r in runs)} s")
    print("  resident memory before → peak during each run: "
          + ", ".join(f"{b:.0f} → {p:.0f} MB" for b, p in peaks))


if __name__ == "__main__":
    sys.exit(main())
