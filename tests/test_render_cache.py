"""The render cache: keyed by the spoken text, engine, voice, speed, normalizer version and audio
options; counted with a fake engine (no real voice is called)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

import scheduler.library as library
from media.errors import LoaxaError
from media.render import RenderOptions
from media.store import AssetStore
from media.tts import FallbackEngine, Speech
from scheduler.library import audio_is_current, audio_source_key, render_bulletin, spoken_parts


class CountingEngine:
    def __init__(self, name: str = "counting") -> None:
        self.name = name
        self.calls = 0

    def synthesize(self, text, voice, rate_wpm, should_stop=None) -> Speech:
        self.calls += 1
        return Speech(b"\x10\x20" * 11025, 22050)


class Failing:
    name = "online"

    def __init__(self) -> None:
        self.calls = 0

    def synthesize(self, text, voice, rate_wpm, should_stop=None) -> Speech:
        self.calls += 1
        raise LoaxaError("voice_offline", engine="gTTS", reason="no network")


@pytest.fixture
def store(tmp_path: Path) -> AssetStore:
    return AssetStore(tmp_path / "audio")


def test_unchanged_bulletin_makes_no_tts_call(db, store) -> None:
    engine = CountingEngine()
    b = db.add_bulletin("Tin", "UBND xã thông báo.\nHọp lúc 7h30.")
    first = render_bulletin(db, store, b, RenderOptions(), engine=engine)
    assert first.fresh and engine.calls == 2
    for _ in range(3):
        again = render_bulletin(db, store, b, RenderOptions(), engine=engine)
        assert not again.fresh and again.asset == first.asset
    assert engine.calls == 2


@pytest.mark.parametrize("edited", [
    "Ủy ban nhân dân xã thông báo.\nHọp lúc 7h30.",       # the abbreviation written out
    "UBND  xã   thông báo.\n\n\nHọp lúc 7h30.  ",        # spacing and blank lines
    "UBND xã thông báo.\nHọp lúc 7 giờ 30 phút.",          # the time written in words
    "<b>UBND</b> xã thông báo. 📢\nHọp lúc 7h30.",        # emoji and markup
])
def test_an_edit_spoken_the_same_is_not_rendered_again(db, store, edited) -> None:
    engine = CountingEngine()
    b = db.add_bulletin("Tin", "UBND xã thông báo.\nHọp lúc 7h30.")
    render_bulletin(db, store, b, RenderOptions(), engine=engine)
    # (bulletins are not edited in place yet: the stored audio is checked against the edit)
    assert audio_is_current(replace(db.get_bulletin(b), body=edited), store, engine.name,
                            RenderOptions())
    assert engine.calls == 2


def test_an_edit_that_changes_the_words_is_rendered_again(db, store) -> None:
    engine = CountingEngine()
    b = db.add_bulletin("Tin", "Họp lúc 7h30.")
    render_bulletin(db, store, b, RenderOptions(), engine=engine)
    stored = db.get_bulletin(b)
    assert audio_is_current(stored, store, engine.name, RenderOptions())
    assert not audio_is_current(replace(stored, body="Họp lúc 8h30."), store, engine.name,
                                RenderOptions())


def test_lexicon_edits_count_only_when_they_change_the_spoken_text(db, store) -> None:
    engine = CountingEngine()
    b = db.add_bulletin("Tin", "Họp tại NVH thôn Nà Phặc.")
    render_bulletin(db, store, b, RenderOptions(), engine=engine)
    # an entry for a word this bulletin doesn't have: same spoken text, no new audio
    unrelated = RenderOptions(lexicon=(("Khuổi Ky", "Khuổi Ky"), ("HTX", "hợp tác xã")))
    assert not render_bulletin(db, store, b, unrelated, engine=engine).fresh
    assert engine.calls == 1
    # an entry that changes how this bulletin is read: new audio
    reading = RenderOptions(lexicon=(("NVH", "nhà văn hóa"),))
    assert render_bulletin(db, store, b, reading, engine=engine).fresh
    assert engine.calls == 2
    assert not render_bulletin(db, store, b, reading, engine=engine).fresh
    assert engine.calls == 2


@pytest.mark.parametrize("change", [
    {"voice": "vi-vn-x-south"}, {"rate_wpm": 170}, {"loudness_lufs": -18.0},
    {"intro_chime": False}, {"sample_rate": 48000}, {"jingle_sha256": "ab" * 32},
])
def test_voice_speed_and_audio_options_are_in_the_key(change) -> None:
    body = "UBND xã thông báo."
    assert audio_source_key(body, "espeak-ng", RenderOptions()) != \
        audio_source_key(body, "espeak-ng", RenderOptions(**change))


def test_engine_and_normalizer_version_are_in_the_key(monkeypatch) -> None:
    body = "UBND xã thông báo."
    key = audio_source_key(body, "espeak-ng", RenderOptions())
    assert key == audio_source_key(body, "espeak-ng", RenderOptions())
    assert key != audio_source_key(body, "sapi", RenderOptions())
    monkeypatch.setattr(library, "NORMALIZER_VERSION", "next")
    assert key != audio_source_key(body, "espeak-ng", RenderOptions())


def test_moving_the_jingle_file_is_not_a_change() -> None:
    body = "Thông báo."
    a = RenderOptions(jingle_path="C:/a/nhac.mp3", jingle_sha256="cd" * 32)
    b = RenderOptions(jingle_path="D:/b/nhac-hieu.mp3", jingle_sha256="cd" * 32)
    assert audio_source_key(body, "espeak-ng", a) == audio_source_key(body, "espeak-ng", b)


def test_spoken_parts_are_what_the_voice_is_given(db, store) -> None:
    heard: list[str] = []

    class Listening(CountingEngine):
        def synthesize(self, text, voice, rate_wpm, should_stop=None) -> Speech:
            heard.append(text)
            return super().synthesize(text, voice, rate_wpm, should_stop)

    body = "Họp tại NVH lúc 7h.\n\nGọi 114."
    options = RenderOptions(lexicon=(("NVH", "nhà văn hóa"),))
    b = db.add_bulletin("Tin", body)
    render_bulletin(db, store, b, options, engine=Listening())
    assert heard == spoken_parts(body, options) == ["Họp tại nhà văn hóa lúc bảy giờ.",
                                                    "Gọi một một bốn."]


def test_fallback_audio_is_made_again_with_the_configured_voice(db, store) -> None:
    online, offline = Failing(), CountingEngine("espeak-ng")
    b = db.add_bulletin("Tin", "Thông báo.")
    first = render_bulletin(db, store, b, RenderOptions(),
                            engine=FallbackEngine(online, "vi", offline, "vi"))
    assert first.fresh and first.notice is not None and first.asset.engine == "espeak-ng"
    assert not audio_is_current(db.get_bulletin(b), store, "online", RenderOptions())
    second = render_bulletin(db, store, b, RenderOptions(),
                             engine=FallbackEngine(online, "vi", offline, "vi"))
    assert second.fresh and online.calls == 2 and offline.calls == 2
