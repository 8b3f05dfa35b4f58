"""The one wrapper around the bundled ffmpeg binary (imageio-ffmpeg; never one on PATH).

ffmpeg starts without a console window on Windows. pydub is pointed at the same binary.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import warnings
from functools import cache
from pathlib import Path

from media.errors import LoaxaError

with warnings.catch_warnings():
    # pydub warns at import when no ffmpeg is on PATH (we never use one from PATH) and,
    # on Python 3.12, that audioop is deprecated (audioop-lts replaces it on 3.13+).
    warnings.simplefilter("ignore", RuntimeWarning)
    warnings.simplefilter("ignore", DeprecationWarning)  # audioop on 3.12
    from pydub import AudioSegment

ENCODINGS = {".mp3": "mp3", ".wav": "wav"}
_NO_WINDOW = getattr(subprocess, "CREATE_NO_WINDOW", 0) if sys.platform == "win32" else 0


@cache
def ffmpeg_exe() -> str:
    try:
        import imageio_ffmpeg

        exe = imageio_ffmpeg.get_ffmpeg_exe()
    except Exception as exc:  # imageio-ffmpeg raises RuntimeError when its binary is absent
        raise LoaxaError("ffmpeg_missing", reason=str(exc)) from None
    AudioSegment.converter = exe
    return exe


def run_ffmpeg(args: list[str], stdin: bytes | None = None) -> bytes:
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-v", "error", *args]
    try:
        proc = subprocess.run(cmd, input=stdin, capture_output=True, check=False,
                              creationflags=_NO_WINDOW)
    except OSError as exc:
        raise LoaxaError("ffmpeg_missing", reason=str(exc)) from None
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise LoaxaError("ffmpeg_failed", reason=message[-1] if message else proc.returncode)
    return proc.stdout


def output_encoding(path: Path) -> str:
    try:
        return ENCODINGS[path.suffix.lower()]
    except KeyError:
        raise LoaxaError("audio_format_unsupported", suffix=path.suffix or "?") from None


def encode_pcm(pcm: bytes, source_rate: int, channels: int, out_path: Path, *,
               target_rate: int, mp3_quality: int = 2) -> None:
    """Encode s16le PCM to MP3 or WAV (by extension), via a temporary file and a rename, so a
    failure never leaves a partial or empty file behind."""
    fmt = output_encoding(out_path)
    codec = ["-c:a", "libmp3lame", "-q:a", str(min(max(mp3_quality, 0), 9))] \
        if fmt == "mp3" else \
        ["-c:a", "pcm_s16le"]
    tmp = out_path.with_name(f".{out_path.name}.{os.getpid()}.part")
    try:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        run_ffmpeg(["-f", "s16le", "-ar", str(source_rate), "-ac", str(channels), "-i", "pipe:0",
                    "-ar", str(target_rate), *codec, "-f", fmt, "-y", str(tmp)], stdin=pcm)
        os.replace(tmp, out_path)
    except OSError as exc:
        raise LoaxaError("file_unwritable", path=str(out_path),
                         reason=exc.strerror or str(exc)) from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def decode_pcm(path: Path, sample_rate: int, channels: int) -> bytes:
    """Decode any audio file ffmpeg knows to s16le PCM; a broken file is refused."""
    import tempfile

    if not path.is_file():
        raise LoaxaError("audio_missing", path=str(path))
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-v", "error", "-i", str(path),
           "-f", "s16le", "-ac", str(channels), "-ar", str(sample_rate), "pipe:1"]
    with tempfile.TemporaryFile() as errors:
        try:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                    stderr=errors, creationflags=_NO_WINDOW)
        except OSError as exc:
            raise LoaxaError("ffmpeg_missing", reason=str(exc)) from None
        with proc:
            assert proc.stdout is not None
            pcm = proc.stdout.read()  # one read to the end: no polling loop
            code = proc.wait()
        if code != 0:
            errors.seek(0)
            lines = errors.read().decode("utf-8", "replace").strip().splitlines()
            raise LoaxaError("audio_corrupt", path=str(path),
                             reason=lines[-1] if lines else code)
    if not pcm:
        raise LoaxaError("audio_corrupt", path=str(path), reason="no audio")
    return pcm


# Formats the in-process decoder (miniaudio: dr_wav, dr_mp3, stb_vorbis, dr_flac) reads, with
# the function that reads a file's header (rate and channels) without decoding it.
_IN_PROCESS = {".wav": "wav_get_info", ".mp3": "mp3_get_info", ".ogg": "vorbis_get_info",
               ".oga": "vorbis_get_info", ".flac": "flac_get_info"}


def decode_mono_pcm(path: Path, sample_rate: int) -> bytes:
    """Mono s16le PCM at ``sample_rate`` of any audio file ffmpeg knows. WAV, MP3, Ogg Vorbis
    and FLAC already at ``sample_rate`` are decoded in this process by miniaudio (no process
    start; measured 3-8× less CPU than ffmpeg on 30 s items, the same samples within one
    LSB); anything else, a file at another rate (ffmpeg resamples better) or one miniaudio
    refuses goes to ffmpeg (``decode_pcm``), which also judges corrupt files."""
    if not path.is_file():
        raise LoaxaError("audio_missing", path=str(path))
    return decode_mono(path, None, sample_rate)[0]


def decode_mono(path: Path, data: bytes | None, sample_rate: int) -> tuple[bytes, str]:
    """``decode_mono_pcm`` of a file whose bytes the caller may already hold (``data``; read
    once, for example to hash them; None: read here if miniaudio is to decode them): (PCM,
    which decoder made it — ``miniaudio <version>`` or ``ffmpeg``). The decoder is named
    because their samples may differ by one step."""
    reader = _IN_PROCESS.get(path.suffix.lower())
    if reader is not None:
        try:
            import miniaudio

            if data is None:
                data = path.read_bytes()
            info = getattr(miniaudio, reader)(data)
            if info.sample_rate == sample_rate and info.nchannels >= 1:
                decoded = miniaudio.decode(data, miniaudio.SampleFormat.SIGNED16, 1, sample_rate)
                if len(decoded.samples):
                    return decoded.samples.tobytes(), f"miniaudio {miniaudio.__version__}"
        except Exception:  # any refusal: ffmpeg decides (and names the fault)
            pass
    return decode_pcm(path, sample_rate, 1), "ffmpeg"


class Encoder:
    """A running ffmpeg that encodes s16le PCM fed to its stdin (MP3 or WAV, by the output's
    extension) into a temporary file, renamed into place by ``finish``. PCM is written by a
    thread of its own, so the caller keeps computing while ffmpeg encodes in its process.
    ``inputs``/``filters``: extra ffmpeg inputs placed before the pipe (for example a jingle at
    another rate) and the filter graph joining them; the pipe is then the last input."""

    def __init__(self, out_path: Path, source_rate: int, *, target_rate: int,
                 mp3_quality: int = 2, inputs: list[str] | None = None,
                 filters: str | None = None, queue_size: int = 64) -> None:
        import queue
        import tempfile
        import threading

        fmt = output_encoding(out_path)
        codec = ["-c:a", "libmp3lame", "-q:a", str(min(max(mp3_quality, 0), 9))] \
            if fmt == "mp3" else ["-c:a", "pcm_s16le"]
        self.out_path = out_path
        self._tmp = out_path.with_name(f".{out_path.name}.{os.getpid()}.{id(self)}.part")
        try:
            out_path.parent.mkdir(parents=True, exist_ok=True)
            self._tmp.touch()
        except OSError as exc:
            raise LoaxaError("file_unwritable", path=str(out_path),
                             reason=exc.strerror or str(exc)) from None
        graph = ["-filter_complex", filters, "-map", "[out]"] if filters else []
        cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-v", "error", *(inputs or []),
               "-f", "s16le", "-ar", str(source_rate), "-ac", "1", "-i", "pipe:0", *graph,
               "-ar", str(target_rate), *codec, "-f", fmt, "-y", str(self._tmp)]
        self._errors = tempfile.TemporaryFile()
        try:
            self._proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                          stderr=self._errors, creationflags=_NO_WINDOW)
        except OSError as exc:
            self._errors.close()
            self._tmp.unlink(missing_ok=True)
            raise LoaxaError("ffmpeg_missing", reason=str(exc)) from None
        # Pieces waiting for ffmpeg; ``write`` blocks when this many are queued, which bounds
        # memory when the caller produces faster than ffmpeg encodes.
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=queue_size)
        self._broken = False
        self._writer = threading.Thread(target=self._write_all, name="encoder-stdin",
                                        daemon=True)
        self._writer.start()
        self.bytes_written = 0

    def _write_all(self) -> None:
        stdin = self._proc.stdin
        assert stdin is not None
        while (data := self._queue.get()) is not None:
            if self._broken:
                continue
            try:
                stdin.write(data)
            except (BrokenPipeError, OSError):
                self._broken = True  # ffmpeg stopped; finish() reports why
        with contextlib.suppress(OSError):
            stdin.close()

    def write(self, pcm: bytes) -> None:
        if pcm:
            self.bytes_written += len(pcm)
            self._queue.put(pcm)

    def finish(self) -> None:
        """Wait for the encoder, then put the file in place; raises what ffmpeg reported."""
        self._queue.put(None)
        self._writer.join()
        code = self._proc.wait()
        try:
            if code != 0 or self._broken:
                self._errors.seek(0)
                lines = self._errors.read().decode("utf-8", "replace").strip().splitlines()
                raise LoaxaError("ffmpeg_failed", reason=lines[-1] if lines else code)
            try:
                os.replace(self._tmp, self.out_path)
            except OSError as exc:
                raise LoaxaError("file_unwritable", path=str(self.out_path),
                                 reason=exc.strerror or str(exc)) from None
        finally:
            self._cleanup()

    def abort(self) -> None:
        """Stop ffmpeg and remove the partial file."""
        with contextlib.suppress(OSError):
            self._proc.kill()
        self._broken = True
        self._queue.put(None)
        self._writer.join()
        self._proc.wait()
        self._cleanup()

    def _cleanup(self) -> None:
        self._errors.close()
        with contextlib.suppress(OSError):
            self._tmp.unlink(missing_ok=True)

    def __enter__(self) -> Encoder:
        return self

    def __exit__(self, kind: object, value: object, traceback: object) -> None:
        if kind is not None and self._proc.returncode is None:
            self.abort()
