"""The window's first four tabs as views (bulletins, one-off sessions, today and tomorrow, the
broadcast log), kept working until the full views of issue 6 replace them.

Each view follows the contract in ``app.gui.views``: ``View(ctx, runner, parent=None)``, a
``title_key`` and ``reload()``. Long work goes to the runner; what a view has to say goes to
the window's status bar (``status_message``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.gui.dialogs import BulletinDialog, ExportDialog, ScheduleDialog
from app.gui.tasks import Task, TaskRunner
from app.i18n import check_text, error_text, format_duration, reason_text, tr
from app.services import AppContext
from media.errors import LoaxaError
from scheduler.export import export_log
from scheduler.library import Rendered, audio_is_current
from scheduler.records import LogStatus
from scheduler.timeutil import format_local, to_local, utc_now

LOG_ROWS = 500
STATUS_COLOURS = {LogStatus.PLAYED: "#1b7f3b", LogStatus.FAILED: "#b3261e",
                  LogStatus.MISSED: "#b3261e", LogStatus.INTERRUPTED: "#a15c00",
                  LogStatus.PARTIAL: "#a15c00", LogStatus.PLAYING: "#0b57d0"}
ERROR_COLOUR, WARNING_COLOUR = "#b3261e", "#8a6d00"


def make_table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.setAlternatingRowColors(True)
    # Not ResizeToContents: on a shown table every setItem would measure every row again
    # (500 log rows took minutes); fill_table fits the columns once after filling.
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    return table


def fill_table(table: QTableWidget, rows: list[list[str]], keys: list[int] | None = None,
               colours: list[str | None] | None = None, colour_column: int = 3) -> None:
    """Replaces the rows, keeping the selected row (by key) selected."""
    selected = table.currentRow()
    key = table.item(selected, 0).data(Qt.ItemDataRole.UserRole) \
        if selected >= 0 and table.item(selected, 0) else None
    table.setUpdatesEnabled(False)
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            if c == 0 and keys is not None:
                item.setData(Qt.ItemDataRole.UserRole, keys[r])
            if colours is not None and colours[r] and c == colour_column:
                item.setForeground(Qt.GlobalColor.white)
                item.setBackground(QColor(colours[r]))
            table.setItem(r, c, item)
        if keys is not None and keys[r] == key:
            table.selectRow(r)
    table.resizeColumnsToContents()
    table.setUpdatesEnabled(True)


def status_message(widget: QWidget, text: str, ms: int = 8000) -> None:
    """Shows ``text`` in the status bar of the window the widget is in (if any)."""
    window = widget.window()
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(text, ms)


def button_row(*buttons: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    return row


def run_task(view: QWidget, runner: TaskRunner, label: str,
             work: Callable[[Callable[[int, int], None], Callable[[], bool]], Any],
             on_success: Callable[[Any], None]) -> Task | None:
    """Runs ``work`` on the runner (one job at a time); errors are shown in a message box.
    The window shows the task's progress in its status bar."""
    if runner.busy():
        QMessageBox.information(view, "LoaXa", tr("work_busy"))
        return None
    task = Task(work, label=label)
    task.signals.succeeded.connect(on_success)
    task.signals.failed.connect(lambda message: QMessageBox.warning(view, tr("error"), message))
    return runner.start(task)


