"""The Schedule view: the week as a timetable (Vietnam time), with the day-ahead check.

What is painted is exactly what the engine will play: the view loads the schedule with
``Database.load_schedule`` and resolves the shown week with ``scheduler.schedule
.resolve_range`` (series occurrences, one-offs, moved/extended/cancelled occurrences,
campaigns, quiet hours), and ``check_range`` finds the problems. Resolving a week takes
milliseconds, so it runs on the GUI thread; making audio (before a session is stored, as the
command line does) runs on the window's task runner.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, QSettings, QStandardPaths, Qt, QThreadPool, QUrl
from PySide6.QtGui import QColor, QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.gui.log_dialogs import safe_file_name, with_extension
from app.gui.schedule_cache import ScheduleCache
from app.gui.schedule_dialogs import (
    CampaignDialog,
    ChangeDialog,
    OneOffDialog,
    QuietHoursDialog,
    SeriesDialog,
    SeriesListDialog,
    bulletins_to_render,
)
from app.gui.session_guard import gate, permissions
from app.gui.tasks import Task, TaskRunner
from app.gui.timetable import Block, WeekTimetable, quiet_bands
from app.i18n import check_text, error_text, format_duration, tr
from app.session_export import FORMATS, SessionExport, export_session
from media.errors import Cancelled, LoaxaError
from scheduler import schedule as sched
from scheduler.timeutil import to_local, utc_now

CANCELLED_PREFIX = "cancelled:"
MOVED_PREFIX = "moved-from:"
EXPORT_FOLDER_KEY = "schedule/export_folder"
EXPORT_FORMAT_KEY = "schedule/export_format"
FILTER_KEYS = {"mp3": "sch_export_mp3_files", "wav": "sch_export_wav_files"}


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _hm(moment: datetime) -> str:
    return to_local(moment).strftime("%H:%M")


def _when(moment: datetime) -> str:
    return to_local(moment).strftime("%H:%M %d/%m/%Y")


def export_file_name(session: sched.PlannedSession, fmt: str) -> str:
    """"Bản tin sáng 2026-12-01 06-00.mp3": the session's title with its diacritics, its
    day and time in Vietnam, safe on every Windows file system."""
    local = to_local(session.start)
    title = session.title.strip() or tr("sch_export_untitled")
    return safe_file_name(f"{title} {local:%Y-%m-%d %H-%M}.{fmt}")


def _parse_series_key(key: str) -> tuple[int, date] | None:
    kind, _, rest = key.partition(":")
    if kind != "series":
        return None
    ident, _, day = rest.partition(":")
    return int(ident), date.fromisoformat(day)


class ScheduleView(QWidget):
    title_key = "tab_schedule"

    def __init__(self, ctx: Any, runner: TaskRunner, parent: QWidget | None = None, *,
                 now: Callable[[], datetime] = utc_now) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.runner = runner
        self.now = now
        self.monday = _monday(to_local(now()).date())
        self.pool = QThreadPool(self)  # loads the schedule when it changed elsewhere
        self.pool.setMaxThreadCount(1)
        self.cache = ScheduleCache(ctx, self.pool, self)
        self.schedule: sched.Schedule | None = None
        self.timeline: sched.Timeline | None = None
        self.problems: list[sched.Problem] = []
        self.sessions: dict[str, sched.PlannedSession] = {}
        self.ghosts: dict[str, tuple[int, date, datetime, str]] = {}
        self.runs: dict[str, str] = {}

        self.prev_button = QPushButton(tr("sch_prev_week"))
        self.today_button = QPushButton(tr("sch_this_week"))
        self.next_button = QPushButton(tr("sch_next_week"))
        self.prev_button.clicked.connect(lambda: self.show_week(self.monday - timedelta(7)))
        self.next_button.clicked.connect(lambda: self.show_week(self.monday + timedelta(7)))
        self.today_button.clicked.connect(lambda: self.show_week(to_local(self.now()).date()))
        self.week_label = QLabel()
        bold = self.week_label.font()
        bold.setBold(True)
        self.week_label.setFont(bold)
        nav = QHBoxLayout()
        for widget in (self.prev_button, self.today_button, self.next_button):
            nav.addWidget(widget)
        nav.addWidget(self.week_label, 1)
        legend = QLabel(tr("sch_legend"))
        legend.setWordWrap(True)  # fits a 1366-pixel screen at 150 %
        nav.addWidget(legend, 1)

        self.series_button = QPushButton(tr("sch_add_series"))
        self.oneoff_button = QPushButton(tr("sch_add_oneoff"))
        self.change_button = QPushButton(tr("sch_change"))
        self.enable_button = QPushButton(tr("sch_enable"))
        self.campaign_button = QPushButton(tr("sch_campaign"))
        self.quiet_button = QPushButton(tr("sch_quiet"))
        self.export_button = QPushButton(tr("sch_export"))
        self.export_button.setToolTip(tr("sch_export_tip"))
        self.export_button.clicked.connect(self.export_selected)
        self.series_button.clicked.connect(self.add_series)
        self.oneoff_button.clicked.connect(self.add_oneoff)
        self.change_button.clicked.connect(self.change_selected)
        self.enable_button.clicked.connect(self.edit_series_enabled)
        self.campaign_button.clicked.connect(self.add_campaign)
        self.quiet_button.clicked.connect(self.edit_quiet_hours)
        actions = QHBoxLayout()
        for widget in (self.series_button, self.oneoff_button, self.change_button,
                       self.enable_button, self.campaign_button, self.quiet_button):
            actions.addWidget(widget)
        actions.addStretch(1)
        self.gate_actions()
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        actions.addWidget(self.progress)
        self.cancel_button = QPushButton(tr("sch_cancel_work"))
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel_work)
        self.task: Task | None = None  # the work this view started, while it runs
        self.export_box: QMessageBox | None = None  # the last "exported" message
        self.status = QLabel()  # what the last action did
        self.status.setWordWrap(True)

        self.timetable = WeekTimetable()
        self.timetable.selected.connect(self._show_details)
        self.timetable.activated.connect(lambda _key: self.change_selected())
        self.timetable.menu_requested.connect(self._occurrence_menu)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.timetable)
        self.scroll = scroll
        # the day names are painted at the top of what is visible: repaint when scrolled
        scroll.verticalScrollBar().valueChanged.connect(lambda _v: self.timetable.update())
        self.details = QTextBrowser()
        self.details.setAccessibleName(tr("sch_details"))
        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(scroll)
        # what can be done with the chosen occurrence sits under its details
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.details, 1)
        side_layout.addWidget(self.export_button)
        top.addWidget(side)
        top.setStretchFactor(0, 4)
        top.setStretchFactor(1, 1)

        self.problem_table = QTableWidget(0, 3)
        self.problem_table.setHorizontalHeaderLabels([tr("col_severity"), tr("col_time"),
                                                      tr("col_problem")])
        self.problem_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.problem_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.problem_table.verticalHeader().setVisible(False)
        header = self.problem_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.problem_table.currentCellChanged.connect(self._problem_chosen)
        self.problem_label = QLabel()
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.problem_label)
        bottom_layout.addWidget(self.problem_table)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(bottom)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(nav)
        layout.addLayout(actions)
        layout.addWidget(split, 1)
        bottom_row = QHBoxLayout()  # the cancel button beside what the work says
        bottom_row.addWidget(self.status, 1)
        bottom_row.addWidget(self.cancel_button)
        layout.addLayout(bottom_row)

        export_shortcut = QShortcut(QKeySequence("Ctrl+E"), self)
        export_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        export_shortcut.activated.connect(self.export_selected)
        for keys, step in (("Ctrl+PgUp", -7), ("Ctrl+PgDown", 7)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(
                lambda s=step: self.show_week(self.monday + timedelta(days=s)))
        self.setTabOrder(self.prev_button, self.today_button)
        self.setTabOrder(self.today_button, self.next_button)
        self.setTabOrder(self.next_button, self.series_button)
        self.setTabOrder(self.quiet_button, self.timetable)
        self.setTabOrder(self.timetable, self.details)
        self.setTabOrder(self.details, self.export_button)
        self.setTabOrder(self.export_button, self.problem_table)
        self.refresh_now()
        self._scroll_to_morning()

    # -- the week -----------------------------------------------------------------------
    def show_week(self, day: date) -> None:
        self.monday = _monday(day)
        self.refresh_now()

    def reload(self) -> None:
        """The database changed (the window calls this): a schedule changed elsewhere is
        loaded off the GUI thread and shown when it arrives."""
        self.gate_actions()  # the user may have changed
        try:
            if self.cache.refresh(self._show) is None:
                self._show(self.cache.schedule)  # type: ignore[arg-type]
        except LoaxaError as exc:
            self.problem_label.setText(error_text(exc))

    def refresh_now(self) -> None:
        """After the operator's own change, or to show another week: at once."""
        try:
            self._show(self.cache.get())
        except LoaxaError as exc:
            self.problem_label.setText(error_text(exc))

    def _show(self, schedule: sched.Schedule) -> None:
        ctx = self.ctx
        last = self.monday + timedelta(days=6)
        try:
            timeline = sched.resolve_range(schedule, self.monday, last)
            problems = sched.check_range(schedule, self.monday, last)
            runs = ctx.db.run_states(s.key for s in timeline.sessions)
        except LoaxaError as exc:
            self.problem_label.setText(error_text(exc))
            return
        self.schedule, self.timeline, self.problems, self.runs = (schedule, timeline,
                                                                   problems, runs)
        self.sessions = {s.key: s for s in timeline.sessions}
        self.ghosts = self._ghosts(schedule, timeline)
        worst: dict[str, str] = {}
        for problem in problems:
            if problem.severity is sched.Severity.ERROR:
                worst[problem.key] = "error"
            else:
                worst.setdefault(problem.key, "warning")
        blocks = [self._block(s, worst.get(s.key, "")) for s in timeline.sessions]
        blocks.extend(self._ghost_block(key) for key in self.ghosts)
        today = to_local(self.now()).date()
        self.timetable.set_week(self.monday, blocks, quiet_bands(schedule.quiet_hours.windows),
                                today)
        self.week_label.setText(tr("sch_week", first=self.monday.strftime("%d/%m/%Y"),
                                   last=last.strftime("%d/%m/%Y")))
        self._fill_problems()
        self._show_details(self.timetable.selected_key)

    def _ghosts(self, schedule: sched.Schedule, timeline: sched.Timeline
                ) -> dict[str, tuple[int, date, datetime, str]]:
        """Where cancelled and moved-away occurrences of this week would have been:
        key → (series id, original day, original start, what became of it)."""
        series = {s.id: s for s in schedule.series}
        ghosts: dict[str, tuple[int, date, datetime, str]] = {}
        last = self.monday + timedelta(days=6)
        for key in timeline.cancelled:
            parsed = _parse_series_key(key)
            if parsed and parsed[0] in series:
                start = sched.local_start(parsed[1], series[parsed[0]].start)
                ghosts[CANCELLED_PREFIX + key] = (*parsed, start, tr("sch_cancelled"))
        cancelled = {c.key for c in schedule.changes if c.cancel}
        moves = {c.key: c for c in schedule.changes if c.move_to is not None}
        for key, change in moves.items():
            s = series.get(change.series_id)
            if key in cancelled or s is None or not s.runs_on(change.day) \
                    or not self.monday <= change.day <= last:
                continue
            start = sched.local_start(change.day, s.start)
            planned = self.sessions.get(key)
            if planned is not None and planned.start == start:
                continue
            moved_to = planned.start if planned is not None else change.move_to
            assert moved_to is not None
            ghosts[MOVED_PREFIX + key] = (change.series_id, change.day, start,
                                          tr("sch_moved_to", when=_when(moved_to)))
        return ghosts

    def _block(self, s: sched.PlannedSession, severity: str) -> Block:
        local = to_local(s.start)
        marks = ("⚠ " if severity == "error" else "△ " if severity == "warning" else "") + \
            ("↪ " if s.moved else "") + ("± " if s.changed else "")
        items = [i for i in s.items if i.origin is not sched.Origin.STATION_ID]
        detail = ", ".join(i.title or "?" for i in items)
        return Block(key=s.key, day_index=(s.day - self.monday).days,
                     start_minute=local.hour * 60 + local.minute + local.second / 60,
                     length_minutes=s.length / 60, label=f"{marks}{local:%H:%M} {s.title}",
                     detail=detail, tooltip=self._tooltip(s), oneoff=s.source == "oneoff",
                     moved=s.moved, changed=s.changed, silenced=s.silenced,
                     severity=severity)

    def _ghost_block(self, key: str) -> Block:
        series_id, day, start, what = self.ghosts[key]
        s = next(x for x in self.schedule.series if x.id == series_id)  # type: ignore[union-attr]
        local = to_local(start)
        return Block(key=key, day_index=(day - self.monday).days,
                     start_minute=local.hour * 60 + local.minute + local.second / 60,
                     length_minutes=max(s.length, 60) / 60,
                     label=f"{local:%H:%M} {s.title}", detail=what,
                     tooltip=f"{s.title} — {what}", cancelled=True)

    def _tooltip(self, s: sched.PlannedSession) -> str:
        lines = [f"{s.title} — {_hm(s.start)}–{_hm(s.planned_end)}"]
        for item in s.items:
            lines.append(f"{item.position + 1}. {self._item_words(item)}")
        for problem in self._problems_of(s.key):
            lines.append(f"{self._severity_word(problem)}: {check_text(problem)}")
        return "\n".join(lines)

    def _item_words(self, item: sched.PlannedItem) -> str:
        words = item.title or tr("sch_item_unknown")
        if item.kind is sched.ItemKind.JINGLE:
            words = tr("sch_item_jingle") + (f" ({item.title})" if item.title else "")
        if item.duration:
            words += f" — {format_duration(item.duration)}"
        if item.origin is sched.Origin.CAMPAIGN:
            words += f" [{tr('sch_from_campaign', id=item.campaign_id)}]"
        if item.level is not None and item.level.value == "priority":
            words += f" [{tr('level_priority')}]"
        if item.blocked:
            words += f" ({tr('blocked_quiet')})"
        return words

    def _problems_of(self, key: str) -> list[sched.Problem]:
        return [p for p in self.problems if p.key == key]

    @staticmethod
    def _severity_word(problem: sched.Problem) -> str:
        return tr("check_error") if problem.severity is sched.Severity.ERROR \
            else tr("check_warning")

    def _fill_problems(self) -> None:
        table = self.problem_table
        table.blockSignals(True)
        table.setRowCount(len(self.problems))
        for row, problem in enumerate(self.problems):
            session = self.sessions.get(problem.key)
            severity = QTableWidgetItem(self._severity_word(problem))
            severity.setData(Qt.ItemDataRole.UserRole, problem.key)
            colour = "#b3261e" if problem.severity is sched.Severity.ERROR else "#8a6d00"
            severity.setForeground(Qt.GlobalColor.white)
            severity.setBackground(QColor(colour))
            table.setItem(row, 0, severity)
            table.setItem(row, 1, QTableWidgetItem(_when(session.start) if session else ""))
            table.setItem(row, 2, QTableWidgetItem(check_text(problem)))
        table.blockSignals(False)
        errors = sum(1 for p in self.problems if p.severity is sched.Severity.ERROR)
        self.problem_label.setText(tr("sch_problems", errors=errors,
                                      warnings=len(self.problems) - errors)
                                   if self.problems else tr("sch_no_problems"))

    def _problem_chosen(self, row: int, *_: int) -> None:
        item = self.problem_table.item(row, 0) if row >= 0 else None
        key = item.data(Qt.ItemDataRole.UserRole) if item else ""
        if key in self.sessions:
            self.timetable.select(key)
            block = self.timetable.block(key)
            if block is not None:
                self.scroll.ensureVisible(int(block.rect.center().x()),
                                          int(block.rect.center().y()), 50, 80)

    def _scroll_to_morning(self) -> None:
        self.scroll.verticalScrollBar().setValue(int(self.timetable.y_of(5 * 60)))

    # -- details ------------------------------------------------------------------------
    def _show_details(self, key: str) -> None:
        self.details.setHtml(self.details_html(key))
        self._selected_key = key
        gate(self.change_button, permissions(self.ctx).reason("occurrence_changed"),
             enabled=bool(key))
        self.export_button.setEnabled(key in self.sessions)

    def gate_actions(self) -> None:
        """Scheduling is an operator's work (see app.gui.session_guard): the buttons are
        off, and say why, for anybody else."""
        reason = permissions(self.ctx).reason("series_added")
        for button in (self.series_button, self.oneoff_button, self.enable_button,
                       self.campaign_button, self.quiet_button):
            gate(button, reason)
        gate(self.change_button, reason, enabled=bool(getattr(self, "_selected_key", "")))

    def details_html(self, key: str) -> str:
        e = html.escape
        if key in self.ghosts:
            series_id, _day, _start, what = self.ghosts[key]
            return (f"<h3>{e(self._ghost_block(key).label)}</h3><p>{e(what)}</p>"
                    f"<p>{e(tr('sch_series_id', id=series_id))}</p>")
        s = self.sessions.get(key)
        if s is None:
            return f"<p>{e(tr('sch_pick_session'))}</p>"
        kind = tr("sch_kind_series") if s.source == "series" else tr("sch_kind_oneoff")
        state = tr(f"state_{self.runs.get(s.key, 'scheduled')}")
        parts = [f"<h3>{e(s.title)}</h3>",
                 f"<p>{e(kind)} · {e(_when(s.start))} · {e(format_duration(s.length))}"
                 f" · {e(state)}</p>"]
        if s.moved and s.occurrence_day is not None:
            series = next((x for x in self.schedule.series  # type: ignore[union-attr]
                           if x.id == s.source_id), None)
            if series is not None:
                original = sched.local_start(s.occurrence_day, series.start)
                parts.append(f"<p>↪ {e(tr('sch_moved_from', when=_when(original)))}</p>")
        if s.changed:
            parts.append(f"<p>± {e(tr('sch_changed_note'))}</p>")
        if s.silenced:
            silenced = tr("check_quiet_hours_silenced", title=s.title, start=_when(s.start))
            parts.append(f"<p>{e(silenced)}</p>")
        parts.append("<ol>" + "".join(f"<li>{e(self._item_words(i))}</li>" for i in s.items)
                     + "</ol>")
        for dropped in s.dropped:
            parts.append(f"<p>✕ {e(dropped.title)} ({e(dropped.reason)})</p>")
        for problem in self._problems_of(s.key):
            colour = "#b3261e" if problem.severity is sched.Severity.ERROR else "#8a6d00"
            parts.append(f"<p style='color:{colour}'><b>{e(self._severity_word(problem))}"
                         f"</b>: {e(check_text(problem))}</p>")
        return "".join(parts)

    # -- background work ----------------------------------------------------------------
    def _run(self, label: str, work: Callable[[Callable[[int, int], None],
                                               Callable[[], bool]], Any],
             on_success: Callable[[Any], None],
             on_cancel: Callable[[], None] | None = None) -> Task | None:
        if self.runner.busy():
            QMessageBox.information(self, "LoaXa", tr("work_busy"))
            return None
        task = Task(work, label)
        self.task = task
        self.progress.setRange(0, 0)
        self.progress.setFormat(label)
        self.progress.setVisible(True)
        self.cancel_button.setVisible(True)
        self.cancel_button.setEnabled(True)

        def progress(done: int, total: int) -> None:
            if isValid(self):
                self.progress.setRange(0, max(total, 1))
                self.progress.setValue(done)

        def ended() -> None:
            self.progress.setVisible(False)
            self.cancel_button.setVisible(False)
            if self.task is task:
                self.task = None

        def succeeded(result: Any) -> None:
            if not isValid(self):  # the view was closed while the work ran
                return
            ended()
            on_success(result)
            self.refresh_now()

        def failed(message: str) -> None:
            if not isValid(self):
                return
            ended()
            QMessageBox.warning(self, tr("error"), message)

        def cancelled() -> None:
            if not isValid(self):
                return
            ended()
            if on_cancel is not None:
                on_cancel()
            else:
                self.status.setText(tr("cancelled"))

        task.signals.progress.connect(progress)
        task.signals.succeeded.connect(succeeded)
        task.signals.failed.connect(failed)
        task.signals.cancelled.connect(cancelled)
        return self.runner.start(task)

    def cancel_work(self) -> None:
        """Stops the work this view started, at its next step (nothing half made is kept)."""
        if self.task is not None:
            self.task.cancel()
            self.cancel_button.setEnabled(False)
            self.status.setText(tr("sch_cancelling"))

    def _render_then(self, bulletin_ids: list[int], store: Callable[[], Any]
                     ) -> Callable[[Callable[[int, int], None], Callable[[], bool]], Any]:
        """Audio is made before the session is stored, as ``loaxa series add`` does, so
        the session starts on its second."""
        ctx = self.ctx

        def work(progress: Callable[[int, int], None], stop: Callable[[], bool]) -> Any:
            notices = []
            for n, bulletin_id in enumerate(bulletin_ids):
                progress(n, len(bulletin_ids) + 1)
                rendered = ctx.render_bulletin(bulletin_id, should_stop=stop)
                if rendered.notice is not None:
                    notices.append(rendered.notice)
            result = store()
            progress(len(bulletin_ids) + 1, len(bulletin_ids) + 1)
            return result, notices

        return work

    def _stored(self, message_key: str) -> Callable[[Any], None]:
        def done(result: Any) -> None:
            ident, notices = result
            if notices:
                QMessageBox.information(self, "LoaXa", tr("voice_fallback",
                                                          reason=error_text(notices[0])))
            self.status.setText(tr(message_key, id=ident))
        return done

    def _today(self) -> date:
        return to_local(self.now()).date()

    # -- actions ------------------------------------------------------------------------
    def add_series(self) -> Task | None:
        db = self.ctx.db
        dialog = SeriesDialog(db.list_bulletins(), db.audio_titles(), self._today(), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        values = dialog.values()
        return self._run(tr("working_render"),
                         self._render_then(bulletins_to_render(values["items"]),
                                           lambda: db.add_series(**values)),
                         self._stored("sch_series_added"))

    def add_oneoff(self) -> Task | None:
        db = self.ctx.db
        start = self.now() + timedelta(minutes=5)
        dialog = OneOffDialog(db.list_bulletins(), db.audio_titles(), start, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        v = dialog.values()
        return self._run(tr("working_render"),
                         self._render_then(bulletins_to_render(v["items"]),
                                           lambda: db.add_session(
                                               v["at"], title=v["title"], items=v["items"],
                                               length_s=v["length_s"])),
                         self._stored("sch_oneoff_added"))

    def change_selected(self) -> bool:
        """Change the selected occurrence (a series: cancel, move, extend; a one-off:
        cancel; a cancelled or moved-away occurrence: put it back). True when changed."""
        key = self.timetable.selected_key
        db = self.ctx.db
        reason = permissions(self.ctx).reason("occurrence_changed")
        if reason:  # a double click on a block: say why, before any question
            self.status.setText(reason)
            return False
        try:
            if key in self.ghosts:
                series_id, day, start, _what = self.ghosts[key]
                if not self._ask(tr("sch_restore_question", when=_when(start))):
                    return False
                # a "move" to its own time is no move: the occurrence is back as planned
                db.change_occurrence(series_id, day, move_to=start)
            elif key.startswith("oneoff:"):
                s = self.sessions[key]
                if not self._ask(tr("sch_cancel_oneoff_question", title=s.title,
                                    when=_when(s.start))):
                    return False
                db.cancel_session(s.source_id)
            elif key in self.sessions:
                s = self.sessions[key]
                assert s.occurrence_day is not None
                dialog = ChangeDialog(s.title, s.occurrence_day, s.start, s.length, self)
                if dialog.exec() != QDialog.DialogCode.Accepted:
                    return False
                db.change_occurrence(s.source_id, s.occurrence_day, **dialog.values())
            else:
                QMessageBox.information(self, "LoaXa", tr("sch_pick_session"))
                return False
        except LoaxaError as exc:
            QMessageBox.warning(self, tr("error"), error_text(exc))
            return False
        self.refresh_now()
        return True

    def _ask(self, question: str) -> bool:
        answer = QMessageBox.question(self, "LoaXa", question,
                                      QMessageBox.StandardButton.Yes
                                      | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def edit_series_enabled(self) -> bool:
        dialog = SeriesListDialog(self.cache.get().series, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        try:
            for series_id, enabled in dialog.changes().items():
                self.ctx.db.set_series_enabled(series_id, enabled)
        except LoaxaError as exc:
            QMessageBox.warning(self, tr("error"), error_text(exc))
            return False
        self.refresh_now()
        return True

    def add_campaign(self) -> Task | None:
        db = self.ctx.db
        dialog = CampaignDialog(db.list_bulletins(), self.cache.get().series, self._today(),
                                self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        values = dialog.values()
        try:  # stored first, then its audio made (the order of ``loaxa campaign add``)
            campaign_id = db.add_campaign(**values)
        except LoaxaError as exc:
            QMessageBox.warning(self, tr("error"), error_text(exc))
            return None
        self.refresh_now()
        return self._run(tr("working_render"),
                         self._render_then([values["bulletin_id"]], lambda: campaign_id),
                         self._stored("sch_campaign_added"))

    # -- one occurrence as one audio file ---------------------------------------------------
    def _occurrence_menu(self, key: str, where: QPoint) -> None:
        menu = QMenu(self)
        change = menu.addAction(tr("sch_menu_change"))
        change.triggered.connect(self.change_selected)
        export = menu.addAction(tr("sch_menu_export"))
        export.setShortcut(QKeySequence("Ctrl+E"))
        export.setEnabled(key in self.sessions)
        export.triggered.connect(self.export_selected)
        self.menu = menu  # tests look at it
        menu.popup(where)

    def _gui_state(self) -> QSettings:
        return QSettings(str(self.ctx.paths.config_dir / "gui-state.ini"),
                         QSettings.Format.IniFormat)

    def choose_export_file(self, session: sched.PlannedSession) -> Path | None:
        """The Windows save dialog, in the folder used last (else Documents), with the
        session's name and date as the file name; the format by the type chosen (or the
        extension typed)."""
        state = self._gui_state()
        fmt = str(state.value(EXPORT_FORMAT_KEY, "mp3"))
        fmt = fmt if fmt in FORMATS else "mp3"
        folder = Path(str(state.value(EXPORT_FOLDER_KEY, "")))
        if not str(state.value(EXPORT_FOLDER_KEY, "")) or not folder.is_dir():
            documents = QStandardPaths.writableLocation(
                QStandardPaths.StandardLocation.DocumentsLocation)
            folder = Path(documents) if documents else Path.home()
        filters = [tr(FILTER_KEYS[f]) for f in FORMATS]
        chosen, selected = QFileDialog.getSaveFileName(
            self, tr("sch_export_title", title=session.title),
            str(folder / export_file_name(session, fmt)), ";;".join(filters),
            tr(FILTER_KEYS[fmt]))
        if not chosen:
            return None
        if selected in filters:
            fmt = FORMATS[filters.index(selected)]
        path = with_extension(Path(chosen), fmt, FORMATS)
        state.setValue(EXPORT_FOLDER_KEY, str(path.parent))
        state.setValue(EXPORT_FORMAT_KEY, path.suffix.lower().lstrip("."))
        state.sync()
        return path

    def export_selected(self) -> Task | None:
        """The selected occurrence as one MP3 or WAV file (``loaxa session export``)."""
        key = self.timetable.selected_key
        session = self.sessions.get(key)
        if session is None:
            QMessageBox.information(self, "LoaXa", tr("sch_export_ghost") if key in self.ghosts
                                    else tr("sch_pick_session"))
            return None
        if self.runner.busy():
            QMessageBox.information(self, "LoaXa", tr("work_busy"))
            return None
        out = self.choose_export_file(session)
        if out is None:
            return None
        return self.export_to(session, out)

    def export_to(self, session: sched.PlannedSession, out: Path) -> Task | None:
        """Writes ``session`` to ``out`` on the window's task runner: bulletins made first
        when needed, then the items assembled; progress over both, cancel leaves no file."""
        ctx = self.ctx

        def work(progress: Callable[[int, int], None], stop: Callable[[], bool]
                 ) -> SessionExport:
            items = max(len(session.items), 1)
            notices: list[str] = []
            try:
                return export_session(
                    ctx, session, out, should_stop=stop,
                    preparing=lambda done, _total: progress(done, 2 * items),
                    assembling=lambda done, total: progress(
                        items + round(done * items / max(total, 1)), 2 * items),
                    notice=notices.append)
            except Cancelled:
                raise
            except LoaxaError as exc:
                notes = "".join(f"\n{text}" for text in notices)
                raise LoaxaError("sch_export_failed", title=session.title,
                                 reason=error_text(exc), notes=notes) from None

        def done(result: SessionExport) -> None:
            text = tr("sch_export_done", path=str(result.path), n=result.items,
                      duration=format_duration(result.duration_s), lufs=f"{result.lufs:.1f}",
                      peak=f"{result.true_peak_dbtp:.1f}")
            self.status.setText(text)
            self._tell_exported(text + "".join(f"\n\n{n}" for n in result.notices),
                                result.path)

        def cancelled() -> None:
            self.status.setText(tr("sch_export_cancelled"))

        return self._run(tr("sch_exporting", title=session.title), work, done, cancelled)

    def _tell_exported(self, text: str, path: Path) -> None:
        """Says what was written, with a button that opens its folder (not modal: the
        operator may go on working)."""
        box = QMessageBox(QMessageBox.Icon.Information, "LoaXa", text,
                          QMessageBox.StandardButton.Ok, self)
        opener = box.addButton(tr("sch_export_open_folder"),
                               QMessageBox.ButtonRole.ActionRole)
        box.button(QMessageBox.StandardButton.Ok).setText(tr("btn_ok"))
        box.setDefaultButton(QMessageBox.StandardButton.Ok)
        opener.clicked.connect(lambda: self.open_folder(path.parent))
        self.export_box = box
        box.open()

    @staticmethod
    def open_folder(folder: Path) -> bool:
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def edit_quiet_hours(self) -> bool:
        dialog = QuietHoursDialog(self.ctx.db.quiet_hours(), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        try:
            self.ctx.db.set_quiet_hours(dialog.windows())
        except LoaxaError as exc:
            QMessageBox.warning(self, tr("error"), error_text(exc))
            return False
        self.refresh_now()
        return True


__all__ = ["ScheduleView"]
