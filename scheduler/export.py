"""Broadcast log exports of any local-date range: CSV (UTF-8 with BOM so Excel on Windows
shows Vietnamese), XLSX (a summary sheet and one row per entry, real Excel dates in Vietnam
time) and PDF (the same detail as a landscape table). Files are written atomically."""

from __future__ import annotations

import codecs
import contextlib
import os
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from media.errors import Cancelled, LoaxaError
from scheduler.persistence import Database
from scheduler.persistence.reports_db import (
    iter_export_plain_batches,
    iter_export_text_batches,
    report_data,
)
from scheduler.records import LogStatus
from scheduler.reports.records import ExportTextRow, ReportData
from scheduler.timeutil import LocalHours, local_day_range, local_text, to_local, utc_now

STATUS_LABELS_VI = {
    LogStatus.PLAYING: "đang phát",
    LogStatus.PLAYED: "đã phát",
    LogStatus.PARTIAL: "phát không trọn",
    LogStatus.FAILED: "lỗi, không phát được",
    LogStatus.INTERRUPTED: "bị ngắt",
    LogStatus.MISSED: "bị lỡ",
    LogStatus.SKIPPED: "bỏ qua",
}

ITEM_KIND_LABELS_VI = {
    "bulletin": "bản tin",
    "chime": "nhạc hiệu",
    "jingle": "nhạc hiệu đài",
    "recording": "bản ghi âm",
    "emergency": "phát khẩn cấp",
}

LEVEL_LABELS_VI = {"normal": "thường", "priority": "ưu tiên", "emergency": "khẩn cấp"}

CSV_COLUMNS = (
    "Mã nhật ký", "Xã", "Mã đơn vị hành chính", "Giờ dự kiến (giờ Việt Nam)",
    "Bắt đầu thực tế", "Kết thúc thực tế", "status", "Trạng thái", "Mã bản tin",
    "Tên bản tin", "Thời lượng đã phát (giây)", "Thiết bị phát", "Lý do", "Mã buổi phát",
    "SHA-256 âm thanh", "Loại mục", "Lĩnh vực", "Văn bản chính sách",
)

# The detail of the XLSX export, in order: (header, column width in characters).
XLSX_DETAIL_COLUMNS = (
    ("Mã nhật ký", 10), ("Giờ dự kiến", 19), ("Bắt đầu thực tế", 19),
    ("Kết thúc thực tế", 19), ("Trạng thái", 18), ("Mã trạng thái", 11),
    ("Tên bản tin", 48), ("Lĩnh vực", 18), ("Văn bản chính sách", 20), ("Loại mục", 13),
    ("Mức độ", 10), ("Thời lượng đã phát (giây)", 12), ("Lý do", 40),
    ("Người kích hoạt", 18), ("Mã buổi phát", 22), ("Thiết bị phát", 22),
)
XLSX_SUMMARY_SHEET = "Tổng hợp"
XLSX_DETAIL_SHEET = "Chi tiết"
XLSX_DATETIME_FORMAT = "dd/mm/yyyy hh:mm:ss"
XLSX_MAX_ENTRIES = 1_048_575  # an Excel sheet has 1,048,576 rows, one is the header

FORMATS = ("csv", "xlsx", "pdf")

Progress = Callable[[int], None]
ShouldStop = Callable[[], bool]


STATUS_TEXT = {status.value: label for status, label in STATUS_LABELS_VI.items()}


def status_label(status: str) -> str:
    try:
        return STATUS_LABELS_VI[LogStatus(status)]
    except ValueError:
        return status


def export_format(out_path: Path, fmt: str | None = None) -> str:
    """The format asked for, or the one the file name's extension implies."""
    chosen = (fmt or out_path.suffix.lstrip(".")).lower()
    if chosen not in FORMATS:
        raise LoaxaError("export_format_unsupported", suffix=fmt or out_path.suffix or "?")
    return chosen


