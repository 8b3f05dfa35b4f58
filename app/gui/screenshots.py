"""``loaxa --screenshots DIR``: every tab of the window, and its dialogs, rendered offscreen
with sample data (a temporary data folder seeded like a commune in mid-season) to PNG files
named after the views (``bulletins.png``, ``log.png``, ``dialog-station.png`` …).

A view can add its own dialogs to the set with ``screenshot_dialogs() -> [(name, QDialog)]``
(e.g. the emergency confirmation of the on-air view)."""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)

SIZE = (1180, 720)  # logical pixels; the README shows them at this size


@contextmanager
def _sample_home() -> Iterator[Path]:
    """A temporary ``LOAXA_HOME`` for the sample data, removed afterwards."""
    from app.paths import DATABASE_URL_ENV, HOME_ENV

    saved = {name: os.environ.get(name) for name in (HOME_ENV, DATABASE_URL_ENV)}
    folder = Path(tempfile.mkdtemp(prefix="loaxa-screenshots-"))
    os.environ[HOME_ENV] = str(folder)
    os.environ.pop(DATABASE_URL_ENV, None)
    try:
        yield folder
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        shutil.rmtree(folder, ignore_errors=True)


def _name(title_key: str) -> str:
    return title_key.removeprefix("tab_").replace("_", "-")


def take_screenshots(out: Path) -> list[Path]:
    """Writes the PNG files to ``out``; returns them. Needs a QApplication."""
    from PySide6.QtWidgets import QApplication, QDialog

    from app.autostart import FakeAutostart
    from app.gui.dialogs import StationDialog
    from app.gui.main_window import MainWindow
    from app.instance import InstanceLock
    from app.sample_data import seed_commune_day
    from app.services import open_context

    app = QApplication.instance()
    assert app is not None
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def save(widget: object, name: str) -> None:
        path = out / f"{name}.png"
        if not widget.grab().save(str(path), "PNG"):  # type: ignore[attr-defined]
            raise OSError(f"cannot write {path}")
        written.append(path)

    with _sample_home():
        ctx = open_context("gui")
        playout = InstanceLock(ctx.paths.playout_lock)  # the status bar as on a normal day
        playout.acquire()
        try:
            seed_commune_day(ctx)
            window = MainWindow(ctx, start_playout=False, tray=False,
                                autostart=FakeAutostart(enabled=True))
            window.resize(*SIZE)
            window.show()
            for index, view in enumerate(window.views):
                window.tabs.setCurrentIndex(index)
                app.processEvents()
                save(window, _name(view.title_key))
            dialogs: list[tuple[str, QDialog]] = [
                ("dialog-station", StationDialog(ctx.db.get_station(), window,
                                                 ctx.key.fingerprint if ctx.key else ""))]
            for view in window.views:
                dialogs += getattr(view, "screenshot_dialogs", lambda: [])()
            for name, dialog in dialogs:
                dialog.show()
                app.processEvents()
                save(dialog, name)
                dialog.close()
            window.quit()
        finally:
            playout.release()
            ctx.close()
    return written


def run_screenshots(out: Path) -> int:
    """The command: offscreen unless a platform is chosen; prints what it wrote."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from app.i18n import tr

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("LoaXa")
    try:
        written = take_screenshots(out)
    except OSError as exc:
        print(f"{tr('error')}: {exc}", file=sys.stderr)
        return 1
    print(tr("screenshots_written", n=len(written), path=out))
    return 0
