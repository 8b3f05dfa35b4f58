"""The main window: a shell of tabs, one per view (``VIEWS``), refreshed when the database
changes; a tray icon, one window per user, and "start with Windows".

Closing the window hides it in the tray; quitting closes the window only. Neither ever stops
playout, which is a separate process (``app.playout_process``)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QEvent, QLocale, QObject, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QIcon, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QSystemTrayIcon,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.autostart import Autostart, system_autostart
from app.gui.dialogs import StationDialog
from app.gui.tasks import Task, TaskRunner
from app.gui.views.bulletins import BulletinsView
from app.gui.views.log import LogView
from app.gui.views.onair import OnAirView
from app.gui.views.schedule import ScheduleView
from app.gui.views.settings import SettingsView
from app.i18n import error_text, tr
from app.instance import is_locked
from app.playout_process import start_playout_process
from app.services import AppContext, open_context
from media.errors import LoaxaError

log = logging.getLogger(__name__)

POLL_MS = 1000
TRAY_NOTICE_MARKER = "tray-notice-shown"  # in the settings folder: the balloon is shown once


class View(Protocol):
    """What the window needs of a view (see ``app.gui.views``). Optional: a class attribute
    ``reload_when_hidden = True`` (built at start and reloaded on every database change, also
    while another tab is shown) and a ``title_changed(str)`` signal (the tab's title, e.g.
    with a count)."""

    title_key: str

    def reload(self) -> None: ...


ViewFactory = Callable[[AppContext, TaskRunner, QWidget | None], QWidget]

# The window's tabs, in this order (Ctrl+1 … Ctrl+9). Each is built as View(ctx, runner, parent)
# when its tab is first shown (see ``MainWindow``); the factory's ``title_key`` names the tab.
VIEWS: list[ViewFactory] = [OnAirView, BulletinsView, ScheduleView, LogView, SettingsView]


class _Page(QWidget):
    """A tab's page: holds its view once built (``view``; None before)."""

    def __init__(self) -> None:
        super().__init__()
        self.view: QWidget | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    def hold(self, view: QWidget) -> None:
        self.view = view
        self.layout().addWidget(view)
        view.show()  # at once when the page is shown (a layout would show it a turn later)


class _Tabs(QTabWidget):
    """Tabs whose pages hold lazily built views; a view stands for its page in
    ``indexOf``, ``setCurrentWidget``, ``widget`` and ``currentWidget``."""

    def indexOf(self, widget: QWidget) -> int:
        for index in range(self.count()):
            page = super().widget(index)
            if widget is page or (isinstance(page, _Page) and page.view is widget):
                return index
        return -1

    def setCurrentWidget(self, widget: QWidget) -> None:
        self.setCurrentIndex(self.indexOf(widget))

    def widget(self, index: int) -> QWidget | None:
        page = super().widget(index)
        if isinstance(page, _Page) and page.view is not None:
            return page.view
        return page

    def currentWidget(self) -> QWidget | None:
        return self.widget(self.currentIndex())


def icon_path() -> Path:
    from app.paths import resources_dir

    return resources_dir() / "icons" / "loaxa.svg"


def app_icon() -> QIcon:
    return QIcon(str(icon_path()))


