"""The bulletin library as a Qt item model: one row per bulletin, and a proxy that searches
(accent-insensitive) and filters it without rebuilding anything.

Everything a filter or the search looks at is computed once per reload (``BulletinRow``), so
typing in the search box only compares prepared strings.
"""

from __future__ import annotations

import time
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

from app.i18n import format_duration, tr
from scheduler.records import Bulletin, Level
from scheduler.timeutil import format_shown

_Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole

# The attribute the approval column reads: True only while the approval covers the
# bulletin's current text and level (scheduler/people.py); absent: the column stays empty.
APPROVAL_ATTRIBUTES = ("approved",)


class AudioState(StrEnum):
    NONE = "none"  # never rendered
    CURRENT = "current"  # rendered from this text with the current voice and settings
    STALE = "stale"  # rendered, but text, lexicon, voice or settings changed since
    UNKNOWN = "unknown"  # not checked yet (the check runs off the GUI thread)


class Validity(StrEnum):
    ANY = "any"
    VALID = "valid"  # valid today (no dates counts as valid)
    EXPIRED = "expired"
    UPCOMING = "upcoming"


def _fold_table() -> dict[int, str]:
    """Every precomposed Latin letter (Vietnamese ones included) → its base letter."""
    table = {ord("đ"): "d", ord("Đ"): "d"}
    for code in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00)):
        base = unicodedata.normalize("NFD", chr(code))
        if len(base) > 1 and all(unicodedata.combining(c) for c in base[1:]):
            table[code] = base[0]
    for code in range(0x300, 0x370):  # combining marks left over from decomposed input
        table[code] = ""
    return table


_FOLD = _fold_table()


