"""The station dialog: commune, administrative code, reporting centre, key fingerprint."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimeZone
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QWidget,
)

from app.i18n import tr
from scheduler.records import Station

VN_ZONE = QTimeZone(b"Asia/Ho_Chi_Minh")


def ok_cancel(dialog: QDialog, accept: Callable[[], object] | None = None,
              ok_key: str = "btn_ok") -> QDialogButtonBox:
    """The OK / Cancel buttons of every LoaXa dialog, worded by LoaXa (``ok_key``); OK calls
    ``accept`` (default: the dialog's own), Cancel rejects."""
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                           | QDialogButtonBox.StandardButton.Cancel)
    box.button(QDialogButtonBox.StandardButton.Ok).setText(tr(ok_key))
    box.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("btn_cancel"))
    box.accepted.connect(accept or dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


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
        form.addRow(ok_cancel(self))

    def values(self) -> dict[str, str]:
        return {"commune_name": self.commune.text(), "admin_code": self.code.text(),
                "centre_name": self.centre.text()}
