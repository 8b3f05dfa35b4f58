"""The On-air view: what is playing, what is next and when, the output level, the audio
device, the EMERGENCY button and the playout process.

Sources: what plays now is the broadcast log's entry with status ``playing`` (written by
the playout process before the item starts); what is next is the resolved timeline
(``scheduler.schedule.next_session``), the same the engine uses. The database is read in
``reload()`` (the window calls it when the database changed) and every half minute for the
engine's heartbeat; the countdown, the elapsed time and the level meter run on timers from
what was read, with no query per tick. Enumerating the audio device and measuring the audio
file on air run off the GUI thread.
"""

from __future__ import annotations

import html
import logging
import subprocess
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QRectF, QSize, Qt, QThreadPool, QTimer
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.gui import onair_support as support
from app.gui.dialogs import ok_cancel
from app.gui.schedule_cache import ScheduleCache
from app.gui.session_guard import ensure_signed_in, permissions
from app.gui.tasks import Task, TaskRunner
from app.i18n import error_text, tr
from app.instance import is_locked
from app.playout_process import start_playout_process
from media.errors import LoaxaError
from media.textio import check_bulletin_text
from scheduler import schedule as sched
from scheduler.records import Bulletin, Level, LogEntry, LogStatus
from scheduler.timeutil import format_shown, to_local, utc_now

log = logging.getLogger(__name__)

TICK_MS = 1000
METER_MS = 100
DEVICE_EVERY_S = 10
HEARTBEAT_EVERY_S = 30
HEARTBEAT_STALE = timedelta(minutes=3)  # the engine notes it is alive every minute when idle
LOG_LOOKBACK = 30  # newest log entries looked at for the one on air


def _clock(seconds: float) -> str:
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}"


def countdown_text(seconds: float) -> str:
    """"Còn 01:02:03" (days first when it is more than a day away)."""
    days, rest = divmod(max(0, int(seconds)), 86400)
    if days:
        return tr("air_countdown_days", days=days, time=_clock(rest))
    return tr("air_countdown", time=_clock(rest))


