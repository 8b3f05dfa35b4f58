"""Relay of a live stream: local HTTP servers on 127.0.0.1 (never the internet) that stream
an MP3 slowly, die mid-stream, stall, never answer, or refuse; an HLS playlist; and the relay
heard on the real PulseAudio null sink."""

from __future__ import annotations

import array
import socket
import threading
import time
from collections.abc import Generator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from media.audio import run_ffmpeg
from media.errors import LoaxaError
from media.stream import LiveStream
from scheduler.player import FRAME_BYTES, SAMPLE_RATE, MiniaudioPlayer
from tests.conftest import Recorder, rms

MP3_BYTES_PER_S = 16000  # 128 kbit/s


@pytest.fixture(scope="module")
def mp3() -> bytes:
    """Six seconds of a 440 Hz tone, stereo MP3 at 128 kbit/s."""
    return run_ffmpeg(["-f", "lavfi", "-i", "sine=frequency=440:duration=6", "-ac", "2",
                       "-ar", "44100", "-b:a", "128k", "-f", "mp3", "pipe:1"])


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        server = self.server
        path = self.path.split("?")[0]
        if path.startswith("/hls/"):
            body = (server.hls_dir / path.removeprefix("/hls/")).read_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if path == "/hang":  # accepts, reads the request, never answers
            server.closing.wait(30)
            return
        self.send_response(200)
        self.send_header("Content-Type", "audio/mpeg")
        self.end_headers()  # no length: a live stream ends when the connection does
        data = server.mp3
        # Icecast-like: a one-second burst on connect, then 1.5× real time.
        burst = MP3_BYTES_PER_S
        limit = {"/live": len(data), "/dies": 2 * MP3_BYTES_PER_S,
                 "/stalls": 2 * MP3_BYTES_PER_S}[path]
        try:
            self.wfile.write(data[:burst])
            sent = burst
            step = MP3_BYTES_PER_S // 10
            while sent < limit and not server.closing.is_set():
                time.sleep(0.1 / 1.5)
                self.wfile.write(data[sent:min(sent + step, limit)])
                self.wfile.flush()
                sent += step
            if path == "/stalls":  # connected, silent
                server.closing.wait(30)
        except (BrokenPipeError, ConnectionResetError):
            return
        # "/dies": the handler returns and the connection is closed mid-file


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, mp3: bytes, hls_dir: Path) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.mp3 = mp3
        self.hls_dir = hls_dir
        self.closing = threading.Event()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture(scope="module")
def server(mp3: bytes, tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Server]:
    hls_dir = tmp_path_factory.mktemp("hls")
    (hls_dir / "src.mp3").write_bytes(mp3)
    run_ffmpeg(["-i", str(hls_dir / "src.mp3"), "-c:a", "aac", "-b:a", "96k", "-f", "hls",
                "-hls_time", "2", "-hls_list_size", "0", str(hls_dir / "news.m3u8")])
    srv = _Server(mp3, hls_dir)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.closing.set()
    srv.shutdown()
    srv.server_close()


@pytest.fixture
def refused_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/live"  # nothing listens there any more


class RealtimeDevice:
    """Pulls 20 ms from the callback every 20 ms on its own thread, like a sound card."""

    def __init__(self, buffer_ms: int) -> None:
        self.out = bytearray()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, generator: Generator) -> None:
        def run() -> None:
            frames = SAMPLE_RATE // 50
            next_at = time.monotonic()
            while not self._stop.is_set():
                chunk = bytes(generator.send(frames))
                self.out += chunk + bytes(frames * FRAME_BYTES - len(chunk))
                next_at += 0.02
                time.sleep(max(0.0, next_at - time.monotonic()))

        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)

    def loud_frames(self) -> int:
        samples = array.array("h", bytes(self.out))
        return sum(1 for i in range(0, len(samples), 2) if abs(samples[i]) > 1000)


def _player(**attrs: float) -> tuple[MiniaudioPlayer, list[RealtimeDevice]]:
    devices: list[RealtimeDevice] = []

    def factory(buffer_ms: int) -> RealtimeDevice:
        devices.append(RealtimeDevice(buffer_ms))
        return devices[-1]

    player = MiniaudioPlayer(device_factory=factory)
    for name, value in attrs.items():
        setattr(player, name, value)
    return player, devices


