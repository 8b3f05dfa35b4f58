"""The printable report: aggregates by SQL, the PDF read back by pdftotext, the XLSX by
openpyxl (it is written by XlsxWriter), empty periods, Vietnam time, unwritable outputs."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
import pytest

from app.i18n import reason_text
from media.errors import LoaxaError
from scheduler.persistence.reports_db import (
    iter_export_rows,
    iter_export_text_batches,
    report_data,
)
from scheduler.records import LogStatus
from scheduler.reports.document import (
    EMPTY_TEXT,
    MOTTO,
    NATION,
    build_document,
    period_words,
    place_name,
)
from scheduler.reports.report import month_range, write_report
from scheduler.timeutil import format_local
from tests.conftest import run_cli
from tests.logdata import (
    CENTRE,
    COMMUNE,
    FONTS,
    TITLE_DENGUE,
    TITLE_DIGITAL,
    TITLE_FLOOD,
    add_entry,
    fill_november,
    pdf_text,
)

VI = lambda r: reason_text(r, "vi")  # noqa: E731


def test_aggregates_of_a_month_in_vietnam_time(anydb) -> None:
    db = anydb
    fill_november(db)
    data = report_data(db, date(2026, 11, 1), date(2026, 11, 30))
    assert data.entries == 8
    assert data.by_status == {"played": 5, "missed": 1, "failed": 2}
    assert (data.sessions_total, data.sessions_held, data.sessions_missed,
            data.sessions_failed) == (5, 3, 1, 1)
    assert data.airtime_ms == (120 + 300 + 8 + 120 + 95) * 1000
    assert (data.bulletins_aired, data.titles_aired) == (4, 3)  # the chime is no bulletin
    assert (data.emergencies_aired, data.emergency_ms) == (1, 95_000)
    assert [(e.title, e.triggered_by) for e in data.emergencies] == \
        [(TITLE_FLOOD, "Chủ tịch UBND xã")]
    assert [(g.key, g.times_aired, g.titles, g.played_ms) for g in data.by_category] == [
        ("Y tế", 2, 1, 240_000), ("Chuyển đổi số", 1, 1, 300_000),
        ("Phòng chống thiên tai", 1, 1, 95_000)]
    assert {g.key: g.times_aired for g in data.by_document} == \
        {"25/CT-UBND": 2, "06/QĐ-TTg": 1, "": 1}
    assert [(f.status, f.reason, f.count) for f in data.failures] == [
        ("failed", "no_output", 2), ("missed", "missed_while_down", 1)]
    titles = {t.title: t for t in data.titles}
    assert set(titles) == {TITLE_DENGUE, TITLE_DIGITAL, TITLE_FLOOD}
    assert (titles[TITLE_DENGUE].times_aired, titles[TITLE_DENGUE].played_ms) == (2, 240_000)
    assert titles[TITLE_DENGUE].first_aired == datetime(2026, 10, 31, 17, 30, tzinfo=UTC)
    assert titles[TITLE_DENGUE].last_aired == datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def test_ranges_across_months_and_years(anydb) -> None:
    db = anydb
    fill_november(db)
    add_entry(db, datetime(2027, 1, 5, 1, 0, tzinfo=UTC), LogStatus.PLAYED, TITLE_DENGUE,
              played_s=60, category="Y tế", session_key="s9")
    whole = report_data(db, date(2026, 10, 1), date(2027, 1, 31))
    assert whole.entries == 11
    assert {t.title: t.times_aired for t in whole.titles}[TITLE_DENGUE] == 4
    december = report_data(db, date(2026, 12, 1), date(2026, 12, 31))
    assert december.entries == 1 and december.titles[0].title == TITLE_DIGITAL
    assert report_data(db, *month_range("2027-01")).entries == 1


def test_export_rows_streamed_in_order_across_batches(anydb) -> None:
    db = anydb
    fill_november(db)
    add_entry(db, datetime(2026, 12, 20, 3, 4, 5, 999_000, tzinfo=UTC), LogStatus.PLAYED,
              TITLE_DENGUE, played_s=1)  # fractions of a second are cut, not rounded
    start, end = datetime(2026, 10, 1, tzinfo=UTC), datetime(2026, 12, 31, tzinfo=UTC)
    rows = list(iter_export_rows(db, start, end, batch=3))
    assert len(rows) == 11
    assert [r.scheduled_at for r in rows] == sorted(r.scheduled_at for r in rows)
    assert all(r.scheduled_at.tzinfo is not None for r in rows)
    assert rows[1].category == "Y tế" and rows[1].bulletin_title == TITLE_DENGUE
    # the CSV path: the same rows, times turned into Vietnam-time text by the database
    batches = list(iter_export_text_batches(db, start, end, batch=4))
    assert [len(b) for b in batches] == [4, 4, 3]
    texts = [row for b in batches for row in b]
    assert [t.id for t in texts] == [r.id for r in rows]
    for row, text_row in zip(rows, texts, strict=True):
        assert text_row.scheduled_at == format_local(row.scheduled_at)
        assert text_row.started_at == format_local(row.started_at)
        assert text_row.ended_at == format_local(row.ended_at)
    assert texts[1].scheduled_at == "2026-11-01 00:30:00"
    assert texts[-1].scheduled_at == "2026-12-20 10:04:05"
    assert "" in {t.started_at for t in texts}  # never started: empty, not "None"


def test_month_and_period_words() -> None:
    assert month_range("2028-02") == (date(2028, 2, 1), date(2028, 2, 29))
    with pytest.raises(LoaxaError, match="bad_month"):
        month_range("2026-13")
    assert period_words(date(2026, 11, 1), date(2026, 11, 30)) == "Tháng 11 năm 2026"
    assert period_words(date(2026, 11, 15), date(2027, 1, 2)) == \
        "Từ ngày 15/11/2026 đến ngày 02/01/2027"
    assert place_name("Xã Hòa Bình") == "Hòa Bình"
    assert place_name("Phường Bến Thành") == "Bến Thành"


def test_pdf_report_read_back_by_pdftotext(db, tmp_path: Path) -> None:
    fill_november(db)
    out = tmp_path / "báo cáo tháng 11.pdf"
    write_report(db, date(2026, 11, 1), date(2026, 11, 30), out, fonts_dir=FONTS,
                 reason_label=VI, issued_on=date(2026, 12, 2))
    assert out.read_bytes().startswith(b"%PDF")
    words = pdf_text(out)
    for expected in (NATION, MOTTO, "ỦY BAN NHÂN DÂN", "XÃ HÒA BÌNH",
                     "Hòa Bình, ngày 02 tháng 12 năm 2026", "BÁO CÁO",
                     "KẾT QUẢ PHÁT THANH", "Tháng 11 năm 2026", f"Kính gửi: {CENTRE}",
                     TITLE_DENGUE, TITLE_DIGITAL, TITLE_FLOOD, "Y tế", "06/QĐ-TTg",
                     "Số buổi đã phát 3", "Số buổi bị lỡ (không phát) 1",
                     "0 giờ 10 phút 43 giây", "Chủ tịch UBND xã",
                     reason_text("no_output", "vi"), reason_text("missed_while_down", "vi"),
                     "NGƯỜI LẬP BÁO CÁO", "TM. ỦY BAN NHÂN DÂN", "Nơi nhận:"):
        assert expected in words, expected
    assert "no_output" not in words  # reasons are worded in Vietnamese
    assert "huyện" not in words.lower()  # the centre is a setting, never a district


def test_pdf_fonts_are_embedded(db, tmp_path: Path) -> None:
    fill_november(db)
    out = tmp_path / "r.pdf"
    write_report(db, date(2026, 11, 1), date(2026, 11, 30), out, fonts_dir=FONTS)
    raw = out.read_bytes()
    assert b"/FontFile2" in raw  # TrueType programs inside the file
    assert b"Helvetica" not in raw  # no base-14 font that lacks Vietnamese letters


def test_empty_period_says_nothing_was_aired(db, tmp_path: Path) -> None:
    db.set_station(commune_name=COMMUNE, centre_name=CENTRE)
    pdf, xlsx = tmp_path / "empty.pdf", tmp_path / "empty.xlsx"
    for out in (pdf, xlsx):
        data = write_report(db, date(2025, 2, 1), date(2025, 2, 28), out, fonts_dir=FONTS)
        assert data.is_empty
    words = pdf_text(pdf)
    assert EMPTY_TEXT in words and NATION in words and "Tháng 02 năm 2025" in words
    assert "NGƯỜI LẬP BÁO CÁO" in words
    cells = _cells(xlsx)
    assert EMPTY_TEXT in cells and "Tháng 02 năm 2025" in cells


def _cells(path: Path) -> list:
    book = openpyxl.load_workbook(io.BytesIO(path.read_bytes()))
    return [cell.value for sheet in book for row in sheet.iter_rows() for cell in row
            if cell.value is not None]


def test_xlsx_report_read_back_by_openpyxl(db, tmp_path: Path) -> None:
    fill_november(db)
    out = tmp_path / "bao-cao.xlsx"
    write_report(db, date(2026, 11, 1), date(2026, 11, 30), out, fonts_dir=FONTS,
                 reason_label=VI, issued_on=date(2026, 12, 2))
    book = openpyxl.load_workbook(out)
    sheet = book.active
    values = _cells(out)
    for expected in (NATION, MOTTO, "XÃ HÒA BÌNH", "Hòa Bình, ngày 02 tháng 12 năm 2026",
                     "Tháng 11 năm 2026", f"Kính gửi: {CENTRE}", TITLE_DENGUE, TITLE_FLOOD,
                     reason_text("no_output", "vi"), "TM. ỦY BAN NHÂN DÂN",
                     "NGƯỜI LẬP BÁO CÁO"):
        assert expected in values, expected
    by_label = {}
    for row in sheet.iter_rows():
        texts = [c.value for c in row if c.value is not None]
        if len(texts) == 2 and isinstance(texts[0], str):
            by_label[texts[0]] = texts[1]
    assert by_label["Số buổi đã phát"] == 3  # a real number, not text
    assert by_label["Số buổi phát theo lịch"] == 5
    nation = next(c for row in sheet.iter_rows() for c in row if c.value == NATION)
    assert nation.font.b and nation.font.name == "Times New Roman"
    motto = next(c for row in sheet.iter_rows() for c in row if c.value == MOTTO)
    assert motto.font.b and motto.font.u == "single"


def test_document_uses_the_centre_setting_and_blanks_when_unset(db) -> None:
    data = report_data(db, date(2026, 11, 1), date(2026, 11, 30))
    document = build_document(data, commune="", centre="", issued_on=date(2026, 12, 1))
    assert document.recipient == "Kính gửi: ……………"
    assert document.copies_to == ("- Lưu: VT.",)
    named = build_document(data, commune=COMMUNE, centre="Trung tâm Truyền thông tỉnh",
                           issued_on=date(2026, 12, 1))
    assert named.recipient == "Kính gửi: Trung tâm Truyền thông tỉnh"


@pytest.mark.parametrize("suffix", [".pdf", ".xlsx"])
def test_unwritable_output_is_a_clear_error_and_leaves_nothing(db, tmp_path: Path,
                                                               suffix: str) -> None:
    fill_november(db)
    folder = tmp_path / f"busy{suffix}"
    folder.mkdir()  # a folder where the file should go: cannot be replaced
    with pytest.raises(LoaxaError, match="file_unwritable"):
        write_report(db, date(2026, 11, 1), date(2026, 11, 30), folder, fonts_dir=FONTS)
    assert folder.is_dir() and not any(folder.iterdir())
    assert not list(tmp_path.glob(".*.part"))
    blocked = tmp_path / "a-file"
    blocked.write_text("x")
    with pytest.raises(LoaxaError, match="file_unwritable"):
        write_report(db, date(2026, 11, 1), date(2026, 11, 30), blocked / f"r{suffix}",
                     fonts_dir=FONTS)


def test_missing_font_is_a_clear_error(db, tmp_path: Path) -> None:
    with pytest.raises(LoaxaError, match="font_missing"):
        write_report(db, date(2026, 11, 1), date(2026, 11, 30), tmp_path / "r.pdf",
                     fonts_dir=tmp_path / "no-fonts")
    assert not (tmp_path / "r.pdf").exists()


def test_report_format_refused_before_any_work(db, tmp_path: Path) -> None:
    with pytest.raises(LoaxaError, match="report_format_unsupported"):
        write_report(db, date(2026, 11, 1), date(2026, 11, 30), tmp_path / "r.docx",
                     fonts_dir=FONTS)


def test_cli_report_month_and_range(db, tmp_path: Path) -> None:
    fill_november(db)
    env = {"LOAXA_DATABASE_URL": db.url}
    pdf = tmp_path / "thang-11.pdf"
    proc = run_cli("report", "--month", "2026-11", "-o", str(pdf), env=env, check=True)
    assert "8 mục" in proc.stdout and "tháng 11 năm 2026" in proc.stdout
    assert TITLE_FLOOD in pdf_text(pdf)
    xlsx = tmp_path / "quy.dat"
    run_cli("report", "--from", "2026-10-01", "--to", "2026-12-31", "--format", "xlsx",
            "-o", str(xlsx), env=env, check=True)
    assert "Từ ngày 01/10/2026 đến ngày 31/12/2026" in _cells(xlsx)
    missing = run_cli("report", "-o", str(pdf), env=env)
    assert missing.returncode == 1 and "--month" in missing.stderr
    reversed_range = run_cli("report", "--from", "2026-12-01", "--to", "2026-11-01", "-o",
                             str(tmp_path / "x.pdf"), env=env)
    assert reversed_range.returncode == 1 and not (tmp_path / "x.pdf").exists()


VIETNAMESE_LETTERS = (
    "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ")


def test_bundled_fonts_cover_every_vietnamese_letter() -> None:
    from reportlab.pdfbase.ttfonts import TTFont

    from app.paths import resources_dir
    from scheduler.reports.fonts import FONT_FILES

    fonts = resources_dir() / "fonts"
    assert fonts == FONTS
    assert "SIL OPEN FONT LICENSE" in (fonts / "OFL.txt").read_text(encoding="utf-8")
    letters = VIETNAMESE_LETTERS + VIETNAMESE_LETTERS.upper()
    for file_name in FONT_FILES.values():
        cmap = TTFont(file_name, str(fonts / file_name)).face.charToGlyph
        assert [c for c in letters if ord(c) not in cmap] == [], file_name
    spec = (FONTS.parent.parent / "build.spec").read_text(encoding="utf-8")
    assert '(str(ROOT / "resources"), "resources")' in spec  # the bundle carries fonts/


def test_a_correction_replaces_the_entry_it_corrects(anydb, tmp_path: Path) -> None:
    """The commune's report counts what the latest correction says, like the centre's."""
    from scheduler.logbook.service import ensure_station_key

    db = anydb
    ensure_station_key(db, tmp_path / "k.pem")
    at = datetime(2026, 11, 10, 0, 0, tzinfo=UTC)
    db.add_log_entry(scheduled_at=at, status=LogStatus.PLAYED, bulletin_title=TITLE_DENGUE,
                     started_at=at, ended_at=at, played_ms=120_000, category="Y tế",
                     session_key="s1", level="normal")
    seq = max(e.seq for e in db.log_entries())
    db.add_correction(seq, LogStatus.FAILED, "Loa thôn 3 mất điện", "Cán bộ Lan")
    data = report_data(db, date(2026, 11, 1), date(2026, 11, 30))
    assert data.by_status == {"failed": 1}
    assert (data.airtime_ms, data.bulletins_aired, data.sessions_held) == (0, 0, 0)
    db.add_correction(seq, LogStatus.PARTIAL, "Phát lại được một nửa", "Cán bộ Lan")
    data = report_data(db, date(2026, 11, 1), date(2026, 11, 30))
    assert data.by_status == {"partial": 1}
    assert (data.airtime_ms, data.bulletins_aired, data.sessions_held) == (120_000, 1, 1)