class BulletinsView(QWidget):
    """The bulletins with their level and whether their audio is made; add, render,
    schedule."""

    title_key = "tab_bulletins"

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.ctx, self.runner = ctx, runner
        self.table = make_table([tr("col_id"), tr("col_title"), tr("col_level"),
                                 tr("col_audio"), tr("col_created")])
        add = QPushButton(tr("act_add_bulletin"))
        add.clicked.connect(self.add_bulletin)
        render = QPushButton(tr("act_render"))
        render.clicked.connect(self.render_selected)
        schedule = QPushButton(tr("act_schedule"))
        schedule.clicked.connect(self.schedule)
        layout = QVBoxLayout(self)
        layout.addLayout(button_row(add, render, schedule))
        layout.addWidget(self.table, 1)

    def reload(self) -> None:
        options = self.ctx.render_options
        engine_name = self.ctx.tts_engine().name
        bulletins = self.ctx.db.list_bulletins()
        rows = []
        for b in bulletins:
            if b.audio is None:
                audio = tr("no_audio")
            elif not audio_is_current(b, self.ctx.store, engine_name, options):
                audio = tr("audio_stale")
            else:
                audio = format_duration(b.audio.duration_ms / 1000)
            rows.append([str(b.id), b.title, tr(f"level_{b.level.value}"), audio,
                         format_local(b.created_at, seconds=False)])
        fill_table(self.table, rows, [b.id for b in bulletins])

    def selected_bulletin_id(self) -> int | None:
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 else None
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def add_bulletin(self) -> int | None:
        dialog = BulletinDialog(self)
        while True:  # on a database error the dialog comes back with everything typed
            if dialog.exec() != BulletinDialog.DialogCode.Accepted:
                return None
            title, text, level, source = dialog.values()
            try:
                bulletin_id = self.ctx.db.add_bulletin(title, text, source_name=source,
                                                       level=level)
                break
            except LoaxaError as exc:
                QMessageBox.warning(self, tr("error"), error_text(exc))
        self.reload()
        for row in range(self.table.rowCount()):
            if self.table.item(row, 0).data(Qt.ItemDataRole.UserRole) == bulletin_id:
                self.table.selectRow(row)
        return bulletin_id

    def render_selected(self) -> Task | None:
        bulletin_id = self.selected_bulletin_id()
        if bulletin_id is None:
            QMessageBox.information(self, "LoaXa", tr("select_bulletin"))
            return None
        ctx = self.ctx

        def done(rendered: Rendered) -> None:
            status_message(self, tr("rendered", path=rendered.asset.rel_path,
                                    duration=format_duration(rendered.asset.duration_ms / 1000)))
            self._show_notice(rendered)
            self.reload()

        return run_task(self, self.runner, tr("working_render"),
                        lambda progress, stop: ctx.render_bulletin(bulletin_id, progress, stop),
                        done)

    def _show_notice(self, rendered: Rendered) -> None:
        if rendered.notice is not None:
            QMessageBox.information(self, "LoaXa", tr("voice_fallback",
                                                      reason=error_text(rendered.notice)))

    def schedule(self) -> Task | None:
        dialog = ScheduleDialog(self.ctx.db.list_bulletins(), self.selected_bulletin_id(),
                                utc_now(), self)
        if dialog.exec() != ScheduleDialog.DialogCode.Accepted:
            return None
        return self.schedule_session(dialog.scheduled_at(), dialog.selected_ids())

    def schedule_session(self, at: datetime, bulletin_ids: list[int]) -> Task | None:
        """Makes the bulletins' audio now (not at air time), then stores the session."""
        ctx = self.ctx
        notices: list[Rendered] = []

        def work(progress: Callable[[int, int], None], stop: Callable[[], bool]) -> int:
            for n, bulletin_id in enumerate(bulletin_ids):
                rendered = ctx.render_bulletin(bulletin_id, should_stop=stop)
                if rendered.notice is not None:
                    notices.append(rendered)
                progress(n + 1, len(bulletin_ids) + 1)
            return ctx.db.add_session(at, bulletin_ids)

        def done(session_id: int) -> None:
            if notices:
                self._show_notice(notices[0])
            status_message(self, tr("session_added", id=session_id, at=format_local(at),
                                    n=len(bulletin_ids)))
            self.reload()

        return run_task(self, self.runner, tr("working_render"), work, done)


class SessionsView(QWidget):
    """One-off sessions and their state."""

    title_key = "tab_sessions"

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.ctx, self.runner = ctx, runner
        self.table = make_table([tr("col_id"), tr("col_time"), tr("col_state"),
                                 tr("col_bulletins")])
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)

    def reload(self) -> None:
        sessions = self.ctx.db.list_sessions()
        fill_table(self.table, [[str(s.id), format_local(s.scheduled_at),
                                 tr(f"state_{s.state.value}"),
                                 ", ".join(i.bulletin_title for i in s.items)]
                                for s in sessions], [s.id for s in sessions])


