"""The Log view: the broadcast log in a lazily fetched table (pages of entries newest first,
fetched as the operator scrolls, so a log of any size opens at once), filters, the details of
an entry, the integrity banner (the local hash chain checked in a worker), and the exports,
the report, the signed package, package verification and the push to the centre; and the
centre's menu: its consolidated report of the communes, the import of the communes'
packages and their registration. Every piece of long work can be cancelled while it runs."""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    QStandardPaths,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.gui.background import Background, Work
from app.gui.log_dialogs import (
    FILE_KINDS,
    CentreListDialog,
    CentreReportDialog,
    FileChooser,
    PeriodDialog,
    RegisterDialog,
    default_file_name,
    run_with_progress,
    show_written,
)
from app.gui.session_guard import gate, permissions
from app.gui.tasks import Task, TaskRunner
from app.i18n import error_text, language, reason_text, tr
from app.services import AppContext
from media.errors import LoaxaError
from scheduler.logbook.verify_local import ChainReport, verify_local_chain
from scheduler.persistence.log_query import (
    LogFilter,
    PageKey,
    corrections_of,
    count_log_entries,
    entry_by_seq,
    log_categories,
    log_page,
)
from scheduler.records import Level, LogEntry, LogStatus
from scheduler.timeutil import format_shown, local_day_range, to_local, utc_now

log = logging.getLogger(__name__)

PAGE_SIZE = 200
FIRST_CHECK_DELAY_MS = 300  # after the first page arrived: its paint goes first
STATUS_COLOURS = {LogStatus.PLAYED: "#1b7f3b", LogStatus.FAILED: "#b3261e",
                  LogStatus.MISSED: "#b3261e", LogStatus.INTERRUPTED: "#a15c00",
                  LogStatus.PARTIAL: "#a15c00", LogStatus.PLAYING: "#0b57d0",
                  LogStatus.SKIPPED: "#5f6368"}
# The status filter's choices: every status, or the ones that need attention.
PROBLEM_STATUSES = (LogStatus.FAILED, LogStatus.MISSED, LogStatus.INTERRUPTED,
                    LogStatus.PARTIAL)
GOOD_COLOUR, BAD_COLOUR, BUSY_COLOUR = "#1b7f3b", "#b3261e", "#5f6368"

COLUMNS = ("col_scheduled", "col_started", "col_ended", "col_status", "col_title",
           "logview_col_level", "logview_col_category", "col_reason", "logview_col_seq")
STATUS_COLUMN = 3
_ROOT = QModelIndex()  # the table's root: the default parent of the model's methods


def _values(box: QComboBox) -> tuple[str, ...]:
    """A filter combo's choice: its data, comma-separated values ("" for any)."""
    data = box.currentData() or ""
    return tuple(value for value in data.split(",") if value)


def _status_text(entry: LogEntry) -> str:
    return tr(f"status_{entry.status.value}")


def _cell(entry: LogEntry, column: int) -> str:
    if column == 0:
        return format_shown(entry.scheduled_at)
    if column == 1:
        return format_shown(entry.started_at)
    if column == 2:
        return format_shown(entry.ended_at)
    if column == 3:
        text = _status_text(entry)
        return f"{text} ✎" if entry.corrects_seq is not None else text
    if column == 4:
        return entry.bulletin_title
    if column == 5:
        return tr(f"level_{entry.level}") if entry.level in set(Level) else entry.level
    if column == 6:
        return entry.category
    if column == 7:
        return reason_text(entry.reason) if entry.reason else ""
    return "" if entry.seq is None else str(entry.seq)


