"""The Schedule view, offscreen with pytest-qt: the week as the engine will play it."""

from __future__ import annotations

import math
import struct
import wave
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from app.gui.schedule_dialogs import (
    CampaignDialog,
    ChangeDialog,
    OneOffDialog,
    QuietHoursDialog,
    SeriesDialog,
    SeriesListDialog,
)
from app.gui.tasks import TaskRunner
from app.gui.views.schedule import ScheduleView
from scheduler.schedule import EVERY_DAY, ItemSpec
from scheduler.timeutil import parse_local_datetime

TEXT = "Thông báo: thôn Đông tổ chức tổng vệ sinh môi trường vào sáng Chủ nhật."
# Tuesday 1 December 2026, 10:00 in Vietnam: the shown week is Mon 30/11 – Sun 06/12,
# across a month boundary.
NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
MONDAY = date(2026, 11, 30)


@pytest.fixture
def runner(qtbot):
    runner = TaskRunner()
    yield runner
    runner.wait(60_000)


def make_view(qtbot, ctx, runner) -> ScheduleView:
    view = ScheduleView(ctx, runner, now=lambda: NOW)
    qtbot.addWidget(view)
    view.resize(1300, 900)
    view.show()
    return view


def tone_wav(path: Path, seconds: float = 1.0) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(44100)
        out.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(n / 10)))
                                 for n in range(int(44100 * seconds))))
    return path


def bulletin_with_audio(ctx, tmp_path: Path, title: str) -> int:
    """A bulletin whose audio exists (the schedule counts it as made)."""
    bulletin_id = ctx.db.add_bulletin(title, TEXT)
    sha, rel = ctx.store.adopt(tone_wav(tmp_path / f"{title}.wav"))
    ctx.db.attach_audio(bulletin_id, sha256=sha, rel_path=rel, duration_ms=1000,
                        origin="test", engine="test", voice="", source_sha256="test")
    return bulletin_id


def morning_series(ctx, bulletin_id: int, weekdays=frozenset(range(6))) -> int:
    return ctx.db.add_series(title="Sáng", start=time(6, 0), weekdays=weekdays,
                             valid_from=date(2026, 11, 1), valid_until=None, length_s=1800,
                             items=[ItemSpec.bulletin(bulletin_id)])


def keys(view: ScheduleView) -> list[str]:
    return [b.key for b in view.timetable.blocks]


def test_the_week_shows_occurrences_on_their_days_and_times_in_vietnam_time(
        qtbot, ctx, runner, tmp_path, messages) -> None:
    b = bulletin_with_audio(ctx, tmp_path, "Lịch tiêm chủng")
    morning_series(ctx, b)  # Monday to Saturday, 06:00 Vietnam time = 23:00 UTC the day before
    # 00:30 on Tuesday in Vietnam is still Monday in UTC
    ctx.db.add_session(parse_local_datetime("2026-12-01 00:30"), [b], title="Đêm")
    view = make_view(qtbot, ctx, runner)

    assert view.week_label.text() == "Tuần 30/11/2026 – 06/12/2026 (giờ Việt Nam)"
    series_blocks = [b for b in view.timetable.blocks if b.key.startswith("series:")]
    assert [b.key for b in series_blocks] == [f"series:1:{MONDAY.replace(day=30)}"] + [
        f"series:1:2026-12-0{d}" for d in range(1, 6)]
    assert [b.day_index for b in series_blocks] == [0, 1, 2, 3, 4, 5]  # no Sunday
    assert all(b.start_minute == 6 * 60 for b in series_blocks)
    assert all(b.label == "06:00 Sáng" for b in series_blocks)
    one_off = view.timetable.block("oneoff:1")
    assert (one_off.day_index, one_off.start_minute, one_off.oneoff) == (1, 30, True)
    # painted where they say: in their day's column, at their hour
    for block in view.timetable.blocks:
        column = view.timetable.column_rect(block.day_index)
        assert column.left() <= block.rect.center().x() <= column.right()
        assert block.rect.top() == pytest.approx(view.timetable.y_of(block.start_minute))
    assert all(block.severity == "" for block in view.timetable.blocks)
    assert view.problem_label.text() == "Kiểm tra tuần này: không có vấn đề."

    view.next_button.click()  # the next week: 07/12 – 13/12
    assert view.monday == date(2026, 12, 7)
    assert keys(view)[0] == "series:1:2026-12-07"
    view.today_button.click()
    assert view.monday == MONDAY


