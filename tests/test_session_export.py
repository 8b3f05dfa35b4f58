"""`loaxa session export` as a separate process: a session occurrence of the timeline as one
loudness-matched file; choosing among sessions; relays left out; bad output and items."""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

import numpy as np
import pyloudnorm
from scipy.signal import resample_poly

from media.program import PROGRAM_RATE, load_audio
from scheduler.persistence import Database
from tests.conftest import run_cli

DAY = "2027-03-02"  # a Tuesday, in the future


def tone(path: Path, seconds: float, amplitude: int = 8000, hz: float = 440.0) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(44100)
        out.writeframes(b"".join(
            struct.pack("<h", int(amplitude * math.sin(i / 44100 * 2 * math.pi * hz)))
            for i in range(int(44100 * seconds))))
    return path


def _bulletin(tmp_path: Path, name: str, text: str) -> str:
    src = tmp_path / f"{name}.txt"
    src.write_text(text, encoding="utf-8")
    return run_cli("bulletin", "add", str(src), "--title", name, check=True).stdout.split()[-1]


def _db(home: Path) -> Database:
    return Database("sqlite:///" + (home / "data" / "loaxa.db").as_posix())


def _stored(home: Path, bulletins: list[str], assets: list[str]) -> list[Path]:
    db = _db(home)
    try:
        rels = [db.get_audio_asset(int(a)).rel_path for a in assets]
        for b in bulletins:
            audio = db.get_bulletin(int(b)).audio
            assert audio is not None, f"bulletin {b} was not rendered"
            rels.append(audio.rel_path)
    finally:
        db.close()
    return [home / "data" / "audio" / rel for rel in rels]


def _true_peak_dbtp(signal: np.ndarray) -> float:
    over = resample_poly(signal, 4, 1)
    return 20 * math.log10(float(np.max(np.abs(over))))


def _series_jingle_two_bulletins(tmp_path: Path) -> tuple[str, list[str], str]:
    jingle = run_cli("audio", "add", str(tone(tmp_path / "nhac-hieu.wav", 3.0, 20000, 660)),
                     "--title", "Nhạc hiệu", "--jingle", check=True).stdout.split()[-1]
    b1 = _bulletin(tmp_path, "Họp dân", "Loa xã thông báo: tối nay bảy giờ họp dân ở nhà văn "
                                        "hóa thôn Đông. Đề nghị bà con đến đúng giờ.")
    b2 = _bulletin(tmp_path, "Tiêm phòng", "Trạm y tế xã tiêm phòng cho trẻ em vào sáng thứ "
                                           "bảy tuần này.")
    series = run_cli("series", "add", "--title", "Bản tin sáng", "--at", "06:00", "--from", DAY,
                     "--bulletin", b1, "--bulletin", b2,
                     check=True).stdout.split()[-1]
    return jingle, [b1, b2], series  # the station-ID jingle opens every series session


