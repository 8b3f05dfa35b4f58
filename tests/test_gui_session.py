"""People in the window (app/gui/session_guard.py), offscreen with pytest-qt: the own PIN,
log out and switch user, the idle sign-out with a fake clock, the emergency's login, the
audited language change and the role gates that say why."""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from app import services
from app.autostart import FakeAutostart
from app.gui import main_window as mw
from app.gui import onair_support as support
from app.gui import session_guard
from app.gui.bulletin_editor import BulletinEditor
from app.gui.session_guard import ChangePinDialog, gate, permissions
from app.gui.tasks import TaskRunner
from app.gui.users_page import UsersPage
from app.gui.views.bulletins import BulletinsView
from app.gui.views.onair import EmergencyDialog, OnAirView
from app.gui.views.schedule import ScheduleView
from app.gui.views.settings import SettingsView
from app.settings import load_settings
from scheduler.people import ScryptParams
from scheduler.records import Level

FAST = ScryptParams(n=2 ** 10, r=8, p=1)
TEXT = "Thông báo: thôn Đông tổ chức tổng vệ sinh môi trường vào sáng Chủ nhật."


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, minutes: float) -> None:
        self.now += minutes * 60


@pytest.fixture
def staffed(ctx):
    """admin "lan" (admin only), operator "minh", approver "hoa"; nobody logged in."""
    ctx.db.pin_params = FAST
    ctx.db.add_user("lan", "1111", ["admin"])
    ctx.db.login("lan", "1111")
    ctx.db.add_user("minh", "2222", ["operator"])
    ctx.db.add_user("hoa", "3333", ["approver"])
    ctx.db.logout()
    return ctx


@pytest.fixture
def runner(qtbot):
    runner = TaskRunner()
    yield runner
    runner.wait(60_000)


def make_window(qtbot: QtBot, ctx, views=()) -> mw.MainWindow:
    win = mw.MainWindow(ctx, start_playout=False, views=list(views), tray=False,
                        autostart=FakeAutostart())
    qtbot.addWidget(win)
    return win


def actions(ctx) -> list[tuple[str, str, str]]:
    return [(e.actor, e.action, e.target) for e in ctx.db.audit_events()]


def submit_and_wait(qtbot: QtBot, dialog) -> None:
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: dialog.ok_button.isEnabled() or dialog.result() != 0
                    or dialog.locked, timeout=10_000)


# -- the own PIN ----------------------------------------------------------------------------
def fill_pin(dialog: ChangePinDialog, old: str, new: str, again: str | None = None) -> None:
    dialog.old_pin.setText(old)
    dialog.new_pin.setText(new)
    dialog.new_pin_again.setText(new if again is None else again)


