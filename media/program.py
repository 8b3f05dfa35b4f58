"""Broadcast-ready program audio. Files are written at one rate (44.1 kHz mono).

- A bulletin (``encode_bulletin``): the station's jingle, an intro chime, silence, the spoken
  bulletin, silence, an outro chime — each part loudness-matched, the whole held to the
  loudness target and under the true-peak ceiling. The speech is worked on at the voice's own
  rate; the encoder resamples it to 44.1 kHz while it encodes.
- A session program (``assemble_program``): audio files one after another with gaps, each
  loudness-matched, streamed into the encoder while the next ones are decoded.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import os
import tempfile
import wave
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from media import loudness
from media.analysis_cache import AnalysisCache, ItemAnalysis, entry_key
from media.audio import Encoder, decode_pcm, encode_pcm
from media.errors import Cancelled, LoaxaError

PROGRAM_RATE = 44100
CHIME_BELOW_TARGET_LU = 6.0  # a chime sits a little under the speech
AUDIO_INPUTS = (".mp3", ".wav", ".m4a", ".ogg", ".oga", ".opus", ".flac", ".aac", ".wma")
JINGLE_GAP_MS = 300

Progress = Callable[[int, int], None]
StopCheck = Callable[[], bool]


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


def resample(signal: np.ndarray, rate: int, to_rate: int) -> np.ndarray:
    """Polyphase resampling (22,050 → 44,100 is ×2; 24,000 → 44,100 is ×147/80)."""
    if rate == to_rate:
        return signal
    from scipy.signal import resample_poly

    common = math.gcd(to_rate, rate)
    return resample_poly(signal, to_rate // common, rate // common).astype(np.float32)


def _blocks_for(ms: int, rate: int) -> int:
    """Whole analysis blocks nearest to ``ms`` milliseconds."""
    return max(0, round(rate * ms / 1000 / loudness.block_size(rate)))


def _db(linear: float) -> float:
    return 20 * math.log10(linear) if linear > 0 else -math.inf


def _stop(should_stop: StopCheck | None) -> None:
    if should_stop is not None and should_stop():
        raise Cancelled()


# --- a bulletin -----------------------------------------------------------------------------

@dataclass(frozen=True)
class SpeechUnit:
    """A piece of speech at the voice's rate, already padded to whole analysis blocks (with
    its trailing pause), and its block statistics."""

    signal: np.ndarray
    blocks: loudness.Blocks


@dataclass
class _Part:
    signal: np.ndarray | None  # None: silence of ``blocks`` blocks
    stats: loudness.Blocks | None
    levelled: loudness.Levelling | None = None
    silent_blocks: int = 0

    def estimated_energy(self) -> np.ndarray:
        if self.stats is None:
            return np.zeros(self.silent_blocks)
        if self.levelled is None:
            return self.stats.energy
        return self.levelled.energy(self.stats)

    def peak_dbtp(self) -> float:
        return -math.inf if self.levelled is None else self.levelled.peak_dbtp


@dataclass(frozen=True)
class EncodedProgram:
    path: Path
    duration_s: float
    lufs: float  # integrated loudness of the whole, from the levelled block energies
    true_peak_dbtp: float  # from the limiter's block peaks and gains, verified where limited


def _sub_mean_squares(energy: np.ndarray, rate: int) -> np.ndarray:
    size = loudness.block_size(rate)
    per_sub = loudness.sub_block(rate) // size
    extra = -energy.size % per_sub
    if extra:
        energy = np.concatenate([energy, np.zeros(extra)])
    return energy.reshape(-1, per_sub).sum(axis=1) / loudness.sub_block(rate)


def _write_wav(path: Path, signal: np.ndarray, rate: int) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(loudness.to_pcm16(signal))


def encode_bulletin(units: Sequence[SpeechUnit], rate: int, out_path: Path, *,
                    target_lufs: float, ceiling_dbtp: float, lead_ms: int, tail_ms: int,
                    intro_chime: bool, outro_chime: bool, jingle: np.ndarray | None = None,
                    mp3_quality: int = 2, file_ceiling_dbtp: float | None = None,
                    should_stop: StopCheck | None = None) -> EncodedProgram:
    """Levels the parts on their block statistics (the speech moved until the whole program is
    on target), then streams the samples into the encoder. The reported level is the whole's
    integrated loudness from the levelled block energies (exact for a gain; under the limiter
    the tests hold it within 0.1 LU of pyloudnorm on the decoded file). ``file_ceiling_dbtp``:
    the ceiling the decoded file must respect (``ceiling_dbtp`` is that minus a margin); when
    the limiter had to take more than 10 dB off somewhere, the written file is decoded and
    measured, and if it overshoots the speech is turned down by the excess and encoded
    again (the reported level says what that cost)."""
    chime_level = target_lufs - CHIME_BELOW_TARGET_LU
    size = loudness.block_size(rate)
    encoder_inputs: list[str] = []
    graph = None
    jingle_subs = np.zeros(0)
    jingle_seconds = 0.0
    jingle_peak = -math.inf
    folder = None
    if jingle is not None and jingle.size:
        body, _, jingle_peak = loudness.normalize(jingle, PROGRAM_RATE, target_lufs,
                                                  ceiling_dbtp)
        step = loudness.sub_block(PROGRAM_RATE)
        gap = int(PROGRAM_RATE * JINGLE_GAP_MS / 1000)
        whole = np.zeros(-(-(body.size + gap) // step) * step, dtype=np.float32)
        whole[: body.size] = body
        meter = loudness.LoudnessMeter(PROGRAM_RATE)
        meter.feed(whole)
        jingle_subs = meter.sub_mean_squares()
        jingle_seconds = whole.size / PROGRAM_RATE
        folder = tempfile.mkdtemp(prefix="loaxa-")
        jingle_file = Path(folder) / "jingle.wav"
        _write_wav(jingle_file, whole, PROGRAM_RATE)
        encoder_inputs = ["-i", str(jingle_file)]
        graph = (f"[0:a]aresample={PROGRAM_RATE}[j];[1:a]aresample={PROGRAM_RATE}[s];"
                 "[j][s]concat=n=2:v=0:a=1[out]")

    def fixed(signal: np.ndarray, level: float) -> _Part:
        padded = loudness.pad_to_blocks(signal, rate)
        stats, _ = loudness.analyse(padded, rate)
        return _Part(padded, stats, loudness.level(stats, level, ceiling_dbtp,
                                                   output_rate=PROGRAM_RATE))

    parts: list[_Part] = []
    if intro_chime:
        parts.append(fixed(chime(rate, rising=True), chime_level))
    parts.append(_Part(None, None, silent_blocks=_blocks_for(lead_ms, rate)))
    speech_stats = loudness.Blocks.join([u.blocks for u in units])
    speech = _Part(None, speech_stats)
    parts.append(speech)
    parts.append(_Part(None, None, silent_blocks=_blocks_for(tail_ms, rate)))
    if outro_chime:
        parts.append(fixed(chime(rate), chime_level))
    total_samples = sum(p.silent_blocks * size if p.stats is None else len(p.stats) * size
                        for p in parts)
    seconds = jingle_seconds + total_samples / rate
    blocks_400 = max(1, round((seconds - 0.4) / 0.1) + 1)

    def whole_lufs() -> float:
        energy = np.concatenate([p.estimated_energy() for p in parts])
        return loudness.gated_lufs(np.concatenate([jingle_subs,
                                                   _sub_mean_squares(energy, rate)]),
                                   blocks_400)

    speech_level = target_lufs
    measured_speech = loudness.blocks_lufs(speech_stats.energy, rate, size)
    try:
        for _ in range(4):
            speech.levelled = loudness.level(speech_stats, speech_level, ceiling_dbtp,
                                             measured_speech, verify=False)
            error = target_lufs - whole_lufs()
            if not math.isfinite(error) or abs(error) <= 0.05:
                break
            speech_level += error
        assert speech.levelled is not None
        speech.levelled = loudness.verify_peaks(speech_stats, speech.levelled, ceiling_dbtp,
                                                PROGRAM_RATE)
        deep = speech.levelled.curve is not None \
            and float(speech.levelled.curve.min()) < DEEP_LIMITING
        for attempt in range(1, 5):
            lufs = whole_lufs()
            _stop(should_stop)
            _encode_parts(parts, units, rate, out_path, mp3_quality, encoder_inputs, graph,
                          should_stop)
            if file_ceiling_dbtp is None or not deep:
                break
            # Deep limiting: the encoder (MP3 most of all) can overshoot by more than the
            # margin. Measure the file as a player decodes it; if it is over, turn the speech
            # down by the excess and a growing allowance (MP3's overshoot on such audio moved
            # between 0.2 and 0.6 dB as the level changed, measured), then encode again.
            _stop(should_stop)
            found = file_true_peak_dbtp(out_path)
            if found <= file_ceiling_dbtp:
                break
            speech.levelled = speech.levelled.trimmed(found - file_ceiling_dbtp
                                                      + 0.25 * attempt)
        else:
            raise LoaxaError("ffmpeg_failed", reason="true peak over the ceiling after encoding")
    finally:
        if folder is not None:
            with contextlib.suppress(OSError):
                for child in Path(folder).iterdir():
                    child.unlink()
                os.rmdir(folder)
    peak = max([jingle_peak] + [p.peak_dbtp() for p in parts])
    return EncodedProgram(out_path, seconds, lufs, peak)


# A limiter gain under this somewhere: check the file. Measured on a 5,000-character bulletin
# (MP3, aim 0.3 dB under the ceiling): 6 dB of limiting overshot the aim by 0.02 dB, 11 dB by
# 0.09-0.19 dB, 15 dB by 1.2 dB.
DEEP_LIMITING = 10 ** (-10 / 20)


def file_true_peak_dbtp(path: Path, seconds_per_piece: int = 20) -> float:
    """True peak of an audio file as a player decodes it (44.1 kHz mono), measured piece by
    piece so a long file never needs its 4× oversampled copy in memory at once."""
    signal = load_audio(path, PROGRAM_RATE)
    piece, overlap = PROGRAM_RATE * seconds_per_piece, 64
    peak = 0.0
    for start in range(0, signal.size, piece):
        before = min(start, overlap)
        part = signal[start - before: start + piece + overlap]
        over = loudness.oversampled(part)
        inner = over[4 * before: 4 * (before + min(piece, signal.size - start))]
        if inner.size:
            peak = max(peak, float(inner.max()), -float(inner.min()))
    return 20 * math.log10(peak) if peak > 0 else -math.inf


def _encode_parts(parts: list[_Part], units: Sequence[SpeechUnit], rate: int, out_path: Path,
                  mp3_quality: int, inputs: list[str], graph: str | None,
                  should_stop: StopCheck | None) -> None:
    """Streams the levelled parts into one encoder (ffmpeg encodes in its own process while
    the next part is computed)."""
    size = loudness.block_size(rate)
    encoder = Encoder(out_path, rate, target_rate=PROGRAM_RATE, mp3_quality=mp3_quality,
                      inputs=inputs, filters=graph)
    with encoder:
        for part in parts:
            _stop(should_stop)
            if part.stats is None:
                encoder.write(bytes(2 * part.silent_blocks * size))
                continue
            levelled = part.levelled
            assert levelled is not None
            pieces = [part.signal] if part.signal is not None else [u.signal for u in units]
            gains = levelled.block_gains()
            start = 0
            for piece in pieces:
                blocks = piece.size // size
                if gains is None:
                    out = piece * np.float32(levelled.gain)
                else:
                    out = (piece.reshape(-1, size) * gains[start: start + blocks, None]) \
                        .reshape(-1)
                start += blocks
                encoder.write(loudness.to_pcm16(out))
        _stop(should_stop)
        encoder.finish()


# --- a session program -----------------------------------------------------------------------

@dataclass(frozen=True)
class ProgramItem:
    """One item of an assembled program, where it sits and how loud it came in."""

    path: Path
    start_s: float
    duration_s: float
    source_lufs: float  # as decoded, before matching (-inf: silent, left as it was)
    true_peak_dbtp: float  # after matching
    skipped: str = ""  # why the item is not in the program (corrupt or missing file)


@dataclass(frozen=True)
class AssembledProgram:
    path: Path
    duration_s: float
    lufs: float  # the whole, from the matched items' K-weighted block energies
    true_peak_dbtp: float
    items: tuple[ProgramItem, ...]

    @property
    def skipped(self) -> tuple[ProgramItem, ...]:
        return tuple(item for item in self.items if item.skipped)


@dataclass(frozen=True)
class _Matched:
    pcm: bytes
    samples: int
    sub_ms: np.ndarray  # estimated mean squares of the matched item's 100 ms sub-blocks
    source_lufs: float
    peak_dbtp: float


def _decode_item(path: Path, hashed: bool) -> tuple[np.ndarray, int, str, str]:
    """The item decoded at the program rate into a float signal padded with silence to whole
    100 ms (items sit on one measurement grid): (padded signal, samples decoded, decoder,
    SHA-256 of the file's bytes — only when ``hashed``, else "")."""
    from media.audio import decode_mono

    if not path.is_file():
        raise LoaxaError("audio_missing", path=str(path))
    data = None
    if hashed:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise LoaxaError("audio_corrupt", path=str(path),
                             reason=exc.strerror or str(exc)) from None
    digest = hashlib.sha256(data).hexdigest() if hashed and data is not None else ""
    pcm, decoder = decode_mono(path, data, PROGRAM_RATE)
    del data
    step = loudness.sub_block(PROGRAM_RATE)
    samples = len(pcm) // 2
    padded = np.zeros(-(-samples // step) * step, dtype=np.float32)
    np.multiply(np.frombuffer(pcm, dtype="<i2", count=samples), np.float32(1 / 32768.0),
                out=padded[:samples])
    return padded, samples, decoder, digest


def _analyse_item(padded: np.ndarray, samples: int, target_lufs: float,
                  ceiling_dbtp: float) -> ItemAnalysis:
    """Measure, level and limit one decoded item (the expensive part of matching)."""
    stats, _ = loudness.analyse(padded, PROGRAM_RATE, peak_limit=None)
    measured = loudness.blocks_lufs(stats.energy, PROGRAM_RATE, stats.size)
    if not math.isfinite(measured) or measured < loudness.SILENCE_LUFS:
        return ItemAnalysis(samples, measured, loudness.true_peak_dbfs(padded), 1.0, None,
                            _sub_mean_squares(stats.energy, PROGRAM_RATE))
    levelled = loudness.level(stats, target_lufs, ceiling_dbtp, measured)
    return ItemAnalysis(samples, measured, levelled.peak_dbtp, levelled.gain, levelled.curve,
                        _sub_mean_squares(levelled.energy(stats), PROGRAM_RATE))


def _item_analysis(path: Path, target_lufs: float, ceiling_dbtp: float,
                   cache: AnalysisCache | None) -> tuple[np.ndarray, ItemAnalysis]:
    """The decoded item and how it is matched: from ``cache`` when an entry fits the very
    bytes and decoder of this item, else measured (and kept in ``cache``)."""
    padded, samples, decoder, digest = _decode_item(path, cache is not None)
    if cache is None:
        return padded, _analyse_item(padded, samples, target_lufs, ceiling_dbtp)
    key = entry_key(digest, decoder, PROGRAM_RATE, target_lufs, ceiling_dbtp)
    size, step = loudness.block_size(PROGRAM_RATE), loudness.sub_block(PROGRAM_RATE)
    found = cache.get(key, samples, padded.size // size, padded.size // step)
    if found is None:
        found = _analyse_item(padded, samples, target_lufs, ceiling_dbtp)
        cache.put(key, found)
    return padded, found


def _match_item(path: Path, target_lufs: float, ceiling_dbtp: float,
                cache: AnalysisCache | None = None) -> _Matched:
    """Decode (``media.audio.decode_mono``), measure (or find the measurement in ``cache``),
    level and limit one item; 16-bit PCM out, padded to whole 100 ms."""
    padded, found = _item_analysis(path, target_lufs, ceiling_dbtp, cache)
    return _Matched(_matched_pcm16(padded, found), padded.size, found.sub_ms, found.source_lufs,
                    found.peak_dbtp)


def _matched_pcm16(padded: np.ndarray, found: ItemAnalysis) -> bytes:
    """The item with its gain (and limiter curve) applied, as 16-bit PCM; works in place on
    ``padded`` (one pass to scale, one to clip, one to convert)."""
    full_scale = np.float32(32767)
    if found.curve is None:
        np.multiply(padded, np.float32(found.gain) * full_scale, out=padded)
    else:
        rows = padded.reshape(-1, loudness.block_size(PROGRAM_RATE))
        gains = found.curve * np.float32(found.gain)  # as the limiter's output check had them
        np.multiply(rows, (gains * full_scale)[:, None], out=rows)
    np.clip(padded, -full_scale, full_scale, out=padded)
    return padded.astype("<i2").tobytes()


# How far under the ceiling a program's items are held when it is MP3, for the decoder's
# overshoot. 0.3 dB was not enough: items of limited full-scale pink noise came back from the
# MP3 up to 0.4 dB over the aim (decoded true peak −1.40 dBTP against a −1.8 aim).
PROGRAM_MP3_MARGIN_DB = 0.5


def _program_ceiling(encoding: str, ceiling_dbtp: float) -> float:
    """The ceiling items are held under in a program of ``encoding`` (MP3: lower by
    ``PROGRAM_MP3_MARGIN_DB``, for the decoder's overshoot)."""
    return ceiling_dbtp - (PROGRAM_MP3_MARGIN_DB if encoding == "mp3" else 0.0)


def measure_item(path: Path, cache_dir: Path, *, target_lufs: float = -16.0,
                 ceiling_dbtp: float = -1.5, program_encoding: str = "mp3") -> ItemAnalysis:
    """Measure an item as ``assemble_program`` will for a program of ``program_encoding``
    ("mp3" or "wav") and keep the result in the analysis cache at ``cache_dir`` (for an
    import: assembling the item later skips the measurement). A corrupt or missing file is
    refused like in ``assemble_program``."""
    return _item_analysis(path, target_lufs, _program_ceiling(program_encoding, ceiling_dbtp),
                          AnalysisCache(cache_dir))[1]


_WORKER_NICENESS = 5  # how much lower the decoding threads run than the encoder (Linux nice)


def _lower_priority() -> None:
    """Run the calling (decoding and matching) thread below the encoder, so the encoder — the
    longest single job — keeps its core and the items fill what is left. Linux: the thread's
    nice value (ffmpeg processes it starts inherit it); Windows: below-normal thread
    priority. Nothing changes where neither works."""
    import sys
    import threading

    with contextlib.suppress(Exception):
        if sys.platform.startswith("linux"):
            tid = threading.get_native_id()
            os.setpriority(os.PRIO_PROCESS, tid,
                           os.getpriority(os.PRIO_PROCESS, tid) + _WORKER_NICENESS)
        elif sys.platform == "win32":
            import ctypes

            kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
            kernel32.SetThreadPriority(kernel32.GetCurrentThread(), -1)  # BELOW_NORMAL


def assemble_program(items: Sequence[Path | str], out_path: Path, *,
                     target_lufs: float = -16.0, ceiling_dbtp: float = -1.5,
                     gap_ms: int = 1000, mp3_quality: int = 2,
                     progress: Progress | None = None, should_stop: StopCheck | None = None,
                     skip_corrupt: bool = False, lookahead: int = 3,
                     cache_dir: Path | None = None) -> AssembledProgram:
    """One program file (MP3 or WAV by extension, 44.1 kHz mono) from audio files played one
    after another with ``gap_ms`` of silence between them: rendered bulletins, operator
    recordings (mp3, wav, m4a, ogg …), jingles. Each item is decoded (WAV, MP3, Vorbis and
    FLAC at the program rate in this process, the rest by the bundled ffmpeg),
    loudness-matched to ``target_lufs`` with true peaks under ``ceiling_dbtp`` (MP3: 0.5 dB
    lower, for the decoder's overshoot) and streamed into the encoder while the next
    ``lookahead`` items are decoded and matched on other threads; memory stays at a few items.

    A corrupt or missing item stops the work with ``audio_corrupt`` / ``audio_missing`` naming
    the file, and nothing is written — unless ``skip_corrupt``: then it is left out and listed
    in the result's ``skipped`` with the reason. Progress is (items done, items + 1); cancel
    with ``should_stop`` (nothing is written).

    ``cache_dir``: an analysis cache (``media.analysis_cache``). An item whose bytes were
    measured before for the same target and ceiling (at import by ``measure_item``, or by an
    earlier assembly) is only decoded and has its stored gain applied — the same samples out
    as measuring it again; the others are measured and kept there. Every item is decoded
    either way, so a corrupt one is refused just the same."""
    from media.audio import output_encoding

    paths = [Path(item) for item in items]
    if not paths:
        raise LoaxaError("session_empty")
    ceiling = _program_ceiling(output_encoding(out_path), ceiling_dbtp)
    cache = AnalysisCache(cache_dir) if cache_dir is not None else None
    step = loudness.sub_block(PROGRAM_RATE)
    gap_subs = -(-int(PROGRAM_RATE * gap_ms / 1000) // step)
    gap = bytes(2 * gap_subs * step)
    total = len(paths) + 1
    reports: list[ProgramItem] = []
    subs: list[np.ndarray] = []
    peak = -math.inf
    samples = 0
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="loaxa-item",
                            initializer=_lower_priority) as pool:
        pending: list[Future[_Matched]] = []

        def submit(index: int) -> None:
            if index < len(paths):
                pending.append(pool.submit(_match_item, paths[index], target_lufs, ceiling,
                                           cache))

        for index in range(min(lookahead, len(paths))):
            submit(index)
        encoder = Encoder(out_path, PROGRAM_RATE, target_rate=PROGRAM_RATE,
                          mp3_quality=mp3_quality, queue_size=2)
        try:
            with encoder:
                placed = 0
                for index, path in enumerate(paths):
                    _stop(should_stop)
                    future = pending.pop(0)
                    submit(index + lookahead)
                    try:
                        matched = future.result()
                    except LoaxaError as exc:
                        if not skip_corrupt or exc.code not in ("audio_corrupt", "audio_missing"):
                            raise
                        reason = str(exc.params.get("reason", exc.code))
                        reports.append(ProgramItem(path, samples / PROGRAM_RATE, 0.0, -math.inf,
                                                   -math.inf, skipped=reason))
                        if progress is not None:
                            progress(index + 1, total)
                        continue
                    if placed:
                        encoder.write(gap)
                        subs.append(np.zeros(gap_subs))
                        samples += gap_subs * step
                    reports.append(ProgramItem(path, samples / PROGRAM_RATE,
                                               matched.samples / PROGRAM_RATE,
                                               matched.source_lufs, matched.peak_dbtp))
                    encoder.write(matched.pcm)
                    subs.append(matched.sub_ms)
                    samples += matched.samples
                    peak = max(peak, matched.peak_dbtp)
                    placed += 1
                    if progress is not None:
                        progress(index + 1, total)
                if not placed:
                    raise LoaxaError("session_empty")
                _stop(should_stop)
                encoder.finish()
        finally:
            for future in pending:
                future.cancel()
    seconds = samples / PROGRAM_RATE
    blocks_400 = max(1, round((seconds - 0.4) / 0.1) + 1)
    lufs = loudness.gated_lufs(np.concatenate(subs), blocks_400)
    if progress is not None:
        progress(total, total)
    return AssembledProgram(out_path, seconds, lufs, peak, tuple(reports))


# --- operator recordings --------------------------------------------------------------------

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
