"""Bulletins and their audio: render once, reuse while text and voice are unchanged."""

from __future__ import annotations

import hashlib
import json
import os
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import lru_cache

from media.errors import LoaxaError
from media.normalize import NORMALIZER_VERSION, Normalizer
from media.render import Progress, RenderOptions, RenderResult, render_text, speech_chunks
from media.store import AssetStore
from media.tts import TtsEngine
from media.tts.espeak import EspeakEngine
from scheduler.persistence import Database
from scheduler.records import AudioAsset, Bulletin


@dataclass(frozen=True)
class Rendered:
    asset: AudioAsset
    fresh: bool  # False: the stored audio was still current, no voice was called
    notice: LoaxaError | None = None  # why the configured online voice was not used


# Options that shape the sound but not the words (the lexicon acts through the spoken text;
# the jingle through its sha256, so moving the file does not matter).
_NOT_AUDIO = frozenset({"lexicon", "voice", "rate_wpm", "jingle_path"})


@lru_cache(maxsize=8)
def _normalizer(lexicon: tuple[tuple[str, str], ...]) -> Normalizer:
    return Normalizer(dict(lexicon))


def spoken_parts(body: str, options: RenderOptions) -> list[str]:
    """What the voice is given: the spoken form (commune lexicon applied), in the pieces
    ``render_text`` speaks — so blank lines and spacing don't count, and neither does any
    written change that reads the same ("UBND" / "Ủy ban nhân dân", "hoà" / "hòa")."""
    return speech_chunks(_normalizer(options.lexicon).text(body))


_spoken_cache: OrderedDict[tuple[bytes, tuple[tuple[str, str], ...]], str] = OrderedDict()
_spoken_lock = threading.Lock()


def _spoken_digest(body: str, options: RenderOptions) -> str:
    """sha256 of the spoken parts. Remembered for the last 512 (text, lexicon) pairs: the
    window checks every bulletin's audio each time it reloads."""
    key = (hashlib.sha256(body.encode("utf-8", "surrogatepass")).digest(), options.lexicon)
    with _spoken_lock:
        if key in _spoken_cache:
            _spoken_cache.move_to_end(key)
            return _spoken_cache[key]
    parts = json.dumps(spoken_parts(body, options), ensure_ascii=False)
    digest = hashlib.sha256(parts.encode("utf-8", "surrogatepass")).hexdigest()
    with _spoken_lock:
        _spoken_cache[key] = digest
        while len(_spoken_cache) > 512:
            _spoken_cache.popitem(last=False)
    return digest


def audio_source_key(body: str, engine_name: str, options: RenderOptions) -> str:
    """Identifies what a rendering was made from: the spoken text, the engine, the voice, the
    speed, the normalizer's version and the audio options. A change of any part means render
    again; a change of the written text that is spoken the same does not."""
    audio = {k: v for k, v in asdict(options).items() if k not in _NOT_AUDIO}
    material = json.dumps({"spoken": _spoken_digest(body, options), "engine": engine_name,
                           "voice": options.voice, "rate_wpm": options.rate_wpm,
                           "normalizer": NORMALIZER_VERSION, "audio": audio},
                          ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def audio_is_current(bulletin: Bulletin, store: AssetStore, engine_name: str,
                     options: RenderOptions) -> bool:
    return (bulletin.audio is not None
            and bulletin.audio_source_sha256 == audio_source_key(bulletin.body, engine_name,
                                                                 options)
            and store.path_for(bulletin.audio.rel_path).is_file())


def render_bulletin(db: Database, store: AssetStore, bulletin_id: int, options: RenderOptions,
                    *, engine: TtsEngine | None = None, progress: Progress | None = None,
                    should_stop: Callable[[], bool] | None = None) -> Rendered:
    """Audio for a bulletin. No voice call when the stored audio was made from the same
    spoken text, engine, voice, speed and settings. Audio made by the offline fallback is
    recorded as such, so the next render tries the configured voice again."""
    engine = engine or EspeakEngine()
    bulletin = db.get_bulletin(bulletin_id)
    if audio_is_current(bulletin, store, engine.name, options):
        assert bulletin.audio is not None
        return Rendered(bulletin.audio, False)
    tmp_dir = store.root / ".tmp"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    tmp = tmp_dir / f"{uuid.uuid4().hex}.mp3"
    try:
        result: RenderResult = render_text(bulletin.body, tmp, options, engine=engine,
                                           progress=progress, should_stop=should_stop)
        sha, rel = store.adopt(tmp)
    finally:
        if tmp.exists():
            os.unlink(tmp)
    asset = db.attach_audio(bulletin_id, sha256=sha, rel_path=rel,
                            duration_ms=round(result.duration_s * 1000), origin="tts",
                            engine=result.engine, voice=result.voice,
                            source_sha256=audio_source_key(bulletin.body, result.engine, options))
    return Rendered(asset, True, result.notice)
