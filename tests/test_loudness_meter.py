"""Our BS.1770-4 meter and the block statistics the levelling works on, checked against
pyloudnorm (the reference) and against a plain 4× oversampling of the whole signal."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from media import loudness
from media.tts.espeak import EspeakEngine

RATES = (16000, 22050, 24000, 44100, 48000)


def speech(rate: int) -> np.ndarray:
    from media.program import resample

    spoken = EspeakEngine().synthesize(
        "Ủy ban nhân dân xã thông báo lịch tiêm chủng mở rộng cho trẻ em dưới năm tuổi. "
        "Đề nghị các gia đình đưa trẻ đến trạm y tế xã đúng giờ.", "vi", 150)
    return resample(loudness.from_pcm16(spoken.pcm), spoken.sample_rate, rate)


def signals(rate: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(rate)
    t = np.arange(rate * 5) / rate
    padded = np.zeros(rate * 12, dtype=np.float32)
    padded[rate * 3: rate * 6] = 0.2 * np.sin(2 * np.pi * 440 * t[: rate * 3])
    quiet_then_loud = np.concatenate([0.0005 * rng.standard_normal(rate * 4),
                                      0.3 * np.sin(2 * np.pi * 1000 * t)])
    return {
        "speech": speech(rate),
        "tone 1 kHz": 0.3 * np.sin(2 * np.pi * 1000 * t),
        "tone 60 Hz": 0.5 * np.sin(2 * np.pi * 60 * t),
        "tone 6 kHz": 0.1 * np.sin(2 * np.pi * 6000 * t),
        "noise": 0.05 * rng.standard_normal(rate * 7),
        "silence-padded tone": padded,
        "quiet then loud": quiet_then_loud,
        "shorter than a block": 0.3 * np.sin(2 * np.pi * 500 * t[: rate // 5]),
        "3.37 s, no whole 100 ms": 0.2 * rng.standard_normal(int(rate * 3.37)),
    }


@pytest.mark.parametrize("rate", RATES)
def test_our_meter_agrees_with_pyloudnorm(rate: int) -> None:
    for name, signal in signals(rate).items():
        signal = signal.astype(np.float32)
        ours = loudness.measure_lufs(signal, rate)
        reference = loudness.integrated_lufs(signal, rate)
        assert abs(ours - reference) <= 0.05, (name, ours, reference)


def test_silence_measures_minus_infinity() -> None:
    assert loudness.measure_lufs(np.zeros(44100 * 2, dtype=np.float32), 44100) == -math.inf
    tiny = np.full(44100 * 2, 1e-6, dtype=np.float32)  # far under the absolute gate
    assert loudness.measure_lufs(tiny, 44100) == -math.inf


def test_streaming_in_pieces_equals_one_pass() -> None:
    rate = 22050
    signal = speech(rate)
    whole = loudness.measure_lufs(signal, rate)
    meter = loudness.LoudnessMeter(rate)
    cuts = [0, 1, 777, 2205, 9000, 30001, signal.size]
    for start, end in itertools.pairwise(cuts):
        meter.feed(signal[start:end])
    assert abs(meter.lufs() - whole) < 1e-3
    # Silence fed without allocating it measures like zeros fed as samples.
    with_zeros, with_silence = loudness.LoudnessMeter(rate), loudness.LoudnessMeter(rate)
    for meter in (with_zeros, with_silence):
        meter.feed(signal[:12345])
    with_zeros.feed(np.zeros(rate * 3 + 17, dtype=np.float32))
    with_silence.feed_silence(rate * 3 + 17)
    for meter in (with_zeros, with_silence):
        meter.feed(signal)
    assert with_zeros.samples == with_silence.samples
    assert abs(with_zeros.lufs() - with_silence.lufs()) < 1e-3


def test_block_peaks_are_exact_where_refined_and_safe_bounds_elsewhere() -> None:
    rate = 44100
    signal = loudness.pad_to_blocks(speech(rate), rate)
    size = loudness.block_size(rate)
    over = np.abs(loudness.oversampled(signal)).reshape(-1, 4 * size).max(axis=1)
    bounds, _ = loudness.analyse(signal, rate, peak_limit=None)
    assert np.all(bounds.peak >= over * 0.9999)  # a bound never under-states a peak
    limit = float(over.max()) / 2
    bounds.refine(limit)
    exact = over > limit
    assert np.allclose(bounds.peak[exact], over[exact], rtol=1e-4)
    everywhere, _ = loudness.analyse(signal, rate)  # peak_limit 0: all exact
    assert np.allclose(everywhere.peak, over, rtol=1e-4, atol=1e-7)


@pytest.mark.parametrize(("target", "ceiling"), [(-16.0, -1.5), (-23.0, -3.0), (-13.0, -1.0)])
def test_levelling_hits_the_target_under_the_ceiling(target: float, ceiling: float) -> None:
    rate = 22050
    signal = speech(rate) * np.float32(0.05)  # a quiet recording: needs gain and limiting
    out, lufs, peak = loudness.normalize(signal, rate, target, ceiling)
    assert abs(loudness.integrated_lufs(out, rate) - target) <= 0.1
    assert abs(lufs - loudness.integrated_lufs(out, rate)) <= 0.05
    assert loudness.true_peak_dbfs(out) <= ceiling
    assert peak <= ceiling
    assert out.size == signal.size


def test_block_energies_estimate_the_limited_level_closely() -> None:
    rate = 44100
    signal = loudness.pad_to_blocks(speech(rate), rate)
    blocks, _ = loudness.analyse(signal, rate, peak_limit=None)
    levelled = loudness.level(blocks, -12.0, -2.0)  # hard limiting
    assert levelled.curve is not None and float(levelled.curve.min()) < 0.5
    out = levelled.apply(signal, blocks.size)
    assert abs(levelled.lufs - loudness.integrated_lufs(out, rate)) <= 0.1


def test_an_unreachable_target_never_breaks_the_ceiling() -> None:
    # Speech cannot reach -8 LUFS under a -1 dBTP ceiling: it gets as loud as the limiter
    # allows, and the ceiling holds.
    rate = 22050
    out, _, peak = loudness.normalize(speech(rate), rate, -8.0, -1.0)
    assert loudness.true_peak_dbfs(out) <= -1.0 and peak <= -1.0
    assert -13.0 < loudness.integrated_lufs(out, rate) < -8.0


def test_peak_bounds_hold_on_signals_made_to_overshoot() -> None:
    """The cheap bound (sample peaks and the steps between samples) must never under-state a
    true peak, also on signals whose true peaks sit far above their samples."""
    rate = 44100
    size = loudness.block_size(rate)
    rng = np.random.default_rng(7)
    n = size * 300
    t = np.arange(n)
    signals = [rng.standard_normal(n) * 0.3,
               np.sign(rng.standard_normal(n)) * 0.9,  # random full-scale square steps
               np.where(t % 2, 0.9, -0.9),  # Nyquist
               0.9 * np.sin(2 * np.pi * 11025 / rate * t + math.pi / 4),  # peaks between samples
               0.9 * np.sin(2 * np.pi * 19000 / rate * t),
               np.concatenate([np.zeros(n - size), np.full(size, 0.95)])]  # ends on a step
    for signal in signals:
        signal = signal.astype(np.float32)
        over = np.abs(loudness.oversampled(signal)).reshape(-1, 4 * size).max(axis=1)
        bounds, _ = loudness.analyse(signal, rate, peak_limit=None)
        assert np.all(bounds.peak >= over * 0.9999)
