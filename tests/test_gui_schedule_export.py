"""The Schedule view's *Export as audio file*: one occurrence of the week as one MP3 or WAV
file (the same work as ``loaxa session export``), offscreen with pytest-qt: length and
loudness of the file, the default name, cancel leaves no file, errors in Vietnamese."""

from __future__ import annotations

import math
import wave
from pathlib import Path

import numpy as np
import pyloudnorm
import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from app.gui.tasks import TaskRunner
from app.gui.views.schedule import ScheduleView, export_file_name
from media.program import PROGRAM_RATE, load_audio
from scheduler.schedule import ItemSpec
from scheduler.timeutil import parse_local_datetime
from tests.test_gui_schedule import make_view
from tests.test_session_export import tone

# make_view's clock: Tuesday 1 December 2026, 10:00 in Vietnam (the week Mon 30/11 – Sun 06/12).


@pytest.fixture
def runner(qtbot):
    runner = TaskRunner()
    yield runner
    runner.wait(120_000)


def recording(ctx, tmp_path: Path, title: str, seconds: float, amplitude: int = 8000) -> int:
    """An operator recording in the store (what ``loaxa audio add`` leaves)."""
    sha, rel = ctx.store.adopt(tone(tmp_path / f"{title}.wav", seconds, amplitude))
    return ctx.db.add_audio_asset(sha256=sha, rel_path=rel, duration_ms=round(seconds * 1000),
                                  title=title).id


def oneoff(ctx, items: list[ItemSpec], title: str = "Bản tin tối",
           at: str = "2026-12-02 19:00") -> str:
    session = ctx.db.add_session(parse_local_datetime(at), title=title, items=items)
    return f"oneoff:{session}"


def choose(monkeypatch: pytest.MonkeyPatch, path: Path, file_type: str = "") -> list[str]:
    """The save dialog answers ``path``; returns what it was offered (the default name)."""
    offered: list[str] = []

    def answer(_parent, _title, default, _filters, selected=""):
        offered.append(default)
        return str(path), file_type or selected

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(answer))
    return offered


def wait_done(qtbot, view: ScheduleView) -> None:
    """Until the view has shown the outcome and the runner is free for the next work (each
    hears the end through its own queued signal)."""
    qtbot.waitUntil(lambda: view.task is None and not view.runner.busy(), timeout=120_000)


def test_an_occurrence_goes_into_one_mp3_at_the_loudness_target(
        qtbot, ctx, runner, tmp_path, messages, monkeypatch) -> None:
    quiet = recording(ctx, tmp_path, "Nhạc hiệu", 2.0, amplitude=2000)
    loud = recording(ctx, tmp_path, "Thông báo họp dân", 3.0, amplitude=20000)
    key = oneoff(ctx, [ItemSpec.audio(quiet), ItemSpec.audio(loud)])
    view = make_view(qtbot, ctx, runner)
    view.timetable.select(key)
    assert view.export_button.isEnabled()
    usb = tmp_path / "usb"
    usb.mkdir()
    offered = choose(monkeypatch, usb / "buoi-toi.mp3")
    task = view.export_selected()
    assert task is not None and view.cancel_button.isVisible()
    wait_done(qtbot, view)

    # the default name: the session's title with its diacritics, its day and time
    assert Path(offered[0]).name == "Bản tin tối 2026-12-02 19-00.mp3"
    out = usb / "buoi-toi.mp3"
    assert out.is_file() and sorted(p.name for p in usb.iterdir()) == ["buoi-toi.mp3"]
    signal = load_audio(out)
    assert abs(signal.size / PROGRAM_RATE - (2.0 + 3.0 + 1.0)) < 0.25  # one gap of 1 s
    lufs = pyloudnorm.Meter(PROGRAM_RATE).integrated_loudness(signal.astype(np.float64))
    assert abs(lufs - ctx.settings.loudness_target_lufs) <= 0.5, lufs
    # both items matched: the quiet one is no longer 20 dB below the loud one
    first, second = signal[: PROGRAM_RATE * 2], signal[PROGRAM_RATE * 3:PROGRAM_RATE * 6]
    ratio = 20 * math.log10(float(np.sqrt(np.mean(first.astype(np.float64) ** 2)))
                            / float(np.sqrt(np.mean(second.astype(np.float64) ** 2))))
    assert abs(ratio) < 2.0, ratio

    assert messages == []
    box = view.export_box
    assert box is not None and box.isVisible()
    assert str(out) in box.text() and "2 mục" in box.text() and "LUFS" in box.text()
    assert "00:06" in box.text()  # the duration as the operator reads it
    opened: list[Path] = []
    monkeypatch.setattr(view, "open_folder", lambda folder: opened.append(folder) or True)
    button = next(b for b in box.buttons() if b.text() == "&Mở thư mục")
    button.click()
    assert opened == [usb]
    assert "Đã ghi" in view.status.text()
    # the folder is remembered for next time
    view.timetable.select(key)
    again = choose(monkeypatch, usb / "lan-hai.wav", "Tệp WAV (*.wav)")
    view.export_selected()
    wait_done(qtbot, view)
    assert Path(again[0]).parent == usb and again[0].endswith(".mp3")
    with wave.open(str(usb / "lan-hai.wav")) as wav:
        assert (wav.getnchannels(), wav.getframerate()) == (1, 44100)
        assert abs(wav.getnframes() / 44100 - 6.0) < 0.25


