"""Where LoaXa keeps its files.

Per-user platform folders by default (Windows: ``%LOCALAPPDATA%\\LoaXa``); the environment
variable ``LOAXA_HOME`` moves everything under one folder (tests, portable installs).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from app import APP_NAME

HOME_ENV = "LOAXA_HOME"
DATABASE_URL_ENV = "LOAXA_DATABASE_URL"


@dataclass(frozen=True)
class AppPaths:
    data_dir: Path
    config_dir: Path
    log_dir: Path
    cache_dir: Path

    @property
    def database_file(self) -> Path:
        return self.data_dir / "loaxa.db"

    @property
    def audio_dir(self) -> Path:
        return self.data_dir / "audio"

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.toml"

    @property
    def lexicon_file(self) -> Path:
        return self.config_dir / "lexicon.tsv"

    @property
    def playout_lock(self) -> Path:
        return self.data_dir / "playout.lock"

    @property
    def station_key_file(self) -> Path:
        """The station's Ed25519 private key (PEM, mode 0600): it signs log packages."""
        return self.data_dir / "station-key.pem"

    def database_url(self) -> str:
        """The SQLAlchemy URL: ``LOAXA_DATABASE_URL`` or the SQLite file in the data folder."""
        url = os.environ.get(DATABASE_URL_ENV, "").strip()
        if url:
            return url
        return "sqlite:///" + self.database_file.as_posix()

    def ensure(self) -> AppPaths:
        for folder in (self.data_dir, self.config_dir, self.log_dir, self.cache_dir,
                       self.audio_dir):
            folder.mkdir(parents=True, exist_ok=True)
        return self


def app_paths() -> AppPaths:
    home = os.environ.get(HOME_ENV, "").strip()
    if home:
        root = Path(home).expanduser().resolve()
        return AppPaths(root / "data", root / "config", root / "logs", root / "cache")
    # roaming=False: Windows puts everything under %LOCALAPPDATA%\LoaXa.
    dirs = platformdirs.PlatformDirs(APP_NAME, appauthor=False, roaming=False)
    return AppPaths(
        Path(dirs.user_data_dir),
        Path(dirs.user_config_dir),
        Path(dirs.user_log_dir),
        Path(dirs.user_cache_dir),
    )


def resources_dir() -> Path:
    """The shipped ``resources/`` folder, in a source checkout and in the PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"
