"""Bulletin text → broadcast audio file: spoken form, voice, silence padding, encoding.

Long texts are spoken paragraph by paragraph so that progress is reported and the work can be
cancelled between (and inside) paragraphs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from media.audio import AudioSegment, ffmpeg_exe, output_encoding
from media.errors import Cancelled, LoaxaError
from media.loudness import from_pcm16
from media.normalize import normalize
from media.program import assemble, load_audio, to_program_rate, write_program
from media.tts import TtsEngine
from media.tts.espeak import EspeakEngine

Progress = Callable[[int, int], None]
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+")
_MAX_CHUNK = 600
MP3_PEAK_MARGIN_DB = 0.3


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
    options = options or RenderOptions()
    output_encoding(out_path)  # refuse an unknown extension before any work
    ffmpeg_exe()
    engine = engine or EspeakEngine()
    chunks = speech_chunks(normalize(text, dict(options.lexicon)))
    if not chunks:
        raise LoaxaError("text_empty")
    total = len(chunks) + 1
    segments = _speak(chunks, engine, options, progress, should_stop, total)
    if getattr(engine, "switched_midway", False):
        # The online voice failed after some parts: read everything with the offline one.
        segments = _speak(chunks, engine, options, progress, should_stop, total, again=True)
    rate = segments[0].frame_rate
    if should_stop is not None and should_stop():
        raise Cancelled()
    pcm = b"".join(segment.raw_data for segment in _with_gaps(segments, rate))
    speech = to_program_rate(from_pcm16(pcm), rate)
    jingle = load_audio(Path(options.jingle_path)) if options.jingle_path else None
    # MP3 decoding overshoots by a few hundredths of a dB: keep a margin under the ceiling.
    margin = MP3_PEAK_MARGIN_DB if output_encoding(out_path) == "mp3" else 0.0
    program = assemble(speech, target_lufs=options.loudness_lufs,
                       ceiling_dbtp=options.true_peak_dbtp - margin, lead_ms=options.lead_ms,
                       tail_ms=options.tail_ms, intro_chime=options.intro_chime,
                       outro_chime=options.outro_chime, jingle=jingle)
    if should_stop is not None and should_stop():
        raise Cancelled()
    write_program(program, out_path, options.mp3_quality)
    if progress is not None:
        progress(total, total)
    used = getattr(engine, "used", None) or engine.name
    voice = getattr(engine, "voice_used", None) or options.voice
    return RenderResult(out_path, program.duration_s, used, voice,
                        getattr(engine, "notice", None), program.lufs, program.true_peak_dbtp)


def _with_gaps(segments: list[AudioSegment], rate: int) -> list[AudioSegment]:
    gap = AudioSegment.silent(350, frame_rate=rate)
    out: list[AudioSegment] = []
    for index, segment in enumerate(segments):
        if index:
            out.append(gap)
        out.append(segment)
    return out


def _speak(chunks: list[str], engine: TtsEngine, options: RenderOptions,
           progress: Progress | None, should_stop: Callable[[], bool] | None,
           total: int, again: bool = False) -> list[AudioSegment]:
    segments: list[AudioSegment] = []
    for index, chunk in enumerate(chunks):
        if should_stop is not None and should_stop():
            raise Cancelled()
        speech = engine.synthesize(chunk, options.voice, options.rate_wpm,
                                   should_stop=should_stop)
        if not again and getattr(engine, "switched_midway", False):
            return segments  # the caller starts over with the fallback voice
        segments.append(AudioSegment(data=speech.pcm, sample_width=2,
                                     frame_rate=speech.sample_rate, channels=1))
        if progress is not None:
            progress(index + 1, total)
    return segments
