"""Broadcast log exports. CSV: UTF-8 with BOM so Excel on Windows shows Vietnamese."""

from __future__ import annotations

import contextlib
import csv
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

from media.errors import Cancelled, LoaxaError
from scheduler.persistence import Database
from scheduler.records import LogStatus
from scheduler.timeutil import format_local, local_day_range

STATUS_LABELS_VI = {
    LogStatus.PLAYING: "đang phát",
    LogStatus.PLAYED: "đã phát",
    LogStatus.PARTIAL: "phát không trọn",
    LogStatus.FAILED: "lỗi, không phát được",
    LogStatus.INTERRUPTED: "bị ngắt",
    LogStatus.MISSED: "bị lỡ",
    LogStatus.SKIPPED: "bỏ qua",
}

CSV_COLUMNS = (
    "Mã nhật ký", "Xã", "Mã đơn vị hành chính", "Giờ dự kiến (giờ Việt Nam)",
    "Bắt đầu thực tế", "Kết thúc thực tế", "status", "Trạng thái", "Mã bản tin",
    "Tên bản tin", "Thời lượng đã phát (giây)", "Thiết bị phát", "Lý do", "Mã buổi phát",
    "SHA-256 âm thanh",
)


def export_log_csv(db: Database, first: date, last: date, out_path: Path, *,
                   reason_label: Callable[[str], str] = str,
                   progress: Callable[[int], None] | None = None,
                   should_stop: Callable[[], bool] | None = None) -> int:
    """Write entries scheduled on local days ``first`` … ``last``; returns the row count."""
    start, end = local_day_range(first, last)
    station = db.get_station()
    out_path = out_path.resolve()
    tmp = out_path.with_name(f".{out_path.name}.{os.getpid()}.part")
    count = 0
    try:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        with tmp.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, dialect="excel")
            writer.writerow(CSV_COLUMNS)
            for entry in db.iter_log_entries(start, end):
                writer.writerow((
                    entry.id, station.commune_name, station.admin_code,
                    format_local(entry.scheduled_at), format_local(entry.started_at),
                    format_local(entry.ended_at), entry.status.value,
                    STATUS_LABELS_VI[entry.status], entry.bulletin_id or "",
                    entry.bulletin_title, round(entry.played_ms / 1000),
                    entry.output_device, reason_label(entry.reason) if entry.reason else "",
                    entry.session_id or "", entry.audio_sha256,
                ))
                count += 1
                if count % 1000 == 0:
                    if progress is not None:
                        progress(count)
                    if should_stop is not None and should_stop():
                        raise Cancelled()
        os.replace(tmp, out_path)
    except OSError as exc:
        raise LoaxaError("file_unwritable", path=str(out_path),
                         reason=exc.strerror or str(exc)) from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
    if progress is not None:
        progress(count)
    return count
