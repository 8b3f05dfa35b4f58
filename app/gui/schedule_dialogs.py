"""Dialogs of the Schedule view: a recurring session, a one-off session, one occurrence's
change, series on/off, campaigns and quiet hours.

They only collect and check what the operator typed; the view stores it through the same
database functions the command line uses (``add_series``, ``add_session``,
``change_occurrence``, ``set_series_enabled``, ``add_campaign``, ``set_quiet_hours``), and
those apply the rules (the pure model validates again)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.gui.dialogs import VN_ZONE, ok_cancel
from app.gui.timetable import DAY_KEYS
from app.i18n import error_text, tr
from media.errors import LoaxaError
from media.stream import check_stream_url
from scheduler.records import Bulletin, Level
from scheduler.schedule import ItemKind, ItemSpec, SessionSeries


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date_edit(day: date) -> QDateEdit:
    edit = QDateEdit(_qdate(day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd/MM/yyyy")
    return edit


def _time_edit(moment: time) -> QTimeEdit:
    edit = QTimeEdit(QTime(moment.hour, moment.minute, moment.second))
    edit.setDisplayFormat("HH:mm")
    return edit


def _vn_datetime_edit(moment: datetime) -> QDateTimeEdit:
    edit = QDateTimeEdit()
    edit.setTimeZone(VN_ZONE)
    edit.setDisplayFormat("dd/MM/yyyy HH:mm")
    edit.setCalendarPopup(True)
    edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(moment.timestamp()), VN_ZONE))
    return edit


def _instant(edit: QDateTimeEdit) -> datetime:
    return datetime.fromtimestamp(edit.dateTime().toSecsSinceEpoch(), UTC)


def _py_time(edit: QTimeEdit) -> time:
    value = edit.time()
    return time(value.hour(), value.minute(), value.second())


def _minutes_spin(value: int, minimum: int = 0) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(minimum, 24 * 60)
    spin.setValue(value)
    spin.setSuffix(tr("sch_minutes_suffix"))
    return spin


# -------------------------------------------------------------------------- items


class ItemPicker(QWidget):
    """What a session plays, in order: bulletins (not emergency ones: those are triggered,
    never scheduled), the station-ID jingle and operator audio files."""

    def __init__(self, bulletins: list[Bulletin], audio: dict[int, str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.available = QListWidget()
        self.available.setAccessibleName(tr("sch_items_available"))
        jingle = QListWidgetItem(tr("sch_item_jingle"))
        jingle.setData(Qt.ItemDataRole.UserRole, ("jingle", None))
        self.available.addItem(jingle)
        for b in bulletins:
            if b.level is Level.EMERGENCY:
                continue
            mark = f" [{tr('level_priority')}]" if b.level is Level.PRIORITY else ""
            item = QListWidgetItem(f"{b.id} — {b.title}{mark}")
            item.setData(Qt.ItemDataRole.UserRole, ("bulletin", b.id))
            self.available.addItem(item)
        for asset_id, title in sorted(audio.items()):
            item = QListWidgetItem(tr("sch_item_audio", id=asset_id, title=title))
            item.setData(Qt.ItemDataRole.UserRole, ("audio", asset_id))
            self.available.addItem(item)
        self.chosen = QListWidget()
        self.chosen.setAccessibleName(tr("sch_items_chosen"))
        self.available.itemActivated.connect(lambda _i: self.add_current())
        self.audio = dict(audio)
        add = QPushButton(tr("sch_item_add"))
        relay = QPushButton(tr("sch_item_relay"))
        relay.clicked.connect(self.add_relay_dialog)
        remove = QPushButton(tr("sch_item_remove"))
        up = QPushButton(tr("sch_item_up"))
        down = QPushButton(tr("sch_item_down"))
        add.clicked.connect(self.add_current)
        remove.clicked.connect(self.remove_current)
        up.clicked.connect(lambda: self.move_current(-1))
        down.clicked.connect(lambda: self.move_current(1))
        buttons = QVBoxLayout()
        for button in (add, relay, remove, up, down):
            buttons.addWidget(button)
        buttons.addStretch(1)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(QLabel(tr("sch_items_available")), 0, 0)
        grid.addWidget(QLabel(tr("sch_items_chosen")), 0, 2)
        grid.addWidget(self.available, 1, 0)
        grid.addLayout(buttons, 1, 1)
        grid.addWidget(self.chosen, 1, 2)

    def add_current(self) -> None:
        item = self.available.currentItem()
        if item is not None:
            self.add(item.data(Qt.ItemDataRole.UserRole))

    def add(self, value: tuple[str, int | None]) -> None:
        for n in range(self.available.count()):
            source = self.available.item(n)
            if source.data(Qt.ItemDataRole.UserRole) == value:
                copy = QListWidgetItem(source.text())
                copy.setData(Qt.ItemDataRole.UserRole, value)
                self.chosen.addItem(copy)
                self.chosen.setCurrentItem(copy)
                return
        raise KeyError(value)

    def add_relay_dialog(self) -> None:
        dialog = RelayDialog(self.audio, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.add_relay(*dialog.values())

    def add_relay(self, url: str, minutes: int, fallback: int | None) -> None:
        """A live stream relayed for ``minutes`` (``fallback``: an audio file played when
        the stream cannot be reached or breaks)."""
        text = tr("sch_item_relay_text", url=url, minutes=minutes)
        if fallback is not None:
            text += f" ({tr('sch_relay_fallback_short', title=self.audio.get(fallback, ''))})"
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, ("relay", (url, minutes, fallback)))
        self.chosen.addItem(item)
        self.chosen.setCurrentItem(item)

    def remove_current(self) -> None:
        row = self.chosen.currentRow()
        if row >= 0:
            self.chosen.takeItem(row)

    def move_current(self, step: int) -> None:
        row = self.chosen.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.chosen.count():
            return
        item = self.chosen.takeItem(row)
        self.chosen.insertItem(target, item)
        self.chosen.setCurrentRow(target)

    def items(self) -> list[ItemSpec]:
        out: list[ItemSpec] = []
        for n in range(self.chosen.count()):
            kind, ident = self.chosen.item(n).data(Qt.ItemDataRole.UserRole)
            if kind == "bulletin":
                out.append(ItemSpec.bulletin(ident))
            elif kind == "audio":
                out.append(ItemSpec.audio(ident))
            elif kind == "relay":
                url, minutes, fallback = ident
                out.append(ItemSpec.relay(url, minutes * 60, ItemSpec.audio(fallback)
                                          if fallback is not None else None))
            else:
                out.append(ItemSpec.jingle())
        return out


class RelayDialog(QDialog):
    """A live stream (http/https, e.g. the 06:00 national news) relayed for a set time."""

    def __init__(self, audio: dict[int, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("sch_dlg_relay"))
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://")
        self.minutes = _minutes_spin(15, minimum=1)
        self.fallback = QComboBox()
        self.fallback.addItem(tr("sch_relay_no_fallback"), None)
        for asset_id, title in sorted(audio.items()):
            self.fallback.addItem(tr("sch_item_audio", id=asset_id, title=title), asset_id)
        form = QFormLayout(self)
        form.addRow(tr("sch_lbl_url"), self.url)
        form.addRow(tr("sch_lbl_relay_minutes"), self.minutes)
        form.addRow(tr("sch_lbl_fallback"), self.fallback)
        form.addRow(ok_cancel(self))

    def accept(self) -> None:
        try:
            check_stream_url(self.url.text())
        except LoaxaError as exc:
            QMessageBox.warning(self, tr("error"), error_text(exc))
            return
        super().accept()

    def values(self) -> tuple[str, int, int | None]:
        return self.url.text().strip(), self.minutes.value(), self.fallback.currentData()


def bulletins_to_render(items: list[ItemSpec]) -> list[int]:
    """The bulletins whose audio is made before the session is stored (as the CLI does)."""
    seen: list[int] = []
    for item in items:
        if item.kind is ItemKind.BULLETIN and item.bulletin_id not in seen:
            seen.append(item.bulletin_id)  # type: ignore[arg-type]
    return seen


# -------------------------------------------------------------------------- sessions


class SeriesDialog(QDialog):
    """A recurring session: title, start time, weekdays, validity, planned length, items."""

    def __init__(self, bulletins: list[Bulletin], audio: dict[int, str], today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("sch_dlg_series"))
        self.title_edit = QLineEdit()
        self.title_edit.setMaxLength(200)
        self.start = _time_edit(time(6, 0))
        self.days = [QCheckBox(tr(key)) for key in DAY_KEYS]
        day_row = QHBoxLayout()
        for box in self.days:
            box.setChecked(True)
            day_row.addWidget(box)
        self.valid_from = _date_edit(today)
        self.has_until = QCheckBox(tr("sch_until"))
        self.valid_until = _date_edit(today)
        self.valid_until.setEnabled(False)
        self.has_until.toggled.connect(self.valid_until.setEnabled)
        until_row = QHBoxLayout()
        until_row.addWidget(self.has_until)
        until_row.addWidget(self.valid_until, 1)
        self.length = _minutes_spin(30)
        self.length.setSpecialValueText(tr("sch_length_items"))
        self.picker = ItemPicker(bulletins, audio)
        form = QFormLayout()
        form.addRow(tr("lbl_title"), self.title_edit)
        form.addRow(tr("sch_lbl_start"), self.start)
        form.addRow(tr("sch_lbl_days"), day_row)
        form.addRow(tr("lbl_from"), self.valid_from)
        form.addRow(tr("lbl_to"), until_row)
        form.addRow(tr("sch_lbl_length"), self.length)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.picker, 1)
        layout.addWidget(ok_cancel(self))

    def weekdays(self) -> frozenset[int]:
        return frozenset(n for n, box in enumerate(self.days) if box.isChecked())

    def accept(self) -> None:
        problem = None
        if not self.title_edit.text().strip():
            problem = tr("sch_need_title")
        elif not self.weekdays():
            problem = tr("sch_need_days")
        elif not self.picker.items():
            problem = tr("session_empty")
        elif self.has_until.isChecked() and self.valid_until.date() < self.valid_from.date():
            problem = tr("bad_range", start=self.valid_from.date().toString("dd/MM/yyyy"),
                         end=self.valid_until.date().toString("dd/MM/yyyy"))
        if problem:
            QMessageBox.warning(self, tr("error"), problem)
            return
        super().accept()

    def values(self) -> dict:
        return {"title": self.title_edit.text().strip(), "start": _py_time(self.start),
                "weekdays": self.weekdays(),
                "valid_from": self.valid_from.date().toPython(),
                "valid_until": self.valid_until.date().toPython()
                if self.has_until.isChecked() else None,
                "length_s": self.length.value() * 60, "items": self.picker.items()}


class OneOffDialog(QDialog):
    """A session that happens once: when (Vietnam time), title, length, items."""

    def __init__(self, bulletins: list[Bulletin], audio: dict[int, str], start: datetime,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("sch_dlg_oneoff"))
        self.title_edit = QLineEdit()
        self.title_edit.setMaxLength(200)
        self.when = _vn_datetime_edit(start)
        self.length = _minutes_spin(0)
        self.length.setSpecialValueText(tr("sch_length_items"))
        self.picker = ItemPicker(bulletins, audio)
        form = QFormLayout()
        form.addRow(tr("lbl_title"), self.title_edit)
        form.addRow(tr("lbl_at"), self.when)
        form.addRow(tr("sch_lbl_length"), self.length)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.picker, 1)
        layout.addWidget(ok_cancel(self))

    def accept(self) -> None:
        if not self.picker.items():
            QMessageBox.warning(self, tr("error"), tr("session_empty"))
            return
        super().accept()

    def values(self) -> dict:
        return {"at": _instant(self.when), "title": self.title_edit.text().strip(),
                "length_s": self.length.value() * 60, "items": self.picker.items()}


class ChangeDialog(QDialog):
    """One occurrence of a series: cancel it, move it (another day too) or give it another
    length. The series itself is not touched."""

    CANCEL, MOVE, EXTEND = 0, 1, 2

    def __init__(self, title: str, day: date, start: datetime, length_s: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("sch_dlg_change", title=title, day=day.strftime("%d/%m/%Y")))
        self.cancel = QRadioButton(tr("sch_change_cancel"))
        self.move = QRadioButton(tr("sch_change_move"))
        self.extend = QRadioButton(tr("sch_change_extend"))
        self.group = QButtonGroup(self)
        for n, button in enumerate((self.cancel, self.move, self.extend)):
            self.group.addButton(button, n)
        self.cancel.setChecked(True)
        self.move_to = _vn_datetime_edit(start)
        self.length = _minutes_spin(max(1, round(length_s / 60)), minimum=1)
        self.move_to.setEnabled(False)
        self.length.setEnabled(False)
        self.move.toggled.connect(self.move_to.setEnabled)
        self.extend.toggled.connect(self.length.setEnabled)
        form = QFormLayout()
        form.addRow(self.cancel)
        form.addRow(self.move, self.move_to)
        form.addRow(self.extend, self.length)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("sch_change_note")))
        layout.addLayout(form)
        layout.addWidget(ok_cancel(self))

    def values(self) -> dict:
        choice = self.group.checkedId()
        return {"cancel": choice == self.CANCEL,
                "move_to": _instant(self.move_to) if choice == self.MOVE else None,
                "length_s": self.length.value() * 60 if choice == self.EXTEND else None}


class SeriesListDialog(QDialog):
    """Every recurring session with a tick: on (plays) or off (paused, kept)."""

    def __init__(self, series: tuple[SessionSeries, ...], parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("sch_dlg_series_list"))
        self.table = QTableWidget(len(series), 4)
        self.table.setHorizontalHeaderLabels([tr("sch_col_enabled"), tr("col_title"),
                                              tr("col_time"), tr("sch_lbl_days")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.original: dict[int, bool] = {}
        for row, s in enumerate(series):
            tick = QTableWidgetItem(str(s.id))
            tick.setData(Qt.ItemDataRole.UserRole, s.id)
            tick.setFlags(tick.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            tick.setCheckState(Qt.CheckState.Checked if s.enabled else Qt.CheckState.Unchecked)
            self.original[s.id] = s.enabled
            self.table.setItem(row, 0, tick)
            self.table.setItem(row, 1, QTableWidgetItem(s.title))
            self.table.setItem(row, 2, QTableWidgetItem(s.start.strftime("%H:%M")))
            self.table.setItem(row, 3, QTableWidgetItem(
                ", ".join(tr(DAY_KEYS[d]) for d in sorted(s.weekdays))))
        self.table.resizeColumnsToContents()
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("sch_series_list_note")))
        layout.addWidget(self.table, 1)
        layout.addWidget(ok_cancel(self))

    def set_enabled(self, series_id: int, enabled: bool) -> None:
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item.data(Qt.ItemDataRole.UserRole) == series_id:
                item.setCheckState(Qt.CheckState.Checked if enabled
                                   else Qt.CheckState.Unchecked)

    def changes(self) -> dict[int, bool]:
        """Series whose tick changed: id → enabled."""
        out = {}
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            series_id = item.data(Qt.ItemDataRole.UserRole)
            enabled = item.checkState() == Qt.CheckState.Checked
            if enabled != self.original[series_id]:
                out[series_id] = enabled
        return out


class CampaignDialog(QDialog):
    """"Bulletin X in the morning sessions from A to B, at most N times a day"."""

    def __init__(self, bulletins: list[Bulletin], series: tuple[SessionSeries, ...],
                 today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("sch_dlg_campaign"))
        self.bulletin = QComboBox()
        for b in bulletins:
            if b.level is not Level.EMERGENCY:
                self.bulletin.addItem(f"{b.id} — {b.title}", b.id)
        self.title_edit = QLineEdit()
        self.title_edit.setMaxLength(200)
        self.first = _date_edit(today)
        self.last = _date_edit(today)
        self.series = QListWidget()
        self.series.setAccessibleName(tr("sch_campaign_series"))
        for s in series:
            item = QListWidgetItem(f"{s.id} — {s.start.strftime('%H:%M')} {s.title}")
            item.setData(Qt.ItemDataRole.UserRole, s.id)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.series.addItem(item)
        self.has_window = QCheckBox(tr("sch_campaign_window"))
        self.window_from = _time_edit(time(4, 0))
        self.window_to = _time_edit(time(11, 59))
        window_row = QHBoxLayout()
        window_row.addWidget(self.has_window)
        window_row.addWidget(self.window_from)
        window_row.addWidget(QLabel("–"))
        window_row.addWidget(self.window_to)
        self.has_cap = QCheckBox(tr("sch_campaign_cap"))
        self.cap = QSpinBox()
        self.cap.setRange(1, 50)
        self.cap.setValue(2)
        cap_row = QHBoxLayout()
        cap_row.addWidget(self.has_cap)
        cap_row.addWidget(self.cap)
        for box, widgets in ((self.has_window, (self.window_from, self.window_to)),
                             (self.has_cap, (self.cap,))):
            for widget in widgets:
                widget.setEnabled(False)
                box.toggled.connect(widget.setEnabled)
        form = QFormLayout()
        form.addRow(tr("sch_lbl_bulletin"), self.bulletin)
        form.addRow(tr("lbl_title"), self.title_edit)
        form.addRow(tr("lbl_from"), self.first)
        form.addRow(tr("lbl_to"), self.last)
        form.addRow(tr("sch_campaign_series"), self.series)
        form.addRow(window_row)
        form.addRow(cap_row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(ok_cancel(self))

    def accept(self) -> None:
        problem = None
        if self.bulletin.currentData() is None:
            problem = tr("select_bulletin")
        elif self.last.date() < self.first.date():
            problem = tr("bad_range", start=self.first.date().toString("dd/MM/yyyy"),
                         end=self.last.date().toString("dd/MM/yyyy"))
        if problem:
            QMessageBox.warning(self, tr("error"), problem)
            return
        super().accept()

    def values(self) -> dict:
        ids = [self.series.item(n).data(Qt.ItemDataRole.UserRole)
               for n in range(self.series.count())
               if self.series.item(n).checkState() == Qt.CheckState.Checked]
        return {"bulletin_id": self.bulletin.currentData(),
                "first_day": self.first.date().toPython(),
                "last_day": self.last.date().toPython(),
                "series_ids": ids or None,
                "window": (_py_time(self.window_from), _py_time(self.window_to))
                if self.has_window.isChecked() else None,
                "max_per_day": self.cap.value() if self.has_cap.isChecked() else None,
                "title": self.title_edit.text().strip()}


class QuietHoursDialog(QDialog):
    """The commune's quiet hours: windows of local time (may cross midnight)."""

    def __init__(self, windows: list[tuple[time, time]], parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("sch_dlg_quiet"))
        self.rows: list[tuple[QTimeEdit, QTimeEdit, QWidget]] = []
        self.grid = QVBoxLayout()
        add = QPushButton(tr("sch_quiet_add"))
        add.clicked.connect(lambda: self.add_window(time(22, 0), time(5, 0)))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("sch_quiet_note")))
        layout.addLayout(self.grid)
        layout.addWidget(add, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        layout.addWidget(ok_cancel(self))
        for begin, end in windows:
            self.add_window(begin, end)

    def add_window(self, begin: time, end: time) -> None:
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        start, stop = _time_edit(begin), _time_edit(end)
        remove = QPushButton(tr("sch_quiet_remove"))
        line.addWidget(start)
        line.addWidget(QLabel("–"))
        line.addWidget(stop)
        line.addWidget(remove)
        entry = (start, stop, row)
        self.rows.append(entry)
        remove.clicked.connect(lambda: self._remove(entry))
        self.grid.addWidget(row)

    def _remove(self, entry: tuple[QTimeEdit, QTimeEdit, QWidget]) -> None:
        self.rows.remove(entry)
        entry[2].deleteLater()

    def windows(self) -> list[tuple[time, time]]:
        return [(_py_time(a), _py_time(b)) for a, b, _ in self.rows]

    def accept(self) -> None:
        for begin, end in self.windows():
            if begin == end:
                QMessageBox.warning(self, tr("error"), tr(
                    "schedule_bad_quiet_hours", start=begin.strftime("%H:%M"),
                    end=end.strftime("%H:%M")))
                return
        super().accept()
