"""Wiring: paths, settings, logging, database and the objects every front end uses."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.i18n import set_language
from app.logging_setup import setup_logging
from app.paths import AppPaths, app_paths
from app.settings import Settings, load_settings
from media.errors import LoaxaError
from media.normalize import read_table
from media.render import RenderOptions
from media.store import AssetStore
from scheduler.persistence import Database


@dataclass
class AppContext:
    paths: AppPaths
    settings: Settings
    db: Database
    store: AssetStore
    log_file: Path

    @property
    def render_options(self) -> RenderOptions:
        s = self.settings
        return RenderOptions(voice=s.espeak_voice, rate_wpm=s.speech_rate_wpm,
                             sample_rate=s.sample_rate, bitrate_kbps=s.mp3_bitrate_kbps,
                             lead_ms=s.lead_silence_ms, tail_ms=s.tail_silence_ms,
                             lexicon=tuple(sorted(load_lexicon(self.paths).items())))

    def close(self) -> None:
        self.db.close()


def load_lexicon(paths: AppPaths) -> dict[str, str]:
    """The commune's lexicon, ``lexicon.tsv`` in the settings folder (WRITTEN<TAB>SPOKEN)."""
    path = paths.lexicon_file
    if not path.exists():
        return {}
    try:
        return read_table(path)
    except UnicodeDecodeError as exc:
        raise LoaxaError("lexicon_bad", path=str(path), reason=f"UTF-8, byte {exc.start}") \
            from None
    except OSError as exc:
        raise LoaxaError("file_unreadable", path=str(path), reason=exc.strerror) from None


def open_context(process: str) -> AppContext:
    """Everything a process needs; the database is upgraded to the newest schema."""
    paths = app_paths().ensure()
    log_file = setup_logging(paths.log_dir, process)
    settings = load_settings(paths.settings_file)
    set_language(settings.language)
    db = Database(paths.database_url())
    db.upgrade()
    return AppContext(paths, settings, db, AssetStore(paths.audio_dir), log_file)
