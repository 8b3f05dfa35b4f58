"""The report as a one-sheet XLSX laid out like the printed page (XlsxWriter: merged cells,
Times New Roman 13, A4 portrait, Decree 30/2020/NĐ-CP margins). Counts are real numbers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scheduler.cancel import ShouldStop, every, stop_point
from scheduler.reports.document import (
    MOTTO,
    NATION,
    ReportDocument,
    Table,
)
from scheduler.reports.fonts import SPREADSHEET_FONT

# Sheet columns A–F (characters); a table with fewer columns gives its widest column the rest.
SHEET_WIDTHS = (6, 40, 16, 16, 10, 22)
INCH_MM = 25.4


def _spans(table: Table, sheet_widths: tuple[float, ...] = SHEET_WIDTHS
           ) -> list[tuple[int, int]]:
    """Sheet column range (first, last) of each table column."""
    extra = len(sheet_widths) - len(table.headers)
    widest = max(range(len(table.widths)), key=lambda i: table.widths[i])
    spans, col = [], 0
    for i in range(len(table.headers)):
        width = 1 + (extra if i == widest else 0)
        spans.append((col, col + width - 1))
        col += width
    return spans


def render_xlsx(doc: ReportDocument, out_path: Path, *,
                should_stop: ShouldStop | None = None) -> None:
    """``should_stop`` is asked for each section and every 200 table rows, and before the
    workbook is saved (``Cancelled``; nothing is written then)."""
    import xlsxwriter

    check = every(200, should_stop)

    book = xlsxwriter.Workbook(str(out_path), {"in_memory": True})
    base = {"font_name": SPREADSHEET_FONT, "font_size": 13, "valign": "top"}

    def fmt(**extra: Any) -> Any:
        return book.add_format({**base, **extra})

    centre_bold = fmt(bold=True, align="center")
    centre_bold_wrap = fmt(bold=True, align="center", text_wrap=True)
    centre = fmt(align="center")
    motto = fmt(bold=True, align="center", underline=1)
    italic_centre = fmt(italic=True, align="center")
    title = fmt(bold=True, align="center", font_size=14)
    heading = fmt(bold=True)
    para = fmt(text_wrap=True, align="justify")
    head_cell = fmt(bold=True, align="center", border=1, text_wrap=True, bg_color="#E6E6E6",
                    font_size=12)
    text_cell = fmt(border=1, text_wrap=True, font_size=12)
    number_cell = fmt(border=1, align="right", num_format="#,##0", font_size=12)
    small = fmt(font_size=11)
    small_bold_italic = fmt(font_size=11, bold=True, italic=True)

    widths = doc.sheet_widths or SHEET_WIDTHS
    last_col = len(widths) - 1
    # The issuer's block at top left takes the first columns, up to about 45 % of the page.
    left = max(1, max(i for i in range(len(widths))
                      if sum(widths[:i + 1]) <= 0.45 * sum(widths) or i == 0))
    left_chars = sum(widths[:left + 1])
    sheet = book.add_worksheet("Báo cáo")
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    sheet.set_paper(9)  # A4
    sheet.set_portrait()
    sheet.set_margins(left=30 / INCH_MM, right=15 / INCH_MM, top=20 / INCH_MM,
                      bottom=20 / INCH_MM)
    sheet.fit_to_pages(1, 0)
    sheet.hide_gridlines(2)

    def line(row: int, first: int, last: int, text: str, style: Any) -> None:
        if first == last:
            sheet.write(row, first, text, style)
        else:
            sheet.merge_range(row, first, row, last, text, style)

    issuer = doc.commune.upper() or "……………"
    line(0, 0, left, doc.issuer_parent.upper(), centre)
    line(1, 0, left, issuer, centre_bold_wrap)
    # a long name (a centre's) wraps: the row is made tall enough for it (13 pt letters
    # are about 1.3 columns wide)
    lines = -(-len(issuer) * 13 // int(10 * left_chars))
    if lines > 1:
        sheet.set_row(1, 17 * lines)
    line(2, 0, left, doc.number_line, centre)
    line(0, left + 1, last_col, NATION, centre_bold)
    line(1, left + 1, last_col, MOTTO, motto)
    line(2, left + 1, last_col, doc.place_date, italic_centre)
    row = 4
    for text, style in ((doc.title, title), (doc.subtitle, title), (doc.period, italic_centre),
                        (doc.recipient, centre)):
        line(row, 0, last_col, text, style)
        row += 1
    row += 1
    per_line = int(sum(widths) * 0.85)
    for section in doc.sections:
        stop_point(should_stop)
        line(row, 0, last_col, section.heading, heading)
        row += 1
        for text in section.paragraphs:
            line(row, 0, last_col, text, para)
            sheet.set_row(row, 18 * (1 + len(text) // per_line))
            row += 1
        if section.table is None:
            continue
        spans = _spans(section.table, widths)
        for (first, last), header in zip(spans, section.table.headers, strict=True):
            line(row, first, last, header, head_cell)
        row += 1
        for n, values in enumerate(section.table.rows, start=1):
            check(n)
            for (first, last), value in zip(spans, values, strict=True):
                if isinstance(value, int):
                    if first == last:
                        sheet.write_number(row, first, value, number_cell)
                    else:
                        sheet.merge_range(row, first, row, last, value, number_cell)
                else:
                    line(row, first, last, value, text_cell)
            row += 1
        row += 1
    row += 1
    for (role, sub, hint), (first, last) in zip(doc.signers, ((0, left), (left + 1, last_col)),
                                                strict=False):
        line(row, first, last, role, centre_bold)
        line(row + 1, first, last, sub, centre_bold)
        line(row + 2, first, last, hint, italic_centre)
    row += 8  # room to sign
    sheet.write(row, 0, "Nơi nhận:", small_bold_italic)
    for offset, copy in enumerate(doc.copies_to, start=1):
        sheet.write(row + offset, 0, copy, small)
    stop_point(should_stop)
    book.close()
