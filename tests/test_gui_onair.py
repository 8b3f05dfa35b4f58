"""The On-air view, offscreen with pytest-qt: now and next, countdown, level meter, device
alarm, the emergency button and the playout process."""

from __future__ import annotations

import getpass
import math
import struct
import subprocess
import sys
import wave
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox

from app.gui import onair_support as support
from app.gui.tasks import TaskRunner
from app.gui.views import onair
from app.gui.views.onair import EmergencyDialog, OnAirView, countdown_text
from app.instance import InstanceLock, is_locked
from scheduler.records import Level, LogStatus
from scheduler.schedule import EVERY_DAY, ItemSpec
from tests.conftest import ROOT

TEXT = "Thông báo khẩn: bão số 5 sắp đổ bộ, bà con chằng chống nhà cửa, không ra biển."
NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)  # Tuesday 10:00 in Vietnam


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def questions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every confirmation is answered Yes; the questions are kept."""
    asked: list[str] = []

    def answer(_parent, _title, text, *args, **kwargs):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(answer))
    return asked


@pytest.fixture
def device(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """The default output as miniaudio would report it (a list so a test can change it)."""
    state: list[str | None] = ["Loa truyền thanh (USB)"]
    monkeypatch.setattr(support, "default_output_name", lambda: state[0])
    return state


@pytest.fixture
def runner(qtbot):
    runner = TaskRunner()
    yield runner
    runner.wait(60_000)


def make_view(qtbot, ctx, runner, now: Clock) -> OnAirView:
    view = OnAirView(ctx, runner, now=now)
    qtbot.addWidget(view)
    view.resize(1100, 800)
    view.show()
    qtbot.waitUntil(lambda: view.device_known, timeout=10_000)
    return view


def write_wav(path: Path, parts: list[tuple[float, float]], rate: int = 44100) -> Path:
    """A 1 kHz sine: (seconds, amplitude) after one another."""
    frames = bytearray()
    n = 0
    for seconds, amplitude in parts:
        for _ in range(int(seconds * rate)):
            frames += struct.pack("<h", round(32767 * amplitude
                                              * math.sin(2 * math.pi * 1000 * n / rate)))
            n += 1
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(bytes(frames))
    return path


def bulletin_with_audio(ctx, path: Path, title: str, level: Level = Level.NORMAL
                        ) -> tuple[int, str]:
    bulletin_id = ctx.db.add_bulletin(title, TEXT, level=level)
    sha, rel = ctx.store.adopt(path)
    ctx.db.attach_audio(bulletin_id, sha256=sha, rel_path=rel, duration_ms=2000,
                        origin="test", engine="test", voice="", source_sha256="test")
    return bulletin_id, sha


def on_air(ctx, bulletin_id: int, title: str, sha: str, started: datetime,
           **extra) -> int:
    return ctx.db.add_log_entry(scheduled_at=started, status=LogStatus.PLAYING,
                                bulletin_id=bulletin_id, bulletin_title=title,
                                started_at=started, audio_sha256=sha,
                                output_device="Loa truyền thanh (USB)", **extra)


def test_now_and_next_and_the_countdown(qtbot, ctx, runner, tmp_path, messages,
                                        device) -> None:
    b, sha = bulletin_with_audio(ctx, write_wav(tmp_path / "t.wav", [(2, 0.5)]),
                                 "Lịch tiêm chủng")
    ctx.db.add_series(title="Chiều", start=time(17, 0), weekdays=EVERY_DAY,
                      valid_from=date(2026, 11, 1), valid_until=None, length_s=600,
                      items=[ItemSpec.bulletin(b)])
    on_air(ctx, b, "Lịch tiêm chủng", sha, NOW - timedelta(seconds=5),
           session_key="oneoff:7", item_kind="bulletin")
    now = Clock(NOW)
    view = make_view(qtbot, ctx, runner, now)

    assert view.now_title.text() == "Lịch tiêm chủng"
    assert "bắt đầu 09:59:55 01/12/2026" in view.now_info.text()
    assert "bản tin số 1" in view.now_info.text()
    assert view.now_elapsed.text().startswith("Đã phát 00:00:05")
    # no playout holds the lock here: the entry was left by a process that stopped
    assert view.now_elapsed.text().endswith("mục này sẽ được ghi là bị ngắt khi bộ phát "
                                            "chạy lại")
    assert view.next.key == "series:1:2026-12-01"
    assert "17:00:00 01/12/2026 — Chiều" in view.next_title.text()
    assert view.countdown.text() == "Còn 07:00:00"

    # every second from what was read: no database query
    def no_database():
        raise AssertionError("database queried on a tick")

    real_tx = ctx.db._tx
    ctx.db._tx = no_database
    try:
        view._ticks = 1
        now.now = NOW + timedelta(seconds=1)
        view.tick()
        assert view.countdown.text() == "Còn 06:59:59"
        assert view.now_elapsed.text().startswith("Đã phát 00:00:06")
        now.now = NOW + timedelta(hours=7, seconds=1)  # 17:00:01: the next one is tomorrow's
        view.tick()
        assert view.next.key == "series:1:2026-12-02"
        assert view.countdown.text() == "Còn 23:59:59"
    finally:
        ctx.db._tx = real_tx

    # a session already done is not "next"
    ctx.db.set_run_state("series:1:2026-12-02", view.next.start, "done")
    view.reload()
    assert view.next.key == "series:1:2026-12-03"
    assert countdown_text(2 * 86400 + 3723) == "Còn 2 ngày 01:02:03"

    ctx.db.finish_log_entry(1, status=LogStatus.PLAYED, ended_at=NOW, played_ms=2000)
    view.reload()
    assert view.now_title.text() == "Không có gì đang phát."
    assert view.meter.value is None


def test_a_session_added_elsewhere_becomes_next(qtbot, ctx, runner, tmp_path, messages,
                                                device) -> None:
    b, _sha = bulletin_with_audio(ctx, write_wav(tmp_path / "t.wav", [(1, 0.5)]), "Tin")
    view = make_view(qtbot, ctx, runner, Clock(NOW))
    assert view.next is None and view.countdown.text() == ""
    assert view.next_title.text() == "Chưa có buổi phát nào sắp tới."
    ctx.db.add_session(NOW + timedelta(minutes=90), [b], title="Họp dân")
    view.reload()  # the window calls it when the database changed
    qtbot.waitUntil(lambda: view.next is not None, timeout=10_000)
    assert view.next.key == "oneoff:1"
    assert view.countdown.text() == "Còn 01:30:00"


def test_the_level_meter_reads_the_file_on_air_at_the_elapsed_position(
        qtbot, ctx, runner, tmp_path, messages, device) -> None:
    # one second at half scale, then one second at 5 % of full scale
    path = write_wav(tmp_path / "tone.wav", [(1.0, 0.5), (1.0, 0.05)])
    b, sha = bulletin_with_audio(ctx, path, "Âm thử")
    started = NOW - timedelta(seconds=1.5)
    on_air(ctx, b, "Âm thử", sha, started)
    now = Clock(NOW)
    view = make_view(qtbot, ctx, runner, now)
    qtbot.waitUntil(lambda: view.profile is not None, timeout=30_000)
    assert view.profile.duration_s == pytest.approx(2.0, abs=0.06)

    view.update_meter()  # 1.5 s in: the quiet part, RMS of a sine = amplitude / √2
    assert view.meter.value == pytest.approx(20 * math.log10(0.05 / math.sqrt(2)), abs=0.5)
    now.now = started + timedelta(seconds=0.5)
    view.update_meter()
    assert view.meter.value == pytest.approx(20 * math.log10(0.5 / math.sqrt(2)), abs=0.3)
    assert view.meter.peak_db == pytest.approx(20 * math.log10(0.5), abs=0.3)
    assert view.meter.text() == "−9 dBFS"
    now.now = started + timedelta(seconds=2.5)  # past its end
    view.update_meter()
    assert view.meter.value is None
    assert view.meter_timer.isActive()


def test_the_emergency_is_confirmed_then_queued_with_who_ordered_it(
        qtbot, ctx, runner, tmp_path, messages, questions, device, monkeypatch) -> None:
    b, _sha = bulletin_with_audio(ctx, write_wav(tmp_path / "e.wav", [(1, 0.3)]),
                                  "Bão số 5", Level.EMERGENCY)
    ctx.db.add_bulletin("Tin thường", "Tin bình thường.")
    ctx.user = "Trần Thị B"  # the signed-in user, when the window has one

    def pick(dialog: EmergencyDialog) -> int:
        assert dialog.bulletin.itemData(0) == b  # emergency bulletins first
        dialog.pick.setChecked(True)
        dialog.bulletin.setCurrentIndex(dialog.bulletin.findData(b))
        dialog.repeat.setChecked(True)
        dialog.minutes.setValue(10)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(EmergencyDialog, "exec", pick)
    view = make_view(qtbot, ctx, runner, Clock(NOW))
    task = view.trigger_emergency()
    assert task is not None
    qtbot.waitUntil(lambda: task not in view.tasks, timeout=60_000)

    assert len(questions) == 1
    assert "“Bão số 5”" in questions[0] and "mỗi 10 phút" in questions[0]
    [emergency] = ctx.db.list_emergencies(active_only=True)
    assert (emergency.bulletin_id, emergency.requested_by, emergency.repeat_minutes,
            emergency.state) == (b, "Trần Thị B", 10, "pending")
    assert "người ra lệnh: Trần Thị B" in view.message.text()
    assert any("bộ phát đang không chạy" in m.lower() for m in messages)  # no playout here
    assert view.emergencies.rowCount() == 1
    assert view.emergencies.item(0, 2).text() == "Trần Thị B"

    assert view.cancel_emergency()
    assert "Dừng lệnh phát khẩn cấp số 1" in questions[-1]
    assert ctx.db.list_emergencies(active_only=True) == []
    assert ctx.db.list_emergencies()[0].state == "cancelled"
    assert view.emergencies.rowCount() == 0


def test_a_typed_emergency_is_rendered_first_by_the_os_user(
        qtbot, ctx, runner, messages, questions, device, monkeypatch) -> None:
    def type_text(dialog: EmergencyDialog) -> int:
        dialog.new.setChecked(True)
        dialog.title_edit.setText("Cháy rừng")
        dialog.text_edit.setPlainText("Cháy rừng ở đồi thông, bà con tránh xa khu vực.")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(EmergencyDialog, "exec", type_text)
    view = make_view(qtbot, ctx, runner, Clock(NOW))
    task = view.trigger_emergency()
    qtbot.waitUntil(lambda: task not in view.tasks, timeout=60_000)

    assert "“Cháy rừng”" in questions[0] and "Phát một lần." in questions[0]
    [emergency] = ctx.db.list_emergencies()
    bulletin = ctx.db.get_bulletin(emergency.bulletin_id)
    assert bulletin.level is Level.EMERGENCY and bulletin.title == "Cháy rừng"
    assert bulletin.audio is not None  # made before it was queued
    assert emergency.requested_by == getpass.getuser()
    assert emergency.repeat_minutes is None


def test_declining_the_confirmation_queues_nothing(qtbot, ctx, runner, tmp_path, messages,
                                                   device, monkeypatch) -> None:
    bulletin_with_audio(ctx, write_wav(tmp_path / "e.wav", [(1, 0.3)]), "Bão", Level.EMERGENCY)
    monkeypatch.setattr(EmergencyDialog, "exec", lambda _d: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: QMessageBox.StandardButton.No))
    view = make_view(qtbot, ctx, runner, Clock(NOW))
    assert view.trigger_emergency() is None
    assert ctx.db.list_emergencies() == []


def test_the_emergency_dialog_refuses_an_empty_text(qtbot, messages) -> None:
    dialog = EmergencyDialog([])
    qtbot.addWidget(dialog)
    assert dialog.new.isChecked()  # nothing to pick: typing it is the only way
    dialog.title_edit.setText("Khẩn")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert messages == ["Văn bản trống: không có gì để đọc."]


def test_no_audio_device_raises_the_alarm(qtbot, ctx, runner, messages, device) -> None:
    lock = InstanceLock(ctx.paths.playout_lock)  # the playout runs: only the device alarms
    assert lock.acquire()
    try:
        device[0] = None
        view = make_view(qtbot, ctx, runner, Clock(NOW))
        assert not view.alarm.isHidden()
        assert view.alarm.text().startswith("KHÔNG CÓ THIẾT BỊ PHÁT ÂM THANH")
        assert view.device_label.text() == ("Thiết bị phát âm thanh: KHÔNG CÓ (xem cảnh báo "
                                            "phía trên)")

        device[0] = "Loa truyền thanh (USB)"  # plugged back in: the next query clears it
        view.check_device()
        qtbot.waitUntil(lambda: view.alarm.isHidden(), timeout=10_000)
        assert view.device_label.text() == "Thiết bị phát âm thanh: Loa truyền thanh (USB)"
    finally:
        lock.release()


def test_playout_off_offers_start_and_on_offers_restart(qtbot, ctx, runner, messages,
                                                        device, monkeypatch) -> None:
    started: list[int] = []

    class Process:
        pid = 4242

    monkeypatch.setattr(onair, "start_playout_process",
                        lambda: started.append(1) or Process())
    view = make_view(qtbot, ctx, runner, Clock(NOW))
    assert view.playout_label.text().startswith("Bộ phát: KHÔNG chạy")
    assert view.playout_button.text() == "Khởi động &bộ phát"
    assert "Bộ phát: KHÔNG chạy" in view.alarm.text()
    view.playout_button.click()
    assert started == [1]
    assert view.message.text() == "Đã khởi động bộ phát."

    ctx.db.beat(NOW - timedelta(seconds=20))
    lock = InstanceLock(ctx.paths.playout_lock)
    assert lock.acquire()
    try:
        view.reload()
        assert view.playout_label.text() == "Bộ phát: đang chạy"
        assert view.playout_button.text() == "Khởi động &lại bộ phát"
        assert view.heartbeat_label.text() == ("Tín hiệu hoạt động cuối của bộ phát: "
                                               "09:59:40 (00:00:20 trước)")
        assert view.alarm.isHidden()
    finally:
        lock.release()


PLAYOUT_STAND_IN = """
import signal, sys, time
from pathlib import Path
from app.instance import InstanceLock
lock = InstanceLock(Path(sys.argv[1]))
assert lock.acquire()
stop = []
if sys.argv[2] == "clean":
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
else:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
print("ready", flush=True)
while not stop:
    time.sleep(0.05)
