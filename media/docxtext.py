"""Text of a Word .docx bulletin, with the standard library only (zipfile + ElementTree).

A .docx is a zip holding ``word/document.xml``: paragraphs (``w:p``) of runs whose text is in
``w:t``, with ``w:tab`` and ``w:br``/``w:cr`` for tabs and line breaks; tables (``w:tbl``)
become one line per row, cells separated by commas. Deleted revisions (``w:delText``) and
field codes (``w:instrText``) are not text and are left out.

Refused with a message, never guessed: an old binary .doc, a password-protected .docx (Word
stores it as an OLE compound file holding an ``EncryptedPackage``), a damaged file, one
without text.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

from media.errors import LoaxaError
from media.textio import check_bulletin_text, read_text_file

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
MAX_DOCUMENT_XML = 64 * 1024 * 1024  # a zip bomb or not a bulletin
_BREAKS = {_W + "br", _W + "cr"}
_TEXT = _W + "t"
_TAB = _W + "tab"


def _paragraph(p: ElementTree.Element) -> str:
    parts: list[str] = []
    for el in p.iter():
        if el.tag == _TEXT:
            parts.append(el.text or "")
        elif el.tag == _TAB:
            parts.append("\t")
        elif el.tag in _BREAKS:
            parts.append("\n")
        elif el.tag == _W + "noBreakHyphen":
            parts.append("-")
    return "".join(parts)


def _cell(tc: ElementTree.Element) -> str:
    return " ".join(line.strip() for line in _blocks(tc) if line.strip())


def _row(tr: ElementTree.Element) -> str:
    text = ""
    for tc in tr.findall(_W + "tc"):
        cell = _cell(tc)
        if not cell:
            continue
        if text:
            text += " " if text[-1] in ".,;:!?" else ", "
        text += cell
    return text


def _blocks(parent: ElementTree.Element) -> Iterator[str]:
    """Lines of the paragraphs and tables under ``parent``, in document order; containers
    (content controls, custom XML) are looked into."""
    for child in parent:
        if child.tag == _W + "p":
            yield _paragraph(child)
        elif child.tag == _W + "tbl":
            for tr in child.iter(_W + "tr"):
                if tr.find(_W + "tc") is not None:
                    yield _row(tr)
        elif child.tag != _W + "sectPr":
            yield from _blocks(child)


def docx_text(data: bytes, path: Path) -> str:
    """The text of a .docx given as bytes (``path`` names it in messages)."""
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTED_STREAM in data:
            raise LoaxaError("docx_encrypted", path=str(path))
        raise LoaxaError("doc_old_format", path=str(path))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            try:
                info = archive.getinfo("word/document.xml")
            except KeyError:
                raise LoaxaError("docx_broken", path=str(path),
                                 reason="word/document.xml") from None
            if info.file_size > MAX_DOCUMENT_XML:
                raise LoaxaError("docx_broken", path=str(path), reason="document.xml > 64 MB")
            if info.flag_bits & 0x1:
                raise LoaxaError("docx_encrypted", path=str(path))
            xml = archive.read(info)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError,
            NotImplementedError, RuntimeError) as exc:
        raise LoaxaError("docx_broken", path=str(path), reason=str(exc) or "zip") from None
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError as exc:
        raise LoaxaError("docx_broken", path=str(path), reason=str(exc)) from None
    body = root.find(_W + "body")
    if body is None:
        raise LoaxaError("docx_broken", path=str(path), reason="w:body")
    lines = [line.rstrip() for line in "\n".join(_blocks(body)).split("\n")]
    text = unicodedata.normalize("NFC", "\n".join(lines))
    return check_bulletin_text(text)


def read_docx(path: Path) -> str:
    try:
        data = path.read_bytes()
    except (FileNotFoundError, IsADirectoryError):
        raise LoaxaError("file_not_found", path=str(path)) from None
    except OSError as exc:
        raise LoaxaError("file_unreadable", path=str(path), reason=exc.strerror or str(exc)) \
            from None
    return docx_text(data, path)


def read_bulletin_file(path: Path) -> str:
    """A bulletin's text from a .txt (UTF-8/UTF-16) or a .docx; a .doc is refused with a
    message saying to save it as .docx."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return read_docx(path)
    if suffix == ".doc":
        raise LoaxaError("doc_old_format", path=str(path))
    return read_text_file(path)


__all__ = ["docx_text", "read_bulletin_file", "read_docx"]
