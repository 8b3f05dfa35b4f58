"""Assembling a 30-minute session program from 60 thirty-second items (mp3, wav, m4a, ogg at
different levels) to broadcast-ready MP3, against a plain ffmpeg encode of the same joined
audio in the same run (target: assemble ≤ 1.2 × the plain encode). Peak memory of one
assembly is measured in a fresh process (its maximum resident set, and numpy/Python
allocations by tracemalloc).

By default the items go into the program the way the app puts them there: first imported as
``loaxa audio add`` does (not timed: loudness-matched to an MP3 in a content-addressed store,
then measured for programs into the analysis cache), then the timed assembly reads the stored
files with that cache. ``--raw``: the raw files themselves are assembled with no cache, every
item decoded (M4A by an ffmpeg process) and measured during the assembly — the worst case.

Run:  python -m tests.benchmarks.bench_assemble [--repeat 3] [--items 60] [--raw]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from media import loudness
from media.audio import decode_pcm, run_ffmpeg
from media.program import PROGRAM_RATE, assemble_program, measure_item, prepare_audio_file
from media.store import AssetStore
from media.tts.espeak import EspeakEngine
from tests.benchmarks.bench_normalize import TYPICAL

ITEM_S = 30
FORMATS = (".mp3", ".wav", ".m4a", ".ogg")


def make_items(folder: Path, count: int) -> list[Path]:
    """Spoken items (espeak-ng) at levels from -30 to -8 LUFS-ish, every tenth a music-like
    jingle (a chord with a beat); formats in turn."""
    from media.normalize import normalize

    engine = EspeakEngine()
    speech = engine.synthesize(normalize(TYPICAL + " " + TYPICAL), "vi", 150)
    base = loudness.from_pcm16(speech.pcm)
    rate = speech.sample_rate
    length = ITEM_S * rate
    base = np.resize(base, length)
    t = np.arange(length) / rate
    paths = []
    for n in range(count):
        if n % 10 == 9:
            chord = sum(np.sin(2 * np.pi * f * t) for f in (261.6, 329.6, 392.0, 523.3))
            signal = 0.2 * chord * (0.6 + 0.4 * np.sign(np.sin(2 * np.pi * 2 * t)))
        else:
            signal = np.roll(base, n * rate) * 10 ** (-(n % 7) * 3.5 / 20)
        path = folder / f"muc-{n:02d}{FORMATS[n % len(FORMATS)]}"
        pcm = (np.clip(signal, -1, 1) * 32767).astype("<i2").tobytes()
        codec = {".mp3": ["-c:a", "libmp3lame", "-q:a", "4"], ".wav": ["-c:a", "pcm_s16le"],
                 ".m4a": ["-c:a", "aac", "-b:a", "96k"],
                 ".ogg": ["-c:a", "libvorbis", "-q:a", "4"]}[path.suffix]
        run_ffmpeg(["-f", "s16le", "-ar", str(rate), "-ac", "1", "-i", "pipe:0",
                    "-ar", "44100", *codec, "-y", str(path)], stdin=pcm)
        paths.append(path)
    return paths


TARGET_LUFS, CEILING_DBTP, MP3_QUALITY = -16.0, -1.5, 2  # the app's default settings


def import_items(items: list[Path], folder: Path) -> tuple[list[Path], Path]:
    """What ``loaxa audio add`` does with each file: a loudness-matched MP3 moved into a
    content-addressed store, then measured for programs into the analysis cache. Returns the
    stored files and the cache folder."""
    store = AssetStore(folder / "audio")
    cache = folder / "analysis"
    stored = []
    for n, source in enumerate(items):
        tmp = folder / f"import-{n}.mp3"
        prepare_audio_file(source, tmp, target_lufs=TARGET_LUFS, ceiling_dbtp=CEILING_DBTP,
                           mp3_quality=MP3_QUALITY)
        _, rel = store.adopt(tmp)
        stored.append(store.path_for(rel))
        measure_item(stored[-1], cache, target_lufs=TARGET_LUFS, ceiling_dbtp=CEILING_DBTP)
    return stored, cache


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (ffmpeg) so far."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _high_water_kb() -> int:
    """This process's peak resident set (VmHWM on Linux: reset by exec, unlike ru_maxrss,
    which a child inherits from the process that started it)."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def child(items_file: str, out: str) -> int:
    """One assembly in this (fresh) process; prints its memory figures as JSON."""
    import tracemalloc

    listing = json.loads(Path(items_file).read_text())
    paths = [Path(p) for p in listing["items"]]
    cache = Path(listing["cache"]) if listing["cache"] else None
    assemble_program(paths[:1], Path(out), cache_dir=cache)  # imports and first use
    before = _high_water_kb()
    tracemalloc.start()
    assemble_program(paths, Path(out), cache_dir=cache)
    _, traced_peak = tracemalloc.get_traced_memory()
    print(json.dumps({"rss_before_kb": before, "rss_peak_kb": _high_water_kb(),
                      "traced_peak_bytes": traced_peak}))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--items", type=int, default=60)
    parser.add_argument("--raw", action="store_true",
                        help="assemble the raw files, no import and no analysis cache")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(*args.child)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        started = time.perf_counter()
        items = make_items(folder, args.items)
        print(f"made {len(items)} items of {ITEM_S} s in {time.perf_counter() - started:.1f} s "
              f"(not timed below)")
        cache: Path | None = None
        if not args.raw:
            started = time.perf_counter()
            items, cache = import_items(items, folder)
            print(f"imported them as `loaxa audio add` does (matched MP3 in the store, "
                  f"measured for programs) in {time.perf_counter() - started:.1f} s (not timed "
                  f"below); the assembly reads the stored MP3s with the analysis cache")
        else:
            print("raw: the files themselves are assembled, no analysis cache")
        listing = folder / "items.json"
        listing.write_text(json.dumps({"items": [str(p) for p in items],
                                       "cache": str(cache) if cache else ""}))
        proc = subprocess.run([sys.executable, "-m", "tests.benchmarks.bench_assemble",
                               "--child", str(listing), str(folder / "child.mp3")],
                              capture_output=True, text=True, check=True)
        memory = json.loads(proc.stdout.strip().splitlines()[-1])
        # The same joined audio for the plain encode: the assembled program itself, as WAV.
        reference = assemble_program(items, folder / "program.wav", cache_dir=cache)
        raw = folder / "program.raw"
        raw.write_bytes(decode_pcm(folder / "program.wav", PROGRAM_RATE, 1))
        floors, runs, floor_cpu, run_cpu = [], [], [], []
        load_before = os.getloadavg()[0]
        for n in range(args.repeat):
            started, cpu = time.perf_counter(), cpu_seconds()
            run_ffmpeg(["-f", "s16le", "-ar", str(PROGRAM_RATE), "-ac", "1", "-i", str(raw),
                        "-c:a", "libmp3lame", "-q:a", "2", "-y", str(folder / f"plain{n}.mp3")])
            floors.append(time.perf_counter() - started)
            floor_cpu.append(cpu_seconds() - cpu)
            started, cpu = time.perf_counter(), cpu_seconds()
            result = assemble_program(items, folder / f"program{n}.mp3", cache_dir=cache)
            runs.append(time.perf_counter() - started)
            run_cpu.append(cpu_seconds() - cpu)
        load_after = os.getloadavg()[0]
        decoded = loudness.from_pcm16(decode_pcm(result.path, PROGRAM_RATE, 1))
        file_lufs = loudness.integrated_lufs(decoded, PROGRAM_RATE)
        file_peak = loudness.true_peak_dbfs(decoded)
        del decoded
    floor, run = statistics.median(floors), statistics.median(runs)
    ratios = [r / f for r, f in zip(runs, floors, strict=True)]
    print(f"{len(items)} items → {result.duration_s / 60:.1f} min program "
          f"(reported {result.lufs:.2f} LUFS, {result.true_peak_dbtp:.2f} dBTP; decoded MP3: "
          f"{file_lufs:.2f} LUFS by pyloudnorm, true peak {file_peak:.2f} dBTP); the WAV "
          f"reference took the same path ({reference.duration_s:.0f} s)")
    print(f"plain ffmpeg encode: median {floor:.2f} s ({min(floors):.2f}–{max(floors):.2f}); "
          f"assemble: median {run:.2f} s ({min(runs):.2f}–{max(runs):.2f}) = {run / floor:.2f} × "
          f"(per-run ratios {min(ratios):.2f}–{max(ratios):.2f} over {args.repeat} runs; load "
          f"average {load_before:.1f} before, {load_after:.1f} after)")
    print("per-run ratios, sorted: " + ", ".join(f"{r:.2f}" for r in sorted(ratios))
          + f" (median {statistics.median(ratios):.2f} ×)")
    print(f"CPU time (all processes, load-independent): plain encode median "
          f"{statistics.median(floor_cpu):.2f} s, assemble median {statistics.median(run_cpu):.2f}"
          f" s = {statistics.median(run_cpu) / statistics.median(floor_cpu):.2f} × — what the "
          f"wall-clock ratio tends to when no core is free for the decoders and analysis")
    rss, base = memory["rss_peak_kb"] / 1024, memory["rss_before_kb"] / 1024
    traced = memory["traced_peak_bytes"] / 2**20
    print(f"peak memory of one assembly (fresh process): max RSS {rss:.0f} MB (after imports "
          f"and a one-item warm-up {base:.0f} MB); tracemalloc peak {traced:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
