"""Dialogs of the Log view: the period (a month or a range of days) and the format of an
export or report, the centre's consolidated report (period, communes, format) and the
registration of a commune, Windows-proof default file names with the period, a file chooser
that remembers the last folder, the offer to open a written file or its folder, and a
progress dialog with a cancel button for work on the window's TaskRunner."""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QSettings, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.gui.dialogs import ok_cancel
from app.gui.tasks import Task, TaskRunner
from app.i18n import tr
from scheduler.logbook.records import CentreStation
from scheduler.reports.centre_records import CentreCommune

# Characters Windows refuses in file names, and its reserved device names.
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10)),
             *(f"LPT{n}" for n in range(1, 10))}
MAX_NAME = 150  # well inside Windows' 260-character paths, with a folder in front

# What each file kind is called (an i18n key) and the formats it can be written in.
FILE_KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "export": ("logview_file_export", ("xlsx", "csv", "pdf")),
    "report": ("logview_file_report", ("pdf", "xlsx")),
    "package": ("logview_file_package", ("jsonl",)),
    "centre_report": ("logview_file_centre_report", ("pdf", "xlsx", "csv")),
}
FILTER_KEYS = {"xlsx": "xlsx_files", "csv": "csv_files", "pdf": "pdf_files",
               "jsonl": "logview_package_files"}


def safe_file_name(name: str) -> str:
    """A name every Windows file system takes: NFC, no forbidden characters, no trailing
    dots or spaces, not a device name, not too long. Vietnamese letters are kept."""
    name = unicodedata.normalize("NFC", name)
    name = _FORBIDDEN.sub("-", name)
    name = re.sub(r"\s+", " ", name).strip().rstrip(". ")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    if stem.split(".")[0].upper() in _RESERVED:
        stem = "_" + stem
    stem = stem[:MAX_NAME].rstrip(". ") or "LoaXa"
    return f"{stem}.{ext}" if ext else stem


def period_label(first: date, last: date) -> str:
    """"2026-11" for a whole month, "2026" for a whole year, "2026-11-01" for one day,
    else the two days."""
    if first.day == 1 and last == date(first.year, first.month,
                                        calendar.monthrange(first.year, first.month)[1]):
        return f"{first.year:04d}-{first.month:02d}"
    if (first.month, first.day, last.month, last.day) == (1, 1, 12, 31) \
            and first.year == last.year:
        return f"{first.year:04d}"
    if first == last:
        return first.isoformat()
    return tr("logview_period_range", first=first.isoformat(), last=last.isoformat())


def default_file_name(kind: str, first: date, last: date, fmt: str) -> str:
    """E.g. "Nhật ký phát thanh 2026-11.xlsx"."""
    key, _ = FILE_KINDS[kind]
    return safe_file_name(f"{tr(key)} {period_label(first, last)}.{fmt}")


def with_extension(path: Path, fmt: str, allowed: tuple[str, ...]) -> Path:
    """``path`` as typed when it ends in one of ``allowed``, else with ``.fmt`` added."""
    if path.suffix.lower().lstrip(".") in allowed:
        return path
    return path.with_name(path.name + "." + fmt)


