"""The Settings view's *Bulletin categories* section: the policy areas of the commune's
communication plan, which the Bulletins view offers in its filter and its editor.

An admin adds, renames, removes and reorders them; each change is saved at once
(``app.categories``: ``categories.txt`` in the settings folder, written atomically, audited),
like the Users section, so Apply/Revert leave it alone. Each entry shows how many bulletins
carry it: renaming one in use offers to carry those bulletins along, removing one in use
asks first (the bulletins keep their category). Others see the list, read-only, with a note.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import categories as cat
from app import services
from app.i18n import error_text, tr
from app.lexicon import load_categories
from media.errors import LoaxaError
from scheduler.people import Role

NAME = Qt.ItemDataRole.UserRole


class CategoriesPage(QWidget):
    title_key = "settings_categories"
    changed = Signal()  # after the list was saved (the window's Bulletins view reads it again)

    def __init__(self, ctx: services.AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.names: list[str] = []
        self.usage: dict[str, int] = {}
        self.notice = QLabel(tr("cat_admin_only"))
        self.notice.setWordWrap(True)
        intro = QLabel(tr("cat_intro"))
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName(tr("settings_categories"))
        self.list.currentRowChanged.connect(lambda _row: self._update_buttons())
        self.list.itemDoubleClicked.connect(lambda _item: self.rename_selected())
        self.add_button = QPushButton(tr("cat_add"))
        self.rename_button = QPushButton(tr("cat_rename"))
        self.remove_button = QPushButton(tr("cat_remove"))
        self.up_button = QPushButton(tr("cat_up"))
        self.down_button = QPushButton(tr("cat_down"))
        self.add_button.clicked.connect(self.add)
        self.rename_button.clicked.connect(self.rename_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        self.result = QLabel()
        self.result.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.rename_button, self.remove_button,
                       self.up_button, self.down_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.notice)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.result)
        self.reload()

    # -- state ---------------------------------------------------------------------------
    def is_admin(self) -> bool:
        """The same gate as the Users section: an admin, or anybody while the station has
        no users yet (single-user setup)."""
        actor = services.current_user(self.ctx)
        return actor.has(Role.ADMIN) if actor.is_user else services.needs_first_admin(self.ctx)

    def selected(self) -> str | None:
        item = self.list.currentItem()
        return str(item.data(NAME)) if item is not None else None

    def reload(self) -> None:
        chosen = self.selected()
        try:
            self.names = load_categories(self.ctx.paths)
            self.usage = self.ctx.db.bulletin_category_counts()
        except LoaxaError as exc:
            self.result.setText(error_text(exc))
            self.names, self.usage = [], {}
        self.list.clear()
        for name in self.names:
            used = self.usage.get(name, 0)
            item = QListWidgetItem(tr("cat_entry_used", name=name, n=used) if used else name)
            item.setData(NAME, name)
            self.list.addItem(item)
        if chosen in self.names:
            self.list.setCurrentRow(self.names.index(chosen))
        self.notice.setVisible(not self.is_admin())
        self._update_buttons()

    def _update_buttons(self) -> None:
        admin = self.is_admin()
        row = self.list.currentRow()
        chosen = 0 <= row < len(self.names)
        self.add_button.setEnabled(admin)
        self.rename_button.setEnabled(admin and chosen)
        self.remove_button.setEnabled(admin and chosen)
        self.up_button.setEnabled(admin and chosen and row > 0)
        self.down_button.setEnabled(admin and chosen and row < len(self.names) - 1)

    def select(self, name: str) -> None:
        if name in self.names:
            self.list.setCurrentRow(self.names.index(name))

    # -- actions ---------------------------------------------------------------------------
    def _do(self, change: Callable[[], Any], done: str, select: str | None) -> bool:
        """Saves a change; the list is read again, a refusal is shown (nothing changed)."""
        try:
            change()
        except LoaxaError as exc:
            QMessageBox.warning(self, tr("error"), error_text(exc))
            self.reload()
            return False
        self.reload()
        if select is not None:
            self.select(select)
        self.result.setText(done)
        self.changed.emit()
        return True

    def _ask_name(self, title: str, text: str = "", replacing: str | None = None
                  ) -> str | None:
        """A valid name typed (cleaned), or None when cancelled; a refused one is said and
        asked again, with what was typed kept."""
        while True:
            name, ok = QInputDialog.getText(self, title, tr("cat_name_label",
                                                            limit=cat.MAX_CATEGORY_CHARS),
                                            QLineEdit.EchoMode.Normal, text)
            if not ok:
                return None
            try:
                return cat.check_name(name, self.names, replacing=replacing)
            except LoaxaError as exc:
                QMessageBox.warning(self, tr("error"), error_text(exc))
                text = name

    def add(self) -> bool:
        if not self.is_admin():
            return False
        name = self._ask_name(tr("cat_add_title"))
        if name is None:
            return False
        return self._do(lambda: cat.add_category(self.ctx, name), tr("cat_added", name=name),
                        name)

    def rename_selected(self) -> bool:
        old = self.selected()
        if old is None or not self.is_admin():
            return False
        new = self._ask_name(tr("cat_rename_title", name=old), old, replacing=old)
        if new is None or new == old:
            return False
        used = self.usage.get(old, 0)
        carry = False
        if used:
            answer = QMessageBox.question(
                self, "LoaXa", tr("cat_rename_used", old=old, new=new, n=used),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
                | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Yes)
            if answer not in (QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No):
                return False
            carry = answer == QMessageBox.StandardButton.Yes
        moved: list[int] = []
        done = self._do(lambda: moved.append(
            cat.rename_category(self.ctx, old, new, bulletins=carry)), "", new)
        if done:
            self.result.setText(tr("cat_renamed_bulletins", old=old, new=new, n=moved[0])
                                if carry else tr("cat_renamed", old=old, new=new))
        return done

    def remove_selected(self) -> bool:
        name = self.selected()
        if name is None or not self.is_admin():
            return False
        used = self.usage.get(name, 0)
        question = tr("cat_remove_used", name=name, n=used) if used else \
            tr("cat_remove_question", name=name)
        answer = QMessageBox.question(self, "LoaXa", question,
                                      QMessageBox.StandardButton.Yes
                                      | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return False
        return self._do(lambda: cat.remove_category(self.ctx, name),
                        tr("cat_removed", name=name), None)

    def move_selected(self, step: int) -> bool:
        name = self.selected()
        if name is None or not self.is_admin() \
                or not 0 <= self.names.index(name) + step < len(self.names):
            return False
        return self._do(lambda: cat.move_category(self.ctx, name, step),
                        tr("cat_moved", name=name), name)


__all__ = ["CategoriesPage"]
