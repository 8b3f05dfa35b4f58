"""The command line as a user runs it: separate processes, a fresh LOAXA_HOME."""

from __future__ import annotations

import codecs
import csv
import subprocess
import sys
import time
from pathlib import Path

from app import __version__
from tests.conftest import ROOT, run_cli

TEXT = "Thông báo lịch tiêm vắc-xin sởi cho trẻ em dưới năm tuổi.\nXin trân trọng thông báo."


def bulletin_file(tmp_path: Path, data: bytes, name: str = "bản tin.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_version() -> None:
    proc = run_cli("--version", check=True)
    assert proc.stdout.strip() == f"LoaXa {__version__}"


def test_fresh_home_needs_no_setup(loaxa_home: Path) -> None:
    proc = run_cli("station", "show", check=True)
    assert "(chưa đặt)" in proc.stdout
    assert (loaxa_home / "data" / "loaxa.db").is_file()
    assert (loaxa_home / "logs" / "cli.log").is_file()


def test_bulletin_add_prints_id_last_for_each_accepted_encoding(tmp_path: Path) -> None:
    ids = []
    for n, data in enumerate([TEXT.encode(), codecs.BOM_UTF8 + TEXT.encode(),
                              codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le")]):
        proc = run_cli("bulletin", "add", str(bulletin_file(tmp_path, data, f"{n}.txt")),
                       "--title", f"Tiêm chủng {n}", check=True)
        ids.append(int(proc.stdout.strip().splitlines()[-1]))
    assert ids == [1, 2, 3]
    listing = run_cli("bulletin", "list", check=True).stdout
    assert "Tiêm chủng 2" in listing


def test_bad_bytes_are_refused_and_nothing_is_stored(tmp_path: Path) -> None:
    path = bulletin_file(tmp_path, TEXT.encode("cp1258", errors="replace"))
    proc = run_cli("bulletin", "add", str(path), "--title", "Sai mã")
    assert proc.returncode == 1
    assert "UTF-8" in proc.stderr and "Chưa lưu gì" in proc.stderr
    assert run_cli("bulletin", "list", check=True).stdout.strip() == ""
    missing = run_cli("bulletin", "add", str(tmp_path / "none.txt"), "--title", "x")
    assert missing.returncode == 1 and "Không tìm thấy tệp" in missing.stderr


def test_render_file_and_id_print_duration(tmp_path: Path) -> None:
    src = bulletin_file(tmp_path, TEXT.encode())
    out = tmp_path / "ra.mp3"
    proc = run_cli("render", str(src), "-o", str(out), check=True)
    assert out.stat().st_size > 10_000
    assert "thời lượng" in proc.stdout and "giây" in proc.stdout
    run_cli("bulletin", "add", str(src), "--title", "Tin", check=True)
    wav = tmp_path / "ra.wav"
    proc = run_cli("render", "1", "-o", str(wav), check=True)
    assert wav.read_bytes()[:4] == b"RIFF"
    again = run_cli("render", "1", "-o", str(tmp_path / "lai.mp3"), check=True)
    assert "dùng lại" in again.stdout  # unchanged: no second voice call
    bad = run_cli("render", "99", "-o", str(tmp_path / "x.mp3"))
    assert bad.returncode == 1 and "Không có bản tin số 99" in bad.stderr


def test_session_add_list_and_bad_time(tmp_path: Path) -> None:
    run_cli("bulletin", "add", str(bulletin_file(tmp_path, TEXT.encode())), "--title", "Tin",
            check=True)
    proc = run_cli("session", "add", "--at", "2031-01-02 06:00", "--bulletin", "1", check=True)
    assert "2031-01-02 06:00:00" in proc.stdout
    assert "2031-01-02 06:00:00\tscheduled" in run_cli("session", "list", check=True).stdout
    bad = run_cli("session", "add", "--at", "02/01/2031 6h", "--bulletin", "1")
    assert bad.returncode == 1 and "NĂM-THÁNG-NGÀY" in bad.stderr
    unknown = run_cli("session", "add", "--at", "2031-01-02 06:00", "--bulletin", "7")
    assert unknown.returncode == 1
    assert run_cli("session", "list", check=True).stdout.count("\n") == 1


def test_log_export_writes_csv_with_bom(tmp_path: Path) -> None:
    out = tmp_path / "nhat-ky.csv"
    proc = run_cli("log", "export", "--from", "2026-11-01", "--to", "2026-11-30", "-o",
                   str(out), check=True)
    assert "0 mục" in proc.stdout
    assert out.read_bytes().startswith(codecs.BOM_UTF8)
    header = next(csv.reader(out.open(encoding="utf-8-sig")))
    assert "status" in header and "Trạng thái" in header
    bad = run_cli("log", "export", "--from", "2026-12-01", "--to", "2026-11-01", "-o", str(out))
    assert bad.returncode == 1


def test_demo_fills_an_empty_database_once() -> None:
    proc = run_cli("demo", check=True)
    assert "bản tin mẫu số 1" in proc.stdout
    sessions = run_cli("session", "list", check=True).stdout.strip().splitlines()
    assert len(sessions) == 1 and "scheduled" in sessions[0]
    bulletins = run_cli("bulletin", "list", check=True).stdout
    assert "bảo hiểm y tế" in bulletins and "giây" in bulletins  # rendered
    assert "đã có dữ liệu" in run_cli("demo", check=True).stdout
    assert len(run_cli("session", "list", check=True).stdout.strip().splitlines()) == 1


def test_station_set_and_show() -> None:
    run_cli("station", "set", "--commune", "Xã Tân Lập", "--code", "25252", "--centre",
            "Trung tâm Văn hóa - Thông tin tỉnh", check=True)
    out = run_cli("station", "show", check=True).stdout
    assert "Xã Tân Lập" in out and "25252" in out and "Trung tâm Văn hóa" in out


def test_english_interface(loaxa_home: Path) -> None:
    (loaxa_home / "config").mkdir(parents=True)
    (loaxa_home / "config" / "settings.toml").write_text('language = "en"\n', encoding="utf-8")
    out = run_cli("station", "show", check=True).stdout
    assert "Commune: (not set)" in out


def test_playout_is_single_instance(pulse_sink: str) -> None:
    first = subprocess.Popen([sys.executable, "-m", "app", "playout"], cwd=ROOT,
                             stdout=subprocess.PIPE, text=True, encoding="utf-8")
    try:
        assert "Bộ phát đang chạy" in first.stdout.readline()
        second = run_cli("playout")
        assert second.returncode == 3 and "đang chạy rồi" in second.stderr
    finally:
        first.terminate()
        assert first.wait(15) == 0  # SIGTERM is a clean stop
    time.sleep(0.2)
    idle = run_cli("playout", "--until-idle", check=True)
    assert "Không còn buổi phát nào" in idle.stdout


def test_normalize_filter_keeps_lines(loaxa_home: Path) -> None:
    text = "Ngày 07/12/2026, UBND xã\n\n  \nthông báo mức 3,5%\r\nDòng cuối"
    proc = subprocess.run([sys.executable, "-m", "app", "normalize"], cwd=ROOT,
                          input=codecs.BOM_UTF8 + text.encode(), capture_output=True,
                          check=True)
    lines = proc.stdout.decode("utf-8").split("\n")
    assert lines[:-1] == [
        "Ngày bảy tháng mười hai năm hai nghìn không trăm hai mươi sáu, Ủy ban nhân dân xã",
        "", "", "thông báo mức ba phẩy năm phần trăm", "Dòng cuối"]
    assert lines[-1] == ""
    assert not (loaxa_home / "data" / "loaxa.db").exists()  # a filter: no database


def test_normalize_text_lexicon_and_bad_bytes(loaxa_home: Path) -> None:
    (loaxa_home / "config").mkdir(parents=True)
    (loaxa_home / "config" / "lexicon.tsv").write_text(
        "# tên riêng của xã\nNVH\tnhà văn hóa\nPắc Ngòi\tPắc Ngòi\n", encoding="utf-8-sig")
    out = run_cli("normalize", "--text", "Họp ở NVH lúc 7h30", check=True).stdout
    assert out == "Họp ở nhà văn hóa lúc bảy giờ ba mươi phút\n"
    bad = subprocess.run([sys.executable, "-m", "app", "normalize"], cwd=ROOT,
                         input=b"D\xf2ng m\xf4t\nh\xf4ng",  # Windows-1258 bytes
                         capture_output=True)
    assert bad.returncode == 1
    assert "UTF-8" in bad.stderr.decode("utf-8")
    (loaxa_home / "config" / "lexicon.tsv").write_bytes(b"NVH\tnh\xe0 v\xe3n h\xf3a")
    broken = run_cli("normalize", "--text", "NVH")
    assert broken.returncode == 1 and "lexicon.tsv" in broken.stderr
