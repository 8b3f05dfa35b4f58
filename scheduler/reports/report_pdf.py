"""The report as an A4 portrait PDF (reportlab), fonts embedded, layout of Decree
30/2020/NĐ-CP: margins 20 mm top and bottom, 30 mm left, 15 mm right; size 13 pt."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from scheduler.cancel import ShouldStop, stop_point
from scheduler.reports.document import (
    MOTTO,
    NATION,
    ReportDocument,
    format_count,
)
from scheduler.reports.fonts import PdfFonts, register_fonts

MM = 72 / 25.4
TOP, BOTTOM, LEFT, RIGHT = 20 * MM, 20 * MM, 30 * MM, 15 * MM
BODY_SIZE = 13
TABLE_SIZE = 11


def _header_flowable(doc: ReportDocument, fonts: PdfFonts, width: float) -> Any:
    """The two header columns: the issuing body at left (under the body it belongs to, when
    there is one; a long name wraps), the national motto at right, each with the short rule
    under it; then the place-and-date line under the motto."""
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Flowable

    left_w = width * 0.40
    right_w = width - left_w
    room = left_w - 6
    left_lines = [(text, fonts.regular, 12)
                  for text in simpleSplit(doc.issuer_parent.upper(), fonts.regular, 12, room)]
    left_lines += [(text, fonts.bold, 12)
                   for text in simpleSplit(doc.commune.upper() or "……………", fonts.bold, 12,
                                           room)]
    right_lines = [(NATION, fonts.bold, 12), (MOTTO, fonts.bold, 13)]
    height = 88 + 15 * (max(len(left_lines), len(right_lines)) - len(right_lines))

    class Header(Flowable):
        def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
            return width, height

        def draw(self) -> None:
            c = self.canv
            y = height - 13
            for text, font, size in left_lines:
                c.setFont(font, size)
                c.drawCentredString(left_w / 2, y, text)
                y -= 15
            rule = stringWidth(left_lines[-1][0], fonts.bold, 12) / 3
            c.setLineWidth(0.6)
            c.line(left_w / 2 - rule / 2, y + 8, left_w / 2 + rule / 2, y + 8)
            c.setFont(fonts.regular, 12)
            c.drawCentredString(left_w / 2, y - 8, doc.number_line)
            y = height - 13
            centre = left_w + right_w / 2
            for text, font, size in right_lines:
                c.setFont(font, size)
                c.drawCentredString(centre, y, text)
                y -= 15
            motto_w = stringWidth(MOTTO, fonts.bold, 13)
            c.line(centre - motto_w / 2, y + 8, centre + motto_w / 2, y + 8)
            c.setFont(fonts.italic, 13)
            c.drawCentredString(centre, y - 8, doc.place_date)

    return Header()


def render_pdf(doc: ReportDocument, out_path: Path, fonts_dir: Path, *,
               should_stop: ShouldStop | None = None) -> None:
    """``should_stop`` is asked for each section and after each piece laid out on a page
    (``Cancelled``; the caller removes the unfinished file)."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer
    from reportlab.platypus import Table as RlTable
    from reportlab.platypus import TableStyle as RlTableStyle

    fonts = register_fonts(fonts_dir)
    width = A4[0] - LEFT - RIGHT
    body = ParagraphStyle("body", fontName=fonts.regular, fontSize=BODY_SIZE,
                          leading=BODY_SIZE * 1.3, alignment=TA_JUSTIFY, firstLineIndent=28,
                          spaceAfter=6)
    centred = ParagraphStyle("centred", parent=body, alignment=TA_CENTER, firstLineIndent=0,
                             spaceAfter=0)
    title = ParagraphStyle("title", parent=centred, fontName=fonts.bold, fontSize=14,
                           leading=18)
    heading = ParagraphStyle("heading", parent=body, fontName=fonts.bold, firstLineIndent=0,
                             spaceBefore=8, alignment=TA_LEFT, keepWithNext=1)
    cell = ParagraphStyle("cell", fontName=fonts.regular, fontSize=TABLE_SIZE,
                          leading=TABLE_SIZE * 1.2)
    cell_right = ParagraphStyle("cellr", parent=cell, alignment=2)
    cell_head = ParagraphStyle("cellh", parent=cell, fontName=fonts.bold, alignment=TA_CENTER)
    small = ParagraphStyle("small", parent=cell, fontSize=11)

    story: list[Any] = [_header_flowable(doc, fonts, width), Spacer(1, 14),
                        Paragraph(escape(doc.title), title),
                        Paragraph(escape(doc.subtitle), title),
                        Paragraph(escape(doc.period), ParagraphStyle(
                            "period", parent=centred, fontName=fonts.italic)),
                        Spacer(1, 6),
                        Paragraph(escape(doc.recipient), centred), Spacer(1, 10)]
    for section in doc.sections:
        stop_point(should_stop)
        story.append(Paragraph(escape(section.heading), heading))
        story.extend(Paragraph(escape(text), body) for text in section.paragraphs)
        table = section.table
        if table is None:
            continue
        total = sum(table.widths)
        widths = [width * w / total for w in table.widths]
        rows = [[Paragraph(escape(h), cell_head) for h in table.headers]]
        rows += [[Paragraph(escape(format_count(value) if isinstance(value, int) else value),
                            cell_right if i in table.numeric else cell)
                  for i, value in enumerate(row)] for row in table.rows]
        grid = RlTable(rows, colWidths=widths, repeatRows=1)
        grid.setStyle(RlTableStyle([
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("FONTNAME", (0, 0), (-1, -1), fonts.regular),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9)),
        ]))
        story += [Spacer(1, 4), grid, Spacer(1, 6)]

    # Signature block: the person who made the report at left, the commune's leadership at
    # right, with room to sign; then where the copies go.
    signer_rows = [[Paragraph(f"<b>{escape(role)}</b>" + (f"<br/><b>{escape(sub)}</b>"
                                                           if sub else ""), centred)
                    for role, sub, _ in doc.signers],
                   [Paragraph(f"<i>{escape(hint)}</i>", centred) for _, _, hint in doc.signers],
                   ["", ""]]
    signatures = RlTable(signer_rows, colWidths=[width / 2, width / 2],
                         rowHeights=[None, None, 70])
    signatures.setStyle(RlTableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                      ("FONTNAME", (0, 0), (-1, -1), fonts.regular)]))
    copies = Paragraph("<b><i>Nơi nhận:</i></b><br/>" + "<br/>".join(
        escape(line) for line in doc.copies_to), small)
    story += [Spacer(1, 16), KeepTogether([signatures, Spacer(1, 6), copies])]

    def footer(canvas: Any, template: Any) -> None:
        canvas.saveState()
        canvas.setFont(fonts.regular, 10)
        canvas.drawCentredString(A4[0] / 2, BOTTOM / 2, str(canvas.getPageNumber()))
        canvas.restoreState()

    pdf = SimpleDocTemplate(str(out_path), pagesize=A4, leftMargin=LEFT, rightMargin=RIGHT,
                            topMargin=TOP, bottomMargin=BOTTOM,
                            title=f"{doc.title} {doc.subtitle} — {doc.period}",
                            author=doc.commune, creator="LoaXa",
                            # the canvas's first font is ours: no unembedded Helvetica
                            initialFontName=fonts.regular)
    # reportlab calls afterFlowable after each paragraph or table part placed on a page.
    pdf.afterFlowable = lambda _flowable: stop_point(should_stop)  # type: ignore[method-assign]
    pdf.build(story, onFirstPage=footer, onLaterPages=footer)