Path(sys.argv[3]).write_text("stopped cleanly")
lock.release()
"""


def _stand_in(ctx, tmp_path: Path, how: str) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", PLAYOUT_STAND_IN,
                             str(ctx.paths.playout_lock), how, str(tmp_path / "done")],
                            cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    return proc


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_restart_stops_the_playout_cleanly_then_starts_it(qtbot, ctx, runner, tmp_path,
                                                          messages, questions, device,
                                                          monkeypatch) -> None:
    proc = _stand_in(ctx, tmp_path, "clean")
    started: list[bool] = []
    monkeypatch.setattr(onair, "start_playout_process",
                        lambda: started.append(is_locked(ctx.paths.playout_lock)) or proc)
    view = make_view(qtbot, ctx, runner, Clock(NOW))
    try:
        task = view.start_or_restart()
        assert task is not None and "Dừng bộ phát rồi khởi động lại" in questions[0]
        qtbot.waitUntil(lambda: bool(started), timeout=30_000)
        assert started == [False]  # started only once the old one had let go of the lock
        assert (tmp_path / "done").read_text() == "stopped cleanly"
        assert proc.wait(10) == 0
        assert messages == []
    finally:
        proc.kill()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_a_playout_that_does_not_stop_is_ended_by_force(ctx, tmp_path) -> None:
    proc = _stand_in(ctx, tmp_path, "stubborn")
    try:
        assert support.stop_playout(ctx.paths.playout_lock, timeout_s=1.0) is False
        assert not is_locked(ctx.paths.playout_lock)
        assert proc.wait(10) != 0 and not (tmp_path / "done").exists()
    finally:
        proc.kill()
    assert support.stop_playout(ctx.paths.playout_lock) is True  # nothing running: nothing to do