def test_export_mp3_is_loudness_matched_and_complete(tmp_path: Path, loaxa_home: Path) -> None:
    jingle, bulletins, series = _series_jingle_two_bulletins(tmp_path)
    out = tmp_path / "usb" / "ban-tin-sang.mp3"
    done = run_cli("session", "export", "--date", DAY, "-o", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"series:{series}:{DAY}" in done.stderr
    assert "3/3" in done.stderr  # progress
    assert out.is_file() and not list(out.parent.glob(".*"))
    assert out.read_bytes()[:3] == b"ID3" or out.read_bytes()[0] == 0xFF

    expected = sum(load_audio(p).size for p in _stored(loaxa_home, bulletins, [jingle]))
    expected = expected / PROGRAM_RATE + 2 * 1.0  # three items, two gaps of 1 s
    signal = load_audio(out)
    assert abs(signal.size / PROGRAM_RATE - expected) < 0.25, (signal.size, expected)
    lufs = pyloudnorm.Meter(PROGRAM_RATE).integrated_loudness(signal.astype(np.float64))
    assert abs(lufs - -16.0) <= 0.5, lufs
    assert _true_peak_dbtp(signal) <= -1.5
    assert float(np.max(np.abs(signal))) < 32767 / 32768


def test_export_wav_by_extension_and_a_corrupt_item(tmp_path: Path, loaxa_home: Path) -> None:
    jingle, _, _ = _series_jingle_two_bulletins(tmp_path)
    out = tmp_path / "ban-tin.wav"
    run_cli("session", "export", "--date", DAY, "--title", "bản tin SÁNG", "-o", str(out),
            check=True)
    with wave.open(str(out)) as wav:
        assert (wav.getnchannels(), wav.getframerate(), wav.getsampwidth()) == (1, 44100, 2)
        assert wav.getnframes() > 5 * 44100

    jingle_file = _stored(loaxa_home, [], [jingle])[0]
    jingle_file.write_bytes(b"not audio at all " * 200)
    again = tmp_path / "lan-hai.wav"
    bad = run_cli("session", "export", "--date", DAY, "-o", str(again))
    assert bad.returncode == 1
    assert jingle_file.name in bad.stderr and "bị hỏng" in bad.stderr
    assert "Nhạc hiệu" in bad.stderr and "Traceback" not in bad.stderr
    assert not again.exists() and not list(tmp_path.glob(".lan-hai*"))


def test_choosing_the_session(tmp_path: Path) -> None:
    asset = run_cli("audio", "add", str(tone(tmp_path / "nhac.wav", 2.0)), "--title", "Nhạc",
                    check=True).stdout.split()[-1]
    for title, at in (("Sáng", "06:00"), ("Chiều", "17:30")):
        run_cli("series", "add", "--title", title, "--at", at, "--from", DAY, "--audio", asset,
                check=True)
    out = tmp_path / "x.mp3"
    several = run_cli("session", "export", "--date", DAY, "-o", str(out))
    assert several.returncode == 1 and "2 buổi phát" in several.stderr
    assert "Sáng" in several.stderr and "Chiều" in several.stderr and "--at" in several.stderr
    assert not out.exists()
    run_cli("session", "export", "--date", DAY, "--at", "17:30", "-o", str(out), check=True)
    assert out.is_file()
    none = run_cli("session", "export", "--date", DAY, "--at", "09:00", "-o", str(out) + ".mp3")
    assert none.returncode == 1 and "không có buổi phát nào" in none.stderr
    assert run_cli("session", "export", "--date", "2027-02-28", "-o", str(tmp_path / "y.mp3")
                   ).returncode == 1
    bad_date = run_cli("session", "export", "--date", "02/03/2027", "-o", str(tmp_path / "z.mp3"))
    assert bad_date.returncode == 1 and "NĂM-THÁNG-NGÀY" in bad_date.stderr
    ogg = run_cli("session", "export", "--date", DAY, "--at", "06:00", "-o",
                  str(tmp_path / "z.ogg"))
    assert ogg.returncode == 1 and ".mp3" in ogg.stderr
    assert not list(tmp_path.glob("[yz]*"))


def test_relay_left_out_and_unwritable_output(tmp_path: Path) -> None:
    asset = run_cli("audio", "add", str(tone(tmp_path / "nhac.wav", 2.0)), "--title", "Nhạc",
                    check=True).stdout.split()[-1]
    run_cli("series", "add", "--title", "Tiếp sóng", "--at", "19:00", "--from", DAY,
            "--audio", asset, "--relay", "http://vov.example/live", "--relay-minutes", "5",
            check=True)
    blocker = tmp_path / "khong-phai-thu-muc"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    bad = run_cli("session", "export", "--date", DAY, "-o", str(blocker / "out.mp3"))
    assert bad.returncode == 1 and "Không ghi được" in bad.stderr
    assert "Traceback" not in bad.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "khong-phai-thu-muc",
                                                          "nhac.wav"]

    out = tmp_path / "tiep-song.mp3"
    done = run_cli("session", "export", "--date", DAY, "-o", str(out), check=True)
    assert "http://vov.example/live" in done.stderr and "bỏ qua" in done.stderr
    seconds = load_audio(out).size / PROGRAM_RATE
    assert 1.8 < seconds < 2.5  # the recording only: no relay, no trailing gap


def test_ctrl_c_cancels_and_leaves_nothing(tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys

    from tests.conftest import ROOT

    asset = run_cli("audio", "add", str(tone(tmp_path / "dai.wav", 40.0)), "--title", "Dài",
                    check=True).stdout.split()[-1]
    many = [arg for _ in range(30) for arg in ("--audio", asset)]
    run_cli("series", "add", "--title", "Dài", "--at", "08:00", "--from", DAY, *many,
            check=True)
    out = tmp_path / "dai.mp3"
    proc = subprocess.Popen([sys.executable, "-m", "app", "session", "export", "--date", DAY,
                             "-o", str(out)], cwd=ROOT, env=dict(os.environ),
                            stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                            encoding="utf-8")
    assert proc.stderr is not None
    first = proc.stderr.readline()  # printed once Ctrl+C is handled by the export
    assert "Xuất buổi phát" in first, first
    proc.send_signal(signal.SIGINT)
    _, rest = proc.communicate(timeout=120)
    assert proc.returncode == 130, rest
    assert "Đã hủy" in rest and "Traceback" not in rest
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dai.wav", "home"]
