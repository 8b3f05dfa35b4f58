"""Typed settings in a TOML file, readable without Qt (the headless playout process reads it).

Unknown keys are kept when the file is written back; a value of the wrong type falls back to
its default with a warning; a file that cannot be parsed is set aside (``.broken``) rather
than overwritten, so nothing the operator typed is lost.
"""

from __future__ import annotations

import logging
import os
import tomllib
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

LANGUAGES = ("vi", "en")
TTS_ENGINES = ("espeak", "gtts", "sapi")
IDLE_LOGOUT_MAX = 24 * 60  # minutes


@dataclass
class Settings:
    # Language of the window and the command line: "vi" (default) or "en".
    language: str = "vi"
    # Voice: "espeak" (offline, default), "gtts" (online Google voice) or "sapi" (a Vietnamese
    # voice installed in Windows, through pyttsx3). gtts and sapi fall back to the offline one
    # with a notice when there is no network or no such voice.
    tts_engine: str = "espeak"
    # The Windows (SAPI) voice: its name or id; empty means the first Vietnamese one.
    sapi_voice: str = ""
    # Google domain for the online voice, and an optional other address (a test server).
    gtts_tld: str = "com.vn"
    gtts_endpoint: str = ""
    # Offline voice (espeak-ng voice name) and its speed in words per minute.
    espeak_voice: str = "vi"
    speech_rate_wpm: int = 150
    # Program audio: sample rate (Hz) and MP3 VBR quality (0 best … 9 smallest). VBR, because
    # LAME at a constant 128 kbit/s was measured to lower the level by 0.44 dB.
    sample_rate: int = 44100
    mp3_quality: int = 2
    # Loudness of every program (LUFS, integrated) and the true-peak ceiling (dBTP).
    loudness_target_lufs: float = -16.0
    true_peak_ceiling_dbtp: float = -1.5
    # A chime before and after each bulletin; the station's jingle (an audio file) first.
    intro_chime: bool = True
    outro_chime: bool = True
    station_jingle: str = ""
    # Silence before and after speech, in milliseconds.
    lead_silence_ms: int = 500
    tail_silence_ms: int = 1000
    # A session found late (after a power cut) still plays within this many minutes.
    grace_minutes: int = 15
    # Seconds before a session at which the audio output is opened (kept warm).
    preroll_seconds: int = 5
    # The window starts the playout process when it is not running.
    start_playout_with_window: bool = True
    # Amplifier control (USB or serial relays): a command run this many seconds before a
    # session, another after it (once nothing has played for the off delay). Empty: none.
    amplifier_on_command: str = ""
    amplifier_off_command: str = ""
    amplifier_lead_seconds: int = 10
    amplifier_off_delay_seconds: int = 30
    # The centre's database for pushing the broadcast log when online (`loaxa centre push`),
    # e.g. "postgresql+psycopg://user:password@host:5432/loaxa". Empty: no push (packages).
    centre_database_url: str = ""
    # The audio output the playout engine plays on, by its name as the system lists it
    # (the Settings view offers the list). Empty: the system's default output. A named
    # output that is not there falls back to the default, with a warning in playout.log.
    output_device: str = ""
    # Centre mode, for the consolidated report (`loaxa centre report`): the centre's name
    # (empty: the name given by `loaxa station set --centre`), the body it belongs to (the
    # header's first line, e.g. "UBND TỈNH ĐẮK LẮK"; empty: none) and who the report is
    # addressed to ("Kính gửi: …").
    centre_name: str = ""
    centre_governing_body: str = ""
    centre_report_recipient: str = ""
    # The window signs the user out after this many minutes without keyboard or mouse input
    # (0: never). Playout and work in progress go on; the login dialog comes back.
    idle_logout_minutes: int = 15
    extra: dict[str, Any] = field(default_factory=dict, repr=False)

    def validate(self) -> Settings:
        if self.tts_engine not in TTS_ENGINES:
            log.warning("unknown tts_engine %r in settings; using espeak", self.tts_engine)
            self.tts_engine = "espeak"
        self.sapi_voice = self.sapi_voice.strip()
        if self.language not in LANGUAGES:
            log.warning("unknown language %r in settings; using vi", self.language)
            self.language = "vi"
        self.speech_rate_wpm = min(max(self.speech_rate_wpm, 80), 450)
        self.loudness_target_lufs = min(max(self.loudness_target_lufs, -40.0), -6.0)
        self.true_peak_ceiling_dbtp = min(max(self.true_peak_ceiling_dbtp, -12.0), 0.0)
        self.grace_minutes = min(max(self.grace_minutes, 0), 24 * 60)
        self.preroll_seconds = min(max(self.preroll_seconds, 1), 120)
        self.amplifier_lead_seconds = min(max(self.amplifier_lead_seconds, 0), 300)
        self.amplifier_off_delay_seconds = min(max(self.amplifier_off_delay_seconds, 0), 3600)
        self.centre_database_url = self.centre_database_url.strip()
        self.output_device = self.output_device.strip()
        self.idle_logout_minutes = min(max(self.idle_logout_minutes, 0), IDLE_LOGOUT_MAX)
        return self


def _defaults() -> dict[str, Any]:
    return {f.name: getattr(Settings(), f.name) for f in fields(Settings) if f.name != "extra"}


def load_settings(path: Path) -> Settings:
    if not path.exists():
        return Settings()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        broken = path.with_suffix(path.suffix + ".broken")
        log.error("settings file %s is unreadable (%s); kept as %s, using defaults",
                  path, exc, broken)
        try:
            os.replace(path, broken)
        except OSError:
            log.exception("could not set aside %s", path)
        return Settings()
    defaults = _defaults()
    values: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in defaults:
            extra[key] = value
            continue
        expected = type(defaults[key])
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)  # "-16" for -16.0
        if expected in (int, float) and isinstance(value, bool):
            ok = False
        else:
            ok = isinstance(value, expected)
        if ok:
            values[key] = value
        else:
            log.warning("setting %s=%r is not a %s; using %r", key, value,
                        expected.__name__, defaults[key])
    return Settings(**values, extra=extra).validate()


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        return f'"{escaped}"'
    raise TypeError(f"cannot write {type(value).__name__} to the settings file")


def save_settings(settings: Settings, path: Path) -> None:
    """Write atomically (temporary file, then rename) in UTF-8."""
    data = asdict(settings)
    extra = data.pop("extra")
    lines = ["# LoaXa settings (UTF-8). Edit with the program closed.", ""]
    for key, value in {**data, **extra}.items():
        try:
            lines.append(f"{key} = {_toml_value(value)}")
        except TypeError:
            log.warning("setting %s has a value that cannot be written; dropped", key)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.replace(tmp, path)