class LogTableModel(QAbstractTableModel):
    """Entries the filter selects, newest first, fetched a page at a time: the view asks for
    more (``canFetchMore``/``fetchMore``) as the operator scrolls; nothing else is read.

    With a ``background`` the pages are read there (a title search that finds little may
    scan the whole log) and arrive later (``loaded``); without one they are read at once."""

    loaded = Signal()  # a page arrived (or the first page of a new filter, or a refresh)
    load_failed = Signal(str)

    def __init__(self, ctx: Any, page_size: int = PAGE_SIZE,
                 background: Background | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.page_size = page_size
        self.background = background
        self.flt = LogFilter()
        self._rows: list[LogEntry] = []
        self._more = False
        self._generation = 0  # a new filter or refresh makes pages still on their way stale
        self.loading = False

    # -- loading ------------------------------------------------------------------------
    @property
    def fetched(self) -> int:
        """How many entries have been read from the database (the rows shown)."""
        return len(self._rows)

    def _key(self) -> PageKey | None:
        last = self._rows[-1] if self._rows else None
        return None if last is None else (last.scheduled_at, last.id)

    def _read(self, flt: LogFilter, after: PageKey | None, limit: int,
              use: Callable[[list[LogEntry]], None]) -> None:
        """Reads a page (here or in the background) and hands it to ``use`` unless a newer
        filter or refresh came in meanwhile."""
        self._generation += 1 if after is None else 0
        generation = self._generation
        db = self.ctx.db
        self.loading = True

        def arrived(rows: list[LogEntry]) -> None:
            if generation != self._generation:
                return
            self.loading = False
            use(rows)
            self.loaded.emit()

        def failed(message: str) -> None:
            if generation == self._generation:
                self.loading = False
                self._more = False
                log.warning("log page: %s", message)
                self.load_failed.emit(message)

        if self.background is None:
            try:
                rows = log_page(db, flt, after, limit)
            except LoaxaError as exc:
                failed(error_text(exc))
                return
            arrived(rows)
            return
        self.background.run(lambda _p, _s: log_page(db, flt, after, limit), arrived, failed)

    def _reset(self, flt: LogFilter, rows: list[LogEntry], wanted: int) -> None:
        self.beginResetModel()
        self.flt = flt
        self._rows = rows
        self._more = len(rows) == wanted
        self.endResetModel()

    def set_filter(self, flt: LogFilter) -> None:
        """A new filter: the first page of what it selects."""
        size = self.page_size
        self.flt = flt  # a refresh before the page arrives reads this filter too
        self._read(flt, None, size, lambda rows: self._reset(flt, rows, size))

    def refresh(self) -> None:
        """Reads again as many entries as are shown (new ones appear on top)."""
        wanted = max(self.page_size, len(self._rows))
        flt = self.flt
        self._read(flt, None, wanted, lambda rows: self._reset(flt, rows, wanted))

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = _ROOT
                     ) -> bool:
        return not parent.isValid() and self._more and not self.loading

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> None:
        if parent.isValid() or not self._more or self.loading:
            return
        self._read(self.flt, self._key(), self.page_size, self._append)

    def _append(self, rows: list[LogEntry]) -> None:
        self._more = len(rows) == self.page_size
        if rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()

    def entry(self, row: int) -> LogEntry | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, entry_id: int) -> int | None:
        return next((n for n, e in enumerate(self._rows) if e.id == entry_id), None)

    # -- the model ----------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT
                    ) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return tr(COLUMNS[section])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        entry = self.entry(index.row())
        if entry is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return _cell(entry, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in (4, 7):
            return _cell(entry, column) or None
        if column == STATUS_COLUMN and entry.status in STATUS_COLOURS:
            if role == Qt.ItemDataRole.BackgroundRole:
                return QColor(STATUS_COLOURS[entry.status])
            if role == Qt.ItemDataRole.ForegroundRole:
                return QColor("white")
        if role == Qt.ItemDataRole.UserRole:
            return entry
        return None


def entry_details(entry: LogEntry, corrected_by: list[LogEntry]) -> str:
    """The details of an entry as HTML; corrections are links ``seq:N``."""
    def row(label_key: str, value: str, raw: bool = False) -> str:
        shown = value if raw else html.escape(value)
        return f"<tr><th align='left'>{html.escape(tr(label_key))}</th><td>{shown}</td></tr>"

    def link(seq: int) -> str:
        return f"<a href='seq:{seq}'>{html.escape(tr('logview_seq_link', seq=seq))}</a>"

    rows = [
        row("logview_col_seq", "" if entry.seq is None else str(entry.seq)),
        row("col_title", entry.bulletin_title),
        row("col_status", _status_text(entry)),
        row("col_scheduled", format_shown(entry.scheduled_at)),
        row("col_started", format_shown(entry.started_at)),
        row("col_ended", format_shown(entry.ended_at)),
        row("logview_played", f"{entry.played_ms / 1000:.1f}".replace(".", ",")),
        row("logview_col_level", _cell(entry, 5)),
        row("logview_col_category", entry.category),
        row("logview_document", entry.document_ref),
        row("col_reason", reason_text(entry.reason) if entry.reason else ""),
        row("logview_triggered_by", entry.triggered_by),
        row("logview_note", entry.note),
        row("logview_device", entry.output_device),
        row("logview_session", entry.session_key or (str(entry.session_id)
                                                     if entry.session_id else "")),
    ]
    if entry.corrects_seq is not None:
        rows.append(row("logview_corrects", link(entry.corrects_seq), raw=True))
    if corrected_by:
        rows.append(row("logview_corrected_by",
                        ", ".join(link(c.seq) for c in corrected_by if c.seq is not None),
                        raw=True))
    rows += [
        row("logview_audio_hash", entry.audio_sha256),
        row("logview_entry_hash", entry.entry_hash or tr("logview_not_sealed")),
        row("logview_prev_hash", entry.prev_hash),
        row("logview_station_id", entry.station_id),
        row("logview_sealed_at", format_shown(entry.sealed_at)),
    ]
    return "<table cellspacing='4'>" + "".join(rows) + "</table>"


def chain_text(report: ChainReport) -> str:
    """The banner's words for a chain check."""
    at = format_shown(report.checked_at)
    if report.ok:
        return tr("logview_chain_ok", n=report.checked, at=at)
    key = {"missing": "logview_chain_missing", "field": "logview_chain_field"}.get(
        report.problem, "logview_chain_changed")
    return tr(key, seq=report.bad_seq, field=report.field, at=at, n=report.checked)


class LogView(QWidget):
    title_key = "tab_log"
    # The chain check finished (for the window: an alarm when it failed).
    chain_checked = Signal(object)

    def __init__(self, ctx: AppContext, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.runner = runner
        # The chain check, and the pages and counts, run on pools of their own: they never
        # wait behind (or hold up) an export on the window's worker, nor each other.
        self.background = Background(self)
        self.reads = Background(self)
        self.chain: ChainReport | None = None
        self._checked_head = -1
        self._count_generation = 0
        self.total: int | None = None
        self.last_result = ""  # the words of the last export, verification or push
        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation)
        self.files = FileChooser(ctx.paths.config_dir / "gui-state.ini",
                                 Path(documents) if documents else Path.home())

        # The integrity banner.
        self.banner = QLabel(tr("logview_chain_checking"))
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.recheck_button = QPushButton(tr("logview_recheck"))
        self.recheck_button.clicked.connect(lambda: self.check_chain(full=True))
        banner_row = QHBoxLayout()
        banner_row.addWidget(self.banner, 1)
        banner_row.addWidget(self.recheck_button)
        self._banner_style(BUSY_COLOUR)

        # Filters.
        today = to_local(utc_now()).date()
        self.by_date = QCheckBox(tr("logview_filter_dates"))
        self.first = QDateEdit(QDate(today.year, today.month, 1))
        self.last = QDateEdit(QDate(today.year, today.month, today.day))
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
            edit.setEnabled(False)
        self.status_box = QComboBox()
        self.status_box.addItem(tr("logview_any_status"), "")
        self.status_box.addItem(tr("logview_problems"),
                                ",".join(s.value for s in PROBLEM_STATUSES))
        for status in LogStatus:
            self.status_box.addItem(tr(f"status_{status.value}"), status.value)
        self.level_box = QComboBox()
        self.level_box.addItem(tr("logview_any_level"), "")
        for level in Level:
            self.level_box.addItem(tr(f"level_{level.value}"), level.value)
        self.category_box = QComboBox()
        # Categories are matched as one value each (a category may hold a comma).
        self.category_box.addItem(tr("logview_any_category"), None)
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("logview_search"))
        self.search.setClearButtonEnabled(True)
        self.clear_button = QPushButton(tr("logview_clear_filters"))
        self.count_label = QLabel()
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(300)
        self._search_timer.timeout.connect(self.apply_filter)

        dates_label = QLabel(tr("logview_filter_to"))
        filters = QHBoxLayout()
        for widget in (self.by_date, self.first, dates_label, self.last, self.status_box,
                       self.level_box, self.category_box):
            filters.addWidget(widget)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.clear_button)

        # The table and the details.
        self.model = LogTableModel(ctx, background=self.reads, parent=self)
        self.model.loaded.connect(self._page_loaded)
        self.model.load_failed.connect(self.count_label.setText)
        self._reselect: int | None = None
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.details = QTextBrowser()
        self.details.setOpenLinks(False)
        self.details.anchorClicked.connect(self._open_link)
        self.details.setPlaceholderText(tr("logview_pick_entry"))
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.details)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)

        # Actions.
        self.export_button = QPushButton(tr("logview_act_export"))
        self.report_button = QPushButton(tr("logview_act_report"))
        self.package_button = QPushButton(tr("logview_act_package"))
        self.verify_button = QPushButton(tr("logview_act_verify"))
        self.push_button = QPushButton(tr("logview_act_push"))
        # The centre's work, in one menu: shown on every installation (a new centre starts
        # here by registering its communes); each item says what to do when nothing is there.
        self.centre_button = QPushButton(tr("logview_act_centre"))
        centre_menu = QMenu(self.centre_button)
        self.centre_report_action = centre_menu.addAction(tr("logview_act_centre_report"))
        self.centre_import_action = centre_menu.addAction(tr("logview_act_centre_import"))
        self.centre_register_action = centre_menu.addAction(
            tr("logview_act_centre_register"))
        self.centre_list_action = centre_menu.addAction(tr("logview_act_centre_list"))
        self.centre_list_action.triggered.connect(self.centre_list_dialog)
        self.centre_report_action.triggered.connect(self.centre_report_dialog)
        self.centre_import_action.triggered.connect(self.centre_import_dialog)
        self.centre_register_action.triggered.connect(self.centre_register_dialog)
        self.centre_button.setMenu(centre_menu)
        self.centre_button.setToolTip(tr("logview_centre_tip"))
        self.export_button.clicked.connect(self.export_dialog)
        self.report_button.clicked.connect(self.report_dialog)
        self.package_button.clicked.connect(self.package_dialog)
        self.verify_button.clicked.connect(self.verify_dialog)
        self.push_button.clicked.connect(self.push_now)
        actions = QHBoxLayout()
        for button in (self.export_button, self.report_button, self.package_button,
                       self.verify_button, self.push_button, self.centre_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.count_label)

        layout = QVBoxLayout(self)
        layout.addLayout(banner_row)
        layout.addLayout(filters)
        layout.addWidget(split, 1)
        layout.addLayout(actions)

        self.by_date.toggled.connect(self._dates_toggled)
        self.first.dateChanged.connect(self.apply_filter)
        self.last.dateChanged.connect(self.apply_filter)
        for box in (self.status_box, self.level_box, self.category_box):
            box.currentIndexChanged.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self.apply_filter)
        self.clear_button.clicked.connect(self.clear_filters)
        self.table.selectionModel().currentRowChanged.connect(self._show_current)

        # Ctrl+F: the title search; F5: read the log again.
        QShortcut(QKeySequence.StandardKey.Find, self, self.search.setFocus)
        QShortcut(QKeySequence.StandardKey.Refresh, self, self.reload)

        self._load_categories()
        # The first chain check waits for the first page to be painted: on two cores its
        # hashing would otherwise compete with that paint for the interpreter.
        self._chain_pending = True
        self.model.load_failed.connect(lambda _message: self._first_chain_check())
        self.apply_filter()
        self._update_push()

    # -- filters ------------------------------------------------------------------------
    def _dates_toggled(self, on: bool) -> None:
        self.first.setEnabled(on)
        self.last.setEnabled(on)
        self.apply_filter()

    def current_filter(self) -> LogFilter | None:
        """The filter the widgets describe; None (with the reason shown) when the dates are
        reversed."""
        start = end = None
        if self.by_date.isChecked():
            first, last = self.first.date().toPython(), self.last.date().toPython()
            try:
                start, end = local_day_range(first, last)
            except LoaxaError:
                self.count_label.setText(tr("bad_range", start=first.strftime("%d/%m/%Y"),
                                            end=last.strftime("%d/%m/%Y")))
                return None
        category = self.category_box.currentData()
        return LogFilter(start=start, end=end, statuses=_values(self.status_box),
                         levels=_values(self.level_box),
                         categories=() if category is None else (category,),
                         title=self.search.text())

    def set_dates(self, first: date, last: date) -> None:
        """Filters by local days (both included)."""
        for edit, day in ((self.first, first), (self.last, last)):
            edit.blockSignals(True)
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.blockSignals(False)
        if self.by_date.isChecked():
            self.apply_filter()
        else:
            self.by_date.setChecked(True)

    def clear_filters(self) -> None:
        for widget in (self.by_date, self.status_box, self.level_box, self.category_box,
                       self.search):
            widget.blockSignals(True)
        self.by_date.setChecked(False)
        self.first.setEnabled(False)
        self.last.setEnabled(False)
        for box in (self.status_box, self.level_box, self.category_box):
            box.setCurrentIndex(0)
        self.search.clear()
        for widget in (self.by_date, self.status_box, self.level_box, self.category_box,
                       self.search):
            widget.blockSignals(False)
        self.apply_filter()

    def apply_filter(self) -> None:
        self._search_timer.stop()
        flt = self.current_filter()
        if flt is None:
            return
        self.model.set_filter(flt)
        self.details.clear()
        self._count(flt)

    def _count(self, flt: LogFilter) -> None:
        """The number of matching entries, counted in the background."""
        self._count_generation += 1
        generation = self._count_generation
        self.total = None
        self.count_label.setText(tr("logview_counting"))
        db = self.ctx.db

        def done(total: int) -> None:
            if generation == self._count_generation:
                self.total = total
                number = f"{total:,}"
                self.count_label.setText(tr("logview_count", n=number.replace(",", ".")
                                            if language() == "vi" else number))

        self.reads.run(lambda _progress, _stop: count_log_entries(db, flt), done,
                       self.count_label.setText)

    def _load_categories(self) -> None:
        """The categories found in the log, read in the background (no index serves it)."""
        db = self.ctx.db
        self.reads.run(lambda _progress, _stop: log_categories(db), self._fill_categories,
                       lambda message: log.warning("log categories: %s", message))

    def _fill_categories(self, categories: list[str]) -> None:
        current = self.category_box.currentData()
        self.category_box.blockSignals(True)
        while self.category_box.count() > 1:
            self.category_box.removeItem(1)
        for category in categories:
            self.category_box.addItem(category, category)
        index = self.category_box.findData(current)
        self.category_box.setCurrentIndex(max(index, 0))
        self.category_box.blockSignals(False)

    def _page_loaded(self) -> None:
        self._first_chain_check()
        if self._reselect is not None:
            row = self.model.row_of(self._reselect)
            self._reselect = None
            if row is not None:
                self.table.selectRow(row)

    # -- details ------------------------------------------------------------------------
    def _show_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        entry = self.model.entry(current.row())
        if entry is not None:
            self.show_entry(entry)

    def show_entry(self, entry: LogEntry) -> None:
        corrected_by: list[LogEntry] = []
        if entry.seq is not None:
            try:
                corrected_by = corrections_of(self.ctx.db, entry.seq)
            except LoaxaError as exc:
                log.warning("corrections of %s: %s", entry.seq, exc)
        self.details.setHtml(entry_details(entry, corrected_by))

    def _open_link(self, url: QUrl) -> None:
        text = url.toString()
        if not text.startswith("seq:"):
            return
        entry = entry_by_seq(self.ctx.db, int(text[4:]))
        if entry is None:
            return
        row = self.model.row_of(entry.id)
        if row is not None:
            self.table.selectRow(row)
        else:
            self.show_entry(entry)

    # -- refresh and the chain ------------------------------------------------------------
    def reload(self) -> None:
        """The window calls this when the database changed: new entries appear, and the
        chain is checked again when entries were sealed since the last check."""
        current = self.model.entry(self.table.currentIndex().row())
        self._reselect = None if current is None else current.id
        try:
            head = self.ctx.db.chain_head()[0]
        except LoaxaError as exc:
            self.count_label.setText(error_text(exc))
            return
        self.model.refresh()
        self._load_categories()
        flt = self.current_filter()
        if flt is not None:
            self._count(flt)
        self._update_push()
        if head != self._checked_head:
            self.check_chain(full=False)

    def _first_chain_check(self) -> None:
        if self._chain_pending:
            QTimer.singleShot(FIRST_CHECK_DELAY_MS, self, self._start_pending_check)

    def _start_pending_check(self) -> None:
        if self._chain_pending:
            self.check_chain(full=True)

    def check_chain(self, full: bool = True) -> None:
        """Checks the local chain in the background (only what was sealed since the last
        good check unless ``full``)."""
        self._chain_pending = False
        db = self.ctx.db
        after = None if full or self.chain is None or not self.chain.ok else self.chain
        try:
            self._checked_head = db.chain_head()[0]
        except LoaxaError as exc:
            self.banner.setText(error_text(exc))
            self._banner_style(BAD_COLOUR)
            return
        if full or self.chain is None:
            self.banner.setText(tr("logview_chain_checking"))
            self._banner_style(BUSY_COLOUR)

        def work(progress: Callable[[int, int], None], stop: Callable[[], bool]
                 ) -> ChainReport:
            return verify_local_chain(db, after=after, progress=progress, should_stop=stop)

        self._background(work, self._chain_done,
                         lambda message: (self.banner.setText(message),
                                          self._banner_style(BAD_COLOUR)))

    def _chain_done(self, report: ChainReport) -> None:
        self.chain = report
        self.banner.setText(chain_text(report))
        self._banner_style(GOOD_COLOUR if report.ok else BAD_COLOUR)
        self.chain_checked.emit(report)

    def _banner_style(self, colour: str) -> None:
        weight = "bold" if colour == BAD_COLOUR else "normal"
        self.banner.setStyleSheet(f"QLabel {{ color: {colour}; font-weight: {weight}; "
                                  "padding: 4px; }")

    def _background(self, work: Work, on_success: Callable[[Any], None],
                    on_failure: Callable[[str], Any]) -> Task:
        return self.background.run(work, on_success, on_failure)

    def wait(self, msecs: int = -1) -> bool:
        """Waits for the background checks and reads (tests, closing)."""
        return self.background.wait(msecs) and self.reads.wait(msecs)

    def settled(self) -> bool:
        """Nothing is being read or checked in the background."""
        return not (self._chain_pending or self.background.busy() or self.reads.busy()
                    or self.model.loading)

    # -- exports, report, package, verification, push -------------------------------------
    def _today(self) -> date:
        return to_local(utc_now()).date()

    def _ask(self, kind: str, title_key: str) -> tuple[date, date, str, Path] | None:
        _, formats = FILE_KINDS[kind]
        dialog = PeriodDialog(tr(title_key), self._today(),
                              formats if len(formats) > 1 else (), self)
        if dialog.exec() != PeriodDialog.DialogCode.Accepted:
            return None
        first, last = dialog.dates()
        fmt = dialog.fmt() or formats[0]
        path = self.files.save_path(self, tr(title_key),
                                    default_file_name(kind, first, last, fmt), fmt, formats)
        if path is None:
            return None
        typed = path.suffix.lower().lstrip(".")  # a name typed with another format's ending
        return first, last, typed if typed in formats else fmt, path

    def export_dialog(self) -> Task | None:
        asked = self._ask("export", "dlg_export_title")
        return None if asked is None else self.export_to(*asked)

    def report_dialog(self) -> Task | None:
        asked = self._ask("report", "logview_report_title")
        return None if asked is None else self.report_to(*asked)

    def package_dialog(self) -> Task | None:
        asked = self._ask("package", "logview_package_title")
        return None if asked is None else self.package_to(asked[0], asked[1], asked[3])

    def verify_dialog(self) -> Task | None:
        path = self.files.open_path(self, tr("logview_verify_title"), "jsonl")
        return None if path is None else self.verify_file(path)

    def _done(self, text: str, ok: bool = True, path: Path | None = None) -> None:
        """Tells the result; with ``path`` (a file written) offers to open it or its
        folder."""
        self.last_result = text
        if path is not None:
            show_written(self, text, path)
        elif ok:
            QMessageBox.information(self, "LoaXa", text)
        else:
            QMessageBox.warning(self, tr("error"), text)

    def _cancelled(self, key: str = "logview_cancelled_nofile") -> Callable[[], None]:
        return lambda: self._done(tr(key))

    def export_to(self, first: date, last: date, fmt: str | None, path: Path) -> Task | None:
        """The log of local days ``first`` … ``last`` as CSV, XLSX or PDF."""
        from app.paths import resources_dir
        from scheduler.export import export_log

        db = self.ctx.db
        return run_with_progress(
            self, self.runner, tr("working_export"),
            lambda progress, stop: export_log(
                db, first, last, path, fmt=fmt, reason_label=lambda r: reason_text(r, "vi"),
                fonts_dir=resources_dir() / "fonts", progress=lambda n: progress(n, 0),
                should_stop=stop),
            lambda count: self._done(tr("exported", count=count, path=path), path=path),
            lambda message: self._done(message, ok=False), count_label="logview_rows_done",
            on_cancelled=self._cancelled())

    def report_to(self, first: date, last: date, fmt: str | None, path: Path) -> Task | None:
        """The commune's report in the Decree 30 layout (what ``loaxa report`` writes)."""
        from app.paths import resources_dir
        from scheduler.reports.document import period_words
        from scheduler.reports.report import write_report

        db = self.ctx.db

        def work(_progress: Callable[[int, int], None], stop: Callable[[], bool]) -> Any:
            return write_report(db, first, last, path, fmt=fmt,
                                fonts_dir=resources_dir() / "fonts",
                                reason_label=lambda r: reason_text(r, "vi"), should_stop=stop)

        return run_with_progress(
            self, self.runner, tr("logview_working_report"), work,
            lambda data: self._done(tr("report_written",
                                       period=period_words(first, last).lower(),
                                       entries=data.entries, path=path), path=path),
            lambda message: self._done(message, ok=False), on_cancelled=self._cancelled())

    def package_to(self, first: date, last: date, path: Path) -> Task | None:
        """A signed package of the log of those days (``loaxa log package``)."""
        from scheduler.cancel import stop_point
        from scheduler.logbook.service import make_package, write_atomic

        ctx = self.ctx

        def work(_progress: Callable[[int, int], None], stop: Callable[[], bool]) -> Any:
            data, span = make_package(ctx.db, ctx.station_key(), first, last,
                                      should_stop=stop)
            stop_point(stop)
            write_atomic(path, data)
            return span

        def done(span: tuple[int, int] | None) -> None:
            if span is None:
                self._done(tr("package_written_empty", path=path), path=path)
            else:
                self._done(tr("package_written", count=span[1] - span[0] + 1, path=path,
                              first=span[0], last=span[1]), path=path)

        return run_with_progress(self, self.runner, tr("logview_working_package"), work,
                                 done, lambda message: self._done(message, ok=False),
                                 on_cancelled=self._cancelled())

    def verify_file(self, path: Path) -> Task | None:
        """Checks a package (``loaxa log verify``); the result names the first bad entry."""
        from scheduler.logbook.chain import fingerprint
        from scheduler.logbook.service import verify_file

        def work(_progress: Callable[[int, int], None], stop: Callable[[], bool]) -> Any:
            try:
                return verify_file(path, parse_entries=False, should_stop=stop)
            except LoaxaError as exc:
                if exc.code.startswith("package_"):
                    return exc
                raise

        def done(result: Any) -> None:
            if isinstance(result, LoaxaError):
                self._done(tr("package_invalid", reason=error_text(result)), ok=False)
                return
            h = result.header
            self._done(tr("package_ok", commune=h["commune_name"] or "-",
                          code=h["admin_code"] or "-", station=h["station_id"],
                          fingerprint=fingerprint(h["public_key"]),
                          range_from=h["range_from"], range_to=h["range_to"],
                          count=h["entry_count"], first=h["first_seq"] or "-",
                          last=h["last_seq"] or "-"))

        return run_with_progress(self, self.runner, tr("logview_working_verify"), work, done,
                                 lambda message: self._done(message, ok=False),
                                 on_cancelled=self._cancelled("logview_cancelled_verify"))

    def _update_push(self) -> None:
        """Also the other exports: any signed-in user once the station has users (the
        database refuses anybody else too; see app.gui.session_guard)."""
        configured = bool(self.ctx.settings.centre_database_url)
        reason = permissions(self.ctx).reason("log_exported")
        for button in (self.export_button, self.report_button, self.package_button):
            gate(button, reason)
        gate(self.push_button, reason, enabled=configured,
             tip="" if configured else tr("centre_url_unset"))
        gate(self.centre_register_action,
             permissions(self.ctx).reason("centre_station_registered"))

    def push_now(self) -> Task | None:
        """Sends the sealed entries the centre lacks (``loaxa centre push``)."""
        from scheduler.logbook.outbox import push_new_entries
        from scheduler.persistence import Database

        url = self.ctx.settings.centre_database_url
        if not url:
            self._done(tr("centre_url_unset"), ok=False)
            return None
        db = self.ctx.db

        def work(progress: Callable[[int, int], None], stop: Callable[[], bool]) -> Any:
            db.require("log_exported")  # entries leave the commune: recorded, as an export
            centre = Database.open_centre(url)
            try:
                result = push_new_entries(db, centre, progress=progress, should_stop=stop)
            finally:
                centre.close()
            db.record_audit("log_exported", "centre",
                            {"sent": result.sent, "already_there": result.already_there,
                             "last_seq": result.last_seq})
            return result

        def done(result: Any) -> None:
            self._done(tr("push_done", sent=result.sent, already=result.already_there,
                          commune=result.commune_name or result.station_id,
                          last=result.last_seq if result.last_seq is not None else "-"))

        return run_with_progress(
            self, self.runner, tr("logview_working_push"), work, done,
            lambda message: self._done(tr("push_failed", reason=message), ok=False),
            on_cancelled=self._cancelled("logview_push_cancelled"))

    # -- the centre: consolidated report, import, registration ----------------------------
    def _centre_communes(self) -> list[Any] | None:
        """The communes registered here; None (the reason shown) when the database cannot
        be read."""
        from scheduler.persistence.centre_reports_db import centre_communes

        try:
            return centre_communes(self.ctx.db)
        except LoaxaError as exc:
            self._done(error_text(exc), ok=False)
            return None

    def centre_report_dialog(self) -> Task | None:
        """Period, communes and format, then the file: the centre's consolidated report
        (``loaxa centre report``). With no commune registered, what to do first."""
        communes = self._centre_communes()
        if communes is None:
            return None
        if not communes:
            self._done(tr("logview_centre_empty"), ok=False)
            return None
        title = tr("logview_centre_report_title")
        dialog = CentreReportDialog(title, self._today(), communes, self)
        if dialog.exec() != CentreReportDialog.DialogCode.Accepted:
            return None
        first, last = dialog.dates()
        fmt = dialog.fmt() or "pdf"
        formats = FILE_KINDS["centre_report"][1]
        path = self.files.save_path(self, title,
                                    default_file_name("centre_report", first, last, fmt), fmt,
                                    formats)
        if path is None:
            return None
        chosen = path.suffix.lower().lstrip(".")
        return self.centre_report_to(first, last, chosen if chosen in formats else fmt, path,
                                     dialog.communes())

    def centre_report_to(self, first: date, last: date, fmt: str | None, path: Path,
                         communes: tuple[str, ...] = ()) -> Task | None:
        """The consolidated report of those days for ``communes`` (codes, station ids or
        names; () for every registered one) as PDF, XLSX or CSV."""
        from app.paths import resources_dir
        from scheduler.reports.centre import write_centre_report
        from scheduler.reports.document import period_words

        db = self.ctx.db
        settings = self.ctx.settings

        def work(progress: Callable[[int, int], None], stop: Callable[[], bool]) -> Any:
            return write_centre_report(
                db, first, last, path, fonts_dir=resources_dir() / "fonts", communes=communes,
                fmt=fmt, centre=settings.centre_name,
                governing_body=settings.centre_governing_body,
                recipient=settings.centre_report_recipient,
                reason_label=lambda r: reason_text(r, "vi"),
                progress=lambda n: progress(n, 0), should_stop=stop)

        def done(data: Any) -> None:
            lines = [tr("centre_report_written", period=period_words(first, last).lower(),
                        reporting=len(data.reporting), communes=len(data.communes),
                        entries=data.entries, path=path)]
            if data.is_empty:
                lines.append(tr("logview_centre_report_nothing"))
            elif data.silent:
                lines.append(tr("centre_report_silent",
                                names=", ".join(t.commune.name for t in data.silent)))
            self._done("\n\n".join(lines), path=path)

        return run_with_progress(self, self.runner, tr("logview_working_centre_report"), work,
                                 done, lambda message: self._done(message, ok=False),
                                 count_label="logview_rows_read",
                                 on_cancelled=self._cancelled())

    def centre_import_dialog(self) -> Task | None:
        paths = self.files.open_paths(self, tr("logview_centre_import_title"), "jsonl")
        return self.centre_import(paths) if paths else None

    def centre_import(self, paths: list[Path]) -> Task | None:
        """Verifies and stores the communes' packages (``loaxa centre import``), one after
        another: a refused package stores nothing and the others go on; a stop ends the file
        being checked (nothing of it stored)."""
        from scheduler.logbook.service import import_package, read_package_file

        db = self.ctx.db
        results: list[str] = []

        def work(progress: Callable[[int, int], None], stop: Callable[[], bool]) -> Any:
            refused = 0
            for done, path in enumerate(paths):
                progress(done, len(paths))
                try:
                    result = import_package(db, read_package_file(path), should_stop=stop)
                except LoaxaError as exc:
                    if exc.code in ("cancelled", "db_unavailable"):
                        raise
                    refused += 1
                    log.warning("centre import refused %s: %s", path, exc)
                    results.append(tr("centre_refused", path=path.name,
                                      reason=error_text(exc)))
                    continue
                results.append(tr("centre_imported", path=path.name,
                                  commune=result.commune_name, added=result.added,
                                  already=result.already))
            progress(len(paths), len(paths))
            return refused

        def done(refused: int) -> None:
            summary = tr("logview_centre_import_summary", imported=len(paths) - refused,
                         files=len(paths), refused=refused)
            self._done("\n".join([summary, "", *results]), ok=refused == 0)

        def cancelled() -> None:
            self._done("\n".join([tr("logview_centre_import_cancelled"), "", *results]))

        return run_with_progress(self, self.runner, tr("logview_working_centre_import"), work,
                                 done, lambda message: self._done(message, ok=False),
                                 on_cancelled=cancelled)

    def centre_list_dialog(self) -> CentreListDialog | None:
        """The registered communes and what each has sent (``loaxa centre list``)."""
        try:
            stations = self.ctx.db.centre_stations()
        except LoaxaError as exc:
            self._done(error_text(exc), ok=False)
            return None
        if not stations:
            self._done(tr("logview_centre_empty"), ok=False)
            return None
        dialog = CentreListDialog(stations, self)
        dialog.resize(dialog.sizeHint().expandedTo(self.size() * 0.8))
        dialog.exec()
        return dialog

    def centre_register_dialog(self) -> Task | None:
        dialog = RegisterDialog(self.files, self)
        if dialog.exec() != RegisterDialog.DialogCode.Accepted:
            return None
        return self.centre_register(*dialog.values())

    def centre_register(self, source: str, name: str, code: str = "") -> Task | None:
        """Registers a commune by its public key or one of its packages
        (``loaxa centre register``); the fingerprint is shown to compare with the commune's."""
        from scheduler.logbook.chain import fingerprint
        from scheduler.logbook.service import register_station

        db = self.ctx.db

        def work(_progress: Callable[[int, int], None], _stop: Callable[[], bool]) -> Any:
            return register_station(db, source, name, code)

        return run_with_progress(
            self, self.runner, tr("logview_working_centre_register"), work,
            lambda station: self._done(tr(
                "centre_registered", commune=station.commune_name, station=station.station_id,
                fingerprint=fingerprint(station.public_key))),
            lambda message: self._done(message, ok=False))


__all__ = ["LogTableModel", "LogView", "chain_text", "entry_details"]
