"""A real playout process killed (SIGKILL) in the middle of an item, then restarted.

Checks the broadcast log afterwards: the item that was on air is logged interrupted, the
session resumes from that item's start, the later session starts on time, nothing is played
twice.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from scheduler.persistence import Database
from scheduler.records import LogStatus
from tests.conftest import ROOT, Recorder, rms, run_cli

VN = ZoneInfo("Asia/Ho_Chi_Minh")
LONG = ("Ủy ban nhân dân xã thông báo lịch tiêm chủng mở rộng cho trẻ em dưới năm tuổi. "
        "Thời gian từ bảy giờ đến mười một giờ sáng thứ bảy tại trạm y tế xã. "
        "Đề nghị các gia đình đưa trẻ đến đúng giờ và mang theo sổ tiêm chủng.")


def _bulletin(tmp_path: Path, name: str, text: str, title: str) -> None:
    src = tmp_path / f"{name}.txt"
    src.write_text(text, encoding="utf-8")
    run_cli("bulletin", "add", str(src), "--title", title, check=True)


def _at(seconds: float) -> str:
    return (datetime.now(VN) + timedelta(seconds=seconds)).strftime("%Y-%m-%d %H:%M:%S")


def _wait(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_mid_item_then_restart(pulse_sink: str, tmp_path: Path,
                                       loaxa_home: Path) -> None:
    _bulletin(tmp_path, "a", LONG, "Tiêm chủng")
    _bulletin(tmp_path, "b", "Bản tin thứ hai của buổi sáng.", "Tin hai")
    _bulletin(tmp_path, "c", "Buổi chiều có họp dân.", "Họp dân")
    first_at = _at(8)
    run_cli("session", "add", "--at", first_at, "--bulletin", "1", "--bulletin", "2",
            check=True)
    second_at = _at(55)  # after the resumed first session has ended
    run_cli("session", "add", "--at", second_at, "--bulletin", "3", check=True)

    db = Database("sqlite:///" + (loaxa_home / "data" / "loaxa.db").as_posix())
    try:
        playout = subprocess.Popen([sys.executable, "-m", "app", "playout"], cwd=ROOT,
                                   env=os.environ.copy(), stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        try:
            _wait(lambda: any(e.status is LogStatus.PLAYING for e in db.log_entries()), 30,
                  "the first item to go on air")
            time.sleep(2.0)  # well inside the ~12 s first item
            playout.send_signal(signal.SIGKILL)
            playout.wait(10)
        finally:
            if playout.poll() is None:
                playout.kill()
        [on_air] = db.log_entries()
        assert on_air.status is LogStatus.PLAYING  # what a power cut leaves behind

        recorder = Recorder(pulse_sink, tmp_path / "sink.raw")
        try:
            restart = run_cli("playout", "--until-idle", timeout=120, check=True)
        finally:
            samples = recorder.stop()
        assert rms(samples) > 300, "nothing was heard after the restart"
        assert "[item_finished]" in restart.stdout

        entries = db.log_entries()
        first, second = entries[0].session_id, entries[-1].session_id
        by_session = [(e.session_id, e.bulletin_title, e.status, e.reason) for e in entries]
        assert by_session == [
            (first, "Tiêm chủng", LogStatus.INTERRUPTED, "process_stopped"),
            (first, "Tiêm chủng", LogStatus.PLAYED, ""),  # resumed from that item's start
            (first, "Tin hai", LogStatus.PLAYED, ""),
            (second, "Họp dân", LogStatus.PLAYED, ""),
        ]
        assert first != second
        played = [(e.session_key, e.item_position) for e in entries
                  if e.status is LogStatus.PLAYED]
        assert len(played) == len(set(played)) == 3, "an item was played twice"
        later = entries[-1]
        assert later.started_at is not None
        assert timedelta(0) <= later.started_at - later.scheduled_at <= timedelta(seconds=1)
        resumed = entries[1]
        assert resumed.started_at is not None and resumed.played_ms > 5000
    finally:
        db.close()
