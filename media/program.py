"""Broadcast-ready program audio at one rate (44.1 kHz mono): the station's jingle, an intro
chime, silence, the spoken bulletin, silence, an outro chime — each part loudness-matched,
the whole held to the loudness target and under the true-peak ceiling."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from media import loudness
from media.audio import decode_pcm, encode_pcm

PROGRAM_RATE = 44100
CHIME_BELOW_TARGET_LU = 6.0  # a chime sits a little under the speech
AUDIO_INPUTS = (".mp3", ".wav", ".m4a", ".ogg", ".oga", ".opus", ".flac", ".aac", ".wma")


@dataclass(frozen=True)
class Program:
    signal: np.ndarray  # float, mono, PROGRAM_RATE
    lufs: float
    true_peak_dbtp: float

    @property
    def duration_s(self) -> float:
        return self.signal.size / PROGRAM_RATE


def chime(rate: int = PROGRAM_RATE, rising: bool = False) -> np.ndarray:
    """A two-note bell chime ("ding-dong"; rising for the intro), made here, 1.3 s."""
    notes = (523.25, 659.25) if rising else (659.25, 523.25)
    parts = []
    for frequency in notes:
        t = np.arange(int(0.65 * rate)) / rate
        envelope = np.exp(-t * 4.5) * np.minimum(1.0, t / 0.004)
        tone = (np.sin(2 * np.pi * frequency * t) + 0.35 * np.sin(4 * np.pi * frequency * t)
                + 0.1 * np.sin(6 * np.pi * frequency * t))
        parts.append(0.3 * envelope * tone)
    return np.concatenate(parts).astype(np.float32)


def load_audio(path: Path, rate: int = PROGRAM_RATE) -> np.ndarray:
    """Any audio file ffmpeg decodes (mp3, wav, m4a, ogg …) as mono float; a broken file is
    refused with ``audio_corrupt``."""
    return loudness.from_pcm16(decode_pcm(path, rate, 1))


def to_program_rate(signal: np.ndarray, rate: int) -> np.ndarray:
    """Polyphase resampling to PROGRAM_RATE (22,050 → 44,100 is ×2; 24,000 → 44,100 is
    ×147/80)."""
    if rate == PROGRAM_RATE:
        return signal
    from math import gcd

    from scipy.signal import resample_poly

    common = gcd(PROGRAM_RATE, rate)
    return resample_poly(signal, PROGRAM_RATE // common, rate // common).astype(np.float32)


def silence(ms: int, rate: int = PROGRAM_RATE) -> np.ndarray:
    return np.zeros(int(rate * ms / 1000), dtype=np.float32)


def assemble(speech: np.ndarray, *, target_lufs: float, ceiling_dbtp: float, lead_ms: int,
             tail_ms: int, intro_chime: bool, outro_chime: bool,
             jingle: np.ndarray | None = None, rate: int = PROGRAM_RATE) -> Program:
    """Each part to its level under the ceiling, then joined once. Silence separates the
    parts, so the whole's true peak is the largest of the parts'. If the jingle and chimes
    move a short program off target, the speech is levelled again by the difference."""
    chime_level = target_lufs - CHIME_BELOW_TARGET_LU
    before: list[tuple[np.ndarray, float]] = []
    after: list[tuple[np.ndarray, float]] = []
    if jingle is not None and jingle.size:
        before.append(loudness.normalize(jingle, rate, target_lufs, ceiling_dbtp)[::2])
        before.append((silence(300, rate), -np.inf))
    if intro_chime:
        before.append(loudness.normalize(chime(rate, rising=True), rate, chime_level,
                                          ceiling_dbtp)[::2])
    if outro_chime:
        after.append(loudness.normalize(chime(rate), rate, chime_level, ceiling_dbtp)[::2])
    speech_level = target_lufs
    for _ in range(3):
        voiced, _, voiced_peak = loudness.normalize(speech, rate, speech_level, ceiling_dbtp)
        parts = [p for p, _ in before] + [silence(lead_ms, rate), voiced,
                                          silence(tail_ms, rate)] + [p for p, _ in after]
        signal = np.concatenate(parts)  # one join of the samples, never repeated `+`
        peak = max([voiced_peak] + [pk for _, pk in before + after])
        lufs = loudness.integrated_lufs(signal, rate)
        error = target_lufs - lufs
        if not np.isfinite(error) or abs(error) <= 0.3:
            break
        speech_level += error
    return Program(signal, lufs, peak)


def write_program(program: Program, out_path: Path, mp3_quality: int = 2) -> None:
    encode_pcm(loudness.to_pcm16(program.signal), PROGRAM_RATE, 1, out_path,
               target_rate=PROGRAM_RATE, mp3_quality=mp3_quality)


def prepare_audio_file(source: Path, out_path: Path, *, target_lufs: float = -16.0,
                       ceiling_dbtp: float = -1.5, mp3_quality: int = 2) -> Program:
    """An operator's recording: decoded, measured, loudness-matched, encoded."""
    margin = 0.3 if out_path.suffix.lower() == ".mp3" else 0.0  # MP3 decoding overshoots
    signal, lufs, peak = loudness.normalize(load_audio(source), PROGRAM_RATE, target_lufs,
                                            ceiling_dbtp - margin)
    program = Program(signal, lufs, peak)
    write_program(program, out_path, mp3_quality)
    return program
