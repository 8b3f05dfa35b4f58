"""A local stand-in for Google's text-to-speech endpoint (loopback only, bounded)."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from media.audio import run_ffmpeg
from media.tts.gtts_engine import fake_answer, text_of_request


def tone_mp3(seconds: float = 0.3) -> bytes:
    return run_ffmpeg(["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
                       "-ac", "1", "-ar", "24000", "-f", "mp3", "pipe:1"])


class FakeGoogle:
    def __init__(self, mp3: bytes, *, latency: float = 0.0, fail_first: int = 0,
                 fail_status: int = 429, always_fail_text: str | None = None,
                 hang_s: float = 0.0) -> None:
        self.mp3 = mp3
        self.latency = latency
        self.fail_first = fail_first
        self.fail_status = fail_status
        self.always_fail_text = always_fail_text
        self.hang_s = hang_s
        self.texts: list[str] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                text = text_of_request(body)
                with fake._lock:
                    fake.texts.append(text)
                    number = len(fake.texts)
                    fake.in_flight += 1
                    fake.max_in_flight = max(fake.max_in_flight, fake.in_flight)
                try:
                    if fake.hang_s:
                        time.sleep(fake.hang_s)  # accept, never answer in time
                        return
                    time.sleep(fake.latency)
                    if number <= fake.fail_first or (
                            fake.always_fail_text and fake.always_fail_text in text):
                        self.send_response(fake.fail_status)
                        self.end_headers()
                        return
                    payload = fake_answer(fake.mp3).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                finally:
                    with fake._lock:
                        fake.in_flight -= 1

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/batchexecute"

    def __enter__(self) -> FakeGoogle:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
