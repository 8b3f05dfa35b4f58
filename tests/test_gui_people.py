"""The login and first-run dialogs and the users page, offscreen with pytest-qt."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog

from app import services
from app.gui.login import FirstAdminDialog, LoginDialog, ensure_login
from app.gui.users_page import AddUserForm, PinForm, RolesForm, UsersPage
from app.services import open_context
from scheduler.people import Role, ScryptParams

FAST = ScryptParams(n=2 ** 10, r=8, p=1)


@pytest.fixture
def ctx():
    context = open_context("gui")
    context.db.pin_params = FAST
    yield context
    context.close()


@pytest.fixture
def staffed(ctx):
    ctx.db.add_user("lan", "1111", ["admin"])
    ctx.db.login("lan", "1111")
    ctx.db.add_user("minh", "2222", ["operator"])
    ctx.db.logout()
    return ctx


def submit_and_wait(qtbot, dialog) -> None:
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: dialog.ok_button.isEnabled() or dialog.result() != 0,
                    timeout=10_000)


def test_login_with_the_right_pin_makes_the_user_the_actor(qtbot, staffed) -> None:
    dialog = LoginDialog(staffed)
    qtbot.addWidget(dialog)
    assert [dialog.user_box.itemText(i) for i in range(dialog.user_box.count())] == [
        "lan", "minh"]
    assert dialog.windowTitle() == "Đăng nhập LoaXa"
    assert dialog.pin.echoMode() == dialog.pin.EchoMode.Password
    dialog.user_box.setCurrentText("minh")
    dialog.pin.setText("2222")
    submit_and_wait(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    actor = services.current_user(staffed)
    assert actor.name == "minh" and actor.roles == frozenset({Role.OPERATOR})


def test_wrong_pins_are_said_then_the_lock_with_its_time(qtbot, staffed) -> None:
    dialog = LoginDialog(staffed)
    qtbot.addWidget(dialog)
    dialog.user_box.setCurrentText("minh")
    for _ in range(4):
        dialog.pin.setText("0000")
        submit_and_wait(qtbot, dialog)
        assert not dialog.error.isHidden()
        assert dialog.error.text() == "Tên đăng nhập hoặc mã PIN không đúng."
        assert dialog.pin.text() == ""  # typed again each time
    dialog.pin.setText("0000")
    submit_and_wait(qtbot, dialog)
    assert "bị khóa tạm thời" in dialog.error.text() and "giờ Việt Nam" in dialog.error.text()
    dialog.pin.setText("2222")  # the right PIN while locked
    submit_and_wait(qtbot, dialog)
    assert dialog.result() == 0 and "bị khóa" in dialog.error.text()
    assert not services.current_user(staffed).is_user


def test_first_run_creates_the_first_admin_and_logs_in(qtbot, ctx) -> None:
    assert services.needs_first_admin(ctx)
    dialog = FirstAdminDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.name.setText("Lan")
    dialog.full_name.setText("Nguyễn Thị Lan")
    dialog.pin.setText("1234")
    dialog.pin_again.setText("1243")
    dialog.ok_button.click()
    assert dialog.error.text() == "Hai lần nhập mã PIN không giống nhau; chưa lưu gì."
    assert ctx.db.count_users() == 0
    dialog.pin_again.setText("1234")
    dialog.also_approver.setChecked(False)
    submit_and_wait(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    [user] = ctx.db.list_users()
    assert (user.name, user.full_name) == ("Lan", "Nguyễn Thị Lan")
    assert user.roles == frozenset({Role.ADMIN, Role.OPERATOR})
    assert services.current_user(ctx).name == "Lan"


def test_ensure_login_quits_when_the_login_is_cancelled(qtbot, staffed, monkeypatch) -> None:
    monkeypatch.setattr(LoginDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    assert ensure_login(staffed) is False
    monkeypatch.setattr(LoginDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    assert ensure_login(staffed) is True


def test_ensure_login_first_run_cancel_goes_on_in_single_user_setup(qtbot, ctx,
                                                                    monkeypatch) -> None:
    seen = []
    monkeypatch.setattr(FirstAdminDialog, "exec",
                        lambda self: seen.append(self) or QDialog.DialogCode.Rejected)
    assert ensure_login(ctx) is True and len(seen) == 1
    assert ctx.db.add_bulletin("Tin", "Nội dung")  # everything allowed, as "system"


def _accept_with(fill):
    def exec_(form) -> int:
        fill(form)
        form._check()
        return form.result()
    return exec_


def test_users_page_is_for_admins_only(qtbot, staffed, messages) -> None:
    staffed.db.login("minh", "2222")
    page = UsersPage(staffed)
    qtbot.addWidget(page)
    assert page.title_key == "users_title"
    assert page.table.rowCount() == 2
    assert not page.notice.isHidden() and not page.add_button.isEnabled()
    page.table.selectRow(0)
    assert not page.pin_button.isEnabled() and not page.toggle_button.isEnabled()


def test_an_admin_adds_a_user_resets_a_pin_changes_roles_and_disables(
        qtbot, staffed, messages, monkeypatch) -> None:
    staffed.db.login("lan", "1111")
    page = UsersPage(staffed)
    qtbot.addWidget(page)
    assert page.notice.isHidden() and page.add_button.isEnabled()

    def new_user(form: AddUserForm) -> None:
        form.name.setText("hoa")
        form.full_name.setText("Trần Hòa")
        form.role_boxes.boxes[Role.OPERATOR].setChecked(False)
        form.role_boxes.boxes[Role.APPROVER].setChecked(True)
        form.pin.setText("3333")
        form.pin_again.setText("3333")

    monkeypatch.setattr(AddUserForm, "exec", _accept_with(new_user))
    page.add_user()
    qtbot.waitUntil(lambda: page.table.rowCount() == 3, timeout=10_000)
    hoa = staffed.db.get_user("hoa")
    assert hoa.roles == frozenset({Role.APPROVER}) and hoa.full_name == "Trần Hòa"
    row = [u.name for u in page.users].index("hoa")
    assert page.table.item(row, 2).text() == "người duyệt phát"

    page.table.selectRow(row)
    monkeypatch.setattr(PinForm, "exec", _accept_with(
        lambda f: (f.pin.setText("4444"), f.pin_again.setText("4444"))))
    page.reset_pin()
    qtbot.waitUntil(page.isEnabled, timeout=10_000)
    monkeypatch.setattr(RolesForm, "exec", _accept_with(
        lambda f: f.role_boxes.boxes[Role.OPERATOR].setChecked(True)))
    page.change_roles()
    qtbot.waitUntil(page.isEnabled, timeout=10_000)
    assert staffed.db.get_user("hoa").roles == frozenset({Role.APPROVER, Role.OPERATOR})
    page.toggle_enabled()
    qtbot.waitUntil(lambda: not staffed.db.get_user("hoa").enabled, timeout=10_000)
    qtbot.waitUntil(page.isEnabled, timeout=10_000)
    assert page.toggle_button.text() == "&Kích hoạt lại"
    assert page.table.item(row, 3).text() == "đã vô hiệu hóa"

    # the last admin: refused with a message, nothing changed
    page.table.selectRow([u.name for u in page.users].index("lan"))
    page.toggle_enabled()
    qtbot.waitUntil(lambda: bool(messages), timeout=10_000)
    assert "quản trị cuối cùng" in messages[-1]
    assert staffed.db.get_user("lan").enabled
    actions = [e.action for e in staffed.db.audit_events()]
    for action in ("user_added", "user_pin_reset", "user_roles_changed", "user_disabled"):
        assert action in actions


def test_the_add_form_refuses_bad_input_in_place(qtbot) -> None:
    form = AddUserForm()
    qtbot.addWidget(form)
    form.name.setText("system")
    form.pin.setText("12")
    form._check()
    assert form.result() == 0 and "dành cho hệ thống" in form.error.text()
    form.name.setText("tam")
    form._check()
    assert "4–8 chữ số" in form.error.text()


def test_settings_changes_are_an_admins_and_recorded_with_passwords_masked(staffed) -> None:
    from dataclasses import replace

    from app.i18n import error_text
    from app.settings import load_settings
    from media.errors import LoaxaError

    new = replace(staffed.settings, grace_minutes=20,
                  centre_database_url="postgresql://xa:bímật@10.0.0.1/loaxa")
    staffed.db.login("minh", "2222")
    with pytest.raises(LoaxaError) as info:
        services.save_settings_audited(staffed, new)
    assert error_text(info.value) == ("Người dùng minh không được đổi cài đặt; việc này cần "
                                      "vai trò: admin.")
    assert load_settings(staffed.paths.settings_file).grace_minutes != 20
    staffed.db.login("lan", "1111")
    changed = services.save_settings_audited(staffed, new)
    assert load_settings(staffed.paths.settings_file).grace_minutes == 20
    [event] = [e for e in staffed.db.audit_events() if e.action == "settings_changed"]
    assert event.actor == "lan" and event.details == changed
    assert event.details["centre_database_url"][1] == "postgresql://xa:***@10.0.0.1/loaxa"
    assert "bímật" not in str(event.details)
