"""Rendering speed: a 5,000-character Vietnamese bulletin → broadcast MP3 with the offline voice.

Run:  python -m tests.benchmarks.bench_render [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from app.paths import resources_dir
from media.render import render_text
from media.tts.espeak import EspeakEngine


def bulletin_text(chars: int = 5000) -> str:
    base = (resources_dir() / "demo-bulletin.vi.txt").read_text(encoding="utf-8")
    text = base
    while len(text) < chars:
        text += "\n" + base
    return text[:chars]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    text = bulletin_text()
    EspeakEngine().synthesize("khởi động", "vi", 150)  # load the library once
    totals, audio = [], 0.0
    with tempfile.TemporaryDirectory() as folder:
        for n in range(args.repeat):
            started = time.perf_counter()
            result = render_text(text, Path(folder) / f"{n}.mp3")
            totals.append(time.perf_counter() - started)
            audio = result.duration_s
    median = statistics.median(totals)
    print(f"{len(text)} characters → {audio:.0f} s of audio; render to MP3 median "
          f"{median:.2f} s over {args.repeat} runs ({audio / median:.0f}× real time)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
