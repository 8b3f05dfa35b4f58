"""The centre's consolidated report: the data of one month's report (every commune's figures,
totals, categories, documents, failures, emergencies, silent communes) on 1,000,000 entries
in ``centre_log_entry`` — 30 communes × about 5 years — on SQLite and on PostgreSQL.
Target: ≤ 300 ms on each.

Run:  python -m tests.benchmarks.bench_centre_report [--entries 1000000] [--repeat 3]
          [--only sqlite|postgresql] [--cache DIR] [--files]

The SQLite file is kept in ``--cache`` (default: the temporary folder) and reused while the
generator and the schema are unchanged. PostgreSQL runs on a throwaway server started here
(like the tests' ``postgres_server``), filled by COPY with the same rows.
"""

from __future__ import annotations

import argparse
import calendar
import hashlib
import os
import random
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path

from scheduler.persistence import Database
from scheduler.persistence.centre_reports_db import centre_communes, centre_report_data
from scheduler.timeutil import LOCAL_TZ

GENERATOR_VERSION = 2
COMMUNES = 30
START_DAY = date(2022, 1, 1)
MONTHS = (date(2022, 3, 1), date(2023, 7, 1), date(2024, 2, 1), date(2025, 11, 1),
          date(2026, 12, 1))
CATEGORIES = ("Y tế", "Chuyển đổi số", "Nông nghiệp", "An ninh trật tự",
              "Phòng chống thiên tai", "Giáo dục", "Bầu cử", "Môi trường")
DOCUMENTS = ("07/CT-TTg", "06/QĐ-TTg", "25/CT-UBND", "15/2023/QĐ-UBND", "39/2020/TT-BTTTT",
             "", "", "")
SESSION_TIMES = (dtime(6, 0), dtime(11, 0), dtime(17, 0))
REASONS = {"failed": "no_output", "missed": "missed_while_down",
           "interrupted": "process_stopped", "partial": "output_lost",
           "skipped": "quiet_hours"}
COLUMNS = ("station_id", "seq", "prev_hash", "entry_hash", "sealed_at", "scheduled_at",
           "started_at", "ended_at", "status", "reason", "played_ms", "session_id",
           "session_item_id", "session_key", "item_position", "item_kind", "bulletin_id",
           "bulletin_title", "level", "category", "document_ref", "audio_sha256",
           "output_device", "triggered_by", "note", "corrects_seq", "received_at")
_FMT = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy stores DateTime on SQLite


def _station(n: int) -> tuple[str, str, str, str]:
    """(station id, public key, commune name, admin code) of commune ``n``."""
    public = hashlib.sha256(f"loaxa-bench-commune-{n}".encode()).hexdigest()
    station = hashlib.sha256(bytes.fromhex(public)).hexdigest()[:16]
    return station, public, f"Xã Thử Nghiệm {n:02d}", f"{24100 + n:05d}"


