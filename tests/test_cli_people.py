"""loaxa user / bulletin approve / audit, as real processes: single-user setup, the first
admin, logins with --as and LOAXA_PIN (or a line on standard input), and the audit CSV."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, run_cli


def _bulletin(tmp_path: Path, name: str = "tin.txt") -> str:
    path = tmp_path / name
    path.write_text("Thông báo tiêm chủng cho trẻ em dưới năm tuổi.", encoding="utf-8")
    return str(path)


def test_single_user_setup_then_the_first_admin_switches_logins_on(tmp_path: Path) -> None:
    text_file = _bulletin(tmp_path)
    # no users: nothing is asked, and the bulletin is approved by "system"
    run_cli("bulletin", "add", text_file, "--title", "Tin 1", check=True)
    assert "đã duyệt (system," in run_cli("bulletin", "list", check=True).stdout
    assert "chế độ một người" in run_cli("user", "list", check=True).stdout
    refused = run_cli("user", "add", "minh", "--role", "operator",
                      env={"LOAXA_NEW_PIN": "2222"})
    assert refused.returncode == 1 and "quản trị" in refused.stderr
    added = run_cli("user", "add", "lan", "--role", "admin", "--full-name", "Nguyễn Thị Lan",
                    env={"LOAXA_NEW_PIN": "1111"}, check=True)
    assert "Đã thêm người dùng lan" in added.stdout and "người dùng đầu tiên" in added.stdout
    # from now on a change needs a login
    blocked = run_cli("bulletin", "add", text_file, "--title", "Tin 2")
    assert blocked.returncode == 1 and "--as" in blocked.stderr
    # the admin adds an operator-approver: the admin's PIN, then the new PIN, on stdin lines
    proc = subprocess.run([sys.executable, "-m", "app", "user", "add", "minh", "--role",
                           "operator,approver", "--as", "lan"], cwd=ROOT, input="1111\n2222\n",
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert proc.returncode == 0, proc.stderr
    added = run_cli("bulletin", "add", text_file, "--title", "Tin 2", "--as", "minh",
                    env={"LOAXA_PIN": "2222"}, check=True)
    new_id = added.stdout.strip().splitlines()[-1]
    listed = run_cli("bulletin", "list", check=True).stdout
    assert f"{new_id}\tnormal\t" in listed and "Tin 2" in listed and "chưa duyệt" in listed
    check = run_cli("session", "add", "--at", "2031-01-01 06:00", "--bulletin", new_id,
                    "--as", "minh", env={"LOAXA_PIN": "2222"}, check=True)
    assert check.returncode == 0
    day = run_cli("check", "--date", "2031-01-01")
    assert day.returncode == 1 and "chưa được duyệt phát" in day.stdout
    approved = run_cli("bulletin", "approve", new_id, "--as", "minh",
                       env={"LOAXA_PIN": "2222"}, check=True)
    assert f"Đã duyệt phát bản tin số {new_id} (minh)" in approved.stdout
    assert run_cli("check", "--date", "2031-01-01").returncode == 0
    users = run_cli("user", "list", check=True).stdout
    assert "lan\tadmin\thoạt động" in users and "minh\toperator,approver\thoạt động" in users


def test_a_lockout_message_and_the_audit_csv(tmp_path: Path) -> None:
    run_cli("user", "add", "lan", "--role", "admin", env={"LOAXA_NEW_PIN": "1111"},
            check=True)
    for _ in range(5):
        wrong = run_cli("station", "set", "--commune", "Xã A", "--as", "lan",
                        env={"LOAXA_PIN": "0000"})
        assert wrong.returncode == 1
    assert "bị khóa tạm thời" in wrong.stderr and "(giờ Việt Nam)" in wrong.stderr
    locked = run_cli("user", "list", check=True).stdout
    assert "lan\tadmin\tkhóa đến" in locked
    out = tmp_path / "nhật-ký-thao-tác.csv"
    refused = run_cli("audit", "--from", "2020-01-01", "--to", "2099-12-31", "-o", str(out),
                      "--as", "lan", env={"LOAXA_PIN": "1111"})
    assert refused.returncode == 1 and not out.exists()  # still locked


def test_the_audit_csv_lists_who_did_what(tmp_path: Path) -> None:
    run_cli("user", "add", "lan", "--role", "admin,operator", env={"LOAXA_NEW_PIN": "1111"},
            check=True)
    pin = {"LOAXA_PIN": "1111"}
    run_cli("quiet-hours", "22:00-05:00", "--as", "lan", env=pin, check=True)
    out = tmp_path / "audit.csv"
    written = run_cli("audit", "--from", "2020-01-01", "--to", "2099-12-31", "-o", str(out),
                      "--as", "lan", env=pin, check=True)
    assert "audit.csv" in written.stdout
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == ("Thời điểm (giờ VN),Thời điểm (UTC),Người thực hiện,Hành động,"
                        "Đối tượng,Chi tiết")
    assert any(",lan,quiet_hours_set,quiet_hours," in line and "22:00-05:00" in line
               for line in lines)
    assert any(",system,user_added,user:lan," in line for line in lines)
    on_screen = run_cli("audit", "--from", "2020-01-01", "--to", "2099-12-31", "--as", "lan",
                        env=pin, check=True).stdout
    assert "audit_exported" in on_screen  # the file export above is itself recorded