def test_a_moved_occurrence_shows_on_its_new_day_and_where_it_was(qtbot, ctx, runner,
                                                                   tmp_path, messages) -> None:
    b = bulletin_with_audio(ctx, tmp_path, "Tin")
    series = morning_series(ctx, b)
    ctx.db.change_occurrence(series, date(2026, 12, 2),
                             move_to=parse_local_datetime("2026-12-03 08:15"))
    view = make_view(qtbot, ctx, runner)

    moved = view.timetable.block("series:1:2026-12-02")  # its key keeps the original day
    assert (moved.day_index, moved.start_minute, moved.moved) == (3, 8 * 60 + 15, True)
    assert moved.label.startswith("↪ 08:15")
    ghost = view.timetable.block("moved-from:series:1:2026-12-02")
    assert (ghost.day_index, ghost.start_minute, ghost.cancelled) == (2, 360, True)
    assert "đã dời sang 08:15 03/12/2026" in ghost.detail
    assert "dời từ 06:00 02/12/2026" in view.details_html("series:1:2026-12-02")
    # Thursday has its own 06:00 occurrence as well as the moved one
    assert view.timetable.block("series:1:2026-12-03").day_index == 3


def test_adding_a_series_through_its_dialog(qtbot, ctx, runner, messages, monkeypatch) -> None:
    b = ctx.db.add_bulletin("Phòng chống bão", TEXT)  # no audio yet: made before storing
    first = ctx.db.add_bulletin("Lịch tiêm chủng", TEXT)

    def fill(dialog: SeriesDialog) -> int:
        dialog.title_edit.setText("Chiều thứ Hai, thứ Tư")
        dialog.start.setTime(dialog.start.time().fromString("17:30", "HH:mm"))
        for n, box in enumerate(dialog.days):
            box.setChecked(n in (0, 2))
        dialog.valid_from.setDate(dialog.valid_from.date().fromString("30/11/2026",
                                                                      "dd/MM/yyyy"))
        dialog.length.setValue(20)
        dialog.picker.add(("bulletin", b))
        dialog.picker.add(("bulletin", first))
        dialog.picker.move_current(-1)  # played first
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(SeriesDialog, "exec", fill)
    view = make_view(qtbot, ctx, runner)
    assert view.add_series() is not None
    qtbot.waitUntil(lambda: not runner.busy(), timeout=60_000)

    series = ctx.db.load_schedule().series
    assert len(series) == 1
    s = series[0]
    assert (s.title, s.start, s.weekdays, s.valid_from, s.length) == (
        "Chiều thứ Hai, thứ Tư", time(17, 30), frozenset({0, 2}), MONDAY, 1200)
    assert s.items == (ItemSpec.bulletin(first), ItemSpec.bulletin(b))
    assert ctx.db.get_bulletin(b).audio is not None  # their audio was made first
    assert ctx.db.get_bulletin(first).audio is not None
    assert [(x.key, x.day_index, x.start_minute) for x in view.timetable.blocks] == [
        ("series:1:2026-11-30", 0, 17 * 60 + 30), ("series:1:2026-12-02", 2, 17 * 60 + 30)]
    assert view.status.text() == "Đã thêm buổi định kỳ số 1."
    assert view.problem_label.text() == "Kiểm tra tuần này: không có vấn đề."
    assert messages == []


def test_a_series_dialog_refuses_no_days(qtbot, ctx, messages) -> None:
    dialog = SeriesDialog([], {}, MONDAY)
    qtbot.addWidget(dialog)
    dialog.title_edit.setText("Sáng")
    for box in dialog.days:
        box.setChecked(False)
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert messages == ["Hãy chọn ít nhất một ngày trong tuần."]


