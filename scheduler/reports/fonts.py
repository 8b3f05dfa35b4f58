"""The bundled serif font (Liberation Serif, SIL OFL 1.1: full Vietnamese coverage, metrics of
Times New Roman), registered with reportlab and embedded in every PDF. reportlab's built-in
Helvetica has no Vietnamese letters, so it is never used."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from media.errors import LoaxaError

FONT_FILES = {
    "regular": "LiberationSerif-Regular.ttf",
    "bold": "LiberationSerif-Bold.ttf",
    "italic": "LiberationSerif-Italic.ttf",
}
SPREADSHEET_FONT = "Times New Roman"  # what Excel shows; Liberation Serif has its metrics


@dataclass(frozen=True)
class PdfFonts:
    regular: str
    bold: str
    italic: str


_registered: dict[Path, PdfFonts] = {}


def register_fonts(fonts_dir: Path) -> PdfFonts:
    """Register the TTFs of ``fonts_dir`` once; returns the reportlab font names."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    fonts_dir = fonts_dir.resolve()
    if fonts_dir in _registered:
        return _registered[fonts_dir]
    suffix = str(len(_registered))
    names = {style: f"LoaXaSerif{style.capitalize()}{suffix}" for style in FONT_FILES}
    for style, file_name in FONT_FILES.items():
        path = fonts_dir / file_name
        try:
            pdfmetrics.registerFont(TTFont(names[style], str(path)))
        except (OSError, TTFError) as exc:
            raise LoaxaError("font_missing", path=str(path), reason=str(exc)) from None
    family = f"LoaXaSerif{suffix}"
    addMapping(family, 0, 0, names["regular"])
    addMapping(family, 1, 0, names["bold"])
    addMapping(family, 0, 1, names["italic"])
    addMapping(family, 1, 1, names["bold"])
    fonts = PdfFonts(names["regular"], names["bold"], names["italic"])
    _registered[fonts_dir] = fonts
    return fonts
