"""The window shell: tabs from the view list, keyboard, tray, one window per user, start with
Windows, Qt translations, screenshots, 150 % scaling. Offscreen, with pytest-qt."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTranslator
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)

from app.autostart import FakeAutostart, XdgAutostart, launch_command
from app.gui import main_window as mw
from app.gui.login import FIRST_RUN_MARKER
from app.gui.single_instance import SingleInstance, server_name
from app.instance import InstanceLock
from app.paths import app_paths
from tests.conftest import ROOT

TEXT = "Thông báo: thôn Đông tổ chức tổng vệ sinh môi trường vào sáng Chủ nhật."


class CountingView(QWidget):
    """A view after the contract in app.gui.views, counting its reloads."""

    title_key = "tab_bulletins"
    reload_when_hidden = False

    def __init__(self, ctx, runner, parent=None) -> None:
        super().__init__(parent)
        self.ctx, self.runner, self.reloads = ctx, runner, 0
        self.label = QLabel("")
        QVBoxLayout(self).addWidget(self.label)

    def reload(self) -> None:
        self.reloads += 1
        self.label.setText(str(self.ctx.db.count_bulletins()))


class WatchingView(CountingView):
    title_key = "tab_log"
    reload_when_hidden = True


def make_window(qtbot, ctx, **kwargs) -> mw.MainWindow:
    kwargs.setdefault("tray", False)
    kwargs.setdefault("autostart", FakeAutostart())
    win = mw.MainWindow(ctx, start_playout=False, **kwargs)
    qtbot.addWidget(win)
    return win


def test_tabs_come_from_the_view_list_and_reload_when_shown(qtbot, ctx, messages) -> None:
    win = make_window(qtbot, ctx, views=[CountingView, CountingView, WatchingView])
    win.show()
    assert [win.tabs.tabText(i) for i in range(3)] == ["Bản tin", "Bản tin",
                                                       "Nhật ký phát thanh"]
    first, second, watching = win.views
    assert (first.reloads, second.reloads, watching.reloads) == (1, 1, 1)  # all at start
    ctx.db.add_bulletin("Tin", TEXT)  # another revision of the database
    win.poll()
    # The shown view and the one that watches reload now; the hidden one waits.
    assert (first.reloads, second.reloads, watching.reloads) == (2, 1, 2)
    assert first.label.text() == "1" and second.label.text() == "0"
    win.poll()  # nothing changed: nothing reloads
    assert (first.reloads, second.reloads, watching.reloads) == (2, 1, 2)
    win.tabs.setCurrentIndex(1)  # shown: reloaded
    assert second.reloads == 2 and second.label.text() == "1"
    assert messages == []


def test_the_window_has_the_views_declared_in_one_place(qtbot, ctx, messages) -> None:
    win = make_window(qtbot, ctx)
    assert [type(v) for v in win.views] == mw.VIEWS
    assert [win.tabs.tabText(i) for i in range(win.tabs.count())] == [
        "Đang phát", "Bản tin", "Lịch phát", "Nhật ký phát thanh", "Cài đặt"]
    assert all(callable(getattr(v, "reload", None)) and v.title_key for v in win.views)


def test_ctrl_number_switches_tabs_and_menus_have_mnemonics(qtbot, ctx, messages) -> None:
    win = make_window(qtbot, ctx)
    win.show()
    win.activateWindow()
    qtbot.waitActive(win)
    assert [a.shortcut().toString() for a in win.view_actions] == [
        f"Ctrl+{i + 1}" for i in range(len(mw.VIEWS))]
    qtbot.keyClick(win.windowHandle(), Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert win.tabs.currentIndex() == 2
    qtbot.keyClick(win.windowHandle(), Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert win.tabs.currentIndex() == 0
    for menu_action in win.menuBar().actions():
        assert "&" in menu_action.text(), menu_action.text()
        for action in menu_action.menu().actions():
            assert action.isSeparator() or "&" in action.text(), action.text()


def _mnemonic(text: str) -> str | None:
    match = re.search(r"&([^&\s])", text.replace("&&", ""))
    return match.group(1).lower() if match else None


def _mnemonics_shown(widget) -> dict[str, list[str]]:
    """Alt+letter → the texts of the visible buttons, labels and group boxes carrying it."""
    from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel

    found: dict[str, list[str]] = {}
    for child in (widget.findChildren(QAbstractButton) + widget.findChildren(QLabel)
                  + widget.findChildren(QGroupBox)):
        text = child.title() if isinstance(child, QGroupBox) else child.text()
        letter = _mnemonic(text or "")
        if letter and child.isVisible():
            found.setdefault(letter, []).append(text)
    return found


def test_no_two_things_on_a_page_share_an_alt_letter(qtbot, ctx, messages) -> None:
    """Two of the same Alt+letter on a page (menu bar included) only move the focus between
    them: neither is pressed. Every tab, every section of the Settings view, in Vietnamese."""
    win = make_window(qtbot, ctx)
    win.show()
    menus = {_mnemonic(a.text()): a.text() for a in win.menuBar().actions()}
    pages = []
    for index in range(win.tabs.count()):
        win.tabs.setCurrentIndex(index)
        view = win.views[index]
        sections = getattr(view, "sections", None)
        for row in range(sections.count() if sections is not None else 1):
            if sections is not None:
                sections.setCurrentRow(row)
            qtbot.wait(10)
            pages.append((view.title_key, row, _mnemonics_shown(view)))
    clashes = [(key, row, letter, texts + ([menus[letter]] if letter in menus else []))
               for key, row, found in pages for letter, texts in found.items()
               if len(texts) > 1 or letter in menus]
    assert clashes == [], clashes
    assert len(pages) >= 5 + 8  # the five tabs, the Settings view's sections


def test_closing_hides_to_the_tray_once_told_and_never_stops_playout(
        qtbot, ctx, messages, monkeypatch) -> None:
    balloons: list[str] = []
    monkeypatch.setattr(QSystemTrayIcon, "showMessage",
                        lambda self, title, text, *a: balloons.append(text))
    # A stand-in for the playout process: it holds the playout lock like the real one.
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys,time\nfrom app.instance import InstanceLock\n"
         "lock=InstanceLock(__import__('pathlib').Path(sys.argv[1]))\n"
         "assert lock.acquire()\nprint('locked', flush=True)\ntime.sleep(120)\n",
         str(ctx.paths.playout_lock)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        win = make_window(qtbot, ctx, tray=True)
        win.show()
        assert win.tray is not None and win.tray.isVisible()
        menu = [a.text() for a in win.tray.contextMenu().actions()]
        assert menu[0] == "&Mở cửa sổ LoaXa" and menu[1] == "Bộ phát: đang chạy"
        assert "T&hoát" in menu
        win.close()
        assert not win.isVisible() and len(balloons) == 1
        assert "Bộ phát vẫn phát đúng lịch" in balloons[0]
        win.bring_to_front()
        assert win.isVisible()
        win.close()
        assert not win.isVisible() and len(balloons) == 1  # told once, ever
        assert (ctx.paths.config_dir / mw.TRAY_NOTICE_MARKER).exists()
        win.quit()
        assert not win.isVisible()
        assert holder.poll() is None  # playout untouched by close and quit
    finally:
        holder.kill()
        holder.wait(10)


def test_without_a_tray_closing_closes(qtbot, ctx, messages) -> None:
    win = make_window(qtbot, ctx, tray=False)
    win.show()
    win.close()
    assert not win.isVisible() and not win.timer.isActive()


def test_start_with_windows_option(qtbot, ctx, messages) -> None:
    autostart = FakeAutostart(enabled=True)
    win = make_window(qtbot, ctx, autostart=autostart)
    assert win.act_autostart.isChecked()
    win.act_autostart.trigger()
    assert not autostart.enabled() and not win.act_autostart.isChecked()
    autostart.fail_with = PermissionError("registry locked")
    win.act_autostart.trigger()
    assert not win.act_autostart.isChecked()  # shows the truth, not the wish
    assert "Không đặt được khởi động cùng Windows" in messages[-1]
    hidden = make_window(qtbot, ctx, autostart=None)
    assert hidden.act_autostart not in hidden.menuBar().actions()[0].menu().actions()


def test_xdg_autostart_entry(tmp_path: Path) -> None:
    entry = XdgAutostart(tmp_path / "autostart", ["/opt/Loa Xã/loaxa", "--tray"])
    assert not entry.enabled()
    entry.enable()
    text = entry.path.read_text(encoding="utf-8")
    assert 'Exec="/opt/Loa Xã/loaxa" --tray\n' in text and "Type=Application" in text
    assert entry.enabled()
    entry.disable()
    assert not entry.enabled() and not entry.path.exists()
    entry.disable()  # twice is fine


def test_launch_command_starts_in_the_tray() -> None:
    command = launch_command()
    assert command[-1] == "--tray" and command[:3] == [sys.executable, "-m", "app"]


def test_a_second_instance_asks_the_first(qtbot) -> None:
    paths = app_paths().ensure()
    first, second = SingleInstance(paths), SingleInstance(paths)
    try:
        assert first.claim()
        assert not second.claim()
        with qtbot.waitSignal(first.activated, timeout=5_000):
            assert second.notify_first()
    finally:
        first.release()
        second.release()
    third = SingleInstance(paths)  # released: the next start is first again
    assert third.claim()
    third.release()


def test_no_answer_from_the_first_is_reported(qtbot) -> None:
    paths = app_paths().ensure()
    lock = InstanceLock(paths.data_dir / "window.lock")  # claimed, but nobody listens
    assert lock.acquire()
    try:
        other = SingleInstance(paths)
        assert not other.claim()
        assert not other.notify_first(timeout_ms=500)
    finally:
        lock.release()


def test_instance_names_are_per_data_folder(tmp_path: Path, monkeypatch) -> None:
    name = server_name(app_paths())
    monkeypatch.setenv("LOAXA_HOME", str(tmp_path / "other"))
    assert server_name(app_paths()) != name and name.startswith("loaxa-window-")


def test_second_loaxa_brings_the_first_to_front_and_exits_0(loaxa_home) -> None:
    (loaxa_home / "config").mkdir(parents=True)
    (loaxa_home / "config" / "settings.toml").write_text(
        "start_playout_with_window = false\n", encoding="utf-8")
    (loaxa_home / "config" / FIRST_RUN_MARKER).write_text("1", encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    first = subprocess.Popen([sys.executable, "-m", "app"], cwd=ROOT, env=env,
                             stderr=subprocess.PIPE, text=True)
    log_file = loaxa_home / "logs" / "gui.log"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and first.poll() is None:
            if log_file.exists() and "window shown" in log_file.read_text(encoding="utf-8"):
                break
            time.sleep(0.2)
        assert first.poll() is None, first.stderr.read()
        second = subprocess.run([sys.executable, "-m", "app"], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=60)
        assert second.returncode == 0, second.stderr
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if "another start asked for the window" in log_file.read_text(encoding="utf-8"):
                break
            time.sleep(0.2)
        text = log_file.read_text(encoding="utf-8")
        assert "another start asked for the window" in text
        assert text.count("window shown") == 1  # the second opened no window
        assert first.poll() is None
    finally:
        first.terminate()
        first.wait(10)


# -- translations ----------------------------------------------------------------------
def test_ts_files_are_generated_from_app_i18n() -> None:
    from tools import i18n_ts

    assert i18n_ts.out_of_date() == [], "run: python -m tools.i18n_ts"


def test_ts_files_hold_every_message_once() -> None:
    from app.i18n import MESSAGES, QT_MESSAGES_VI
    from tools import i18n_ts

    for language, index in (("vi", 0), ("en", 1)):
        root = ET.fromstring(i18n_ts.render_ts(language))
        contexts = {c.findtext("name"): c for c in root.iter("context")}
        ours = {m.findtext("source"): m.findtext("translation")
                for m in contexts["LoaXa"].iter("message")}
        assert len(ours) == len(contexts["LoaXa"].findall("message")) == len(MESSAGES)
        assert all(ours[key] == MESSAGES[key][index] for key in MESSAGES)
        qt = {(c, m.findtext("source")) for c, ctx in contexts.items() if c != "LoaXa"
              for m in ctx.iter("message")}
        assert qt == (set(QT_MESSAGES_VI) if language == "vi" else set())


def test_check_fails_when_a_message_changes(monkeypatch, tmp_path: Path) -> None:
    from app import i18n
    from tools import i18n_ts

    i18n_ts.write_ts(tmp_path)
    assert i18n_ts.out_of_date(tmp_path) == []
    monkeypatch.setitem(i18n.MESSAGES, "app_title", ("LoaXa mới", "LoaXa new"))
    assert [p.name for p in i18n_ts.out_of_date(tmp_path)] == ["loaxa_vi.ts", "loaxa_en.ts"]


def test_qm_built_by_lrelease_translates(tmp_path: Path, qapp) -> None:
    from tools import i18n_ts

    built = i18n_ts.build_qm(out=tmp_path)
    assert [p.name for p in built] == ["loaxa_vi.qm", "loaxa_en.qm"]
    translator = QTranslator()
    assert translator.load(str(tmp_path / "loaxa_vi.qm"))
    assert translator.translate("LoaXa", "app_title") == "LoaXa — Loa truyền thanh xã"
    assert translator.translate("QPlatformTheme", "Cancel") == "Hủy bỏ"


def test_qt_standard_words_are_vietnamese_with_the_translators(qapp, tmp_path: Path) -> None:
    from app.gui import translations

    try:
        files = translations.install_translators(qapp, "vi", tmp_path)
        assert any(p.name == "loaxa_vi.qm" for p in files)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel
                               | QDialogButtonBox.StandardButton.Yes
                               | QDialogButtonBox.StandardButton.No)
        assert sorted(b.text() for b in box.buttons()) == ["&Có", "&Không", "Hủy bỏ",
                                                            "Đồng ý"]
        edit = QLineEdit()
        menu = edit.createStandardContextMenu()
        texts = [a.text().split("\t")[0] for a in menu.actions() if not a.isSeparator()]
        assert "&Sao chép" in texts and "&Dán" in texts
        assert QCoreApplication.translate("LoaXa", "menu_view") == "&Xem"
    finally:
        translations.install_translators(qapp, "en", tmp_path)
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert box.buttons()[0].text() == "Cancel"


# -- screenshots and scaling -------------------------------------------------------------
def test_screenshots_of_every_view(tmp_path: Path, loaxa_home) -> None:
    out = tmp_path / "ảnh"
    proc = subprocess.run([sys.executable, "-m", "app", "--screenshots", str(out)], cwd=ROOT,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
                          capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert proc.returncode == 0, proc.stderr
    names = sorted(p.name for p in out.glob("*.png"))
    views = [cls.title_key.removeprefix("tab_") + ".png" for cls in mw.VIEWS]
    assert names == sorted([*views, "dialog-station.png"])
    assert f"Đã lưu {len(names)} ảnh màn hình" in proc.stdout
    image = QImage(str(out / "log.png"))
    assert (image.width(), image.height()) == (1180, 720)
    # Real content: the log's coloured status cells, not an empty window.
    colours = {image.pixelColor(x, y).name() for x in range(0, 1180, 7)
               for y in range(60, 700, 7)}
    assert len(colours) > 20
    assert not (loaxa_home / "data" / "loaxa.db").exists()  # sample data stayed aside


SCALE_CHECK = r"""
import sys
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QTabBar
app = QApplication([])
from app.autostart import FakeAutostart
from app.gui.main_window import MainWindow
from app.services import open_context
ctx = open_context("gui")
window = MainWindow(ctx, start_playout=False, tray=False, autostart=FakeAutostart())
window.show()
app.processEvents()
print("ratio", window.devicePixelRatio())
hint = window.minimumSizeHint()
print("minimum", hint.width(), hint.height())
print("size", window.width(), window.height())
cut = []
for w in window.findChildren(QAbstractButton) + window.findChildren(QLabel):
    if w.isVisible() and w.text() and w.width() < w.minimumSizeHint().width():
        cut.append(w.text())
