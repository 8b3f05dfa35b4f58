"""The log chain from the command line, as an officer runs it: fingerprint, package,
verify, correction, and a centre on another LOAXA_HOME registering and importing."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from scheduler.persistence import Database
from scheduler.records import LogStatus
from tests.conftest import run_cli


def _fill_log(home: Path, days: int = 2) -> None:
    db = Database("sqlite:///" + (home / "data" / "loaxa.db").as_posix())
    for day in range(days):
        at = datetime(2026, 12, 1 + day, 0, 0, tzinfo=UTC)
        entry = db.add_log_entry(scheduled_at=at, status=LogStatus.PLAYING,
                                 bulletin_title=f"Thông báo ngày {day + 1}", started_at=at)
        db.finish_log_entry(entry, status=LogStatus.PLAYED, ended_at=at + timedelta(minutes=2),
                            played_ms=120_000)
    db.close()


def test_fingerprint_package_verify_and_correction(loaxa_home: Path, tmp_path: Path) -> None:
    run_cli("station", "set", "--commune", "Xã Tân Lập", "--code", "25252", "--centre",
            "Trung tâm Văn hóa tỉnh", check=True)
    shown = run_cli("station", "show", check=True).stdout
    fp = re.search(r"Dấu vân tay khóa của đài: ((?:[0-9A-F]{4} ){15}[0-9A-F]{4})", shown)
    assert fp, shown
    assert (loaxa_home / "data" / "station-key.pem").is_file()
    _fill_log(loaxa_home)

    out = tmp_path / "goi thang 12.jsonl"
    made = run_cli("log", "package", "--from", "2026-12-01", "--to", "2026-12-31", "-o",
                   str(out), check=True)
    assert "2 mục" in made.stdout
    ok = run_cli("log", "verify", str(out))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "GÓI HỢP LỆ" in ok.stdout and fp.group(1) in ok.stdout
    assert "Xã Tân Lập" in ok.stdout

    data = out.read_bytes()
    second_entry = data.index("Thông báo ngày 2".encode())
    bad = tmp_path / "sua.jsonl"
    bad.write_bytes(data[:second_entry] + b"X" + data[second_entry + 1:])
    refused = run_cli("log", "verify", str(bad))
    assert refused.returncode == 1
    assert "GÓI KHÔNG HỢP LỆ" in refused.stdout and "số thứ tự 2" in refused.stdout

    empty = tmp_path / "rong.jsonl"
    assert "gói rỗng" in run_cli("log", "package", "--from", "2027-01-01", "--to",
                                 "2027-01-31", "-o", str(empty), check=True).stdout
    assert "Số mục: 0" in run_cli("log", "verify", str(empty), check=True).stdout

    missing = run_cli("log", "verify", str(tmp_path / "khong-co.jsonl"))
    assert missing.returncode == 1 and "Không tìm thấy tệp" in missing.stderr
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x00\xff" * 100)
    assert run_cli("log", "verify", str(junk)).returncode == 1

    fixed = run_cli("log", "correct", "--seq", "1", "--status", "partial", "--note",
                    "Loa thôn 2 hỏng", "--by", "Cán bộ Lan", check=True)
    assert "số thứ tự 3" in fixed.stdout
    no_note = run_cli("log", "correct", "--seq", "1", "--status", "failed", "--note", " ")
    assert no_note.returncode == 1 and "ghi chú" in no_note.stderr


def test_lost_key_is_reported_and_recovered_with_a_new_identity(loaxa_home: Path,
                                                              tmp_path: Path) -> None:
    run_cli("station", "show", check=True)
    _fill_log(loaxa_home, days=1)
    key = loaxa_home / "data" / "station-key.pem"
    key.unlink()
    shown = run_cli("station", "show", check=True).stdout
    assert "Không tìm thấy khóa ký" in shown and "new-key --confirm" in shown
    assert not key.exists()
    out = tmp_path / "p.jsonl"
    refused = run_cli("log", "package", "--from", "2026-12-01", "--to", "2026-12-01", "-o",
                      str(out))
    assert refused.returncode == 1 and not out.exists()
    assert run_cli("station", "new-key").returncode == 2
    renewed = run_cli("station", "new-key", "--confirm", check=True).stdout
    assert "Dấu vân tay" in renewed and key.exists()
    # Entries sealed under the old key cannot be signed by the new one …
    old = run_cli("log", "package", "--from", "2026-12-01", "--to", "2026-12-01", "-o",
                  str(out))
    assert old.returncode == 1 and "khóa cũ" in old.stderr
    # … later ones can; the chain goes on from the old entries.
    db = Database("sqlite:///" + (loaxa_home / "data" / "loaxa.db").as_posix())
    db.add_log_entry(scheduled_at=datetime(2026, 12, 5, tzinfo=UTC), status=LogStatus.MISSED)
    db.close()
    run_cli("log", "package", "--from", "2026-12-05", "--to", "2026-12-05", "-o", str(out),
            check=True)
    assert run_cli("log", "verify", str(out)).returncode == 0


def test_centre_registers_imports_twice_and_lists(loaxa_home: Path, tmp_path: Path) -> None:
    run_cli("station", "set", "--commune", "Xã Tân Lập", check=True)
    _fill_log(loaxa_home)
    first, second = tmp_path / "d1.jsonl", tmp_path / "d2.jsonl"
    for day, out in ((1, first), (2, second)):
        run_cli("log", "package", "--from", f"2026-12-0{day}", "--to", f"2026-12-0{day}",
                "-o", str(out), check=True)
    centre = {"LOAXA_HOME": str(tmp_path / "centre")}

    unregistered = run_cli("centre", "import", str(first), env=centre)
    assert unregistered.returncode == 1 and "chưa được đăng ký" in unregistered.stdout
    reg = run_cli("centre", "register", str(first), "--name", "Xã Tân Lập", "--code",
                  "25252", env=centre, check=True)
    assert "Đã đăng ký Xã Tân Lập" in reg.stdout

    imported = run_cli("centre", "import", str(second), str(first), env=centre, check=True)
    assert imported.stdout.count("đã nhận 1 mục mới") == 2
    again = run_cli("centre", "import", str(first), str(second), env=centre, check=True)
    assert again.stdout.count("đã nhận 0 mục mới") == 2

    tampered = tmp_path / "sua.jsonl"
    tampered.write_bytes(first.read_bytes().replace("ngày 1".encode(), "ngày 9".encode()))
    refused = run_cli("centre", "import", str(tampered), env=centre)
    assert refused.returncode == 1 and "TỪ CHỐI" in refused.stdout
    listing = run_cli("centre", "list", env=centre, check=True).stdout
    assert "Xã Tân Lập" in listing and "2 mục" in listing and "số thứ tự cuối 2" in listing
