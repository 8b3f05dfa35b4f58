"""``loaxa centre report``: the centre's consolidated report across communes and periods,
in the same official layout as the commune's report (Decree 30/2020/NĐ-CP; rendered by
report_pdf and report_xlsx), or as a CSV table of the communes' figures."""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from media.errors import LoaxaError
from scheduler.cancel import ShouldStop, every, stop_point
from scheduler.export import atomic_output, status_label
from scheduler.persistence import Database
from scheduler.persistence.centre_reports_db import centre_communes, centre_report_data
from scheduler.reports.centre_records import CentreCommune, CentreReportData, CommuneTotal
from scheduler.reports.document import (
    CLOCK_HEADER,
    TITLE,
    UNSET,
    ReportDocument,
    Section,
    Table,
    clock,
    duration_words,
    format_count,
    period_words,
)
from scheduler.timeutil import to_local, utc_now

CENTRE_REPORT_FORMATS = ("pdf", "xlsx", "csv")
SUBTITLE = "TỔNG HỢP KẾT QUẢ PHÁT THANH CỦA HỆ THỐNG TRUYỀN THANH CƠ SỞ CÁC XÃ, PHƯỜNG"
EMPTY_TEXT = ("Trong kỳ báo cáo trung tâm không nhận được nhật ký phát thanh của xã, phường "
              "nào.")
SILENT = "—"  # a silent commune's cells in the table of communes
# The sheet's columns for the official XLSX: the table of communes has eight; the last,
# wide one also holds the values of the totals (airtime in words).
SHEET_WIDTHS = (6.0, 28.0, 10.0, 10.0, 10.0, 10.0, 10.0, 22.0)
COMMUNE_HEADERS = ("STT", "Xã, phường", "Buổi đã phát", "Buổi bị lỡ", "Lượt phát bản tin",
                   "Lượt phát khẩn cấp", "Lượt sự cố", "Thời lượng phát (giờ:phút:giây)")
CSV_COLUMNS = (
    "Từ ngày", "Đến ngày", "Mã đơn vị hành chính", "Xã, phường", "Mã đài", "Có gửi nhật ký",
    "Số mục nhật ký", "Số buổi theo lịch", "Buổi đã phát", "Buổi bị lỡ",
    "Buổi không phát được do sự cố", "Thời lượng phát (giây)",
    "Thời lượng phát (giờ:phút:giây)", "Lượt phát bản tin", "Số bản tin khác nhau",
    "Lượt phát khẩn cấp", "Lượt sự cố", "Mục đầu tiên trong kỳ", "Mục cuối cùng trong kỳ",
    "Nhật ký mới nhất đã nhận",
)
_PLACE_MARKERS = (" thành phố ", " tỉnh ", " huyện ", " thị xã ", " quận ", " phường ", " xã ")


def centre_report_format(out_path: Path, fmt: str | None = None) -> str:
    chosen = (fmt or out_path.suffix.lstrip(".")).lower()
    if chosen not in CENTRE_REPORT_FORMATS:
        raise LoaxaError("centre_report_format_unsupported",
                         suffix=fmt or out_path.suffix or "?")
    return chosen


def select_communes(db: Database, wanted: Sequence[str] = ()) -> list[CentreCommune]:
    """The registered communes, or those named in ``wanted``: each by its administrative
    code, a station id, or its name (letter case ignored). Unknown: ``centre_commune_unknown``;
    none registered: ``centre_no_communes``."""
    communes = centre_communes(db)
    if not communes:
        raise LoaxaError("centre_no_communes")
    if not wanted:
        return communes
    chosen: dict[str, CentreCommune] = {}
    for text in wanted:
        needle = " ".join(text.split())
        matches = [c for c in communes
                   if needle and (needle == c.admin_code or needle in c.station_ids
                                  or needle.casefold() == c.name.casefold())]
        if not matches:
            raise LoaxaError("centre_commune_unknown", commune=text)
        for commune in matches:
            chosen[commune.key] = commune
    return [c for c in communes if c.key in chosen]


