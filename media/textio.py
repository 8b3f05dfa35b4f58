"""Reading bulletin text files: UTF-8, UTF-8 with BOM and UTF-16 (with BOM) are accepted;
anything else is refused, never guessed."""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

from media.errors import LoaxaError

MAX_TEXT_CHARS = 200_000  # ≈ 3 hours of speech; more is almost surely the wrong file


def decode_text(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        text = _decode(data[len(codecs.BOM_UTF8):], "utf-8")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _decode(data, "utf-16")
    else:
        text = _decode(data, "utf-8")
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    if "\x00" in text:
        raise LoaxaError("text_not_text")
    return text


def _decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise LoaxaError("text_bad_encoding", position=exc.start) from None


def check_bulletin_text(text: str) -> str:
    """The stripped text, or an error when it is empty or unreasonably long."""
    stripped = text.strip()
    if not stripped:
        raise LoaxaError("text_empty")
    if len(stripped) > MAX_TEXT_CHARS:
        raise LoaxaError("text_too_long", chars=len(stripped), limit=MAX_TEXT_CHARS)
    return stripped


def read_text_file(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise LoaxaError("file_not_found", path=str(path)) from None
    except IsADirectoryError:
        raise LoaxaError("file_not_found", path=str(path)) from None
    except OSError as exc:
        raise LoaxaError("file_unreadable", path=str(path), reason=exc.strerror or str(exc)) \
            from None
    return check_bulletin_text(decode_text(data))