def test_wav_by_the_type_chosen_a_relay_left_out_and_the_context_menu(
        qtbot, ctx, runner, tmp_path, messages, monkeypatch) -> None:
    music = recording(ctx, tmp_path, "Nhạc", 2.0)
    key = oneoff(ctx, [ItemSpec.audio(music), ItemSpec.relay("http://vov.example/live", 300)],
                 title="Tiếp sóng: VOV/tin tức?")
    view = make_view(qtbot, ctx, runner)
    block = view.timetable.block(key)
    assert block is not None
    from PySide6.QtGui import QContextMenuEvent

    centre = block.rect.center().toPoint()
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, centre,
                              view.timetable.mapToGlobal(centre))
    view.timetable.contextMenuEvent(event)
    assert view.timetable.selected_key == key  # a right click selects it first
    actions = [a.text() for a in view.menu.actions()]
    assert actions == ["Đổi buổi phát này…", "Xuất ra tệp âm thanh…"]
    assert view.menu.actions()[1].isEnabled()
    view.menu.close()

    offered = choose(monkeypatch, tmp_path / "tiep-song", "Tệp WAV (*.wav)")
    view.menu.actions()[1].trigger()
    wait_done(qtbot, view)
    # forbidden characters replaced, diacritics kept
    assert Path(offered[0]).name == "Tiếp sóng- VOV-tin tức- 2026-12-02 19-00.mp3"
    out = tmp_path / "tiep-song.wav"  # the type chosen adds its extension
    with wave.open(str(out)) as wav:
        assert abs(wav.getnframes() / 44100 - 2.0) < 0.25
    assert "http://vov.example/live" in view.export_box.text()
    assert "không ghi được vào tệp" in view.export_box.text()


def test_cancel_leaves_no_file(qtbot, ctx, runner, tmp_path, messages, monkeypatch) -> None:
    items = [ItemSpec.audio(recording(ctx, tmp_path, f"Mục {n}", 4.0)) for n in range(6)]
    key = oneoff(ctx, items)
    view = make_view(qtbot, ctx, runner)
    view.timetable.select(key)
    folder = tmp_path / "ra"
    folder.mkdir()
    choose(monkeypatch, folder / "huy.mp3")

    import media.program as program

    original = program.assemble_program

    def cancelled_as_it_starts(*args, **kwargs):
        view.task.cancel()  # the operator cancels as the assembly starts
        return original(*args, **kwargs)

    monkeypatch.setattr(program, "assemble_program", cancelled_as_it_starts)
    assert view.export_selected() is not None
    wait_done(qtbot, view)
    assert list(folder.iterdir()) == []
    assert view.status.text() == "Đã hủy xuất tệp; không có tệp nào được ghi."
    assert messages == [] and view.export_box is None
    assert not view.cancel_button.isVisible()


