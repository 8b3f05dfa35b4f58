"""Online voice: LoaXa's gTTS path vs gTTS's own sequential save(), same 5,000 characters,
same local fake server answering each request after 300 ms (loopback only).

Run:  python -m tests.benchmarks.bench_gtts
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

from media.normalize import normalize
from media.tts.gtts_engine import GttsEngine
from tests.benchmarks.bench_normalize import TYPICAL
from tests.fake_gtts import FakeGoogle, tone_mp3


def main() -> int:
    # 5,000 characters of spoken text with no repeated sentence (repeats would be cached).
    paragraphs = [f"Thông báo lần thứ {n}. " + TYPICAL.replace(".", f" ở thôn {n}.")
                  for n in range(1, 12)]
    text = normalize("\n".join(paragraphs))[:5000]
    with FakeGoogle(tone_mp3(0.3), latency=0.3) as fake, \
            tempfile.TemporaryDirectory() as folder:
        from gtts import gTTS

        with mock.patch("gtts.tts._translate_url", return_value=fake.url):
            started = time.perf_counter()
            gTTS(text, lang="vi").save(str(Path(folder) / "gtts.mp3"))
            theirs = time.perf_counter() - started
        their_requests = len(fake.texts)

        ours_engine = GttsEngine(Path(folder) / "cache", endpoint=fake.url, workers=4)
        started = time.perf_counter()
        ours_engine.synthesize(text)
        ours = time.perf_counter() - started
        our_requests = len(fake.texts) - their_requests

        again = GttsEngine(Path(folder) / "cache", endpoint=fake.url, workers=4)
        before = len(fake.texts)
        started = time.perf_counter()
        again.synthesize(text)
        cached = time.perf_counter() - started
        second_requests = len(fake.texts) - before
    print(f"{len(text)} characters (spoken form); server latency 300 ms per request")
    print(f"gTTS save(), sequential: {their_requests} requests, {theirs:.2f} s")
    print(f"LoaXa, 4 concurrent:     {our_requests} requests, {ours:.2f} s "
          f"({theirs / ours:.1f}× faster)")
    print(f"LoaXa, second render:    {second_requests} requests, {cached:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
