"""Spoken forms of bulletin text, case by case (written → spoken)."""

from __future__ import annotations

import pytest

from media.normalize import Normalizer, normalize, normalize_line

NUMBERS = [
    ("0", "không"), ("1", "một"), ("5", "năm"), ("10", "mười"), ("11", "mười một"),
    ("14", "mười bốn"), ("15", "mười lăm"), ("20", "hai mươi"), ("21", "hai mươi mốt"),
    ("24", "hai mươi tư"), ("25", "hai mươi lăm"), ("31", "ba mươi mốt"), ("44", "bốn mươi tư"),
    ("55", "năm mươi lăm"), ("99", "chín mươi chín"), ("100", "một trăm"),
    ("101", "một trăm linh một"), ("104", "một trăm linh bốn"), ("105", "một trăm linh năm"),
    ("110", "một trăm mười"), ("115", "một trăm mười lăm"), ("121", "một trăm hai mươi mốt"),
    ("1000", "một nghìn"), ("1005", "một nghìn không trăm linh năm"),
    ("1050", "một nghìn không trăm năm mươi"), ("1.250", "một nghìn hai trăm năm mươi"),
    ("10.000", "mười nghìn"), ("15.000", "mười lăm nghìn"), ("100.000", "một trăm nghìn"),
    ("1.000.000", "một triệu"), ("1.000.500", "một triệu năm trăm"),
    ("2.500.000", "hai triệu năm trăm nghìn"), ("1.000.000.000", "một tỷ"),
    ("1.234.567", "một triệu hai trăm ba mươi tư nghìn năm trăm sáu mươi bảy"),
    ("08", "tám"), ("007", "bảy"), ("3,75", "ba phẩy bảy mươi lăm"), ("3,05", "ba phẩy không năm"),
    ("0,5", "không phẩy năm"), ("1.250,5", "một nghìn hai trăm năm mươi phẩy năm"),
    ("-5", "âm năm"), ("-12,5", "âm mười hai phẩy năm"),
    ("2026", "hai nghìn không trăm hai mươi sáu"), ("1945", "một nghìn chín trăm bốn mươi lăm"),
]

DATES_TIMES = [
    ("ngày 07/12/2026", "ngày bảy tháng mười hai năm hai nghìn không trăm hai mươi sáu"),
    ("Ngày 1/4/2025", "Ngày một tháng tư năm hai nghìn không trăm hai mươi lăm"),
    ("07/12/2026", "ngày bảy tháng mười hai năm hai nghìn không trăm hai mươi sáu"),
    ("07-12-2026", "ngày bảy tháng mười hai năm hai nghìn không trăm hai mươi sáu"),
    ("07.12.2026", "ngày bảy tháng mười hai năm hai nghìn không trăm hai mươi sáu"),
    ("ngày 30/4", "ngày ba mươi tháng tư"),
    ("từ 2/9", "từ ngày hai tháng chín"),
    ("tháng 4/2025", "tháng tư năm hai nghìn không trăm hai mươi lăm"),
    ("12/2026", "tháng mười hai năm hai nghìn không trăm hai mươi sáu"),
    ("tháng 4", "tháng tư"), ("tháng 1", "tháng một"), ("tháng 12", "tháng mười hai"),
    ("Tháng 04", "Tháng tư"),
    ("17h30", "mười bảy giờ ba mươi phút"), ("7h", "bảy giờ"), ("7h05", "bảy giờ năm phút"),
    ("06:00", "sáu giờ"), ("06:30", "sáu giờ ba mươi phút"), ("7g30", "bảy giờ ba mươi phút"),
    ("13h45'", "mười ba giờ bốn mươi lăm phút"), ("14 h", "mười bốn giờ"),
    ("08:15:30", "tám giờ mười lăm phút ba mươi giây"),
    ("từ 6h đến 8h", "từ sáu giờ đến tám giờ"), ("6h-8h", "sáu giờ đến tám giờ"),
    ("7h30 - 11h", "bảy giờ ba mươi phút đến mười một giờ"),
    ("2022-2027", "hai nghìn không trăm hai mươi hai đến hai nghìn không trăm hai mươi bảy"),
    ("giai đoạn 2021 – 2025", "giai đoạn hai nghìn không trăm hai mươi mốt đến hai nghìn "
                              "không trăm hai mươi lăm"),
    ("2.000.000đ - 3.000.000đ", "hai triệu đồng đến ba triệu đồng"),
    ("5-10%", "năm đến mười phần trăm"), ("từ 20 - 25 người", "từ hai mươi đến hai mươi lăm người"),
    ("từ ngày 07/12/2026 đến ngày 15/12/2026",
     "từ ngày bảy tháng mười hai năm hai nghìn không trăm hai mươi sáu đến ngày mười lăm tháng "
     "mười hai năm hai nghìn không trăm hai mươi sáu"),
]

