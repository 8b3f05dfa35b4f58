"""Vietnamese number words by the rules an announcer reads them: mốt/một, lăm/năm, linh, tư,
mười/mươi, nghìn, triệu, tỷ."""

from __future__ import annotations

from functools import lru_cache

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
SCALES = ("", "nghìn", "triệu", "tỷ", "nghìn tỷ", "triệu tỷ")
MAX_DIGITS = 18


def _below_thousand(n: int, full: bool) -> list[str]:
    """0 < n < 1000. ``full``: a group after a higher one ("một nghìn không trăm linh năm")."""
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if hundreds or full:
                words.append("linh")
            words.append(DIGITS[units])
    elif tens == 1:
        words.append("mười")
        if units:
            words.append("lăm" if units == 5 else DIGITS[units])
    else:
        words += [DIGITS[tens], "mươi"]
        if units:
            words.append({1: "mốt", 4: "tư", 5: "lăm"}.get(units, DIGITS[units]))
    return words


@lru_cache(maxsize=4096)  # bulletins repeat their numbers (years, days, amounts)
def number_words(n: int) -> str:
    if n < 0:
        return "âm " + number_words(-n)
    if n == 0:
        return "không"
    groups: list[int] = []
    rest = n
    while rest:
        rest, group = divmod(rest, 1000)
        groups.append(group)
    if len(groups) > len(SCALES):
        return digit_words(str(n))
    words: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if not group:
            continue
        words += _below_thousand(group, full=bool(words))
        if SCALES[index]:
            words.append(SCALES[index])
    return " ".join(words)


def digit_words(digits: str) -> str:
    """Digit by digit: phone numbers, codes, long identifiers."""
    return " ".join(DIGITS[int(d)] for d in digits if d.isdigit())


def integer_words(text: str) -> str:
    """A written integer: leading zeros dropped ("08" → "tám"); very long ones digit by digit."""
    digits = text.lstrip("0") or "0"
    if len(digits) > MAX_DIGITS:
        return digit_words(text)
    return number_words(int(digits))


def decimal_words(integer: str, fraction: str) -> str:
    """3,75 → "ba phẩy bảy mươi lăm"; 3,05 → "ba phẩy không năm"."""
    if fraction.startswith("0") or len(fraction) > 3:
        tail = digit_words(fraction)
    else:
        tail = number_words(int(fraction))
    return f"{integer_words(integer)} phẩy {tail}"


def ordinal_words(n: int) -> str:
    """After "thứ": thứ nhất, thứ hai, thứ tư …"""
    return {1: "nhất", 4: "tư"}.get(n, number_words(n))


def month_words(n: int) -> str:
    """After "tháng": tháng tư (never "tháng bốn")."""
    return "tư" if n == 4 else number_words(n)


_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def roman_value(text: str) -> int | None:
    """Value of a well-formed Roman numeral, or None."""
    if not text or any(ch not in _ROMAN for ch in text):
        return None
    total = 0
    for index, ch in enumerate(text):
        value = _ROMAN[ch]
        if index + 1 < len(text) and _ROMAN[text[index + 1]] > value:
            total -= value
        else:
            total += value
    return total if _to_roman(total) == text else None


def _to_roman(n: int) -> str:
    out = []
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"),
                           (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                           (4, "IV"), (1, "I")):
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)
