import unicodedata

from media.normalize import normalize, normalize_line


def test_line_count_is_kept() -> None:
    text = "Dòng một\n\n  Dòng   ba  \nDòng bốn"
    out = normalize(text)
    assert out.split("\n") == ["Dòng một", "", "Dòng ba", "Dòng bốn"]


def test_controls_emoji_and_markup_are_removed() -> None:
    line = "Thông\u0007 báo 📢 <b>khẩn</b>\u200b: họp\u00a0thôn ✅"
    assert normalize_line(line) == "Thông báo khẩn : họp thôn"


def test_output_is_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Hội đồng nhân dân")
    assert normalize_line(decomposed) == "Hội đồng nhân dân"