def generate(entries: int, seed: int = 11) -> Iterator[tuple]:
    """Rows of ``centre_log_entry`` (times as naive UTC text), commune after commune as
    imports store them, each commune's chain in seq order: three sessions a day of 5–7
    items (chimes and bulletins), some sessions missed or failed whole, partial, interrupted
    and skipped items, an emergency now and then, and a few corrections."""
    rng = random.Random(seed)
    province_titles = [(f"Tuyên truyền số {n}: {CATEGORIES[n % 8].lower()} — hướng dẫn "
                        f"thực hiện trên địa bàn", CATEGORIES[n % 8], DOCUMENTS[n % 8])
                       for n in range(300)]
    per_commune = [entries // COMMUNES + (1 if n < entries % COMMUNES else 0)
                   for n in range(COMMUNES)]
    for n in range(COMMUNES):
        station, _, name, _ = _station(n)
        local_titles = [(f"Thông báo của UBND {name} số {k}", "Thông tin địa phương", "")
                        for k in range(60)]
        seq, target, day, oneoff = 0, per_commune[n], START_DAY, 0
        sealed: list[tuple] = []  # recent entries, for corrections
        while seq < target:
            for slot, at in enumerate(SESSION_TIMES):
                if seq >= target:
                    break
                local = datetime.combine(day, at, LOCAL_TZ) + timedelta(
                    seconds=rng.randrange(0, 120))
                when = local.astimezone(UTC).replace(tzinfo=None)
                if rng.random() < 0.1:
                    oneoff += 1
                    key, session_id = f"oneoff:{oneoff}", oneoff
                else:
                    key, session_id = f"series:{slot + 1}:{day.isoformat()}", None
                whole = rng.random()
                session_status = "missed" if whole < 0.03 else "failed" if whole < 0.05 \
                    else ""
                for position in range(rng.randrange(5, 8)):
                    if seq >= target:
                        break
                    seq += 1
                    if position in (0,):
                        title, category, document, kind = "", "", "", "chime"
                        length = 8_000
                    else:
                        title, category, document = (
                            rng.choice(local_titles) if rng.random() < 0.25
                            else rng.choice(province_titles))
                        kind, length = "bulletin", rng.randrange(60_000, 420_000)
                    roll = rng.random()
                    status = session_status or (
                        "played" if roll < 0.95 else "partial" if roll < 0.965
                        else "interrupted" if roll < 0.975 else "skipped" if roll < 0.99
                        else "failed")
                    played = length if status == "played" else \
                        length // 3 if status in ("partial", "interrupted") else 0
                    started = when if played else None
                    ended = when + timedelta(milliseconds=played) if played else None
                    level, who, entry_key, entry_session = "normal", "", key, session_id
                    if rng.random() < 0.001:  # an emergency broadcast, outside any session
                        level, who, entry_key, entry_session = \
                            "emergency", "Chủ tịch UBND xã", "", None
                    row = [station, seq, "0" * 64, f"{seq:064x}", None,
                           when.strftime(_FMT), started and started.strftime(_FMT),
                           ended and ended.strftime(_FMT), status, REASONS.get(status, ""),
                           played, entry_session, None, entry_key, position, kind, None,
                           title, level, category, document, "ab" * 32, "Loa chính", who, "",
                           None, None]
                    if rng.random() < 0.0002 and sealed:  # a correction of an earlier entry
                        old = list(sealed[rng.randrange(len(sealed))])
                        row = old[:]
                        row[1], row[3] = seq, f"{seq:064x}"
                        row[8], row[9], row[10] = "failed", "no_output", 0
                        row[23], row[24], row[25] = "Cán bộ xã", "loa hỏng, sửa lại", old[1]
                    sealed_at = (when + timedelta(minutes=10)).strftime(_FMT)
                    row[4], row[26] = sealed_at, sealed_at
                    sealed.append(tuple(row))
                    if len(sealed) > 50:
                        sealed.pop(0)
                    yield tuple(row)
                    when += timedelta(milliseconds=length + 2_000)
            day += timedelta(days=1)


def _register(db: Database, silent_extra: bool = True) -> None:
    from scheduler.logbook.chain import station_id_from_public_key

    for n in range(COMMUNES + (1 if silent_extra else 0)):
        station, public, name, code = _station(n)
        assert station_id_from_public_key(public) == station
        db.centre_register(public, name, code)


def fill_sqlite(path: Path, entries: int) -> float:
    path.unlink(missing_ok=True)
    db = Database("sqlite:///" + path.as_posix())
    db.upgrade()
    db.set_station(centre_name="Trung tâm Văn hóa, Thể thao và Truyền thông tỉnh")
    _register(db)
    db.close()
    started = time.perf_counter()
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA synchronous=OFF")
    indexes = connection.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND "
        "tbl_name = 'centre_log_entry' AND sql IS NOT NULL").fetchall()
    sql = (f"INSERT INTO centre_log_entry ({', '.join(COLUMNS)}) "
           f"VALUES ({', '.join('?' * len(COLUMNS))})")
    with connection:
        for name, _ in indexes:
            connection.execute(f'DROP INDEX "{name}"')
        connection.executemany(sql, generate(entries))
        for _, create in indexes:
            connection.execute(create)
    connection.execute("ANALYZE")
    connection.close()
    return time.perf_counter() - started


