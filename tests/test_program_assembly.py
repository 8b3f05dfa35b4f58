"""A session program assembled from audio files: durations, loudness measured by pyloudnorm
on the decoded file, true peak, corrupt and missing items, cancel, progress."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from media import loudness
from media.audio import decode_pcm, run_ffmpeg
from media.errors import Cancelled, LoaxaError
from media.program import PROGRAM_RATE, assemble_program

STEP_S = 0.1  # items are padded to whole 100 ms


def decoded(path: Path) -> np.ndarray:
    return loudness.from_pcm16(decode_pcm(path, PROGRAM_RATE, 1))


def item(folder: Path, name: str, level_dbfs: float, seconds: float,
         source: str = "sine=frequency=300") -> Path:
    """A speech-like test item (a tone or noise switching on and off) at a peak level."""
    path = folder / name
    amplitude = 8 * 10 ** (level_dbfs / 20) if source.startswith("sine") \
        else 10 ** (level_dbfs / 20)
    run_ffmpeg(["-f", "lavfi", "-i", f"{source}:duration={seconds}", "-af",
                f"volume={amplitude},apulsator=hz=1.5", "-ac", "1", "-ar", "44100", "-y",
                str(path)])
    return path


@pytest.fixture(scope="module")
def items(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("items")
    return [item(folder, "tin-1.mp3", -1.0, 4.0),
            item(folder, "ghi-am.wav", -35.0, 3.0),
            item(folder, "phong-van.m4a", -12.0, 5.0, "anoisesrc=color=pink:amplitude=1"),
            item(folder, "nhac-hieu.ogg", -20.0, 2.5, "sine=frequency=880"),
            item(folder, "tin-2.wav", -6.0, 3.5)]


def test_items_are_joined_with_gaps_and_loudness_matched(tmp_path, items) -> None:
    out = tmp_path / "buoi-phat.wav"
    steps: list[tuple[int, int]] = []
    program = assemble_program(items, out, gap_ms=700,
                               progress=lambda done, total: steps.append((done, total)))
    signal = decoded(out)
    assert abs(signal.size / PROGRAM_RATE - program.duration_s) < 0.01
    lengths = [4.0, 3.0, 5.0, 2.5, 3.5]
    assert abs(program.duration_s - (sum(lengths) + 4 * 0.7)) < 5 * STEP_S
    assert [i.path for i in program.items] == items and not program.skipped
    for report, seconds in zip(program.items, lengths, strict=True):
        assert abs(report.duration_s - seconds) < STEP_S
        start = int(report.start_s * PROGRAM_RATE)
        piece = signal[start: start + int(report.duration_s * PROGRAM_RATE)]
        assert abs(loudness.integrated_lufs(piece, PROGRAM_RATE) + 16) <= 0.5
        gap = signal[start - int(0.6 * PROGRAM_RATE): start] if start else np.zeros(1)
        assert np.abs(gap).max() < 1e-3  # silence before every item but the first
    assert program.items[1].source_lufs < -40  # the quiet recording was raised
    assert abs(loudness.integrated_lufs(signal, PROGRAM_RATE) + 16) <= 0.5
    assert abs(program.lufs - loudness.integrated_lufs(signal, PROGRAM_RATE)) <= 0.1
    assert loudness.true_peak_dbfs(signal) <= -1.5 and program.true_peak_dbtp <= -1.5
    assert np.abs(signal).max() < 0.99
    assert steps == [(n, 6) for n in range(1, 7)]


def test_mp3_program_is_broadcast_ready(tmp_path, items) -> None:
    out = tmp_path / "buoi-phat.mp3"
    program = assemble_program(items, out, target_lufs=-18.0, ceiling_dbtp=-2.0)
    signal = decoded(out)
    assert abs(loudness.integrated_lufs(signal, PROGRAM_RATE) + 18) <= 0.5
    assert loudness.true_peak_dbfs(signal) <= -2.0
    assert abs(signal.size / PROGRAM_RATE - program.duration_s) < 0.1
    assert [p.name for p in tmp_path.iterdir()] == ["buoi-phat.mp3"]  # no temporary left


def test_a_corrupt_item_stops_the_work_naming_the_file(tmp_path, items) -> None:
    broken = tmp_path / "hong.m4a"
    broken.write_bytes(b"\x00\x00\x00\x18ftypM4A " + bytes(range(256)) * 10)
    out = tmp_path / "ra.mp3"
    with pytest.raises(LoaxaError) as info:
        assemble_program([items[0], broken, items[2]], out)
    assert info.value.code == "audio_corrupt"
    assert info.value.params["path"] == str(broken)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hong.m4a"]  # nothing written
    with pytest.raises(LoaxaError, match="audio_missing"):
        assemble_program([items[0], tmp_path / "khong-co.mp3"], out)
    assert not out.exists()


def test_corrupt_items_can_be_skipped_and_are_reported(tmp_path, items) -> None:
    broken = tmp_path / "hong.mp3"
    broken.write_bytes(b"ID3" + bytes(500))
    missing = tmp_path / "khong-co.ogg"
    out = tmp_path / "ra.wav"
    program = assemble_program([items[0], broken, items[3], missing], out, gap_ms=500,
                               skip_corrupt=True)
    assert [i.path for i in program.skipped] == [broken, missing]
    assert all(i.skipped for i in program.skipped)
    assert abs(program.duration_s - (4.0 + 0.5 + 2.5)) < 2 * STEP_S
    assert abs(decoded(out).size / PROGRAM_RATE - program.duration_s) < 0.01
    with pytest.raises(LoaxaError, match="session_empty"):
        assemble_program([broken], tmp_path / "rong.wav", skip_corrupt=True)
    with pytest.raises(LoaxaError, match="session_empty"):
        assemble_program([], tmp_path / "rong.wav")
    assert not (tmp_path / "rong.wav").exists()


def test_cancel_leaves_no_file(tmp_path, items) -> None:
    out = tmp_path / "ra.mp3"
    calls: list[int] = []

    def stop() -> bool:
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(Cancelled):
        assemble_program(items, out, should_stop=stop)
    assert list(tmp_path.iterdir()) == []


def test_unknown_output_format_is_refused(tmp_path, items) -> None:
    with pytest.raises(LoaxaError, match="audio_format_unsupported"):
        assemble_program(items, tmp_path / "ra.flac")
    assert list(tmp_path.iterdir()) == []


def test_a_silent_item_is_kept_as_it_is(tmp_path, items) -> None:
    quiet = tmp_path / "lang.wav"
    run_ffmpeg(["-f", "lavfi", "-i", "anullsrc=r=44100:cl=mono", "-t", "2", "-y", str(quiet)])
    program = assemble_program([items[0], quiet], tmp_path / "ra.wav", gap_ms=0)
    signal = decoded(tmp_path / "ra.wav")
    start = int(program.items[1].start_s * PROGRAM_RATE)
    assert np.abs(signal[start + 100:]).max() < 1e-4
    assert abs(program.items[1].duration_s - 2.0) < STEP_S


def test_stereo_items_at_other_rates_are_brought_to_the_program_rate(tmp_path) -> None:
    stereo = tmp_path / "hai-kenh.ogg"
    run_ffmpeg(["-f", "lavfi", "-i", "sine=frequency=440:duration=3:sample_rate=48000",
                "-af", "apulsator=hz=2,volume=0.5", "-ac", "2", "-ar", "48000", "-y",
                str(stereo)])
    program = assemble_program([stereo], tmp_path / "ra.wav")
    signal = decoded(tmp_path / "ra.wav")
    assert abs(program.duration_s - 3.0) < STEP_S
    assert abs(loudness.integrated_lufs(signal, PROGRAM_RATE) + 16) <= 0.5


def test_an_unwritable_output_is_a_clear_error(tmp_path, items) -> None:
    blocker = tmp_path / "tep"
    blocker.write_text("x")
    with pytest.raises(LoaxaError, match="file_unwritable"):
        assemble_program(items[:2], blocker / "ra.mp3")


def test_items_decoded_in_process_match_ffmpeg(tmp_path, items) -> None:
    """WAV, MP3 and Vorbis at the program rate are decoded by miniaudio: the same samples as
    ffmpeg's (within one step); the rest goes to ffmpeg; refused files are judged by ffmpeg."""
    from media.audio import decode_mono_pcm

    for path in items:
        ours = np.frombuffer(decode_mono_pcm(path, PROGRAM_RATE), dtype="<i2").astype(int)
        reference = np.frombuffer(decode_pcm(path, PROGRAM_RATE, 1), dtype="<i2").astype(int)
        assert ours.size == reference.size
        assert np.abs(ours - reference).max() <= 1
    stereo = tmp_path / "hai-kenh.wav"
    run_ffmpeg(["-f", "lavfi", "-i", "sine=frequency=440:duration=1:sample_rate=44100",
                "-af", "volume=0.5", "-ac", "2", "-y", str(stereo)])
    mixed = np.frombuffer(decode_mono_pcm(stereo, PROGRAM_RATE), dtype="<i2").astype(int)
    reference = np.frombuffer(decode_pcm(stereo, PROGRAM_RATE, 1), dtype="<i2").astype(int)
    assert mixed.size == reference.size and np.abs(mixed - reference).max() <= 2
    broken = tmp_path / "hong.ogg"
    broken.write_bytes(b"OggS" + bytes(700))
    with pytest.raises(LoaxaError) as info:
        decode_mono_pcm(broken, PROGRAM_RATE)
    assert info.value.code == "audio_corrupt"
    with pytest.raises(LoaxaError, match="audio_missing"):
        decode_mono_pcm(tmp_path / "khong-co.mp3", PROGRAM_RATE)
