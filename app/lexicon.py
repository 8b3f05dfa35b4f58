"""Writing the commune's lexicon (``lexicon.tsv``: WRITTEN<TAB>SPOKEN per line, '#' comments)
and reading the list of bulletin categories.

The lexicon file is rewritten whole through a temporary file and ``os.replace``, so a full
disk or a crash never leaves half a file; comments, blank lines and the other entries are kept
as they were, an entry for the same written form is replaced in place.
"""

from __future__ import annotations

import os
import tempfile
import unicodedata
from pathlib import Path

from app.paths import AppPaths, resources_dir
from media.errors import LoaxaError

MAX_ENTRY_CHARS = 200
DEFAULT_CATEGORIES_FILE = "bulletin-categories.vi.txt"


def write_atomically(path: Path, text: str) -> None:
    """``text`` as UTF-8 into ``path``, all or nothing."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise LoaxaError("file_unwritable", path=str(path), reason=exc.strerror or str(exc)) \
            from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise LoaxaError("file_unwritable", path=str(path), reason=exc.strerror or str(exc)) \
            from None


def _clean_entry(value: str) -> str:
    return unicodedata.normalize("NFC", " ".join(value.split()))


def add_lexicon_entry(path: Path, written: str, spoken: str) -> None:
    """Adds (or replaces) ``written`` → ``spoken`` in the lexicon file at ``path``."""
    written, spoken = _clean_entry(written), _clean_entry(spoken)
    if not written or not spoken:
        raise LoaxaError("lexicon_entry_empty")
    if len(written) > MAX_ENTRY_CHARS or len(spoken) > MAX_ENTRY_CHARS:
        raise LoaxaError("lexicon_entry_long", limit=MAX_ENTRY_CHARS)
    lines: list[str] = []
    if path.exists():
        try:
            lines = path.read_text(encoding="utf-8-sig").splitlines()
        except UnicodeDecodeError as exc:
            raise LoaxaError("lexicon_bad", path=str(path),
                             reason=f"UTF-8, byte {exc.start}") from None
        except OSError as exc:
            raise LoaxaError("file_unreadable", path=str(path),
                             reason=exc.strerror or str(exc)) from None
    entry = f"{written}\t{spoken}"
    for n, line in enumerate(lines):
        if line.lstrip().startswith("#"):
            continue
        key, sep, _ = line.partition("\t")
        if sep and unicodedata.normalize("NFC", key.strip()) == written:
            lines[n] = entry
            break
    else:
        lines.append(entry)
    write_atomically(path, "\n".join(lines) + "\n")


def categories_file(paths: AppPaths) -> Path:
    """The commune's own category list; when it does not exist, the shipped one is used."""
    return paths.config_dir / "categories.txt"


def _read_list(path: Path) -> list[str]:
    items: list[str] = []
    for raw in path.read_text(encoding="utf-8-sig").splitlines():
        item = unicodedata.normalize("NFC", raw.strip())
        if item and not item.startswith("#") and item not in items:
            items.append(item)
    return items


def load_categories(paths: AppPaths) -> list[str]:
    """The policy areas of the commune's communication plan: ``categories.txt`` in the
    settings folder (one per line, '#' comments), else the shipped default list. An
    unreadable file is reported, not silently replaced."""
    own = categories_file(paths)
    path = own if own.exists() else resources_dir() / DEFAULT_CATEGORIES_FILE
    try:
        return _read_list(path)
    except UnicodeDecodeError as exc:
        raise LoaxaError("file_unreadable", path=str(path),
                         reason=f"UTF-8, byte {exc.start}") from None
    except OSError as exc:
        raise LoaxaError("file_unreadable", path=str(path), reason=exc.strerror or str(exc)) \
            from None


__all__ = ["add_lexicon_entry", "categories_file", "load_categories", "write_atomically"]
