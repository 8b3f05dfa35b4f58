from __future__ import annotations

import codecs
import csv
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from media.errors import LoaxaError
from scheduler.export import CSV_COLUMNS, STATUS_LABELS_VI, export_log_csv
from scheduler.records import LogStatus


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_csv_has_bom_codes_labels_and_local_times(db, tmp_path: Path) -> None:
    db.set_station(commune_name="Xã Hòa Bình", admin_code="09876")
    b = db.add_bulletin("Thông báo \"khẩn\", về lũ", "x")
    # 23:30 on 1 December in Vietnam is 16:30 UTC the same day.
    late_evening = datetime(2026, 12, 1, 16, 30, tzinfo=UTC)
    db.add_log_entry(scheduled_at=late_evening, status=LogStatus.PLAYED, bulletin_id=b,
                     bulletin_title="Thông báo \"khẩn\", về lũ", started_at=late_evening,
                     ended_at=late_evening.replace(minute=31), played_ms=60_400,
                     audio_sha256="ab" * 32, output_device="Loa")
    # 00:30 on 2 December in Vietnam (17:30 UTC on 1 December): not in the 1 December export
    db.add_log_entry(scheduled_at=datetime(2026, 12, 1, 17, 30, tzinfo=UTC),
                     status=LogStatus.FAILED, reason="no_output")
    out = tmp_path / "nhật ký.csv"
    count = export_log_csv(db, date(2026, 12, 1), date(2026, 12, 1), out)
    assert count == 1
    assert out.read_bytes().startswith(codecs.BOM_UTF8)
    rows = read_csv(out)
    assert tuple(rows[0]) == CSV_COLUMNS
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["status"] == "played"
    assert row["Trạng thái"] == "đã phát"
    assert row["Tên bản tin"] == "Thông báo \"khẩn\", về lũ"
    assert row["Giờ dự kiến (giờ Việt Nam)"] == "2026-12-01 23:30:00"
    assert row["Thời lượng đã phát (giây)"] == "60"
    assert row["Xã"] == "Xã Hòa Bình"


def test_export_spans_months_and_years_with_all_statuses(db, tmp_path: Path) -> None:
    statuses = [s for s in LogStatus if s is not LogStatus.PLAYING]
    for n, status in enumerate(statuses):
        db.add_log_entry(scheduled_at=datetime(2026, 11 + n % 2, 20, 1, tzinfo=UTC)
                         if n < 3 else datetime(2027, 1, n, 1, tzinfo=UTC), status=status,
                         reason="missed_while_down" if status is LogStatus.MISSED else "")
    out = tmp_path / "log.csv"
    count = export_log_csv(db, date(2026, 11, 1), date(2027, 1, 31), out,
                           reason_label=lambda r: f"<{r}>")
    rows = read_csv(out)[1:]
    assert count == len(statuses) == len(rows)
    assert {r[6] for r in rows} == {s.value for s in statuses}
    assert all(r[7] == STATUS_LABELS_VI[LogStatus(r[6])] for r in rows)
    assert "<missed_while_down>" in {r[12] for r in rows}


def test_empty_range_gives_header_only(db, tmp_path: Path) -> None:
    out = tmp_path / "empty.csv"
    assert export_log_csv(db, date(2026, 1, 1), date(2026, 1, 31), out) == 0
    assert read_csv(out) == [list(CSV_COLUMNS)]


def test_unwritable_target_keeps_the_old_file(db, tmp_path: Path) -> None:
    target = tmp_path / "exports"
    folder = target / "folder.csv"
    folder.mkdir(parents=True)
    with pytest.raises(LoaxaError, match="file_unwritable"):
        export_log_csv(db, date(2026, 1, 1), date(2026, 1, 2), folder)
    assert list(target.iterdir()) == [folder]