UNITS = [
    ("15%", "mười lăm phần trăm"), ("3,5 %", "ba phẩy năm phần trăm"),
    ("100%", "một trăm phần trăm"), ("50.000đ", "năm mươi nghìn đồng"),
    ("50.000 đồng", "năm mươi nghìn đồng"), ("2 triệu VNĐ", "hai triệu đồng"),
    ("1,5 tỷ đồng", "một phẩy năm tỷ đồng"), ("300.000 VND", "ba trăm nghìn đồng"),
    ("20.000đ/người", "hai mươi nghìn đồng một người"), ("100 USD", "một trăm đô la Mỹ"),
    ("15 km", "mười lăm ki-lô-mét"), ("15km", "mười lăm ki-lô-mét"), ("200 m", "hai trăm mét"),
    ("2,5 ha", "hai phẩy năm héc-ta"), ("50 mm", "năm mươi mi-li-mét"),
    ("30 kg", "ba mươi ki-lô-gam"), ("25°C", "hai mươi lăm độ xê"), ("-5°C", "âm năm độ xê"),
    ("30 m³", "ba mươi mét khối"), ("120 m2", "một trăm hai mươi mét vuông"),
    ("60 km/h", "sáu mươi ki-lô-mét trên giờ"), ("5 tấn", "năm tấn"), ("2 lít", "hai lít"),
    ("25-30°C", "hai mươi lăm đến ba mươi độ xê"),
]

ORDINALS = [
    ("thứ 1", "thứ nhất"), ("thứ 2", "thứ hai"), ("thứ 4", "thứ tư"), ("Thứ 7", "Thứ bảy"),
    ("lần thứ 4", "lần thứ tư"), ("thứ 10", "thứ mười"), ("thứ 14", "thứ mười bốn"),
    ("Kỳ họp thứ 7", "Kỳ họp thứ bảy"), ("lần thứ IV", "lần thứ tư"), ("thứ I", "thứ nhất"),
    ("Khóa XV", "Khóa mười lăm"), ("khóa XIV", "khóa mười bốn"), ("quý IV", "quý bốn"),
    ("Quý I", "Quý một"), ("Phần II", "Phần hai"), ("Chương III", "Chương ba"),
    ("Mục IX", "Mục chín"), ("Đại hội XIII", "Đại hội mười ba"), ("lần IX", "lần chín"),
    ("Điều 5", "Điều năm"), ("khoản 2 Điều 3", "khoản hai Điều ba"),
    ("Chương IIII", "Chương IIII"),  # not a Roman numeral: left alone
]

