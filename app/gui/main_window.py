"""The main window: bulletins, sessions and the broadcast log, refreshed when the playout
process writes."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLocale, QStandardPaths, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolBar,
)

from app import __version__
from app.gui.dialogs import BulletinDialog, ExportDialog, ScheduleDialog, StationDialog
from app.gui.tasks import Task, TaskRunner
from app.i18n import check_text, error_text, format_duration, reason_text, tr
from app.instance import is_locked
from app.playout_process import start_playout_process
from app.services import AppContext, open_context
from app.settings import save_settings
from media.errors import LoaxaError
from scheduler.export import export_log
from scheduler.library import Rendered, audio_is_current
from scheduler.records import LogStatus
from scheduler.timeutil import format_local, to_local, utc_now

log = logging.getLogger(__name__)

POLL_MS = 1000
LOG_ROWS = 500
STATUS_COLOURS = {LogStatus.PLAYED: "#1b7f3b", LogStatus.FAILED: "#b3261e",
                  LogStatus.MISSED: "#b3261e", LogStatus.INTERRUPTED: "#a15c00",
                  LogStatus.PARTIAL: "#a15c00", LogStatus.PLAYING: "#0b57d0"}


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.setAlternatingRowColors(True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[list[str]], keys: list[int] | None = None,
          colours: list[str | None] | None = None, colour_column: int = 3) -> None:
    selected = table.currentRow()
    key = table.item(selected, 0).data(Qt.ItemDataRole.UserRole) \
        if selected >= 0 and table.item(selected, 0) else None
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            if c == 0 and keys is not None:
                item.setData(Qt.ItemDataRole.UserRole, keys[r])
            if colours is not None and colours[r] and c == colour_column:
                item.setForeground(Qt.GlobalColor.white)
                item.setBackground(_colour(colours[r]))
            table.setItem(r, c, item)
        if keys is not None and keys[r] == key:
            table.selectRow(r)


def _colour(name: str) -> QColor:
    return QColor(name)


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext, start_playout: bool | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.runner = TaskRunner(self)
        self._revision: tuple | None = None
        self._playout_running: bool | None = None
        self._start_playout = (ctx.settings.start_playout_with_window
                               if start_playout is None else start_playout)
        self.setWindowTitle(tr("app_title"))
        self.resize(1100, 680)

        self.bulletins = _table([tr("col_id"), tr("col_title"), tr("col_level"),
                                 tr("col_audio"), tr("col_created")])
        self.sessions = _table([tr("col_id"), tr("col_time"), tr("col_state"),
                                tr("col_bulletins")])
        self.log_table = _table([tr("col_scheduled"), tr("col_started"), tr("col_ended"),
                                 tr("col_status"), tr("col_title"), tr("col_reason")])
        # Today and tomorrow as the engine will play them, and what would fail (a day ahead).
        self.timeline = _table([tr("col_time"), tr("col_title"), tr("col_state"),
                                tr("col_items")])
        self.problems = _table([tr("col_severity"), tr("col_problem")])
        ahead = QSplitter(Qt.Orientation.Vertical)
        ahead.addWidget(self.timeline)
        ahead.addWidget(self.problems)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.bulletins, tr("tab_bulletins"))
        self.tabs.addTab(self.sessions, tr("tab_sessions"))
        self.ahead_tab = self.tabs.addTab(ahead, tr("tab_ahead"))
        self.tabs.addTab(self.log_table, tr("tab_log"))
        self.setCentralWidget(self.tabs)

        self.act_add = QAction(tr("act_add_bulletin"), self, triggered=self.add_bulletin)
        self.act_render = QAction(tr("act_render"), self, triggered=self.render_selected)
        self.act_schedule = QAction(tr("act_schedule"), self, triggered=self.schedule)
        self.act_export = QAction(tr("act_export"), self, triggered=self.export_log)
        self.act_station = QAction(tr("act_station"), self, triggered=self.edit_station)
        self.act_playout = QAction(tr("act_start_playout"), self, triggered=self.start_playout)
        toolbar = QToolBar()
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in (self.act_add, self.act_render, self.act_schedule, self.act_export,
                       self.act_station, self.act_playout):
            toolbar.addAction(action)
        self.addToolBar(toolbar)
        self._build_menu()

        self.station_label = QLabel()
        self.playout_label = QLabel()
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.setVisible(False)
        self.statusBar().addWidget(self.station_label)
        self.statusBar().addWidget(self.playout_label, 1)
        self.statusBar().addPermanentWidget(self.progress)

        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)
        self.refresh_station()
        self.poll()
        if self._start_playout and not self._playout_running:
            self.start_playout()
        self.timer.start()

    def _build_menu(self) -> None:
        file_menu = self.menuBar().addMenu(tr("menu_file"))
        for action in (self.act_add, self.act_schedule, self.act_export, self.act_station):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(QAction(tr("menu_quit"), self, triggered=self.close))
        language_menu = self.menuBar().addMenu(tr("menu_language"))
        group = QActionGroup(self)
        for code, label in (("vi", "Tiếng Việt"), ("en", "English")):
            action = QAction(label, self, checkable=True)
            action.setChecked(self.ctx.settings.language == code)
            action.triggered.connect(lambda _=False, c=code: self.set_language(c))
            group.addAction(action)
            language_menu.addAction(action)

    # -- refresh ------------------------------------------------------------------------
    def poll(self) -> None:
        try:
            revision = self.ctx.db.revision()
        except LoaxaError as exc:
            self.statusBar().showMessage(error_text(exc), 5000)
            return
        if revision != self._revision:
            try:
                self.reload()
            except LoaxaError as exc:
                self.statusBar().showMessage(error_text(exc), 5000)
                return
            self._revision = revision
        running = is_locked(self.ctx.paths.playout_lock)
        if running != self._playout_running:
            self._playout_running = running
            self.playout_label.setText(tr("playout_on") if running else tr("playout_off"))
            self.playout_label.setStyleSheet("" if running else "color: #b3261e; "
                                             "font-weight: bold")
            self.act_playout.setEnabled(not running)

    def reload(self) -> None:
        db, options = self.ctx.db, self.ctx.render_options
        engine_name = self.ctx.tts_engine().name
        bulletins = db.list_bulletins()
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
        _fill(self.bulletins, rows, [b.id for b in bulletins])
        sessions = db.list_sessions()
        _fill(self.sessions, [[str(s.id), format_local(s.scheduled_at),
                               tr(f"state_{s.state.value}"),
                               ", ".join(i.bulletin_title for i in s.items)] for s in sessions],
              [s.id for s in sessions])
        self._reload_ahead()
        entries = list(reversed(db.log_entries(limit=LOG_ROWS)))
        _fill(self.log_table, [[format_local(e.scheduled_at), format_local(e.started_at),
                                format_local(e.ended_at), tr(f"status_{e.status.value}"),
                                e.bulletin_title, reason_text(e.reason) if e.reason else ""]
                               for e in entries],
              [e.id for e in entries], [STATUS_COLOURS.get(e.status) for e in entries])

    def _reload_ahead(self) -> None:
        """Today's and tomorrow's sessions in air order, and the day-ahead check."""
        from scheduler import schedule as sched
        from scheduler.timeutil import to_local, utc_now

        schedule = self.ctx.db.load_schedule(lambda rel: self.ctx.store.path_for(rel).is_file())
        today = to_local(utc_now()).date()
        timeline = sched.resolve_range(schedule, today, today + timedelta(days=1))
        runs = self.ctx.db.run_states(p.key for p in timeline.sessions)
        _fill(self.timeline, [[format_local(p.start), p.title,
                               tr(f"state_{runs.get(p.key, 'scheduled')}"),
                               ", ".join(i.title for i in p.items)]
                              for p in timeline.sessions])
        problems = sched.check(timeline)
        errors = [p for p in problems if p.severity is sched.Severity.ERROR]
        _fill(self.problems, [[tr("check_error") if p.severity is sched.Severity.ERROR
                               else tr("check_warning"), check_text(p)] for p in problems],
              None, ["#b3261e" if p.severity is sched.Severity.ERROR else "#8a6d00"
                     for p in problems], colour_column=0)
        label = tr("tab_ahead")
        self.tabs.setTabText(self.ahead_tab, tr("tab_ahead_errors", label=label,
                                                n=len(errors)) if errors else label)

    def refresh_station(self) -> None:
        station = self.ctx.db.get_station()
        if station.commune_name:
            self.station_label.setText(station.commune_name)
            self.setWindowTitle(f"{tr('app_title')} — {station.commune_name}")
        else:
            self.station_label.setText(tr("station_unset"))

    def selected_bulletin_id(self) -> int | None:
        row = self.bulletins.currentRow()
        item = self.bulletins.item(row, 0) if row >= 0 else None
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    # -- actions ------------------------------------------------------------------------
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
        self.poll()
        self.tabs.setCurrentWidget(self.bulletins)
        for row in range(self.bulletins.rowCount()):
            if self.bulletins.item(row, 0).data(Qt.ItemDataRole.UserRole) == bulletin_id:
                self.bulletins.selectRow(row)
        return bulletin_id

    def _run(self, label: str, work: Callable[[Callable[[int, int], None],
                                               Callable[[], bool]], Any],
             on_success: Callable[[Any], None]) -> Task | None:
        if self.runner.busy():
            QMessageBox.information(self, "LoaXa", tr("work_busy"))
            return None
        task = Task(work)
        self.progress.setRange(0, 0)
        self.progress.setFormat(label)
        self.progress.setVisible(True)
        self.statusBar().showMessage(label)

        def progress(done: int, total: int) -> None:
            self.progress.setRange(0, max(total, 1))
            self.progress.setValue(done)

        def finished() -> None:
            self.progress.setVisible(False)
            self.statusBar().clearMessage()

        def succeeded(result: Any) -> None:
            finished()
            on_success(result)
            self.poll()

        def failed(message: str) -> None:
            finished()
            QMessageBox.warning(self, tr("error"), message)

        task.signals.progress.connect(progress)
        task.signals.succeeded.connect(succeeded)
        task.signals.failed.connect(failed)
        task.signals.cancelled.connect(finished)
        return self.runner.start(task)

    def render_selected(self) -> Task | None:
        bulletin_id = self.selected_bulletin_id()
        if bulletin_id is None:
            QMessageBox.information(self, "LoaXa", tr("select_bulletin"))
            return None
        ctx = self.ctx

        def done(rendered: Rendered) -> None:
            self.statusBar().showMessage(
                tr("rendered", path=rendered.asset.rel_path,
                   duration=format_duration(rendered.asset.duration_ms / 1000)), 8000)
            self._show_notice(rendered)

        return self._run(tr("working_render"),
                         lambda progress, stop: ctx.render_bulletin(bulletin_id, progress, stop),
                         done)

    def _show_notice(self, rendered: Rendered) -> None:
        if rendered.notice is not None:
            QMessageBox.information(self, "LoaXa", tr("voice_fallback",
                                                      reason=error_text(rendered.notice)))

    def schedule(self) -> Task | None:
        bulletins = self.ctx.db.list_bulletins()
        dialog = ScheduleDialog(bulletins, self.selected_bulletin_id(), utc_now(), self)
        if dialog.exec() != ScheduleDialog.DialogCode.Accepted:
            return None
        return self.schedule_session(dialog.scheduled_at(), dialog.selected_ids())

    def schedule_session(self, at: datetime, bulletin_ids: list[int]) -> Task | None:
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
            self.statusBar().showMessage(tr("session_added", id=session_id,
                                            at=format_local(at), n=len(bulletin_ids)), 8000)
            self.tabs.setCurrentWidget(self.sessions)

        return self._run(tr("working_render"), work, done)

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
        return self._run(
            tr("working_export"),
            lambda progress, stop: export_log(
                db, first, last, path, reason_label=lambda r: reason_text(r, "vi"),
                fonts_dir=resources_dir() / "fonts", progress=lambda n: progress(n, 0),
                should_stop=stop),
            lambda count: self.statusBar().showMessage(tr("exported", count=count, path=path),
                                                       8000))

    def edit_station(self) -> None:
        key = self.ctx.key
        fingerprint = key.fingerprint if key is not None else (
            error_text(self.ctx.key_error) if self.ctx.key_error is not None else "")
        dialog = StationDialog(self.ctx.db.get_station(), self, fingerprint)
        while dialog.exec() == StationDialog.DialogCode.Accepted:
            try:
                self.ctx.db.set_station(**dialog.values())
            except LoaxaError as exc:
                QMessageBox.warning(self, tr("error"), error_text(exc))
                continue
            self.refresh_station()
            return

    def start_playout(self) -> None:
        try:
            start_playout_process()
        except OSError as exc:
            QMessageBox.critical(self, tr("error"), f"{tr('playout_off')}\n{exc}")

    def set_language(self, code: str) -> None:
        if code != self.ctx.settings.language:
            self.ctx.settings.language = code
            save_settings(self.ctx.settings, self.ctx.paths.settings_file)
            QMessageBox.information(self, "LoaXa", tr("language_changed"))

    def closeEvent(self, event: QCloseEvent) -> None:
        self.timer.stop()
        self.runner.cancel_all()
        self.runner.wait(10_000)
        super().closeEvent(event)


def _excepthook(kind: type[BaseException], exc: BaseException, tb: object) -> None:
    """An unexpected error in a slot: logged with its traceback and shown, not swallowed."""
    log.critical("unexpected error", exc_info=(kind, exc, tb))  # type: ignore[arg-type]
    text = error_text(exc) if isinstance(exc, LoaxaError) else f"{kind.__name__}: {exc}"
    QMessageBox.critical(QApplication.activeWindow(), tr("error"), text)


def run_gui() -> int:
    sys.excepthook = _excepthook
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("LoaXa")
    app.setOrganizationName("LoaXa")
    try:
        ctx = open_context("gui")
    except LoaxaError as exc:
        QMessageBox.critical(None, tr("cannot_start"), error_text(exc))
        return 1
    if ctx.settings.language == "vi":  # dates, calendars and numbers in Vietnamese
        QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    window = MainWindow(ctx)
    window.show()
    log.info("window shown (LoaXa %s, database %s)", __version__, ctx.db.safe_url)
    try:
        return app.exec()
    finally:
        ctx.close()


__all__ = ["MainWindow", "run_gui"]
