from pathlib import Path

import pytest

from app.paths import app_paths
from app.settings import Settings, load_settings, save_settings


def test_loaxa_home_moves_everything(loaxa_home: Path) -> None:
    paths = app_paths().ensure()
    for folder in (paths.data_dir, paths.config_dir, paths.log_dir, paths.cache_dir,
                   paths.audio_dir):
        assert folder.is_dir()
        assert loaxa_home in folder.parents
    assert paths.database_url() == "sqlite:///" + paths.database_file.as_posix()


def test_database_url_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOAXA_DATABASE_URL", "postgresql+psycopg://u@127.0.0.1:5432/loaxa")
    assert app_paths().database_url() == "postgresql+psycopg://u@127.0.0.1:5432/loaxa"


def test_platform_folders_without_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("LOAXA_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    paths = app_paths()
    assert paths.data_dir == tmp_path / "xdg-data" / "LoaXa"


def test_settings_round_trip_keeps_unknown_keys(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('language = "en"\nfuture_option = "giữ nguyên"\n', encoding="utf-8")
    settings = load_settings(path)
    assert settings.language == "en"
    settings.grace_minutes = 20
    save_settings(settings, path)
    again = load_settings(path)
    assert again.grace_minutes == 20
    assert again.extra == {"future_option": "giữ nguyên"}


def test_wrong_types_fall_back_to_defaults(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('grace_minutes = "mười lăm"\nstart_playout_with_window = 1\n'
                    'speech_rate_wpm = true\nlanguage = "fr"\n', encoding="utf-8")
    settings = load_settings(path)
    assert settings.grace_minutes == Settings().grace_minutes
    assert settings.start_playout_with_window is True
    assert settings.speech_rate_wpm == Settings().speech_rate_wpm
    assert settings.language == "vi"


def test_broken_settings_file_is_set_aside_not_lost(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text("language = [unclosed", encoding="utf-8")
    assert load_settings(path) == Settings()
    assert not path.exists()
    assert (tmp_path / "settings.toml.broken").read_text(encoding="utf-8") == \
        "language = [unclosed"