def test_adding_a_one_off_through_its_dialog(qtbot, ctx, runner, tmp_path, messages,
                                             monkeypatch) -> None:
    b = bulletin_with_audio(ctx, tmp_path, "Họp dân")

    def fill(dialog: OneOffDialog) -> int:
        dialog.title_edit.setText("Họp dân thôn Đông")
        at = parse_local_datetime("2026-12-05 19:45")
        dialog.when.setDateTime(dialog.when.dateTime().fromSecsSinceEpoch(
            int(at.timestamp()), dialog.when.timeZone()))
        dialog.picker.add(("bulletin", b))
        dialog.picker.add_relay("https://radio.example.vn/thoi-su", 15, None)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(OneOffDialog, "exec", fill)
    view = make_view(qtbot, ctx, runner)
    assert view.add_oneoff() is not None
    qtbot.waitUntil(lambda: not runner.busy(), timeout=60_000)

    session = ctx.db.list_sessions()[0]
    assert session.scheduled_at == datetime(2026, 12, 5, 12, 45, tzinfo=UTC)
    assert session.title == "Họp dân thôn Đông"
    [one_off] = ctx.db.load_schedule().one_offs
    assert one_off.items == (ItemSpec.bulletin(b),
                             ItemSpec.relay("https://radio.example.vn/thoi-su", 900.0))
    block = view.timetable.block(f"oneoff:{session.id}")
    assert (block.day_index, block.start_minute, block.oneoff) == (5, 19 * 60 + 45, True)


def test_cancelling_one_occurrence_leaves_the_series_and_can_be_undone(
        qtbot, ctx, runner, tmp_path, messages, monkeypatch) -> None:
    b = bulletin_with_audio(ctx, tmp_path, "Tin")
    morning_series(ctx, b)
    view = make_view(qtbot, ctx, runner)

    def cancel(dialog: ChangeDialog) -> int:
        dialog.cancel.setChecked(True)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ChangeDialog, "exec", cancel)
    view.timetable.setFocus()
    qtbot.keyClick(view.timetable, Qt.Key.Key_Right)  # the first session of the week
    qtbot.keyClick(view.timetable, Qt.Key.Key_Right)  # Tuesday's
    assert view.timetable.selected_key == "series:1:2026-12-01"
    assert view.change_selected()

    assert "series:1:2026-12-01" not in keys(view)
    ghost = view.timetable.block("cancelled:series:1:2026-12-01")
    assert (ghost.day_index, ghost.cancelled, ghost.detail) == (1, True,
                                                               "đã hủy buổi này (chỉ ngày này)")
    assert {"series:1:2026-11-30", "series:1:2026-12-02"} <= set(keys(view))
    series = ctx.db.load_schedule().series[0]
    assert series.enabled and series.weekdays == frozenset(range(6))

    # extending another day's occurrence
    def extend(dialog: ChangeDialog) -> int:
        dialog.extend.setChecked(True)
        dialog.length.setValue(45)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ChangeDialog, "exec", extend)
    view.timetable.select("series:1:2026-12-02")
    assert view.change_selected()
    extended = view.timetable.block("series:1:2026-12-02")
    assert extended.changed and extended.length_minutes == 45
    assert extended.label.startswith("± 06:00")

    # the cancelled occurrence back as planned
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    view.timetable.select("cancelled:series:1:2026-12-01")
    assert view.change_selected()
    back = view.timetable.block("series:1:2026-12-01")
    assert (back.day_index, back.start_minute, back.moved) == (1, 360, False)
    assert not any(k.startswith("cancelled:") for k in keys(view))


def test_check_errors_are_highlighted_on_their_sessions_and_listed(qtbot, ctx, runner,
                                                                   tmp_path, messages) -> None:
    ready = bulletin_with_audio(ctx, tmp_path, "Đã có âm thanh")
    silent = ctx.db.add_bulletin("Chưa có âm thanh", TEXT)
    morning_series(ctx, ready)
    ctx.db.add_series(title="Chiều", start=time(17, 0), weekdays=frozenset({3}),
                      valid_from=date(2026, 11, 1), valid_until=None, length_s=600,
                      items=[ItemSpec.bulletin(silent)])
    view = make_view(qtbot, ctx, runner)

    bad = view.timetable.block("series:2:2026-12-03")
    assert bad.severity == "error" and bad.label.startswith("⚠ 17:00 Chiều")
    assert view.timetable.block("series:1:2026-12-03").severity == ""
    assert view.problem_table.rowCount() == 1
    assert view.problem_table.item(0, 0).text() == "LỖI"
    assert "chưa được tạo âm thanh" in view.problem_table.item(0, 2).text()
    assert view.problem_label.text().startswith("Kiểm tra tuần này: 1 lỗi, 0 cảnh báo")
    view.problem_table.setCurrentCell(0, 2)  # the list leads to the session
    assert view.timetable.selected_key == "series:2:2026-12-03"
    assert "chưa được tạo âm thanh" in view.details.toPlainText()
    assert "chưa được tạo âm thanh" in bad.tooltip


