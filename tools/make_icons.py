"""Renders resources/icons/loaxa.svg to the Windows icon (loaxa.ico, 16–256 px) and a 256 px
PNG, with Qt's SVG renderer; Pillow writes the .ico when it is installed, else Qt does.

    python -m tools.make_icons
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)


def render_png(size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(ICONS / "loaxa.svg"))
    if not renderer.isValid():
        raise SystemExit("loaxa.svg is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 (fonts, plugins)
    pngs = {size: render_png(size) for size in SIZES}
    (ICONS / "loaxa-256.png").write_bytes(pngs[256])
    try:
        from PIL import Image
    except ImportError:
        Image = None
    if Image is not None:
        big = Image.open(io.BytesIO(pngs[256]))
        big.save(ICONS / "loaxa.ico", format="ICO", sizes=[(s, s) for s in SIZES])
    else:
        from PySide6.QtGui import QImage

        QImage.fromData(pngs[256]).save(str(ICONS / "loaxa.ico"), "ICO")
    print(f"wrote {ICONS / 'loaxa.ico'} and loaxa-256.png")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
