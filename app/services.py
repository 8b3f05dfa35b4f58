"""Wiring: paths, settings, logging, database and the objects every front end uses."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.i18n import set_language
from app.logging_setup import setup_logging
from app.paths import AppPaths, app_paths
from app.settings import Settings, load_settings, save_settings
from media.errors import LoaxaError
from media.normalize import read_table
from media.render import RenderOptions
from media.store import AssetStore, sha256_file
from media.tts import FallbackEngine, TtsEngine
from media.tts.espeak import EspeakEngine
from media.tts.gtts_engine import GttsEngine
from media.tts.sapi import SapiEngine
from scheduler.amplifier import Amplifier
from scheduler.library import Rendered, render_bulletin
from scheduler.people import Actor, roles_text
from scheduler.persistence import Database

if TYPE_CHECKING:
    from scheduler.logbook.keys import StationKey

log = logging.getLogger(__name__)


@dataclass
class AppContext:
    paths: AppPaths
    settings: Settings
    db: Database
    store: AssetStore
    log_file: Path
    # The station key; when it cannot be loaded, why (playout goes on; packages wait).
    key: StationKey | None = None
    key_error: LoaxaError | None = None

    def station_key(self) -> StationKey:
        """The signing key, or the error saying why it is missing (and how to recover)."""
        if self.key is None:
            raise self.key_error or LoaxaError("station_key_unset")
        return self.key

    @property
    def render_options(self) -> RenderOptions:
        s = self.settings
        return RenderOptions(voice=self.voice_key, rate_wpm=s.speech_rate_wpm,
                             sample_rate=s.sample_rate, mp3_quality=s.mp3_quality,
                             lead_ms=s.lead_silence_ms, tail_ms=s.tail_silence_ms,
                             lexicon=tuple(sorted(load_lexicon(self.paths).items())),
                             loudness_lufs=s.loudness_target_lufs,
                             true_peak_dbtp=s.true_peak_ceiling_dbtp,
                             intro_chime=s.intro_chime, outro_chime=s.outro_chime,
                             jingle_path=s.station_jingle,
                             jingle_sha256=_file_sha256(s.station_jingle))

    @property
    def analysis_cache_dir(self) -> Path:
        """Where items' loudness measurements for session programs are kept
        (``media.analysis_cache``; safe to delete, measured again when needed)."""
        return self.paths.cache_dir / "analysis"

    @property
    def voice_key(self) -> str:
        """The configured voice, as it goes into RenderOptions (and so the render cache key).
        The offline engine is given it as its voice; the others come in a FallbackEngine,
        which speaks with its own voices."""
        s = self.settings
        if s.tts_engine == "gtts":
            return f"vi@{s.gtts_tld}"
        if s.tts_engine == "sapi":
            return f"sapi:{s.sapi_voice}"
        return s.espeak_voice

    def tts_engine(self) -> TtsEngine:
        """The configured voice; the online one and the Windows (SAPI) one always come with
        the offline fallback, which speaks (with a notice saying why) when they cannot."""
        s = self.settings
        if s.tts_engine == "gtts":
            online = GttsEngine(self.paths.cache_dir / "gtts", tld=s.gtts_tld,
                                endpoint=s.gtts_endpoint or None)
            return FallbackEngine(online, "vi", EspeakEngine(), s.espeak_voice)
        if s.tts_engine == "sapi":
            return FallbackEngine(SapiEngine(s.sapi_voice), s.sapi_voice, EspeakEngine(),
                                  s.espeak_voice)
        return EspeakEngine()

    def render_bulletin(self, bulletin_id: int,
                        progress: Callable[[int, int], None] | None = None,
                        should_stop: Callable[[], bool] | None = None) -> Rendered:
        rendered = render_bulletin(self.db, self.store, bulletin_id, self.render_options,
                                   engine=self.tts_engine(), progress=progress,
                                   should_stop=should_stop)
        if rendered.notice is not None:
            log.warning("bulletin %s: online voice not used: %s", bulletin_id, rendered.notice)
        return rendered

    def amplifier(self) -> Amplifier | None:
        s = self.settings
        if not (s.amplifier_on_command.strip() or s.amplifier_off_command.strip()):
            return None
        return Amplifier(s.amplifier_on_command, s.amplifier_off_command,
                         lead_s=s.amplifier_lead_seconds,
                         off_delay_s=s.amplifier_off_delay_seconds)

    def close(self) -> None:
        self.db.close()


def _file_sha256(path: str) -> str:
    if not path:
        return ""
    try:
        return sha256_file(Path(path))
    except OSError:
        raise LoaxaError("audio_missing", path=path) from None


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
    ctx = AppContext(paths, settings, db, AssetStore(paths.audio_dir), log_file)
    if process != "playout":  # playout never signs; it seals with the recorded public key
        load_station_key(ctx)
    return ctx


def load_station_key(ctx: AppContext) -> None:
    """Loads (on the first run: makes) the station key. A problem with it never stops
    playout: entries are still sealed (with the public key in the database); it is reported
    and only signing packages waits for the recovery (docs/log-format.md, "Key recovery")."""
    from scheduler.logbook.service import ensure_station_key

    try:
        ctx.key, ctx.key_error = ensure_station_key(ctx.db, ctx.paths.station_key_file), None
    except LoaxaError as exc:
        log.error("station key: %s", exc)
        ctx.key, ctx.key_error = None, exc


# -- people and safety (issue 6): who is working, and the settings change audited ----------
# The current user lives on the Database (``ctx.db.actor``): every write through it is
# checked against that user's roles and recorded in the audit trail with that name
# (scheduler/persistence/people_db.py), for the window and the command line alike.

def current_user(ctx: AppContext) -> Actor:
    """Who is acting now: the logged-in user, or ``system`` (no login yet)."""
    return ctx.db.actor


def needs_first_admin(ctx: AppContext) -> bool:
    """True while no user exists (single-user setup): the window offers to create the
    first admin instead of a login."""
    return ctx.db.count_users() == 0


def login(ctx: AppContext, name: str, pin: str) -> Actor:
    """Checks the PIN (lockout and all) and makes the user the actor of ``ctx``."""
    actor = ctx.db.login(name, pin)
    log.info("logged in: %s (%s)", actor.name, roles_text(actor.roles))
    return actor


def logout(ctx: AppContext) -> None:
    ctx.db.logout()


def create_first_admin(ctx: AppContext, name: str, pin: str, full_name: str = "",
                       roles: Iterable[str] = ("admin", "operator", "approver")) -> Actor:
    """First run: the first user (an admin; by default also operator and approver, as one
    person often does everything in a small commune), logged in at once."""
    ctx.db.add_user(name, pin, list(roles), full_name=full_name)
    return login(ctx, name, pin)


_URL_PASSWORD = re.compile(r"(://[^:/@\s]+:)[^@\s]*@")


def _audit_value(key: str, value: object) -> object:
    if isinstance(value, str) and key.endswith("url"):
        return _URL_PASSWORD.sub(r"\1***@", value)
    return value


def save_settings_audited(ctx: AppContext, settings: Settings) -> dict[str, list[object]]:
    """Saves new settings (an admin's change once users exist) and records what changed
    in the audit trail (passwords in URLs masked). Returns {name: [old, new]}."""
    from dataclasses import asdict

    ctx.db.require("settings_changed")
    before, after = asdict(ctx.settings), asdict(settings)
    changed = {key: [_audit_value(key, before.get(key)), _audit_value(key, value)]
               for key, value in after.items() if before.get(key) != value}
    save_settings(settings, ctx.paths.settings_file)
    ctx.settings = settings
    if changed:
        ctx.db.record_audit("settings_changed", "settings", changed)
    return changed
