"""End to end on a real audio output: the PulseAudio null sink, recorded from its monitor."""

from __future__ import annotations

import csv
import hashlib
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.conftest import NO_AUDIO_ENV, Recorder, rms, run_cli

VN = ZoneInfo("Asia/Ho_Chi_Minh")
TEXT = "Loa truyền thanh xã xin thông báo: chiều nay có buổi họp dân tại nhà văn hóa thôn."


def _schedule_soon(tmp_path: Path, seconds: int = 12) -> str:
    src = tmp_path / "tin.txt"
    src.write_text(TEXT, encoding="utf-8")
    run_cli("bulletin", "add", str(src), "--title", "Họp dân", check=True)
    at = (datetime.now(VN) + timedelta(seconds=seconds)).strftime("%Y-%m-%d %H:%M:%S")
    run_cli("session", "add", "--at", at, "--bulletin", "1", check=True)
    return at


def _log_rows(tmp_path: Path) -> list[dict[str, str]]:
    today = datetime.now(VN).date()
    out = tmp_path / "log.csv"
    run_cli("log", "export", "--from", str(today - timedelta(days=1)), "--to",
            str(today + timedelta(days=1)), "-o", str(out), check=True)
    with out.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_scheduled_bulletin_is_heard_and_logged(pulse_sink: str, tmp_path: Path,
                                                loaxa_home: Path) -> None:
    at = _schedule_soon(tmp_path)
    recorder = Recorder(pulse_sink, tmp_path / "sink.raw")
    try:
        proc = run_cli("playout", "--until-idle", check=True)
    finally:
        samples = recorder.stop()
    assert "[item_finished]" in proc.stdout and "played" in proc.stdout
    assert rms(samples) > 300, "no sound reached the audio output"
    [row] = _log_rows(tmp_path)
    assert row["status"] == "played" and row["Trạng thái"] == "đã phát"
    assert row["Giờ dự kiến (giờ Việt Nam)"] == at
    started = datetime.strptime(row["Bắt đầu thực tế"], "%Y-%m-%d %H:%M:%S")
    scheduled = datetime.strptime(at, "%Y-%m-%d %H:%M:%S")
    assert timedelta(0) <= started - scheduled <= timedelta(seconds=1)
    assert row["Tên bản tin"] == "Họp dân"
    assert row["Thiết bị phát"]
    audio = next((loaxa_home / "data" / "audio").rglob("*.mp3"))
    assert row["SHA-256 âm thanh"] == hashlib.sha256(audio.read_bytes()).hexdigest()


def test_without_an_audio_output_the_entry_is_failed_not_played(tmp_path: Path,
                                                                pulse_sink: str) -> None:
    _schedule_soon(tmp_path, seconds=2)
    proc = run_cli("playout", "--until-idle", env=NO_AUDIO_ENV, check=True)
    assert "[alarm]" in proc.stdout and "không có thiết bị phát âm thanh" in proc.stdout
    [row] = _log_rows(tmp_path)
    assert row["status"] == "failed"
    assert row["Lý do"] == "không có thiết bị phát âm thanh"
    assert row["Thời lượng đã phát (giây)"] == "0"
    assert row["Bắt đầu thực tế"] == ""


def test_selftest_plays_and_says_ok(pulse_sink: str, tmp_path: Path) -> None:
    recorder = Recorder(pulse_sink, tmp_path / "sink.raw")
    try:
        proc = run_cli("--selftest")
    finally:
        samples = recorder.stop()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].endswith("ok")
    assert rms(samples) > 300


def test_selftest_fails_without_output() -> None:
    proc = run_cli("--selftest", env=NO_AUDIO_ENV)
    assert proc.returncode == 1
    assert "FAILED" in proc.stdout and not proc.stdout.strip().endswith("ok")
