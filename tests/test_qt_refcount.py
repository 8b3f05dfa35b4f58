"""PySide6 6.12.0 on CPython 3.11 took a reference from ``True`` at every ``Signal.emit()`` and
from ``None`` at every ``QModelIndex.data()`` without data; a few hundred progress signals then
aborted the process ("bool_dealloc"). The lock pins a version without the bug; this fails if
an upgrade brings it back."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QStandardItemModel


class _Probe(QObject):
    ping = Signal()
    value = Signal(int, int)


def test_emit_and_data_keep_the_references_they_return(qapp) -> None:
    probe = _Probe()
    before_true = sys.getrefcount(True)
    for i in range(500):
        probe.ping.emit()
        probe.value.emit(i, 500)
    assert sys.getrefcount(True) - before_true > -10
    model = QStandardItemModel(2, 2)
    before_none = sys.getrefcount(None)
    for _ in range(500):
        model.index(0, 0).data(1234)
    assert sys.getrefcount(None) - before_none > -10
