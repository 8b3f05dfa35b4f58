"""The online voice against a fake server on loopback (never the real service)."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest

from media.errors import LoaxaError
from media.render import RenderOptions, render_text
from media.tts import FallbackEngine, Speech
from media.tts.espeak import EspeakEngine
from media.tts.gtts_engine import GttsEngine, split_text
from tests.fake_gtts import FakeGoogle, tone_mp3

LONG = ("Ủy ban nhân dân xã thông báo: từ thứ hai tuần tới, bộ phận một cửa của xã tiếp nhận hồ "
        "sơ cấp đổi thẻ bảo hiểm y tế cho người dân có thẻ hết hạn trong năm nay. Bà con mang "
        "theo căn cước và thẻ cũ, đến trụ sở xã vào giờ hành chính. ") * 4


@pytest.fixture(scope="module")
def mp3() -> bytes:
    return tone_mp3(0.3)


def engine(tmp_path: Path, url: str, **kwargs) -> GttsEngine:
    return GttsEngine(tmp_path / "cache", endpoint=url, **kwargs)


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/batchexecute"  # nothing listens there now


def test_text_is_cut_at_boundaries_never_inside_words() -> None:
    pieces = split_text(LONG)
    assert all(len(p) <= 100 for p in pieces)
    assert " ".join(pieces).split() == LONG.split()
    assert all(p.endswith((".", ",", ":")) or p == pieces[-1] or len(p) > 80 for p in pieces)
    assert split_text("a" * 250) == ["a" * 100, "a" * 100, "a" * 50]
    assert split_text("  \n ") == []


def test_chunks_are_fetched_concurrently_within_the_bound(tmp_path, mp3) -> None:
    with FakeGoogle(mp3, latency=0.2) as fake:
        voice = engine(tmp_path, fake.url, workers=3)
        speech = voice.synthesize(LONG)
    chunks = split_text(LONG)
    assert sorted(fake.texts) == sorted(set(chunks))  # each distinct chunk asked once
    assert fake.max_in_flight == 3
    assert isinstance(speech, Speech) and speech.sample_rate == 24000
    assert abs(speech.duration_s - 0.3 * len(chunks)) < 0.1 * len(chunks)


def test_second_time_makes_no_request(tmp_path, mp3) -> None:
    with FakeGoogle(mp3) as fake:
        voice = engine(tmp_path, fake.url)
        first = voice.synthesize(LONG)
        asked = len(fake.texts)
        second = engine(tmp_path, fake.url).synthesize(LONG)  # a new process, same cache
    assert len(fake.texts) == asked
    assert first.pcm == second.pcm


def test_429_is_retried_with_backoff(tmp_path, mp3) -> None:
    with FakeGoogle(mp3, fail_first=2, fail_status=429) as fake:
        voice = engine(tmp_path, fake.url, workers=1, backoff_s=0.05)
        voice.synthesize("Xin chào bà con.")
    assert fake.texts == ["Xin chào bà con."] * 3
    assert voice.requests_sent == 3


def test_server_errors_give_up_after_the_retries(tmp_path, mp3) -> None:
    with FakeGoogle(mp3, fail_first=99, fail_status=503) as fake:
        voice = engine(tmp_path, fake.url, workers=1, retries=2, backoff_s=0.01)
        with pytest.raises(LoaxaError) as info:
            voice.synthesize("Xin chào.")
    assert (info.value.code, info.value.params["reason"]) == ("voice_offline", "HTTP 503")
    assert len(fake.texts) == 3
    assert not [p for p in (tmp_path / "cache").rglob("*") if p.is_file()]  # nothing cached


def test_a_silent_server_times_out_instead_of_hanging(tmp_path, mp3) -> None:
    with FakeGoogle(mp3, hang_s=3) as fake:
        voice = engine(tmp_path, fake.url, timeout=(0.5, 0.3), retries=1, backoff_s=0.01)
        started = time.monotonic()
        with pytest.raises(LoaxaError) as info:
            voice.synthesize("Xin chào.")
    assert info.value.params["reason"] == "timeout"
    assert time.monotonic() - started < 3  # gave up, did not wait for the server


def test_no_network_fails_at_once(tmp_path) -> None:
    with pytest.raises(LoaxaError) as info:
        engine(tmp_path, closed_port_url()).synthesize("Xin chào.")
    assert info.value.code == "voice_offline"


def test_requests_verify_tls_and_always_have_a_timeout(tmp_path, mp3, monkeypatch) -> None:
    import requests

    seen = []
    real_post = requests.Session.post

    def spy(self, url, **kwargs):
        seen.append(kwargs)
        return real_post(self, url, **kwargs)

    monkeypatch.setattr(requests.Session, "post", spy)
    with FakeGoogle(mp3) as fake:
        engine(tmp_path, fake.url).synthesize("Xin chào.")
    assert seen and all(k["verify"] is True and k["timeout"] for k in seen)


def test_partial_failure_falls_back_to_the_offline_voice_with_a_notice(tmp_path, mp3) -> None:
    text = "Đoạn một đọc được.\nĐoạn hai thì máy chủ không trả lời."
    with FakeGoogle(mp3, always_fail_text="Đoạn hai", fail_status=500) as fake:
        online = engine(tmp_path, fake.url, retries=1, backoff_s=0.01)
        voice = FallbackEngine(online, "vi", EspeakEngine(), "vi")
        result = render_text(text, tmp_path / "out.mp3", RenderOptions(), engine=voice)
    assert result.engine == "espeak-ng"  # one voice for the whole bulletin
    assert result.notice is not None and result.notice.code == "voice_offline"
    assert result.duration_s > 3  # espeak read both paragraphs (the tone is 0.3 s a chunk)
    assert (tmp_path / "out.mp3").stat().st_size > 0


def test_fallback_that_switches_midway_rereads_everything_offline(tmp_path) -> None:
    class Flaky:
        name = "flaky"

        def __init__(self) -> None:
            self.calls = 0

        def synthesize(self, text, voice, rate_wpm, should_stop=None):
            self.calls += 1
            if self.calls > 1:
                raise LoaxaError("voice_offline", engine="flaky", reason="HTTP 429")
            return Speech(b"\x01\x00" * 24000, 24000)

    class Offline:
        name = "offline"

        def __init__(self) -> None:
            self.texts: list[str] = []

        def synthesize(self, text, voice, rate_wpm, should_stop=None):
            self.texts.append(text)
            return Speech(b"\x02\x00" * 22050, 22050)

    offline = Offline()
    voice = FallbackEngine(Flaky(), "vi", offline, "vi")
    result = render_text("Một.\nHai.\nBa.", tmp_path / "x.wav", engine=voice)
    assert offline.texts == ["Hai.", "Một.", "Hai.", "Ba."]  # the switch, then all of it
    assert result.engine == "offline" and result.notice.params["reason"] == "HTTP 429"


def test_cli_uses_the_online_voice_and_tells_when_it_falls_back(tmp_path, loaxa_home, mp3
                                                               ) -> None:
    from tests.conftest import run_cli

    src = tmp_path / "tin.txt"
    src.write_text("Xin chào bà con.", encoding="utf-8")
    (loaxa_home / "config").mkdir(parents=True)
    settings = loaxa_home / "config" / "settings.toml"
    with FakeGoogle(mp3) as fake:
        settings.write_text(f'tts_engine = "gtts"\ngtts_endpoint = "{fake.url}"\n',
                            encoding="utf-8")
        online = run_cli("render", str(src), "-o", str(tmp_path / "a.mp3"), check=True)
    assert fake.texts == ["Xin chào bà con."]
    assert "ngoại tuyến" not in online.stderr
    settings.write_text(f'tts_engine = "gtts"\ngtts_endpoint = "{closed_port_url()}"\n',
                        encoding="utf-8")
    src.write_text("Một câu khác, chưa có trong bộ nhớ đệm.", encoding="utf-8")
    offline = run_cli("render", str(src), "-o", str(tmp_path / "b.mp3"), check=True)
    assert "Không kết nối được giọng đọc trực tuyến" in offline.stderr
    assert "Đã dùng giọng đọc ngoại tuyến" in offline.stderr
    assert (tmp_path / "b.mp3").stat().st_size > 5000
