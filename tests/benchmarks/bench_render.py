"""Offline render of a 5,000-character bulletin to broadcast-ready MP3, against the floor of
raw espeak-ng synthesis plus one ffmpeg encode of the same audio, in the same run
(target: render ≤ 1.5 × floor).

Run:  python -m tests.benchmarks.bench_render [--repeat 3]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from media import loudness
from media.audio import decode_pcm, encode_pcm
from media.normalize import normalize
from media.program import PROGRAM_RATE
from media.render import render_text, speech_chunks
from media.tts.espeak import EspeakEngine
from tests.benchmarks.bench_normalize import TYPICAL


def bulletin_text(chars: int = 5000) -> str:
    paragraphs = [f"Thông báo lần thứ {n}. " + TYPICAL for n in range(1, 20)]
    return "\n".join(paragraphs)[:chars]


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (ffmpeg) so far."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    text = bulletin_text()
    engine = EspeakEngine()
    render_text("Khởi động.", Path(tempfile.mkdtemp()) / "warm.mp3")  # imports, library load
    floors, renders, floor_cpu, render_cpu, audio = [], [], [], [], 0.0
    with tempfile.TemporaryDirectory() as folder:
        for n in range(args.repeat):
            started, cpu = time.perf_counter(), cpu_seconds()
            pcm = b"".join(engine.synthesize(chunk, "vi", 150).pcm
                           for chunk in speech_chunks(normalize(text)))
            encode_pcm(pcm, 22050, 1, Path(folder) / f"raw{n}.mp3", target_rate=44100)
            floors.append(time.perf_counter() - started)
            floor_cpu.append(cpu_seconds() - cpu)
            started, cpu = time.perf_counter(), cpu_seconds()
            result = render_text(text, Path(folder) / f"{n}.mp3")
            renders.append(time.perf_counter() - started)
            render_cpu.append(cpu_seconds() - cpu)
            audio = result.duration_s
        # The guarantees, checked on the last file as a player decodes it (not timed).
        decoded = loudness.from_pcm16(decode_pcm(result.path, PROGRAM_RATE, 1))
        file_lufs = loudness.integrated_lufs(decoded, PROGRAM_RATE)
        file_peak = loudness.true_peak_dbfs(decoded)
    floor, render = statistics.median(floors), statistics.median(renders)
    ratios = [r / f for r, f in zip(renders, floors, strict=True)]
    print(f"{len(text)} characters → {audio:.0f} s of program audio "
          f"(reported {result.lufs:.2f} LUFS, {result.true_peak_dbtp:.2f} dBTP; decoded file: "
          f"{file_lufs:.2f} LUFS by pyloudnorm, true peak {file_peak:.2f} dBTP, "
          f"largest sample {abs(decoded).max():.3f})")
    print(f"raw espeak-ng + one encode: median {floor:.2f} s "
          f"({min(floors):.2f}–{max(floors):.2f}); broadcast-ready render: median "
          f"{render:.2f} s ({min(renders):.2f}–{max(renders):.2f}) = {render / floor:.2f} × "
          f"(per-run ratios {min(ratios):.2f}–{max(ratios):.2f} over {args.repeat} runs)")
    fc, rc = statistics.median(floor_cpu), statistics.median(render_cpu)
    print(f"CPU time (all processes, load-independent): floor median {fc:.2f} s, render median "
          f"{rc:.2f} s = {rc / fc:.2f} ×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
