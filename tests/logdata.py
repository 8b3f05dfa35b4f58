"""Broadcast-log fixtures for the export and report tests: entries with the detail columns
the playout engine copies at air time, written straight into the database."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from scheduler.records import LogStatus

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "resources" / "fonts"
COMMUNE = "Xã Hòa Bình"
CENTRE = "Trung tâm Văn hóa, Thể thao và Truyền thông tỉnh Đắk Lắk"
TITLE_DENGUE = "Phòng, chống sốt xuất huyết: diệt lăng quăng, bọ gậy"
TITLE_DIGITAL = "Tuyên truyền Đề án 06 về định danh điện tử"
TITLE_FLOOD = "Khẩn cấp: nước lũ lên nhanh, sơ tán hộ ven suối"


def add_entry(db, at: datetime, status: LogStatus, title: str = "", *, played_s: int = 0,
              category: str = "", document_ref: str = "", level: str = "normal",
              session_key: str = "", reason: str = "", kind: str = "bulletin",
              triggered_by: str = "") -> int:
    entry_id = db.add_log_entry(scheduled_at=at, status=status, bulletin_title=title,
                                started_at=at if played_s else None,
                                ended_at=at.replace(second=0) if played_s else None,
                                played_ms=played_s * 1000, reason=reason)
    with db.engine.begin() as connection:
        connection.execute(text(
            "UPDATE broadcast_log_entry SET category = :c, document_ref = :d, level = :l, "
            "session_key = :k, item_kind = :kind, triggered_by = :t WHERE id = :id"),
            {"c": category, "d": document_ref, "l": level, "k": session_key, "kind": kind,
             "t": triggered_by, "id": entry_id})
    return entry_id


def fill_november(db) -> None:
    """November 2026 in Vietnam time, plus entries just outside it on both sides.

    Sessions: s1 (2 bulletins aired + chime), s2 (missed), s3 (one aired, one failed),
    s4 (failed entirely), an emergency outside any session. 23:30 on 30 November in Vietnam
    is 16:30 UTC (inside); 00:30 on 1 December is 17:30 UTC on 30 November (outside)."""
    db.set_station(commune_name=COMMUNE, admin_code="24121", centre_name=CENTRE)
    d = lambda *a: datetime(*a, tzinfo=UTC)  # noqa: E731
    # 31 October 17:30 UTC = 00:30 on 1 November in Vietnam: inside.
    add_entry(db, d(2026, 10, 31, 17, 30), LogStatus.PLAYED, TITLE_DENGUE, played_s=120,
              category="Y tế", document_ref="25/CT-UBND", session_key="s1")
    add_entry(db, d(2026, 10, 31, 17, 32), LogStatus.PLAYED, TITLE_DIGITAL, played_s=300,
              category="Chuyển đổi số", document_ref="06/QĐ-TTg", session_key="s1")
    add_entry(db, d(2026, 10, 31, 17, 37), LogStatus.PLAYED, "", played_s=8,
              kind="chime", session_key="s1")
    add_entry(db, d(2026, 11, 10, 0, 0), LogStatus.MISSED, TITLE_DENGUE, category="Y tế",
              document_ref="25/CT-UBND", session_key="s2", reason="missed_while_down")
    add_entry(db, d(2026, 11, 20, 10, 0), LogStatus.PLAYED, TITLE_DENGUE, played_s=120,
              category="Y tế", document_ref="25/CT-UBND", session_key="s3")
    add_entry(db, d(2026, 11, 20, 10, 2), LogStatus.FAILED, TITLE_DIGITAL,
              category="Chuyển đổi số", document_ref="06/QĐ-TTg", session_key="s3",
              reason="no_output")
    add_entry(db, d(2026, 11, 25, 10, 0), LogStatus.FAILED, TITLE_DIGITAL,
              category="Chuyển đổi số", document_ref="06/QĐ-TTg", session_key="s4",
              reason="no_output")
    add_entry(db, d(2026, 11, 30, 16, 30), LogStatus.PLAYED, TITLE_FLOOD, played_s=95,
              category="Phòng chống thiên tai", level="emergency",
              triggered_by="Chủ tịch UBND xã")
    # Outside November in Vietnam time
    add_entry(db, d(2026, 10, 31, 16, 59), LogStatus.PLAYED, TITLE_DENGUE, played_s=120,
              category="Y tế", session_key="s0")
    add_entry(db, d(2026, 11, 30, 17, 30), LogStatus.PLAYED, TITLE_DIGITAL, played_s=300,
              category="Chuyển đổi số", session_key="s5")


def pdf_text(path: Path) -> str:
    """The PDF's text through pdftotext (poppler-utils), whitespace collapsed."""
    exe = shutil.which("pdftotext")
    if exe is None:
        message = "pdftotext is not installed (apt-get install poppler-utils)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    out = subprocess.run([exe, "-enc", "UTF-8", str(path), "-"], capture_output=True,
                         check=True).stdout.decode("utf-8")
    return " ".join(out.split())