class FileChooser:
    """Save and open dialogs starting in the last folder used (kept in ``gui-state.ini`` in
    the settings folder), with the extension added when the operator typed none."""

    KEY = "log/last_folder"

    def __init__(self, state_file: Path, default_folder: Path) -> None:
        self.state = QSettings(str(state_file), QSettings.Format.IniFormat)
        self.default_folder = default_folder

    @property
    def folder(self) -> Path:
        saved = self.state.value(self.KEY, "", str)
        if saved and Path(saved).is_dir():
            return Path(saved)
        return self.default_folder

    def remember(self, path: Path) -> None:
        self.state.setValue(self.KEY, str(path.parent))
        self.state.sync()

    def save_path(self, parent: QWidget | None, title: str, name: str, fmt: str,
                  allowed: tuple[str, ...]) -> Path | None:
        filters = [tr(FILTER_KEYS[f]) for f in allowed]
        chosen, selected = QFileDialog.getSaveFileName(
            parent, title, str(self.folder / name), ";;".join(filters), tr(FILTER_KEYS[fmt]))
        if not chosen:
            return None
        if selected in filters:
            fmt = allowed[filters.index(selected)]
        path = with_extension(Path(chosen), fmt, allowed)
        self.remember(path)
        return path

    def open_paths(self, parent: QWidget | None, title: str, fmt: str) -> list[Path]:
        """Several files to open (the centre's import); [] when the operator cancels."""
        name_filter = ";;".join((tr(FILTER_KEYS[fmt]), tr("logview_all_files")))
        chosen, _ = QFileDialog.getOpenFileNames(parent, title, str(self.folder), name_filter)
        paths = [Path(name) for name in chosen]
        if paths:
            self.remember(paths[0])
        return paths

    def open_path(self, parent: QWidget | None, title: str, fmt: str) -> Path | None:
        name_filter = ";;".join((tr(FILTER_KEYS[fmt]), tr("logview_all_files")))
        chosen, _ = QFileDialog.getOpenFileName(parent, title, str(self.folder), name_filter)
        if not chosen:
            return None
        path = Path(chosen)
        self.remember(path)
        return path