DOCUMENTS = [
    ("Chỉ thị 07/CT-TTg", "Chỉ thị số bảy của Thủ tướng Chính phủ"),
    ("Chỉ thị số 07/CT-TTg", "Chỉ thị số bảy của Thủ tướng Chính phủ"),
    ("theo 07/CT-TTg", "theo chỉ thị số bảy của Thủ tướng Chính phủ"),
    ("Chỉ thị 07/CT-TTg của Thủ tướng Chính phủ", "Chỉ thị số bảy của Thủ tướng Chính phủ"),
    ("Nghị định số 09/2017/NĐ-CP",
     "Nghị định số chín năm hai nghìn không trăm mười bảy của Chính phủ"),
    ("Nghị quyết 27-NQ/TW", "Nghị quyết số hai mươi bảy của Trung ương"),
    ("Thông tư 63/2023/TT-BTC",
     "Thông tư số sáu mươi ba năm hai nghìn không trăm hai mươi ba của Bộ Tài chính"),
    ("Thông tư 39/2020/TT-BTTTT", "Thông tư số ba mươi chín năm hai nghìn không trăm hai mươi "
                                  "của Bộ Thông tin và Truyền thông"),
    ("Quyết định 1234/QĐ-UBND",
     "Quyết định số một nghìn hai trăm ba mươi tư của Ủy ban nhân dân"),
    ("Kế hoạch số 45/KH-UBND", "Kế hoạch số bốn mươi lăm của Ủy ban nhân dân"),
    ("Thông báo 15/TB-UBND", "Thông báo số mười lăm của Ủy ban nhân dân"),
    ("Thông tư liên tịch 12/2015/TTLT-BTC-BYT", "Thông tư liên tịch số mười hai năm hai nghìn "
                                               "không trăm mười lăm của Bộ Tài chính và Bộ Y tế"),
    ("Luật số 45/2019/QH14",
     "Luật số bốn mươi lăm năm hai nghìn không trăm mười chín của Quốc hội khóa mười bốn"),
    ("Nghị quyết 04/2021/NQ-HĐND", "Nghị quyết số bốn năm hai nghìn không trăm hai mươi mốt của "
                                   "Hội đồng nhân dân"),
    ("Công văn 567/UBND-VX", "Công văn số năm trăm sáu mươi bảy của Ủy ban nhân dân"),
    ("Quy định 08-QĐi/TW", "Quy định số tám của Trung ương"),
    ("Nghị định số 09/2017 quy định", "Nghị định số chín năm hai nghìn không trăm mười bảy quy "
                                      "định"),
    ("Đề án 407", "Đề án bốn trăm linh bảy"),
]

ABBREVIATIONS = [
    ("UBND xã", "Ủy ban nhân dân xã"), ("HĐND huyện", "Hội đồng nhân dân huyện"),
    ("MTTQ", "Mặt trận Tổ quốc"), ("Ủy ban MTTQ", "Ủy ban Mặt trận Tổ quốc"),
    ("thẻ BHYT", "thẻ bảo hiểm y tế"), ("BHXH tự nguyện", "bảo hiểm xã hội tự nguyện"),
    ("CNTT", "công nghệ thông tin"), ("trường THPT", "trường trung học phổ thông"),
    ("THCS", "trung học cơ sở"), ("PCCC", "phòng cháy chữa cháy"),
    ("TP. Hà Nội", "thành phố Hà Nội"), ("TP Huế", "thành phố Huế"),
    ("KT-XH", "kinh tế xã hội"), ("HTX", "hợp tác xã"), ("NTM", "nông thôn mới"),
    ("CCCD", "căn cước công dân"), ("GD&ĐT", "giáo dục và đào tạo"),
    ("ATGT", "an toàn giao thông"), ("COVID-19", "cô-vít mười chín"),
    ("UBNDX", "UBNDX"),  # not a word on the list: left alone
    ("ubnd", "ubnd"),  # case matters: lower case is not the abbreviation
]

PHONES = [
    ("0912 345 678", "không chín một hai, ba bốn năm, sáu bảy tám"),
    ("0912.345.678", "không chín một hai, ba bốn năm, sáu bảy tám"),
    ("0912345678", "không chín một hai ba bốn năm sáu bảy tám"),
    ("+84 912 345 678", "không chín một hai, ba bốn năm, sáu bảy tám"),
    ("(0203) 3812345", "không hai không ba, ba tám một hai ba bốn năm"),
    ("gọi 113", "gọi một một ba"), ("đường dây nóng 1022", "đường dây nóng một không hai hai"),
    ("1900 9095", "một chín không không, chín không chín năm"),
    ("Điện thoại: 114", "Điện thoại: một một bốn"),
    ("có 113 hộ", "có một trăm mười ba hộ"),  # not a phone number without context
]

CLEANING = [
    ("hoà bình", "hòa bình"), ("thuỷ lợi", "thủy lợi"), ("Uỷ ban", "Ủy ban"),
    ("quý khách", "quý khách"), ("hoàn thành", "hoàn thành"), ("khoẻ mạnh", "khỏe mạnh"),
    ("HOÀ BÌNH", "HÒA BÌNH"),
    ("Thông báo 📢 khẩn ✅", "Thông báo khẩn"), ("<b>Khẩn</b>", "Khẩn"),
    ("a\u200bb\u0007c", "a b c"), ("  nhiều    khoảng   trắng  ", "nhiều khoảng trắng"),
    ("Nam & Nữ", "Nam và Nữ"),
]

