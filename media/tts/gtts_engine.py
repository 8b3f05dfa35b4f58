"""Online voice: Google Translate's text-to-speech through gTTS, made fit for broadcast work.

gTTS builds each request body (its public ``get_bodies()``); this module sends them itself,
because gTTS as it is would hang forever without a timeout, turns TLS verification off,
leaves a 0-byte file when ``save()`` fails, cuts text at 100 characters even inside a word and
sends one request after another. Here: text is cut at sentence, then phrase, then word
boundaries; chunks are fetched concurrently with a small bound; every request has a timeout
and TLS verification; 429 and server errors are retried with backoff; each chunk's audio is
cached on disk (written to a temporary file, then renamed), so speaking the same text again
makes no request.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import re
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import parse_qs

from media.audio import run_ffmpeg
from media.errors import Cancelled, LoaxaError
from media.tts import Speech

log = logging.getLogger(__name__)

MAX_CHARS = 100  # what the service takes in one request
SAMPLE_RATE = 24000
RPC_ID = "jQ1olc"
_AUDIO = re.compile(RPC_ID + r'","\[\\"([A-Za-z0-9+/=]+)\\"\]')
_SENTENCE = re.compile(r"(?<=[.!?…;:])\s+")
_PHRASE = re.compile(r"(?<=[,–—-])\s+|\s+(?=[(])")


def split_text(text: str, limit: int = MAX_CHARS) -> list[str]:
    """Pieces of at most ``limit`` characters, cut at sentence ends, then at commas and
    dashes, then between words — never inside a word (unless one word is longer)."""
    pieces: list[str] = []
    for line in text.split("\n"):
        for sentence in _SENTENCE.split(line.strip()):
            if not sentence:
                continue
            if len(sentence) <= limit:
                pieces.append(sentence)
                continue
            for phrase in _pack(_PHRASE.split(sentence), limit):
                if len(phrase) <= limit:
                    pieces.append(phrase)
                else:
                    pieces.extend(_pack(phrase.split(" "), limit, hard=True))
    return _pack(pieces, limit)


def _pack(parts: list[str], limit: int, hard: bool = False) -> list[str]:
    """Join neighbouring parts while they fit, so there are as few requests as possible."""
    out: list[str] = []
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if hard and len(part) > limit:  # one "word" longer than the limit: cut it
            out.extend(part[i:i + limit] for i in range(0, len(part), limit))
            continue
        if out and len(out[-1]) + 1 + len(part) <= limit:
            out[-1] = f"{out[-1]} {part}"
        else:
            out.append(part)
    return out


def parse_audio(body: str) -> bytes:
    """The MP3 bytes in a batchexecute answer (the line carrying the TTS call's id)."""
    for line in body.splitlines():
        if RPC_ID in line:
            match = _AUDIO.search(line)
            if match:
                return base64.b64decode(match.group(1))
    raise LoaxaError("voice_failed", engine="gTTS", reason="no audio in the answer")


class GttsEngine:
    """``voice`` is the language (``vi``); ``tld`` picks the Google domain."""

    name = "gtts"

    def __init__(self, cache_dir: Path, *, tld: str = "com.vn", endpoint: str | None = None,
                 timeout: tuple[float, float] = (3.05, 10.0), workers: int = 4,
                 retries: int = 3, backoff_s: float = 0.5, verify_tls: bool = True) -> None:
        self.cache_dir = cache_dir
        self.tld = tld
        self.endpoint = endpoint or (
            f"https://translate.google.{tld}/_/TranslateWebserverUi/data/batchexecute")
        self.timeout = timeout
        self.workers = max(1, min(workers, 8))
        self.retries = retries
        self.backoff_s = backoff_s
        self.verify_tls = verify_tls
        self.requests_sent = 0
        self._count_lock = threading.Lock()

    # -- cache ----------------------------------------------------------------------------
    def _cache_path(self, chunk: str, lang: str) -> Path:
        key = hashlib.sha256(f"gtts|{self.tld}|{lang}|{chunk}".encode()).hexdigest()
        return self.cache_dir / key[:2] / f"{key}.mp3"

    def _cached(self, chunk: str, lang: str) -> bytes | None:
        path = self._cache_path(chunk, lang)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        return data or None

    def _store(self, chunk: str, lang: str, data: bytes) -> None:
        path = self._cache_path(chunk, lang)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{uuid.uuid4().hex}.part")
            tmp.write_bytes(data)
            os.replace(tmp, path)
        except OSError as exc:  # a full disk costs a request next time, nothing more
            log.warning("could not cache a gTTS chunk: %s", exc)

    # -- network --------------------------------------------------------------------------
    def _fetch(self, chunk: str, lang: str, should_stop: Callable[[], bool] | None) -> bytes:
        import requests
        from gtts import gTTS

        cached = self._cached(chunk, lang)
        if cached is not None:
            return cached
        body = gTTS(chunk, lang=lang, tld=self.tld, lang_check=False).get_bodies()[0]
        headers = dict(gTTS.GOOGLE_TTS_HEADERS)
        last = "?"
        for attempt in range(self.retries + 1):
            if should_stop is not None and should_stop():
                raise Cancelled()
            if attempt:
                time.sleep(self.backoff_s * 2 ** (attempt - 1))
            with self._count_lock:
                self.requests_sent += 1
            try:
                with requests.Session() as session:
                    answer = session.post(self.endpoint, data=body, headers=headers,
                                          timeout=self.timeout, verify=self.verify_tls)
            except requests.exceptions.Timeout:
                last = "timeout"
                continue
            except requests.exceptions.RequestException as exc:
                raise LoaxaError("voice_offline", engine="gTTS",
                                 reason=type(exc).__name__) from None
            if answer.status_code == 429 or answer.status_code >= 500:
                last = f"HTTP {answer.status_code}"
                continue
            if answer.status_code != 200:
                raise LoaxaError("voice_failed", engine="gTTS",
                                 reason=f"HTTP {answer.status_code}")
            data = parse_audio(answer.text)
            self._store(chunk, lang, data)
            return data
        raise LoaxaError("voice_offline", engine="gTTS", reason=last)

    def synthesize(self, text: str, voice: str = "vi", rate_wpm: int = 150,
                   should_stop: Callable[[], bool] | None = None) -> Speech:
        chunks = split_text(text)
        if not chunks:
            raise LoaxaError("text_empty")
        unique = list(dict.fromkeys(chunks))  # a repeated sentence is asked for once
        with ThreadPoolExecutor(max_workers=self.workers,
                                thread_name_prefix="gtts") as pool:
            futures = {c: pool.submit(self._fetch, c, voice, should_stop) for c in unique}
            try:
                audio = {c: f.result() for c, f in futures.items()}
            except BaseException:
                for future in futures.values():
                    future.cancel()
                raise
        parts = [audio[c] for c in chunks]
        pcm = run_ffmpeg(["-f", "mp3", "-i", "pipe:0", "-f", "s16le", "-ac", "1",
                          "-ar", str(SAMPLE_RATE), "pipe:1"], stdin=b"".join(parts))
        return Speech(pcm, SAMPLE_RATE)


def fake_answer(mp3: bytes) -> str:
    """An answer in the service's format (for tests and the benchmark's local fake server)."""
    compact = {"separators": (",", ":")}
    payload = json.dumps([base64.b64encode(mp3).decode("ascii")], **compact)
    line = json.dumps([["wrb.fr", RPC_ID, payload, None, None, None, "generic"]], **compact)
    return f")]}}'\n\n{len(line)}\n{line}\n"


def text_of_request(body: str) -> str:
    """The text a request body asks to speak (for tests and the local fake server)."""
    rpc = json.loads(parse_qs(body)["f.req"][0])
    return json.loads(rpc[0][0][1])[0]
