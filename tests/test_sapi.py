"""Windows (SAPI) voices through pyttsx3: against a fake pyttsx3 module, and for real on Linux
(pyttsx3's espeak driver with Debian's libespeak-ng1) in a separate process."""

from __future__ import annotations

import ctypes.util
import importlib.util
import json
import math
import os
import subprocess
import sys
import types
import wave
from array import array
from pathlib import Path

import pytest

from app.i18n import error_text, set_language
from media.errors import Cancelled, LoaxaError
from media.tts import FallbackEngine, Speech
from media.tts.sapi import SapiEngine, VoiceInfo, is_vietnamese

ROOT = Path(__file__).resolve().parent.parent


class FakeVoice:
    def __init__(self, id: str, name: str, languages: list) -> None:
        self.id, self.name, self.languages = id, name, languages


AN_ID = r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Speech\Voices\Tokens\MSTTS_V110_viVN_An"
ZIRA = FakeVoice(r"HKEY_LOCAL_MACHINE\...\TTS_MS_EN-US_ZIRA_11.0", "Microsoft Zira Desktop",
                 ["en-US"])
AN = FakeVoice(AN_ID, "Microsoft An", ["vi-VN"])
LINH = FakeVoice("vendor-linh", "Linh (Vietnamese)", ["Unknown Locale: 0"])


class FakeDriverEngine:
    """What ``pyttsx3.init()`` returns, recording what LoaXa asks of it."""

    def __init__(self, module: FakePyttsx3) -> None:
        self.module = module
        self.props: dict[str, object] = {}
        self.queued: list[tuple[str, str]] = []

    def getProperty(self, name: str) -> object:
        assert name == "voices"
        return list(self.module.voices)

    def setProperty(self, name: str, value: object) -> None:
        self.props[name] = value

    def save_to_file(self, text: str, filename: str) -> None:
        self.queued.append((text, filename))

    def runAndWait(self) -> None:
        for text, filename in self.queued:
            self.module.spoken.append((text, filename, dict(self.props)))
            self.module.write(Path(filename), text)
        self.queued = []


