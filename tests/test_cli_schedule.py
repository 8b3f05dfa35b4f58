"""The schedule from the command line, as separate processes: recurring sessions, changes,
campaigns, quiet hours, operator audio, the day-ahead check, emergencies on a real output."""

from __future__ import annotations

import math
import struct
import wave
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from scheduler.persistence import Database
from scheduler.records import LogStatus
from tests.conftest import Recorder, rms, run_cli

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def _bulletin(tmp_path: Path, text: str = "Loa xã thông báo lịch họp dân.") -> str:
    src = tmp_path / "tin.txt"
    src.write_text(text, encoding="utf-8")
    return run_cli("bulletin", "add", str(src), "--title", "Họp dân",
                   check=True).stdout.split()[-1]


def _tone(path: Path, seconds: float = 2.0) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(44100)
        out.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(i / 44100 * 2 * math.pi
                                                                        * 440)))
                                 for i in range(int(44100 * seconds))))
    return path


def _db(home: Path) -> Database:
    return Database("sqlite:///" + (home / "data" / "loaxa.db").as_posix())


def test_series_change_campaign_quiet_hours_and_timeline(tmp_path: Path) -> None:
    b = _bulletin(tmp_path)
    out = run_cli("series", "add", "--title", "Sáng", "--at", "06:00", "--days", "mon-sat",
                  "--from", "2026-12-01", "--bulletin", b, "--length", "20", check=True)
    series = out.stdout.split()[-1]
    listed = run_cli("series", "list", check=True).stdout
    assert "06:00:00\t012345\t2026-12-01–…" in listed and "Sáng" in listed
    run_cli("series", "change", series, "--date", "2026-12-02", "--move", "2026-12-02 07:15",
            check=True)
    run_cli("quiet-hours", "21:30-05:00", check=True)
    assert run_cli("quiet-hours", check=True).stdout.strip() == "21:30–05:00"
    day = run_cli("timeline", "--date", "2026-12-02", check=True).stdout
    assert f"2026-12-02 07:15:00\tseries:{series}:2026-12-02\tscheduled\tSáng" in day
    sunday = run_cli("timeline", "--date", "2026-12-06", check=True).stdout
    assert "2026-12-06" in sunday and "series:" not in sunday
    bad = run_cli("series", "add", "--title", "X", "--at", "6h", "--bulletin", b)
    assert bad.returncode == 1 and "GIỜ:PHÚT" in bad.stderr


def test_check_exits_non_zero_when_a_file_is_missing(tmp_path: Path, loaxa_home: Path) -> None:
    asset = run_cli("audio", "add", str(_tone(tmp_path / "nhac.wav")), "--title", "Nhạc hiệu",
                    check=True).stdout.split()[-1]
    tomorrow = (datetime.now(VN) + timedelta(days=1)).strftime("%Y-%m-%d")
    run_cli("series", "add", "--title", "Sáng", "--at", "06:00", "--audio", asset, check=True)
    ok = run_cli("check", "--date", tomorrow)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    for stored in (loaxa_home / "data" / "audio").rglob("*.mp3"):
        stored.unlink()
    broken = run_cli("check", "--date", tomorrow)
    assert broken.returncode == 1
    assert "LỖI" in broken.stdout and "1 lỗi" in broken.stdout


def test_emergency_from_the_command_line_plays_at_once(pulse_sink: str, tmp_path: Path,
                                                       loaxa_home: Path) -> None:
    b = _bulletin(tmp_path, "Khẩn cấp: nước sông dâng cao, đề nghị bà con di chuyển.")
    out = run_cli("emergency", b, "--by", "Chủ tịch UBND xã", check=True)
    assert "Chủ tịch UBND xã" in out.stdout and "bộ phát đang không chạy" in out.stderr
    recorder = Recorder(pulse_sink, tmp_path / "sink.raw")
    try:
        playout = run_cli("playout", "--until-idle", check=True)
    finally:
        samples = recorder.stop()
    assert "[emergency]" in playout.stdout
    assert rms(samples) > 300
    db = _db(loaxa_home)
    try:
        [entry] = db.log_entries()
        assert (entry.status, entry.item_kind, entry.level, entry.triggered_by) == (
            LogStatus.PLAYED, "emergency", "emergency", "Chủ tịch UBND xã")
        assert db.list_emergencies()[0].state == "done"
    finally:
        db.close()


def test_the_operator_orders_priority_bulletins(tmp_path: Path) -> None:
    normal = _bulletin(tmp_path, "Tin thường.")
    first = _bulletin(tmp_path, "Tin ưu tiên một.")
    second = _bulletin(tmp_path, "Tin ưu tiên hai.")
    run_cli("bulletin", "set", first, "--level", "priority", "--rank", "5", "--title", "Ưu A",
            check=True)
    run_cli("bulletin", "set", second, "--level", "priority", "--rank", "1", "--title", "Ưu B",
            "--category", "Y tế", "--document", "07/CT-TTg", check=True)
    run_cli("series", "add", "--title", "Sáng", "--at", "06:00", "--from", "2026-12-01",
            "--bulletin", normal, "--bulletin", first, "--bulletin", second, check=True)
    day = run_cli("timeline", "--date", "2026-12-01", check=True).stdout
    titles = [line.split("\t")[-1] for line in day.splitlines() if line.startswith("\t")]
    assert titles == ["Ưu B", "Ưu A", "Họp dân"]
    listed = run_cli("bulletin", "list", check=True).stdout
    assert f"{second}\tpriority#1\t" in listed and "Y tế\t07/CT-TTg" in listed
    bad = run_cli("bulletin", "set", normal, "--valid-from", "2026-12-02", "--valid-until",
                  "2026-12-01")
    assert bad.returncode == 1 and "sau ngày kết thúc" in bad.stderr
