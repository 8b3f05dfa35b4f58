"""A guard against a reference-counting bug of PySide6 6.12.0 on CPython 3.11.

Measured on this machine (PySide6/shiboken6 6.12.0, Python 3.11.7):
- every ``Signal.emit()`` called from Python returns ``True`` without owning a reference, so
  each emit takes one reference from ``True`` (-99 for 100 emits);
- ``QModelIndex.data()`` called from Python for a role without data returns ``None`` the same
  way (-1000 for 1000 calls, with a Python model and with ``QStandardItemModel``).

``True`` starts with a few hundred references, so after a few hundred emits (a render reports
progress per paragraph) CPython aborts: "Fatal Python error: bool_dealloc: deallocating True
or False" / "none_dealloc". From Python 3.12 these objects are immortal and the bug is
harmless. Here, once the leak is seen, ``True``, ``False`` and ``None`` are given a margin of
2**50 references — never freed anyway, they cannot be harmed by extra references, and the
margin lasts for thousands of years of emits.
"""

from __future__ import annotations

import ctypes
import logging
import sys

log = logging.getLogger(__name__)

MARGIN = 1 << 50
_guarded = False


def _emit_leaks() -> bool:
    from PySide6.QtCore import QObject, Signal

    class _Probe(QObject):
        ping = Signal()

    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(16):
        probe.ping.emit()
    return before - sys.getrefcount(True) >= 16


def guard_refcount_leaks() -> bool:
    """Gives ``True``/``False``/``None`` the margin when this PySide6 leaks their
    references (checked once per process); True when the guard is in place."""
    global _guarded
    if _guarded:
        return True
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    if not _emit_leaks():
        return False
    for singleton in (True, False, None):
        # ob_refcnt is the first field of every CPython object (a Py_ssize_t)
        ctypes.c_ssize_t.from_address(id(singleton)).value += MARGIN
    _guarded = True
    log.warning("PySide6 leaks references to True/None (Signal.emit, QModelIndex.data): "
                "guard applied")
    return True


__all__ = ["guard_refcount_leaks"]