@contextlib.contextmanager
def atomic_output(out_path: Path) -> Iterator[Path]:
    """A temporary path beside ``out_path``, moved over it only when the body succeeds.
    Any OSError becomes LoaxaError("file_unwritable"); no partial file is left behind."""
    out_path = out_path.resolve()
    tmp = out_path.with_name(f".{out_path.name}.{os.getpid()}.part")
    try:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        yield tmp
        os.replace(tmp, out_path)
    except OSError as exc:
        raise LoaxaError("file_unwritable", path=str(out_path),
                         reason=exc.strerror or str(exc)) from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def _counted(batches: Iterator[list[ExportTextRow]], progress: Progress | None,
             should_stop: ShouldStop | None, counter: list[int]) -> Iterator[ExportTextRow]:
    """The rows of the batches; progress and the stop request are checked between batches."""
    for batch in batches:
        yield from batch
        counter[0] += len(batch)
        if progress is not None:
            progress(counter[0])
        if should_stop is not None and should_stop():
            raise Cancelled()


def export_log(db: Database, first: date, last: date, out_path: Path, *,
               fmt: str | None = None, reason_label: Callable[[str], str] = str,
               fonts_dir: Path | None = None, progress: Progress | None = None,
               should_stop: ShouldStop | None = None) -> int:
    """Export entries scheduled on local days ``first`` … ``last`` as CSV, XLSX or PDF
    (``fmt``, else the extension); returns the row count. PDF needs ``fonts_dir``."""
    chosen = export_format(out_path, fmt)
    db.require("log_exported")  # the audit trail records every export (people_db.py)
    if chosen == "csv":
        count = export_log_csv(db, first, last, out_path, reason_label=reason_label,
                               progress=progress, should_stop=should_stop)
    elif chosen == "xlsx":
        count = export_log_xlsx(db, first, last, out_path, reason_label=reason_label,
                                progress=progress, should_stop=should_stop)
    else:
        if fonts_dir is None:
            raise ValueError("a PDF export needs the fonts folder")
        count = export_log_pdf(db, first, last, out_path, fonts_dir=fonts_dir,
                               reason_label=reason_label, progress=progress,
                               should_stop=should_stop)
    db.record_audit("log_exported", "log", {"from": first.isoformat(), "to": last.isoformat(),
                                            "format": chosen, "entries": count,
                                            "path": str(out_path)})
    return count


def export_log_csv(db: Database, first: date, last: date, out_path: Path, *,
                   reason_label: Callable[[str], str] = str,
                   progress: Progress | None = None,
                   should_stop: ShouldStop | None = None) -> int:
    """Write entries scheduled on local days ``first`` … ``last``; returns the row count.

    The bytes are those Python's ``csv.writer`` (Excel dialect) would write, with a BOM:
    see :class:`CsvLines`. ``reason_label`` is called once per distinct reason."""
    start, end = local_day_range(first, last)
    station = db.get_station()
    lines = CsvLines(station.commune_name, station.admin_code, reason_label)
    count = 0
    with atomic_output(out_path) as tmp, tmp.open("wb") as handle:
        handle.write(codecs.BOM_UTF8 + csv_line(CSV_COLUMNS).encode("utf-8"))
        for batch in iter_export_plain_batches(db, start, end, CSV_BATCH):
            handle.write(lines.batch(batch).encode("utf-8"))
            count += len(batch)
            if progress is not None:
                progress(count)
            if should_stop is not None and should_stop():
                raise Cancelled()
    if progress is not None:
        progress(count)
    return count


CSV_BATCH = 5000  # rows per read, per write, and per progress report
_NEEDS_QUOTES = re.compile(r'[,"\r\n]')
QUOTED_CACHE_LIMIT = 100_000  # distinct texts remembered per column group (bounded memory)


