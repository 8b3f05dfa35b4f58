"""Spoken forms at the edges of the patterns rewritten for speed (word boundaries, what may
precede a number, letter case, every kind of space), and the commune lexicon's boundaries."""

from __future__ import annotations

import pytest

from media.normalize import Normalizer, clean_line, normalize_line

CASES = [
    # the tone pass: "quý" keeps its placement, old placements are fixed next to it
    ("Quý IV năm nay", "Quý bốn năm nay"), ("QUÝ IV", "QUÝ bốn"),
    ("quý 2, thuỷ lợi", "quý hai, thủy lợi"), ("Hoà bình, quý I", "Hòa bình, quý một"),
    # times: hours 0–23; more hours is a duration
    ("23h", "hai mươi ba giờ"), ("7g30", "bảy giờ ba mươi phút"),
    ("trong 48h", "trong bốn mươi tám giờ"), ("25h", "hai mươi lăm giờ"),
    ("từ 24h-48h", "từ hai mươi tư giờ đến bốn mươi tám giờ"),
    ("19:45:30", "mười chín giờ bốn mươi lăm phút ba mươi giây"),
    ("lúc 06:00", "lúc sáu giờ"), ("x7h", "x7h"), ("50g đường", "năm mươi gam đường"),
    # short service numbers right after their word, in any letter case
    ("Gọi 114", "Gọi một một bốn"), ("GỌI 113 ngay", "GỌI một một ba ngay"),
    ("ĐT: 1022", "điện thoại: một không hai hai"),
    ("đường dây nóng 111.", "đường dây nóng một một một."),
    ("liên hệ 115, 116", "liên hệ một một năm, một trăm mười sáu"),
    ("Zalo 1234 hoặc 5678", "Zalo một hai ba bốn hoặc năm nghìn sáu trăm bảy mươi tám"),
    ("gọi 114 gọi 115", "gọi một một bốn gọi một một năm"),
    # phone numbers: not inside a word
    ("a0912345678", "a0912345678"),
    ("(024) 3825 1234", "không hai bốn, ba tám hai năm, một hai ba bốn"),
    ("+84 912 345 678", "không chín một hai, ba bốn năm, sáu bảy tám"),
    ("Hotline: 1900 1234", "Hotline: một chín không không, một hai ba bốn"),
    # year ranges, dates, document numbers: not glued to a word
    ("2020-2021", "hai nghìn không trăm hai mươi đến hai nghìn không trăm hai mươi mốt"),
    ("x2020-2021", "x2020-hai nghìn không trăm hai mươi mốt"),
    ("ngày 7/12", "ngày bảy tháng mười hai"), ("ab7/12", "ab7 mười hai"),
    ("số 12/2023", "số mười hai năm hai nghìn không trăm hai mươi ba"),
    ("Thứ 4", "Thứ tư"), ("xthứ 4", "xthứ bốn"),
    ("tháng 04", "tháng tư"), ("xtháng 4", "xtháng bốn"),
    # leftovers
    ("20.000đ/người", "hai mươi nghìn đồng một người"), ("x/y/z", "x y z"),
    ("1.250.000đ - 2.000.000đ", "một triệu hai trăm năm mươi nghìn đồng đến hai triệu đồng"),
    ("họp - bàn", "họp, bàn"), ("họp -bàn", "họp -bàn"),
]


@pytest.mark.parametrize(("written", "spoken"), CASES)
def test_edge_cases(written: str, spoken: str) -> None:
    assert normalize_line(written) == spoken


@pytest.mark.parametrize("space", ["\t", "\u00a0", "\u1680", "\u2003", "\u2028", "\u2029",
                                   "\u202f", "\u3000", "  ", " \t "])
def test_every_kind_of_space_becomes_one_space(space: str) -> None:
    assert clean_line(f"a{space}b") == "a b"
    assert normalize_line(f"họp{space}-{space}bàn") == "họp, bàn"


def test_lexicon_words_are_whole_words() -> None:
    lexicon = {"NVH": "nhà văn hóa", "N": "en", "NV": "nhân viên", "TP.": "thành phố",
               "Nà Phặc": "Nà Phặc (bản)", "3A": "ba a"}
    normalizer = Normalizer(lexicon)
    assert normalizer.line("Họp tại NVH, xNVH, .NVH, NVHx.") == \
        "Họp tại nhà văn hóa, xNVH, .NVH, NVHx."
    assert normalizer.line("N và NV và NVH") == "en và nhân viên và nhà văn hóa"
    assert normalizer.line("TP. Lào Cai, Nà Phặc, tổ 3A") == \
        "thành phố Lào Cai, Nà Phặc (bản), tổ ba a"
