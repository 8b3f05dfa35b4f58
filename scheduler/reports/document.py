"""The printable broadcast report, as content independent of the file format: the
administrative header of Decree 30/2020/NĐ-CP, the title and period, the sections of totals
and tables, and the signature block. Rendered by report_pdf and report_xlsx."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from scheduler.export import status_label
from scheduler.reports.records import ReportData
from scheduler.timeutil import to_local

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
GOVERNING_BODY = "ỦY BAN NHÂN DÂN"
TITLE = "BÁO CÁO"
SUBTITLE = "KẾT QUẢ PHÁT THANH TRÊN HỆ THỐNG TRUYỀN THANH CƠ SỞ"
EMPTY_TEXT = ("Trong kỳ báo cáo không có buổi phát thanh nào được ghi nhận: không có bản tin "
              "nào được phát.")
UNSET = "……………"
CLOCK_HEADER = "Thời lượng (giờ:phút:giây)"

_ADMIN_PREFIXES = ("xã ", "phường ", "thị trấn ", "đặc khu ")



@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str | int, ...], ...]  # ints are counts
    widths: tuple[float, ...]  # relative widths
    numeric: tuple[int, ...] = ()  # right-aligned column indexes


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: tuple[str, ...] = ()
    table: Table | None = None


@dataclass(frozen=True)
class ReportDocument:
    commune: str  # the issuing commune, "Xã Hòa Bình"
    centre: str  # the centre the report goes to (setting station.centre_name)
    place_date: str  # "Hòa Bình, ngày 01 tháng 12 năm 2026"
    number_line: str  # "Số: …/BC-UBND"
    title: str
    subtitle: str
    period: str
    recipient: str
    sections: tuple[Section, ...] = field(default_factory=tuple)
    signers: tuple[tuple[str, str, str], ...] = ()  # (role, sub-role, hint)
    copies_to: tuple[str, ...] = ()
    is_empty: bool = False
    # The header's first line at top left, the body the issuer belongs to ("" for none).
    issuer_parent: str = GOVERNING_BODY
    # XLSX: the sheet's column widths (characters), when the widest table needs others.
    sheet_widths: tuple[float, ...] = ()


def place_name(commune: str) -> str:
    """"Xã Hòa Bình" → "Hòa Bình" for the place-and-date line."""
    lowered = commune.lower()
    for prefix in _ADMIN_PREFIXES:
        if lowered.startswith(prefix):
            return commune[len(prefix):].strip()
    return commune.strip()


def period_words(first: date, last: date) -> str:
    if first.day == 1 and last.year == first.year and last.month == first.month \
            and last.day == calendar.monthrange(first.year, first.month)[1]:
        return f"Tháng {first.month:02d} năm {first.year}"
    return f"Từ ngày {first:%d/%m/%Y} đến ngày {last:%d/%m/%Y}"


def duration_words(ms: int) -> str:
    hours, rest = divmod(round(ms / 1000), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours} giờ {minutes:02d} phút {seconds:02d} giây"


def clock(ms: int) -> str:
    """Airtime in tables: ``H:MM:SS``."""
    hours, rest = divmod(round(ms / 1000), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}"


def format_count(value: int) -> str:
    """Vietnamese digit grouping: 12.345."""
    return f"{value:,}".replace(",", ".")


def build_document(data: ReportData, *, commune: str, centre: str, issued_on: date,
                   reason_label: Callable[[str], str] = str) -> ReportDocument:
    commune = commune.strip()
    centre = centre.strip()
    period = period_words(data.first, data.last)
    sections: list[Section] = []

    totals = [
        ("Số buổi phát theo lịch", data.sessions_total),
        ("Số buổi đã phát", data.sessions_held),
        ("Số buổi bị lỡ (không phát)", data.sessions_missed),
        ("Số buổi không phát được do sự cố", data.sessions_failed),
        ("Tổng thời lượng phát", duration_words(data.airtime_ms)),
        ("Số lượt phát bản tin", data.bulletins_aired),
        ("Số bản tin khác nhau đã phát", data.titles_aired),
        ("Số lượt phát khẩn cấp", data.emergencies_aired),
    ]
    intro = (EMPTY_TEXT,) if data.is_empty else (
        f"Trong kỳ báo cáo ({period.lower()}), hệ thống truyền thanh cơ sở đã thực hiện "
        f"{format_count(data.sessions_held)}/{format_count(data.sessions_total)} buổi phát, "
        f"tổng thời lượng {duration_words(data.airtime_ms)}, với "
        f"{format_count(data.bulletins_aired)} lượt phát {format_count(data.titles_aired)} "
        f"bản tin.",)
    sections.append(Section("I. TỔNG HỢP CHUNG", intro,
                            Table(("Chỉ tiêu", "Kết quả"), tuple(totals), (3, 2), (1,))))
    if not data.is_empty:
        def group_table(first_header: str, groups: tuple, blank: str) -> Table:
            return Table(
                ("STT", first_header, "Số lượt phát", "Số bản tin", CLOCK_HEADER),
                tuple((i, g.key or blank, g.times_aired, g.titles, clock(g.played_ms))
                      for i, g in enumerate(groups, start=1)),
                (0.75, 3, 1.2, 1.1, 1.9), (0, 2, 3, 4))

        sections.append(Section(
            "II. BẢN TIN ĐÃ PHÁT THEO LĨNH VỰC",
            () if data.by_category else ("Không có bản tin nào được phát.",),
            group_table("Lĩnh vực", data.by_category, "(chưa phân loại)")
            if data.by_category else None))
        sections.append(Section(
            "III. BẢN TIN ĐÃ PHÁT THEO VĂN BẢN CHÍNH SÁCH",
            () if data.by_document else ("Không có bản tin nào được phát.",),
            group_table("Văn bản", data.by_document, "(không ghi văn bản)")
            if data.by_document else None))
        emergency_text = (f"Số lượt phát khẩn cấp: {format_count(data.emergencies_aired)}, "
                          f"tổng thời lượng {duration_words(data.emergency_ms)}.")
        sections.append(Section(
            "IV. PHÁT THANH KHẨN CẤP", (emergency_text,),
            Table(("STT", "Thời gian", "Nội dung", "Người yêu cầu", "Kết quả"),
                  tuple((i, f"{to_local(e.scheduled_at):%H:%M %d/%m/%Y}", e.title,
                         e.triggered_by, status_label(e.status))
                        for i, e in enumerate(data.emergencies, start=1)),
                  (0.75, 1.6, 3.2, 1.5, 1.4), (0,)) if data.emergencies else None))
        failures = tuple(
            (i, status_label(f.status),
             reason_label(f.reason) if f.reason else "không ghi lý do", f.count)
            for i, f in enumerate(data.failures, start=1))
        sections.append(Section(
            "V. SỰ CỐ VÀ BUỔI PHÁT KHÔNG THỰC HIỆN ĐƯỢC",
            () if failures else ("Không có sự cố nào trong kỳ báo cáo.",),
            Table(("STT", "Tình trạng", "Lý do", "Số lần"), failures, (0.75, 1.6, 4.5, 0.9),
                  (0, 3)) if failures else None))
        sections.append(Section(
            "VI. DANH SÁCH BẢN TIN ĐÃ PHÁT",
            () if data.titles else ("Không có bản tin nào được phát.",),
            Table(("STT", "Tên bản tin", "Lĩnh vực", "Văn bản", "Số lượt", CLOCK_HEADER),
                  tuple((i, t.title, t.category, t.document_ref, t.times_aired,
                         clock(t.played_ms))
                        for i, t in enumerate(data.titles, start=1)),
                  (0.75, 3.0, 1.3, 1.4, 0.8, 1.9), (0, 4, 5)) if data.titles else None))

    place = place_name(commune) or UNSET
    return ReportDocument(
        commune=commune, centre=centre,
        place_date=f"{place}, ngày {issued_on.day:02d} tháng {issued_on.month:02d} năm "
                   f"{issued_on.year}",
        number_line="Số: ……/BC-UBND", title=TITLE, subtitle=SUBTITLE, period=period,
        recipient=f"Kính gửi: {centre or UNSET}",
        sections=tuple(sections),
        signers=(("NGƯỜI LẬP BÁO CÁO", "", "(Ký, ghi rõ họ tên)"),
                 ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "(Ký tên, đóng dấu)")),
        copies_to=tuple(x for x in (f"- {centre};" if centre else "", "- Lưu: VT.") if x),
        is_empty=data.is_empty)