class FakePyttsx3(types.ModuleType):
    def __init__(self, voices: list[FakeVoice], channels: int = 1, rate: int = 16000) -> None:
        super().__init__("pyttsx3")
        self.voices = voices
        self.channels, self.rate = channels, rate
        self.spoken: list[tuple[str, str, dict]] = []
        self.init_error: Exception | None = None

    def init(self, driver: str | None = None) -> FakeDriverEngine:
        if self.init_error is not None:
            raise self.init_error
        return FakeDriverEngine(self)

    def write(self, path: Path, text: str) -> None:
        frames = array("h")
        for i in range(self.rate // 10 * len(text.split())):  # 0.1 s per word
            value = int(8000 * math.sin(i / 5))
            frames.extend([value] * self.channels if self.channels == 1
                          else [value, value // 2][: self.channels])
        with wave.open(str(path), "wb") as wav:
            wav.setnchannels(self.channels)
            wav.setsampwidth(2)
            wav.setframerate(self.rate)
            wav.writeframes(frames.tobytes())


def test_only_vietnamese_voices_are_listed() -> None:
    engine = SapiEngine(module=FakePyttsx3([ZIRA, AN, LINH]))
    assert engine.list_voices() == [VoiceInfo(AN_ID, "Microsoft An", ("vi-VN",)),
                                    VoiceInfo("vendor-linh", "Linh (Vietnamese)",
                                              ("Unknown Locale: 0",))]


@pytest.mark.parametrize(("languages", "name", "expected"), [
    (("vi-VN",), "Microsoft An", True), (("vi",), "Vietnamese (Northern)", True),
    (("vi-vn-x-south",), "Vietnamese (Southern)", True), (("vi_VN",), "x", True),
    (("en-US",), "Microsoft Zira", False), (("vo",), "Volapuk", False),
    (("Unknown Locale: 0",), "Giọng tiếng Việt", True), ((), "Victoria", False),
])
def test_vietnamese_voice_detection(languages, name, expected) -> None:
    assert is_vietnamese(languages, name) is expected


def test_speech_is_read_back_from_the_wav_and_the_file_removed(tmp_path: Path,
                                                                monkeypatch) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)
    fake = FakePyttsx3([ZIRA, AN])
    engine = SapiEngine(module=fake)
    speech = engine.synthesize("Xin chào bà con", "", 170)
    assert isinstance(speech, Speech)
    assert speech.sample_rate == 16000
    assert speech.duration_s == pytest.approx(0.4, abs=0.01)  # four words
    assert max(array("h", speech.pcm)) > 7000
    [(text, filename, props)] = fake.spoken
    assert text == "Xin chào bà con"
    assert props == {"voice": AN_ID, "rate": 170}
    assert Path(filename).parent == tmp_path and not Path(filename).exists()
    assert list(tmp_path.iterdir()) == []
    assert engine.voice_used == "Microsoft An"


def test_stereo_is_mixed_down_to_mono() -> None:
    speech = SapiEngine(module=FakePyttsx3([AN], channels=2)).synthesize("một hai", "", 150)
    samples = array("h", speech.pcm)
    assert len(samples) == 1600 * 2  # 0.2 s of mono at 16 kHz
    assert max(samples) == pytest.approx(8000 * 3 / 4, abs=2)  # (v + v/2) / 2


def test_the_configured_voice_is_chosen_by_name_or_id() -> None:
    fake = FakePyttsx3([AN, LINH])
    SapiEngine("linh (vietnamese)", module=fake).synthesize("một", "", 150)
    SapiEngine(AN_ID.lower(), module=fake).synthesize("một", "", 150)
    assert [props["voice"] for _, _, props in fake.spoken] == ["vendor-linh", AN_ID]


def test_an_unknown_voice_names_the_installed_ones() -> None:
    engine = SapiEngine("Microsoft Mai", module=FakePyttsx3([ZIRA, AN, LINH]))
    with pytest.raises(LoaxaError) as caught:
        engine.synthesize("một", "", 150)
    assert caught.value.code == "sapi_voice_unknown"
    assert caught.value.params["available"] == "Microsoft An, Linh (Vietnamese)"
    set_language("vi")
    assert "Microsoft An, Linh (Vietnamese)" in error_text(caught.value)


def test_no_vietnamese_voice_says_why_and_how_to_install_one() -> None:
    engine = SapiEngine(module=FakePyttsx3([ZIRA]))
    with pytest.raises(LoaxaError) as caught:
        engine.synthesize("một", "", 150)
    assert caught.value.code == "sapi_no_vietnamese"
    try:
        for lang in ("vi", "en"):
            set_language(lang)
            text = error_text(caught.value)
            assert "Microsoft An" in text and "OneCore" in text and "SAPI5" in text
            assert "Speech_OneCore" in text and 'tts_engine = "espeak"' in text
        set_language("vi")
        assert "giọng đọc tiếng Việt" in error_text(caught.value)
    finally:
        set_language("vi")
    assert SapiEngine(module=FakePyttsx3([])).list_voices() == []


def test_missing_pyttsx3_is_a_clear_error(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "pyttsx3", None)  # import fails
    with pytest.raises(LoaxaError) as caught:
        SapiEngine().synthesize("một", "", 150)
    assert caught.value.code == "sapi_missing"
    assert "pyttsx3" in error_text(caught.value)


def test_a_driver_that_cannot_start_is_a_clear_error() -> None:
    fake = FakePyttsx3([AN])
    fake.init_error = RuntimeError("This means you probably do not have eSpeak")
    with pytest.raises(LoaxaError) as caught:
        SapiEngine(module=fake).list_voices()
    assert caught.value.code == "sapi_missing"
    assert "eSpeak" in caught.value.params["reason"]


@pytest.mark.parametrize("written", [None, b"", b"RIFF junk"])
def test_a_driver_that_writes_no_audio_fails_cleanly(tmp_path: Path, monkeypatch,
                                                    written) -> None:
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    fake = FakePyttsx3([AN])

    def write(path: Path, text: str) -> None:
        if written is None:
            path.unlink()
        else:
            path.write_bytes(written)

    fake.write = write
    with pytest.raises(LoaxaError) as caught:
        SapiEngine(module=fake, wait_s=0.05).synthesize("một", "", 150)
    assert caught.value.code == "voice_failed"
    assert list(tmp_path.iterdir()) == []


def test_an_exception_inside_the_driver_becomes_voice_failed(tmp_path: Path,
                                                             monkeypatch) -> None:
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    fake = FakePyttsx3([AN])

    def write(path: Path, text: str) -> None:
        raise OSError("COM error -2147200966")

    fake.write = write
    with pytest.raises(LoaxaError) as caught:
        SapiEngine(module=fake).synthesize("một", "", 150)
    assert caught.value.code == "voice_failed" and "COM error" in caught.value.params["reason"]
    assert list(tmp_path.iterdir()) == []


def test_cancel_and_empty_text() -> None:
    fake = FakePyttsx3([AN])
    with pytest.raises(Cancelled):
        SapiEngine(module=fake).synthesize("một", "", 150, should_stop=lambda: True)
    with pytest.raises(LoaxaError) as caught:
        SapiEngine(module=fake).synthesize("   ", "", 150)
    assert caught.value.code == "text_empty" and fake.spoken == []


class Offline:
    name = "espeak-ng"

    def __init__(self) -> None:
        self.calls: list[str] = []

    def synthesize(self, text, voice, rate_wpm, should_stop=None) -> Speech:
        self.calls.append(voice)
        return Speech(b"\x00\x01" * 100, 22050)


def test_a_missing_sapi_voice_falls_back_to_espeak_with_a_notice() -> None:
    offline = Offline()
    engine = FallbackEngine(SapiEngine(module=FakePyttsx3([ZIRA])), "", offline, "vi")
    engine.synthesize("một", "ignored", 150)
    engine.synthesize("hai", "ignored", 150)
    assert offline.calls == ["vi", "vi"]
    assert engine.used == "espeak-ng" and engine.voice_used == "vi"
    assert isinstance(engine.notice, LoaxaError) and engine.notice.code == "sapi_no_vietnamese"


def test_a_working_sapi_voice_is_used_and_named() -> None:
    offline = Offline()
    engine = FallbackEngine(SapiEngine(module=FakePyttsx3([AN])), "", offline, "vi")
    speech = engine.synthesize("một hai", "ignored", 150)
    assert speech.sample_rate == 16000 and offline.calls == []
    assert engine.used == "sapi" and engine.voice_used == "Microsoft An"
    assert engine.notice is None


# -- the real pyttsx3 ---------------------------------------------------------------------
_REAL = """
import json, math, os, sys, tempfile
from array import array
from media.tts.sapi import SapiEngine
engine = SapiEngine()
voices = engine.list_voices()
speech = engine.synthesize(sys.argv[1], "", 150)
samples = array("h", speech.pcm)
rms = math.sqrt(sum(s * s for s in samples) / len(samples))
print(json.dumps({"voices": [[v.id, v.name, list(v.languages)] for v in voices],
                  "rate": speech.sample_rate, "seconds": speech.duration_s, "rms": rms,
                  "peak": max(abs(s) for s in samples), "used": engine.voice_used,
                  "left": os.listdir(tempfile.gettempdir())}))
"""


def _real_pyttsx3_usable() -> str | None:
    if importlib.util.find_spec("pyttsx3") is None:
        return "pyttsx3 is not installed"
    if sys.platform == "win32":
        return None
    if ctypes.util.find_library("espeak-ng") is None and ctypes.util.find_library("espeak") is None:
        return "pyttsx3's espeak driver needs libespeak-ng1 (see .ci/system-packages)"
    return None


@pytest.mark.skipif(_real_pyttsx3_usable() is not None, reason=str(_real_pyttsx3_usable()))
def test_real_pyttsx3_speaks_vietnamese(tmp_path: Path) -> None:
    """End to end through the real pyttsx3 (its espeak driver here; SAPI5 on Windows), in a
    process of its own: pyttsx3's espeak driver and the bundled offline voice share one
    libespeak-ng soname and must not meet in one process."""
    env = {**os.environ, "TMPDIR": str(tmp_path), "TEMP": str(tmp_path), "TMP": str(tmp_path)}
    proc = subprocess.run([sys.executable, "-c", _REAL,
                           "Ủy ban nhân dân xã thông báo lịch tiêm chủng cho trẻ em."],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["voices"], "no Vietnamese voice found"
    assert all(is_vietnamese(tuple(langs), name) for _, name, langs in result["voices"])
    assert result["rate"] >= 16000
    assert 1.5 < result["seconds"] < 15
    assert result["rms"] > 300 and result["peak"] > 3000  # speech, not silence
    assert result["used"] == result["voices"][0][1]
    assert result["left"] == []  # the temporary WAV is gone


def test_pyttsx3_refuses_to_share_the_bundled_espeak(monkeypatch) -> None:
    """On Linux, once the offline voice's libespeak-ng is loaded, pyttsx3's espeak driver
    would re-initialise it without its data (espeak-ng would end the process): refused."""
    if sys.platform == "win32":
        pytest.skip("SAPI5 shares nothing with espeak-ng")
    import media.tts.espeak as espeak

    class Loaded:
        lib = types.SimpleNamespace(_handle=1)

    monkeypatch.setattr(espeak, "_library", Loaded())
    monkeypatch.delitem(sys.modules, "pyttsx3.drivers._espeak", raising=False)
    fake = FakePyttsx3([AN])
    monkeypatch.setitem(sys.modules, "pyttsx3", fake)  # what ``import pyttsx3`` gives
    with pytest.raises(LoaxaError) as caught:
        SapiEngine().synthesize("một", "", 150)
    assert caught.value.code == "sapi_missing" and fake.spoken == []
    monkeypatch.setattr(espeak, "_library", None)
    assert SapiEngine().synthesize("một", "", 150).sample_rate == 16000


def test_one_engine_is_kept_and_a_failed_one_replaced(monkeypatch) -> None:
    """pyttsx3's espeak driver unhooks the audio callback when a discarded engine is collected:
    one engine is made and kept; only a driver that failed midway is replaced."""
    fake = FakePyttsx3([AN])
    made = []
    real_init = fake.init

    def init(driver=None):
        made.append(real_init(driver))
        return made[-1]

    fake.init = init
    monkeypatch.setitem(sys.modules, "pyttsx3", fake)
    monkeypatch.setattr("media.tts.sapi._bundled_espeak_loaded", lambda: False)
    engine = SapiEngine()
    engine.list_voices()
    engine.synthesize("một", "", 150)
    SapiEngine().synthesize("hai", "", 150)
    with pytest.raises(LoaxaError):
        SapiEngine("Microsoft Mai").synthesize("ba", "", 150)  # not a driver failure
    assert len(made) == 1
    made[0].runAndWait = lambda: (_ for _ in ()).throw(OSError("COM error"))
    with pytest.raises(LoaxaError) as caught:
        SapiEngine().synthesize("bốn", "", 150)
    assert caught.value.code == "voice_failed"
    assert SapiEngine().synthesize("năm", "", 150).sample_rate == 16000
    assert len(made) == 2



_FAKE_MODULE = '''
class _V:
    def __init__(self, i, n, l):
        self.id, self.name, self.languages = i, n, l
class _E:
    def getProperty(self, name):
        return [_V("zira", "Microsoft Zira Desktop", ["en-US"])] + VOICES
def init(driver=None):
    return _E()
'''


def _fake_pyttsx3_dir(tmp_path: Path, voices: str) -> dict[str, str]:
    """A ``pyttsx3`` module found first by a separate process (``loaxa voices``)."""
    folder = tmp_path / "fake"
    folder.mkdir()
    (folder / "pyttsx3.py").write_text(_FAKE_MODULE + f"VOICES = {voices}\n", encoding="utf-8")
    return {"PYTHONPATH": str(folder)}


@pytest.mark.parametrize("language", ["vi", "en"])
def test_cli_voices_without_a_vietnamese_voice(tmp_path: Path, language) -> None:
    from app.paths import app_paths
    from tests.conftest import run_cli

    settings = app_paths().settings_file
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(f'language = "{language}"\n', encoding="utf-8")
    proc = run_cli("voices", env=_fake_pyttsx3_dir(tmp_path, "[]"))
    assert proc.returncode == 1 and proc.stdout == ""
    assert "Microsoft An" in proc.stderr and "OneCore" in proc.stderr
    assert ("giọng đọc tiếng Việt" in proc.stderr) == (language == "vi")
    assert "Traceback" not in proc.stderr


def test_cli_voices_lists_the_vietnamese_ones(tmp_path: Path) -> None:
    from tests.conftest import run_cli

    env = _fake_pyttsx3_dir(tmp_path, '[_V("tok-an", "Microsoft An", ["vi-VN"])]')
    proc = run_cli("voices", env=env, check=True)
    assert proc.stdout.splitlines() == ["tok-an\tMicrosoft An\tvi-VN"]