for bar in window.findChildren(QTabBar):
    for i in range(bar.count()):
        need = bar.fontMetrics().horizontalAdvance(bar.tabText(i).replace("&", ""))
        if bar.isVisible() and bar.tabRect(i).width() < need:
            cut.append(bar.tabText(i))
menubar = window.menuBar()
for action in menubar.actions():
    if menubar.actionGeometry(action).width() < menubar.fontMetrics().horizontalAdvance(
            action.text().replace("&", "")):
        cut.append(action.text())
print("cut", cut)
"""


@pytest.mark.parametrize("width,height", [(1366, 768), (1920, 1080)])
def test_readable_at_150_percent(loaxa_home, tmp_path: Path, width: int, height: int) -> None:
    """A laptop screen at 150 % Windows scaling: 1366×768 pixels are 911×512 logical ones."""
    screens = tmp_path / "screen.json"
    screens.write_text(json.dumps({"screens": [
        {"name": "laptop", "x": 0, "y": 0, "width": width, "height": height,
         "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", SCALE_CHECK], cwd=ROOT, timeout=120,
                          env={**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={screens}",
                               "QT_SCALE_FACTOR": "1.5"},
                          capture_output=True, text=True, encoding="utf-8")
    assert proc.returncode == 0, proc.stderr
    lines = dict(line.split(" ", 1) for line in proc.stdout.splitlines())
    assert float(lines["ratio"]) == 1.5
    fits_width, fits_height = map(int, lines["minimum"].split())
    # It fits the screen, with room for the taskbar (40 px at 150 %).
    assert fits_width <= width / 1.5 and fits_height <= height / 1.5 - 40
    assert int(lines["size"].split()[0]) <= width / 1.5
    assert lines["cut"] == "[]"
