from __future__ import annotations

from pathlib import Path

from media.render import RenderOptions
from media.store import AssetStore, sha256_file
from media.tts import Speech
from scheduler.library import audio_is_current, render_bulletin


class CountingEngine:
    name = "counting"

    def __init__(self) -> None:
        self.calls = 0

    def synthesize(self, text, voice, rate_wpm, should_stop=None) -> Speech:
        self.calls += 1
        return Speech(b"\x10\x20" * 22050, 22050)  # one second of a constant tone


def test_unchanged_bulletin_is_not_spoken_again(db, tmp_path: Path) -> None:
    store = AssetStore(tmp_path / "audio")
    engine = CountingEngine()
    b = db.add_bulletin("Tin", "Một đoạn.\nHai đoạn.")
    options = RenderOptions()
    first = render_bulletin(db, store, b, options, engine=engine)
    asset = first.asset
    assert first.fresh and engine.calls == 2
    path = store.path_for(asset.rel_path)
    assert sha256_file(path) == asset.sha256 and path.name == f"{asset.sha256}.mp3"
    assert audio_is_current(db.get_bulletin(b), store, engine.name, options)
    again = render_bulletin(db, store, b, options, engine=engine)
    assert (again.asset, again.fresh, engine.calls) == (asset, False, 2)
    assert render_bulletin(db, store, b, RenderOptions(rate_wpm=170), engine=engine).fresh
    assert engine.calls == 4
    assert not list((store.root / ".tmp").iterdir())


def test_missing_file_is_rendered_again(db, tmp_path: Path) -> None:
    store = AssetStore(tmp_path / "audio")
    engine = CountingEngine()
    b = db.add_bulletin("Tin", "Một đoạn.")
    asset = render_bulletin(db, store, b, RenderOptions(), engine=engine).asset
    store.path_for(asset.rel_path).unlink()
    again = render_bulletin(db, store, b, RenderOptions(), engine=engine)
    assert again.fresh and store.path_for(again.asset.rel_path).is_file()


def test_lexicon_change_makes_new_audio(db, tmp_path: Path) -> None:
    store = AssetStore(tmp_path / "audio")
    engine = CountingEngine()
    b = db.add_bulletin("Tin", "Họp tại NVH.")
    render_bulletin(db, store, b, RenderOptions(), engine=engine)
    again = render_bulletin(db, store, b, RenderOptions(lexicon=(("NVH", "nhà văn hóa"),)),
                            engine=engine)
    assert again.fresh and engine.calls == 2


def test_the_voice_gets_the_spoken_form(db, tmp_path: Path) -> None:
    store = AssetStore(tmp_path / "audio")
    heard = []

    class Listening(CountingEngine):
        def synthesize(self, text, voice, rate_wpm, should_stop=None) -> Speech:
            heard.append(text)
            return super().synthesize(text, voice, rate_wpm, should_stop)

    b = db.add_bulletin("Tin", "UBND xã họp lúc 7h30 ngày 07/12/2026.\nGọi 114.")
    render_bulletin(db, store, b, RenderOptions(), engine=Listening())
    assert heard == ["Ủy ban nhân dân xã họp lúc bảy giờ ba mươi phút ngày bảy tháng mười hai "
                     "năm hai nghìn không trăm hai mươi sáu.", "Gọi một một bốn."]