def fill_postgresql(url: str, entries: int) -> float:
    db = Database(url)
    db.upgrade()
    _register(db)
    db.close()
    import psycopg

    started = time.perf_counter()
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as connection:
        with connection.cursor() as cursor:
            indexes = cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = "
                "'centre_log_entry' AND indexname NOT LIKE 'pk_%' AND indexname NOT LIKE "
                "'uq_%'").fetchall()
            for name, _ in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
            with cursor.copy(f"COPY centre_log_entry ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for row in generate(entries):
                    copy.write_row([f"{v}+00" if i in (4, 5, 6, 7, 26) and v else v
                                    for i, v in enumerate(row)])
            for _, create in indexes:
                cursor.execute(create)
        connection.commit()
        connection.autocommit = True
        connection.execute("VACUUM ANALYZE centre_log_entry")
    return time.perf_counter() - started


def _month_end(first: date) -> date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def measure(db: Database, label: str, repeat: int, files: Path | None) -> None:
    communes = centre_communes(db)
    centre_report_data(db, MONTHS[0], _month_end(MONTHS[0]), communes)  # warm the cache
    timings, cpu = [], []
    for _ in range(repeat):
        for first in MONTHS:
            started, started_cpu = time.perf_counter(), time.process_time()
            data = centre_report_data(db, first, _month_end(first), centre_communes(db))
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
    print(f"{label}: month's consolidated report data ({data.entries:,} entries, "
          f"{len(data.reporting)} communes reporting, {len(data.silent)} silent): median "
          f"{statistics.median(timings):.0f} ms, min {min(timings):.0f} ms, max "
          f"{max(timings):.0f} ms over {len(timings)} runs; CPU median "
          f"{statistics.median(cpu):.0f} ms; load {os.getloadavg()[0]:.1f}", flush=True)
    some = [c for c in communes][:5]
    picked = []
    for first in MONTHS:
        started = time.perf_counter()
        centre_report_data(db, first, _month_end(first), some)
        picked.append((time.perf_counter() - started) * 1000)
    print(f"{label}: the same for 5 communes: median {statistics.median(picked):.0f} ms")
    started = time.perf_counter()
    year = centre_report_data(db, date(2025, 1, 1), date(2025, 12, 31), communes)
    print(f"{label}: a year's report data ({year.entries:,} entries): "
          f"{(time.perf_counter() - started) * 1000:.0f} ms", flush=True)
    if files is not None:
        from scheduler.reports.centre import write_centre_report

        fonts = Path(__file__).resolve().parents[2] / "resources" / "fonts"
        for suffix in ("pdf", "xlsx", "csv"):
            out = files / f"centre-{label}.{suffix}"
            started = time.perf_counter()
            write_centre_report(db, MONTHS[3], _month_end(MONTHS[3]), out, fonts_dir=fonts)
            print(f"{label}: {suffix.upper()} file of a month: "
                  f"{(time.perf_counter() - started) * 1000:.0f} ms")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--files", action="store_true", help="also time the report files")
    args = parser.parse_args()
    # stopped from outside: the throwaway server is still stopped and deleted
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    files = Path(tempfile.mkdtemp(prefix="loaxa-bench-centre-")) if args.files else None
    if args.only != "postgresql":
        args.cache.mkdir(parents=True, exist_ok=True)
        path = args.cache / f"loaxa-bench-centre-{args.entries}-v{GENERATOR_VERSION}.db"
        if path.exists():
            db = Database("sqlite:///" + path.as_posix())
            db.upgrade()  # a newer migration (an index) is applied to the cached file
            print(f"reusing {path}")
        else:
            fill = fill_sqlite(path, args.entries)
            print(f"SQLite: filled {args.entries:,} entries in {fill:.1f} s "
                  f"({path.stat().st_size >> 20} MB, kept as {path})", flush=True)
            db = Database("sqlite:///" + path.as_posix())
        measure(db, "SQLite", args.repeat, files)
        db.close()
    if args.only != "sqlite":
        from tests.benchmarks.pgserver import throwaway_postgres

        with throwaway_postgres() as server:
            url = f"{server}/postgres"
            fill = fill_postgresql(url, args.entries)
            print(f"PostgreSQL: filled {args.entries:,} entries by COPY in {fill:.1f} s",
                  flush=True)
            db = Database(url)
            measure(db, "PostgreSQL", args.repeat, files)
            db.close()
    print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