def csv_field(value: object) -> str:
    """One field exactly as ``csv.writer`` (Excel dialect, minimal quoting) writes it: None
    is empty; a text with a comma, a double quote, CR or LF is put in double quotes with its
    quotes doubled; anything else as it is. Text that starts with = + - @ is NOT changed:
    the CSV keeps the log's words exactly (it is read back by programs too); the XLSX export
    is the one to open in Excel, where every text is a text cell."""
    text = "" if value is None else str(value)
    if _NEEDS_QUOTES.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_line(values: Iterable[object]) -> str:
    return ",".join(map(csv_field, values)) + "\r\n"


class _Fields(dict[object, str]):
    """value → its finished CSV text, ``field(value)``, worked out once per distinct value;
    emptied when it grows past :data:`QUOTED_CACHE_LIMIT`."""

    def __init__(self, field: Callable[[Any], str] = csv_field) -> None:
        super().__init__()
        self.field = field

    def __missing__(self, value: object) -> str:
        if len(self) >= QUOTED_CACHE_LIMIT:
            self.clear()
        text = self[value] = self.field(value)
        return text


class CsvLines:
    """Turns the driver's tuples of ``CSV_ROW_FIELDS`` into CSV_COLUMNS lines.

    A line is one f-string: the times go through :class:`LocalHours` (one dictionary look-up
    per time), texts and labels through dictionaries of their finished, quoted fields (a log
    has few distinct titles, devices, reasons, categories), numbers as they are. A batch
    holding a time the hour table cannot do (before 1911, or not a date-time) is done again
    value by value with :func:`local_text`."""

    def __init__(self, commune: str, admin_code: str,
                 reason_label: Callable[[str], str] = str) -> None:
        self.place = f"{csv_field(commune)},{csv_field(admin_code)}"
        self.hours = LocalHours()
        self.texts = _Fields()
        self.statuses = _Fields(lambda status: f"{csv_field(status)},"
                                               f"{csv_field(STATUS_TEXT.get(status, status))}")
        self.reasons = _Fields(lambda reason: csv_field(reason_label(reason)) if reason else "")
        self.kinds = _Fields(lambda kind: csv_field(ITEM_KIND_LABELS_VI.get(kind, kind)))

    def batch(self, rows: list[tuple[Any, ...]]) -> str:
        try:
            return self._fast(rows)
        except TypeError:  # an hour the table maps to None, or a value of an odd type
            return "".join([self._line(row) for row in rows])

    def _fast(self, rows: list[tuple[Any, ...]]) -> str:
        place, h, texts = self.place, self.hours, self.texts
        statuses, reasons, kinds = self.statuses, self.reasons, self.kinds
        return "".join([
            f"{i},{place},{h[s[:13]]}{s[13:19]},{h[a[:13]] + a[13:19] if a else ''},"
            f"{h[e[:13]] + e[13:19] if e else ''},{statuses[status]},{b or ''},"
            f"{texts[title]},{round(ms / 1000)},{texts[device]},{reasons[reason]},"
            f"{session or ''},{texts[sha]},{kinds[kind]},{texts[category]},"
            f"{texts[document]}\r\n"
            for (i, s, a, e, status, b, title, ms, device, reason, session, sha, kind,
                 category, document) in rows])

    def _line(self, row: tuple[Any, ...]) -> str:
        (i, s, a, e, status, b, title, ms, device, reason, session, sha, kind, category,
         document) = row
        return (f"{csv_field(i)},{self.place},{local_text(s)},{local_text(a)},"
                f"{local_text(e)},{self.statuses[status]},{csv_field(b or '')},"
                f"{self.texts[title]},{round(ms / 1000)},{self.texts[device]},"
                f"{self.reasons[reason]},{csv_field(session or '')},{self.texts[sha]},"
                f"{self.kinds[kind]},{self.texts[category]},{self.texts[document]}\r\n")


def _local_naive(text: str) -> datetime | None:
    """Excel has no time zones: the Vietnam wall-clock time (text made by the database), as
    a plain date-time."""
    return datetime.fromisoformat(text) if text else None


