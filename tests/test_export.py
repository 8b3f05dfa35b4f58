from __future__ import annotations

import codecs
import csv
import io
from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
import pytest

from media.errors import Cancelled, LoaxaError
from scheduler.export import (
    CSV_COLUMNS,
    EMPTY_PERIOD_NOTE,
    STATUS_LABELS_VI,
    XLSX_DETAIL_COLUMNS,
    XLSX_DETAIL_SHEET,
    XLSX_SUMMARY_SHEET,
    export_format,
    export_log,
    export_log_csv,
)
from scheduler.records import LogStatus
from tests.conftest import run_cli
from tests.logdata import (
    COMMUNE,
    FONTS,
    TITLE_DENGUE,
    TITLE_DIGITAL,
    TITLE_FLOOD,
    fill_november,
    pdf_text,
)


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


def test_csv_carries_category_document_and_item_kind(db, tmp_path: Path) -> None:
    fill_november(db)
    out = tmp_path / "thang-11.csv"
    assert export_log_csv(db, date(2026, 11, 1), date(2026, 11, 30), out) == 8
    rows = read_csv(out)
    assert rows[0][-3:] == ["Loại mục", "Lĩnh vực", "Văn bản chính sách"]
    table = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    first = table[0]  # 00:30 on 1 November in Vietnam
    assert first["Giờ dự kiến (giờ Việt Nam)"] == "2026-11-01 00:30:00"
    assert (first["Tên bản tin"], first["Lĩnh vực"], first["Văn bản chính sách"],
            first["Loại mục"]) == (TITLE_DENGUE, "Y tế", "25/CT-UBND", "bản tin")
    assert table[2]["Loại mục"] == "nhạc hiệu"
    assert table[-1]["Tên bản tin"] == TITLE_FLOOD
    assert table[-1]["Giờ dự kiến (giờ Việt Nam)"] == "2026-11-30 23:30:00"


def _book(path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(path.read_bytes()))


def test_xlsx_read_back_by_openpyxl(db, tmp_path: Path) -> None:
    """Written by rustpy-xlsxwriter, read by openpyxl: values, real dates, Vietnamese."""
    fill_november(db)
    out = tmp_path / "nhật ký.xlsx"
    count = export_log(db, date(2026, 11, 1), date(2026, 11, 30), out,
                       reason_label=lambda r: f"<{r}>")
    assert count == 8
    book = _book(out)
    assert book.sheetnames == [XLSX_SUMMARY_SHEET, XLSX_DETAIL_SHEET]
    detail = book[XLSX_DETAIL_SHEET]
    rows = list(detail.iter_rows(values_only=True))
    assert list(rows[0]) == [name for name, _ in XLSX_DETAIL_COLUMNS]
    assert len(rows) == 9
    table = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    first = table[0]
    # a real Excel date, in Vietnam time (00:30 on 1 November), not text
    assert first["Giờ dự kiến"] == datetime(2026, 11, 1, 0, 30)
    assert first["Bắt đầu thực tế"] == datetime(2026, 11, 1, 0, 30)
    assert first["Tên bản tin"] == TITLE_DENGUE
    assert (first["Lĩnh vực"], first["Văn bản chính sách"]) == ("Y tế", "25/CT-UBND")
    assert first["Trạng thái"] == "đã phát" and first["Mã trạng thái"] == "played"
    assert first["Thời lượng đã phát (giây)"] == 120
    assert first["Kết thúc thực tế"] is not None
    failed = next(r for r in table if r["Mã trạng thái"] == "failed")
    assert failed["Lý do"] == "<no_output>" and failed["Bắt đầu thực tế"] is None
    flood = table[-1]
    assert flood["Giờ dự kiến"] == datetime(2026, 11, 30, 23, 30)
    assert (flood["Mức độ"], flood["Người kích hoạt"]) == ("khẩn cấp", "Chủ tịch UBND xã")
    assert "dd/mm/yyyy hh:mm" in detail["B2"].number_format
    assert detail["B2"].is_date
    assert detail.freeze_panes == "A2"
    assert detail.auto_filter.ref == "A1:P9"
    assert detail.column_dimensions["G"].width > 40  # the title column is wide
    summary = {row[0]: row[1] for row in book[XLSX_SUMMARY_SHEET].iter_rows(
        min_row=5, values_only=True)}
    assert summary["Xã / đơn vị"] == COMMUNE
    assert summary["Số mục nhật ký"] == 8
    assert summary["Số buổi đã phát"] == 3
    assert summary["Lĩnh vực: Y tế"] == 2
    assert summary["Tổng thời lượng phát (giây)"] == 643
    assert book[XLSX_SUMMARY_SHEET]["A1"].value.endswith(COMMUNE)


def test_xlsx_and_pdf_of_an_empty_period_say_so(db, tmp_path: Path) -> None:
    xlsx, pdf = tmp_path / "empty.xlsx", tmp_path / "empty.pdf"
    assert export_log(db, date(2026, 1, 1), date(2026, 1, 31), xlsx) == 0
    assert export_log(db, date(2026, 1, 1), date(2026, 1, 31), pdf, fonts_dir=FONTS) == 0
    detail = list(_book(xlsx)[XLSX_DETAIL_SHEET].iter_rows(values_only=True))
    assert list(detail[0]) == [name for name, _ in XLSX_DETAIL_COLUMNS]
    assert detail[1][0] == EMPTY_PERIOD_NOTE
    words = pdf_text(pdf)
    assert EMPTY_PERIOD_NOTE in words and "Tên bản tin" in words


