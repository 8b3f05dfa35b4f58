"""Spoken form of bulletin text.

This first version makes text safe and clean for a voice: NFC, no control characters, no
emoji or markup, whitespace tidied, line structure kept. The full Vietnamese reading rules
(numbers, dates, document codes, abbreviations) build on it.
"""

from __future__ import annotations

import re
import unicodedata

NORMALIZER_VERSION = "1"

_TAG = re.compile(r"<[^>\n]{1,200}>")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")


def _keep(ch: str) -> bool:
    if ch == "\n":
        return True
    cat = unicodedata.category(ch)
    if cat.startswith("C"):  # control, format, private use, unassigned
        return False
    # Pictographs and symbols (emoji, dingbats) are not read aloud.
    return not (cat == "So" and ord(ch) > 0x2000)


def normalize_line(line: str) -> str:
    line = unicodedata.normalize("NFC", line)
    line = _TAG.sub(" ", line)
    line = "".join(ch if _keep(ch) else " " for ch in line)
    return _SPACES.sub(" ", line).strip()


def normalize(text: str) -> str:
    """Spoken form, line for line: the output has as many lines as the input."""
    return "\n".join(normalize_line(line) for line in text.replace("\r\n", "\n").split("\n"))
