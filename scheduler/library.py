"""Bulletins and their audio: render once, reuse while text and voice are unchanged."""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass

from media.errors import LoaxaError
from media.normalize import NORMALIZER_VERSION
from media.render import Progress, RenderOptions, RenderResult, render_text
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


def audio_source_key(body: str, engine_name: str, options: RenderOptions) -> str:
    """Identifies what a rendering was made from; a change of any part means render again."""
    material = json.dumps({"normalizer": NORMALIZER_VERSION, "engine": engine_name,
                           "options": asdict(options), "text": body},
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
    text, engine, voice and settings. Audio made by the offline fallback is recorded as
    such, so the next render tries the configured online voice again."""
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
