"""The Bulletins view: the library (search and filters), the editor, import of .txt and .docx,
rendering with progress and cancel, the waveform of the audio and a preview on the PC's
speakers.

Keyboard: Ctrl+N new, Ctrl+F search, Enter edit, Ctrl+R render, Space listen / stop,
Ctrl+I import (active while the focus is in this view).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QRunnable,
    Qt,
    QThreadPool,
    Signal,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.gui.bulletin_editor import BulletinEditor
from app.gui.bulletin_model import (
    ID_ROLE,
    AudioState,
    BulletinFilterProxy,
    BulletinRow,
    BulletinTableModel,
    Column,
    Filters,
    Validity,
    approval_state,
    build_rows,
)
from app.gui.preview_player import PreviewPlayer
from app.gui.session_guard import gate, permissions
from app.gui.tasks import Task, TaskRunner
from app.gui.waveform import PeakCache, WaveformWidget
from app.i18n import error_text, format_duration, tr
from app.lexicon import load_categories
from app.services import AppContext
from media.docxtext import read_bulletin_file
from media.errors import LoaxaError
from scheduler.library import Rendered, audio_is_current
from scheduler.records import Bulletin, Level
from scheduler.timeutil import to_local, utc_now

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Reloaded:
    rows: list[BulletinRow]
    today: date
    unknown: list[tuple[tuple[Any, ...], Bulletin]]  # audio not checked yet
    engine_name: str
    options: Any


class _Signals(QObject):
    reloaded = Signal(object)  # _Reloaded or LoaxaError
    audio_states = Signal(object)  # {bulletin id: AudioState}
    peaks = Signal(str, object)  # audio sha256, peaks array or error text


class _Job(QRunnable):
    """Light background work of this view (audio checks, waveform peaks); never touches
    widgets."""

    def __init__(self, work: Callable[[], None]) -> None:
        super().__init__()
        self.work = work

    def run(self) -> None:
        try:
            self.work()
        except Exception:
            log.exception("background work of the bulletins view failed")


class BulletinsView(QWidget):
    title_key = "tab_bulletins"

    def __init__(self, ctx: AppContext, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.runner = runner
        self.task: Task | None = None
        self.last_notice = ""
        self._audio_cache: dict[tuple[Any, ...], bool] = {}
        self._wanted_peaks = ""
        self._reloading = self._reload_again = False
        self._after_reload: list[Callable[[], None]] = []
        self._audio_options: tuple[str, Any] | None = None
        self._stopping = threading.Event()
        # one thread each, so a long audio check never delays a reload or a waveform
        self._reload_pool, self._audio_pool, self._pool = (QThreadPool(self) for _ in range(3))
        for pool in (self._reload_pool, self._audio_pool, self._pool):
            pool.setMaxThreadCount(1)
        self._signals = _Signals()
        self._signals.reloaded.connect(self._reloaded)
        self._signals.audio_states.connect(self._audio_states_done)
        self._signals.peaks.connect(self._peaks_done)
        self.peak_cache = PeakCache(ctx.paths.cache_dir / "peaks")
        self.player = PreviewPlayer(self)
        self.player.started.connect(self._playing)
        self.player.position.connect(self._position)
        self.player.finished.connect(self._play_finished)
        self.categories: list[str] = []
        self._read_categories()

        self.model = BulletinTableModel(self)
        self.proxy = BulletinFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Column.ID, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)  # one line per bulletin; long cells are cut with "…"
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.TITLE, QHeaderView.ResizeMode.Stretch)
        em = self.fontMetrics().horizontalAdvance("M")  # widths follow the font (150 %)
        for column, ems in ((Column.ID, 4), (Column.LEVEL, 8), (Column.CATEGORY, 12),
                            (Column.DOCUMENT, 9), (Column.ISSUER, 13), (Column.VALIDITY, 16),
                            (Column.AUDIO, 10), (Column.APPROVAL, 7), (Column.CREATED, 11)):
            self.table.setColumnWidth(column, ems * em)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.table.selectionModel().currentRowChanged.connect(self._selection_changed)

        self._build_filters()
        self._build_actions()
        self._build_detail()

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(self.toolbar)
        layout.addLayout(self.filter_row)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.count_label)
        self.setTabOrder(self.search, self.table)

    # -- building ------------------------------------------------------------------------
    def _build_filters(self) -> None:
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("search_placeholder"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.apply_filters)
        self.category_filter = QComboBox()
        self.document_filter = QLineEdit()
        self.document_filter.setPlaceholderText(tr("col_document_ref"))
        self.document_filter.setClearButtonEnabled(True)
        self.document_filter.textChanged.connect(self.apply_filters)
        self.document_filter.setMinimumWidth(
            self.fontMetrics().horizontalAdvance("00/2026/NĐ-CP") * 5 // 4)
        self.issuer_filter = QComboBox()
        self.validity_filter = QComboBox()
        for value in Validity:
            self.validity_filter.addItem(tr(f"filter_validity_{value.value}"), value.value)
        self.level_filter = QComboBox()
        self.level_filter.addItem(tr("filter_all_levels"), None)
        for level in Level:
            self.level_filter.addItem(tr(f"level_{level.value}"), level.value)
        self.audio_filter = QComboBox()
        self.audio_filter.addItem(tr("filter_all_audio"), None)
        for state in (AudioState.NONE, AudioState.CURRENT, AudioState.STALE):
            self.audio_filter.addItem(tr(f"audio_state_{state.value}"), state.value)
        self._fill_choice(self.category_filter, tr("filter_all_categories"), self.categories)
        self._fill_choice(self.issuer_filter, tr("filter_all_issuers"), [])
        for box in (self.category_filter, self.issuer_filter, self.validity_filter,
                    self.level_filter, self.audio_filter):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            box.currentIndexChanged.connect(self.apply_filters)
        for box in (self.category_filter, self.issuer_filter):  # long names: cut, tooltip
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(16)
        self.clear_filters_button = QPushButton(tr("btn_clear_filters"))
        self.clear_filters_button.clicked.connect(self.clear_filters)
        # Two rows, so that the view fits a 1366-pixel screen at 150 % scaling.
        self.filter_row = QVBoxLayout()
        first, second = QHBoxLayout(), QHBoxLayout()
        filter_label = QLabel(tr("lbl_filters"))
        filter_label.setBuddy(self.category_filter)
        first.addWidget(filter_label)
        for widget in (self.category_filter, self.document_filter, self.issuer_filter):
            first.addWidget(widget)
        for widget in (self.validity_filter, self.level_filter, self.audio_filter,
                       self.clear_filters_button):
            second.addWidget(widget)
        first.addStretch(1)
        second.addStretch(1)
        self.filter_row.addLayout(first)
        self.filter_row.addLayout(second)
        self.count_label = QLabel()

    def _build_actions(self) -> None:
        def action(key: str, shortcut: str | QKeySequence.StandardKey | None,
                   slot: Callable[[], Any]) -> QAction:
            act = QAction(tr(key), self)
            if shortcut is not None:
                act.setShortcut(QKeySequence(shortcut))
                act.setToolTip(f"{tr(key).replace('&', '')} "
                               f"({act.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})")
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            act.triggered.connect(lambda _=False: slot())
            self.addAction(act)
            return act

        self.act_new = action("act_new_bulletin", "Ctrl+N", self.new_bulletin)
        self.act_edit = action("act_edit_bulletin", None, self.edit_selected)
        self.act_import = action("act_import_bulletin", "Ctrl+I", self.import_file)
        self.act_render = action("act_render", "Ctrl+R", self.render_selected)
        self.act_approve = action("act_approve", "Ctrl+D", self.approve_selected)
        self.act_search = action("act_search", "Ctrl+F", self._focus_search)
        # Enter edits and Space listens only from the table: in the search box they type.
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            enter = QAction(self.table)
            enter.setShortcut(QKeySequence(key))
            enter.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            enter.triggered.connect(lambda _=False: self.edit_selected())
            self.table.addAction(enter)
        self.act_play = QAction(tr("act_play"), self.table)
        self.act_play.setShortcut(QKeySequence(Qt.Key.Key_Space))
        self.act_play.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.act_play.triggered.connect(lambda _=False: self.toggle_preview())
        self.table.addAction(self.act_play)

        self.toolbar = QHBoxLayout()
        search_label = QLabel(tr("lbl_search"))
        search_label.setBuddy(self.search)
        self.toolbar.addWidget(search_label)
        self.toolbar.addWidget(self.search, 1)
        for act in (self.act_new, self.act_edit, self.act_import, self.act_render,
                    self.act_approve):
            button = QPushButton(act.text())
            button.setToolTip(act.toolTip())
            button.clicked.connect(act.trigger)
            # the button follows its action: off (and why) when the action is
            act.changed.connect(lambda b=button, a=act: (b.setEnabled(a.isEnabled()),
                                                         b.setToolTip(a.toolTip())))
            self.toolbar.addWidget(button)
        self.gate_actions()

    def gate_actions(self) -> None:
        """Writing and approving only for the roles that may (see app.gui.session_guard);
        opening a bulletin to read it stays open to everybody (its Save is gated)."""
        perms = permissions(self.ctx)
        gate(self.act_new, perms.reason("bulletin_added"))
        gate(self.act_import, perms.reason("bulletin_added"))
        gate(self.act_approve, perms.reason("bulletin_approved"))

    def _build_detail(self) -> None:
        self.detail = QWidget()
        self.waveform = WaveformWidget()
        self.play_button = QPushButton(tr("btn_play"))
        self.play_button.setToolTip(tr("tip_play"))
        self.play_button.clicked.connect(self.toggle_preview)
        self.position_label = QLabel()
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.cancel_button = QPushButton(tr("btn_cancel_render"))
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel_render)
        self.notice_label = QLabel()
        self.notice_label.setWordWrap(True)
        self.notice_label.setStyleSheet("color: #a15c00")
        self.notice_label.setVisible(False)
        controls = QHBoxLayout()
        controls.addWidget(self.play_button)
        controls.addWidget(self.position_label, 1)
        controls.addWidget(self.progress, 1)
        controls.addWidget(self.cancel_button)
        layout = QVBoxLayout(self.detail)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.waveform)
        layout.addLayout(controls)
        layout.addWidget(self.notice_label)

    def _fill_choice(self, box: QComboBox, all_label: str, values: list[str]) -> None:
        """The choices of a filter box, keeping what was chosen (when it is gone, the filter
        is dropped)."""
        current = box.currentData()
        box.blockSignals(True)
        box.clear()
        box.addItem(all_label, None)
        for value in values:
            box.addItem(value, value)
        index = box.findData(current) if current is not None else 0
        box.setCurrentIndex(max(index, 0))
        box.blockSignals(False)
        if box.currentData() != current and hasattr(self, "count_label"):
            self.apply_filters()

    # -- reload --------------------------------------------------------------------------
    def reload(self, then: Callable[[], None] | None = None) -> None:
        """Reads the bulletins again. The database read and the preparing of the rows run
        off the GUI thread (thousands of bulletins take a second to read); they are shown
        when they arrive, keeping selection, sort and filters, and ``then`` runs after that.
        Whether each bulletin's audio is current is checked afterwards, also off the GUI
        thread (it reads each text's spoken form), and remembered."""
        if then is not None:
            self._after_reload.append(then)
        self.gate_actions()  # the user may have changed
        self._read_categories()  # an admin may have changed the list in Settings
        if self._reloading:
            self._reload_again = True
            return
        self._reloading, self._reload_again = True, False
        ctx, cache, signals = self.ctx, self._audio_cache, self._signals
        previous = list(self.model.rows)

        def work() -> None:
            try:
                bulletins = ctx.db.list_bulletins()
            except LoaxaError as exc:
                signals.reloaded.emit(exc)
                return
            try:
                options: Any = ctx.render_options
                engine_name = ctx.tts_engine().name
            except LoaxaError as exc:
                log.warning("render options: %s", exc)
                options, engine_name = None, ""
            known: dict[int, AudioState] = {}
            unknown: list[tuple[tuple[Any, ...], Bulletin]] = []
            for b in bulletins:
                if b.audio is None:
                    known[b.id] = AudioState.NONE
                    continue
                key = (b.id, b.audio_source_sha256, b.audio.rel_path, engine_name, options)
                current = cache.get(key)
                if current is None:
                    unknown.append((key, b))
                else:
                    known[b.id] = AudioState.CURRENT if current else AudioState.STALE
            rows = build_rows(bulletins, known, previous)
            signals.reloaded.emit(_Reloaded(rows, to_local(utc_now()).date(), unknown,
                                            engine_name, options))

        self._reload_pool.start(_Job(work))

    def _read_categories(self) -> None:
        """The commune's category list (a small file in the settings folder)."""
        try:
            self.categories = load_categories(self.ctx.paths)
        except LoaxaError as exc:
            log.warning("categories: %s", exc)

    @property
    def reloading(self) -> bool:
        return self._reloading

    def _reloaded(self, result: object) -> None:
        self._reloading = False
        if isinstance(result, LoaxaError):
            self.count_label.setText(error_text(result))
        elif isinstance(result, _Reloaded):
            self._show_rows(result)
        if self._reload_again:
            self.reload()
            return
        callbacks, self._after_reload = self._after_reload, []
        for callback in callbacks:
            callback()

    def _show_rows(self, result: _Reloaded) -> None:
        selected = self.selected_id()
        self.model.set_rows(result.rows, result.today)
        bulletins = [r.bulletin for r in result.rows]
        # The approval column shows once bulletins carry an approval (bulletin_model).
        self.table.setColumnHidden(Column.APPROVAL, all(approval_state(b) is None
                                                        for b in bulletins))
        categories = list(self.categories)
        categories += sorted({b.category for b in bulletins if b.category} - set(categories))
        self._fill_choice(self.category_filter, tr("filter_all_categories"), categories)
        self._fill_choice(self.issuer_filter, tr("filter_all_issuers"),
                          sorted({b.issuing_body for b in bulletins if b.issuing_body}))
        if selected is not None and self.selected_id() != selected:
            self.select(selected)
        self._update_count()
        if result.unknown and result.options is not None:
            self._check_audio(result.unknown, result.engine_name, result.options)
        self._selection_changed()

    def _check_audio(self, unknown: list[tuple[tuple[Any, ...], Bulletin]], engine_name: str,
                     options: Any) -> None:
        store, cache, signals = self.ctx.store, self._audio_cache, self._signals
        stopping = self._stopping
        if self._audio_options != (engine_name, options):  # settings changed: forget
            self._audio_options = (engine_name, options)
            cache.clear()

        def work() -> None:
            states: dict[int, AudioState] = {}
            for key, b in unknown:
                if stopping.is_set():
                    return
                current = cache.get(key)
                if current is None:
                    current = audio_is_current(b, store, engine_name, options)
                    cache[key] = current
                    time.sleep(0)  # hand the GIL to the GUI thread if it waits (bench: 55→11 ms)
                states[b.id] = AudioState.CURRENT if current else AudioState.STALE
                if len(states) >= 250:  # the column fills in as the check goes
                    signals.audio_states.emit(states)
                    states = {}
            signals.audio_states.emit(states)

        self._audio_pool.start(_Job(work))

    def _audio_states_done(self, states: dict[int, AudioState]) -> None:
        self.model.set_audio_states(states)
        self._update_count()

    @property
    def audio_pending(self) -> bool:
        return any(r.audio is AudioState.UNKNOWN for r in self.model.rows)

    # -- filters -------------------------------------------------------------------------
    def apply_filters(self) -> None:
        level, audio = self.level_filter.currentData(), self.audio_filter.currentData()
        self.proxy.set_filters(Filters(
            search=self.search.text(), category=self.category_filter.currentData(),
            document=self.document_filter.text(), issuer=self.issuer_filter.currentData(),
            validity=Validity(self.validity_filter.currentData()),
            level=Level(level) if level else None,
            audio=AudioState(audio) if audio else None))
        self._update_count()

    def clear_filters(self) -> None:
        for box in (self.category_filter, self.issuer_filter, self.validity_filter,
                    self.level_filter, self.audio_filter):
            box.blockSignals(True)
            box.setCurrentIndex(0)
            box.blockSignals(False)
        for edit in (self.search, self.document_filter):
            edit.blockSignals(True)
            edit.clear()
            edit.blockSignals(False)
        self.apply_filters()

    def _update_count(self) -> None:
        self.count_label.setText(tr("n_bulletins_shown", shown=self.proxy.rowCount(),
                                    total=self.model.rowCount()))

    def visible_titles(self) -> list[str]:
        return [self.proxy.index(r, Column.TITLE).data() for r in range(self.proxy.rowCount())]

    def _focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # -- selection -----------------------------------------------------------------------
    def selected_id(self) -> int | None:
        index = self.table.selectionModel().currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(
                index.row(), QModelIndex()):
            return None
        return index.siblingAtColumn(0).data(ID_ROLE)

    def selected_bulletin(self) -> Bulletin | None:
        bulletin_id = self.selected_id()
        row = self.model.row_of(bulletin_id) if bulletin_id is not None else None
        return self.model.bulletin(row) if row is not None else None

    def select(self, bulletin_id: int) -> bool:
        row = self.model.row_of(bulletin_id)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)
        return True

    def _selection_changed(self, *_args: object) -> None:
        b = self.selected_bulletin()
        has_audio = b is not None and b.audio is not None
        self.act_render.setEnabled(b is not None)
        self.act_edit.setEnabled(b is not None)
        self.play_button.setEnabled(has_audio or self.player.playing)
        if self.player.playing:
            return
        if b is None or b.audio is None:
            self._wanted_peaks = ""
            self.waveform.clear(tr("waveform_no_audio") if b is not None else "")
            self.position_label.setText("")
            return
        self.position_label.setText(format_duration(b.audio.duration_ms / 1000))
        self.load_waveform(b)

    # -- waveform ------------------------------------------------------------------------
    def load_waveform(self, b: Bulletin) -> None:
        assert b.audio is not None
        sha, path = b.audio.sha256, self.ctx.store.path_for(b.audio.rel_path)
        if sha == self._wanted_peaks and self.waveform.peaks.size:
            return
        self._wanted_peaks = sha
        cached = self.peak_cache.cached(sha)
        if cached is not None:
            self.waveform.set_peaks(cached)
            return
        self.waveform.clear(tr("waveform_loading"))
        cache, signals = self.peak_cache, self._signals

        def work() -> None:
            try:
                signals.peaks.emit(sha, cache.peaks(sha, path))
            except LoaxaError as exc:
                signals.peaks.emit(sha, error_text(exc))

        self._pool.start(_Job(work))

    def _peaks_done(self, sha: str, result: object) -> None:
        if sha != self._wanted_peaks:
            return
        if isinstance(result, str):
            self.waveform.clear(result)
        else:
            self.waveform.set_peaks(result)  # type: ignore[arg-type]

    # -- editing -------------------------------------------------------------------------
    def new_bulletin(self) -> int | None:
        return self.open_editor(None)

    def edit_selected(self) -> int | None:
        b = self.selected_bulletin()
        if b is None:
            QMessageBox.information(self, "LoaXa", tr("select_bulletin"))
            return None
        return self.open_editor(b)

    def import_file(self) -> int | None:
        name, _ = QFileDialog.getOpenFileName(self, tr("act_import_bulletin"), str(Path.home()),
                                              tr("bulletin_files"))
        return self.import_path(Path(name)) if name else None

    def import_path(self, path: Path) -> int | None:
        """Reads a .txt or .docx and opens it in the editor as a new bulletin; a file that
        cannot be read is explained and nothing opens."""
        try:
            read_bulletin_file(path)
        except LoaxaError as exc:
            QMessageBox.warning(self, tr("error"), error_text(exc))
            return None
        return self.open_editor(None, path)

    def open_editor(self, bulletin: Bulletin | None, path: Path | None = None) -> int | None:
        self._read_categories()
        categories = list(self.categories)
        categories += sorted({r.bulletin.category for r in self.model.rows
                              if r.bulletin.category} - set(categories))
        editor = BulletinEditor(self.ctx, categories, bulletin, self)
        if path is not None and not editor.load_file(path):
            return None
        if editor.exec() != BulletinEditor.DialogCode.Accepted or editor.saved_id is None:
            if editor.lexicon_changed:
                self.reload()  # a new reading can make audio out of date
            return None
        saved = editor.saved_id

        def show_saved() -> None:
            if not self.select(saved) and self.model.row_of(saved) is not None:
                self.clear_filters()  # the bulletin is hidden by a filter: show it
                self.select(saved)

        self.reload(then=show_saved)
        return saved

    # -- rendering -----------------------------------------------------------------------
    def approve_selected(self) -> bool:
        """Approves the selected bulletin's current text and level for air (an approver's
        right once users exist), or takes a given approval back; recorded in the audit
        trail. True when the state changed."""
        b = self.selected_bulletin()
        if b is None:
            QMessageBox.information(self, "LoaXa", tr("select_bulletin"))
            return False
        try:
            if b.approved:
                self.ctx.db.unapprove_bulletin(b.id)
            else:
                self.ctx.db.approve_bulletin(b.id)
        except LoaxaError as exc:
            QMessageBox.warning(self, tr("error"), error_text(exc))
            return False
        self.reload()
        return True

    def render_selected(self) -> Task | None:
        b = self.selected_bulletin()
        if b is None:
            QMessageBox.information(self, "LoaXa", tr("select_bulletin"))
            return None
        if self.runner.busy():
            QMessageBox.information(self, "LoaXa", tr("work_busy"))
            return None
        ctx, bulletin_id = self.ctx, b.id
        task = Task(lambda progress, stop: ctx.render_bulletin(bulletin_id, progress, stop))
        self.progress.setRange(0, 0)
        self.progress.setFormat(tr("working_render_pct"))
        self.progress.setVisible(True)
        self.cancel_button.setVisible(True)
        self.cancel_button.setEnabled(True)
        self.notice_label.setVisible(False)
        task.signals.progress.connect(self._render_progress)
        task.signals.succeeded.connect(lambda result: self._render_done(bulletin_id, result))
        task.signals.failed.connect(self._render_failed)
        task.signals.cancelled.connect(self._render_cancelled)
        self.task = task
        return self.runner.start(task)

    def cancel_render(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.cancel_button.setEnabled(False)

    def _render_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _render_finished(self) -> None:
        self.task = None
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)

    def _render_done(self, bulletin_id: int, rendered: Rendered) -> None:
        self._render_finished()
        self.reload(then=lambda: self.select(bulletin_id))
        if rendered.notice is not None:
            self.last_notice = tr("voice_fallback", reason=error_text(rendered.notice))
            self.notice_label.setText(self.last_notice)
            self.notice_label.setVisible(True)
            QMessageBox.information(self, "LoaXa", self.last_notice)

    def _render_failed(self, message: str) -> None:
        self._render_finished()
        QMessageBox.warning(self, tr("error"), message)

    def _render_cancelled(self) -> None:
        self._render_finished()
        self.notice_label.setText(tr("render_cancelled"))
        self.notice_label.setVisible(True)

    # -- preview -------------------------------------------------------------------------
    def toggle_preview(self) -> None:
        if self.player.playing:
            self.player.stop()
            return
        b = self.selected_bulletin()
        if b is None or b.audio is None:
            QMessageBox.information(self, "LoaXa", tr("preview_need_audio"))
            return
        self.play_button.setText(tr("btn_stop"))
        self.play_button.setEnabled(True)
        self.position_label.setText(tr("preview_opening"))
        self.player.play(self.ctx.store.path_for(b.audio.rel_path))

    def _playing(self, duration_s: float) -> None:
        self._position(0.0)

    def _position(self, seconds: float) -> None:
        duration = self.player.duration_s
        self.waveform.set_position(seconds / duration if duration else 0.0)
        self.position_label.setText(f"{_clock(seconds)} / {_clock(duration)}")

    def _play_finished(self, message: str) -> None:
        self.play_button.setText(tr("btn_play"))
        self.waveform.set_position(0.0)
        self._selection_changed()
        if message:
            self.position_label.setText(message)
            QMessageBox.warning(self, tr("error"), message)

    def hideEvent(self, event: Any) -> None:
        self.player.stop()  # leaving the view ends the preview
        super().hideEvent(event)

    def shutdown(self) -> None:
        """Stops what this view runs (the window calls it when closing)."""
        self._stopping.set()
        self.player.stop()
        self.player.wait(5)
        if self.task is not None:
            self.task.cancel()
        for pool in (self._reload_pool, self._audio_pool, self._pool):
            pool.waitForDone(5000)


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes:02d}:{secs:02d}"


View = BulletinsView

__all__ = ["BulletinsView", "View"]
