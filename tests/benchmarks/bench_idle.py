"""Idle CPU of the playout process (target ≤ 1 % of one core).

A fresh LOAXA_HOME with a realistic schedule (three daily series, a campaign, quiet hours,
nothing due within the measured minute), then ``loaxa playout`` as its own process; its CPU
time (user + system, from /proc) is read after a settling period and again after the measured
period. Linux only.

    python -m tests.benchmarks.bench_idle [--seconds 60]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[2]
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def cli(env: dict[str, str], *args: str) -> str:
    out = subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True)
    return out.stdout


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--settle", type=float, default=10.0)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="loaxa-idle-"))
    env = {**os.environ, "LOAXA_HOME": str(home)}
    text = home / "tin.txt"
    text.write_text("Loa xã thông báo: lịch tiêm chủng tháng 12 tại trạm y tế xã.",
                    encoding="utf-8")
    bulletin = cli(env, "bulletin", "add", str(text), "--title", "Tiêm chủng").split()[-1]
    # Sessions far enough ahead that none is due (nor in its pre-roll) while measuring.
    start = datetime.now(VN) + timedelta(hours=2)
    for n, hours in enumerate((0, 4, 8)):
        at = (start + timedelta(hours=hours)).strftime("%H:%M")
        cli(env, "series", "add", "--title", f"Buổi {n}", "--at", at, "--bulletin", bulletin)
    today = datetime.now(VN).date()
    cli(env, "campaign", "add", "--bulletin", bulletin, "--from", str(today), "--to",
        str(today + timedelta(days=30)), "--max-per-day", "2")
    cli(env, "quiet-hours", "22:00-05:00")
    proc = subprocess.Popen([sys.executable, "-m", "app", "playout"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(args.settle)
        before, t0 = cpu_seconds(proc.pid), time.monotonic()
        time.sleep(args.seconds)
        used, elapsed = cpu_seconds(proc.pid) - before, time.monotonic() - t0
    finally:
        proc.terminate()
        proc.wait(10)
    print(f"playout process idle: {used:.2f} s CPU in {elapsed:.0f} s = "
          f"{100 * used / elapsed:.2f} % of one core (target ≤ 1 %)")


if __name__ == "__main__":
    main()
