"""The window, offscreen, with pytest-qt."""

from __future__ import annotations

import codecs
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox, QPushButton

from app.autostart import FakeAutostart
from app.gui import main_window as mw
from app.gui.dialogs import BulletinDialog, ScheduleDialog
from app.instance import InstanceLock, is_locked
from app.services import open_context
from tests.conftest import ROOT

TEXT = "Thông báo: thôn Đông tổ chức tổng vệ sinh môi trường vào sáng Chủ nhật."


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    for name in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, name,
                            staticmethod(lambda _p, _t, text, *a, **k: shown.append(text)))
    return shown


@pytest.fixture
def ctx():
    context = open_context("gui")
    yield context
    context.close()


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


def test_window_shows_vietnamese_and_database_content(qtbot, ctx, messages) -> None:
    b = ctx.db.add_bulletin("Lịch tiêm chủng", TEXT)
    ctx.db.add_session(datetime(2031, 1, 1, tzinfo=UTC), [b])
    win = mw.MainWindow(ctx, start_playout=False, tray=False, autostart=FakeAutostart())
    qtbot.addWidget(win)
    assert win.windowTitle().startswith("LoaXa — Loa truyền thanh xã")
    assert [win.tabs.tabText(i) for i in range(4)] == ["Bản tin", "Buổi phát",
                                                       "Hôm nay và ngày mai",
                                                       "Nhật ký phát thanh"]
    bulletins, sessions = win.view("tab_bulletins").table, win.view("tab_sessions").table
    assert column(bulletins, 1) == ["Lịch tiêm chủng"]
    assert column(bulletins, 3) == ["chưa có"]
    assert column(sessions, 1) == ["2031-01-01 07:00:00"]
    assert column(sessions, 2) == ["chờ phát"]
    assert "KHÔNG chạy" in win.playout_label.text()


def test_bulletin_dialog_reads_files_and_refuses_bad_ones(qtbot, tmp_path, messages) -> None:
    dialog = BulletinDialog()
    qtbot.addWidget(dialog)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(TEXT.encode("cp1258", errors="replace"))
    assert not dialog.load_file(bad)
    assert "UTF-8" in messages[-1] and dialog.text_edit.toPlainText() == ""
    good = tmp_path / "tốt.txt"
    good.write_bytes(codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"))
    assert dialog.load_file(good)
    assert dialog.text_edit.toPlainText() == TEXT
    assert dialog.title_edit.text() == TEXT  # first line becomes the title
    dialog.title_edit.clear()
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert messages[-1] == "Hãy nhập tiêu đề bản tin."


def test_add_render_schedule_and_export_from_the_window(qtbot, window, ctx, tmp_path,
                                                        monkeypatch) -> None:
    def fill(dialog: BulletinDialog) -> int:
        dialog.title_edit.setText("Tổng vệ sinh")
        dialog.text_edit.setPlainText(TEXT)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(BulletinDialog, "exec", fill)
    bulletins = shown(window, "tab_bulletins")
    bulletin_id = bulletins.add_bulletin()
    assert column(bulletins.table, 1) == ["Tổng vệ sinh"]
    assert bulletins.selected_bulletin_id() == bulletin_id

    task = bulletins.render_selected()
    assert task is not None
    assert window.progress.isVisible()  # the window shows every task's progress
    qtbot.waitUntil(lambda: "giây" in column(bulletins.table, 3)[0], timeout=60_000)
    qtbot.waitUntil(lambda: not window.progress.isVisible(), timeout=5_000)

    at = datetime(2031, 6, 1, 23, 0, tzinfo=UTC)
    bulletins.schedule_session(at, [bulletin_id])
    qtbot.waitUntil(lambda: not window.runner.busy(), timeout=60_000)
    sessions = shown(window, "tab_sessions").table
    assert column(sessions, 1) == ["2031-06-02 06:00:00"]

    log_view = shown(window, "tab_log")
    out = tmp_path / "xuất" / "nhật ký"  # no extension: .csv is added
    log_view.export_to(datetime(2031, 6, 1).date(), datetime(2031, 6, 30).date(), out)
    qtbot.waitUntil(lambda: out.with_suffix(".csv").exists(), timeout=90_000)
    assert out.with_suffix(".csv").read_bytes().startswith(codecs.BOM_UTF8)
    workbook = tmp_path / "xuất" / "nhật ký.xlsx"  # the format follows the extension
    qtbot.waitUntil(lambda: not window.runner.busy(), timeout=30_000)
    log_view.export_to(datetime(2031, 6, 1).date(), datetime(2031, 6, 30).date(), workbook)
    qtbot.waitUntil(workbook.exists, timeout=90_000)
    assert workbook.read_bytes()[:2] == b"PK"


def test_schedule_dialog_defaults_a_minute_ahead_in_vietnam_time(qtbot, ctx) -> None:
    b = ctx.db.add_bulletin("Tin", TEXT)
    now = datetime(2026, 12, 1, 0, 0, 30, tzinfo=UTC)
    dialog = ScheduleDialog(ctx.db.list_bulletins(), b, now)
    qtbot.addWidget(dialog)
    assert dialog.scheduled_at() == now + timedelta(minutes=1)
    assert dialog.when.dateTime().toString("dd/MM/yyyy HH:mm:ss") == "01/12/2026 07:01:30"
    assert dialog.selected_ids() == [b]
    texts = sorted(button.text() for button in dialog.findChildren(QPushButton))
    assert texts == ["Hủy bỏ", "Đồng ý"]


def test_log_refreshes_when_another_process_writes(qtbot, window, ctx) -> None:
    log_table = shown(window, "tab_log").table
    assert log_table.rowCount() == 0
    code = ("from datetime import datetime, UTC\n"
            "from app.services import open_context\n"
            "from scheduler.records import LogStatus\n"
            "ctx = open_context('cli')\n"
            "ctx.db.add_log_entry(scheduled_at=datetime.now(UTC), status=LogStatus.MISSED,"
            " bulletin_title='Tin từ tiến trình khác', reason='missed_while_down')\n")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
    qtbot.waitUntil(lambda: log_table.rowCount() == 1, timeout=5_000)
    assert column(log_table, 3) == ["bị lỡ"]
    assert column(log_table, 4) == ["Tin từ tiến trình khác"]
    assert column(log_table, 5) == ["quá giờ cho phép khi máy không chạy"]


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
        win.view("tab_bulletins").schedule_session(
            datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=5), [b])
        log_table = shown(win, "tab_log").table
        qtbot.waitUntil(lambda: column(log_table, 3)[:1] == ["đã phát"], timeout=120_000)
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