def test_a_user_changes_their_own_pin(qtbot, staffed) -> None:
    staffed.db.login("minh", "2222")
    dialog = ChangePinDialog(staffed)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Đổi mã PIN của minh"
    assert dialog.new_pin.echoMode() == dialog.new_pin.EchoMode.Password
    fill_pin(dialog, "2222", "123", "123")  # too short: said at once, nothing sent
    dialog.ok_button.click()
    assert "4–8 chữ số" in dialog.error.text() and dialog.ok_button.isEnabled()
    fill_pin(dialog, "2222", "5678", "5679")
    dialog.ok_button.click()
    assert dialog.error.text() == "Hai lần nhập mã PIN không giống nhau; chưa lưu gì."
    fill_pin(dialog, "2222", "5678")
    submit_and_wait(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert ("minh", "user_pin_changed", "user:minh") in actions(staffed)
    staffed.db.logout()
    assert staffed.db.login("minh", "5678").name == "minh"


def test_a_wrong_old_pin_is_refused_and_five_lock_the_account(qtbot, staffed) -> None:
    staffed.db.login("minh", "2222")
    dialog = ChangePinDialog(staffed)
    qtbot.addWidget(dialog)
    for _ in range(4):
        fill_pin(dialog, "0000", "5678")
        submit_and_wait(qtbot, dialog)
        assert dialog.error.text() == "Mã PIN cũ không đúng; chưa đổi gì."
        assert dialog.old_pin.text() == "" and not dialog.locked
    fill_pin(dialog, "0000", "5678")
    submit_and_wait(qtbot, dialog)
    assert dialog.locked and "bị khóa tạm thời" in dialog.error.text()
    assert not dialog.ok_button.isEnabled()  # nothing more to try
    assert staffed.db.get_user("minh").failed_logins == 5


def test_a_locked_pin_change_signs_the_user_out_and_asks_for_a_login(qtbot, staffed,
                                                                     messages) -> None:
    staffed.db.login("minh", "2222")
    win = make_window(qtbot, staffed)
    asked: list[object] = []
    win.session.prompt = lambda parent: asked.append(parent) or False

    class LockedDialog:  # what ChangePinDialog ends with after the fifth wrong PIN
        locked = True

        def exec(self) -> int:
            return QDialog.DialogCode.Rejected

    assert win.session.change_pin(LockedDialog()) is False
    assert not services.current_user(staffed).is_user
    assert asked == [win]
    assert ("minh", "logout", "user:minh") in actions(staffed)
    assert win.session.user_label.text() == "Chưa đăng nhập"


# -- the File menu ----------------------------------------------------------------------------
def test_the_file_menu_logs_out_and_switches_user(qtbot, staffed, messages) -> None:
    staffed.db.login("minh", "2222")
    win = make_window(qtbot, staffed)
    guard = win.session
    texts = [a.text() for a in win.file_menu.actions()]
    assert "Đổi &mã PIN của tôi…" in texts and "Đăng &xuất" in texts
    assert texts[-1] == win.act_quit.text()
    assert guard.user_label.text() == "Người dùng: minh"
    assert guard.act_change_pin.isEnabled()

    guard.act_logout.trigger()
    assert not services.current_user(staffed).is_user
    assert ("minh", "logout", "user:minh") in actions(staffed)
    assert not guard.act_change_pin.isEnabled()
    assert "Cần đăng nhập" in guard.act_change_pin.toolTip()
    assert guard.act_switch_user.text() == "Đăng &nhập…"

    def log_in_as_hoa(_parent) -> bool:
        services.login(staffed, "hoa", "3333")
        return True

    guard.prompt = log_in_as_hoa
    guard.act_switch_user.trigger()
    assert services.current_user(staffed).name == "hoa"
    assert guard.user_label.text() == "Người dùng: hoa"
    assert guard.act_switch_user.text() == "Đổi người &dùng…"


def test_no_users_no_login_entries(qtbot, ctx, messages) -> None:
    win = make_window(qtbot, ctx)
    guard = win.session
    assert not guard.act_switch_user.isEnabled()
    assert "chưa có người dùng" in guard.act_switch_user.toolTip()
    assert win.act_station.isEnabled()  # single-user setup: everything as before
    assert all(a.isEnabled() for a in win.language_actions.values())
    assert guard.user_label.isHidden()


# -- idle sign-out ------------------------------------------------------------------------------
def test_idle_sign_out_keeps_an_open_editor_and_its_text(qtbot, staffed, messages) -> None:
    staffed.db.login("minh", "2222")
    win = make_window(qtbot, staffed)
    win.show()
    guard = win.session
    clock = FakeClock()
    guard.clock = clock
    guard.poke()
    asked: list[object] = []
    guard.prompt = lambda parent: asked.append(parent) or False

    editor = BulletinEditor(staffed, [], None, win)
    qtbot.addWidget(editor)
    editor.show()
    editor.title_edit.setText("Vệ sinh môi trường")
    editor.text_edit.setPlainText(TEXT)

    clock.advance(10)
    guard.check()
    assert services.current_user(staffed).name == "minh"  # 10 of 15 minutes
    qtbot.keyClick(editor.text_edit, Qt.Key.Key_End)  # typing counts as use
    clock.advance(10)
    guard.check()
    assert services.current_user(staffed).name == "minh"  # 10 since the key
    clock.advance(5)
    guard.check()
    assert not services.current_user(staffed).is_user
    assert len(asked) == 1  # the login dialog over the window
    assert guard.last_user == "minh"  # offered first in the login dialog
    assert ("minh", "logout", "user:minh") in actions(staffed)
    assert "sau 15 phút không dùng" in win.statusBar().currentMessage()
    # the editor is still open with what was typed; saving waits for a login
    assert editor.isVisible() and editor.text_edit.toPlainText() == TEXT
    editor.gate_save()
    assert not editor.save_button.isEnabled()
    assert "Cần đăng nhập" in editor.save_button.toolTip()
    clock.advance(60)
    guard.check()
    assert len(asked) == 1  # nobody to sign out: not asked again

    services.login(staffed, "minh", "2222")
    editor.gate_save()
    assert editor.save_button.isEnabled()
    editor.accept()
    assert editor.saved_id is not None
    assert staffed.db.get_bulletin(editor.saved_id).body == TEXT


def test_idle_sign_out_can_be_off_and_waits_for_the_window(qtbot, staffed, messages) -> None:
    staffed.db.login("minh", "2222")
    win = make_window(qtbot, staffed)
    guard = win.session
    clock = FakeClock()
    guard.clock = clock
    guard.poke()
    asked: list[object] = []
    guard.prompt = lambda parent: asked.append(parent) or True
    staffed.settings.idle_logout_minutes = 0  # never
    clock.advance(600)
    guard.check()
    assert services.current_user(staffed).name == "minh"

    staffed.settings.idle_logout_minutes = 5
    guard.check()  # the window is in the tray (hidden): signed out, asked when it is back
    assert not services.current_user(staffed).is_user and asked == []
    win.show()
    qtbot.waitUntil(lambda: len(asked) == 1, timeout=5000)


def test_the_admin_sets_the_idle_time_on_the_users_page(qtbot, staffed, messages) -> None:
    staffed.db.login("minh", "2222")
    page = UsersPage(staffed)
    qtbot.addWidget(page)
    assert page.idle_minutes.value() == 15
    assert not page.idle_save_button.isEnabled()
    assert "cần vai trò quản trị" in page.idle_save_button.toolTip()
    assert "bạn đang đăng nhập là minh" in page.add_button.toolTip()

    staffed.db.logout()
    staffed.db.login("lan", "1111")
    page.reload()
    assert page.idle_save_button.isEnabled() and page.add_button.isEnabled()
    page.idle_minutes.setValue(5)
    assert page.save_idle()
    assert staffed.settings.idle_logout_minutes == 5
    assert load_settings(staffed.paths.settings_file).idle_logout_minutes == 5
    [event] = [e for e in staffed.db.audit_events() if e.action == "settings_changed"]
    assert event.actor == "lan" and event.details == {"idle_logout_minutes": [15, 5]}
    assert page.idle_result.text() == "Đã lưu: tự đăng xuất sau 5 phút."


# -- settings changes are audited -----------------------------------------------------------------
def test_the_language_menu_is_an_audited_admin_change(qtbot, staffed, messages) -> None:
    staffed.db.login("minh", "2222")
    win = make_window(qtbot, staffed)
    english = win.language_actions["en"]
    assert not english.isEnabled()
    assert "Đổi cài đặt cần vai trò quản trị" in english.toolTip()
    win.set_language("en")  # even when called: refused, nothing written, nothing checked
    assert staffed.settings.language == "vi" and not english.isChecked()
    assert any("không được đổi cài đặt" in m for m in messages)
    assert not staffed.paths.settings_file.exists()

    staffed.db.logout()
    staffed.db.login("lan", "1111")
    win.session.refresh()
    assert english.isEnabled()
    win.set_language("en")
    assert staffed.settings.language == "en" and english.isChecked()
    assert load_settings(staffed.paths.settings_file).language == "en"
    [event] = [e for e in staffed.db.audit_events() if e.action == "settings_changed"]
    assert event.actor == "lan" and event.details == {"language": ["vi", "en"]}


def test_start_with_windows_is_an_audited_admin_change(qtbot, staffed, messages) -> None:
    staffed.db.login("lan", "1111")
    win = make_window(qtbot, staffed)
    win.act_autostart.setChecked(True)
    assert win.autostart.enabled()
    [event] = [e for e in staffed.db.audit_events() if e.action == "settings_changed"]
    assert event.actor == "lan" and event.details == {"start_with_windows": [False, True]}
    staffed.db.logout()
    win.session.refresh()
    assert not win.act_autostart.isEnabled()
    assert "Cần đăng nhập để đổi cài đặt" in win.act_autostart.toolTip()


# -- the emergency ---------------------------------------------------------------------------------
def write_wav(path: Path) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(44100)
        out.writeframes(b"".join(struct.pack("<h", round(9000 * math.sin(n / 7)))
                                 for n in range(44100)))
    return path


@pytest.fixture
def emergency_ready(staffed, tmp_path, monkeypatch):
    """An emergency bulletin with audio; every confirmation answered Yes; a fixed device."""
    staffed.db.login("lan", "1111")
    staffed.db.add_user("op", "4444", ["operator"])
    staffed.db.logout()
    staffed.db.login("op", "4444")
    bulletin_id = staffed.db.add_bulletin("Bão số 5", TEXT, level=Level.EMERGENCY)
    sha, rel = staffed.store.adopt(write_wav(tmp_path / "e.wav"))
    staffed.db.attach_audio(bulletin_id, sha256=sha, rel_path=rel, duration_ms=1000,
                            origin="test", engine="test", voice="", source_sha256="test")
    staffed.db.logout()
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *_a, **_k: QMessageBox.StandardButton.Yes))
    monkeypatch.setattr(support, "default_output_name", lambda: "Loa (USB)")

    def pick(dialog: EmergencyDialog) -> int:
        dialog.pick.setChecked(True)
        dialog.bulletin.setCurrentIndex(dialog.bulletin.findData(bulletin_id))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(EmergencyDialog, "exec", pick)
    return bulletin_id


