"""The window, offscreen, with pytest-qt."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtWidgets import QDialog

from app.autostart import FakeAutostart
from app.gui import main_window as mw
from app.gui.login import FIRST_RUN_MARKER
from app.instance import InstanceLock, is_locked
from tests.conftest import ROOT

TEXT = "Thông báo: thôn Đông tổ chức tổng vệ sinh môi trường vào sáng Chủ nhật."


@pytest.fixture
def window(qtbot, ctx, messages):
    win = mw.MainWindow(ctx, start_playout=False, tray=False, autostart=FakeAutostart())
    qtbot.addWidget(win)
    win.show()
    yield win
    win.runner.wait(30_000)


def column(table, col: int) -> list[str]:
    return [table.item(r, col).text() for r in range(table.rowCount())]


def shown(window: mw.MainWindow, title_key: str):
    """Switches to the view's tab (a hidden view reloads when shown) and returns it."""
    view = window.view(title_key)
    window.tabs.setCurrentWidget(view)
    return view


def log_titles(view) -> list[str]:
    """The titles the Log view shows once its background reads have arrived."""
    return [view.model.entry(r).bulletin_title for r in range(view.model.rowCount())]


def test_window_shows_vietnamese_and_database_content(qtbot, ctx, messages) -> None:
    ctx.db.add_bulletin("Lịch tiêm chủng", TEXT)
    win = mw.MainWindow(ctx, start_playout=False, tray=False, autostart=FakeAutostart())
    qtbot.addWidget(win)
    win.show()
    assert win.windowTitle().startswith("LoaXa — Loa truyền thanh xã")
    assert [win.tabs.tabText(i) for i in range(win.tabs.count())] == [
        "Đang phát", "Bản tin", "Lịch phát", "Nhật ký phát thanh", "Cài đặt"]
    bulletins = shown(win, "tab_bulletins")
    qtbot.waitUntil(lambda: bulletins.visible_titles() == ["Lịch tiêm chủng"], timeout=10_000)
    assert "KHÔNG chạy" in win.playout_label.text()


def test_log_refreshes_when_another_process_writes(qtbot, window, ctx) -> None:
    log_view = shown(window, "tab_log")
    qtbot.waitUntil(log_view.settled, timeout=10_000)
    assert log_titles(log_view) == []
    code = ("from datetime import datetime, UTC\n"
            "from app.services import open_context\n"
            "from scheduler.records import LogStatus\n"
            "ctx = open_context('cli')\n"
            "ctx.db.add_log_entry(scheduled_at=datetime.now(UTC), status=LogStatus.MISSED,"
            " bulletin_title='Tin từ tiến trình khác', reason='missed_while_down')\n")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
    qtbot.waitUntil(lambda: log_view.settled() and log_titles(log_view) == [
        "Tin từ tiến trình khác"], timeout=10_000)
    model = log_view.model
    shown_row = [model.index(0, c).data() for c in range(model.columnCount())]
    assert "bị lỡ" in shown_row
    assert "quá giờ cho phép khi máy không chạy" in shown_row


def test_playout_status_follows_the_lock(qtbot, window, ctx) -> None:
    lock = InstanceLock(ctx.paths.playout_lock)
    assert lock.acquire()
    try:
        qtbot.waitUntil(lambda: window.playout_label.text() == "Bộ phát: đang chạy",
                        timeout=5_000)
        assert not window.act_playout.isEnabled()
    finally:
        lock.release()
    qtbot.waitUntil(lambda: "KHÔNG chạy" in window.playout_label.text(), timeout=5_000)


def test_station_identity_shows_in_the_title(qtbot, window, ctx, monkeypatch) -> None:
    from app.gui.dialogs import StationDialog

    def fill(dialog: StationDialog) -> int:
        # The signing key's fingerprint is shown (read-only) for the centre to register.
        assert dialog.fingerprint.isReadOnly()
        assert dialog.fingerprint.text() == ctx.key.fingerprint
        assert len(dialog.fingerprint.text().split()) == 16
        dialog.commune.setText("Xã Tân Lập")
        dialog.centre.setText("Trung tâm Văn hóa - Thông tin tỉnh")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(StationDialog, "exec", fill)
    window.edit_station()
    assert window.windowTitle().endswith("— Xã Tân Lập")
    assert ctx.db.get_station().centre_name == "Trung tâm Văn hóa - Thông tin tỉnh"


def test_the_window_starts_playout_and_shows_the_broadcast(qtbot, ctx, messages,
                                                           pulse_sink) -> None:
    win = mw.MainWindow(ctx, start_playout=True, tray=False, autostart=FakeAutostart())
    qtbot.addWidget(win)
    win.show()  # a hidden window (in the tray) reloads its shown tab only when it comes back
    try:
        qtbot.waitUntil(lambda: win.playout_label.text() == "Bộ phát: đang chạy",
                        timeout=30_000)
        b = ctx.db.add_bulletin("Họp dân", TEXT)
        ctx.render_bulletin(b)
        ctx.db.add_session(datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=5), [b])
        log_view = shown(win, "tab_log")
        qtbot.waitUntil(lambda: log_view.settled() and log_view.model.rowCount() > 0
                        and log_view.model.entry(0).status.value == "played", timeout=120_000)
    finally:
        pid = int(ctx.paths.playout_lock.read_text() or 0)
        if pid:
            os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline and is_locked(ctx.paths.playout_lock):
                time.sleep(0.2)
    assert messages == []


def test_loaxa_without_arguments_opens_the_window(loaxa_home) -> None:
    (loaxa_home / "config").mkdir(parents=True)
    (loaxa_home / "config" / "settings.toml").write_text(
        "start_playout_with_window = false\n", encoding="utf-8")
    (loaxa_home / "config" / FIRST_RUN_MARKER).write_text("1", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "app"], cwd=ROOT,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
                            stderr=subprocess.PIPE, text=True)
    log_file = loaxa_home / "logs" / "gui.log"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and proc.poll() is None:
            if log_file.exists() and "window shown" in log_file.read_text(encoding="utf-8"):
                break
            time.sleep(0.2)
        assert proc.poll() is None, proc.stderr.read()
        assert "window shown (LoaXa" in log_file.read_text(encoding="utf-8")
    finally:
        proc.terminate()
        proc.wait(10)
    assert "Traceback" not in proc.stderr.read()