def format_seconds(ms: int) -> str:
    """Airtime as ``H giờ MM phút SS giây``."""
    hours, rest = divmod(round(ms / 1000), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours} giờ {minutes:02d} phút {seconds:02d} giây"


def period_text(first: date, last: date) -> str:
    return f"Từ ngày {first:%d/%m/%Y} đến ngày {last:%d/%m/%Y}"


def summary_rows(data: ReportData, commune: str,
                 reason_label: Callable[[str], str]) -> list[tuple[str, object]]:
    """(label, value) pairs of a period's totals, shared by the XLSX summary sheet."""
    rows: list[tuple[str, object]] = [
        ("Xã / đơn vị", commune),
        ("Kỳ báo cáo", period_text(data.first, data.last)),
        ("Số mục nhật ký", data.entries),
        ("Số buổi phát", data.sessions_total),
        ("Số buổi đã phát", data.sessions_held),
        ("Số buổi bị lỡ", data.sessions_missed),
        ("Số buổi không phát được (lỗi)", data.sessions_failed),
        ("Tổng thời lượng phát (giây)", round(data.airtime_ms / 1000)),
        ("Tổng thời lượng phát", format_seconds(data.airtime_ms)),
        ("Số lượt phát bản tin", data.bulletins_aired),
        ("Số bản tin khác nhau đã phát", data.titles_aired),
        ("Số lượt phát khẩn cấp", data.emergencies_aired),
    ]
    for status in LogStatus:
        if data.by_status.get(status.value):
            rows.append((f"Trạng thái: {status_label(status.value)}",
                         data.by_status[status.value]))
    for group in data.by_category:
        rows.append((f"Lĩnh vực: {group.key or '(chưa phân loại)'}", group.times_aired))
    for group in data.by_document:
        rows.append((f"Văn bản: {group.key or '(không ghi văn bản)'}", group.times_aired))
    for failure in data.failures:
        reason = reason_label(failure.reason) if failure.reason else "không ghi lý do"
        rows.append((f"{status_label(failure.status)}: {reason}", failure.count))
    return rows


def export_log_xlsx(db: Database, first: date, last: date, out_path: Path, *,
                    reason_label: Callable[[str], str] = str,
                    progress: Progress | None = None,
                    should_stop: ShouldStop | None = None) -> int:
    """A workbook with a summary sheet (totals by SQL) and a detail sheet, one row per entry
    (header frozen, filters, widths; times as Excel dates in Vietnam time)."""
    from rustpy_xlsxwriter import FastExcel

    start, end = local_day_range(first, last)
    station = db.get_station()
    data = report_data(db, first, last)
    if data.entries > XLSX_MAX_ENTRIES:
        raise LoaxaError("xlsx_too_many_rows", count=data.entries, limit=XLSX_MAX_ENTRIES)
    headers = [name for name, _ in XLSX_DETAIL_COLUMNS]
    counter = [0]

    def detail() -> Iterator[dict[str, object]]:
        for e in _counted(iter_export_text_batches(db, start, end), progress, should_stop,
                          counter):
            yield dict(zip(headers, (
                e.id, _local_naive(e.scheduled_at), _local_naive(e.started_at),
                _local_naive(e.ended_at), status_label(e.status), e.status, e.bulletin_title,
                e.category, e.document_ref, ITEM_KIND_LABELS_VI.get(e.item_kind, e.item_kind),
                LEVEL_LABELS_VI.get(e.level, e.level), round(e.played_ms / 1000),
                reason_label(e.reason) if e.reason else "", e.triggered_by,
                e.session_key or (str(e.session_id) if e.session_id else ""),
                e.output_device), strict=True))

    title = f"NHẬT KÝ PHÁT THANH — {station.commune_name}".rstrip(" —")
    made = f"Xuất lúc {to_local(utc_now()):%H:%M ngày %d/%m/%Y} (giờ Việt Nam)"
    summary = [{"Chỉ tiêu": label, "Giá trị": value}
               for label, value in summary_rows(data, station.commune_name, reason_label)]
    with atomic_output(out_path) as tmp:
        try:
            (FastExcel(str(tmp), output_format="xlsx")
             .format(datetime_format=XLSX_DATETIME_FORMAT, bold_headers=True)
             .freeze(row=1, sheet=XLSX_DETAIL_SHEET)
             .freeze(row=4, sheet=XLSX_SUMMARY_SHEET)
             .sheet(XLSX_SUMMARY_SHEET, summary, column_widths=[44, 40], header_row=3,
                    merge_ranges=[(0, 0, 0, 1, title), (1, 0, 1, 1, data_period(data)),
                                  (2, 0, 2, 1, made)])
             .sheet(XLSX_DETAIL_SHEET, _with_header_only(detail(), headers),
                    column_widths=[width for _, width in XLSX_DETAIL_COLUMNS],
                    autofilter=True)
             .save())
        except (ValueError, RuntimeError) as exc:
            raise OSError(str(exc)) from exc
    if progress is not None:
        progress(counter[0])
    return counter[0]