def test_a_database_error_keeps_what_the_operator_typed(qtbot, window, ctx, messages,
                                                        monkeypatch) -> None:
    from media.errors import LoaxaError

    shown_texts = []

    def fill(dialog: BulletinDialog) -> int:
        shown_texts.append(dialog.text_edit.toPlainText())
        if not dialog.text_edit.toPlainText():
            dialog.title_edit.setText("Tin khẩn")
            dialog.text_edit.setPlainText(TEXT)
        return QDialog.DialogCode.Accepted

    real_add = ctx.db.add_bulletin
    attempts = []

    def full_disk(*args, **kwargs):
        attempts.append(1)
        if len(attempts) == 1:
            raise LoaxaError("db_unavailable", url="loaxa.db", reason="database or disk is full")
        return real_add(*args, **kwargs)

    monkeypatch.setattr(BulletinDialog, "exec", fill)
    monkeypatch.setattr(ctx.db, "add_bulletin", full_disk)
    bulletin_id = window.view("tab_bulletins").add_bulletin()
    assert "database or disk is full" in messages[0]
    assert shown_texts == ["", TEXT]  # the second showing still had the text
    assert ctx.db.get_bulletin(bulletin_id).body == TEXT


def test_today_and_tomorrow_with_the_day_ahead_check(qtbot, ctx, messages) -> None:
    from datetime import time

    from scheduler.schedule import EVERY_DAY, ItemSpec
    from scheduler.timeutil import to_local, utc_now

    b = ctx.db.add_bulletin("Lịch tiêm chủng", TEXT)  # no audio yet: an error on air
    today = to_local(utc_now()).date()
    ctx.db.add_series(title="Sáng", start=time(23, 59, 59), weekdays=EVERY_DAY,
                      valid_from=today, valid_until=None, length_s=600,
                      items=[ItemSpec.bulletin(b)])
    win = mw.MainWindow(ctx, start_playout=False, tray=False, autostart=FakeAutostart())
    qtbot.addWidget(win)
    ahead = win.view("tab_ahead")
    assert column(ahead.timeline, 1) == ["Sáng", "Sáng"]
    assert column(ahead.timeline, 0)[1].endswith("23:59:59")
    assert win.tabs.tabText(win.tabs.indexOf(ahead)) == "Hôm nay và ngày mai (2 lỗi)"
    assert column(ahead.problems, 0) == ["LỖI", "LỖI"]
    assert all("chưa được tạo âm thanh" in text for text in column(ahead.problems, 1))
