"""Engine and voice chosen in settings.toml, wired by AppContext; the SAPI voice falls back to
espeak-ng with a notice when it is missing. (pyttsx3 is replaced by a fake module here.)"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import media.tts.sapi as sapi
from app.i18n import error_text, set_language, tr
from app.services import open_context
from app.settings import Settings, load_settings, save_settings
from media.tts import FallbackEngine
from media.tts.espeak import EspeakEngine
from media.tts.gtts_engine import GttsEngine
from media.tts.sapi import SapiEngine
from tests.test_sapi import AN, ZIRA, FakePyttsx3


@pytest.mark.parametrize(("written", "engine"), [("espeak", "espeak"), ("gtts", "gtts"),
                                                  ("sapi", "sapi"), ("SAPI5", "espeak"),
                                                  ("piper", "espeak")])
def test_tts_engine_setting(tmp_path: Path, written, engine) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(f'tts_engine = "{written}"\nsapi_voice = "  Microsoft An "\n',
                    encoding="utf-8")
    settings = load_settings(path)
    assert settings.tts_engine == engine and settings.sapi_voice == "Microsoft An"


def test_sapi_settings_survive_a_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    save_settings(Settings(tts_engine="sapi", sapi_voice="Microsoft An"), path)
    settings = load_settings(path)
    assert (settings.tts_engine, settings.sapi_voice) == ("sapi", "Microsoft An")
    assert Settings().sapi_voice == ""


@pytest.fixture
def ctx():
    context = open_context("test")
    yield context
    context.close()


def test_context_builds_the_configured_engine(ctx) -> None:
    assert isinstance(ctx.tts_engine(), EspeakEngine)
    assert ctx.render_options.voice == ctx.settings.espeak_voice == "vi"

    ctx.settings.tts_engine = "gtts"
    engine = ctx.tts_engine()
    assert isinstance(engine, FallbackEngine) and isinstance(engine.primary, GttsEngine)
    assert isinstance(engine.fallback, EspeakEngine) and engine.name == "gtts"
    assert ctx.render_options.voice == "vi@com.vn"

    ctx.settings.tts_engine, ctx.settings.sapi_voice = "sapi", "Microsoft An"
    engine = ctx.tts_engine()
    assert isinstance(engine, FallbackEngine) and isinstance(engine.primary, SapiEngine)
    assert engine.primary.voice == "Microsoft An" and engine.name == "sapi"
    assert isinstance(engine.fallback, EspeakEngine) and engine.fallback_voice == "vi"
    assert ctx.render_options.voice == "sapi:Microsoft An"


def _use_fake_pyttsx3(monkeypatch, fake: FakePyttsx3) -> None:
    monkeypatch.setitem(sys.modules, "pyttsx3", fake)
    # the offline voice may already be loaded by another test in this process; the fake
    # shares nothing with it
    monkeypatch.setattr(sapi, "_bundled_espeak_loaded", lambda: False)


def test_missing_sapi_voice_falls_back_to_espeak_with_a_notice(ctx, monkeypatch) -> None:
    _use_fake_pyttsx3(monkeypatch, FakePyttsx3([ZIRA]))
    ctx.settings.tts_engine = "sapi"
    b = ctx.db.add_bulletin("Tin", "Ủy ban nhân dân xã thông báo.")
    rendered = ctx.render_bulletin(b)
    assert rendered.fresh and rendered.asset.engine == "espeak-ng"
    assert rendered.asset.voice == "vi" and rendered.asset.duration_ms > 1000
    assert rendered.notice is not None and rendered.notice.code == "sapi_no_vietnamese"
    set_language("en")
    try:
        notice = tr("voice_fallback", reason=error_text(rendered.notice))
        assert "OneCore" in notice and "espeak-ng voice was used" in notice
    finally:
        set_language("vi")
    # the next render tries the Windows voice again (audio made by the fallback is not current)
    fake = FakePyttsx3([ZIRA, AN], rate=22050)
    _use_fake_pyttsx3(monkeypatch, fake)
    again = ctx.render_bulletin(b)
    assert again.fresh and again.notice is None and again.asset.engine == "sapi"
    assert len(fake.spoken) == 1


def test_sapi_voice_renders_once_then_comes_from_the_cache(ctx, monkeypatch) -> None:
    fake = FakePyttsx3([ZIRA, AN], rate=22050)
    _use_fake_pyttsx3(monkeypatch, fake)
    ctx.settings.tts_engine = "sapi"
    b = ctx.db.add_bulletin("Tin", "UBND xã thông báo.\nHọp lúc 7h30.")
    first = ctx.render_bulletin(b)
    assert first.fresh and first.notice is None
    assert (first.asset.engine, first.asset.voice) == ("sapi", "Microsoft An")
    assert [text for text, _, _ in fake.spoken] == ["Ủy ban nhân dân xã thông báo.",
                                                    "Họp lúc bảy giờ ba mươi phút."]
    assert {props["voice"] for _, _, props in fake.spoken} == {AN.id}
    again = ctx.render_bulletin(b)
    assert not again.fresh and again.asset == first.asset and len(fake.spoken) == 2
    ctx.settings.speech_rate_wpm = 170  # a new speed is a new rendering
    assert ctx.render_bulletin(b).fresh and len(fake.spoken) == 4
    assert fake.spoken[-1][2]["rate"] == 170
