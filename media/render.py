"""Bulletin text → broadcast audio file: spoken form, voice, silence padding, encoding.

Long texts are spoken paragraph by paragraph so that progress is reported and the work can be
cancelled between (and inside) paragraphs.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from media import loudness
from media.audio import ffmpeg_exe, output_encoding
from media.errors import Cancelled, LoaxaError
from media.loudness import from_pcm16
from media.normalize import normalize
from media.program import PROGRAM_RATE, SpeechUnit, encode_bulletin, load_audio, resample
from media.tts import TtsEngine
from media.tts.espeak import EspeakEngine

Progress = Callable[[int, int], None]
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+")
_MAX_CHUNK = 600
MP3_PEAK_MARGIN_DB = 0.3
RESAMPLE_MARGIN_DB = 0.05


@dataclass(frozen=True)
class RenderOptions:
    voice: str = "vi"
    rate_wpm: int = 150
    sample_rate: int = 44100
    mp3_quality: int = 2
    lead_ms: int = 500
    tail_ms: int = 1000
    # The commune's own readings (written, spoken); part of the render cache key.
    lexicon: tuple[tuple[str, str], ...] = ()
    loudness_lufs: float = -16.0
    true_peak_dbtp: float = -1.5
    intro_chime: bool = True
    outro_chime: bool = True
    # The station's jingle (an operator's file) and its sha256, so a new file renders anew.
    jingle_path: str = ""
    jingle_sha256: str = ""


@dataclass(frozen=True)
class RenderResult:
    path: Path
    duration_s: float
    engine: str  # the engine that actually spoke
    voice: str
    notice: LoaxaError | None = None  # why the online voice was not used, if it was not
    lufs: float = 0.0
    true_peak_dbtp: float = 0.0


def speech_chunks(spoken: str) -> list[str]:
    """Paragraphs, with very long ones cut at sentence ends."""
    chunks: list[str] = []
    for paragraph in (p.strip() for p in spoken.split("\n")):
        if not paragraph:
            continue
        if len(paragraph) <= _MAX_CHUNK:
            chunks.append(paragraph)
            continue
        current = ""
        for sentence in _SENTENCE_END.split(paragraph):
            if current and len(current) + len(sentence) + 1 > _MAX_CHUNK:
                chunks.append(current)
                current = sentence
            else:
                current = f"{current} {sentence}".strip()
        if current:
            chunks.append(current)
    return chunks


def render_text(text: str, out_path: Path, options: RenderOptions | None = None, *,
                engine: TtsEngine | None = None, progress: Progress | None = None,
                should_stop: Callable[[], bool] | None = None) -> RenderResult:
    """Speaks ``text`` and writes a broadcast-ready file. Each paragraph is analysed (K-weighted
    block energies, true peaks) as soon as it is spoken; the levelled samples are then
    streamed into the encoder, which encodes in its own process."""
    options = options or RenderOptions()
    output_encoding(out_path)  # refuse an unknown extension before any work
    ffmpeg_exe()
    engine = engine or EspeakEngine()
    chunks = speech_chunks(normalize(text, dict(options.lexicon)))
    if not chunks:
        raise LoaxaError("text_empty")
    jingle = load_audio(Path(options.jingle_path)) if options.jingle_path else None
    # MP3 decoding overshoots by a few hundredths of a dB, the encoder's resampling (speech
    # is worked on at the voice's rate) by less: keep a margin under the ceiling.
    margin = MP3_PEAK_MARGIN_DB if output_encoding(out_path) == "mp3" else RESAMPLE_MARGIN_DB
    ceiling = options.true_peak_dbtp - margin
    total = len(chunks) + 1
    spoken = _speak(chunks, engine, options, ceiling, progress, should_stop, total)
    if spoken is None:
        # The online voice failed after some parts: read everything with the offline one.
        spoken = _speak(chunks, engine, options, ceiling, progress, should_stop, total,
                        again=True)
    assert spoken is not None
    units, rate = spoken
    if should_stop is not None and should_stop():
        raise Cancelled()
    program = encode_bulletin(units, rate, out_path, target_lufs=options.loudness_lufs,
                              ceiling_dbtp=ceiling, lead_ms=options.lead_ms,
                              tail_ms=options.tail_ms, intro_chime=options.intro_chime,
                              outro_chime=options.outro_chime, jingle=jingle,
                              mp3_quality=options.mp3_quality,
                              file_ceiling_dbtp=options.true_peak_dbtp, should_stop=should_stop)
    if progress is not None:
        progress(total, total)
    used = getattr(engine, "used", None) or engine.name
    voice = getattr(engine, "voice_used", None) or options.voice
    return RenderResult(out_path, program.duration_s, used, voice,
                        getattr(engine, "notice", None), program.lufs, program.true_peak_dbtp)


_GAP_MS = 350  # between paragraphs


class _Analyser:
    """Turns each spoken paragraph (and the pause after it) into a SpeechUnit: float samples at
    one working rate (the voice's own when it has a whole 100 ms, else 44.1 kHz), K-weighted
    block energies carried across paragraphs, true peaks made exact where the level this
    paragraph alone would need could bring them near the ceiling."""

    def __init__(self, target_lufs: float, ceiling_dbtp: float) -> None:
        self.target, self.ceiling = target_lufs, ceiling_dbtp
        self.rate: int | None = None
        self._state: np.ndarray | None = None

    def add(self, pcm: bytes, source_rate: int, last: bool) -> SpeechUnit:
        signal = from_pcm16(pcm)
        if self.rate is None:
            self.rate = source_rate if source_rate % 10 == 0 else PROGRAM_RATE
        if source_rate != self.rate:
            signal = resample(signal, source_rate, self.rate)
        gap = 0 if last else int(self.rate * _GAP_MS / 1000)
        size = loudness.block_size(self.rate)
        padded = np.zeros(-(-(signal.size + gap) // size) * size, dtype=np.float32)
        padded[: signal.size] = signal
        blocks, self._state = loudness.analyse(padded, self.rate, self._state, peak_limit=None)
        own = loudness.blocks_lufs(blocks.energy, self.rate, size)
        if math.isfinite(own) and own > loudness.SILENCE_LUFS:
            blocks.refine(10 ** ((self.ceiling - (self.target - own) - 3) / 20))
        return SpeechUnit(padded, blocks)


def _speak(chunks: list[str], engine: TtsEngine, options: RenderOptions, ceiling: float,
           progress: Progress | None, should_stop: Callable[[], bool] | None,
           total: int, again: bool = False) -> tuple[list[SpeechUnit], int] | None:
    """Speaks the chunks, analysing each as it comes; None when the engine switched voices
    midway (start over). The analysis runs on this thread, not beside the voice: espeak-ng
    calls back into Python for every few milliseconds of audio, and a second thread holding
    the interpreter lock stalled it (measured: synthesis plus analysis side by side took
    longer than one after the other)."""
    analyser = _Analyser(options.loudness_lufs, ceiling)
    units: list[SpeechUnit] = []
    for index, chunk in enumerate(chunks):
        if should_stop is not None and should_stop():
            raise Cancelled()
        speech = engine.synthesize(chunk, options.voice, options.rate_wpm,
                                   should_stop=should_stop)
        if not again and getattr(engine, "switched_midway", False):
            return None
        units.append(analyser.add(speech.pcm, speech.sample_rate, index == len(chunks) - 1))
        if progress is not None:
            progress(index + 1, total)
    assert analyser.rate is not None
    return units, analyser.rate
