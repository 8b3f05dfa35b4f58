"""What a PIN check costs: scrypt with the stored parameters (target 0.1–0.3 s per login, so a
guessing attacker with the database gets a few guesses a second per core, while a person
logging in does not notice), and the cost of neighbouring parameter choices.

    python -m tests.benchmarks.bench_pin [--repeat 7]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

from scheduler import people
from scheduler.people import DEFAULT_PARAMS, ScryptParams


def _times(params: ScryptParams, repeat: int) -> list[float]:
    stored = people.hash_pin("20262026", params)
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        people.verify_pin("20262026", stored)
        out.append(time.perf_counter() - start)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")
    for n in (2 ** 14, 2 ** 15, 2 ** 16):
        params = ScryptParams(n=n, r=8, p=1)
        times = _times(params, args.repeat)
        mark = "  <- stored for new PINs" if params == DEFAULT_PARAMS else ""
        print(f"scrypt N=2^{n.bit_length() - 1} r=8 p=1 ({params.memory >> 20} MiB): "
              f"median {statistics.median(times):.3f} s, min {min(times):.3f} s, "
              f"max {max(times):.3f} s{mark}")


if __name__ == "__main__":
    main()
