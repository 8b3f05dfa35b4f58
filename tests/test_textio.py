import codecs

import pytest

from media.errors import LoaxaError
from media.textio import MAX_TEXT_CHARS, check_bulletin_text, decode_text, read_text_file

TEXT = "Ủy ban nhân dân xã thông báo: tiêm chủng mở rộng.\nThứ Hai, ngày 07/12."


@pytest.mark.parametrize("data", [
    TEXT.encode("utf-8"),
    codecs.BOM_UTF8 + TEXT.encode("utf-8"),
    codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
    codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
    TEXT.replace("\n", "\r\n").encode("utf-8"),
])
def test_accepted_encodings_give_the_same_text(data: bytes) -> None:
    assert decode_text(data) == TEXT


def test_decomposed_text_is_composed() -> None:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", TEXT)
    assert decomposed != TEXT
    assert decode_text(decomposed.encode("utf-8")) == TEXT


@pytest.mark.parametrize("encoding", ["cp1258", "latin-1", "utf-16-le"])
def test_other_encodings_are_refused(encoding: str) -> None:
    data = TEXT.encode(encoding, errors="replace") if encoding != "utf-16-le" \
        else TEXT.encode(encoding)  # UTF-16 without a BOM is not guessed
    with pytest.raises(LoaxaError) as info:
        decode_text(data)
    assert info.value.code in {"text_bad_encoding", "text_not_text"}


def test_empty_and_huge_texts_are_refused() -> None:
    with pytest.raises(LoaxaError, match="text_empty"):
        check_bulletin_text(" \n\t ")
    with pytest.raises(LoaxaError, match="text_too_long"):
        check_bulletin_text("a" * (MAX_TEXT_CHARS + 1))
    assert check_bulletin_text("  Xin chào  ") == "Xin chào"


def test_read_text_file_errors(tmp_path) -> None:
    with pytest.raises(LoaxaError, match="file_not_found"):
        read_text_file(tmp_path / "none.txt")
    with pytest.raises(LoaxaError, match="file_not_found"):
        read_text_file(tmp_path)
    path = tmp_path / "ok.txt"
    path.write_bytes(codecs.BOM_UTF8 + TEXT.encode())
    assert read_text_file(path) == TEXT