SENTENCES = [
    ("Thực hiện Chỉ thị số 07/CT-TTg ngày 14/3/2023 của Thủ tướng Chính phủ, UBND xã thông báo.",
     "Thực hiện Chỉ thị số bảy ngày mười bốn tháng ba năm hai nghìn không trăm hai mươi ba của "
     "Thủ tướng Chính phủ, Ủy ban nhân dân xã thông báo."),
    ("Từ 7h30 ngày 15/12, các hộ nộp 50.000đ/hộ tại nhà văn hóa thôn 3.",
     "Từ bảy giờ ba mươi phút ngày mười lăm tháng mười hai, các hộ nộp năm mươi nghìn đồng một "
     "hộ tại nhà văn hóa thôn ba."),
    ("Tỷ lệ tham gia BHYT đạt 95,2%, tăng 1,5% so với năm 2025.",
     "Tỷ lệ tham gia bảo hiểm y tế đạt chín mươi lăm phẩy hai phần trăm, tăng một phẩy năm phần "
     "trăm so với năm hai nghìn không trăm hai mươi lăm."),
    ("Mưa lớn 100-150 mm, gió cấp 6, giật cấp 8.",
     "Mưa lớn một trăm đến một trăm năm mươi mi-li-mét, gió cấp sáu, giật cấp tám."),
]


@pytest.mark.parametrize(("written", "spoken"),
                         NUMBERS + DATES_TIMES + UNITS + ORDINALS + DOCUMENTS + ABBREVIATIONS
                         + PHONES + CLEANING + SENTENCES)
def test_spoken_form(written: str, spoken: str) -> None:
    assert normalize_line(written) == spoken


@pytest.mark.parametrize("text", ["ngày 07/12/2026", "Ngày 07/12", "ngày 1/4/2025"])
def test_never_ngay_ngay(text: str) -> None:
    assert "ngày ngày" not in normalize_line(text).lower()


@pytest.mark.parametrize("written", [w for w, _ in DOCUMENTS])
def test_document_numbers_are_never_spelled_or_slashed(written: str) -> None:
    spoken = normalize_line(written)
    for bad in ("/", "xuyệt", " trên ", "xê tê", "tê tê", "gờ"):
        assert bad not in spoken


def test_month_four_is_tu_everywhere() -> None:
    spoken = normalize("tháng 4\n30/4/2026\nngày 1/4\n4/2026\nlần thứ 4")
    assert "bốn" not in spoken
    assert spoken.count("tư") == 5


def test_lines_are_kept_one_for_one() -> None:
    text = "Dòng 1\n\nUBND xã\r\n  \nDòng 4"
    assert normalize(text).split("\n") == ["Dòng một", "", "Ủy ban nhân dân xã", "", "Dòng bốn"]


def test_commune_lexicon_comes_first() -> None:
    lexicon = {"Pắc Ngòi": "Pắc Ngòi", "HTX Tân Lập": "hợp tác xã Tân Lập mới",
               "Y Ngông": "Y Ngông Niê Kđăm", "NVH": "nhà văn hóa"}
    normalizer = Normalizer(lexicon)
    assert normalizer.line("Họp tại NVH thôn 2 với HTX Tân Lập") == \
        "Họp tại nhà văn hóa thôn hai với hợp tác xã Tân Lập mới"
    assert normalizer.line("ông Y Ngông") == "ông Y Ngông Niê Kđăm"
    assert normalize_line("NVH") == "NVH"  # the default normalizer has no lexicon


def test_long_numbers_are_read_digit_by_digit() -> None:
    assert normalize_line("mã 1234567890123456789012") == \
        "mã " + " ".join(["một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín",
                          "không"] * 2 + ["một", "hai"])


@pytest.mark.parametrize("junk", ["", "   ", "\x00\x01\x02", "💥💥💥", "<<<>>>", "////----",
                                  "Ελληνικά 中文 العربية", "\ufffd" * 10])
def test_junk_never_crashes(junk: str) -> None:
    out = normalize(junk)
    assert out.count("\n") == junk.count("\n")


def test_a_megabyte_of_text_is_handled() -> None:
    text = ("Ngày 07/12/2026, UBND xã thông báo mức 1.250.000đ/hộ; gọi 0912 345 678.\n" * 14_000)
    assert len(text) > 1_000_000
    out = normalize(text)
    assert out.count("\n") == text.count("\n")
    assert "/" not in out and "UBND" not in out