def place_of(centre: str) -> str:
    """"Trung tâm … tỉnh Đắk Lắk" → "Đắk Lắk" for the place-and-date line; "" when the name
    names no place."""
    padded = f" {centre.strip()}"
    lowered = padded.lower()
    best = max((lowered.rfind(m) + len(m) for m in _PLACE_MARKERS if m in lowered),
               default=-1)
    return padded[best:].strip() if best > 0 else ""


def _date(moment: object) -> str:
    return f"{to_local(moment):%d/%m/%Y}" if moment is not None else ""  # type: ignore[arg-type]


def _commune_label(commune: CentreCommune) -> str:
    return f"{commune.name} ({commune.admin_code})" if commune.admin_code else commune.name


def build_centre_document(data: CentreReportData, *, centre: str, governing_body: str = "",
                          recipient: str = "", issued_on: date,
                          reason_label: Callable[[str], str] = str) -> ReportDocument:
    centre, recipient = centre.strip(), recipient.strip()
    period = period_words(data.first, data.last)
    total = data.totals or CommuneTotal(CentreCommune("", "", "", (), utc_now()))
    registered, silent = len(data.communes), len(data.silent)
    sections: list[Section] = []

    if data.is_empty:
        intro: tuple[str, ...] = (EMPTY_TEXT,)
    else:
        intro = (f"Trong kỳ báo cáo ({period.lower()}), {registered - silent}/{registered} xã, "
                 f"phường đã gửi nhật ký phát thanh về trung tâm. Hệ thống truyền thanh cơ sở "
                 f"các xã, phường đã thực hiện {format_count(total.sessions_held)}/"
                 f"{format_count(total.sessions_total)} buổi phát, tổng thời lượng "
                 f"{duration_words(total.airtime_ms)}, với {format_count(total.bulletins_aired)} "
                 f"lượt phát {format_count(total.titles_aired)} bản tin.",)
    if silent:
        intro += (f"Có {silent} xã, phường không gửi nhật ký trong kỳ (xem mục III).",)
    rows: list[tuple[str, str | int]] = [
        ("Số xã, phường báo cáo", registered),
        ("Số xã, phường đã gửi nhật ký", registered - silent),
        ("Số xã, phường không gửi nhật ký", silent),
        ("Số buổi phát theo lịch", total.sessions_total),
        ("Số buổi đã phát", total.sessions_held),
        ("Số buổi bị lỡ (không phát)", total.sessions_missed),
        ("Số buổi không phát được do sự cố", total.sessions_failed),
        ("Tổng thời lượng phát", duration_words(total.airtime_ms)),
        ("Số lượt phát bản tin", total.bulletins_aired),
        ("Số bản tin khác nhau đã phát", total.titles_aired),
        ("Số lượt phát khẩn cấp", total.emergencies_aired),
        ("Số lượt sự cố", total.failures),
    ]
    if data.corrections_applied:
        rows.append(("Số mục nhật ký đã được xã đính chính", data.corrections_applied))
    sections.append(Section("I. TỔNG HỢP CHUNG", intro,
                            Table(("Chỉ tiêu", "Kết quả"), tuple(rows), (3, 2), (1,))))

    def commune_row(number: int | str, label: str, t: CommuneTotal) -> tuple[str | int, ...]:
        if t.is_silent and number != "":
            return (number, label, *(SILENT,) * 6)
        return (number, label, t.sessions_held, t.sessions_missed, t.bulletins_aired,
                t.emergencies_aired, t.failures, clock(t.airtime_ms))

    table_rows = [commune_row(i, _commune_label(t.commune), t)
                  for i, t in enumerate(data.communes, start=1)]
    table_rows.append(commune_row("", "Tổng cộng", total))
    sections.append(Section(
        "II. KẾT QUẢ CỦA TỪNG XÃ, PHƯỜNG",
        (f"Dấu “{SILENT}”: xã, phường không gửi nhật ký trong kỳ.",) if silent else (),
        Table(COMMUNE_HEADERS, tuple(table_rows), (0.75, 2.3, 1.0, 1.0, 1.0, 1.0, 1.0, 1.9),
              (0, 2, 3, 4, 5, 6, 7))))

    sections.append(Section(
        "III. XÃ, PHƯỜNG KHÔNG GỬI NHẬT KÝ TRONG KỲ",
        ("Đề nghị các xã, phường sau gửi nhật ký phát thanh về trung tâm:",) if silent else
        ("Tất cả các xã, phường đều đã gửi nhật ký trong kỳ.",),
        Table(("STT", "Xã, phường", "Mã đơn vị hành chính", "Ngày đăng ký",
               "Nhật ký mới nhất đã nhận"),
              tuple((i, t.commune.name, t.commune.admin_code or "", _date(
                  t.commune.registered_at), _date(t.latest_received) or "chưa gửi lần nào")
                    for i, t in enumerate(data.silent, start=1)),
              (0.75, 2.8, 1.4, 1.3, 1.6), (0,)) if silent else None))

    if not data.is_empty:
        def group_table(first_header: str, groups: tuple, blank: str) -> Table:
            return Table(
                ("STT", first_header, "Số lượt phát", "Số bản tin", "Số xã, phường",
                 CLOCK_HEADER),
                tuple((i, g.key or blank, g.times_aired, g.titles, g.communes,
                       clock(g.played_ms)) for i, g in enumerate(groups, start=1)),
                (0.75, 2.8, 1.1, 1.1, 1.1, 1.9), (0, 2, 3, 4, 5))

        nothing = ("Không có bản tin nào được phát.",)
        sections.append(Section(
            "IV. BẢN TIN ĐÃ PHÁT THEO LĨNH VỰC", () if data.by_category else nothing,
            group_table("Lĩnh vực", data.by_category, "(chưa phân loại)")
            if data.by_category else None))
        sections.append(Section(
            "V. BẢN TIN ĐÃ PHÁT THEO VĂN BẢN CHÍNH SÁCH", () if data.by_document else nothing,
            group_table("Văn bản", data.by_document, "(không ghi văn bản)")
            if data.by_document else None))
        emergency_text = [f"Số lượt phát khẩn cấp: {format_count(total.emergencies_aired)}."]
        if not data.emergencies_listed_all:
            emergency_text.append(f"Danh sách dưới đây gồm {len(data.emergencies)} lượt "
                                  f"đầu tiên trong kỳ.")
        sections.append(Section(
            "VI. PHÁT THANH KHẨN CẤP", (" ".join(emergency_text),),
            Table(("STT", "Thời gian", "Xã, phường", "Nội dung", "Người yêu cầu", "Kết quả"),
                  tuple((i, f"{to_local(e.scheduled_at):%H:%M %d/%m/%Y}", e.commune, e.title,
                         e.triggered_by, status_label(e.status))
                        for i, e in enumerate(data.emergencies, start=1)),
                  (0.75, 1.4, 1.6, 2.6, 1.4, 1.2), (0,)) if data.emergencies else None))
        failures = tuple(
            (i, f.commune, status_label(f.status),
             reason_label(f.reason) if f.reason else "không ghi lý do", f.count)
            for i, f in enumerate(data.failures, start=1))
        sections.append(Section(
            "VII. SỰ CỐ VÀ BUỔI PHÁT KHÔNG THỰC HIỆN ĐƯỢC",
            () if failures else ("Không có sự cố nào trong kỳ báo cáo.",),
            Table(("STT", "Xã, phường", "Tình trạng", "Lý do", "Số lần"), failures,
                  (0.75, 2.0, 1.6, 3.2, 0.9), (0, 4)) if failures else None))

    place = place_of(centre) or UNSET
    return ReportDocument(
        commune=centre, centre=recipient,
        place_date=f"{place}, ngày {issued_on.day:02d} tháng {issued_on.month:02d} năm "
                   f"{issued_on.year}",
        number_line="Số: ……/BC", title=TITLE, subtitle=SUBTITLE, period=period,
        recipient=f"Kính gửi: {recipient or UNSET}", sections=tuple(sections),
        signers=(("NGƯỜI LẬP BÁO CÁO", "", "(Ký, ghi rõ họ tên)"),
                 ("GIÁM ĐỐC", "", "(Ký tên, đóng dấu)")),
        copies_to=tuple(x for x in ("- Như trên;" if recipient else "", "- Lưu: VT.") if x),
        is_empty=data.is_empty, issuer_parent=governing_body.strip(),
        sheet_widths=SHEET_WIDTHS)


