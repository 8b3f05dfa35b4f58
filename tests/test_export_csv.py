"""The fast CSV export against a plain reference: Python's csv.writer over the entries read
as datetimes and converted with zoneinfo. Same bytes, on SQLite and PostgreSQL."""

from __future__ import annotations

import codecs
import csv
import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

import scheduler.export
from scheduler.export import (
    CSV_COLUMNS,
    ITEM_KIND_LABELS_VI,
    STATUS_TEXT,
    CsvLines,
    csv_field,
    csv_line,
    export_log_csv,
)
from scheduler.persistence.reports_db import iter_export_rows, iter_export_text_batches
from scheduler.records import LogStatus
from scheduler.timeutil import LocalHours, format_local, local_day_range, local_text
from tests.logdata import add_entry

TRICKY_TITLES = (
    "Thông báo, về lũ",
    'Lệnh "khẩn" của UBND',
    '"',
    ",",
    "dòng một\ndòng hai",
    "dòng một\r\ndòng hai",
    "chỉ CR\rở giữa",
    "=HYPERLINK(\"http://vi.du\",\"bấm\")",
    "+84 912 345 678",
    "-Thông báo tiêm chủng",
    "@mọi người",
    "\tcó tab ở đầu",
    " khoảng trắng hai đầu ",
    "Hòa Bình (dựng sẵn, NFC)",
    "Hoa\u0300 Bi\u0300nh (tổ hợp, NFD)",
    "Đắk Lắk — Ê-đê; ‘nháy’ “kép” 🌧",
    "",
    "x" * 300,
)


def reference_csv(db, first: date, last: date, reason_label=str) -> bytes:
    """What the export wrote before it was made fast: csv.writer (Excel dialect), UTF-8 with
    BOM, the times converted from aware datetimes with zoneinfo."""
    station = db.get_station()
    out = io.StringIO(newline="")
    writer = csv.writer(out, dialect="excel")
    writer.writerow(CSV_COLUMNS)
    for e in iter_export_rows(db, *local_day_range(first, last), batch=7):
        writer.writerow((
            e.id, station.commune_name, station.admin_code, format_local(e.scheduled_at),
            format_local(e.started_at), format_local(e.ended_at), e.status,
            STATUS_TEXT.get(e.status, e.status), e.bulletin_id or "", e.bulletin_title,
            round(e.played_ms / 1000), e.output_device,
            reason_label(e.reason) if e.reason else "", e.session_id or "", e.audio_sha256,
            ITEM_KIND_LABELS_VI.get(e.item_kind, e.item_kind), e.category, e.document_ref))
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def _entry(db, at: datetime, title: str = "", **fields) -> int:
    return db.add_log_entry(scheduled_at=at, status=fields.pop("status", LogStatus.PLAYED),
                            bulletin_title=title, **fields)