def test_the_cancel_button_stops_the_work(qtbot, ctx, runner, tmp_path, messages,
                                          monkeypatch) -> None:
    key = oneoff(ctx, [ItemSpec.audio(recording(ctx, tmp_path, "Mục", 2.0))])
    view = make_view(qtbot, ctx, runner)
    view.timetable.select(key)
    choose(monkeypatch, tmp_path / "nut-huy.wav")
    import threading

    import media.program as program

    pressed = threading.Event()
    original = program.assemble_program

    def waits_for_the_button(*args, **kwargs):
        pressed.wait(30)
        return original(*args, **kwargs)

    monkeypatch.setattr(program, "assemble_program", waits_for_the_button)
    view.export_selected()
    view.cancel_button.click()
    assert view.status.text() == "Đang dừng…"
    pressed.set()
    wait_done(qtbot, view)
    assert not (tmp_path / "nut-huy.wav").exists()
    assert not list(tmp_path.glob(".nut-huy*"))
    assert view.status.text() == "Đã hủy xuất tệp; không có tệp nào được ghi."


def test_errors_in_vietnamese_and_no_file(qtbot, ctx, runner, tmp_path, messages,
                                          monkeypatch) -> None:
    from app.services import create_first_admin

    good = recording(ctx, tmp_path, "Nhạc hiệu", 2.0)
    broken = recording(ctx, tmp_path, "Bài hát hỏng", 2.0, amplitude=3000)
    ctx.store.path_for(ctx.db.get_audio_asset(broken).rel_path).write_bytes(b"hong " * 500)
    broken_key = oneoff(ctx, [ItemSpec.audio(good), ItemSpec.audio(broken)], title="Hỏng",
                        at="2026-12-03 06:00")
    create_first_admin(ctx, "minh", "1357")  # from now on new bulletins wait for approval
    unapproved = ctx.db.add_bulletin("Lịch tiêm chủng", "Trạm y tế xã tiêm chủng sáng mai.")
    waiting_key = oneoff(ctx, [ItemSpec.bulletin(unapproved)], title="Chờ duyệt",
                         at="2026-12-04 06:00")
    mixed_key = oneoff(ctx, [ItemSpec.audio(good), ItemSpec.bulletin(unapproved)],
                       title="Có bản tin chưa duyệt", at="2026-12-05 06:00")
    view = make_view(qtbot, ctx, runner)

    # a broken recording: named, in Vietnamese, nothing written
    view.timetable.select(broken_key)
    choose(monkeypatch, tmp_path / "hong.mp3")
    view.export_selected()
    wait_done(qtbot, view)
    [message] = messages
    assert message.startswith("Không xuất được buổi phát “Hỏng”: Tệp âm thanh")
    assert "bị hỏng" in message and "Mục hỏng: “Bài hát hỏng”." in message
    assert not (tmp_path / "hong.mp3").exists() and not list(tmp_path.glob(".hong*"))

    # a recording whose file is gone: said, nothing written
    messages.clear()
    gone = recording(ctx, tmp_path, "Bài đã xóa", 1.0, amplitude=4000)
    ctx.store.path_for(ctx.db.get_audio_asset(gone).rel_path).unlink()
    gone_key = oneoff(ctx, [ItemSpec.audio(gone)], title="Mất tệp", at="2026-12-03 09:00")
    view.refresh_now()
    view.timetable.select(gone_key)
    choose(monkeypatch, tmp_path / "mat.mp3")
    view.export_selected()
    wait_done(qtbot, view)
    [message] = messages
    assert message.startswith("Không xuất được buổi phát “Mất tệp”: Không tìm thấy tệp âm "
                              "thanh")
    assert not (tmp_path / "mat.mp3").exists()

    # only an unapproved bulletin: nothing to play
    messages.clear()
    view.timetable.select(waiting_key)
    choose(monkeypatch, tmp_path / "cho.mp3")
    view.export_selected()
    wait_done(qtbot, view)
    [message] = messages
    assert "không có mục nào ghi được vào tệp" in message
    assert "Bản tin “Lịch tiêm chủng” chưa được duyệt để phát" in message
    assert not (tmp_path / "cho.mp3").exists()

    # an unapproved bulletin among others: left out, and said
    messages.clear()
    view.timetable.select(mixed_key)
    choose(monkeypatch, tmp_path / "co-ban-tin.wav")
    view.export_selected()
    wait_done(qtbot, view)
    assert messages == []
    assert "chưa được duyệt để phát: đã bỏ ra khỏi tệp" in view.export_box.text()
    with wave.open(str(tmp_path / "co-ban-tin.wav")) as wav:
        assert abs(wav.getnframes() / 44100 - 2.0) < 0.25

    # a folder that cannot be written (a file stands where the folder should be)
    messages.clear()
    blocker = tmp_path / "khong-phai-thu-muc"
    blocker.write_text("tệp, không phải thư mục", encoding="utf-8")
    view.timetable.select(mixed_key)
    choose(monkeypatch, blocker / "ra.mp3")
    view.export_selected()
    wait_done(qtbot, view)
    [message] = messages
    assert "Không ghi được tệp" in message and "ổ đĩa đã đầy" in message
    assert blocker.read_text(encoding="utf-8") == "tệp, không phải thư mục"

    # nothing selected, and a cancelled occurrence: said, no dialog
    messages.clear()
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: pytest.fail("no dialog expected")))
    view.timetable.select("")
    assert not view.export_button.isEnabled()
    assert view.export_selected() is None
    assert len(messages) == 1 and messages[0].startswith("Bấm vào một buổi phát")


