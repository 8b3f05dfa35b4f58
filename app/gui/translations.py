"""Qt translations for the window: ``resources/i18n/loaxa_<lang>.qm`` (built from the .ts files
by ``pyside6-lrelease`` at build time, or here on first use in a source checkout) and Qt's own
``qtbase_<lang>.qm`` when PySide6 ships one (6.12 ships none for Vietnamese).

The words themselves come from ``app.i18n`` (``MESSAGES`` and ``QT_MESSAGES_VI``), the single
source; ``tools/i18n_ts.py`` writes the .ts files from it (docs/architecture.md, "Languages").
"""

from __future__ import annotations

import importlib.util
import logging
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

from app.paths import resources_dir

log = logging.getLogger(__name__)

_installed: list[QTranslator] = []  # kept alive as long as the application


def lrelease() -> Path | None:
    """PySide6's lrelease (``PySide6/lrelease[.exe]``, behind ``pyside6-lrelease``)."""
    spec = importlib.util.find_spec("PySide6")
    if spec is not None and spec.origin:
        folder = Path(spec.origin).parent
        for name in ("lrelease.exe", "lrelease") if sys.platform == "win32" else ("lrelease",):
            if (folder / name).is_file():
                return folder / name
    found = shutil.which("pyside6-lrelease")
    return Path(found) if found else None


def compile_ts(ts: Path, qm: Path) -> None:
    """``lrelease ts -qm qm``; raises OSError when it cannot."""
    tool = lrelease()
    if tool is None:
        raise OSError("pyside6-lrelease not found")
    qm.parent.mkdir(parents=True, exist_ok=True)
    kwargs = {"creationflags": subprocess.CREATE_NO_WINDOW} if sys.platform == "win32" else {}
    proc = subprocess.run([str(tool), "-silent", str(ts), "-qm", str(qm)],
                          capture_output=True, text=True, timeout=60, **kwargs)
    if proc.returncode != 0 or not qm.is_file():
        raise OSError(f"lrelease failed: {proc.stderr.strip() or proc.returncode}")


def catalogue(language: str, cache_dir: Path | None = None) -> Path | None:
    """The .qm of LoaXa for ``language``: the built one next to its .ts when it is current,
    else one compiled now into ``cache_dir`` (a source checkout), else None."""
    folder = resources_dir() / "i18n"
    ts, qm = folder / f"loaxa_{language}.ts", folder / f"loaxa_{language}.qm"
    if qm.is_file() and (not ts.is_file() or qm.stat().st_mtime >= ts.stat().st_mtime):
        return qm
    if not ts.is_file() or cache_dir is None:
        return qm if qm.is_file() else None
    cached = cache_dir / "i18n" / qm.name
    if cached.is_file() and cached.stat().st_mtime >= ts.stat().st_mtime:
        return cached
    try:
        compile_ts(ts, cached)
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("translations for %s not built: %s", language, exc)
        return None
    return cached


def install_translators(app: QCoreApplication, language: str,
                        cache_dir: Path | None = None) -> list[Path]:
    """Installs Qt's and LoaXa's catalogues for ``language``; returns the files loaded."""
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    files: list[Path] = []
    qt_dir = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    # Qt's own first, so LoaXa's (installed last, asked first) can fill in what it lacks.
    for path in (qt_dir / f"qtbase_{language}.qm", catalogue(language, cache_dir)):
        if path is None or not path.is_file():
            continue
        translator = QTranslator(app)
        if translator.load(str(path)):
            app.installTranslator(translator)
            _installed.append(translator)
            files.append(path)
        else:
            log.warning("cannot load translations %s", path)
    return files
