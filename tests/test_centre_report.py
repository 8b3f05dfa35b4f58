"""The centre's consolidated report (``loaxa centre report``): the figures of a small known
set of communes' log entries received at the centre — a period across a month and a year
boundary, Vietnam-time day edges, a commune with two keys, a correction, silent communes —
on SQLite and PostgreSQL, and the PDF (pdftotext), XLSX (openpyxl) and CSV read back."""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from app.i18n import reason_text
from media.errors import LoaxaError
from scheduler.logbook.chain import (
    ENTRY_FIELDS,
    GENESIS_HASH,
    entry_hash,
    format_time,
    station_id_from_public_key,
)
from scheduler.persistence.centre_reports_db import centre_communes, centre_report_data
from scheduler.reports.centre import (
    CSV_COLUMNS,
    EMPTY_TEXT,
    SILENT,
    build_centre_document,
    centre_report_format,
    place_of,
    select_communes,
    write_centre_report,
)
from scheduler.reports.document import MOTTO, NATION
from scheduler.timeutil import to_local, utc_now
from tests.conftest import run_cli
from tests.logdata import FONTS, pdf_text

VI = lambda r: reason_text(r, "vi")  # noqa: E731
CENTRE = "Trung tâm Văn hóa, Thể thao và Truyền thông tỉnh Đắk Lắk"
PARENT = "UBND tỉnh Đắk Lắk"
RECIPIENT = "Sở Văn hóa, Thể thao và Du lịch tỉnh Đắk Lắk"
VACCINE = "Lịch tiêm chủng mở rộng tháng 12"
DIGITAL = "Tuyên truyền Đề án 06 về định danh điện tử"
FLOOD = "Khẩn cấp: nước lũ lên nhanh, sơ tán hộ ven suối"
SECURITY = "Phòng chống trộm cắp tài sản dịp Tết"
FIRST, LAST = date(2026, 12, 1), date(2027, 1, 31)  # across a month and a year boundary


