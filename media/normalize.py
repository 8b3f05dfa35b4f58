"""Spoken form of Vietnamese government bulletins, rule by rule, as an announcer reads them.

Passes, in order (each a compiled regular expression; the word lists are data files in
``media/data/`` plus the commune's own lexicon):

1. clean: NFC, markup, control characters and emoji removed, spaces tidied; one canonical
   tone placement (hoà → hòa, thuỷ → thủy);
2. the commune's lexicon (place names, ethnic-minority names, local terms);
3. legal document numbers: 09/2017/NĐ-CP → "số chín năm hai nghìn không trăm mười bảy của
   Chính phủ" (with the kind, "nghị định", unless the text just named it);
4. phone numbers, digit by digit;
5. dates (d/m/yyyy, d-m-yyyy, d/m, m/yyyy; never "ngày ngày"; "tháng tư"), times (17h30, 7h,
   06:00), ranges read with "đến";
6. percent, currency, units;
7. ordinals (thứ nhất, thứ tư) and Roman numerals after khóa, quý, phần, chương, mục, lần …;
8. abbreviations of Vietnamese administration;
9. numbers: decimals with a comma, thousands with dots, negatives, leading zeros, big amounts.

``normalize`` keeps the line structure: as many lines out as in.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

from media.numbers import (
    decimal_words,
    digit_words,
    integer_words,
    month_words,
    number_words,
    ordinal_words,
    roman_value,
)

NORMALIZER_VERSION = "2"
DATA_DIR = Path(__file__).resolve().parent / "data"

# -- 1. cleaning ----------------------------------------------------------------------------
_TAG = re.compile(r"<[^>\n]{1,200}>")
# Every kind of space that survives _DROP becomes a plain space (later passes rely on it).
_SPACE_CHARS = r"[ \t\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000]"
_SPACES = re.compile(" " + _SPACE_CHARS + "+|" + _SPACE_CHARS.replace("[ ", "[", 1) + _SPACE_CHARS
                     + "*")
# Old-style tone placement on the second vowel → the placement used in government text.
_TONE_FIX = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}
_TONE = re.compile(r"(?<![qQ])(" + "|".join(_TONE_FIX) + "|"
                   + "|".join(k.upper() for k in _TONE_FIX) + "|"
                   + "|".join(k[0].upper() + k[1] for k in _TONE_FIX) + r")(?!\w)")


def _tone(match: re.Match[str]) -> str:
    found = match.group(1)
    fixed = _TONE_FIX[found.lower()]
    if found.isupper():
        return fixed.upper()
    if found[0].isupper():
        return fixed[0].upper() + fixed[1]
    return fixed


# Kept: letters and digits of every script, spaces, ASCII punctuation, Latin and Vietnamese
# letters, typographic punctuation, degree and superscripts. Dropped (one regex, no per-char
# Python): control and format characters, zero-width spaces, private use, emoji, dingbats.
_DROP = re.compile(r"[^\w\s!-/:-@\[-`{-~\u00a0-\u024f\u1e00-\u1eff\u2010-\u2027"
                   r"\u2030-\u205e°℃²³]|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad]")


_TONE_HINT = re.compile("[oOuU](?<![qQ].)[àáảãạèéẻẽẹỳýỷỹỵÀÁẢÃẠÈÉẺẼẸỲÝỶỸỴ](?!\\w)")


def clean_line(line: str) -> str:
    line = unicodedata.normalize("NFC", line)
    if "<" in line:
        line = _TAG.sub(" ", line)
    line = _DROP.sub(" ", line)
    if _TONE_HINT.search(line):
        line = _TONE.sub(_tone, line)
    return _SPACES.sub(" ", line).strip()


# -- word lists -------------------------------------------------------------------------------
def read_table(path: Path) -> dict[str, str]:
    """WRITTEN<TAB>SPOKEN lines; '#' starts a comment line. UTF-8 (a BOM is allowed)."""
    table: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8-sig").splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        written, sep, spoken = raw.partition("\t")
        if sep and written.strip() and spoken.strip():
            table[unicodedata.normalize("NFC", written.strip())] = \
                unicodedata.normalize("NFC", spoken.strip())
    return table


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _word_pattern(table: Mapping[str, str]) -> re.Pattern[str] | None:
    """Whole words of ``table`` (not after a letter, digit or dot), longest first. Written as
    one branch per first character, each checking what precedes it right after that character:
    the regular-expression engine then skips straight to those characters instead of trying
    every word at every position."""
    if not table:
        return None
    by_first: dict[str, list[str]] = {}
    for word in sorted(table, key=len, reverse=True):
        by_first.setdefault(word[0], []).append(word[1:])
    branches = []
    for first, rests in by_first.items():
        c = re.escape(first)
        branches.append(c + r"(?<![\w.]" + c + r")(?:" + "|".join(map(re.escape, rests)) + ")")
    return re.compile("(" + "|".join(branches) + r")(?![\w])")


@cache
def _tables() -> tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, str]]:
    return (read_table(DATA_DIR / "abbreviations.tsv"), read_table(DATA_DIR / "document-kinds.tsv"),
            read_table(DATA_DIR / "document-issuers.tsv"), read_table(DATA_DIR / "units.tsv"))


# -- 3. legal document numbers ----------------------------------------------------------------
_CODE = r"[A-ZĐ][A-Za-zĐđ]*\d*"
_DOC = re.compile(
    r"(?P<num>\d(?<![\w/]\d)\d{0,4})"
    r"(?:/(?P<year>(?:19|20)\d{2}))?"
    r"(?:/(?P<kind1>" + _CODE + r")(?P<iss1>(?:-" + _CODE + r")+)"  # 07/CT-TTg, 09/2017/NĐ-CP
    r"|-(?P<kind2>" + _CODE + r")/(?P<iss2>" + _CODE + r"(?:-" + _CODE + r")*)"  # 27-NQ/TW
    r"|/(?P<law>QH\d{1,2}))"  # 45/2019/QH14
    r"(?![\w/])")
_DATE_AFTER = re.compile(r"^ngày\s+[\d/.-]+[\s,]*")
_SO_BEFORE = re.compile(r"\bsố\s*$")
_NUMBER_YEAR = re.compile(r"(\d(?<=\bsố \d)\d{0,4})/((?:19|20)\d{2})(?![\w/])")
_QH = re.compile(r"^QH(\d{1,2})$")


def _issuer_words(code: str, issuers: Mapping[str, str]) -> str | None:
    term = _QH.match(code)
    if term:
        return f"Quốc hội khóa {number_words(int(term.group(1)))}"
    return issuers.get(code)


def _document(match: re.Match[str], line: str) -> str:
    _, kinds, issuers, _ = _tables()
    if match.group("law"):  # Luật số 45/2019/QH14
        kind, names = "luật", [_issuer_words(match.group("law"), issuers)]
    else:
        kind_code = match.group("kind1") or match.group("kind2")
        codes = (match.group("iss1").lstrip("-").split("-") if match.group("kind1")
                 else match.group("iss2").split("-"))
        kind = kinds.get(kind_code)
        if kind is None and kind_code in issuers:
            # 567/UBND-VX: an official letter of the issuer; the department code is dropped.
            kind, codes = "văn bản", [kind_code]
        names = [_issuer_words(code, issuers) for code in codes if code]
        if kind is None or not names or any(n is None for n in names):
            return match.group(0)  # not a document number we know: later passes read it
    before = line[max(0, match.start() - 40):match.start()].lower()
    after = line[match.end():match.end() + 80].lstrip(" ,").lower()
    after = _DATE_AFTER.sub("", after)  # "… ngày 14/3/2023 của Thủ tướng"
    issuer = " và ".join(n for n in names if n)
    words = []
    if kind not in before and not (kind == "văn bản" and before.strip()):
        words.append(kind)
    if not _SO_BEFORE.search(before):
        words.append("số")
    words.append(integer_words(match.group("num")))
    if match.group("year"):
        words += ["năm", number_words(int(match.group("year")))]
    if not after.startswith("của " + issuer.split()[0].lower()):  # the text names it next
        words += ["của", issuer]
    return " ".join(words)


# -- 4. phone numbers -------------------------------------------------------------------------
# Each alternative starts with its own character (so the scan skips to them quickly), then
# checks that it does not follow a word, a dot or a comma.
_PHONE_BODY = r"\d{2,4}(?:[\s.-]?\d{2,4}){1,3}"
_PHONE = re.compile(
    r"(?:\+(?<![\w.,]\+)84[\s.]?" + _PHONE_BODY + r"|\((?<![\w.,]\()0\d{2,3}\)\s?" + _PHONE_BODY
    + r"|0(?<![\w.,]0)" + _PHONE_BODY + r"|1(?<![\w.,]1)[89]00[\s.]?\d{3,4})(?![\w,]|\.\d)")
_PHONE_WORDS = ("điện thoại", "đt", "hotline", "đường dây nóng", "gọi", "liên hệ", "zalo",
                "số máy")
_SHORT_AFTER_WORD = re.compile(  # matched in the lower-cased line
    r"(?:điện thoại|đt|sđt|hotline|đường dây nóng|gọi|liên hệ|zalo|số máy)[\s:.]*\b(\d{3,5})\b")


def _phone_digits(text: str) -> str:
    text = re.sub(r"^\+84[\s.]?", "0", text)
    groups = [g for g in re.split(r"[\s.\-()]+", text) if g]
    return ", ".join(digit_words(g) for g in groups)


def _phones(line: str) -> str:
    def replace(match: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", match.group(0).replace("+84", "0"))
        if 8 <= len(digits) <= 11:
            return _phone_digits(match.group(0))
        return match.group(0)

    line = _PHONE.sub(replace, line)
    lower = line.lower()
    if not any(word in lower for word in _PHONE_WORDS):
        return line

    # short service numbers after "gọi", "đường dây nóng" …: 113, 114, 115, 1022 (found in the
    # lower-cased line, which has the same length for Vietnamese text)
    if len(lower) != len(line):
        lower = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in line)
    out: list[str] = []
    last = 0
    for match in _SHORT_AFTER_WORD.finditer(lower):
        out += [line[last:match.start(1)], digit_words(match.group(1))]
        last = match.end(1)
    if not out:
        return line
    out.append(line[last:])
    return "".join(out)


# -- 5. dates, times, ranges ------------------------------------------------------------------
_DATE = re.compile(r"(\d(?<![\w/.,-]\d)\d?)([/.-])(\d{1,2}|\d{4})(?:\2(\d{4}))?"
                   r"(?![\w/]|[.,]\d)")
_AFTER_NGAY = re.compile(r"\b[nN]gày\s+$")
_AFTER_THANG = re.compile(r"\b[tT]háng\s+$")
_MONTH_WORD = re.compile(r"([tT]háng)(?<!\w[tT]háng)\s+(0?[1-9]|1[0-2])\b(?![.,]\d)")
_TIME_H = re.compile(r"(\d(?<![\w.,]\d)\d?)\s?[hg]"
                     r"(?:\s?([0-5]\d)(?:\s?(?:phút|p|'))?)?(?![\w])")
_TIME_COLON = re.compile(r"(\d(?<![\w.,:]\d)\d?):([0-5]\d)(?::([0-5]\d))?(?![\w:])")
_NUMERIC_TAIL = (r"[\d.,]*\s?(?:%|đ\b|đồng\b|VNĐ\b|VND\b|USD\b|triệu\b|tỷ\b|nghìn\b|ngàn\b|"
            r"giờ\b|phút\b|h\b|g\b|km\b|kg\b|ha\b|m\b|°C)?")
_RANGE = re.compile(r"(\d(?<![\w/-]\d)(?:\d?\s?[hg]\s?[0-5]\d'?|" + _NUMERIC_TAIL
                    + r"))\s*[-–—]\s*(?=\d)")
_YEAR_RANGE = re.compile(r"((?:19|20)(?<![\w/.-]\d\d)\d{2})\s*[-–—]\s*((?:19|20)\d{2})(?![\w/])")


def _date(match: re.Match[str], line: str) -> str:
    first, sep, second, year = match.groups()
    before = line[max(0, match.start() - 8):match.start()]
    a, b = int(first), int(second)
    words: list[str] = []
    if year is not None or (len(second) <= 2 and sep == "/"):
        # d/m/yyyy, d-m-yyyy, d.m.yyyy and d/m
        if not (1 <= a <= 31 and 1 <= b <= 12) or len(second) > 2:
            return match.group(0)
        if not _AFTER_NGAY.search(before):  # never "ngày ngày"
            words.append("ngày")
        words += [integer_words(first), "tháng", month_words(b)]
    elif len(second) == 4 and sep == "/" and 1 <= a <= 12:  # m/yyyy
        if not _AFTER_THANG.search(before):
            words.append("tháng")
        words.append(month_words(a))
        year = second
    else:
        return match.group(0)
    if year is not None:
        words += ["năm", number_words(int(year))]
    return " ".join(words)


def _dates(line: str) -> str:
    if "/" in line or "-" in line or "." in line:
        line = _DATE.sub(lambda m: _date(m, line), line)
    if "háng" in line:
        line = _MONTH_WORD.sub(lambda m: f"{m.group(1)} {month_words(int(m.group(2)))}", line)
    return line


def _clock(hours: str, minutes: str | None, seconds: str | None = None) -> str:
    words = [number_words(int(hours)), "giờ"]
    if minutes and int(minutes):
        words += [number_words(int(minutes)), "phút"]
    if seconds and int(seconds):
        words += [number_words(int(seconds)), "giây"]
    return " ".join(words)


def _colon_time(m: re.Match[str]) -> str:
    if int(m.group(1)) > 23:  # 25:10 is not a time
        return m.group(0)
    return _clock(m.group(1), m.group(2), m.group(3))


def _h_time(m: re.Match[str]) -> str:
    if int(m.group(1)) > 23:  # not a time of day: "trong 48h" is a duration (48 hours);
        if m.group(2) is None and m.group(0).endswith("h"):  # "50g" stays grams
            return f"{number_words(int(m.group(1)))} giờ"
        return m.group(0)
    return _clock(m.group(1), m.group(2))


def _ranges(line: str) -> str:
    line = _YEAR_RANGE.sub(r"\1 đến \2", line)
    return _RANGE.sub(lambda m: m.group(1).rstrip() + " đến ", line)


# -- 6. percent, currency, units --------------------------------------------------------------
_NUM = r"(\d[\d.,]*)"
_PERCENT = re.compile(_NUM + r"\s?%")
_CURRENCY = re.compile(_NUM + r"(\s?(?:nghìn|ngàn|triệu|tỷ))?\s?(?:đồng|đ|VNĐ|VND|vnđ|vnd)"
                       r"(?![\w])")
_USD = re.compile(r"(?:" + _NUM + r"\s?(?:USD|\$)|\$\s?" + _NUM + r")(?![\w])")


@cache
def _unit_pattern() -> re.Pattern[str]:
    units = _tables()[3]
    return re.compile(_NUM + r"\s?(" + _alternation(units) + r")(?![\w²³])")


def _units(line: str) -> str:
    units = _tables()[3]
    if "%" in line:
        line = _PERCENT.sub(r"\1 phần trăm", line)
    if "đ" in line or "VN" in line or "vn" in line:
        line = _CURRENCY.sub(lambda m: f"{m.group(1)}{m.group(2) or ''} đồng", line)
    if "USD" in line or "$" in line:
        line = _USD.sub(lambda m: f"{m.group(1) or m.group(2)} đô la Mỹ", line)
    return _unit_pattern().sub(lambda m: f"{m.group(1)} {units[m.group(2)]}", line)


# -- 7. ordinals and Roman numerals -----------------------------------------------------------
_ORDINAL = re.compile(r"([tT]hứ)(?<!\w[tT]hứ)\s+(\d{1,3}|[IVXLC]{1,7})\b")
_ROMAN_KEYWORD = re.compile(
    r"(?i)(?:\b(?:khóa|khoá|quý|phần|chương|mục|lần|kỳ|đại hội|tiết|điều|nhiệm kỳ|vòng|tập|"
    r"loại|cấp|hạng|vùng|khu vực|thế kỷ|phụ lục|biểu|mẫu|tuần))\s+$")


def _romans(line: str) -> str:
    """Roman numerals after khóa, quý, phần, chương, mục, lần …: "Khóa XV" → "Khóa mười lăm"."""
    out: list[str] = []
    last = 0
    for match in _ROMAN_TOKEN.finditer(line):
        value = roman_value(match.group(0))
        if value is None or not _ROMAN_KEYWORD.search(line, max(0, match.start() - 14),
                                                       match.start()):
            continue
        out += [line[last:match.start()], number_words(value)]
        last = match.end()
    if not out:
        return line
    out.append(line[last:])
    return "".join(out)


_ROMAN_TOKEN = re.compile(r"[IVXLC](?<!\w[IVXLC])[IVXLC]{0,6}(?!\w)")


def _ordinal(m: re.Match[str]) -> str:
    token = m.group(2)
    value = int(token) if token.isdigit() else roman_value(token)
    if value is None:
        return m.group(0)
    return f"{m.group(1)} {ordinal_words(value)}"


# -- 9. numbers -------------------------------------------------------------------------------
_NUMBER = re.compile(
    r"(?=[-\d])(?<![\w.,])(?P<neg>-(?=\d))?"
    r"(?:(?P<thousands>\d{1,3}(?:\.\d{3})+)(?:,(?P<tfrac>\d+))?"
    r"|(?P<int>\d+)(?:,(?P<frac>\d+))?)"
    r"(?![\d]|[.,]\d)")


def _number(m: re.Match[str]) -> str:
    sign = "âm " if m.group("neg") else ""
    if m.group("thousands"):
        whole = m.group("thousands").replace(".", "")
        frac = m.group("tfrac")
    else:
        whole, frac = m.group("int"), m.group("frac")
    text = decimal_words(whole, frac) if frac else integer_words(whole)
    return sign + text


_LEFTOVER = [("&", re.compile(r"\s*&\s*"), " và "),
             ("/", re.compile(r"/(?<=\w/)(người|hộ|khẩu|tháng|năm|ngày|tuần|lần|buổi|suất|"
                              r"con|kg|ha|tấn|lít|giờ)\b"), r" một \1"),  # 20.000đ/người
             ("/", re.compile(r"/(?<=\w/)(?=\w)"), " "),
             (" -", re.compile(r"\s+-\s+"), ", "), ("–", re.compile(r"\s+[–—]\s+"), ", "),
             ("—", re.compile(r"\s+[–—]\s+"), ", "), (" ,", re.compile(r"\s+,"), ",")]


_DIGIT = re.compile(r"\d")
_TIME_HINT = re.compile(r"\d\s?[hg]")


# -- the whole ----------------------------------------------------------------------------------
class Normalizer:
    """Spoken form with the shipped lists and an optional lexicon of the commune's own."""

    def __init__(self, lexicon: Mapping[str, str] | None = None) -> None:
        self.abbreviations = _tables()[0]
        self._abbr = _word_pattern(self.abbreviations)
        self.lexicon = {unicodedata.normalize("NFC", k): v for k, v in (lexicon or {}).items()}
        self._lexicon = _word_pattern(self.lexicon)

    def line(self, text: str) -> str:
        line = clean_line(text)
        if not line:
            return line
        if self._lexicon is not None:
            line = self._lexicon.sub(lambda m: self.lexicon[m.group(1)], line)
        has_digits = _DIGIT.search(line) is not None
        if has_digits and ("/" in line or "-" in line):
            line = _DOC.sub(lambda m: _document(m, line), line)
        if self._abbr is not None:  # after document numbers: "TW" in "27-NQ/TW" is theirs
            line = self._abbr.sub(lambda m: self.abbreviations[m.group(1)], line)
        if "hứ" in line:
            line = _ORDINAL.sub(_ordinal, line)
        if _ROMAN_TOKEN.search(line):
            line = _romans(line)
        if has_digits:
            line = self._numeric(line)
            if _DIGIT.search(line):
                line = _NUMBER.sub(_number, line)
        for guard, pattern, replacement in _LEFTOVER:
            if guard in line:
                line = pattern.sub(replacement, line)
        while "  " in line:
            line = line.replace("  ", " ")
        return line.strip()

    @staticmethod
    def _numeric(line: str) -> str:
        """The passes that only matter when the line has digits."""
        if "số " in line and "/" in line:
            line = _NUMBER_YEAR.sub(lambda m: f"{integer_words(m.group(1))} năm "
                                              f"{number_words(int(m.group(2)))}", line)
        line = _phones(line)
        line = _dates(line)
        if "-" in line or "–" in line or "—" in line:
            line = _ranges(line)
        if ":" in line:
            line = _TIME_COLON.sub(_colon_time, line)
        if _TIME_HINT.search(line):
            line = _TIME_H.sub(_h_time, line)
        return _units(line)

    def text(self, text: str) -> str:
        return "\n".join(self.line(line)
                         for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


@cache
def _default() -> Normalizer:
    return Normalizer()


def normalize_line(line: str) -> str:
    return _default().line(line)


def normalize(text: str, lexicon: Mapping[str, str] | None = None) -> str:
    """Spoken form, line for line: the output has as many lines as the input."""
    return (Normalizer(lexicon) if lexicon else _default()).text(text)
