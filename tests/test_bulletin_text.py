"""Qt-free pieces of the Bulletins view: .docx text, the spoken form with its expansions, the
lexicon writer, the category list, waveform peaks, accent-insensitive folding."""

from __future__ import annotations

import zipfile
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from app.gui.bulletin_model import approval_state, fold
from app.lexicon import add_lexicon_entry, categories_file, load_categories
from app.paths import app_paths
from media.docxtext import docx_text, read_bulletin_file
from media.errors import LoaxaError
from media.expansions import spoken_preview
from media.normalize import Normalizer, normalize, read_table
from media.peaks import peaks_of_pcm

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def make_docx(path: Path, body: str) -> Path:
    """A minimal .docx: the zip with word/document.xml (Word itself adds more parts)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml",
                   f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{body}'
                   "<w:sectPr/></w:body></w:document>")
    return path


def para(*runs: str) -> str:
    return "<w:p>" + "".join(f"<w:r>{r}</w:r>" for r in runs) + "</w:p>"


def t(text: str) -> str:
    return f'<w:t xml:space="preserve">{text}</w:t>'


def test_docx_paragraphs_tabs_breaks_and_tables(tmp_path: Path) -> None:
    body = (para(t("THÔNG BÁO")) + para(t("Lịch tiêm chủng"), "<w:tab/>", t("đợt 2"))
            + para(t("Dòng một"), "<w:br/>", t("Dòng hai"))
            + para(t("bỏ"), "<w:delText>đã xóa</w:delText>", "<w:instrText> PAGE </w:instrText>")
            + "<w:tbl><w:tr><w:tc>" + para(t("Thôn 1")) + "</w:tc><w:tc>" + para(t("7h30"))
            + "</w:tc></w:tr><w:tr><w:tc>" + para(t("Thôn 2.")) + "</w:tc><w:tc>"
            + para(t("8h")) + "</w:tc></w:tr></w:tbl>"
            + "<w:sdt><w:sdtContent>" + para(t("Trong ô nội dung")) + "</w:sdtContent></w:sdt>")
    text = read_bulletin_file(make_docx(tmp_path / "thông báo.docx", body))
    assert text.split("\n") == ["THÔNG BÁO", "Lịch tiêm chủng\tđợt 2", "Dòng một", "Dòng hai",
                                "bỏ", "Thôn 1, 7h30", "Thôn 2. 8h", "Trong ô nội dung"]


@pytest.mark.parametrize(("name", "data", "code"), [
    ("hỏng.docx", b"PK\x03\x04 not really a zip", "docx_broken"),
    ("cũ.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "doc_old_format"),
    ("mật khẩu.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100)
     + "EncryptedPackage".encode("utf-16-le") + bytes(100), "docx_encrypted"),
    ("đổi tên.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "doc_old_format"),
])
def test_bad_word_files_are_refused_with_a_reason(tmp_path: Path, name: str, data: bytes,
                                                  code: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(LoaxaError) as caught:
        read_bulletin_file(path)
    assert caught.value.code == code


def test_docx_without_document_or_text_or_with_bad_xml(tmp_path: Path) -> None:
    empty = tmp_path / "trống.docx"
    with zipfile.ZipFile(empty, "w") as z:
        z.writestr("word/other.xml", "<x/>")
    with pytest.raises(LoaxaError) as caught:
        read_bulletin_file(empty)
    assert caught.value.code == "docx_broken"
    with pytest.raises(LoaxaError) as caught:
        read_bulletin_file(make_docx(tmp_path / "rỗng.docx", para(t("  ")) + para()))
    assert caught.value.code == "text_empty"
    bad = tmp_path / "xml.docx"
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("word/document.xml", "<w:document><unclosed>")
    with pytest.raises(LoaxaError) as caught:
        docx_text(bad.read_bytes(), bad)
    assert caught.value.code == "docx_broken"
    with pytest.raises(LoaxaError) as caught:
        read_bulletin_file(tmp_path / "không có.docx")
    assert caught.value.code == "file_not_found"


def test_spoken_preview_marks_what_the_rules_expanded() -> None:
    text = ("Thực hiện Chỉ thị 07/CT-TTg ngày 14/3/2023 của Thủ tướng\r\n\n"
            "UBND xã họp lúc 17h30 tại nhà văn hoá thôn.\n")
    preview = spoken_preview(text)
    assert preview.spoken == normalize(text)
    pairs = [(text[e.src_start:e.src_end], preview.spoken[e.out_start:e.out_end])
             for e in preview.expansions]
    assert pairs == [("07/CT-TTg", "số bảy"),
                     ("14/3/2023", "mười bốn tháng ba năm hai nghìn không trăm hai mươi ba"),
                     ("UBND", "Ủy ban nhân dân"), ("17h30", "mười bảy giờ ba mươi phút")]


def test_spoken_preview_counts_inserted_words_on_a_written_word() -> None:
    preview = spoken_preview("Theo 07/CT-TTg, tiêm chủng")
    (only,) = preview.expansions
    assert preview.spoken[only.out_start:only.out_end] == \
        "chỉ thị số bảy của Thủ tướng Chính phủ"
    assert (only.src_start, only.src_end) == (5, 14)
    assert spoken_preview("").expansions == ()
    assert spoken_preview("Bình thường, không có gì.").expansions == ()


def test_spoken_preview_with_a_lexicon_entry() -> None:
    preview = spoken_preview("Bản Pa Cheo họp", Normalizer({"Pa Cheo": "Pa Chéo"}))
    assert preview.spoken == "Bản Pa Chéo họp"
    assert [preview.spoken[e.out_start:e.out_end] for e in preview.expansions] == ["Chéo"]


def test_lexicon_entries_are_added_and_replaced_keeping_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "config" / "lexicon.tsv"
    add_lexicon_entry(path, " Pa  Cheo ", "Pa Chéo")
    assert path.read_text(encoding="utf-8") == "Pa Cheo\tPa Chéo\n"
    path.write_text("# từ điển của xã\nHĐND\thội đồng\n\nPa Cheo\tcũ\n", encoding="utf-8-sig")
    add_lexicon_entry(path, "Pa Cheo", "Pa Chéo")
    add_lexicon_entry(path, "Mường Tè", "Mường Tè")
    assert path.read_text(encoding="utf-8") == ("# từ điển của xã\nHĐND\thội đồng\n\n"
                                                "Pa Cheo\tPa Chéo\nMường Tè\tMường Tè\n")
    assert read_table(path) == {"HĐND": "hội đồng", "Pa Cheo": "Pa Chéo",
                                "Mường Tè": "Mường Tè"}
    assert not list(path.parent.glob("*.tmp"))
    with pytest.raises(LoaxaError) as caught:
        add_lexicon_entry(path, "x", "   ")
    assert caught.value.code == "lexicon_entry_empty"


def test_lexicon_write_failure_keeps_the_old_file(tmp_path: Path, monkeypatch) -> None:
    import os

    path = tmp_path / "lexicon.tsv"
    path.write_text("A\tâ\n", encoding="utf-8")

    def full_disk(*_a, **_k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(LoaxaError) as caught:
        add_lexicon_entry(path, "B", "bê")
    assert caught.value.code == "file_unwritable"
    assert path.read_text(encoding="utf-8") == "A\tâ\n"
    assert not list(tmp_path.glob("*.tmp"))


def test_categories_shipped_then_the_communes_own(loaxa_home: Path) -> None:
    paths = app_paths().ensure()
    shipped = load_categories(paths)
    assert "Tiêm chủng" in shipped and len(shipped) >= 10
    assert not any(c.startswith("#") for c in shipped)
    categories_file(paths).write_text("# riêng\nNông thôn mới\nNông thôn mới\nBầu cử\n",
                                      encoding="utf-8")
    assert load_categories(paths) == ["Nông thôn mới", "Bầu cử"]


def test_peaks_are_the_loudest_sample_per_slice() -> None:
    samples = np.zeros(1000, dtype="<i2")
    samples[10] = -16384
    samples[990] = 32767
    peaks = peaks_of_pcm(samples.tobytes(), 10)
    assert peaks.shape == (10,) and peaks.dtype == np.float32
    assert peaks[0] == pytest.approx(0.5) and peaks[9] == pytest.approx(1.0, abs=1e-4)
    assert not peaks[1:9].any()
    assert peaks_of_pcm(b"", 10).size == 0
    assert peaks_of_pcm(samples[:3].tobytes(), 10).size == 3


def test_fold_and_approval_state() -> None:
    assert fold("Tiêm chủng ĐỢT 2 — Đắk Lắk") == "tiem chung dot 2 — dak lak"
    assert approval_state(SimpleNamespace(title="x")) is None
    # Only the flag counts: a date of an approval that no longer covers the text does not.
    assert approval_state(SimpleNamespace(approved=False, approved_at="2026-11-25")) is False
    assert approval_state(SimpleNamespace(approved=True)) is True
