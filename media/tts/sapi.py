"""Installed system voices through pyttsx3: SAPI5 on Windows (espeak-ng's shared library on
Linux, which is how the same code path is tested there).

pyttsx3 on Windows lists SAPI5 voices only, from the registry. The Vietnamese voice Windows
10/11 installs from Settings ("Microsoft An") is a OneCore voice and is usually not among them:
the error raised when no Vietnamese voice is found says so and how to install one.

Speech is saved to a temporary WAV file (``save_to_file`` + ``runAndWait``), read back with the
standard ``wave`` module and the file removed. pyttsx3 is not thread-safe and, on Windows, its
COM objects belong to the thread that made them: one process-wide lock serialises every use,
and the engine is kept per thread on Windows, per process elsewhere.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import sys
import tempfile
import threading
import time
import wave
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from media.errors import Cancelled, LoaxaError
from media.tts import Speech

log = logging.getLogger(__name__)

_lock = threading.Lock()
_per_thread = threading.local()
_shared: dict[Any, Any] = {}


@dataclass(frozen=True)
class VoiceInfo:
    id: str
    name: str
    languages: tuple[str, ...]


def is_vietnamese(languages: tuple[str, ...], name: str) -> bool:
    """SAPI5 reports "vi-VN" (from the LCID 0x042A), espeak-ng "vi" or "vi-vn-x-south"."""
    for language in languages:
        code = language.strip().lower().replace("_", "-")
        if code == "vi" or code.startswith("vi-"):
            return True
    lowered = name.lower()
    return "vietnam" in lowered or "tiếng việt" in lowered


def _language_text(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace").lstrip("\x00\x01\x02\x03\x04\x05")
    return str(value)


def _voice_info(voice: Any) -> VoiceInfo:
    languages = tuple(_language_text(lang) for lang in (getattr(voice, "languages", None) or ()))
    return VoiceInfo(str(getattr(voice, "id", "")), str(getattr(voice, "name", "") or ""),
                     languages)


class SapiEngine:
    """A Vietnamese voice installed in the system, through pyttsx3.

    ``voice``: the voice's id or name (case-insensitive); empty means the first Vietnamese one.
    ``module`` replaces the ``pyttsx3`` module (tests); ``driver`` is a pyttsx3 driver name.
    """

    name = "sapi"

    def __init__(self, voice: str = "", *, driver: str | None = None,
                 module: ModuleType | None = None, wait_s: float | None = None) -> None:
        self.voice = voice.strip()
        self.wait_s = wait_s  # longest wait for the WAV file; None: 10 s + 1 s per 100 chars
        self.voice_used = self.voice  # the name of the voice that last spoke
        self.driver = driver
        self._module = module
        self._forget: Callable[[], object] = lambda: None

    # -- voices ----------------------------------------------------------------------------
    def list_voices(self) -> list[VoiceInfo]:
        """The installed voices that speak Vietnamese (id, name, languages)."""
        with _lock, self._engine() as engine:
            return self._vietnamese(engine)

    def resolve_voice(self, voice: str = "") -> VoiceInfo:
        """The voice that would speak: ``voice`` (or the configured one), else the first
        Vietnamese voice. Raises LoaxaError ``sapi_no_vietnamese`` / ``sapi_voice_unknown``."""
        with _lock, self._engine() as engine:
            return self._pick(engine, voice or self.voice)

    def _vietnamese(self, engine: Any) -> list[VoiceInfo]:
        try:
            voices = engine.getProperty("voices") or []
        except Exception as exc:  # a driver's own failure (COM, ctypes): reported, not raised
            raise LoaxaError("voice_failed", engine="SAPI", reason=_reason(exc)) from None
        infos = [_voice_info(v) for v in voices]
        return [v for v in infos if is_vietnamese(v.languages, v.name)]

    def _pick(self, engine: Any, wanted: str) -> VoiceInfo:
        voices = self._vietnamese(engine)
        if not voices:
            raise LoaxaError("sapi_no_vietnamese")
        if not wanted:
            return voices[0]
        key = wanted.casefold()
        for voice in voices:
            if key in (voice.id.casefold(), voice.name.casefold()):
                return voice
        raise LoaxaError("sapi_voice_unknown", voice=wanted,
                         available=", ".join(v.name or v.id for v in voices))

    # -- speech ----------------------------------------------------------------------------
    def synthesize(self, text: str, voice: str = "", rate_wpm: int = 150,
                   should_stop: Callable[[], bool] | None = None) -> Speech:
        if should_stop is not None and should_stop():
            raise Cancelled()
        if not text.strip():
            raise LoaxaError("text_empty")
        with _lock, self._engine() as engine:
            chosen = self._pick(engine, voice or self.voice)
            fd, name = tempfile.mkstemp(prefix="loaxa-sapi-", suffix=".wav")
            os.close(fd)
            path = Path(name)
            try:
                try:
                    engine.setProperty("voice", chosen.id)
                    engine.setProperty("rate", int(rate_wpm))
                    # pyttsx3's espeak driver prints "Audio saved to …" on standard output.
                    with contextlib.redirect_stdout(io.StringIO()):
                        engine.save_to_file(text, str(path))
                        engine.runAndWait()
                        # SAPI5 has written the file when runAndWait returns; pyttsx3 2.99's
                        # espeak driver may return first and write it from espeak's thread.
                        wait = self.wait_s if self.wait_s is not None else 10.0 + len(text) / 100
                        _wait_for_wav(path, wait, should_stop)
                except (LoaxaError, Cancelled):
                    raise
                except Exception as exc:  # COM or ctypes failure inside the driver
                    self._forget()  # it may be stuck midway: the next call starts afresh
                    raise LoaxaError("voice_failed", engine="SAPI",
                                     reason=_reason(exc)) from None
                speech = _read_wav(path)
            finally:
                with contextlib.suppress(OSError):
                    path.unlink()
        if should_stop is not None and should_stop():
            raise Cancelled()
        self.voice_used = chosen.name or chosen.id
        return speech

    # -- pyttsx3 ---------------------------------------------------------------------------
    def _load(self) -> ModuleType:
        if self._module is not None:
            return self._module
        try:
            import pyttsx3  # a plain import, so that PyInstaller bundles it
        except ImportError as exc:
            raise LoaxaError("sapi_missing", reason=_reason(exc)) from None
        return pyttsx3

    @contextlib.contextmanager
    def _engine(self) -> Iterator[Any]:
        """The pyttsx3 engine, made once and kept: per thread on Windows (COM objects belong
        to their thread), per process elsewhere. Kept because a pyttsx3 espeak driver that is
        garbage-collected unhooks the audio callback of the one that replaced it."""
        module = self._load()
        real = self._module is None
        if real and sys.platform != "win32" and _bundled_espeak_loaded():
            # pyttsx3's espeak driver would get the offline voice's libespeak-ng (same soname)
            # and initialise it again without its data: espeak-ng then ends the process.
            raise LoaxaError("sapi_missing", reason="espeak-ng already in use in this process")
        cache: dict[Any, Any] = _per_thread.__dict__ if sys.platform == "win32" else _shared
        key = ("engine", self.driver)
        kept = cache.get(key) if real else None
        engine = kept[1] if kept is not None and kept[0] is module else None
        if engine is None:
            _com_init_thread()
            try:
                engine = module.init(self.driver) if self.driver else module.init()
            except LoaxaError:
                raise
            except Exception as exc:  # no libespeak, COM not registered, …
                raise LoaxaError("sapi_missing", reason=_reason(exc)) from None
            if real:
                cache[key] = (module, engine)
        self._forget = lambda: cache.pop(key, None)
        yield engine


def _wav_complete(path: Path) -> bool:
    try:
        size = path.stat().st_size
        with wave.open(str(path), "rb") as wav:
            frames = wav.getnframes()
            expected = frames * wav.getnchannels() * wav.getsampwidth()
    except (OSError, EOFError, wave.Error):
        return False
    return frames > 0 and size >= expected + 44


def _wait_for_wav(path: Path, timeout_s: float,
                  should_stop: Callable[[], bool] | None) -> None:
    """Until the driver's WAV file is whole (header and every frame), or the time is up
    (then reading it reports the failure)."""
    deadline = time.monotonic() + timeout_s
    while not _wav_complete(path):
        if should_stop is not None and should_stop():
            raise Cancelled()
        if time.monotonic() > deadline:
            return
        time.sleep(0.01)


def _read_wav(path: Path) -> Speech:
    """PCM from the WAV the driver wrote: mono 16-bit, channels mixed down if needed."""
    try:
        with wave.open(str(path), "rb") as wav:
            channels, width, rate = wav.getnchannels(), wav.getsampwidth(), wav.getframerate()
            frames = wav.readframes(wav.getnframes())
    except (OSError, EOFError, wave.Error) as exc:
        raise LoaxaError("voice_failed", engine="SAPI", reason=_reason(exc)) from None
    if not frames:
        raise LoaxaError("voice_failed", engine="SAPI", reason="no audio")
    if width != 2:
        raise LoaxaError("voice_failed", engine="SAPI", reason=f"{width * 8}-bit audio")
    if channels > 1:
        import numpy as np

        samples = np.frombuffer(frames, dtype="<i2").reshape(-1, channels).astype(np.int32)
        frames = (samples.sum(axis=1) // channels).astype("<i2").tobytes()
    return Speech(frames, rate)


def _reason(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _com_init_thread() -> None:
    """COM must be initialised in the calling thread (the window renders in a worker)."""
    if sys.platform != "win32" or getattr(_per_thread, "com", False):
        return
    try:
        import comtypes

        comtypes.CoInitialize()
    except (ImportError, OSError):
        log.debug("COM initialisation in this thread failed", exc_info=True)
    _per_thread.com = True


def _bundled_espeak_loaded() -> bool:
    """True when pyttsx3's espeak driver uses (or will load) the very libespeak-ng that the
    offline engine loaded: same soname, so the dynamic loader hands out the loaded one."""
    espeak = sys.modules.get("media.tts.espeak")
    ours = getattr(espeak, "_library", None) if espeak is not None else None
    if ours is None:
        return False
    theirs = sys.modules.get("pyttsx3.drivers._espeak")
    if theirs is None or getattr(theirs, "dll", None) is None:
        return True
    return getattr(theirs.dll, "_handle", None) == getattr(ours.lib, "_handle", None)
