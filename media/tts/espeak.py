"""Offline voice: espeak-ng through the library and data bundled by espeakng-loader.

espeak-ng keeps global state, so one lock serialises every use in the process.
"""

from __future__ import annotations

import ctypes
import logging
import os
import sys
import threading
from collections.abc import Callable

from media.errors import Cancelled, LoaxaError
from media.tts import Speech

log = logging.getLogger(__name__)

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_INITIALIZE_DONT_EXIT = 0x8000
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_ENDPAUSE = 0x1000
_PARAM_RATE = 1

_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int,
                             ctypes.c_void_p)

_lock = threading.Lock()


class _Library:
    def __init__(self) -> None:
        try:
            import espeakng_loader
        except ImportError:
            raise LoaxaError("voice_missing", engine="espeak-ng") from None
        lib_path = espeakng_loader.get_library_path()
        data_path = espeakng_loader.get_data_path()
        if sys.platform == "win32":
            os.add_dll_directory(os.path.dirname(lib_path))
        try:
            self.lib = ctypes.CDLL(lib_path)
        except OSError as exc:
            raise LoaxaError("voice_missing", engine="espeak-ng", reason=str(exc)) from None
        lib = self.lib
        lib.espeak_Initialize.restype = ctypes.c_int
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p,
                                          ctypes.c_int]
        lib.espeak_SetSynthCallback.argtypes = [_CALLBACK]
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetVoiceByName.restype = ctypes.c_int
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_Synth.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint,
                                     ctypes.c_int, ctypes.c_uint, ctypes.c_uint,
                                     ctypes.c_void_p, ctypes.c_void_p]
        lib.espeak_Synth.restype = ctypes.c_int
        rate = lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0,
                                     data_path.encode(sys.getfilesystemencoding()),
                                     _INITIALIZE_DONT_EXIT)
        if rate <= 0:
            raise LoaxaError("voice_missing", engine="espeak-ng", reason=f"init {rate}")
        self.sample_rate = rate
        self._chunks: list[bytes] = []
        self._should_stop: Callable[[], bool] | None = None
        self._callback = _CALLBACK(self._on_audio)  # keep a reference alive
        lib.espeak_SetSynthCallback(self._callback)
        self._voice: str | None = None
        log.info("espeak-ng loaded from %s (%d Hz)", lib_path, rate)

    def _on_audio(self, wav: ctypes.Array, count: int, _events: int) -> int:
        if count > 0 and wav:
            self._chunks.append(ctypes.string_at(wav, count * 2))
        if self._should_stop is not None and self._should_stop():
            return 1
        return 0

    def speak(self, text: str, voice: str, rate_wpm: int,
              should_stop: Callable[[], bool] | None) -> bytes:
        if voice != self._voice:
            if self.lib.espeak_SetVoiceByName(voice.encode("ascii", "replace")) != 0:
                raise LoaxaError("voice_unknown", voice=voice)
            self._voice = voice
        self.lib.espeak_SetParameter(_PARAM_RATE, rate_wpm, 0)
        self._chunks = []
        self._should_stop = should_stop
        data = text.encode("utf-8")
        try:
            rc = self.lib.espeak_Synth(data, len(data) + 1, 0, _POS_CHARACTER, 0,
                                       _CHARS_UTF8 | _ENDPAUSE, None, None)
        finally:
            self._should_stop = None
        if should_stop is not None and should_stop():
            raise Cancelled()
        if rc != 0:
            raise LoaxaError("voice_failed", engine="espeak-ng", reason=f"espeak_Synth {rc}")
        return b"".join(self._chunks)


_library: _Library | None = None


class EspeakEngine:
    """espeak-ng, offline. Voices: ``vi``, ``vi-vn-x-central``, ``vi-vn-x-south``."""

    name = "espeak-ng"

    def synthesize(self, text: str, voice: str = "vi", rate_wpm: int = 150,
                   should_stop: Callable[[], bool] | None = None) -> Speech:
        global _library
        with _lock:
            if _library is None:
                _library = _Library()
            pcm = _library.speak(text, voice, rate_wpm, should_stop)
            return Speech(pcm, _library.sample_rate)