class PeriodDialog(QDialog):
    """A month (the usual case: the monthly report) or a range of days, in Vietnam time, and
    the format when the kind has several."""

    def __init__(self, title: str, today: date, formats: tuple[str, ...] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.by_month = QRadioButton(tr("logview_by_month"))
        self.by_range = QRadioButton(tr("logview_by_range"))
        group = QButtonGroup(self)
        group.addButton(self.by_month)
        group.addButton(self.by_range)
        self.by_month.setChecked(True)
        # The month just ended is what is reported at the start of a month.
        previous = date(today.year, today.month, 1).toordinal() - 1
        start = date.fromordinal(previous).replace(day=1) if today.day <= 7 else \
            date(today.year, today.month, 1)
        self.month = QDateEdit(QDate(start.year, start.month, 1))
        self.month.setDisplayFormat("MM/yyyy")
        self.first = QDateEdit(QDate(today.year, today.month, 1))
        self.last = QDateEdit(QDate(today.year, today.month, today.day))
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
        self.format_box = QComboBox()
        for fmt in formats:
            self.format_box.addItem(tr(FILTER_KEYS[fmt]), fmt)
        form = QFormLayout()
        form.addRow(self.by_month, self.month)
        form.addRow(self.by_range)
        form.addRow(tr("lbl_from"), self.first)
        form.addRow(tr("lbl_to"), self.last)
        if formats:
            form.addRow(tr("logview_format"), self.format_box)
        self.by_month.toggled.connect(self._modes)
        self._modes()
        box = ok_cancel(self)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(box)

    def _modes(self) -> None:
        monthly = self.by_month.isChecked()
        self.month.setEnabled(monthly)
        self.first.setEnabled(not monthly)
        self.last.setEnabled(not monthly)

    def dates(self) -> tuple[date, date]:
        if self.by_month.isChecked():
            chosen = self.month.date().toPython()
            last_day = calendar.monthrange(chosen.year, chosen.month)[1]
            return date(chosen.year, chosen.month, 1), date(chosen.year, chosen.month,
                                                            last_day)
        return self.first.date().toPython(), self.last.date().toPython()

    def fmt(self) -> str | None:
        return self.format_box.currentData()

    def accept(self) -> None:
        first, last = self.dates()
        if last < first:
            QMessageBox.warning(self, tr("error"), tr(
                "bad_range", start=first.strftime("%d/%m/%Y"), end=last.strftime("%d/%m/%Y")))
            return
        super().accept()


def commune_label(commune: CentreCommune) -> str:
    code = commune.admin_code or tr("logview_centre_no_code")
    return f"{commune.name} ({code})"


class CentreReportDialog(PeriodDialog):
    """The centre's consolidated report: the period, the communes (every registered one
    ticked; Space ticks or clears the current one) and the format."""

    def __init__(self, title: str, today: date, communes: Sequence[CentreCommune],
                 parent: QWidget | None = None) -> None:
        super().__init__(title, today, FILE_KINDS["centre_report"][1], parent)
        self.commune_list = QListWidget()
        for commune in communes:
            item = QListWidgetItem(commune_label(commune))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            # What select_communes() takes: the code, or a station id when there is none.
            item.setData(Qt.ItemDataRole.UserRole,
                         commune.admin_code or commune.station_ids[0])
            item.setToolTip(", ".join(commune.station_ids))
            self.commune_list.addItem(item)
        self.commune_list.setCurrentRow(0)
        all_button = QPushButton(tr("logview_centre_all"))
        none_button = QPushButton(tr("logview_centre_none_checked"))
        all_button.clicked.connect(lambda: self._check_all(Qt.CheckState.Checked))
        none_button.clicked.connect(lambda: self._check_all(Qt.CheckState.Unchecked))
        buttons = QHBoxLayout()
        buttons.addWidget(all_button)
        buttons.addWidget(none_button)
        buttons.addStretch(1)
        group = QGroupBox(tr("logview_centre_communes"))
        inner = QVBoxLayout(group)
        inner.addWidget(self.commune_list)
        inner.addLayout(buttons)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(1, group, 1)

    def _items(self) -> list[QListWidgetItem]:
        return [self.commune_list.item(row) for row in range(self.commune_list.count())]

    def _check_all(self, state: Qt.CheckState) -> None:
        for item in self._items():
            item.setCheckState(state)

    def communes(self) -> tuple[str, ...]:
        """The communes ticked (codes or station ids); () when every one is."""
        ticked = [item.data(Qt.ItemDataRole.UserRole) for item in self._items()
                  if item.checkState() == Qt.CheckState.Checked]
        return () if len(ticked) == self.commune_list.count() else tuple(ticked)

    def accept(self) -> None:
        if not any(item.checkState() == Qt.CheckState.Checked for item in self._items()):
            QMessageBox.warning(self, tr("error"), tr("logview_centre_pick_commune"))
            return
        super().accept()


CENTRE_LIST_COLUMNS = ("lbl_commune", "lbl_code", "logview_station_id",
                       "logview_centre_entries", "logview_centre_last_seq",
                       "logview_centre_contiguous", "lbl_station_fingerprint")


class CentreListDialog(QDialog):
    """The communes registered at the centre (``loaxa centre list``): what each has sent,
    its last sequence number and up to where its log is complete, and the fingerprint to
    compare with the commune's."""

    def __init__(self, stations: Sequence[CentreStation], parent: QWidget | None = None
                 ) -> None:
        from scheduler.logbook.chain import fingerprint

        super().__init__(parent)
        self.setWindowTitle(tr("logview_centre_list_title"))
        self.table = QTableWidget(len(stations), len(CENTRE_LIST_COLUMNS))
        self.table.setHorizontalHeaderLabels([tr(k).rstrip(":") for k in CENTRE_LIST_COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        for row, s in enumerate(stations):
            values = (s.commune_name, s.admin_code or "-", s.station_id, str(s.entry_count),
                      "-" if s.last_seq is None else str(s.last_seq), str(s.contiguous_seq),
                      fingerprint(s.public_key))
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column in (3, 4, 5):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.button(QDialogButtonBox.StandardButton.Close).setText(tr("logview_close"))
        box.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(box)

    def rows(self) -> list[list[str]]:
        return [[self.table.item(r, c).text() for c in range(self.table.columnCount())]
                for r in range(self.table.rowCount())]


class RegisterDialog(QDialog):
    """A commune to register at the centre: its public key typed or pasted, or one of its
    log packages chosen (the key is read from the package's header), with its name and
    administrative code."""

    def __init__(self, files: FileChooser, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("logview_centre_register_title"))
        self.files = files
        self.source = QLineEdit()
        self.source.setPlaceholderText(tr("logview_centre_key_hint"))
        self.source.setMinimumWidth(self.source.fontMetrics().horizontalAdvance("0" * 66))
        choose = QPushButton(tr("logview_centre_choose_package"))
        choose.clicked.connect(self._choose)
        source_row = QHBoxLayout()
        source_row.addWidget(self.source, 1)
        source_row.addWidget(choose)
        self.name = QLineEdit()
        self.code = QLineEdit()
        form = QFormLayout()
        form.addRow(tr("logview_centre_key"), source_row)
        form.addRow(tr("lbl_commune"), self.name)
        form.addRow(tr("lbl_code"), self.code)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(ok_cancel(self))

    def _choose(self) -> None:
        path = self.files.open_path(self, tr("logview_centre_register_title"), "jsonl")
        if path is not None:
            self.source.setText(str(path))

    def values(self) -> tuple[str, str, str]:
        """(key or package path, name, code)."""
        return self.source.text().strip(), self.name.text().strip(), self.code.text().strip()

    def accept(self) -> None:
        source, name, _code = self.values()
        if not source:
            QMessageBox.warning(self, tr("error"), tr("logview_centre_key_needed"))
            self.source.setFocus()
            return
        if not name:
            QMessageBox.warning(self, tr("error"), tr("logview_centre_name_needed"))
            self.name.setFocus()
            return
        super().accept()


def open_local(parent: QWidget | None, path: Path) -> bool:
    """Opens a file with its program (Excel, the PDF reader) or a folder in Explorer."""
    if QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        return True
    QMessageBox.warning(parent, tr("error"), tr("logview_open_failed", path=path))
    return False


def show_written(parent: QWidget, text: str, path: Path) -> QMessageBox:
    """Says a file was written and offers to open it or its folder. The box does not block
    (the window goes on; it closes with any of its buttons)."""
    box = QMessageBox(QMessageBox.Icon.Information, "LoaXa", text,
                      QMessageBox.StandardButton.NoButton, parent)
    open_file = box.addButton(tr("logview_open_file"), QMessageBox.ButtonRole.ActionRole)
    open_folder = box.addButton(tr("logview_open_folder"), QMessageBox.ButtonRole.ActionRole)
    close = box.addButton(tr("logview_close"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(close)  # Enter never starts Excel on a huge file by accident
    box.setEscapeButton(close)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def clicked(button: Any) -> None:
        if button is open_file:
            open_local(parent, path)
        elif button is open_folder:
            open_local(parent, path.parent)

    box.buttonClicked.connect(clicked)
    box.open()
    return box


def run_with_progress(parent: QWidget, runner: TaskRunner, label: str,
                      work: Callable[[Callable[[int, int], None], Callable[[], bool]], Any],
                      on_success: Callable[[Any], None],
                      on_failure: Callable[[str], None] | None = None,
                      count_label: str = "",
                      on_cancelled: Callable[[], None] | None = None) -> Task | None:
    """Runs ``work`` on the window's worker with a progress dialog and a cancel button.
    Progress with a total shows a bar; without one (exports count rows as they go) the
    count, with ``count_label`` (an i18n key taking ``n``). Cancel asks the work to stop
    (``work`` sees it through its ``should_stop`` and raises ``Cancelled``); then
    ``on_cancelled`` runs, or "Cancelled." is shown."""
    if runner.busy():
        QMessageBox.information(parent, "LoaXa", tr("work_busy"))
        return None
    dialog = QProgressDialog(label, tr("btn_cancel"), 0, 0, parent)
    dialog.setWindowTitle("LoaXa")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(400)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    task = Task(work)
    dialog.canceled.connect(task.cancel)

    def progress(done: int, total: int) -> None:
        if total > 0:
            dialog.setRange(0, total)
            dialog.setValue(min(done, total))
        elif count_label:
            dialog.setLabelText(f"{label}\n{tr(count_label, n=done)}")

    def close() -> None:
        dialog.canceled.disconnect(task.cancel)
        dialog.close()
        dialog.deleteLater()

    def succeeded(result: Any) -> None:
        close()
        on_success(result)

    def failed(message: str) -> None:
        close()
        if on_failure is not None:
            on_failure(message)
        else:
            QMessageBox.warning(parent, tr("error"), message)

    def cancelled() -> None:
        close()
        if on_cancelled is not None:
            on_cancelled()
        else:
            QMessageBox.information(parent, "LoaXa", tr("cancelled"))

    task.signals.progress.connect(progress)
    task.signals.succeeded.connect(succeeded)
    task.signals.failed.connect(failed)
    task.signals.cancelled.connect(cancelled)
    return runner.start(task)
