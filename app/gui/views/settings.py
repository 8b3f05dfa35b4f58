"""The Settings view: sections on the left, the chosen one on the right, and Apply / Revert
below (``SettingsDialog`` wraps it with OK / Apply / Cancel). Nothing is written until every
value is valid; a bad value is named with its allowed range, its section is shown and the
field focused, and everything typed stays in place.

Where things live: ``settings.toml`` (``app.settings``) for the voice, loudness, output
device, amplifier, centre database and language; the database for the station's identity
and the quiet hours (the store ``loaxa station set`` and ``loaxa quiet-hours`` use).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import shlex
from collections.abc import Callable
from datetime import time
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.gui.background import Background
from app.gui.session_guard import gate, permissions
from app.gui.tasks import Task, TaskRunner
from app.i18n import error_text, tr
from app.services import AppContext, save_settings_audited
from app.settings import LANGUAGES, Settings
from media.errors import LoaxaError

log = logging.getLogger(__name__)

# Allowed ranges (the same bounds Settings.validate() clamps a hand-edited file to).
LUFS_RANGE = (-40.0, -6.0)
PEAK_RANGE = (-12.0, 0.0)
RATE_RANGE = (80, 450)
ESPEAK_VOICES = ("vi", "vi-vn-x-central", "vi-vn-x-south")
ENGINE_KEYS = {"espeak": "settings_engine_espeak", "gtts": "settings_engine_gtts",
               "sapi": "settings_engine_sapi"}
LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}


class Invalid(Exception):
    """A value the operator typed is refused: the message, and the field to focus."""

    def __init__(self, message: str, field: QWidget) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def parse_number(text: str) -> float:
    """A decimal typed the Vietnamese way ("-16,5") or the English way ("-16.5")."""
    cleaned = text.strip().replace(" ", "").replace("−", "-").replace(",", ".")
    return float(cleaned)


def parse_quiet_hours(text: str) -> list[tuple[time, time]]:
    """"22:00-05:00, 12:00-13:30" (commas, semicolons or new lines between windows)."""
    windows = []
    for part in text.replace(";", ",").replace("\n", ",").split(","):
        part = part.strip().replace("–", "-")
        if not part:
            continue
        begin, sep, end = part.partition("-")
        if not sep:
            raise LoaxaError("bad_time", value=part)
        windows.append((_clock(begin), _clock(end)))
    from scheduler.schedule import QuietHours

    QuietHours(tuple(windows))  # schedule_bad_quiet_hours when a window is empty
    return windows


def _clock(text: str) -> time:
    hours, sep, minutes = text.strip().partition(":")
    try:
        if not sep or len(minutes) != 2:
            raise ValueError
        return time(int(hours), int(minutes))
    except ValueError:
        raise LoaxaError("bad_time", value=text.strip()) from None


def format_quiet_hours(windows: list[tuple[time, time]]) -> str:
    return ", ".join(f"{a.strftime('%H:%M')}-{b.strftime('%H:%M')}" for a, b in windows)


def _form(widget: QWidget) -> QFormLayout:
    form = QFormLayout(widget)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    return form


def _note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: #5f6368;")
    return label


def _row(*widgets: QWidget) -> QWidget:
    box = QWidget()
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    for n, widget in enumerate(widgets):
        layout.addWidget(widget, 1 if n == 0 else 0)
    return box


class SettingsView(QWidget):
    title_key = "tab_settings"
    applied = Signal()  # after the settings were written (the window refreshes its labels)

    def __init__(self, ctx: AppContext, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.runner = runner
        self.background = Background(self)
        self.dirty = False
        self._filling = False
        self.sections = QListWidget()
        self.sections.setMaximumWidth(self.fontMetrics().horizontalAdvance("M") * 18)
        self.pages = QStackedWidget()
        self.sections.currentRowChanged.connect(self.pages.setCurrentIndex)

        self._build_station()
        self._build_voice()
        self._build_loudness()
        self._build_output()
        self._build_amplifier()
        self._build_quiet_hours()
        self._build_language()
        from app.gui.categories_page import CategoriesPage

        self.categories_page = CategoriesPage(ctx)  # saves itself, like the Users page
        self.add_section(tr("settings_categories"), self.categories_page)
        from app.gui.users_page import UsersPage

        self.users_page = UsersPage(ctx, runner)  # saves itself; Apply/Revert leave it alone
        self.add_section(tr("settings_users"), self.users_page)

        self.apply_button = QPushButton(tr("settings_apply"))
        self.revert_button = QPushButton(tr("settings_revert"))
        self.apply_button.clicked.connect(self.apply)
        self.revert_button.clicked.connect(self.revert)
        self.state_label = QLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(self.state_label, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.apply_button)
        body = QHBoxLayout()
        body.addWidget(self.sections)
        body.addWidget(self.pages, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addLayout(buttons)
        self.sections.setCurrentRow(0)
        self.revert()
        self.gate_actions()
        self.list_devices()

    def gate_actions(self) -> None:
        """Settings are an admin's once the station has users (the database refuses
        anybody else too): Apply, and the amplifier tests (they run the typed command), are
        off and say why (see app.gui.session_guard)."""
        reason = permissions(self.ctx).reason("settings_changed")
        for button in (self.apply_button, self.test_on_button, self.test_off_button):
            gate(button, reason)

    # -- sections -------------------------------------------------------------------------
    def add_section(self, title: str, widget: QWidget) -> int:
        """Adds a section (e.g. the Users page, ``app.gui.users_page``) and returns its
        index. The section's own widgets save themselves; Apply/Revert do not touch it."""
        self.pages.addWidget(widget)
        self.sections.addItem(title)
        return self.sections.count() - 1

    def section_titles(self) -> list[str]:
        return [self.sections.item(n).text() for n in range(self.sections.count())]

    def show_section(self, index: int) -> None:
        self.sections.setCurrentRow(index)

    def _section(self, title_key: str) -> tuple[QWidget, QFormLayout]:
        page = QWidget()
        form = _form(page)
        self.add_section(tr(title_key), page)
        return page, form

    def _watch(self, *widgets: QWidget) -> None:
        for widget in widgets:
            if isinstance(widget, QLineEdit):
                widget.textChanged.connect(self._changed)
            elif isinstance(widget, QComboBox):
                widget.currentIndexChanged.connect(self._changed)
                if widget.isEditable():
                    widget.editTextChanged.connect(self._changed)
            elif isinstance(widget, QSpinBox):
                widget.valueChanged.connect(self._changed)

    def _changed(self, *_args: Any) -> None:
        if not self._filling:
            self.dirty = True
            self.state_label.setText(tr("settings_unsaved"))

    def _build_station(self) -> None:
        self.station_page, form = self._section("settings_station")
        self.commune = QLineEdit()
        self.code = QLineEdit()
        self.code.setMaxLength(20)
        self.centre = QLineEdit()
        self.centre_url = QLineEdit()
        self.centre_url.setPlaceholderText("postgresql+psycopg://xa_…:…@máy-chủ:5432/loaxa")
        self.test_centre_button = QPushButton(tr("settings_test_connection"))
        self.test_centre_button.clicked.connect(self.test_centre)
        self.centre_result = QLabel()
        self.centre_result.setWordWrap(True)
        self.fingerprint = QLineEdit()
        self.fingerprint.setReadOnly(True)
        self.copy_button = QPushButton(tr("settings_copy"))
        self.copy_button.clicked.connect(self.copy_fingerprint)
        form.addRow(tr("lbl_commune"), self.commune)
        form.addRow(tr("lbl_code"), self.code)
        form.addRow(tr("lbl_centre"), self.centre)
        form.addRow(tr("settings_centre_url"), _row(self.centre_url, self.test_centre_button))
        form.addRow("", self.centre_result)
        form.addRow(_note(tr("settings_centre_url_note")))
        form.addRow(tr("lbl_station_fingerprint"), _row(self.fingerprint, self.copy_button))
        form.addRow(_note(tr("settings_fingerprint_note")))
        self._watch(self.commune, self.code, self.centre, self.centre_url)

    def _build_voice(self) -> None:
        self.voice_page, form = self._section("settings_voice")
        self.engine = QComboBox()
        for engine, key in ENGINE_KEYS.items():
            self.engine.addItem(tr(key), engine)
        self.espeak_voice = QComboBox()
        for voice in ESPEAK_VOICES:
            self.espeak_voice.addItem(tr(f"settings_espeak_{voice.replace('-', '_')}"), voice)
        self.sapi_voice = QComboBox()
        self.sapi_voice.setEditable(True)
        self.find_voices_button = QPushButton(tr("settings_find_voices"))
        self.find_voices_button.clicked.connect(self.list_voices)
        self.voices_result = QLabel()
        self.voices_result.setWordWrap(True)
        self.rate = QSpinBox()
        self.rate.setRange(*RATE_RANGE)
        self.rate.setSuffix(tr("settings_wpm"))
        form.addRow(tr("settings_engine"), self.engine)
        form.addRow(tr("settings_espeak_voice"), self.espeak_voice)
        form.addRow(tr("settings_sapi_voice"), _row(self.sapi_voice, self.find_voices_button))
        form.addRow("", self.voices_result)
        form.addRow(tr("settings_rate"), self.rate)
        form.addRow(_note(tr("settings_voice_note")))
        self.engine.currentIndexChanged.connect(self._engine_changed)
        self._watch(self.engine, self.espeak_voice, self.sapi_voice, self.rate)

    def _engine_changed(self) -> None:
        engine = self.engine.currentData()
        self.sapi_voice.setEnabled(engine == "sapi")
        self.find_voices_button.setEnabled(engine == "sapi")

    def _build_loudness(self) -> None:
        self.loudness_page, form = self._section("settings_loudness")
        self.lufs = QLineEdit()
        self.peak = QLineEdit()
        form.addRow(tr("settings_lufs"), self.lufs)
        form.addRow(_note(tr("settings_lufs_note", low=_num(LUFS_RANGE[0]),
                             high=_num(LUFS_RANGE[1]))))
        form.addRow(tr("settings_peak"), self.peak)
        form.addRow(_note(tr("settings_peak_note", low=_num(PEAK_RANGE[0]),
                             high=_num(PEAK_RANGE[1]))))
        self._watch(self.lufs, self.peak)

    def _build_output(self) -> None:
        self.output_page, form = self._section("settings_output")
        self.device = QComboBox()
        self.device.addItem(tr("settings_default_device"), "")
        self.refresh_devices_button = QPushButton(tr("settings_refresh_devices"))
        self.refresh_devices_button.clicked.connect(self.list_devices)
        self.devices_result = QLabel()
        self.devices_result.setWordWrap(True)
        form.addRow(tr("settings_device"), _row(self.device, self.refresh_devices_button))
        form.addRow("", self.devices_result)
        form.addRow(_note(tr("settings_device_note")))
        self._watch(self.device)

    def _build_amplifier(self) -> None:
        self.amplifier_page, form = self._section("settings_amplifier")
        self.amp_on = QLineEdit()
        self.amp_off = QLineEdit()
        self.amp_lead = QSpinBox()
        self.amp_lead.setRange(0, 300)
        self.amp_lead.setSuffix(tr("settings_seconds_suffix"))
        self.amp_delay = QSpinBox()
        self.amp_delay.setRange(0, 3600)
        self.amp_delay.setSuffix(tr("settings_seconds_suffix"))
        self.test_on_button = QPushButton(tr("settings_test_on"))
        self.test_off_button = QPushButton(tr("settings_test_off"))
        self.test_on_button.clicked.connect(lambda: self.test_amplifier(on=True))
        self.test_off_button.clicked.connect(lambda: self.test_amplifier(on=False))
        self.amp_result = QLabel()
        self.amp_result.setWordWrap(True)
        form.addRow(tr("settings_amp_on"), _row(self.amp_on, self.test_on_button))
        form.addRow(tr("settings_amp_off"), _row(self.amp_off, self.test_off_button))
        form.addRow("", self.amp_result)
        form.addRow(tr("settings_amp_lead"), self.amp_lead)
        form.addRow(tr("settings_amp_delay"), self.amp_delay)
        form.addRow(_note(tr("settings_amp_note")))
        self._watch(self.amp_on, self.amp_off, self.amp_lead, self.amp_delay)

    def _build_quiet_hours(self) -> None:
        self.quiet_page, form = self._section("settings_quiet")
        self.quiet = QLineEdit()
        self.quiet.setPlaceholderText("22:00-05:00, 12:00-13:30")
        form.addRow(tr("settings_quiet_hours"), self.quiet)
        form.addRow(_note(tr("settings_quiet_note")))
        self._watch(self.quiet)

    def _build_language(self) -> None:
        self.language_page, form = self._section("settings_language")
        self.language = QComboBox()
        for code in LANGUAGES:
            self.language.addItem(LANGUAGE_NAMES[code], code)
        form.addRow(tr("settings_language_label"), self.language)
        form.addRow(_note(tr("settings_language_note")))
        self._watch(self.language)

    # -- filling and applying ---------------------------------------------------------------
    def reload(self) -> None:
        """The window calls this when the database changed: the stored values are shown
        again unless the operator is editing (nothing typed is lost)."""
        if not self.dirty:
            self.revert()
        self.gate_actions()
        self.categories_page.reload()
        self.users_page.reload()

    def revert(self) -> None:
        """Shows the stored values (drops what was typed)."""
        s = self.ctx.settings
        try:
            station = self.ctx.db.get_station()
            quiet = self.ctx.db.quiet_hours()
        except LoaxaError as exc:
            self.state_label.setText(error_text(exc))
            return
        self._filling = True
        try:
            self.commune.setText(station.commune_name)
            self.code.setText(station.admin_code)
            self.centre.setText(station.centre_name)
            self.centre_url.setText(s.centre_database_url)
            key = self.ctx.key
            self.fingerprint.setText(key.fingerprint if key is not None else (
                error_text(self.ctx.key_error) if self.ctx.key_error is not None else ""))
            self.copy_button.setEnabled(key is not None)
            _select(self.engine, s.tts_engine)
            _select(self.espeak_voice, s.espeak_voice, add=True)
            _select(self.sapi_voice, s.sapi_voice, add=True)
            self.sapi_voice.setEditText(s.sapi_voice)
            self.rate.setValue(s.speech_rate_wpm)
            self.lufs.setText(_num(s.loudness_target_lufs))
            self.peak.setText(_num(s.true_peak_ceiling_dbtp))
            _select(self.device, s.output_device, add=True,
                    label=tr("settings_device_absent", name=s.output_device))
            self.amp_on.setText(s.amplifier_on_command)
            self.amp_off.setText(s.amplifier_off_command)
            self.amp_lead.setValue(s.amplifier_lead_seconds)
            self.amp_delay.setValue(s.amplifier_off_delay_seconds)
            self.quiet.setText(format_quiet_hours(quiet))
            _select(self.language, s.language)
            self._engine_changed()
        finally:
            self._filling = False
        self.dirty = False
        self.state_label.clear()

    def _collect(self) -> tuple[Settings, dict[str, str], list[tuple[time, time]]]:
        """The values typed, checked; raises Invalid at the first bad one."""
        code = self.code.text().strip()
        if code and not code.isdigit():
            raise Invalid(tr("settings_bad_code"), self.code)
        url = self.centre_url.text().strip()
        if url:
            self._check_url(url)
        lufs = _ranged(self.lufs, LUFS_RANGE, "settings_bad_lufs")
        peak = _ranged(self.peak, PEAK_RANGE, "settings_bad_peak")
        for field in (self.amp_on, self.amp_off):
            try:
                shlex.split(field.text(), posix=os.name != "nt")
            except ValueError as exc:
                raise Invalid(tr("settings_bad_command", reason=str(exc)), field) from None
        try:
            quiet = parse_quiet_hours(self.quiet.text())
        except LoaxaError as exc:
            raise Invalid(error_text(exc), self.quiet) from None
        settings = dataclasses.replace(
            self.ctx.settings, extra=dict(self.ctx.settings.extra),
            centre_database_url=url, tts_engine=self.engine.currentData(),
            espeak_voice=self.espeak_voice.currentData() or "vi",
            sapi_voice=self._sapi_choice(),
            speech_rate_wpm=self.rate.value(), loudness_target_lufs=lufs,
            true_peak_ceiling_dbtp=peak, output_device=self.device.currentData() or "",
            amplifier_on_command=self.amp_on.text().strip(),
            amplifier_off_command=self.amp_off.text().strip(),
            amplifier_lead_seconds=self.amp_lead.value(),
            amplifier_off_delay_seconds=self.amp_delay.value(),
            language=self.language.currentData())
        station = {"commune_name": self.commune.text(), "admin_code": code,
                   "centre_name": self.centre.text()}
        return settings, station, quiet

    def _sapi_choice(self) -> str:
        """The Windows voice typed or picked ("" for the first Vietnamese one)."""
        text = self.sapi_voice.currentText().strip()
        index = self.sapi_voice.findText(text)
        if index >= 0:
            return str(self.sapi_voice.itemData(index) or "")
        return text

    def _check_url(self, url: str) -> None:
        from scheduler.persistence import Database

        try:
            Database.open_centre(url).close()  # parses the address; does not connect
        except LoaxaError as exc:
            raise Invalid(error_text(exc), self.centre_url) from None

    def apply(self) -> bool:
        """Checks everything, then writes; False (with the reason shown) when a value is
        refused or nothing could be written. Nothing typed is lost either way."""
        try:
            settings, station, quiet = self._collect()
        except Invalid as bad:
            page = bad.field.parentWidget()
            while page is not None and self.pages.indexOf(page) < 0:
                page = page.parentWidget()
            if page is not None:
                self.sections.setCurrentRow(self.pages.indexOf(page))
            bad.field.setFocus()
            self.state_label.setText(bad.message)
            QMessageBox.warning(self, tr("error"), bad.message)
            return False
        old_language = self.ctx.settings.language
        held = self.ctx.settings
        try:  # an admin's change once users exist; recorded in the audit trail
            save_settings_audited(self.ctx, settings)
        except LoaxaError as exc:
            QMessageBox.warning(self, tr("error"), error_text(exc))
            return False
        except OSError as exc:
            message = error_text(LoaxaError("file_unwritable",
                                            path=str(self.ctx.paths.settings_file),
                                            reason=exc.strerror or str(exc)))
            QMessageBox.warning(self, tr("error"), message)
            return False
        finally:
            self.ctx.settings = held
        for field in dataclasses.fields(Settings):  # in place: every holder sees them
            setattr(self.ctx.settings, field.name, getattr(settings, field.name))
        try:
            self.ctx.db.set_station(**station)
            self.ctx.db.set_quiet_hours(quiet)
        except LoaxaError as exc:
            QMessageBox.warning(self, tr("error"), error_text(exc))
            return False
        self.dirty = False
        self.state_label.setText(tr("settings_saved"))
        self.applied.emit()
        if settings.language != old_language:
            QMessageBox.information(self, "LoaXa", tr("language_changed"))
        return True

    # -- tests and lists, in the background --------------------------------------------------
    def _background(self, work: Callable[[], Any], on_success: Callable[[Any], None],
                    on_failure: Callable[[str], Any]) -> Task:
        return self.background.run(lambda _progress, _stop: work(), on_success, on_failure)

    def wait(self, msecs: int = -1) -> bool:
        return self.background.wait(msecs)

    def copy_fingerprint(self) -> None:
        QGuiApplication.clipboard().setText(self.fingerprint.text())
        self.state_label.setText(tr("settings_copied"))

    def test_centre(self) -> Task | None:
        """Connects to the centre's database as typed (not yet applied)."""
        url = self.centre_url.text().strip()
        if not url:
            self.centre_result.setText(tr("centre_url_unset"))
            return None
        self.centre_result.setText(tr("settings_testing"))
        self.test_centre_button.setEnabled(False)

        def work() -> None:
            from scheduler.persistence import Database

            centre = Database.open_centre(url)
            try:
                centre.centre_ready()
            finally:
                centre.close()

        def done(ok: bool, text: str) -> None:
            self.test_centre_button.setEnabled(True)
            self.centre_result.setText(text)
            self.centre_result.setStyleSheet(f"color: {'#1b7f3b' if ok else '#b3261e'};")

        return self._background(work, lambda _r: done(True, tr("settings_centre_ok")),
                                lambda message: done(False, message))

    def list_voices(self) -> Task:
        """The Vietnamese Windows (SAPI) voices (``loaxa voices``)."""
        from media.tts.sapi import SapiEngine

        self.voices_result.setText(tr("settings_listing"))

        def done(voices: list[Any]) -> None:
            current = self.sapi_voice.currentText()
            self._filling = True
            self.sapi_voice.clear()
            self.sapi_voice.addItem(tr("settings_first_vietnamese"), "")
            for voice in voices:
                self.sapi_voice.addItem(voice.name, voice.name)
            self.sapi_voice.setEditText(current)
            self._filling = False
            self.voices_result.setText(tr("settings_voices_found", n=len(voices))
                                       if voices else tr("sapi_no_vietnamese"))

        return self._background(lambda: SapiEngine("").list_voices(), done,
                                self.voices_result.setText)

    def list_devices(self) -> Task:
        """The audio outputs, asked of miniaudio off the GUI thread."""
        from scheduler.player import list_output_devices

        self.devices_result.setText(tr("settings_listing"))

        def done(devices: list[Any]) -> None:
            chosen = self.device.currentData() or ""
            self._filling = True
            while self.device.count() > 1:
                self.device.removeItem(1)
            for device in devices:
                label = device.name + (f" ({tr('settings_system_default')})"
                                       if device.is_default else "")
                self.device.addItem(label, device.name)
            _select(self.device, chosen, add=True,
                    label=tr("settings_device_absent", name=chosen))
            self._filling = False
            self.devices_result.setText(tr("settings_devices_found", n=len(devices))
                                        if devices else tr("no_output"))

        return self._background(list_output_devices, done, self.devices_result.setText)

    def test_amplifier(self, on: bool) -> Task | None:
        """Runs the on (or off) command as typed, and says whether it worked."""
        from scheduler.amplifier import Amplifier

        command = (self.amp_on if on else self.amp_off).text().strip()
        if not command:
            self.amp_result.setText(tr("settings_amp_none"))
            return None
        self.amp_result.setText(tr("settings_testing"))
        amplifier = Amplifier(on_command=command if on else "",
                              off_command="" if on else command, is_on=not on)

        def work() -> str | None:
            return amplifier.switch_on() if on else amplifier.switch_off()

        def done(failure: str | None) -> None:
            ok = failure is None
            self.amp_result.setText(tr("settings_amp_ok") if ok
                                    else tr("settings_amp_failed", reason=failure))
            self.amp_result.setStyleSheet(f"color: {'#1b7f3b' if ok else '#b3261e'};")

        return self._background(work, done, self.amp_result.setText)


