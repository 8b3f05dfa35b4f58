"""A live stream (http/https/HLS/icecast URL) decoded by the bundled ffmpeg as it arrives.

ffmpeg reads the URL (no ``-re``: a live input comes at its own pace) and writes s16le PCM on
its stdout; a reader thread keeps what arrived in a bounded queue that the audio callback
drains with ``read()``, which never blocks. The caller decides what a stall is from
``last_data`` and ``ended``; ``-rw_timeout`` makes ffmpeg itself give up on a server that
accepts and then says nothing.
"""

from __future__ import annotations

import collections
import subprocess
import threading
import time

from media.audio import _NO_WINDOW, ffmpeg_exe
from media.errors import LoaxaError

CONNECT_TIMEOUT_S = 5.0
READ_CHUNK = 16384
# What a relayed URL (and an HLS playlist it names) may open: never a local file.
PROTOCOLS = "http,https,tcp,tls,crypto"


def check_stream_url(url: str) -> str:
    """An http(s) URL (icecast, shoutcast, HLS playlist), else LoaxaError("stream_bad_url")."""
    cleaned = url.strip()
    scheme, sep, rest = cleaned.partition("://")
    if not sep or scheme.lower() not in ("http", "https") or not rest or any(
            c.isspace() or ord(c) < 32 for c in cleaned):
        raise LoaxaError("stream_bad_url", url=url[:200])
    return cleaned


class LiveStream:
    """ffmpeg decoding ``url`` to s16le ``sample_rate`` Hz, ``channels`` channels.

    ``max_buffer_s`` bounds what is kept ahead of the player (an HLS input arrives a segment
    at a time); when it is full the reader stops reading and ffmpeg waits on its pipe.
    """

    def __init__(self, url: str, sample_rate: int, channels: int,
                 timeout_s: float = CONNECT_TIMEOUT_S, max_buffer_s: float = 30.0) -> None:
        self.url = check_stream_url(url)
        self._frame_bytes = 2 * channels
        self._max_bytes = int(max_buffer_s * sample_rate) * self._frame_bytes
        self._args = [
            "-hide_banner", "-nostdin", "-v", "error",
            "-protocol_whitelist", PROTOCOLS, "-rw_timeout", str(int(timeout_s * 1_000_000)),
            "-i", self.url, "-vn", "-f", "s16le", "-ac", str(channels), "-ar", str(sample_rate),
            "pipe:1"]
        self._chunks: collections.deque[bytes] = collections.deque()
        self._buffered = 0
        self._lock = threading.Lock()
        self._room = threading.Condition(self._lock)
        self._proc: subprocess.Popen[bytes] | None = None
        self._threads: list[threading.Thread] = []
        self._closing = False
        self._stderr = b""
        self.received = 0  # bytes decoded so far
        self.last_data = 0.0  # time.monotonic() of the last bytes from ffmpeg
        self.ended = False  # ffmpeg's output is closed (it exited or was stopped)

    def start(self) -> None:
        try:
            self._proc = subprocess.Popen(
                [ffmpeg_exe(), *self._args], stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, creationflags=_NO_WINDOW)
        except OSError as exc:
            raise LoaxaError("ffmpeg_missing", reason=str(exc)) from None
        self.last_data = time.monotonic()
        self._threads = [threading.Thread(target=self._pump, daemon=True, name="stream-pcm"),
                         threading.Thread(target=self._drain_stderr, daemon=True,
                                          name="stream-log")]
        for thread in self._threads:
            thread.start()

    def _pump(self) -> None:
        assert self._proc is not None and self._proc.stdout is not None
        out = self._proc.stdout
        carry = b""
        while True:
            with self._room:
                while self._buffered >= self._max_bytes and not self._closing:
                    self._room.wait(0.5)
                if self._closing:
                    break
            data = out.read1(READ_CHUNK) if hasattr(out, "read1") else out.read(READ_CHUNK)
            if not data:
                break
            data = carry + data
            whole = len(data) - len(data) % self._frame_bytes  # hand out whole frames only
            carry = data[whole:]
            if whole:
                with self._lock:
                    self._chunks.append(data[:whole])
                    self._buffered += whole
                    self.received += whole
                    self.last_data = time.monotonic()
        self.ended = True

    def _drain_stderr(self) -> None:
        assert self._proc is not None and self._proc.stderr is not None
        for line in self._proc.stderr:
            self._stderr = (self._stderr + line)[-2000:]

    def buffered_frames(self) -> int:
        return self._buffered // self._frame_bytes

    def read(self, nbytes: int) -> bytes:
        """Up to ``nbytes`` of what has arrived (whole frames); b"" when nothing has."""
        with self._lock:
            if not self._buffered:
                return b""
            parts = []
            got = 0
            while self._chunks and got < nbytes:
                chunk = self._chunks.popleft()
                take = nbytes - got
                if len(chunk) > take:
                    self._chunks.appendleft(chunk[take:])
                    chunk = chunk[:take]
                parts.append(chunk)
                got += len(chunk)
            self._buffered -= got
            self._room.notify()
        return parts[0] if len(parts) == 1 else b"".join(parts)

    def exhausted(self) -> bool:
        """ffmpeg has finished and everything it produced has been read."""
        return self.ended and not self._buffered

    def error_text(self) -> str:
        lines = self._stderr.decode("utf-8", "replace").strip().splitlines()
        return lines[-1] if lines else ""

    def close(self) -> None:
        with self._room:
            self._closing = True
            self._room.notify_all()
        proc = self._proc
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(3)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(3)
        for thread in self._threads:
            thread.join(3)
        if proc is not None:
            for pipe in (proc.stdout, proc.stderr):
                if pipe is not None:
                    pipe.close()