def data_period(data: ReportData) -> str:
    return period_text(data.first, data.last)


EMPTY_PERIOD_NOTE = ("Không có mục nhật ký nào trong khoảng thời gian này: "
                     "không có buổi phát nào được ghi.")


def _with_header_only(rows: Iterator[dict[str, object]],
                      headers: list[str]) -> Iterator[dict[str, object]]:
    """The rows; when there are none, one row saying so (the sheet keeps its headers)."""
    first = next(rows, None)
    if first is None:
        yield {**dict.fromkeys(headers, ""), headers[0]: EMPTY_PERIOD_NOTE}
        return
    yield first
    yield from rows


# -- PDF of the detail ------------------------------------------------------------------------
PDF_DETAIL_COLUMNS = (
    # header, width in points (A4 landscape: 842 − 2 × 28 margin = 786), wrapped?
    ("Giờ dự kiến", 74, False), ("Bắt đầu", 74, False), ("Kết thúc", 74, False),
    ("Trạng thái", 70, True), ("Tên bản tin", 200, True), ("Lĩnh vực", 70, True),
    ("Văn bản", 66, True), ("Giây", 32, False), ("Lý do", 126, True),
)


def _pdf_time(text: str) -> str:
    """``YYYY-MM-DD HH:MM:SS`` → ``DD/MM/YYYY HH:MM:SS``."""
    return f"{text[8:10]}/{text[5:7]}/{text[:4]} {text[11:19]}" if text else ""


def export_log_pdf(db: Database, first: date, last: date, out_path: Path, *,
                   fonts_dir: Path, reason_label: Callable[[str], str] = str,
                   progress: Progress | None = None,
                   should_stop: ShouldStop | None = None) -> int:
    """The detail as an A4 landscape table, header repeated on every page, fonts embedded."""
    from scheduler.reports.pdf_table import DetailTableWriter

    start, end = local_day_range(first, last)
    station = db.get_station()
    counter = [0]
    with atomic_output(out_path) as tmp:
        writer = DetailTableWriter(tmp, fonts_dir, PDF_DETAIL_COLUMNS,
                                   title="NHẬT KÝ PHÁT THANH",
                                   subtitle=" — ".join(part for part in (
                                       station.commune_name, period_text(first, last))
                                       if part))
        for e in _counted(iter_export_text_batches(db, start, end), progress, should_stop,
                          counter):
            writer.row((_pdf_time(e.scheduled_at), _pdf_time(e.started_at),
                        _pdf_time(e.ended_at), status_label(e.status), e.bulletin_title,
                        e.category, e.document_ref, str(round(e.played_ms / 1000)),
                        reason_label(e.reason) if e.reason else ""))
        if counter[0] == 0:
            writer.note(EMPTY_PERIOD_NOTE)
        writer.close()
    if progress is not None:
        progress(counter[0])
    return counter[0]