def test_pdf_detail_read_back_by_pdftotext(db, tmp_path: Path) -> None:
    fill_november(db)
    out = tmp_path / "nhat-ky.pdf"
    assert export_log(db, date(2026, 11, 1), date(2026, 11, 30), out, fonts_dir=FONTS) == 8
    words = pdf_text(out)
    for expected in ("NHẬT KÝ PHÁT THANH", COMMUNE, "Từ ngày 01/11/2026 đến ngày 30/11/2026",
                     "Giờ dự kiến", "01/11/2026 00:30:00", "30/11/2026 23:30:00",
                     TITLE_DENGUE, TITLE_DIGITAL, TITLE_FLOOD, "06/QĐ-TTg", "bị lỡ"):
        assert expected in words, expected
    assert b"Helvetica" not in out.read_bytes()


def test_pdf_header_repeats_on_every_page(db, tmp_path: Path) -> None:
    start = datetime(2026, 11, 1, 1, 0, tzinfo=UTC)
    for n in range(120):
        db.add_log_entry(scheduled_at=start.replace(day=1 + n % 28, minute=n % 60),
                         status=LogStatus.PLAYED, bulletin_title=f"Bản tin số {n} về lúa",
                         played_ms=1000)
    out = tmp_path / "dai.pdf"
    export_log(db, date(2026, 11, 1), date(2026, 11, 30), out, fonts_dir=FONTS)
    pages = pdf_text(out).split("Trang ")
    assert len(pages) >= 3
    assert all("Giờ dự kiến" in page and "Tên bản tin" in page for page in pages[:-1])


def test_format_from_option_or_extension(tmp_path: Path) -> None:
    assert export_format(tmp_path / "a.XLSX") == "xlsx"
    assert export_format(tmp_path / "a.txt", "pdf") == "pdf"
    with pytest.raises(LoaxaError, match="export_format_unsupported"):
        export_format(tmp_path / "a.docx")


@pytest.mark.parametrize("suffix", [".xlsx", ".pdf"])
def test_unwritable_xlsx_or_pdf_leaves_no_partial_file(db, tmp_path: Path,
                                                       suffix: str) -> None:
    fill_november(db)
    target = tmp_path / "exports"
    folder = target / f"folder{suffix}"
    folder.mkdir(parents=True)
    with pytest.raises(LoaxaError, match="file_unwritable"):
        export_log(db, date(2026, 11, 1), date(2026, 11, 30), folder, fonts_dir=FONTS)
    assert list(target.iterdir()) == [folder]


def test_cli_exports_each_format(db, tmp_path: Path) -> None:
    fill_november(db)
    env = {"LOAXA_DATABASE_URL": db.url}
    for name in ("log.xlsx", "log.pdf", "log.csv"):
        proc = run_cli("log", "export", "--from", "2026-11-01", "--to", "2026-11-30", "-o",
                       str(tmp_path / name), env=env, check=True)
        assert "8 mục" in proc.stdout
    assert "Tên bản tin" in pdf_text(tmp_path / "log.pdf")
    forced = tmp_path / "log.bin"
    run_cli("log", "export", "--from", "2026-11-01", "--to", "2026-11-30", "--format", "xlsx",
            "-o", str(forced), env=env, check=True)
    assert _book(forced).sheetnames == [XLSX_SUMMARY_SHEET, XLSX_DETAIL_SHEET]
    bad = run_cli("log", "export", "--from", "2026-11-01", "--to", "2026-11-30", "-o",
                  str(tmp_path / "log.docx"), env=env)
    assert bad.returncode == 1 and ".xlsx" in bad.stderr
    assert not (tmp_path / "log.docx").exists()


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".pdf"])
def test_cancelled_export_leaves_no_file(db, tmp_path: Path, suffix: str) -> None:
    start = datetime(2026, 11, 1, 1, 0, tzinfo=UTC)
    for n in range(6000):  # more than one batch and one progress step
        db.add_log_entry(scheduled_at=start.replace(minute=n % 60, second=n % 59),
                         status=LogStatus.PLAYED, bulletin_title=f"Bản tin {n}")
    seen: list[int] = []
    out = tmp_path / f"huy{suffix}"
    with pytest.raises(Cancelled):
        export_log(db, date(2026, 11, 1), date(2026, 11, 1), out, fonts_dir=FONTS,
                   progress=seen.append, should_stop=lambda: bool(seen))
    assert seen and seen[0] < 6000
    assert not out.exists() and not list(tmp_path.glob(".*.part"))


def test_xlsx_refuses_more_rows_than_a_sheet_holds(db, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import scheduler.export

    fill_november(db)
    monkeypatch.setattr(scheduler.export, "XLSX_MAX_ENTRIES", 7)
    out = tmp_path / "qua-lon.xlsx"
    with pytest.raises(LoaxaError, match="xlsx_too_many_rows") as caught:
        export_log(db, date(2026, 11, 1), date(2026, 11, 30), out)
    assert caught.value.params == {"count": 8, "limit": 7}
    assert not out.exists()
    assert export_log(db, date(2026, 11, 1), date(2026, 11, 30), tmp_path / "ok.csv") == 8