def _num(value: float) -> str:
    text = f"{value:g}"
    return text.replace(".", ",") if tr("decimal_comma") == "," else text


def _ranged(field: QLineEdit, bounds: tuple[float, float], key: str) -> float:
    low, high = bounds
    message = tr(key, value=field.text().strip(), low=_num(low), high=_num(high))
    try:
        value = parse_number(field.text())
    except ValueError:
        raise Invalid(message, field) from None
    if not low <= value <= high:
        raise Invalid(message, field)
    return value


def _select(box: QComboBox, data: str, add: bool = False, label: str = "") -> None:
    index = box.findData(data)
    if index < 0 and add and data:
        box.addItem(label or data, data)
        index = box.count() - 1
    if index >= 0:
        box.setCurrentIndex(index)


class SettingsDialog(QDialog):
    """The Settings view in a window of its own, with OK / Apply / Cancel."""

    def __init__(self, ctx: AppContext, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("settings_title"))
        self.view = SettingsView(ctx, runner, self)
        self.view.apply_button.hide()
        self.view.revert_button.hide()
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Apply
                               | QDialogButtonBox.StandardButton.Cancel)
        box.button(QDialogButtonBox.StandardButton.Ok).setText(tr("btn_ok"))
        box.button(QDialogButtonBox.StandardButton.Apply).setText(tr("settings_apply"))
        box.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("btn_cancel"))
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        box.button(QDialogButtonBox.StandardButton.Apply).clicked.connect(self.view.apply)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(box)

    def accept(self) -> None:
        if self.view.apply():
            super().accept()

    def done(self, result: int) -> None:
        self.view.background.cancel_all()
        super().done(result)


__all__ = ["SettingsDialog", "SettingsView", "parse_number", "parse_quiet_hours"]