def test_tricky_texts_are_quoted_like_csv_writer(anydb, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    db = anydb
    monkeypatch.setattr(scheduler.export, "CSV_BATCH", 4)  # several batches
    db.set_station(commune_name='Xã "Hòa Bình", huyện A', admin_code="=24121")
    bulletin = db.add_bulletin("Bản tin", "x")
    at = datetime(2026, 11, 1, 1, 0, tzinfo=UTC)
    for n, title in enumerate(TRICKY_TITLES):
        _entry(db, at + timedelta(minutes=n), title, started_at=at + timedelta(minutes=n),
               ended_at=at + timedelta(minutes=n, seconds=59, microseconds=999_999),
               played_ms=n * 500 + 500,  # .5 s: rounded half to even, as round() does
               bulletin_id=bulletin if n % 2 else None, output_device=title[:200],
               audio_sha256=title[:64], reason="no_output" if n % 3 else "",
               status=LogStatus.PARTIAL if n % 3 else LogStatus.PLAYED)
    add_entry(db, at + timedelta(hours=2), LogStatus.FAILED, "t", reason="x, \"y\"",
              category='Y tế, "dịch"', document_ref="=1+1", kind="lạ,\n")
    label = lambda reason: f'lý do "{reason}", dòng\nhai'  # noqa: E731
    out = tmp_path / "khó.csv"
    count = export_log_csv(db, date(2026, 11, 1), date(2026, 11, 1), out, reason_label=label)
    assert count == len(TRICKY_TITLES) + 1
    assert out.read_bytes() == reference_csv(db, date(2026, 11, 1), date(2026, 11, 1), label)
    rows = read_csv(out)
    assert tuple(rows[0]) == CSV_COLUMNS
    table = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert [r["Tên bản tin"] for r in table[:-1]] == list(TRICKY_TITLES)
    assert {r["Xã"] for r in table} == {'Xã "Hòa Bình", huyện A'}
    # Formula-like texts are written as they are (see csv_field): no quote mark added.
    assert table[7]["Tên bản tin"].startswith("=HYPERLINK(")
    assert {r["Mã đơn vị hành chính"] for r in table} == {"=24121"}
    last = table[-1]
    assert (last["Lĩnh vực"], last["Văn bản chính sách"], last["Loại mục"]) == (
        'Y tế, "dịch"', "=1+1", "lạ,\n")
    assert last["Lý do"] == 'lý do "x, "y"", dòng\nhai'
    assert [r["Thời lượng đã phát (giây)"] for r in table[:4]] == ["0", "1", "2", "2"]
    assert table[0]["Kết thúc thực tế"] == "2026-11-01 08:00:59"  # fractions are cut


def test_times_before_and_after_1975_and_across_midnight(anydb, tmp_path: Path) -> None:
    """Vietnam time is UTC+7 since 13 June 1975 but was UTC+8 before (and +9 in 1945, local
    mean time +7:06:30 before 1911): each entry shows the offset of its own date."""
    db = anydb
    utc = lambda *a: datetime(*a, tzinfo=UTC)  # noqa: E731
    moments = {
        utc(1905, 3, 1, 2, 0, 0): "1905-03-01 09:06:30",  # local mean time
        utc(1945, 6, 1, 0, 0, 0): "1945-06-01 09:00:00",
        utc(1960, 5, 1, 23, 30, 5): "1960-05-02 07:30:05",
        utc(1975, 6, 12, 15, 59, 59): "1975-06-12 23:59:59",  # the last second of +8
        utc(1975, 6, 12, 16, 0, 0): "1975-06-12 23:00:00",  # the clock went back an hour
        utc(1975, 6, 12, 16, 30, 0): "1975-06-12 23:30:00",
        utc(2024, 2, 28, 17, 0, 0): "2024-02-29 00:00:00",
        utc(2026, 12, 31, 16, 59, 59, 999_999): "2026-12-31 23:59:59",
        utc(2026, 12, 31, 17, 0, 0): "2027-01-01 00:00:00",
    }
    for at in moments:
        _entry(db, at, "t", started_at=at + timedelta(seconds=1),
               ended_at=at + timedelta(hours=7), played_ms=1000)
    _entry(db, utc(1990, 1, 1), "never started", status=LogStatus.MISSED)
    out = tmp_path / "xua.csv"
    assert export_log_csv(db, date(1900, 1, 1), date(2030, 12, 31), out) == len(moments) + 1
    assert out.read_bytes() == reference_csv(db, date(1900, 1, 1), date(2030, 12, 31))
    rows = read_csv(out)[1:]
    assert [r[3] for r in rows if r[9] == "t"] == [moments[at] for at in sorted(moments)]
    missed = next(r for r in rows if r[9] == "never started")
    assert missed[3] == "1990-01-01 07:00:00" and missed[4] == missed[5] == ""
    # the XLSX and PDF exports read the same Vietnam-time texts
    texts = [row for batch in iter_export_text_batches(
        db, *local_day_range(date(1900, 1, 1), date(2030, 12, 31)), batch=4) for row in batch]
    assert [(t.scheduled_at, t.started_at, t.ended_at) for t in texts] == [
        (r[3], r[4], r[5]) for r in rows]


def test_empty_range_is_the_header_only(anydb, tmp_path: Path) -> None:
    out = tmp_path / "rong.csv"
    assert export_log_csv(anydb, date(2026, 1, 1), date(2026, 1, 31), out) == 0
    assert out.read_bytes() == codecs.BOM_UTF8 + csv_line(CSV_COLUMNS).encode("utf-8")
    assert out.read_bytes() == reference_csv(anydb, date(2026, 1, 1), date(2026, 1, 31))


def test_caches_emptied_when_full_give_the_same_bytes(db, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scheduler.export, "QUOTED_CACHE_LIMIT", 2)
    monkeypatch.setattr(scheduler.export, "CSV_BATCH", 5)
    at = datetime(2026, 5, 1, 0, 0, tzinfo=UTC)
    for n in range(23):
        _entry(db, at + timedelta(minutes=n), f"Bản tin {n % 7}, số {n}",
               output_device=f"Loa {n % 3}", reason=f"r{n % 4}" if n % 5 else "",
               status=LogStatus.FAILED if n % 5 else LogStatus.PLAYED)
    seen: list[int] = []
    out = tmp_path / "nhieu.csv"
    assert export_log_csv(db, date(2026, 5, 1), date(2026, 5, 1), out,
                          reason_label=str.upper, progress=seen.append) == 23
    assert out.read_bytes() == reference_csv(db, date(2026, 5, 1), date(2026, 5, 1),
                                             str.upper)
    assert seen == [5, 10, 15, 20, 23, 23]


def test_local_hours_agree_with_zoneinfo_every_hour_of_the_changes() -> None:
    hours = LocalHours()
    for year in (1906, 1911, 1942, 1945, 1947, 1955, 1959, 1975, 2026):
        moment = datetime(year, 1, 1, tzinfo=UTC)
        while moment.year == year:
            for text in (f"{moment:%Y-%m-%d %H:%M:%S.%f}", f"{moment:%Y-%m-%dT%H:%M:%S}"):
                prefix = hours[text[:13]]
                shown = local_text(text) if prefix is None else prefix + text[13:19]
                assert shown == format_local(moment), text
            moment += timedelta(minutes=59, seconds=59)
    assert hours["1905-01-01 00"] is None  # +7:06:30: converted one by one
    assert hours["2026-11-25 17"] == "2026-11-26 00"
    assert hours["1975-06-12 15"] == "1975-06-12 23" and hours["1975-06-12 16"] == \
        "1975-06-12 23"
    for odd in ("2026-13-01 00", "2026-11-25", "abcdefghijklm", "2026-11-25 24"):
        assert hours[odd] is None, odd
    assert local_text("2026-11-25 17:00:00.5") == "2026-11-26 00:00:00"
    assert local_text("2026-11-25T10:00:00+03:00") == "2026-11-25 14:00:00"
    assert local_text(None) == local_text("") == local_text("không phải ngày") == ""


def test_odd_values_fall_back_to_the_slow_line() -> None:
    lines = CsvLines("Xã A", "1", reason_label=lambda r: f"<{r}>")
    row = (7, "2026-11-25 17:00:00", None, "1905-03-01 02:00:00", "played", None, 5,
           1500, "Loa", "x", 3, "ab", "bulletin", "Y tế", "")
    assert lines.batch([row]) == (
        "7,Xã A,1,2026-11-26 00:00:00,,1905-03-01 09:06:30,played,đã phát,,5,2,Loa,<x>,3,ab,"
        "bản tin,Y tế,\r\n")
    assert csv_field(None) == "" and csv_field(12) == "12" and csv_field('a"b') == '"a""b"'
