"""The spoken form of a text together with where it differs from the written one, for a
preview that highlights what the reading rules changed ("07/CT-TTg" → "số bảy của Thủ tướng
Chính phủ", "UBND" → "Ủy ban nhân dân", "17h30" → "mười bảy giờ ba mươi phút").

The normalizer (``media.normalize``) is a chain of rewrites, so instead of threading offsets
through every rule, each line's written and spoken words are aligned afterwards
(``difflib.SequenceMatcher`` on word tokens): what is not kept word for word is an expansion.
Words that only differ by case or by the tone-placement fix ("hoà" / "hòa") count as kept.
Offsets are Python string indices (code points) into the texts as given and as returned.
"""

from __future__ import annotations

import difflib
import re
import time
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from media.normalize import Normalizer, clean_line

_TOKEN = re.compile(r"\w+|[^\w\s]")


@dataclass(frozen=True)
class Expansion:
    """``text[src_start:src_end]`` is read as ``spoken[out_start:out_end]``."""

    src_start: int
    src_end: int
    out_start: int
    out_end: int


@dataclass(frozen=True)
class SpokenPreview:
    spoken: str  # the whole spoken text, line for line (same line count as the input)
    expansions: tuple[Expansion, ...]


@lru_cache(maxsize=65536)
def _key(token: str) -> str:
    """What makes two tokens 'the same word' for the alignment."""
    if token.isascii():
        return token.casefold()
    return clean_line(unicodedata.normalize("NFC", token)).casefold()


def _tokens(line: str) -> list[tuple[int, int, str]]:
    """Word and punctuation tokens; those the cleaning drops (emoji, controls) are left out,
    so they never widen an expansion."""
    tokens = [(m.start(), m.end(), _key(m.group(0))) for m in _TOKEN.finditer(line)]
    return [token for token in tokens if token[2]]


def _line_expansions(written: str, spoken: str, src_base: int,
                     out_base: int) -> list[Expansion]:
    src = _tokens(written)
    out = _tokens(spoken)
    if not out and not src:
        return []
    matcher = difflib.SequenceMatcher(None, [t[2] for t in src], [t[2] for t in out],
                                      autojunk=False)
    found: list[Expansion] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        removed = src[i1:i2]
        added = out[j1:j2]
        if not added and not any(t[2][0].isalnum() for t in removed):
            continue  # punctuation dropped or tidied: not worth a highlight
        if not removed:
            if not any(t[2][:1].isalnum() for t in added):
                continue  # punctuation added (", " between groups of digits)
            # Words said with no written counterpart ("ngày" before a date): shown on the
            # written token before them, or after them at the start of a line.
            anchor = src[i1 - 1] if i1 > 0 else (src[i1] if i1 < len(src) else None)
            if anchor is None:
                continue
            removed = [anchor]
        if not added:
            out_start = out_end = out[j1][0] if j1 < len(out) else len(spoken)
        else:
            out_start, out_end = added[0][0], added[-1][1]
        found.append(Expansion(src_base + removed[0][0], src_base + removed[-1][1],
                               out_base + out_start, out_base + out_end))
    return _merged(found)


def _merged(found: list[Expansion]) -> list[Expansion]:
    """Overlapping spans (a word inserted next to a replaced one) become one."""
    merged: list[Expansion] = []
    for e in sorted(found, key=lambda e: (e.src_start, e.out_start)):
        if merged and e.src_start < merged[-1].src_end:
            last = merged[-1]
            merged[-1] = Expansion(last.src_start, max(last.src_end, e.src_end),
                                   min(last.out_start, e.out_start),
                                   max(last.out_end, e.out_end))
        else:
            merged.append(e)
    return merged


def spoken_preview(text: str, normalizer: Normalizer | None = None) -> SpokenPreview:
    """The spoken form of ``text`` (as ``normalizer.text`` gives it) and its expansions.
    Line breaks may be ``\\n``, ``\\r\\n`` or ``\\r``; offsets refer to ``text`` as given."""
    normalizer = normalizer or Normalizer()
    spoken_lines: list[str] = []
    expansions: list[Expansion] = []
    src_base = out_base = 0
    parts = re.split(r"(\r\n|\r|\n)", text)
    for n in range(0, len(parts), 2):
        if n % 64 == 62:
            time.sleep(0)  # a long text: let other threads (a window's GUI thread) run
        line = parts[n]
        spoken = normalizer.line(line)
        expansions += _line_expansions(line, spoken, src_base, out_base)
        spoken_lines.append(spoken)
        src_base += len(line) + (len(parts[n + 1]) if n + 1 < len(parts) else 0)
        out_base += len(spoken) + 1
    return SpokenPreview("\n".join(spoken_lines), tuple(expansions))


__all__ = ["Expansion", "SpokenPreview", "spoken_preview"]