def test_series_on_off_campaigns_and_quiet_hours(qtbot, ctx, runner, tmp_path, messages,
                                                  monkeypatch) -> None:
    b = bulletin_with_audio(ctx, tmp_path, "Tin sáng")
    extra = bulletin_with_audio(ctx, tmp_path, "Bầu cử")
    morning_series(ctx, b, weekdays=EVERY_DAY)
    view = make_view(qtbot, ctx, runner)

    def campaign(dialog: CampaignDialog) -> int:
        dialog.bulletin.setCurrentIndex(dialog.bulletin.findData(extra))
        dialog.first.setDate(dialog.first.date().fromString("01/12/2026", "dd/MM/yyyy"))
        dialog.last.setDate(dialog.last.date().fromString("02/12/2026", "dd/MM/yyyy"))
        dialog.has_window.setChecked(True)
        dialog.has_cap.setChecked(True)
        dialog.cap.setValue(1)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(CampaignDialog, "exec", campaign)
    assert view.add_campaign() is not None
    qtbot.waitUntil(lambda: not runner.busy(), timeout=60_000)
    c = ctx.db.load_schedule().campaigns[0]
    assert (c.bulletin_id, c.first_day, c.last_day, c.window, c.max_per_day) == (
        extra, date(2026, 12, 1), date(2026, 12, 2), (time(4, 0), time(11, 59)), 1)
    assert "Bầu cử" in view.timetable.block("series:1:2026-12-01").tooltip
    assert "chiến dịch số 1" in view.timetable.block("series:1:2026-12-02").tooltip
    assert "Bầu cử" not in view.timetable.block("series:1:2026-12-03").tooltip

    def quiet(dialog: QuietHoursDialog) -> int:
        dialog.add_window(time(22, 0), time(5, 30))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QuietHoursDialog, "exec", quiet)
    assert view.edit_quiet_hours()
    assert ctx.db.quiet_hours() == [(time(22, 0), time(5, 30))]
    assert view.timetable.quiet == [(22 * 60, 24 * 60), (0, 5 * 60 + 30)]

    def disable(dialog: SeriesListDialog) -> int:
        dialog.set_enabled(1, False)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(SeriesListDialog, "exec", disable)
    assert view.edit_series_enabled()
    assert not ctx.db.load_schedule().series[0].enabled
    assert keys(view) == []


def test_a_relay_needs_a_web_address(qtbot, messages) -> None:
    from app.gui.schedule_dialogs import RelayDialog

    dialog = RelayDialog({3: "Nhạc nền"})
    qtbot.addWidget(dialog)
    dialog.url.setText("file:///etc/passwd")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert messages[0].startswith("Địa chỉ luồng tiếp sóng không hợp lệ")
    dialog.url.setText(" https://radio.example.vn/live ")
    dialog.fallback.setCurrentIndex(1)
    dialog.accept()
    assert dialog.values() == ("https://radio.example.vn/live", 15, 3)


def test_a_change_made_elsewhere_is_loaded_in_the_background_and_shown(
        qtbot, ctx, runner, tmp_path, messages) -> None:
    b = bulletin_with_audio(ctx, tmp_path, "Tin")
    view = make_view(qtbot, ctx, runner)
    assert keys(view) == []
    # the command line (or the playout) changes the schedule; the window calls reload()
    ctx.db.add_series(title="Tối", start=time(19, 0), weekdays=frozenset({6}),
                      valid_from=date(2026, 11, 1), valid_until=None, length_s=600,
                      items=[ItemSpec.bulletin(b)])
    view.reload()
    qtbot.waitUntil(lambda: keys(view) == ["series:1:2026-12-06"], timeout=10_000)
    assert view.cache.fresh()
    view.reload()  # nothing changed: shown again from what is held
    assert keys(view) == ["series:1:2026-12-06"]
