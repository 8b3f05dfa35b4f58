"""Broadcast-ready audio, measured on the files as a player decodes them."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from media import loudness
from media.audio import decode_pcm, run_ffmpeg
from media.errors import LoaxaError
from media.program import PROGRAM_RATE, chime, load_audio, prepare_audio_file
from media.render import RenderOptions, render_text

TEXT = ("Ủy ban nhân dân xã thông báo lịch tiêm chủng mở rộng cho trẻ em dưới năm tuổi.\n"
        "Đề nghị các gia đình đưa trẻ đến trạm y tế xã đúng giờ.")


def decoded(path: Path) -> np.ndarray:
    return loudness.from_pcm16(decode_pcm(path, PROGRAM_RATE, 1))


def assert_broadcast_ready(signal: np.ndarray, target: float = -16.0) -> None:
    lufs = loudness.integrated_lufs(signal, PROGRAM_RATE)
    assert abs(lufs - target) <= 0.5, lufs
    assert loudness.true_peak_dbfs(signal) <= -1.5
    assert np.abs(signal).max() < 0.99  # no sample at full scale


def tone_file(tmp_path: Path, name: str, level_dbfs: float, seconds: float = 3.0) -> Path:
    """A speech-like test signal (a tone switching on and off) at a given peak level."""
    path = tmp_path / name
    amplitude = 8 * 10 ** (level_dbfs / 20)  # ffmpeg's sine source peaks at 1/8
    run_ffmpeg(["-f", "lavfi", "-i", f"sine=frequency=300:duration={seconds}", "-af",
                f"volume={amplitude},apulsator=hz=2", "-ac", "1", "-y", str(path)])
    return path


@pytest.mark.parametrize("suffix", [".mp3", ".wav"])
def test_rendered_bulletin_is_on_target_and_under_the_ceiling(tmp_path, suffix) -> None:
    out = tmp_path / f"tin{suffix}"
    result = render_text(TEXT, out)
    signal = decoded(out)
    assert_broadcast_ready(signal)
    assert abs(signal.size / PROGRAM_RATE - result.duration_s) < 0.1
    assert abs(result.lufs + 16) <= 0.5 and result.true_peak_dbtp <= -1.5


def test_the_loudness_target_is_a_setting(tmp_path) -> None:
    out = tmp_path / "nho.wav"
    render_text(TEXT, out, RenderOptions(loudness_lufs=-23.0, true_peak_dbtp=-3.0))
    signal = decoded(out)
    assert abs(loudness.integrated_lufs(signal, PROGRAM_RATE) + 23) <= 0.5
    assert loudness.true_peak_dbfs(signal) <= -3.0


def test_chimes_frame_the_speech(tmp_path) -> None:
    plain = render_text(TEXT, tmp_path / "a.wav",
                        RenderOptions(intro_chime=False, outro_chime=False))
    framed = render_text(TEXT, tmp_path / "b.wav")
    assert abs(framed.duration_s - plain.duration_s - 2 * chime().size / PROGRAM_RATE) < 0.05
    start = decoded(tmp_path / "b.wav")[: int(0.6 * PROGRAM_RATE)]
    spectrum = np.abs(np.fft.rfft(start))
    peak_hz = np.argmax(spectrum) * PROGRAM_RATE / start.size
    assert abs(peak_hz - 523.25) < 5  # the intro chime's first note


def test_station_jingle_comes_first_and_is_loudness_matched(tmp_path) -> None:
    jingle = tone_file(tmp_path, "nhac-hieu.ogg", -30.0, seconds=2.0)  # a quiet jingle
    out = tmp_path / "voi-nhac-hieu.wav"
    result = render_text(TEXT, out, RenderOptions(jingle_path=str(jingle)))
    without = render_text(TEXT, tmp_path / "khong.wav")
    assert result.duration_s - without.duration_s > 2.2
    signal = decoded(out)
    head = signal[: int(2.0 * PROGRAM_RATE)]
    assert abs(loudness.integrated_lufs(head, PROGRAM_RATE) + 16) <= 1.5  # raised to program
    assert_broadcast_ready(signal)


@pytest.mark.parametrize(("suffix", "level"), [(".mp3", -1.0), (".wav", -40.0), (".m4a", -12.0),
                                               (".ogg", -25.0)])
def test_operator_recordings_are_loudness_matched(tmp_path, suffix, level) -> None:
    source = tone_file(tmp_path, f"ghi-am{suffix}", level)
    out = tmp_path / "ra.mp3"
    program = prepare_audio_file(source, out)
    assert_broadcast_ready(decoded(out))
    assert abs(program.duration_s - 3.0) < 0.1


def test_a_corrupt_recording_is_refused_and_nothing_is_written(tmp_path) -> None:
    broken = tmp_path / "hong.m4a"
    broken.write_bytes(b"\x00\x00\x00\x18ftypM4A " + bytes(range(256)) * 10)
    with pytest.raises(LoaxaError) as info:
        prepare_audio_file(broken, tmp_path / "ra.mp3")
    assert info.value.code == "audio_corrupt"
    assert not (tmp_path / "ra.mp3").exists()
    with pytest.raises(LoaxaError, match="audio_missing"):
        load_audio(tmp_path / "khong-co.ogg")


def test_silence_is_left_alone() -> None:
    quiet = np.zeros(PROGRAM_RATE * 2, dtype=np.float32)
    out, lufs, peak = loudness.normalize(quiet, PROGRAM_RATE)
    assert np.array_equal(out, quiet)
    assert lufs == -math.inf and peak == -math.inf


def test_the_limiter_never_clips_a_hot_signal() -> None:
    t = np.arange(PROGRAM_RATE * 3) / PROGRAM_RATE
    hot = (0.99 * np.sign(np.sin(2 * np.pi * 200 * t))).astype(np.float32)  # square wave
    out, _, peak = loudness.normalize(hot, PROGRAM_RATE, -10.0, -1.5)
    assert peak <= -1.5
    assert np.abs(out).max() < 10 ** (-1.5 / 20)


def test_cli_matches_an_operator_recording(tmp_path) -> None:
    from tests.conftest import run_cli

    source = tone_file(tmp_path, "thong-bao.ogg", -30.0)
    out = tmp_path / "ra.mp3"
    proc = run_cli("render", str(source), "-o", str(out), check=True)
    assert "thời lượng 00:03" in proc.stdout
    assert_broadcast_ready(decoded(out))
    broken = tmp_path / "hong.mp3"
    broken.write_bytes(b"ID3" + bytes(500))
    bad = run_cli("render", str(broken), "-o", str(tmp_path / "x.mp3"))
    assert bad.returncode == 1 and "bị hỏng" in bad.stderr


@pytest.mark.parametrize("suffix", [".mp3", ".wav"])
def test_a_loud_target_with_deep_limiting_still_respects_the_ceiling(tmp_path, suffix) -> None:
    # -12 LUFS under -1 dBTP takes ~15 dB of limiting on espeak-ng speech, and MP3 coding of
    # such audio overshoots the ceiling by up to ~1 dB: the file is measured and the speech
    # turned down until it fits. The ceiling wins over the loudness target, and the result
    # says honestly where the level landed.
    out = tmp_path / f"to{suffix}"
    result = render_text(TEXT, out, RenderOptions(loudness_lufs=-12.0, true_peak_dbtp=-1.0))
    signal = decoded(out)
    assert loudness.true_peak_dbfs(signal) <= -1.0
    assert np.abs(signal).max() < 0.99
    measured = loudness.integrated_lufs(signal, PROGRAM_RATE)
    assert -14.0 <= measured <= -11.5 and abs(result.lufs - measured) <= 0.1
    assert [p.name for p in tmp_path.iterdir()] == [out.name]
