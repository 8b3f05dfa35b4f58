"""A week timetable: Monday to Sunday across, the hours of the day down (Vietnam time).

The widget only paints what it is given (:class:`Block`, quiet-hour bands) and reports clicks
and keys; the Schedule view resolves the week and decides what each block says. Sizes come
from the font's metrics, so the grid grows with the text at 125–150 % Windows scaling.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time, timedelta

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QContextMenuEvent,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QToolTip, QWidget

from app.i18n import tr

DAY_KEYS = ("day_mon", "day_tue", "day_wed", "day_thu", "day_fri", "day_sat", "day_sun")

# Colours (text stays black on all of them: readable in print and for colour-blind people,
# the differences are also said in words: marks in the block and the details panel).
SERIES_FILL = QColor("#d3e3fd")
ONEOFF_FILL = QColor("#c4eed0")
SILENCED_FILL = QColor("#e3e3e3")
CANCELLED_FILL = QColor("#f4f4f4")
ERROR_PEN = QColor("#b3261e")
WARNING_PEN = QColor("#a15c00")
MOVED_PEN = QColor("#5b3cc4")
QUIET_FILL = QColor(120, 120, 120, 60)
TODAY_FILL = QColor("#fff8e1")


@dataclass
class Block:
    """One session (or a cancelled occurrence) as painted in the grid."""

    key: str  # occurrence key; cancelled ones "cancelled:<key>"
    day_index: int  # 0 = Monday
    start_minute: float  # local minutes after midnight of its day
    length_minutes: float
    label: str  # first line ("06:00 Sáng")
    detail: str = ""  # second line (items)
    tooltip: str = ""
    oneoff: bool = False
    moved: bool = False
    changed: bool = False
    cancelled: bool = False
    silenced: bool = False
    severity: str = ""  # "", "warning" or "error": the worst check() finding on it
    lane: int = 0
    lanes: int = 1
    rect: QRectF = field(default_factory=QRectF)


def quiet_bands(windows: tuple[tuple[time, time], ...]) -> list[tuple[float, float]]:
    """Quiet-hour windows as [start, end) minute ranges of one day (a window crossing
    midnight gives two)."""
    bands: list[tuple[float, float]] = []
    for begin, end in windows:
        b = begin.hour * 60 + begin.minute + begin.second / 60
        e = end.hour * 60 + end.minute + end.second / 60
        if b < e:
            bands.append((b, e))
        else:
            bands.append((b, 24 * 60))
            if e > 0:
                bands.append((0, e))
    return bands


class WeekTimetable(QWidget):
    """Paints a week; click or arrow keys select a session, Enter opens it."""

    selected = Signal(str)  # occurrence key ("" when nothing)
    activated = Signal(str)  # Enter or double click
    menu_requested = Signal(str, QPoint)  # a block's key (selected first) and where, global

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setAccessibleName(tr("sch_timetable"))
        self.monday = date.today() - timedelta(days=date.today().weekday())
        self.today: date | None = None
        self.blocks: list[Block] = []
        self.quiet: list[tuple[float, float]] = []
        self.selected_key = ""

    # -- data ---------------------------------------------------------------------------
    def set_week(self, monday: date, blocks: list[Block], quiet: list[tuple[float, float]],
                 today: date | None) -> None:
        self.monday, self.today, self.quiet = monday, today, quiet
        self.blocks = sorted(blocks, key=lambda b: (b.day_index, b.start_minute, b.key))
        self._assign_lanes()
        if self.selected_key and self.block(self.selected_key) is None:
            self.selected_key = ""
        self._layout()
        self.updateGeometry()
        self.update()

    def block(self, key: str) -> Block | None:
        return next((b for b in self.blocks if b.key == key), None)

    def _assign_lanes(self) -> None:
        """Sessions that overlap on one day share its column side by side."""
        for day in range(7):
            todays = [b for b in self.blocks if b.day_index == day]
            ends: list[float] = []  # end minute of the last block of each lane
            cluster: list[Block] = []
            cluster_end = -1.0
            for b in todays:
                if b.start_minute >= cluster_end and cluster:
                    for c in cluster:
                        c.lanes = len(ends)
                    cluster, ends = [], []
                lane = next((n for n, end in enumerate(ends) if end <= b.start_minute), None)
                end = b.start_minute + max(b.length_minutes, self._min_minutes())
                if lane is None:
                    ends.append(end)
                    lane = len(ends) - 1
                else:
                    ends[lane] = end
                b.lane = lane
                cluster.append(b)
                cluster_end = max(cluster_end, end)
            for c in cluster:
                c.lanes = max(len(ends), 1)

    # -- geometry -----------------------------------------------------------------------
    def _metrics(self) -> QFontMetricsF:
        return QFontMetricsF(self.font())

    def hour_height(self) -> float:
        return self._metrics().height() * 2.6

    def header_height(self) -> float:
        return self._metrics().height() * 2.6

    def gutter(self) -> float:
        return self._metrics().horizontalAdvance("00:00") + self._metrics().averageCharWidth() * 2

    def column_width(self) -> float:
        return max((self.width() - self.gutter()) / 7, 1.0)

    def _min_minutes(self) -> float:
        """A short session is drawn at least one text line (plus padding) tall."""
        return (self._metrics().height() * 1.3) / self.hour_height() * 60

    def y_of(self, minute: float) -> float:
        return self.header_height() + minute / 60 * self.hour_height()

    def column_rect(self, day_index: int) -> QRectF:
        return QRectF(self.gutter() + day_index * self.column_width(), 0, self.column_width(),
                      self.height())

    def sizeHint(self) -> QSize:
        m = self._metrics()
        return QSize(int(self.gutter() + 7 * m.averageCharWidth() * 16),
                     int(self.header_height() + 24 * self.hour_height()) + 1)

    def minimumSizeHint(self) -> QSize:
        m = self._metrics()
        return QSize(int(self.gutter() + 7 * m.averageCharWidth() * 9),
                     int(self.header_height() + 24 * self.hour_height()) + 1)

    def resizeEvent(self, event: QEvent) -> None:  # type: ignore[override]
        self._layout()
        super().resizeEvent(event)

    def _layout(self) -> None:
        width = self.column_width()
        pad = 2.0
        bottom = self.y_of(24 * 60)
        for b in self.blocks:
            lane_width = (width - 2 * pad) / max(b.lanes, 1)
            x = self.gutter() + b.day_index * width + pad + b.lane * lane_width
            top = self.y_of(b.start_minute)
            height = max(b.length_minutes, self._min_minutes()) / 60 * self.hour_height()
            b.rect = QRectF(x, top, lane_width - 1, min(height, bottom - top))

    # -- painting -----------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.base())
        m = self._metrics()
        hour_h, width = self.hour_height(), self.column_width()
        grid = QPen(palette.mid().color())
        for day in range(7):
            column = self.column_rect(day)
            if self.today == self.monday + timedelta(days=day):
                painter.fillRect(column, TODAY_FILL)
            for begin, end in self.quiet:
                band = QRectF(column.x(), self.y_of(begin), width, (end - begin) / 60 * hour_h)
                painter.fillRect(band, QBrush(QUIET_FILL, Qt.BrushStyle.BDiagPattern))
                painter.fillRect(band, QColor(120, 120, 120, 25))
            painter.setPen(grid)
            painter.drawLine(QPointF(column.x(), 0), QPointF(column.x(), self.height()))
        for hour in range(25):
            y = self.y_of(hour * 60)
            painter.setPen(grid)
            painter.drawLine(QPointF(self.gutter(), y), QPointF(self.width(), y))
            if hour < 24:
                painter.setPen(palette.text().color())
                painter.drawText(QRectF(0, y, self.gutter() - m.averageCharWidth() / 2,
                                        m.height()),
                                 Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop,
                                 f"{hour:02d}:00")
        for b in self.blocks:
            self._paint_block(painter, b, m)
        self._paint_header(painter, m)
        painter.end()

    def header_top(self) -> float:
        """The day names stay at the top of what is visible when the grid is scrolled."""
        return float(max(0, self.visibleRegion().boundingRect().top()))

    def _paint_header(self, painter: QPainter, m: QFontMetricsF) -> None:
        palette = self.palette()
        top, header, width = self.header_top(), self.header_height(), self.column_width()
        painter.fillRect(QRectF(0, top, self.width(), header), palette.window())
        bold = QFont(self.font())
        bold.setBold(True)
        for day in range(7):
            column = self.column_rect(day)
            day_date = self.monday + timedelta(days=day)
            cell = QRectF(column.x(), top, width, header)
            if self.today == day_date:
                painter.fillRect(cell, TODAY_FILL)
            painter.setPen(palette.text().color())
            painter.setFont(bold)
            painter.drawText(QRectF(cell.x(), top, width, header / 2),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                             tr(DAY_KEYS[day]))
            painter.setFont(self.font())
            painter.drawText(QRectF(cell.x(), top + header / 2, width, header / 2),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                             day_date.strftime("%d/%m"))
            painter.setPen(QPen(palette.mid().color()))
            painter.drawLine(QPointF(column.x(), top), QPointF(column.x(), top + header))
        painter.setPen(QPen(palette.mid().color()))
        painter.drawLine(QPointF(0, top + header), QPointF(self.width(), top + header))

    def _paint_block(self, painter: QPainter, b: Block, m: QFontMetricsF) -> None:
        fill = CANCELLED_FILL if b.cancelled else SILENCED_FILL if b.silenced else \
            ONEOFF_FILL if b.oneoff else SERIES_FILL
        painter.fillRect(b.rect, fill)
        pen = QPen(QColor("#5f6368"))
        pen.setWidthF(1.0)
        if b.moved:
            pen = QPen(MOVED_PEN, 2.0, Qt.PenStyle.DashLine)
        if b.changed:
            pen = QPen(MOVED_PEN, 2.0, Qt.PenStyle.DotLine)
        if b.cancelled:
            pen = QPen(QColor("#9aa0a6"), 1.0, Qt.PenStyle.DashLine)
        if b.severity == "warning":
            pen = QPen(WARNING_PEN, 2.5)
        if b.severity == "error":
            pen = QPen(ERROR_PEN, 3.0)
        painter.setPen(pen)
        painter.drawRect(b.rect.adjusted(0.5, 0.5, -0.5, -0.5))
        if b.key == self.selected_key:
            focus = QPen(self.palette().highlight().color(), 3.0)
            painter.setPen(focus)
            painter.drawRect(b.rect.adjusted(2, 2, -2, -2))
        font = QFont(self.font())
        font.setStrikeOut(b.cancelled)
        painter.setFont(font)
        painter.setPen(QColor("#202124"))
        inner = b.rect.adjusted(4, 1, -3, -1)
        text = b.label if not b.detail or inner.height() < m.height() * 2 \
            else f"{b.label}\n{b.detail}"
        painter.drawText(inner, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
                         | Qt.TextFlag.TextWordWrap, text)
        painter.setFont(self.font())

    # -- interaction --------------------------------------------------------------------
    def block_at(self, point: QPointF) -> Block | None:
        # cancelled ghosts lie under what replaced them: real sessions win
        hits = [b for b in self.blocks if b.rect.contains(point)]
        hits.sort(key=lambda b: b.cancelled)
        return hits[0] if hits else None

    def select(self, key: str) -> None:
        if key != self.selected_key:
            self.selected_key = key
            self.update()
        self.selected.emit(key)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        hit = self.block_at(event.position())
        self.select(hit.key if hit else "")
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        hit = self.block_at(event.position())
        if hit is not None:
            self.select(hit.key)
            self.activated.emit(hit.key)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        order = [b.key for b in self.blocks]
        if key in (Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_Left, Qt.Key.Key_Up,
                   Qt.Key.Key_Home, Qt.Key.Key_End) and order:
            current = order.index(self.selected_key) if self.selected_key in order else -1
            if key in (Qt.Key.Key_Home,):
                new = 0
            elif key in (Qt.Key.Key_End,):
                new = len(order) - 1
            elif key in (Qt.Key.Key_Right, Qt.Key.Key_Down):
                new = min(current + 1, len(order) - 1)
            else:
                new = max(current - 1, 0)
            self.select(order[new])
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.selected_key:
            self.activated.emit(self.selected_key)
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        """Right click on a block (it is selected first), or the Menu key / Shift+F10 on the
        selected one: the view shows what can be done with that occurrence."""
        if event.reason() == QContextMenuEvent.Reason.Mouse:
            hit = self.block_at(QPointF(event.pos()))
            self.select(hit.key if hit else "")
            where = event.globalPos()
        else:
            block = self.block(self.selected_key)
            where = self.mapToGlobal(block.rect.center().toPoint()) if block is not None \
                else event.globalPos()
        if self.selected_key:
            self.menu_requested.emit(self.selected_key, where)
            event.accept()
        else:
            event.ignore()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            hit = self.block_at(QPointF(event.pos()))  # type: ignore[attr-defined]
            if hit is not None and hit.tooltip:
                QToolTip.showText(event.globalPos(), hit.tooltip, self)  # type: ignore
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)