class AheadView(QWidget):
    """Today's and tomorrow's sessions as the engine will play them, and the day-ahead check.
    Its title counts the errors, so it is reloaded also while hidden."""

    title_key = "tab_ahead"
    reload_when_hidden = True
    title_changed = Signal(str)

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.ctx, self.runner = ctx, runner
        self.timeline = make_table([tr("col_time"), tr("col_title"), tr("col_state"),
                                    tr("col_items")])
        self.problems = make_table([tr("col_severity"), tr("col_problem")])
        self.title = tr(self.title_key)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.timeline)
        splitter.addWidget(self.problems)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    def reload(self) -> None:
        from scheduler import schedule as sched

        schedule = self.ctx.db.load_schedule(lambda rel: self.ctx.store.path_for(rel).is_file())
        today = to_local(utc_now()).date()
        timeline = sched.resolve_range(schedule, today, today + timedelta(days=1))
        runs = self.ctx.db.run_states(p.key for p in timeline.sessions)
        fill_table(self.timeline, [[format_local(p.start), p.title,
                                    tr(f"state_{runs.get(p.key, 'scheduled')}"),
                                    ", ".join(i.title for i in p.items)]
                                   for p in timeline.sessions])
        problems = sched.check(timeline)
        errors = [p for p in problems if p.severity is sched.Severity.ERROR]
        fill_table(self.problems, [[tr("check_error") if p.severity is sched.Severity.ERROR
                                    else tr("check_warning"), check_text(p)] for p in problems],
                   None, [ERROR_COLOUR if p.severity is sched.Severity.ERROR else WARNING_COLOUR
                          for p in problems], colour_column=0)
        label = tr(self.title_key)
        title = tr("tab_ahead_errors", label=label, n=len(errors)) if errors else label
        if title != self.title:
            self.title = title
            self.title_changed.emit(title)


class LogView(QWidget):
    """The broadcast log, newest first, coloured by status; export."""

    title_key = "tab_log"

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.ctx, self.runner = ctx, runner
        self.table = make_table([tr("col_scheduled"), tr("col_started"), tr("col_ended"),
                                 tr("col_status"), tr("col_title"), tr("col_reason")])
        export = QPushButton(tr("act_export"))
        export.clicked.connect(self.export_log)
        layout = QVBoxLayout(self)
        layout.addLayout(button_row(export))
        layout.addWidget(self.table, 1)

    def reload(self) -> None:
        entries = list(reversed(self.ctx.db.log_entries(limit=LOG_ROWS)))
        fill_table(self.table, [[format_local(e.scheduled_at), format_local(e.started_at),
                                 format_local(e.ended_at), tr(f"status_{e.status.value}"),
                                 e.bulletin_title, reason_text(e.reason) if e.reason else ""]
                                for e in entries],
                   [e.id for e in entries], [STATUS_COLOURS.get(e.status) for e in entries])

    def export_log(self) -> Task | None:
        today = to_local(utc_now()).date()
        dialog = ExportDialog(today, self)
        if dialog.exec() != ExportDialog.DialogCode.Accepted:
            return None
        first, last = dialog.dates()
        folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        name, _ = QFileDialog.getSaveFileName(
            self, tr("dlg_export_title"),
            str(Path(folder) / f"nhat-ky-phat-thanh_{first}_{last}.xlsx"),
            ";;".join((tr("xlsx_files"), tr("csv_files"), tr("pdf_files"))))
        if not name:
            return None
        return self.export_to(first, last, Path(name))

    def export_to(self, first: date, last: date, path: Path) -> Task | None:
        """CSV, XLSX or PDF by the file's extension (CSV when it has none)."""
        from app.paths import resources_dir

        if path.suffix.lower() not in (".csv", ".xlsx", ".pdf"):
            path = path.with_name(path.name + ".csv")
        db = self.ctx.db
        return run_task(
            self, self.runner, tr("working_export"),
            lambda progress, stop: export_log(
                db, first, last, path, reason_label=lambda r: reason_text(r, "vi"),
                fonts_dir=resources_dir() / "fonts", progress=lambda n: progress(n, 0),
                should_stop=stop),
            lambda count: status_message(self, tr("exported", count=count, path=path)))


CLASSIC_VIEWS = [BulletinsView, SessionsView, AheadView, LogView]

__all__ = ["CLASSIC_VIEWS", "AheadView", "BulletinsView", "LogView", "SessionsView",
           "fill_table", "make_table", "run_task", "status_message"]
