"""Verifying a signed log package of 100,000 entries (target ≤ 2 s), and writing one.

The entries are made here with realistic field values (titles with Vietnamese letters,
reasons, audio hashes) and chained and signed by LoaXa's own code, so the package is what a
commune with years of log would send. Verification is the whole of ``verify_package`` on the
file's bytes: UTF-8, canonical form of every line, every field, every hash, every link, the
signature.

Run:  python -m tests.benchmarks.bench_verify [--entries N] [--repeat R]
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from scheduler.logbook.chain import GENESIS_HASH, entry_hash, format_time
from scheduler.logbook.keys import StationKey
from scheduler.logbook.package import build_package, verify_package

TITLES = ("Thông báo lịch tiêm vắc-xin sởi cho trẻ em dưới năm tuổi",
          "Hướng dẫn đăng ký hỗ trợ học phí theo Nghị định số 81/2021/NĐ-CP",
          "Cảnh báo mưa lũ, sạt lở đất tại các thôn vùng cao",
          "Tuyên truyền Chỉ thị 07/CT-TTg về công tác thông tin cơ sở")
STATUSES = ("played",) * 8 + ("partial", "missed", "skipped", "failed")


def make_entries(count: int, station_id: str) -> list[dict]:
    entries, prev = [], GENESIS_HASH
    t0 = datetime(2021, 1, 1, 23, 0, tzinfo=UTC)
    for n in range(count):
        at = t0 + timedelta(hours=8 * n)
        status = STATUSES[n % len(STATUSES)]
        played = status in ("played", "partial")
        entry = {
            "seq": n + 1, "station_id": station_id, "prev_hash": prev,
            "sealed_at": format_time(at + timedelta(minutes=3, microseconds=n % 999_983)),
            "scheduled_at": format_time(at),
            "started_at": format_time(at + timedelta(microseconds=4512)) if played else None,
            "ended_at": format_time(at + timedelta(seconds=174)) if played else None,
            "status": status,
            "reason": "" if status == "played" else "audio_missing: 3f/3fa9.mp3",
            "played_ms": 174_000 if played else 0,
            "session_id": n // 3 + 1, "session_item_id": n + 1,
            "session_key": f"{n // 3 + 1}@{format_time(at)}", "item_position": n % 3,
            "item_kind": "bulletin", "bulletin_id": n % 400 + 1,
            "bulletin_title": TITLES[n % len(TITLES)], "level": "normal",
            "category": "Y tế", "document_ref": "07/CT-TTg",
            "audio_sha256": hashlib.sha256(str(n % 400).encode()).hexdigest(),
            "output_device": "Loa truyền thanh (USB)", "triggered_by": "", "note": "",
            "corrects_seq": None,
        }
        entry["entry_hash"] = entry_hash(entry)
        prev = entry["entry_hash"]
        entries.append(entry)
    return entries


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    key = StationKey(Ed25519PrivateKey.generate())
    entries = make_entries(args.entries, key.station_id)
    started = time.perf_counter()
    data = build_package(key=key, commune_name="Xã Tân Lập", admin_code="25252",
                         centre_name="Trung tâm Văn hóa tỉnh", range_from=date(2021, 1, 2),
                         range_to=date(2026, 12, 31), entries=entries,
                         created_at=datetime.now(UTC))
    build_s = time.perf_counter() - started
    print(f"package of {args.entries:,} entries: {len(data) / 1e6:.1f} MB, "
          f"written in {build_s:.2f} s")
    runs = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        package = verify_package(data, parse_entries=False)  # what `loaxa log verify` does
        runs.append(time.perf_counter() - started)
        assert package.header["entry_count"] == args.entries
    runs.sort()
    print(f"verify: median {statistics.median(runs):.2f} s, min {runs[0]:.2f} s, "
          f"max {runs[-1]:.2f} s over {len(runs)} runs (target ≤ 2 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
