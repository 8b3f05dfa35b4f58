"""Fill a migrated SQLite database with synthetic broadcast-log entries fast (one
transaction, executemany, synchronous off) for the export and report benchmarks."""

from __future__ import annotations

import random
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from scheduler.persistence import Database

CATEGORIES = ("Y tế", "Chuyển đổi số", "Nông nghiệp", "An ninh trật tự",
              "Phòng chống thiên tai", "Giáo dục", "")
DOCUMENTS = ("07/CT-TTg", "06/QĐ-TTg", "25/CT-UBND", "")
STATUSES = ("played",) * 16 + ("partial", "failed", "missed", "interrupted")
REASONS = {"failed": "no_output", "missed": "missed_while_down",
           "interrupted": "process_died", "partial": "stopped_by_operator"}
_FMT = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy stores DateTime on SQLite


def make_database(path: Path, entries: int, years: float = 5.0,
                  start: datetime = datetime(2022, 1, 1, tzinfo=UTC),
                  seed: int = 7) -> tuple[Database, float]:
    """A database at ``path`` holding ``entries`` log entries spread evenly over
    ``years`` from ``start``; returns it and the seconds the fill took."""
    path.unlink(missing_ok=True)
    db = Database("sqlite:///" + path.as_posix())
    db.upgrade()
    db.set_station(commune_name="Xã Hòa Bình", admin_code="24121",
                   centre_name="Trung tâm Truyền thông tỉnh")
    rng = random.Random(seed)
    step = timedelta(days=365.25 * years) / entries
    titles = [f"Bản tin số {n}: tuyên truyền chính sách về {CATEGORIES[n % 6].lower()}"
              for n in range(400)]
    started = time.perf_counter()
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA synchronous=OFF")
    columns = ("scheduled_at", "started_at", "ended_at", "status", "reason", "bulletin_title",
               "audio_sha256", "played_ms", "output_device", "session_key", "item_position",
               "item_kind", "level", "category", "document_ref", "triggered_by", "note",
               "station_id", "prev_hash", "entry_hash", "created_at", "updated_at")
    sql = (f"INSERT INTO broadcast_log_entry ({', '.join(columns)}) "
           f"VALUES ({', '.join('?' * len(columns))})")

    def rows() -> object:
        for n in range(entries):
            at = start + step * n
            text_at = at.replace(tzinfo=None).strftime(_FMT)
            status = STATUSES[rng.randrange(len(STATUSES))]
            number = rng.randrange(len(titles))
            title = titles[number]  # category and document belong to the bulletin
            played = rng.randrange(60_000, 600_000) if status in ("played", "partial") else 0
            end_at = (at + timedelta(milliseconds=played)).replace(tzinfo=None).strftime(_FMT)
            aired = status != "missed"
            level = "emergency" if n % 997 == 0 else "normal"
            yield (text_at, text_at if aired else None, end_at if aired else None, status,
                   REASONS.get(status, ""), title, "ab" * 32, played, "Loa chính",
                   f"s{n // 4}", n % 4, "bulletin", level, CATEGORIES[number % 7],
                   DOCUMENTS[number % 4],
                   "Chủ tịch UBND xã" if level == "emergency" else "", "", "", "", "",
                   text_at, text_at)

    # Bulk load: the table's secondary indexes are dropped and built again afterwards.
    indexes = connection.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND "
        "tbl_name = 'broadcast_log_entry' AND sql IS NOT NULL").fetchall()
    with connection:
        for name, _ in indexes:
            connection.execute(f'DROP INDEX "{name}"')
        connection.executemany(sql, rows())
        for _, create in indexes:
            connection.execute(create)
    connection.close()
    return db, time.perf_counter() - started
