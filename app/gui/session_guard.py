"""Who is at the keyboard, kept honest while the window stays open for days.

- :class:`Permissions` and :func:`gate`: the views and the window enable an action only for
  the roles that may do it (``ACTION_ROLES`` of ``scheduler/persistence/people_db.py``, the
  same table the database enforces) and say why not in the tooltip and the status tip,
  instead of a silent grey.
- :class:`SessionGuard` (one per main window): the File menu's "change my PIN", "switch
  user" and "sign out", the signed-in user in the status bar, and the idle sign-out: after
  ``Settings.idle_logout_minutes`` without keyboard or mouse input anywhere in the
  application the user is signed out and the login dialog comes back over the window.
  Nothing else happens: playout is another process, work in progress (renders) goes on,
  open dialogs (a bulletin being edited) stay open with what was typed.
- :func:`ensure_signed_in`: an emergency needs somebody signed in once the station has
  users; the button asks for a login on the spot rather than being grey.

With no users at all (single-user setup) everything stays allowed, as before.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFormLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from app import services
from app.gui.login import LoginDialog, _SlowWork, pin_edit
from app.i18n import error_text, tr
from app.settings import Settings
from media.errors import LoaxaError
from scheduler.people import Actor, Role, check_pin
from scheduler.persistence.people_db import ACTION_ROLES

log = logging.getLogger(__name__)

_ANY = frozenset(Role)
_TIP = "loaxa_base_tip"  # a gated widget's own tooltip, kept in a dynamic property


def _role_words(roles: frozenset[Role]) -> str:
    return tr("gate_or").join(tr(f"role_{r.value}") for r in Role if r in roles)


@dataclass(frozen=True)
class Permissions:
    """What the person at the keyboard may do now (one look at the database)."""

    actor: Actor
    users: bool  # False: single-user setup, everything allowed

    def reason(self, action: str) -> str:
        """Why ``action`` is refused, or "" when it is allowed."""
        if not self.users:
            return ""
        roles = ACTION_ROLES.get(action, frozenset({Role.ADMIN}))
        if roles is None:
            return ""
        words = tr(f"action_{action}")
        if words == f"action_{action}":
            words = tr("gate_this")
        if not self.actor.is_user:
            return tr("gate_login_first", action=words)
        if self.actor.roles & roles or roles == _ANY:
            return ""
        return tr("gate_needs_role", action=words[:1].upper() + words[1:],
                  roles=_role_words(roles), user=self.actor.name)

    def may(self, action: str) -> bool:
        return not self.reason(action)


def permissions(ctx: services.AppContext) -> Permissions:
    try:
        users = not services.needs_first_admin(ctx)
    except LoaxaError:
        users = True  # the database does not answer: assume the strict case
    return Permissions(services.current_user(ctx), users)


def gate(target: QAction | QWidget, reason: str, *, enabled: bool = True,
         tip: str | None = None) -> None:
    """Enables ``target`` when ``enabled`` and nothing refuses it (``reason`` empty); its
    tooltip and status tip then say why it is off. ``tip``: the tooltip otherwise (default:
    the one it had when first gated)."""
    base = target.property(_TIP)
    if base is None or tip is not None:
        base = tip if tip is not None else target.toolTip()
        if isinstance(target, QAction) and base == target.text().replace("&", ""):
            base = ""  # Qt's default tooltip of an action is its text
        target.setProperty(_TIP, base)
    target.setEnabled(enabled and not reason)
    text = f"{base}\n{reason}" if base and reason else (reason or base)
    target.setToolTip(text)
    target.setStatusTip(reason)


def save_setting(ctx: services.AppContext, parent: QWidget | None, **values: object) -> bool:
    """Saves settings changed outside the Settings view (the Language menu, the idle
    sign-out): an admin's change once users exist, recorded in the audit trail. The
    settings object is updated in place (every holder sees it); on a refusal or a file that
    cannot be written a message says why and nothing changes."""
    settings = dataclasses.replace(ctx.settings, extra=dict(ctx.settings.extra), **values)
    held = ctx.settings
    try:
        services.save_settings_audited(ctx, settings)
    except LoaxaError as exc:
        QMessageBox.warning(parent, tr("error"), error_text(exc))
        return False
    except OSError as exc:
        QMessageBox.warning(parent, tr("error"), error_text(LoaxaError(
            "file_unwritable", path=str(ctx.paths.settings_file),
            reason=exc.strerror or str(exc))))
        return False
    finally:
        ctx.settings = held
    for item in dataclasses.fields(Settings):
        setattr(held, item.name, getattr(settings, item.name))
    return True


def login_prompt(ctx: services.AppContext, parent: QWidget | None, name: str = "") -> bool:
    """The login dialog, modal over ``parent`` (``name`` chosen, e.g. who was signed out);
    True after a login."""
    dialog = LoginDialog(ctx, parent)
    if name:
        dialog.user_box.setCurrentText(name)
    return dialog.exec() == QDialog.DialogCode.Accepted


def ensure_signed_in(ctx: services.AppContext, parent: QWidget | None = None) -> bool:
    """True when the station has no users or somebody is signed in; else asks for a login
    now (an emergency must not wait for somebody to find the menu)."""
    if permissions(ctx).may("emergency_triggered"):
        return True
    return login_prompt(ctx, parent)


def record_logout(ctx: services.AppContext, why: str) -> str:
    """Signs the current user out, with an audit event (who, and why: ``idle``, ``menu``,
    ``switch``, ``locked``). Returns the name (or "")."""
    actor = services.current_user(ctx)
    if not actor.is_user:
        return ""
    try:
        ctx.db.record_audit("logout", f"user:{actor.name}", {"why": why})
    except LoaxaError as exc:  # the trail is not reachable: still sign out
        log.warning("logout of %s not recorded: %s", actor.name, exc)
    services.logout(ctx)
    log.info("signed out (%s): %s", why, actor.name)
    return actor.name


class ChangePinDialog(_SlowWork):
    """The signed-in user's own PIN: the old one, the new one twice. The old PIN is checked
    (slowly, on a worker thread) with the lockout of a login."""

    def __init__(self, ctx: services.AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.name = services.current_user(ctx).name
        self.locked = False  # the old PIN was wrong once too often: the account is locked
        self.setWindowTitle(tr("own_pin_title", name=self.name))
        self.old_pin, self.new_pin, self.new_pin_again = pin_edit(), pin_edit(), pin_edit()
        form = QFormLayout()
        for key, widget in (("own_pin_old", self.old_pin), ("own_pin_new", self.new_pin),
                            ("own_pin_again", self.new_pin_again)):
            label = QLabel(tr(key))
            label.setBuddy(widget)
            form.addRow(label, widget)
        rules = QLabel(tr("own_pin_rules"))
        rules.setWordWrap(True)
        self.ok_button.setText(tr("own_pin_button"))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(rules)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.old_pin.setFocus()

    def submit(self) -> None:
        old, new = self.old_pin.text(), self.new_pin.text()
        try:
            check_pin(new)
            if new != self.new_pin_again.text():
                raise LoaxaError("pin_mismatch")
            if new == old:
                raise LoaxaError("pin_same")
        except LoaxaError as exc:
            self.show_error(error_text(exc))
            return
        self.old_pin.clear()
        ctx, name = self.ctx, self.name

        def work() -> None:
            try:
                ctx.db.set_user_pin(name, new, old_pin=old)
            except LoaxaError as exc:
                self.locked = exc.code == "user_locked"
                raise

        self.run(work)

    def failed(self, text: str) -> None:
        super().failed(text)
        if self.locked:
            self.ok_button.setEnabled(False)  # nothing more to try: the window signs out


_INPUT = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress,
                    QEvent.Type.MouseButtonDblClick, QEvent.Type.MouseMove,
                    QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate,
                    QEvent.Type.TabletPress, QEvent.Type.ShortcutOverride})


class SessionGuard(QObject):
    """The people side of the main window (see the module text). ``clock`` (seconds,
    monotonic) and ``prompt(parent) -> bool`` (the login) can be replaced in tests."""

    user_changed = Signal()
    CHECK_MS = 5000  # how often the idle time and the user state are looked at

    def __init__(self, window: QWidget, *, clock: Callable[[], float] = time.monotonic,
                 prompt: Callable[[QWidget | None], bool] | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.ctx: services.AppContext = window.ctx  # type: ignore[attr-defined]
        self.clock = clock
        self.last_user = ""  # who was signed out last: offered again at the login
        self.prompt = prompt or (lambda parent: login_prompt(self.ctx, parent,
                                                             self.last_user))
        self.last_input = clock()
        self._asking = False
        self._login_pending = False  # signed out while the window was in the tray
        self._state: Permissions | None = None

        self.act_change_pin = QAction(tr("act_change_pin"), window,
                                      triggered=lambda _=False: self.change_pin())
        self.act_switch_user = QAction(tr("act_switch_user"), window,
                                       triggered=lambda _=False: self.switch_user())
        self.act_logout = QAction(tr("act_logout"), window,
                                  triggered=lambda _=False: self.log_out())
        menu = getattr(window, "file_menu", None)
        quit_action = getattr(window, "act_quit", None)
        if menu is not None:
            menu.setToolTipsVisible(True)  # a disabled entry says why
            actions = (self.act_change_pin, self.act_switch_user, self.act_logout)
            if quit_action is not None:
                menu.insertActions(quit_action, list(actions))
                menu.insertSeparator(quit_action)
            else:
                menu.addActions(list(actions))
        self.user_label = QLabel()
        status = getattr(window, "statusBar", None)
        if status is not None:
            status().addPermanentWidget(self.user_label)

        self.timer = QTimer(self)
        self.timer.setInterval(self.CHECK_MS)
        self.timer.timeout.connect(self.check)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.refresh()
        self.timer.start()

    # -- input ----------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in _INPUT:
            self.last_input = self.clock()
        elif kind == QEvent.Type.Show and watched is self.window and self._login_pending:
            self._login_pending = False
            QTimer.singleShot(0, self.ask_login)
        return False

    def poke(self) -> None:
        """As if the user had just touched the keyboard (tests; after a login)."""
        self.last_input = self.clock()

    def idle_seconds(self) -> float:
        return self.clock() - self.last_input

    # -- the periodic look ------------------------------------------------------------------
    def check(self) -> None:
        """Every few seconds: the user state (another process may have added the first
        user), then the idle time."""
        before = self._state
        now = permissions(self.ctx)
        if now != before:
            self.refresh(now)
            if before is not None and not before.users and now.users \
                    and not now.actor.is_user:  # the first admin was made: sign in now
                self.ask_login()
                return
        minutes = self.ctx.settings.idle_logout_minutes
        if minutes > 0 and now.actor.is_user and not self._asking \
                and self.idle_seconds() >= minutes * 60:
            self.idle_logout(minutes)

    def idle_logout(self, minutes: int) -> None:
        name = self.last_user = record_logout(self.ctx, "idle")
        self._changed()
        note = tr("idle_signed_out", name=name, minutes=minutes)
        self._status(note)
        if self.window.isVisible():
            self.ask_login(note)
        else:
            self._login_pending = True  # asked when the window comes back from the tray

    # -- the menu ------------------------------------------------------------------------
    def ask_login(self, note: str = "") -> bool:
        """The login dialog over whatever is open (a bulletin editor keeps its text); True
        after a login. Cancelled: nobody is signed in, the window only shows."""
        if self._asking or services.needs_first_admin(self.ctx):
            return False
        self._asking = True
        try:
            parent = QApplication.activeModalWidget() or self.window
            ok = bool(self.prompt(parent))
        finally:
            self._asking = False
        self.poke()
        self._changed()
        if not ok:
            self._status(f"{note} {tr('signed_out_read_only')}".strip())
        return ok

    def switch_user(self) -> bool:
        record_logout(self.ctx, "switch")
        self._changed()
        return self.ask_login()

    def log_out(self) -> None:
        name = record_logout(self.ctx, "menu")
        self._changed()
        if name:
            self._status(tr("signed_out", name=name))

    def change_pin(self, dialog: ChangePinDialog | None = None) -> bool:
        """The own-PIN dialog; True when the PIN was changed. When the old PIN was wrong too
        often the account is locked: the user is signed out and the login comes back."""
        if not services.current_user(self.ctx).is_user:
            return False
        dialog = dialog or ChangePinDialog(self.ctx, self.window)
        changed = dialog.exec() == QDialog.DialogCode.Accepted
        if changed:
            self._status(tr("own_pin_done"))
        elif dialog.locked:
            self.last_user = record_logout(self.ctx, "locked")
            self._changed()
            self.ask_login()
        return changed

    # -- showing the state ---------------------------------------------------------------------
    def _status(self, text: str) -> None:
        status = getattr(self.window, "statusBar", None)
        if status is not None:
            status().showMessage(text, 15_000)

    def _changed(self) -> None:
        self.refresh()
        reload = getattr(self.window, "reload", None)
        if reload is not None:
            reload()
        self.user_changed.emit()

    def refresh(self, perms: Permissions | None = None) -> None:
        """The menu entries and the status bar for who is signed in now."""
        perms = perms or permissions(self.ctx)
        self._state = perms
        actor = perms.actor
        if not perms.users:  # single-user setup: nothing to say (and room for the rest)
            self.user_label.setText("")
        elif actor.is_user:
            roles = ", ".join(tr(f"role_{r.value}") for r in Role if r in actor.roles)
            self.user_label.setText(tr("user_label", name=actor.name))  # short: 150 %
            self.user_label.setToolTip(roles)
        else:
            self.user_label.setText(tr("user_label_signed_out"))
        self.user_label.setVisible(bool(self.user_label.text()))
        no_users = tr("gate_no_users") if not perms.users else ""
        signed_out = "" if actor.is_user else (no_users or tr("gate_login_first"))
        gate(self.act_change_pin, signed_out)
        gate(self.act_logout, signed_out)
        gate(self.act_switch_user, no_users)
        self.act_switch_user.setText(tr("act_switch_user") if actor.is_user
                                     else tr("act_login"))
        window = self.window
        for name, action in (("act_station", "station_changed"),
                             ("act_autostart", "settings_changed")):
            target = getattr(window, name, None)
            if target is not None:
                gate(target, perms.reason(action))
        for target in getattr(window, "language_actions", {}).values():
            gate(target, perms.reason("settings_changed"))

    def stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)


__all__ = ["ChangePinDialog", "Permissions", "SessionGuard", "ensure_signed_in", "gate",
           "login_prompt", "permissions", "record_logout", "save_setting"]
