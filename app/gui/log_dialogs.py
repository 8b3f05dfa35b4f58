"""Dialogs of the Log view: the period (a month or a range of days) and the format of an
export or report, Windows-proof default file names with the period, a file chooser that
remembers the last folder, and a progress dialog with a cancel button for work on the
window's TaskRunner."""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QSettings, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QMessageBox,
    QProgressDialog,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.gui.dialogs import ok_cancel
from app.gui.tasks import Task, TaskRunner
from app.i18n import tr

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


def run_with_progress(parent: QWidget, runner: TaskRunner, label: str,
                      work: Callable[[Callable[[int, int], None], Callable[[], bool]], Any],
                      on_success: Callable[[Any], None],
                      on_failure: Callable[[str], None] | None = None,
                      count_label: str = "") -> Task | None:
    """Runs ``work`` on the window's worker with a progress dialog and a cancel button.
    Progress with a total shows a bar; without one (exports count rows as they go) the
    count, with ``count_label`` (an i18n key taking ``n``)."""
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
        QMessageBox.information(parent, "LoaXa", tr("cancelled"))

    task.signals.progress.connect(progress)
    task.signals.succeeded.connect(succeeded)
    task.signals.failed.connect(failed)
    task.signals.cancelled.connect(cancelled)
    return runner.start(task)
