"""A long table streamed onto A4 landscape pages with reportlab's canvas: the header row is
repeated on every page, long cells wrap, memory stays flat for any number of rows."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from scheduler.reports.fonts import register_fonts

MARGIN = 28.0
FONT_SIZE = 8.0
LEADING = 9.6
PAD = 2.5
MAX_LINES = 4


class DetailTableWriter:
    """Rows in, pages out. ``columns`` are (header, width in points, wrap?) triples."""

    def __init__(self, path: Path, fonts_dir: Path,
                 columns: Sequence[tuple[str, float, bool]], *, title: str,
                 subtitle: str = "") -> None:
        from reportlab.lib.pagesizes import A4, landscape
        from reportlab.pdfgen.canvas import Canvas

        self.fonts = register_fonts(fonts_dir)
        self.columns = columns
        self.width, self.height = landscape(A4)
        # The canvas's first font is ours: no unembedded Helvetica is referenced.
        self.canvas = Canvas(str(path), pagesize=(self.width, self.height),
                             initialFontName=self.fonts.regular)
        self.canvas.setTitle(title)
        self.canvas.setCreator("LoaXa")
        self.title, self.subtitle = title, subtitle
        self.page = 0
        self.y = 0.0
        self._new_page()

    # -- layout ---------------------------------------------------------------------------
    def _lines(self, text: str, width: float, wrap: bool, font: str) -> list[str]:
        from reportlab.lib.utils import simpleSplit
        from reportlab.pdfbase.pdfmetrics import stringWidth

        text = " ".join(text.split())
        room = width - 2 * PAD
        if wrap:
            lines = simpleSplit(text, font, FONT_SIZE, room) or [""]
            if len(lines) > MAX_LINES:
                lines = [*lines[:MAX_LINES - 1], " ".join(lines[MAX_LINES - 1:])]
        else:
            lines = [text]
        fitted = []
        for line in lines:
            if stringWidth(line, font, FONT_SIZE) > room:
                while line and stringWidth(line + "…", font, FONT_SIZE) > room:
                    line = line[:-1]
                line += "…"
            fitted.append(line)
        return fitted

    def _draw_row(self, cells: Sequence[str], font: str, shade: bool = False) -> None:
        wrapped = [self._lines(text, width, wrap, font)
                   for text, (_, width, wrap) in zip(cells, self.columns, strict=True)]
        height = max(len(lines) for lines in wrapped) * LEADING + 2 * PAD
        if self.y - height < MARGIN + 14:
            self._new_page()
        c = self.canvas
        top = self.y
        if shade:
            c.setFillGray(0.9)
            c.rect(MARGIN, top - height, self._table_width, height, stroke=0, fill=1)
            c.setFillGray(0)
        c.setFont(font, FONT_SIZE)
        x = MARGIN
        for lines, (_, width, _) in zip(wrapped, self.columns, strict=True):
            baseline = top - PAD - FONT_SIZE
            for line in lines:
                c.drawString(x + PAD, baseline, line)
                baseline -= LEADING
            x += width
        c.setLineWidth(0.4)
        c.line(MARGIN, top - height, MARGIN + self._table_width, top - height)
        x = MARGIN
        for _, width, _ in self.columns:
            c.line(x, top, x, top - height)
            x += width
        c.line(x, top, x, top - height)
        self.y = top - height

    @property
    def _table_width(self) -> float:
        return sum(width for _, width, _ in self.columns)

    def _new_page(self) -> None:
        c = self.canvas
        if self.page:
            c.showPage()
        self.page += 1
        self.y = self.height - MARGIN
        if self.page == 1:
            c.setFont(self.fonts.bold, 14)
            c.drawCentredString(self.width / 2, self.y - 14, self.title)
            self.y -= 20
            if self.subtitle:
                c.setFont(self.fonts.italic, 10)
                c.drawCentredString(self.width / 2, self.y - 10, self.subtitle)
                self.y -= 16
            self.y -= 4
        c.setFont(self.fonts.regular, 8)
        c.drawRightString(self.width - MARGIN, MARGIN - 12, f"Trang {self.page}")
        c.setLineWidth(0.4)
        c.line(MARGIN, self.y, MARGIN + self._table_width, self.y)
        self._draw_row([name for name, _, _ in self.columns], self.fonts.bold, shade=True)

    # -- public ------------------------------------------------------------------------------
    def row(self, cells: Sequence[str]) -> None:
        self._draw_row(cells, self.fonts.regular)

    def note(self, text: str) -> None:
        """A line of italic text under the table (e.g. that the period is empty)."""
        if self.y < MARGIN + 40:
            self._new_page()
        self.canvas.setFont(self.fonts.italic, 10)
        self.canvas.drawString(MARGIN, self.y - 18, text)
        self.y -= 24

    def close(self) -> None:
        self.canvas.showPage()
        self.canvas.save()
