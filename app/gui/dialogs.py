"""The window's dialogs: add a bulletin, schedule a session, export the log, station."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, QDateTime, Qt, QTimeZone
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import error_text, tr
from media.errors import LoaxaError
from media.textio import check_bulletin_text, read_text_file
from scheduler.records import Bulletin, Level, Station
from scheduler.timeutil import LOCAL_TZ

VN_ZONE = QTimeZone(b"Asia/Ho_Chi_Minh")


def _buttons(dialog: QDialog) -> QDialogButtonBox:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                           | QDialogButtonBox.StandardButton.Cancel)
    # Qt ships no Vietnamese catalogue for its own buttons: word them here.
    box.button(QDialogButtonBox.StandardButton.Ok).setText(tr("btn_ok"))
    box.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("btn_cancel"))
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


class BulletinDialog(QDialog):
    """Title, level and text, typed or pasted, or loaded from a file (UTF-8/UTF-16)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("dlg_bulletin_title"))
        self.resize(640, 480)
        self.source_name = ""
        self.title_edit = QLineEdit()
        self.title_edit.setMaxLength(300)
        self.level_box = QComboBox()
        for level in Level:
            self.level_box.addItem(tr(f"level_{level.value}"), level.value)
        self.text_edit = QPlainTextEdit()
        open_button = QPushButton(tr("btn_open_file"))
        open_button.clicked.connect(self.open_file)
        form = QFormLayout()
        form.addRow(tr("lbl_title"), self.title_edit)
        form.addRow(tr("lbl_level"), self.level_box)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(tr("lbl_text")))
        layout.addWidget(self.text_edit, 1)
        layout.addWidget(open_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(_buttons(self))

    def open_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, tr("btn_open_file"), str(Path.home()),
                                              tr("text_files"))
        if name:
            self.load_file(Path(name))

    def load_file(self, path: Path) -> bool:
        try:
            text = read_text_file(path)
        except LoaxaError as exc:
            QMessageBox.warning(self, tr("error"), error_text(exc))
            return False
        self.text_edit.setPlainText(text)
        self.source_name = path.name
        if not self.title_edit.text().strip():
            self.title_edit.setText(text.splitlines()[0].strip()[:300])
        return True

    def accept(self) -> None:
        if not self.title_edit.text().strip():
            QMessageBox.warning(self, tr("error"), tr("need_title"))
            return
        try:
            check_bulletin_text(self.text_edit.toPlainText())
        except LoaxaError as exc:
            QMessageBox.warning(self, tr("error"), error_text(exc))
            return
        super().accept()

    def values(self) -> tuple[str, str, Level, str]:
        return (self.title_edit.text().strip(), self.text_edit.toPlainText().strip(),
                Level(self.level_box.currentData()), self.source_name)


class ScheduleDialog(QDialog):
    """A one-off session: a time (Vietnam time, to the second) and bulletins in order."""

    def __init__(self, bulletins: list[Bulletin], preselect: int | None,
                 now: datetime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("dlg_schedule_title"))
        self.resize(520, 420)
        start = (now + timedelta(minutes=1)).astimezone(LOCAL_TZ).replace(microsecond=0)
        self.when = QDateTimeEdit()
        self.when.setTimeZone(VN_ZONE)
        self.when.setDisplayFormat("dd/MM/yyyy HH:mm:ss")
        self.when.setCalendarPopup(True)
        self.when.setDateTime(QDateTime.fromSecsSinceEpoch(int(start.timestamp()), VN_ZONE))
        self.items = QListWidget()
        for b in bulletins:
            item = QListWidgetItem(f"{b.id} — {b.title}")
            item.setData(Qt.ItemDataRole.UserRole, b.id)
            item.setCheckState(Qt.CheckState.Checked if b.id == preselect
                               else Qt.CheckState.Unchecked)
            self.items.addItem(item)
        form = QFormLayout()
        form.addRow(tr("lbl_at"), self.when)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(tr("lbl_pick_bulletins")))
        layout.addWidget(self.items, 1)
        layout.addWidget(_buttons(self))

    def selected_ids(self) -> list[int]:
        return [self.items.item(n).data(Qt.ItemDataRole.UserRole)
                for n in range(self.items.count())
                if self.items.item(n).checkState() == Qt.CheckState.Checked]

    def scheduled_at(self) -> datetime:
        return datetime.fromtimestamp(self.when.dateTime().toSecsSinceEpoch(), UTC)

    def accept(self) -> None:
        if not self.selected_ids():
            QMessageBox.warning(self, tr("error"), tr("session_empty"))
            return
        super().accept()


class ExportDialog(QDialog):
    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("dlg_export_title"))
        self.first = QDateEdit(QDate(today.year, today.month, 1))
        self.last = QDateEdit(QDate(today.year, today.month, today.day))
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
        form = QFormLayout(self)
        form.addRow(tr("lbl_from"), self.first)
        form.addRow(tr("lbl_to"), self.last)
        form.addRow(_buttons(self))

    def accept(self) -> None:
        if self.last.date() < self.first.date():
            QMessageBox.warning(self, tr("error"), tr(
                "bad_range", start=self.first.date().toString("dd/MM/yyyy"),
                end=self.last.date().toString("dd/MM/yyyy")))
            return
        super().accept()

    def dates(self) -> tuple[date, date]:
        return self.first.date().toPython(), self.last.date().toPython()


class StationDialog(QDialog):
    def __init__(self, station: Station, parent: QWidget | None = None,
                 fingerprint: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("dlg_station_title"))
        self.resize(560, 0)
        self.commune = QLineEdit(station.commune_name)
        self.code = QLineEdit(station.admin_code)
        self.centre = QLineEdit(station.centre_name)
        # The signing key's fingerprint, read to the centre so it can register the commune.
        self.fingerprint = QLineEdit(fingerprint)
        self.fingerprint.setReadOnly(True)
        # Read aloud to the centre: all of it visible, at any scaling.
        self.fingerprint.setMinimumWidth(
            self.fingerprint.fontMetrics().horizontalAdvance(fingerprint + "MM"))
        form = QFormLayout(self)
        form.addRow(tr("lbl_commune"), self.commune)
        form.addRow(tr("lbl_code"), self.code)
        form.addRow(tr("lbl_centre"), self.centre)
        form.addRow(tr("lbl_station_fingerprint"), self.fingerprint)
        form.addRow(_buttons(self))

    def values(self) -> dict[str, str]:
        return {"commune_name": self.commune.text(), "admin_code": self.code.text(),
                "centre_name": self.centre.text()}