def _key(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()


def _utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def _chain(public_key: str, specs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Sealed entries (canonical field dicts) with seq 1, 2, … linked by their hashes."""
    station = station_id_from_public_key(public_key)
    entries, prev = [], GENESIS_HASH
    for seq, spec in enumerate(specs, start=1):
        at = spec["at"]
        played = spec.get("played_s", 0) * 1000
        entry = {name: None if kind.endswith("?") else "" for name, kind in ENTRY_FIELDS.items()}
        entry.update(
            seq=seq, station_id=station, prev_hash=prev, sealed_at=format_time(at),
            scheduled_at=format_time(at), started_at=format_time(at) if played else None,
            ended_at=format_time(at) if played else None, status=spec.get("status", "played"),
            reason=spec.get("reason", ""), played_ms=played, session_key=spec.get("session", ""),
            item_kind=spec.get("kind", "bulletin"), bulletin_title=spec.get("title", ""),
            level=spec.get("level", "normal"), category=spec.get("category", ""),
            document_ref=spec.get("document", ""), triggered_by=spec.get("by", ""),
            note=spec.get("note", ""), corrects_seq=spec.get("corrects"), item_position=0)
        entry["entry_hash"] = entry_hash(entry)
        prev = entry["entry_hash"]
        entries.append(entry)
    return entries


def fill_centre(db) -> dict[str, str]:
    """Four communes registered at the centre; returns their station ids by label.

    Hòa Bình (24121): entries on both sides of each Vietnam-time edge of the period, a
    missed session, an emergency, a correction. Tân Lập (24122): registered twice (a new
    key after a lost one), one entry under the old key and two under the new one. Ea Kao
    (24123): sent entries before the period only. Cư Êbur (no code): never sent anything.
    """
    db.set_station(centre_name=CENTRE)
    keys = {label: _key(label) for label in ("hoa-binh", "tan-lap-old", "tan-lap-new",
                                             "ea-kao", "cu-ebur")}
    db.centre_register(keys["hoa-binh"], "Xã Hòa Bình", "24121")
    db.centre_register(keys["tan-lap-old"], "Phường Tân Lập", "24122")
    db.centre_register(keys["tan-lap-new"], "Phường Tân Lập", "24122")
    db.centre_register(keys["ea-kao"], "Xã Ea Kao", "24123")
    db.centre_register(keys["cu-ebur"], "Xã Cư Êbur", "")
    health = {"category": "Y tế", "document": "25/CT-UBND", "title": VACCINE}
    hoa_binh = _chain(keys["hoa-binh"], [
        # 23:59:59 on 30 November in Vietnam: outside
        {"at": _utc(2026, 11, 30, 16, 59, 59), "played_s": 500, **health, "session": "s0"},
        # 00:00 on 1 December in Vietnam: inside
        {"at": _utc(2026, 11, 30, 17, 0), "played_s": 120, **health, "session": "s1"},
        {"at": _utc(2026, 11, 30, 17, 2), "played_s": 8, "kind": "chime", "session": "s1"},
        # 23:30 on 31 December, then 00:10 on 1 January 2027
        {"at": _utc(2026, 12, 31, 16, 30), "played_s": 300, "title": DIGITAL,
         "category": "Chuyển đổi số", "document": "06/QĐ-TTg", "session": "s2"},
        {"at": _utc(2026, 12, 31, 17, 10), "status": "missed", "reason": "missed_while_down",
         **health, "session": "s3"},
        {"at": _utc(2027, 1, 15, 3, 0), "played_s": 95, "title": FLOOD, "level": "emergency",
         "category": "Phòng chống thiên tai", "by": "Chủ tịch UBND xã"},
        {"at": _utc(2027, 1, 20, 0, 0), "played_s": 60, **health, "session": "s4"},
        # seq 8 corrects seq 7: the loudspeakers were broken, nothing went on air
        {"at": _utc(2027, 1, 20, 0, 0), "played_s": 60, **health, "session": "s4",
         "status": "failed", "corrects": 7, "note": "loa hỏng", "by": "Cán bộ xã"},
        # 23:59 on 31 January: inside; 00:00 on 1 February: outside
        {"at": _utc(2027, 1, 31, 16, 59), "played_s": 60, **health, "session": "s5"},
        {"at": _utc(2027, 1, 31, 17, 0), "played_s": 700, **health, "session": "s6"},
    ])
    tan_lap_old = _chain(keys["tan-lap-old"], [
        {"at": _utc(2026, 12, 5, 0, 0), "played_s": 100, **health, "session": "k1"}])
    tan_lap_new = _chain(keys["tan-lap-new"], [
        {"at": _utc(2027, 1, 10, 0, 0), "played_s": 200, "title": SECURITY,
         "category": "An ninh trật tự", "session": "k1"},
        {"at": _utc(2027, 1, 10, 0, 4), "played_s": 50, **health, "session": "k1",
         "status": "partial", "reason": "output_lost"}])
    ea_kao = _chain(keys["ea-kao"], [
        {"at": _utc(2026, 11, 20, 0, 0), "played_s": 90, **health, "session": "e1"}])
    for chain in (hoa_binh, tan_lap_old, tan_lap_new, ea_kao):
        db.centre_import(chain[0]["station_id"], chain)
    return {label: station_id_from_public_key(key) for label, key in keys.items()}


def _by_name(data) -> dict[str, Any]:
    return {t.commune.name: t for t in data.communes}


def test_consolidated_figures_across_a_year_boundary(anydb) -> None:
    ids = fill_centre(anydb)
    data = centre_report_data(anydb, FIRST, LAST, centre_communes(anydb))
    communes = _by_name(data)
    assert list(communes) == ["Phường Tân Lập", "Xã Cư Êbur", "Xã Ea Kao", "Xã Hòa Bình"]
    hb = communes["Xã Hòa Bình"]
    assert hb.entries == 7  # 7 inside, the corrected one replaced by its correction
    assert (hb.sessions_total, hb.sessions_held, hb.sessions_missed, hb.sessions_failed) == \
        (6, 4, 1, 1)
    assert hb.airtime_ms == (120 + 8 + 300 + 95 + 60) * 1000
    assert (hb.bulletins_aired, hb.titles_aired, hb.emergencies_aired, hb.failures) == \
        (4, 3, 1, 2)
    assert hb.first_entry == _utc(2026, 11, 30, 17, 0)
    assert hb.last_entry == _utc(2027, 1, 31, 16, 59)
    tl = communes["Phường Tân Lập"]  # two keys, one commune
    assert set(tl.commune.station_ids) == {ids["tan-lap-old"], ids["tan-lap-new"]}
    assert (tl.entries, tl.sessions_total, tl.sessions_held, tl.airtime_ms) == \
        (3, 2, 2, 350_000)
    assert (tl.bulletins_aired, tl.titles_aired, tl.failures) == (3, 2, 1)
    assert [t.commune.name for t in data.silent] == ["Xã Cư Êbur", "Xã Ea Kao"]
    assert communes["Xã Ea Kao"].latest_received == _utc(2026, 11, 20, 0, 0)
    assert communes["Xã Cư Êbur"].latest_received is None
    total = data.totals
    assert (total.entries, total.sessions_total, total.sessions_held, total.sessions_missed,
            total.sessions_failed) == (10, 8, 6, 1, 1)
    assert (total.airtime_ms, total.bulletins_aired, total.titles_aired,
            total.emergencies_aired, total.failures) == (933_000, 7, 4, 1, 3)
    assert data.corrections_applied == 1
    assert [(g.key, g.times_aired, g.titles, g.communes, g.played_ms)
            for g in data.by_category] == [
        ("Y tế", 4, 1, 2, 330_000), ("An ninh trật tự", 1, 1, 1, 200_000),
        ("Chuyển đổi số", 1, 1, 1, 300_000), ("Phòng chống thiên tai", 1, 1, 1, 95_000)]
    assert [(g.key, g.times_aired, g.communes) for g in data.by_document] == [
        ("25/CT-UBND", 4, 2), ("", 2, 2), ("06/QĐ-TTg", 1, 1)]
    assert [(f.commune, f.status, f.reason, f.count) for f in data.failures] == [
        ("Phường Tân Lập", "partial", "output_lost", 1),
        ("Xã Hòa Bình", "failed", "", 1), ("Xã Hòa Bình", "missed", "missed_while_down", 1)]
    assert [(e.commune, e.title, e.triggered_by) for e in data.emergencies] == \
        [("Xã Hòa Bình", FLOOD, "Chủ tịch UBND xã")]


def test_one_month_and_a_selection_of_communes(anydb) -> None:
    fill_centre(anydb)
    december = centre_report_data(anydb, FIRST, date(2026, 12, 31), centre_communes(anydb))
    communes = _by_name(december)
    assert communes["Xã Hòa Bình"].entries == 3  # 00:10 on 1 January is January's
    assert communes["Phường Tân Lập"].entries == 1  # the old key's entry only
    assert december.totals.airtime_ms == (120 + 8 + 300 + 100) * 1000
    chosen = select_communes(anydb, ["24122"])
    assert [c.name for c in chosen] == ["Phường Tân Lập"]
    only = centre_report_data(anydb, FIRST, LAST, chosen)
    assert [t.commune.name for t in only.communes] == ["Phường Tân Lập"]
    assert (only.totals.entries, only.totals.airtime_ms, only.silent) == (3, 350_000, ())
    by_name = select_communes(anydb, ["xã  HÒA bình", "Xã Cư Êbur"])  # case and spaces
    assert [c.name for c in by_name] == ["Xã Cư Êbur", "Xã Hòa Bình"]
    with pytest.raises(LoaxaError, match="centre_commune_unknown") as caught:
        select_communes(anydb, ["24121", "99999"])
    assert caught.value.params["commune"] == "99999"
    quiet = centre_report_data(anydb, date(2025, 1, 1), date(2025, 1, 31),
                               centre_communes(anydb))
    assert quiet.is_empty and len(quiet.silent) == 4 and quiet.totals.sessions_total == 0


def test_no_commune_registered_is_a_clear_error(db, tmp_path: Path) -> None:
    with pytest.raises(LoaxaError, match="centre_no_communes"):
        write_centre_report(db, FIRST, LAST, tmp_path / "r.pdf", fonts_dir=FONTS)
    assert not (tmp_path / "r.pdf").exists()


def _pdf_lines(path: Path) -> list[str]:
    """The PDF's text laid out (pdftotext -layout), one string per line, spaces collapsed."""
    import shutil
    import subprocess

    pdf_text(path)  # skips (or fails in CI) when pdftotext is missing
    out = subprocess.run([shutil.which("pdftotext") or "pdftotext", "-layout", "-enc",
                          "UTF-8", str(path), "-"], capture_output=True, check=True)
    return [" ".join(line.split()) for line in out.stdout.decode("utf-8").splitlines()]


def _cells(path: Path) -> list:
    book = openpyxl.load_workbook(io.BytesIO(path.read_bytes()))
    return [cell.value for sheet in book for row in sheet.iter_rows() for cell in row
            if cell.value is not None]


def test_pdf_and_xlsx_read_back(anydb, tmp_path: Path) -> None:
    fill_centre(anydb)
    pdf, xlsx = tmp_path / "tổng hợp.pdf", tmp_path / "tong-hop.xlsx"
    for out in (pdf, xlsx):
        write_centre_report(anydb, FIRST, LAST, out, fonts_dir=FONTS, centre=CENTRE,
                            governing_body=PARENT, recipient=RECIPIENT, reason_label=VI,
                            issued_on=date(2027, 2, 3))
    raw = pdf.read_bytes()
    assert raw.startswith(b"%PDF") and b"/FontFile2" in raw and b"Helvetica" not in raw
    words = pdf_text(pdf)
    for expected in (NATION, MOTTO, PARENT.upper(), "TRUNG TÂM VĂN HÓA",
                     "Đắk Lắk, ngày 03 tháng 02 năm 2027", "BÁO CÁO", "TỔNG HỢP KẾT QUẢ",
                     "Từ ngày 01/12/2026 đến ngày 31/01/2027", f"Kính gửi: {RECIPIENT}",
                     "2/4 xã, phường đã gửi nhật ký", "chưa gửi lần nào",
                     reason_text("missed_while_down", "vi"), reason_text("output_lost", "vi"),
                     "Số mục nhật ký đã được xã đính chính 1", "NGƯỜI LẬP BÁO CÁO",
                     "GIÁM ĐỐC", "Nơi nhận:"):
        assert expected in words, expected
    lines = _pdf_lines(pdf)  # a table row is one line of the laid-out text
    registered = f"{to_local(utc_now()):%d/%m/%Y}"  # registered today, Vietnam time
    for start, end in (("4 Xã Hòa Bình", "4 1 4 1 2 0:09:43"),
                       ("1 Phường Tân Lập", "2 0 3 0 1 0:05:50"),
                       ("2 Xã Cư Êbur", " ".join([SILENT] * 6)),
                       ("Tổng cộng", "6 1 7 1 3 0:15:33"),
                       ("1 Xã Cư Êbur", f"{registered} chưa gửi lần nào"),
                       ("2 Xã Ea Kao", f"24123 {registered} 20/11/2026"),
                       ("1 Y tế", "4 1 2 0:05:30"), ("1 25/CT-UBND", "4 1 2 0:05:30"),
                       ("2 (không ghi văn bản)", "2 2 2 0:04:55"),
                       ("1 10:00 Xã Hòa Bình", "đã phát")):
        assert any(line.startswith(start) and line.endswith(end) for line in lines), \
            (start, end, lines)
    assert "missed_while_down" not in words
    values = _cells(xlsx)
    for expected in (NATION, MOTTO, "TRUNG TÂM VĂN HÓA, THỂ THAO VÀ TRUYỀN THÔNG TỈNH ĐẮK LẮK",
                     PARENT.upper(), "Từ ngày 01/12/2026 đến ngày 31/01/2027",
                     f"Kính gửi: {RECIPIENT}", "Xã Ea Kao", "chưa gửi lần nào", FLOOD,
                     "Chủ tịch UBND xã", "10:00 15/01/2027", "GIÁM ĐỐC"):
        assert expected in values, expected
    sheet = openpyxl.load_workbook(xlsx).active
    rows = {row[1]: row for row in ([c.value for c in r if c.value is not None]
                                    for r in sheet.iter_rows()) if len(row) > 1}
    assert rows["Xã Hòa Bình (24121)"] == [4, "Xã Hòa Bình (24121)", 4, 1, 4, 1, 2, "0:09:43"]
    totals = next(r for r in ([c.value for c in r if c.value is not None]
                              for r in sheet.iter_rows()) if r and r[0] == "Tổng cộng")
    assert totals == ["Tổng cộng", 6, 1, 7, 1, 3, "0:15:33"]  # real numbers


def test_csv_read_back(anydb, tmp_path: Path) -> None:
    fill_centre(anydb)
    out = tmp_path / "tong-hop.csv"
    write_centre_report(anydb, FIRST, LAST, out, fonts_dir=FONTS)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    by_name = {r["Xã, phường"]: r for r in rows}
    hb = by_name["Xã Hòa Bình"]
    assert (hb["Từ ngày"], hb["Đến ngày"], hb["Mã đơn vị hành chính"]) == \
        ("2026-12-01", "2027-01-31", "24121")
    assert (hb["Có gửi nhật ký"], hb["Buổi đã phát"], hb["Buổi bị lỡ"],
            hb["Thời lượng phát (giây)"], hb["Lượt phát khẩn cấp"]) == ("có", "4", "1", "583",
                                                                         "1")
    assert hb["Mục đầu tiên trong kỳ"] == "2026-12-01 00:00:00"  # Vietnam time
    assert hb["Mục cuối cùng trong kỳ"] == "2027-01-31 23:59:00"
    assert by_name["Xã Ea Kao"]["Có gửi nhật ký"] == "không"
    assert by_name["Xã Ea Kao"]["Nhật ký mới nhất đã nhận"] == "2026-11-20 07:00:00"
    assert len(by_name["Phường Tân Lập"]["Mã đài"].split()) == 2
    assert by_name["Tổng cộng"]["Lượt phát bản tin"] == "7"


def test_a_period_with_nothing_received_still_gives_a_whole_report(db, tmp_path: Path) -> None:
    fill_centre(db)
    out = tmp_path / "empty.pdf"
    data = write_centre_report(db, date(2024, 2, 1), date(2024, 2, 29), out, fonts_dir=FONTS,
                               centre=CENTRE)
    assert data.is_empty
    words = pdf_text(out)
    for expected in (EMPTY_TEXT, "Tháng 02 năm 2024", "Có 4 xã, phường không gửi nhật ký",
                     "Xã Hòa Bình", "GIÁM ĐỐC"):
        assert expected in words, expected


def test_document_blanks_and_place() -> None:
    assert place_of(CENTRE) == "Đắk Lắk"
    assert place_of("Trung tâm Truyền thông thành phố Huế") == "Huế"
    assert place_of("Trung tâm Văn hóa") == ""
    from scheduler.reports.centre_records import CentreReportData

    document = build_centre_document(CentreReportData(FIRST, LAST), centre="",
                                     issued_on=date(2027, 2, 1))
    assert document.recipient == "Kính gửi: ……………"
    assert document.place_date.startswith("……………, ngày 01 tháng 02 năm 2027")
    assert document.issuer_parent == "" and document.copies_to == ("- Lưu: VT.",)


@pytest.mark.parametrize("suffix", [".pdf", ".xlsx", ".csv"])
def test_unwritable_output_is_a_clear_error_and_leaves_nothing(db, tmp_path: Path,
                                                               suffix: str) -> None:
    fill_centre(db)
    folder = tmp_path / f"busy{suffix}"
    folder.mkdir()  # a folder where the file should go
    with pytest.raises(LoaxaError, match="file_unwritable"):
        write_centre_report(db, FIRST, LAST, folder, fonts_dir=FONTS)
    assert folder.is_dir() and not any(folder.iterdir())
    assert not list(tmp_path.glob(".*.part"))


def test_format_from_the_extension_or_refused() -> None:
    assert centre_report_format(Path("a.XLSX")) == "xlsx"
    assert centre_report_format(Path("a.dat"), "csv") == "csv"
    with pytest.raises(LoaxaError, match="centre_report_format_unsupported"):
        centre_report_format(Path("a.docx"))


def test_cli_centre_report(db, tmp_path: Path, loaxa_home: Path) -> None:
    fill_centre(db)
    config = loaxa_home / "config"
    config.mkdir(parents=True)
    (config / "settings.toml").write_text(
        f'centre_name = "{CENTRE}"\ncentre_governing_body = "{PARENT}"\n'
        f'centre_report_recipient = "{RECIPIENT}"\n', encoding="utf-8")
    env = {"LOAXA_DATABASE_URL": db.url}
    pdf = tmp_path / "thang-12.pdf"
    proc = run_cli("centre", "report", "--from", "2026-12-01", "--to", "2027-01-31",
                   "-o", str(pdf), env=env, check=True)
    assert "2/4 xã, phường đã gửi nhật ký (10 mục)" in proc.stdout
    assert "Các xã, phường không gửi nhật ký trong kỳ: Xã Cư Êbur, Xã Ea Kao." in proc.stdout
    words = pdf_text(pdf)
    assert f"Kính gửi: {RECIPIENT}" in words and PARENT.upper() in words
    table = tmp_path / "chon.dat"
    run_cli("centre", "report", "--month", "2027-01", "--commune", "24122", "xã hòa bình",
            "--format", "csv", "-o", str(table), env=env, check=True)
    names = [r["Xã, phường"] for r in csv.DictReader(
        io.StringIO(table.read_text(encoding="utf-8-sig")))]
    assert names == ["Phường Tân Lập", "Xã Hòa Bình", "Tổng cộng"]

    def refused(*args: str) -> str:
        out = tmp_path / "never.pdf"
        proc = run_cli("centre", "report", *args, env=env)
        assert proc.returncode == 1, proc.stdout + proc.stderr
        assert not out.exists() and "Traceback" not in proc.stderr
        return proc.stderr

    never = str(tmp_path / "never.pdf")
    assert "“99999”" in refused("--month", "2027-01", "--commune", "99999", "-o", never)
    assert "loaxa centre list" in refused("--month", "2027-01", "--commune", "99999", "-o",
                                          never)
    assert "2026-13" in refused("--month", "2026-13", "-o", never)
    assert "2027-02-31" in refused("--from", "2027-02-31", "--to", "2027-03-01", "-o", never)
    assert "--month" in refused("--from", "2027-01-01", "-o", never)
    assert "không dùng cả hai" in refused("--month", "2027-01", "--from", "2027-01-01",
                                          "-o", never)
    assert "2027-01-31" in refused("--from", "2027-01-31", "--to", "2027-01-01", "-o", never)
    assert ".csv" in refused("--month", "2027-01", "-o", str(tmp_path / "r.docx"))
    blocked = tmp_path / "a-file"
    blocked.write_text("x")
    assert "Không ghi được tệp" in refused("--month", "2027-01", "-o",
                                            str(blocked / "r.pdf"))


def test_messages_in_both_languages() -> None:
    from app.i18n import MESSAGES

    for code in ("centre_report_format_unsupported", "centre_commune_unknown",
                 "centre_no_communes", "report_period_both", "centre_report_written",
                 "centre_report_silent"):
        vi, en = MESSAGES[code]
        assert vi != en and any(ord(c) > 127 for c in vi), code  # diacritics