class MainWindow(QMainWindow):
    # After a view was first built or a long task ended: long-lived objects (a view, the
    # modules a task loads on first use) may have appeared. run_gui freezes them out of
    # garbage collection (app.gui.latency).
    grew = Signal()

    def __init__(self, ctx: AppContext, start_playout: bool | None = None, *,
                 views: Sequence[ViewFactory] | None = None, tray: bool | None = None,
                 autostart: Autostart | bool | None = True) -> None:
        """``tray``: None uses the system tray when there is one. ``autostart``: True uses
        the platform's (registry Run key, XDG autostart), an object another, None or False
        hides the option."""
        super().__init__()
        self.ctx = ctx
        self.runner = TaskRunner(self)
        self._revision: tuple | None = None
        self._playout_running: bool | None = None
        self._quitting = False
        self._start_playout = (ctx.settings.start_playout_with_window
                               if start_playout is None else start_playout)
        self.autostart: Autostart | None = (system_autostart() if autostart is True
                                            else autostart or None)
        self.setWindowTitle(tr("app_title"))
        self.setWindowIcon(app_icon())

        self.tabs = _Tabs()
        self.tabs.setDocumentMode(True)
        # Views are built when their tab is first shown (or asked for: ``view``, ``views``):
        # the window appears sooner and hidden views start no background loads. Built at
        # once: the first tab, views that reload while hidden, factories with no title_key.
        self._factories: list[ViewFactory] = list(VIEWS if views is None else views)
        self._views: list[QWidget | None] = [None] * len(self._factories)
        self._stale: set[int] = set()
        for factory in self._factories:
            key = getattr(factory, "title_key", None)
            self.tabs.addTab(_Page(), tr(key) if key else "")
        for index, factory in enumerate(self._factories):
            if (index == 0 or getattr(factory, "reload_when_hidden", False)
                    or not getattr(factory, "title_key", None)):
                self._build(index, reload=False)  # the first poll below loads them
        self.tabs.currentChanged.connect(self._tab_shown)
        self.setCentralWidget(self.tabs)

        self.act_station = QAction(tr("act_station"), self, triggered=self.edit_station)
        self.act_playout = QAction(tr("act_start_playout"), self, triggered=self.start_playout)
        self.act_autostart = QAction(tr("act_autostart"), self, checkable=True)
        self.act_autostart.toggled.connect(self.set_autostart)
        self.act_quit = QAction(tr("menu_quit"), self, triggered=self.quit)
        self.act_quit.setShortcut(QKeySequence("Ctrl+Q"))
        self.view_actions: list[QAction] = []
        self._build_menu()
        self._build_status_bar()
        from app.gui.session_guard import SessionGuard

        self.session = SessionGuard(self)  # own PIN, switch user, idle sign-out, role gates
        self.tray: QSystemTrayIcon | None = None
        if tray if tray is not None else QSystemTrayIcon.isSystemTrayAvailable():
            self._build_tray()
        self._fit_to_screen()

        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)
        self.refresh_station()
        self.poll(everything=True)
        if self._start_playout and not self._playout_running:
            self.start_playout()
        self.timer.start()

    # -- building -----------------------------------------------------------------------
    def _build_menu(self) -> None:
        file_menu = self.file_menu = self.menuBar().addMenu(tr("menu_file"))
        file_menu.addAction(self.act_station)
        file_menu.addAction(self.act_playout)
        if self.autostart is not None:
            self.act_autostart.blockSignals(True)
            self.act_autostart.setChecked(self.autostart.enabled())
            self.act_autostart.blockSignals(False)
            file_menu.addAction(self.act_autostart)
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)
        view_menu = self.menuBar().addMenu(tr("menu_view"))
        for index in range(min(len(self._factories), 9)):
            action = QAction(f"&{index + 1}  {tr(self._title_key(index))}", self)
            action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            action.triggered.connect(lambda _=False, i=index: self.tabs.setCurrentIndex(i))
            view_menu.addAction(action)
            self.view_actions.append(action)
        language_menu = self.menuBar().addMenu(tr("menu_language"))
        language_menu.setToolTipsVisible(True)  # only an admin changes it: says why not
        group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for code, label in (("vi", "&Tiếng Việt"), ("en", "&English")):
            action = self.language_actions[code] = QAction(label, self, checkable=True)
            action.setChecked(self.ctx.settings.language == code)
            action.triggered.connect(lambda _=False, c=code: self.set_language(c))
            group.addAction(action)
            language_menu.addAction(action)

    def _build_status_bar(self) -> None:
        self.station_label = QLabel()
        self.playout_label = QLabel()
        self.playout_button = QToolButton()
        self.playout_button.setDefaultAction(self.act_playout)
        self.progress = QProgressBar()
        self.progress.setMinimumWidth(self.fontMetrics().averageCharWidth() * 24)
        self.progress.setVisible(False)
        self.statusBar().addWidget(self.station_label)
        self.statusBar().addWidget(self.playout_label, 1)
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.playout_button)
        self.runner.started.connect(self._task_started)

    def _build_tray(self) -> None:
        self.tray = QSystemTrayIcon(app_icon(), self)
        menu = QMenu(self)
        self.act_open = QAction(tr("act_open_window"), self, triggered=self.bring_to_front)
        self.act_tray_status = QAction("", self)
        self.act_tray_status.setEnabled(False)  # a line of information, not a command
        menu.addAction(self.act_open)
        menu.addAction(self.act_tray_status)
        menu.addAction(self.act_playout)
        menu.addSeparator()
        menu.addAction(self.act_quit)
        self.tray.setContextMenu(menu)
        self.tray.activated.connect(self._tray_activated)
        self.tray.show()

    def _fit_to_screen(self) -> None:
        """A size from the font (so 125–150 % scaling keeps the proportions), never larger
        than the screen."""
        metrics = self.fontMetrics()
        width, height = metrics.averageCharWidth() * 130, metrics.lineSpacing() * 36
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None:
            width, height = min(width, screen.width()), min(height, screen.height())
        self.resize(width, height)

    # -- refresh ------------------------------------------------------------------------
    def poll(self, everything: bool = False) -> None:
        """Once a second: when the database changed, the shown view (and the views that
        want it while hidden) reload now, the others when they are next shown."""
        try:
            revision = self.ctx.db.revision()
        except LoaxaError as exc:
            self.statusBar().showMessage(error_text(exc), 5000)
            return
        if revision != self._revision or everything:
            self._stale = set(range(len(self._views)))
            # In the tray nothing is shown: the shown tab reloads when the window comes back.
            current = self.tabs.currentIndex() if self.isVisible() else -1
            for index, view in enumerate(self._views):
                if view is None:  # not built yet: loaded when built
                    continue
                if everything or index == current or getattr(view, "reload_when_hidden",
                                                             False):
                    self._reload(index)
            self._revision = revision
        self._show_playout_state(is_locked(self.ctx.paths.playout_lock))

    def _reload(self, index: int) -> None:
        view = self._views[index]
        if view is None:
            return
        try:
            view.reload()
        except LoaxaError as exc:
            self.statusBar().showMessage(error_text(exc), 5000)
            return
        self._stale.discard(index)

    def _tab_shown(self, index: int) -> None:
        if 0 <= index < len(self._views):
            if self._views[index] is None:
                self._build(index)  # built and loaded
            else:
                self._reload(index)

    def _title_key(self, index: int) -> str:
        view = self._views[index]
        return getattr(self._factories[index], "title_key", None) or view.title_key

    def _build(self, index: int, reload: bool = True) -> QWidget:
        """Builds the view of tab ``index`` into its page (and loads it, unless told)."""
        page = super(_Tabs, self.tabs).widget(index)
        view = self._factories[index](self.ctx, self.runner, page)
        page.hold(view)
        self._views[index] = view
        if not getattr(self._factories[index], "title_key", None):
            self.tabs.setTabText(index, tr(view.title_key))
        title_changed = getattr(view, "title_changed", None)
        if title_changed is not None:
            title_changed.connect(lambda text, i=index: self.tabs.setTabText(i, text))
        applied = getattr(view, "applied", None)  # the settings changed the station
        if applied is not None:
            applied.connect(self.refresh_station)
        if reload:
            self._reload(index)
        QTimer.singleShot(0, self.grew.emit)
        return view

    @property
    def views(self) -> list[QWidget]:
        """Every view, in tab order; those not built yet are built (and loaded) now."""
        return [self._view_at(i) for i in range(len(self._views))]

    def _view_at(self, index: int) -> QWidget:
        view = self._views[index]
        return view if view is not None else self._build(index)

    def built_views(self) -> list[QWidget | None]:
        """The views in tab order, None for those not built yet (nothing is built)."""
        return list(self._views)

    def reload(self) -> None:
        """Every view, now."""
        self.poll(everything=True)

    def view(self, title_key: str) -> QWidget:
        """The view whose title is ``title_key`` (tests, screenshots), built (and loaded)
        now if its tab was never shown."""
        for index in range(len(self._views)):
            if self._title_key(index) == title_key:
                return self._view_at(index)
        raise KeyError(title_key)

    def _show_playout_state(self, running: bool) -> None:
        if running == self._playout_running:
            return
        self._playout_running = running
        text = tr("playout_on") if running else tr("playout_off")
        self.playout_label.setText(text)
        self.playout_label.setStyleSheet("" if running else "color: #b3261e; font-weight: bold")
        self.act_playout.setEnabled(not running)
        if self.tray is not None:
            self.act_tray_status.setText(text)
            self.tray.setToolTip(f"LoaXa — {text}")

    def refresh_station(self) -> None:
        station = self.ctx.db.get_station()
        if station.commune_name:
            self.station_label.setText(station.commune_name)
            self.setWindowTitle(f"{tr('app_title')} — {station.commune_name}")
        else:
            self.station_label.setText(tr("station_unset"))

    def _task_started(self, task: Task) -> None:
        self.progress.setRange(0, 0)
        self.progress.setFormat(task.label)
        self.progress.setVisible(True)
        self.statusBar().showMessage(task.label)

        def progress(done: int, total: int) -> None:
            self.progress.setRange(0, max(total, 1))
            self.progress.setValue(done)

        def finished(*_: Any) -> None:
            self.progress.setVisible(False)
            if self.statusBar().currentMessage() == task.label:
                self.statusBar().clearMessage()
            self.poll()
            QTimer.singleShot(0, self.grew.emit)

        task.signals.progress.connect(progress)
        for signal in (task.signals.succeeded, task.signals.failed, task.signals.cancelled):
            signal.connect(finished)

    # -- actions ------------------------------------------------------------------------
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

    def set_autostart(self, on: bool) -> None:
        if self.autostart is None:
            return
        was = self.autostart.enabled()
        try:
            self.ctx.db.require("settings_changed")  # an admin's, once users exist
            self.autostart.enable() if on else self.autostart.disable()
            if self.autostart.enabled() != was:
                self.ctx.db.record_audit("settings_changed", "settings",
                                         {"start_with_windows": [was, not was]})
        except LoaxaError as exc:
            QMessageBox.warning(self, tr("error"), error_text(exc))
        except OSError as exc:
            QMessageBox.warning(self, tr("error"), tr("autostart_failed", reason=str(exc)))
        self.act_autostart.blockSignals(True)
        self.act_autostart.setChecked(self.autostart.enabled())
        self.act_autostart.blockSignals(False)

    def set_language(self, code: str) -> None:
        """A settings change like any other: an admin's once users exist, audited."""
        if code != self.ctx.settings.language:
            from app.gui.session_guard import save_setting

            if save_setting(self.ctx, self, language=code):
                QMessageBox.information(self, "LoaXa", tr("language_changed"))
        for other, action in self.language_actions.items():  # what is stored, shown
            action.setChecked(other == self.ctx.settings.language)

    # -- window, tray, quitting ---------------------------------------------------------
    def bring_to_front(self) -> None:
        self.showNormal() if self.isMinimized() else self.show()
        self.raise_()
        self.activateWindow()

    def _tray_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger,
                      QSystemTrayIcon.ActivationReason.DoubleClick):
            self.bring_to_front()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.tabs.currentIndex() in self._stale:  # back from the tray, and changed meanwhile
            self._tab_shown(self.tabs.currentIndex())

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.tray is not None and not self._quitting:
            event.ignore()  # to the tray; work in progress goes on
            self.hide()
            self._tray_notice_once()
            return
        self.timer.stop()
        self.session.stop()
        self.runner.cancel_all()
        self._shutdown_views()
        self.runner.wait(10_000)
        if self.tray is not None:
            self.tray.hide()
        super().closeEvent(event)

    def _shutdown_views(self) -> None:
        """Views with threads of their own stop them (``shutdown()``) or are waited for
        (``wait(msecs)``) before the window goes."""
        for view in self._views:
            if view is None:  # never built
                continue
            background = getattr(view, "background", None)
            if background is not None and hasattr(background, "cancel_all"):
                background.cancel_all()
            if hasattr(view, "shutdown"):
                view.shutdown()
            elif hasattr(view, "wait"):
                view.wait(5000)

    def _tray_notice_once(self) -> None:
        marker = self.ctx.paths.config_dir / TRAY_NOTICE_MARKER
        if marker.exists() or self.tray is None:
            return
        self.tray.showMessage(tr("tray_hidden_title"), tr("tray_hidden"),
                              QSystemTrayIcon.MessageIcon.Information, 10_000)
        try:
            marker.write_text("1", encoding="utf-8")
        except OSError as exc:
            log.warning("cannot note that the tray notice was shown: %s", exc)

    def quit(self) -> None:
        """Closes the window for good (playout goes on)."""
        self._quitting = True
        self.close()
        app = QApplication.instance()
        if app is not None and self.tray is not None:
            app.quit()


