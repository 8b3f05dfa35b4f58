"""Who is working: the login dialog, the first-run dialog that creates the first admin, and
:func:`ensure_login`, which the window calls once at start.

The PIN check is slow on purpose (scrypt, ~0.1–0.25 s), so it runs on a worker thread and
the dialog stays responsive. After a login, ``ctx.db.actor`` is the user: every change made
through ``ctx`` is checked against the user's roles and recorded in the audit trail with
that name (scheduler/persistence/people_db.py).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import services
from app.gui.tasks import Task, TaskRunner
from app.i18n import error_text, tr
from media.errors import LoaxaError
from scheduler.people import Role, check_pin, user_name_ok


def pin_edit() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMaxLength(128)
    return edit


def error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet("color: #b00020;")
    label.hide()
    return label


class _SlowWork(QDialog):
    """A dialog whose OK runs slow work (PIN hashing) on a worker thread."""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.runner = TaskRunner(self)
        self.error = error_label()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("btn_cancel"))
        self.buttons.accepted.connect(lambda: self.submit())  # each dialog's own
        self.buttons.rejected.connect(self.reject)
        # wide enough for the messages at any scaling (in characters, not pixels)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 56)

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
        self.ok_button.setEnabled(True)
        self.adjustSize()  # room for the message

    def run(self, work: Callable[[], object]) -> None:
        self.error.hide()
        self.ok_button.setEnabled(False)
        task = Task(lambda _progress, _stop: work())
        task.signals.succeeded.connect(lambda _result: self.accept())
        task.signals.failed.connect(self.failed)
        self.runner.start(task)

    def failed(self, text: str) -> None:
        self.show_error(text)

    def done(self, result: int) -> None:
        self.runner.wait(30_000)  # never leave a PIN check running behind a closed dialog
        super().done(result)


class LoginDialog(_SlowWork):
    """User name and PIN. Wrong PINs are counted in the database; after five in a row the
    account is locked for a while and the message says until when (Vietnam time)."""

    def __init__(self, ctx: services.AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(tr("login_title"))
        self.user_box = QComboBox()
        self.user_box.setEditable(True)
        for user in ctx.db.list_users():
            if user.enabled:
                self.user_box.addItem(user.name)
        self.pin = pin_edit()
        form = QFormLayout()
        user_label, pin_label = QLabel(tr("login_user")), QLabel(tr("login_pin"))
        user_label.setBuddy(self.user_box)
        pin_label.setBuddy(self.pin)
        form.addRow(user_label, self.user_box)
        form.addRow(pin_label, self.pin)
        self.ok_button.setText(tr("login_button"))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.pin.setFocus()

    def submit(self) -> None:
        name, pin = self.user_box.currentText().strip(), self.pin.text()
        self.pin.clear()
        self.run(lambda: services.login(self.ctx, name, pin))


class FirstAdminDialog(_SlowWork):
    """First run (no user yet): the first admin. Cancel keeps the station in single-user
    setup (everything allowed, recorded as "system") until an admin is created."""

    def __init__(self, ctx: services.AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(tr("first_run_title"))
        intro = QLabel(tr("first_run_text"))
        intro.setWordWrap(True)
        self.name = QLineEdit()
        self.name.setMaxLength(40)
        self.full_name = QLineEdit()
        self.full_name.setMaxLength(200)
        self.pin = pin_edit()
        self.pin_again = pin_edit()
        self.also_operator = QCheckBox(tr("role_operator"))
        self.also_approver = QCheckBox(tr("role_approver"))
        self.also_operator.setChecked(True)
        self.also_approver.setChecked(True)
        form = QFormLayout()
        for key, widget in (("login_user", self.name), ("first_run_full_name", self.full_name),
                            ("login_pin", self.pin), ("first_run_pin_again", self.pin_again)):
            label = QLabel(tr(key))
            label.setBuddy(widget)
            form.addRow(label, widget)
        form.addRow(self.also_operator)
        form.addRow(self.also_approver)
        self.ok_button.setText(tr("first_run_create"))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def roles(self) -> list[str]:
        roles = [Role.ADMIN.value]
        if self.also_operator.isChecked():
            roles.append(Role.OPERATOR.value)
        if self.also_approver.isChecked():
            roles.append(Role.APPROVER.value)
        return roles

    def submit(self) -> None:
        name, pin = self.name.text(), self.pin.text()
        try:
            user_name_ok(name)
            check_pin(pin)
            if pin != self.pin_again.text():
                raise LoaxaError("pin_mismatch")
        except LoaxaError as exc:
            self.show_error(error_text(exc))
            return
        full_name, roles = self.full_name.text(), self.roles()
        self.run(lambda: services.create_first_admin(self.ctx, name, pin, full_name, roles))


FIRST_RUN_MARKER = "first-run-asked"  # in the settings folder: the first-run dialog was shown


def ensure_login(ctx: services.AppContext, parent: QWidget | None = None, *,
                 ask_first_admin: bool = True) -> bool:
    """Call once at start, before the window: with users, the login dialog (False when it
    is cancelled: quit); with none, the first-run dialog (cancel = go on in single-user
    setup), unless ``ask_first_admin`` is False (it was asked once already: the first admin
    can be made later in Settings › Users). Afterwards ``services.current_user(ctx)`` says
    who is working."""
    if services.needs_first_admin(ctx):
        if ask_first_admin:
            FirstAdminDialog(ctx, parent).exec()
        return True
    return LoginDialog(ctx, parent).exec() == QDialog.DialogCode.Accepted


def switch_user(ctx: services.AppContext, parent: QWidget | None = None) -> bool:
    """Another person takes over (a menu entry): logs out, then the login dialog. When it
    is cancelled the previous user stays logged out (nothing can be changed until a login),
    unless the station has no users."""
    services.logout(ctx)
    return ensure_login(ctx, parent)