class LevelMeter(QWidget):
    """A horizontal bar from −60 to 0 dBFS: RMS as the bar, the peak as a tick, the value in
    words beside it (for people who cannot tell the colours apart)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rms_db: float | None = None
        self.peak_db: float | None = None
        self.setAccessibleName(tr("air_meter"))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    @property
    def value(self) -> float | None:
        """The RMS level shown (dBFS), None when nothing plays."""
        return self.rms_db

    def set_level(self, rms_db: float | None, peak_db: float | None = None) -> None:
        if (rms_db, peak_db) != (self.rms_db, self.peak_db):
            self.rms_db, self.peak_db = rms_db, peak_db
            self.setAccessibleDescription(self.text())
            self.update()

    def text(self) -> str:
        if self.rms_db is None:
            return tr("air_meter_idle")
        return tr("air_meter_value", value=f"{self.rms_db:.0f}".replace("-", "−"))

    def sizeHint(self) -> QSize:
        m = QFontMetricsF(self.font())
        return QSize(int(m.averageCharWidth() * 50), int(m.height() * 1.8))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        m = QFontMetricsF(self.font())
        label_w = m.horizontalAdvance(tr("air_meter_value", value="−60")) + m.averageCharWidth()
        bar = QRectF(0, 2, max(self.width() - label_w, 10), self.height() - 4)
        painter.fillRect(bar, QColor("#303134"))
        floor = support.FLOOR_DB

        def x_of(db: float) -> float:
            return bar.x() + bar.width() * (min(max(db, floor), 0) - floor) / -floor

        if self.rms_db is not None:
            for low, high, colour in ((floor, -18, "#1e8e3e"), (-18, -6, "#f9ab00"),
                                      (-6, 0, "#d93025")):
                if self.rms_db > low:
                    painter.fillRect(QRectF(x_of(low), bar.y(),
                                            x_of(min(self.rms_db, high)) - x_of(low),
                                            bar.height()), QColor(colour))
            if self.peak_db is not None:
                painter.fillRect(QRectF(x_of(self.peak_db) - 1.5, bar.y(), 3, bar.height()),
                                 QColor("#ffffff"))
        painter.setPen(self.palette().text().color())
        painter.drawText(QRectF(bar.right() + m.averageCharWidth() / 2, 0, label_w,
                                self.height()),
                         Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, self.text())
        painter.end()


class EmergencyDialog(QDialog):
    """Pick a bulletin or type a new text; optionally repeat every N minutes."""

    def __init__(self, bulletins: list[Bulletin], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("air_dlg_emergency"))
        self.pick = QRadioButton(tr("air_em_pick"))
        self.new = QRadioButton(tr("air_em_new"))
        group = QButtonGroup(self)
        group.addButton(self.pick)
        group.addButton(self.new)
        self.bulletin = QComboBox()
        # emergency bulletins first: they are what this button is for
        ordered = sorted(bulletins, key=lambda b: (b.level is not Level.EMERGENCY, -b.id))
        self.titles = {b.id: b.title for b in bulletins}
        for b in ordered:
            mark = f" [{tr('level_emergency')}]" if b.level is Level.EMERGENCY else ""
            self.bulletin.addItem(f"{b.id} — {b.title}{mark}", b.id)
        self.title_edit = QLineEdit()
        self.title_edit.setMaxLength(300)
        self.text_edit = QPlainTextEdit()
        self.repeat = QCheckBox(tr("air_em_repeat"))
        self.minutes = QSpinBox()
        self.minutes.setRange(1, 24 * 60)
        self.minutes.setValue(15)
        self.minutes.setSuffix(tr("sch_minutes_suffix"))
        self.minutes.setEnabled(False)
        self.repeat.toggled.connect(self.minutes.setEnabled)
        for widget in (self.bulletin,):
            self.pick.toggled.connect(widget.setEnabled)
        for widget in (self.title_edit, self.text_edit):
            self.new.toggled.connect(widget.setEnabled)
        if self.bulletin.count():
            self.pick.setChecked(True)
            self.title_edit.setEnabled(False)
            self.text_edit.setEnabled(False)
        else:
            self.new.setChecked(True)
            self.bulletin.setEnabled(False)
        repeat_row = QHBoxLayout()
        repeat_row.addWidget(self.repeat)
        repeat_row.addWidget(self.minutes)
        repeat_row.addStretch(1)
        form = QFormLayout()
        form.addRow(self.pick)
        form.addRow(tr("air_em_bulletin"), self.bulletin)
        form.addRow(self.new)
        form.addRow(tr("lbl_title"), self.title_edit)
        form.addRow(tr("lbl_text"), self.text_edit)
        form.addRow(repeat_row)
        box = ok_cancel(self, ok_key="air_em_next")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("air_em_note")))
        layout.addLayout(form)
        layout.addWidget(box)

    def accept(self) -> None:
        try:
            if self.pick.isChecked():
                if self.bulletin.currentData() is None:
                    raise LoaxaError("select_bulletin")
            else:
                if not self.title_edit.text().strip():
                    raise LoaxaError("need_title")
                check_bulletin_text(self.text_edit.toPlainText())
        except LoaxaError as exc:
            QMessageBox.warning(self, tr("error"), error_text(exc))
            return
        super().accept()

    def values(self) -> dict:
        picked = self.pick.isChecked()
        return {"bulletin_id": self.bulletin.currentData() if picked else None,
                "title": self.titles[self.bulletin.currentData()] if picked
                else self.title_edit.text().strip(),
                "text": "" if picked else self.text_edit.toPlainText().strip(),
                "repeat_minutes": self.minutes.value() if self.repeat.isChecked() else None}


class OnAirView(QWidget):
    title_key = "tab_onair"

    def __init__(self, ctx: Any, runner: TaskRunner, parent: QWidget | None = None, *,
                 now: Callable[[], datetime] = utc_now) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.runner = runner
        self.now = now
        # Work of this view that must not wait behind a long render or export on the
        # window's runner: an emergency, the device query, measuring the file on air.
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(2)
        self.tasks: list[Task] = []
        self.cache = ScheduleCache(ctx, self.pool, self)
        self.schedule: sched.Schedule | None = None
        self.playing: LogEntry | None = None
        self.next: sched.PlannedSession | None = None
        self.profile: support.LevelProfile | None = None
        self.profile_sha = ""
        self.device: str | None = None
        self.device_known = False
        self.device_query: Task | None = None
        self.playout_running: bool | None = None
        self.heartbeat: datetime | None = None
        self.process: subprocess.Popen | None = None
        self.restarting = False
        self._ticks = 0

        self.alarm = QLabel()
        self.alarm.setWordWrap(True)
        self.alarm.setStyleSheet("background: #b3261e; color: white; font-weight: bold; "
                                 "padding: 0.5em;")
        self.alarm.setAccessibleName(tr("air_alarm"))
        self.alarm.setHidden(True)

        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 1.5)
        big.setBold(True)
        self.now_title = QLabel(tr("air_nothing"))
        self.now_title.setFont(big)
        self.now_title.setWordWrap(True)
        self.now_info = QLabel()
        self.now_info.setWordWrap(True)
        self.now_elapsed = QLabel()
        self.meter = LevelMeter()
        now_box = QGroupBox(tr("air_now"))
        now_layout = QVBoxLayout(now_box)
        for widget in (self.now_title, self.now_info, self.now_elapsed, self.meter):
            now_layout.addWidget(widget)

        self.next_title = QLabel(tr("air_no_next"))
        self.next_title.setWordWrap(True)
        self.next_title.setTextFormat(Qt.TextFormat.RichText)
        self.countdown = QLabel()
        self.countdown.setFont(big)
        next_box = QGroupBox(tr("air_next"))
        next_layout = QVBoxLayout(next_box)
        next_layout.addWidget(self.next_title)
        next_layout.addWidget(self.countdown)

        self.playout_label = QLabel()
        self.playout_label.setWordWrap(True)
        self.heartbeat_label = QLabel()
        self.heartbeat_label.setWordWrap(True)
        self.playout_button = QPushButton(tr("air_start"))
        self.playout_button.clicked.connect(self.start_or_restart)
        self.device_label = QLabel(tr("air_device_checking"))
        self.device_label.setWordWrap(True)
        status_box = QGroupBox(tr("air_status"))
        status_layout = QVBoxLayout(status_box)
        for widget in (self.playout_label, self.heartbeat_label, self.playout_button,
                       self.device_label):
            status_layout.addWidget(widget)
        status_layout.addStretch(1)

        self.emergency_button = QPushButton(tr("air_emergency_button"))
        huge = QFont(self.font())
        huge.setPointSizeF(huge.pointSizeF() * 1.8)
        huge.setBold(True)
        self.emergency_button.setFont(huge)
        self.emergency_button.setStyleSheet(
            # borders in px: an em-sized border shrinks the text box and clips the stacked
            # Vietnamese diacritics of the capitals (seen offscreen, DejaVu Sans)
            "QPushButton { background: #c5221f; color: white; padding: 0.5em; "
            "border: 2px solid #7f0000; border-radius: 4px; } "
            "QPushButton:focus { border: 3px solid #fbbc04; }")
        self.emergency_button.setSizePolicy(QSizePolicy.Policy.Expanding,
                                            QSizePolicy.Policy.Fixed)
        self.emergency_button.setAccessibleName(tr("air_emergency_button").replace("&", ""))
        self.emergency_button.clicked.connect(self.trigger_emergency)
        self.emergencies = QTableWidget(0, 5)
        self.emergencies.setHorizontalHeaderLabels([tr("col_id"), tr("col_title"),
                                                    tr("air_col_by"), tr("air_col_repeat"),
                                                    tr("col_state")])
        self.emergencies.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.emergencies.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.emergencies.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.emergencies.verticalHeader().setVisible(False)
        self.emergencies.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.emergencies.horizontalHeader().setStretchLastSection(True)
        self.cancel_button = QPushButton(tr("air_em_cancel"))
        self.cancel_button.clicked.connect(self.cancel_emergency)
        em_box = QGroupBox(tr("air_em_active"))
        em_layout = QVBoxLayout(em_box)
        em_layout.addWidget(self.emergencies)
        em_layout.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.message = QLabel()
        self.message.setWordWrap(True)

        grid = QGridLayout()
        grid.addWidget(now_box, 0, 0)
        grid.addWidget(status_box, 0, 1, 2, 1)
        grid.addWidget(next_box, 1, 0)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        # In a scroll area: on a 1366×768 laptop at 150 % the view is taller than the window.
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(self.alarm)
        layout.addWidget(self.emergency_button)
        layout.addLayout(grid)
        layout.addWidget(em_box, 1)
        layout.addWidget(self.message)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.setTabOrder(self.emergency_button, self.playout_button)
        self.setTabOrder(self.playout_button, self.emergencies)
        self.setTabOrder(self.emergencies, self.cancel_button)

        self.tick_timer = QTimer(self)
        self.tick_timer.setInterval(TICK_MS)
        self.tick_timer.timeout.connect(self.tick)
        self.meter_timer = QTimer(self)
        self.meter_timer.setInterval(METER_MS)
        self.meter_timer.timeout.connect(self.update_meter)
        try:
            self.cache.get()  # the first time at once, so the view opens complete
        except LoaxaError as exc:
            self.message.setText(error_text(exc))
        self.reload()
        self.check_device()
        self.tick_timer.start()

    # -- reading the database -----------------------------------------------------------
    def reload(self) -> None:
        """The database changed (the window calls this). A schedule changed elsewhere is
        loaded off the GUI thread; the next session follows when it arrives."""
        ctx = self.ctx
        # never grey (an emergency must go out at once), but says a login comes first
        self.emergency_button.setToolTip(
            "" if permissions(ctx).may("emergency_triggered") else tr("air_em_tip_login"))
        try:
            entries = ctx.db.log_entries(limit=LOG_LOOKBACK)
            active = ctx.db.list_emergencies(active_only=True)
            self.heartbeat = ctx.db.last_heartbeat()
            if self.cache.refresh(self._schedule_loaded) is None:
                self._schedule_loaded(self.cache.schedule)  # type: ignore[arg-type]
        except LoaxaError as exc:
            self.message.setText(error_text(exc))
            return
        playing = [e for e in entries if e.status is LogStatus.PLAYING]
        self.playing = max(playing, key=lambda e: e.id) if playing else None
        self._show_playing()
        self._fill_emergencies(active)
        self.tick()

    def _schedule_loaded(self, schedule: sched.Schedule) -> None:
        try:
            self.next = self._next_session(schedule)
        except LoaxaError as exc:
            self.message.setText(error_text(exc))
            return
        self.schedule = schedule
        self._show_next()
        self.tick()

    def _next_session(self, schedule: sched.Schedule) -> sched.PlannedSession | None:
        """The next session not yet played (as the engine sees it)."""
        after = self.now()
        for _ in range(50):
            planned = sched.next_session(schedule, after)
            if planned is None:
                return None
            if self.ctx.db.run_states([planned.key]).get(planned.key) not in ("done",
                                                                               "missed"):
                return planned
            after = planned.start
        return None

    def _show_playing(self) -> None:
        entry = self.playing
        if entry is None:
            self.now_title.setText(tr("air_nothing"))
            self.now_info.setText("")
            self.now_elapsed.setText("")
            self.meter.set_level(None)
            self.meter_timer.stop()
            return
        emergency = entry.item_kind == "emergency"
        title = entry.bulletin_title or tr("air_item_untitled")
        self.now_title.setText(f"⚠ {title}" if emergency else title)
        info = [tr("air_started", at=format_shown(entry.started_at or entry.scheduled_at))]
        if entry.bulletin_id is not None:
            info.append(tr("air_bulletin_id", id=entry.bulletin_id))
        if emergency:
            info.append(tr("air_emergency_by", by=entry.triggered_by or "?"))
        elif entry.session_key:
            info.append(entry.session_key)
        if entry.output_device:
            info.append(tr("air_on_device", device=entry.output_device))
        self.now_info.setText(" · ".join(info))
        sha = entry.audio_sha256
        if sha and sha != self.profile_sha:
            self.profile_sha, self.profile = sha, None
            self._measure(sha)
        self.meter_timer.start()

    def _measure(self, sha: str) -> None:
        path = support.audio_file(self.ctx.store, sha)
        if path is None:
            log.warning("audio %s on air is not in the store: no level meter", sha)
            return

        def done(profile: support.LevelProfile) -> None:
            if sha == self.profile_sha:
                self.profile = profile
                self.update_meter()

        self._start(Task(lambda _progress, stop: support.level_profile(path, should_stop=stop)),
                    done, quiet=True)

    def _show_next(self) -> None:
        s = self.next
        if s is None:
            self.next_title.setText(html.escape(tr("air_no_next")))
            return
        items = ", ".join(i.title for i in s.items if i.origin is not sched.Origin.STATION_ID
                          and i.title)
        self.next_title.setText(
            f"<b>{html.escape(to_local(s.start).strftime('%H:%M:%S %d/%m/%Y'))} — "
            f"{html.escape(s.title)}</b><br>{html.escape(items)}")

    def _fill_emergencies(self, active: list) -> None:
        table = self.emergencies
        table.setRowCount(len(active))
        for row, e in enumerate(active):
            ident = QTableWidgetItem(str(e.id))
            ident.setData(Qt.ItemDataRole.UserRole, e.id)
            table.setItem(row, 0, ident)
            table.setItem(row, 1, QTableWidgetItem(e.bulletin_title))
            table.setItem(row, 2, QTableWidgetItem(e.requested_by))
            table.setItem(row, 3, QTableWidgetItem(
                tr("air_every", minutes=e.repeat_minutes) if e.repeat_minutes else "—"))
            table.setItem(row, 4, QTableWidgetItem(tr(f"air_em_state_{e.state}")))
        if active and table.currentRow() < 0:
            table.selectRow(0)
        self.cancel_button.setEnabled(bool(active))

    # -- every second (no database) -----------------------------------------------------
    def tick(self) -> None:
        now = self.now()
        self._ticks += 1
        self.playout_running = is_locked(self.ctx.paths.playout_lock)
        if self.next is not None and self.next.start <= now and self.schedule is not None:
            # its time has come: what follows it, from the schedule already read
            self.next = sched.next_session(self.schedule, now)
            self._show_next()
        self.countdown.setText(countdown_text((self.next.start - now).total_seconds())
                               if self.next is not None else "")
        if self.playing is not None:
            started = self.playing.started_at or self.playing.scheduled_at
            elapsed = (now - started).total_seconds()
            total = f" / {_clock(self.profile.duration_s)}" if self.profile else ""
            text = tr("air_elapsed", time=_clock(elapsed) + total)
            if self.playout_running is False:  # left "playing" by a playout that died
                text += " — " + tr("air_stale_playing")
            self.now_elapsed.setText(text)
        self._check_playout(now)
        if self._ticks % DEVICE_EVERY_S == 0:
            self.check_device()
        if self._ticks % HEARTBEAT_EVERY_S == 0:
            try:
                self.heartbeat = self.ctx.db.last_heartbeat()
            except LoaxaError as exc:
                self.message.setText(error_text(exc))

    def update_meter(self) -> None:
        """The level of the file on air at the elapsed position (no database, no I/O)."""
        if self.playing is None or self.profile is None:
            self.meter.set_level(None)
            return
        started = self.playing.started_at or self.playing.scheduled_at
        level = self.profile.level_at((self.now() - started).total_seconds())
        if level is None:
            self.meter.set_level(None)
        else:
            self.meter.set_level(*level)

    def _check_playout(self, now: datetime) -> None:
        running = bool(self.playout_running)
        if running:
            self.playout_label.setText(tr("playout_on"))
            self.playout_label.setStyleSheet("")
        else:
            self.playout_label.setText(tr("playout_off"))
            self.playout_label.setStyleSheet("color: #b3261e; font-weight: bold")
        self.playout_button.setText(tr("air_restart") if running else tr("air_start"))
        self.playout_button.setEnabled(not self.restarting)
        if self.heartbeat is None:
            self.heartbeat_label.setText(tr("air_heartbeat_never"))
        else:
            age = (now - self.heartbeat).total_seconds()
            text = tr("air_heartbeat", at=to_local(self.heartbeat).strftime("%H:%M:%S"),
                      ago=_clock(age))
            if running and self.playing is None and now - self.heartbeat > HEARTBEAT_STALE:
                text += " " + tr("air_heartbeat_stale")
            self.heartbeat_label.setText(text)
        self._show_alarm()

    def _show_alarm(self) -> None:
        alarms = []
        if self.device_known and self.device is None:
            alarms.append(tr("air_no_device"))
        if self.playout_running is False:
            alarms.append(tr("playout_off"))
        self.alarm.setText("\n".join(alarms))
        self.alarm.setHidden(not alarms)

    # -- the audio device ---------------------------------------------------------------
    def check_device(self) -> Task | None:
        if self.device_query is not None:
            return None  # the previous query is still running (a slow driver)

        def done(name: str | None) -> None:
            self.device_query = None
            self.device, self.device_known = name, True
            # the banner above says what to do; here, in the status box, a line
            self.device_label.setText(tr("air_device", name=name) if name
                                      else tr("air_device_none"))
            self.device_label.setStyleSheet("" if name else "color: #b3261e; "
                                            "font-weight: bold")
            self._show_alarm()

        def failed(_message: str) -> None:
            self.device_query = None

        self.device_query = self._start(
            Task(lambda _p, _s: support.default_output_name()), done, quiet=True,
            on_failure=failed)
        return self.device_query

    # -- background work of this view ----------------------------------------------------
    def _start(self, task: Task, on_success: Callable[[Any], None], quiet: bool = False,
               on_failure: Callable[[str], None] | None = None) -> Task:
        self.tasks.append(task)

        def forget(*_: Any) -> None:
            if isValid(self) and task in self.tasks:
                self.tasks.remove(task)

        def succeeded(result: Any) -> None:
            if isValid(self):  # a result can arrive after the view was closed
                on_success(result)

        def failed(message: str) -> None:
            if not isValid(self):
                return
            if on_failure is not None:
                on_failure(message)
            if quiet:
                log.warning("on-air background work failed: %s", message)
            else:
                QMessageBox.warning(self, tr("error"), message)

        task.signals.succeeded.connect(succeeded)
        task.signals.failed.connect(failed)
        for signal in (task.signals.succeeded, task.signals.failed, task.signals.cancelled):
            signal.connect(forget)
        self.pool.start(task)
        return task

    def wait(self, msecs: int = -1) -> bool:
        return self.pool.waitForDone(msecs)

    # -- the emergency ------------------------------------------------------------------
    def trigger_emergency(self) -> Task | None:
        """Pick or type, confirm, then queued exactly like ``loaxa emergency ID``: the audio
        is made first, then the emergency row is added; the playout process plays it at
        once, interrupting what is on air. Once the station has users somebody must be
        signed in (any role): when nobody is, the login is asked first, here."""
        if not ensure_signed_in(self.ctx, self):
            self.message.setText(tr("air_em_login_needed"))
            return None
        db = self.ctx.db
        try:
            bulletins = db.list_bulletins()
        except LoaxaError as exc:
            QMessageBox.warning(self, tr("error"), error_text(exc))
            return None
        dialog = EmergencyDialog(bulletins, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        v = dialog.values()
        repeat = tr("air_confirm_repeat", minutes=v["repeat_minutes"]) if v["repeat_minutes"] \
            else tr("air_confirm_once")
        question = tr("air_confirm", title=v["title"], repeat=repeat)
        if QMessageBox.question(self, tr("air_dlg_emergency"), question,
                                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                QMessageBox.StandardButton.No) != QMessageBox.StandardButton.Yes:
            return None
        user = support.current_user(self.ctx)
        ctx = self.ctx
        try:
            bulletin_id = v["bulletin_id"]
            if bulletin_id is None:  # a new text: stored as an emergency bulletin
                bulletin_id = db.add_bulletin(v["title"], v["text"], level=Level.EMERGENCY)
        except LoaxaError as exc:
            QMessageBox.warning(self, tr("error"), error_text(exc))
            return None

        def work(_progress: Callable[[int, int], None], stop: Callable[[], bool]) -> int:
            ctx.render_bulletin(bulletin_id, should_stop=stop)  # audio first: it plays at once
            return ctx.db.add_emergency(bulletin_id, requested_at=utc_now(),
                                        requested_by=user,
                                        repeat_minutes=v["repeat_minutes"])

        def done(emergency_id: int) -> None:
            text = tr("emergency_added", id=emergency_id, by=user)
            if not is_locked(ctx.paths.playout_lock):
                text += "\n" + tr("air_em_no_playout")
                QMessageBox.warning(self, tr("air_dlg_emergency"), text)
            self.message.setText(text)
            self.reload()

        self.message.setText(tr("air_em_preparing", title=v["title"]))
        return self._start(Task(work), done)

    def cancel_emergency(self) -> bool:
        row = self.emergencies.currentRow()
        item = self.emergencies.item(row, 0) if row >= 0 else None
        if item is None:
            return False
        emergency_id = item.data(Qt.ItemDataRole.UserRole)
        if not ensure_signed_in(self.ctx, self):
            self.message.setText(tr("air_em_login_needed"))
            return False
        if QMessageBox.question(self, tr("air_dlg_emergency"),
                                tr("air_em_cancel_question", id=emergency_id,
                                   title=self.emergencies.item(row, 1).text()),
                                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                QMessageBox.StandardButton.No) != QMessageBox.StandardButton.Yes:
            return False
        try:
            self.ctx.db.cancel_emergency(emergency_id, by=support.current_user(self.ctx),
                                         at=utc_now())
        except LoaxaError as exc:
            QMessageBox.warning(self, tr("error"), error_text(exc))
            return False
        self.message.setText(tr("emergency_cancelled", id=emergency_id))
        self.reload()
        return True

    # -- the playout process --------------------------------------------------------------
    def start_or_restart(self) -> Task | None:
        """Start the playout process, or restart it: stop it cleanly (its item on air is
        logged interrupted and resumed by the new process), then start it."""
        lock = self.ctx.paths.playout_lock
        if not is_locked(lock):
            self._launch()
            return None
        if QMessageBox.question(self, tr("air_status"), tr("air_restart_question"),
                                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                QMessageBox.StandardButton.No) != QMessageBox.StandardButton.Yes:
            return None
        known = self.process.pid if self.process is not None else None
        self.restarting = True
        self.playout_button.setEnabled(False)
        self.message.setText(tr("air_stopping"))

        def finished(clean: bool) -> None:
            self.restarting = False
            if not clean:
                QMessageBox.warning(self, tr("air_status"), tr("air_forced_stop"))
            self._launch()

        def failed(_message: str) -> None:
            self.restarting = False

        return self._start(Task(lambda _p, _s: support.stop_playout(lock, known)), finished,
                           on_failure=failed)

    def _launch(self) -> None:
        try:
            self.process = start_playout_process()
        except OSError as exc:
            QMessageBox.critical(self, tr("error"), f"{tr('playout_off')}\n{exc}")
            return
        self.message.setText(tr("air_started_playout"))


__all__ = ["EmergencyDialog", "LevelMeter", "OnAirView", "countdown_text"]