# -- the ffmpeg wrapper -------------------------------------------------------------------
def test_live_stream_decodes_what_arrives(server: _Server) -> None:
    stream = LiveStream(server.base + "/live", SAMPLE_RATE, 2)
    stream.start()
    try:
        deadline = time.monotonic() + 20
        while not stream.ended and time.monotonic() < deadline:
            time.sleep(0.05)
        assert stream.ended
        # 6 s of MP3 → about 6 s of PCM (the encoder's padding aside), whole frames only
        assert 5.5 < stream.received / FRAME_BYTES / SAMPLE_RATE < 6.5
        assert stream.received % FRAME_BYTES == 0
        pcm = stream.read(stream.received)
        assert len(pcm) == stream.received and stream.exhausted()
        assert rms(array.array("h", pcm)) > 1000
    finally:
        stream.close()


def test_a_refused_connection_ends_with_an_error_and_no_data(refused_url: str) -> None:
    stream = LiveStream(refused_url, SAMPLE_RATE, 2)
    stream.start()
    try:
        deadline = time.monotonic() + 10
        while not stream.ended and time.monotonic() < deadline:
            time.sleep(0.05)
        assert stream.ended and stream.received == 0 and stream.read(4096) == b""
        assert stream.error_text()
    finally:
        stream.close()


@pytest.mark.parametrize("url", ["", "file:///etc/passwd", "/tmp/news.mp3", "ftp://x/y",
                                 "http://", "http://host/a b", "concat:http://a|http://b"])
def test_only_http_urls_are_relayed(url: str) -> None:
    with pytest.raises(LoaxaError) as caught:
        LiveStream(url, SAMPLE_RATE, 2)
    assert caught.value.code == "stream_bad_url"


# -- the player's relay, on a device that pulls in real time -------------------------------
def test_a_live_stream_is_relayed_for_its_duration(server: _Server) -> None:
    player, devices = _player()
    started = []
    try:
        result = player.play_stream(server.base + "/live", 1.5, threading.Event(),
                                    on_start=lambda: started.append(True))
    finally:
        player.close()
    assert result.completed and result.reason == ""
    assert 1.0 < result.played_s < 3.0
    assert started == [True]
    assert devices[0].loud_frames() > SAMPLE_RATE  # more than a second of tone went out


def test_an_hls_playlist_is_relayed(server: _Server) -> None:
    player, devices = _player()
    try:
        result = player.play_stream(server.base + "/hls/news.m3u8", 1.0, threading.Event())
    finally:
        player.close()
    assert result.completed
    assert devices[0].loud_frames() > SAMPLE_RATE // 2


def test_a_stream_that_dies_mid_way_fails_with_what_was_played(server: _Server) -> None:
    player, devices = _player()
    try:
        result = player.play_stream(server.base + "/dies", 30.0, threading.Event())
    finally:
        player.close()
    assert not result.completed and result.reason == "stream_failed"
    assert 1.0 < result.played_s < 3.0  # the two seconds it sent, and no more
    assert devices[0].loud_frames() > SAMPLE_RATE


def test_a_stream_that_goes_silent_fails_after_the_stall_limit(server: _Server) -> None:
    player, _ = _player(STREAM_STALL_S=1.0)
    try:
        result = player.play_stream(server.base + "/stalls", 30.0, threading.Event())
    finally:
        player.close()
    assert not result.completed and result.reason == "stream_failed"
    assert 1.0 < result.played_s < 3.0


def test_a_refused_stream_is_unreachable(refused_url: str) -> None:
    player, _ = _player()
    started = []
    try:
        result = player.play_stream(refused_url, 10.0, threading.Event(),
                                    on_start=lambda: started.append(True))
    finally:
        player.close()
    assert result.completed is False and result.reason == "stream_unreachable"
    assert result.played_s == 0.0 and started == []


def test_a_server_that_never_answers_is_unreachable_after_the_timeout(server: _Server) -> None:
    player, _ = _player(STREAM_CONNECT_TIMEOUT_S=1.0)
    try:
        result = player.play_stream(server.base + "/hang", 10.0, threading.Event())
    finally:
        player.close()
    assert result.reason == "stream_unreachable" and result.played_s == 0.0


def test_stop_ends_a_relay(server: _Server) -> None:
    player, _ = _player()
    stop = threading.Event()
    threading.Timer(2.0, stop.set).start()
    try:
        result = player.play_stream(server.base + "/live", 30.0, stop)
    finally:
        player.close()
    assert not result.completed and result.reason == "stopped"
    assert 0.0 < result.played_s < 4.0


# -- on the real output -------------------------------------------------------------------
def test_relayed_sound_goes_out_of_the_real_sink(pulse_sink: str, server: _Server,
                                                 tmp_path: Path) -> None:
    recorder = Recorder(pulse_sink, tmp_path / "sink.raw")
    player = MiniaudioPlayer()
    try:
        result = player.play_stream(server.base + "/live", 1.5, threading.Event())
    finally:
        player.close()
        samples = recorder.stop()
    assert result.completed
    assert rms(samples) > 300, "no relayed sound reached the audio output"