def test_an_emergency_asks_for_a_login_first_and_says_who(qtbot, staffed, runner, messages,
                                                          emergency_ready,
                                                          monkeypatch) -> None:
    view = OnAirView(staffed, runner)
    qtbot.addWidget(view)
    assert view.emergency_button.isEnabled()  # never grey
    assert "hỏi đăng nhập trước" in view.emergency_button.toolTip()

    monkeypatch.setattr(session_guard, "login_prompt", lambda _ctx, _parent: False)
    assert view.trigger_emergency() is None
    assert "Cần một người dùng đăng nhập" in view.message.text()
    assert staffed.db.list_emergencies() == []

    def approver_logs_in(ctx, _parent) -> bool:
        services.login(ctx, "hoa", "3333")  # an approver: any role may order an emergency
        return True

    monkeypatch.setattr(session_guard, "login_prompt", approver_logs_in)
    task = view.trigger_emergency()
    assert task is not None
    qtbot.waitUntil(lambda: task not in view.tasks, timeout=60_000)
    [emergency] = staffed.db.list_emergencies()
    assert emergency.bulletin_id == emergency_ready and emergency.requested_by == "hoa"
    assert ("hoa", "emergency_triggered", f"bulletin:{emergency_ready}") in actions(staffed)
    assert "hoa" in view.message.text()