class _FirstPaint(QObject):
    """Logs when the window is first painted (the cold-start benchmark reads the log)."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Paint:
            self.window.removeEventFilter(self)
            log.info("window painted")
        return False


def _excepthook(kind: type[BaseException], exc: BaseException, tb: object) -> None:
    """An unexpected error in a slot: logged with its traceback and shown, not swallowed."""
    log.critical("unexpected error", exc_info=(kind, exc, tb))  # type: ignore[arg-type]
    text = error_text(exc) if isinstance(exc, LoaxaError) else f"{kind.__name__}: {exc}"
    QMessageBox.critical(QApplication.activeWindow(), tr("error"), text)


def run_gui(tray_only: bool = False) -> int:
    """The window; ``tray_only`` (``loaxa --tray``, at logon) starts it hidden in the tray.
    A second start brings the first window to the front and exits 0."""
    from app.gui.latency import freeze_long_lived, tune_interpreter
    from app.gui.login import FIRST_RUN_MARKER, ensure_login
    from app.gui.single_instance import SingleInstance
    from app.gui.translations import install_translators
    from app.paths import app_paths

    sys.excepthook = _excepthook
    tune_interpreter()
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("LoaXa")
    app.setOrganizationName("LoaXa")
    app.setWindowIcon(app_icon())
    try:
        instance = SingleInstance(app_paths().ensure(), app)
    except OSError as exc:
        QMessageBox.critical(None, tr("cannot_start"), str(exc))
        return 1
    if not instance.claim():
        if instance.notify_first():
            return 0
        QMessageBox.critical(None, tr("cannot_start"), tr("window_not_answering"))
        return 1
    try:
        ctx = open_context("gui")
    except LoaxaError as exc:
        QMessageBox.critical(None, tr("cannot_start"), error_text(exc))
        return 1
    install_translators(app, ctx.settings.language, ctx.paths.cache_dir)
    if ctx.settings.language == "vi":  # dates, calendars and numbers in Vietnamese
        QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    # Who is working: the login (with users), or once the offer to make the first admin.
    marker = ctx.paths.config_dir / FIRST_RUN_MARKER
    if not ensure_login(ctx, ask_first_admin=not marker.exists()):
        ctx.close()
        instance.release()
        return 0
    try:
        marker.write_text("1", encoding="utf-8")
    except OSError as exc:
        log.warning("cannot note that the first run was asked: %s", exc)
    window = MainWindow(ctx)
    window.grew.connect(freeze_long_lived)
    instance.activated.connect(window.bring_to_front)
    _FirstPaint(window)
    if window.tray is not None:
        app.setQuitOnLastWindowClosed(False)  # closing hides to the tray; Quit ends it
    if tray_only and window.tray is not None:
        log.info("window in the tray (LoaXa %s, database %s)", __version__, ctx.db.safe_url)
    else:
        window.show()
        log.info("window shown (LoaXa %s, database %s)", __version__, ctx.db.safe_url)
    QTimer.singleShot(0, freeze_long_lived)  # the start-up heap, once the event loop runs
    try:
        return app.exec()
    finally:
        instance.release()
        ctx.close()


__all__ = ["VIEWS", "MainWindow", "View", "run_gui"]
