"""Peaks of an audio file for drawing its waveform: the loudest sample (0 … 1) in each of a
fixed number of equal slices, from the decoded audio (mono, 8 kHz is plenty for a picture)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from media.audio import decode_mono_pcm
from media.errors import Cancelled

PEAK_RATE = 8000
DEFAULT_BUCKETS = 1200


def peaks_of_pcm(pcm: bytes, buckets: int = DEFAULT_BUCKETS) -> np.ndarray:
    """``buckets`` float32 values in 0 … 1 (fewer when there are fewer samples)."""
    samples = np.frombuffer(pcm, dtype="<i2")
    if samples.size == 0:
        return np.zeros(0, dtype=np.float32)
    buckets = max(1, min(buckets, samples.size))
    edges = np.linspace(0, samples.size, buckets + 1).astype(np.int64)
    magnitude = np.abs(samples.astype(np.int32))
    peaks = np.maximum.reduceat(magnitude, edges[:-1])
    return (peaks / 32768.0).astype(np.float32)


def audio_peaks(path: Path, buckets: int = DEFAULT_BUCKETS,
                should_stop: Callable[[], bool] | None = None) -> np.ndarray:
    """Decodes ``path`` (LoaxaError for a missing or broken file) and returns its peaks."""
    pcm = decode_mono_pcm(path, PEAK_RATE)
    if should_stop is not None and should_stop():
        raise Cancelled()
    return peaks_of_pcm(pcm, buckets)


__all__ = ["DEFAULT_BUCKETS", "PEAK_RATE", "audio_peaks", "peaks_of_pcm"]