def test_the_default_name_is_windows_proof() -> None:
    from scheduler.schedule import PlannedSession

    start = parse_local_datetime("2026-12-01 06:00")
    session = PlannedSession(key="oneoff:1", source="oneoff", source_id=1,
                             title='  Bản tin "sáng" <thôn> CON ', start=start, length=60,
                             day=start.date())
    assert export_file_name(session, "wav") == "Bản tin -sáng- -thôn- CON 2026-12-01 06-00.wav"
    nameless = PlannedSession(key="oneoff:2", source="oneoff", source_id=2, title="   ",
                              start=start, length=60, day=start.date())
    assert export_file_name(nameless, "mp3") == "Buổi phát 2026-12-01 06-00.mp3"


def test_the_shortcut_exports(qtbot, ctx, runner, tmp_path, messages, monkeypatch) -> None:
    key = oneoff(ctx, [ItemSpec.audio(recording(ctx, tmp_path, "Nhạc", 1.0))])
    view = make_view(qtbot, ctx, runner)
    view.timetable.select(key)
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    view.timetable.setFocus()
    choose(monkeypatch, tmp_path / "phim-tat.mp3")
    from PySide6.QtCore import Qt

    qtbot.keyClick(view.timetable, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    wait_done(qtbot, view)
    assert (tmp_path / "phim-tat.mp3").is_file()
    assert isinstance(view.export_box, QMessageBox)


def test_the_menu_key_opens_the_menu_of_the_selected_occurrence(qtbot, ctx, runner, tmp_path,
                                                                 messages) -> None:
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QContextMenuEvent

    key = oneoff(ctx, [ItemSpec.audio(recording(ctx, tmp_path, "Nhạc", 1.0))])
    view = make_view(qtbot, ctx, runner)
    asked: list[str] = []
    view.timetable.menu_requested.connect(lambda k, _where: asked.append(k))
    keyboard = QContextMenuEvent(QContextMenuEvent.Reason.Keyboard, QPoint(1, 1),
                                 view.timetable.mapToGlobal(QPoint(1, 1)))
    view.timetable.contextMenuEvent(keyboard)
    assert asked == [] and not keyboard.isAccepted()  # nothing selected: no menu
    view.timetable.select(key)
    keyboard = QContextMenuEvent(QContextMenuEvent.Reason.Keyboard, QPoint(1, 1),
                                 view.timetable.mapToGlobal(QPoint(1, 1)))
    view.timetable.contextMenuEvent(keyboard)
    assert asked == [key] and view.menu.isVisible()
    view.menu.close()