def test_an_emergency_in_single_user_setup_asks_nobody(qtbot, ctx, runner, messages,
                                                       monkeypatch) -> None:
    def never(_ctx, _parent) -> bool:
        raise AssertionError("no login without users")

    monkeypatch.setattr(session_guard, "login_prompt", never)
    assert session_guard.ensure_signed_in(ctx)
    view = OnAirView(ctx, runner)
    qtbot.addWidget(view)
    assert view.emergency_button.toolTip() == ""


# -- role gates ----------------------------------------------------------------------------
def test_gates_follow_the_roles_and_say_why(qtbot, staffed, runner, messages) -> None:
    staffed.db.login("minh", "2222")  # operator
    bulletins = BulletinsView(staffed, runner)
    schedule = ScheduleView(staffed, runner)
    settings = SettingsView(staffed, runner)
    for view in (bulletins, schedule, settings):
        qtbot.addWidget(view)
    assert bulletins.act_new.isEnabled() and bulletins.act_import.isEnabled()
    assert not bulletins.act_approve.isEnabled()
    tip = bulletins.act_approve.toolTip()
    assert "Duyệt phát bản tin cần vai trò người duyệt phát" in tip and "(Ctrl+D)" in tip
    approve_button = next(b for b in bulletins.findChildren(type(settings.apply_button))
                          if b.text() == bulletins.act_approve.text())
    assert not approve_button.isEnabled() and approve_button.toolTip() == tip
    assert schedule.series_button.isEnabled() and schedule.quiet_button.isEnabled()
    assert not settings.apply_button.isEnabled()
    assert not settings.test_on_button.isEnabled()  # runs the typed command: admin only
    assert "quản trị" in settings.apply_button.toolTip()

    staffed.db.logout()
    staffed.db.login("hoa", "3333")  # approver
    for view in (bulletins, schedule, settings):
        view.reload()
    assert bulletins.act_approve.isEnabled() and approve_button.isEnabled()
    assert not bulletins.act_new.isEnabled()
    assert "Thêm bản tin cần vai trò người soạn và lên lịch" in bulletins.act_new.toolTip()
    assert not schedule.series_button.isEnabled()
    assert "bạn đang đăng nhập là hoa" in schedule.oneoff_button.toolTip()

    staffed.db.logout()
    staffed.db.login("lan", "1111")  # admin only
    settings.reload()
    assert settings.apply_button.isEnabled() and settings.test_on_button.isEnabled()
    assert settings.apply_button.toolTip() == ""

    staffed.db.logout()
    bulletins.reload()
    assert not bulletins.act_new.isEnabled()
    assert "Cần đăng nhập để thêm bản tin" in bulletins.act_new.toolTip()


