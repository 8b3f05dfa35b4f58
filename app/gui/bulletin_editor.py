"""The bulletin editor: the fields of a bulletin, its text, and beside the text the spoken form
the voice will read, with what the reading rules expanded highlighted. A word selected in the
text goes into the commune's lexicon in one click, and the preview follows.

The spoken form is computed on a worker thread 300 ms after the last keystroke (a long
bulletin takes tens of milliseconds to normalize); a result for an older text is dropped.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QEvent, QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.gui.dialogs import ok_cancel
from app.gui.session_guard import gate, permissions
from app.i18n import error_text, tr
from app.lexicon import add_lexicon_entry
from app.services import AppContext, load_lexicon
from media.docxtext import read_bulletin_file
from media.errors import LoaxaError
from media.expansions import SpokenPreview, spoken_preview
from media.normalize import Normalizer
from media.textio import check_bulletin_text
from scheduler.records import Bulletin, Level

log = logging.getLogger(__name__)

DEBOUNCE_MS = 300
SOURCE_HIGHLIGHT = QColor("#fff1b8")
SPOKEN_HIGHLIGHT = QColor("#ffd966")


def utf16_offsets(text: str) -> list[int] | None:
    """Qt counts positions in UTF-16 units: the unit offset of each code point (and of the
    end), or None when they are the same (no character outside the BMP)."""
    if all(ord(c) < 0x10000 for c in text):
        return None
    offsets, n = [], 0
    for c in text:
        offsets.append(n)
        n += 2 if ord(c) >= 0x10000 else 1
    offsets.append(n)
    return offsets


def _selections(edit: QPlainTextEdit, spans: list[tuple[int, int]], text: str,
                colour: QColor) -> list[QTextEdit.ExtraSelection]:
    offsets = utf16_offsets(text)
    fmt = QTextCharFormat()
    fmt.setBackground(colour)
    selections = []
    for start, end in spans:
        if offsets is not None:
            start, end = offsets[start], offsets[end]
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(edit.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor  # type: ignore[attr-defined]
        selection.format = fmt  # type: ignore[attr-defined]
        selections.append(selection)
    return selections


class _PreviewSignals(QObject):
    done = Signal(int, object)


class _PreviewJob(QRunnable):
    def __init__(self, generation: int, text: str, normalizer: Normalizer,
                 signals: _PreviewSignals) -> None:
        super().__init__()
        self.generation, self.text, self.normalizer, self.signals = \
            generation, text, normalizer, signals

    def run(self) -> None:
        try:
            result: object = spoken_preview(self.text, self.normalizer)
        except Exception as exc:  # a rule that breaks on some text must not stop the editor
            log.exception("spoken-form preview failed")
            result = exc
        self.signals.done.emit(self.generation, result)


@dataclass(frozen=True)
class BulletinFields:
    title: str
    body: str
    level: Level
    category: str
    document_ref: str
    issuing_body: str
    valid_from: date | None
    valid_until: date | None
    source_name: str


class _OptionalDate(QWidget):
    """A date that may be unset: a check box and a date field."""

    def __init__(self, label: str, value: date | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = QCheckBox(label)
        self.edit = QDateEdit()
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("dd/MM/yyyy")
        today = date.today()
        shown = value or today
        self.edit.setDate(QDate(shown.year, shown.month, shown.day))
        self.check.setChecked(value is not None)
        self.edit.setEnabled(value is not None)
        self.check.toggled.connect(self.edit.setEnabled)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.edit, 1)

    def value(self) -> date | None:
        return self.edit.date().toPython() if self.check.isChecked() else None

    def set_value(self, value: date | None) -> None:
        self.check.setChecked(value is not None)
        if value is not None:
            self.edit.setDate(QDate(value.year, value.month, value.day))


class LexiconDialog(QDialog):
    """One lexicon entry: how it is written, how it is said."""

    def __init__(self, written: str, spoken: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("dlg_lexicon_title"))
        self.written = QLineEdit(written)
        self.spoken = QLineEdit(spoken)
        self.spoken.selectAll()
        hint = QLabel(tr("lexicon_hint"))
        hint.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(hint)
        form.addRow(tr("lbl_written"), self.written)
        form.addRow(tr("lbl_spoken"), self.spoken)
        box = ok_cancel(self)
        form.addRow(box)
        self.spoken.setFocus()

    def accept(self) -> None:
        if not self.written.text().strip() or not self.spoken.text().strip():
            QMessageBox.warning(self, tr("error"), tr("lexicon_entry_empty"))
            return
        super().accept()

    def values(self) -> tuple[str, str]:
        return self.written.text().strip(), self.spoken.text().strip()


class BulletinEditor(QDialog):
    """A new bulletin (``bulletin`` None) or an existing one. ``saved_id`` is the bulletin
    written when the dialog was accepted."""

    preview_ready = Signal()

    def __init__(self, ctx: AppContext, categories: list[str], bulletin: Bulletin | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.bulletin = bulletin
        self.saved_id: int | None = None
        self.saved_as_new = False
        self.lexicon_changed = False  # the library's audio states need a fresh look
        self.source_name = bulletin.source_name if bulletin else ""
        self.preview: SpokenPreview | None = None
        self._generation = 0
        self._shown_generation = -1
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._signals = _PreviewSignals()
        self._signals.done.connect(self._preview_done)
        self.normalizer = self._load_normalizer()
        self.setWindowTitle(tr("dlg_edit_bulletin") if bulletin else tr("dlg_new_bulletin"))

        self.title_edit = QLineEdit(bulletin.title if bulletin else "")
        self.title_edit.setMaxLength(300)
        self.level_box = QComboBox()
        for level in Level:
            self.level_box.addItem(tr(f"level_{level.value}"), level.value)
        self.category_box = QComboBox()
        self.category_box.setEditable(True)  # a policy area not in the list can be typed
        self.category_box.addItem("")
        self.category_box.addItems(categories)
        self.document_edit = QLineEdit(bulletin.document_ref if bulletin else "")
        self.document_edit.setMaxLength(100)
        self.document_edit.setPlaceholderText("07/CT-TTg")
        self.issuer_edit = QLineEdit(bulletin.issuing_body if bulletin else "")
        self.issuer_edit.setMaxLength(200)
        self.valid_from = _OptionalDate(tr("lbl_valid_from"), bulletin.valid_from if bulletin
                                        else None)
        self.valid_until = _OptionalDate(tr("lbl_valid_until"), bulletin.valid_until if bulletin
                                         else None)
        if bulletin is not None:
            self.level_box.setCurrentIndex(list(Level).index(bulletin.level))
            self.category_box.setCurrentText(bulletin.category)

        self.text_edit = QPlainTextEdit(bulletin.body if bulletin else "")
        self.spoken_view = QPlainTextEdit()
        self.spoken_view.setReadOnly(True)
        self.spoken_label = QLabel(tr("lbl_spoken_form"))
        self.spoken_label.setBuddy(self.spoken_view)
        text_label = QLabel(tr("lbl_text"))
        text_label.setBuddy(self.text_edit)
        self.expansion_label = QLabel()

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(text_label)
        left_layout.addWidget(self.text_edit, 1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.spoken_label)
        right_layout.addWidget(self.spoken_view, 1)
        right_layout.addWidget(self.expansion_label)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)

        self.import_button = QPushButton(tr("btn_import_file"))
        self.import_button.clicked.connect(self.import_file)
        self.lexicon_button = QPushButton(tr("btn_add_lexicon"))
        self.lexicon_button.setToolTip(tr("tip_add_lexicon"))
        self.lexicon_button.clicked.connect(self.add_to_lexicon)
        QShortcut(QKeySequence("Ctrl+L"), self, activated=self.add_to_lexicon)

        fields = QGridLayout()
        form_left, form_right = QFormLayout(), QFormLayout()
        form_left.addRow(tr("lbl_title_m"), self.title_edit)
        form_left.addRow(tr("lbl_level_m"), self.level_box)
        form_left.addRow(tr("lbl_category_m"), self.category_box)
        form_right.addRow(tr("lbl_document_ref_m"), self.document_edit)
        form_right.addRow(tr("lbl_issuing_body_m"), self.issuer_edit)
        dates = QHBoxLayout()
        dates.addWidget(self.valid_from)
        dates.addWidget(self.valid_until)
        form_right.addRow(tr("lbl_validity"), dates)
        fields.addLayout(form_left, 0, 0)
        fields.addLayout(form_right, 0, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(tr("btn_save"))
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.gate_save()
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("btn_cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.import_button)
        bottom.addWidget(self.lexicon_button)
        bottom.addStretch(1)
        bottom.addWidget(buttons)

        layout = QVBoxLayout(self)
        layout.addLayout(fields)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)
        line = self.fontMetrics().height()
        self.resize(line * 60, line * 36)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.refresh_preview)
        self.text_edit.textChanged.connect(self._debounce.start)
        self.refresh_preview()
        self.title_edit.setFocus()

    # -- spoken form ---------------------------------------------------------------------
    def _load_normalizer(self) -> Normalizer:
        try:
            return Normalizer(load_lexicon(self.ctx.paths))
        except LoaxaError as exc:
            QMessageBox.warning(self, tr("error"), error_text(exc))
            return Normalizer()

    def refresh_preview(self) -> None:
        """Starts computing the spoken form of the text as it is now."""
        self._debounce.stop()
        self._generation += 1
        self._pool.start(_PreviewJob(self._generation, self.text_edit.toPlainText(),
                                     self.normalizer, self._signals))

    @property
    def preview_pending(self) -> bool:
        return self._shown_generation != self._generation or self._debounce.isActive()

    def _preview_done(self, generation: int, result: object) -> None:
        if generation != self._generation:
            return  # the text changed since: a newer result is coming
        self._shown_generation = generation
        if not isinstance(result, SpokenPreview):
            self.preview = None
            self.spoken_view.setPlainText("")
            self.expansion_label.setText(tr("preview_failed", reason=str(result)))
            self.preview_ready.emit()
            return
        self.preview = result
        source = self.text_edit.toPlainText()
        self.spoken_view.setPlainText(result.spoken)
        self.spoken_view.setExtraSelections(_selections(
            self.spoken_view, [(e.out_start, e.out_end) for e in result.expansions],
            result.spoken, SPOKEN_HIGHLIGHT))
        self.text_edit.setExtraSelections(_selections(
            self.text_edit, [(e.src_start, e.src_end) for e in result.expansions
                             if e.src_end <= len(source)], source, SOURCE_HIGHLIGHT))
        self.expansion_label.setText(tr("n_expansions", n=len(result.expansions)))
        self.preview_ready.emit()

    def highlighted_spoken(self) -> list[str]:
        """The highlighted pieces of the spoken form (what the rules expanded)."""
        if self.preview is None:
            return []
        return [self.preview.spoken[e.out_start:e.out_end] for e in self.preview.expansions]

    # -- lexicon -------------------------------------------------------------------------
    def selected_word(self) -> str:
        return self.text_edit.textCursor().selectedText().replace("\u2029", " ").strip()

    def add_to_lexicon(self) -> bool:
        written = self.selected_word()
        if not written:
            QMessageBox.information(self, "LoaXa", tr("select_word_first"))
            return False
        dialog = LexiconDialog(written, self.normalizer.line(written), self)
        while dialog.exec() == QDialog.DialogCode.Accepted:
            written, spoken = dialog.values()
            try:  # changes how every bulletin is read: an operator's, in the audit trail
                self.ctx.db.require("lexicon_changed")
                add_lexicon_entry(self.ctx.paths.lexicon_file, written, spoken)
                self.ctx.db.record_audit("lexicon_changed", "lexicon",
                                         {"written": written, "spoken": spoken})
            except LoaxaError as exc:
                QMessageBox.warning(self, tr("error"), error_text(exc))
                continue
            self.lexicon_changed = True
            self.normalizer = self._load_normalizer()
            self.refresh_preview()
            return True
        return False

    # -- files ---------------------------------------------------------------------------
    def import_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, tr("btn_import_file"), str(Path.home()),
                                              tr("bulletin_files"))
        if name:
            self.load_file(Path(name))

    def load_file(self, path: Path) -> bool:
        """Puts the text of a .txt or .docx file into the editor (the title from its first
        line when the title is empty); a file that cannot be read changes nothing."""
        try:
            text = read_bulletin_file(path)
        except LoaxaError as exc:
            QMessageBox.warning(self, tr("error"), error_text(exc))
            return False
        self.text_edit.setPlainText(text)
        self.source_name = path.name
        if not self.title_edit.text().strip():
            self.title_edit.setText(text.splitlines()[0].strip()[:300])
        self.refresh_preview()
        return True

    # -- saving --------------------------------------------------------------------------
    def fields(self) -> BulletinFields:
        return BulletinFields(
            title=self.title_edit.text().strip(), body=self.text_edit.toPlainText().strip(),
            level=Level(self.level_box.currentData()),
            category=self.category_box.currentText().strip(),
            document_ref=self.document_edit.text().strip(),
            issuing_body=self.issuer_edit.text().strip(),
            valid_from=self.valid_from.value(), valid_until=self.valid_until.value(),
            source_name=self.source_name)

    def save(self) -> int | None:
        """Writes the bulletin; None (with a message) when something is missing or wrong.
        A changed text makes a new bulletin (the old one stays, as aired and logged)."""
        f = self.fields()
        if not f.title:
            QMessageBox.warning(self, tr("error"), tr("need_title"))
            return None
        try:
            check_bulletin_text(f.body)
        except LoaxaError as exc:
            QMessageBox.warning(self, tr("error"), error_text(exc))
            return None
        if f.valid_from and f.valid_until and f.valid_until < f.valid_from:
            QMessageBox.warning(self, tr("error"), tr(
                "bad_range", start=f.valid_from.strftime("%d/%m/%Y"),
                end=f.valid_until.strftime("%d/%m/%Y")))
            return None
        meta = {"category": f.category, "document_ref": f.document_ref,
                "issuing_body": f.issuing_body, "valid_from": f.valid_from,
                "valid_until": f.valid_until}
        db = self.ctx.db
        try:
            if self.bulletin is not None and f.body == self.bulletin.body.strip():
                db.update_bulletin(self.bulletin.id, title=f.title, level=f.level, **meta)
                return self.bulletin.id
            if self.bulletin is not None and not confirm(self, tr("text_changed_new")):
                return None
            self.saved_as_new = self.bulletin is not None
            return db.add_bulletin(f.title, f.body, source_name=f.source_name, level=f.level,
                                   **meta)  # type: ignore[arg-type]
        except LoaxaError as exc:
            QMessageBox.warning(self, tr("error"), error_text(exc))
            return None

    def gate_save(self) -> None:
        """Save only for who may write bulletins; anybody may open one to read it."""
        action = "bulletin_added" if self.bulletin is None else "bulletin_changed"
        perms = permissions(self.ctx)
        gate(self.save_button, perms.reason(action))
        gate(self.lexicon_button, perms.reason("lexicon_changed"))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # back from a login over the editor (idle sign-out, switch user): who is it now?
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.gate_save()

    def accept(self) -> None:
        saved = self.save()
        if saved is not None:
            self.saved_id = saved
            super().accept()

    def done(self, result: int) -> None:
        self._debounce.stop()
        self._generation += 1  # results still coming are not shown
        super().done(result)


def confirm(parent: QWidget, text: str) -> bool:
    answer = QMessageBox.question(parent, "LoaXa", text,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


__all__ = ["BulletinEditor", "BulletinFields", "LexiconDialog", "confirm", "utf16_offsets"]
