"""The users of the station (for the settings view): list, add, reset a PIN, change roles,
disable and enable. Only an admin changes anything (the database refuses anybody else too);
the last active admin cannot be disabled or lose the admin role.

Follows the view contract of ``app/gui/views``: ``UsersPage(ctx, runner=None, parent=None)``,
``title_key`` and ``reload()``. PIN hashing (~0.2 s) runs on the runner's worker thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import services
from app.cli_people import user_state
from app.gui.dialogs import ok_cancel
from app.gui.login import error_label, pin_edit
from app.gui.session_guard import gate, permissions, save_setting
from app.gui.tasks import Task, TaskRunner
from app.i18n import error_text, tr
from app.settings import IDLE_LOGOUT_MAX
from media.errors import LoaxaError
from scheduler.people import Role, check_pin, user_name_ok
from scheduler.persistence.people_db import User
from scheduler.timeutil import format_shown


def _role_words(roles: frozenset[Role]) -> str:
    return ", ".join(tr(f"role_{r.value}") for r in Role if r in roles)


class _Form(QDialog):
    """A small form with OK/Cancel whose input is checked before it closes."""

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.error = error_label()
        buttons = ok_cancel(self, self._check)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 48)

    def row(self, key: str, widget: QWidget) -> None:
        label = QLabel(tr(key))
        label.setBuddy(widget)
        self.form.addRow(label, widget)

    def validate(self) -> None:
        """Raises LoaxaError on bad input (shown in the form)."""

    def _check(self) -> None:
        try:
            self.validate()
        except LoaxaError as exc:
            self.error.setText(error_text(exc))
            self.error.show()
            self.adjustSize()
            return
        self.accept()


class _RoleBoxes:
    def __init__(self, form: _Form, roles: frozenset[Role] = frozenset()) -> None:
        self.boxes = {}
        for role in Role:
            box = QCheckBox(tr(f"role_{role.value}"))
            box.setChecked(role in roles)
            form.form.addRow(box)
            self.boxes[role] = box

    def roles(self) -> list[str]:
        return [role.value for role, box in self.boxes.items() if box.isChecked()]


class PinForm(_Form):
    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(tr("users_pin_title", name=name), parent)
        self.pin, self.pin_again = pin_edit(), pin_edit()
        self.row("login_pin", self.pin)
        self.row("first_run_pin_again", self.pin_again)

    def validate(self) -> None:
        check_pin(self.pin.text())
        if self.pin.text() != self.pin_again.text():
            raise LoaxaError("pin_mismatch")


class AddUserForm(PinForm):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.setWindowTitle(tr("users_add_title"))
        self.name, self.full_name = QLineEdit(), QLineEdit()
        self.name.setMaxLength(40)
        self.full_name.setMaxLength(200)
        self.form.insertRow(0, tr("login_user"), self.name)
        self.form.insertRow(1, tr("first_run_full_name"), self.full_name)
        self.role_boxes = _RoleBoxes(self, frozenset({Role.OPERATOR}))

    def validate(self) -> None:
        user_name_ok(self.name.text())
        if not self.role_boxes.roles():
            raise LoaxaError("user_no_role")
        super().validate()


class RolesForm(_Form):
    def __init__(self, user: User, parent: QWidget | None = None) -> None:
        super().__init__(tr("users_roles_title", name=user.name), parent)
        self.role_boxes = _RoleBoxes(self, user.roles)

    def validate(self) -> None:
        if not self.role_boxes.roles():
            raise LoaxaError("user_no_role")


class UsersPage(QWidget):
    title_key = "users_title"
    COLUMNS = ("users_col_name", "users_col_full_name", "users_col_roles", "users_col_state",
               "users_col_last_login")

    def __init__(self, ctx: services.AppContext, runner: TaskRunner | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.runner = runner or TaskRunner(self)
        self.users: list[User] = []
        self.notice = QLabel(tr("users_admin_only"))
        self.notice.setWordWrap(True)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels([tr(key) for key in self.COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.add_button = QPushButton(tr("users_add"))
        self.pin_button = QPushButton(tr("users_reset_pin"))
        self.roles_button = QPushButton(tr("users_roles"))
        self.toggle_button = QPushButton(tr("users_disable"))
        self.add_button.clicked.connect(self.add_user)
        self.pin_button.clicked.connect(self.reset_pin)
        self.roles_button.clicked.connect(self.change_roles)
        self.toggle_button.clicked.connect(self.toggle_enabled)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.pin_button, self.roles_button,
                       self.toggle_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.notice)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addLayout(self._build_idle())
        self.reload()

    def _build_idle(self) -> QFormLayout:
        """The idle sign-out time (``Settings.idle_logout_minutes``), an admin's setting."""
        self.idle_minutes = QSpinBox()
        self.idle_minutes.setRange(0, IDLE_LOGOUT_MAX)
        self.idle_minutes.setValue(self.ctx.settings.idle_logout_minutes)
        self.idle_save_button = QPushButton(tr("users_idle_save"))
        self.idle_save_button.clicked.connect(self.save_idle)
        self.idle_result = QLabel()
        row = QHBoxLayout()
        row.addWidget(self.idle_minutes)
        row.addWidget(self.idle_save_button)
        row.addWidget(self.idle_result, 1)
        note = QLabel(tr("users_idle_note"))
        note.setWordWrap(True)
        form = QFormLayout()
        label = QLabel(tr("users_idle_label"))
        label.setBuddy(self.idle_minutes)
        form.addRow(label, row)
        form.addRow(note)
        return form

    def save_idle(self) -> bool:
        minutes = self.idle_minutes.value()
        if not save_setting(self.ctx, self, idle_logout_minutes=minutes):
            return False
        self.idle_result.setText(tr("users_idle_saved", minutes=minutes) if minutes
                                 else tr("users_idle_never"))
        return True

    # -- state ---------------------------------------------------------------------------
    def is_admin(self) -> bool:
        actor = services.current_user(self.ctx)
        return actor.has(Role.ADMIN) if actor.is_user else services.needs_first_admin(self.ctx)

    def selected(self) -> User | None:
        rows = self.table.selectionModel().selectedRows()
        return self.users[rows[0].row()] if rows else None

    def reload(self) -> None:
        chosen = self.selected()
        self.users = self.ctx.db.list_users()
        self.table.setRowCount(len(self.users))
        for row, user in enumerate(self.users):
            last = format_shown(user.last_login_at, seconds=False) if user.last_login_at \
                else "—"
            for col, text in enumerate((user.name, user.full_name, _role_words(user.roles),
                                        user_state(user), last)):
                self.table.setItem(row, col, QTableWidgetItem(text))
            if chosen is not None and user.id == chosen.id:
                self.table.selectRow(row)
        self.notice.setVisible(not self.is_admin())
        self._update_buttons()

    def _update_buttons(self) -> None:
        user = self.selected()
        perms = permissions(self.ctx)
        gate(self.add_button, perms.reason("user_added"))
        for button in (self.pin_button, self.roles_button, self.toggle_button):
            gate(button, perms.reason("user_roles_changed"), enabled=user is not None)
        gate(self.idle_minutes, perms.reason("settings_changed"))
        gate(self.idle_save_button, perms.reason("settings_changed"))
        if not self.idle_minutes.hasFocus():
            self.idle_minutes.setValue(self.ctx.settings.idle_logout_minutes)
        self.toggle_button.setText(tr("users_enable") if user is not None
                                   and not user.enabled else tr("users_disable"))

    # -- actions ---------------------------------------------------------------------------
    def _do(self, work: Callable[[], Any]) -> Task:
        """Runs a change on the worker thread; the list reloads after it, an error is
        shown in a message box."""
        self.setEnabled(False)
        task = Task(lambda _progress, _stop: work())
        task.signals.succeeded.connect(lambda _r: self._done(None))
        task.signals.failed.connect(self._done)
        return self.runner.start(task)

    def _done(self, error: str | None) -> None:
        self.setEnabled(True)
        if error:
            QMessageBox.warning(self, tr("error"), error)
        self.reload()

    def add_user(self) -> Task | None:
        form = AddUserForm(self)
        if form.exec() != QDialog.DialogCode.Accepted:
            return None
        name, pin, full_name = form.name.text(), form.pin.text(), form.full_name.text()
        roles = form.role_boxes.roles()
        return self._do(lambda: self.ctx.db.add_user(name, pin, roles, full_name=full_name))

    def reset_pin(self) -> Task | None:
        user = self.selected()
        if user is None:
            return None
        form = PinForm(user.name, self)
        if form.exec() != QDialog.DialogCode.Accepted:
            return None
        pin = form.pin.text()
        return self._do(lambda: self.ctx.db.set_user_pin(user.name, pin))

    def change_roles(self) -> Task | None:
        user = self.selected()
        if user is None:
            return None
        form = RolesForm(user, self)
        if form.exec() != QDialog.DialogCode.Accepted:
            return None
        roles = form.role_boxes.roles()
        return self._do(lambda: self.ctx.db.set_user_roles(user.name, roles))

    def toggle_enabled(self) -> Task | None:
        user = self.selected()
        if user is None:
            return None
        return self._do(lambda: self.ctx.db.set_user_enabled(user.name, not user.enabled))