def write_centre_csv(data: CentreReportData, out_path: Path,
                     should_stop: ShouldStop | None = None) -> None:
    """One row per commune and a last row of totals; UTF-8 with BOM for Excel."""
    check = every(100, should_stop)
    with atomic_output(out_path) as tmp, tmp.open("w", encoding="utf-8-sig",
                                                  newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        period = (data.first.isoformat(), data.last.isoformat())
        for n, t in enumerate((*data.communes, data.totals), start=1):
            check(n)
            if t is None:
                continue
            c = t.commune
            is_total = t is data.totals
            writer.writerow((
                *period, c.admin_code, c.name, " ".join(c.station_ids),
                "" if is_total else ("không" if t.is_silent else "có"), t.entries,
                t.sessions_total, t.sessions_held, t.sessions_missed, t.sessions_failed,
                round(t.airtime_ms / 1000), clock(t.airtime_ms), t.bulletins_aired,
                t.titles_aired, t.emergencies_aired, t.failures,
                _time(t.first_entry), _time(t.last_entry), _time(t.latest_received)))
        handle.flush()
        stop_point(should_stop)


def _time(moment: object) -> str:
    return f"{to_local(moment):%Y-%m-%d %H:%M:%S}" if moment is not None else ""  # type: ignore[arg-type]


def write_centre_report(db: Database, first: date, last: date, out_path: Path, *,
                        fonts_dir: Path, communes: Sequence[str] = (),
                        fmt: str | None = None, centre: str | None = None,
                        governing_body: str = "", recipient: str = "",
                        reason_label: Callable[[str], str] = str,
                        issued_on: date | None = None,
                        progress: Callable[[int], None] | None = None,
                        should_stop: ShouldStop | None = None) -> CentreReportData:
    """Write the consolidated report of local days ``first`` … ``last`` as PDF, XLSX or CSV
    (atomically). ``centre`` defaults to the centre's name recorded in the database
    (``loaxa station set --centre``). ``progress`` gets the number of entries read;
    ``should_stop`` is asked while they are read, between the steps and while rendering:
    True ends the work with ``Cancelled`` and no file."""
    chosen = centre_report_format(out_path, fmt)
    selected = select_communes(db, communes)
    stop_point(should_stop)
    data = centre_report_data(db, first, last, selected, progress=progress,
                              should_stop=should_stop)
    stop_point(should_stop)
    if chosen == "csv":
        write_centre_csv(data, out_path, should_stop)
        return data
    if centre is None or not centre.strip():
        centre = db.get_station().centre_name
    document = build_centre_document(
        data, centre=centre, governing_body=governing_body, recipient=recipient,
        issued_on=issued_on or to_local(utc_now()).date(), reason_label=reason_label)
    with atomic_output(out_path) as tmp:
        if chosen == "pdf":
            from scheduler.reports.report_pdf import render_pdf

            render_pdf(document, tmp, fonts_dir, should_stop=should_stop)
        else:
            from scheduler.reports.report_xlsx import render_xlsx

            render_xlsx(document, tmp, should_stop=should_stop)
        stop_point(should_stop)
    return data
