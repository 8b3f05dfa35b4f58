"""The analysis cache of session programs: an item measured before (at import or by an
earlier assembly) is not measured again, and that changes nothing in the program; entries
that do not fit are ignored; corrupt items are refused as before."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

import media.program as program_module
from media import loudness
from media.analysis_cache import VERSION, AnalysisCache, ItemAnalysis, entry_key
from media.audio import decode_pcm
from media.errors import LoaxaError
from media.program import PROGRAM_RATE, assemble_program, measure_item
from tests.conftest import run_cli
from tests.test_program_assembly import item


@pytest.fixture(scope="module")
def items(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("items")
    return [item(folder, "tin.mp3", -1.0, 3.0),
            item(folder, "ghi-am.wav", -35.0, 2.0),
            item(folder, "phong-van.m4a", -12.0, 2.5, "anoisesrc=color=pink:amplitude=1"),
            item(folder, "nhac.ogg", -20.0, 2.0, "sine=frequency=880")]


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Count the items actually measured (not taken from the cache)."""
    measured: list[int] = []
    real = program_module._analyse_item

    def analyse(padded, samples, target, ceiling):
        measured.append(samples)
        return real(padded, samples, target, ceiling)

    monkeypatch.setattr(program_module, "_analyse_item", analyse)
    return measured


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def entries(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.npz"))


def test_a_cached_assembly_is_the_same_program_without_measuring(tmp_path, items,
                                                                  counted) -> None:
    plain = assemble_program(items, tmp_path / "khong-cache.wav", gap_ms=500)
    assert len(counted) == len(items)
    cache = tmp_path / "analysis"
    first = assemble_program(items, tmp_path / "lan-1.wav", gap_ms=500, cache_dir=cache)
    assert len(counted) == 2 * len(items) and len(entries(cache)) == len(items)
    second = assemble_program(items, tmp_path / "lan-2.wav", gap_ms=500, cache_dir=cache)
    assert len(counted) == 2 * len(items)  # nothing measured the second time
    # the very same samples, loudness and peaks as measuring every item
    assert digest(tmp_path / "lan-2.wav") == digest(tmp_path / "lan-1.wav") \
        == digest(tmp_path / "khong-cache.wav")
    assert second.items == first.items == plain.items
    assert (second.lufs, second.true_peak_dbtp) == (plain.lufs, plain.true_peak_dbtp)
    signal = loudness.from_pcm16(decode_pcm(tmp_path / "lan-2.wav", PROGRAM_RATE, 1))
    assert abs(loudness.integrated_lufs(signal, PROGRAM_RATE) + 16) <= 0.5
    assert loudness.true_peak_dbfs(signal) <= -1.5


def test_entries_are_per_target_ceiling_and_output(tmp_path, items, counted) -> None:
    cache = tmp_path / "analysis"
    assemble_program(items[:2], tmp_path / "a.wav", cache_dir=cache)
    assemble_program(items[:2], tmp_path / "b.mp3", cache_dir=cache)  # ceiling 0.3 dB lower
    quieter = assemble_program(items[:2], tmp_path / "c.wav", target_lufs=-20.0,
                               cache_dir=cache)
    assert len(counted) == 6 and len(entries(cache)) == 6
    signal = loudness.from_pcm16(decode_pcm(tmp_path / "c.wav", PROGRAM_RATE, 1))
    assert abs(loudness.integrated_lufs(signal, PROGRAM_RATE) + 20) <= 0.5
    assert abs(quieter.lufs + 20) <= 0.5


def test_measured_at_import_means_not_measured_at_assembly(tmp_path, items, counted) -> None:
    cache = tmp_path / "analysis"
    for path in items:
        found = measure_item(path, cache)  # an MP3 program at -16 LUFS, -1.5 dBTP
        assert isinstance(found, ItemAnalysis) and found.peak_dbtp <= -1.8
    assert len(counted) == len(items)
    program = assemble_program(items, tmp_path / "ra.mp3", cache_dir=cache)
    assert len(counted) == len(items)
    signal = loudness.from_pcm16(decode_pcm(tmp_path / "ra.mp3", PROGRAM_RATE, 1))
    assert abs(loudness.integrated_lufs(signal, PROGRAM_RATE) + 16) <= 0.5
    assert loudness.true_peak_dbfs(signal) <= -1.5 and program.true_peak_dbtp <= -1.8


def test_a_changed_file_is_measured_again(tmp_path, items, counted) -> None:
    cache = tmp_path / "analysis"
    path = tmp_path / "tin.wav"
    path.write_bytes(items[1].read_bytes())  # a quiet recording (-35 dB peaks)
    assemble_program([path], tmp_path / "a.wav", cache_dir=cache)
    item(tmp_path, "tin.wav", -3.0, 2.0)  # the same name, now loud
    program = assemble_program([path], tmp_path / "b.wav", cache_dir=cache)
    assert len(counted) == 2
    signal = loudness.from_pcm16(decode_pcm(tmp_path / "b.wav", PROGRAM_RATE, 1))
    assert abs(loudness.integrated_lufs(signal, PROGRAM_RATE) + 16) <= 0.5
    assert loudness.true_peak_dbfs(signal) <= -1.5 and program.items[0].source_lufs > -30


def test_unreadable_or_unfitting_entries_are_ignored_and_rewritten(tmp_path, items,
                                                                   counted) -> None:
    cache = tmp_path / "analysis"
    reference = assemble_program(items[:1], tmp_path / "a.wav", cache_dir=cache)
    (entry,) = entries(cache)
    for junk in (b"", b"PK\x03\x04 not a zip", bytes(range(256)) * 40):
        entry.write_bytes(junk)
        again = assemble_program(items[:1], tmp_path / "b.wav", cache_dir=cache)
        assert again.items == reference.items
        assert digest(tmp_path / "b.wav") == digest(tmp_path / "a.wav")
    assert len(counted) == 4
    assemble_program(items[:1], tmp_path / "c.wav", cache_dir=cache)
    assert len(counted) == 4  # the rewritten entry is used

    store = AnalysisCache(tmp_path / "other")
    good = ItemAnalysis(4410, -20.0, -3.0, 2.0, np.full(138, 0.5, np.float32), np.ones(1))
    store.put("ab-1", good)
    assert store.get("ab-1", 4410, 138, 1) is not None
    assert store.get("ab-1", 4411, 138, 1) is None  # another length decoded
    assert store.get("ab-1", 4410, 137, 1) is None
    assert store.get("ab-1", 4410, 138, 2) is None
    bad_curve = ItemAnalysis(4410, -20.0, -3.0, 2.0, np.full(138, 1.5, np.float32), np.ones(1))
    store.put("ab-2", bad_curve)  # a limiter never raises a block: not an entry of ours
    assert store.get("ab-2", 4410, 138, 1) is None
    assert store.get("cd-3", 4410, 138, 1) is None


def test_keys_name_everything_the_analysis_depends_on() -> None:
    key = entry_key("0" * 64, "miniaudio 1.71", 44100, -16.0, -1.8)
    assert key.startswith("0" * 64)
    assert key == entry_key("0" * 64, "miniaudio 1.71", 44100, -16, -1.8)
    others = {entry_key("1" * 64, "miniaudio 1.71", 44100, -16.0, -1.8),
              entry_key("0" * 64, "ffmpeg", 44100, -16.0, -1.8),
              entry_key("0" * 64, "miniaudio 1.71", 48000, -16.0, -1.8),
              entry_key("0" * 64, "miniaudio 1.71", 44100, -18.0, -1.8),
              entry_key("0" * 64, "miniaudio 1.71", 44100, -16.0, -1.5)}
    assert key not in others and len(others) == 5
    assert VERSION >= 1


def test_corrupt_items_are_refused_with_a_cache_too(tmp_path, items) -> None:
    cache = tmp_path / "analysis"
    broken = tmp_path / "hong.mp3"
    broken.write_bytes(items[0].read_bytes())
    assemble_program([items[1], broken], tmp_path / "a.wav", cache_dir=cache)
    broken.write_bytes(b"ID3" + bytes(500))  # the file went bad after it was measured
    with pytest.raises(LoaxaError) as info:
        assemble_program([items[1], broken], tmp_path / "b.wav", cache_dir=cache)
    assert info.value.code == "audio_corrupt" and info.value.params["path"] == str(broken)
    assert not (tmp_path / "b.wav").exists()
    with pytest.raises(LoaxaError, match="audio_missing"):
        measure_item(tmp_path / "khong-co.wav", cache)
    with pytest.raises(LoaxaError) as info:
        measure_item(broken, cache)
    assert info.value.code == "audio_corrupt"
    skipped = assemble_program([items[1], broken], tmp_path / "c.wav", cache_dir=cache,
                               skip_corrupt=True)
    assert [i.path for i in skipped.skipped] == [broken]


def test_a_cache_that_cannot_be_written_changes_nothing(tmp_path, items) -> None:
    blocker = tmp_path / "khong-phai-thu-muc"
    blocker.write_text("x")
    program = assemble_program(items[:2], tmp_path / "ra.wav", cache_dir=blocker)
    assert not program.skipped and (tmp_path / "ra.wav").exists()
    assert blocker.read_text() == "x"


def test_audio_add_measures_the_recording_for_programs(tmp_path, loaxa_home, counted) -> None:
    source = item(tmp_path, "nhac-hieu.wav", -30.0, 2.0)
    asset = run_cli("audio", "add", str(source), "--title", "Nhạc hiệu", check=True)
    assert asset.stdout.split()[-1].isdigit()
    cache = loaxa_home / "cache" / "analysis"
    assert len(entries(cache)) == 1
    (stored,) = (loaxa_home / "data" / "audio").rglob("*.mp3")
    program = assemble_program([stored, stored], tmp_path / "ra.mp3", cache_dir=cache)
    assert counted == []  # measured at import, not now
    signal = loudness.from_pcm16(decode_pcm(tmp_path / "ra.mp3", PROGRAM_RATE, 1))
    assert abs(loudness.integrated_lufs(signal, PROGRAM_RATE) + 16) <= 0.5
    assert loudness.true_peak_dbfs(signal) <= -1.5 and program.true_peak_dbtp <= -1.8