def test_a_bulletin_opened_by_an_approver_can_be_read_not_saved(qtbot, staffed) -> None:
    staffed.db.login("minh", "2222")
    bulletin_id = staffed.db.add_bulletin("Tin", TEXT)
    staffed.db.logout()
    staffed.db.login("hoa", "3333")
    editor = BulletinEditor(staffed, [], staffed.db.get_bulletin(bulletin_id))
    qtbot.addWidget(editor)
    assert editor.text_edit.toPlainText() == TEXT
    assert not editor.save_button.isEnabled()
    assert "Sửa bản tin cần vai trò người soạn và lên lịch" in editor.save_button.toolTip()


def test_gate_keeps_the_own_tooltip_and_permissions_without_users(qtbot, ctx) -> None:
    from PySide6.QtWidgets import QPushButton

    button = QPushButton("Nút")
    qtbot.addWidget(button)
    button.setToolTip("Việc của nút")
    gate(button, "Không được.")
    assert not button.isEnabled() and button.toolTip() == "Việc của nút\nKhông được."
    assert button.statusTip() == "Không được."
    gate(button, "")
    assert button.isEnabled() and button.toolTip() == "Việc của nút"
    gate(button, "", enabled=False)
    assert not button.isEnabled()
    perms = permissions(ctx)
    assert not perms.users and perms.may("settings_changed") and perms.may("user_added")


def test_the_reading_lexicon_is_an_operators_change_and_audited(qtbot, staffed, messages,
                                                                monkeypatch) -> None:
    from app.gui.bulletin_editor import LexiconDialog

    monkeypatch.setattr(LexiconDialog, "exec", lambda _d: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(LexiconDialog, "values", lambda _d: ("UBND", "ủy ban nhân dân"))
    staffed.db.login("hoa", "3333")  # an approver: the lexicon changes what is read on air
    editor = BulletinEditor(staffed, [], None)
    qtbot.addWidget(editor)
    assert not editor.lexicon_button.isEnabled()
    assert "Sửa từ điển cách đọc cần vai trò người soạn" in editor.lexicon_button.toolTip()
    editor.text_edit.setPlainText("UBND xã thông báo.")
    editor.text_edit.selectAll()
    staffed.db.logout()
    staffed.db.login("minh", "2222")
    editor.gate_save()
    assert editor.lexicon_button.isEnabled()
    assert editor.add_to_lexicon()
    assert "UBND\tủy ban nhân dân" in staffed.paths.lexicon_file.read_text(encoding="utf-8")
    [event] = [e for e in staffed.db.audit_events() if e.action == "lexicon_changed"]
    assert event.actor == "minh" and event.details == {"written": "UBND",
                                                       "spoken": "ủy ban nhân dân"}


def test_when_the_first_admin_is_made_the_window_asks_for_a_login(qtbot, ctx,
                                                                  messages) -> None:
    ctx.db.pin_params = FAST
    win = make_window(qtbot, ctx)
    asked: list[object] = []
    win.session.prompt = lambda parent: asked.append(parent) or False
    win.session.check()
    assert asked == []  # single-user setup: nobody to ask for
    ctx.db.add_user("lan", "1111", ["admin"])  # Settings › Users, or the command line
    win.session.check()
    assert asked == [win]
    assert win.session.user_label.text() == "Chưa đăng nhập"
    assert not win.act_station.isEnabled()
    assert "Cần đăng nhập để sửa thông tin đài" in win.act_station.toolTip()


def test_a_double_click_on_a_session_says_why_it_cannot_be_changed(qtbot, staffed, runner,
                                                                   messages) -> None:
    staffed.db.login("hoa", "3333")
    view = ScheduleView(staffed, runner)
    qtbot.addWidget(view)
    assert view.change_selected() is False
    assert "cần vai trò người soạn và lên lịch" in view.status.text()
    assert messages == []  # no dialog, no error box


def test_the_login_dialog_offers_the_user_who_was_signed_out(qtbot, staffed,
                                                             monkeypatch) -> None:
    from app.gui.login import LoginDialog

    seen: list[str] = []
    monkeypatch.setattr(LoginDialog, "exec",
                        lambda dialog: seen.append(dialog.user_box.currentText()) or 0)
    assert not session_guard.login_prompt(staffed, None, "minh")
    assert not session_guard.login_prompt(staffed, None)
    assert seen == ["minh", "hoa"]  # without a name: the first of the list