def fold(text: str) -> str:
    """Lower case without diacritics: "Tiêm chủng Đợt 2" → "tiem chung dot 2". One C-level
    translate (the library folds thousands of bulletin texts on a reload)."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text.translate(_FOLD).casefold()


def approval_state(bulletin: Any) -> bool | None:
    """True approved, False not approved, None when bulletins carry no approval yet."""
    for name in APPROVAL_ATTRIBUTES:
        if hasattr(bulletin, name):
            return bool(getattr(bulletin, name))
    return None


def validity_of(bulletin: Bulletin, today: date) -> Validity:
    if bulletin.valid_until is not None and bulletin.valid_until < today:
        return Validity.EXPIRED
    if bulletin.valid_from is not None and bulletin.valid_from > today:
        return Validity.UPCOMING
    return Validity.VALID


def _date_text(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value is not None else ""


@dataclass
class BulletinRow:
    bulletin: Bulletin
    audio: AudioState
    search_key: str  # folded title and body
    ref_key: str  # folded document reference

    @classmethod
    def of(cls, bulletin: Bulletin, audio: AudioState) -> BulletinRow:
        return cls(bulletin, audio, fold(bulletin.title) + "\n" + fold(bulletin.body),
                   fold(bulletin.document_ref))


def build_rows(bulletins: list[Bulletin], audio: dict[int, AudioState],
               previous: list[BulletinRow]) -> list[BulletinRow]:
    """Rows for ``bulletins``; the folded search text of a bulletin whose title, text and
    reference are unchanged is taken from ``previous`` (folding thousands of texts is the
    costly part). Qt-free: runs on a worker thread."""
    before = {r.bulletin.id: r for r in previous}
    rows = []
    for n, b in enumerate(bulletins):
        if n % 50 == 49:
            time.sleep(0)  # let a waiting GUI thread have the GIL
        state = audio.get(b.id, AudioState.UNKNOWN)
        old = before.get(b.id)
        if old is not None and old.bulletin.title == b.title and old.bulletin.body == b.body \
                and old.bulletin.document_ref == b.document_ref:
            rows.append(BulletinRow(b, state, old.search_key, old.ref_key))
        else:
            rows.append(BulletinRow.of(b, state))
    return rows


class Column:
    ID, TITLE, LEVEL, CATEGORY, DOCUMENT, ISSUER, VALIDITY, AUDIO, APPROVAL, CREATED = range(10)
    KEYS = ("col_id", "col_title", "col_level", "col_category", "col_document_ref",
            "col_issuing_body", "col_validity", "col_audio", "col_approval", "col_created")


LEVEL_COLOURS = {Level.PRIORITY: "#a15c00", Level.EMERGENCY: "#b3261e"}
AUDIO_COLOURS = {AudioState.STALE: "#a15c00", AudioState.NONE: "#6b6b6b"}


class BulletinTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[BulletinRow] = []
        self._by_id: dict[int, int] = {}
        self.today = date.today()
        self.sort_column = Column.ID
        self.sort_order = Qt.SortOrder.DescendingOrder

    # -- contents ------------------------------------------------------------------------
    def set_bulletins(self, bulletins: list[Bulletin], audio: dict[int, AudioState],
                      today: date) -> None:
        self.set_rows(build_rows(bulletins, audio, self.rows), today)

    def set_rows(self, rows: list[BulletinRow], today: date) -> None:
        """New contents, in the current sort order. When the same bulletins come back (the
        usual reload: something else changed) only the rows that differ are announced, so
        the view keeps its selection and scroll position; otherwise the model is reset."""
        self.today = today
        rows = self._sorted(rows)
        if [r.bulletin.id for r in rows] == [r.bulletin.id for r in self.rows]:
            changed = [n for n, (old, new) in enumerate(zip(self.rows, rows, strict=True))
                       if old.bulletin != new.bulletin or old.audio is not new.audio]
            self.rows = rows
            if changed:
                self.dataChanged.emit(self.index(min(changed), 0),
                                      self.index(max(changed), len(Column.KEYS) - 1))
            return
        self.beginResetModel()
        self.rows = rows
        self._by_id = {r.bulletin.id: n for n, r in enumerate(rows)}
        self.endResetModel()

    # -- sorting (here, not in the proxy: one key per row instead of a Python call for
    #    every comparison; measured in tests/benchmarks/bench_bulletins_view.py) -----------
    def _sorted(self, rows: list[BulletinRow]) -> list[BulletinRow]:
        column = self.sort_column
        return sorted(rows, key=lambda r: self._sort_value(r, column),
                      reverse=self.sort_order == Qt.SortOrder.DescendingOrder)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(Column.KEYS):
            return
        self.sort_column, self.sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        old_ids = [r.bulletin.id for r in self.rows]
        self.rows = self._sorted(self.rows)
        self._by_id = {r.bulletin.id: n for n, r in enumerate(self.rows)}
        persistent = self.persistentIndexList()
        moved = [self.index(self._by_id[old_ids[i.row()]], i.column()) for i in persistent]
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    def set_audio_states(self, audio: dict[int, AudioState]) -> None:
        changed = []
        for bulletin_id, state in audio.items():
            n = self._by_id.get(bulletin_id)
            if n is not None and self.rows[n].audio != state:
                self.rows[n].audio = state
                changed.append(n)
        if changed:  # one signal for the whole range: thousands of rows change at once
            self.dataChanged.emit(self.index(min(changed), Column.AUDIO),
                                  self.index(max(changed), Column.AUDIO))

    def row_of(self, bulletin_id: int) -> int | None:
        return self._by_id.get(bulletin_id)

    def bulletin(self, row: int) -> Bulletin:
        return self.rows[row].bulletin

    # -- Qt ------------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column.KEYS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return tr(Column.KEYS[section])
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        b, col = row.bulletin, index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, col)
        if role == SORT_ROLE:
            return self._sort_value(row, col)
        if role == ID_ROLE:
            return b.id
        if role == Qt.ItemDataRole.ForegroundRole:
            colour = (LEVEL_COLOURS.get(b.level) if col == Column.LEVEL
                      else AUDIO_COLOURS.get(row.audio) if col == Column.AUDIO
                      else "#6b6b6b" if col == Column.VALIDITY
                      and validity_of(b, self.today) is not Validity.VALID
                      else None)
            return QColor(colour) if colour else None
        if role == Qt.ItemDataRole.ToolTipRole and col == Column.TITLE:
            return b.body[:400]
        return None

    def _text(self, row: BulletinRow, col: int) -> str:
        b = row.bulletin
        if col == Column.ID:
            return str(b.id)
        if col == Column.TITLE:
            return b.title
        if col == Column.LEVEL:
            return tr(f"level_{b.level.value}")
        if col == Column.CATEGORY:
            return b.category
        if col == Column.DOCUMENT:
            return b.document_ref
        if col == Column.ISSUER:
            return b.issuing_body
        if col == Column.VALIDITY:
            if b.valid_from is None and b.valid_until is None:
                return ""
            text = f"{_date_text(b.valid_from)} – {_date_text(b.valid_until)}".strip(" –")
            state = validity_of(b, self.today)
            return text if state is Validity.VALID else f"{text} ({tr(f'validity_{state}')})"
        if col == Column.AUDIO:
            if row.audio is AudioState.CURRENT and b.audio is not None:
                return format_duration(b.audio.duration_ms / 1000)
            return tr(f"audio_state_{row.audio.value}")
        if col == Column.APPROVAL:
            state = approval_state(b)
            return "" if state is None else tr("approval_yes" if state else "approval_no")
        if col == Column.CREATED:
            return format_shown(b.created_at, seconds=False)
        return ""

    def _sort_value(self, row: BulletinRow, col: int) -> Any:
        b = row.bulletin
        if col == Column.ID:
            return b.id
        if col == Column.LEVEL:
            return list(Level).index(b.level)
        if col == Column.VALIDITY:
            return (b.valid_until or b.valid_from or date.max).isoformat()
        if col == Column.AUDIO:
            return row.audio.value
        if col == Column.CREATED:
            return b.created_at.isoformat()
        return fold(self._text(row, col))


@dataclass
class Filters:
    search: str = ""
    category: str | None = None
    document: str = ""
    issuer: str | None = None
    validity: Validity = Validity.ANY
    level: Level | None = None
    audio: AudioState | None = None


class BulletinFilterProxy(QSortFilterProxyModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.filters = Filters()
        self._words: list[str] = []
        self._document = ""
        self.setSortRole(SORT_ROLE)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """The source model sorts itself (fast); this proxy only filters, in its order."""
        model = self.sourceModel()
        if isinstance(model, BulletinTableModel):
            model.sort(column, order)

    def set_filters(self, filters: Filters) -> None:
        new_api = hasattr(self, "beginFilterChange")  # Qt 6.9+; invalidateFilter before
        if new_api:
            self.beginFilterChange()
        self.filters = filters
        self._words = fold(filters.search).split()
        self._document = fold(filters.document).strip()
        if new_api:
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, BulletinTableModel)
        row = model.rows[source_row]
        b, f = row.bulletin, self.filters
        if f.level is not None and b.level is not f.level:
            return False
        if f.category is not None and b.category != f.category:
            return False
        if f.issuer is not None and b.issuing_body != f.issuer:
            return False
        if f.audio is not None and row.audio is not f.audio:
            return False
        if f.validity is not Validity.ANY and validity_of(b, model.today) is not f.validity:
            return False
        if self._document and self._document not in row.ref_key:
            return False
        return all(word in row.search_key for word in self._words)


__all__ = ["AudioState", "BulletinFilterProxy", "BulletinRow", "BulletinTableModel", "Column",
           "Filters", "Validity", "approval_state", "build_rows", "fold", "validity_of"]
